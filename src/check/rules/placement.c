/*
 * placement.c - what happens when libvirt assigns the PCI addresses
 *
 * pci-layout replays libvirt's assignment (layout.c) on the domain as it
 * will be defined.  It reports the error libvirt will stop with when the
 * devices cannot all be placed (root ports left without a slot on
 * pcie-root, a downstream port with no upstream port free...), warns when
 * fewer hotplug ports than --spare-ports asked for will be left, and with
 * --fix --layout writes the addresses and controllers out.  It runs last:
 * the layout is only written once every other repair is done.
 */
#include "config.h"

#include "check/rules/rules.h"
#include "fix/fix.h"
#include "fix/layout.h"

/* Is there an error among the findings so far?  Then the layout waits for the repairs. */
static gboolean
has_errors(const dl_check *chk)
{
    for (guint i = 0; i < chk->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(chk->diags, i);
        if (d->severity == DOMLINT_SEV_ERROR)
            return TRUE;
    }
    return FALSE;
}

/*
 * The address of device D when the layout placed it (P, or NULL), and the
 * options libvirt fills in when D is a PCI controller, in one fix.
 */
static void
write_device(dl_check *chk, const dl_layout *layout, const dl_device *d, const dl_layout_place *p)
{
    g_autofree char *opts = dl_layout_missing_options(layout, d, -1);
    g_autofree char *target = NULL;
    g_autofree char *what = dl_device_describe(d);
    dl_fix *fix;

    if (!p && !opts)
        return;
    if (opts && !d->target_node)
        target = g_strdup_printf("<target%s/>", opts);
    if (p)
        fix = dl_fix_new(chk, DL_SAFE, d->node, "gave the %s PCI address 0000:%02x:%02x.%x, where libvirt would place it%s%s",
                         what, p->bus, p->slot, p->function, opts ? ", and" : "", opts ? opts : "");
    else
        fix = dl_fix_new(chk, DL_SAFE, d->node, "set%s on the <target> of the %s, as libvirt fills them in", opts, what);
    if (opts && d->target_node) {
        for (guint i = 0; i < layout->options->len; i++) {
            const dl_layout_option *o = &g_array_index(layout->options, dl_layout_option, i);
            g_autofree char *v = NULL;
            if (o->dev != d)
                continue;
            v = dl_layout_option_value(o);
            dl_fix_set(fix, d->target_node, o->attr, v);
        }
    }
    if (p && d->addr.node) {
        dl_fix_set_pci_address(fix, d->addr.node, p->bus, p->slot, p->function, p->multifunction);
        if (target)
            dl_fix_append(fix, d->node, target);
    } else if (p) {
        g_autofree char *addr = dl_layout_address_xml(p);
        g_autofree char *xml = target ? g_strdup_printf("%s\n%s", target, addr) : g_strdup(addr);
        dl_fix_append(fix, d->node, xml);
    } else if (target) {
        dl_fix_append(fix, d->node, target);
    }
}

/*
 * Make room for the controllers a pci-bridge BRIDGE needs below it on a PCI
 * Express root: every PCI controller from the bridge's index up moves up by
 * the number of controllers inserted, and so does every PCI address on the
 * buses they provide; the inserted ones take the freed indexes, in order.
 */
static void
insert_bridge_upstream(dl_check *chk, const dl_device *bridge)
{
    const char *chain_pcie[] = { "pcie-root-port", "pcie-to-pci-bridge" };
    const char *chain_dmi[] = { "dmi-to-pci-bridge" };
    gboolean pcie = dl_family_allows_controller(chk->family, "pcie-to-pci-bridge");
    const char **chain = pcie ? chain_pcie : chain_dmi;
    guint k = pcie ? G_N_ELEMENTS(chain_pcie) : G_N_ELEMENTS(chain_dmi);
    int from = bridge->auto_index;
    g_autoptr(GString) xml = g_string_new(NULL);
    dl_fix *fix;

    if (from < 1 || !dl_fix_claim(chk, "pci-bridge-upstream"))
        return;
    fix = dl_fix_new(chk, DL_VISIBLE, bridge->node, "inserted %s%s%s (index %d%s) for pci-bridge %d to sit behind, and moved the PCI controllers from index %d up, with the addresses on their buses, %u higher: the bridge is now index %d",
                     chain[0], k > 1 ? " and " : "", k > 1 ? chain[1] : "",
                     from, k > 1 ? " and up" : "", from, from, k, from + (int) k);
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_address *a = &d->addr;

        if (!d->node)
            continue;
        if (d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "pci") && d->auto_index >= from) {
            g_autofree char *idx = g_strdup_printf("%d", d->auto_index + (int) k);
            dl_fix_set(fix, d->node, "index", idx);
        }
        if (a->type == DL_ADDR_PCI && a->node && a->bus.valid && a->bus.value >= (guint64) from &&
            a->bus.value < 0xff) {
            g_autofree char *bus = g_strdup_printf("0x%02x", (guint) a->bus.value + k);
            dl_fix_set(fix, a->node, "bus", bus);
        }
    }
    for (guint i = 0; i < k; i++)
        g_string_append_printf(xml, "%s<controller type='pci' index='%d' model='%s'/>",
                               i ? "\n" : "", from + (int) i, chain[i]);
    dl_fix_append(fix, chk->dom->devices_node, xml->str);
}

static void
check_layout(dl_check *chk)
{
    g_autoptr(dl_layout) layout = NULL;
    int spares = chk->ctx->spare_ports;
    gboolean writing = chk->fixes && chk->ctx->layout;

    if (spares >= 0 && chk->family && !dl_family_allows_controller(chk->family, "pcie-root-port"))
        dl_note(chk, chk->dom->devices_node,
                "--spare-ports does not apply to the %s machine '%s': it has no pcie-root-port to leave empty for hotplug",
                chk->family->title, dl_machine_label(chk));
    /* after other errors the layout would be built on a domain libvirt rejects anyway */
    if (!chk->family || !chk->topo || !chk->topo->has_pci || !chk->dom->root || has_errors(chk))
        return;
    if (!chk->dom->devices_node && !writing)
        return;
    /* checking counts the spares libvirt leaves; writing adds the ones wanted */
    layout = dl_layout_compute(chk, writing ? spares : DL_SPARES_LIBVIRT);
    if (layout->skipped)
        return;
    if (layout->error) {
        const xmlNode *where = layout->error_dev ? layout->error_dev->node : chk->dom->devices_node;
        g_autofree char *what = layout->error_dev ? dl_device_describe(layout->error_dev) : NULL;

        if (layout->bridge_below_bus && layout->error_dev) {
            dl_diag_fixit(dl_error(chk, where, "libvirt puts the %s, which has no address, on the first bus that takes a bridge, and that bus does not have a lower index: it stops with \"%s\"; on a PCI Express root a pci-bridge needs a %s with a lower index",
                                   what, layout->error,
                                   dl_family_allows_controller(chk->family, "pcie-to-pci-bridge") ? "pcie-root-port and pcie-to-pci-bridge" : "dmi-to-pci-bridge"),
                          "give the pci-bridge a higher index than the %s it plugs into", dl_family_allows_controller(chk->family, "pcie-to-pci-bridge") ? "pcie-root-port and pcie-to-pci-bridge" : "dmi-to-pci-bridge");
            if (chk->fixes && chk->topo->bus[0] && dl_str_eq(chk->topo->bus[0]->model, "pcie-root"))
                insert_bridge_upstream(chk, layout->error_dev);
        } else if (layout->error_unsure) {
            /* the words of this libvirt release are not known: no quote */
            const char *adds = what ? what : layout->error_what;
            dl_diag_fixit(dl_error(chk, where, "libvirt cannot give every PCI device an address: no slot is left for the %s it adds, and it cannot add a bus for that; free slots on the root bus, pack root ports eight to a slot, or add a pcie-expander-bus",
                                   adds ? adds : "controller"),
                          "free slots on the root bus, pack root ports eight to a slot (multifunction), or add a pcie-expander-bus");
        } else if (what)
            dl_diag_fixit(dl_error(chk, where, "libvirt cannot give every PCI device an address: at the %s it stops with \"%s\"; it adds pcie-root-ports, pci-bridges and PHBs by itself, never a controller that needs a slot on pcie-root or a switch (free slots there, pack root ports eight to a slot, or add a pcie-expander-bus)",
                                   what, layout->error),
                          "free slots on pcie-root or the switch, pack root ports eight to a slot (multifunction), or add a pcie-expander-bus");
        else if (layout->error_what)
            dl_diag_fixit(dl_error(chk, where, "libvirt cannot give every PCI device an address: at the %s it adds, it stops with \"%s\"; free slots on the root bus, pack root ports eight to a slot, or add a pcie-expander-bus",
                                   layout->error_what, layout->error),
                          "free slots on the root bus, pack root ports eight to a slot (multifunction), or add a pcie-expander-bus");
        else
            dl_diag_fixit(dl_error(chk, where, "libvirt cannot give every PCI device an address: it stops with \"%s\"; free slots on the root bus, pack root ports eight to a slot, or add a pcie-expander-bus",
                                   layout->error),
                          "free slots on the root bus, pack root ports eight to a slot (multifunction), or add a pcie-expander-bus");
        return;
    }
    if (spares >= 0 && layout->spares < (guint) spares && dl_family_allows_controller(chk->family, "pcie-root-port")) {
        /* writing, the layout has as many as fit: they are added, and the count is after that */
        dl_warning(chk, chk->dom->devices_node,
                   "%u empty pcie-root-port%s will be left for hotplug, %d wanted%s",
                   layout->spares, layout->spares == 1 ? "" : "s", spares,
                   writing ? ": the root bus has no free slot for more" : "");
        if (!writing)
            return;
    }
    if (!writing || chk->fixes->len > 0)
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_layout_place *place = NULL;

        if (!d->node)
            continue;
        for (guint k = 0; k < layout->places->len && !place; k++) {
            const dl_layout_place *p = &g_array_index(layout->places, dl_layout_place, k);
            if (p->dev == d)
                place = p;
        }
        write_device(chk, layout, d, place);
    }
    dl_layout_write_controllers(chk, layout);
}

const dl_rule dl_rule_pci_layout = {
    .id = "pci-layout",
    .summary = "libvirt can give every PCI device an address (and --spare-ports hotplug ports are left)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_layout,
};
