/*
 * check-args.c - the check command's options: argv into dl_check_args
 *
 * The GOption table (what --help lists), -jN and --fix=VALUE split before
 * GOption sees them, and the values GOption takes but domlint refuses.
 */
#include "config.h"

#include <string.h>

#include "cli/check.h"
#include "cli/cli.h"
#include "cli/conffile.h"

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
split_attached_jobs(int *argc, char ***argv, dl_check_args *opt)
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
check_values(const dl_check_args *opt, GError **error)
{
    if (opt->jobs != DL_CHECK_UNSET && opt->jobs < 1) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "-j takes a number of jobs from 1 up, not %d", opt->jobs);
        return FALSE;
    }
    if (opt->fix_class && strcmp(opt->fix_class, "safe") != 0 && strcmp(opt->fix_class, "all") != 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--fix takes safe or all, not '%s'", opt->fix_class);
        return FALSE;
    }
    if (opt->spare_ports != DL_CHECK_UNSET && (opt->spare_ports < 0 || opt->spare_ports > 255)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--spare-ports takes a number from 0 to 255, not %d", opt->spare_ports);
        return FALSE;
    }
    return dl_cli_check_choice("--format", opt->format, dl_cli_formats, error) &&
           dl_cli_check_choice("--color", opt->color, colors, error);
}

gboolean
dl_check_args_parse(int argc, char **argv, dl_check_args *opt, char **help, GError **error)
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
        { "host", 0, 0, G_OPTION_ARG_NONE, &opt->host,
          "Also check that what each domain needs exists on this machine: disk images, kernels, firmware, block devices, the emulator, /dev/kvm, bridges, PCI devices bound to vfio-pci, hugepages, sockets (reads only)", NULL },
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
    g_autofree char *commands = dl_cli_commands_help();
    g_autofree char *description = g_strconcat(description_text, "\n\n", commands, NULL);
    const dl_cli_syntax syntax = { summary_text, description, entries };

    split_attached_jobs(&argc, &argv, opt);
    if (!dl_cli_parse(&syntax, &argc, &argv, help, error))
        return FALSE;
    return *help || check_values(opt, error);
}

void
dl_check_args_clear(dl_check_args *opt)
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

