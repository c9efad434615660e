/*
 * serial.c - rules about virtio-serial ports (channels and virtio consoles)
 */
#include "config.h"

#include "check/rules/rules.h"
#include "fix/fix.h"

static void
check_virtio_serial(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        const dl_address *a = &d->addr;
        const dl_device *c;
        domlint_diag *diag;

        if (a->type != DL_ADDR_VIRTIO_SERIAL || !a->controller.valid)
            continue;
        /* a missing controller is added by libvirt with the default port count */
        c = dl_domain_controller(chk->dom, "virtio-serial", (int) MIN(a->controller.value, G_MAXINT));
        /* without a port libvirt picks one and puts it on bus 0 */
        if (a->port.present && a->bus.valid && a->bus.value != 0)
        {
            dl_diag_fixit(dl_error(chk, a->node, "virtio-serial controllers have bus 0 only, not bus %" G_GUINT64_FORMAT ": QEMU refuses it at start",
                                   a->bus.value),
                          "use bus='0', or remove the <address>");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "virtio-serial has bus 0 only");
            continue;
        }
        if (!a->port.valid)
            continue;
        if (a->port.value >= dl_virtio_serial_ports(c)) {
            dl_diag_fixit(dl_error(chk, a->node, "virtio-serial controller %" G_GUINT64_FORMAT " has ports 0-%" G_GUINT64_FORMAT ", not port %" G_GUINT64_FORMAT,
                                   a->controller.value, dl_virtio_serial_ports(c) - 1, a->port.value),
                          "use a port from 0 to %" G_GUINT64_FORMAT ", or remove the <address>", dl_virtio_serial_ports(c) - 1);
            dl_fix_drop_address(chk, DL_VISIBLE, d, "no such port");
            continue;
        }
        for (guint j = 0; j < i; j++) {
            const dl_device *o = g_ptr_array_index(devs, j);
            if (o->addr.type != DL_ADDR_VIRTIO_SERIAL || o->addr.controller.value != a->controller.value ||
                o->addr.bus.value != a->bus.value || o->addr.port.value != a->port.value)
                continue;
            diag = dl_error(chk, a->node, "virtio-serial port %" G_GUINT64_FORMAT " on controller %" G_GUINT64_FORMAT " is used twice",
                            a->port.value, a->controller.value);
            dl_diag_fixit(diag, "give one of the ports another port number, or remove its <address> (libvirt assigns a free one)");
            dl_diag_note(chk, diag, o->addr.node, "it is first used here");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "another port user has it");
            break;
        }
    }
}

const dl_rule dl_rule_virtio_serial = {
    .id = "virtio-serial-address",
    .summary = "virtio-serial addresses use bus 0, a port the controller has, and no port twice",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_virtio_serial,
};
