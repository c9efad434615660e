/*
 * devices.c - loading and asking the device-model catalogue
 *
 * data/devices/devices.xml holds the facts; this file only reads them into
 * the structures of devices.h and answers lookups.  See the data file's
 * header for the sources and devices.rng for the meaning of each element.
 */
#include "config.h"

#include <string.h>

#include "core/datafile.h"
#include "core/devices.h"
#include "core/load.h"
#include "core/machines.h"

G_DEFINE_QUARK(dl-devices-error-quark, dl_devices_error)

struct dl_devices {
    gboolean unmeasured;     /* a vendor build: presence unknown everywhere */
    char **measured;         /* arches the <exists> facts cover */
    GPtrArray *emulators;    /* of dl_emulator* */
    GPtrArray *controllers;  /* of dl_pci_controller* */
    GPtrArray *kinds;        /* of dl_dev_kind_entry* */
    GPtrArray *qemu_names;   /* of const char* (borrowed), NULL-terminated */
    GPtrArray *nics;         /* of nic_list*: the target release's measured NIC devices */
};

/* One <nic-devices> of the target's QEMU release. */
typedef struct {
    char **arches;
    char **names;
} nic_list;

/* ------------------------------------------------------------------ */
/* freeing                                                            */

static void
exists_free(gpointer p)
{
    dl_exists *e = p;

    g_strfreev(e->arches);
    g_free(e->since);
    g_free(e->before);
    g_free(e->note);
    g_free(e);
}

static void
qemu_device_free(gpointer p)
{
    dl_qemu_device *q = p;

    g_free(q->device);
    g_ptr_array_unref(q->exists);
    g_free(q);
}

static void
option_free(gpointer p)
{
    dl_pci_option *o = p;

    g_free(o->name);
    g_free(o->feature);
    g_free(o);
}

static void
controller_free(gpointer p)
{
    dl_pci_controller *c = p;

    g_free(c->model);
    g_ptr_array_unref(c->options);
    g_ptr_array_unref(c->devices);
    g_free(c->names);
    g_free(c);
}

static void
model_free(gpointer p)
{
    dl_dev_model *m = p;

    g_free(m->name);
    g_free(m->prefix);
    g_free(m->feature);
    g_free(m->address);
    g_ptr_array_unref(m->devices);
    g_free(m);
}

static void
kind_free(gpointer p)
{
    dl_dev_kind_entry *k = p;

    g_free(k->element);
    g_free(k->type);
    g_free(k->subsys);
    g_free(k->bus);
    g_free(k->default_key);
    g_ptr_array_unref(k->models);
    g_free(k);
}

static void
nic_list_free(gpointer p)
{
    nic_list *l = p;

    g_strfreev(l->arches);
    g_strfreev(l->names);
    g_free(l);
}

static void
emulator_free(gpointer p)
{
    dl_emulator *e = p;

    g_free(e->binary);
    g_strfreev(e->arches);
    g_strfreev(e->also);
    g_free(e);
}

void
dl_devices_free(dl_devices *devices)
{
    if (!devices)
        return;
    g_strfreev(devices->measured);
    g_ptr_array_unref(devices->emulators);
    g_ptr_array_unref(devices->controllers);
    g_ptr_array_unref(devices->kinds);
    g_ptr_array_unref(devices->qemu_names);
    g_ptr_array_unref(devices->nics);
    g_free(devices);
}

/* ------------------------------------------------------------------ */
/* reading                                                            */

static const struct {
    const char *word;
    guint flag;
} connect_words[] = {
    { "pci-device", DL_CONN_PCI_DEVICE },
    { "pcie-device", DL_CONN_PCIE_DEVICE },
    { "pci-bridge", DL_CONN_PCI_BRIDGE },
    { "pcie-root-port", DL_CONN_PCIE_ROOT_PORT },
    { "pcie-switch-upstream-port", DL_CONN_PCIE_SWITCH_UP },
    { "pcie-switch-downstream-port", DL_CONN_PCIE_SWITCH_DOWN },
    { "dmi-to-pci-bridge", DL_CONN_DMI_TO_PCI_BRIDGE },
    { "pcie-to-pci-bridge", DL_CONN_PCIE_TO_PCI_BRIDGE },
    { "pci-expander-bus", DL_CONN_PCI_EXPANDER_BUS },
    { "pcie-expander-bus", DL_CONN_PCIE_EXPANDER_BUS },
    { "integrated", DL_CONN_INTEGRATED },
};

static const struct {
    const char *word;
    dl_link link;
} link_words[] = {
    { "none", DL_LINK_NONE },
    { "express", DL_LINK_EXPRESS },
    { "virtio", DL_LINK_VIRTIO },
    { "virtio-pci", DL_LINK_VIRTIO_PCI },
};

/* The dl_conn bits of a space-separated list (the schema allows only known words). */
static guint
parse_connects(const char *text)
{
    g_auto(GStrv) words = g_strsplit(text ? text : "", " ", -1);
    guint flags = 0;

    for (gsize w = 0; words[w]; w++) {
        for (gsize i = 0; i < G_N_ELEMENTS(connect_words); i++) {
            if (strcmp(words[w], connect_words[i].word) == 0)
                flags |= connect_words[i].flag;
        }
    }
    return flags;
}

/* "virtio integrated", "pci-device", "none": a link word, or connect words. */
static dl_connect
parse_link(const char *text)
{
    g_auto(GStrv) words = g_strsplit(text ? text : "none", " ", -1);
    dl_connect c = { DL_LINK_FIXED, parse_connects(text) };

    for (gsize i = 0; i < G_N_ELEMENTS(link_words); i++) {
        if (words[0] && strcmp(words[0], link_words[i].word) == 0) {
            c.link = link_words[i].link;
            c.flags &= DL_CONN_INTEGRATED;
        }
    }
    return c;
}

static gboolean
prop_yes(xmlNode *node, const char *name)
{
    g_autofree char *v = dl_xml_prop(node, name);

    return g_strcmp0(v, "yes") == 0;
}

static int
prop_int(xmlNode *node, const char *name, int fallback)
{
    g_autofree char *v = dl_xml_prop(node, name);

    return v ? (int) g_ascii_strtoll(v, NULL, 10) : fallback;
}

static char **
prop_words(xmlNode *node, const char *name)
{
    g_autofree char *v = dl_xml_prop(node, name);

    return g_strsplit(v ? v : "", " ", -1);
}

static gboolean
is_element(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *) node->name, name) == 0;
}

static dl_qemu_device *
parse_qemu_device(dl_devices *devices, xmlNode *node, const dl_target *target)
{
    dl_qemu_device *q = g_new0(dl_qemu_device, 1);

    q->device = dl_xml_prop(node, "device");
    q->exists = g_ptr_array_new_with_free_func(exists_free);
    for (xmlNode *n = node->children; n; n = n->next) {
        dl_exists *e;

        if (!is_element(n, "exists"))
            continue;
        e = g_new0(dl_exists, 1);
        e->arches = prop_words(n, "arches");
        /* outside the target's releases, those arches lack it there */
        e->holds = dl_fact_holds(n, target, "qemu");
        e->since = dl_xml_prop(n, "since-qemu");
        e->before = dl_xml_prop(n, "before-qemu");
        e->note = dl_xml_prop(n, "note");
        g_ptr_array_add(q->exists, e);
    }
    if (!g_ptr_array_find_with_equal_func(devices->qemu_names, q->device, g_str_equal, NULL))
        g_ptr_array_add(devices->qemu_names, q->device);
    return q;
}

static GPtrArray *
parse_qemu_devices(dl_devices *devices, xmlNode *parent, const dl_target *target)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(qemu_device_free);

    for (xmlNode *n = parent->children; n; n = n->next) {
        if (is_element(n, "qemu") && dl_fact_holds(n, target, NULL))
            g_ptr_array_add(list, parse_qemu_device(devices, n, target));
    }
    return list;
}

static void
parse_slots(xmlNode *node, guint *min, guint *max)
{
    g_autofree char *v = dl_xml_prop(node, "slots");
    const char *dash = v ? strchr(v, '-') : NULL;

    *min = v ? (guint) g_ascii_strtoull(v, NULL, 10) : 0;
    *max = dash ? (guint) g_ascii_strtoull(dash + 1, NULL, 10) : *min;
}

static dl_pci_controller *
parse_controller(dl_devices *devices, xmlNode *node, const dl_target *target)
{
    dl_pci_controller *c = g_new0(dl_pci_controller, 1);
    g_autofree char *connect = dl_xml_prop(node, "connect");
    g_autofree char *accepts = dl_xml_prop(node, "accepts");

    c->model = dl_xml_prop(node, "model");
    c->root = prop_yes(node, "root");
    c->express = prop_yes(node, "express");
    c->aggregate = prop_yes(node, "aggregate");
    c->autoassign = prop_yes(node, "autoassign");
    c->hotplug = prop_yes(node, "hotplug");
    c->upstream = parse_connects(connect);
    c->accepts = parse_connects(accepts);
    parse_slots(node, &c->min_slot, &c->max_slot);
    c->options = g_ptr_array_new_with_free_func(option_free);
    for (xmlNode *n = node->children; n; n = n->next) {
        dl_pci_option *o;

        if (!is_element(n, "option") || !dl_fact_holds(n, target, NULL))
            continue;
        o = g_new0(dl_pci_option, 1);
        o->name = dl_xml_prop(n, "name");
        o->feature = dl_xml_prop(n, "feature");
        g_ptr_array_add(c->options, o);
    }
    c->devices = parse_qemu_devices(devices, node, target);
    c->names = g_new0(const char *, c->devices->len + 1);
    for (guint i = 0; i < c->devices->len; i++)
        c->names[i] = ((const dl_qemu_device *) g_ptr_array_index(c->devices, i))->device;
    return c;
}

static dl_dev_model *
parse_model(dl_devices *devices, xmlNode *node, const dl_dev_kind_entry *kind,
            const dl_target *target)
{
    dl_dev_model *m = g_new0(dl_dev_model, 1);
    g_autofree char *connect = dl_xml_prop(node, "connect");

    m->name = dl_xml_prop(node, "name");
    m->prefix = dl_xml_prop(node, "prefix");
    m->connect = connect ? parse_link(connect) : kind->connect;
    m->ports = prop_int(node, "ports", -1);
    m->max_ports = (guint) prop_int(node, "max-ports", 0);
    m->master = prop_yes(node, "master");
    m->companion = prop_yes(node, "companion");
    m->function = prop_int(node, "function", -1);
    m->feature = dl_xml_prop(node, "feature");
    m->address = dl_xml_prop(node, "address");
    m->devices = parse_qemu_devices(devices, node, target);
    return m;
}

static dl_dev_kind_entry *
parse_kind(dl_devices *devices, xmlNode *node, const dl_target *target)
{
    dl_dev_kind_entry *k = g_new0(dl_dev_kind_entry, 1);
    g_autofree char *connect = dl_xml_prop(node, "connect");
    g_autofree char *unnamed = dl_xml_prop(node, "unnamed");

    k->element = dl_xml_prop(node, "element");
    k->type = dl_xml_prop(node, "type");
    k->subsys = dl_xml_prop(node, "subsys");
    k->bus = dl_xml_prop(node, "bus");
    k->default_key = dl_xml_prop(node, "default");
    k->connect = parse_link(connect);
    k->unnamed = unnamed ? parse_link(unnamed) : k->connect;
    k->ports = prop_int(node, "ports", 0);
    k->models = g_ptr_array_new_with_free_func(model_free);
    for (xmlNode *n = node->children; n; n = n->next) {
        if (is_element(n, "model") && dl_fact_holds(n, target, NULL))
            g_ptr_array_add(k->models, parse_model(devices, n, k, target));
    }
    return k;
}

static dl_emulator *
parse_emulator(xmlNode *node)
{
    dl_emulator *e = g_new0(dl_emulator, 1);

    e->binary = dl_xml_prop(node, "binary");
    e->arches = prop_words(node, "arches");
    e->also = prop_words(node, "also");
    return e;
}

/* A <nic-devices> measured in exactly the target's QEMU release (none without a target). */
static void
parse_nic_devices(dl_devices *devices, xmlNode *node, const dl_target *target)
{
    g_autofree char *qemu = dl_xml_prop(node, "qemu");
    nic_list *l;

    if (!target || !target->qemu || g_strcmp0(qemu, target->qemu) != 0)
        return;
    l = g_new0(nic_list, 1);
    l->arches = prop_words(node, "arches");
    l->names = prop_words(node, "names");
    g_ptr_array_add(devices->nics, l);
}

static void
parse_catalogue(dl_devices *devices, xmlNode *root, const dl_target *target)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || !dl_fact_holds(n, target, NULL))
            continue;
        if (is_element(n, "measured")) {
            devices->measured = prop_words(n, "arches");
            devices->unmeasured = target && target->vendor && !prop_yes(n, "vendors");
        } else if (is_element(n, "emulator")) {
            g_ptr_array_add(devices->emulators, parse_emulator(n));
        } else if (is_element(n, "pci-controller")) {
            g_ptr_array_add(devices->controllers, parse_controller(devices, n, target));
        } else if (is_element(n, "kind")) {
            g_ptr_array_add(devices->kinds, parse_kind(devices, n, target));
        } else if (is_element(n, "nic-devices")) {
            parse_nic_devices(devices, n, target);
        }
    }
    g_ptr_array_add(devices->qemu_names, NULL);
}

dl_devices *
dl_devices_load(const char *dir, const char *schema_dir, const dl_target *target, GError **error)
{
    g_autofree char *file = g_build_filename(dir, "devices.xml", NULL);
    g_autofree char *schema = schema_dir ? g_build_filename(schema_dir, "devices.rng", NULL) : NULL;
    dl_devices *devices;
    xmlDoc *doc;

    if (schema && !g_file_test(schema, G_FILE_TEST_EXISTS))
        g_clear_pointer(&schema, g_free);
    doc = dl_data_load(file, schema, DL_DEVICES_ERROR, 0, error);
    if (!doc)
        return NULL;
    devices = g_new0(dl_devices, 1);
    devices->emulators = g_ptr_array_new_with_free_func(emulator_free);
    devices->controllers = g_ptr_array_new_with_free_func(controller_free);
    devices->kinds = g_ptr_array_new_with_free_func(kind_free);
    devices->qemu_names = g_ptr_array_new();
    devices->nics = g_ptr_array_new_with_free_func(nic_list_free);
    parse_catalogue(devices, xmlDocGetRootElement(doc), target);
    xmlFreeDoc(doc);
    if (!devices->measured)
        devices->measured = g_new0(char *, 1);
    return devices;
}

/* ------------------------------------------------------------------ */
/* lookups                                                            */

const dl_pci_controller *
dl_devices_pci_controller(const dl_devices *devices, const char *model)
{
    for (guint i = 0; devices && model && i < devices->controllers->len; i++) {
        const dl_pci_controller *c = g_ptr_array_index(devices->controllers, i);

        if (strcmp(c->model, model) == 0)
            return c;
    }
    return NULL;
}

guint
dl_devices_pci_controller_count(const dl_devices *devices)
{
    return devices ? devices->controllers->len : 0;
}

const dl_pci_controller *
dl_devices_pci_controller_nth(const dl_devices *devices, guint i)
{
    return i < dl_devices_pci_controller_count(devices) ? g_ptr_array_index(devices->controllers, i)
                                                        : NULL;
}

gboolean
dl_pci_controller_takes(const dl_pci_controller *c, const char *name, const char **feature)
{
    if (feature)
        *feature = NULL;
    for (guint i = 0; c && i < c->options->len; i++) {
        const dl_pci_option *o = g_ptr_array_index(c->options, i);

        if (strcmp(o->name, name) != 0)
            continue;
        if (feature)
            *feature = o->feature;
        return TRUE;
    }
    return FALSE;
}

static gboolean
key_matches(const char *want, const char *have)
{
    return !want || g_strcmp0(want, have) == 0;
}

const dl_dev_kind_entry *
dl_devices_kind(const dl_devices *devices, const char *element, const char *type,
                const char *subsys, const char *bus)
{
    for (guint i = 0; devices && element && i < devices->kinds->len; i++) {
        const dl_dev_kind_entry *k = g_ptr_array_index(devices->kinds, i);

        if (strcmp(k->element, element) == 0 && key_matches(k->type, type) &&
            key_matches(k->subsys, subsys) && key_matches(k->bus, bus))
            return k;
    }
    return NULL;
}

const dl_dev_model *
dl_dev_kind_model(const dl_dev_kind_entry *kind, const char *model)
{
    for (guint i = 0; kind && model && i < kind->models->len; i++) {
        const dl_dev_model *m = g_ptr_array_index(kind->models, i);

        if (m->name ? strcmp(m->name, model) == 0 : g_str_has_prefix(model, m->prefix))
            return m;
    }
    return NULL;
}

const dl_dev_model *
dl_devices_controller_model(const dl_devices *devices, const char *type, const char *model)
{
    return dl_dev_kind_model(dl_devices_kind(devices, "controller", type, NULL, NULL), model);
}

dl_presence
dl_qemu_devices_present(const dl_devices *devices, const GPtrArray *qemu_devices,
                        const char *arch)
{
    gboolean described = FALSE;

    if (!devices || devices->unmeasured || !arch || !qemu_devices || qemu_devices->len == 0)
        return DL_PRESENT_UNKNOWN;
    for (guint i = 0; i < qemu_devices->len; i++) {
        const dl_qemu_device *q = g_ptr_array_index(qemu_devices, i);

        for (guint e = 0; e < q->exists->len; e++) {
            const dl_exists *x = g_ptr_array_index(q->exists, e);

            if (x->holds && g_strv_contains((const char *const *) x->arches, arch))
                return DL_PRESENT_YES;
        }
        described = described || q->exists->len > 0;
    }
    if (!described || !g_strv_contains((const char *const *) devices->measured, arch))
        return DL_PRESENT_UNKNOWN;
    return DL_PRESENT_NO;
}

dl_presence
dl_devices_nic_present(const dl_devices *devices, const char *name, const char *arch)
{
    gboolean measured = FALSE;

    if (!devices || devices->unmeasured || !name || !arch)
        return DL_PRESENT_UNKNOWN;
    for (guint i = 0; i < devices->nics->len; i++) {
        const nic_list *l = g_ptr_array_index(devices->nics, i);

        if (!g_strv_contains((const char *const *) l->arches, arch))
            continue;
        measured = TRUE;
        for (gsize n = 0; l->names[n]; n++) {
            if (g_ascii_strcasecmp(l->names[n], name) == 0)
                return DL_PRESENT_YES;
        }
    }
    return measured ? DL_PRESENT_NO : DL_PRESENT_UNKNOWN;
}

char *
dl_qemu_device_absence(const dl_qemu_device *q, const char *arch)
{
    g_autoptr(GPtrArray) where = g_ptr_array_new();
    GString *out;

    for (guint e = 0; e < q->exists->len; e++) {
        const dl_exists *x = g_ptr_array_index(q->exists, e);

        if (!g_strv_contains((const char *const *) x->arches, arch)) {
            if (x->holds)
                for (gsize a = 0; x->arches[a]; a++)
                    g_ptr_array_add(where, x->arches[a]);
            continue;
        }
        if (x->note)
            return g_strdup(x->note);
        if (x->since)
            return g_strdup_printf("it is in QEMU %s and later", x->since);
        return g_strdup_printf("QEMU %s removed it", x->before);
    }
    if (where->len == 0)
        return g_strdup("no arch has it in this release");
    out = g_string_new("it exists only for ");
    for (guint i = 0; i < where->len; i++)
        g_string_append_printf(out, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index(where, i));
    return g_string_free(out, FALSE);
}

const dl_emulator *
dl_devices_emulator(const dl_devices *devices, const char *binary)
{
    for (guint i = 0; devices && binary && i < devices->emulators->len; i++) {
        const dl_emulator *e = g_ptr_array_index(devices->emulators, i);

        if (strcmp(e->binary, binary) == 0)
            return e;
    }
    return NULL;
}

static const dl_qemu_device *
find_in(const GPtrArray *list, const char *name)
{
    for (guint i = 0; list && i < list->len; i++) {
        const dl_qemu_device *q = g_ptr_array_index(list, i);

        if (strcmp(q->device, name) == 0)
            return q;
    }
    return NULL;
}

const dl_qemu_device *
dl_devices_qemu_device(const dl_devices *devices, const char *name)
{
    const dl_qemu_device *q = NULL;

    for (guint i = 0; devices && name && !q && i < devices->controllers->len; i++)
        q = find_in(((const dl_pci_controller *) g_ptr_array_index(devices->controllers, i))->devices, name);
    for (guint k = 0; devices && name && !q && k < devices->kinds->len; k++) {
        const dl_dev_kind_entry *kind = g_ptr_array_index(devices->kinds, k);

        for (guint m = 0; !q && m < kind->models->len; m++)
            q = find_in(((const dl_dev_model *) g_ptr_array_index(kind->models, m))->devices, name);
    }
    return q;
}

const char *const *
dl_devices_qemu_names(const dl_devices *devices)
{
    static const char *const none[] = { NULL };

    return devices ? (const char *const *) devices->qemu_names->pdata : none;
}
