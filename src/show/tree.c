/*
 * tree.c - a checked domain's topology (show.h)
 *
 * The file is checked as `domlint check` would check it, and while the
 * check is still whole (dl_check_parsed_visit) its PCI layout is asked of
 * the placement engine (fix/layout.c) the way libvirt will do it: every
 * device where it ends up, the controllers and devices libvirt adds, the
 * options it fills in, or the error it stops with.  The buses come from the
 * bus table (core/topology.c), the chipset functions from the machine's
 * knowledge (builtins), and each finding goes beside the device whose
 * element it names.
 */
#include "config.h"

#include <string.h>

#include "show/show.h"
#include "core/internal.h"
#include "core/load.h"
#include "core/query.h"
#include "core/topology.h"
#include "fix/layout.h"

static const char *const origin_names[DL_SHOW_ORIGIN_LAST] = {
    [DL_SHOW_WRITTEN] = "written",
    [DL_SHOW_ASSIGNED] = "assigned",
    [DL_SHOW_BUILTIN] = "builtin",
    [DL_SHOW_IMPLICIT] = "implicit",
    [DL_SHOW_ADDED] = "added",
    [DL_SHOW_UNPLACED] = "unplaced",
};

static const char *const origin_words[DL_SHOW_ORIGIN_LAST] = {
    [DL_SHOW_WRITTEN] = "written",
    [DL_SHOW_ASSIGNED] = "assigned by libvirt",
    [DL_SHOW_BUILTIN] = "builtin of the machine",
    [DL_SHOW_IMPLICIT] = "added by libvirt",
    [DL_SHOW_ADDED] = "controller added by libvirt",
    [DL_SHOW_UNPLACED] = "not placed: libvirt stops first",
};

const char *
dl_show_origin_name(dl_show_origin origin)
{
    return origin < DL_SHOW_ORIGIN_LAST ? origin_names[origin] : "?";
}

const char *
dl_show_origin_words(dl_show_origin origin)
{
    return origin < DL_SHOW_ORIGIN_LAST ? origin_words[origin] : "?";
}

gboolean
dl_show_bus_free_port(const dl_show_bus *bus)
{
    gboolean port = dl_str_eq(bus->model, "pcie-root-port") || dl_str_eq(bus->model, "pcie-switch-downstream-port");

    return port && bus->hotplug && bus->devs->len == 0;
}

guint
dl_show_free_ports(const dl_show_topology *topo)
{
    guint n = 0;

    for (guint i = 0; i < topo->buses->len; i++)
        n += dl_show_bus_free_port(g_ptr_array_index(topo->buses, i)) ? 1 : 0;
    return n;
}

const char *
dl_show_layout_state(const dl_show_topology *topo)
{
    if (topo->layout_error)
        return "error";
    if (topo->layout_note)
        return "not-attempted";
    if (topo->layout_done)
        return "done";
    return "none";
}

guint
dl_show_count(const dl_show_topology *topo, domlint_severity severity)
{
    return domlint_result_count(topo->result, severity);
}

/* ------------------------------------------------------------ lifecycle */

static void
dev_free(gpointer p)
{
    dl_show_dev *d = p;

    g_free(d->name);
    g_free(d->address);
    g_free(d->xpath);
    g_ptr_array_unref(d->findings);
    g_free(d);
}

static void
bus_free(gpointer p)
{
    dl_show_bus *b = p;

    g_free(b->model);
    g_free(b->model_name);
    g_free(b->options);
    g_free(b->filled);
    g_free(b->accepts);
    g_free(b->free_list);
    g_ptr_array_unref(b->devs);
    g_free(b);
}

static void
attach_free(gpointer p)
{
    dl_show_attach *a = p;

    g_free(a->type);
    g_free(a->model);
    g_free(a->capacity);
    g_ptr_array_unref(a->devs);
    g_free(a);
}

void
dl_show_topology_free(dl_show_topology *topo)
{
    if (!topo)
        return;
    g_free(topo->file);
    g_free(topo->machine);
    g_free(topo->family);
    g_free(topo->arch);
    g_free(topo->root);
    g_free(topo->layout_error);
    g_free(topo->layout_error_at);
    g_free(topo->layout_note);
    g_ptr_array_unref(topo->buses);
    g_ptr_array_unref(topo->unplaced);
    g_ptr_array_unref(topo->attach);
    g_ptr_array_unref(topo->others);
    domlint_result_free(topo->result);
    g_free(topo);
}

/* ------------------------------------------------------------ building */

/* What building needs beside the topology: the check, its layout, the element paths. */
typedef struct {
    dl_show_topology *topo;
    dl_check *chk;
    dl_layout *layout;
    dl_xpaths *paths;
    const domlint_result *result;
    GPtrArray *all;          /* every dl_show_dev with an element, for the findings */
} builder;

static dl_show_dev *
dev_new(builder *b, const dl_device *d, const char *name, dl_show_origin origin)
{
    dl_show_dev *s = g_new0(dl_show_dev, 1);

    s->name = d ? dl_device_describe(d) : g_strdup(name);
    s->origin = origin;
    s->bus_index = -1;
    s->findings = g_ptr_array_new();
    if (d && d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "pci"))
        s->bus_index = d->auto_index;
    if (d && d->node) {
        s->line = (int) xmlGetLineNo(d->node);
        s->xpath = dl_xpaths_get(b->paths, d->node);
        g_ptr_array_add(b->all, s);
    }
    return s;
}

static dl_show_bus *
find_bus(const dl_show_topology *topo, int index)
{
    for (guint i = 0; i < topo->buses->len; i++) {
        dl_show_bus *bus = g_ptr_array_index(topo->buses, i);
        if (bus->index == index)
            return bus;
    }
    return NULL;
}

/* libvirt's words for every connect type of FLAGS, comma-separated (caller frees). */
static char *
accepts_words(guint flags)
{
    GString *s = g_string_new(NULL);

    for (guint bit = 1; bit & DL_CONN_TYPES; bit <<= 1) {
        if (!(flags & bit) || bit == DL_CONN_INTEGRATED)
            continue;
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", dl_conn_name(bit));
    }
    return g_string_free(s, FALSE);
}

static void
add_bus(builder *b, int index, const char *model, const dl_device *controller, dl_show_origin origin)
{
    dl_bus props = { 0 };
    dl_show_bus *bus = g_new0(dl_show_bus, 1);

    bus->index = index;
    bus->model = g_strdup(model);
    bus->model_name = controller ? g_strdup(controller->model_name) : NULL;
    bus->origin = origin;
    bus->parent = -1;
    bus->devs = g_ptr_array_new_with_free_func(dev_free);
    if (dl_bus_model_properties(b->chk, model, &props)) {
        bus->min_slot = props.min_slot;
        bus->max_slot = props.max_slot;
        bus->hotplug = props.hotplug;
        bus->accepts = accepts_words(props.accepts);
    }
    /* hotplug='off' on a port */
    if (controller && dl_str_eq(controller->hotplug, "off"))
        bus->hotplug = FALSE;
    g_ptr_array_add(b->topo->buses, bus);
}

static void
append_option(GString *s, const char *attr, const dl_num *n)
{
    if (n->present)
        g_string_append_printf(s, "%s%s=%s", s->len ? " " : "", attr, n->text);
}

static char *
string_or_null(GString *s)
{
    if (s->len)
        return g_string_free(s, FALSE);
    g_string_free(s, TRUE);
    return NULL;
}

/* The <target> options of the controller of BUS: written, and those libvirt fills in. */
static void
bus_options(builder *b, dl_show_bus *bus, const dl_device *controller)
{
    GString *written = g_string_new(NULL);
    GString *filled = g_string_new(NULL);

    if (controller) {
        append_option(written, "chassisNr", &controller->chassis_nr);
        append_option(written, "chassis", &controller->chassis);
        append_option(written, "port", &controller->port);
        append_option(written, "busNr", &controller->bus_nr);
        append_option(written, "index", &controller->target_index);
    }
    for (guint i = 0; b->layout && i < b->layout->options->len; i++) {
        const dl_layout_option *o = &g_array_index(b->layout->options, dl_layout_option, i);
        g_autofree char *value = NULL;

        if (controller ? o->dev != controller : (o->dev || o->index != bus->index))
            continue;
        value = dl_layout_option_value(o);
        g_string_append_printf(filled, "%s%s=%s", filled->len ? " " : "", o->attr, value);
    }
    bus->options = string_or_null(written);
    bus->filled = string_or_null(filled);
}

/* The buses of the bus table, then those the layout adds. */
static void
collect_buses(builder *b)
{
    const dl_topology *t = b->chk->topo;

    for (int i = 0; t && i < t->nbuses; i++) {
        const dl_bus *bus = t->bus[i];
        if (!bus)
            continue;
        add_bus(b, i, bus->model, bus->controller, bus->controller ? DL_SHOW_WRITTEN : DL_SHOW_BUILTIN);
        bus_options(b, g_ptr_array_index(b->topo->buses, b->topo->buses->len - 1), bus->controller);
    }
    for (guint i = 0; b->layout && i < b->layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(b->layout->places, dl_layout_place, i);
        if (p->dev || p->index < 0 || !p->model || find_bus(b->topo, p->index))
            continue;
        add_bus(b, p->index, p->model, NULL, DL_SHOW_ADDED);
        bus_options(b, g_ptr_array_index(b->topo->buses, b->topo->buses->len - 1), NULL);
    }
}

/* Put S at BUS:SLOT.FUNCTION; to the unplaced list when there is no such bus. */
static void
place(builder *b, dl_show_dev *s, guint bus, guint slot, guint function)
{
    dl_show_bus *on = find_bus(b->topo, (int) bus);

    s->slot = slot;
    s->function = function;
    s->address = g_strdup_printf("%02x:%02x.%x", bus, slot, function);
    if (!on) {
        g_ptr_array_add(b->topo->unplaced, s);
        return;
    }
    g_ptr_array_add(on->devs, s);
}

/* A device that stands for builtin B: the controller of its type and index. */
static const dl_device *
builtin_device(const dl_check *chk, const dl_builtin *bi)
{
    if (!bi->controller_type)
        return NULL;
    return dl_domain_controller(chk->dom, bi->controller_type, bi->controller_index);
}

static const dl_builtin *
builtin_of(const dl_check *chk, const dl_device *d)
{
    for (guint k = 0; chk->family && chk->family->builtins && k < chk->family->builtins->len; k++) {
        const dl_builtin *bi = g_ptr_array_index(chk->family->builtins, k);
        if (dl_builtin_present(chk, bi) && builtin_device(chk, bi) == d &&
            dl_device_has_pci_address(d) && d->addr.bus.value == 0 && d->addr.slot.value == bi->slot &&
            d->addr.function.value == bi->function)
            return bi;
    }
    return NULL;
}

static const dl_layout_place *
place_of(const builder *b, const dl_device *d)
{
    for (guint i = 0; b->layout && i < b->layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(b->layout->places, dl_layout_place, i);
        if (p->dev == d)
            return p;
    }
    return NULL;
}

/* A device's name when it is a builtin: the chipset's device beside libvirt's. */
static void
name_builtin(dl_show_dev *s, const dl_builtin *bi)
{
    char *named = g_strdup_printf("%s = %s", s->name, bi->device);

    g_free(s->name);
    s->name = named;
}

/* The chipset's functions on bus 0 that no device of the XML stands for. */
static void
collect_builtins(builder *b)
{
    const dl_family *fam = b->chk->family;

    for (guint k = 0; fam && fam->builtins && k < fam->builtins->len; k++) {
        const dl_builtin *bi = g_ptr_array_index(fam->builtins, k);
        const dl_device *d = builtin_device(b->chk, bi);

        dl_show_dev *s;

        if (!dl_builtin_present(b->chk, bi) || (d && builtin_of(b->chk, d) == bi))
            continue;
        /* a controller placed at the builtin's address by the layout is shown as placed */
        if (d && !dl_device_has_pci_address(d) && place_of(b, d))
            continue;
        if (d && !dl_device_has_pci_address(d)) {
            /* the XML's controller without an address is the builtin: libvirt gives it the builtin's */
            s = dev_new(b, d, NULL, DL_SHOW_BUILTIN);
            name_builtin(s, bi);
        } else {
            s = dev_new(b, NULL, bi->device, DL_SHOW_BUILTIN);
        }
        place(b, s, 0, bi->slot, bi->function);
    }
}

/* The devices of the XML that are on PCI: written, or where libvirt puts them. */
static void
collect_devices(builder *b)
{
    const dl_check *chk = b->chk;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_layout_place *p;
        const dl_builtin *bi;
        dl_show_dev *s;

        if (d->alias_of)
            continue;
        if (dl_device_has_pci_address(d)) {
            bi = builtin_of(chk, d);
            s = dev_new(b, d, NULL, bi ? DL_SHOW_BUILTIN : DL_SHOW_WRITTEN);
            if (bi)
                name_builtin(s, bi);
            place(b, s, (guint) d->addr.bus.value, (guint) d->addr.slot.value, (guint) d->addr.function.value);
            continue;
        }
        p = place_of(b, d);
        if (p) {
            s = dev_new(b, d, NULL, d->implicit ? DL_SHOW_IMPLICIT : DL_SHOW_ASSIGNED);
            place(b, s, p->bus, p->slot, p->function);
            continue;
        }
        if (b->topo->root && !b->topo->layout_done && dl_device_pci_connect(chk, d) != 0 &&
            (d->addr.type == DL_ADDR_NONE || d->addr.type == DL_ADDR_PCI))
            g_ptr_array_add(b->topo->unplaced, dev_new(b, d, NULL, DL_SHOW_UNPLACED));
    }
}

/* "usb controller 0 (qemu-xhci)", "virtio memballoon" for a device libvirt adds (caller frees). */
static char *
implicit_name(const dl_layout_place *p)
{
    const char *model = p->implicit_model ? p->implicit_model : "";

    if (p->implicit_type && *model)
        return g_strdup_printf("%s controller %d (%s)", p->implicit_type, p->implicit_index, model);
    if (p->implicit_type)
        return g_strdup_printf("%s controller %d", p->implicit_type, p->implicit_index);
    return g_strdup_printf("%s%s%s", model, *model ? " " : "", dl_dev_kind_name(p->implicit_kind));
}

/* What the layout adds: controllers and the devices libvirt adds by itself. */
static void
collect_added(builder *b)
{
    for (guint i = 0; b->layout && i < b->layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(b->layout->places, dl_layout_place, i);
        g_autofree char *name = NULL;
        dl_show_dev *s;

        if (p->dev)
            continue;
        if (p->model && p->index >= 0) {
            /* an added PHB has no address of its own */
            if (dl_pci_model_is_root(p->model))
                continue;
            s = dev_new(b, NULL, p->model, DL_SHOW_ADDED);
            s->bus_index = p->index;
            s->spare = p->spare;
        } else {
            name = implicit_name(p);
            s = dev_new(b, NULL, name, DL_SHOW_IMPLICIT);
        }
        place(b, s, p->bus, p->slot, p->function);
    }
}

static int
by_address(gconstpointer x, gconstpointer y)
{
    const dl_show_dev *a = *(dl_show_dev *const *) x;
    const dl_show_dev *c = *(dl_show_dev *const *) y;

    if (a->slot != c->slot)
        return a->slot < c->slot ? -1 : 1;
    if (a->function != c->function)
        return a->function < c->function ? -1 : 1;
    return 0;
}

static int
by_index(gconstpointer x, gconstpointer y)
{
    const dl_show_bus *a = *(dl_show_bus *const *) x;
    const dl_show_bus *c = *(dl_show_bus *const *) y;

    return a->index - c->index;
}

/* "0x03-0x1f" ranges of the slots of BUS that no device uses. */
static void
free_slots(dl_show_bus *bus)
{
    GString *s = g_string_new(NULL);
    guint start = G_MAXUINT;

    for (guint slot = bus->min_slot; bus->accepts && slot <= bus->max_slot + 1; slot++) {
        gboolean used = slot > bus->max_slot;

        for (guint i = 0; !used && i < bus->devs->len; i++)
            used = ((dl_show_dev *) g_ptr_array_index(bus->devs, i))->slot == slot;
        if (!used) {
            bus->free_slots++;
            if (start == G_MAXUINT)
                start = slot;
            continue;
        }
        if (start == G_MAXUINT)
            continue;
        if (start == slot - 1)
            g_string_append_printf(s, "%s0x%02x", s->len ? "," : "", start);
        else
            g_string_append_printf(s, "%s0x%02x-0x%02x", s->len ? "," : "", start, slot - 1);
        start = G_MAXUINT;
    }
    bus->free_list = string_or_null(s);
}

/* Sort, link each bus to the function its controller is on, mark shared addresses. */
static void
finish_buses(builder *b)
{
    g_ptr_array_sort(b->topo->buses, by_index);
    for (guint i = 0; i < b->topo->buses->len; i++) {
        dl_show_bus *bus = g_ptr_array_index(b->topo->buses, i);

        g_ptr_array_sort(bus->devs, by_address);
        for (guint k = 0; k < bus->devs->len; k++) {
            dl_show_dev *s = g_ptr_array_index(bus->devs, k);
            dl_show_bus *below = s->bus_index >= 0 ? find_bus(b->topo, s->bus_index) : NULL;

            if (below && below != bus && !below->controller) {
                below->controller = s;
                below->parent = bus->index;
            }
            if (k > 0) {
                dl_show_dev *prev = g_ptr_array_index(bus->devs, k - 1);
                if (by_address(&prev, &s) == 0)
                    prev->conflict = s->conflict = TRUE;
            }
        }
        free_slots(bus);
    }
}

/* ------------------------------------------------------------ other buses */

static dl_show_attach *
find_attach(builder *b, const char *type, int index, gboolean create)
{
    dl_show_attach *a;

    for (guint i = 0; i < b->topo->attach->len; i++) {
        a = g_ptr_array_index(b->topo->attach, i);
        if (strcmp(a->type, type) == 0 && a->index == index)
            return a;
    }
    if (!create)
        return NULL;
    a = g_new0(dl_show_attach, 1);
    a->type = g_strdup(type);
    a->index = index;
    a->devs = g_ptr_array_new_with_free_func(dev_free);
    g_ptr_array_add(b->topo->attach, a);
    return a;
}

static gboolean
is_attach_type(const char *type)
{
    static const char *const types[] = { "ide", "sata", "scsi", "fdc", "usb", "virtio-serial", NULL };

    return type && g_strv_contains(types, type);
}

/* What a controller has room for, as far as domlint knows it (caller frees; NULL: unknown). */
static char *
capacity(const dl_check *chk, const dl_device *d, const char *type, const char *model)
{
    const dl_dev_model *entry;

    if (dl_str_eq(type, "ide"))
        return g_strdup("2 buses, 2 units each");
    if (dl_str_eq(type, "sata"))
        return g_strdup("6 units");
    if (dl_str_eq(type, "fdc"))
        return g_strdup("2 units");
    if (dl_str_eq(type, "virtio-serial"))
        return g_strdup_printf("%" G_GUINT64_FORMAT " ports", dl_virtio_serial_ports(d));
    if (!dl_str_eq(type, "usb"))
        return NULL;
    if (d && d->ports.valid)
        return g_strdup_printf("%" G_GUINT64_FORMAT " ports", d->ports.value);
    entry = model ? dl_usb_model_entry(chk, model) : NULL;
    if (entry && entry->ports > 0)
        return g_strdup_printf("%d ports", entry->ports);
    return NULL;
}

/* The non-PCI controllers: of the XML, those libvirt adds, the machine's builtin ones. */
static void
collect_attach_controllers(builder *b)
{
    const dl_check *chk = b->chk;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        dl_show_attach *a;

        if (d->kind != DL_DEV_CONTROLLER || !is_attach_type(d->type) || find_attach(b, d->type, d->auto_index, FALSE))
            continue;
        /* <controller type='usb' model='none'>: no USB bus at all */
        if (dl_str_eq(d->model, "none"))
            continue;
        a = find_attach(b, d->type, d->auto_index, TRUE);
        a->model = g_strdup(d->model);
        a->origin = d->implicit ? DL_SHOW_IMPLICIT : DL_SHOW_WRITTEN;
        a->capacity = capacity(chk, d, d->type, d->model);
    }
    for (guint i = 0; b->layout && i < b->layout->places->len; i++) {
        const dl_layout_place *p = &g_array_index(b->layout->places, dl_layout_place, i);
        dl_show_attach *a;

        if (p->dev || !is_attach_type(p->implicit_type) || find_attach(b, p->implicit_type, p->implicit_index, FALSE))
            continue;
        a = find_attach(b, p->implicit_type, p->implicit_index, TRUE);
        a->model = g_strdup(p->implicit_model);
        a->origin = DL_SHOW_IMPLICIT;
        a->capacity = capacity(chk, NULL, p->implicit_type, p->implicit_model);
    }
}

/* The controller a device on a bus with no controller of its own in the XML hangs on. */
static dl_show_attach *
attach_for(builder *b, const char *type, int index)
{
    dl_show_attach *a = find_attach(b, type, index, FALSE);
    const dl_check *chk = b->chk;

    if (a)
        return a;
    a = find_attach(b, type, index, TRUE);
    /* the machine's own IDE, SATA or floppy controller, else one libvirt adds */
    a->origin = DL_SHOW_IMPLICIT;
    if (index == 0 && chk->family &&
        ((dl_str_eq(type, "ide") && chk->family->has_ide) ||
         (dl_str_eq(type, "fdc") && dl_family_has_builtin_fdc(chk->family, chk->canonical ? chk->canonical : chk->machine))))
        a->origin = DL_SHOW_BUILTIN;
    for (guint k = 0; index == 0 && chk->family && chk->family->builtins && k < chk->family->builtins->len; k++) {
        const dl_builtin *bi = g_ptr_array_index(chk->family->builtins, k);
        if (dl_str_eq(bi->controller_type, type) && bi->controller_index == 0 && bi->reserved)
            a->origin = DL_SHOW_BUILTIN;
    }
    a->model = g_strdup(dl_default_model(chk, type, NULL));
    a->capacity = capacity(chk, NULL, type, a->model);
    a->missing = chk->family && !dl_str_eq(type, "usb") && !dl_str_eq(type, "virtio-serial") &&
                 !dl_family_has_disk_bus(chk->family, type);
    return a;
}

static void
attach_disk(builder *b, const dl_device *d)
{
    dl_drive_addr addr = dl_drive_address(d);
    dl_show_dev *s;

    if (!addr.known) {
        s = dev_new(b, d, NULL, DL_SHOW_ASSIGNED);
        g_ptr_array_add(attach_for(b, d->bus, 0)->devs, s);
        return;
    }
    s = dev_new(b, d, NULL, addr.derived ? DL_SHOW_ASSIGNED : DL_SHOW_WRITTEN);
    s->address = g_strdup_printf("bus %" G_GUINT64_FORMAT " target %" G_GUINT64_FORMAT " unit %" G_GUINT64_FORMAT,
                                 addr.bus, addr.target, addr.unit);
    g_ptr_array_add(attach_for(b, d->bus, (int) MIN(addr.controller, G_MAXINT))->devs, s);
}

/* A channel or console whose target is virtio: a port of a virtio-serial controller. */
static gboolean
goes_on_virtio_serial(const dl_device *d)
{
    xmlNode *target = dl_device_child(d, "target");

    if (d->kind != DL_DEV_CHANNEL && d->kind != DL_DEV_CONSOLE)
        return FALSE;
    return d->addr.type == DL_ADDR_VIRTIO_SERIAL || dl_str_eq(dl_xml_attr(target, "type"), "virtio");
}

/* Devices with an address on CONTROLLER's bus; without one, libvirt picks on controller 0. */
static void
attach_port(builder *b, const dl_device *d, const char *type, dl_addr_type addr_type)
{
    dl_show_dev *s;
    int controller = 0;

    if (d->addr.type == addr_type) {
        const dl_num *c = addr_type == DL_ADDR_USB ? &d->addr.bus : &d->addr.controller;
        controller = c->valid ? (int) MIN(c->value, G_MAXINT) : 0;
        s = dev_new(b, d, NULL, DL_SHOW_WRITTEN);
        if (addr_type == DL_ADDR_USB && d->addr.usb_port)
            s->address = g_strdup_printf("port %s", d->addr.usb_port);
        else if (addr_type == DL_ADDR_VIRTIO_SERIAL && d->addr.port.present)
            s->address = g_strdup_printf("bus %s port %s", d->addr.bus.text ? d->addr.bus.text : "0",
                                         d->addr.port.text);
    } else {
        s = dev_new(b, d, NULL, DL_SHOW_ASSIGNED);
    }
    g_ptr_array_add(attach_for(b, type, controller)->devs, s);
}

static void
collect_attached(builder *b)
{
    collect_attach_controllers(b);
    for (guint i = 0; i < b->chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(b->chk->dom->devices, i);

        if (d->alias_of)
            continue;
        if (dl_device_needs_usb(d))
            attach_port(b, d, "usb", DL_ADDR_USB);
        else if (d->kind == DL_DEV_DISK && is_attach_type(d->bus))
            attach_disk(b, d);
        else if (d->kind == DL_DEV_HOSTDEV && dl_str_eq(d->subsys, "scsi"))
            attach_port(b, d, "scsi", DL_ADDR_DRIVE);
        else if (goes_on_virtio_serial(d))
            attach_port(b, d, "virtio-serial", DL_ADDR_VIRTIO_SERIAL);
    }
}

/* ------------------------------------------------------------ findings */

/* How closely XPATH (a finding's) is at or below element path DEV (0: not). */
static gsize
path_match(const char *xpath, const char *dev)
{
    gsize n = dev ? strlen(dev) : 0;

    if (!n || strncmp(xpath, dev, n) != 0)
        return 0;
    return xpath[n] == '\0' || xpath[n] == '/' ? n : 0;
}

static gboolean
says_conflict(const domlint_diag *diag)
{
    return diag->severity == DOMLINT_SEV_ERROR && g_str_has_suffix(diag->rule, "-conflict");
}

/* Each finding beside the device whose element it is about (by XPath, else by line). */
static void
place_findings(builder *b)
{
    GPtrArray *diags = b->result->diags;

    for (guint i = 0; i < diags->len; i++) {
        domlint_diag *diag = g_ptr_array_index(diags, i);
        dl_show_dev *best = NULL;
        gsize best_len = 0;

        for (guint k = 0; k < b->all->len; k++) {
            dl_show_dev *s = g_ptr_array_index(b->all, k);
            gsize n = diag->xpath ? path_match(diag->xpath, s->xpath) : 0;

            if (!diag->xpath && diag->line > 0 && diag->line == s->line)
                n = 1;
            if (n > best_len) {
                best = s;
                best_len = n;
            }
        }
        if (!best) {
            g_ptr_array_add(b->topo->others, diag);
            continue;
        }
        g_ptr_array_add(best->findings, diag);
        best->conflict = best->conflict || says_conflict(diag);
    }
}

/* ------------------------------------------------------------ the whole */

static void
take_layout(builder *b)
{
    dl_show_topology *topo = b->topo;
    const dl_layout *lay = b->layout;

    if (!topo->root)
        return;
    if (lay->skipped) {
        topo->layout_note = g_strdup("not laid out: libvirt rejects the addresses as written before it assigns any (see the findings)");
        return;
    }
    if (lay->error) {
        topo->layout_error = g_strdup(lay->error);
        if (lay->error_dev)
            topo->layout_error_at = dl_device_describe(lay->error_dev);
        else if (lay->error_what)
            topo->layout_error_at = g_strdup(lay->error_what);
        return;
    }
    if (lay->bridge_below_bus) {
        topo->layout_error = g_strdup("a pci-bridge would land on a bus whose index is not below its own");
        return;
    }
    topo->layout_done = TRUE;
    topo->spares = lay->spares;
}

static void
build(dl_check *chk, const domlint_result *result, gpointer data)
{
    dl_show_topology *topo = data;
    const char *root = chk->family ? dl_family_root_model(chk->family) : NULL;
    builder b = { .topo = topo, .chk = chk, .result = result };

    topo->arch = g_strdup(chk->arch);
    topo->family = chk->family ? g_strdup(chk->family->title) : NULL;
    topo->root = chk->topo && chk->topo->has_pci && root ? g_strdup(root) : NULL;
    b.paths = dl_xpaths_new();
    b.all = g_ptr_array_new();
    b.layout = topo->root ? dl_layout_compute(chk, DL_SPARES_LIBVIRT) : NULL;
    if (b.layout)
        take_layout(&b);
    collect_buses(&b);
    collect_builtins(&b);
    collect_devices(&b);
    collect_added(&b);
    finish_buses(&b);
    collect_attached(&b);
    place_findings(&b);
    dl_layout_free(b.layout);
    dl_xpaths_free(b.paths);
    g_ptr_array_unref(b.all);
}

dl_show_topology *
dl_show_topology_build(domlint_ctx *ctx, const char *path, char **error)
{
    g_autoptr(dl_show_topology) topo = g_new0(dl_show_topology, 1);
    g_autoptr(dl_source) src = NULL;
    domlint_result *result;

    topo->file = g_strdup(domlint_input_name(path));
    topo->buses = g_ptr_array_new_with_free_func(bus_free);
    topo->unplaced = g_ptr_array_new_with_free_func(dev_free);
    topo->attach = g_ptr_array_new_with_free_func(attach_free);
    topo->others = g_ptr_array_new();
    src = dl_source_load(path, error);
    if (!src)
        return NULL;
    result = dl_check_parsed_visit(ctx, topo->file, src, NULL, build, topo);
    topo->result = result;
    if (result->status == DOMLINT_FILE_FAILED) {
        *error = g_strdup(result->failure);
        return NULL;
    }
    topo->machine = g_strdup(result->machine);
    return g_steal_pointer(&topo);
}
