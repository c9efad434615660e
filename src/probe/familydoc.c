/*
 * familydoc.c - a shipped family document edited into the probed facts
 *
 * The libvirt-side facts a QEMU cannot report (implicit devices, default
 * models, disk buses...) stay as shipped; the machine lists, aliases,
 * default machine, root bus, builtin PCI functions, PCI controllers and
 * floppy controller become what the probe saw, and a comment says where
 * they came from.
 */
#include "config.h"

#include <string.h>

#include <libxml/tree.h>

#include "core/load.h"
#include "probe/probe-internal.h"

static xmlNode *
last_element_of(xmlNode *root, const char *const *names)
{
    xmlNode *last = NULL;

    for (xmlNode *n = root->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && g_strv_contains(names, (const char *) n->name))
            last = n;
    }
    return last;
}

/* Put NODE after the last child of ROOT named in AFTER (schema order). */
static void
insert_after(xmlNode *root, const char *const *after, xmlNode *node)
{
    xmlNode *anchor = last_element_of(root, after);

    if (anchor)
        xmlAddNextSibling(anchor, node);
    else if (root->children)
        xmlAddPrevSibling(root->children, node);
    else
        xmlAddChild(root, node);
}

static void
remove_elements(xmlNode *root, const char *name)
{
    xmlNode *next;

    for (xmlNode *n = root->children; n; n = next) {
        next = n->next;
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        }
    }
}

static xmlNode *
first_element(xmlNode *root, const char *name)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0)
            return n;
    }
    return NULL;
}

static void
set_prop(xmlNode *node, const char *name, const char *value)
{
    if (value)
        xmlSetProp(node, (const xmlChar *) name, (const xmlChar *) value);
    else
        xmlUnsetProp(node, (const xmlChar *) name);
}

/* Space-separated words, six to a line, for <machines>. */
static char *
word_block(GPtrArray *words, guint n_aliases)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < words->len; i++) {
        guint k = i < n_aliases ? 0 : i - n_aliases;

        if (i == 0 || i == n_aliases || k % 6 == 0)
            g_string_append(out, "\n    ");
        else
            g_string_append_c(out, ' ');
        g_string_append(out, g_ptr_array_index(words, i));
    }
    if (words->len)
        g_string_append(out, "\n  ");
    return g_string_free(out, FALSE);
}

/* Aliases first, then the versioned names in version order. */
static GPtrArray *
member_names(const dl_family_probe *fp, guint *n_aliases)
{
    GPtrArray *names = g_ptr_array_new();

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        if (m->alias)
            g_ptr_array_add(names, m->alias);
    }
    *n_aliases = names->len;
    for (guint i = 0; i < fp->members->len; i++)
        g_ptr_array_add(names, ((dl_probe_machine *) g_ptr_array_index(fp->members, i))->name);
    return names;
}

static char *
join_covered(const dl_family *family, char **arches)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new();

    for (gsize i = 0; arches[i]; i++) {
        if (dl_family_has_arch(family, arches[i]))
            g_ptr_array_add(out, arches[i]);
    }
    g_ptr_array_add(out, NULL);
    return g_strjoinv(" ", (char **) out->pdata);
}

static void
edit_matches(xmlNode *root, const dl_family_probe *fp, const dl_probe_result *result)
{
    static const char *const after[] = { "match", NULL };

    for (xmlNode *n = root->children; n; n = n->next) {
        g_autofree char *name = NULL;
        const dl_probe_machine *m;

        if (n->type != XML_ELEMENT_NODE || strcmp((const char *) n->name, "match") != 0)
            continue;
        name = dl_xml_prop(n, "name");
        if (!name)
            continue;
        m = dl_probe_result_machine(result, name);
        set_prop(n, "canonical", m && g_strcmp0(m->alias, name) == 0 ? m->name : NULL);
    }
    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        xmlNode *node;

        if (!m->alias || g_strv_contains((const char * const *) fp->family->names, m->alias))
            continue;
        node = xmlNewNode(NULL, (const xmlChar *) "match");
        set_prop(node, "name", m->alias);
        set_prop(node, "canonical", m->name);
        insert_after(root, after, node);
    }
}

static void
add_machines(xmlNode *root, const char *arch, const char *text)
{
    static const char *const after[] = { "match", "removed", "machines", NULL };
    xmlNode *node = xmlNewNode(NULL, (const xmlChar *) "machines");

    if (arch)
        set_prop(node, "arch", arch);
    xmlNodeAddContent(node, (const xmlChar *) text);
    insert_after(root, after, node);
}

static void
edit_machines(xmlNode *root, const dl_family_probe *fp, const dl_probe_result *result)
{
    guint n_aliases = 0;
    g_autoptr(GPtrArray) names = member_names(fp, &n_aliases);
    g_autofree char *text = word_block(names, n_aliases);
    const dl_family *family = fp->family;

    remove_elements(root, "machines");
    if (!family->machines_by_arch) {
        add_machines(root, NULL, text);
        return;
    }
    /* per-arch lists: keep those of the arches this binary does not serve */
    for (gsize i = 0; family->arches[i]; i++) {
        const char *arch = family->arches[i];
        char **list = g_hash_table_lookup(family->machines_by_arch, arch);
        g_autofree char *words = NULL;

        if (!list || g_strv_contains((const char * const *) result->arches, arch))
            continue;
        words = g_strjoinv(" ", list);
        add_machines(root, arch, words);
    }
    {
        g_autofree char *covered = join_covered(family, result->arches);
        add_machines(root, covered, text);
    }
}

static void
edit_default(xmlNode *root, const dl_family_probe *fp, const dl_probe_result *result)
{
    static const char *const after[] = { "match", "removed", "machines", NULL };
    const dl_probe_machine *def = NULL;
    const char *name;
    xmlNode *node;
    g_autofree char *covered = NULL;

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        if (m->is_default)
            def = m;
    }
    if (fp->family->default_arches && !dl_probe_family_covered(fp->family, result->arches))
        return;
    remove_elements(root, "default-machine");
    if (!def)
        return;
    name = def->alias ? def->alias : def->name;
    if (!def->alias && !g_strv_contains((const char * const *) fp->family->names, name))
        return;
    covered = join_covered(fp->family, result->arches);
    node = xmlNewNode(NULL, (const xmlChar *) "default-machine");
    set_prop(node, "arch", covered);
    set_prop(node, "name", name);
    insert_after(root, after, node);
}

static xmlNode *
shipped_builtin(GPtrArray *shipped, unsigned slot, unsigned function)
{
    for (guint i = 0; i < shipped->len; i++) {
        xmlNode *n = g_ptr_array_index(shipped, i);
        g_autofree char *s = dl_xml_prop(n, "slot");
        g_autofree char *f = dl_xml_prop(n, "function");

        if (s && f && g_ascii_strtoull(s, NULL, 16) == slot && g_ascii_strtoull(f, NULL, 10) == function)
            return n;
    }
    return NULL;
}

static xmlNode *
new_builtin(const dl_probe_pci *pci, xmlNode *old)
{
    static const char *const copied[] = { "controller", "index", "models", "reserved" };
    xmlNode *node = xmlNewNode(NULL, (const xmlChar *) "builtin");
    g_autofree char *slot = g_strdup_printf("0x%02x", pci->slot);
    g_autofree char *function = g_strdup_printf("%u", pci->function);
    g_autofree char *old_device = old ? dl_xml_prop(old, "device") : NULL;

    set_prop(node, "slot", slot);
    set_prop(node, "function", function);
    set_prop(node, "device", pci->device);
    /* the libvirt side of the function only carries over to the same device */
    for (gsize i = 0; old_device && strcmp(old_device, pci->device) == 0 && i < G_N_ELEMENTS(copied); i++) {
        g_autofree char *value = dl_xml_prop(old, copied[i]);
        set_prop(node, copied[i], value);
    }
    return node;
}

/* Shipped builtins QEMU does not create itself (reserved="no") stay. */
static gboolean
libvirt_only(xmlNode *old)
{
    g_autofree char *reserved = dl_xml_prop(old, "reserved");

    return g_strcmp0(reserved, "no") == 0;
}

static void
edit_builtins(xmlNode *root, const dl_probe_machine *rep)
{
    static const char *const after[] = { "root", "builtin", NULL };
    g_autoptr(GPtrArray) shipped = g_ptr_array_new_with_free_func((GDestroyNotify) xmlFreeNode);
    g_autoptr(GPtrArray) fresh = g_ptr_array_new();
    xmlNode *next;

    for (xmlNode *n = root->children; n; n = next) {
        next = n->next;
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, "builtin") == 0) {
            xmlUnlinkNode(n);
            g_ptr_array_add(shipped, n);
        }
    }
    for (guint i = 0; i < rep->builtins->len; i++) {
        const dl_probe_pci *pci = g_ptr_array_index(rep->builtins, i);
        g_ptr_array_add(fresh, new_builtin(pci, shipped_builtin(shipped, pci->slot, pci->function)));
    }
    for (guint i = 0; i < shipped->len; i++) {
        xmlNode *old = g_ptr_array_index(shipped, i);
        g_autofree char *s = dl_xml_prop(old, "slot");
        g_autofree char *f = dl_xml_prop(old, "function");
        gboolean taken = FALSE;

        for (guint j = 0; j < rep->builtins->len; j++) {
            const dl_probe_pci *pci = g_ptr_array_index(rep->builtins, j);
            taken |= pci->slot == g_ascii_strtoull(s, NULL, 16) && pci->function == g_ascii_strtoull(f, NULL, 10);
        }
        if (!taken && libvirt_only(old))
            g_ptr_array_add(fresh, xmlCopyNode(old, 1));
    }
    for (guint i = 0; i < fresh->len; i++)
        insert_after(root, after, g_ptr_array_index(fresh, i));
}

static void
edit_controllers(xmlNode *root, const dl_family *family, const dl_probe_result *result,
                 GPtrArray *warnings)
{
    xmlNode *node = first_element(root, "controllers");
    g_autoptr(GPtrArray) keep = g_ptr_array_new();

    if (!node || !family->controllers)
        return;
    for (gsize i = 0; family->controllers[i]; i++) {
        if (dl_probe_controller_available(result, family->controllers[i]))
            g_ptr_array_add(keep, family->controllers[i]);
        else
            dl_probe_warn(warnings, "%s: controller '%s' dropped: this QEMU has none of its devices",
                 family->id, family->controllers[i]);
    }
    g_ptr_array_add(keep, NULL);
    {
        g_autofree char *text = g_strjoinv(" ", (char **) keep->pdata);
        xmlNodeSetContent(node, (const xmlChar *) text);
    }
}

static void
edit_fdc(xmlNode *root, const dl_family_probe *fp)
{
    xmlNode *node = first_element(root, "fdc");

    if (!node) {
        static const char *const after[] = { "root", "builtin", "controllers", "disk-buses", NULL };
        node = xmlNewNode(NULL, (const xmlChar *) "fdc");
        insert_after(root, after, node);
    }
    set_prop(node, "builtin", fp->fdc ? "yes" : "no");
    set_prop(node, "before", fp->fdc_before);
}

static char *
provenance(const dl_family_probe *fp, const dl_probe_result *result)
{
    GString *out = g_string_new(NULL);
    g_autofree char *devices = g_strjoinv(" ", result->devices);
    g_autofree char *missing = g_strjoinv(" ", result->missing);

    g_string_append_printf(out, " probed by domlint probe from %s (QEMU %s%s%s, target %s);"
                           " libvirt-side facts copied from %s.",
                           result->qemu, result->version ? result->version : "?",
                           result->package ? ", " : "", result->package ? result->package : "",
                           result->target, fp->family->origin);
    g_string_append_printf(out, "\n     device models present: %s", *devices ? devices : "none");
    g_string_append_printf(out, "\n     device models absent: %s", *missing ? missing : "none");
    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        if (m->deprecated)
            g_string_append_printf(out, "\n     deprecated: %s", m->name);
    }
    if (fp->rep && fp->rep->ide_buses[0]) {
        g_autofree char *ide = g_strjoinv(", ", fp->rep->ide_buses);
        g_string_append_printf(out, "\n     IDE buses of %s: %s", fp->rep->name, ide);
    }
    g_string_append(out, " ");
    return g_string_free(out, FALSE);
}

/*
 * The probed binary is one QEMU release: facts of other releases go, the
 * others lose their QEMU range, and the versioned types and aliases give way
 * to the exact lists edit_matches() and edit_machines() write.  libvirt
 * ranges stay: the knowledge is still checked against a libvirt release.
 */
static void
keep_release(xmlNode *root, const dl_target *target)
{
    xmlNode *next;

    for (xmlNode *n = root->children; n; n = next) {
        next = n->next;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!dl_fact_holds(n, target, "qemu") || strcmp((const char *) n->name, "type") == 0) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
            continue;
        }
        xmlUnsetProp(n, (const xmlChar *) "since-qemu");
        xmlUnsetProp(n, (const xmlChar *) "before-qemu");
        xmlUnsetProp(n, (const xmlChar *) "newest");
    }
}

void
dl_probe_edit_doc(xmlDoc *doc, const dl_family_probe *fp, const dl_probe_result *result,
         const dl_target *target, GPtrArray *warnings)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    g_autofree char *text = provenance(fp, result);

    xmlAddPrevSibling(root, xmlNewDocComment(doc, (const xmlChar *) text));
    keep_release(root, target);
    edit_matches(root, fp, result);
    edit_machines(root, fp, result);
    edit_default(root, fp, result);
    edit_controllers(root, fp->family, result, warnings);
    if (!fp->rep)
        return;
    set_prop(first_element(root, "root"), "model", dl_root_model_name(fp->rep->root));
    edit_builtins(root, fp->rep);
    edit_fdc(root, fp);
}
