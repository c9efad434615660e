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
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <libxml/parser.h>

#include "domlint.h"
#include "cli/cli.h"
#include "cli/conffile.h"
#include "probe/probe.h"
#include "core/suggest.h"

enum {
    EXIT_CLEAN = 0,
    EXIT_FINDINGS = 1,
    EXIT_TROUBLE = 2,
};

/* An int option not given on the command line. */
#define CLI_UNSET G_MININT

typedef struct {
    char *format;
    char *color;
    gboolean werror;
    gboolean fix;
    char *fix_class;         /* VALUE of --fix=VALUE (owned), or NULL */
    gboolean in_place;
    gboolean diff;
    gboolean layout;
    int spare_ports;
    int jobs;
    gboolean list_rules;
    char *explain;
    gboolean no_schema;
    gboolean version;
    char *schema_dir;
    char *machine_db;
    char *qemu;
    char *connect;
    char *target;
    gboolean list_targets;
    char *config;
    gboolean no_config;
    char **disable;
    char **enable;
    char **inputs;
    gboolean no_excerpt;     /* text output: one line per finding */
    gboolean quiet;          /* no closing summary */
    gboolean statistics;     /* counts per rule at the end */
    GPtrArray *args;         /* the words of argv as parsed, -jN split in two (owned) */
    char **argv;             /* their pointers as handed to GOption, which reorders and drops them */
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
    "With --fix, 0 and 1 describe the repaired result: 1 means errors remain that\n"
    "cannot be repaired automatically (each says why).\n"
    "\n"
    "Every check runs against a target: a QEMU and a libvirt release.  --target\n"
    "names it (a platform such as debian-13 or rhel-9.6, see --list-targets, or\n"
    "qemu-X.Y,libvirt-X.Y, either part alone); without it, the QEMU and libvirt\n"
    "installed here are the target, and what is not installed is the newest\n"
    "release domlint knows.  DOMLINT_TARGET, when set, is the default --target.\n"
    "--version says which target is used and why.\n"
    "\n"
    "Set NO_COLOR to turn colour off.  Rules: domlint --list-rules.";

/* "-j4" as "-j 4", like make: GOption takes a short option's value only as the next word. */
static void
split_attached_jobs(int *argc, char ***argv, cli_options *opt)
{
    GPtrArray *args = g_ptr_array_new_with_free_func(g_free);

    for (int i = 0; i < *argc; i++) {
        const char *a = (*argv)[i];
        if (i > 0 && g_str_has_prefix(a, "-j") && g_ascii_isdigit(a[2])) {
            g_ptr_array_add(args, g_strdup("-j"));
            g_ptr_array_add(args, g_strdup(a + 2));
            continue;
        }
        if (i > 0 && g_str_has_prefix(a, "--fix=")) {
            /* GOption's optional values would take "--fix vm.xml" as a value: split here */
            g_free(opt->fix_class);
            opt->fix_class = g_strdup(a + strlen("--fix="));
            g_ptr_array_add(args, g_strdup("--fix"));
            continue;
        }
        if (strcmp(a, "--") == 0) {
            for (; i < *argc; i++)
                g_ptr_array_add(args, g_strdup((*argv)[i]));
            break;
        }
        g_ptr_array_add(args, g_strdup(a));
    }
    opt->args = args;
    opt->argv = g_new0(char *, args->len + 1);
    for (guint i = 0; i < args->len; i++)
        opt->argv[i] = g_ptr_array_index(args, i);
    *argc = (int) args->len;
    *argv = opt->argv;
}

static const char *const colors[] = { "auto", "always", "never", NULL };

/* Values GOption took but domlint refuses: a usage error, exit 2. */
static gboolean
check_values(const cli_options *opt, GError **error)
{
    if (opt->jobs != CLI_UNSET && opt->jobs < 1) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "-j takes a number of jobs from 1 up, not %d", opt->jobs);
        return FALSE;
    }
    if (opt->fix_class && strcmp(opt->fix_class, "safe") != 0 && strcmp(opt->fix_class, "all") != 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--fix takes safe or all, not '%s'", opt->fix_class);
        return FALSE;
    }
    if (opt->spare_ports != CLI_UNSET && (opt->spare_ports < 0 || opt->spare_ports > 255)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--spare-ports takes a number from 0 to 255, not %d", opt->spare_ports);
        return FALSE;
    }
    return dl_cli_check_choice("--format", opt->format, dl_cli_formats, error) &&
           dl_cli_check_choice("--color", opt->color, colors, error);
}

static gboolean
parse_args(int *argc, char ***argv, cli_options *opt, GError **error)
{
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &opt->format,
          "Output format: text (default: each error and warning with its source line, then a summary on standard error), text-short (one line per finding and nothing else, for tools), json, or sarif (SARIF 2.1.0, for code scanning)", "FORMAT" },
        { "no-excerpt", 0, 0, G_OPTION_ARG_NONE, &opt->no_excerpt,
          "Text output without source lines: one line per finding (the summary stays)", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt->quiet,
          "No closing summary on standard error (\"3 errors, 1 warning in 2 of 40 files\"; text format only)", NULL },
        { "statistics", 0, 0, G_OPTION_ARG_NONE, &opt->statistics,
          "At the end, on standard error, count the findings per rule and severity (any format)", NULL },
        { "werror", 0, 0, G_OPTION_ARG_NONE, &opt->werror,
          "Treat warnings as errors", NULL },
        { "fix", 0, 0, G_OPTION_ARG_NONE, &opt->fix,
          "Repair what can be repaired: the fixed XML goes to standard output, the report to standard error. --fix=safe repairs only what the guest cannot see (no device moves, no renamed disks); --fix=all is --fix", NULL },
        { "in-place", 'i', 0, G_OPTION_ARG_NONE, &opt->in_place,
          "With --fix: replace each file atomically (a symlink's target; mode kept)", NULL },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &opt->jobs,
          "Check N files at a time (default: the number of CPUs; at most 4 per CPU); output order is the same as with -j 1", "N" },
        { "diff", 0, 0, G_OPTION_ARG_NONE, &opt->diff,
          "With --fix: print a unified diff of the repairs and change nothing", NULL },
        { "layout", 0, 0, G_OPTION_ARG_NONE, &opt->layout,
          "With --fix: also write the PCI address libvirt would give every device without one, and the controllers libvirt would add, so the file pins its layout", NULL },
        { "spare-ports", 0, 0, G_OPTION_ARG_INT, &opt->spare_ports,
          "Want N empty pcie-root-ports for hotplug on PCI Express machines (q35, ARM virt): warn when fewer; with --fix add them (implies --layout). Default: libvirt's one spare for a new domain", "N" },
        { "disable", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt->disable,
          "Turn off RULE (repeatable, or comma-separated; 'all' for every rule)", "RULE" },
        { "enable", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt->enable,
          "Turn on RULE again after --disable", "RULE" },
        { "list-rules", 0, 0, G_OPTION_ARG_NONE, &opt->list_rules,
          "Print every rule id with its summary and exit", NULL },
        { "explain", 0, 0, G_OPTION_ARG_STRING, &opt->explain,
          "Print what RULE checks, why, an example, and what --fix does about it", "RULE" },
        { "no-schema", 0, 0, G_OPTION_ARG_NONE, &opt->no_schema,
          "Skip validation against libvirt's RELAX NG schema", NULL },
        { "schema-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt->schema_dir,
          "Directory holding libvirt's domain.rng (default " DOMLINT_LIBVIRT_SCHEMA_DIR ")", "DIR" },
        { "machine-db", 0, 0, G_OPTION_ARG_FILENAME, &opt->machine_db,
          "Machine-type knowledge base directory (default: the installed one)", "DIR" },
        { "qemu", 0, 0, G_OPTION_ARG_FILENAME, &opt->qemu,
          "Check against what this QEMU binary has: its machine types and aliases, probed once and cached", "BIN" },
        { "connect", 0, 0, G_OPTION_ARG_STRING, &opt->connect,
          "Also check against what the libvirt at URI can run: emulator, machine, buses, models, vCPUs (domain capabilities)", "URI" },
        { "target", 't', 0, G_OPTION_ARG_STRING, &opt->target,
          "Check for this release: a platform (debian-13, ubuntu-24.04, rhel-9.6...), or qemu-X.Y,libvirt-X.Y (either part alone), 'host' or 'newest'. Default: what is installed here, else the newest known", "SPEC" },
        { "list-targets", 0, 0, G_OPTION_ARG_NONE, &opt->list_targets,
          "Print the named platforms --target accepts, with their QEMU and libvirt releases, and exit", NULL },
        { "color", 0, 0, G_OPTION_ARG_STRING, &opt->color,
          "Colour: auto (default: on a terminal, unless NO_COLOR), always, never", "WHEN" },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &opt->version,
          "Print the version, the releases the knowledge covers, and the target (with --target: that one) and why", NULL },
        { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt->config,
          "Take settings from FILE, not from the " DL_CONFIG_NAME " found above each checked file", "FILE" },
        { "no-config", 0, 0, G_OPTION_ARG_NONE, &opt->no_config, "Read no " DL_CONFIG_NAME, NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->inputs, NULL, "FILE|DIR|-..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) octx = g_option_context_new(NULL);

    g_option_context_set_summary(octx, summary_text);
    g_option_context_set_description(octx, description_text);
    g_option_context_add_main_entries(octx, entries, NULL);
    split_attached_jobs(argc, argv, opt);
    if (!g_option_context_parse(octx, argc, argv, error)) {
        dl_cli_explain_unknown_option(entries, (char **) opt->args->pdata, opt->args->len, *error);
        return FALSE;
    }
    return check_values(opt, error);
}

/* Colour on the stream FD: 'auto' means FD is a terminal that can show it. */
static gboolean
want_color(const char *when, int fd)
{
    if (!when || strcmp(when, "auto") == 0)
        return isatty(fd) && !g_getenv("NO_COLOR") && g_strcmp0(g_getenv("TERM"), "dumb") != 0;
    return strcmp(when, "always") == 0;
}

static void
list_rules(const char *format)
{
    g_autoptr(JsonBuilder) b = NULL;
    g_autoptr(JsonGenerator) gen = NULL;
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;

    if (g_strcmp0(format, "json") != 0) {
        for (guint i = 0; i < domlint_rule_count(); i++) {
            const domlint_rule_info *r = domlint_rule_get(i);
            printf("%-34s %s\n", r->id, r->summary);
        }
        return;
    }
    b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < domlint_rule_count(); i++) {
        const domlint_rule_info *r = domlint_rule_get(i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_string_value(b, r->id);
        json_builder_set_member_name(b, "summary");
        json_builder_add_string_value(b, r->summary);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    root = json_builder_get_root(b);
    gen = json_generator_new();
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_root(gen, root);
    text = json_generator_to_data(gen, NULL);
    printf("%s\n", text);
}

static int
explain_rule(const char *id)
{
    g_autofree char *text = NULL;
    g_autofree char *url = NULL;
    g_autoptr(GError) error = NULL;

    if (!domlint_rule_find(id)) {
        g_autofree char *message = dl_rule_unknown_message(id);
        fprintf(stderr, "domlint: %s\n", message);
        return EXIT_TROUBLE;
    }
    text = domlint_rule_explain(id, &error);
    if (!text) {
        fprintf(stderr, "domlint: no documentation for rule '%s': %s\n", id, error->message);
        return EXIT_TROUBLE;
    }
    url = domlint_rule_doc_url(id);
    printf("%s\nDocumentation\n  %s\n", text, url);
    return EXIT_CLEAN;
}

static void
cli_options_clear(cli_options *opt)
{
    g_free(opt->explain);
    g_free(opt->format);
    g_free(opt->color);
    g_free(opt->schema_dir);
    g_free(opt->machine_db);
    g_free(opt->qemu);
    g_free(opt->connect);
    g_free(opt->target);
    g_free(opt->config);
    g_free(opt->fix_class);
    g_strfreev(opt->disable);
    g_strfreev(opt->enable);
    g_strfreev(opt->inputs);
    if (opt->args)
        g_ptr_array_unref(opt->args);
    g_free(opt->argv);
}

/* A unified diff of OLD and NEW, by diff(1), on standard output. */
static gboolean
print_diff(const char *name, const char *old, gsize old_len, const char *new, gsize new_len)
{
    g_autofree char *dir = g_dir_make_tmp("domlint-diff-XXXXXX", NULL);
    g_autofree char *a = NULL, *b = NULL, *out = NULL, *label_a = NULL, *label_b = NULL;
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
                          NULL, NULL, &out, NULL, &wait_status, NULL);
        if (ok && out)
            fputs(out, stdout);
    }
    g_unlink(a);
    g_unlink(b);
    g_rmdir(dir);
    return ok;
}

static int
status_of(const domlint_result *r, gboolean werror)
{
    if (r->status == DOMLINT_FILE_FAILED)
        return EXIT_TROUBLE;
    if (domlint_result_count(r, DOMLINT_SEV_ERROR) ||
        (werror && domlint_result_count(r, DOMLINT_SEV_WARNING)))
        return EXIT_FINDINGS;
    return EXIT_CLEAN;
}

/*
 * Running out of memory.  libxml2 answers a failed allocation by giving up
 * on what it was doing and printing a line, so a schema would seem broken
 * or a file malformed: its allocations are watched, its raw lines
 * silenced, and a run in which one failed ends with "out of memory".
 */
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

/* Before xmlInitParser(); every error domlint reports comes through the
 * structured handlers, so only libxml2's own raw lines are lost. */
static void
xml_watch_memory(void)
{
    xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
    xmlThrDefSetGenericErrorFunc(NULL, xml_quiet);
    xmlSetGenericErrorFunc(NULL, xml_quiet);
}

static gboolean
out_of_memory(void)
{
    if (!g_atomic_int_get(&xml_alloc_failed))
        return FALSE;
    fprintf(stderr, "domlint: out of memory\n");
    return TRUE;
}

/* --fix for one file: the repaired text goes to stdout, a diff, or the file itself. */
static domlint_result *
fix_one(domlint_ctx *ctx, const cli_options *opt, const char *path)
{
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
    if (!fixed || g_atomic_int_get(&xml_alloc_failed))
        return r;
    if (opt->diff) {
        if (!print_diff(name, data, len, fixed, fixed_len))
            fprintf(stderr, "%s: cannot run diff(1)\n", name);
    } else if (opt->in_place) {
        gboolean same = fixed_len == len && memcmp(fixed, data, len) == 0;
        if (!same && !domlint_save_atomic(path, fixed, fixed_len, data, len, &error)) {
            r->status = DOMLINT_FILE_FAILED;
            r->failure = g_strdup(error->message);
        }
    } else {
        fwrite(fixed, 1, fixed_len, stdout);
    }
    return r;
}

static domlint_result *
process_file(domlint_ctx *ctx, const cli_options *opt, const char *path)
{
    return opt->fix ? fix_one(ctx, opt, path) : domlint_check_file(ctx, path);
}

/*
 * -j: files are checked by JOBS threads that share the contexts: the
 * compiled schema and the knowledge are only read while checking (libxml2
 * keeps what validation changes in each call's own validation context), so
 * memory does not grow with -j.  Each thread takes the next file not yet
 * taken and checks it with the context of the file's group (its config
 * file); results are collected by position so that they are printed in
 * input order.
 */
typedef struct {
    const cli_options *opt;
    GPtrArray *files;
    GPtrArray *groups;          /* of dl_run_group* */
    const guint *group_of;      /* each file's group */
    domlint_result **results;
    GPtrArray *threads;
    gint next;                  /* the next file to take */
    GMutex lock;
    GCond ready;
} pool_state;

static gpointer
pool_work(gpointer user)
{
    pool_state *st = user;

    for (;;) {
        guint i = (guint) g_atomic_int_add(&st->next, 1);
        const dl_run_group *g;
        domlint_result *r;

        if (i >= st->files->len)
            return NULL;
        g = g_ptr_array_index(st->groups, st->group_of[i]);
        r = process_file(g->ctx, st->opt, g_ptr_array_index(st->files, i));
        g_mutex_lock(&st->lock);
        st->results[i] = r;
        g_cond_broadcast(&st->ready);
        g_mutex_unlock(&st->lock);
    }
}

/*
 * Start checking FILES on up to JOBS threads; results arrive in
 * ST->results.  When the system gives fewer threads (a memory or process
 * limit), those run the whole list; FALSE when it gives none, and then the
 * caller checks the files itself.
 */
static gboolean
pool_start(pool_state *st, const cli_options *opt, GPtrArray *files, GPtrArray *groups,
           const guint *group_of, int jobs)
{
    st->opt = opt;
    st->files = files;
    st->groups = groups;
    st->group_of = group_of;
    st->results = g_new0(domlint_result *, files->len);
    st->threads = g_ptr_array_new();
    g_mutex_init(&st->lock);
    g_cond_init(&st->ready);
    for (int j = 0; j < jobs; j++) {
        GThread *t = g_thread_try_new("domlint-check", pool_work, st, NULL);

        if (!t)
            break;
        g_ptr_array_add(st->threads, t);
    }
    return st->threads->len > 0;
}

static domlint_result *
pool_wait(pool_state *st, guint i)
{
    domlint_result *r;

    g_mutex_lock(&st->lock);
    while (!st->results[i])
        g_cond_wait(&st->ready, &st->lock);
    r = st->results[i];
    /* the caller's now */
    st->results[i] = NULL;
    g_mutex_unlock(&st->lock);
    return r;
}

static void
pool_finish(pool_state *st)
{
    for (guint i = 0; i < st->threads->len; i++)
        g_thread_join(g_ptr_array_index(st->threads, i));
    g_ptr_array_unref(st->threads);
    /* results nobody waited for: the run stopped early */
    for (guint i = 0; i < st->files->len; i++)
        domlint_result_free(st->results[i]);
    g_free(st->results);
    g_mutex_clear(&st->lock);
    g_cond_clear(&st->ready);
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

/* Room under an address space limit (ulimit -v), in bytes; G_MAXUINT64 without one. */
static guint64
room_left(void)
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

static gboolean
room_to_start(void)
{
    guint64 room = room_left();

    if (room >= DL_ROOM_TO_START)
        return TRUE;
    fprintf(stderr, "domlint: out of memory: the address space limit (ulimit -v) leaves %" G_GUINT64_FORMAT " MB, and checking needs %d MB more\n",
            room >> 20, DL_ROOM_TO_START >> 20);
    return FALSE;
}

/*
 * Under an address space limit (ulimit -v), each thread takes a stack and
 * glibc a malloc arena of 64 MB (128 MB while it is made); a thread whose
 * arena does not fit gets its memory a page at a time and soon has none.
 * So the threads get at most a quarter of the room left, their arenas at
 * most half; the rest is for the files' trees.
 */
static int
jobs_within_limit(int jobs)
{
    const guint64 arena = 128 << 20;
    struct rlimit stack;
    guint64 room = room_left(), stack_size = 8 << 20, threads;

    if (room == G_MAXUINT64)
        return jobs;
    if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY)
        stack_size = MAX(stack.rlim_cur, 1 << 20);
    threads = CLAMP(room / 4 / stack_size, 1, (guint64) jobs);
#ifdef M_ARENA_MAX
    mallopt(M_ARENA_MAX, (int) (1 + MIN(room / 2 / arena, threads)));
#else
    (void) arena;
#endif
    return (int) threads;
}

/*
 * How many threads -j N gets: no more than there are files, no more than
 * four per CPU, as checking waits for nothing but the CPU, and no more
 * than fit under an address space limit.
 */
static int
jobs_for(const cli_options *opt, guint files)
{
    int cpus = (int) g_get_num_processors();
    int jobs = opt->jobs != CLI_UNSET ? opt->jobs : cpus;

    jobs = (int) MIN((guint) MIN(jobs, 4 * cpus), files);
    return jobs > 1 ? jobs_within_limit(jobs) : jobs;
}

/*
 * A run's contexts are not taken apart at exit: freeing the compiled schema
 * alone costs a tenth of a one-file run, and the process is about to give
 * all of it back.  Held here, they stay reachable, so LeakSanitizer does not
 * call them a leak (git's UNLEAK does the same); volatile, or the compiler
 * drops a store nothing reads.  A libvirt connection is still closed
 * properly.
 */
static GPtrArray *volatile left_for_exit;
/* --connect of this run: its contexts hold a connection */
static const char *run_connect;

static void
group_done(gpointer p)
{
    dl_run_group *g = p;

    if (g->ctx && run_connect) {
        domlint_ctx_free(g->ctx);
    } else if (g->ctx) {
        if (!left_for_exit)
            left_for_exit = g_ptr_array_new();
        g_ptr_array_add(left_for_exit, g->ctx);
    }
    dl_run_group_free(g);
}

/* What the command line itself sets, in the terms of a config file. */
static void
cli_settings(const cli_options *opt, dl_settings *s)
{
    s->disable = dl_cli_split_lists(opt->disable);
    s->enable = dl_cli_split_lists(opt->enable);
    s->werror = opt->werror ? 1 : -1;
    s->spare_ports = opt->spare_ports != CLI_UNSET ? opt->spare_ports : -1;
    s->target = g_strdup(opt->target);
    s->schema_dir = g_strdup(opt->schema_dir);
    s->format = g_strdup(opt->format);
}

/*
 * --statistics, then the summary (text format, unless --quiet; when there
 * is more than one file or finding), both on standard error: a report on
 * standard output stays what tools parse.  The report is flushed first, so
 * that 2>&1 keeps the order.
 */
static void
print_closing(const cli_options *opt, GPtrArray *results, FILE *report, gboolean text)
{
    guint findings = 0;

    for (guint i = 0; i < results->len; i++)
        findings += ((const domlint_result *) g_ptr_array_index(results, i))->diags->len;
    fflush(report);
    if (opt->statistics) {
        g_autofree char *table = domlint_format_statistics(results);
        fputs(table, stderr);
    }
    if (text && !opt->quiet && (results->len > 1 || findings > 1)) {
        g_autofree char *line = domlint_format_summary(results);
        fputs(line, stderr);
    }
}

static int
run(cli_options *opt)
{
    g_autofree char *db = opt->machine_db ? g_strdup(opt->machine_db) : domlint_data_dir("machines");
    g_autoptr(domlint_options) lopts = domlint_options_new();
    g_autoptr(domlint_inputs) inputs = NULL;
    const char *input;
    GError *input_error = NULL;
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_configs) configs = opt->no_config ? NULL : dl_configs_new(opt->config);
    g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(group_done);
    dl_settings cli = { 0 };
    gboolean assigned;
    g_autofree guint *group_of = NULL;
    g_autoptr(domlint_text_options) topts = domlint_text_options_new();
    gboolean color = want_color(opt->color, STDOUT_FILENO);
    const char *format;
    gboolean json, sarif, text_short;
    FILE *report;
    int status = EXIT_CLEAN;
    int jobs;
    gboolean parallel = FALSE;
    pool_state st = { 0 };

    run_connect = opt->connect;
    if (!opt->inputs || !opt->inputs[0]) {
        fprintf(stderr, "domlint: no input files (try 'domlint --help')\n");
        return EXIT_TROUBLE;
    }
    if ((opt->in_place || opt->diff) && !opt->fix) {
        fprintf(stderr, "domlint: --in-place and --diff go with --fix\n");
        return EXIT_TROUBLE;
    }
    if (opt->layout && !opt->fix) {
        fprintf(stderr, "domlint: --layout goes with --fix\n");
        return EXIT_TROUBLE;
    }
    if (opt->in_place && opt->diff) {
        fprintf(stderr, "domlint: choose one of --in-place and --diff\n");
        return EXIT_TROUBLE;
    }
    if (opt->config && opt->no_config) {
        fprintf(stderr, "domlint: choose one of --config and --no-config\n");
        return EXIT_TROUBLE;
    }
    for (gsize i = 0; opt->in_place && opt->inputs[i]; i++) {
        if (strcmp(opt->inputs[i], "-") == 0) {
            fprintf(stderr, "domlint: --in-place rewrites a file, and '-' is standard input: give a file, or leave out --in-place to get the repaired XML on standard output\n");
            return EXIT_TROUBLE;
        }
    }
    domlint_options_set_machine_db(lopts, db);
    domlint_options_set_no_schema(lopts, opt->no_schema);
    domlint_options_set_qemu(lopts, opt->qemu);
    domlint_options_set_connect(lopts, opt->connect);
    domlint_options_set_layout(lopts, opt->layout);
    domlint_options_set_fix_safe_only(lopts, g_strcmp0(opt->fix_class, "safe") == 0);
    /* one file, as a pre-commit hook or a lint step before virsh define runs it */
    domlint_options_set_load_in_parallel(lopts, !opt->inputs[1] &&
        (strcmp(opt->inputs[0], "-") == 0 || !g_file_test(opt->inputs[0], G_FILE_TEST_IS_DIR)));
    if (!room_to_start())
        return EXIT_TROUBLE;
    /* a directory without *.xml is warned about as it is met, one that cannot be read after all */
    inputs = domlint_inputs_new((const char *const *) opt->inputs);
    while (domlint_inputs_next(inputs, &input, &input_error)) {
        if (!input_error)
            g_ptr_array_add(files, g_strdup(input));
        else if (input_error->code == DOMLINT_INPUT_ERROR_NO_XML)
            fprintf(stderr, "%s: warning: %s\n", input, input_error->message);
        else
            g_ptr_array_add(problems, g_strdup_printf("%s: fatal: %s", input, input_error->message));
        g_clear_error(&input_error);
    }
    for (guint i = 0; i < problems->len; i++)
        fprintf(stderr, "%s\n", (char *) g_ptr_array_index(problems, i));
    /* nothing to check at all is not a clean result */
    if (problems->len || files->len == 0)
        status = EXIT_TROUBLE;

    if (opt->fix && !opt->in_place && !opt->diff && files->len > 1) {
        fprintf(stderr, "domlint: --fix writes the repaired XML to standard output: give one file, or use --in-place or --diff\n");
        return EXIT_TROUBLE;
    }
    /* each file with the settings of its config file, and a context for each config */
    group_of = g_new0(guint, MAX(files->len, 1));
    cli_settings(opt, &cli);
    assigned = dl_run_groups_assign(configs, files, &cli, lopts, groups, group_of, &error);
    dl_settings_clear(&cli);
    format = assigned ? dl_run_groups_format(groups, &error) : NULL;
    if (!format || !dl_run_groups_start(groups, &error)) {
        if (out_of_memory())
            return EXIT_TROUBLE;
        fprintf(stderr, "domlint: %s\n", error->message);
        return EXIT_TROUBLE;
    }
    if (out_of_memory())
        return EXIT_TROUBLE;
    json = strcmp(format, "json") == 0;
    sarif = strcmp(format, "sarif") == 0;
    text_short = strcmp(format, "text-short") == 0;
    /* with --fix the XML or the diff owns standard output, so the report goes to stderr */
    report = opt->fix && !opt->in_place ? stderr : stdout;
    if (report == stderr)
        color = want_color(opt->color, STDERR_FILENO);
    domlint_text_options_set_color(topts, color);
    domlint_text_options_set_excerpt(topts, !opt->no_excerpt && !text_short);

    /* --fix to stdout or --diff prints as it goes: only checking and --in-place run in parallel */
    jobs = jobs_for(opt, files->len);
    if (jobs > 1 && (!opt->fix || opt->in_place))
        parallel = pool_start(&st, opt, files, groups, group_of, jobs);

    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        const dl_run_group *g = g_ptr_array_index(groups, group_of[i]);
        domlint_result *r = parallel ? pool_wait(&st, i) : process_file(g->ctx, opt, path);
        int file_status = status_of(r, g->settings.werror > 0);

        if (out_of_memory()) {
            /* the other threads stop at their next file */
            g_atomic_int_set(&st.next, (gint) files->len);
            domlint_result_free(r);
            status = EXIT_TROUBLE;
            json = sarif = FALSE;
            break;
        }

        if (r->status == DOMLINT_FILE_FAILED)
            fprintf(stderr, "%s: fatal: %s\n", r->file, r->failure);
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
    if (json || sarif) {
        /* one document has one target: that of the first file's group */
        const dl_run_group *first = g_ptr_array_index(groups, group_of[0]);
        domlint_target_info target;
        g_autofree char *doc = NULL;

        domlint_ctx_target(first->ctx, &target, NULL);
        doc = json ? domlint_format_json(results, &target) : domlint_format_sarif(results, &target);
        fputs(doc, report);
        fputc('\n', report);
    }
    print_closing(opt, results, report, !json && !sarif && !text_short);
    if (parallel)
        pool_finish(&st);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "domlint: cannot write output\n");
        return EXIT_TROUBLE;
    }
    return status;
}

/* A context for --version and --list-targets: no schema, the options that decide the target. */
static domlint_ctx *
info_ctx(const cli_options *opt)
{
    g_autofree char *db = opt->machine_db ? g_strdup(opt->machine_db) : domlint_data_dir("machines");
    g_autoptr(domlint_options) lopts = domlint_options_new();
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx;

    domlint_options_set_machine_db(lopts, db);
    domlint_options_set_no_schema(lopts, TRUE);
    domlint_options_set_qemu(lopts, opt->qemu);
    domlint_options_set_target(lopts, opt->target);
    ctx = domlint_ctx_new(lopts, &error);

    if (!ctx)
        fprintf(stderr, "domlint: %s\n", error->message);
    return ctx;
}

static void
print_part(const char *product, const char *version, const char *from, const char *origin)
{
    printf("  %-8s %s (%s%s%s)\n", product, version, from, origin ? ": " : "", origin ? origin : "");
}

static int
print_version(const cli_options *opt)
{
    domlint_ctx *ctx = info_ctx(opt);
    domlint_target_info t;
    domlint_release_span span;
    g_autofree char *line = NULL;

    printf("domlint %s\n", domlint_version());
    if (!ctx)
        return EXIT_TROUBLE;
    domlint_ctx_target(ctx, &t, &line);
    domlint_ctx_releases(ctx, &span);
    printf("knowledge: QEMU %s to %s, libvirt %s to %s\n", span.qemu_oldest, span.qemu_newest,
           span.libvirt_oldest, span.libvirt_newest);
    printf("target: %s\n", line);
    print_part("qemu", t.qemu, t.qemu_from, t.qemu_origin);
    print_part("libvirt", t.libvirt, t.libvirt_from, t.libvirt_origin);
    domlint_ctx_free(ctx);
    return EXIT_CLEAN;
}

static int
print_targets(const cli_options *opt)
{
    domlint_ctx *ctx = info_ctx(opt);
    const domlint_platform_info *p;

    if (!ctx)
        return EXIT_TROUBLE;
    printf("%-14s %-6s %-8s %s\n", "TARGET", "QEMU", "LIBVIRT", "PLATFORM");
    for (guint i = 0; (p = domlint_ctx_platform(ctx, i)); i++)
        printf("%-14s %-6s %-8s %s%s%s%s\n", p->id, p->qemu, p->libvirt, p->title,
               p->vendor ? " (machine types of " : "", p->vendor ? p->vendor : "",
               p->vendor ? "'s qemu-kvm)" : "");
    printf("\nOr --target=qemu-X.Y,libvirt-X.Y (either part alone), 'host', 'newest'.\n");
    domlint_ctx_free(ctx);
    return EXIT_CLEAN;
}

int
main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "probe") == 0) return dl_probe_main(argc - 1, argv + 1);
    cli_options opt = { .spare_ports = CLI_UNSET, .jobs = CLI_UNSET };
    g_autoptr(GError) error = NULL;
    int status;

    /* libxml2 must be initialised before threads use it */
    xml_watch_memory();
    xmlInitParser();
    if (!parse_args(&argc, &argv, &opt, &error)) {
        fprintf(stderr, "domlint: %s (try 'domlint --help')\n", error->message);
        cli_options_clear(&opt);
        return EXIT_TROUBLE;
    }
    if (opt.version) {
        status = print_version(&opt);
    } else if (opt.list_targets) {
        status = print_targets(&opt);
    } else if (opt.explain) {
        status = explain_rule(opt.explain);
    } else if (opt.list_rules) {
        list_rules(opt.format);
        status = EXIT_CLEAN;
    } else {
        status = run(&opt);
    }
    cli_options_clear(&opt);
    return status;
}
