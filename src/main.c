/*
 * main.c - the domlint command line
 *
 * Turns argv into domlint_options, expands directories, runs the library
 * over every input and turns the results into output and an exit status.
 * All checking lives in libdomlint.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domlint.h"

enum {
    EXIT_CLEAN = 0,
    EXIT_FINDINGS = 1,
    EXIT_TROUBLE = 2,
};

typedef struct {
    char *format;
    char *color;
    gboolean werror;
    gboolean list_rules;
    gboolean no_schema;
    gboolean version;
    char *schema_dir;
    char *machine_db;
    char **disable;
    char **enable;
    char **inputs;
} cli_options;

static const char summary_text[] =
    "Checks libvirt domain XML for QEMU guests against what the machine type\n"
    "really has: the PCI root (i440fx, q35, ARM virt, pSeries...), builtin\n"
    "chipset devices and their fixed addresses, which controllers and disk buses\n"
    "exist, and every conflicting or impossible address.  Every problem is\n"
    "reported, with file, line, rule id and the reason.\n"
    "\n"
    "FILE may be a directory (every *.xml below it is checked) or - for\n"
    "standard input.";

static const char description_text[] =
    "Exit status:\n"
    "  0  no errors (warnings allowed, unless --werror)\n"
    "  1  errors found\n"
    "  2  could not run: bad usage, an unreadable or malformed input, internal error\n"
    "\n"
    "The shipped knowledge describes QEMU " DOMLINT_QEMU_VERSION " and libvirt "
    DOMLINT_LIBVIRT_VERSION ".\n"
    "Set NO_COLOR to turn colour off.  Rules: domlint --list-rules.";

static char **
split_lists(char **values)
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

static gboolean
parse_args(int *argc, char ***argv, cli_options *opt, GError **error)
{
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &opt->format,
          "Output format: text (default) or json", "FORMAT" },
        { "werror", 0, 0, G_OPTION_ARG_NONE, &opt->werror,
          "Treat warnings as errors", NULL },
        { "disable", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt->disable,
          "Turn off RULE (repeatable, or comma-separated; 'all' for every rule)", "RULE" },
        { "enable", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt->enable,
          "Turn on RULE again after --disable", "RULE" },
        { "list-rules", 0, 0, G_OPTION_ARG_NONE, &opt->list_rules,
          "Print every rule id with its summary and exit", NULL },
        { "no-schema", 0, 0, G_OPTION_ARG_NONE, &opt->no_schema,
          "Skip validation against libvirt's RELAX NG schema", NULL },
        { "schema-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt->schema_dir,
          "Directory holding libvirt's domain.rng (default " DOMLINT_LIBVIRT_SCHEMA_DIR ")", "DIR" },
        { "machine-db", 0, 0, G_OPTION_ARG_FILENAME, &opt->machine_db,
          "Machine-type knowledge base directory (default: the installed one)", "DIR" },
        { "color", 0, 0, G_OPTION_ARG_STRING, &opt->color,
          "Colour: auto (default: on a terminal, unless NO_COLOR), always, never", "WHEN" },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &opt->version,
          "Print the version and the QEMU/libvirt versions the knowledge describes", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->inputs, NULL, "FILE|DIR|-..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) octx = g_option_context_new(NULL);

    g_option_context_set_summary(octx, summary_text);
    g_option_context_set_description(octx, description_text);
    g_option_context_add_main_entries(octx, entries, NULL);
    return g_option_context_parse(octx, argc, argv, error);
}

/* The knowledge base of the source tree when this binary was built there. */
static char *
default_machine_db(void)
{
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
    const char *installed = DOMLINT_PKGDATADIR "/machines";
    const char *source = DOMLINT_SRCDIR "/data/machines";

    if (dir && g_str_has_suffix(dir, "/.libs")) {
        char *parent = g_path_get_dirname(dir);
        g_free(dir);
        dir = parent;
    }
    if (dir && strcmp(dir, DOMLINT_BUILDDIR) == 0 && g_file_test(source, G_FILE_TEST_IS_DIR))
        return g_strdup(source);
    if (!g_file_test(installed, G_FILE_TEST_IS_DIR) && g_file_test(source, G_FILE_TEST_IS_DIR))
        return g_strdup(source);
    return g_strdup(installed);
}

static int
xml_name_order(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Every *.xml below DIR, sorted so that runs are reproducible. */
static void
collect_dir(const char *dir, GPtrArray *out, GPtrArray *problems)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    if (!d) {
        g_ptr_array_add(problems, g_strdup_printf("%s: fatal: cannot read directory: %s", dir,
                                                  error->message));
        return;
    }
    while ((name = g_dir_read_name(d)))
        g_ptr_array_add(found, g_build_filename(dir, name, NULL));
    g_ptr_array_sort(found, xml_name_order);
    for (guint i = 0; i < found->len; i++) {
        const char *path = g_ptr_array_index(found, i);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            collect_dir(path, out, problems);
        else if (g_str_has_suffix(path, ".xml"))
            g_ptr_array_add(out, g_strdup(path));
    }
}

static gboolean
want_color(const char *when)
{
    if (!when || strcmp(when, "auto") == 0)
        return isatty(STDOUT_FILENO) && !g_getenv("NO_COLOR");
    return strcmp(when, "always") == 0;
}

static void
list_rules(void)
{
    for (guint i = 0; i < domlint_rule_count(); i++) {
        const domlint_rule_info *r = domlint_rule_get(i);
        printf("%-34s %s\n", r->id, r->summary);
    }
}

static void
cli_options_clear(cli_options *opt)
{
    g_free(opt->format);
    g_free(opt->color);
    g_free(opt->schema_dir);
    g_free(opt->machine_db);
    g_strfreev(opt->disable);
    g_strfreev(opt->enable);
    g_strfreev(opt->inputs);
}

static int
run(cli_options *opt)
{
    g_auto(GStrv) disable = split_lists(opt->disable);
    g_auto(GStrv) enable = split_lists(opt->enable);
    g_autofree char *db = opt->machine_db ? g_strdup(opt->machine_db) : default_machine_db();
    domlint_options lopts = {
        .machine_db = db,
        .schema_dir = opt->schema_dir,
        .no_schema = opt->no_schema,
        .disable = (const char *const *) disable,
        .enable = (const char *const *) enable,
    };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
    domlint_text_options topts = { .color = want_color(opt->color) };
    gboolean json = opt->format && strcmp(opt->format, "json") == 0;
    domlint_ctx *ctx;
    int status = EXIT_CLEAN;

    if (opt->format && !json && strcmp(opt->format, "text") != 0) {
        fprintf(stderr, "domlint: unknown format '%s' (text or json)\n", opt->format);
        return EXIT_TROUBLE;
    }
    if (!opt->inputs || !opt->inputs[0]) {
        fprintf(stderr, "domlint: no input files (try 'domlint --help')\n");
        return EXIT_TROUBLE;
    }
    ctx = domlint_ctx_new(&lopts, &error);
    if (!ctx) {
        fprintf(stderr, "domlint: %s\n", error->message);
        return EXIT_TROUBLE;
    }
    for (gsize i = 0; opt->inputs[i]; i++) {
        const char *in = opt->inputs[i];
        if (strcmp(in, "-") != 0 && g_file_test(in, G_FILE_TEST_IS_DIR))
            collect_dir(in, files, problems);
        else
            g_ptr_array_add(files, g_strdup(in));
    }
    for (guint i = 0; i < problems->len; i++)
        fprintf(stderr, "%s\n", (char *) g_ptr_array_index(problems, i));
    if (problems->len)
        status = EXIT_TROUBLE;

    for (guint i = 0; i < files->len; i++) {
        domlint_result *r = domlint_check_file(ctx, g_ptr_array_index(files, i));
        guint errors = domlint_result_count(r, DOMLINT_SEV_ERROR);
        guint warnings = domlint_result_count(r, DOMLINT_SEV_WARNING);

        if (r->status == DOMLINT_FILE_FAILED) {
            fprintf(stderr, "%s: fatal: %s\n", r->file, r->failure);
            status = EXIT_TROUBLE;
        } else if ((errors || (opt->werror && warnings)) && status == EXIT_CLEAN) {
            status = EXIT_FINDINGS;
        }
        if (!json && r->status == DOMLINT_FILE_CHECKED) {
            g_autofree char *text = domlint_format_text(r, &topts);
            fputs(text, stdout);
        }
        g_ptr_array_add(results, r);
    }
    if (json) {
        g_autofree char *doc = domlint_format_json(results);
        fputs(doc, stdout);
        fputc('\n', stdout);
    }
    domlint_ctx_free(ctx);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "domlint: cannot write output\n");
        return EXIT_TROUBLE;
    }
    return status;
}

int
main(int argc, char **argv)
{
    cli_options opt = { 0 };
    g_autoptr(GError) error = NULL;
    int status;

    if (!parse_args(&argc, &argv, &opt, &error)) {
        fprintf(stderr, "domlint: %s (try 'domlint --help')\n", error->message);
        cli_options_clear(&opt);
        return EXIT_TROUBLE;
    }
    if (opt.version) {
        printf("domlint %s\nmachine knowledge: QEMU %s, libvirt %s\n", domlint_version(),
               DOMLINT_QEMU_VERSION, DOMLINT_LIBVIRT_VERSION);
        status = EXIT_CLEAN;
    } else if (opt.list_rules) {
        list_rules();
        status = EXIT_CLEAN;
    } else {
        status = run(&opt);
    }
    cli_options_clear(&opt);
    return status;
}
