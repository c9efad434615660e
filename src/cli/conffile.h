/*
 * conffile.h - .domlint.conf, a repository's defaults for the command line
 *
 * Part of the command, not of the library: the library takes its options
 * from its caller (and the name is not config.h, which is autoconf's).
 * A file is GKeyFile text:
 *
 *   [domlint]
 *   disable = pci-layout,usb-address     (or a GKeyFile list: a;b)
 *   enable = schema
 *   werror = true
 *   host = true                          (--host)
 *   spare-ports = 2
 *   target = debian-12
 *   schema-dir = schemas                 (relative to the file's directory)
 *   format = json
 *
 * Each checked file uses the first .domlint.conf found walking up from its
 * directory (standard input: from the current one), or the one --config
 * names.  A bad key or value is an error naming FILE:LINE.
 */
#pragma once

#include <glib.h>

#include "domlint.h"

#define DL_CONFIG_NAME ".domlint.conf"

/* What a config file, or the command line, sets; unset is NULL or -1. */
typedef struct {
    char **disable;          /* rule ids, one per item (NULL-terminated) */
    char **enable;
    int werror;              /* 0, 1, or -1 */
    int host;                /* --host: 0, 1, or -1 */
    int spare_ports;         /* 0..255, or -1 */
    char *target;
    char *schema_dir;        /* absolute, or relative to the current directory */
    char *format;            /* text, json, sarif */
} dl_settings;

/* Free what S holds and leave it all unset (S must have been set up: zeroes will do). */
void dl_settings_clear(dl_settings *s);

/*
 * FILE's settings over BASE's: lists apply BASE's first, then FILE's (so a
 * rule FILE enables is on even when BASE disables it, and the other way
 * round); everything else FILE sets replaces BASE's.  OUT is filled with
 * copies (dl_settings_clear it).
 */
void dl_settings_merge(const dl_settings *base, const dl_settings *over, dl_settings *out);

typedef struct {
    char *path;              /* as found or named */
    dl_settings settings;
    int target_line;         /* the line of 'target', to name it in errors; 0 */
} dl_config;

/* Every config file a run uses, each read once; files' directories remembered. */
typedef struct dl_configs dl_configs;

/* EXPLICIT (--config) is used for every file; NULL: find them by walking up. */
dl_configs *dl_configs_new(const char *explicit_path);
void dl_configs_free(dl_configs *configs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_configs, dl_configs_free)

/*
 * The config of the checked file PATH ("-": standard input), borrowed from
 * CONFIGS, in *CONFIG (NULL: none applies).  FALSE with ERROR
 * ("FILE:LINE: ...") when the file found cannot be used.
 */
gboolean dl_configs_lookup(dl_configs *configs, const char *path, const dl_config **config,
                           GError **error);

/*
 * The files of a run that use the same config file share the settings made
 * from it and a context (with -j, one per thread): a group.  Most runs
 * have one.
 */
typedef struct {
    const dl_config *config;    /* NULL: no config file (borrowed from the run's dl_configs) */
    dl_settings settings;       /* the command line's over the config file's */
    domlint_options *options;   /* BASE's, with SETTINGS (owned) */
    domlint_ctx *ctx;           /* made by dl_run_groups_start() */
    guint files;                /* how many of the run's files use it */
    GAsyncQueue *idle;          /* with -j: its contexts not in use */
} dl_run_group;

/* Frees the settings and options only: the caller decides what becomes of ctx. */
void dl_run_group_free(dl_run_group *group);

/*
 * The group of each of FILES (GROUP_OF[i], of GROUPS, an array of
 * dl_run_group* freeing them), found through CONFIGS (NULL: --no-config);
 * CLI is what the command line sets, BASE the options no config file has.
 * With no file at all, one group without a config.  FALSE with ERROR when
 * a config file is bad.
 */
gboolean dl_run_groups_assign(dl_configs *configs, GPtrArray *files, const dl_settings *cli,
                              const domlint_options *base, GPtrArray *groups, guint *group_of,
                              GError **error);

/* The run's one output format ("text" when none is set): groups that set one must agree. */
const char *dl_run_groups_format(GPtrArray *groups, GError **error);

/* Every group's context; FALSE with ERROR (naming the config's line for its target). */
gboolean dl_run_groups_start(GPtrArray *groups, GError **error);
