/*
 * virtio.c - rules about virtio device options and transitional models
 *
 * A virtio PCI device is "transitional" (it also offers the legacy
 * virtio 0.9 interface) when its model says virtio-transitional, or when it
 * is plain virtio and sits on a bus that is not a PCI Express port: QEMU's
 * disable-legacy=auto turns legacy off only below a non-root PCI Express
 * bus (hw/virtio/virtio-pci.c virtio_pci_realize()).  Some options need a
 * modern-only device, and libvirt refuses transitional models where no
 * transitional device exists.
 */
#include "config.h"

#include "check/rules/rules.h"
#include "core/topology.h"

typedef enum {
    VIRTIO_NONE,             /* not a virtio device QEMU can build as transitional */
    VIRTIO_PLAIN,            /* model virtio: QEMU decides by the bus */
    VIRTIO_TRANSITIONAL,
    VIRTIO_NON_TRANSITIONAL,
    VIRTIO_LAST
} virtio_flavour;

static virtio_flavour
flavour_of_model(const char *model, const char *plain)
{
    if (dl_str_eq(model, "virtio-transitional"))
        return VIRTIO_TRANSITIONAL;
    if (dl_str_eq(model, "virtio-non-transitional"))
        return VIRTIO_NON_TRANSITIONAL;
    if (dl_str_eq(model, plain))
        return VIRTIO_PLAIN;
    return VIRTIO_NONE;
}

/* A 9p share (virtiofs is vhost-user-fs, modern only) */
static gboolean
filesystem_is_9p(const dl_device *d)
{
    const char *driver = dl_xml_attr(dl_device_child(d, "driver"), "type");

    return !driver || dl_str_eq(driver, "path") || dl_str_eq(driver, "handle");
}

/*
 * How D is built when it is one of the virtio devices QEMU lets be legacy
 * (virtio_legacy_allowed(): net, block, console, rng, balloon, scsi, 9p);
 * the others (input, gpu, vsock, crypto, iommu...) are always modern.
 */
static virtio_flavour
virtio_flavour_of(const dl_device *d)
{
    switch (d->kind) {
    case DL_DEV_INTERFACE:
        return flavour_of_model(d->model, "virtio");
    case DL_DEV_DISK:
        if (!dl_str_eq(d->bus, "virtio"))
            return VIRTIO_NONE;
        return d->model ? flavour_of_model(d->model, "virtio") : VIRTIO_PLAIN;
    case DL_DEV_CONTROLLER:
        if (dl_str_eq(d->type, "scsi"))
            return flavour_of_model(d->model, "virtio-scsi");
        if (dl_str_eq(d->type, "virtio-serial"))
            return d->model ? flavour_of_model(d->model, "virtio") : VIRTIO_PLAIN;
        return VIRTIO_NONE;
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
        return flavour_of_model(d->model, "virtio");
    case DL_DEV_FILESYSTEM:
        if (!filesystem_is_9p(d))
            return VIRTIO_NONE;
        return d->model ? flavour_of_model(d->model, "virtio") : VIRTIO_PLAIN;
    case DL_DEV_LEASE:
    case DL_DEV_INPUT:
    case DL_DEV_SOUND:
    case DL_DEV_HOSTDEV:
    case DL_DEV_GRAPHICS:
    case DL_DEV_VIDEO:
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
    return VIRTIO_NONE;
}

static gboolean
bus_is_express_port(const char *model)
{
    return dl_str_eq(model, "pcie-root-port") || dl_str_eq(model, "pcie-switch-downstream-port");
}

/*
 * Does plain virtio device D keep its legacy interface?  *BUS_MODEL is set
 * to the model of the bus that decides (borrowed).  FALSE also when it
 * cannot be known.
 */
static gboolean
plain_virtio_is_transitional(const dl_check *chk, const dl_device *d, const char **bus_model)
{
    const char *root = dl_family_root_model(chk->family);
    const dl_bus *bus;

    if (d->addr.type == DL_ADDR_NONE) {
        /* libvirt puts it on a PCI Express port where the root is PCIe */
        *bus_model = root;
        return dl_str_eq(root, "pci-root");
    }
    if (!d->addr.bus.valid)
        return FALSE;
    bus = dl_topology_bus(chk->topo, d->addr.bus.value);
    if (!bus || !bus->model || !dl_pci_model_known(chk, bus->model))
        return FALSE;
    *bus_model = bus->model;
    return !bus_is_express_port(bus->model);
}

static void
check_iommu_legacy(dl_check *chk, const dl_device *d)
{
    xmlNode *driver = dl_device_child(d, "driver");
    virtio_flavour flavour;
    const char *bus_model = NULL;
    g_autofree char *what = NULL;

    if (!dl_str_eq(dl_xml_attr(driver, "iommu"), "on"))
        return;
    flavour = virtio_flavour_of(d);
    if (flavour == VIRTIO_NONE || flavour == VIRTIO_NON_TRANSITIONAL)
        return;
    if (dl_device_pci_connect(chk, d) == 0)
        return;
    what = dl_device_describe(d);
    if (flavour == VIRTIO_TRANSITIONAL) {
        dl_diag_fixit(dl_error(chk, driver, "%s is transitional (it keeps the legacy virtio interface), so it cannot take iommu='on': QEMU refuses VIRTIO_F_IOMMU_PLATFORM on legacy virtio at start; use model 'virtio-non-transitional' or drop iommu='on'",
                               what),
                      "use model 'virtio-non-transitional', or remove iommu='on'");
        return;
    }
    if (!plain_virtio_is_transitional(chk, d, &bus_model))
        return;
    dl_diag_fixit(dl_error(chk, driver, "%s on a '%s' bus is transitional (QEMU keeps the legacy virtio interface except below a PCI Express port), so it cannot take iommu='on': QEMU refuses VIRTIO_F_IOMMU_PLATFORM on legacy virtio at start; use model 'virtio-non-transitional', a PCI Express root port, or drop iommu='on'",
                           what, bus_model),
                  "use model 'virtio-non-transitional', plug it below a pcie-root-port, or remove iommu='on'");
}

static void
check_virtio_options(dl_check *chk)
{
    if (!chk->family || !chk->topo)
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (d->node && d->addr.type != DL_ADDR_OTHER)
            check_iommu_legacy(chk, d);
    }
}

const dl_rule dl_rule_virtio_options = {
    .id = "virtio-options",
    .summary = "virtio driver options fit the device: no iommu='on' on a transitional virtio PCI device (QEMU refuses it at start)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_virtio_options,
};

/* ----------------------------------------------------- virtio-transitional */

static gboolean
model_is_transitional_flavour(const char *model)
{
    return dl_str_eq(model, "virtio-transitional") || dl_str_eq(model, "virtio-non-transitional");
}

/* libvirt 7.0 allows them on type='passthrough' (virtio-input-host) */
static gboolean
input_takes_transitional(const dl_check *chk, const dl_device *d)
{
    if (!dl_str_eq(d->type, "passthrough"))
        return FALSE;
    return !dl_releases_behaviour(chk->ctx->releases, "input-transitional-refused-on-passthrough",
                                  chk->ctx->target);
}

static void
check_virtio_transitional(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const char *model;

        if (d->kind != DL_DEV_INPUT || !d->node || !dl_str_eq(d->bus, "virtio"))
            continue;
        model = dl_xml_attr(d->node, "model");
        if (!model_is_transitional_flavour(model) || input_takes_transitional(chk, d))
            continue;
        dl_diag_fixit(dl_error(chk, d->node, "input type '%s' cannot have model '%s': virtio input devices are modern only, so libvirt does not support (non-)transitional models for them; use model 'virtio' or leave it out",
                               d->type ? d->type : "", model),
                      "use model 'virtio', or remove model=");
    }
}

const dl_rule dl_rule_virtio_transitional = {
    .id = "virtio-transitional",
    .summary = "virtio (non-)transitional models only on devices that have them (not on virtio input devices)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_virtio_transitional,
};
