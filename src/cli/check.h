/*
 * check.h - the check command's options (check-args.c) and the answers it
 * gives without checking anything (info.c)
 */
#pragma once

#include <stdio.h>

#include <glib.h>

/* An int option not given on the command line. */
#define DL_CHECK_UNSET G_MININT

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
    gboolean host;           /* --host */
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
} dl_check_args;

/* Every field unset: g_auto(dl_check_args) args = DL_CHECK_ARGS_INIT; */
#define DL_CHECK_ARGS_INIT { .spare_ports = DL_CHECK_UNSET, .jobs = DL_CHECK_UNSET }

void dl_check_args_clear(dl_check_args *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(dl_check_args, dl_check_args_clear)

/*
 * The ARGC words of ARGV into ARGS (DL_CHECK_ARGS_INIT).
 * FALSE with ERROR for a usage error; TRUE with *HELP (caller frees) when
 * --help was asked, for the caller to print.
 */
gboolean dl_check_args_parse(int argc, char **argv, dl_check_args *args, char **help,
                             GError **error);

/* --version: the version, the releases the knowledge covers, the target and why. */
int dl_cli_print_version(const dl_check_args *args, FILE *out, FILE *err);
/* --list-targets */
int dl_cli_print_targets(const dl_check_args *args, FILE *out, FILE *err);
/* --list-rules, as text or (FORMAT "json") JSON */
void dl_cli_list_rules(const char *format, FILE *out);
/* --explain ID */
int dl_cli_explain_rule(const char *id, FILE *out, FILE *err);
