/*
 * devices.c - rules about shared memory devices (ivshmem) and shared
 * filesystems (virtiofs)
 */
#include "config.h"

#include "check/rules/rules.h"
#include "fix/fix.h"

/* ---------------------------------------------------------- shmem-server */

static void
check_shmem(dl_check *chk, const dl_device *d)
{
    xmlNode *server = dl_device_child(d, "server");
    xmlNode *msi = dl_device_child(d, "msi");
    xmlNode *size = dl_device_child(d, "size");

    if (msi && !server) {
        dl_diag_fixit(dl_error(chk, msi, "shmem '%s' has <msi>, but interrupts come from an ivshmem server, and it has no <server>: add <server path=...> or remove <msi>",
                               dl_xml_attr(d->node, "name") ? dl_xml_attr(d->node, "name") : ""),
                      "add <server path='/var/lib/libvirt/shmem-NAME-sock'/>, or remove <msi>");
        return;
    }
    if (dl_str_eq(d->model, "ivshmem-doorbell") && !server)
        dl_diag_fixit(dl_error(chk, d->node, "shmem model 'ivshmem-doorbell' gets its memory from an ivshmem server, and this one has no <server>: add one, or use model 'ivshmem-plain'"),
                      "add a <server path=...>, or use model 'ivshmem-plain'");
    else if (dl_str_eq(d->model, "ivshmem-plain") && server)
        dl_diag_fixit(dl_error(chk, server, "shmem model 'ivshmem-plain' has no server connection: remove <server>, or use model 'ivshmem-doorbell'"),
                      "remove <server>, or use model 'ivshmem-doorbell'");
    else if (dl_str_eq(d->model, "ivshmem-doorbell") && size)
        dl_diag_fixit(dl_error(chk, size, "shmem model 'ivshmem-doorbell' takes the size of the server's memory and cannot set one: remove <size>"),
                      "remove <size>");
}

static void
check_shmems(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (d->kind == DL_DEV_SHMEM && !d->implicit)
            check_shmem(chk, d);
    }
}

const dl_rule dl_rule_shmem_server = {
    .id = "shmem-server",
    .summary = "ivshmem devices: <msi> and ivshmem-doorbell need a <server>, ivshmem-plain has none, doorbell sets no size",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_shmems,
};

/* ----------------------------------------------------- virtiofs-read-only */

static void
check_virtiofs_readonly(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *readonly;

        if (d->kind != DL_DEV_FILESYSTEM || d->implicit ||
            !dl_str_eq(dl_xml_attr(dl_device_child(d, "driver"), "type"), "virtiofs"))
            continue;
        /* with <source socket> the user runs virtiofsd and decides */
        if (dl_xml_attr(dl_device_child(d, "source"), "socket"))
            continue;
        readonly = dl_device_child(d, "readonly");
        if (readonly)
            dl_diag_fixit(dl_error(chk, readonly, "the virtiofsd that libvirt starts cannot export a directory read-only (before libvirt 11.3): remove <readonly/>, or run virtiofsd yourself and give <source socket>"),
                          "remove <readonly/>, or run virtiofsd yourself and give <source socket='...'>");
    }
}

const dl_rule dl_rule_virtiofs_read_only = {
    .id = "virtiofs-read-only",
    .summary = "a virtiofs filesystem whose virtiofsd libvirt starts is not <readonly/> (libvirt before 11.3)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_virtiofs_readonly,
};
