/*
 * convert-main.c - `domlint convert`: the command line of dl_convert()
 *
 * One file in, the converted XML out (standard output, the file itself
 * with -i, or a diff), and on standard error one line saying what the
 * guest will see, then a note per change.  What cannot be converted is an
 * error per device and nothing is written (exit 1); bad input exits 2.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "domlint.h"
#include "cli/cli.h"
#include "cli/diff.h"
#include "convert/convert.h"

typedef struct {
    char *machine;
    char *target;
    char *machine_db;
    gboolean keep_addresses;
    gboolean in_place;
    gboolean diff;
    gboolean quiet;
} convert_cli;

static const char convert_summary[] =
    "Converts the domain of FILE to the machine type of --machine: between\n"
    "i440fx (pc, pc-i440fx-X.Y) and q35 (q35, pc-q35-X.Y), either way, or to\n"
    "another version of its family.  Across families the PCI root changes, the\n"
    "PCI controllers of the old topology go and the addresses are laid out as\n"
    "the target libvirt lays them out (written, like --fix --layout), IDE disks\n"
    "become SATA and back (hda <-> sda), a PIIX USB controller becomes the one\n"
    "libvirt gives a new q35 guest, the iTCO watchdog an i6300esb.  Every other\n"
    "byte of the file stays as it was.  FILE \"-\" is standard input.";

static const char convert_description[] =
    "Standard error starts with one line saying whether the guest will see new\n"
    "PCI addresses or disk names, then one note per change, each marked\n"
    "guest-visible or not.\n"
    "Exit status: 0 converted, 1 the target cannot have a device of the\n"
    "domain (each named; nothing written), 2 bad usage or unreadable input.";

static void
convert_cli_clear(convert_cli *cli)
{
    g_free(cli->machine);
    g_free(cli->target);
    g_free(cli->machine_db);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(convert_cli, convert_cli_clear)

static gboolean
parse_convert_args(int *argc, char ***argv, convert_cli *cli, char **help, GError **error)
{
    GOptionEntry entries[] = {
        { "machine", 'm', 0, G_OPTION_ARG_STRING, &cli->machine,
          "The machine type to convert to: pc, q35, pc-i440fx-X.Y, pc-q35-X.Y (required)", "TYPE" },
        { "target", 't', 0, G_OPTION_ARG_STRING, &cli->target,
          "The QEMU and libvirt release to convert for, as for check (see --list-targets)", "TARGET" },
        { "keep-addresses", 0, 0, G_OPTION_ARG_NONE, &cli->keep_addresses,
          "Keep the PCI addresses the target machine can take; lay out only the others", NULL },
        { "in-place", 'i', 0, G_OPTION_ARG_NONE, &cli->in_place,
          "Replace FILE atomically with the converted domain", NULL },
        { "diff", 0, 0, G_OPTION_ARG_NONE, &cli->diff,
          "Print a unified diff of the conversion instead of the converted domain", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &cli->quiet,
          "No notes: only errors on standard error", NULL },
        { "machine-db", 0, 0, G_OPTION_ARG_FILENAME, &cli->machine_db,
          "Directory of machine family files (default: the installed knowledge base)", "DIR" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    const dl_cli_syntax syntax = { convert_summary, convert_description, entries };

    if (!dl_cli_parse(&syntax, argc, argv, help, error))
        return FALSE;
    if (*help)
        return TRUE;
    if (*argc != 2) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                    *argc < 2 ? "convert needs one FILE" : "convert takes one FILE, not '%s' too", (*argv)[*argc > 2 ? 2 : 0]);
        return FALSE;
    }
    if (!cli->machine) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "convert needs --machine=TYPE (pc, q35, pc-i440fx-X.Y, pc-q35-X.Y)");
        return FALSE;
    }
    if (cli->in_place && cli->diff) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--in-place and --diff cannot be used together");
        return FALSE;
    }
    if (cli->in_place && strcmp((*argv)[1], "-") == 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--in-place needs a file, not standard input");
        return FALSE;
    }
    return TRUE;
}

static domlint_ctx *
convert_ctx(const convert_cli *cli, GError **error)
{
    g_autoptr(domlint_options) options = domlint_options_new();
    g_autofree char *db = cli->machine_db ? g_strdup(cli->machine_db) : domlint_data_dir("machines");

    domlint_options_set_machine_db(options, db);
    domlint_options_set_target(options, cli->target);
    dl_convert_ctx_options(options);
    return domlint_ctx_new(options, error);
}

static void
print_notes(FILE *err, const char *name, const GArray *notes, const char *kind)
{
    for (guint i = 0; i < notes->len; i++) {
        const dl_convert_note *n = &g_array_index(notes, dl_convert_note, i);
        const char *what = kind ? kind : (n->visible ? "guest-visible" : "not guest-visible");

        if (n->line > 0)
            fprintf(err, "%s:%d: %s: %s\n", name, n->line, what, n->message);
        else
            fprintf(err, "%s: %s: %s\n", name, what, n->message);
    }
}

/* The one line on top: what the guest will see. */
static void
print_summary(FILE *err, const char *name, const dl_convert_result *r)
{
    if (r->new_pci && r->new_disks)
        fprintf(err, "%s: the guest will see new PCI addresses and disk names\n", name);
    else if (r->new_pci)
        fprintf(err, "%s: the guest will see new PCI addresses\n", name);
    else if (r->new_disks)
        fprintf(err, "%s: the guest will see new disk names\n", name);
    else if (r->notes->len > 0)
        fprintf(err, "%s: the guest keeps its PCI addresses and disk names\n", name);
    else
        fprintf(err, "%s: nothing to convert\n", name);
}

static int
write_result(const convert_cli *cli, FILE *out, FILE *err, const char *path, const char *data,
             gsize len, const dl_convert_result *r)
{
    const char *name = domlint_input_name(path);
    g_autoptr(GError) error = NULL;

    if (cli->diff) {
        if (!dl_cli_print_diff(out, name, data, len, r->text, r->len)) {
            fprintf(err, "%s: cannot run diff(1)\n", name);
            return DL_EXIT_TROUBLE;
        }
    } else if (cli->in_place) {
        gboolean same = r->len == len && memcmp(r->text, data, len) == 0;
        if (!same && !domlint_save_atomic(path, r->text, r->len, data, len, &error)) {
            fprintf(err, "%s: fatal: %s\n", name, error->message);
            return DL_EXIT_TROUBLE;
        }
    } else {
        fwrite(r->text, 1, r->len, out);
    }
    return DL_EXIT_CLEAN;
}

int
dl_convert_main(int argc, char **argv, FILE *out, FILE *err)
{
    g_auto(convert_cli) cli = { 0 };
    g_autofree char *help = NULL;
    g_autofree char *data = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(domlint_ctx) ctx = NULL;
    g_autoptr(dl_convert_result) r = NULL;
    dl_convert_options opt = { 0 };
    const char *path, *name;
    gsize len = 0;

    if (!parse_convert_args(&argc, &argv, &cli, &help, &error)) {
        fprintf(err, "domlint convert: %s\n", error->message);
        return DL_EXIT_TROUBLE;
    }
    if (help) {
        fputs(help, out);
        return DL_EXIT_CLEAN;
    }
    path = argv[1];
    name = domlint_input_name(path);
    ctx = convert_ctx(&cli, &error);
    if (!ctx) {
        fprintf(err, "domlint convert: %s\n", error->message);
        return DL_EXIT_TROUBLE;
    }
    data = domlint_read_input(path, &len, &error);
    if (!data) {
        fprintf(err, "%s: fatal: %s\n", name, error ? error->message : "cannot be read");
        return DL_EXIT_TROUBLE;
    }
    opt.machine = cli.machine;
    opt.keep_addresses = cli.keep_addresses;
    r = dl_convert(ctx, name, data, len, &opt);
    if (r->failure) {
        fprintf(err, "%s: fatal: %s\n", name, r->failure);
        return DL_EXIT_TROUBLE;
    }
    if (r->errors->len > 0) {
        print_notes(err, name, r->errors, "error");
        return DL_EXIT_FINDINGS;
    }
    if (!cli.quiet) {
        print_summary(err, name, r);
        print_notes(err, name, r->notes, NULL);
    }
    return write_result(&cli, out, err, path, data, len, r);
}
