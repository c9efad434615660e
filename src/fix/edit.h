/*
 * edit.h - text edits on the original document
 *
 * --fix must leave everything it does not need to touch byte for byte as
 * it was: quoting, attribute order, comments, indentation.  So fixes are
 * not written by serialising the tree; they are small replacements of
 * byte ranges of the source text, located through the element spans the
 * loader recorded.  An edit set is applied in one pass; overlapping edits
 * are refused so that two fixes never fight over the same bytes.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "core/load.h"

typedef struct dl_edits dl_edits;

dl_edits *dl_edits_new(const dl_source *src);
void dl_edits_free(dl_edits *edits);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_edits, dl_edits_free)

guint dl_edits_count(const dl_edits *edits);

/* Forget every edit recorded after the first COUNT (to undo a partial fix). */
void dl_edits_truncate(dl_edits *edits, guint count);

/*
 * Each returns FALSE (and records nothing) when the node cannot be located
 * in the text or the edit would overlap one already recorded.
 */

/* Remove ELEMENT, with its line when nothing else is on it. */
gboolean dl_edit_remove_element(dl_edits *edits, const xmlNode *element);

/* Set attribute NAME of ELEMENT to VALUE, adding it at the end when absent. */
gboolean dl_edit_set_attr(dl_edits *edits, const xmlNode *element, const char *name,
                          const char *value);

/* Remove attribute NAME of ELEMENT (TRUE when it was not there either). */
gboolean dl_edit_remove_attr(dl_edits *edits, const xmlNode *element, const char *name);

/* Insert XML (elements, attributes in '...', lines split by LF, no trailing
 * newline) as the last child of PARENT, on a line of its own after a comment
 * that ends the last child's line, each line indented like PARENT's other
 * children (the XML's two-space steps as the file's), in the file's line
 * ending and quote; an empty <parent/> or <parent></parent> is opened up,
 * its child one level deeper than it.  Into a parent written on one line a
 * one-line XML goes on that line. */
gboolean dl_edit_append_child(dl_edits *edits, const xmlNode *parent, const char *xml);

/* The edited text (caller frees). */
char *dl_edits_apply(const dl_edits *edits, gsize *len);

/* The same, and *LINES (caller frees): for each line of the edited text the
 * line of the original it comes from, or, for an inserted line, the line
 * it was inserted on (an array of int, index 0 for line 1). */
char *dl_edits_apply_lines(const dl_edits *edits, gsize *len, GArray **lines);
