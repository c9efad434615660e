/*
 * convert-disks.c - disks on the bus the target chipset has builtin
 *
 * i440fx has an IDE controller (two channels, master and slave: hda-hdd),
 * q35 an AHCI controller (six ports on controller 0, sda-sdf) and no IDE at
 * all.  Going to q35 every IDE disk becomes SATA; going to i440fx the SATA
 * disks of controller 0 become IDE when the four IDE places hold them all,
 * else they stay SATA (an AHCI controller works on i440fx too).  Names keep
 * their letter where it is free, and a drive address written in the input
 * is the one libvirt derives from the new name.  Floppies stay; q35 from
 * 2.4 on has no builtin floppy controller, and libvirt adds an isa-fdc.
 */
#include "config.h"

#include <string.h>

#include "convert/convert-internal.h"

/* IDE: controller 0, two buses of two units */
#define IDE_PLACES 4
/* AHCI ports on one SATA controller */
#define SATA_PORTS 6

/* The bus a disk is on: its <target bus>, else what libvirt derives from the name. */
static const char *
disk_bus(const dl_device *d)
{
    if (d->bus)
        return d->bus;
    if (d->target_dev && g_str_has_prefix(d->target_dev, "hd"))
        return "ide";
    if (d->target_dev && g_str_has_prefix(d->target_dev, "fd"))
        return "fdc";
    return NULL;
}

/* The place of a one-letter name after PREFIX ("hdc" -> 2), or -1. */
static int
name_index(const char *dev, const char *prefix)
{
    gsize n = strlen(prefix);

    if (!dev || strncmp(dev, prefix, n) != 0 || strlen(dev) != n + 1)
        return -1;
    if (dev[n] < 'a' || dev[n] > 'z')
        return -1;
    return dev[n] - 'a';
}

/* PREFIX with letter WANT when free, else the first free of the LIMIT first; NULL when none. */
static char *
pick_name(GHashTable *used, const char *prefix, int want, int limit)
{
    if (want >= 0 && want < limit) {
        char *name = g_strdup_printf("%s%c", prefix, 'a' + want);
        if (!g_hash_table_contains(used, name))
            return name;
        g_free(name);
    }
    for (int i = 0; i < limit; i++) {
        char *name = g_strdup_printf("%s%c", prefix, 'a' + i);
        if (!g_hash_table_contains(used, name))
            return name;
        g_free(name);
    }
    return NULL;
}

static GHashTable *
used_names(const dl_domain *dom)
{
    GHashTable *used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(dom->devices, i);
        if (d->node && d->kind == DL_DEV_DISK && d->target_dev)
            g_hash_table_add(used, g_strdup(d->target_dev));
    }
    return used;
}

static void
set_num(dl_conv *cv, const xmlNode *node, const char *attr, int value)
{
    g_autofree char *v = g_strdup_printf("%d", value);

    dl_conv_set(cv, node, attr, v);
}

/* D onto BUS as NAME; its drive address, when written, the one libvirt derives from NAME. */
static void
move_disk(dl_conv *cv, const dl_device *d, const char *bus, const char *name)
{
    xmlNode *target = dl_device_child(d, "target");
    const xmlNode *addr = d->addr.type == DL_ADDR_DRIVE ? d->addr.node : NULL;
    int idx = name_index(name, dl_str_eq(bus, "ide") ? "hd" : "sd");

    dl_conv_set(cv, target, "bus", bus);
    dl_conv_set(cv, target, "dev", name);
    if (addr && dl_str_eq(bus, "ide")) {
        dl_conv_set(cv, addr, "controller", "0");
        set_num(cv, addr, "bus", (idx % IDE_PLACES) / 2);
        dl_conv_set(cv, addr, "target", "0");
        set_num(cv, addr, "unit", idx % 2);
    } else if (addr) {
        set_num(cv, addr, "controller", idx / SATA_PORTS);
        dl_conv_set(cv, addr, "bus", "0");
        dl_conv_set(cv, addr, "target", "0");
        set_num(cv, addr, "unit", idx % SATA_PORTS);
    }
    dl_conv_note(cv, d->node, TRUE, "%s %s '%s' is now %s '%s'",
                 dl_str_eq(bus, "ide") ? "SATA" : "IDE", d->device ? d->device : "disk",
                 d->target_dev, dl_str_eq(bus, "ide") ? "IDE" : "SATA", name);
    cv->res->new_disks = TRUE;
}

/* The controllers of type FROM become TO, or go where TO already has that index. */
static void
retype_controllers(dl_conv *cv, const char *from, const char *to)
{
    const dl_domain *dom = cv->chk->dom;

    for (guint i = 0; i < dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(dom->devices, i);

        if (!d->node || d->kind != DL_DEV_CONTROLLER || !dl_str_eq(d->type, from))
            continue;
        /* a second AHCI controller is an ordinary PCI device on i440fx */
        if (d->auto_index != 0 && dl_str_eq(from, "sata"))
            continue;
        if (d->auto_index != 0 || dl_domain_controller(dom, to, 0)) {
            dl_conv_remove(cv, d->node);
            dl_conv_note(cv, d->node, TRUE, "removed the %s controller %d: %s has no %s controller it could be",
                         from, d->auto_index, cv->to->id, from);
            continue;
        }
        dl_conv_set(cv, d->node, "type", to);
        dl_conv_unset(cv, d->node, "model");
        g_hash_table_add(cv->drop_addr, (gpointer) d);
        dl_conv_note(cv, d->node, TRUE, "the %s controller 0 is now the %s controller %s has builtin",
                     from, to, cv->to->id);
    }
}

/*
 * What only an IDE disk D may carry, before it becomes SATA (libvirt's disk
 * validation): a <wwn>, which IDE and SCSI disks alone report, is the
 * guest's name for the disk, so it is not dropped: FALSE, refused; a CHS
 * translation (<geometry trans>) is IDE's alone and goes, with a note.
 */
static gboolean
ide_only_data(dl_conv *cv, const dl_device *d)
{
    xmlNode *wwn = dl_device_child(d, "wwn");
    xmlNode *geometry = dl_device_child(d, "geometry");
    g_autofree char *what = dl_device_describe(d);

    if (wwn) {
        dl_conv_error(cv, wwn, "the %s cannot become a SATA disk: only IDE and SCSI disks carry a <wwn>; remove it, or move the disk to bus='scsi', first", what);
        return FALSE;
    }
    if (geometry && dl_xml_attr(geometry, "trans")) {
        dl_conv_unset(cv, geometry, "trans");
        dl_conv_note(cv, geometry, TRUE, "the CHS translation trans='%s' of the %s goes: only IDE disks have one",
                     dl_xml_attr(geometry, "trans"), what);
    }
    return TRUE;
}

static void
ide_to_sata(dl_conv *cv)
{
    const dl_domain *dom = cv->chk->dom;
    g_autoptr(GHashTable) used = used_names(dom);

    for (guint i = 0; i < dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(dom->devices, i);
        g_autofree char *name = NULL;
        g_autofree char *what = NULL;

        if (!d->node || d->kind != DL_DEV_DISK || !dl_str_eq(disk_bus(d), "ide"))
            continue;
        if (!ide_only_data(cv, d))
            continue;
        name = pick_name(used, "sd", name_index(d->target_dev, "hd"), 26);
        if (!name) {
            what = dl_device_describe(d);
            dl_conv_error(cv, d->node, "the %s cannot become a SATA disk: every name sda-sdz is taken", what);
            continue;
        }
        g_hash_table_add(used, g_strdup(name));
        move_disk(cv, d, "sata", name);
    }
    retype_controllers(cv, "ide", "sata");
}

/* Is D a SATA disk of controller 0? */
static gboolean
on_sata0(const dl_device *d)
{
    int idx = name_index(d->target_dev, "sd");

    if (d->kind != DL_DEV_DISK || !dl_str_eq(disk_bus(d), "sata"))
        return FALSE;
    if (d->addr.type == DL_ADDR_DRIVE && d->addr.controller.present)
        return d->addr.controller.valid && d->addr.controller.value == 0;
    return idx >= 0 && idx < SATA_PORTS;
}

static void
sata_to_ide(dl_conv *cv)
{
    const dl_domain *dom = cv->chk->dom;
    g_autoptr(GHashTable) used = used_names(dom);
    guint n = 0, sata = 0;

    for (guint i = 0; i < dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(dom->devices, i);
        if (d->node && on_sata0(d))
            n++;
        if (d->node && d->kind == DL_DEV_DISK && dl_str_eq(disk_bus(d), "sata"))
            sata++;
    }
    if (n > IDE_PLACES || sata > n) {
        dl_conv_note(cv, dom->devices_node, FALSE, "the SATA disks stay SATA: %s, and an AHCI controller works on i440fx too",
                     n > IDE_PLACES ? "IDE has four places" : "some are on another SATA controller");
        return;
    }
    for (guint i = 0; i < dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(dom->devices, i);
        g_autofree char *name = NULL;

        if (!d->node || !on_sata0(d))
            continue;
        name = pick_name(used, "hd", name_index(d->target_dev, "sd"), IDE_PLACES);
        g_hash_table_add(used, g_strdup(name));
        move_disk(cv, d, "ide", name);
    }
    retype_controllers(cv, "sata", "ide");
}

/* Floppies: a bus the target must have, and on q35 from 2.4 an isa-fdc libvirt adds. */
static void
check_floppies(dl_conv *cv)
{
    const dl_domain *dom = cv->chk->dom;

    for (guint i = 0; i < dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(dom->devices, i);
        g_autofree char *what = NULL;

        if (!d->node || d->kind != DL_DEV_DISK || !dl_str_eq(disk_bus(d), "fdc"))
            continue;
        what = dl_device_describe(d);
        if (!dl_family_has_disk_bus(cv->to, "fdc")) {
            dl_conv_error(cv, d->node, "the %s cannot be converted: %s machines have no floppy controller", what, cv->to->id);
            continue;
        }
        if (!dl_family_has_builtin_fdc(cv->to, cv->to_canonical))
            dl_conv_note(cv, d->node, FALSE, "the %s stays: %s has no builtin floppy controller, and libvirt adds an isa-fdc for it",
                         what, cv->to_canonical);
    }
}

void
dl_convert_disks(dl_conv *cv)
{
    check_floppies(cv);
    if (!cv->cross)
        return;
    if (dl_str_eq(cv->to->id, "q35"))
        ide_to_sata(cv);
    else
        sata_to_ide(cv);
}
