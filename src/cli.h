/*
 * cli.h - helpers the domlint command's two halves (checking in main.c,
 * probing in probe-main.c) share; not part of the library
 */
#pragma once

#include <glib.h>

/* Repeated options with comma lists ("a,b" "c") as one NULL-terminated
 * list of non-empty items (caller frees with g_strfreev). */
char **dl_cli_split_lists(char **values);
