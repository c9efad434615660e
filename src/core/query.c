/*
 * query.c - questions about a checked domain and its machine
 *
 * What the machine is (pseries, ARM virt, an arch), what the family has by
 * default or implicitly, a domain's first device of a kind, a device's entry
 * in the catalogue, PCI addresses as libvirt reads them.  The rules ask
 * these, and so do the parts below them (layout, fix, diag); none of them
 * reports anything.
 */
#include "config.h"

#include <string.h>

#include "core/query.h"
#include "core/topology.h"



char *
dl_pci_addr_str(const dl_address *addr)
{
    return g_strdup_printf("%04" G_GINT64_MODIFIER "x:%02" G_GINT64_MODIFIER "x:%02"
                           G_GINT64_MODIFIER "x.%" G_GINT64_MODIFIER "x",
                           addr->domain.value, addr->bus.value, addr->slot.value,
                           addr->function.value);
}

gboolean
dl_pci_addr_wanted(const dl_address *addr)
{
    if (addr->type != DL_ADDR_PCI)
        return FALSE;
    return addr->domain.value != 0 || addr->bus.value != 0 || addr->slot.value != 0;
}

static gboolean
num_ok(const dl_num *n)
{
    return !n->present || n->valid;
}

gboolean
dl_device_has_pci_address(const dl_device *d)
{
    const dl_address *a = &d->addr;

    /* libvirt ignores the address of the console that stands for serial 0 */
    if (d->alias_of || !dl_pci_addr_wanted(a))
        return FALSE;
    /* an attribute left out counts as 0, as in libvirt */
    return num_ok(&a->domain) && num_ok(&a->bus) && num_ok(&a->slot) && num_ok(&a->function) &&
           a->domain.value == 0 && a->bus.value <= 0xff && a->slot.value <= 0x1f &&
           a->function.value <= 7;
}

guint64
dl_virtio_serial_ports(const dl_device *controller)
{
    /* libvirt's default is 31 ports per virtio-serial controller */
    return controller && controller->ports.valid ? controller->ports.value : 31;
}

const char *
dl_machine_label(const dl_check *chk)
{
    if (chk->canonical)
        return chk->canonical;
    return chk->machine ? chk->machine : "(none)";
}

dl_device *
dl_first_device(const dl_check *chk, dl_dev_kind kind)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->kind == kind)
            return d;
    }
    return NULL;
}

const char *
dl_default_model(const dl_check *chk, const char *key, const char *fallback)
{
    const char *model = chk->family ? dl_family_default_for_arch(chk->family, key, chk->arch) : NULL;

    return model ? model : fallback;
}

const dl_implicit *
dl_family_implicit(const dl_check *chk, const char *kind, const char *type)
{
    if (!chk->family || !chk->family->implicit)
        return NULL;
    for (guint i = 0; i < chk->family->implicit->len; i++) {
        const dl_implicit *im = g_ptr_array_index(chk->family->implicit, i);
        if (!dl_str_eq(im->kind, kind) || !dl_implicit_applies(im, chk->arch))
            continue;
        if (type && !dl_str_eq(im->type, type))
            continue;
        return im;
    }
    return NULL;
}

const dl_dev_model *
dl_device_model_entry(const dl_check *chk, const dl_device *d)
{
    return d->model ? dl_device_model_or_default(chk, d, NULL) : NULL;
}

const dl_dev_model *
dl_device_model_or_default(const dl_check *chk, const dl_device *d, const char **model)
{
    const dl_dev_model *entry = NULL;

    dl_device_catalogue(chk, d, model, &entry);
    return entry;
}

const dl_dev_model *
dl_usb_model_entry(const dl_check *chk, const char *model)
{
    return dl_devices_controller_model(chk->ctx->devices, "usb", model);
}

gboolean
dl_usb_is_companion(const dl_check *chk, const char *model)
{
    const dl_dev_model *m = dl_usb_model_entry(chk, model);

    return m && m->companion;
}

gboolean
dl_usb_is_master(const dl_check *chk, const char *model)
{
    const dl_dev_model *m = dl_usb_model_entry(chk, model);

    return m && m->master;
}

/* "Q35" of "Q35 (ICH9, PCI Express)" */

const char *
dl_pci_controller_device(const dl_check *chk, const char *model)
{
    const char *const *names = dl_controller_model_names(chk, model);

    return names && names[0] ? names[0] : model;
}

const char *
dl_usb0_model(const dl_check *chk, dl_device **controller)
{
    dl_device *usb0 = NULL;
    const dl_implicit *im;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "usb") && d->auto_index == 0) {
            usb0 = d;
            break;
        }
    }
    if (controller)
        *controller = usb0;
    if (usb0)
        return usb0->model ? usb0->model : dl_default_model(chk, "usb", NULL);
    im = dl_family_implicit(chk, "controller", "usb");
    return im ? im->model : NULL;
}

gboolean
dl_arch_is_x86(const char *arch)
{
    return dl_str_eq(arch, "x86_64") || dl_str_eq(arch, "i686");
}

gboolean
dl_arch_is_ppc64(const char *arch)
{
    return dl_str_eq(arch, "ppc64") || dl_str_eq(arch, "ppc64le");
}

gboolean
dl_arch_is_s390(const char *arch)
{
    return dl_str_eq(arch, "s390") || dl_str_eq(arch, "s390x");
}

gboolean
dl_arch_is_arm(const char *arch)
{
    return dl_str_eq(arch, "aarch64") || dl_str_eq(arch, "armv7l") || dl_str_eq(arch, "armv6l");
}

gboolean
dl_machine_is(const dl_check *chk, const char *name)
{
    gsize n = strlen(name);

    return chk->machine && strncmp(chk->machine, name, n) == 0 &&
           (chk->machine[n] == '\0' || chk->machine[n] == '-');
}

gboolean
dl_is_pseries(const dl_check *chk)
{
    return dl_arch_is_ppc64(chk->arch) && dl_machine_is(chk, "pseries");
}

gboolean
dl_is_arm_virt(const dl_check *chk)
{
    return dl_arch_is_arm(chk->arch) && dl_machine_is(chk, "virt");
}

gboolean
dl_is_pci_controller(const dl_device *d)
{
    return d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "pci");
}

gboolean
dl_builtin_present(const dl_check *chk, const dl_builtin *b)
{
    const char *usb0;

    if (!b->controller_type || !b->models)
        return TRUE;
    /* a controller libvirt places here only for some models (PIIX3 USB) */
    if (!dl_str_eq(b->controller_type, "usb"))
        return TRUE;
    usb0 = dl_usb0_model(chk, NULL);
    if (!usb0)
        return FALSE;
    {
        g_auto(GStrv) models = g_strsplit(b->models, " ", -1);
        return g_strv_contains((const char *const *) models, usb0);
    }
}

/*
 * libvirt's disk name to index mapping: "sda" -> 0, "sdz" -> 25, "sdaa" -> 26,
 * trailing digits (a partition) allowed; -1 when NAME is not a disk name.
 */
long
dl_disk_index(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
    const char *p = NULL;
    long idx = 0;

    if (!name)
        return -1;
    for (gsize i = 0; prefixes[i] && !p; i++) {
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    }
    if (!p || !g_ascii_islower(*p))
        return -1;
    for (int i = 0; g_ascii_islower(*p); i++, p++) {
        idx = (idx + (i < 1 ? 0 : 1)) * 26 + (*p - 'a');
        if (idx > 100000)
            return -1;
    }
    while (g_ascii_isdigit(*p))
        p++;
    return *p == '\0' ? idx : -1;
}

dl_drive_addr
dl_drive_address(const dl_device *d)
{
    dl_drive_addr a = { 0 };
    long idx;

    if (d->addr.type == DL_ADDR_DRIVE) {
        a.known = d->addr.controller.valid || !d->addr.controller.present;
        a.controller = d->addr.controller.value;
        a.bus = d->addr.bus.value;
        a.target = d->addr.target.value;
        a.unit = d->addr.unit.value;
        a.known = a.known && (!d->addr.bus.present || d->addr.bus.valid) &&
                  (!d->addr.target.present || d->addr.target.valid) &&
                  (!d->addr.unit.present || d->addr.unit.valid);
        return a;
    }
    if (d->addr.type != DL_ADDR_NONE)
        return a;
    idx = dl_disk_index(d->target_dev);
    if (idx < 0)
        return a;
    a.known = TRUE;
    a.derived = TRUE;
    if (dl_str_eq(d->bus, "ide")) {
        a.controller = idx / 4;
        a.bus = (idx % 4) / 2;
        a.unit = idx % 2;
    } else if (dl_str_eq(d->bus, "sata")) {
        a.controller = idx / 6;
        a.unit = idx % 6;
    } else if (dl_str_eq(d->bus, "fdc")) {
        a.controller = idx / 2;
        a.unit = idx % 2;
    } else if (dl_str_eq(d->bus, "scsi")) {
        a.controller = idx / 7;
        a.unit = idx % 7;
    } else {
        a.known = FALSE;
    }
    return a;
}

gboolean
dl_device_needs_usb(const dl_device *d)
{
    if (d->addr.type == DL_ADDR_USB)
        return TRUE;
    switch (d->kind) {
    case DL_DEV_DISK:
    case DL_DEV_INPUT:
        return dl_str_eq(d->bus, "usb");
    case DL_DEV_HUB:
        return dl_str_eq(d->model, "usb");
    case DL_DEV_REDIRDEV:
        return dl_str_eq(d->model, "usb");
    case DL_DEV_HOSTDEV:
        return dl_str_eq(d->subsys, "usb");
    case DL_DEV_SOUND:
        return dl_str_eq(d->model, "usb");
    case DL_DEV_SMARTCARD:
        return TRUE;
    case DL_DEV_CONTROLLER:
    case DL_DEV_LEASE:
    case DL_DEV_FILESYSTEM:
    case DL_DEV_INTERFACE:
    case DL_DEV_GRAPHICS:
    case DL_DEV_VIDEO:
    case DL_DEV_SERIAL:
    case DL_DEV_PARALLEL:
    case DL_DEV_CONSOLE:
    case DL_DEV_CHANNEL:
    case DL_DEV_WATCHDOG:
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
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
    return FALSE;
}
