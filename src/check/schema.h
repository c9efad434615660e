/*
 * schema.h - RELAX NG validation against libvirt's installed schemas
 *
 * The schema is compiled once per context and used for every file; its
 * errors come back as findings with line numbers, never printed.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

typedef struct dl_schema dl_schema;

/* Compile DIR/domain.rng.  NULL with ERROR when it is missing or broken. */
dl_schema *dl_schema_load(const char *dir, GError **error);
void dl_schema_free(dl_schema *schema);

typedef struct {
    int line;
    char *message;
    char *path;     /* element path, or NULL */
    char *suggestion; /* what to write instead, or NULL */
} dl_schema_error;

void dl_schema_error_free(gpointer error);

/* Validate DOC; returns an array of dl_schema_error* (empty when valid). */
GPtrArray *dl_schema_validate(dl_schema *schema, xmlDoc *doc);
