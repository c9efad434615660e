/*
 * probe-main.c - `domlint probe`: the command line of the QEMU probe
 *
 * Part of the domlint tool, not of the library: it turns argv into
 * dl_probe_run() / dl_probe_write_dir() / dl_probe_compare() calls and their
 * results into files, output and messages (on the streams dl_cli_run() was
 * given) and an exit status.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "domlint.h"
#include "cli/cli.h"
#include "core/machines.h"
#include "probe/probe.h"

enum {
    PROBE_OK = 0,
    PROBE_DIFFERS = 1,       /* --compare found differences */
    PROBE_TROUBLE = 2,
};

typedef struct {
    char *qemu;
    char **machines;
    char *output;
    char *machine_db;
    int timeout;
    int jobs;
    gboolean compare;
    gboolean merge;
    gboolean cached;
    gboolean list;
    FILE *out;               /* what the command prints, and its messages */
    FILE *err;
} probe_cli;

static const char probe_summary[] =
    "Asks a QEMU binary over QMP (standard input/output, no socket) for its\n"
    "machine types, starts each paused with -nodefaults and reads its root bus,\n"
    "builtin PCI functions, floppy controller and IDE buses.  Writes knowledge\n"
    "files in the data/machines format, one <family>.xml per family, to the\n"
    "directory of -o (usable as --machine-db), or one family to -o FILE.xml, or\n"
    "to standard output.  Facts QEMU cannot report (what libvirt adds, default\n"
    "models) are copied from the knowledge base.";

static const char probe_description[] =
    "Exit status: 0 done (with --compare: no difference), 1 --compare found\n"
    "differences, 2 could not run (not QEMU, hangs, unknown machine, bad usage).";

static void
probe_cli_clear(probe_cli *cli)
{
    g_free(cli->qemu);
    g_strfreev(cli->machines);
    g_free(cli->output);
    g_free(cli->machine_db);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(probe_cli, probe_cli_clear)

/*
 * The knowledge is compared with, and copied from, the release of QEMU:
 * the binary's own version, the host's libvirt (or the newest known).
 */
static dl_target *
binary_target(const char *qemu, GError **error)
{
    g_autofree char *dir = domlint_data_dir("releases");
    g_autoptr(dl_releases) releases = dl_releases_load(dir, NULL, error);
    g_autofree char *version = NULL;

    if (!releases)
        return NULL;
    version = dl_qemu_binary_version(qemu);
    return dl_target_resolve(releases, NULL, version, error);
}

static gboolean
parse_probe_args(int *argc, char ***argv, probe_cli *cli, char **help, GError **error)
{
    GOptionEntry entries[] = {
        { "qemu", 0, 0, G_OPTION_ARG_FILENAME, &cli->qemu,
          "QEMU binary (default qemu-system-x86_64 from PATH)", "BIN" },
        { "machine", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &cli->machines,
          "Probe only this machine type or alias (repeatable, or comma-separated)", "NAME" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &cli->output,
          "Directory for one <family>.xml per family, or FILE.xml for a single family", "PATH" },
        { "machine-db", 0, 0, G_OPTION_ARG_FILENAME, &cli->machine_db,
          "Knowledge base that names the families (default: the installed one)", "DIR" },
        { "timeout", 0, 0, G_OPTION_ARG_INT, &cli->timeout,
          "Seconds each QEMU start may take (default 10)", "SECONDS" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &cli->jobs,
          "QEMU processes at once (default: the number of CPUs, at most 8)", "N" },
        { "merge", 0, 0, G_OPTION_ARG_NONE, &cli->merge,
          "Merge this binary's release into the knowledge's ranges: the changed family files go to --output DIR", NULL },
        { "compare", 0, 0, G_OPTION_ARG_NONE, &cli->compare,
          "Compare with the knowledge base instead of writing: one line per differing fact", NULL },
        { "list", 0, 0, G_OPTION_ARG_NONE, &cli->list,
          "Print what each machine type has instead of writing knowledge files", NULL },
        { "cached", 0, 0, G_OPTION_ARG_NONE, &cli->cached,
          "Probe once per binary into the user's cache and print the cached directory", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    const dl_cli_syntax syntax = { probe_summary, probe_description, entries };

    if (!dl_cli_parse(&syntax, argc, argv, help, error))
        return FALSE;
    if (*help)
        return TRUE;
    if (*argc > 1) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "unexpected argument '%s'", (*argv)[1]);
        return FALSE;
    }
    if (cli->timeout < 0 || cli->jobs < 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--timeout and --jobs must not be negative");
        return FALSE;
    }
    return TRUE;
}

static void
print_machine(FILE *out, const dl_probe_machine *m)
{
    static const char *const roots[] = { "none", "pci-root", "pcie-root" };
    g_autofree char *ide = NULL;

    fprintf(out, "%s%s%s%s%s (%.0f ms)\n", m->name, m->alias ? " alias " : "", m->alias ? m->alias : "",
           m->is_default ? " default" : "", m->deprecated ? " deprecated" : "", m->ms);
    if (m->error) {
        fprintf(out, "  error: %s\n", m->error);
        return;
    }
    /* a machine that did not start has no buses (NULL) */
    ide = g_strjoinv(", ", m->ide_buses);
    fprintf(out, "  root: %s%s%s\n", m->root < DL_ROOT_LAST ? roots[m->root] : "?",
           m->host_bridge ? " via " : "", m->host_bridge ? m->host_bridge : "");
    for (guint i = 0; i < m->builtins->len; i++) {
        const dl_probe_pci *p = g_ptr_array_index(m->builtins, i);
        fprintf(out, "  builtin 00:%02x.%u %s\n", p->slot, p->function, p->device);
    }
    fprintf(out, "  fdc: %s\n", m->fdc ? m->fdc_device : "none");
    fprintf(out, "  ide: %s\n", *ide ? ide : "none");
}

static void
print_list(FILE *out, const dl_probe_result *result)
{
    g_autofree char *devices = g_strjoinv(" ", result->devices);
    g_autofree char *missing = g_strjoinv(" ", result->missing);

    fprintf(out, "# %s: QEMU %s, target %s, %u machine types, %.2f s\n", result->qemu,
           result->version ? result->version : "?", result->target, result->machines->len,
           result->seconds);
    fprintf(out, "# device models present: %s\n# device models absent: %s\n", devices,
           *missing ? missing : "none");
    for (guint i = 0; i < result->machines->len; i++)
        print_machine(out, g_ptr_array_index(result->machines, i));
}

static int
run_compare(FILE *out, const dl_probe_result *result, const dl_machine_db *db,
            const dl_devices *devices)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) checked = g_ptr_array_new_with_free_func(g_free);
    guint n = dl_probe_compare(result, db, lines, checked);

    n += dl_probe_compare_devices(result, devices, lines, checked);

    for (guint i = 0; i < checked->len; i++)
        fprintf(out, "checked %s\n", (char *) g_ptr_array_index(checked, i));
    for (guint i = 0; i < lines->len; i++)
        fprintf(out, "differs %s\n", (char *) g_ptr_array_index(lines, i));
    return n ? PROBE_DIFFERS : PROBE_OK;
}

/* g_ptr_array_sort() hands the comparison pointers to the elements. */
static int
path_order(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
xml_files(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

    for (const char *name = d ? g_dir_read_name(d) : NULL; name; name = g_dir_read_name(d)) {
        if (g_str_has_suffix(name, ".xml") && name[0] != '.')
            g_ptr_array_add(files, g_build_filename(dir, name, NULL));
    }
    g_ptr_array_sort(files, path_order);
    return files;
}

/* Copy the files written into TMP to FILE.xml (one family) or OUT. */
static gboolean
emit_from(FILE *out, const char *tmp, const char *file, GError **error)
{
    g_autoptr(GPtrArray) files = xml_files(tmp);

    if (file && files->len != 1) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "%u families probed, but %s takes one: give a directory to -o", files->len, file);
        return FALSE;
    }
    for (guint i = 0; i < files->len; i++) {
        g_autofree char *text = NULL;
        gsize len = 0;

        if (!g_file_get_contents(g_ptr_array_index(files, i), &text, &len, error))
            return FALSE;
        if (file)
            return g_file_set_contents(file, text, (gssize) len, error);
        fwrite(text, 1, len, out);
    }
    return TRUE;
}

static void
remove_dir(const char *dir)
{
    g_autoptr(GPtrArray) files = xml_files(dir);

    for (guint i = 0; i < files->len; i++)
        g_unlink(g_ptr_array_index(files, i));
    g_rmdir(dir);
}

static gboolean
write_output(const probe_cli *cli, const dl_probe_result *result, const dl_machine_db *db,
             const char *schema, GPtrArray *warnings, GError **error)
{
    gboolean all = cli->machines == NULL;
    g_autofree char *tmp = NULL;
    gboolean ok;

    if (cli->output && !g_str_has_suffix(cli->output, ".xml"))
        return dl_probe_write_dir(result, db, schema, all, cli->output, warnings, error);
    tmp = g_dir_make_tmp("domlint-probe-XXXXXX", error);
    if (!tmp)
        return FALSE;
    ok = dl_probe_write_dir(result, db, schema, all, tmp, warnings, error) &&
         emit_from(cli->out, tmp, cli->output, error);
    remove_dir(tmp);
    return ok;
}

static int
run_cached(const probe_cli *cli, const dl_machine_db *db, const char *db_dir, const char *schema)
{
    g_autoptr(GError) error = NULL;
    gboolean hit = FALSE;
    gint64 start = g_get_monotonic_time();
    g_autofree char *dir = dl_probe_cached(cli->qemu, db, db_dir, schema, &hit, &error);

    if (!dir) {
        fprintf(cli->err, "domlint: probe: %s\n", error->message);
        return PROBE_TROUBLE;
    }
    fprintf(cli->out, "%s\n", dir);
    fprintf(cli->err, "domlint: probe: %s in %.3f s\n", hit ? "cached" : "probed",
            (double) (g_get_monotonic_time() - start) / 1e6);
    return PROBE_OK;
}

static int
run_merge(const probe_cli *cli, const dl_probe_result *result, const dl_machine_db *db)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);

    if (!cli->output || g_str_has_suffix(cli->output, ".xml")) {
        fprintf(cli->err, "domlint: probe: --merge writes the changed family files to --output=DIR\n");
        return PROBE_TROUBLE;
    }
    if (!dl_probe_merge_dir(result, db, cli->output, changes, warnings, &error)) {
        fprintf(cli->err, "domlint: probe: %s\n", error->message);
        return PROBE_TROUBLE;
    }
    for (guint i = 0; i < changes->len; i++)
        fprintf(cli->out, "%s\n", (char *) g_ptr_array_index(changes, i));
    for (guint i = 0; i < warnings->len; i++)
        fprintf(cli->err, "domlint: probe: warning: %s\n", (char *) g_ptr_array_index(warnings, i));
    fprintf(cli->err, "domlint: probe: %u change%s merged from %s (QEMU %s)\n", changes->len,
            changes->len == 1 ? "" : "s", result->qemu, result->version ? result->version : "?");
    return PROBE_OK;
}

static int
run_probe(const probe_cli *cli, const dl_machine_db *db, const dl_devices *devices,
          const char *schema)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    dl_probe_options options = { .devices = devices, .timeout_ms = (guint) cli->timeout * 1000,
                                 .jobs = (guint) cli->jobs };
    g_autoptr(dl_probe_result) result =
        dl_probe_run(cli->qemu, (const char *const *) cli->machines, &options, &error);

    if (!result) {
        fprintf(cli->err, "domlint: probe: %s\n", error->message);
        return PROBE_TROUBLE;
    }
    if (cli->list) {
        print_list(cli->out, result);
        return PROBE_OK;
    }
    if (cli->compare)
        return run_compare(cli->out, result, db, devices);
    if (cli->merge)
        return run_merge(cli, result, db);
    if (!write_output(cli, result, db, schema, warnings, &error)) {
        fprintf(cli->err, "domlint: probe: %s\n", error->message);
        return PROBE_TROUBLE;
    }
    for (guint i = 0; i < warnings->len; i++)
        fprintf(cli->err, "domlint: probe: warning: %s\n", (char *) g_ptr_array_index(warnings, i));
    fprintf(cli->err, "domlint: probe: %u machine types of %s (QEMU %s) in %.2f s\n",
            result->machines->len, result->qemu, result->version ? result->version : "?",
            result->seconds);
    return PROBE_OK;
}

int
dl_probe_main(int argc, char **argv, FILE *out, FILE *err)
{
    g_auto(probe_cli) cli = { .out = out, .err = err };
    g_autoptr(GError) error = NULL;
    g_autofree char *help = NULL;
    g_autofree char *db_dir = NULL;
    g_autofree char *schema = NULL;
    g_autoptr(dl_target) target = NULL;
    g_autofree char *devices_dir = NULL;
    g_autoptr(dl_devices) devices = NULL;
    dl_machine_db *db;
    int status;

    if (!parse_probe_args(&argc, &argv, &cli, &help, &error)) {
        fprintf(err, "domlint: probe: %s (try 'domlint probe --help')\n", error->message);
        return PROBE_TROUBLE;
    }
    if (help) {
        fputs(help, out);
        return PROBE_OK;
    }
    if (!cli.qemu)
        cli.qemu = g_strdup("qemu-system-x86_64");
    if (cli.machines) {
        char **names = dl_cli_split_lists(cli.machines);
        g_strfreev(cli.machines);
        cli.machines = names;
    }
    db_dir = cli.machine_db ? g_strdup(cli.machine_db) : domlint_data_dir("machines");
    schema = dl_machines_schema_path(db_dir);
    devices_dir = domlint_data_dir("devices");
    target = binary_target(cli.qemu, &error);
    db = target ? dl_machine_db_load(db_dir, schema, target, &error) : NULL;
    /* the catalogue of the binary's release: which devices to look for and expect */
    devices = db ? dl_devices_load(devices_dir, NULL, target, &error) : NULL;
    if (!db || !devices) {
        fprintf(err, "domlint: probe: %s\n", error->message);
        dl_machine_db_free(db);
        return PROBE_TROUBLE;
    }
    status = cli.cached ? run_cached(&cli, db, db_dir, schema) : run_probe(&cli, db, devices, schema);
    dl_machine_db_free(db);
    return status;
}
