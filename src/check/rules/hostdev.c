/*
 * hostdev.c - rules about host devices: mediated devices (vGPU display and
 * ramfb, the address their model takes), which host devices a guest can
 * boot from, and the managed mode SCSI host devices do not have
 */
#include "config.h"

#include "check/rules/rules.h"
#include "fix/fix.h"

static gboolean
is_mdev(const dl_device *d, const char *model)
{
    return d->kind == DL_DEV_HOSTDEV && dl_str_eq(d->subsys, "mdev") &&
           (!model || dl_str_eq(dl_xml_attr(d->node, "model"), model));
}

/* ----------------------------------------------------------- hostdev-mdev */

/*
 * libvirt checks the display of vfio-pci mediated devices only (its "only
 * supported with model='vfio-pci'" branch is never reached: it runs for that
 * model alone), so nothing is said of display= on other models.
 */
static void
check_mdev_display(dl_check *chk, const dl_device *d, gboolean graphics)
{
    if (is_mdev(d, "vfio-pci") && dl_str_eq(dl_xml_attr(d->node, "display"), "on") && !graphics)
        dl_diag_fixit(dl_error(chk, d->node, "the mediated device has display='on', but the guest has no <graphics> to show it on: add one, or set display='off'"),
                      "add a <graphics> device, or set display='off'");
}

static void
check_mdev_address(dl_check *chk, const dl_device *d)
{
    if (d->addr.type == DL_ADDR_NONE || !is_mdev(d, "vfio-pci") || d->addr.type == DL_ADDR_PCI)
        return;
    /* vfio-ccw's 'ccw' comes from the device catalogue (device-address) */
    dl_diag_fixit(dl_error(chk, d->addr.node, "a mediated device of model 'vfio-pci' is a PCI device and takes a 'pci' address, not '%s'",
                           d->addr.type_name),
                  "remove the <address>, or make it type='pci'");
    dl_fix_drop_address(chk, DL_VISIBLE, d, "vfio-pci takes a pci address");
}

static void
check_mdev(dl_check *chk)
{
    gboolean one_ramfb = dl_releases_behaviour(chk->ctx->releases, "mdev-one-ramfb", chk->ctx->target);
    const dl_device *ramfb = NULL;
    gboolean graphics = dl_first_device(chk, DL_DEV_GRAPHICS) != NULL;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        domlint_diag *diag;

        if (!is_mdev(d, NULL))
            continue;
        check_mdev_display(chk, d, graphics);
        check_mdev_address(chk, d);
        if (!one_ramfb || !dl_str_eq(dl_xml_attr(d->node, "ramfb"), "on"))
            continue;
        if (ramfb) {
            diag = dl_error(chk, d->node, "a second mediated device has ramfb='on', but only one vGPU can have the ramfb boot display");
            dl_diag_fixit(diag, "set ramfb='off' on all mediated devices but one");
            dl_diag_note(chk, diag, ramfb->node, "the first one is here");
        }
        ramfb = d;
    }
}

const dl_rule dl_rule_hostdev_mdev = {
    .id = "hostdev-mdev",
    .summary = "mediated devices: a vfio-pci display needs <graphics>, ramfb on one vGPU only, vfio-pci takes a PCI address",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_mdev,
};

/* ----------------------------------------------------------- hostdev-boot */

/* What cannot boot from host device D ("vhost SCSI devices"), or NULL. */
static const char *
unbootable(const dl_device *d)
{
    if (dl_str_eq(d->subsys, "scsi_host"))
        return "vhost SCSI devices";
    if (is_mdev(d, "vfio-pci"))
        return "mediated devices of model vfio-pci";
    if (is_mdev(d, "vfio-ap"))
        return "mediated devices of model vfio-ap";
    return NULL;
}

static void
check_hostdev_boot(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *boot;
        const char *what;

        if (d->kind != DL_DEV_HOSTDEV)
            continue;
        boot = dl_device_child(d, "boot");
        what = boot ? unbootable(d) : NULL;
        if (!what)
            continue;
        dl_diag_fixit(dl_error(chk, boot, "the guest cannot boot from %s: remove <boot order> here and boot from a disk or NIC",
                               what),
                      "remove <boot order> from it, and boot from a disk or NIC");
        dl_fix_remove(dl_fix_new(chk, DL_SAFE, boot, "removed the boot order of a host device nothing boots from (%s)", what),
                      boot);
    }
}

const dl_rule dl_rule_hostdev_boot = {
    .id = "hostdev-boot",
    .summary = "no <boot order> on host devices firmware cannot boot from (vhost SCSI, vfio-pci and vfio-ap mediated devices)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_hostdev_boot,
};

/* -------------------------------------------------------- hostdev-managed */

static void
check_hostdev_managed(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *source;

        if (d->kind != DL_DEV_HOSTDEV || !dl_str_eq(d->subsys, "scsi") ||
            !dl_str_eq(dl_xml_attr(d->node, "managed"), "yes"))
            continue;
        source = dl_device_child(d, "source");
        if (dl_str_eq(dl_xml_attr(source, "protocol"), "iscsi"))
            continue;     /* libvirt prepares nothing on the host for iSCSI */
        dl_diag_fixit(dl_error(chk, d->node, "a SCSI host device cannot be managed='yes': libvirt does not detach a SCSI device from its host driver, and refuses to start the guest; remove managed='yes'"),
                      "remove managed='yes'");
        dl_fix_unset(dl_fix_new(chk, DL_SAFE, d->node, "removed managed='yes' from a SCSI host device, which has no managed mode"),
                     d->node, "managed");
    }
}

const dl_rule dl_rule_hostdev_managed = {
    .id = "hostdev-managed",
    .summary = "SCSI host devices (other than iSCSI) are not managed='yes'",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_hostdev_managed,
};
