/*
 * check-main.c - `domlint [check] FILE...`: the check command
 *
 * argv into options (check-args.c), the words into files (the library's
 * domlint_inputs), each file to the context of its config file's group
 * (conffile.c), checked or fixed, on -j threads when it can (jobs.c), and
 * the results into a report and an exit status.  All checking lives in
 * libdomlint.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "domlint.h"
#include "cli/check.h"
#include "cli/cli.h"
#include "cli/conffile.h"
#include "cli/diff.h"
#include "cli/jobs.h"
#include "cli/memory.h"

/* One run of the check command: what every step reads, and what it leaves for the end. */
typedef struct {
    const dl_check_args *opt;
    FILE *out;
    FILE *err;
    dl_configs *configs;        /* the config files the groups borrow theirs from, or NULL */
    GPtrArray *files;           /* what to check, in order (owned) */
    GPtrArray *groups;          /* of dl_run_group*: the files' contexts (owned) */
    guint *group_of;            /* each file's group */
} check_run;

/*
 * A run's contexts are not taken apart at exit: freeing the compiled schema
 * alone costs a tenth of a one-file run, and the process is about to give
 * all of it back.  Held here, they stay reachable, so LeakSanitizer does not
 * call them a leak (git's UNLEAK does the same); volatile, or the compiler
 * drops a store nothing reads.  A libvirt connection is still closed
 * properly.
 */
static GPtrArray *volatile left_for_exit;

static void
check_run_clear(check_run *run)
{
    for (guint i = 0; run->groups && i < run->groups->len; i++) {
        dl_run_group *g = g_ptr_array_index(run->groups, i);

        if (g->ctx && run->opt->connect) {
            domlint_ctx_free(g->ctx);
        } else if (g->ctx) {
            if (!left_for_exit)
                left_for_exit = g_ptr_array_new();
            g_ptr_array_add(left_for_exit, g->ctx);
        }
        dl_run_group_free(g);
    }
    if (run->groups)
        g_ptr_array_free(run->groups, TRUE);
    dl_configs_free(run->configs);
    if (run->files)
        g_ptr_array_unref(run->files);
    g_free(run->group_of);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(check_run, check_run_clear)

/* Colour on STREAM: 'auto' means its file descriptor is a terminal that can show it. */
static gboolean
want_color(const char *when, FILE *stream)
{
    if (!when || strcmp(when, "auto") == 0)
        return isatty(fileno(stream)) && !g_getenv("NO_COLOR") && g_strcmp0(g_getenv("TERM"), "dumb") != 0;
    return strcmp(when, "always") == 0;
}

static int
status_of(const domlint_result *r, gboolean werror)
{
    if (r->status == DOMLINT_FILE_FAILED)
        return DL_EXIT_TROUBLE;
    if (domlint_result_count(r, DOMLINT_SEV_ERROR) ||
        (werror && domlint_result_count(r, DOMLINT_SEV_WARNING)))
        return DL_EXIT_FINDINGS;
    return DL_EXIT_CLEAN;
}

/* --fix for one file: the repaired text goes to OUT, a diff, or the file itself. */
static domlint_result *
fix_one(const check_run *run, domlint_ctx *ctx, const char *path)
{
    const dl_check_args *opt = run->opt;
    g_autofree char *fixed = NULL;
    gsize len = 0, fixed_len = 0;
    g_autofree char *data = domlint_read_input(path, &len, NULL);
    const char *name = domlint_input_name(path);
    g_autoptr(GError) error = NULL;
    domlint_result *r;

    if (!data) {
        /* let the library word the failure the way a check would */
        return domlint_check_file(ctx, path);
    }
    r = domlint_fix_memory(ctx, name, data, len, &fixed, &fixed_len);
    /* a repair made while memory ran out may lack parts: nothing is written */
    if (!fixed || dl_cli_memory_failed())
        return r;
    if (opt->diff) {
        if (!dl_cli_print_diff(run->out, name, data, len, fixed, fixed_len))
            fprintf(run->err, "%s: cannot run diff(1)\n", name);
    } else if (opt->in_place) {
        gboolean same = fixed_len == len && memcmp(fixed, data, len) == 0;
        if (!same && !domlint_save_atomic(path, fixed, fixed_len, data, len, &error)) {
            r->status = DOMLINT_FILE_FAILED;
            r->failure = g_strdup(error->message);
        }
    } else {
        fwrite(fixed, 1, fixed_len, run->out);
    }
    return r;
}

/* File I of the run, with the context of its group (a dl_cli_work). */
static domlint_result *
process_file(guint i, gpointer user)
{
    const check_run *run = user;
    const dl_run_group *g = g_ptr_array_index(run->groups, run->group_of[i]);
    const char *path = g_ptr_array_index(run->files, i);

    return run->opt->fix ? fix_one(run, g->ctx, path) : domlint_check_file(g->ctx, path);
}

/* Options that go together, or not: FALSE, saying why on ERR, when they do not. */
static gboolean
usage_fits(const dl_check_args *opt, FILE *err)
{
    if (!opt->inputs || !opt->inputs[0]) {
        fprintf(err, "domlint: no input files (try 'domlint --help')\n");
        return FALSE;
    }
    if ((opt->in_place || opt->diff) && !opt->fix) {
        fprintf(err, "domlint: --in-place and --diff go with --fix\n");
        return FALSE;
    }
    if (opt->layout && !opt->fix) {
        fprintf(err, "domlint: --layout goes with --fix\n");
        return FALSE;
    }
    if (opt->in_place && opt->diff) {
        fprintf(err, "domlint: choose one of --in-place and --diff\n");
        return FALSE;
    }
    if (opt->config && opt->no_config) {
        fprintf(err, "domlint: choose one of --config and --no-config\n");
        return FALSE;
    }
    for (gsize i = 0; opt->in_place && opt->inputs[i]; i++) {
        if (strcmp(opt->inputs[i], "-") == 0) {
            fprintf(err, "domlint: --in-place rewrites a file, and '-' is standard input: give a file, or leave out --in-place to get the repaired XML on standard output\n");
            return FALSE;
        }
    }
    return TRUE;
}

/* What the command line sets that no config file has (caller frees). */
static domlint_options *
base_options(const dl_check_args *opt)
{
    domlint_options *options = domlint_options_new();
    g_autofree char *db = opt->machine_db ? g_strdup(opt->machine_db) : domlint_data_dir("machines");
    /* one file, as a pre-commit hook or a lint step before virsh define runs it */
    gboolean one_file = !opt->inputs[1] &&
        (strcmp(opt->inputs[0], "-") == 0 || !g_file_test(opt->inputs[0], G_FILE_TEST_IS_DIR));

    domlint_options_set_machine_db(options, db);
    domlint_options_set_no_schema(options, opt->no_schema);
    domlint_options_set_qemu(options, opt->qemu);
    domlint_options_set_connect(options, opt->connect);
    domlint_options_set_layout(options, opt->layout);
    domlint_options_set_fix_safe_only(options, g_strcmp0(opt->fix_class, "safe") == 0);
    domlint_options_set_load_in_parallel(options, one_file);
    return options;
}

/*
 * The files the inputs name into FILES.  A directory with no *.xml is
 * warned about as it is met, one that cannot be read is named after all
 * of them; FALSE when there was one.
 */
static gboolean
collect_files(const dl_check_args *opt, GPtrArray *files, FILE *err)
{
    g_autoptr(domlint_inputs) inputs = domlint_inputs_new((const char *const *) opt->inputs);
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
    const char *path;
    GError *error = NULL;

    while (domlint_inputs_next(inputs, &path, &error)) {
        if (!error)
            g_ptr_array_add(files, g_strdup(path));
        else if (error->code == DOMLINT_INPUT_ERROR_NO_XML)
            fprintf(err, "%s: warning: %s\n", path, error->message);
        else
            g_ptr_array_add(problems, g_strdup_printf("%s: fatal: %s", path, error->message));
        g_clear_error(&error);
    }
    for (guint i = 0; i < problems->len; i++)
        fprintf(err, "%s\n", (char *) g_ptr_array_index(problems, i));
    return problems->len == 0;
}

/* What the command line itself sets, in the terms of a config file. */
static void
cli_settings(const dl_check_args *opt, dl_settings *s)
{
    s->disable = dl_cli_split_lists(opt->disable);
    s->enable = dl_cli_split_lists(opt->enable);
    s->werror = opt->werror ? 1 : -1;
    s->host = opt->host ? 1 : -1;
    s->spare_ports = opt->spare_ports != DL_CHECK_UNSET ? opt->spare_ports : -1;
    s->target = g_strdup(opt->target);
    s->schema_dir = g_strdup(opt->schema_dir);
    s->format = g_strdup(opt->format);
}

/*
 * Each file with the settings of its config file, and a context for each
 * config: the run's output format, or NULL after saying on ERR why not.
 */
static const char *
start_groups(check_run *run, const domlint_options *base)
{
    g_autoptr(GError) error = NULL;
    dl_settings cli = { 0 };
    const char *format = NULL;
    gboolean assigned;

    run->configs = run->opt->no_config ? NULL : dl_configs_new(run->opt->config);
    run->group_of = g_new0(guint, MAX(run->files->len, 1));
    cli_settings(run->opt, &cli);
    assigned = dl_run_groups_assign(run->configs, run->files, &cli, base, run->groups, run->group_of, &error);
    dl_settings_clear(&cli);
    format = assigned ? dl_run_groups_format(run->groups, &error) : NULL;
    if (!format || !dl_run_groups_start(run->groups, &error)) {
        if (!dl_cli_out_of_memory(run->err))
            fprintf(run->err, "domlint: %s\n", error->message);
        return NULL;
    }
    if (dl_cli_out_of_memory(run->err))
        return NULL;
    return format;
}

/*
 * --statistics, then the summary (text format, unless --quiet; when there
 * is more than one file or finding), both on ERR: a report on OUT stays
 * what tools parse.  The report is flushed first, so that 2>&1 keeps the
 * order.
 */
static void
print_closing(const check_run *run, GPtrArray *results, FILE *report, gboolean text)
{
    guint findings = 0;

    for (guint i = 0; i < results->len; i++)
        findings += ((const domlint_result *) g_ptr_array_index(results, i))->diags->len;
    fflush(report);
    if (run->opt->statistics) {
        g_autofree char *table = domlint_format_statistics(results);
        fputs(table, run->err);
    }
    if (text && !run->opt->quiet && (results->len > 1 || findings > 1)) {
        g_autofree char *line = domlint_format_summary(results);
        fputs(line, run->err);
    }
}

/* One JSON or SARIF document for RESULTS, with the target of the first file's group. */
static void
print_document(const check_run *run, GPtrArray *results, gboolean json, FILE *report)
{
    const dl_run_group *first = g_ptr_array_index(run->groups, run->group_of[0]);
    domlint_target_info target;
    g_autofree char *doc = NULL;

    domlint_ctx_target(first->ctx, &target, NULL);
    doc = json ? domlint_format_json(results, &target) : domlint_format_sarif(results, &target);
    fputs(doc, report);
    fputc('\n', report);
}

static int
run_check(const dl_check_args *opt, FILE *out, FILE *err)
{
    g_auto(check_run) run = { .opt = opt, .out = out, .err = err };
    g_autoptr(domlint_options) base = NULL;
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
    g_autoptr(domlint_text_options) topts = domlint_text_options_new();
    const char *format;
    gboolean json, sarif, text_short;
    FILE *report;
    int status = DL_EXIT_CLEAN;
    int jobs;
    gboolean parallel = FALSE;
    dl_cli_pool pool = { 0 };

    if (!usage_fits(opt, err))
        return DL_EXIT_TROUBLE;
    base = base_options(opt);
    if (!dl_cli_memory_room_to_start(err))
        return DL_EXIT_TROUBLE;
    run.files = g_ptr_array_new_with_free_func(g_free);
    run.groups = g_ptr_array_new();
    /* nothing to check at all is not a clean result */
    if (!collect_files(opt, run.files, err) || run.files->len == 0)
        status = DL_EXIT_TROUBLE;

    if (opt->fix && !opt->in_place && !opt->diff && run.files->len > 1) {
        fprintf(err, "domlint: --fix writes the repaired XML to standard output: give one file, or use --in-place or --diff\n");
        return DL_EXIT_TROUBLE;
    }
    format = start_groups(&run, base);
    if (!format)
        return DL_EXIT_TROUBLE;
    json = strcmp(format, "json") == 0;
    sarif = strcmp(format, "sarif") == 0;
    text_short = strcmp(format, "text-short") == 0;
    /* with --fix the XML or the diff owns OUT, so the report goes to ERR */
    report = opt->fix && !opt->in_place ? err : out;
    domlint_text_options_set_color(topts, want_color(opt->color, report));
    domlint_text_options_set_excerpt(topts, !opt->no_excerpt && !text_short);

    /* --fix to OUT or --diff prints as it goes: only checking and --in-place run in parallel */
    jobs = dl_cli_jobs_for(opt->jobs != DL_CHECK_UNSET ? opt->jobs : 0, run.files->len);
    if (jobs > 1 && (!opt->fix || opt->in_place))
        parallel = dl_cli_pool_start(&pool, run.files->len, jobs, process_file, &run);

    for (guint i = 0; i < run.files->len; i++) {
        const dl_run_group *g = g_ptr_array_index(run.groups, run.group_of[i]);
        domlint_result *r = parallel ? dl_cli_pool_wait(&pool, i) : process_file(i, &run);
        int file_status = status_of(r, g->settings.werror > 0);

        if (dl_cli_out_of_memory(err)) {
            /* the other threads stop at their next file */
            dl_cli_pool_stop(&pool);
            domlint_result_free(r);
            status = DL_EXIT_TROUBLE;
            json = sarif = FALSE;
            break;
        }

        if (r->status == DOMLINT_FILE_FAILED)
            fprintf(err, "%s: fatal: %s\n", r->file, r->failure);
        if (file_status > status)
            status = file_status;
        if (!json && !sarif && r->status == DOMLINT_FILE_CHECKED) {
            g_autofree char *text = domlint_format_text(r, topts);
            fputs(text, report);
        }
        /* quoted if at all: only counts are needed from here on */
        g_clear_pointer(&r->text, g_free);
        g_ptr_array_add(results, r);
    }
    if (json || sarif)
        print_document(&run, results, json, report);
    print_closing(&run, results, report, !json && !sarif && !text_short);
    if (parallel)
        dl_cli_pool_finish(&pool);
    if (fflush(out) != 0) {
        fprintf(err, "domlint: cannot write output\n");
        return DL_EXIT_TROUBLE;
    }
    return status;
}

int
dl_check_main(int argc, char **argv, FILE *out, FILE *err)
{
    g_auto(dl_check_args) opt = DL_CHECK_ARGS_INIT;
    g_autoptr(GError) error = NULL;
    g_autofree char *help = NULL;

    /* libxml2 must be initialised before threads use it */
    dl_cli_memory_watch();
    xmlInitParser();
    if (!dl_check_args_parse(argc, argv, &opt, &help, &error)) {
        fprintf(err, "domlint: %s (try 'domlint --help')\n", error->message);
        return DL_EXIT_TROUBLE;
    }
    if (help) {
        fputs(help, out);
        return DL_EXIT_CLEAN;
    }
    if (opt.version)
        return dl_cli_print_version(&opt, out, err);
    if (opt.list_targets)
        return dl_cli_print_targets(&opt, out, err);
    if (opt.explain)
        return dl_cli_explain_rule(opt.explain, out, err);
    if (opt.list_rules) {
        dl_cli_list_rules(opt.format, out);
        return DL_EXIT_CLEAN;
    }
    return run_check(&opt, out, err);
}
