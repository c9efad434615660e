/*
 * xml.c - a topology as XML, and the HTML page made from it by libxslt
 *
 * The XML nests as the hardware does: <pci> holds the root buses, each
 * <bus> its <device>s, and a device that is a controller holds the <bus> it
 * makes; findings are <finding> children of the device they concern.  The
 * stylesheet (data/topology/topology.xsl, installed with the knowledge
 * base) turns that into one page with its CSS inline.
 */
#include "config.h"

#include <libxml/tree.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "show/show.h"

static void
set(xmlNode *node, const char *name, const char *value)
{
    if (value)
        xmlNewProp(node, BAD_CAST name, BAD_CAST value);
}

static void
set_uint(xmlNode *node, const char *name, guint value)
{
    char text[16];

    g_snprintf(text, sizeof text, "%u", value);
    set(node, name, text);
}

static void
set_flag(xmlNode *node, const char *name, gboolean on)
{
    if (on)
        set(node, name, "yes");
}

static void
add_findings(xmlNode *parent, const GPtrArray *findings)
{
    for (guint i = 0; i < findings->len; i++) {
        const domlint_diag *d = g_ptr_array_index(findings, i);
        xmlNode *f = xmlNewTextChild(parent, NULL, BAD_CAST "finding", BAD_CAST d->message);

        set(f, "severity", domlint_severity_name(d->severity));
        set(f, "rule", d->rule);
        if (d->line > 0)
            set_uint(f, "line", (guint) d->line);
        set(f, "xpath", d->xpath);
    }
}

static void add_bus(xmlNode *parent, const dl_show_topology *topo, const dl_show_bus *bus);

static xmlNode *
add_device(xmlNode *parent, const dl_show_dev *d, gboolean pci)
{
    xmlNode *n = xmlNewChild(parent, NULL, BAD_CAST "device", NULL);

    set(n, "name", d->name);
    set(n, "address", d->address);
    if (pci) {
        set_uint(n, "slot", d->slot);
        set_uint(n, "function", d->function);
    }
    set(n, "origin", dl_show_origin_name(d->origin));
    set(n, "origin-words", dl_show_origin_words(d->origin));
    if (d->bus_index >= 0)
        set_uint(n, "bus", (guint) d->bus_index);
    set_flag(n, "spare", d->spare);
    set_flag(n, "conflict", d->conflict);
    if (d->line > 0)
        set_uint(n, "line", (guint) d->line);
    set(n, "xpath", d->xpath);
    add_findings(n, d->findings);
    return n;
}

static void
add_bus(xmlNode *parent, const dl_show_topology *topo, const dl_show_bus *bus)
{
    xmlNode *n = xmlNewChild(parent, NULL, BAD_CAST "bus", NULL);
    g_autofree char *slots = g_strdup_printf("0x%02x-0x%02x", bus->min_slot, bus->max_slot);

    set_uint(n, "index", (guint) bus->index);
    set(n, "model", bus->model);
    set(n, "model-name", bus->model_name);
    set(n, "origin", dl_show_origin_name(bus->origin));
    set(n, "origin-words", dl_show_origin_words(bus->origin));
    set(n, "options", bus->options);
    set(n, "filled", bus->filled);
    if (bus->accepts) {
        set(n, "slots", slots);
        set(n, "accepts", bus->accepts);
    }
    set_flag(n, "hotplug", bus->hotplug);
    set_uint(n, "free-slots", bus->free_slots);
    set(n, "free", bus->free_list);
    set_flag(n, "free-port", dl_show_bus_free_port(bus));
    for (guint i = 0; i < bus->devs->len; i++) {
        const dl_show_dev *d = g_ptr_array_index(bus->devs, i);
        xmlNode *dn = add_device(n, d, TRUE);

        for (guint k = 0; d->bus_index >= 0 && k < topo->buses->len; k++) {
            const dl_show_bus *below = g_ptr_array_index(topo->buses, k);
            if (below->controller == d && below->parent == bus->index)
                add_bus(dn, topo, below);
        }
    }
}

static void
add_layout(xmlNode *root, const dl_show_topology *topo)
{
    xmlNode *n = xmlNewChild(root, NULL, BAD_CAST "layout", NULL);

    set(n, "state", dl_show_layout_state(topo));
    set(n, "stops-at", topo->layout_error_at);
    if (topo->layout_error)
        xmlNewTextChild(n, NULL, BAD_CAST "error", BAD_CAST topo->layout_error);
    if (topo->layout_note)
        xmlNewTextChild(n, NULL, BAD_CAST "note", BAD_CAST topo->layout_note);
}

static void
add_attached(xmlNode *root, const dl_show_topology *topo)
{
    xmlNode *n = xmlNewChild(root, NULL, BAD_CAST "attached", NULL);

    for (guint i = 0; i < topo->attach->len; i++) {
        const dl_show_attach *a = g_ptr_array_index(topo->attach, i);
        xmlNode *c = xmlNewChild(n, NULL, BAD_CAST "controller", NULL);

        set(c, "type", a->type);
        set_uint(c, "index", (guint) a->index);
        set(c, "model", a->model);
        set(c, "origin", dl_show_origin_name(a->origin));
        set(c, "origin-words", dl_show_origin_words(a->origin));
        set(c, "capacity", a->capacity);
        set_flag(c, "missing", a->missing);
        for (guint k = 0; k < a->devs->len; k++)
            add_device(c, g_ptr_array_index(a->devs, k), FALSE);
    }
}

static xmlDoc *
topology_doc(const dl_show_topology *topo)
{
    xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNode *root = xmlNewNode(NULL, BAD_CAST "topology");
    xmlNode *pci, *unplaced, *others;

    xmlDocSetRootElement(doc, root);
    set(root, "file", topo->file);
    set(root, "machine", topo->machine);
    set(root, "family", topo->family);
    set(root, "arch", topo->arch);
    set(root, "root", topo->root);
    set_uint(root, "errors", dl_show_count(topo, DOMLINT_SEV_ERROR));
    set_uint(root, "warnings", dl_show_count(topo, DOMLINT_SEV_WARNING));
    set_uint(root, "empty-hotplug-ports", dl_show_free_ports(topo));
    add_layout(root, topo);
    pci = xmlNewChild(root, NULL, BAD_CAST "pci", NULL);
    for (guint i = 0; i < topo->buses->len; i++) {
        const dl_show_bus *bus = g_ptr_array_index(topo->buses, i);
        if (bus->parent < 0)
            add_bus(pci, topo, bus);
    }
    unplaced = xmlNewChild(root, NULL, BAD_CAST "unplaced", NULL);
    for (guint i = 0; i < topo->unplaced->len; i++)
        add_device(unplaced, g_ptr_array_index(topo->unplaced, i), FALSE);
    add_attached(root, topo);
    others = xmlNewChild(root, NULL, BAD_CAST "findings", NULL);
    add_findings(others, topo->others);
    return doc;
}

char *
dl_show_xml(const dl_show_topology *topo)
{
    xmlDoc *doc = topology_doc(topo);
    xmlChar *mem = NULL;
    int len = 0;
    char *text;

    xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
    text = g_strndup((const char *) mem, (gsize) len);
    xmlFree(mem);
    xmlFreeDoc(doc);
    return text;
}

/* libxml2's and libxslt's messages: the caller says in one line what failed */
static void G_GNUC_PRINTF(2, 3)
quiet(void *data, const char *fmt, ...)
{
    (void) data;
    (void) fmt;
}

/* The stylesheet XSL, read without the network; NULL when it cannot be. */
static xsltStylesheet *
load_stylesheet(const char *xsl)
{
    xmlDoc *doc = xmlReadFile(xsl, NULL, XML_PARSE_NONET | XML_PARSE_NOENT);
    xsltStylesheet *sheet = doc ? xsltParseStylesheetDoc(doc) : NULL;

    /* the stylesheet owns the document once parsed */
    if (doc && !sheet)
        xmlFreeDoc(doc);
    return sheet;
}

char *
dl_show_html(const dl_show_topology *topo, const char *xsl, char **error)
{
    xsltStylesheet *sheet;
    xmlDoc *doc, *page;
    xmlChar *mem = NULL;
    int len = 0;
    char *text = NULL;

    xmlSetGenericErrorFunc(NULL, quiet);
    xsltSetGenericErrorFunc(NULL, quiet);
    sheet = load_stylesheet(xsl);
    if (!sheet) {
        *error = g_strdup_printf("cannot read the topology stylesheet '%s'", xsl);
        xmlSetGenericErrorFunc(NULL, NULL);
        xsltSetGenericErrorFunc(NULL, NULL);
        return NULL;
    }
    doc = topology_doc(topo);
    page = xsltApplyStylesheet(sheet, doc, NULL);
    if (page && xsltSaveResultToString(&mem, &len, page, sheet) == 0)
        text = g_strndup((const char *) mem, (gsize) len);
    else
        *error = g_strdup_printf("the topology stylesheet '%s' failed", xsl);
    xmlFree(mem);
    xmlFreeDoc(page);
    xmlFreeDoc(doc);
    xsltFreeStylesheet(sheet);
    xmlSetGenericErrorFunc(NULL, NULL);
    xsltSetGenericErrorFunc(NULL, NULL);
    return text;
}
