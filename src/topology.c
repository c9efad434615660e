/*
 * topology.c - the PCI bus tree of a domain
 *
 * The tables here are libvirt's connect-type matrix (what each PCI
 * controller model accepts downstream and needs upstream) and its rules for
 * which devices are PCI devices at all.  They describe libvirt's model of
 * PCI, not any one machine type, so they are code; everything that differs
 * between machine types comes from the knowledge base.
 */
#include "config.h"

#include <string.h>

#include "topology.h"

typedef struct {
    const char *model;
    guint upstream;          /* what it needs from its parent bus */
    guint accepts;           /* what its own bus accepts */
    unsigned min_slot, max_slot;
    gboolean autoassign, hotplug;
    const char *names[3];    /* allowed <model name> values, first = default */
} pci_model;

static const pci_model pci_models[] = {
    { "pci-root", 0,
      DL_CONN_PCI_DEVICE | DL_CONN_PCI_BRIDGE | DL_CONN_PCI_EXPANDER_BUS,
      1, 31, TRUE, TRUE, { NULL } },
    { "pcie-root", 0,
      DL_CONN_PCIE_DEVICE | DL_CONN_PCIE_ROOT_PORT | DL_CONN_DMI_TO_PCI_BRIDGE |
      DL_CONN_PCIE_EXPANDER_BUS,
      1, 31, FALSE, FALSE, { NULL } },
    { "pci-bridge", DL_CONN_PCI_BRIDGE,
      DL_CONN_PCI_DEVICE | DL_CONN_PCI_BRIDGE,
      1, 31, TRUE, TRUE, { "pci-bridge", NULL } },
    { "dmi-to-pci-bridge", DL_CONN_DMI_TO_PCI_BRIDGE,
      DL_CONN_PCI_DEVICE | DL_CONN_PCI_BRIDGE,
      0, 31, FALSE, FALSE, { "i82801b11-bridge", NULL } },
    { "pcie-root-port", DL_CONN_PCIE_ROOT_PORT,
      DL_CONN_PCIE_DEVICE | DL_CONN_PCIE_SWITCH_UP | DL_CONN_PCIE_TO_PCI_BRIDGE,
      0, 0, TRUE, TRUE, { "pcie-root-port", "ioh3420", NULL } },
    { "pcie-switch-upstream-port", DL_CONN_PCIE_SWITCH_UP,
      DL_CONN_PCIE_SWITCH_DOWN,
      0, 31, FALSE, FALSE, { "x3130-upstream", NULL } },
    { "pcie-switch-downstream-port", DL_CONN_PCIE_SWITCH_DOWN,
      DL_CONN_PCIE_DEVICE | DL_CONN_PCIE_SWITCH_UP | DL_CONN_PCIE_TO_PCI_BRIDGE,
      0, 0, TRUE, TRUE, { "xio3130-downstream", NULL } },
    { "pci-expander-bus", DL_CONN_PCI_EXPANDER_BUS,
      DL_CONN_PCI_DEVICE | DL_CONN_PCI_BRIDGE,
      0, 31, TRUE, TRUE, { "pxb", NULL } },
    { "pcie-expander-bus", DL_CONN_PCIE_EXPANDER_BUS,
      DL_CONN_PCIE_ROOT_PORT | DL_CONN_DMI_TO_PCI_BRIDGE,
      0, 31, FALSE, FALSE, { "pxb-pcie", NULL } },
    { "pcie-to-pci-bridge", DL_CONN_PCIE_TO_PCI_BRIDGE,
      DL_CONN_PCI_DEVICE | DL_CONN_PCI_BRIDGE,
      1, 31, TRUE, TRUE, { "pcie-pci-bridge", NULL } },
};

static const pci_model *
find_model(const char *model)
{
    if (!model)
        return NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(pci_models); i++) {
        if (strcmp(pci_models[i].model, model) == 0)
            return &pci_models[i];
    }
    return NULL;
}

gboolean
dl_pci_model_known(const char *model)
{
    return find_model(model) != NULL;
}

gboolean
dl_pci_model_is_root(const char *model)
{
    return dl_str_eq(model, "pci-root") || dl_str_eq(model, "pcie-root");
}

guint
dl_controller_model_connect(const char *model)
{
    const pci_model *m = find_model(model);

    return m ? m->upstream : 0;
}

const char *const *
dl_controller_model_names(const char *model)
{
    const pci_model *m = find_model(model);

    return m ? m->names : NULL;
}

gboolean
dl_bus_model_properties(const char *model, dl_bus *bus)
{
    const pci_model *m = find_model(model);

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
bus_new(int index, const char *model, dl_device *controller)
{
    dl_bus *bus = g_new0(dl_bus, 1);

    bus->index = index;
    bus->model = model;
    bus->controller = controller;
    dl_bus_model_properties(model, bus);
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
        topo->bus[c->auto_index] = bus_new(c->auto_index, c->model, c);
        topo->nbuses = MAX(topo->nbuses, c->auto_index + 1);
    }
    if (!topo->bus[0] && implicit_root) {
        topo->bus[0] = bus_new(0, implicit_root, NULL);
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
model_is(const char *model, const char *const *list)
{
    for (gsize i = 0; list[i]; i++) {
        if (dl_str_eq(model, list[i]))
            return TRUE;
    }
    return FALSE;
}

static gboolean
model_is_transitional(const char *model)
{
    return model && g_str_has_suffix(model, "-transitional") &&
           !g_str_has_suffix(model, "non-transitional");
}

/* virtio devices: PCIe endpoints on a PCIe machine, unless transitional. */
static guint
virtio_flags(const dl_check *chk, const char *model)
{
    if (model_is_transitional(model))
        return DL_CONN_PCI_DEVICE;
    return express_flags(chk);
}

static guint
controller_connect(const dl_check *chk, const dl_device *dev)
{
    static const char *const not_pci_usb[] = { "none", "qusb1", "qusb2", NULL };
    static const char *const express_usb[] = { "nec-xhci", "qemu-xhci", NULL };
    static const char *const not_pci_scsi[] = { "ncr53c90", "ibmvscsi", NULL };
    const char *model = dev->model;

    if (dl_str_eq(dev->type, "pci"))
        return dl_controller_model_connect(model);
    if (dl_str_eq(dev->type, "usb")) {
        if (!model && chk->family)
            model = dl_family_default_for_arch(chk->family, "usb", chk->arch);
        if (!model || model_is(model, not_pci_usb))
            return 0;
        if (model_is(model, express_usb))
            return express_flags(chk);
        return DL_CONN_PCI_DEVICE;
    }
    if (dl_str_eq(dev->type, "scsi")) {
        if (!model && chk->family)
            model = dl_family_default_for_arch(chk->family, "scsi", chk->arch);
        if (model && model_is(model, not_pci_scsi))
            return 0;
        if (model && g_str_has_prefix(model, "virtio"))
            return virtio_flags(chk, model);
        return DL_CONN_PCI_DEVICE;
    }
    if (dl_str_eq(dev->type, "virtio-serial"))
        return virtio_flags(chk, model);
    if (dl_str_eq(dev->type, "sata") || dl_str_eq(dev->type, "ide"))
        return DL_CONN_PCI_DEVICE;
    return 0;
}

/* libvirt puts every NIC model on PCI but these (so even ne2k_isa needs a PCI bus). */
static guint
interface_connect(const dl_check *chk, const dl_device *dev)
{
    static const char *const express_nics[] = { "e1000e", "igb", NULL };
    static const char *const not_pci_nics[] = {
        "usb-net", "spapr-vlan", "smc91c111", "lan9118", NULL };
    const char *model = dev->model;

    if (dl_str_eq(dev->type, "hostdev"))
        return express_flags(chk);
    if (!model && chk->family)
        model = dl_family_default_for_arch(chk->family, "net", chk->arch);
    if (!model)
        return DL_CONN_PCI_DEVICE;
    if (g_str_has_prefix(model, "virtio"))
        return virtio_flags(chk, model);
    if (model_is(model, express_nics))
        return express_flags(chk);
    if (model_is(model, not_pci_nics))
        return 0;
    return DL_CONN_PCI_DEVICE;
}

static guint
video_connect(const dl_check *chk, const dl_device *dev)
{
    static const char *const pci_videos[] = { "vga", "cirrus", "vmvga", "qxl", NULL };
    const char *model = dev->model;

    if (!model && chk->family)
        model = dl_family_default_for_arch(chk->family, "video", chk->arch);
    if (!model)
        return 0;
    if (dl_str_eq(model, "virtio"))
        return virtio_flags(chk, model);
    if (dl_str_eq(model, "bochs"))
        return express_flags(chk);
    if (model_is(model, pci_videos))
        return DL_CONN_PCI_DEVICE;
    return 0;
}

static guint
hostdev_connect(const dl_check *chk, const dl_device *dev)
{
    if (dl_str_eq(dev->subsys, "pci"))
        return express_flags(chk);
    if (dl_str_eq(dev->subsys, "mdev")) {
        const char *model = dev->model;
        if (dl_str_eq(model, "vfio-pci"))
            return express_flags(chk);
        return 0;
    }
    if (dl_str_eq(dev->subsys, "scsi_host"))
        return virtio_flags(chk, dev->model);
    return 0;
}

static guint
endpoint_connect(const dl_check *chk, const dl_device *dev)
{
    static const char *const pci_sounds[] = { "ich6", "ich9", "ac97", "es1370", NULL };

    switch (dev->kind) {
    case DL_DEV_CONTROLLER:
        return controller_connect(chk, dev);
    case DL_DEV_INTERFACE:
        return interface_connect(chk, dev);
    case DL_DEV_VIDEO:
        return video_connect(chk, dev);
    case DL_DEV_HOSTDEV:
        return hostdev_connect(chk, dev);
    case DL_DEV_DISK:
        return dl_str_eq(dev->bus, "virtio") ? virtio_flags(chk, dev->model) : 0;
    case DL_DEV_SOUND:
        return model_is(dev->model, pci_sounds) ? DL_CONN_PCI_DEVICE : 0;
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
    case DL_DEV_VSOCK:
        if (dl_str_eq(dev->model, "none"))
            return 0;
        return dev->model && g_str_has_prefix(dev->model, "virtio") ? virtio_flags(chk, dev->model) : 0;
    case DL_DEV_FILESYSTEM:
        return virtio_flags(chk, dev->model);
    case DL_DEV_INPUT:
        return dl_str_eq(dev->bus, "virtio") ? virtio_flags(chk, dev->model) : 0;
    case DL_DEV_WATCHDOG:
        return dl_str_eq(dev->model, "i6300esb") ? DL_CONN_PCI_DEVICE : 0;
    case DL_DEV_SHMEM:
        return DL_CONN_PCI_DEVICE;
    case DL_DEV_SERIAL:
        return dl_str_eq(dev->bus, "pci-serial") ? DL_CONN_PCI_DEVICE : 0;
    case DL_DEV_IOMMU:
        return dl_str_eq(dev->model, "virtio") ? (express_flags(chk) | DL_CONN_INTEGRATED) : 0;
    case DL_DEV_PANIC:
        return dl_str_eq(dev->model, "pvpanic") && chk->family &&
               dl_str_eq(dl_family_default_for_arch(chk->family, "panic", chk->arch), "pvpanic")
               ? (DL_CONN_PCI_DEVICE | DL_CONN_INTEGRATED) : 0;
    case DL_DEV_MEMORY:
        return dev->model && g_str_has_prefix(dev->model, "virtio-") ? virtio_flags(chk, NULL) : 0;
    case DL_DEV_CRYPTO:
        return DL_CONN_PCI_DEVICE;
    case DL_DEV_LEASE:
    case DL_DEV_GRAPHICS:
    case DL_DEV_PARALLEL:
    case DL_DEV_CONSOLE:
    case DL_DEV_CHANNEL:
    case DL_DEV_SMARTCARD:
    case DL_DEV_REDIRDEV:
    case DL_DEV_HUB:
    case DL_DEV_TPM:
    case DL_DEV_NVRAM:
    case DL_DEV_AUDIO:
    case DL_DEV_EMULATOR:
    case DL_DEV_OTHER:
    case DL_DEV_LAST:
        break;
    }
    return 0;
}

/* DEV's model, or the family's default for its kind when the XML gives none. */
static const char *
model_or_default(const dl_check *chk, const dl_device *dev)
{
    const char *key = NULL;

    if (dev->model || !chk->family)
        return dev->model;
    if (dev->kind == DL_DEV_INTERFACE)
        key = "net";
    else if (dev->kind == DL_DEV_VIDEO)
        key = "video";
    else if (dev->kind == DL_DEV_CONTROLLER && dl_str_eq(dev->type, "scsi"))
        key = "scsi";
    return key ? dl_family_default_for_arch(chk->family, key, chk->arch) : NULL;
}

static gboolean
is_virtio_device(const dl_check *chk, const dl_device *dev)
{
    const char *model = model_or_default(chk, dev);

    switch (dev->kind) {
    case DL_DEV_DISK:
    case DL_DEV_INPUT:
        return dl_str_eq(dev->bus, "virtio");
    case DL_DEV_INTERFACE:
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
    case DL_DEV_VSOCK:
    case DL_DEV_VIDEO:
        return model && g_str_has_prefix(model, "virtio");
    case DL_DEV_CONTROLLER:
        return dl_str_eq(dev->type, "virtio-serial") ||
               (dl_str_eq(dev->type, "scsi") && model && g_str_has_prefix(model, "virtio"));
    case DL_DEV_FILESYSTEM:
        return TRUE;
    case DL_DEV_LEASE:
    case DL_DEV_SOUND:
    case DL_DEV_HOSTDEV:
    case DL_DEV_GRAPHICS:
    case DL_DEV_SERIAL:
    case DL_DEV_PARALLEL:
    case DL_DEV_CONSOLE:
    case DL_DEV_CHANNEL:
    case DL_DEV_WATCHDOG:
    case DL_DEV_SMARTCARD:
    case DL_DEV_REDIRDEV:
    case DL_DEV_HUB:
    case DL_DEV_PANIC:
    case DL_DEV_SHMEM:
    case DL_DEV_MEMORY:
    case DL_DEV_IOMMU:
    case DL_DEV_CRYPTO:
    case DL_DEV_TPM:
    case DL_DEV_NVRAM:
    case DL_DEV_AUDIO:
    case DL_DEV_EMULATOR:
    case DL_DEV_OTHER:
    case DL_DEV_LAST:
        break;
    }
    return FALSE;
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
    if (dev->addr.type != DL_ADDR_NONE && dev->addr.type != DL_ADDR_PCI)
        return 0;
    if (dev->addr.type == DL_ADDR_NONE && is_virtio_device(chk, dev)) {
        if (virtio_defaults_off_pci(chk))
            return 0;
        if (chk->family && dl_family_has_address_type(chk->family, "virtio-mmio") &&
            domain_uses_virtio_mmio(chk))
            return 0;
    }
    return endpoint_connect(chk, dev);
}
