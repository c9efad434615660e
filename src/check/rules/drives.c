/*
 * drives.c - rules about disks: which buses the machine has, drive
 * addresses (written or derived from the target name the way libvirt
 * derives them), their limits, duplicates and target names; the storage
 * formats, secrets, encryption and vendor/product data libvirt's QEMU
 * driver accepts
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check/rules/rules.h"
#include "fix/fix.h"

static gboolean
uses_drive_bus(const dl_device *d)
{
    return dl_str_eq(d->bus, "ide") || dl_str_eq(d->bus, "sata") || dl_str_eq(d->bus, "scsi") ||
           dl_str_eq(d->bus, "fdc");
}

static char *
drive_str(const dl_drive_addr *a)
{
    return g_strdup_printf("controller %" G_GUINT64_FORMAT " bus %" G_GUINT64_FORMAT
                           " target %" G_GUINT64_FORMAT " unit %" G_GUINT64_FORMAT,
                           a->controller, a->bus, a->target, a->unit);
}

static const char *
disk_name(const dl_device *d)
{
    return d->target_dev ? d->target_dev : "?";
}

/*
 * Move disk D to BUS under a free target name of that bus; its address goes,
 * libvirt derives the drive address from the new name.
 */
static void
move_disk(dl_check *chk, const dl_device *d, const char *bus, const char *why)
{
    g_autofree char *name = chk->fixes ? dl_free_disk_name(chk, bus) : NULL;
    xmlNode *target = dl_device_child(d, "target");
    dl_fix *fix;

    if (!name || !target)
        return;
    fix = dl_fix_new(chk, DL_VISIBLE, d->node, "moved %s '%s' to bus='%s' as '%s' (%s)", d->device, disk_name(d),
                     bus, name, why);
    dl_fix_set(fix, target, "bus", bus);
    dl_fix_set(fix, target, "dev", name);
    dl_fix_remove(fix, d->addr.node);
}

/* How many controllers, buses and units domlint hands out per disk bus. */
static gboolean
drive_limits(const char *bus, guint *controllers, guint *buses, guint *units)
{
    *controllers = 1;
    *buses = 1;
    if (dl_str_eq(bus, "ide")) {
        *buses = 2;
        *units = 2;
    } else if (dl_str_eq(bus, "fdc")) {
        *units = 2;
    } else if (dl_str_eq(bus, "sata")) {
        *units = 6;
    } else if (dl_str_eq(bus, "scsi")) {
        *controllers = 4;
        *units = 7;
    } else {
        return FALSE;
    }
    return TRUE;
}

static gboolean
drive_taken(dl_check *chk, const dl_device *self, const dl_drive_addr *a)
{
    g_autofree char *key = g_strdup_printf("drive:%s:%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%"
                                           G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, self->bus,
                                           a->controller, a->bus, a->target, a->unit);

    if (chk->claimed && g_hash_table_contains(chk->claimed, key))
        return TRUE;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *o = g_ptr_array_index(chk->dom->devices, i);
        dl_drive_addr b;
        if (o == self || o->kind != DL_DEV_DISK || !dl_str_eq(o->bus, self->bus))
            continue;
        b = dl_drive_address(o);
        if (b.known && b.controller == a->controller && b.bus == a->bus && b.target == a->target &&
            b.unit == a->unit)
            return TRUE;
    }
    return FALSE;
}

/* The first drive address of D's bus no other disk uses. */
static gboolean
free_drive(dl_check *chk, const dl_device *d, dl_drive_addr *out)
{
    guint controllers, buses, units;

    if (!drive_limits(d->bus, &controllers, &buses, &units))
        return FALSE;
    for (guint c = 0; c < controllers; c++) {
        for (guint b = 0; b < buses; b++) {
            for (guint u = 0; u < units; u++) {
                dl_drive_addr a = { TRUE, FALSE, c, b, 0, u };
                if (!drive_taken(chk, d, &a)) {
                    g_autofree char *key = g_strdup_printf("drive:%s:%u:%u:0:%u", d->bus, c, b, u);
                    dl_fix_claim(chk, key);
                    *out = a;
                    return TRUE;
                }
            }
        }
    }
    return FALSE;
}

/* Give disk D a free drive address of its bus, written out explicitly. */
static void
place_disk(dl_check *chk, const dl_device *d, const char *why)
{
    dl_drive_addr a;
    g_autofree char *where = NULL;
    g_autofree char *ctl = NULL, *bus = NULL, *unit = NULL;
    dl_fix *fix;

    if (!chk->fixes || !free_drive(chk, d, &a))
        return;
    where = drive_str(&a);
    fix = dl_fix_new(chk, DL_VISIBLE, dl_addr_node(d), "gave %s '%s' the free drive address %s (%s)", d->device,
                     disk_name(d), where, why);
    if (!fix)
        return;
    ctl = g_strdup_printf("%" G_GUINT64_FORMAT, a.controller);
    bus = g_strdup_printf("%" G_GUINT64_FORMAT, a.bus);
    unit = g_strdup_printf("%" G_GUINT64_FORMAT, a.unit);
    if (d->addr.type == DL_ADDR_DRIVE) {
        dl_fix_set(fix, d->addr.node, "controller", ctl);
        dl_fix_set(fix, d->addr.node, "bus", bus);
        dl_fix_set(fix, d->addr.node, "target", "0");
        dl_fix_set(fix, d->addr.node, "unit", unit);
    } else {
        g_autofree char *xml = g_strdup_printf("<address type='drive' controller='%s' bus='%s' target='0' unit='%s'/>",
                                               ctl, bus, unit);
        dl_fix_append(fix, d->node, xml);
    }
}

/* The bus a disk that cannot stay where it is should move to on this machine. */
static const char *
fallback_bus(const dl_check *chk, const dl_device *d)
{
    static const char *const removable[] = { "sata", "ide", "scsi", NULL };
    static const char *const fixed[] = { "sata", "scsi", "virtio", NULL };
    const char *const *order = dl_str_eq(d->device, "cdrom") ? removable : fixed;

    for (gsize i = 0; order[i]; i++) {
        if (!dl_str_eq(order[i], d->bus) && dl_family_has_disk_bus(chk->family, order[i]))
            return order[i];
    }
    return NULL;
}

/* ------------------------------------------------------------ disk-bus */

static void
check_disk_bus(dl_check *chk)
{
    if (!chk->family)
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        domlint_diag *diag;

        if (d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "ide") && !chk->family->has_ide) {
            diag = dl_error(chk, d->node, "the %s machine '%s' has no IDE controller, and QEMU cannot add one",
                            chk->family->title, dl_machine_label(chk));
            if (dl_family_has_disk_bus(chk->family, "sata"))
                dl_diag_fixit(diag, "remove it and attach the disks with bus='sata'");
            dl_fix_remove(dl_fix_new(chk, DL_SAFE, d->node, "removed IDE controller %d: the %s machine '%s' has none",
                                     d->auto_index, chk->family->title, dl_machine_label(chk)),
                          d->node);
            continue;
        }
        if (d->kind != DL_DEV_DISK || !d->bus)
            continue;
        if (dl_str_eq(d->bus, "fdc") || dl_str_eq(d->device, "floppy")) {
            if (!chk->family->has_floppy && !chk->family->has_fdc && !chk->family->fdc_explicit)
                dl_diag_fixit(dl_error(chk, d->node, "the %s machine '%s' cannot attach floppy drives",
                                       chk->family->title, dl_machine_label(chk)),
                              "remove the floppy, or attach its image as a cdrom or disk on a bus the machine has, such as bus='%s'", dl_family_has_disk_bus(chk->family, "scsi") ? "scsi" : "virtio");
            continue;
        }
        if (dl_family_has_disk_bus(chk->family, d->bus))
            continue;
        if (dl_str_eq(d->bus, "ide")) {
            diag = dl_error(chk, d->node, "disk '%s' uses bus='ide', but the %s machine '%s' has no IDE controller",
                            disk_name(d), chk->family->title, dl_machine_label(chk));
            if (dl_family_has_disk_bus(chk->family, "sata"))
                dl_diag_fixit(diag, "use bus='sata' (AHCI) and an sdX target name");
            else if (dl_family_has_disk_bus(chk->family, "scsi"))
                dl_diag_fixit(diag, "use bus='scsi' or bus='virtio'");
            else
                dl_diag_fixit(diag, "use a machine type with an IDE controller, such as 'pc' (i440FX)");
            if (fallback_bus(chk, d))
                move_disk(chk, d, fallback_bus(chk, d), "the machine has no IDE");
            continue;
        }
        dl_diag_fixit(dl_error(chk, d->node, "disk '%s' uses bus='%s', which the %s machine '%s' does not have",
                               disk_name(d), d->bus, chk->family->title, dl_machine_label(chk)),
                      "use bus='%s', a bus the machine has (and a target name for it)", fallback_bus(chk, d) ? fallback_bus(chk, d) : "virtio");
    }
}

const dl_rule dl_rule_disk_bus = {
    .id = "disk-bus",
    .summary = "the disk bus exists on the machine (no IDE on q35 or pSeries, no floppy on pSeries)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_bus,
};

/* ------------------------------------------------------- disk-address-type */

static void
check_disk_address_type(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->kind != DL_DEV_DISK || d->addr.type == DL_ADDR_NONE || !d->bus)
            continue;
        if (uses_drive_bus(d) && d->addr.type != DL_ADDR_DRIVE) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "disk '%s' on bus '%s' needs a 'drive' address, not '%s'",
                                   disk_name(d), d->bus, d->addr.type_name),
                          "remove the <address> (libvirt gives the disk a drive address from its target name), or make it type='drive'");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "wrong address type for its bus");
        } else if (dl_str_eq(d->bus, "virtio") && d->addr.type == DL_ADDR_DRIVE) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "virtio disk '%s' is a device of its own and cannot have a 'drive' address",
                                   disk_name(d)),
                          "remove the <address>: libvirt gives a virtio disk a %s address of its own", dl_arch_is_s390(chk->dom->arch) ? "ccw" : "PCI");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "virtio disks take no drive address");
        } else if (dl_str_eq(d->bus, "usb") && d->addr.type != DL_ADDR_USB) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "usb disk '%s' needs a 'usb' address, not '%s'",
                                   disk_name(d), d->addr.type_name),
                          "remove the <address> (libvirt gives a USB disk a USB port), or make it type='usb'");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "usb disks take a usb address");
        }
    }
}

const dl_rule dl_rule_disk_address_type = {
    .id = "disk-address-type",
    .summary = "IDE/SATA/SCSI/floppy disks take drive addresses, virtio disks never do, USB disks take USB addresses",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_address_type,
};

/* ------------------------------------------------------- drive-address */

static const char *
scsi_model(const dl_check *chk, guint64 controller)
{
    const dl_device *c = dl_domain_controller(chk->dom, "scsi", (int) controller);

    if (c && c->model)
        return c->model;
    return dl_default_model(chk, "scsi", NULL);
}

static void
limit(dl_check *chk, const dl_device *d, gboolean bad, const char *what)
{
    g_autofree char *where = NULL;
    dl_drive_addr a;

    if (!bad)
        return;
    a = dl_drive_address(d);
    where = drive_str(&a);
    if (a.derived) {
        dl_diag_fixit(dl_error(chk, d->node, "disk '%s' gets drive address %s from its name, but %s",
                               disk_name(d), where, what),
                      "give the disk another target name or an <address type='drive'> with a unit the controller has, or put it on another bus");
        /* more drives than the bus holds: the rest go to another bus */
        if (chk->family && dl_str_eq(d->bus, "ide") && dl_family_has_disk_bus(chk->family, "sata"))
            move_disk(chk, d, "sata", "the IDE buses are full");
        else
            place_disk(chk, d, "its name gave a drive the controller lacks");
    } else {
        dl_diag_fixit(dl_error(chk, d->addr.node, "disk '%s' has drive address %s, but %s", disk_name(d), where, what),
                      "remove the <address> (libvirt then takes the next free unit), or give it a controller, bus and unit that exist");
        place_disk(chk, d, "the old one is outside what the controller has");
    }
}

static void
check_one_drive(dl_check *chk, const dl_device *d, const dl_drive_addr *a)
{
    if (dl_str_eq(d->bus, "ide")) {
        limit(chk, d, a->controller != 0, "the machine has only IDE controller 0");
        limit(chk, d, a->bus > 1, "an IDE controller has buses 0 and 1 only");
        limit(chk, d, a->target != 0, "IDE has no targets other than 0");
        limit(chk, d, a->unit > 1, "an IDE bus has units 0 and 1 only (master and slave)");
    } else if (dl_str_eq(d->bus, "sata")) {
        limit(chk, d, a->bus != 0, "an AHCI controller has bus 0 only");
        limit(chk, d, a->target != 0, "SATA has no targets other than 0");
        limit(chk, d, a->unit > 5, "an AHCI controller has 6 ports (units 0-5)");
    } else if (dl_str_eq(d->bus, "fdc")) {
        limit(chk, d, a->controller != 0, "there is only floppy controller 0");
        limit(chk, d, a->bus != 0, "the floppy controller has bus 0 only");
        limit(chk, d, a->target != 0, "the floppy controller has target 0 only");
        limit(chk, d, a->unit > 1, "the floppy controller has units 0 and 1 only");
    } else if (dl_str_eq(d->bus, "scsi")) {
        const char *model = scsi_model(chk, a->controller);
        limit(chk, d, a->bus != 0, "SCSI controllers have bus 0 only");
        if (dl_str_eq(model, "lsilogic")) {
            g_autofree char *why = g_strdup_printf("an lsilogic controller (controller %" G_GUINT64_FORMAT ") has target 0 only",
                                                   a->controller);
            limit(chk, d, a->target != 0, why);
        }
    }
}

/* Each field of a drive address is a decimal number that fits 32 bits (libvirt's parser). */
static gboolean
drive_numbers_valid(dl_check *chk, const dl_device *d)
{
    const struct {
        const char *name;
        const dl_num *num;
    } fields[] = {
        { "controller", &d->addr.controller }, { "bus", &d->addr.bus },
        { "target", &d->addr.target }, { "unit", &d->addr.unit },
    };

    if (d->addr.type != DL_ADDR_DRIVE)
        return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
        const dl_num *n = fields[i].num;
        if (!n->present || (n->valid && n->value <= G_MAXUINT32))
            continue;
        dl_diag_fixit(dl_error(chk, d->addr.node, "drive address %s='%s' of disk '%s' is not a decimal number from 0 to 4294967295",
                               fields[i].name, n->text, disk_name(d)),
                      "write %s= as a decimal number from 0 to 4294967295, or remove the <address>", fields[i].name);
        place_disk(chk, d, "the old one was not a valid address");
        return FALSE;
    }
    return TRUE;
}

static void
check_drive_addresses(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        dl_drive_addr a;
        if (d->kind != DL_DEV_DISK || !uses_drive_bus(d))
            continue;
        if (chk->family && !dl_family_has_disk_bus(chk->family, d->bus) && !dl_str_eq(d->bus, "fdc"))
            continue;     /* disk-bus already says the bus is missing */
        if (!drive_numbers_valid(chk, d))
            continue;
        a = dl_drive_address(d);
        if (!a.known)
            continue;
        check_one_drive(chk, d, &a);
    }
}

const dl_rule dl_rule_drive_address = {
    .id = "drive-address",
    .summary = "drive addresses fit the controller: IDE 1 controller x 2 buses x 2 units, AHCI 6 units, floppy 2 units, lsilogic target 0",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_drive_addresses,
};

/* ------------------------------------------------- drive-address-conflict */

static void
check_drive_conflicts(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        dl_drive_addr a;
        if (d->kind != DL_DEV_DISK || !uses_drive_bus(d))
            continue;
        a = dl_drive_address(d);
        if (!a.known)
            continue;
        for (guint j = 0; j < i; j++) {
            const dl_device *o = g_ptr_array_index(devs, j);
            dl_drive_addr b;
            g_autofree char *where = NULL;
            domlint_diag *diag;
            if (o->kind != DL_DEV_DISK || !dl_str_eq(o->bus, d->bus))
                continue;
            b = dl_drive_address(o);
            if (!b.known || a.controller != b.controller || a.bus != b.bus ||
                a.target != b.target || a.unit != b.unit)
                continue;
            where = drive_str(&a);
            diag = dl_error(chk, dl_addr_node(d), "disk '%s' and disk '%s' both use %s drive address %s%s",
                            disk_name(d), disk_name(o), d->bus, where,
                            a.derived || b.derived ? " (addresses without <address> come from the target name)" : "");
            dl_diag_fixit(diag, "give disk '%s' another target name or <address>, or remove its <address> (libvirt assigns a free unit)", disk_name(d));
            dl_diag_note(chk, diag, dl_addr_node(o), "disk '%s' is here", disk_name(o));
            place_disk(chk, d, "another disk had its address");
            break;
        }
    }
}

const dl_rule dl_rule_drive_address_conflict = {
    .id = "drive-address-conflict",
    .summary = "no two disks of one bus share a drive address, counting the ones libvirt derives from target names",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_drive_conflicts,
};

/* ------------------------------------------------------------ disk-target */

/*
 * The partition number of disk name NAME the way libvirt's virDiskNameParse()
 * reads it ("vdb1" -> 1, "sda0" -> 0, "vda" -> 0); -1 when NAME is not a disk
 * name at all (no known prefix, no letters, or a partition written "01").
 */
static long
disk_partition(const char *name)
{
    const char *p;
    gsize digits;

    if (dl_disk_index(name) < 0)
        return -1;
    p = name + strlen(name);
    while (p > name && g_ascii_isdigit(p[-1]))
        p--;
    digits = strlen(p);
    if (digits == 0)
        return 0;
    if (digits > 1 && *p == '0')
        return -1;
    if (digits > 9)
        return -1;
    return strtol(p, NULL, 10);
}

/*
 * libvirt's QEMU driver parses every disk target (the drive-bus ones without
 * an address are reported above, with a fix): it must be a disk name, and
 * a whole disk, not a partition of one.
 */
static void
check_target_name(dl_check *chk, const dl_device *d)
{
    const char *name = d->target_dev;
    long part;

    if (g_str_has_prefix(name, "ioemu:"))
        name += strlen("ioemu:");     /* libvirt drops this old Xen prefix */
    part = disk_partition(name);
    if (part < 0)
        dl_diag_fixit(dl_error(chk, d->node, "disk target '%s' is not a disk name libvirt understands: a prefix fd, hd, vd, sd, xvd or ubd, lower-case letters, then at most a partition number",
                               name),
                      "use a name libvirt knows for the bus: vda (virtio), sda (scsi, sata, usb), hda (ide) or fda (fdc)");
    else if (part > 0)
        dl_diag_fixit(dl_error(chk, d->node, "disk target '%s' names partition %ld of a disk, but partitions cannot be disk targets: use the whole disk's name",
                               name, part),
                      "use the whole disk's name, without the partition number %ld", part);
    if (part != 0 && d->bus)
        move_disk(chk, d, d->bus, "libvirt refuses its old name");
}

static void
check_disk_targets(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        if (d->kind != DL_DEV_DISK || !d->target_dev)
            continue;
        if (uses_drive_bus(d) && d->addr.type == DL_ADDR_NONE && dl_disk_index(d->target_dev) < 0)
        {
            dl_diag_fixit(dl_error(chk, d->node, "disk target '%s' is not a disk name libvirt understands (like sda or hdb), and the disk has no <address> to say where it goes",
                                   d->target_dev),
                          "use a name such as sda or hda, whose letters give the unit, or add an <address type='drive'>");
            move_disk(chk, d, d->bus, "libvirt cannot place its old name");
        } else {
            check_target_name(chk, d);
        }
        for (guint j = 0; j < i; j++) {
            const dl_device *o = g_ptr_array_index(devs, j);
            domlint_diag *diag;
            if (o->kind != DL_DEV_DISK || !dl_str_eq(o->target_dev, d->target_dev))
                continue;
            diag = dl_error(chk, d->node, "two disks use target '%s'", d->target_dev);
            dl_diag_fixit(diag, "give one of the disks another target name, such as the next free letter");
            dl_diag_note(chk, diag, o->node, "the first disk with target '%s' is here", d->target_dev);
            if (d->bus)
                move_disk(chk, d, d->bus, "another disk has its name");
            break;
        }
    }
}

const dl_rule dl_rule_disk_target = {
    .id = "disk-target",
    .summary = "disk target names are unique, name whole disks (not partitions) and, without an address, are names libvirt can turn into one",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_targets,
};

/* ----------------------------------------------------------- disk-media */

static void
check_disk_media(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->kind != DL_DEV_DISK)
            continue;
        if ((dl_str_eq(d->device, "cdrom") || dl_str_eq(d->device, "floppy")) &&
            (dl_str_eq(d->bus, "virtio") || dl_str_eq(d->bus, "sd") || dl_str_eq(d->bus, "xen")))
        {
            dl_diag_fixit(dl_error(chk, d->node, "%s '%s' is on bus '%s', which has no removable media",
                                   d->device, disk_name(d), d->bus),
                          "use bus='%s', which has removable media", fallback_bus(chk, d) ? fallback_bus(chk, d) : "scsi");
            if (chk->family && fallback_bus(chk, d))
                move_disk(chk, d, fallback_bus(chk, d), "its bus has no removable media");
        }
        else if (dl_str_eq(d->device, "floppy") && d->bus && !dl_str_eq(d->bus, "fdc"))
        {
            dl_diag_fixit(dl_error(chk, d->node, "floppy '%s' must use bus='fdc', not '%s'", disk_name(d), d->bus),
                          "use bus='fdc'");
            move_disk(chk, d, "fdc", "floppies sit on the floppy controller");
        }
    }
}

const dl_rule dl_rule_disk_media = {
    .id = "disk-media",
    .summary = "cdrom and floppy drives are on buses that have removable media",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_media,
};

/* --------------------------------------------------- scsi-hostdev-address */

/* The SCSI drive address a disk or SCSI host device occupies. */
static gboolean
scsi_slot(const dl_device *d, dl_drive_addr *out)
{
    if (d->kind == DL_DEV_DISK && dl_str_eq(d->bus, "scsi")) {
        *out = dl_drive_address(d);
        return out->known;
    }
    if (d->kind == DL_DEV_HOSTDEV && dl_str_eq(d->subsys, "scsi") && d->addr.type == DL_ADDR_DRIVE) {
        *out = dl_drive_address(d);
        return out->known;
    }
    return FALSE;
}

static gboolean
same_drive(const dl_drive_addr *a, const dl_drive_addr *b)
{
    return a->controller == b->controller && a->bus == b->bus && a->target == b->target &&
           a->unit == b->unit;
}

static void
check_scsi_hostdev(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        dl_drive_addr a, b;
        if (d->kind != DL_DEV_HOSTDEV || !scsi_slot(d, &a))
            continue;
        for (guint j = 0; j < devs->len; j++) {
            const dl_device *o = g_ptr_array_index(devs, j);
            g_autofree char *where = NULL;
            domlint_diag *diag;
            if (o == d || !scsi_slot(o, &b) || !same_drive(&a, &b))
                continue;
            if (o->kind == DL_DEV_HOSTDEV && j > i)
                continue;     /* two host devices: reported once, on the later one */
            where = drive_str(&a);
            if (o->kind == DL_DEV_DISK)
                diag = dl_error(chk, d->addr.node, "SCSI host device uses drive address %s, which SCSI disk '%s' already uses%s",
                                where, disk_name(o), b.derived ? " (derived from its target name)" : "");
            else
                diag = dl_error(chk, d->addr.node, "SCSI host device uses drive address %s, which another SCSI host device already uses",
                                where);
            dl_diag_note(chk, diag, dl_addr_node(o), "it is used here");
            dl_diag_fixit(diag, "give the host device another unit, or remove its <address> (libvirt assigns a free one)");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "another SCSI device has it");
            break;
        }
    }
}

const dl_rule dl_rule_scsi_hostdev_address = {
    .id = "scsi-hostdev-address",
    .summary = "SCSI host devices do not share a drive address with each other or with SCSI disks (derived addresses included)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_scsi_hostdev,
};

/* ------------------------------------------------------------ disk-format */

/* The storage format of a disk or <backingStore> (its <driver type> or
 * <format type>); NULL when none is written. */
static const char *
written_format(const xmlNode *node, gboolean backing)
{
    if (backing)
        return dl_xml_attr(dl_xml_child(node, "format"), "type");
    return dl_xml_attr(dl_xml_child(node, "driver"), "type");
}

/*
 * The format libvirt will use for disk D: written, or raw, which its QEMU
 * driver sets for every disk but a storage pool volume (whose format the
 * pool decides: NULL, unknown here).
 */
static const char *
disk_format(const dl_device *d)
{
    const char *format = written_format(d->node, FALSE);

    if (format && *format)
        return format;
    return dl_str_eq(d->type, "volume") ? NULL : "raw";
}

/* What libvirt says of a storage format QEMU cannot open, or NULL. */
static const char *
refused_format(const char *format)
{
    if (dl_str_eq(format, "cow"))
        return "QEMU has no driver for the old 'cow' format: convert the image with qemu-img";
    if (dl_str_eq(format, "dir"))
        return "QEMU does not open a directory as an image format: use <disk type='dir'> instead";
    if (dl_str_eq(format, "iso"))
        return "QEMU reads an ISO image as plain data: use type='raw'";
    return NULL;
}

static void
check_format_chain(dl_check *chk, const dl_device *d)
{
    const xmlNode *layer = d->node;
    gboolean backing = FALSE;

    /* the disk and each image of its backing chain, as libvirt validates them */
    while (layer) {
        const char *format = written_format(layer, backing);
        const char *why = refused_format(format);
        if (why)
            dl_diag_fixit(dl_error(chk, layer, "%s '%s' uses storage format '%s', which libvirt's QEMU driver refuses: %s",
                                   backing ? "a backing image of disk" : "disk", disk_name(d), format, why),
                          dl_str_eq(format, "iso") ? "use type='raw': an ISO image is raw data" : "convert the image with 'qemu-img convert -O qcow2' and set <driver type='qcow2'>");
        /* an ISO image is raw data: the format libvirt names is the same bytes */
        if (why && dl_str_eq(format, "iso"))
            dl_fix_set(dl_fix_new(chk, DL_SAFE, layer, "gave %s '%s' format 'raw': an ISO image is read as raw data", backing ? "a backing image of disk" : "disk", disk_name(d)),
                       dl_xml_child(layer, backing ? "format" : "driver"), "type", "raw");
        layer = dl_xml_child(layer, "backingStore");
        backing = TRUE;
    }
}

static void
check_disk_formats(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const char *format;

        if (d->kind != DL_DEV_DISK || d->implicit)
            continue;
        check_format_chain(chk, d);
        format = disk_format(d);
        /* cdroms are always read-only to libvirt */
        if (dl_device_child(d, "shareable") && !dl_device_child(d, "readonly") &&
            !dl_str_eq(d->device, "cdrom") && format && !dl_str_eq(format, "raw"))
            dl_diag_fixit(dl_error(chk, d->node, "disk '%s' is <shareable/> with format '%s', but only raw images can be written by two guests at once: use type='raw' or add <readonly/>",
                                   disk_name(d), format),
                          "use a raw image with <driver type='raw'>, or add <readonly/>");
    }
}

const dl_rule dl_rule_disk_format = {
    .id = "disk-format",
    .summary = "disk images use a storage format QEMU opens (not cow, dir or iso), and shared writable disks are raw",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_formats,
};

/* ----------------------------------------------------------- disk-secrets */

/* The secret usage types libvirt knows (virSecretUsageType). */
static gboolean
known_secret_type(const char *type)
{
    static const char *const types[] = { "none", "volume", "ceph", "iscsi", "tls", "vtpm", NULL };

    for (gsize i = 0; types[i]; i++) {
        if (dl_str_eq(type, types[i]))
            return TRUE;
    }
    return FALSE;
}

/* <auth> and <encryption> may sit in <disk> or in its <source>, not in both. */
static void
check_given_once(dl_check *chk, const dl_device *d, const xmlNode *source, const char *what)
{
    xmlNode *inner = dl_xml_child(source, what);
    xmlNode *outer = dl_device_child(d, what);
    domlint_diag *diag;

    if (!inner || !outer)
        return;
    diag = dl_error(chk, outer, "disk '%s' has an <%s> in <disk> and another in its <source>, and libvirt takes only one: keep the one in <source>",
                    disk_name(d), what);
    dl_diag_fixit(diag, "remove the <%s> from <disk> and keep the one in <source>", what);
    dl_diag_note(chk, diag, inner, "the one in <source> is here");
}

static void
check_auth_secret(dl_check *chk, const dl_device *d, const xmlNode *source)
{
    xmlNode *auth = dl_xml_child(source, "auth");
    const char *protocol = dl_xml_attr(source, "protocol");
    const char *type;
    const char *want = NULL;

    if (!auth)
        auth = dl_device_child(d, "auth");
    if (!auth || !dl_str_eq(d->type, "network"))
        return;
    type = dl_xml_attr(dl_xml_child(auth, "secret"), "type");
    if (!type)
        return;
    if (!known_secret_type(type)) {
        dl_diag_fixit(dl_error(chk, auth, "disk '%s' authenticates with a secret of type '%s', which libvirt does not know: use 'iscsi' or 'ceph'",
                               disk_name(d), type),
                      "use <secret type='iscsi'> for iSCSI or <secret type='ceph'> for RBD");
        return;
    }
    if (dl_str_eq(protocol, "iscsi"))
        want = "iscsi";
    else if (dl_str_eq(protocol, "rbd"))
        want = "ceph";
    if (want && !dl_str_eq(type, want))
        dl_diag_fixit(dl_error(chk, auth, "disk '%s' uses protocol '%s', whose login secret has type '%s', not '%s'",
                               disk_name(d), protocol, want, type),
                      "use <secret type='%s'>", want);
}

/*
 * The QEMU encryption engine (libvirt's default) decrypts LUKS inside raw
 * and qcow2 images only, and does not do LUKS2 (libvirt 9.0 and later say so
 * at define; older ones leave it to QEMU).
 */
static void
check_encryption(dl_check *chk, const dl_device *d, const xmlNode *source)
{
    xmlNode *enc = dl_xml_child(source, "encryption");
    const char *format;
    const char *image = disk_format(d);

    if (!enc)
        enc = dl_device_child(d, "encryption");
    if (!enc || !dl_releases_behaviour(chk->ctx->releases, "disk-encryption-engine-checks", chk->ctx->target))
        return;
    if (dl_xml_attr(enc, "engine") && !dl_str_eq(dl_xml_attr(enc, "engine"), "qemu"))
        return;
    format = dl_xml_attr(enc, "format");
    if (dl_str_eq(format, "luks2"))
        dl_diag_fixit(dl_error(chk, enc, "disk '%s' uses LUKS2 encryption, which the QEMU encryption engine does not support: use format='luks'",
                               disk_name(d)),
                      "use format='luks'");
    else if ((dl_str_eq(format, "luks") || dl_str_eq(format, "qcow")) && image &&
             !dl_str_eq(image, "raw") && !dl_str_eq(image, "qcow2"))
        dl_diag_fixit(dl_error(chk, enc, "disk '%s' is encrypted, but QEMU decrypts only raw and qcow2 images, not format '%s'",
                               disk_name(d), image),
                      "use a raw or qcow2 image (qemu-img convert), or remove the <encryption>");
}

static void
check_disk_secrets(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *source;

        if (d->kind != DL_DEV_DISK || d->implicit)
            continue;
        source = dl_device_child(d, "source");
        check_given_once(chk, d, source, "auth");
        check_given_once(chk, d, source, "encryption");
        check_auth_secret(chk, d, source);
        check_encryption(chk, d, source);
    }
}

const dl_rule dl_rule_disk_secrets = {
    .id = "disk-secrets",
    .summary = "a disk's <auth> and <encryption> are given once, the login secret fits the protocol, and QEMU can decrypt the image format",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_secrets,
};

/* --------------------------------------------------------------- disk-vpd */

static void
check_disk_vpd(dl_check *chk)
{
    /* libvirt 11.3 lets IDE and SATA disks have a product name too */
    gboolean ata_product = dl_releases_behaviour(chk->ctx->releases, "disk-product-on-ata", chk->ctx->target);

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *vendor, *product, *wwn;
        gboolean ata;

        if (d->kind != DL_DEV_DISK || d->implicit || !d->bus || dl_str_eq(d->bus, "scsi"))
            continue;
        vendor = dl_device_child(d, "vendor");
        product = dl_device_child(d, "product");
        wwn = dl_device_child(d, "wwn");
        if (wwn && !dl_str_eq(d->bus, "ide"))
            dl_diag_fixit(dl_error(chk, wwn, "disk '%s' is on bus '%s', but only IDE and SCSI disks report a WWN: remove <wwn> or use bus='scsi'",
                                   disk_name(d), d->bus),
                          "remove <wwn>, or use bus='scsi'");
        ata = dl_str_eq(d->bus, "ide") || dl_str_eq(d->bus, "sata");
        if (vendor)
            dl_diag_fixit(dl_error(chk, vendor, "disk '%s' is on bus '%s', but only SCSI disks report a vendor: remove <vendor> or use bus='scsi'",
                                   disk_name(d), d->bus),
                          "remove <vendor>, or use bus='scsi'");
        if (product && !(ata && ata_product))
            dl_diag_fixit(dl_error(chk, product, "disk '%s' is on bus '%s', but only %s disks report a product: remove <product> or use bus='scsi'",
                                   disk_name(d), d->bus, ata_product ? "IDE, SATA and SCSI" : "SCSI"),
                          "remove <product>, or use bus='scsi'");
    }
}

const dl_rule dl_rule_disk_vpd = {
    .id = "disk-vpd",
    .summary = "<vendor>, <product> and <wwn> only on disks whose bus reports them (SCSI; a WWN on IDE too; IDE and SATA products from libvirt 11.3)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_vpd,
};

/* ---------------------------------------------------------- disk-geometry */

static void
check_disk_geometry(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *geometry;
        const char *trans;

        if (d->kind != DL_DEV_DISK || d->implicit || !d->bus)
            continue;
        geometry = dl_device_child(d, "geometry");
        if (!geometry)
            continue;
        trans = dl_xml_attr(geometry, "trans");
        if (dl_str_eq(d->bus, "usb"))
            dl_diag_fixit(dl_error(chk, geometry, "disk '%s' is on bus 'usb', which takes no CHS geometry: remove <geometry>",
                                   disk_name(d)),
                          "remove <geometry>");
        else if (trans && !dl_str_eq(d->bus, "ide"))
            dl_diag_fixit(dl_error(chk, geometry, "disk '%s' is on bus '%s', but only IDE disks have a CHS translation: remove trans='%s'",
                                   disk_name(d), d->bus, trans),
                          "remove the trans attribute of <geometry>");
    }
}

const dl_rule dl_rule_disk_geometry = {
    .id = "disk-geometry",
    .summary = "<geometry> not on USB disks, and its CHS translation (trans) on IDE disks only",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_disk_geometry,
};
