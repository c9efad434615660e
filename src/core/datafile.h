/*
 * datafile.h - reading domlint's own data files
 *
 * The knowledge base (data/machines) and the release data (data/releases)
 * are XML files with RELAX NG schemas of their own.  This module reads them
 * with safe options (no network, no entities), turns libxml2's first
 * complaint into a GError naming the file and line, and validates them: a
 * schema is compiled when a file first needs it, and a file that passed
 * before, unchanged, is not validated again.  Those records are per user
 * (g_get_user_cache_dir()/domlint/validated.ini), keyed by the file's and
 * the schema's inode, size and modification time; a record that cannot be
 * read or written only costs a validation.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

/* Read FILE; NULL with ERROR (DOMAIN, CODE) "FILE:LINE: what is wrong". */
xmlDoc *dl_data_read(const char *file, GQuark domain, int code, GError **error);

typedef struct dl_data_validator dl_data_validator;

/* Validate against SCHEMA (NULL: accept everything); errors in DOMAIN, CODE. */
dl_data_validator *dl_data_validator_new(const char *schema, GQuark domain, int code);
void dl_data_validator_free(dl_data_validator *v);

/* TRUE when DOC, read from FILE, follows the schema; else FALSE with ERROR. */
gboolean dl_data_validate(dl_data_validator *v, xmlDoc *doc, const char *file, GError **error);

/* Read FILE and validate it against SCHEMA (NULL: accept it), for a file
 * read alone; NULL with ERROR (DOMAIN, CODE).  Caller frees the document. */
xmlDoc *dl_data_load(const char *file, const char *schema, GQuark domain, int code, GError **error);

/* Keep the validation records in memory across several loads (a context's). */
void dl_data_records_hold(void);
void dl_data_records_release(void);

/* "inode:size:mtime.ns" of FILE, or NULL when it cannot be stat'ed (caller frees). */
char *dl_file_stamp(const char *file);
