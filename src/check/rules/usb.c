/*
 * usb.c - rules about USB controllers and USB addresses
 *
 * A USB address is a bus (the USB controller's index) and a port path
 * "1.2.3": the first number is a root port of the controller, each further
 * one a port of a hub sitting at the path before it.
 */
#include "config.h"

#include <string.h>
#include <stdlib.h>

#include "check/rules/rules.h"
#include "fix/fix.h"

static gboolean
is_usb_controller(const dl_device *d)
{
    return d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "usb");
}

static const char *
usb_model(const dl_check *chk, const dl_device *c)
{
    return c->model ? c->model : dl_default_model(chk, "usb", NULL);
}

/* Root ports of a controller MODEL (the device catalogue's); 0 when it has none of its own. */
static guint
model_ports(const dl_check *chk, const char *model, const dl_num *ports_attr)
{
    const dl_dev_kind_entry *kind = dl_devices_kind(chk->ctx->devices, "controller", "usb", NULL, NULL);
    const dl_dev_model *m = dl_dev_kind_model(kind, model);

    if (m && m->max_ports && ports_attr->valid)
        return (guint) MIN(ports_attr->value, m->max_ports);
    if (m && m->ports >= 0)
        return (guint) m->ports;
    return kind ? (guint) kind->ports : 0;
}

static gboolean
usb_disabled(const dl_check *chk, const dl_device **none)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (is_usb_controller(d) && dl_str_eq(d->model, "none")) {
            *none = d;
            return TRUE;
        }
    }
    return FALSE;
}

/* ------------------------------------------------------------ usb-disabled */

static void
check_usb_disabled(dl_check *chk)
{
    const dl_device *none = NULL;

    if (!usb_disabled(chk, &none))
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        g_autofree char *what = NULL;
        domlint_diag *diag;

        if (d == none)
            continue;
        if (is_usb_controller(d)) {
            diag = dl_error(chk, d->node, "USB is disabled by a controller with model='none', so no other USB controller can exist");
            dl_diag_fixit(diag, "remove this controller, or the model='none' controller");
        } else if (dl_device_needs_usb(d)) {
            what = dl_device_describe(d);
            diag = dl_error(chk, d->node, "%s needs USB, but USB is disabled by a controller with model='none'",
                            what);
            dl_diag_fixit(diag, "remove the model='none' USB controller, or remove the %s", what);
        } else {
            continue;
        }
        dl_diag_note(chk, diag, none->node, "USB is disabled here");
    }
}

const dl_rule dl_rule_usb_disabled = {
    .id = "usb-disabled",
    .summary = "with <controller type='usb' model='none'/> there are no other USB controllers or USB devices",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_usb_disabled,
};

/* ---------------------------------------------------------- usb-controller */

static gboolean
has_master(const dl_check *chk, const dl_device *companion)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (is_usb_controller(d) && d->auto_index == companion->auto_index &&
            dl_usb_is_master(chk, d->model))
            return TRUE;
    }
    return FALSE;
}

static void
check_usb_controllers(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_dev_model *entry;
        const char *model;
        if (!is_usb_controller(d))
            continue;
        model = usb_model(chk, d);
        entry = dl_usb_model_entry(chk, model);
        if (d->ports.present) {
            if (!entry || !entry->max_ports)
            {
                dl_diag_fixit(dl_error(chk, d->node, "the ports attribute only exists for xhci controllers, not for '%s': QEMU refuses it",
                                       model ? model : "the default model"),
                              "remove ports=, or use model='qemu-xhci'");
                dl_fix_unset(dl_fix_new(chk, DL_SAFE, d->node, "removed ports='%s' from the %s controller, which has a fixed number of ports",
                                        d->ports.text, model ? model : "default"),
                             d->node, "ports");
            }
            else if (!d->ports.valid || d->ports.value > entry->max_ports || d->ports.value == 0)
            {
                dl_diag_fixit(dl_error(chk, d->node, "'%s' controllers have 1 to %u ports, not '%s'", model,
                                       entry->max_ports, d->ports.text),
                              "use ports= from 1 to %u, or remove it", entry->max_ports);
                dl_fix_unset(dl_fix_new(chk, DL_VISIBLE, d->node, "removed ports='%s' from the %s controller; it gets its default",
                                        d->ports.text, model),
                             d->node, "ports");
            }
        }
        if (dl_usb_is_companion(chk, d->model) && !has_master(chk, d))
            dl_diag_fixit(dl_error(chk, d->node, "%s is a USB1 companion but USB controller %d has no ich9-ehci1 master",
                                   d->model, d->auto_index),
                          "add <controller type='usb' index='%d' model='ich9-ehci1'/>, or remove the companion", d->auto_index);
    }
}

const dl_rule dl_rule_usb_controller = {
    .id = "usb-controller",
    .summary = "USB controller options fit the model (ports only on xhci, 1-15), companions have a master",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_usb_controllers,
};

/* ------------------------------------------------------------- usb-address */

/* The root-port count of USB bus IDX, or -1 when no controller has that index. */
static int
bus_ports(const dl_check *chk, guint64 idx)
{
    guint total = 0;
    gboolean found = FALSE;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (!is_usb_controller(d) || (guint64) d->auto_index != idx || dl_str_eq(d->model, "none"))
            continue;
        found = TRUE;
        total = MAX(total, model_ports(chk, usb_model(chk, d), &d->ports));
    }
    if (!found && idx == 0) {
        const char *m = dl_usb0_model(chk, NULL);
        if (m && !dl_str_eq(m, "none")) {
            dl_num none = { 0 };
            return (int) model_ports(chk, m, &none);
        }
    }
    return found ? (int) total : -1;
}

static gboolean
hub_at(const dl_check *chk, guint64 bus, const char *path)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->kind == DL_DEV_HUB && d->addr.type == DL_ADDR_USB && d->addr.bus.value == bus &&
            dl_str_eq(d->addr.usb_port, path))
            return TRUE;
    }
    return FALSE;
}

/* A root port and three hubs: libvirt's schema (usbPort, 7.0 to 12.8) and its parser. */
#define DL_USB_MAX_PORT_DEPTH 4

static void
check_port_path(dl_check *chk, const dl_device *d, guint64 bus, int ports)
{
    g_auto(GStrv) parts = g_strsplit(d->addr.usb_port, ".", -1);
    g_autoptr(GString) prefix = g_string_new(NULL);
    guint n = g_strv_length(parts);

    if (n > DL_USB_MAX_PORT_DEPTH) {
        dl_diag_fixit(dl_error(chk, d->addr.node,
                               "USB port path %s is %u levels deep; libvirt allows at most %d (a root port and %d hubs)",
                               d->addr.usb_port, n, DL_USB_MAX_PORT_DEPTH, DL_USB_MAX_PORT_DEPTH - 1),
                      "use a port path of at most %d levels, or remove the <address>", DL_USB_MAX_PORT_DEPTH);
        dl_fix_drop_address(chk, DL_VISIBLE, d, "port path too deep");
        return;
    }

    for (guint i = 0; i < n; i++) {
        dl_num p = dl_num_parse(parts[i], 10);
        int max = i == 0 ? ports : 8;
        if (!p.valid || p.value == 0 || p.value > (guint64) max) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "USB port %s does not exist on bus %" G_GUINT64_FORMAT ": %s has ports 1-%d",
                                   d->addr.usb_port, bus, i == 0 ? "the controller" : "a hub", max),
                          "use a port from 1 to %d, or remove the <address>", max);
            dl_fix_drop_address(chk, DL_VISIBLE, d, "no such USB port");
            return;
        }
        if (i > 0 && !hub_at(chk, bus, prefix->str)) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "USB port %s needs a hub at port %s of bus %" G_GUINT64_FORMAT ", and there is none",
                                   d->addr.usb_port, prefix->str, bus),
                          "add a <hub type='usb'> at port %s, or remove the <address>", prefix->str);
            dl_fix_drop_address(chk, DL_VISIBLE, d, "no hub there");
            return;
        }
        if (i > 0)
            g_string_append_c(prefix, '.');
        g_string_append(prefix, parts[i]);
    }
}

static void
check_usb_addresses(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        int ports;
        if (d->addr.type != DL_ADDR_USB || !d->addr.bus.valid)
            continue;
        ports = bus_ports(chk, d->addr.bus.value);
        if (ports < 0) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "USB address names bus %" G_GUINT64_FORMAT ", but no USB controller has that index",
                                   d->addr.bus.value),
                          "use the index of a USB controller, or remove the <address>");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "no such USB bus");
            continue;
        }
        if (!d->addr.usb_port)
            continue;
        check_port_path(chk, d, d->addr.bus.value, ports);
        for (guint j = 0; j < i; j++) {
            const dl_device *o = g_ptr_array_index(devs, j);
            domlint_diag *diag;
            if (o->addr.type != DL_ADDR_USB || o->addr.bus.value != d->addr.bus.value ||
                !dl_str_eq(o->addr.usb_port, d->addr.usb_port))
                continue;
            diag = dl_error(chk, d->addr.node, "USB bus %" G_GUINT64_FORMAT " port %s is used twice",
                            d->addr.bus.value, d->addr.usb_port);
            dl_diag_fixit(diag, "give one of the devices another port, or remove its <address> (libvirt assigns a free one)");
            dl_diag_note(chk, diag, o->addr.node, "port %s is first used here", d->addr.usb_port);
            dl_fix_drop_address(chk, DL_VISIBLE, d, "another device has that port");
            break;
        }
    }
}

const dl_rule dl_rule_usb_address = {
    .id = "usb-address",
    .summary = "USB addresses name an existing controller, a port it has (or a hub's), and no port twice",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_usb_addresses,
};
