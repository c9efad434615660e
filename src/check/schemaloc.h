/*
 * schemaloc.h - where in a document the schema fails, in words
 *
 * libxml2's RELAX NG validator reports a failure inside an <interleave> at
 * the interleave's element ("Extra element devices in interleave") and says
 * nothing of the child that failed.  The locator finds that child itself:
 * it walks the document from the root and checks each element against the
 * schema's definitions of its name one level deep (its attributes, its text
 * and the names of its children, their contents accepted whatever they
 * are), with libxml2 doing each check.  An element no definition accepts is
 * the culprit: it is reported at its own line with what the schema expects
 * there ("attribute 'modle' is not allowed on <controller>").
 *
 * A one-level check accepts more than the schema does, so an element it
 * rejects is rejected by the schema too: the locator never reports a valid
 * document and never changes libvirt's verdict; it only runs on a document
 * libxml2 has already rejected.  When every element passes one level deep
 * (the failure is in how levels combine) it finds nothing, and the caller
 * keeps libxml2's own message.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

typedef struct dl_schema_locator dl_schema_locator;

/*
 * A locator for the schema at PATH (a domain.rng).  Cheap: the schema is
 * read on the first dl_schema_locate(), so documents that validate never
 * pay for it.
 */
dl_schema_locator *dl_schema_locator_new(const char *path);
void dl_schema_locator_free(dl_schema_locator *loc);

/*
 * The elements of DOC the schema rejects one level deep, in document
 * order, as dl_schema_error* (schema.h; the array frees them); an empty
 * array when none is found or the schema cannot be read.  Safe to call
 * from several threads at once (they take turns).
 */
GPtrArray *dl_schema_locate(dl_schema_locator *loc, xmlDoc *doc);
