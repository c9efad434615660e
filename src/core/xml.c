/*
 * xml.c - how domlint uses libxml2: parse options, node paths
 */
#include "config.h"

#include <libxml/parser.h>

#include "core/xml.h"

int
dl_xml_parse_options(dl_xml_kind kind)
{
    /* never the network; warnings are not findings */
    int options = XML_PARSE_NONET | XML_PARSE_NOWARNING;

    switch (kind) {
    case DL_XML_DOMAIN:
        return options | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
    case DL_XML_DATA:
        return options | XML_PARSE_NOERROR;
    case DL_XML_DATA_TREE:
        return options | XML_PARSE_NOERROR | XML_PARSE_NOBLANKS;
    }
    g_return_val_if_reached(options | XML_PARSE_NOERROR);
}

/* Elements and attributes without a namespace; anything else is left to xmlGetNodePath(). */
struct dl_xpaths {
    GHashTable *position;   /* element -> 1 + its [N], 1 when it has no same-named sibling */
    GHashTable *counted;    /* parents whose children are in position */
};

dl_xpaths *
dl_xpaths_new(void)
{
    dl_xpaths *paths = g_new0(dl_xpaths, 1);

    paths->position = g_hash_table_new(g_direct_hash, g_direct_equal);
    paths->counted = g_hash_table_new(g_direct_hash, g_direct_equal);
    return paths;
}

void
dl_xpaths_free(dl_xpaths *paths)
{
    if (!paths)
        return;
    g_hash_table_unref(paths->position);
    g_hash_table_unref(paths->counted);
    g_free(paths);
}

static gboolean
plain_element(const xmlNode *node)
{
    return node->type == XML_ELEMENT_NODE && !node->ns;
}

static void
count_children(dl_xpaths *paths, const xmlNode *parent)
{
    g_autoptr(GHashTable) total = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (plain_element(c)) {
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(total, c->name));
            g_hash_table_insert(total, (gpointer) c->name, GUINT_TO_POINTER(n + 1));
        }
    }
    for (const xmlNode *c = parent->children; c; c = c->next) {
        guint n, of;

        if (!plain_element(c))
            continue;
        n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, c->name)) + 1;
        of = GPOINTER_TO_UINT(g_hash_table_lookup(total, c->name));
        g_hash_table_insert(seen, (gpointer) c->name, GUINT_TO_POINTER(n));
        g_hash_table_insert(paths->position, (gpointer) c, GUINT_TO_POINTER(1 + (of > 1 ? n : 0)));
    }
    g_hash_table_add(paths->counted, (gpointer) parent);
}

/* Append the path of element NODE; FALSE when it is not one PATHS can write. */
static gboolean
append_element_path(dl_xpaths *paths, GString *out, const xmlNode *node)
{
    guint n;

    if (node->type == XML_DOCUMENT_NODE)
        return TRUE;
    if (!plain_element(node) || !node->parent || !append_element_path(paths, out, node->parent))
        return FALSE;
    if (!g_hash_table_contains(paths->counted, node->parent))
        count_children(paths, node->parent);
    n = GPOINTER_TO_UINT(g_hash_table_lookup(paths->position, node)) - 1;
    g_string_append_printf(out, "/%s", (const char *) node->name);
    if (n > 0)
        g_string_append_printf(out, "[%u]", n);
    return TRUE;
}

/* xmlGetNodePath()'s answer in GLib memory. */
static char *
libxml_path(const xmlNode *node)
{
    xmlChar *path = xmlGetNodePath(node);
    char *copy = g_strdup((const char *) path);

    xmlFree(path);
    return copy;
}

char *
dl_xpaths_get(dl_xpaths *paths, const xmlNode *node)
{
    g_autoptr(GString) out = g_string_new(NULL);
    const xmlNode *element = node;

    if (node->type == XML_ATTRIBUTE_NODE)
        element = node->parent;
    if ((node->type == XML_ATTRIBUTE_NODE && node->ns) || !element ||
        !append_element_path(paths, out, element))
        return libxml_path(node);
    if (node->type == XML_ATTRIBUTE_NODE)
        g_string_append_printf(out, "/@%s", (const char *) node->name);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
dl_xml_path(const xmlNode *node)
{
    g_autoptr(dl_xpaths) paths = dl_xpaths_new();

    return dl_xpaths_get(paths, node);
}
