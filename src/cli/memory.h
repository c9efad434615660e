/*
 * memory.h - the command running out of memory: libxml2's allocations
 * watched, and the room an address space limit (ulimit -v) leaves
 */
#pragma once

#include <stdio.h>

#include <glib.h>

/*
 * Watch libxml2's allocations and silence its raw error lines: once per
 * process, before libxml2 is first used (the first call does it); every
 * call begins a run in which no allocation has failed yet.
 */
void dl_cli_memory_watch(void);

/* Whether an allocation of libxml2 failed in this run. */
gboolean dl_cli_memory_failed(void);

/* dl_cli_memory_failed(), and then "domlint: out of memory" on ERR. */
gboolean dl_cli_out_of_memory(FILE *err);

/* Room under an address space limit (ulimit -v), in bytes; G_MAXUINT64 without one. */
guint64 dl_cli_memory_room(void);

/* Whether there is room to begin at all; if not, says so on ERR. */
gboolean dl_cli_memory_room_to_start(FILE *err);
