/*
 * layout.c - libvirt's PCI address assignment, replayed (reference section 4)
 *
 * The shape follows libvirt 9.0 (qemuDomainAssignPCIAddresses and the
 * address-set helpers), because the point is to end with the addresses
 * libvirt itself would write:
 *
 *   dry run   a bus per PCI controller index (buses without a controller
 *             get the machine's default model), the addresses already
 *             written, the chipset reservations and preferred slots, one
 *             spare legacy slot on pci-root machines, then every device in
 *             libvirt's order; a device that fits nowhere grows the bus list
 *             (pcie-root-port, pci-bridge, pcie-root-port + pcie-to-pci-bridge,
 *             a new PHB on pSeries), and a new PCI Express domain gets one
 *             spare root port.  The new controllers then take their slots.
 *   real run  the same from scratch with the grown bus list and no growth:
 *             unaddressed PCI controllers first (by index), then devices.
 *
 * Only addresses the chipset step sets survive the dry run, as in libvirt.
 * Isolation groups (pSeries host devices) are not modelled: without the host's
 * IOMMU groups libvirt does not use them either.
 *
 * It is the one placement engine: --fix --layout writes its result out
 * (dl_layout_write_controllers and the address/option words), and the pci
 * rules' repairs ask it where a device goes (a free slot of the right kind,
 * a root port grown for it, libvirt's placement of several devices at once
 * when they need a bridge libvirt adds).
 */
#include "config.h"

#include <string.h>

#include "fix/layout.h"
#include "core/query.h"
#include "core/topology.h"

/* Bits beyond the connect types (topology.h). */
#define LAY_AUTOASSIGN (1u << 16)   /* bus: libvirt may place endpoints here; device: endpoint */
#define LAY_AGGREGATE (1u << 17)    /* root ports share a slot, a function each */

#define LAY_SLOTS 32

typedef struct {
    const char *model;
    guint flags;
    guint min_slot, max_slot;
    guint8 used[LAY_SLOTS];        /* function bits in use per slot */
    guint32 aggregate;             /* slots whose functions root ports may share */
    gboolean closed;               /* no place left for anything (bus_closed()) */
    guint next_open;               /* when closed: a later bus that may not be */
} lay_bus;

typedef enum {
    G_PCI_CONTROLLER,
    G_FILESYSTEM,
    G_NET,
    G_SOUND,
    G_CONTROLLER,
    G_DISK,
    G_HOSTDEV,
    G_BALLOON,
    G_RNG,
    G_WATCHDOG,
    G_VIDEO,
    G_SHMEM,
    G_INPUT,
    G_SERIAL,
    G_IOMMU,
    G_VSOCK,
    G_MEMORY,
    G_CRYPTO,
    G_PANIC,
    G_NONE,
} lay_group;

/* Something that has or needs a PCI address. */
typedef struct {
    const dl_device *dev;          /* NULL: implicit device or added controller */
    char *what;
    lay_group group;
    const char *type;              /* controller type */
    const char *model;
    int index;                     /* controllers */
    guint flags;
    int function;                  /* -1, or the function a USB2 companion takes */
    gboolean given;                /* has an address (written or set by the chipset step) */
    gboolean wanted;               /* needs one */
    gboolean added;                /* a controller the layout adds */
    gboolean spare;
    gboolean placed_here;          /* had no address: the layout gives it one */
    int origin;                    /* 0 written, 1 added by libvirt at parse time, 2 by the layout */
    dl_dev_kind kind;              /* with origin 1: the kind of device libvirt adds */
    guint seq;                     /* position in libvirt's lists */
    const dl_builtin *builtin;     /* a chipset function it stands for (PIIX3 IDE, ICH9 SATA) */
    guint bus, slot, fn;
    dl_tristate multi;
} lay_item;

typedef struct {
    const dl_check *chk;
    GArray *buses;                 /* of lay_bus */
    gboolean dry_run;
    gboolean pseries;
    gboolean pcie_to_pci_bridge;   /* QEMU 7.2 has it */
    char *error;
    const lay_item *error_item;
    gboolean error_unsure;         /* error is in words the target libvirt may not use */
} lay_set;

/* ------------------------------------------------------------ the bus set */

/* Is the domain's root bus (index 0) a MODEL (pci-root, pcie-root)? */
static gboolean
root_is(const dl_check *chk, const char *model)
{
    return chk->topo->bus[0] && dl_str_eq(chk->topo->bus[0]->model, model);
}

static lay_bus *
bus_at(lay_set *set, guint i)
{
    return &g_array_index(set->buses, lay_bus, i);
}

static gboolean
bus_set_model(const dl_check *chk, lay_bus *bus, const char *model)
{
    dl_bus props = { 0 };

    memset(bus, 0, sizeof(*bus));
    bus->model = model;
    if (!dl_bus_model_properties(chk, model, &props))
        return FALSE;
    bus->flags = props.accepts | (props.autoassign ? LAY_AUTOASSIGN : 0);
    bus->min_slot = props.min_slot;
    bus->max_slot = props.max_slot;
    return TRUE;
}

static gboolean
bus_full(const lay_bus *bus)
{
    for (guint s = bus->min_slot; s <= bus->max_slot; s++) {
        if (!bus->used[s])
            return FALSE;
    }
    return TRUE;
}

/*
 * The first bus from B on not known to be closed.  Places are only ever
 * taken, so a closed bus stays closed; skipping them (with the path
 * halved as it is walked) spares each of 20 000 devices a look at every
 * bus the ones before it filled.
 */
static guint
next_open(lay_set *set, guint b)
{
    guint end = b, next;

    while (end < set->buses->len && bus_at(set, end)->closed)
        end = bus_at(set, end)->next_open;
    for (; b < end; b = next) {
        next = bus_at(set, b)->next_open;
        bus_at(set, b)->next_open = end;
    }
    return end;
}

/* No place left on BUS for any device: every slot taken, and no free function of a shared one. */
static gboolean
bus_closed(const lay_bus *bus)
{
    for (guint s = bus->min_slot; s <= bus->max_slot; s++) {
        if (!bus->used[s] || ((bus->aggregate & (1u << s)) && bus->used[s] != 0xff))
            return FALSE;
    }
    return TRUE;
}

static gboolean
flags_compatible(guint bus_flags, guint dev_flags, guint bus_index, gboolean from_config)
{
    /* bus 0 takes integrated devices, conventional ones too (pvpanic-pci) */
    if (dev_flags & DL_CONN_INTEGRATED) {
        if (bus_index != 0)
            return FALSE;
        bus_flags |= LAY_AUTOASSIGN | DL_CONN_PCI_DEVICE;
    }
    if (from_config) {
        if (bus_flags & DL_CONN_ENDPOINTS)
            bus_flags |= DL_CONN_ENDPOINTS;
        if (dev_flags & DL_CONN_PCI_BRIDGE)
            dev_flags |= DL_CONN_PCI_DEVICE;
    } else if ((dev_flags & LAY_AUTOASSIGN) && !(bus_flags & LAY_AUTOASSIGN)) {
        return FALSE;
    }
    return (dev_flags & bus_flags & DL_CONN_TYPES) != 0;
}

static void
set_error(lay_set *set, const lay_item *item, char *message)
{
    if (set->error) {
        g_free(message);
        return;
    }
    set->error = message;
    set->error_item = item;
}

/*
 * libvirt's words when it cannot add a bus: "a PCI slot is needed" up to
 * 11.3, "a PCIe slot is needed" (and "unrecognized connect flags") in
 * 12.8; for a release in between the words are not known, and the error
 * is marked so that it is not quoted.
 */
static char *
grow_error(lay_set *set, guint flags)
{
    const dl_check *chk = set->chk;
    gboolean pcie = dl_releases_behaviour(chk->ctx->releases, "grow-error-says-pcie", chk->ctx->target);
    /* libvirt names the controller model, except for a pcie-to-pci-bridge */
    const char *what = flags & DL_CONN_TYPES & ~DL_CONN_PCIE_TO_PCI_BRIDGE ? dl_conn_name(flags) : NULL;

    if (!pcie && !dl_releases_behaviour(chk->ctx->releases, "grow-error-says-pci", chk->ctx->target))
        set->error_unsure = TRUE;
    if (what)
        return g_strdup_printf("a %s slot is needed to connect a PCI controller model='%s', but none is available, and it cannot be automatically added",
                               pcie ? "PCIe" : "PCI", what);
    return g_strdup_printf("Cannot automatically add a new PCI bus for a device with %sconnect flags %.2x",
                           pcie ? "unrecognized " : "", flags & DL_CONN_TYPES);
}

/*
 * The dry run's growth: make bus *BUS exist for a device needing FLAGS,
 * adding the controllers libvirt adds.  *BUS may move up by one when a
 * bridge has to come first.  FALSE (error set) when libvirt cannot add one.
 */
static gboolean
grow(lay_set *set, const lay_item *item, guint *bus, guint flags)
{
    const char *model;
    gboolean need_pcie_bridge = FALSE, need_dmi_bridge = FALSE;
    int add = (int) *bus - (int) set->buses->len + 1;

    if (add <= 0)
        return TRUE;
    if (flags & DL_CONN_PCI_DEVICE) {
        if (set->pseries) {
            model = "pci-root";
        } else {
            gboolean have_bridge_bus = FALSE;

            model = "pci-bridge";
            for (guint i = 0; i < set->buses->len; i++) {
                if (bus_at(set, i)->flags & DL_CONN_PCI_BRIDGE)
                    have_bridge_bus = TRUE;
            }
            if (!have_bridge_bus && add == 1) {
                if (set->pcie_to_pci_bridge)
                    need_pcie_bridge = TRUE;
                else
                    need_dmi_bridge = TRUE;
                add++;
                (*bus)++;
            }
        }
    } else if (flags & (DL_CONN_PCIE_DEVICE | DL_CONN_PCIE_SWITCH_UP)) {
        model = "pcie-root-port";
    } else {
        set_error(set, item, grow_error(set, flags));
        return FALSE;
    }
    for (int k = 0; k < add; k++) {
        lay_bus nb;
        const char *m = model;

        if (k == 0 && need_dmi_bridge)
            m = "dmi-to-pci-bridge";
        else if (k == 0 && need_pcie_bridge)
            m = "pcie-root-port";
        else if (k == 1 && need_pcie_bridge)
            m = "pcie-to-pci-bridge";
        bus_set_model(set->chk, &nb, m);
        /* the port exists for the bridge alone, not for the hotplug spare */
        if (k == 0 && need_pcie_bridge)
            nb.flags = DL_CONN_PCIE_TO_PCI_BRIDGE;
        g_array_append_val(set->buses, nb);
    }
    return TRUE;
}

/* Take BUS:SLOT.FN for a device needing FLAGS.  FALSE (error set) when libvirt refuses. */
static gboolean
reserve(lay_set *set, const lay_item *item, guint bus, guint slot, guint fn, guint flags,
        gboolean from_config)
{
    lay_bus *b;

    if (set->dry_run && !grow(set, item, &bus, flags))
        return FALSE;
    if (bus >= set->buses->len || slot >= LAY_SLOTS || fn > 7) {
        set_error(set, item, g_strdup_printf("Invalid PCI address 0000:%02x:%02x.%x", bus, slot, fn));
        return FALSE;
    }
    b = bus_at(set, bus);
    if (!flags_compatible(b->flags, flags, bus, from_config) ||
        (b->min_slot && slot < b->min_slot) || slot > b->max_slot) {
        set_error(set, item, g_strdup_printf("The device at PCI address 0000:%02x:%02x.%x cannot be plugged into the PCI controller with index='%u'",
                                             bus, slot, fn, bus));
        return FALSE;
    }
    if (b->used[slot] & (1u << fn)) {
        set_error(set, item, g_strdup_printf("Attempted double use of PCI Address 0000:%02x:%02x.%x", bus, slot, fn));
        return FALSE;
    }
    if (!b->used[slot] && (flags & LAY_AGGREGATE))
        b->aggregate |= 1u << slot;
    b->used[slot] |= (guint8) (1u << fn);
    return TRUE;
}

/*
 * The first usable place on BUS for FLAGS, scanning slots as libvirt does: a
 * completely free slot, or for a root port a free function (FUNCTION, or any
 * when it is -1) of a slot other root ports share.
 */
static gboolean
find_on_bus(lay_bus *bus, guint bus_index, guint flags, int function, guint *slot_out, guint *fn_out)
{
    guint first = function < 0 ? 0 : (guint) function;
    guint last = function < 0 ? 7 : (guint) function;

    if (!flags_compatible(bus->flags, flags, bus_index, FALSE))
        return FALSE;
    for (guint s = bus->min_slot; s <= bus->max_slot; s++) {
        if (!bus->used[s]) {
            *slot_out = s;
            *fn_out = first;
            return TRUE;
        }
        if (!(flags & LAY_AGGREGATE) || !(bus->aggregate & (1u << s)))
            continue;
        for (guint f = first; f <= last; f++) {
            if (!(bus->used[s] & (1u << f))) {
                *slot_out = s;
                *fn_out = f;
                return TRUE;
            }
        }
    }
    return FALSE;
}

/* libvirt's "reserve next address": the first free place, growing in the dry run. */
static gboolean
reserve_next(lay_set *set, lay_item *item, guint flags, int function)
{
    guint bus, slot = 0, fn = 0;
    gboolean found = FALSE;

    if (set->buses->len == 0) {
        set_error(set, item, g_strdup("No PCI buses available"));
        return FALSE;
    }
    for (bus = next_open(set, 0); bus < set->buses->len; bus = next_open(set, bus + 1)) {
        lay_bus *b = bus_at(set, bus);

        if (bus_closed(b)) {
            b->closed = TRUE;
            b->next_open = bus + 1;
        } else if (find_on_bus(b, bus, flags, function, &slot, &fn)) {
            found = TRUE;
            break;
        }
    }
    if (found) {
        /* the place is BUS:SLOT.FN */
    } else if (set->dry_run) {
        bus = set->buses->len;
        fn = function < 0 ? 0 : (guint) function;
        if (!grow(set, item, &bus, flags))
            return FALSE;
        slot = bus_at(set, bus)->min_slot;
    } else {
        set_error(set, item, g_strdup("No more available PCI slots"));
        return FALSE;
    }
    if (!reserve(set, item, bus, slot, fn, flags, FALSE))
        return FALSE;
    if (!set->dry_run) {
        item->given = TRUE;
        item->bus = bus;
        item->slot = slot;
        item->fn = fn;
    }
    return TRUE;
}

/* ------------------------------------------------------------ the items */

static void
item_clear(gpointer p)
{
    lay_item *it = p;

    g_free(it->what);
}

/* libvirt's assignment order by device kind (controllers are sorted out below). */
static const struct {
    dl_dev_kind kind;
    lay_group group;
} kind_groups[] = {
    { DL_DEV_FILESYSTEM, G_FILESYSTEM },
    { DL_DEV_INTERFACE, G_NET },
    { DL_DEV_SOUND, G_SOUND },
    { DL_DEV_DISK, G_DISK },
    { DL_DEV_HOSTDEV, G_HOSTDEV },
    { DL_DEV_MEMBALLOON, G_BALLOON },
    { DL_DEV_RNG, G_RNG },
    { DL_DEV_WATCHDOG, G_WATCHDOG },
    { DL_DEV_VIDEO, G_VIDEO },
    { DL_DEV_SHMEM, G_SHMEM },
    { DL_DEV_INPUT, G_INPUT },
    { DL_DEV_SERIAL, G_SERIAL },
    { DL_DEV_IOMMU, G_IOMMU },
    { DL_DEV_VSOCK, G_VSOCK },
    { DL_DEV_MEMORY, G_MEMORY },
    { DL_DEV_CRYPTO, G_CRYPTO },
    { DL_DEV_PANIC, G_PANIC },
};

static lay_group
device_group(const dl_device *d)
{
    if (d->kind == DL_DEV_CONTROLLER) {
        if (dl_str_eq(d->type, "pci"))
            return dl_pci_model_is_root(d->model) ? G_NONE : G_PCI_CONTROLLER;
        /* the floppy controller sits behind the ISA bridge, CCID on USB */
        if (dl_str_eq(d->type, "fdc") || dl_str_eq(d->type, "ccid") ||
            (dl_str_eq(d->type, "usb") && dl_str_eq(d->model, "none")) ||
            (dl_str_eq(d->type, "ide") && d->auto_index == 0) ||
            (dl_str_eq(d->type, "scsi") && dl_str_eq(d->model, "ncr53c90")))
            return G_NONE;
        return G_CONTROLLER;
    }
    /* type='hostdev' NICs are placed with the host devices they stand for */
    if (d->kind == DL_DEV_INTERFACE && dl_str_eq(d->type, "hostdev"))
        return G_NONE;
    if (d->kind == DL_DEV_HOSTDEV && d->addr.type == DL_ADDR_UNASSIGNED)
        return G_NONE;
    for (gsize i = 0; i < G_N_ELEMENTS(kind_groups); i++) {
        if (kind_groups[i].kind == d->kind)
            return kind_groups[i].group;
    }
    return G_NONE;
}

/* What a device needs from its bus, with libvirt's extra bits. */
static guint
item_flags(const dl_check *chk, const dl_device *d)
{
    guint flags = dl_device_pci_connect(chk, d);

    if (flags & DL_CONN_ENDPOINTS)
        flags |= LAY_AUTOASSIGN;
    if (d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "pci")) {
        const dl_pci_controller *c = dl_devices_pci_controller(chk->ctx->devices, d->model);

        if (c && c->aggregate)
            flags |= LAY_AGGREGATE;
    }
    return flags;
}

/* The PCI function of a USB2 companion-set MODEL (ich9-ehci1 7, ich9-uhciN N-1), or -1. */
static int
companion_function(const dl_check *chk, const char *model)
{
    const dl_dev_model *m = dl_devices_controller_model(chk->ctx->devices, "usb", model);

    return m ? m->function : -1;
}

/* Add D; with IGNORE_ADDRESS, as if its <address> were not there. */
static lay_item *
add_item(GArray *items, const dl_check *chk, const dl_device *d, gboolean ignore_address)
{
    lay_item it = { 0 };

    it.dev = d;         /* it.what stays NULL: a written device is described when reported */
    it.group = device_group(d);
    it.type = d->kind == DL_DEV_CONTROLLER ? d->type : NULL;
    it.model = d->model;
    it.index = d->kind == DL_DEV_CONTROLLER ? d->auto_index : -1;
    it.flags = item_flags(chk, d);
    it.function = -1;
    if (d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "usb"))
        it.function = companion_function(chk, d->model);
    if (dl_device_has_pci_address(d) && !ignore_address) {
        it.given = TRUE;
        it.bus = (guint) d->addr.bus.value;
        it.slot = (guint) d->addr.slot.value;
        it.fn = (guint) d->addr.function.value;
        it.multi = d->addr.multifunction;
    } else if (d->addr.type == DL_ADDR_NONE || d->addr.type == DL_ADDR_PCI || ignore_address) {
        it.wanted = it.flags != 0 && it.group != G_NONE;
    }
    it.placed_here = it.wanted;
    it.seq = items->len;
    g_array_append_val(items, it);
    return &g_array_index(items, lay_item, items->len - 1);
}

/* A device libvirt adds to the domain by itself, modelled as a bare dl_device. */
static void
add_implicit(GArray *items, GPtrArray *fakes, const dl_check *chk, dl_dev_kind kind,
             const char *type, const char *model, int index, const char *what)
{
    dl_device *fake = g_new0(dl_device, 1);
    lay_item *it;

    fake->kind = kind;
    fake->type = type;
    fake->model = model;
    fake->auto_index = index;
    fake->ordinal = -1;
    g_ptr_array_add(fakes, fake);
    it = add_item(items, chk, fake, FALSE);
    it->what = g_strdup(what);
    it->dev = NULL;
    it->origin = 1;
    it->kind = kind;
}

static gint
by_int(gconstpointer a, gconstpointer b)
{
    return GPOINTER_TO_INT(a) - GPOINTER_TO_INT(b);
}

static gboolean
has_controller(const dl_check *chk, const char *type, int index)
{
    return dl_domain_controller(chk->dom, type, index) != NULL;
}

static gboolean
is_virtio_chr(const dl_device *d)
{
    return (d->kind == DL_DEV_CHANNEL || d->kind == DL_DEV_CONSOLE) &&
           dl_str_eq(dl_xml_attr(dl_device_child(d, "target"), "type"), "virtio");
}

/*
 * The virtio-serial controllers libvirt adds: one for each controller index
 * a port address names, and more when the channels without an address do not
 * fit the ports of the ones there (31 each, port 0 kept for a console).
 */
static void
add_virtio_serial(GArray *items, GPtrArray *fakes, const dl_check *chk)
{
    guint free_ports = 0, unaddressed = 0;
    int next = 0;
    GHashTable *named = g_hash_table_new(g_direct_hash, g_direct_equal);

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "virtio-serial")) {
            guint ports = (guint) CLAMP(dl_virtio_serial_ports(d), 1, 31);
            free_ports += ports - 1;
            next = MAX(next, d->auto_index + 1);
        }
        if (!is_virtio_chr(d))
            continue;
        if (d->addr.type == DL_ADDR_VIRTIO_SERIAL && d->addr.controller.valid && d->addr.controller.value < 256) {
            g_hash_table_add(named, GINT_TO_POINTER((int) d->addr.controller.value + 1));
            if (d->addr.port.present)
                free_ports = free_ports ? free_ports - 1 : 0;
            else
                unaddressed++;
        } else {
            unaddressed++;
        }
    }
    {
        GList *keys = g_list_sort(g_hash_table_get_keys(named), by_int);
        for (GList *l = keys; l; l = l->next) {
            int c = GPOINTER_TO_INT(l->data) - 1;
            if (!has_controller(chk, "virtio-serial", c)) {
                add_implicit(items, fakes, chk, DL_DEV_CONTROLLER, "virtio-serial", NULL, c,
                             "virtio-serial controller libvirt adds");
                free_ports += 30;
                next = MAX(next, c + 1);
            }
        }
        g_list_free(keys);
    }
    while (unaddressed > free_ports) {
        add_implicit(items, fakes, chk, DL_DEV_CONTROLLER, "virtio-serial", NULL, next++,
                     "virtio-serial controller libvirt adds");
        free_ports += 30;
    }
    g_hash_table_unref(named);
}

/* The devices libvirt adds when the XML leaves them out and that need PCI. */
static void
add_implicit_devices(GArray *items, GPtrArray *fakes, const dl_check *chk)
{
    const dl_implicit *usb = dl_family_implicit(chk, "controller", "usb");
    const dl_implicit *balloon = dl_family_implicit(chk, "memballoon", NULL);
    gboolean graphics = FALSE, video = FALSE;
    GHashTable *scsi = g_hash_table_new(g_direct_hash, g_direct_equal);

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (d->kind == DL_DEV_GRAPHICS)
            graphics = TRUE;
        if (d->kind == DL_DEV_VIDEO)
            video = TRUE;
        if (d->kind == DL_DEV_DISK && dl_str_eq(d->bus, "scsi")) {
            int c = d->addr.type == DL_ADDR_DRIVE && d->addr.controller.valid && d->addr.controller.value < 256
                    ? (int) d->addr.controller.value : 0;
            g_hash_table_add(scsi, GINT_TO_POINTER(c + 1));
        }
    }
    if (usb && usb->model && !dl_str_eq(usb->model, "none") && !has_controller(chk, "usb", 0))
        add_implicit(items, fakes, chk, DL_DEV_CONTROLLER, "usb", usb->model, 0,
                     "USB controller libvirt adds");
    {
        GList *keys = g_list_sort(g_hash_table_get_keys(scsi), by_int);
        for (GList *l = keys; l; l = l->next) {
            int c = GPOINTER_TO_INT(l->data) - 1;
            if (!has_controller(chk, "scsi", c))
                add_implicit(items, fakes, chk, DL_DEV_CONTROLLER, "scsi",
                             dl_default_model(chk, "scsi", NULL), c, "SCSI controller libvirt adds");
        }
        g_list_free(keys);
    }
    add_virtio_serial(items, fakes, chk);
    if (balloon && !dl_first_device(chk, DL_DEV_MEMBALLOON))
        add_implicit(items, fakes, chk, DL_DEV_MEMBALLOON, NULL, balloon->model ? balloon->model : "virtio",
                     -1, "memballoon libvirt adds");
    if (graphics && !video)
        add_implicit(items, fakes, chk, DL_DEV_VIDEO, NULL, dl_default_model(chk, "video", NULL), -1,
                     "video device libvirt adds for the graphics");
    g_hash_table_unref(scsi);
}

/* ------------------------------------------------------------ chipsets */

/*
 * Controllers that are chipset functions (PIIX3 IDE and UHCI, ICH9 SATA):
 * libvirt gives them the fixed address and leaves them out of the normal
 * collection and assignment.
 */
static void
mark_builtins(const dl_check *chk, GArray *items)
{
    const dl_family *fam = chk->family;

    for (guint i = 0; i < items->len; i++) {
        lay_item *it = &g_array_index(items, lay_item, i);

        if (!it->type || dl_str_eq(it->type, "pci"))
            continue;
        for (guint k = 0; fam->builtins && k < fam->builtins->len; k++) {
            const dl_builtin *b = g_ptr_array_index(fam->builtins, k);
            if (!dl_str_eq(b->controller_type, it->type) || b->controller_index != it->index)
                continue;
            if (b->models && it->model) {
                g_auto(GStrv) models = g_strsplit(b->models, " ", -1);
                if (!g_strv_contains((const char *const *) models, it->model))
                    continue;
            }
            it->builtin = b;
            it->group = G_NONE;
            it->wanted = FALSE;
            it->placed_here = FALSE;
        }
    }
}

static lay_item *
first_video(GArray *items)
{
    for (guint i = 0; i < items->len; i++) {
        lay_item *it = &g_array_index(items, lay_item, i);
        if (it->group == G_VIDEO)
            return it;
    }
    return NULL;
}

static const dl_preferred *
preferred(const dl_check *chk, const char *device, guint nth)
{
    for (guint i = 0; chk->family->preferred && i < chk->family->preferred->len; i++) {
        const dl_preferred *p = g_ptr_array_index(chk->family->preferred, i);
        if (dl_str_eq(p->device, device) && nth-- == 0)
            return p;
    }
    return NULL;
}

static gboolean
slot_in_use(lay_set *set, guint slot)
{
    return set->buses->len > 0 && bus_at(set, 0)->used[slot] != 0;
}

static void
put(lay_item *it, guint slot, guint fn, dl_tristate multi)
{
    it->given = TRUE;
    it->wanted = FALSE;
    it->bus = 0;
    it->slot = slot;
    it->fn = fn;
    it->multi = multi;
}

/*
 * The chipset step: what the machine has on bus 0 by itself, and the slots
 * libvirt prefers for the primary video, ICH9 USB, the DMI bridge and ICH9
 * audio.  Addresses set here stay for the real run.
 */
static void
chipset(lay_set *set, GArray *items)
{
    const dl_check *chk = set->chk;
    const dl_family *fam = chk->family;
    const dl_preferred *p;
    lay_item *video;

    if (!fam || set->buses->len == 0)
        return;
    for (guint i = 0; fam->builtins && i < fam->builtins->len; i++) {
        const dl_builtin *b = g_ptr_array_index(fam->builtins, i);
        if (b->slot == 0 || (!b->reserved && b->controller_type))
            continue;
        reserve(set, NULL, 0, b->slot, b->function, DL_CONN_TYPES, TRUE);
    }
    /* integrated controllers get the chipset's address */
    for (guint i = 0; i < items->len; i++) {
        lay_item *it = &g_array_index(items, lay_item, i);
        const dl_builtin *b = it->builtin;

        if (!b)
            continue;
        if (!it->given)
            put(it, b->slot, b->function, DL_TRISTATE_ABSENT);
        if (!b->reserved)
            reserve(set, it, 0, b->slot, b->function, DL_CONN_TYPES, TRUE);
    }
    /* ICH9 USB companions and the DMI bridge go to their usual slots when free */
    for (guint i = 0; i < items->len; i++) {
        lay_item *it = &g_array_index(items, lay_item, i);

        if (!it->wanted)
            continue;
        if (dl_str_eq(it->type, "usb") && dl_str_eq(it->model, "ich9-uhci1")) {
            for (guint n = 0; (p = preferred(chk, "usb:ich9-uhci1", n)); n++) {
                if (!slot_in_use(set, p->slot)) {
                    reserve(set, it, 0, p->slot, p->function, DL_CONN_TYPES, TRUE);
                    put(it, p->slot, p->function, DL_TRISTATE_ON);
                    break;
                }
            }
        } else if (dl_str_eq(it->type, "pci") && dl_str_eq(it->model, "dmi-to-pci-bridge") &&
                   (p = preferred(chk, "dmi-to-pci-bridge", 0)) && !slot_in_use(set, p->slot)) {
            reserve(set, it, 0, p->slot, p->function, DL_CONN_TYPES, TRUE);
            put(it, p->slot, p->function, DL_TRISTATE_ABSENT);
        }
    }
    video = first_video(items);
    if (video && video->wanted && video->flags && (p = preferred(chk, "video", 0))) {
        if (slot_in_use(set, p->slot)) {
            reserve_next(set, video, video->flags, -1);
        } else {
            reserve(set, video, 0, p->slot, p->function, DL_CONN_TYPES, TRUE);
            put(video, p->slot, p->function, DL_TRISTATE_ABSENT);
        }
    }
    if ((p = preferred(chk, "sound:ich9", 0)) && !slot_in_use(set, p->slot)) {
        for (guint i = 0; i < items->len; i++) {
            lay_item *it = &g_array_index(items, lay_item, i);
            if (it->group == G_SOUND && it->wanted && dl_str_eq(it->model, "ich9")) {
                reserve(set, it, 0, p->slot, p->function, DL_CONN_TYPES, TRUE);
                put(it, p->slot, p->function, DL_TRISTATE_ABSENT);
                break;
            }
        }
    }
}

/* ------------------------------------------------------------ the passes */

static void
new_buses(lay_set *set, GArray *items, guint nbuses)
{
    const dl_check *chk = set->chk;
    const char *fallback;

    g_array_set_size(set->buses, 0);
    fallback = set->pseries ? "pci-root" :
               root_is(chk, "pcie-root") ? "pcie-root-port" :
               "pci-bridge";
    for (guint i = 0; i < nbuses; i++) {
        lay_bus b;
        const char *model = i < DL_MAX_BUSES && chk->topo->bus[i] ? chk->topo->bus[i]->model : NULL;

        for (guint k = 0; !model && k < items->len; k++) {
            const lay_item *it = &g_array_index(items, lay_item, k);
            if (it->added && it->index == (int) i)
                model = it->model;
        }
        if (!model || !bus_set_model(chk, &b, model)) {
            if (i == 0)
                bus_set_model(chk, &b, "pci-root");
            else
                bus_set_model(chk, &b, fallback);
        }
        g_array_append_val(set->buses, b);
    }
}

/* Reserve every address already there; FALSE when they clash (other rules say how). */
static gboolean
collect(lay_set *set, GArray *items)
{
    for (guint i = 0; i < items->len; i++) {
        lay_item *it = &g_array_index(items, lay_item, i);
        guint flags = it->flags ? it->flags : DL_CONN_PCI_DEVICE;

        if (!it->given || it->group == G_NONE)
            continue;
        if (!reserve(set, it, it->bus, it->slot, it->fn, flags, TRUE))
            return FALSE;
    }
    return TRUE;
}

/* Is IT's USB2 group already placed somewhere?  Then it joins that slot. */
static const lay_item *
companion_placed(const dl_check *chk, GArray *items, const lay_item *it)
{
    for (guint i = 0; i < items->len; i++) {
        const lay_item *o = &g_array_index(items, lay_item, i);
        if (o != it && o->given && dl_str_eq(o->type, "usb") && companion_function(chk, o->model) >= 0 &&
            o->index == it->index)
            return o;
    }
    return NULL;
}

static gboolean
assign_item(lay_set *set, GArray *items, lay_item *it)
{
    if (it->function >= 0) {
        const lay_item *o = companion_placed(set->chk, items, it);
        dl_tristate multi = it->function == 0 ? DL_TRISTATE_ON : DL_TRISTATE_ABSENT;

        if (o) {
            if (!reserve(set, it, o->bus, o->slot, (guint) it->function, it->flags, TRUE))
                return FALSE;
            if (!set->dry_run) {
                it->given = TRUE;
                it->bus = o->bus;
                it->slot = o->slot;
                it->fn = (guint) it->function;
            }
        } else if (!reserve_next(set, it, it->flags, it->function)) {
            return FALSE;
        }
        it->multi = multi;
        return TRUE;
    }
    return reserve_next(set, it, it->flags, -1);
}

typedef struct {
    lay_item *item;
    guint type_rank;               /* written controllers: when their type first appears */
} ordered;

static gint
libvirt_list_order(gconstpointer a, gconstpointer b, gpointer in_order)
{
    const ordered *x = a, *y = b;

    /* newer libvirt inserts added controllers as the parser does written ones */
    if (GPOINTER_TO_INT(in_order)) {
        if (x->type_rank != y->type_rank)
            return x->type_rank < y->type_rank ? -1 : 1;
        if (x->item->index != y->item->index)
            return x->item->index - y->item->index;
        return x->item->seq < y->item->seq ? -1 : x->item->seq > y->item->seq;
    }
    if (x->item->origin != y->item->origin)
        return x->item->origin - y->item->origin;
    if (x->item->origin == 0 && x->type_rank != y->type_rank)
        return x->type_rank < y->type_rank ? -1 : 1;
    if (x->item->origin != 1 && x->item->index != y->item->index)
        return x->item->index - y->item->index;
    return x->item->seq < y->item->seq ? -1 : x->item->seq > y->item->seq;
}

/*
 * Controllers (PCI ones, or the others) in the order of libvirt's list:
 * the written ones grouped by type as the types first appear and by index
 * within a type (how the parser inserts them), then the ones libvirt added
 * after parsing, then the buses the dry run added, by index.  Where the
 * target libvirt inserts added controllers like written ones (the release
 * data's controllers-added-in-order), all of them are grouped and ordered so.
 */
static GArray *
controllers_in_order(const dl_check *chk, GArray *items, gboolean pci)
{
    gboolean in_order = dl_releases_behaviour(chk->ctx->releases, "controllers-added-in-order",
                                              chk->ctx->target);
    GArray *out = g_array_new(FALSE, FALSE, sizeof(ordered));
    g_autoptr(GPtrArray) types = g_ptr_array_new();

    for (guint i = 0; i < items->len; i++) {
        lay_item *it = &g_array_index(items, lay_item, i);
        ordered o = { it, 0 };
        guint rank;

        if (!it->type || dl_str_eq(it->type, "pci") != pci)
            continue;
        if (!g_ptr_array_find_with_equal_func(types, it->type, g_str_equal, &rank)) {
            rank = types->len;
            g_ptr_array_add(types, (gpointer) it->type);
        }
        o.type_rank = rank;
        g_array_append_val(out, o);
    }
    g_array_sort_with_data(out, libvirt_list_order, GINT_TO_POINTER(in_order));
    return out;
}

/* ------------------------------------------------------------ controller options */

static void
add_option(dl_layout *layout, const lay_item *it, const char *attr, guint value)
{
    dl_layout_option o = { it->dev, it->index, attr, value };

    g_array_append_val(layout->options, o);
}


/*
 * What libvirt fills in for each PCI controller after the addresses, in the
 * order of its list: chassisNr of a pci-bridge, chassis and port of root and
 * downstream ports, busNr of expander buses (each two below the lowest in
 * use), the target index of an extra pSeries PHB.
 */
static gboolean
fill_options(lay_set *set, GArray *items, dl_layout *layout)
{
    g_autoptr(GArray) order = controllers_in_order(set->chk, items, TRUE);
    int lowest_bus_nr = 256;
    guint32 target_used = 1;   /* PHB 0 is the default one */

    g_autoptr(GHashTable) chassis = g_hash_table_new(g_direct_hash, g_direct_equal);

    for (guint i = 0; i < order->len; i++) {
        const lay_item *it = g_array_index(order, ordered, i).item;
        const dl_device *d = it->dev;

        if (d && d->chassis.valid && d->chassis.value < 256 &&
            (dl_str_eq(it->model, "pcie-root-port") || dl_str_eq(it->model, "pcie-switch-downstream-port")))
            g_hash_table_add(chassis, GUINT_TO_POINTER((guint) d->chassis.value + 1));
        if (d && d->bus_nr.valid && d->bus_nr.value < 256)
            lowest_bus_nr = MIN(lowest_bus_nr, (int) d->bus_nr.value);
        if (d && d->target_index.valid && d->target_index.value < 32)
            target_used |= 1u << d->target_index.value;
    }
    for (guint i = 0; i < order->len; i++) {
        const lay_item *it = g_array_index(order, ordered, i).item;
        const dl_device *d = it->dev;
        const char *model = it->model;

        if (!it->given && !dl_pci_model_is_root(model))
            continue;
        if (dl_str_eq(model, "pci-bridge")) {
            if (!(d && d->chassis_nr.present))
                add_option(layout, it, "chassisNr", (guint) it->index);
        } else if (dl_str_eq(model, "pcie-root-port") || dl_str_eq(model, "pcie-switch-downstream-port")) {
            if (!(d && d->chassis.present)) {
                /* libvirt takes the index; QEMU refuses two ports with one chassis and slot */
                guint c = (guint) it->index;
                if (g_hash_table_contains(chassis, GUINT_TO_POINTER(c + 1))) {
                    c = 1;
                    while (c < 255 && g_hash_table_contains(chassis, GUINT_TO_POINTER(c + 1)))
                        c++;
                }
                g_hash_table_add(chassis, GUINT_TO_POINTER(c + 1));
                add_option(layout, it, "chassis", c);
            }
            if (!(d && d->port.present))
                add_option(layout, it, "port", dl_str_eq(model, "pcie-root-port") ? (it->slot << 3) + it->fn : it->slot);
        } else if (dl_str_eq(model, "pci-expander-bus") || dl_str_eq(model, "pcie-expander-bus")) {
            if (!(d && d->bus_nr.present)) {
                if (lowest_bus_nr <= 2) {
                    set_error(set, it, g_strdup_printf("No free busNr lower than current lowest busNr is available to auto-assign to bus %u. Must be manually assigned", it->bus));
                    return FALSE;
                }
                lowest_bus_nr -= 2;
                add_option(layout, it, "busNr", (guint) lowest_bus_nr);
            }
        } else if (dl_str_eq(model, "pci-root") && set->pseries && it->index > 0) {
            if (!(d && d->target_index.present)) {
                guint t = 1;
                while (t < 32 && (target_used & (1u << t)))
                    t++;
                if (t == 32) {
                    set_error(set, it, g_strdup_printf("No usable target index found for %u", it->bus));
                    return FALSE;
                }
                target_used |= 1u << t;
                add_option(layout, it, "index", t);
            }
        }
    }
    return TRUE;
}

static gboolean
assign_all(lay_set *set, GArray *items)
{
    for (lay_group g = G_PCI_CONTROLLER; g < G_NONE; g++) {
        gboolean any = FALSE;

        for (guint i = 0; i < items->len && !any; i++) {
            const lay_item *it = &g_array_index(items, lay_item, i);
            any = it->group == g && it->wanted && !it->given;
        }
        if (!any)
            continue;
        if (g == G_PCI_CONTROLLER || g == G_CONTROLLER) {
            g_autoptr(GArray) order = controllers_in_order(set->chk, items, g == G_PCI_CONTROLLER);
            for (guint i = 0; i < order->len; i++) {
                lay_item *it = g_array_index(order, ordered, i).item;
                if (it->group == g && it->wanted && !it->given && !assign_item(set, items, it))
                    return FALSE;
            }
            continue;
        }
        for (guint i = 0; i < items->len; i++) {
            lay_item *it = &g_array_index(items, lay_item, i);
            if (it->group == g && it->wanted && !it->given && !assign_item(set, items, it))
                return FALSE;
        }
    }
    return TRUE;
}

static guint
max_pci_index(GArray *items)
{
    int max = -1;

    for (guint i = 0; i < items->len; i++) {
        const lay_item *it = &g_array_index(items, lay_item, i);
        if (it->type && dl_str_eq(it->type, "pci") && it->index > max)
            max = it->index;
    }
    return (guint) (max + 1);
}

/* A PCI controller of MODEL and INDEX the layout adds (written back like libvirt's). */
static lay_item *
add_controller_item(const dl_check *chk, GArray *items, const char *model, guint index)
{
    lay_item it = { 0 };
    dl_device probe = { 0 };

    probe.kind = DL_DEV_CONTROLLER;
    probe.type = "pci";
    probe.model = model;
    it.what = g_strdup_printf("%s %u", model, index);
    it.group = G_PCI_CONTROLLER;
    it.type = "pci";
    it.model = model;
    it.index = (int) index;
    it.flags = item_flags(chk, &probe);
    it.function = -1;
    /* an added PHB is a root of its own: it takes no slot */
    it.wanted = !dl_pci_model_is_root(model);
    it.added = TRUE;
    it.origin = 2;
    it.seq = items->len;
    g_array_append_val(items, it);
    return &g_array_index(items, lay_item, items->len - 1);
}

/* Controllers for the buses the dry run added, as libvirt writes them back. */
static gboolean
add_bus_controllers(lay_set *set, GArray *items, guint first_new)
{
    for (guint i = 1; i < set->buses->len; i++) {
        const lay_bus *b = bus_at(set, i);
        lay_item *added;

        /* a bus of the input (an index the topology holds, or one past its
         * table, which only an input controller can have) is not added again */
        if (i < first_new && (i >= DL_MAX_BUSES || set->chk->topo->bus[i]))
            continue;
        added = add_controller_item(set->chk, items, b->model, i);
        if (!dl_pci_model_is_root(b->model) && !reserve_next(set, added, added->flags, -1))
            return FALSE;
    }
    return TRUE;
}

/*
 * Count the empty pcie-root-ports after the real run into *EMPTY, and add
 * root ports until SPARES (-1: none) are empty or pcie-root has no room left;
 * the caller compares *EMPTY with what was wanted.
 */
static void
top_up_spares(lay_set *set, GArray *items, int spares, guint *empty)
{
    *empty = 0;
    for (guint i = 1; i < set->buses->len; i++) {
        const lay_bus *b = bus_at(set, i);
        if (dl_str_eq(b->model, "pcie-root-port") && !b->used[0])
            (*empty)++;
    }
    while (spares >= 0 && *empty < (guint) spares && set->buses->len < DL_MAX_BUSES) {
        lay_item *added = add_controller_item(set->chk, items, "pcie-root-port", set->buses->len);
        lay_bus nb;

        added->spare = TRUE;
        if (!reserve_next(set, added, added->flags, -1)) {
            /* pcie-root is full: fewer spares than wanted */
            g_clear_pointer(&set->error, g_free);
            set->error_item = NULL;
            g_array_set_size(items, items->len - 1);
            return;
        }
        bus_set_model(set->chk, &nb, "pcie-root-port");
        g_array_append_val(set->buses, nb);
        (*empty)++;
    }
}

/*
 * libvirt's last check on the addresses it assigned: a pci-bridge's index
 * must be larger than the bus it landed on.  A bridge without an address on
 * a machine whose root takes no bridge lands on a controller libvirt adds
 * with the next free index, above its own.
 */
static gboolean
bridges_above_their_bus(lay_set *set, GArray *items)
{
    for (guint i = 0; i < items->len; i++) {
        const lay_item *it = &g_array_index(items, lay_item, i);

        if (!it->given || !dl_str_eq(it->model, "pci-bridge") || it->index < 0 ||
            (guint) it->index > it->bus)
            continue;
        set_error(set, it, g_strdup_printf("PCI controller at index %d (0x%02x) has bus='0x%02x', but index must be larger than bus",
                                           it->index, (guint) it->index, it->bus));
        return FALSE;
    }
    return TRUE;
}

/* multifunction='on' for function 0 of every slot with other functions, as libvirt sets it. */
static void
set_multi(GArray *items)
{
    for (guint i = 0; i < items->len; i++) {
        const lay_item *it = &g_array_index(items, lay_item, i);
        if (!it->given || it->fn == 0)
            continue;
        for (guint k = 0; k < items->len; k++) {
            lay_item *z = &g_array_index(items, lay_item, k);
            if (z->given && z->bus == it->bus && z->slot == it->slot && z->fn == 0 &&
                z->multi == DL_TRISTATE_ABSENT)
                z->multi = DL_TRISTATE_ON;
        }
    }
}

/* The video with <model primary='yes'>, or NULL. */
static const dl_device *
primary_video(const dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->kind == DL_DEV_VIDEO && dl_str_eq(dl_xml_attr(dl_device_child(d, "model"), "primary"), "yes"))
            return d;
    }
    return NULL;
}

dl_layout *
dl_layout_compute(const dl_check *chk, int spares)
{
    return dl_layout_compute_moving(chk, spares, NULL);
}

dl_layout *
dl_layout_compute_moving(const dl_check *chk, int spares, const dl_device *moving)
{
    g_autoptr(GHashTable) set = g_hash_table_new(g_direct_hash, g_direct_equal);

    if (moving)
        g_hash_table_add(set, (gpointer) moving);
    return dl_layout_compute_moving_all(chk, spares, set);
}

dl_layout *
dl_layout_compute_moving_all(const dl_check *chk, int spares, GHashTable *moving)
{
    dl_layout *layout = g_new0(dl_layout, 1);
    g_autoptr(GArray) items = g_array_sized_new(FALSE, TRUE, sizeof(lay_item), chk->dom->devices->len + 8);
    g_autoptr(GPtrArray) fakes = g_ptr_array_new_with_free_func(g_free);
    lay_set set = { 0 };
    const dl_device *primary;
    guint nbuses, first_new;
    gboolean ok = FALSE;

    layout->places = g_array_new(FALSE, TRUE, sizeof(dl_layout_place));
    layout->options = g_array_new(FALSE, TRUE, sizeof(dl_layout_option));
    if (!chk->family || !chk->topo || !chk->topo->has_pci || !chk->topo->bus[0]) {
        layout->skipped = TRUE;
        return layout;
    }
    /* an address other rules reject (not numbers, out of range): libvirt stops there first */
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (!g_hash_table_contains(moving, d) && !d->alias_of && dl_pci_addr_wanted(&d->addr) && !dl_device_has_pci_address(d)) {
            layout->skipped = TRUE;
            return layout;
        }
    }
    g_array_set_clear_func(items, item_clear);
    set.chk = chk;
    set.buses = g_array_new(FALSE, TRUE, sizeof(lay_bus));
    set.pseries = chk->family->multi_root;
    set.pcie_to_pci_bridge = dl_family_allows_controller(chk->family, "pcie-to-pci-bridge");

    /* libvirt's parser puts the primary video first among the videos */
    primary = primary_video(chk);
    if (primary)
        add_item(items, chk, primary, g_hash_table_contains(moving, primary));
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (!d->alias_of && d != primary)
            add_item(items, chk, d, g_hash_table_contains(moving, d));
    }
    add_implicit_devices(items, fakes, chk);
    mark_builtins(chk, items);

    /* the dry run */
    nbuses = MAX(max_pci_index(items), 1);
    set.dry_run = TRUE;
    new_buses(&set, items, nbuses);
    if (!collect(&set, items)) {
        layout->skipped = TRUE;
        goto out;
    }
    chipset(&set, items);
    if (set.error) {
        /* a written address takes a chipset function: other rules say so */
        layout->skipped = TRUE;
        goto out;
    }
    if (root_is(chk, "pci-root")) {
        gboolean all_full = TRUE;
        for (guint i = 0; i < set.buses->len; i++)
            all_full = all_full && bus_full(bus_at(&set, i));
        if (!all_full) {
            lay_item dummy = { .what = (char *) "spare legacy PCI slot", .function = -1 };
            reserve_next(&set, &dummy, DL_CONN_PCI_DEVICE | LAY_AUTOASSIGN, -1);
        }
    }
    if (set.error || !assign_all(&set, items))
        goto out;
    if (spares == DL_SPARES_LIBVIRT && max_pci_index(items) <= 1 && set.buses->len > nbuses &&
        root_is(chk, "pcie-root")) {
        lay_item dummy = { .what = (char *) "hotplug spare", .function = -1 };
        if (!reserve_next(&set, &dummy, DL_CONN_PCIE_DEVICE | LAY_AUTOASSIGN, -1))
            goto out;
    }
    first_new = nbuses;
    if (!add_bus_controllers(&set, items, first_new))
        goto out;

    /* the real run */
    set.dry_run = FALSE;
    nbuses = set.buses->len;
    new_buses(&set, items, nbuses);
    if (!collect(&set, items)) {
        layout->skipped = TRUE;
        goto out;
    }
    chipset(&set, items);
    if (set.error || !assign_all(&set, items))
        goto out;
    if (root_is(chk, "pcie-root"))
        top_up_spares(&set, items, spares, &layout->spares);
    if (!bridges_above_their_bus(&set, items)) {
        layout->bridge_below_bus = TRUE;
        goto out;
    }
    set_multi(items);
    if (!fill_options(&set, items, layout))
        goto out;
    ok = TRUE;

out:
    if (!ok && set.error && !layout->skipped) {
        layout->error = g_steal_pointer(&set.error);
        layout->error_unsure = set.error_unsure;
        if (set.error_item && set.error_item->dev)
            layout->error_dev = set.error_item->dev;
        else if (set.error_item && set.error_item->what)
            layout->error_what = g_strdup(set.error_item->what);
    }
    if (ok) {
        for (guint i = 0; i < items->len; i++) {
            const lay_item *it = &g_array_index(items, lay_item, i);
            dl_layout_place p = { 0 };
            /* an added PHB has no address, but is still added */
            gboolean added_root = it->added && dl_pci_model_is_root(it->model);
            if (!(it->added || it->placed_here) || !(it->given || added_root))
                continue;
            p.dev = it->dev;
            p.index = it->added ? it->index : -1;
            p.model = it->added ? it->model : NULL;
            p.spare = it->spare;
            p.bus = it->bus;
            p.slot = it->slot;
            p.function = it->fn;
            p.multifunction = it->multi == DL_TRISTATE_ON;
            p.implicit_index = -1;
            if (it->origin == 1 && !it->dev) {
                p.implicit_kind = it->kind;
                p.implicit_type = it->type;
                p.implicit_model = it->model;
                p.implicit_index = it->index;
            }
            g_array_append_val(layout->places, p);
        }
    }
    g_free(set.error);
    g_array_unref(set.buses);
    return layout;
}

void
dl_layout_free(dl_layout *layout)
{
    if (!layout)
        return;
    g_array_unref(layout->places);
    g_array_unref(layout->options);
    g_free(layout->error);
    g_free(layout->error_what);
    g_free(layout);
}

/* ------------------------------------------- writing the layout out */

char *
dl_layout_address_xml(const dl_layout_place *p)
{
    return g_strdup_printf("<address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%x'%s/>",
                           p->bus, p->slot, p->function, p->multifunction ? " multifunction='on'" : "");
}

char *
dl_layout_option_value(const dl_layout_option *o)
{
    return g_strcmp0(o->attr, "port") == 0 ? g_strdup_printf("0x%x", o->value) : g_strdup_printf("%u", o->value);
}

char *
dl_layout_missing_options(const dl_layout *layout, const dl_device *dev, int index)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < layout->options->len; i++) {
        const dl_layout_option *o = &g_array_index(layout->options, dl_layout_option, i);
        g_autofree char *v = NULL;

        if (o->dev != dev || (!dev && o->index != index))
            continue;
        v = dl_layout_option_value(o);
        g_string_append_printf(out, " %s='%s'", o->attr, v);
    }
    return g_string_free(out, out->len == 0);
}

dl_fix *
dl_layout_write_controllers(dl_check *chk, const dl_layout *layout)
{
    g_autoptr(GString) xml = g_string_new(NULL);
    g_autoptr(GString) list = g_string_new(NULL);
    guint n = 0, spares = 0;
    dl_fix *fix;

    for (guint i = 0; i < layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(layout->places, dl_layout_place, i);
        g_autofree char *addr = NULL;
        g_autofree char *opts = NULL;
        gboolean root;

        if (p->dev || p->index < 0)
            continue;
        if (n++)
            g_string_append_c(xml, '\n');
        opts = dl_layout_missing_options(layout, NULL, p->index);
        root = dl_pci_model_is_root(p->model);   /* a PHB: no address of its own */
        g_string_append_printf(xml, "<controller type='pci' index='%d' model='%s'", p->index, p->model);
        if (root && !opts) {
            g_string_append(xml, "/>");
        } else {
            g_string_append_c(xml, '>');
            if (opts)
                g_string_append_printf(xml, "\n  <target%s/>", opts);
            if (!root) {
                addr = dl_layout_address_xml(p);
                g_string_append_printf(xml, "\n  %s", addr);
            }
            g_string_append(xml, "\n</controller>");
        }
        g_string_append_printf(list, "%s%s %d", list->len ? ", " : "", p->model, p->index);
        if (!root)
            g_string_append_printf(list, " at 0000:%02x:%02x.%x%s", p->bus, p->slot, p->function,
                                   p->spare ? " (spare)" : "");
        spares += p->spare;
    }
    if (!n)
        return NULL;
    /* what libvirt adds by itself the guest gets anyway; spares beyond that are new ports */
    fix = dl_fix_new(chk, spares ? DL_VISIBLE : DL_SAFE, chk->dom->devices_node ? chk->dom->devices_node : chk->dom->root,
                     "added %s%s: the controller%s libvirt would add for the devices%s",
                     chk->dom->devices_node ? "" : "<devices> with ", list->str, n > 1 ? "s" : "",
                     spares ? " and the hotplug spares asked for" : "");
    if (chk->dom->devices_node) {
        dl_fix_append(fix, chk->dom->devices_node, xml->str);
    } else {
        /* a domain without <devices>: the controllers come in one */
        g_auto(GStrv) lines = g_strsplit(xml->str, "\n", -1);
        g_autofree char *inner = g_strjoinv("\n  ", lines);
        g_autofree char *devices = g_strdup_printf("<devices>\n  %s\n</devices>", inner);
        dl_fix_append(fix, chk->dom->root, devices);
    }
    return fix;
}

/* ------------------------------------------- repairs: moving one device */

/*
 * The pci rules' repairs of a bad address ask here where the device goes:
 * the slot the layout above gives it, else the first free slot of a bus
 * the domain has, else a new pcie-root-port for it.
 */

/*
 * Can libvirt find a place for DEV once its address is gone?  It grows the
 * topology for endpoints, root ports, bridges and upstream ports, but a
 * downstream port only fits into an upstream port the domain already has.
 */
static gboolean
libvirt_can_place(const dl_check *chk, const dl_device *dev)
{
    if (!dl_is_pci_controller(dev) || !dl_str_eq(dev->model, "pcie-switch-downstream-port"))
        return TRUE;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *o = g_ptr_array_index(chk->dom->devices, i);
        if (dl_is_pci_controller(o) && dl_str_eq(o->model, "pcie-switch-upstream-port"))
            return TRUE;
    }
    return FALSE;
}

/* pcie-root's slots that pcie-root-ports can still take: no builtin there, no other device. */
guint
dl_layout_root_port_slots(const dl_check *chk)
{
    const dl_bus *root = chk->topo->bus[0];
    guint free = 0;

    for (guint slot = root->min_slot; slot <= root->max_slot; slot++) {
        gboolean taken = FALSE;

        for (guint f = 0; f < 8 && !taken; f++) {
            const dl_builtin *b = dl_family_builtin_at(chk->family, slot, f);
            taken = b && dl_builtin_present(chk, b);
        }
        for (guint i = 0; i < chk->dom->devices->len && !taken; i++) {
            const dl_device *o = g_ptr_array_index(chk->dom->devices, i);
            taken = dl_device_has_pci_address(o) && o->addr.bus.value == 0 && o->addr.slot.value == slot &&
                    !(dl_is_pci_controller(o) && dl_str_eq(o->model, "pcie-root-port"));
        }
        if (!taken)
            free++;
    }
    return free;
}

/* Is SLOT of BUS free of devices (SELF aside), present builtins and this round's claims? */
gboolean
dl_layout_slot_free(dl_check *chk, const dl_device *self, guint bus, guint slot)
{
    g_autofree char *key = g_strdup_printf("pci:%u:%u", bus, slot);

    if (g_hash_table_contains(chk->claimed, key))
        return FALSE;
    for (guint f = 0; bus == 0 && chk->family && f < 8; f++) {
        const dl_builtin *b = dl_family_builtin_at(chk->family, slot, f);
        if (b && dl_builtin_present(chk, b))
            return FALSE;
    }
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *o = g_ptr_array_index(chk->dom->devices, i);
        if (o != self && dl_device_has_pci_address(o) && o->addr.bus.value == bus && o->addr.slot.value == slot)
            return FALSE;
    }
    return TRUE;
}

/*
 * libvirt's placement for one device (reference section 4): the first
 * completely free slot on the first bus, by index, that accepts the
 * device; endpoints only on buses libvirt auto-assigns to (never on
 * pcie-root itself).  Growing the topology is left to libvirt.
 */
gboolean
dl_layout_find_slot(dl_check *chk, const dl_device *self, guint flags, guint *bus_out, guint *slot_out)
{
    for (int b = 0; b < chk->topo->nbuses; b++) {
        const dl_bus *bus = chk->topo->bus[b];
        guint accepts;
        if (!bus || !dl_pci_model_known(chk, bus->model))
            continue;
        /* a controller the machine lacks is being replaced this round */
        if (chk->family && !dl_pci_model_is_root(bus->model) &&
            !dl_family_allows_controller(chk->family, bus->model))
            continue;
        accepts = bus->accepts;
        if (flags & DL_CONN_INTEGRATED) {
            if (b != 0)
                continue;
            accepts |= DL_CONN_PCI_DEVICE;
        } else if ((flags & DL_CONN_ENDPOINTS) && !bus->autoassign) {
            continue;
        }
        if (!(flags & accepts & DL_CONN_TYPES))
            continue;
        for (guint slot = bus->min_slot; slot <= bus->max_slot; slot++) {
            if (dl_layout_slot_free(chk, self, (guint) b, slot)) {
                g_autofree char *key = g_strdup_printf("pci:%d:%u", b, slot);
                dl_fix_claim(chk, key);
                *bus_out = (guint) b;
                *slot_out = slot;
                return TRUE;
            }
        }
    }
    return FALSE;
}

/*
 * Where libvirt's ordered pass (LAYOUT, with D moving) puts D once its address is gone,
 * when that is a free slot of a bus the domain already has.  FALSE when the
 * layout cannot tell (other addresses clash too) or needs a bus libvirt
 * would add: then dl_layout_find_slot() and the growth below decide.
 */
static gboolean
layout_slot(dl_check *chk, const dl_layout *layout, const dl_device *d, guint *bus_out, guint *slot_out)
{
    for (guint i = 0; i < layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(layout->places, dl_layout_place, i);
        const dl_bus *bus;
        g_autofree char *key = NULL;

        if (p->dev != d)
            continue;
        /* function 0 of a bus that exists: not one libvirt would add */
        bus = p->function == 0 ? dl_topology_bus(chk->topo, p->bus) : NULL;
        if (!bus)
            return FALSE;
        if (bus->controller && chk->family && !dl_family_allows_controller(chk->family, bus->model))
            return FALSE;
        if (!dl_layout_slot_free(chk, d, p->bus, p->slot))
            return FALSE;
        key = g_strdup_printf("pci:%u:%u", p->bus, p->slot);
        if (!dl_fix_claim(chk, key))
            return FALSE;
        *bus_out = p->bus;
        *slot_out = p->slot;
        return TRUE;
    }
    return FALSE;
}

/* The lowest PCI controller index nobody uses or claimed, from 1 up. */
static int
free_pci_index(dl_check *chk)
{
    for (int idx = 1; idx < DL_MAX_BUSES; idx++) {
        g_autofree char *key = g_strdup_printf("pci-index:%d", idx);
        if (!dl_domain_controller(chk->dom, "pci", idx) && !chk->topo->bus[idx] &&
            dl_fix_claim(chk, key))
            return idx;
    }
    return -1;
}

/*
 * The root ports libvirt itself takes when it defines the domain: one for
 * each PCI Express device without an address, written or one it adds (a
 * memballoon, a USB controller), and one for a pcie-to-pci-bridge when a
 * device wants conventional PCI.  An empty root port of the domain would
 * take one of them: the count errs on the side of room for libvirt.
 */
static guint
libvirt_ports(const dl_check *chk)
{
    g_autoptr(GArray) items = g_array_new(FALSE, TRUE, sizeof(lay_item));
    g_autoptr(GPtrArray) fakes = g_ptr_array_new_with_free_func(g_free);
    gboolean pci = FALSE;
    guint n = 0;

    g_array_set_clear_func(items, item_clear);
    for (guint i = 0; i < chk->dom->devices->len; i++)
        add_item(items, chk, g_ptr_array_index(chk->dom->devices, i), FALSE);
    add_implicit_devices(items, fakes, chk);
    mark_builtins(chk, items);
    for (guint i = 0; i < items->len; i++) {
        const lay_item *it = &g_array_index(items, lay_item, i);

        if (!it->wanted || (it->flags & DL_CONN_INTEGRATED))
            continue;
        if (it->flags & DL_CONN_PCIE_DEVICE)
            n++;
        else if (it->flags & DL_CONN_PCI_DEVICE)
            pci = TRUE;
    }
    return n + (pci ? 1 : 0);
}

/*
 * The pcie-root-ports pcie-root can still take: eight to each slot no other
 * device or builtin uses, less the root ports the domain has there and
 * ADDED, the ones this round's repairs and libvirt itself add.
 */
static guint
root_port_room(const dl_check *chk, guint added)
{
    guint room = dl_layout_root_port_slots(chk) * 8;
    guint ports = added;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *o = g_ptr_array_index(chk->dom->devices, i);

        if (dl_is_pci_controller(o) && dl_str_eq(o->model, "pcie-root-port") &&
            (!dl_device_has_pci_address(o) || o->addr.bus.value == 0))
            ports++;
    }
    return room > ports ? room - ports : 0;
}

/* This round's repair that appends the root ports added for moved devices, or NULL. */
static dl_fix *
round_growth(const dl_check *chk)
{
    for (guint i = chk->fixes->len; i > 0; i--) {
        dl_fix *fix = g_ptr_array_index(chk->fixes, i - 1);

        if (fix->adds > 0)
            return fix;
    }
    return NULL;
}

/*
 * On a PCI Express root with no free root port, grow the topology the way
 * libvirt does for what it can auto-add a port for: a new pcie-root-port
 * (libvirt places it on pcie-root), and the device at its slot 0.  libvirt
 * itself refuses this for a pcie-to-pci-bridge, so it is done here.  The
 * ports of one round go in one edit (two appends to <devices> would
 * collide), so any number of devices moves in one round, as many as
 * pcie-root has room for.
 */
dl_layout_grow
dl_layout_grow_root_port(dl_check *chk, const dl_device *d, guint flags, const char *why)
{
    const guint needs_port = DL_CONN_PCIE_DEVICE | DL_CONN_PCIE_TO_PCI_BRIDGE | DL_CONN_PCIE_SWITCH_UP;
    const dl_bus *root = chk->topo->bus[0];
    g_autofree char *what = NULL, *from = NULL, *xml = NULL;
    dl_fix *growth;
    dl_fix *fix;
    int idx;

    if (!(flags & needs_port) || !root || !dl_str_eq(root->model, "pcie-root") ||
        !dl_family_allows_controller(chk->family, "pcie-root-port"))
        return DL_GROW_NOT_APPLICABLE;
    growth = round_growth(chk);
    if (root_port_room(chk, (growth ? growth->adds : 0) + libvirt_ports(chk)) == 0)
        return DL_GROW_NO_ROOM;
    idx = free_pci_index(chk);
    if (idx < 0)
        return DL_GROW_NOT_APPLICABLE;
    what = dl_device_describe(d);
    from = dl_device_has_pci_address(d) ? dl_pci_addr_str(&d->addr) : g_strdup("an invalid address");
    fix = dl_fix_new(chk, DL_VISIBLE, d->addr.node, "added pcie-root-port %d and moved the %s there from %s (%s)",
                     idx, what, from, why);
    xml = g_strdup_printf("<controller type='pci' index='%d' model='pcie-root-port'/>", idx);
    if (growth) {
        dl_fix_append_more(growth, xml);
        growth->adds++;
        fix->needs = growth;
    } else {
        dl_fix_append(fix, chk->dom->devices_node, xml);
        fix->adds = 1;
    }
    dl_fix_set_pci_address(fix, d->addr.node, (guint) idx, 0, 0, FALSE);
    return DL_GROW_DONE;
}

/*
 * The repair of a bad PCI address: the first free slot libvirt would give
 * the device, written out; when the topology has none, the address is
 * removed and libvirt grows the topology at define time.
 */
void
dl_layout_move_device(dl_check *chk, const dl_device *d, const char *why)
{
    guint flags, bus, slot;
    g_autoptr(dl_layout) layout = NULL;
    g_autofree char *what = NULL;
    g_autofree char *from = NULL;
    dl_fix *fix;

    if (!chk->fixes)
        return;
    flags = dl_device_pci_connect(chk, d);
    if (flags)
        layout = dl_layout_compute_moving(chk, DL_SPARES_LIBVIRT, d);
    if (flags && !layout_slot(chk, layout, d, &bus, &slot) && !dl_layout_find_slot(chk, d, flags, &bus, &slot)) {
        /* with no room left the topology is full: the device stays (pci-address-conflict says so) */
        if (dl_layout_grow_root_port(chk, d, flags, why) == DL_GROW_NOT_APPLICABLE && libvirt_can_place(chk, d))
            dl_fix_drop_address(chk, DL_VISIBLE, d, why);
        return;
    }
    if (!flags) {
        dl_fix_drop_address(chk, DL_VISIBLE, d, why);
        return;
    }
    what = dl_device_describe(d);
    from = dl_device_has_pci_address(d) ? dl_pci_addr_str(&d->addr) : g_strdup("an invalid address");
    fix = dl_fix_new(chk, DL_VISIBLE, d->addr.node, "moved the %s from %s (%s) to 0000:%02x:%02x.0, where libvirt would place it",
                     what, from, why, bus, slot);
    dl_fix_set_pci_address(fix, d->addr.node, bus, slot, 0, FALSE);
}

/* ------------------------------------------- repairs: moving several devices */

struct dl_layout_plan {
    dl_layout *layout;     /* with the devices to move taken away */
    dl_fix *controllers;   /* the repair that adds its controllers, once written */
};

/* Where LAYOUT puts D, or NULL. */
static const dl_layout_place *
place_of(const dl_layout *layout, const dl_device *d)
{
    for (guint i = 0; i < layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(layout->places, dl_layout_place, i);

        if (p->dev == d)
            return p;
    }
    return NULL;
}

/* Does LAYOUT put a device of MOVING on a bus the domain does not have yet? */
static gboolean
moves_to_new_bus(const dl_check *chk, const dl_layout *layout, GHashTable *moving)
{
    for (guint i = 0; i < layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(layout->places, dl_layout_place, i);

        if (p->dev && g_hash_table_contains(moving, p->dev) && !dl_topology_bus(chk->topo, p->bus))
            return TRUE;
    }
    return FALSE;
}

dl_layout_plan *
dl_layout_plan_moves(dl_check *chk, GHashTable *moving)
{
    const dl_bus *root = chk->topo ? chk->topo->bus[0] : NULL;
    g_autoptr(dl_layout) layout = NULL;
    dl_layout_plan *plan;

    if (!chk->fixes || !root || dl_str_eq(root->model, "pcie-root") || g_hash_table_size(moving) == 0)
        return NULL;
    layout = dl_layout_compute_moving_all(chk, DL_SPARES_LIBVIRT, moving);
    if (layout->skipped || layout->error || !moves_to_new_bus(chk, layout, moving))
        return NULL;
    plan = g_new0(dl_layout_plan, 1);
    plan->layout = g_steal_pointer(&layout);
    return plan;
}

void
dl_layout_plan_free(dl_layout_plan *plan)
{
    if (!plan)
        return;
    dl_layout_free(plan->layout);
    g_free(plan);
}

void
dl_layout_move_planned(dl_check *chk, dl_layout_plan *plan, const dl_device *d, const char *why)
{
    const dl_layout_place *p = plan ? place_of(plan->layout, d) : NULL;
    g_autofree char *what = NULL;
    g_autofree char *from = NULL;
    dl_fix *fix;

    if (!p || !d->addr.node) {
        dl_layout_move_device(chk, d, why);
        return;
    }
    if (!plan->controllers)
        plan->controllers = dl_layout_write_controllers(chk, plan->layout);
    what = dl_device_describe(d);
    from = dl_pci_addr_str(&d->addr);
    fix = dl_fix_new(chk, DL_VISIBLE, d->addr.node, "moved the %s from %s (%s) to 0000:%02x:%02x.%x, where libvirt would place it",
                     what, from, why, p->bus, p->slot, p->function);
    dl_fix_set_pci_address(fix, d->addr.node, p->bus, p->slot, p->function, p->multifunction);
    fix->needs = plan->controllers;
}
