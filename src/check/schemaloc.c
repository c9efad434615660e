/*
 * schemaloc.c - where in a document the schema fails, in words
 *
 * See schemaloc.h.  The schema read is the flattened copy (schemacache.h):
 * one document whose <define>s are indexed by name.  For an <element>
 * pattern D of the schema, its "one-level grammar" is a small grammar
 * whose start is a copy of D in which every nested <element> keeps its
 * name but takes any content, with copies of the defines D's own level
 * refers to.  These are compiled on demand and kept for the process.
 *
 * The walk: the root's candidates are the elements <start> allows; an
 * element that some candidate accepts one level deep passes, and the
 * candidates of each child are the nested elements of the accepting
 * candidates that have the child's name.  An element that no candidate
 * accepts is explained from what the candidates allow (attribute and
 * child names, required ones, value patterns) and from what libxml2 said
 * about the one-level check, and its subtree is not walked.
 *
 * A definition is often a choice of forms told apart by fixed values
 * (<address type='pci'> or type='drive', <disk type='file'> or 'network'):
 * a branch of a <choice> with an attribute whose values are all listed and
 * do not include the element's is not its form.  The children's
 * candidates, the attributes and children an element needs, and what a
 * value may be are taken from the forms that remain (all of them when none
 * does).  Pruning by a value the element has never rules out the form a
 * valid element matches, so the walk stays sound.
 */
#include "config.h"

#include <string.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "check/schema.h"
#include "check/schemacache.h"
#include "check/schemaloc.h"
#include "core/xml.h"

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define ANY_DEFINE "domlint-any-content"
#define VALUE_ELEMENT "v"
/* enough to name what is expected, short enough to read */
#define MAX_ALTERNATIVES 12

typedef struct {
    xmlRelaxNG *rng;          /* NULL: the one-level grammar did not compile */
} shallow_grammar;

struct dl_schema_locator {
    GMutex lock;
    char *path;
    gboolean loaded;          /* tried to read the schema (rng may still be NULL) */
    xmlDoc *rng;
    GHashTable *defines;      /* name -> GPtrArray of <define> (borrowed from rng) */
    GPtrArray *start;         /* the <element>s <start> allows */
    GHashTable *nested;       /* <element> -> GPtrArray of its level's nested <element>s */
    GHashTable *shallow;      /* <element> -> shallow_grammar */
    GHashTable *parents;      /* element name -> GPtrArray of names of elements that may contain it */
};

/* One element the walk rejected, and what libxml2 said about it. */
typedef struct {
    const xmlNode *node;      /* in the checked document */
    GPtrArray *cands;         /* its candidate <element> patterns */
    GPtrArray *messages;      /* libxml2's messages (char *) for the first candidate */
    GPtrArray *nodes;         /* and the node of the checked document each is about */
} culprit;

/* ---- reading the schema */

static gboolean
is_rng(const xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns &&
           xmlStrEqual(node->ns->href, BAD_CAST RNG_NS) &&
           (!name || xmlStrEqual(node->name, BAD_CAST name));
}

static const char *
rng_attr(const xmlNode *node, const char *name)
{
    for (const xmlAttr *a = node->properties; a; a = a->next) {
        if (!a->ns && xmlStrEqual(a->name, BAD_CAST name) && a->children)
            return (const char *) a->children->content;
    }
    return NULL;
}

/* The name class of an <element> or <attribute> pattern, when it is a child. */
static const xmlNode *
name_class(const xmlNode *pattern)
{
    if (rng_attr(pattern, "name"))
        return NULL;
    for (const xmlNode *c = pattern->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            return c;
    }
    return NULL;
}

/* TRUE when the name class NC (a <name>, <choice>, <anyName>, <nsName>) allows NAME. */
static gboolean
class_allows(const xmlNode *nc, const char *name)
{
    if (is_rng(nc, "anyName") || is_rng(nc, "nsName"))
        return TRUE;
    if (is_rng(nc, "name")) {
        g_autofree char *text = (char *) xmlNodeGetContent(nc);
        return text && strcmp(g_strstrip(text), name) == 0;
    }
    if (is_rng(nc, "choice")) {
        for (const xmlNode *c = nc->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && class_allows(c, name))
                return TRUE;
        }
    }
    return FALSE;
}

/* TRUE when the <element> or <attribute> PATTERN allows the name NAME. */
static gboolean
pattern_allows(const xmlNode *pattern, const char *name)
{
    const char *own = rng_attr(pattern, "name");
    const xmlNode *nc;

    if (own)
        return strcmp(own, name) == 0;
    nc = name_class(pattern);
    return nc && class_allows(nc, name);
}

/* The single name of PATTERN, or NULL when it allows several. */
static char *
pattern_name(const xmlNode *pattern)
{
    const char *own = rng_attr(pattern, "name");
    const xmlNode *nc = name_class(pattern);

    if (own)
        return g_strdup(own);
    if (nc && is_rng(nc, "name")) {
        char *text = (char *) xmlNodeGetContent(nc);
        return g_strstrip(text);
    }
    return NULL;
}

static void
index_defines(dl_schema_locator *loc, const xmlNode *grammar)
{
    for (const xmlNode *c = grammar->children; c; c = c->next) {
        const char *name = is_rng(c, "define") ? rng_attr(c, "name") : NULL;
        GPtrArray *list;

        if (is_rng(c, "div"))
            index_defines(loc, c);
        if (!name)
            continue;
        list = g_hash_table_lookup(loc->defines, name);
        if (!list) {
            list = g_ptr_array_new();
            g_hash_table_insert(loc->defines, g_strdup(name), list);
        }
        g_ptr_array_add(list, (gpointer) c);
    }
}

/* The <define>s the <ref> REF names, or NULL when it names none or they were
 * followed already on this walk (SEEN: define names). */
static GPtrArray *
ref_defines(dl_schema_locator *loc, const xmlNode *ref, GHashTable *seen)
{
    const char *name = rng_attr(ref, "name");
    GPtrArray *defs = name ? g_hash_table_lookup(loc->defines, name) : NULL;

    if (!defs || g_hash_table_contains(seen, name))
        return NULL;
    g_hash_table_add(seen, (gpointer) name);
    return defs;
}

/*
 * The <element> patterns below NODE on its own level: through <ref>s, not
 * into nested <element>s (whose content is another level) nor <attribute>s.
 */
static void
collect_elements(dl_schema_locator *loc, const xmlNode *node, GPtrArray *out, GHashTable *seen)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (!is_rng(c, NULL) || is_rng(c, "attribute"))
            continue;
        if (is_rng(c, "element")) {
            g_ptr_array_add(out, (gpointer) c);
        } else if (is_rng(c, "ref")) {
            GPtrArray *defs = ref_defines(loc, c, seen);

            for (guint i = 0; defs && i < defs->len; i++)
                collect_elements(loc, g_ptr_array_index(defs, i), out, seen);
        } else {
            collect_elements(loc, c, out, seen);
        }
    }
}

/* The nested <element>s of the <element> pattern EL (borrowed, cached). */
static GPtrArray *
nested_elements(dl_schema_locator *loc, const xmlNode *el)
{
    GPtrArray *out = g_hash_table_lookup(loc->nested, el);
    g_autoptr(GHashTable) seen = NULL;

    if (out)
        return out;
    seen = g_hash_table_new(g_str_hash, g_str_equal);
    out = g_ptr_array_new();
    collect_elements(loc, el, out, seen);
    g_hash_table_insert(loc->nested, (gpointer) el, out);
    return out;
}

static void
free_shallow(gpointer p)
{
    shallow_grammar *g = p;

    xmlRelaxNGFree(g->rng);
    g_free(g);
}

static void
load_schema(dl_schema_locator *loc)
{
    g_autofree char *flat = NULL;
    gsize len = 0;
    xmlNode *root;
    g_autoptr(GHashTable) seen = NULL;

    loc->loaded = TRUE;
    flat = dl_schema_flat_get(loc->path, &len);
    if (!flat)
        flat = dl_schema_flatten(loc->path, &len, NULL);
    if (!flat || len > G_MAXINT)
        return;
    loc->rng = xmlReadMemory(flat, (int) len, loc->path, NULL,
                             dl_xml_parse_options(DL_XML_DATA_TREE));
    root = loc->rng ? xmlDocGetRootElement(loc->rng) : NULL;
    if (!is_rng(root, "grammar")) {
        xmlFreeDoc(g_steal_pointer(&loc->rng));
        return;
    }
    loc->defines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
    loc->nested = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
    loc->shallow = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_shallow);
    loc->start = g_ptr_array_new();
    index_defines(loc, root);
    seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (is_rng(c, "start"))
            collect_elements(loc, c, loc->start, seen);
    }
}

dl_schema_locator *
dl_schema_locator_new(const char *path)
{
    dl_schema_locator *loc = g_new0(dl_schema_locator, 1);

    g_mutex_init(&loc->lock);
    loc->path = g_strdup(path);
    return loc;
}

void
dl_schema_locator_free(dl_schema_locator *loc)
{
    if (!loc)
        return;
    if (loc->defines)
        g_hash_table_unref(loc->defines);
    if (loc->nested)
        g_hash_table_unref(loc->nested);
    if (loc->shallow)
        g_hash_table_unref(loc->shallow);
    if (loc->parents)
        g_hash_table_unref(loc->parents);
    if (loc->start)
        g_ptr_array_unref(loc->start);
    xmlFreeDoc(loc->rng);
    g_mutex_clear(&loc->lock);
    g_free(loc->path);
    g_free(loc);
}

/* ---- one-level grammars */

/* An attribute the copy of SRC needs from SRC's ancestors (datatypeLibrary=, ns=). */
static void
inherit(xmlNode *copy, const xmlNode *src, const char *name)
{
    if (rng_attr(copy, name))
        return;
    for (const xmlNode *a = src->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent) {
        const char *value = rng_attr(a, name);

        if (value) {
            xmlSetProp(copy, BAD_CAST name, BAD_CAST value);
            return;
        }
    }
}

/* Give the nested <element> EL of a copy any content, keeping its name class. */
static void
relax_element(xmlNode *el)
{
    const xmlNode *nc = name_class(el);
    xmlNode *next;

    for (xmlNode *c = el->children; c; c = next) {
        next = c->next;
        if (c == nc)
            continue;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    xmlSetProp(xmlNewChild(el, el->ns, BAD_CAST "ref", NULL), BAD_CAST "name", BAD_CAST ANY_DEFINE);
}

/* Relax the nested elements below NODE (a copy) and queue the defines it refers to. */
static void
relax_level(xmlNode *node, GHashTable *wanted, GQueue *todo)
{
    for (xmlNode *c = node->children; c; c = c->next) {
        if (!is_rng(c, NULL))
            continue;
        if (is_rng(c, "element")) {
            relax_element(c);
        } else if (is_rng(c, "ref") || is_rng(c, "parentRef")) {
            const char *name = rng_attr(c, "name");

            if (name && !g_hash_table_contains(wanted, name)) {
                g_hash_table_add(wanted, g_strdup(name));
                g_queue_push_tail(todo, g_strdup(name));
            }
        } else {
            relax_level(c, wanted, todo);
        }
    }
}

static void
add_any_define(xmlNode *grammar, xmlNs *ns)
{
    xmlNode *def = xmlNewChild(grammar, ns, BAD_CAST "define", NULL);
    xmlNode *choice = xmlNewChild(xmlNewChild(def, ns, BAD_CAST "zeroOrMore", NULL), ns, BAD_CAST "choice", NULL);
    xmlNode *attr = xmlNewChild(choice, ns, BAD_CAST "attribute", NULL);
    xmlNode *el;

    xmlSetProp(def, BAD_CAST "name", BAD_CAST ANY_DEFINE);
    xmlNewChild(attr, ns, BAD_CAST "anyName", NULL);
    xmlNewChild(choice, ns, BAD_CAST "text", NULL);
    el = xmlNewChild(choice, ns, BAD_CAST "element", NULL);
    xmlNewChild(el, ns, BAD_CAST "anyName", NULL);
    xmlSetProp(xmlNewChild(el, ns, BAD_CAST "ref", NULL), BAD_CAST "name", BAD_CAST ANY_DEFINE);
}

static void
ignore_error(void *user, dl_xml_error *err)
{
    (void) user;
    (void) err;
}

/*
 * The one-level grammar of the <element> pattern EL, as a document (caller
 * frees).  For an <attribute> pattern, the grammar of an element <v> with
 * just that attribute: it checks a value.
 */
static xmlDoc *
shallow_doc(dl_schema_locator *loc, const xmlNode *el)
{
    const xmlNode *top = xmlDocGetRootElement(loc->rng);
    xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNode *grammar = xmlNewDocNode(doc, NULL, BAD_CAST "grammar", NULL);
    xmlNs *ns = xmlNewNs(grammar, BAD_CAST RNG_NS, NULL);
    xmlNode *start;
    xmlNode *copy;
    g_autoptr(GHashTable) wanted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GQueue todo = G_QUEUE_INIT;
    xmlSetNs(grammar, ns);
    xmlDocSetRootElement(doc, grammar);
    for (const char *const *a = (const char *const[]) { "datatypeLibrary", "ns", NULL }; *a; a++) {
        if (rng_attr(top, *a))
            xmlSetProp(grammar, BAD_CAST *a, BAD_CAST rng_attr(top, *a));
    }
    start = xmlNewChild(grammar, ns, BAD_CAST "start", NULL);
    if (is_rng(el, "attribute")) {
        start = xmlNewChild(start, ns, BAD_CAST "element", NULL);
        xmlSetProp(start, BAD_CAST "name", BAD_CAST VALUE_ELEMENT);
    }
    copy = xmlDocCopyNode((xmlNode *) el, doc, 1);
    xmlAddChild(start, copy);
    inherit(copy, el, "datatypeLibrary");
    inherit(copy, el, "ns");
    relax_level(copy, wanted, &todo);
    for (char *name = g_queue_pop_head(&todo); name; name = g_queue_pop_head(&todo)) {
        GPtrArray *defs = g_hash_table_lookup(loc->defines, name);

        for (guint i = 0; defs && i < defs->len; i++) {
            xmlNode *def = xmlDocCopyNode(g_ptr_array_index(defs, i), doc, 1);

            xmlAddChild(grammar, def);
            relax_level(def, wanted, &todo);
        }
        g_free(name);
    }
    add_any_define(grammar, ns);
    return doc;
}

static xmlRelaxNG *
shallow_grammar_of(dl_schema_locator *loc, const xmlNode *el)
{
    shallow_grammar *g = g_hash_table_lookup(loc->shallow, el);
    xmlDoc *doc;
    xmlRelaxNGParserCtxt *pctxt;

    if (g)
        return g->rng;
    g = g_new0(shallow_grammar, 1);
    doc = shallow_doc(loc, el);
    pctxt = xmlRelaxNGNewDocParserCtxt(doc);
    if (pctxt) {
        xmlRelaxNGSetParserStructuredErrors(pctxt, ignore_error, NULL);
        g->rng = xmlRelaxNGParse(pctxt);
        xmlRelaxNGFreeParserCtxt(pctxt);
    }
    xmlFreeDoc(doc);
    g_hash_table_insert(loc->shallow, (gpointer) el, g);
    return g->rng;
}

/* ---- one-level checks */

typedef struct {
    GPtrArray *messages;
    GPtrArray *nodes;         /* the copy's node of each message, or NULL */
} check_errors;

static void
collect_check_error(void *user, dl_xml_error *err)
{
    check_errors *ce = user;

    if (!err || !err->message)
        return;
    g_ptr_array_add(ce->messages, g_strstrip(g_strdup(err->message)));
    g_ptr_array_add(ce->nodes, err->node);
}

/*
 * NODE with its attributes, its text and its child elements without their
 * content, as a document of its own (caller frees); ORIG and COPY get the
 * elements of the one and the other, pairwise.
 */
static xmlDoc *
level_copy(const xmlNode *node, GPtrArray *orig, GPtrArray *copy)
{
    xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNode *root = xmlDocCopyNode((xmlNode *) node, doc, 2);

    xmlDocSetRootElement(doc, root);
    g_ptr_array_add(orig, (gpointer) node);
    g_ptr_array_add(copy, root);
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            xmlNode *cc = xmlDocCopyNode((xmlNode *) c, doc, 2);

            xmlAddChild(root, cc);
            g_ptr_array_add(orig, (gpointer) c);
            g_ptr_array_add(copy, cc);
        } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            xmlAddChild(root, xmlNewDocText(doc, c->content));
        }
    }
    return doc;
}

/*
 * Check NODE one level deep against the pattern EL: TRUE when it passes (or
 * the check cannot be made).  What libxml2 says goes to MESSAGES and NODES
 * (nodes of the checked document), when not NULL.
 */
static gboolean
level_passes(dl_schema_locator *loc, const xmlNode *el, const xmlNode *node,
             GPtrArray *messages, GPtrArray *nodes)
{
    xmlRelaxNG *rng = shallow_grammar_of(loc, el);
    g_autoptr(GPtrArray) orig = g_ptr_array_new();
    g_autoptr(GPtrArray) copy = g_ptr_array_new();
    check_errors ce = { g_ptr_array_new_with_free_func(g_free), g_ptr_array_new() };
    xmlRelaxNGValidCtxt *vctxt;
    xmlDoc *doc;
    int rc;

    if (!rng)
        return TRUE;
    doc = level_copy(node, orig, copy);
    vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vctxt, collect_check_error, &ce);
    rc = vctxt ? xmlRelaxNGValidateDoc(vctxt, doc) : 0;
    xmlRelaxNGFreeValidCtxt(vctxt);
    for (guint i = 0; messages && i < ce.messages->len; i++) {
        const xmlNode *at = NULL;
        guint k;

        if (g_ptr_array_find(copy, g_ptr_array_index(ce.nodes, i), &k))
            at = g_ptr_array_index(orig, k);
        g_ptr_array_add(messages, g_strdup(g_ptr_array_index(ce.messages, i)));
        g_ptr_array_add(nodes, (gpointer) at);
    }
    g_ptr_array_unref(ce.messages);
    g_ptr_array_unref(ce.nodes);
    xmlFreeDoc(doc);
    return rc == 0;
}

/* TRUE when the <attribute> pattern ATTR allows VALUE (or the check cannot be made). */
static gboolean
value_allowed(dl_schema_locator *loc, const xmlNode *attr, const char *name, const char *value)
{
    xmlRelaxNG *rng = shallow_grammar_of(loc, attr);
    xmlRelaxNGValidCtxt *vctxt;
    xmlDoc *doc;
    xmlNode *root;
    int rc;

    if (!rng)
        return TRUE;
    doc = xmlNewDoc(BAD_CAST "1.0");
    root = xmlNewDocNode(doc, NULL, BAD_CAST VALUE_ELEMENT, NULL);
    xmlDocSetRootElement(doc, root);
    xmlSetProp(root, BAD_CAST name, BAD_CAST value);
    vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vctxt, ignore_error, NULL);
    rc = vctxt ? xmlRelaxNGValidateDoc(vctxt, doc) : 0;
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
    return rc == 0;
}

/* ---- what a level allows */

typedef struct {
    GHashTable *attrs;        /* attribute name -> GPtrArray of <attribute> patterns */
    gboolean any_attr;        /* an attribute of any name is allowed */
    GHashTable *children;     /* child element name -> TRUE */
    gboolean any_child;
    const xmlNode *subject;   /* the checked element: choices follow its fixed values */
    GHashTable *form_children; /* child element names of the forms that fit the subject */
    GPtrArray *form_elements; /* and their <element> patterns */
    gboolean unfit;           /* a choice none of whose branches fits the subject */
} level_info;

static void describe_into(dl_schema_locator *loc, const xmlNode *node, GPtrArray *out, int depth);
static void gather_one(dl_schema_locator *loc, const xmlNode *c, level_info *li, GHashTable *seen);

static void
level_info_empty(level_info *li, const xmlNode *subject)
{
    li->attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
    li->children = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    li->any_attr = FALSE;
    li->any_child = FALSE;
    li->subject = subject;
    li->form_children = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    li->form_elements = g_ptr_array_new();
    li->unfit = FALSE;
}

static void
level_info_release(level_info *li)
{
    g_hash_table_unref(li->attrs);
    g_hash_table_unref(li->children);
    g_hash_table_unref(li->form_children);
    g_ptr_array_unref(li->form_elements);
}

static void
gather_attrs(dl_schema_locator *loc, const xmlNode *node, level_info *li, GHashTable *seen)
{
    for (const xmlNode *c = node->children; c; c = c->next)
        gather_one(loc, c, li, seen);
}

/*
 * The values LI allows for attribute A, quoted ("'pci'"), when it allows
 * only fixed values (the attribute picks the element's form); else NULL.
 */
static GPtrArray *
fixed_values_of(dl_schema_locator *loc, const level_info *li, const xmlAttr *a)
{
    GPtrArray *patterns = a->ns ? NULL : g_hash_table_lookup(li->attrs, a->name);
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; patterns && i < patterns->len; i++)
        describe_into(loc, g_ptr_array_index(patterns, i), values, 0);
    if (values->len == 0)
        return NULL;
    for (guint i = 0; i < values->len; i++) {
        if (((const char *) g_ptr_array_index(values, i))[0] != '\'')
            return NULL;
    }
    return g_steal_pointer(&values);
}

/*
 * FALSE when an attribute of SUBJECT has a value that LI (what a pattern
 * allows) lists fixed values for, none of them SUBJECT's: <address
 * type='pci'> does not take the form of <address type='drive'>.
 */
static gboolean
values_fit(dl_schema_locator *loc, const level_info *li, const xmlNode *subject)
{
    /* an attribute of any name might be the one that matches */
    if (li->any_attr)
        return TRUE;
    for (const xmlAttr *a = subject->properties; a; a = a->next) {
        g_autoptr(GPtrArray) values = fixed_values_of(loc, li, a);
        g_autofree char *value = NULL;
        g_autofree char *quoted = NULL;

        if (!values)
            continue;
        value = (char *) xmlGetProp(subject, a->name);
        quoted = g_strdup_printf("'%s'", value ? value : "");
        if (!g_ptr_array_find_with_equal_func(values, quoted, g_str_equal, NULL))
            return FALSE;
    }
    return TRUE;
}

/* FALSE when the fixed values of the pattern B (a branch of a <choice>) rule out SUBJECT. */
static gboolean
branch_fits(dl_schema_locator *loc, const xmlNode *b, const xmlNode *subject)
{
    level_info branch;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    gboolean fits;

    level_info_empty(&branch, NULL);
    gather_one(loc, b, &branch, seen);
    fits = values_fit(loc, &branch, subject);
    level_info_release(&branch);
    return fits;
}

/* The branches of the <choice> C that fit LI's subject, or all of them when none does. */
static void
gather_choice(dl_schema_locator *loc, const xmlNode *c, level_info *li, GHashTable *seen)
{
    gboolean any = FALSE;

    for (const xmlNode *b = c->children; b && li->subject; b = b->next) {
        if (!is_rng(b, NULL))
            continue;
        if (branch_fits(loc, b, li->subject)) {
            any = TRUE;
            gather_one(loc, b, li, seen);
        }
    }
    if (!any && li->subject)
        li->unfit = TRUE;
    if (!any)
        gather_attrs(loc, c, li, seen);
}

static void
gather_one(dl_schema_locator *loc, const xmlNode *c, level_info *li, GHashTable *seen)
{
    if (is_rng(c, "element")) {
        char *name = pattern_name(c);

        if (name)
            g_hash_table_replace(li->form_children, name, GINT_TO_POINTER(1));
        g_ptr_array_add(li->form_elements, (gpointer) c);
        return;
    }
    if (!is_rng(c, NULL))
        return;
    if (is_rng(c, "attribute")) {
        g_autofree char *name = pattern_name(c);
        GPtrArray *list;

        if (!name) {
            li->any_attr = TRUE;
            return;
        }
        list = g_hash_table_lookup(li->attrs, name);
        if (!list) {
            list = g_ptr_array_new();
            g_hash_table_insert(li->attrs, g_strdup(name), list);
        }
        g_ptr_array_add(list, (gpointer) c);
    } else if (is_rng(c, "ref")) {
        GPtrArray *defs = ref_defines(loc, c, seen);

        for (guint i = 0; defs && i < defs->len; i++)
            gather_attrs(loc, g_ptr_array_index(defs, i), li, seen);
    } else if (is_rng(c, "choice")) {
        gather_choice(loc, c, li, seen);
    } else {
        gather_attrs(loc, c, li, seen);
    }
}

/* What the candidate patterns CANDS allow on their level for SUBJECT (may be NULL), together. */
static void
level_info_init(level_info *li, dl_schema_locator *loc, GPtrArray *cands, const xmlNode *subject)
{
    level_info_empty(li, subject);
    for (guint i = 0; i < cands->len; i++) {
        const xmlNode *el = g_ptr_array_index(cands, i);
        GPtrArray *nested = nested_elements(loc, el);
        g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

        gather_attrs(loc, el, li, seen);
        for (guint k = 0; k < nested->len; k++) {
            char *name = pattern_name(g_ptr_array_index(nested, k));

            if (name)
                g_hash_table_replace(li->children, name, GINT_TO_POINTER(1));
            else
                li->any_child = TRUE;
        }
    }
}

/*
 * The names (attributes when ATTRS, else child elements) that NODE's
 * pattern requires, into OUT: a choice requires what all its branches do.
 */
static void
required_names(dl_schema_locator *loc, const xmlNode *node, gboolean attrs, GHashTable *out, int depth, const xmlNode *subject);

/* TRUE when the defines DEFS (of one name) combine as a choice. */
static gboolean
combined_by_choice(const GPtrArray *defs)
{
    for (guint i = 0; i < defs->len; i++) {
        if (g_strcmp0(rng_attr(g_ptr_array_index(defs, i), "combine"), "choice") == 0)
            return TRUE;
    }
    return FALSE;
}

static void
required_of_pattern(dl_schema_locator *loc, const xmlNode *c, gboolean attrs, GHashTable *out, int depth, const xmlNode *subject)
{
    if (is_rng(c, "attribute") || is_rng(c, "element")) {
        g_autofree char *name = NULL;

        if (is_rng(c, "attribute") != attrs)
            return;
        name = pattern_name(c);
        if (name)
            g_hash_table_add(out, g_steal_pointer(&name));
    } else if (is_rng(c, "optional") || is_rng(c, "zeroOrMore") || is_rng(c, "empty") ||
               is_rng(c, "notAllowed") || is_rng(c, "data") || is_rng(c, "value") ||
               is_rng(c, "text") || is_rng(c, "list")) {
        return;
    } else if (is_rng(c, "choice")) {
        g_autoptr(GHashTable) common = NULL;
        gboolean any_fits = FALSE;

        /* the branches the subject's fixed values pick, when some do */
        for (const xmlNode *b = c->children; b && subject && !any_fits; b = b->next)
            any_fits = is_rng(b, NULL) && branch_fits(loc, b, subject);
        for (const xmlNode *b = c->children; b; b = b->next) {
            g_autoptr(GHashTable) branch = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            GHashTableIter it;
            gpointer key;

            if (!is_rng(b, NULL) || (any_fits && !branch_fits(loc, b, subject)))
                continue;
            required_of_pattern(loc, b, attrs, branch, depth + 1, subject);
            if (!common) {
                common = g_steal_pointer(&branch);
                continue;
            }
            g_hash_table_iter_init(&it, common);
            while (g_hash_table_iter_next(&it, &key, NULL)) {
                if (!g_hash_table_contains(branch, key))
                    g_hash_table_iter_remove(&it);
            }
        }
        if (common) {
            GHashTableIter it;
            gpointer key;

            g_hash_table_iter_init(&it, common);
            while (g_hash_table_iter_next(&it, &key, NULL))
                g_hash_table_add(out, g_strdup(key));
        }
    } else if (is_rng(c, "ref")) {
        const char *name = rng_attr(c, "name");
        GPtrArray *defs = name ? g_hash_table_lookup(loc->defines, name) : NULL;

        /* one define, or a chain combined by interleave: what each requires */
        if (!defs || depth > 32)
            return;
        if (combined_by_choice(defs))
            return;
        for (guint i = 0; i < defs->len; i++)
            required_names(loc, g_ptr_array_index(defs, i), attrs, out, depth + 1, subject);
    } else {
        required_names(loc, c, attrs, out, depth + 1, subject);
    }
}

static void
required_names(dl_schema_locator *loc, const xmlNode *node, gboolean attrs, GHashTable *out, int depth, const xmlNode *subject)
{
    const xmlNode *nc = is_rng(node, "element") || is_rng(node, "attribute") ? name_class(node) : NULL;

    for (const xmlNode *c = node->children; c; c = c->next) {
        if (is_rng(c, NULL) && c != nc)
            required_of_pattern(loc, c, attrs, out, depth, subject);
    }
}

/* ---- what a value should be, in words */

/* libvirt's basic types whose patterns read badly spelled out */
static const struct {
    const char *define;
    const char *words;
} type_words[] = {
    { "unsignedInt", "a non-negative integer" },
    { "unsignedLong", "a non-negative integer" },
    { "positiveInteger", "a positive integer" },
    { "hexuint", "a hexadecimal number such as 0x1f" },
    { "uint8", "an integer from 0 to 255 (decimal, or hexadecimal with 0x)" },
    { "uint16", "an integer from 0 to 65535 (decimal, or hexadecimal with 0x)" },
    { "uint24", "an integer from 0 to 16777215 (decimal, or hexadecimal with 0x)" },
    { "uint32", "an integer from 0 to 4294967295 (decimal, or hexadecimal with 0x)" },
    { "UUID", "a UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0" },
    { "macAddr", "a MAC address such as 52:54:00:12:34:56" },
    { "uniMacAddr", "a unicast MAC address such as 52:54:00:12:34:56" },
    { "ipAddr", "an IPv4 or IPv6 address" },
    { "ipv4Addr", "an IPv4 address" },
    { "ipv6Addr", "an IPv6 address" },
    { "absFilePath", "an absolute file path" },
    { "absDirPath", "an absolute directory path" },
    { "filePath", "a file path" },
    { "pciDomain", "a PCI domain number (0x0000 to 0xffff)" },
    { "pciBus", "a PCI bus number from 0 to 255 (0x00 to 0xff)" },
    { "pciSlot", "a PCI slot number from 0 to 31 (0x00 to 0x1f)" },
    { "pciFunc", "a PCI function number from 0 to 7" },
    { "cpuset", "a CPU list such as 0-3,8" },
    { "scaledInteger", "a non-negative integer" },
    { "ccwCssidRange", "a channel subsystem id from 0 to 254 (0x00 to 0xfe)" },
    { "ccwSsidRange", "a subchannel set id from 0 to 3" },
    { "ccwDevnoRange", "a device number from 0 to 65535 (0x0000 to 0xffff)" },
    { "unit", "a unit such as 'KiB', 'MiB' or 'GiB' (also 'b', 'bytes', 'KB', 'MB', 'GB', 'k', 'M', 'G', ...)" },
};

static const char *
type_words_of(const char *define)
{
    for (gsize i = 0; define && i < G_N_ELEMENTS(type_words); i++) {
        if (strcmp(type_words[i].define, define) == 0)
            return type_words[i].words;
    }
    return NULL;
}

static char *
param_of(const xmlNode *data, const char *name)
{
    for (const xmlNode *c = data->children; c; c = c->next) {
        if (is_rng(c, "param") && g_strcmp0(rng_attr(c, "name"), name) == 0)
            return (char *) xmlNodeGetContent(c);
    }
    return NULL;
}

/* libvirt's spelling of "0x optional, up to N hex digits": (0x)?[0-9a-fA-F]{1,N} */
#define HEX_PATTERN "(0x)?[0-9a-fA-F]{1,"

/* A <data> pattern in words (caller frees). */
static char *
data_words(const xmlNode *data)
{
    const char *type = rng_attr(data, "type");
    g_autofree char *min = param_of(data, "minInclusive");
    g_autofree char *max = param_of(data, "maxInclusive");
    g_autofree char *pattern = param_of(data, "pattern");
    static const char *const integers[] = { "int", "integer", "long", "short", "byte", NULL };
    static const char *const unsigned_integers[] = {
        "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte", "nonNegativeInteger", NULL
    };

    if (!type)
        return g_strdup("a value");
    if (min && max)
        return g_strdup_printf("an integer from %s to %s", min, max);
    if (g_strv_contains(integers, type))
        return g_strdup("an integer");
    if (g_strv_contains(unsigned_integers, type))
        return g_strdup("a non-negative integer");
    if (strcmp(type, "positiveInteger") == 0)
        return g_strdup("a positive integer");
    if (strcmp(type, "boolean") == 0)
        return g_strdup("'true' or 'false'");
    if (strcmp(type, "double") == 0 || strcmp(type, "float") == 0 || strcmp(type, "decimal") == 0)
        return g_strdup("a number");
    if (strcmp(type, "anyURI") == 0)
        return g_strdup("a URI");
    if (pattern && g_str_has_prefix(pattern, HEX_PATTERN) && g_str_has_suffix(pattern, "}"))
        return g_strdup_printf("a hexadecimal number of up to %.*s digits, 0x optional",
                               (int) (strlen(pattern) - strlen(HEX_PATTERN) - 1), pattern + strlen(HEX_PATTERN));
    if (pattern)
        return g_strdup_printf("text matching '%s'", pattern);
    if (strcmp(type, "string") == 0 || strcmp(type, "token") == 0)
        return g_strdup("any text");
    return g_strdup_printf("a value of type '%s'", type);
}

static void
add_words(GPtrArray *out, char *words)
{
    for (guint i = 0; i < out->len; i++) {
        if (strcmp(g_ptr_array_index(out, i), words) == 0) {
            g_free(words);
            return;
        }
    }
    g_ptr_array_add(out, words);
}

/* The values the content of NODE allows, one entry per alternative, into OUT. */
static void
describe_into(dl_schema_locator *loc, const xmlNode *node, GPtrArray *out, int depth)
{
    const xmlNode *nc = is_rng(node, "element") || is_rng(node, "attribute") ? name_class(node) : NULL;

    for (const xmlNode *c = node->children; c && depth < 16; c = c->next) {
        if (!is_rng(c, NULL) || c == nc || is_rng(c, "attribute") || is_rng(c, "element"))
            continue;
        if (is_rng(c, "value")) {
            g_autofree char *text = (char *) xmlNodeGetContent(c);
            add_words(out, g_strdup_printf("'%s'", text ? text : ""));
        } else if (is_rng(c, "data")) {
            add_words(out, data_words(c));
        } else if (is_rng(c, "text")) {
            add_words(out, g_strdup("any text"));
        } else if (is_rng(c, "ref")) {
            const char *name = rng_attr(c, "name");
            const char *words = type_words_of(name);
            GPtrArray *defs = name ? g_hash_table_lookup(loc->defines, name) : NULL;

            if (words)
                add_words(out, g_strdup(words));
            for (guint i = 0; !words && defs && i < defs->len; i++)
                describe_into(loc, g_ptr_array_index(defs, i), out, depth + 1);
        } else if (!is_rng(c, "empty") && !is_rng(c, "notAllowed")) {
            describe_into(loc, c, out, depth + 1);
        }
    }
}

/* "one of 'a', 'b' or 'c'", "a positive integer": ALTERNATIVES in words (caller frees). */
static char *
join_alternatives(const GPtrArray *alternatives)
{
    GString *s = g_string_new(NULL);
    guint shown = MIN(alternatives->len, MAX_ALTERNATIVES);
    gboolean values = TRUE;

    for (guint i = 0; i < alternatives->len; i++)
        values = values && ((const char *) g_ptr_array_index(alternatives, i))[0] == '\'';
    if (values && alternatives->len > 2)
        g_string_append(s, "one of ");
    for (guint i = 0; i < shown; i++) {
        if (i > 0)
            g_string_append(s, i + 1 == shown && shown == alternatives->len ? " or " : ", ");
        g_string_append(s, g_ptr_array_index(alternatives, i));
    }
    if (shown < alternatives->len)
        g_string_append_printf(s, " (%u values in all)", alternatives->len);
    return g_string_free(s, FALSE);
}

/* What the patterns PATTERNS (<attribute>s or <element>s) allow as a value, or NULL. */
static char *
describe_patterns(dl_schema_locator *loc, const GPtrArray *patterns)
{
    g_autoptr(GPtrArray) alternatives = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < patterns->len; i++)
        describe_into(loc, g_ptr_array_index(patterns, i), alternatives, 0);
    if (alternatives->len == 0)
        return NULL;
    return join_alternatives(alternatives);
}

/* ---- explaining a culprit */

static const char *closest(const char *name, GHashTable *names);

/* "did you mean 'file'?" when PATTERNS list values and one is close to VALUE (caller frees), or NULL. */
static char *
close_value(dl_schema_locator *loc, const GPtrArray *patterns, const char *value)
{
    g_autoptr(GPtrArray) alternatives = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *best;

    if (!value)
        return NULL;
    for (guint i = 0; i < patterns->len; i++)
        describe_into(loc, g_ptr_array_index(patterns, i), alternatives, 0);
    for (guint i = 0; i < alternatives->len; i++) {
        const char *alt = g_ptr_array_index(alternatives, i);
        gsize len = strlen(alt);

        if (len >= 2 && alt[0] == '\'' && alt[len - 1] == '\'')
            g_hash_table_add(values, g_strndup(alt + 1, len - 2));
    }
    best = closest(value, values);
    return best ? g_strdup_printf("did you mean '%s'?", best) : NULL;
}

/* Edits (insert, delete, replace, swap two neighbours) that turn A into B. */
static gsize
edit_distance(const char *a, const char *b)
{
    gsize la = strlen(a);
    gsize lb = strlen(b);
    g_autofree gsize *d = g_new(gsize, (la + 1) * (lb + 1));
    gsize w = lb + 1;

    for (gsize i = 0; i <= la; i++)
        d[i * w] = i;
    for (gsize j = 0; j <= lb; j++)
        d[j] = j;
    for (gsize i = 1; i <= la; i++) {
        for (gsize j = 1; j <= lb; j++) {
            gsize best = d[(i - 1) * w + j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);

            best = MIN(best, d[(i - 1) * w + j] + 1);
            best = MIN(best, d[i * w + j - 1] + 1);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = MIN(best, d[(i - 2) * w + j - 2] + 1);
            d[i * w + j] = best;
        }
    }
    return d[la * w + lb];
}

/* The key of NAMES closest to NAME (borrowed), or NULL when none is close. */
static const char *
closest(const char *name, GHashTable *names)
{
    GHashTableIter it;
    gpointer key;
    const char *best = NULL;
    gsize limit = strlen(name) < 6 ? 1 : 2;
    gsize best_distance = limit + 1;

    g_hash_table_iter_init(&it, names);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        gsize d = edit_distance(name, key);

        if (d < best_distance || (d == best_distance && best && strcmp(key, best) < 0)) {
            best_distance = d;
            best = key;
        }
    }
    return best;
}

/* The names of elements whose level allows a child NAME, sorted (borrowed, cached). */
static GPtrArray *
parents_of(dl_schema_locator *loc, const char *name)
{
    GPtrArray *list;

    if (!loc->parents) {
        GHashTableIter it;
        gpointer value;
        g_autoptr(GPtrArray) all = g_ptr_array_new();
        g_autoptr(GHashTable) listed = g_hash_table_new(g_direct_hash, g_direct_equal);

        loc->parents = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
        /* every <element> pattern of the schema is on some level: under <start> or a define */
        g_ptr_array_extend(all, loc->start, NULL, NULL);
        g_hash_table_iter_init(&it, loc->defines);
        while (g_hash_table_iter_next(&it, NULL, &value)) {
            GPtrArray *defs = value;
            g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

            for (guint i = 0; i < defs->len; i++)
                collect_elements(loc, g_ptr_array_index(defs, i), all, seen);
        }
        for (guint i = 0; i < all->len; i++)
            g_hash_table_add(listed, g_ptr_array_index(all, i));
        for (guint i = 0; i < all->len; i++) {
            const xmlNode *el = g_ptr_array_index(all, i);
            g_autofree char *parent = pattern_name(el);
            GPtrArray *nested = nested_elements(loc, el);

            /* elements nested in these are on a level of their own */
            for (guint k = 0; k < nested->len; k++) {
                g_autofree char *child = pattern_name(g_ptr_array_index(nested, k));
                GPtrArray *names;

                if (!child || !parent)
                    continue;
                names = g_hash_table_lookup(loc->parents, child);
                if (!names) {
                    names = g_ptr_array_new_with_free_func(g_free);
                    g_hash_table_insert(loc->parents, g_strdup(child), names);
                }
                if (!g_ptr_array_find_with_equal_func(names, parent, g_str_equal, NULL))
                    g_ptr_array_add(names, g_strdup(parent));
                if (g_hash_table_add(listed, g_ptr_array_index(nested, k)))
                    g_ptr_array_add(all, g_ptr_array_index(nested, k));
            }
        }
    }
    list = g_hash_table_lookup(loc->parents, name);
    return list;
}

/* "<devices>" or "<devices> or <os>": where NAME may go (caller frees), or NULL. */
static char *
where_allowed(dl_schema_locator *loc, const char *name)
{
    GPtrArray *parents = parents_of(loc, name);
    GString *s;

    if (!parents || parents->len == 0)
        return NULL;
    s = g_string_new(NULL);
    for (guint i = 0; i < parents->len && i < 4; i++) {
        if (i > 0)
            g_string_append(s, i + 1 == MIN(parents->len, 4u) ? " or " : ", ");
        g_string_append_printf(s, "<%s>", (const char *) g_ptr_array_index(parents, i));
    }
    if (parents->len > 4)
        g_string_append(s, ", ...");
    return g_string_free(s, FALSE);
}

/* The finding about NODE; takes MESSAGE and SUGGESTION (what to write instead, may be NULL). */
static dl_schema_error *
new_error(const xmlNode *node, char *suggestion, char *message)
{
    dl_schema_error *e = g_new0(dl_schema_error, 1);

    e->suggestion = suggestion;
    e->line = (int) xmlGetLineNo(node);
    e->path = dl_xml_path(node);
    e->message = message;
    return e;
}

/* An attribute no candidate allows by name. */
static dl_schema_error *explain_missing(dl_schema_locator *loc, const culprit *c, level_info *li, gboolean attrs);

/* "remove x='...'", and what the element needs instead when it lacks a required attribute (caller frees). */
static char *
remove_attr_suggestion(dl_schema_locator *loc, const culprit *c, level_info *li, const char *name)
{
    dl_schema_error *missing = explain_missing(loc, c, li, TRUE);
    char *s;

    if (!missing)
        return g_strdup_printf("remove %s='...'", name);
    s = g_strdup_printf("remove %s='...'; %s", name, missing->suggestion ? missing->suggestion : missing->message);
    dl_schema_error_free(missing);
    return s;
}

static dl_schema_error *
explain_unknown_attr(dl_schema_locator *loc, const culprit *c, level_info *li)
{
    g_autoptr(GHashTable) names = NULL;

    if (li->any_attr)
        return NULL;
    for (const xmlAttr *a = c->node->properties; a; a = a->next) {
        const char *hint;

        if (a->ns || g_hash_table_contains(li->attrs, a->name))
            continue;
        if (!names) {
            GHashTableIter it;
            gpointer key;

            names = g_hash_table_new(g_str_hash, g_str_equal);
            g_hash_table_iter_init(&it, li->attrs);
            while (g_hash_table_iter_next(&it, &key, NULL))
                g_hash_table_add(names, key);
        }
        hint = closest((const char *) a->name, names);
        return new_error(c->node,
                         hint ? g_strdup_printf("did you mean '%s'?", hint)
                              : remove_attr_suggestion(loc, c, li, (const char *) a->name),
                         g_strdup_printf("attribute '%s' is not allowed on <%s>", a->name, c->node->name));
    }
    return NULL;
}

/* A child element no candidate allows by name. */
static dl_schema_error *
explain_unknown_child(dl_schema_locator *loc, const culprit *c, level_info *li)
{
    if (li->any_child)
        return NULL;
    for (const xmlNode *k = c->node->children; k; k = k->next) {
        g_autofree char *where = NULL;
        const char *hint;

        if (k->type != XML_ELEMENT_NODE || k->ns || g_hash_table_contains(li->children, k->name))
            continue;
        where = where_allowed(loc, (const char *) k->name);
        if (where)
            return new_error(k, g_strdup_printf("move <%s> into %s", k->name, where),
                             g_strdup_printf("<%s> is not allowed in <%s>: it belongs in %s",
                                                k->name, c->node->name, where));
        hint = closest((const char *) k->name, li->children);
        return new_error(k,
                         hint ? g_strdup_printf("did you mean <%s>?", hint)
                              : g_strdup_printf("remove <%s>", k->name),
                         g_strdup_printf("unknown element <%s> in <%s>", k->name, c->node->name));
    }
    return NULL;
}

/* " with type='pci' model='pci-bridge'": the attributes of NODE that pick its form, or "" (caller frees). */
static char *
fixed_values_text(dl_schema_locator *loc, const level_info *li, const xmlNode *node)
{
    GString *s = g_string_new(NULL);

    for (const xmlAttr *a = node->properties; a; a = a->next) {
        g_autoptr(GPtrArray) values = fixed_values_of(loc, li, a);
        g_autofree char *value = NULL;

        if (!values)
            continue;
        value = (char *) xmlGetProp(node, a->name);
        g_string_append_printf(s, "%s%s='%s'", s->len ? " " : " with ", a->name, value ? value : "");
    }
    return g_string_free(s, FALSE);
}

/* A child element the element allows in other forms, not in the one its attributes pick. */
static dl_schema_error *
explain_child_of_other_form(dl_schema_locator *loc, const culprit *c, level_info *li)
{
    for (const xmlNode *k = c->node->children; k; k = k->next) {
        g_autofree char *form = NULL;

        if (k->type != XML_ELEMENT_NODE || k->ns || g_hash_table_contains(li->form_children, k->name))
            continue;
        if (!g_hash_table_contains(li->children, k->name))
            continue;
        form = fixed_values_text(loc, li, c->node);
        if (!*form)
            continue;
        return new_error(k, g_strdup_printf("remove <%s>, or give <%s> attributes that allow it", k->name, c->node->name),
                         g_strdup_printf("<%s> is not allowed in a <%s>%s", k->name, c->node->name, form));
    }
    return NULL;
}

/* NAME from libxml2's MSG when it starts with PREFIX and goes on with a name, or NULL (caller frees). */
static char *
name_after(const char *msg, const char *prefix)
{
    const char *p = g_str_has_prefix(msg, prefix) ? msg + strlen(prefix) : NULL;
    gsize n = 0;

    if (!p)
        return NULL;
    while (p[n] && !g_ascii_isspace(p[n]) && p[n] != ',')
        n++;
    return n ? g_strndup(p, n) : NULL;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* The names in REQUIRED (a set) NODE lacks, as "'a', 'b'" (caller frees), or NULL. */
static char *
missing_names(const xmlNode *node, GHashTable *required, gboolean attrs)
{
    g_autoptr(GPtrArray) missing = g_ptr_array_new();
    GHashTableIter it;
    gpointer key;
    GString *s;

    g_hash_table_iter_init(&it, required);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        gboolean have = FALSE;

        if (attrs) {
            have = xmlHasProp(node, BAD_CAST key) != NULL;
        } else {
            for (const xmlNode *k = node->children; k && !have; k = k->next)
                have = k->type == XML_ELEMENT_NODE && xmlStrEqual(k->name, BAD_CAST key);
        }
        if (!have)
            g_ptr_array_add(missing, key);
    }
    if (missing->len == 0)
        return NULL;
    g_ptr_array_sort(missing, compare_names);
    s = g_string_new(NULL);
    for (guint i = 0; i < missing->len; i++) {
        const char *name = g_ptr_array_index(missing, i);

        if (i > 0)
            g_string_append(s, ", ");
        g_string_append_printf(s, attrs ? "'%s'" : "<%s>", name);
    }
    return g_string_free(s, FALSE);
}

static gboolean
any_allows(dl_schema_locator *loc, const GPtrArray *patterns, const char *name, const char *value)
{
    for (guint i = 0; i < patterns->len; i++) {
        if (value_allowed(loc, g_ptr_array_index(patterns, i), name, value))
            return TRUE;
    }
    return FALSE;
}

/*
 * The attribute NAME is allowed and its value too, yet libxml2 refused it:
 * the attributes it goes with (those its enclosing optional group requires,
 * cssid with ssid and devno) are missing.
 */
static dl_schema_error *
explain_companions(dl_schema_locator *loc, const culprit *c, const GPtrArray *patterns, const char *name)
{
    for (guint i = 0; i < patterns->len; i++) {
        const xmlNode *group = ((const xmlNode *) g_ptr_array_index(patterns, i))->parent;
        g_autoptr(GHashTable) required = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_autofree char *missing = NULL;

        while (is_rng(group, "group") || is_rng(group, "interleave"))
            group = group->parent;
        if (!is_rng(group, "optional") && !is_rng(group, "zeroOrMore") && !is_rng(group, "oneOrMore"))
            continue;
        required_names(loc, group, TRUE, required, 0, c->node);
        missing = missing_names(c->node, required, TRUE);
        if (missing)
            return new_error(c->node, g_strdup_printf("add %s, or remove '%s'", missing, name),
                             g_strdup_printf("attribute '%s' of <%s> goes together with %s, which %s missing",
                                                      name, c->node->name, missing,
                                                      strchr(missing, ',') ? "are" : "is"));
    }
    return NULL;
}

static dl_schema_error *
bad_value_error(dl_schema_locator *loc, const culprit *c, const GPtrArray *patterns,
                const char *name, const char *value)
{
    g_autofree char *expected = describe_patterns(loc, patterns);
    g_autofree char *suggestion = close_value(loc, patterns, value);

    if (!suggestion && expected)
        suggestion = g_strdup_printf("use %s", expected);
    return new_error(c->node, g_steal_pointer(&suggestion),
                     g_strdup_printf("'%s' is not a valid value for attribute '%s' of <%s>%s%s",
                                              value ? value : "", name, c->node->name,
                                              expected ? "; expected " : "", expected ? expected : ""));
}

/* Any attribute of the culprit whose value no pattern of its name allows. */
static dl_schema_error *
explain_any_bad_value(dl_schema_locator *loc, const culprit *c, level_info *li)
{
    for (const xmlAttr *a = c->node->properties; a; a = a->next) {
        GPtrArray *patterns = a->ns ? NULL : g_hash_table_lookup(li->attrs, a->name);
        g_autofree char *value = NULL;

        if (!patterns)
            continue;
        value = (char *) xmlGetProp(c->node, a->name);
        if (value && !any_allows(loc, patterns, (const char *) a->name, value))
            return bad_value_error(loc, c, patterns, (const char *) a->name, value);
    }
    return NULL;
}

/* A copy of NODE's attributes A and B only (caller frees), to ask which forms take both. */
static xmlNode *
with_two_attrs(const xmlNode *node, const char *a, const char *b)
{
    xmlNode *copy = xmlNewNode(NULL, node->name);
    const char *names[] = { a, b };

    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *value = names[i] ? (char *) xmlGetProp(node, BAD_CAST names[i]) : NULL;

        if (value)
            xmlSetProp(copy, BAD_CAST names[i], BAD_CAST value);
    }
    return copy;
}

/*
 * The attribute NAME has a value some form allows, but no form together
 * with the value of another attribute (device='lun' with type='file').
 */
static dl_schema_error *
explain_value_combination(dl_schema_locator *loc, const culprit *c, const char *name)
{
    for (const xmlAttr *a = c->node->properties; a; a = a->next) {
        const char *other = (const char *) a->name;
        xmlNode *both;
        xmlNode *alone;
        level_info li;
        level_info li_other;
        gboolean unfit;
        GPtrArray *patterns;
        g_autofree char *expected = NULL;
        g_autofree char *value = NULL;
        g_autofree char *other_value = NULL;

        if (a->ns || strcmp(other, name) == 0)
            continue;
        both = with_two_attrs(c->node, name, other);
        level_info_init(&li, loc, c->cands, both);
        unfit = li.unfit;
        level_info_release(&li);
        xmlFreeNode(both);
        if (!unfit)
            continue;
        /* what NAME may be with OTHER as it is */
        alone = with_two_attrs(c->node, other, NULL);
        level_info_init(&li_other, loc, c->cands, alone);
        patterns = li_other.unfit ? NULL : g_hash_table_lookup(li_other.attrs, name);
        if (patterns)
            expected = describe_patterns(loc, patterns);
        level_info_release(&li_other);
        xmlFreeNode(alone);
        value = (char *) xmlGetProp(c->node, BAD_CAST name);
        other_value = (char *) xmlGetProp(c->node, a->name);
        return new_error(c->node,
                         expected ? g_strdup_printf("with %s='%s', %s must be %s", other, other_value, name, expected)
                                  : g_strdup_printf("change %s= or %s=", name, other),
                         g_strdup_printf("%s='%s' cannot be combined with %s='%s' on <%s>",
                                         name, value, other, other_value, c->node->name));
    }
    return NULL;
}

/*
 * The attribute libxml2 called invalid ("Invalid attribute ssid"): its
 * value, or when that is allowed, an attribute it goes with (missing, or
 * with a bad value of its own: libxml2 names the first of a group).
 */
static dl_schema_error *
explain_bad_attr_value(dl_schema_locator *loc, const culprit *c, level_info *li)
{
    for (guint i = 0; i < c->messages->len; i++) {
        g_autofree char *name = name_after(g_ptr_array_index(c->messages, i), "Invalid attribute ");
        GPtrArray *patterns = name ? g_hash_table_lookup(li->attrs, name) : NULL;
        g_autofree char *value = NULL;
        dl_schema_error *e;

        if (!patterns)
            continue;
        value = (char *) xmlGetProp(c->node, BAD_CAST name);
        if (!value || !any_allows(loc, patterns, name, value))
            return bad_value_error(loc, c, patterns, name, value);
        e = explain_companions(loc, c, patterns, name);
        if (!e)
            e = explain_any_bad_value(loc, c, li);
        if (!e)
            e = explain_value_combination(loc, c, name);
        if (e)
            return e;
    }
    return NULL;
}

/*
 * A value libxml2 names in a datatype error ("Type integer doesn't allow
 * value 'abc'"): the attribute of the culprit that has it, or its text.
 */
static dl_schema_error *
explain_bad_typed_value(dl_schema_locator *loc, const culprit *c, level_info *li)
{
    for (guint i = 0; i < c->messages->len; i++) {
        const char *msg = g_ptr_array_index(c->messages, i);
        const char *p = strstr(msg, "allow value '");
        g_autofree char *value = NULL;
        const char *end;

        if (!p)
            continue;
        p += strlen("allow value '");
        end = strrchr(p, '\'');
        if (!end)
            continue;
        value = g_strndup(p, (gsize) (end - p));
        for (const xmlAttr *a = c->node->properties; a; a = a->next) {
            g_autofree char *have = (char *) xmlGetProp(c->node, a->name);
            GPtrArray *patterns = g_hash_table_lookup(li->attrs, a->name);
            g_autofree char *expected = NULL;

            if (a->ns || !patterns || g_strcmp0(have, value) != 0)
                continue;
            expected = describe_patterns(loc, patterns);
            return new_error(c->node, expected ? g_strdup_printf("use %s", expected) : NULL,
                             g_strdup_printf("'%s' is not a valid value for attribute '%s' of <%s>%s%s",
                                                      value, a->name, c->node->name,
                                                      expected ? "; expected " : "", expected ? expected : ""));
        }
    }
    return NULL;
}

/* A child element libxml2 says is missing ("Expecting an element target, got nothing"). */
static dl_schema_error *
explain_expected_child(const culprit *c)
{
    for (guint i = 0; i < c->messages->len; i++) {
        const char *msg = g_ptr_array_index(c->messages, i);
        g_autofree char *name = name_after(msg, "Expecting an element ");

        if (name && g_str_has_suffix(msg, "got nothing"))
            return new_error(c->node, g_strdup_printf("add a <%s> element to <%s>", name, c->node->name),
                             g_strdup_printf("<%s> needs a <%s> child element", c->node->name, name));
    }
    return NULL;
}

/* The child element NAME of the culprit that libxml2's message is about. */
static const xmlNode *
message_child(const culprit *c, guint i, const char *name)
{
    const xmlNode *at = g_ptr_array_index(c->nodes, i);

    if (at && at != c->node && at->parent == c->node)
        return at;
    for (const xmlNode *k = c->node->children; k; k = k->next) {
        if (k->type == XML_ELEMENT_NODE && strcmp((const char *) k->name, name) == 0)
            at = k;
    }
    return at && at->parent == c->node ? at : NULL;
}

/* A child whose name is allowed, but not where it is: out of order, or once too often. */
static dl_schema_error *
explain_misplaced_child(const culprit *c)
{
    g_autofree char *extra = g_strdup_printf("Element %s has extra content: ", c->node->name);
    const char *prefixes[] = { "Extra element ", "Did not expect element ", extra };

    for (guint i = 0; i < c->messages->len; i++) {
        const char *msg = g_ptr_array_index(c->messages, i);

        for (gsize p = 0; p < G_N_ELEMENTS(prefixes); p++) {
            g_autofree char *name = name_after(msg, prefixes[p]);
            const xmlNode *k = name ? message_child(c, i, name) : NULL;
            const xmlNode *twin = k ? k->prev : NULL;

            if (!k)
                continue;
            while (twin && !(twin->type == XML_ELEMENT_NODE && xmlStrEqual(twin->name, k->name)))
                twin = twin->prev;
            if (twin)
                return new_error(k, g_strdup_printf("remove one of the two <%s> elements", k->name),
                                 g_strdup_printf("a second <%s> in <%s>, which allows only one here (the first is on line %ld)",
                                                    k->name, c->node->name, xmlGetLineNo(twin)));
            return new_error(k, g_strdup_printf("move <%s> to where the schema allows it in <%s>, or remove it", k->name, c->node->name),
                             g_strdup_printf("<%s> is not allowed at this point in <%s>: the schema wants its children in another order or combination",
                                                k->name, c->node->name));
        }
    }
    return NULL;
}

/* Attributes or child elements every candidate requires and the culprit lacks. */
static dl_schema_error *
explain_missing(dl_schema_locator *loc, const culprit *c, level_info *li, gboolean attrs)
{
    GPtrArray *patterns;
    g_autofree char *expected = NULL;
    g_autofree char *bare = NULL;

    g_autofree char *fewest = NULL;

    for (guint i = 0; i < c->cands->len; i++) {
        g_autoptr(GHashTable) required = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_autofree char *missing = NULL;

        required_names(loc, g_ptr_array_index(c->cands, i), attrs, required, 0, c->node);
        missing = missing_names(c->node, required, attrs);
        /* one candidate needs nothing more: the culprit is wrong in another way */
        if (!missing)
            return NULL;
        if (!fewest || strlen(missing) < strlen(fewest)) {
            g_free(fewest);
            fewest = g_steal_pointer(&missing);
        }
    }
    if (!fewest)
        return NULL;
    /* one attribute missing ("'type'"): say what its value may be */
    if (attrs && !strchr(fewest, ','))
        bare = g_strndup(fewest + 1, strlen(fewest) - 2);
    patterns = bare ? g_hash_table_lookup(li->attrs, bare) : NULL;
    if (patterns)
        expected = describe_patterns(loc, patterns);
    if (expected)
        return new_error(c->node, g_strdup_printf("add %s='...' to <%s>: %s", bare, c->node->name, expected),
                         g_strdup_printf("<%s> needs attribute %s", c->node->name, fewest));
    if (attrs)
        return new_error(c->node, g_strdup_printf("add %s to <%s>", fewest, c->node->name),
                         g_strdup_printf("<%s> needs attribute %s", c->node->name, fewest));
    return new_error(c->node, g_strdup_printf("add %s to <%s>", fewest, c->node->name),
                     g_strdup_printf("<%s> needs a %s child element", c->node->name, fewest));
}

/* Text content no candidate allows. */
static dl_schema_error *
explain_bad_text(dl_schema_locator *loc, const culprit *c)
{
    g_autofree char *text = NULL;
    g_autofree char *expected = NULL;

    for (const xmlNode *k = c->node->children; k; k = k->next) {
        if (k->type == XML_ELEMENT_NODE)
            return NULL;
    }
    text = (char *) xmlNodeGetContent(c->node);
    if (!text || !*g_strstrip(text))
        return NULL;
    expected = describe_patterns(loc, c->cands);
    return new_error(c->node, expected ? g_strdup_printf("use %s", expected) : NULL,
                     g_strdup_printf("'%s' is not a valid value for <%s>%s%s", text, c->node->name,
                                              expected ? "; expected " : "", expected ? expected : ""));
}

/* FALSE when the fixed values of the pattern EL rule out NODE (see values_fit). */
static gboolean
candidate_fits(dl_schema_locator *loc, const xmlNode *el, const xmlNode *node)
{
    g_autoptr(GPtrArray) one = g_ptr_array_new();
    level_info li;
    gboolean fits;

    g_ptr_array_add(one, (gpointer) el);
    level_info_init(&li, loc, one, NULL);
    fits = values_fit(loc, &li, node);
    level_info_release(&li);
    return fits;
}

static dl_schema_error *
explain(dl_schema_locator *loc, const culprit *whole)
{
    g_autoptr(GPtrArray) fitting = g_ptr_array_new();
    culprit narrowed = *whole;
    const culprit *c = whole;
    level_info li;
    dl_schema_error *e;

    /* of the forms an element may take, those its fixed-value attributes pick */
    for (guint i = 0; i < whole->cands->len; i++) {
        if (candidate_fits(loc, g_ptr_array_index(whole->cands, i), whole->node))
            g_ptr_array_add(fitting, g_ptr_array_index(whole->cands, i));
    }
    if (fitting->len > 0 && fitting->len < whole->cands->len) {
        narrowed.cands = fitting;
        c = &narrowed;
    }
    level_info_init(&li, loc, c->cands, c->node);
    e = explain_unknown_attr(loc, c, &li);
    if (!e)
        e = explain_unknown_child(loc, c, &li);
    if (!e)
        e = explain_child_of_other_form(loc, c, &li);
    if (!e)
        e = explain_bad_attr_value(loc, c, &li);
    if (!e)
        e = explain_bad_typed_value(loc, c, &li);
    if (!e)
        e = explain_missing(loc, c, &li, TRUE);
    if (!e)
        e = explain_misplaced_child(c);
    if (!e)
        e = explain_expected_child(c);
    if (!e)
        e = explain_missing(loc, c, &li, FALSE);
    if (!e)
        e = explain_bad_text(loc, c);
    if (!e)
        e = new_error(c->node, NULL, g_strdup_printf("<%s> does not match any form the schema allows for it%s%s",
                                               c->node->name, c->messages->len ? ": " : "",
                                               c->messages->len ? (const char *) g_ptr_array_index(c->messages, 0) : ""));
    level_info_release(&li);
    return e;
}

/* ---- the walk */

/* The patterns among CANDS that allow an element named NAME, without repeats. */
static GPtrArray *
matching(GPtrArray *cands, const xmlNode *node)
{
    GPtrArray *out = g_ptr_array_new();

    for (guint i = 0; i < cands->len; i++) {
        const xmlNode *el = g_ptr_array_index(cands, i);

        if (pattern_allows(el, (const char *) node->name) && !g_ptr_array_find(out, el, NULL))
            g_ptr_array_add(out, (gpointer) el);
    }
    return out;
}

static void
walk(dl_schema_locator *loc, const xmlNode *node, GPtrArray *cands, GPtrArray *found)
{
    g_autoptr(GPtrArray) accepted = g_ptr_array_new();
    g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) nodes = g_ptr_array_new();
    g_autoptr(GPtrArray) next = g_ptr_array_new();

    /* elements of other namespaces (<metadata>, qemu:commandline) are the schema's anyName business */
    if (node->ns || cands->len == 0)
        return;
    for (guint i = 0; i < cands->len; i++) {
        const xmlNode *el = g_ptr_array_index(cands, i);
        /* what libxml2 says about the first candidate explains the culprit */
        if (level_passes(loc, el, node, i == 0 ? messages : NULL, i == 0 ? nodes : NULL))
            g_ptr_array_add(accepted, (gpointer) el);
    }
    if (accepted->len == 0) {
        culprit c = { node, cands, messages, nodes };

        g_ptr_array_add(found, explain(loc, &c));
        return;
    }
    /* the children's candidates: those of the forms the element's fixed values pick */
    for (guint i = 0; i < accepted->len; i++) {
        g_autoptr(GPtrArray) one = g_ptr_array_new();
        level_info li;

        g_ptr_array_add(one, g_ptr_array_index(accepted, i));
        level_info_init(&li, loc, one, node);
        g_ptr_array_extend(next, li.form_elements, NULL, NULL);
        level_info_release(&li);
    }
    for (const xmlNode *k = node->children; k; k = k->next) {
        g_autoptr(GPtrArray) kc = NULL;

        if (k->type != XML_ELEMENT_NODE)
            continue;
        kc = matching(next, k);
        walk(loc, k, kc, found);
    }
}

GPtrArray *
dl_schema_locate(dl_schema_locator *loc, xmlDoc *doc)
{
    GPtrArray *found = g_ptr_array_new_with_free_func(dl_schema_error_free);
    xmlNode *root = xmlDocGetRootElement(doc);

    g_mutex_lock(&loc->lock);
    if (!loc->loaded)
        load_schema(loc);
    if (loc->rng && root) {
        g_autoptr(GPtrArray) cands = matching(loc->start, root);

        walk(loc, root, cands, found);
    }
    g_mutex_unlock(&loc->lock);
    return found;
}
