/*
 * topology.c - the PCI bus tree of a domain
 *
 * What each PCI controller model accepts and needs, and how each device
 * model attaches, are facts of the device catalogue (data/devices); what
 * differs between machine types comes from the machine knowledge.  This
 * file applies them: it builds the bus table and works out each device's
 * connect type.
 */
#include "config.h"

#include <string.h>

#include "core/topology.h"

static const dl_pci_controller *
find_model(const dl_check *chk, const char *model)
{
    return dl_devices_pci_controller(chk->ctx->devices, model);
}

gboolean
dl_pci_model_known(const dl_check *chk, const char *model)
{
    return find_model(chk, model) != NULL;
}

gboolean
dl_pci_model_is_root(const char *model)
{
    return dl_str_eq(model, "pci-root") || dl_str_eq(model, "pcie-root");
}

guint
dl_controller_model_connect(const dl_check *chk, const char *model)
{
    const dl_pci_controller *m = find_model(chk, model);

    return m ? m->upstream : 0;
}

const char *const *
dl_controller_model_names(const dl_check *chk, const char *model)
{
    const dl_pci_controller *m = find_model(chk, model);

    return m ? m->names : NULL;
}

gboolean
dl_bus_model_properties(const dl_check *chk, const char *model, dl_bus *bus)
{
    const dl_pci_controller *m = find_model(chk, model);

    if (!m)
        return FALSE;
    bus->accepts = m->accepts;
    bus->min_slot = m->min_slot;
    bus->max_slot = m->max_slot;
    bus->autoassign = m->autoassign;
    bus->hotplug = m->hotplug;
    return TRUE;
}

const char *
dl_conn_name(guint flags)
{
    static const struct {
        guint flag;
        const char *name;
    } names[] = {
        { DL_CONN_PCI_DEVICE, "standard PCI device" },
        { DL_CONN_PCIE_DEVICE, "PCI Express device" },
        { DL_CONN_PCIE_ROOT_PORT, "pcie-root-port" },
        { DL_CONN_PCIE_SWITCH_UP, "pcie-switch-upstream-port" },
        { DL_CONN_PCIE_SWITCH_DOWN, "pcie-switch-downstream-port" },
        { DL_CONN_DMI_TO_PCI_BRIDGE, "dmi-to-pci-bridge" },
        { DL_CONN_PCIE_TO_PCI_BRIDGE, "pcie-to-pci-bridge" },
        { DL_CONN_PCI_EXPANDER_BUS, "pci-expander-bus" },
        { DL_CONN_PCIE_EXPANDER_BUS, "pcie-expander-bus" },
        { DL_CONN_PCI_BRIDGE, "pci-bridge" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        if (flags & names[i].flag)
            return names[i].name;
    }
    return "PCI device";
}

static dl_bus *
bus_new(const dl_check *chk, int index, const char *model, dl_device *controller)
{
    dl_bus *bus = g_new0(dl_bus, 1);

    bus->index = index;
    bus->model = model;
    bus->controller = controller;
    dl_bus_model_properties(chk, model, bus);
    return bus;
}

const char *
dl_family_root_model(const dl_family *family)
{
    if (!family || family->root == DL_ROOT_NONE)
        return NULL;
    return dl_root_model_name(family->root);
}

dl_topology *
dl_topology_build(const dl_check *chk)
{
    dl_topology *topo = g_new0(dl_topology, 1);
    GPtrArray *devs = chk->dom->devices;
    const char *implicit_root = dl_family_root_model(chk->family);

    for (guint i = 0; i < devs->len; i++) {
        dl_device *c = g_ptr_array_index(devs, i);
        if (c->kind != DL_DEV_CONTROLLER || !dl_str_eq(c->type, "pci"))
            continue;
        if (c->auto_index < 0 || c->auto_index >= DL_MAX_BUSES || topo->bus[c->auto_index])
            continue;
        topo->bus[c->auto_index] = bus_new(chk, c->auto_index, c->model, c);
        topo->nbuses = MAX(topo->nbuses, c->auto_index + 1);
    }
    if (!topo->bus[0] && implicit_root) {
        topo->bus[0] = bus_new(chk, 0, implicit_root, NULL);
        topo->nbuses = MAX(topo->nbuses, 1);
    }
    topo->has_pci = topo->nbuses > 0;
    return topo;
}

void
dl_topology_free(dl_topology *topo)
{
    if (!topo)
        return;
    for (int i = 0; i < DL_MAX_BUSES; i++)
        g_free(topo->bus[i]);
    g_free(topo);
}

const dl_bus *
dl_topology_bus(const dl_topology *topo, guint64 idx)
{
    if (idx >= DL_MAX_BUSES)
        return NULL;
    return topo->bus[idx];
}

/* PCIE_DEVICE on a PCI Express root complex, PCI_DEVICE on conventional PCI. */
static guint
express_flags(const dl_check *chk)
{
    const dl_bus *root = chk->topo ? chk->topo->bus[0] : NULL;

    if (root && dl_str_eq(root->model, "pcie-root"))
        return DL_CONN_PCIE_DEVICE;
    return DL_CONN_PCI_DEVICE;
}

/* Does a virtio device without an address go somewhere other than PCI here
 * (CCW on s390, virtio-mmio on vexpress)? */
static gboolean
virtio_defaults_off_pci(const dl_check *chk)
{
    const char *transport = chk->family ? dl_family_default_for_arch(chk->family, "virtio-transport", chk->arch) : NULL;

    return transport && !dl_str_eq(transport, "pci");
}

static gboolean
model_is_transitional(const char *model)
{
    return model && g_str_has_suffix(model, "-transitional") &&
           !g_str_has_suffix(model, "non-transitional");
}

const dl_dev_kind_entry *
dl_device_catalogue(const dl_check *chk, const dl_device *dev, const char **model,
                    const dl_dev_model **entry)
{
    const dl_dev_kind_entry *kind;
    const char *name = dev->model;

    kind = dl_devices_kind(chk->ctx->devices, dl_dev_kind_name(dev->kind), dev->type,
                           dev->subsys, dev->bus);
    if (!name && kind && kind->default_key && chk->family)
        name = dl_family_default_for_arch(chk->family, kind->default_key, chk->arch);
    if (model)
        *model = name;
    if (entry)
        *entry = dl_dev_kind_model(kind, name);
    return kind;
}

/* How DEV attaches: its model's connect type, else its kind's. */
static dl_connect
device_connect(const dl_check *chk, const dl_device *dev)
{
    const dl_dev_model *entry;
    const char *model;
    const dl_dev_kind_entry *kind = dl_device_catalogue(chk, dev, &model, &entry);
    dl_connect none = { DL_LINK_NONE, 0 };

    if (!kind)
        return none;
    if (!model)
        return kind->unnamed;
    return entry ? entry->connect : kind->connect;
}

/* The connect flags of C for DEV on this machine. */
static guint
connect_flags(const dl_check *chk, const dl_device *dev, dl_connect c)
{
    switch (c.link) {
    case DL_LINK_NONE:
        return 0;
    case DL_LINK_FIXED:
        return c.flags;
    case DL_LINK_EXPRESS:
        return express_flags(chk) | c.flags;
    case DL_LINK_VIRTIO:
    case DL_LINK_VIRTIO_PCI:
        /* transitional virtio devices are conventional PCI everywhere */
        return (model_is_transitional(dev->model) ? DL_CONN_PCI_DEVICE : express_flags(chk)) | c.flags;
    }
    return 0;
}

static guint
endpoint_connect(const dl_check *chk, const dl_device *dev)
{
    if (dev->kind == DL_DEV_CONTROLLER && dl_str_eq(dev->type, "pci"))
        return dl_controller_model_connect(chk, dev->model);
    return connect_flags(chk, dev, device_connect(chk, dev));
}

static gboolean
domain_uses_virtio_mmio(const dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->addr.type == DL_ADDR_VIRTIO_MMIO)
            return TRUE;
    }
    return FALSE;
}

guint
dl_device_pci_connect(const dl_check *chk, const dl_device *dev)
{
    if (dev->alias_of || (dev->addr.type != DL_ADDR_NONE && dev->addr.type != DL_ADDR_PCI))
        return 0;
    if (dev->addr.type == DL_ADDR_NONE && device_connect(chk, dev).link == DL_LINK_VIRTIO) {
        if (virtio_defaults_off_pci(chk))
            return 0;
        if (chk->family && dl_family_has_address_type(chk->family, "virtio-mmio") &&
            domain_uses_virtio_mmio(chk))
            return 0;
    }
    return endpoint_connect(chk, dev);
}
