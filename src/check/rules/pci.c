/*
 * pci.c - rules about PCI device addresses
 *
 * An address names a bus by controller index, then a slot and function on
 * it.  These rules check that the bus exists and accepts the device (the
 * connect-type matrix of topology.c), that the slot exists on that bus,
 * that no two devices and no chipset function share an address, and the
 * multifunction rules QEMU enforces at start.
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "fix/fix.h"
#include "fix/layout.h"

/* ------------------------------------------------------ pci-address-syntax */

static void
check_field(dl_check *chk, const dl_device *d, const char *name, const dl_num *n, guint64 max)
{
    if (!n->present)
        return;
    if (n->overflow)
        dl_diag_fixit(dl_error(chk, d->addr.node, "PCI address %s='%s' is out of range: the maximum is 0x%" G_GINT64_MODIFIER "x",
                               name, n->text, max),
                      "use %s= from 0 to 0x%" G_GINT64_MODIFIER "x, or remove the <address> (libvirt assigns one)", name, max);
    else if (!n->valid)
        dl_diag_fixit(dl_error(chk, d->addr.node, "PCI address %s='%s' is not a number", name, n->text),
                      "write %s= as a hexadecimal (0x...) or decimal number, or remove the <address>", name);
    else if (n->value > max)
        dl_diag_fixit(dl_error(chk, d->addr.node, "PCI address %s='%s' is out of range: the maximum is 0x%" G_GINT64_MODIFIER "x",
                               name, n->text, max),
                      "use %s= from 0 to 0x%" G_GINT64_MODIFIER "x, or remove the <address> (libvirt assigns one)", name, max);
    else
        return;
    dl_fix_drop_address(chk, DL_VISIBLE, d, "not a valid PCI address");
}

static void
check_address_syntax(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->addr.type != DL_ADDR_PCI)
            continue;
        check_field(chk, d, "domain", &d->addr.domain, 0xffff);
        check_field(chk, d, "bus", &d->addr.bus, 0xff);
        check_field(chk, d, "slot", &d->addr.slot, 0x1f);
        check_field(chk, d, "function", &d->addr.function, 7);
        if (d->addr.domain.valid && d->addr.domain.value != 0 && d->addr.domain.value <= 0xffff &&
            !d->addr.zpci) {
            g_autofree char *s = dl_pci_addr_str(&d->addr);
            dl_diag_fixit(dl_error(chk, d->addr.node,
                                   "PCI address %s is in domain %" G_GUINT64_FORMAT ", but QEMU guests have only PCI domain 0",
                                   s, d->addr.domain.value),
                          "use domain='0x0000', or remove the <address>");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "QEMU has only PCI domain 0");
        }
    }
}

const dl_rule dl_rule_pci_address_syntax = {
    .id = "pci-address-syntax",
    .summary = "PCI address fields are numbers in range (domain 0, bus <= 0xff, slot <= 0x1f, function <= 7)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_address_syntax,
};

/* --------------------------------------------------------- pci-unavailable */

static void
report_no_pci(dl_check *chk, const xmlNode *node, const char *what)
{
    domlint_diag *d = dl_error(chk, node,
                               "the %s machine '%s' has no PCI bus, but %s is a PCI device",
                               chk->family->title, dl_machine_label(chk), what);
    dl_diag_fixit(d, "remove it, or use a device that does not need PCI");
}

static void
check_implicit_pci(dl_check *chk)
{
    const dl_implicit *balloon = dl_family_implicit(chk, "memballoon", NULL);
    const dl_implicit *usb = dl_family_implicit(chk, "controller", "usb");
    g_autofree char *what = NULL;
    dl_device *usb0 = NULL;

    if (balloon && balloon->model && !dl_first_device(chk, DL_DEV_MEMBALLOON) &&
        g_str_has_prefix(balloon->model, "virtio")) {
        what = g_strdup_printf("the %s memory balloon libvirt adds when <memballoon> is absent",
                               balloon->model);
        report_no_pci(chk, chk->dom->devices_node, what);
        dl_fix_append(dl_fix_new(chk, DL_SAFE, chk->dom->devices_node,
                                 "added <memballoon model='none'/>: the balloon libvirt would add needs PCI"),
                      chk->dom->devices_node, "<memballoon model='none'/>");
    }
    dl_usb0_model(chk, &usb0);
    if (usb && usb->model && !dl_str_eq(usb->model, "none") && !usb0) {
        g_free(what);
        what = g_strdup_printf("the %s USB controller libvirt adds", usb->model);
        report_no_pci(chk, chk->dom->devices_node, what);
        dl_fix_append(dl_fix_new(chk, DL_SAFE, chk->dom->devices_node,
                                 "added <controller type='usb' model='none'/>: the USB controller libvirt would add needs PCI"),
                      chk->dom->devices_node, "<controller type='usb' model='none'/>");
    }
}

static void
check_pci_unavailable(dl_check *chk)
{
    if (!chk->family || chk->topo->has_pci)
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        g_autofree char *what = NULL;
        if (d->addr.type != DL_ADDR_PCI && !dl_device_pci_connect(chk, d))
            continue;
        what = dl_device_describe(d);
        report_no_pci(chk, d->node, what);
    }
    check_implicit_pci(chk);
}

const dl_rule dl_rule_pci_unavailable = {
    .id = "pci-unavailable",
    .summary = "PCI devices (including libvirt's implicit balloon and USB) only on machines with a PCI bus",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_pci_unavailable,
};

/* ------------------------------------------------------------ pci-bus */

/* The controller model libvirt adds for a bus index that has none. */
static const char *
auto_bus_model(const dl_check *chk)
{
    if (chk->family && chk->family->multi_root)
        return "pci-root";
    if (chk->topo->bus[0] && dl_str_eq(chk->topo->bus[0]->model, "pcie-root"))
        return "pcie-root-port";
    return "pci-bridge";
}

static void
check_pci_bus(dl_check *chk)
{
    if (!chk->topo->has_pci)
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_bus *bus;
        g_autofree char *addr = NULL;
        domlint_diag *diag;

        if (!dl_device_has_pci_address(d))
            continue;
        bus = dl_topology_bus(chk->topo, d->addr.bus.value);
        if (bus)
            continue;
        addr = dl_pci_addr_str(&d->addr);
        diag = dl_warning(chk, d->addr.node,
                          "PCI address %s names bus %" G_GUINT64_FORMAT ", but no PCI controller has index %" G_GUINT64_FORMAT "; libvirt will add a %s for it",
                          addr, d->addr.bus.value, d->addr.bus.value, auto_bus_model(chk));
        dl_diag_fixit(diag, "add <controller type='pci' index='%" G_GUINT64_FORMAT "'/> so the layout is explicit",
                      d->addr.bus.value);
    }
}

const dl_rule dl_rule_pci_bus = {
    .id = "pci-bus-missing",
    .summary = "a PCI address names a bus (controller index) that has no controller",
    .severity = DOMLINT_SEV_WARNING,
    .check = check_pci_bus,
};

/* ------------------------------------------------------- pci-slot-range */

static void
check_slot_range(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_bus *bus;
        dl_bus auto_bus = { 0 };
        g_autofree char *addr = NULL;
        guint64 slot;

        if (!dl_device_has_pci_address(d))
            continue;
        bus = dl_topology_bus(chk->topo, d->addr.bus.value);
        if (!bus && chk->topo->has_pci) {
            /* the bus libvirt will add has the slots of its model */
            auto_bus.index = (int) d->addr.bus.value;
            auto_bus.model = auto_bus_model(chk);
            dl_bus_model_properties(chk, auto_bus.model, &auto_bus);
            bus = &auto_bus;
        }
        if (!bus || !bus->model || !dl_pci_model_known(chk, bus->model))
            continue;
        slot = d->addr.slot.value;
        if (slot >= bus->min_slot && slot <= bus->max_slot)
            continue;
        addr = dl_pci_addr_str(&d->addr);
        if (bus->min_slot == bus->max_slot)
            dl_diag_fixit(dl_error(chk, d->addr.node,
                                   "PCI address %s is impossible: bus %d is a %s, which has a single slot (0)",
                                   addr, bus->index, bus->model),
                          "use slot='0x00', or remove the <address> (libvirt assigns one)");
        else
            dl_diag_fixit(dl_error(chk, d->addr.node,
                                   "PCI address %s is impossible: slots on bus %d (%s) run from %u to %u",
                                   addr, bus->index, bus->model, bus->min_slot, bus->max_slot),
                          "use a slot from 0x%02x to 0x%02x on bus %d, or remove the <address> (libvirt assigns one)", bus->min_slot, bus->max_slot, bus->index);
        dl_layout_move_device(chk, d, "no such slot on that bus");
    }
}

const dl_rule dl_rule_pci_slot_range = {
    .id = "pci-slot-range",
    .summary = "the slot exists on the bus (root ports and downstream ports have only slot 0; roots and bridges start at 1)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_slot_range,
};

/* ---------------------------------------------------------- pci-connect */

static gboolean
controller_reported_elsewhere(const dl_check *chk, const dl_device *d)
{
    /* a model the machine cannot have is pci-controller-machine's finding */
    return dl_is_pci_controller(d) && chk->family && d->model &&
           !dl_pci_model_is_root(d->model) && !dl_family_allows_controller(chk->family, d->model);
}

static void
check_connect(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_bus *bus;
        guint dev, accepts;
        g_autofree char *addr = NULL;
        g_autofree char *what = NULL;

        if (!dl_device_has_pci_address(d))
            continue;
        bus = dl_topology_bus(chk->topo, d->addr.bus.value);
        dev = dl_device_pci_connect(chk, d);
        /* on another bus, one the domain lacks too (libvirt would add a
         * controller for it and still refuse the device there) */
        if ((dev & DL_CONN_INTEGRATED) && d->addr.bus.value != 0 && chk->topo->has_pci) {
            addr = dl_pci_addr_str(&d->addr);
            what = dl_device_describe(d);
            dl_diag_fixit(dl_error(chk, d->addr.node,
                                   "%s at %s is an integrated device and must sit on bus 0", what, addr),
                          "remove the <address>, or put it on bus 0");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "integrated devices sit on bus 0");
            continue;
        }
        if (!bus || !dev || !dl_pci_model_known(chk, bus->model) || controller_reported_elsewhere(chk, d))
            continue;
        accepts = bus->accepts;
        addr = dl_pci_addr_str(&d->addr);
        what = dl_device_describe(d);
        if (dev & DL_CONN_INTEGRATED)
            accepts |= DL_CONN_PCI_DEVICE;
        /* an address written by hand may put PCI on PCIe and back, and a bridge anywhere a PCI device goes */
        if (accepts & DL_CONN_ENDPOINTS)
            accepts |= DL_CONN_ENDPOINTS;
        if (dev & DL_CONN_PCI_BRIDGE)
            dev |= DL_CONN_PCI_DEVICE;
        if (dev & accepts & DL_CONN_TYPES)
            continue;
        dl_diag_fixit(dl_error(chk, d->addr.node,
                               "%s at %s cannot plug into bus %d (%s): it needs a bus that accepts a %s",
                               what, addr, bus->index, bus->model, dl_conn_name(dev)),
                      "remove the <address> (libvirt picks a bus that takes a %s), or use the index of such a bus", dl_conn_name(dev));
        {
            g_autofree char *why = g_strdup_printf("bus %d cannot take it", bus->index);
            dl_layout_move_device(chk, d, why);
        }
    }
}

const dl_rule dl_rule_pci_connect = {
    .id = "pci-connect",
    .summary = "each device sits on a bus that accepts its kind (PCI, PCI Express, root port, switch port, bridge, expander)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_connect,
};

/* ---------------------------------------------------- pci-address-conflict */

static guint
addr_key(const dl_address *a)
{
    return (guint) ((a->bus.value << 8) | (a->slot.value << 3) | a->function.value);
}

/* Is DEV the device the chipset function BUILTIN stands for? */
static gboolean
is_builtin_itself(const dl_device *dev, const dl_builtin *b)
{
    return b->controller_type && dev->kind == DL_DEV_CONTROLLER &&
           dl_str_eq(dev->type, b->controller_type) && dev->auto_index == b->controller_index;
}

/*
 * A builtin controller written in the XML with its address is an ordinary
 * device there: a clash with it is a plain conflict, reported once as such.
 */
static gboolean
builtin_written(const dl_check *chk, const dl_builtin *b)
{
    const dl_device *c;

    if (!b->controller_type)
        return FALSE;
    c = dl_domain_controller(chk->dom, b->controller_type, b->controller_index);
    return c && dl_pci_addr_wanted(&c->addr);
}

/* The chipset function DEV itself is (the PIIX3 IDE for ide controller 0), or NULL. */
static const dl_builtin *
builtin_of(const dl_check *chk, const dl_device *dev)
{
    if (!chk->family || !chk->family->builtins)
        return NULL;
    for (guint i = 0; i < chk->family->builtins->len; i++) {
        const dl_builtin *b = g_ptr_array_index(chk->family->builtins, i);
        if (is_builtin_itself(dev, b) && dl_builtin_present(chk, b))
            return b;
    }
    return NULL;
}

/* Is DEV a chipset function written at the address the chipset gives it? */
static gboolean
at_chipset_place(const dl_check *chk, const dl_device *dev)
{
    const dl_builtin *b = builtin_of(chk, dev);

    return b && dev->addr.bus.value == 0 && dev->addr.slot.value == b->slot &&
           dev->addr.function.value == b->function;
}

static void
check_builtin_clash(dl_check *chk, const dl_device *d)
{
    const dl_builtin *b;
    const dl_builtin *own;
    g_autofree char *addr = NULL;
    g_autofree char *what = NULL;
    domlint_diag *diag;

    if (!chk->family || d->addr.bus.value != 0)
        return;
    b = dl_family_builtin_at(chk->family, (unsigned) d->addr.slot.value,
                             (unsigned) d->addr.function.value);
    if (!b || is_builtin_itself(d, b) || !dl_builtin_present(chk, b) || builtin_written(chk, b))
        return;
    addr = dl_pci_addr_str(&d->addr);
    what = dl_device_describe(d);
    diag = dl_error(chk, d->addr.node,
                    "%s is at %s, which the %s machine '%s' reserves for its builtin %s",
                    what, addr, chk->family->title, dl_machine_label(chk), b->device);
    own = builtin_of(chk, d);
    if (own)
        dl_diag_fixit(diag, "remove the <address>: the chipset has the %s at 0000:00:%02x.%x", what, own->slot,
                      own->function);
    else
        dl_diag_fixit(diag, "remove the <address> so libvirt picks a free slot");
    /* a chipset function elsewhere goes back to its place (pci-fixed-address), not to a free slot */
    if (!own) {
        g_autofree char *why = g_strdup_printf("reserved for the builtin %s", b->device);
        dl_layout_move_device(chk, d, why);
    }
}

/*
 * The devices that share a PCI address with one written before them
 * (a set): those libvirt would have to give an address of their own.
 */
static GHashTable *
sharing_devices(const dl_check *chk)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTable *sharing = g_hash_table_new(g_direct_hash, g_direct_equal);

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        gpointer key;

        if (!dl_device_has_pci_address(d) || d->addr.zpci)
            continue;
        key = GUINT_TO_POINTER(addr_key(&d->addr) + 1);
        if (g_hash_table_contains(seen, key))
            g_hash_table_add(sharing, (gpointer) d);
        else
            g_hash_table_add(seen, key);
    }
    return sharing;
}

/* How many of the domain's devices want a PCI slot (the root buses aside). */
static guint
pci_devices(dl_check *chk)
{
    guint n = 0;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (!(dl_is_pci_controller(d) && dl_pci_model_is_root(d->model)) && dl_device_pci_connect(chk, d))
            n++;
    }
    return n;
}

/*
 * When libvirt, given the devices in SHARING without their addresses,
 * cannot place them all (the layout of layout.c stops), removing the
 * addresses does not help: one finding says the topology is full, why, and
 * what gives it room.  Returns its line, or 0 when there is room.
 */
static int
report_full(dl_check *chk, GHashTable *sharing)
{
    g_autoptr(dl_layout) layout = dl_layout_compute_moving_all(chk, DL_SPARES_LIBVIRT, sharing);
    g_autofree char *stop = NULL, *size = NULL;
    const dl_bus *root = chk->topo->bus[0];
    domlint_diag *diag;

    if (layout->skipped || !layout->error || !chk->dom->devices_node)
        return 0;
    if (layout->error_unsure)
        stop = g_strdup_printf("it finds no slot for the %s it would add", layout->error_what ? layout->error_what : "controller");
    else if (layout->error_what)
        stop = g_strdup_printf("at the %s it would add it stops with \"%s\"", layout->error_what, layout->error);
    else
        stop = g_strdup_printf("it stops with \"%s\"", layout->error);
    if (dl_str_eq(root->model, "pcie-root")) {
        guint slots = dl_layout_root_port_slots(chk);
        size = g_strdup_printf("pcie-root has %u slots left for pcie-root-ports, eight to a slot: %u ports, and each PCI Express device takes one of its own",
                               slots, slots * 8);
    } else {
        size = g_strdup_printf("the %s and the pci-bridges libvirt adds by itself have no slot for the rest", root->model);
    }
    diag = dl_error(chk, chk->dom->devices_node,
                    "the PCI topology is full: %u devices share a PCI address with another, and libvirt cannot give them addresses of their own: %s; %u devices want a PCI slot, and %s",
                    g_hash_table_size(sharing), stop, pci_devices(chk), size);
    if (dl_str_eq(root->model, "pcie-root"))
        dl_diag_fixit(diag, "make room behind the root ports: a pcie-switch-upstream-port with pcie-switch-downstream-ports (one device each), a pcie-to-pci-bridge (31 slots for PCI devices), or a pcie-expander-bus; or give the guest fewer devices");
    else
        dl_diag_fixit(diag, "add pci-bridges with addresses of their own (31 slots each) or a pci-expander-bus; or give the guest fewer devices");
    return diag->line;
}

/*
 * D and FIRST share a PCI address (FULL: why no free slot is left, or NULL; PLAN: where libvirt puts them all, or NULL).  The finding is on the one that is out
 * of place: D, unless D is a chipset function at its own address and FIRST
 * is not (an IDE controller written at the PIIX3 USB function).
 */
static void
report_conflict(dl_check *chk, const dl_device *d, const dl_device *first, const char *full,
                dl_layout_plan *plan)
{
    gboolean swap = at_chipset_place(chk, d) && !at_chipset_place(chk, first);
    const dl_device *culprit = swap ? first : d;
    const dl_device *holder = swap ? d : first;
    const dl_builtin *own = builtin_of(chk, culprit);
    g_autofree char *addr = dl_pci_addr_str(&culprit->addr);
    g_autofree char *what = dl_device_describe(culprit);
    g_autofree char *other = dl_device_describe(holder);
    domlint_diag *diag;

    if (swap)
        diag = dl_error(chk, culprit->addr.node, "%s uses PCI address %s, the chipset's place for the %s",
                        what, addr, other);
    else
        diag = dl_error(chk, culprit->addr.node, "%s uses PCI address %s, which the %s already uses",
                        what, addr, other);
    dl_diag_note(chk, diag, dl_addr_node(holder), "%s is %s at %s", other, swap ? "in its place" : "already",
                 addr);
    if (own) {
        /* pci-fixed-address puts it back where the chipset has it */
        dl_diag_fixit(diag, "remove this <address>: the chipset has the %s at 0000:00:%02x.%x", what,
                      own->slot, own->function);
        return;
    }
    if (full)
        dl_diag_fixit(diag, "%s", full);
    else
        dl_diag_fixit(diag, "remove this <address> so libvirt assigns a free one");
    {
        g_autofree char *why = g_strdup_printf("the %s uses it too", other);
        dl_layout_move_planned(chk, plan, culprit, why);
    }
}

static void
check_conflicts(dl_check *chk)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GHashTable) sharing = sharing_devices(chk);
    g_autoptr(dl_layout_plan) plan = NULL;
    g_autofree char *full = NULL;
    int full_line = 0;

    if (g_hash_table_size(sharing) > 0 && chk->family && chk->topo && chk->topo->bus[0]) {
        full_line = report_full(chk, sharing);
        plan = dl_layout_plan_moves(chk, sharing);
    }
    if (full_line > 0)
        full = g_strdup_printf("no slot is free for it: the PCI topology is full (see the error at line %d)", full_line);
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_device *first;
        guint key;

        if (!dl_device_has_pci_address(d) || d->addr.zpci)
            continue;
        check_builtin_clash(chk, d);
        key = addr_key(&d->addr) + 1;
        first = g_hash_table_lookup(seen, GUINT_TO_POINTER(key));
        if (!first) {
            g_hash_table_insert(seen, GUINT_TO_POINTER(key), (gpointer) d);
            continue;
        }
        report_conflict(chk, d, first, full, plan);
        /* later devices there clash with the one in its place */
        if (at_chipset_place(chk, d))
            g_hash_table_insert(seen, GUINT_TO_POINTER(key), (gpointer) d);
    }
}

const dl_rule dl_rule_pci_address_conflict = {
    .id = "pci-address-conflict",
    .summary = "no two devices, and no device and a builtin chipset function, share a PCI address",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_conflicts,
};

/* ------------------------------------------------------ pci-fixed-address */

static void
check_fixed_addresses(dl_check *chk)
{
    if (!chk->family || !chk->family->builtins)
        return;
    for (guint b = 0; b < chk->family->builtins->len; b++) {
        const dl_builtin *bi = g_ptr_array_index(chk->family->builtins, b);
        dl_device *c;
        g_autofree char *addr = NULL;
        domlint_diag *diag;

        if (!bi->controller_type)
            continue;
        c = dl_domain_controller(chk->dom, bi->controller_type, bi->controller_index);
        if (!c || !dl_pci_addr_wanted(&c->addr) || !dl_builtin_present(chk, bi))
            continue;
        if (c->addr.bus.value == 0 && c->addr.slot.value == bi->slot &&
            c->addr.function.value == bi->function)
            continue;
        addr = dl_pci_addr_str(&c->addr);
        diag = dl_error(chk, c->addr.node,
                        "%s controller %d of machine '%s' is the chipset's builtin %s at 0000:00:%02x.%x; it cannot move to %s",
                        bi->controller_type, bi->controller_index, dl_machine_label(chk), bi->device,
                        bi->slot, bi->function, addr);
        dl_diag_fixit(diag, "use address 0000:00:%02x.%x or remove the <address>", bi->slot, bi->function);
        /* libvirt puts it back where the chipset has it: the guest sees it there either way */
        dl_fix_remove(dl_fix_new(chk, DL_SAFE, c->addr.node,
                                 "removed %s of %s controller %d: the chipset has its %s at 0000:00:%02x.%x, where libvirt puts it",
                                 addr, bi->controller_type, bi->controller_index, bi->device, bi->slot,
                                 bi->function),
                      c->addr.node);
    }
}

const dl_rule dl_rule_pci_fixed_address = {
    .id = "pci-fixed-address",
    .summary = "controllers built into the chipset (PIIX3 IDE and USB, ICH9 SATA) stay at their fixed address",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_fixed_addresses,
};

/* -------------------------------------------------------- pci-multifunction */

typedef struct {
    const dl_device *fn[8];
} slot_use;

static void
check_slot_functions(dl_check *chk, const slot_use *use, guint64 bus, guint64 slot)
{
    const dl_device *fn0 = use->fn[0];
    const dl_device *other = NULL;
    const dl_builtin *builtin0 = NULL;
    g_autofree char *what = NULL;

    for (int f = 1; f < 8 && !other; f++)
        other = use->fn[f];
    if (!other)
        return;
    if (bus == 0 && chk->family)
        builtin0 = dl_family_builtin_at(chk->family, (unsigned) slot, 0);
    if (fn0 && fn0->addr.multifunction == DL_TRISTATE_OFF) {
        domlint_diag *d;
        what = dl_device_describe(fn0);
        d = dl_error(chk, fn0->addr.node,
                     "%s is function 0 of slot %02" G_GINT64_MODIFIER "x:%02" G_GINT64_MODIFIER "x with multifunction='off', but other functions of that slot are in use: QEMU refuses to start",
                     what, bus, slot);
        dl_diag_note(chk, d, other->addr.node, "another function of the slot is used here");
        dl_diag_fixit(d, "set multifunction='on' on function 0");
        dl_fix_set(dl_fix_new(chk, DL_VISIBLE, fn0->addr.node, "set multifunction='on' on function 0 of slot %02"
                              G_GINT64_MODIFIER "x:%02" G_GINT64_MODIFIER "x, whose other functions are in use",
                              bus, slot),
                   fn0->addr.node, "multifunction", "on");
        return;
    }
    if (!fn0 && !builtin0) {
        what = dl_device_describe(other);
        dl_warning(chk, other->addr.node,
                   "%s uses function %" G_GUINT64_FORMAT " of slot %02" G_GINT64_MODIFIER "x:%02" G_GINT64_MODIFIER "x, but function 0 of that slot is empty: guests look for the other functions only through function 0",
                   what, other->addr.function.value, bus, slot);
    }
}

static void
check_multifunction(dl_check *chk)
{
    g_autoptr(GHashTable) slots = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    GHashTableIter it;
    gpointer key, value;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        slot_use *use;
        guint k;
        if (!dl_device_has_pci_address(d) || d->addr.zpci)
            continue;
        k = (guint) ((d->addr.bus.value << 5) | d->addr.slot.value) + 1;
        use = g_hash_table_lookup(slots, GUINT_TO_POINTER(k));
        if (!use) {
            use = g_new0(slot_use, 1);
            g_hash_table_insert(slots, GUINT_TO_POINTER(k), use);
        }
        if (!use->fn[d->addr.function.value])
            use->fn[d->addr.function.value] = d;
    }
    g_hash_table_iter_init(&it, slots);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        guint k = GPOINTER_TO_UINT(key) - 1;
        check_slot_functions(chk, value, k >> 5, k & 0x1f);
    }
}

const dl_rule dl_rule_pci_multifunction = {
    .id = "pci-multifunction",
    .summary = "a slot whose functions 1-7 are used has function 0, not multifunction='off' (a QEMU rule)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_multifunction,
};
