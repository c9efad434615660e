/*
 * text.c - a topology as text, like `lspci -tv`
 *
 * One line per bus, per slot function and per device, the tree drawn with
 * +- and \- as lspci draws it; each bus with what it is and its free slots,
 * each device with its address and where it came from, the findings of the
 * check under the device they concern.  Then the drive, USB and
 * virtio-serial buses, then the findings beside no device.
 */
#include "config.h"

#include "show/show.h"

static void
put_findings(GString *out, const char *indent, const GPtrArray *findings)
{
    for (guint i = 0; i < findings->len; i++) {
        const domlint_diag *d = g_ptr_array_index(findings, i);

        g_string_append_printf(out, "%s! %s [%s] %s\n", indent, domlint_severity_name(d->severity),
                               d->rule, d->message);
    }
}

/* " (written, line 12)" and the marks of DEV. */
static void
put_dev_tail(GString *out, const dl_show_dev *dev)
{
    g_string_append_printf(out, "  (%s", dl_show_origin_words(dev->origin));
    if (dev->line > 0)
        g_string_append_printf(out, ", line %d", dev->line);
    g_string_append(out, ")");
    if (dev->spare)
        g_string_append(out, " spare for hotplug");
    if (dev->conflict)
        g_string_append(out, " CONFLICT");
    g_string_append_c(out, '\n');
}

static void put_bus(GString *out, const dl_show_topology *topo, const dl_show_bus *bus, const char *indent);

static const dl_show_bus *
bus_below(const dl_show_topology *topo, const dl_show_bus *bus, const dl_show_dev *dev)
{
    for (guint i = 0; dev->bus_index >= 0 && i < topo->buses->len; i++) {
        const dl_show_bus *b = g_ptr_array_index(topo->buses, i);
        if (b->index == dev->bus_index && b->parent == bus->index && b->controller == dev)
            return b;
    }
    return NULL;
}

/* BUS's heading: "[01] pcie-root-port  chassis=1 port=0x10; hotplug; free slots: none" */
static void
put_bus_line(GString *out, const dl_show_bus *bus)
{
    g_string_append_printf(out, "[%02x] %s", (guint) bus->index, bus->model);
    if (bus->model_name)
        g_string_append_printf(out, " (%s)", bus->model_name);
    if (bus->origin != DL_SHOW_WRITTEN)
        g_string_append_printf(out, "  %s", dl_show_origin_words(bus->origin));
    if (bus->options)
        g_string_append_printf(out, "  %s", bus->options);
    if (bus->filled)
        g_string_append_printf(out, "  %s (filled in by libvirt)", bus->filled);
    if (bus->accepts)
        g_string_append_printf(out, "; slots 0x%02x-0x%02x%s", bus->min_slot, bus->max_slot,
                               bus->hotplug ? ", hotplug" : "");
    if (dl_show_bus_free_port(bus))
        g_string_append(out, "; empty: free hotplug port");
    else if (bus->free_list)
        g_string_append_printf(out, "; %u free: %s", bus->free_slots, bus->free_list);
    else if (bus->accepts)
        g_string_append(out, "; no free slot");
    g_string_append_c(out, '\n');
}

static void
put_bus(GString *out, const dl_show_topology *topo, const dl_show_bus *bus, const char *indent)
{
    put_bus_line(out, bus);
    for (guint i = 0; i < bus->devs->len; i++) {
        const dl_show_dev *dev = g_ptr_array_index(bus->devs, i);
        gboolean last = i + 1 == bus->devs->len;
        g_autofree char *inner = g_strdup_printf("%s%s", indent, last ? "     " : " |   ");
        const dl_show_bus *below = bus_below(topo, bus, dev);

        g_string_append_printf(out, "%s %s%02x.%x %s", indent, last ? "\\-" : "+-", dev->slot, dev->function, dev->name);
        put_dev_tail(out, dev);
        put_findings(out, inner, dev->findings);
        if (below) {
            g_string_append_printf(out, "%s", inner);
            put_bus(out, topo, below, inner);
        }
    }
}

/* A bus that hangs from no function of another: a root, or one whose upstream is missing. */
static gboolean
is_top(const dl_show_bus *bus)
{
    return bus->parent < 0;
}

static void
put_pci(GString *out, const dl_show_topology *topo)
{
    guint ports = dl_show_free_ports(topo);

    if (!topo->root) {
        g_string_append(out, "PCI: none (the machine has no PCI bus)\n");
        return;
    }
    g_string_append(out, "PCI\n");
    for (guint i = 0; i < topo->buses->len; i++) {
        const dl_show_bus *bus = g_ptr_array_index(topo->buses, i);
        if (is_top(bus))
            put_bus(out, topo, bus, "");
    }
    if (topo->unplaced->len)
        g_string_append(out, "without a place on a bus:\n");
    for (guint i = 0; i < topo->unplaced->len; i++) {
        const dl_show_dev *dev = g_ptr_array_index(topo->unplaced, i);

        g_string_append_printf(out, " %s %s %s", i + 1 == topo->unplaced->len ? "\\-" : "+-",
                               dev->address ? dev->address : "--:--.-", dev->name);
        put_dev_tail(out, dev);
        put_findings(out, "     ", dev->findings);
    }
    g_string_append_printf(out, "empty hotplug ports: %u\n", ports);
}

static void
put_attach(GString *out, const dl_show_topology *topo)
{
    if (!topo->attach->len)
        return;
    g_string_append(out, "\nDrive, USB and virtio-serial buses\n");
    for (guint i = 0; i < topo->attach->len; i++) {
        const dl_show_attach *a = g_ptr_array_index(topo->attach, i);

        g_string_append_printf(out, "%s controller %d", a->type, a->index);
        if (a->model)
            g_string_append_printf(out, " (%s)", a->model);
        if (a->missing)
            g_string_append(out, "  MISSING: the machine has no such bus");
        else if (a->origin != DL_SHOW_WRITTEN)
            g_string_append_printf(out, "  %s", dl_show_origin_words(a->origin));
        if (a->capacity)
            g_string_append_printf(out, "; %s", a->capacity);
        g_string_append_printf(out, "; %u in use\n", a->devs->len);
        for (guint k = 0; k < a->devs->len; k++) {
            const dl_show_dev *dev = g_ptr_array_index(a->devs, k);
            gboolean last = k + 1 == a->devs->len;

            g_string_append_printf(out, " %s%s %s", last ? "\\-" : "+-",
                                   dev->address ? dev->address : "(libvirt picks)", dev->name);
            put_dev_tail(out, dev);
            put_findings(out, last ? "     " : " |   ", dev->findings);
        }
    }
}

static void
put_head(GString *out, const dl_show_topology *topo)
{
    g_string_append_printf(out, "%s: %s", topo->file, topo->machine ? topo->machine : "unknown machine");
    if (topo->family)
        g_string_append_printf(out, ", %s", topo->family);
    g_string_append_printf(out, ", %s\n", topo->arch ? topo->arch : "unknown arch");
    if (topo->layout_error && topo->layout_error_at)
        g_string_append_printf(out, "layout: libvirt stops at the %s: %s\n", topo->layout_error_at, topo->layout_error);
    else if (topo->layout_error)
        g_string_append_printf(out, "layout: libvirt stops: %s\n", topo->layout_error);
    else if (topo->layout_note)
        g_string_append_printf(out, "layout: %s\n", topo->layout_note);
    else if (topo->layout_done)
        g_string_append(out, "layout: as libvirt lays it out\n");
}

char *
dl_show_text(const dl_show_topology *topo)
{
    GString *out = g_string_new(NULL);
    guint errors, warnings;

    put_head(out, topo);
    put_pci(out, topo);
    put_attach(out, topo);
    if (topo->others->len) {
        g_string_append(out, "\nFindings beside no device\n");
        put_findings(out, " ", topo->others);
    }
    errors = dl_show_count(topo, DOMLINT_SEV_ERROR);
    warnings = dl_show_count(topo, DOMLINT_SEV_WARNING);
    g_string_append_printf(out, "\n%u error%s, %u warning%s\n", errors, errors == 1 ? "" : "s", warnings,
                           warnings == 1 ? "" : "s");
    return g_string_free(out, FALSE);
}
