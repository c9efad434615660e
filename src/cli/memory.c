/*
 * memory.c - running out of memory
 *
 * libxml2 answers a failed allocation by giving up on what it was doing
 * and printing a line, so a schema would seem broken or a file malformed:
 * its allocations are watched, its raw lines silenced, and a run in which
 * one failed ends with "out of memory".  Under an address space limit,
 * a run that cannot even load its knowledge does not begin.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include <libxml/parser.h>

#include "cli/memory.h"

static gint xml_alloc_failed;

static void *
xml_malloc(size_t size)
{
    void *p = malloc(size);

    if (!p)
        g_atomic_int_set(&xml_alloc_failed, 1);
    return p;
}

static void *
xml_realloc(void *old, size_t size)
{
    void *p = realloc(old, size);

    if (!p)
        g_atomic_int_set(&xml_alloc_failed, 1);
    return p;
}

static char *
xml_strdup(const char *s)
{
    char *p = strdup(s);

    if (!p)
        g_atomic_int_set(&xml_alloc_failed, 1);
    return p;
}

static void G_GNUC_PRINTF(2, 3)
xml_quiet(void *user, const char *fmt, ...)
{
    (void) user;
    (void) fmt;
}

/* Every error domlint reports comes through the structured handlers, so
 * only libxml2's own raw lines are lost. */
void
dl_cli_memory_watch(void)
{
    static gsize watched;

    if (g_once_init_enter(&watched)) {
        xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
        xmlThrDefSetGenericErrorFunc(NULL, xml_quiet);
        xmlSetGenericErrorFunc(NULL, xml_quiet);
        g_once_init_leave(&watched, 1);
    }
    g_atomic_int_set(&xml_alloc_failed, 0);
}

gboolean
dl_cli_memory_failed(void)
{
    return g_atomic_int_get(&xml_alloc_failed) != 0;
}

gboolean
dl_cli_out_of_memory(FILE *err)
{
    if (!dl_cli_memory_failed())
        return FALSE;
    fprintf(err, "domlint: out of memory\n");
    return TRUE;
}

/* The address space the process has mapped, in bytes; 0 when unknown. */
static guint64
mapped_bytes(void)
{
    g_autofree char *statm = NULL;

    if (!g_file_get_contents("/proc/self/statm", &statm, NULL, NULL))
        return 0;
    return g_ascii_strtoull(statm, NULL, 10) * (guint64) sysconf(_SC_PAGESIZE);
}

guint64
dl_cli_memory_room(void)
{
    struct rlimit as;
    guint64 used = mapped_bytes();

    if (getrlimit(RLIMIT_AS, &as) != 0 || as.rlim_cur == RLIM_INFINITY)
        return G_MAXUINT64;
    return as.rlim_cur > used ? as.rlim_cur - used : 0;
}

/*
 * The schema and the knowledge take some 6 MB once the libraries are
 * mapped.  With less room than that, libxml2 and GLib fail in ways that
 * crash (GLib aborts, libxml2's RELAX NG parser frees twice on some
 * failed allocations): better not to begin.
 */
#define DL_ROOM_TO_START (8 << 20)

gboolean
dl_cli_memory_room_to_start(FILE *err)
{
    guint64 room = dl_cli_memory_room();

    if (room >= DL_ROOM_TO_START)
        return TRUE;
    fprintf(err, "domlint: out of memory: the address space limit (ulimit -v) leaves %" G_GUINT64_FORMAT " MB, and checking needs %d MB more\n",
            room >> 20, DL_ROOM_TO_START >> 20);
    return FALSE;
}
