/*
 * diff.c - --diff: the old and the repaired text written to a temporary
 * directory and compared by diff(1), whose output is copied
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cli/diff.h"

gboolean
dl_cli_print_diff(FILE *out, const char *name, const char *old, gsize old_len, const char *new,
                  gsize new_len)
{
    g_autofree char *dir = g_dir_make_tmp("domlint-diff-XXXXXX", NULL);
    g_autofree char *a = NULL, *b = NULL, *text = NULL, *label_a = NULL, *label_b = NULL;
    int wait_status = 0;
    gboolean ok;

    if (!dir)
        return FALSE;
    a = g_build_filename(dir, "a", NULL);
    b = g_build_filename(dir, "b", NULL);
    /* git's labels: an absolute path loses its leading '/' (a/abs/vm.xml, not a//abs/vm.xml) */
    while (*name == '/')
        name++;
    label_a = g_strdup_printf("a/%s", name);
    label_b = g_strdup_printf("b/%s", name);
    ok = g_file_set_contents(a, old, (gssize) old_len, NULL) &&
         g_file_set_contents(b, new, (gssize) new_len, NULL);
    if (ok) {
        const char *argv[] = { "diff", "-u", "--label", label_a, "--label", label_b, a, b, NULL };
        ok = g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                          NULL, NULL, &text, NULL, &wait_status, NULL);
        if (ok && text)
            fputs(text, out);
    }
    g_unlink(a);
    g_unlink(b);
    g_rmdir(dir);
    return ok;
}
