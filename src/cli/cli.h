/*
 * cli.h - the domlint command: its entry point, its commands and what
 * their option parsing shares; not part of the library
 *
 * Where a change goes in src/cli:
 *   main.c          main(): dl_cli_run() on the process's stdout and stderr
 *   run.c           dl_cli_run(): the command table (check, probe, convert, topology)
 *   check-main.c    `domlint [check] FILE...`: inputs, contexts, results, exit status
 *   check-args.c    the check command's options: the GOption table, -jN, refused values
 *   info.c          --version, --list-targets, --list-rules, --explain
 *   conffile.c      .domlint.conf, and the groups of files that share one
 *   jobs.c          -j: how many threads, and the threads that check
 *   memory.c        running out of memory: libxml2's allocations, ulimit -v
 *   diff.c          --diff, by diff(1)
 *   probe-main.c    `domlint probe`
 *   topology-main.c `domlint topology`: the PCI tree (src/show builds and renders it)
 *   convert-main.c  `domlint convert`: i440fx <-> q35 (src/convert does it)
 *   args.c          what every command's options share (this header's helpers)
 */
#pragma once

#include <stdio.h>

#include <glib.h>

/* The exit statuses of checking (domlint(1), "EXIT STATUS"). */
enum {
    DL_EXIT_CLEAN = 0,
    DL_EXIT_FINDINGS = 1,
    DL_EXIT_TROUBLE = 2,
};

/*
 * The domlint command, like libxml2's xmllintMain(): ARGV (ARGC words,
 * NULL-terminated) as a shell gives it, everything it prints on OUT
 * (reports, fixed XML, --help) and ERR (messages, summaries).  Colour
 * follows OUT's and ERR's file descriptors.  Returns the exit status.
 * May be called again in the same process; the first check run installs
 * libxml2's allocation watch for the rest of the process (memory.c), and
 * each run's contexts are kept until the process ends (check-main.c).
 */
int dl_cli_run(int argc, char **argv, FILE *out, FILE *err);

/*
 * The commands of dl_cli_run(), each with ARGV[0] the name --help gives
 * the program.  `domlint [check] FILE...` (src/cli/check-main.c).
 */
int dl_check_main(int argc, char **argv, FILE *out, FILE *err);
/* `domlint probe ...` (src/cli/probe-main.c); ARGV[0] is "probe". */
int dl_probe_main(int argc, char **argv, FILE *out, FILE *err);
/* `domlint topology FILE` (src/cli/topology-main.c); ARGV[0] is "topology". */
int dl_topology_main(int argc, char **argv, FILE *out, FILE *err);
/* `domlint convert ...` (src/cli/convert-main.c); ARGV[0] is "convert". */
int dl_convert_main(int argc, char **argv, FILE *out, FILE *err);

/* The command table as --help lists it, one line per command (caller frees). */
char *dl_cli_commands_help(void);

/* Repeated options with comma lists ("a,b" "c") as one NULL-terminated
 * list of non-empty items (caller frees with g_strfreev). */
char **dl_cli_split_lists(char **values);

/*
 * VALUE (NULL: not given) is one of CHOICES (NULL-terminated), or ERROR
 * says "--format takes text, json or sarif, not 'jsn' (did you mean
 * 'json'?)" for OPTION.
 */
gboolean dl_cli_check_choice(const char *option, const char *value, const char *const *choices,
                             GError **error);

/*
 * After GOption's "Unknown option" ERROR for the N words of ARGS (argv as
 * it was given) with ENTRIES: when the word is a long option near one
 * of ENTRIES (or --help), ERROR's message becomes "unknown option '--fixx'
 * (did you mean '--fix'?)".  Any other error is left as it is.
 */
void dl_cli_explain_unknown_option(const GOptionEntry *entries, char **args, gsize n, GError *error);

/* A command's options and the text of its --help. */
typedef struct {
    const char *summary;
    const char *description;
    const GOptionEntry *entries;
} dl_cli_syntax;

/*
 * g_option_context_parse() of *ARGC words of *ARGV with SYNTAX, except
 * that --help, -h, -? and --help-all make *HELP (caller frees) the text
 * GOption would print, for the caller to print where it prints, instead
 * of printing on stdout and ending the process.  FALSE with ERROR (an
 * unknown option explained as dl_cli_explain_unknown_option() does).
 */
gboolean dl_cli_parse(const dl_cli_syntax *syntax, int *argc, char ***argv, char **help,
                      GError **error);

/* The values --format (and a config file's 'format') takes. */
extern const char *const dl_cli_formats[];
