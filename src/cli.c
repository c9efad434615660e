/*
 * cli.c - helpers shared by the domlint command's checking and probing parts
 */
#include "config.h"

#include "cli.h"

char **
dl_cli_split_lists(char **values)
{
    GPtrArray *out = g_ptr_array_new();

    for (gsize i = 0; values && values[i]; i++) {
        g_auto(GStrv) parts = g_strsplit(values[i], ",", -1);
        for (gsize p = 0; parts[p]; p++) {
            if (*g_strstrip(parts[p]))
                g_ptr_array_add(out, g_strdup(parts[p]));
        }
    }
    g_ptr_array_add(out, NULL);
    return (char **) g_ptr_array_free(out, FALSE);
}
