/*
 * options.h - what the opaque option objects of domlint.h hold
 *
 * Private: the library's modules read the fields, callers use the setters
 * (src/core/options.c).  Every string and list is owned.
 */
#pragma once

#include "domlint.h"

struct domlint_options {
    char *machine_db;        /* NULL: domlint_data_dir("machines") */
    char *schema_dir;        /* NULL: DOMLINT_LIBVIRT_SCHEMA_DIR */
    gboolean no_schema;
    char **disable;          /* rule ids, or NULL */
    char **enable;
    char *qemu;
    char *connect;
    char *host_root;         /* --host: the root of the host checked, or NULL: none */
    gboolean layout;
    gboolean spare_ports_set;
    guint spare_ports;       /* 0..255, when spare_ports_set */
    char *target;
    gboolean load_in_parallel;
    gboolean fix_safe_only;
};

struct domlint_text_options {
    gboolean color;
    gboolean excerpt;
};
