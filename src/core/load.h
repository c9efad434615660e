/*
 * load.h - reading untrusted domain XML safely
 *
 * One job: turn a file or a buffer into an xmlDoc with line numbers, without
 * touching the network, loading DTDs or expanding entities, within size and
 * depth limits.  Failures come back as one line naming the cause.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "core/xml.h"

/*
 * Documents larger than this are refused before parsing.  Real domain XML
 * is a few kilobytes; libxml2 without XML_PARSE_HUGE (which would also lift
 * its depth limit) cannot look ahead over 10 MB anyway.
 */
#define DL_MAX_FILE_SIZE (8u * 1024u * 1024u)

/* Byte offsets of an element in the text: its '<' and just past its end. */
typedef struct {
    gsize begin;
    gsize end;
} dl_span;

typedef struct {
    xmlDoc *doc;
    char *text;            /* the raw bytes, NUL-terminated, for columns */
    gsize len;
    GArray *line_starts;   /* of gsize: offset of the first byte of each line */
    GHashTable *spans;     /* xmlNode* -> dl_span*, every element of the document */
} dl_source;

/*
 * Parse DATA (LEN bytes; copied).  Returns NULL and sets *REASON (caller
 * frees) to a one-line explanation without the file name.
 */
dl_source *dl_source_parse(const char *data, gsize len, char **reason);

/*
 * domlint_read_input() with the failure as a one-line *REASON (caller
 * frees), which is how a result's failure carries it.
 */
char *dl_read_input(const char *path, gsize *len, char **reason);

/* Read PATH ("-" = standard input) and parse it. */
dl_source *dl_source_load(const char *path, char **reason);

void dl_source_free(dl_source *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_source, dl_source_free)

/* Where element NODE is in the text; FALSE when unknown.  SPAN may be NULL. */
gboolean dl_source_span(const dl_source *src, const xmlNode *node, dl_span *span);

/* 1-based line and column of NODE's start tag (0 when unknown). */
int dl_source_line(const dl_source *src, const xmlNode *node);
int dl_source_column(const dl_source *src, const xmlNode *node);

/* Attribute NAME of NODE as a GLib string (caller frees), or NULL when absent. */
char *dl_xml_prop(xmlNode *node, const char *name);
