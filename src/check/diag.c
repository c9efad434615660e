/*
 * diag.c - how rules report findings
 */
#include "config.h"

#include <libxml/tree.h>

#include "check/diag.h"
#include "core/xml.h"

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

/* The XPath of NODE (caller frees), from the check's cache of positions. */
static char *
node_path(dl_check *chk, const xmlNode *node)
{
    if (!chk->paths)
        chk->paths = dl_xpaths_new();
    return dl_xpaths_get(chk->paths, node);
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
