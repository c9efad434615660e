/*
 * net.c - rules about network interfaces
 *
 * The virtio-net queue sizes: libvirt wants powers of two
 * (qemu_validate.c, libvirt 7.0, 9.0 and 11.3) and QEMU, when the guest
 * starts, one between 256 and 1024 (hw/net/virtio-net.c
 * virtio_net_device_realize(), VIRTIO_NET_*_QUEUE_MIN_SIZE and
 * VIRTQUEUE_MAX_SIZE).
 */
#include "config.h"

#include "check/rules/rules.h"

#define QUEUE_MIN 256
#define QUEUE_MAX 1024

static gboolean
net_is_virtio(const dl_device *d)
{
    return dl_str_eq(d->model, "virtio") || dl_str_eq(d->model, "virtio-transitional") ||
           dl_str_eq(d->model, "virtio-non-transitional");
}

static void
check_queue_size(dl_check *chk, const dl_device *d, xmlNode *driver, const char *attr)
{
    dl_num size = dl_num_attr(driver, attr, 10);

    /* 0 is "not set" to libvirt; text that is no number is the schema's */
    if (!size.valid || size.value == 0)
        return;
    if ((size.value & (size.value - 1)) != 0) {
        dl_diag_fixit(dl_error(chk, driver, "%s='%s' of a %s interface is not a power of two, which libvirt requires: use one of 256, 512 or 1024",
                               attr, size.text, d->model),
                      "use %s='256', '512' or '1024'", attr);
        return;
    }
    /* a hostdev interface is no virtio-net device of QEMU's */
    if (dl_str_eq(d->type, "hostdev"))
        return;
    if (size.value < QUEUE_MIN || size.value > QUEUE_MAX)
        dl_diag_fixit(dl_error(chk, driver, "%s='%s' of a %s interface is out of QEMU's range: QEMU refuses it at start unless it is 256, 512 or 1024",
                               attr, size.text, d->model),
                      "use %s='256', '512' or '1024'", attr);
}

static void
check_net_queues(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *driver;

        if (d->kind != DL_DEV_INTERFACE || !d->node || !net_is_virtio(d))
            continue;
        driver = dl_device_child(d, "driver");
        if (!driver)
            continue;
        check_queue_size(chk, d, driver, "rx_queue_size");
        check_queue_size(chk, d, driver, "tx_queue_size");
    }
}

const dl_rule dl_rule_net_queue_size = {
    .id = "net-queue-size",
    .summary = "virtio NIC rx_queue_size and tx_queue_size are powers of two from 256 to 1024",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_net_queues,
};
