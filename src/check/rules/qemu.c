/*
 * qemu.c - rules about the QEMU binary given with --qemu
 *
 * With --qemu the knowledge base is the probe of that binary, so unknown
 * machine types are already the machine-type rule's business.  What the
 * knowledge files cannot say is recorded beside them (probe.ini): which
 * machine types QEMU marks deprecated and which device models the binary
 * lacks.  Without --qemu this rule has nothing to check.
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "core/topology.h"

/* The device a PCI controller needs that the binary lacks, or NULL. */
static const char *
missing_device(const dl_check *chk, const dl_probe_facts *probed, const dl_device *c)
{
    const char *const *absent = (const char *const *) probed->absent;
    const char *const *devices;

    /* <model name> picks one implementation: that one must exist */
    if (c->model_name)
        return g_strv_contains(absent, c->model_name) ? c->model_name : NULL;
    devices = dl_controller_model_names(chk, c->model);
    if (!devices || !devices[0])
        return NULL;
    for (gsize i = 0; devices[i]; i++) {
        if (!g_strv_contains(absent, devices[i]))
            return NULL;
    }
    return devices[0];
}

static void
check_deprecated(dl_check *chk, const dl_probe_facts *probed)
{
    const char *name = chk->canonical ? chk->canonical : chk->machine;

    if (!name || !g_strv_contains((const char *const *) probed->deprecated, name))
        return;
    if (chk->canonical && chk->machine && strcmp(chk->canonical, chk->machine) != 0)
        dl_warning(chk, chk->dom->os_type,
                   "machine type '%s' ('%s') is deprecated in this QEMU ('%s' %s) and will be removed: use a current version",
                   chk->machine, name, probed->qemu, probed->version ? probed->version : "");
    else
        dl_warning(chk, chk->dom->os_type,
                   "machine type '%s' is deprecated in this QEMU ('%s' %s) and will be removed: use a current version",
                   name, probed->qemu, probed->version ? probed->version : "");
}

static void
check_qemu_binary(dl_check *chk)
{
    const dl_probe_facts *probed = chk->ctx->probed;

    if (!probed)
        return;
    check_deprecated(chk, probed);
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        const char *device;

        if (c->kind != DL_DEV_CONTROLLER || c->implicit || !dl_str_eq(c->type, "pci") || !c->model)
            continue;
        device = missing_device(chk, probed, c);
        if (device)
            dl_diag_fixit(dl_error(chk, c->node,
                                   "'%s' is not available in this QEMU ('%s' %s): a controller of model '%s' cannot be created",
                                   device, probed->qemu, probed->version ? probed->version : "", c->model),
                          "use another controller model, or a QEMU that has '%s'", device);
    }
}

const dl_rule dl_rule_qemu_binary = {
    .id = "qemu-binary",
    .summary = "with --qemu: no machine type the binary marks deprecated, no PCI controller whose QEMU device it lacks",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_qemu_binary,
};

/* ---------------------------------------------------------- device-model */

/* The catalogue's QEMU devices behind D as written (or the family's
 * default model, *MODEL), or NULL when unknown; *CHOSEN (caller frees)
 * holds the one a <model name> picks. */
static const GPtrArray *
qemu_devices_of(const dl_check *chk, const dl_device *d, GPtrArray **chosen, const char **model)
{
    const dl_dev_model *m;

    *model = d->model;
    if (d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "pci")) {
        const dl_pci_controller *c = dl_devices_pci_controller(chk->ctx->devices, d->model);

        /* a controller the machine lacks is pci-controller-machine's */
        if (!c || !d->model || (chk->family && !dl_family_allows_controller(chk->family, d->model)))
            return NULL;
        if (!d->model_name)
            return c->devices;
        /* <model name> picks one implementation: that one must exist */
        for (guint i = 0; i < c->devices->len; i++) {
            dl_qemu_device *q = g_ptr_array_index(c->devices, i);

            if (dl_str_eq(q->device, d->model_name)) {
                *chosen = g_ptr_array_new();
                g_ptr_array_add(*chosen, q);
                return *chosen;
            }
        }
        return NULL;
    }
    m = dl_device_model_or_default(chk, d, model);
    /* a model libvirt refuses on this machine is machine-feature's */
    if (!m || (m->feature && !dl_family_has_feature(chk->family, m->feature)))
        return NULL;
    return m->devices;
}

/* libvirt's virtio NIC models, which it compares without case */
static gboolean
nic_model_is_virtio(const char *model)
{
    return g_ascii_strcasecmp(model, "virtio") == 0 ||
           g_ascii_strcasecmp(model, "virtio-transitional") == 0 ||
           g_ascii_strcasecmp(model, "virtio-non-transitional") == 0;
}

/* Does libvirt create NIC D with -device?  Non-virtio NICs of ARM guests
 * without a PCI or virtio-mmio address are -net nic (qemuDomainSupportsNicdev()). */
static gboolean
nic_uses_device(const dl_check *chk, const dl_device *d)
{
    if (!dl_arch_is_arm(chk->arch))
        return TRUE;
    return d->addr.type == DL_ADDR_PCI || d->addr.type == DL_ADDR_VIRTIO_MMIO;
}

/*
 * A NIC model the catalogue does not list: libvirt passes it to QEMU as the
 * -device name, so it must be one of the network devices measured for the
 * target release and arch.
 */
static void
check_nic_model(dl_check *chk, const dl_device *d)
{
    g_autofree char *where = NULL;

    if (!d->model || dl_str_eq(d->type, "hostdev") || nic_model_is_virtio(d->model) ||
        dl_device_model_entry(chk, d) || !nic_uses_device(chk, d))
        return;
    if (dl_devices_nic_present(chk->ctx->devices, d->model, chk->arch) != DL_PRESENT_NO)
        return;
    where = dl_target_label(chk->ctx->target, "qemu");
    dl_diag_fixit(dl_error(chk, dl_device_child(d, "model"), "interface model '%s' is not a network device of %s for %s: libvirt asks QEMU for a device of that name, which QEMU refuses at start; use a NIC model QEMU has, such as 'virtio' or 'e1000e'",
                           d->model, where, chk->arch),
                  "use a NIC model QEMU has, such as 'virtio' or 'e1000e'");
}

static void
check_device_models(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        g_autoptr(GPtrArray) chosen = NULL;
        g_autofree char *why = NULL;
        g_autofree char *where = NULL;
        const GPtrArray *devices;
        const dl_qemu_device *q;
        const char *model = NULL;

        if (d->implicit)
            continue;
        if (d->kind == DL_DEV_INTERFACE)
            check_nic_model(chk, d);
        devices = qemu_devices_of(chk, d, &chosen, &model);
        if (!model || dl_qemu_devices_present(chk->ctx->devices, devices, chk->arch) != DL_PRESENT_NO)
            continue;
        q = g_ptr_array_index(devices, 0);
        why = dl_qemu_device_absence(q, chk->arch);
        where = dl_target_label(chk->ctx->target, "qemu");
        dl_diag_fixit(dl_error(chk, d->node, "%s model '%s'%s needs QEMU's '%s' device, which %s does not have for %s (%s)",
                               dl_dev_kind_name(d->kind), model, d->model ? "" : " (libvirt's default here)",
                               q->device, where, chk->arch, why),
                      "use another %s model, or a QEMU with the '%s' device", dl_dev_kind_name(d->kind), q->device);
    }
}

const dl_rule dl_rule_device_model = {
    .id = "device-model",
    .summary = "the QEMU device behind each device model exists in the target QEMU for the guest arch",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_device_models,
};
