/*
 * chardev.c - rules about character devices (serial, parallel, console and
 * channel): the source each backend type needs, reconnect settings, and
 * which serial and parallel ports the machine has
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "fix/fix.h"

static gboolean
is_chardev(const dl_device *d)
{
    return d->kind == DL_DEV_SERIAL || d->kind == DL_DEV_PARALLEL || d->kind == DL_DEV_CONSOLE ||
           d->kind == DL_DEV_CHANNEL;
}

/* libvirt's qemuDomainIsRISCVVirt() */
static gboolean
is_riscv_virt(const dl_check *chk)
{
    return g_str_has_prefix(chk->arch ? chk->arch : "", "riscv") && dl_machine_is(chk, "virt");
}

static const char *
target_type(const dl_device *d)
{
    return dl_xml_attr(dl_device_child(d, "target"), "type");
}

/* ---------------------------------------------------------- chardev-source */

/* A <source> of D whose MODE (absent: connect) is WANT and that has ATTR. */
static gboolean
source_has(const dl_device *d, const char *attr, const char *want)
{
    for (xmlNode *s = dl_xml_first(d->node, "source"); s; s = dl_xml_next(s)) {
        const char *mode = dl_xml_attr(s, "mode");
        if (want && !dl_str_eq(mode ? mode : "connect", want))
            continue;
        return dl_xml_attr(s, attr) != NULL;
    }
    return FALSE;
}

/* A virtio (or Xen) channel: libvirt makes up a socket path when none is given. */
static gboolean
gets_generated_path(const dl_device *d)
{
    const char *type = target_type(d);

    return d->kind == DL_DEV_CHANNEL && (dl_str_eq(type, "virtio") || dl_str_eq(type, "xen"));
}

static void
check_source_present(dl_check *chk, const dl_device *d)
{
    const char *what = NULL;

    if (dl_str_eq(d->type, "file") || dl_str_eq(d->type, "dev") || dl_str_eq(d->type, "pipe") ||
        (dl_str_eq(d->type, "unix") && !gets_generated_path(d))) {
        if (!source_has(d, "path", NULL))
            what = "<source path>";
    } else if (dl_str_eq(d->type, "tcp")) {
        if (!source_has(d, "host", NULL))
            what = "<source host>";
        else if (!source_has(d, "service", NULL))
            what = "<source service>";
    } else if (dl_str_eq(d->type, "udp")) {
        if (!source_has(d, "service", "connect"))
            what = "<source mode='connect' service>";
    }
    if (what)
        dl_diag_fixit(dl_error(chk, d->node, "a %s of type '%s' needs %s, and this one has none",
                               dl_dev_kind_name(d->kind), d->type, what),
                      "add %s to the <%s>", what, dl_dev_kind_name(d->kind));
}

/*
 * libvirt 7.0 to 10.x drop a virtio channel's socket path that looks like
 * one they generated ("<dir>/domain-<name>/<channel name>"; the pattern
 * matches anywhere in the path) and generate a new one, which listens.
 */
static gboolean
path_looks_generated(const dl_check *chk, const dl_device *d, const char *path)
{
    const char *name = dl_xml_attr(dl_device_child(d, "target"), "name");
    const char *dir_end;
    const char *dom;

    if (!path || !name || !*name || !dl_str_eq(target_type(d), "virtio") ||
        !dl_releases_behaviour(chk->ctx->releases, "chardev-drops-generated-path", chk->ctx->target))
        return FALSE;
    if (!g_str_has_suffix(path, name) || strlen(path) <= strlen(name))
        return FALSE;
    dir_end = path + strlen(path) - strlen(name) - 1;
    if (*dir_end != '/')
        return FALSE;
    /* the component before the name: "domain-" and at least one more character */
    dom = dir_end;
    while (dom > path && dom[-1] != '/')
        dom--;
    return g_str_has_prefix(dom, "domain-") && dir_end - dom > (long) strlen("domain-");
}

/* The socket D's backend listens on (bind mode), as libvirt will have it. */
static gboolean
listens(const dl_check *chk, const dl_device *d, const xmlNode *source)
{
    const char *path = dl_xml_attr(source, "path");

    if (dl_str_eq(dl_xml_attr(source, "mode"), "bind"))
        return TRUE;
    if (!dl_str_eq(d->type, "unix") || !gets_generated_path(d))
        return FALSE;
    return !path || path_looks_generated(chk, d, path);
}

static void
check_reconnect(dl_check *chk, const dl_device *d)
{
    xmlNode *source = dl_device_child(d, "source");
    xmlNode *reconnect = dl_xml_child(source, "reconnect");
    const char *enabled = dl_xml_attr(reconnect, "enabled");
    dl_num timeout = dl_num_attr(reconnect, "timeout", 10);

    if (!enabled || !(dl_str_eq(d->type, "tcp") || dl_str_eq(d->type, "unix")))
        return;
    if (dl_str_eq(enabled, "yes") && timeout.valid && timeout.value == 0)
        dl_diag_fixit(dl_error(chk, reconnect, "a reconnect timeout of 0 seconds would retry at once, forever: give the seconds to wait between attempts (timeout='10')"),
                      "give timeout= the seconds to wait between attempts, such as timeout='10'");
    /* libvirt tests the tristate as a boolean: enabled='no' counts as well */
    if (listens(chk, d, source)) {
        if (dl_str_eq(d->type, "unix") && !dl_str_eq(dl_xml_attr(source, "mode"), "bind"))
            dl_diag_fixit(dl_error(chk, reconnect, "this virtio channel's socket is made by libvirt (no path, or a path of the form libvirt generates, .../domain-NAME/%s), so it listens, and only a connecting socket can reconnect: remove <reconnect> or give a path of your own",
                                   dl_xml_attr(dl_device_child(d, "target"), "name") ? dl_xml_attr(dl_device_child(d, "target"), "name") : "NAME"),
                          "remove <reconnect>, or give <source> a path of your own");
        else
            dl_diag_fixit(dl_error(chk, reconnect, "a socket in mode='bind' listens, and only a connecting socket (mode='connect') can reconnect: remove <reconnect>"),
                          "remove <reconnect>, or use mode='connect'");
        /* a listening socket never reconnects: the setting has no effect */
        dl_fix_remove(dl_fix_new(chk, DL_SAFE, reconnect, "removed <reconnect> from a listening socket, which has nothing to reconnect to"),
                      reconnect);
    }
}

static void
check_chardev_source(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        /* the console standing for serial 0 never uses its own source */
        if (!is_chardev(d) || d->implicit || !d->type || d->alias_of)
            continue;
        check_source_present(chk, d);
        check_reconnect(chk, d);
    }
}

const dl_rule dl_rule_chardev_source = {
    .id = "chardev-source",
    .summary = "character devices have the source their type needs (a path, a host and service), and reconnect only on connecting sockets, with a timeout",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_chardev_source,
};

/* ---------------------------------------------------------- chardev-target */

/* The serial target type libvirt gives a serial port with TYPE on this machine. */
static const char *
serial_type(const dl_check *chk, const char *type)
{
    /* libvirt maps isa-serial to "the default", then picks it by machine */
    if (type && !dl_str_eq(type, "isa-serial"))
        return type;
    if (dl_arch_is_x86(chk->arch))
        return "isa-serial";
    if (dl_is_pseries(chk))
        return "spapr-vio-serial";
    if (dl_is_arm_virt(chk) || is_riscv_virt(chk))
        return "system-serial";
    if (dl_arch_is_s390(chk->arch))
        return "sclp-serial";
    return NULL;
}

static const char *
serial_model(const dl_check *chk, const char *type, const char *model)
{
    static const struct { const char *type, *model; } defaults[] = {
        { "isa-serial", "isa-serial" }, { "usb-serial", "usb-serial" },
        { "pci-serial", "pci-serial" }, { "spapr-vio-serial", "spapr-vty" },
        { "sclp-serial", "sclpconsole" }, { "isa-debug", "isa-debugcon" },
    };

    if (model)
        return model;
    if (dl_str_eq(type, "system-serial") && dl_is_arm_virt(chk))
        return "pl011";
    if (dl_str_eq(type, "system-serial") && is_riscv_virt(chk))
        return "16550a";
    for (gsize i = 0; i < G_N_ELEMENTS(defaults); i++) {
        if (dl_str_eq(type, defaults[i].type))
            return defaults[i].model;
    }
    return NULL;
}

/* Why the machine has no serial port of TYPE and MODEL, or NULL when it has. */
static const char *
serial_missing(const dl_check *chk, const char *type, const char *model)
{
    if (!dl_is_pseries(chk) && (dl_str_eq(type, "spapr-vio-serial") || dl_str_eq(model, "spapr-vty")))
        return "spapr-vio serial ports exist on pSeries machines only";
    if (!dl_arch_is_s390(chk->arch) && (dl_str_eq(type, "sclp-serial") || dl_str_eq(model, "sclpconsole") ||
                               dl_str_eq(model, "sclplmconsole")))
        return "SCLP consoles exist on s390 only";
    /* system-serial off ARM and RISC-V virt: machine-feature says so */
    if (!dl_str_eq(type, "system-serial") || !dl_str_eq(dl_default_model(chk, "serial", NULL), "system"))
        return NULL;
    if (dl_str_eq(model, "pl011") && !dl_is_arm_virt(chk))
        return "the pl011 UART is the ARM virt machine's";
    if (dl_str_eq(model, "16550a") && !is_riscv_virt(chk))
        return "the 16550a UART is the RISC-V virt machine's";
    return NULL;
}

/*
 * Give serial port D the machine's own kind of port: drop the target type
 * and model written, which libvirt then picks for the machine (and its
 * defaults always fit).  Port number, source and address stay.
 */
static void
fix_serial_target(dl_check *chk, const dl_device *d, const char *why)
{
    xmlNode *target = dl_device_child(d, "target");
    xmlNode *model = dl_xml_child(target, "model");
    dl_fix *fix = dl_fix_new(chk, DL_VISIBLE, d->node, "removed the serial port's target type and model, so libvirt picks the machine's own (%s)", why);

    if (dl_xml_attr(target, "type"))
        dl_fix_unset(fix, target, "type");
    if (model)
        dl_fix_remove(fix, model);
}

static void
check_serial_target(dl_check *chk, const dl_device *d)
{
    const char *type = serial_type(chk, target_type(d));
    const char *model = serial_model(chk, type, d->model);
    const char *why = serial_missing(chk, type, model);

    if (!why)
        return;
    dl_diag_fixit(dl_error(chk, d->node, "a serial port with target type '%s' and model '%s' does not fit the %s machine '%s': %s",
                           type ? type : "", model ? model : "", chk->arch, chk->machine ? chk->machine : "", why),
                  "remove the <target> type and model, and libvirt picks the ones of the machine");
    if (!serial_missing(chk, serial_type(chk, NULL), serial_model(chk, serial_type(chk, NULL), NULL)))
        fix_serial_target(chk, d, why);
}

/* The virtio-serial ports: a virtio console, a virtio channel. */
static gboolean
is_virtio_serial_port(const dl_device *d)
{
    return (d->kind == DL_DEV_CONSOLE || d->kind == DL_DEV_CHANNEL) && dl_str_eq(target_type(d), "virtio");
}

static void
check_chardev_target(dl_check *chk)
{
    /* libvirt 7.0 leaves such an address off QEMU's command line */
    gboolean port_address_passed = dl_releases_behaviour(chk->ctx->releases, "virtio-serial-port-address-passed",
                                                         chk->ctx->target);

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (!is_chardev(d) || d->implicit)
            continue;
        if (d->kind == DL_DEV_PARALLEL && (dl_arch_is_s390(chk->arch) || dl_is_pseries(chk)))
            dl_diag_fixit(dl_error(chk, d->node, "the %s machine '%s' has no parallel port: use a serial port or a virtio console",
                                   chk->arch, chk->machine ? chk->machine : ""),
                          "use a <serial> port or a <console type='pty'><target type='virtio'/></console>");
        else if (d->kind == DL_DEV_SERIAL)
            check_serial_target(chk, d);
        else if (is_virtio_serial_port(d) && d->addr.type != DL_ADDR_NONE &&
                 d->addr.type != DL_ADDR_VIRTIO_SERIAL && port_address_passed)
        {
            dl_diag_fixit(dl_error(chk, d->addr.node, "a virtio %s is a port of a virtio-serial controller and takes a 'virtio-serial' address, not '%s': QEMU refuses it at start",
                                   dl_dev_kind_name(d->kind), d->addr.type_name),
                          "remove the <address>, or make it type='virtio-serial'");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "virtio-serial ports take virtio-serial addresses");
        }
    }
}

const dl_rule dl_rule_chardev_target = {
    .id = "chardev-target",
    .summary = "serial and parallel ports the machine has (no parallel port on pSeries or s390, spapr-vio serial on pSeries only), virtio consoles on virtio-serial addresses",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_chardev_target,
};
