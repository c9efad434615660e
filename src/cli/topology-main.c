/*
 * topology-main.c - `domlint topology FILE`: the PCI tree as libvirt will
 * lay it out, with the drive, USB and virtio-serial buses and the findings
 * of the check beside the devices; as text, JSON, XML or one HTML page
 * (src/show)
 */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>

#include "domlint.h"
#include "cli/cli.h"
#include "show/show.h"

typedef struct {
    char *format;
    char *target;
    char *machine_db;
    char *schema_dir;
    char *qemu;
    gboolean no_schema;
    char **disable;
    char **enable;
    char **inputs;
} topology_args;

static void
topology_args_clear(topology_args *a)
{
    g_free(a->format);
    g_free(a->target);
    g_free(a->machine_db);
    g_free(a->schema_dir);
    g_free(a->qemu);
    g_strfreev(a->disable);
    g_strfreev(a->enable);
    g_strfreev(a->inputs);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(topology_args, topology_args_clear)

static const char summary_text[] =
    "Shows the PCI tree of a domain as libvirt will lay it out, like lspci -tv:\n"
    "every bus with its controller (model, index, chassis and port), every slot\n"
    "and device with its address and where it came from (written in the XML,\n"
    "assigned by libvirt, builtin of the machine, added by libvirt), the free\n"
    "slots of each bus and the empty hotplug ports; then the IDE, SATA, SCSI,\n"
    "USB and virtio-serial buses; and the findings of the check (with the same\n"
    "--target and rules) beside the devices they concern.  When libvirt cannot\n"
    "lay the domain out, its error is shown with what is known.";

static const char description_text[] =
    "Formats: text (default), json (schemas/domlint-topology.schema.json), xml\n"
    "(the form the HTML is made from), html (one self-contained page: inline\n"
    "CSS, nothing fetched).\n"
    "\n"
    "Exit status: 0 shown, no errors; 1 shown, with errors (the layout's among\n"
    "them); 2 could not run: bad usage, an unreadable or malformed file.";

static const char *const topology_formats[] = { "text", "json", "xml", "html", NULL };

static gboolean
parse_args(int argc, char **argv, topology_args *a, char **help, GError **error)
{
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &a->format,
          "Output format: text (default), json, xml or html", "FORMAT" },
        { "target", 't', 0, G_OPTION_ARG_STRING, &a->target,
          "Lay out and check for this release, as for domlint check (see domlint --list-targets)", "SPEC" },
        { "disable", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->disable,
          "Leave out the findings of RULE (repeatable, or comma-separated; 'all')", "RULE" },
        { "enable", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->enable,
          "Turn on RULE again after --disable", "RULE" },
        { "no-schema", 0, 0, G_OPTION_ARG_NONE, &a->no_schema,
          "Skip validation against libvirt's RELAX NG schema", NULL },
        { "schema-dir", 0, 0, G_OPTION_ARG_FILENAME, &a->schema_dir,
          "Directory holding libvirt's domain.rng", "DIR" },
        { "machine-db", 0, 0, G_OPTION_ARG_FILENAME, &a->machine_db,
          "Machine-type knowledge base directory (default: the installed one)", "DIR" },
        { "qemu", 0, 0, G_OPTION_ARG_FILENAME, &a->qemu,
          "Take the machine types from this QEMU binary, as for domlint check", "BIN" },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->inputs, NULL, "FILE|-" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    const dl_cli_syntax syntax = { summary_text, description_text, entries };

    if (!dl_cli_parse(&syntax, &argc, &argv, help, error))
        return FALSE;
    if (*help)
        return TRUE;
    if (!dl_cli_check_choice("--format", a->format, topology_formats, error))
        return FALSE;
    if (!a->inputs || !a->inputs[0] || a->inputs[1]) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "topology takes one file");
        return FALSE;
    }
    return TRUE;
}

static domlint_ctx *
make_ctx(const topology_args *a, GError **error)
{
    g_autoptr(domlint_options) options = domlint_options_new();
    g_autofree char *db = a->machine_db ? g_strdup(a->machine_db) : domlint_data_dir("machines");
    g_auto(GStrv) disable = dl_cli_split_lists(a->disable);
    g_auto(GStrv) enable = dl_cli_split_lists(a->enable);

    domlint_options_set_machine_db(options, db);
    domlint_options_set_no_schema(options, a->no_schema);
    domlint_options_set_schema_dir(options, a->schema_dir);
    domlint_options_set_qemu(options, a->qemu);
    domlint_options_set_disable(options, (const char *const *) disable);
    domlint_options_set_enable(options, (const char *const *) enable);
    /* without --target the library takes DOMLINT_TARGET, as for check */
    domlint_options_set_target(options, a->target);
    domlint_options_set_load_in_parallel(options, TRUE);
    return domlint_ctx_new(options, error);
}

/* TOPO in FORMAT (caller frees); NULL with *WHY. */
static char *
render(const dl_show_topology *topo, const char *format, char **why)
{
    g_autofree char *xsl = NULL;
    g_autofree char *dir = NULL;

    if (!format || strcmp(format, "text") == 0)
        return dl_show_text(topo);
    if (strcmp(format, "json") == 0)
        return dl_show_json(topo);
    if (strcmp(format, "xml") == 0)
        return dl_show_xml(topo);
    dir = domlint_data_dir("topology");
    xsl = g_build_filename(dir, "topology.xsl", NULL);
    return dl_show_html(topo, xsl, why);
}

int
dl_topology_main(int argc, char **argv, FILE *out, FILE *err)
{
    g_auto(topology_args) a = { 0 };
    g_autoptr(GError) error = NULL;
    g_autofree char *help = NULL;
    g_autofree char *why = NULL;
    g_autofree char *text = NULL;
    g_autoptr(dl_show_topology) topo = NULL;
    domlint_ctx *ctx;

    xmlInitParser();
    if (!parse_args(argc, argv, &a, &help, &error)) {
        fprintf(err, "domlint topology: %s (try 'domlint topology --help')\n", error->message);
        return DL_EXIT_TROUBLE;
    }
    if (help) {
        fputs(help, out);
        return DL_EXIT_CLEAN;
    }
    ctx = make_ctx(&a, &error);
    if (!ctx) {
        fprintf(err, "domlint topology: %s\n", error->message);
        return DL_EXIT_TROUBLE;
    }
    topo = dl_show_topology_build(ctx, a.inputs[0], &why);
    if (topo)
        text = render(topo, a.format, &why);
    domlint_ctx_free(ctx);
    if (!text) {
        fprintf(err, "%s: fatal: %s\n", domlint_input_name(a.inputs[0]), why);
        return DL_EXIT_TROUBLE;
    }
    fputs(text, out);
    if (fflush(out) != 0) {
        fprintf(err, "domlint topology: cannot write output\n");
        return DL_EXIT_TROUBLE;
    }
    return dl_show_count(topo, DOMLINT_SEV_ERROR) || topo->layout_error ? DL_EXIT_FINDINGS : DL_EXIT_CLEAN;
}
