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

#include "rules/rules.h"
#include "topology.h"

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
            dl_error(chk, c->node,
                     "'%s' is not available in this QEMU ('%s' %s): a controller of model '%s' cannot be created",
                     device, probed->qemu, probed->version ? probed->version : "", c->model);
    }
}

const dl_rule dl_rule_qemu_binary = {
    .id = "qemu-binary",
    .summary = "with --qemu: no machine type the binary marks deprecated, no PCI controller whose QEMU device it lacks",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_qemu_binary,
};
