/*
 * xml.h - how domlint uses libxml2, in one place
 *
 * The parse options of every kind of document domlint reads, the one type
 * of structured error callback, and the XPath of a node as findings name it.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* What libxml2 hands a structured error callback: const since 2.12. */
#if LIBXML_VERSION >= 21200
typedef const xmlError dl_xml_error;
#else
typedef xmlError dl_xml_error;
#endif

/*
 * Every structured error callback (parser, RELAX NG parser and validator)
 * has this type, which is libxml2's xmlStructuredErrorFunc of the version
 * built against: it is passed to libxml2 without a cast.
 */
typedef void (*dl_xml_error_fn)(void *data, dl_xml_error *error);

typedef enum {
    /* a domain to check: untrusted, errors collected by the caller, line
     * numbers past 65535, CDATA read as text */
    DL_XML_DOMAIN,
    /* domlint's own data and schemas, libvirt's replies: libxml2 prints
     * nothing, the caller reports the first error */
    DL_XML_DATA,
    /* the same, with whitespace-only text dropped: read as a tree of
     * elements, or re-indented when it is written back */
    DL_XML_DATA_TREE,
} dl_xml_kind;

/* The libxml2 parser options (XML_PARSE_*) for a document of KIND; none reaches the network. */
int dl_xml_parse_options(dl_xml_kind kind);

/*
 * The XPath of NODE, an element or attribute, as xmlGetNodePath() writes it
 * ("/domain/devices/interface[3]/address"), in GLib memory (g_free).
 */
char *dl_xml_path(const xmlNode *node);

/*
 * The same for many nodes of one document: each parent's children are
 * counted once, on the first node below it, where xmlGetNodePath() counts a
 * node's same-named siblings on every call (a finding on each of 20 000
 * <interface> elements took 20 000^2 steps).
 */
typedef struct dl_xpaths dl_xpaths;
dl_xpaths *dl_xpaths_new(void);
void dl_xpaths_free(dl_xpaths *paths);
char *dl_xpaths_get(dl_xpaths *paths, const xmlNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_xpaths, dl_xpaths_free)
