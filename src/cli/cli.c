/*
 * cli.c - helpers shared by the domlint command's checking and probing parts
 */
#include "config.h"

#include <string.h>

#include "cli/cli.h"
#include "core/suggest.h"

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

/* "a, b or c" */
static char *
choice_list(const char *const *choices)
{
    GString *s = g_string_new(NULL);

    for (gsize i = 0; choices[i]; i++) {
        if (i > 0)
            g_string_append(s, choices[i + 1] ? ", " : " or ");
        g_string_append(s, choices[i]);
    }
    return g_string_free(s, FALSE);
}

gboolean
dl_cli_check_choice(const char *option, const char *value, const char *const *choices,
                    GError **error)
{
    g_autofree char *list = NULL;
    g_autofree char *hint = NULL;
    const char *near;

    if (!value || g_strv_contains(choices, value))
        return TRUE;
    list = choice_list(choices);
    near = dl_suggest(value, choices);
    hint = near ? g_strdup_printf(" (did you mean '%s'?)", near) : g_strdup("");
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s takes %s, not '%s'%s", option,
                list, value, hint);
    return FALSE;
}

const char *const dl_cli_formats[] = { "text", "text-short", "json", "sarif", NULL };

/* GOption's own: --help and --help-all */
static const char *const builtin_long[] = { "help", "help-all", NULL };

static const GOptionEntry *
find_entry(const GOptionEntry *entries, const char *name, gsize len, char short_name)
{
    for (const GOptionEntry *e = entries; e->long_name; e++) {
        if (short_name && e->short_name == short_name)
            return e;
        if (!short_name && strlen(e->long_name) == len && strncmp(e->long_name, name, len) == 0)
            return e;
    }
    return NULL;
}

static gboolean
is_builtin(const char *name, gsize len)
{
    for (gsize i = 0; builtin_long[i]; i++) {
        if (strlen(builtin_long[i]) == len && strncmp(builtin_long[i], name, len) == 0)
            return TRUE;
    }
    return FALSE;
}

/* The first long option of the N words of ARGS that ENTRIES do not have, without its value (caller frees). */
static char *
first_unknown_long(const GOptionEntry *entries, char **args, gsize n)
{
    for (gsize i = 1; i < n; i++) {
        const char *a = args[i];
        const char *name = a + 2;
        gsize len = strcspn(name, "=");
        const GOptionEntry *e;

        if (strcmp(a, "--") == 0)
            break;
        if (a[0] != '-' || a[1] == '\0')
            continue;
        if (a[1] != '-') {
            /* a short option's value is the next word, unless attached */
            e = find_entry(entries, NULL, 0, a[1]);
            if (e && e->arg != G_OPTION_ARG_NONE && a[2] == '\0' && i + 1 < n)
                i++;
            continue;
        }
        e = find_entry(entries, name, len, 0);
        if (!e && !is_builtin(name, len))
            return g_strndup(name, len);
        if (e && e->arg != G_OPTION_ARG_NONE && name[len] != '=' && i + 1 < n)
            i++;
    }
    return NULL;
}

void
dl_cli_explain_unknown_option(const GOptionEntry *entries, char **args, gsize n, GError *error)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *unknown = NULL;
    const char *near;

    if (!g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
        return;
    unknown = first_unknown_long(entries, args, n);
    if (!unknown)
        return;
    for (const GOptionEntry *e = entries; e->long_name; e++) {
        if (strcmp(e->long_name, G_OPTION_REMAINING) != 0)
            g_ptr_array_add(names, (gpointer) e->long_name);
    }
    for (gsize i = 0; builtin_long[i]; i++)
        g_ptr_array_add(names, (gpointer) builtin_long[i]);
    g_ptr_array_add(names, NULL);
    near = dl_suggest(unknown, (const char *const *) names->pdata);
    if (!near)
        return;
    g_free(error->message);
    error->message = g_strdup_printf("unknown option '--%s' (did you mean '--%s'?)", unknown, near);
}
