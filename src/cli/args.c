/*
 * args.c - what every command's option parsing shares: comma lists, a
 * value among choices, "did you mean" for an unknown option, and --help
 * written to the command's output stream
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

/* ------------------------------------------------------------ --help */

/*
 * GOption's own --help prints on stdout and ends the process, which a CLI
 * that is a function with its own streams cannot have.  So its help is
 * turned off while parsing, hidden entries of the same names stop the
 * parse where GOption would have printed (an error of this domain says
 * which help), and the text comes from a context with help on, made with
 * the same entries, so it is the text GOption prints.
 */
typedef enum {
    HELP_MAIN,
    HELP_ALL,
} help_kind;

static GQuark
help_quark(void)
{
    return g_quark_from_static_string("dl-cli-help");
}

/*
 * The value is optional only so that it can be seen: GOption's own --help
 * is not --help=VALUE, which is an unknown option; a short one takes the
 * next word, which does not matter, as the parse stops here.
 */
static gboolean
help_wanted(const char *option, const char *value, gpointer data, GError **error)
{
    help_kind kind = strcmp(option, "--help-all") == 0 ? HELP_ALL : HELP_MAIN;

    if (value && g_str_has_prefix(option, "--")) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION, "Unknown option %s=%s",
                    option, value);
        return FALSE;
    }
    g_set_error_literal(error, help_quark(), (int) kind, "help");
    return FALSE;
}

/* -h, --help, --help-all and -?; '?' needs an entry of its own, under a name taken already */
static const GOptionEntry help_entries[] = {
    { "help", 'h', G_OPTION_FLAG_HIDDEN | G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK,
      (gpointer) help_wanted, NULL, NULL },
    { "help", '?', G_OPTION_FLAG_HIDDEN | G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK,
      (gpointer) help_wanted, NULL, NULL },
    { "help-all", 0, G_OPTION_FLAG_HIDDEN | G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK,
      (gpointer) help_wanted, NULL, NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionContext *
context_new(const dl_cli_syntax *syntax)
{
    GOptionContext *octx = g_option_context_new(NULL);

    g_option_context_set_summary(octx, syntax->summary);
    g_option_context_set_description(octx, syntax->description);
    g_option_context_add_main_entries(octx, syntax->entries, NULL);
    return octx;
}

/* The help GOption would print, as g_print() would write it: in the
 * console's character set, '?' for what that lacks. */
static char *
help_text(const dl_cli_syntax *syntax, help_kind kind)
{
    g_autoptr(GOptionContext) octx = context_new(syntax);
    g_autofree char *text = g_option_context_get_help(octx, kind == HELP_MAIN, NULL);
    const char *charset;
    char *converted;

    if (g_get_console_charset(&charset))
        return g_steal_pointer(&text);
    converted = g_convert_with_fallback(text, -1, charset, "UTF-8", "?", NULL, NULL, NULL);
    return converted ? converted : g_steal_pointer(&text);
}

gboolean
dl_cli_parse(const dl_cli_syntax *syntax, int *argc, char ***argv, char **help, GError **error)
{
    g_autoptr(GOptionContext) octx = context_new(syntax);
    g_autoptr(GError) failed = NULL;
    /* the words as given: GOption drops those it takes from ARGV */
    gsize n = (gsize) *argc;
    g_autofree char **words = g_new0(char *, n + 1);

    *help = NULL;
    memcpy(words, *argv, sizeof(char *) * n);
    /* what GOption's first parse in a process does, for every run of an in-process CLI */
    if (n > 0) {
        g_autofree char *prgname = g_path_get_basename((*argv)[0]);
        g_set_prgname(prgname);
    }
    g_option_context_set_help_enabled(octx, FALSE);
    g_option_context_add_main_entries(octx, help_entries, NULL);
    if (g_option_context_parse(octx, argc, argv, &failed))
        return TRUE;
    if (failed->domain == help_quark()) {
        *help = help_text(syntax, (help_kind) failed->code);
        return TRUE;
    }
    dl_cli_explain_unknown_option(syntax->entries, words, n, failed);
    g_propagate_error(error, g_steal_pointer(&failed));
    return FALSE;
}
