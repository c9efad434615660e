/*
 * test-cli.c - the domlint command run in-process through dl_cli_run()
 *
 * Each test gives dl_cli_run() an argv and two streams in memory, and
 * looks at what it printed on each and the exit status: usage errors,
 * --help and --version, --list-rules, a fixture's findings as its golden
 * file has them, JSON that parses, standard input's name, the command
 * table.  The shell tests (tests/cli-usage.sh and others) run the binary.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "testutil.h"
#include "cli/cli.h"

#define FIXTURES DOMLINT_SRCDIR "/fixtures"
#define PARALLEL FIXTURES "/chardev/pseries-parallel.xml"
#define CLEAN FIXTURES "/machine/q35-desktop.xml"

/* What one run printed, and its exit status. */
typedef struct {
    int status;
    char *out;
    char *err;
} run_result;

static void
run_result_clear(run_result *r)
{
    g_free(r->out);
    g_free(r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(run_result, run_result_clear)

/* dl_cli_run() on the NULL-terminated words after "domlint". */
static run_result
run_words(const char *first, va_list ap)
{
    g_autoptr(GPtrArray) words = g_ptr_array_new();
    run_result r = { 0 };
    size_t out_len = 0, err_len = 0;
    FILE *out = open_memstream(&r.out, &out_len);
    FILE *err = open_memstream(&r.err, &err_len);

    cr_assert(out && err);
    g_ptr_array_add(words, (gpointer) "domlint");
    for (const char *w = first; w; w = va_arg(ap, const char *))
        g_ptr_array_add(words, (gpointer) w);
    g_ptr_array_add(words, NULL);
    r.status = dl_cli_run((int) words->len - 1, (char **) words->pdata, out, err);
    fclose(out);
    fclose(err);
    return r;
}

static run_result G_GNUC_NULL_TERMINATED
run(const char *first, ...)
{
    va_list ap;
    run_result r;

    va_start(ap, first);
    r = run_words(first, ap);
    va_end(ap);
    return r;
}

static guint
count_lines(const char *text)
{
    guint n = 0;

    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

static void
setup(void)
{
    /* the goldens' release, whatever the host has (as make check sets it) */
    g_setenv("DOMLINT_TARGET", "debian-12", TRUE);
    g_setenv("DOMLINT_DATA_DIR", DOMLINT_SRCDIR "/data", TRUE);
}

TestSuite(cli, .init = setup);

/* ------------------------------------------------------------- usage */

Test(cli, usage_errors_exit_2_with_one_line)
{
    static const char *const cases[][3] = {
        { "-j", "0", "-j takes a number of jobs from 1 up, not 0" },
        { "--color=bogus", CLEAN, "--color takes auto, always or never, not 'bogus'" },
        { "--fixx", CLEAN, "unknown option '--fixx' (did you mean '--fix'?)" },
        { "--layout", CLEAN, "--layout goes with --fix" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_auto(run_result) r = run(cases[i][0], cases[i][1], CLEAN, NULL);

        cr_assert_eq(r.status, 2, "%s: exit %d", cases[i][0], r.status);
        cr_assert_eq(count_lines(r.err), 1, "%s: not one line: %s", cases[i][0], r.err);
        test_assert_contains(r.err, cases[i][2]);
        cr_assert_str_eq(r.out, "");
    }
}

Test(cli, no_input_is_a_usage_error)
{
    g_auto(run_result) r = run(NULL, NULL);

    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "domlint: no input files (try 'domlint --help')\n");
}

Test(cli, help_goes_to_out)
{
    g_auto(run_result) r = run("--help", NULL);
    g_auto(run_result) probe = run("probe", "-h", NULL);

    cr_assert_eq(r.status, 0);
    cr_assert(g_str_has_prefix(r.out, "Usage:\n  domlint [OPTION"), "%s", r.out);
    test_assert_contains(r.out, "--list-targets");
    cr_assert_str_eq(r.err, "");
    cr_assert_eq(probe.status, 0);
    cr_assert(g_str_has_prefix(probe.out, "Usage:\n  probe [OPTION"), "%s", probe.out);
    test_assert_contains(probe.out, "--compare");
}

/* --help lists the commands; each one it lists answers its own --help */
Test(cli, help_lists_the_commands)
{
    g_auto(run_result) r = run("--help", NULL);
    const char *list = strstr(r.out, "\nCommands ");
    g_auto(GStrv) lines = NULL;
    guint listed = 0;

    cr_assert_not_null(list, "%s", r.out);
    lines = g_strsplit(strchr(list + 1, '\n') + 1, "\n", -1);
    for (guint i = 0; lines[i] && g_str_has_prefix(lines[i], "  "); i++) {
        g_auto(GStrv) words = g_strsplit(g_strstrip(lines[i]), " ", 2);
        g_auto(run_result) help = run(words[0], "--help", NULL);

        cr_assert_eq(help.status, 0, "%s --help: %s", words[0], help.err);
        cr_assert(g_str_has_prefix(help.out, "Usage:\n"), "%s", help.out);
        listed++;
    }
    cr_assert_geq(listed, 2);
    test_assert_contains(r.out, "\n  probe ");
}

Test(cli, help_after_an_unknown_option_is_an_error)
{
    /* GOption stops at the first word it cannot take, help or not */
    g_auto(run_result) r = run("--bogus", "--help", NULL);

    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "domlint: Unknown option --bogus (try 'domlint --help')\n");
    cr_assert_str_eq(r.out, "");
}

Test(cli, version)
{
    g_auto(run_result) r = run("--version", "--target=debian-12", NULL);
    g_autofree char *first = g_strdup_printf("domlint %s\n", domlint_version());

    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(g_str_has_prefix(r.out, first), "%s", r.out);
    test_assert_contains(r.out, "\ntarget: QEMU 7.2, libvirt 9.0 (debian-12: ");
    test_assert_contains(r.out, "\n  qemu     7.2 (the platform named by --target)\n");
}

Test(cli, list_rules)
{
    g_auto(run_result) text = run("--list-rules", NULL);
    g_auto(run_result) json = run("--list-rules", "--format=json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    JsonArray *rules;

    cr_assert_eq(text.status, 0);
    cr_assert_eq(count_lines(text.out), domlint_rule_count());
    cr_assert(g_str_has_prefix(text.out, domlint_rule_get(0)->id));
    cr_assert(json_parser_load_from_data(parser, json.out, -1, &error), "%s", error ? error->message : "");
    rules = json_node_get_array(json_parser_get_root(parser));
    cr_assert_eq(json_array_get_length(rules), domlint_rule_count());
}

/* ------------------------------------------------------------- checking */

Test(cli, findings_as_the_golden_file_has_them)
{
    g_autofree char *expected = NULL;
    g_autofree char *got = NULL;
    g_auto(run_result) r = { 0 };

    cr_assert(g_file_get_contents(FIXTURES "/chardev/pseries-parallel.expected", &expected, NULL, NULL));
    cr_assert_eq(chdir(FIXTURES "/chardev"), 0);
    r = run("--color=never", "--no-config", "--format=text-short", "pseries-parallel.xml", NULL);
    got = g_strdup_printf("%s%sexit: %d\n", r.out, r.err, r.status);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(got, expected);
}

Test(cli, colour_only_when_asked_for_a_stream_without_a_terminal)
{
    g_auto(run_result) plain = run("--no-config", PARALLEL, NULL);
    g_auto(run_result) colour = run("--no-config", "--color=always", PARALLEL, NULL);

    cr_assert_null(strchr(plain.out, '\033'), "colour on a memory stream: %s", plain.out);
    cr_assert_not_null(strchr(colour.out, '\033'));
}

Test(cli, json_parses)
{
    g_auto(run_result) r = run("--no-config", "--format=json", PARALLEL, CLEAN, NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    JsonObject *doc;
    JsonArray *files;

    cr_assert_eq(r.status, 1);
    cr_assert(json_parser_load_from_data(parser, r.out, -1, &error), "%s: %s",
              error ? error->message : "", r.out);
    doc = json_node_get_object(json_parser_get_root(parser));
    files = json_object_get_array_member(doc, "files");
    cr_assert_eq(json_array_get_length(files), 2);
    cr_assert_str_eq(json_object_get_string_member(json_array_get_object_element(files, 0), "file"),
                     PARALLEL);
}

Test(cli, stdin_is_named_stdin)
{
    cr_assert_not_null(freopen(PARALLEL, "r", stdin));
    g_auto(run_result) r = run("--no-config", "--format=text-short", "-", NULL);

    cr_assert_eq(r.status, 1);
    cr_assert(g_str_has_prefix(r.out, "<stdin>:15:5: error: "), "%s", r.out);
}

Test(cli, fix_writes_xml_on_out_and_the_report_on_err)
{
    cr_assert_not_null(freopen(PARALLEL, "r", stdin));
    g_auto(run_result) r = run("--no-config", "--fix", "-", NULL);

    cr_assert(g_str_has_prefix(r.out, "<domain"), "%s", r.out);
    test_assert_contains(r.err, "<stdin>:");
}

Test(cli, a_word_that_is_no_command_is_a_file)
{
    g_auto(run_result) r = run("no-such-command", NULL);

    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, "no-such-command: fatal: cannot open: No such file or directory\n");
}

Test(cli, check_is_the_default_command)
{
    g_auto(run_result) plain = run("--no-config", "--format=text-short", PARALLEL, NULL);
    g_auto(run_result) check = run("check", "--no-config", "--format=text-short", PARALLEL, NULL);
    g_auto(run_result) help = run("check", "--help", NULL);

    cr_assert_eq(check.status, plain.status);
    cr_assert_str_eq(check.out, plain.out);
    cr_assert_str_eq(check.err, plain.err);
    /* its usage line names the program, not the command */
    cr_assert(g_str_has_prefix(help.out, "Usage:\n  domlint [OPTION"), "%s", help.out);
}

Test(cli, an_empty_directory_is_a_warning)
{
    g_autofree char *dir = g_dir_make_tmp("test-cli-XXXXXX", NULL);
    g_auto(run_result) alone = run(dir, NULL);
    g_auto(run_result) beside = run("--no-config", dir, CLEAN, NULL);
    g_autofree char *warning = g_strdup_printf("%s: warning: no *.xml files under this directory\n", dir);

    g_rmdir(dir);
    cr_assert_eq(alone.status, 2);
    cr_assert_str_eq(alone.err, warning);
    cr_assert_eq(beside.status, 0);
    test_assert_contains(beside.err, warning);
}

Test(cli, runs_again_in_the_same_process)
{
    for (int i = 0; i < 3; i++) {
        g_auto(run_result) r = run("--no-config", "--no-schema", "--format=text-short", PARALLEL, NULL);

        cr_assert_eq(r.status, 1, "run %d: exit %d", i, r.status);
        cr_assert(g_str_has_prefix(r.out, PARALLEL ":15:5: error: "), "run %d: %s", i, r.out);
    }
}
