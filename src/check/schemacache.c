/*
 * schemacache.c - a flattened copy of a RELAX NG schema, cached per user
 *
 * See schemacache.h.  The copy must compile to exactly the grammar the
 * original does, so the flattener does only what libxml2's own
 * simplification (xmlRelaxNGCleanupTree) would do anyway, and refuses
 * whatever would need more:
 *  - an <include> that is a direct child of a <grammar> is replaced, in
 *    place, by the children of the included file's <grammar>; libxml2
 *    parses an included grammar's content at that same point, so defines
 *    and their combine= chains keep their order;
 *  - comments, processing instructions and blank text are dropped (the
 *    text kept inside <value> and <param>, by element name, as libxml2
 *    does);
 *  - an included grammar must carry the same ns= and datatypeLibrary= as
 *    the top one, so that every inlined element inherits what it inherited
 *    in its own file; an <include> must have no ns= and no overrides;
 *  - no <include> or <externalRef> anywhere else, no file twice, no DTD or
 *    entity: any of these, and no copy is made (the caller compiles the
 *    original).
 *
 * The cache file is a text header and the flattened XML:
 *
 *   domlint-schema-cache 1 LENGTH
 *   STAMP PATH            one line per file read, domain.rng first
 *   (empty line)
 *   LENGTH bytes of XML
 *
 * A LENGTH of 0 records that the schema cannot be flattened.  A header that
 * does not parse, a stamp that differs from the file's (dl_file_stamp()) or
 * a body of another length means the copy is made again.  Files are
 * written to a temporary name and renamed (g_file_set_contents()), so a
 * reader sees an old copy or a new one.  A copy that is valid XML but was
 * edited by hand is not detected: the cache is the user's own, like the
 * validation records beside it.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "core/datafile.h"
#include "check/schemacache.h"
#include "core/xml.h"

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define CACHE_MAGIC "domlint-schema-cache 1"
#define CACHE_PREFIX "schema-"
#define CACHE_SUFFIX ".flat"

/* Options for libvirt's schema files: libxml2 reads them with none; these
 * only keep it quiet and off the network. */

typedef struct {
    xmlDoc *out;
    xmlNode *root;           /* the output <grammar> */
    xmlChar *ns;             /* the top grammar's ns= and datatypeLibrary=, or NULL */
    xmlChar *library;
    GString *sources;        /* "STAMP PATH\n" per file read */
    GHashTable *seen;        /* paths read so far */
} flattener;

static gboolean
is_rng(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns &&
           xmlStrEqual(node->ns->href, BAD_CAST RNG_NS) &&
           xmlStrEqual(node->name, BAD_CAST name);
}

/* libxml2's notion of blank: space, tab, newline, carriage return only. */
static gboolean
is_blank(const xmlChar *text)
{
    for (; text && *text; text++) {
        if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
            return FALSE;
    }
    return TRUE;
}

static gboolean
same_prop(xmlNode *a, xmlNode *b, const char *name)
{
    xmlChar *va = xmlGetProp(a, BAD_CAST name);
    xmlChar *vb = xmlGetProp(b, BAD_CAST name);
    gboolean same = xmlStrEqual(va, vb);

    xmlFree(va);
    xmlFree(vb);
    return same;
}

/* Text that libxml2 drops: blank, and not inside <value> or <param>. */
static gboolean
ignorable_text(const xmlNode *node)
{
    const xmlNode *parent = node->parent;

    if (!is_blank(node->content))
        return FALSE;
    return !parent || parent->type != XML_ELEMENT_NODE ||
           (!xmlStrEqual(parent->name, BAD_CAST "value") &&
            !xmlStrEqual(parent->name, BAD_CAST "param"));
}

/*
 * Drop from NODE's subtree what libxml2 would drop.  FALSE when it holds
 * something the flattener leaves to libxml2 (an include or externalRef
 * below the grammar's top level, an entity).
 */
static gboolean
strip(xmlNode *node)
{
    xmlNode *cur = node->children;

    while (cur) {
        xmlNode *next = cur->next;
        gboolean drop = FALSE;

        switch (cur->type) {
        case XML_ELEMENT_NODE:
            if (is_rng(cur, "include") || is_rng(cur, "externalRef") || !strip(cur))
                return FALSE;
            break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            drop = ignorable_text(cur);
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            drop = TRUE;
            break;
        case XML_ATTRIBUTE_NODE:
        case XML_ENTITY_REF_NODE:
        case XML_ENTITY_NODE:
        case XML_DOCUMENT_NODE:
        case XML_DOCUMENT_TYPE_NODE:
        case XML_DOCUMENT_FRAG_NODE:
        case XML_NOTATION_NODE:
        case XML_HTML_DOCUMENT_NODE:
        case XML_DTD_NODE:
        case XML_ELEMENT_DECL:
        case XML_ATTRIBUTE_DECL:
        case XML_ENTITY_DECL:
        case XML_NAMESPACE_DECL:
        case XML_XINCLUDE_START:
        case XML_XINCLUDE_END:
#ifdef LIBXML_DOCB_ENABLED
        case XML_DOCB_DOCUMENT_NODE:
#endif
        default:
            return FALSE;
        }
        if (drop) {
            xmlUnlinkNode(cur);
            xmlFreeNode(cur);
        }
        cur = next;
    }
    return TRUE;
}

/* Read one schema file; NULL when it is not a plain <grammar> document. */
static xmlDoc *
read_grammar(flattener *fl, const char *path)
{
    xmlDoc *doc;
    xmlNode *root;
    g_autofree char *stamp = NULL;

    if (strchr(path, '\n') || g_hash_table_contains(fl->seen, path))
        return NULL;
    stamp = dl_file_stamp(path);
    if (!stamp)
        return NULL;
    doc = xmlReadFile(path, NULL, dl_xml_parse_options(DL_XML_DATA));
    root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || doc->intSubset || doc->extSubset || !is_rng(root, "grammar")) {
        xmlFreeDoc(doc);
        return NULL;
    }
    g_hash_table_add(fl->seen, g_strdup(path));
    g_string_append_printf(fl->sources, "%s %s\n", stamp, path);
    return doc;
}

static gboolean inline_grammar(flattener *fl, xmlNode *grammar);

/* Replace INCLUDE by the content of the grammar it names. */
static gboolean
inline_include(flattener *fl, xmlNode *include)
{
    xmlChar *href = xmlGetProp(include, BAD_CAST "href");
    xmlChar *base = xmlNodeGetBase(include->doc, include);
    xmlChar *url = href ? xmlBuildURI(href, base) : NULL;
    xmlDoc *doc = NULL;
    xmlNode *root;
    gboolean ok = FALSE;

    if (!url || xmlHasProp(include, BAD_CAST "ns") || strstr((const char *) url, "://") ||
        strchr((const char *) url, '#'))
        goto cleanup;
    for (xmlNode *c = include->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE ||
            ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !is_blank(c->content)))
            goto cleanup;
    }
    doc = read_grammar(fl, (const char *) url);
    root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !same_prop(root, fl->root, "ns") || !same_prop(root, fl->root, "datatypeLibrary"))
        goto cleanup;
    ok = inline_grammar(fl, root);

 cleanup:
    xmlFreeDoc(doc);
    xmlFree(url);
    xmlFree(base);
    xmlFree(href);
    return ok;
}

/* Append GRAMMAR's content to the output, includes inlined. */
static gboolean
inline_grammar(flattener *fl, xmlNode *grammar)
{
    for (xmlNode *cur = grammar->children; cur; cur = cur->next) {
        xmlNode *copy = NULL;

        if (is_rng(cur, "include")) {
            if (!inline_include(fl, cur))
                return FALSE;
            continue;
        }
        if (cur->type == XML_COMMENT_NODE || cur->type == XML_PI_NODE)
            continue;
        if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) &&
            is_blank(cur->content))
            continue;
        if (cur->type != XML_ELEMENT_NODE)
            return FALSE;
        /* cloned against the output grammar: namespaces declared there are reused */
        if (xmlDOMWrapCloneNode(NULL, cur->doc, cur, &copy, fl->out, fl->root, 1, 0) != 0 || !copy)
            return FALSE;
        xmlAddChild(fl->root, copy);
        if (!strip(copy))
            return FALSE;
    }
    return TRUE;
}

/* The output document: a <grammar> with the top one's namespaces, ns= and datatypeLibrary=. */
static gboolean
start_output(flattener *fl, xmlNode *top)
{
    fl->out = xmlNewDoc(BAD_CAST "1.0");
    fl->root = xmlNewDocNode(fl->out, NULL, top->name, NULL);
    if (!fl->out || !fl->root)
        return FALSE;
    xmlDocSetRootElement(fl->out, fl->root);
    for (xmlNs *ns = top->nsDef; ns; ns = ns->next)
        xmlNewNs(fl->root, ns->href, ns->prefix);
    xmlSetNs(fl->root, xmlSearchNsByHref(fl->out, fl->root, BAD_CAST RNG_NS));
    if (!fl->root->ns)
        return FALSE;
    fl->ns = xmlGetProp(top, BAD_CAST "ns");
    fl->library = xmlGetProp(top, BAD_CAST "datatypeLibrary");
    if (fl->ns)
        xmlSetProp(fl->root, BAD_CAST "ns", fl->ns);
    if (fl->library)
        xmlSetProp(fl->root, BAD_CAST "datatypeLibrary", fl->library);
    return TRUE;
}

char *
dl_schema_flatten(const char *schema, gsize *len, GString *sources)
{
    g_autoptr(GString) own = g_string_new(NULL);
    flattener fl = { .sources = sources ? sources : own };
    xmlDoc *top;
    xmlChar *mem = NULL;
    int size = 0;
    char *result = NULL;

    *len = 0;
    fl.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    top = read_grammar(&fl, schema);
    if (top && start_output(&fl, xmlDocGetRootElement(top)) &&
        inline_grammar(&fl, xmlDocGetRootElement(top))) {
        xmlDocDumpMemoryEnc(fl.out, &mem, &size, "UTF-8");
        if (mem && size > 0) {
            result = g_strndup((const char *) mem, (gsize) size);
            *len = (gsize) size;
        }
        xmlFree(mem);
    }
    xmlFreeDoc(top);
    xmlFreeDoc(fl.out);
    xmlFree(fl.ns);
    xmlFree(fl.library);
    g_hash_table_unref(fl.seen);
    return result;
}

/* ------------------------------------------------------------------ */
/* the cache                                                          */

static char *
cache_dir(void)
{
    return g_build_filename(g_get_user_cache_dir(), "domlint", NULL);
}

static char *
cache_path(const char *dir, const char *schema)
{
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, schema, -1);
    g_autofree char *name = g_strdup_printf(CACHE_PREFIX "%.16s" CACHE_SUFFIX, sum);

    return g_build_filename(dir, name, NULL);
}

/*
 * Check the header of DATA (LEN bytes) against the files as they are now.
 * TRUE when it is current; *BODY is then the offset of the XML and
 * *BODY_LEN its length (0: the schema cannot be flattened).
 */
static gboolean
header_current(const char *data, gsize len, const char *schema, gsize *body, gsize *body_len)
{
    const char *end = data + len;
    const char *line = data;
    const char *nl = memchr(line, '\n', len);
    g_autofree char *first = nl ? g_strndup(line, (gsize) (nl - line)) : NULL;
    guint64 length = 0;
    char *tail = NULL;
    guint files = 0;

    if (!first || !g_str_has_prefix(first, CACHE_MAGIC " "))
        return FALSE;
    length = g_ascii_strtoull(first + strlen(CACHE_MAGIC " "), &tail, 10);
    if (!tail || *tail != '\0' || tail == first + strlen(CACHE_MAGIC " "))
        return FALSE;
    for (line = nl + 1; line < end; line = nl + 1) {
        g_autofree char *entry = NULL;
        g_autofree char *now = NULL;
        char *space;

        nl = memchr(line, '\n', (gsize) (end - line));
        if (!nl)
            return FALSE;
        if (nl == line)
            break;
        entry = g_strndup(line, (gsize) (nl - line));
        space = strchr(entry, ' ');
        if (!space)
            return FALSE;
        *space = '\0';
        if (files++ == 0 && strcmp(space + 1, schema) != 0)
            return FALSE;
        now = dl_file_stamp(space + 1);
        if (g_strcmp0(now, entry) != 0)
            return FALSE;
    }
    if (line >= end || files == 0)
        return FALSE;
    *body = (gsize) (nl + 1 - data);
    *body_len = len - *body;
    return *body_len == length;
}

/* The copy in PATH when it is current, or NULL; *NEGATIVE when it says "cannot flatten". */
static char *
cache_read(const char *path, const char *schema, gsize *len, gboolean *negative)
{
    g_autofree char *data = NULL;
    gsize size = 0;
    gsize body = 0;
    gsize body_len = 0;

    *negative = FALSE;
    if (!g_file_get_contents(path, &data, &size, NULL) ||
        !header_current(data, size, schema, &body, &body_len))
        return NULL;
    if (body_len == 0) {
        *negative = TRUE;
        return NULL;
    }
    memmove(data, data + body, body_len);
    data[body_len] = '\0';
    *len = body_len;
    return g_steal_pointer(&data);
}

/*
 * Copies of schemas that are gone (temporary trees, old --schema-dir
 * values): removed whenever a copy is written, so the cache holds what
 * exists however many come and go.
 */
static void
prune(const char *dir)
{
    GDir *handle = g_dir_open(dir, 0, NULL);

    if (!handle)
        return;
    for (const char *name = g_dir_read_name(handle); name; name = g_dir_read_name(handle)) {
        g_autofree char *path = NULL;
        g_autofree char *head = NULL;
        char *schema;
        char *nl;

        if (!g_str_has_prefix(name, CACHE_PREFIX) || !g_str_has_suffix(name, CACHE_SUFFIX))
            continue;
        path = g_build_filename(dir, name, NULL);
        if (!g_file_get_contents(path, &head, NULL, NULL))
            continue;
        /* the second line is "STAMP PATH" of the schema itself */
        nl = strchr(head, '\n');
        schema = nl ? strchr(nl + 1, ' ') : NULL;
        nl = schema ? strchr(schema, '\n') : NULL;
        if (!nl)
            continue;
        *nl = '\0';
        if (!g_file_test(schema + 1, G_FILE_TEST_EXISTS))
            g_unlink(path);
    }
    g_dir_close(handle);
}

static gboolean
cache_write(const char *dir, const char *path, const GString *sources, const char *body,
            gsize len)
{
    g_autoptr(GString) data = g_string_sized_new(sources->len + len + 64);

    g_string_append_printf(data, CACHE_MAGIC " %" G_GSIZE_FORMAT "\n", len);
    g_string_append_len(data, sources->str, (gssize) sources->len);
    g_string_append_c(data, '\n');
    if (body)
        g_string_append_len(data, body, (gssize) len);
    prune(dir);
    return g_file_set_contents(path, data->str, (gssize) data->len, NULL);
}

char *
dl_schema_flat_get(const char *schema, gsize *len)
{
    g_autofree char *canonical = g_canonicalize_filename(schema, NULL);
    g_autofree char *dir = cache_dir();
    g_autofree char *path = cache_path(dir, canonical);
    g_autoptr(GString) sources = g_string_new(NULL);
    gboolean negative = FALSE;
    char *flat;

    *len = 0;
    flat = cache_read(path, canonical, len, &negative);
    if (flat || negative)
        return flat;
    /* nowhere to keep a copy: making one each time would only cost */
    if (g_mkdir_with_parents(dir, 0700) != 0 || access(dir, W_OK | X_OK) != 0)
        return NULL;
    flat = dl_schema_flatten(canonical, len, sources);
    if (sources->len == 0 || !cache_write(dir, path, sources, flat, *len)) {
        g_free(flat);
        *len = 0;
        return NULL;
    }
    return flat;
}
