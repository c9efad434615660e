/*
 * cli.h - helpers the domlint command's two halves (checking in main.c,
 * probing in probe-main.c) share; not part of the library
 */
#pragma once

#include <glib.h>

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

/* The values --format (and a config file's 'format') takes. */
extern const char *const dl_cli_formats[];

/*
 * `domlint probe ...` (src/cli/probe-main.c).  ARGV[0] is "probe".
 * Returns the exit status.
 */
int dl_probe_main(int argc, char **argv);
