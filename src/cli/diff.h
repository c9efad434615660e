/*
 * diff.h - --diff: what a repair changed, as a unified diff by diff(1)
 */
#pragma once

#include <stdio.h>

#include <glib.h>

/*
 * A unified diff of OLD and NEW on OUT, labelled a/NAME and b/NAME as git
 * labels them.  FALSE when diff(1) could not be run.
 */
gboolean dl_cli_print_diff(FILE *out, const char *name, const char *old, gsize old_len,
                           const char *new, gsize new_len);
