/*
 * diag.c - how rules report findings
 */
#include "config.h"

#include <libxml/tree.h>

#include "check/diag.h"

domlint_diag *
dl_diag_new(const char *file, int line, int column, domlint_severity severity,
            const char *rule, const char *message)
{
    domlint_diag *d = g_new0(domlint_diag, 1);

    d->file = g_strdup(file);
    d->line = line;
    d->column = column;
    d->severity = severity;
    d->rule = g_strdup(rule);
    d->message = g_strdup(message);
    return d;
}

void
domlint_diag_free(domlint_diag *diag)
{
    if (!diag)
        return;
    g_free(diag->file);
    g_free(diag->rule);
    g_free(diag->message);
    g_free(diag->xpath);
    g_free(diag->fixit);
    if (diag->notes)
        g_ptr_array_unref(diag->notes);
    g_free(diag);
}

/*
 * The XPath of a finding, as xmlGetNodePath() writes it
 * ("/domain/devices/interface[3]/address"), for many findings in one
 * document.  xmlGetNodePath() counts a node's same-named siblings on every
 * call: a finding on each of 20 000 <interface> elements took 20 000^2
 * steps.  Here each parent's children are counted once, on the first
 * finding below it.  Elements and attributes without a namespace only;
 * anything else is left to xmlGetNodePath().
 */
struct dl_paths {
    GHashTable *position;   /* element -> 1 + its [N], 0 when it has no same-named sibling */
    GHashTable *counted;    /* parents whose children are in position */
};

static dl_paths *
paths_new(void)
{
    dl_paths *paths = g_new0(dl_paths, 1);

    paths->position = g_hash_table_new(g_direct_hash, g_direct_equal);
    paths->counted = g_hash_table_new(g_direct_hash, g_direct_equal);
    return paths;
}

void
dl_paths_free(dl_paths *paths)
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
count_children(dl_paths *paths, const xmlNode *parent)
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

/* Append the path of element NODE; FALSE when it is not one paths can write. */
static gboolean
append_element_path(dl_paths *paths, GString *out, const xmlNode *node)
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

/* The XPath of NODE (caller frees), as xmlGetNodePath() has it. */
static char *
node_path(dl_check *chk, const xmlNode *node)
{
    g_autoptr(GString) out = g_string_new(NULL);
    const xmlNode *element = node;

    if (!chk->paths)
        chk->paths = paths_new();
    if (node->type == XML_ATTRIBUTE_NODE)
        element = node->parent;
    if ((node->type == XML_ATTRIBUTE_NODE && node->ns) || !element ||
        !append_element_path(chk->paths, out, element))
        return (char *) xmlGetNodePath(node);
    if (node->type == XML_ATTRIBUTE_NODE)
        g_string_append_printf(out, "/@%s", (const char *) node->name);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
locate(dl_check *chk, domlint_diag *d, const xmlNode *node)
{
    if (!node)
        node = chk->dom->os_type ? chk->dom->os_type : chk->dom->root;
    if (!node)
        return;
    d->line = dl_source_line(chk->src, node);
    d->column = dl_source_column(chk->src, node);
    d->xpath = node_path(chk, node);
}

domlint_diag *
dl_report(dl_check *chk, domlint_severity severity, const xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    domlint_diag *d;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    d = dl_diag_new(chk->file, 0, 0, severity, chk->rule_id ? chk->rule_id : "internal", msg);
    locate(chk, d, node);
    g_ptr_array_add(chk->diags, d);
    return d;
}

void
dl_diag_note(dl_check *chk, domlint_diag *diag, const xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    domlint_diag *note;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    note = dl_diag_new(chk->file, 0, 0, DOMLINT_SEV_NOTE, diag->rule, msg);
    locate(chk, note, node);
    if (!diag->notes)
        diag->notes = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_diag_free);
    g_ptr_array_add(diag->notes, note);
}

void
dl_diag_fixit(domlint_diag *diag, const char *fmt, ...)
{
    va_list ap;

    g_free(diag->fixit);
    va_start(ap, fmt);
    diag->fixit = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

const xmlNode *
dl_addr_node(const dl_device *dev)
{
    return dev->addr.node ? dev->addr.node : dev->node;
}
