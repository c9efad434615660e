/*
 * model.c - the domain model rules read
 *
 * Walks <domain> once and records, for every device, the handful of
 * attributes the rules need plus its decoded <address>.  Missing controller
 * indexes are filled in the way libvirt's parser does it, because every
 * later rule (root model, bus numbers, duplicates) depends on them.
 */
#include "config.h"

#include <string.h>
#include <stdlib.h>
#include <errno.h>

#include "core/model.h"

gboolean
dl_str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return FALSE;
    return strcmp(a, b) == 0;
}

const char *
dl_xml_attr(const xmlNode *node, const char *name)
{
    const xmlAttr *prop;

    if (!node)
        return NULL;
    for (prop = node->properties; prop; prop = prop->next) {
        if (prop->ns != NULL || strcmp((const char *) prop->name, name) != 0)
            continue;
        /* borrowed from the tree; an empty value has no text child */
        if (prop->children && prop->children->type == XML_TEXT_NODE)
            return (const char *) prop->children->content;
        return "";
    }
    return NULL;
}

xmlNode *
dl_xml_child(const xmlNode *node, const char *name)
{
    if (!node)
        return NULL;
    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *) c->name, name) == 0)
            return c;
    }
    return NULL;
}

xmlNode *
dl_xml_first(const xmlNode *node, const char *name)
{
    return dl_xml_child(node, name);
}

xmlNode *
dl_xml_next(const xmlNode *node)
{
    if (!node)
        return NULL;
    for (xmlNode *c = node->next; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, node->name))
            return c;
    }
    return NULL;
}

static const char *
child_attr(xmlNode *node, const char *name, const char *attribute)
{
    return dl_xml_attr(dl_xml_child(node, name), attribute);
}

dl_num
dl_num_parse(const char *text, int base)
{
    dl_num num = { .present = text != NULL, .valid = FALSE, .value = 0, .text = text };
    const char *p = text;
    char *end = NULL;
    guint64 v;

    if (!text)
        return num;
    while (g_ascii_isspace(*p))
        p++;
    if (*p == '\0' || *p == '-' || *p == '+')
        return num;
    errno = 0;
    v = g_ascii_strtoull(p, &end, base);
    if (errno == ERANGE) {
        num.overflow = TRUE;
        return num;
    }
    if (errno != 0 || end == p)
        return num;
    while (g_ascii_isspace(*end))
        end++;
    if (*end != '\0')
        return num;
    num.valid = TRUE;
    num.value = v;
    return num;
}

dl_num
dl_num_attr(xmlNode *node, const char *name, int base)
{
    return dl_num_parse(dl_xml_attr(node, name), base);
}

static const struct {
    const char *name;
    dl_addr_type type;
} addr_types[] = {
    { "pci", DL_ADDR_PCI },
    { "drive", DL_ADDR_DRIVE },
    { "usb", DL_ADDR_USB },
    { "virtio-serial", DL_ADDR_VIRTIO_SERIAL },
    { "ccw", DL_ADDR_CCW },
    { "spapr-vio", DL_ADDR_SPAPR_VIO },
    { "isa", DL_ADDR_ISA },
    { "dimm", DL_ADDR_DIMM },
    { "ccid", DL_ADDR_CCID },
    { "virtio-mmio", DL_ADDR_VIRTIO_MMIO },
    { "virtio-s390", DL_ADDR_VIRTIO_S390 },
    { "unassigned", DL_ADDR_UNASSIGNED },
};

static dl_tristate
parse_tristate(const char *text)
{
    if (dl_str_eq(text, "on"))
        return DL_TRISTATE_ON;
    if (dl_str_eq(text, "off"))
        return DL_TRISTATE_OFF;
    return DL_TRISTATE_ABSENT;
}

void
dl_address_read(xmlNode *node, dl_address *addr)
{
    memset(addr, 0, sizeof(*addr));
    addr->type = DL_ADDR_NONE;
    if (!node)
        return;
    addr->node = node;
    addr->type_name = dl_xml_attr(node, "type");
    addr->type = DL_ADDR_OTHER;
    for (gsize i = 0; i < G_N_ELEMENTS(addr_types); i++) {
        if (dl_str_eq(addr->type_name, addr_types[i].name))
            addr->type = addr_types[i].type;
    }
    /* libvirt reads address numbers with base 0: 0x hex, leading-0 octal, decimal */
    addr->domain = dl_num_attr(node, "domain", 0);
    addr->bus = dl_num_attr(node, "bus", 0);
    addr->slot = dl_num_attr(node, "slot", 0);
    addr->function = dl_num_attr(node, "function", 0);
    addr->controller = dl_num_attr(node, "controller", 0);
    addr->target = dl_num_attr(node, "target", 0);
    addr->unit = dl_num_attr(node, "unit", 0);
    if (addr->type == DL_ADDR_DRIVE) {
        /* libvirt reads drive addresses as plain decimal */
        addr->controller = dl_num_attr(node, "controller", 10);
        addr->bus = dl_num_attr(node, "bus", 10);
        addr->target = dl_num_attr(node, "target", 10);
        addr->unit = dl_num_attr(node, "unit", 10);
    }
    addr->cssid = dl_num_attr(node, "cssid", 0);
    addr->ssid = dl_num_attr(node, "ssid", 0);
    addr->devno = dl_num_attr(node, "devno", 0);
    addr->reg = dl_num_attr(node, "reg", 0);
    addr->multifunction = parse_tristate(dl_xml_attr(node, "multifunction"));
    if (addr->type == DL_ADDR_USB)
        addr->usb_port = dl_xml_attr(node, "port");
    else
        addr->port = dl_num_attr(node, "port", 0);
    addr->zpci = dl_xml_child(node, "zpci");
    addr->zpci_uid = dl_num_attr(addr->zpci, "uid", 0);
    addr->zpci_fid = dl_num_attr(addr->zpci, "fid", 0);
}

static const struct {
    const char *element;
    dl_dev_kind kind;
} dev_kinds[] = {
    { "disk", DL_DEV_DISK },
    { "controller", DL_DEV_CONTROLLER },
    { "lease", DL_DEV_LEASE },
    { "filesystem", DL_DEV_FILESYSTEM },
    { "interface", DL_DEV_INTERFACE },
    { "input", DL_DEV_INPUT },
    { "sound", DL_DEV_SOUND },
    { "hostdev", DL_DEV_HOSTDEV },
    { "graphics", DL_DEV_GRAPHICS },
    { "video", DL_DEV_VIDEO },
    { "serial", DL_DEV_SERIAL },
    { "parallel", DL_DEV_PARALLEL },
    { "console", DL_DEV_CONSOLE },
    { "channel", DL_DEV_CHANNEL },
    { "watchdog", DL_DEV_WATCHDOG },
    { "memballoon", DL_DEV_MEMBALLOON },
    { "rng", DL_DEV_RNG },
    { "smartcard", DL_DEV_SMARTCARD },
    { "redirdev", DL_DEV_REDIRDEV },
    { "hub", DL_DEV_HUB },
    { "panic", DL_DEV_PANIC },
    { "shmem", DL_DEV_SHMEM },
    { "memory", DL_DEV_MEMORY },
    { "iommu", DL_DEV_IOMMU },
    { "vsock", DL_DEV_VSOCK },
    { "crypto", DL_DEV_CRYPTO },
    { "tpm", DL_DEV_TPM },
    { "nvram", DL_DEV_NVRAM },
    { "audio", DL_DEV_AUDIO },
    { "emulator", DL_DEV_EMULATOR },
};

const char *
dl_dev_kind_name(dl_dev_kind kind)
{
    for (gsize i = 0; i < G_N_ELEMENTS(dev_kinds); i++) {
        if (dev_kinds[i].kind == kind)
            return dev_kinds[i].element;
    }
    return "device";
}

static dl_dev_kind
kind_of(const char *element)
{
    for (gsize i = 0; i < G_N_ELEMENTS(dev_kinds); i++) {
        if (strcmp(dev_kinds[i].element, element) == 0)
            return dev_kinds[i].kind;
    }
    return DL_DEV_OTHER;
}

/* The attribute libvirt calls the model of each kind of device. */
static const char *
model_of(xmlNode *node, dl_dev_kind kind)
{
    switch (kind) {
    case DL_DEV_INTERFACE:
    case DL_DEV_VIDEO:
    case DL_DEV_SHMEM:
        return child_attr(node, "model", "type");
    case DL_DEV_SERIAL:
    case DL_DEV_CONSOLE:
    case DL_DEV_CHANNEL:
    case DL_DEV_PARALLEL:
        return child_attr(dl_xml_child(node, "target"), "model", "name");
    case DL_DEV_INPUT:
    case DL_DEV_HUB:
    case DL_DEV_SMARTCARD:
        return dl_xml_attr(node, "type");
    case DL_DEV_REDIRDEV:
        return dl_xml_attr(node, "bus");
    case DL_DEV_DISK:
    case DL_DEV_CONTROLLER:
    case DL_DEV_LEASE:
    case DL_DEV_FILESYSTEM:
    case DL_DEV_SOUND:
    case DL_DEV_HOSTDEV:
    case DL_DEV_GRAPHICS:
    case DL_DEV_WATCHDOG:
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
    case DL_DEV_PANIC:
    case DL_DEV_MEMORY:
    case DL_DEV_IOMMU:
    case DL_DEV_VSOCK:
    case DL_DEV_CRYPTO:
    case DL_DEV_TPM:
    case DL_DEV_NVRAM:
    case DL_DEV_AUDIO:
    case DL_DEV_EMULATOR:
    case DL_DEV_OTHER:
    case DL_DEV_LAST:
        break;
    }
    return dl_xml_attr(node, "model");
}

static const char *
disk_source(xmlNode *node)
{
    xmlNode *src = dl_xml_child(node, "source");
    const char *names[] = { "file", "dev", "dir", "name", "volume" };

    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        const char *v = dl_xml_attr(src, names[i]);
        if (v)
            return v;
    }
    return NULL;
}

/* A number written as element content, e.g. <node>1</node>; text is not kept. */
static dl_num
element_num(xmlNode *node)
{
    g_autofree char *text = NULL;
    dl_num num;

    if (!node)
        return dl_num_parse(NULL, 10);
    text = (char *) xmlNodeGetContent(node);
    num = dl_num_parse(text ? text : "", 10);
    num.present = TRUE;
    num.text = NULL;
    return num;
}

static void
parse_controller(dl_device *dev)
{
    xmlNode *target = dl_xml_child(dev->node, "target");

    dev->index = dl_num_attr(dev->node, "index", 10);
    dev->model_name = child_attr(dev->node, "model", "name");
    dev->target_node = target;
    dev->chassis_nr = dl_num_attr(target, "chassisNr", 0);
    dev->chassis = dl_num_attr(target, "chassis", 0);
    dev->port = dl_num_attr(target, "port", 0);
    dev->bus_nr = dl_num_attr(target, "busNr", 0);
    dev->target_index = dl_num_attr(target, "index", 0);
    dev->hotplug = dl_xml_attr(target, "hotplug");
    dev->numa_node = element_num(dl_xml_child(target, "node"));
    dev->pcihole64 = dl_xml_child(dev->node, "pcihole64");
    dev->ports = dl_num_attr(dev->node, "ports", 10);
    dev->vectors = dl_num_attr(dev->node, "vectors", 10);
}

static dl_device *
device_new(xmlNode *node, int ordinal)
{
    dl_device *dev = g_new0(dl_device, 1);
    xmlNode *target;

    dev->node = node;
    dev->ordinal = ordinal;
    dev->kind = kind_of((const char *) node->name);
    dev->type = dl_xml_attr(node, "type");
    dev->model = model_of(node, dev->kind);
    dev->auto_index = -1;
    dev->alias = child_attr(node, "alias", "name");
    dl_address_read(dl_xml_child(node, "address"), &dev->addr);

    target = dl_xml_child(node, "target");
    switch (dev->kind) {
    case DL_DEV_DISK:
        dev->device = dl_xml_attr(node, "device");
        if (!dev->device)
            dev->device = "disk";
        dev->bus = dl_xml_attr(target, "bus");
        dev->target_dev = dl_xml_attr(target, "dev");
        dev->source = disk_source(node);
        break;
    case DL_DEV_CONTROLLER:
        parse_controller(dev);
        break;
    case DL_DEV_INPUT:
        dev->bus = dl_xml_attr(node, "bus");
        break;
    case DL_DEV_HOSTDEV:
        dev->subsys = dl_xml_attr(node, "type");
        dev->source_address = dl_xml_child(dl_xml_child(node, "source"), "address");
        break;
    case DL_DEV_CHANNEL:
    case DL_DEV_CONSOLE:
    case DL_DEV_SERIAL:
    case DL_DEV_PARALLEL:
        dev->bus = dl_xml_attr(target, "type");
        break;
    case DL_DEV_LEASE:
    case DL_DEV_FILESYSTEM:
    case DL_DEV_INTERFACE:
    case DL_DEV_SOUND:
    case DL_DEV_GRAPHICS:
    case DL_DEV_VIDEO:
    case DL_DEV_WATCHDOG:
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
    case DL_DEV_SMARTCARD:
    case DL_DEV_REDIRDEV:
    case DL_DEV_HUB:
    case DL_DEV_PANIC:
    case DL_DEV_SHMEM:
    case DL_DEV_MEMORY:
    case DL_DEV_IOMMU:
    case DL_DEV_VSOCK:
    case DL_DEV_CRYPTO:
    case DL_DEV_TPM:
    case DL_DEV_NVRAM:
    case DL_DEV_AUDIO:
    case DL_DEV_EMULATOR:
    case DL_DEV_OTHER:
    case DL_DEV_LAST:
        break;
    }
    return dev;
}

static void
device_free(gpointer p)
{
    g_free(p);
}

/* ich9-ehci1 or one of its uhci companions (the device catalogue's USB2 sets) */
static gboolean
is_usb2_set_member(const dl_devices *devices, const dl_device *dev)
{
    const dl_dev_model *m = dl_devices_controller_model(devices, "usb", dev->model);

    return m && (m->master || m->companion);
}

/* The controllers of TYPE by (auto) index, made when first asked for. */
static GHashTable *
controllers_of(dl_domain *dom, const char *type)
{
    GHashTable *by_index = g_hash_table_lookup(dom->controllers, type);

    if (!by_index) {
        by_index = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_hash_table_insert(dom->controllers, (gpointer) type, by_index);
    }
    return by_index;
}

/* Record C under its index, unless a controller before it has that index. */
static void
index_controller(dl_domain *dom, dl_device *c)
{
    GHashTable *by_index = controllers_of(dom, c->type);

    if (!g_hash_table_contains(by_index, GINT_TO_POINTER(c->auto_index)))
        g_hash_table_insert(by_index, GINT_TO_POINTER(c->auto_index), c);
}

/* The USB controllers' index/model pairs, so that a companion sees whether its index has its model. */
static void
note_usb_model(GHashTable *usb_models, const dl_device *c)
{
    if (dl_str_eq(c->type, "usb") && c->model)
        g_hash_table_add(usb_models, g_strdup_printf("%d/%s", c->auto_index, c->model));
}

static gboolean
usb_model_taken(GHashTable *usb_models, int idx, const char *model)
{
    g_autofree char *key = g_strdup_printf("%d/%s", idx, model ? model : "");

    return g_hash_table_contains(usb_models, key);
}

/*
 * libvirt gives a controller without an index the lowest index of its type
 * not yet taken, in document order; a USB2 controller (ich9-ehci1 or a
 * uhci companion) written right after another USB2 controller joins that
 * controller's index instead, unless the index already has one of its model.
 * Indexes are only ever taken, so the search for the lowest free one goes
 * on from where the last one for that type stopped.
 */
static void
assign_controller_indexes(dl_domain *dom, const dl_devices *devices)
{
    const dl_device *prev = NULL;
    g_autoptr(GHashTable) lowest = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) usb_models = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < dom->devices->len; i++) {
        dl_device *c = g_ptr_array_index(dom->devices, i);
        if (c->kind != DL_DEV_CONTROLLER || !c->index.valid || c->index.value > G_MAXINT)
            continue;
        c->auto_index = (int) c->index.value;
        if (c->type) {
            index_controller(dom, c);
            note_usb_model(usb_models, c);
        }
    }
    for (guint i = 0; i < dom->devices->len; i++) {
        dl_device *c = g_ptr_array_index(dom->devices, i);
        if (c->kind != DL_DEV_CONTROLLER || !c->type)
            continue;
        if (!c->index.present) {
            if (prev && dl_str_eq(c->type, "usb") &&
                is_usb2_set_member(devices, c) && is_usb2_set_member(devices, prev) &&
                !usb_model_taken(usb_models, prev->auto_index, c->model)) {
                c->auto_index = prev->auto_index;
            } else {
                GHashTable *by_index = controllers_of(dom, c->type);
                int idx = GPOINTER_TO_INT(g_hash_table_lookup(lowest, c->type));
                while (g_hash_table_contains(by_index, GINT_TO_POINTER(idx)))
                    idx++;
                c->auto_index = idx;
                g_hash_table_insert(lowest, (gpointer) c->type, GINT_TO_POINTER(idx + 1));
            }
            index_controller(dom, c);
            note_usb_model(usb_models, c);
        }
        /* libvirt keeps controllers grouped by type: "the one before" is the previous USB one */
        if (dl_str_eq(c->type, "usb"))
            prev = c;
    }
}

/*
 * libvirt's console compatibility: in an HVM guest the first <console>,
 * when its target type is serial or absent, stands for serial port 0
 * (libvirt keeps it as an alias, or replaces it by one when the sources
 * differ).  Without a <serial> it becomes that serial port, one device.
 */
static void
mark_console_alias(dl_domain *dom)
{
    const dl_device *serial = NULL;
    g_autofree char *os_type = dom->os_type ? (char *) xmlNodeGetContent(dom->os_type) : NULL;

    if (!os_type || strcmp(g_strstrip(os_type), "hvm") != 0)
        return;
    for (guint i = 0; i < dom->devices->len && !serial; i++) {
        const dl_device *d = g_ptr_array_index(dom->devices, i);
        if (d->kind == DL_DEV_SERIAL)
            serial = d;
    }
    for (guint i = 0; i < dom->devices->len; i++) {
        dl_device *d = g_ptr_array_index(dom->devices, i);
        const char *target;

        if (d->kind != DL_DEV_CONSOLE)
            continue;
        target = dl_xml_attr(dl_device_child(d, "target"), "type");
        if (serial && (!target || dl_str_eq(target, "serial")))
            d->alias_of = serial;
        break;
    }
}

static guint
count_numa_cells(xmlNode *root)
{
    xmlNode *numa = dl_xml_child(dl_xml_child(root, "cpu"), "numa");
    guint n = 0;

    if (!numa)
        return 0;
    for (xmlNode *c = numa->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *) c->name, "cell") == 0)
            n++;
    }
    return n;
}

dl_domain *
dl_domain_new(xmlDoc *doc, const dl_devices *devices)
{
    dl_domain *dom = g_new0(dl_domain, 1);
    xmlNode *root = xmlDocGetRootElement(doc);
    int ordinal = 0;

    dom->devices = g_ptr_array_new_with_free_func(device_free);
    dom->controllers = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_hash_table_unref);
    dom->root = root;
    if (!root)
        return dom;
    dom->domain_type = dl_xml_attr(root, "type");
    dom->os_type = dl_xml_child(dl_xml_child(root, "os"), "type");
    dom->arch = dl_xml_attr(dom->os_type, "arch");
    dom->machine = dl_xml_attr(dom->os_type, "machine");
    dom->features = dl_xml_child(root, "features");
    dom->smm_tseg = dl_xml_child(dl_xml_child(dom->features, "smm"), "tseg");
    dom->numa_cells = count_numa_cells(root);
    dom->os = dl_xml_child(root, "os");
    dom->cpu = dl_xml_child(root, "cpu");
    dom->vcpu = dl_xml_child(root, "vcpu");
    dom->vcpus = dl_xml_child(root, "vcpus");
    dom->memory = dl_xml_child(root, "memory");
    dom->current_memory = dl_xml_child(root, "currentMemory");
    dom->max_memory = dl_xml_child(root, "maxMemory");
    dom->memory_backing = dl_xml_child(root, "memoryBacking");
    dom->numatune = dl_xml_child(root, "numatune");
    dom->cputune = dl_xml_child(root, "cputune");
    dom->iothreads = dl_xml_child(root, "iothreads");
    dom->iothreadids = dl_xml_child(root, "iothreadids");
    dom->sysinfo = dl_xml_child(root, "sysinfo");
    dom->uuid = dl_xml_child(root, "uuid");
    dom->pm = dl_xml_child(root, "pm");
    dom->resource = dl_xml_child(root, "resource");
    dom->devices_node = dl_xml_child(root, "devices");
    if (!dom->devices_node)
        return dom;

    for (xmlNode *c = dom->devices_node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *) c->name, "emulator") == 0) {
            g_autofree char *text = (char *) xmlNodeGetContent(c);
            g_free(dom->emulator);
            dom->emulator = g_strdup(g_strstrip(text ? text : (char *) ""));
            continue;
        }
        g_ptr_array_add(dom->devices, device_new(c, ordinal++));
    }
    assign_controller_indexes(dom, devices);
    mark_console_alias(dom);
    return dom;
}

void
dl_domain_free(dl_domain *dom)
{
    if (!dom)
        return;
    g_ptr_array_unref(dom->devices);
    g_hash_table_unref(dom->controllers);
    g_free(dom->emulator);
    g_free(dom);
}

dl_device *
dl_domain_controller(const dl_domain *dom, const char *type, int idx)
{
    GHashTable *by_index = type ? g_hash_table_lookup(dom->controllers, type) : NULL;

    return by_index ? g_hash_table_lookup(by_index, GINT_TO_POINTER(idx)) : NULL;
}

char *
dl_device_describe(const dl_device *dev)
{
    switch (dev->kind) {
    case DL_DEV_DISK:
        if (dev->target_dev)
            return g_strdup_printf("%s %s '%s'", dev->bus ? dev->bus : "", dev->device,
                                   dev->target_dev);
        return g_strdup_printf("%s", dev->device);
    case DL_DEV_CONTROLLER:
        if (dev->model)
            return g_strdup_printf("%s controller %d (%s)", dev->type ? dev->type : "?",
                                   dev->auto_index, dev->model);
        return g_strdup_printf("%s controller %d", dev->type ? dev->type : "?", dev->auto_index);
    case DL_DEV_HOSTDEV:
        return g_strdup_printf("%s host device", dev->subsys ? dev->subsys : "");
    case DL_DEV_INTERFACE:
    case DL_DEV_VIDEO:
    case DL_DEV_SOUND:
    case DL_DEV_WATCHDOG:
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
    case DL_DEV_SHMEM:
    case DL_DEV_IOMMU:
    case DL_DEV_PANIC:
    case DL_DEV_INPUT:
    case DL_DEV_CRYPTO:
    case DL_DEV_VSOCK:
    case DL_DEV_TPM:
    case DL_DEV_MEMORY:
    case DL_DEV_HUB:
    case DL_DEV_SMARTCARD:
    case DL_DEV_REDIRDEV:
        if (dev->model)
            return g_strdup_printf("%s %s", dev->model, dl_dev_kind_name(dev->kind));
        return g_strdup(dl_dev_kind_name(dev->kind));
    case DL_DEV_LEASE:
    case DL_DEV_FILESYSTEM:
    case DL_DEV_GRAPHICS:
    case DL_DEV_SERIAL:
    case DL_DEV_PARALLEL:
    case DL_DEV_CONSOLE:
    case DL_DEV_CHANNEL:
    case DL_DEV_NVRAM:
    case DL_DEV_AUDIO:
    case DL_DEV_EMULATOR:
    case DL_DEV_OTHER:
    case DL_DEV_LAST:
        break;
    }
    return g_strdup(dev->node ? (const char *) dev->node->name : dl_dev_kind_name(dev->kind));
}

xmlNode *
dl_device_child(const dl_device *dev, const char *name)
{
    return dl_xml_child(dev->node, name);
}
