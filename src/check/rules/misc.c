/*
 * misc.c - rules about the other address types (CCW, spapr-vio, zPCI) and
 * the devices whose placement depends on the machine (panic, IOMMU, ramfb,
 * host devices, SMM TSEG, pSeries-only features)
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "fix/fix.h"

/* ---------------------------------------------------------- address-type */

static const struct {
    dl_addr_type type;
    const char *name;
} machine_addr_types[] = {
    { DL_ADDR_CCW, "ccw" },
    { DL_ADDR_SPAPR_VIO, "spapr-vio" },
    { DL_ADDR_VIRTIO_MMIO, "virtio-mmio" },
};

static void
check_address_type(dl_check *chk)
{
    if (!chk->family)
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        g_autofree char *what = NULL;

        if (d->addr.type == DL_ADDR_VIRTIO_S390) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "'virtio-s390' addresses are no longer supported; use 'ccw'"),
                          "use <address type='ccw'>, or remove the <address>");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "virtio-s390 addresses no longer exist");
            continue;
        }
        for (gsize t = 0; t < G_N_ELEMENTS(machine_addr_types); t++) {
            if (d->addr.type != machine_addr_types[t].type ||
                dl_family_has_address_type(chk->family, machine_addr_types[t].name))
                continue;
            what = dl_device_describe(d);
            dl_diag_fixit(dl_error(chk, d->addr.node, "%s has a '%s' address, but the %s machine '%s' has no %s bus",
                                   what, machine_addr_types[t].name, chk->family->title, dl_machine_label(chk),
                                   machine_addr_types[t].name),
                          "remove the <address> (libvirt gives the device one of the machine's buses)");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "the machine has no such bus");
        }
        if (d->addr.zpci && !dl_family_has_address_type(chk->family, "ccw"))
        {
            dl_diag_fixit(dl_error(chk, d->addr.zpci, "zPCI (<zpci>) exists only on s390 machines, not on '%s'",
                                   dl_machine_label(chk)),
                          "remove the <zpci> from the <address>");
            dl_fix_remove(dl_fix_new(chk, DL_SAFE, d->addr.zpci, "removed the <zpci> part of an address on a machine without zPCI"),
                          d->addr.zpci);
        }
    }
}

const dl_rule dl_rule_address_type = {
    .id = "address-type",
    .summary = "CCW, spapr-vio, virtio-mmio and zPCI addresses only on machines that have those buses",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_address_type,
};

/* ------------------------------------------------------------ ccw-address */

static void
check_ccw(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        const dl_address *a = &d->addr;
        domlint_diag *diag;

        if (a->type != DL_ADDR_CCW || d->alias_of)
            continue;
        if (!a->cssid.present && !a->ssid.present && !a->devno.present)
            continue;
        if (!a->cssid.present || !a->ssid.present || !a->devno.present) {
            dl_diag_fixit(dl_error(chk, a->node, "a CCW address needs all of cssid, ssid and devno, or none of them"),
                          "give all of cssid, ssid and devno, or remove the <address>");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "incomplete");
            continue;
        }
        if (!a->cssid.valid || !a->ssid.valid || !a->devno.valid || a->cssid.value > 0xfe ||
            a->ssid.value > 3 || a->devno.value > 0xffff) {
            dl_diag_fixit(dl_error(chk, a->node, "CCW address %s.%s.%s is out of range (cssid <= 0xfe, ssid <= 3, devno <= 0xffff)",
                                   a->cssid.text, a->ssid.text, a->devno.text),
                          "use cssid 0 to 0xfe, ssid 0 to 3 and devno 0 to 0xffff, or remove the <address>");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "out of range");
            continue;
        }
        for (guint j = 0; j < i; j++) {
            const dl_address *b = &((const dl_device *) g_ptr_array_index(devs, j))->addr;
            if (b->type != DL_ADDR_CCW || !b->devno.valid || b->cssid.value != a->cssid.value ||
                b->ssid.value != a->ssid.value || b->devno.value != a->devno.value)
                continue;
            diag = dl_error(chk, a->node, "CCW devno %" G_GINT64_MODIFIER "x.%" G_GINT64_MODIFIER "x.%04" G_GINT64_MODIFIER "x is used twice",
                            a->cssid.value, a->ssid.value, a->devno.value);
            dl_diag_fixit(diag, "give one of the devices another devno, or remove its <address>");
            dl_diag_note(chk, diag, b->node, "it is first used here");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "another device has that devno");
            break;
        }
    }
}

const dl_rule dl_rule_ccw_address = {
    .id = "ccw-address",
    .summary = "CCW addresses are complete, in range and unique",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_ccw,
};

/* ------------------------------------------------------ spapr-vio-address */

static void
check_spapr_vio(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        const dl_address *a = &d->addr;
        domlint_diag *diag;

        if (a->type != DL_ADDR_SPAPR_VIO || !a->reg.present || d->alias_of)
            continue;
        if (!a->reg.valid || a->reg.value > 0xffffffffULL) {
            dl_diag_fixit(dl_error(chk, a->node, "spapr-vio reg '%s' is out of range: the maximum is 0xffffffff", a->reg.text),
                          "use a reg from 0 to 0xffffffff, or remove the <address>");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "out of range");
            continue;
        }
        for (guint j = 0; j < i; j++) {
            const dl_address *b = &((const dl_device *) g_ptr_array_index(devs, j))->addr;
            if (b->type != DL_ADDR_SPAPR_VIO || !b->reg.valid || b->reg.value != a->reg.value)
                continue;
            diag = dl_error(chk, a->node, "spapr-vio address 0x%" G_GINT64_MODIFIER "x is used twice", a->reg.value);
            dl_diag_fixit(diag, "give one of the devices another reg, or remove its <address>");
            dl_diag_note(chk, diag, b->node, "it is first used here");
            dl_fix_drop_address(chk, DL_VISIBLE, d, "another device has it");
            break;
        }
    }
}

const dl_rule dl_rule_spapr_vio_address = {
    .id = "spapr-vio-address",
    .summary = "spapr-vio reg values fit 32 bits and are unique",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_spapr_vio,
};

/* ------------------------------------------------------------------- zpci */

/* Remove zPCI ATTR (uid, fid) from A, for libvirt to assign one (WHY). */
static void
drop_zpci_id(dl_check *chk, const dl_address *a, const char *attr, const char *why)
{
    dl_fix_unset(dl_fix_new(chk, DL_VISIBLE, a->zpci, "removed the zPCI %s '%s' (%s): libvirt assigns a free one",
                            attr, dl_xml_attr(a->zpci, attr), why),
                 a->zpci, attr);
}

static void
check_zpci(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_address *a = &((const dl_device *) g_ptr_array_index(devs, i))->addr;

        if (!a->zpci)
            continue;
        if (a->zpci_uid.present && (!a->zpci_uid.valid || a->zpci_uid.value == 0 || a->zpci_uid.value > 0xffff)) {
            dl_diag_fixit(dl_error(chk, a->zpci, "zPCI uid '%s' is out of range: it must be 0x0001-0xffff", a->zpci_uid.text),
                          "use a uid from 0x0001 to 0xffff, or remove uid=");
            drop_zpci_id(chk, a, "uid", "out of range");
        }
        if (a->zpci_fid.present && (!a->zpci_fid.valid || a->zpci_fid.value > 0xffffffffULL)) {
            dl_diag_fixit(dl_error(chk, a->zpci, "zPCI fid '%s' is out of range: the maximum is 0xffffffff", a->zpci_fid.text),
                          "use a fid from 0 to 0xffffffff, or remove fid=");
            drop_zpci_id(chk, a, "fid", "out of range");
        }
        for (guint j = 0; j < i; j++) {
            const dl_address *b = &((const dl_device *) g_ptr_array_index(devs, j))->addr;
            domlint_diag *diag = NULL;
            if (!b->zpci)
                continue;
            if (a->zpci_uid.valid && b->zpci_uid.valid && a->zpci_uid.value == b->zpci_uid.value) {
                diag = dl_error(chk, a->zpci, "zPCI uid 0x%04" G_GINT64_MODIFIER "x is used twice", a->zpci_uid.value);
                dl_diag_fixit(diag, "give one of the devices another uid, or remove uid= (libvirt assigns one)");
                drop_zpci_id(chk, a, "uid", "another device has it");
            } else if (a->zpci_fid.valid && b->zpci_fid.valid && a->zpci_fid.value == b->zpci_fid.value) {
                diag = dl_error(chk, a->zpci, "zPCI fid 0x%" G_GINT64_MODIFIER "x is used twice", a->zpci_fid.value);
                dl_diag_fixit(diag, "give one of the devices another fid, or remove fid= (libvirt assigns one)");
                drop_zpci_id(chk, a, "fid", "another device has it");
            }
            if (diag) {
                dl_diag_note(chk, diag, b->zpci, "it is first used here");
                break;
            }
        }
    }
}

const dl_rule dl_rule_zpci = {
    .id = "zpci-address",
    .summary = "zPCI uid and fid are in range and unique",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_zpci,
};

/* --------------------------------------------------------- hostdev-source */

/* " name=value" for each attribute of NODE, numbers normalised so that 0x0a and 10 compare equal. */
static void
append_attrs(GString *key, const xmlNode *node)
{
    for (xmlAttr *a = node->properties; a; a = a->next) {
        g_autofree char *v = (char *) xmlNodeGetContent((xmlNode *) a);
        dl_num n = dl_num_parse(v, 0);
        if (n.valid)
            g_string_append_printf(key, " %s=%" G_GUINT64_FORMAT, (const char *) a->name, n.value);
        else
            g_string_append_printf(key, " %s=%s", (const char *) a->name, v ? v : "");
    }
}

/*
 * What identifies the host device behind a <hostdev>: its <source>'s
 * protocol, iSCSI target name and vhost wwpn, and the attributes of its children
 * (address, vendor, product, adapter).  An iSCSI LUN is its target name and
 * first host, as libvirt compares them: its <auth> and <initiator> do not
 * make it another LUN.  NULL when there is no source.
 */
static char *
source_key(const dl_device *d)
{
    xmlNode *source = d->source_address ? d->source_address->parent : NULL;
    gboolean network;
    g_autoptr(GString) key = NULL;

    if (!source)
        source = dl_device_child(d, "source");
    if (!source)
        return NULL;
    network = dl_xml_attr(source, "protocol") != NULL && dl_str_eq(d->subsys, "scsi");
    key = g_string_new(d->subsys ? d->subsys : "");
    /* startupPolicy and writeFiltering say how, not which */
    g_string_append_printf(key, " protocol=%s name=%s wwpn=%s", dl_xml_attr(source, "protocol") ? dl_xml_attr(source, "protocol") : "",
                           dl_xml_attr(source, "name") ? dl_xml_attr(source, "name") : "",
                           dl_xml_attr(source, "wwpn") ? dl_xml_attr(source, "wwpn") : "");
    for (xmlNode *c = source->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (network && strcmp((const char *) c->name, "host") != 0)
            continue;
        g_string_append_printf(key, "|%s", (const char *) c->name);
        append_attrs(key, c);
        if (network)
            break;     /* the first host only */
    }
    return g_string_free(g_steal_pointer(&key), FALSE);
}

static void
check_hostdev_source(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *d = g_ptr_array_index(devs, i);
        g_autofree char *key = NULL;
        if (d->kind != DL_DEV_HOSTDEV)
            continue;
        key = source_key(d);
        if (!key)
            continue;
        for (guint j = 0; j < i; j++) {
            const dl_device *o = g_ptr_array_index(devs, j);
            g_autofree char *okey = NULL;
            domlint_diag *diag;
            if (o->kind != DL_DEV_HOSTDEV)
                continue;
            okey = source_key(o);
            if (!okey || strcmp(key, okey) != 0)
                continue;
            diag = dl_error(chk, d->node, "the same %s host device is assigned twice", d->subsys ? d->subsys : "");
            dl_diag_fixit(diag, "remove one of the two <hostdev> elements");
            dl_diag_note(chk, diag, o->node, "it is first assigned here");
            break;
        }
    }
}

const dl_rule dl_rule_hostdev_source = {
    .id = "hostdev-duplicate",
    .summary = "a host device is assigned to the guest only once",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_hostdev_source,
};

/* --------------------------------------------------------- device-address */

/* Devices whose catalogue model takes no address, or only one type (address=). */
static void
check_device_address(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const char *model = NULL;
        const dl_dev_model *m;

        if (d->addr.type == DL_ADDR_NONE)
            continue;
        m = dl_device_model_or_default(chk, d, &model);
        if (!m || !m->address)
            continue;
        if (strcmp(m->address, "none") == 0) {
            dl_diag_fixit(dl_error(chk, d->addr.node, "the %s %s device is on no bus and takes no address",
                                   model, dl_dev_kind_name(d->kind)),
                          "remove the <address>");
            dl_fix_drop_address(chk, DL_SAFE, d, "it is on no bus");
        } else if (!dl_str_eq(d->addr.type_name, m->address)) {
            g_autofree char *why = g_strdup_printf("it needs a '%s' address", m->address);

            dl_diag_fixit(dl_error(chk, d->addr.node, "the %s %s device needs a '%s' address, not '%s'",
                                   model, dl_dev_kind_name(d->kind), m->address, d->addr.type_name),
                          "use a '%s' address, or remove the <address>", m->address);
            dl_fix_drop_address(chk, DL_VISIBLE, d, why);
        }
    }
}

const dl_rule dl_rule_device_address = {
    .id = "device-address",
    .summary = "devices that sit on no bus (pSeries/s390 panic, ramfb) take no address; virtio IOMMU and vfio-ccw take the right type (data/devices address=)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_device_address,
};

/* -------------------------------------------------------- machine-feature */

/*
 * A size as libvirt's virScaleInteger() reads it: NUMBER in UNIT (b, KiB or
 * k, KB, MiB or M...), DEFAULT_SCALE bytes per unit when UNIT is absent.
 * FALSE when either cannot be read or the bytes overflow.
 */
static gboolean
scaled_bytes(const char *number, const char *unit, guint64 default_scale, guint64 *bytes)
{
    dl_num n = dl_num_parse(number, 10);
    guint64 scale = 1;
    guint64 base;
    const char *powers = "kmgtpe";
    const char *p;

    if (!n.valid)
        return FALSE;
    if (!unit || !*unit) {
        scale = default_scale;
    } else if (g_ascii_strcasecmp(unit, "b") == 0 || g_ascii_strcasecmp(unit, "byte") == 0 ||
               g_ascii_strcasecmp(unit, "bytes") == 0) {
        scale = 1;
    } else {
        if (!unit[1] || g_ascii_strcasecmp(unit + 1, "iB") == 0)
            base = 1024;
        else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2])
            base = 1000;
        else
            return FALSE;
        p = strchr(powers, g_ascii_tolower(unit[0]));
        if (!p || !unit[0])
            return FALSE;
        for (const char *q = powers; q <= p; q++)
            scale *= base;
    }
    if (scale && n.value > G_MAXUINT64 / scale)
        return FALSE;
    *bytes = n.value * scale;
    return TRUE;
}

/* The SMM TSEG size (q35 only): whole MiB, as the mch-extended-tseg-mbytes property takes. */
static void
check_tseg_size(dl_check *chk)
{
    xmlNode *tseg = chk->dom->smm_tseg;
    g_autofree char *text = NULL;
    guint64 bytes;

    if (!tseg || dl_str_eq(dl_xml_attr(tseg->parent, "state"), "off"))
        return;
    text = (char *) xmlNodeGetContent(tseg);
    g_strstrip(text);
    if (!scaled_bytes(text, dl_xml_attr(tseg, "unit"), 1024 * 1024, &bytes))
        return;
    if (bytes % (1024 * 1024) != 0)
        dl_diag_fixit(dl_error(chk, tseg, "the SMM TSEG size '%s %s' is not a whole number of MiB: QEMU sets it in MiB, so libvirt refuses it; round it to MiB (e.g. %" G_GUINT64_FORMAT " MiB)",
                               text, dl_xml_attr(tseg, "unit") ? dl_xml_attr(tseg, "unit") : "MiB",
                               (bytes + 1024 * 1024 - 1) / (1024 * 1024)),
                      "use <tseg unit='MiB'>%" G_GUINT64_FORMAT "</tseg>", (bytes + 1024 * 1024 - 1) / (1024 * 1024));
}

/* <features> elements only pSeries machines have (qemuValidateDomainDefPSeriesFeature). */
static const char *const pseries_features[] = {
    "hpt", "htm", "nested-hv", "ccf-assist", "cfpc", "sbbc", "ibs",
};

static void
check_pseries_features(dl_check *chk)
{
    if (dl_str_eq(chk->family->id, "pseries"))
        return;
    for (gsize i = 0; i < G_N_ELEMENTS(pseries_features); i++) {
        xmlNode *f = dl_xml_child(chk->dom->features, pseries_features[i]);

        if (!f)
            continue;
        dl_diag_fixit(dl_error(chk, f, "the '%s' feature exists only on pSeries machines, not on the %s machine '%s' (arch %s): libvirt refuses it; drop <%s>",
                               pseries_features[i], chk->family->title, dl_machine_label(chk), chk->arch, pseries_features[i]),
                      "remove <%s> from <features>", pseries_features[i]);
        dl_fix_remove(dl_fix_new(chk, DL_SAFE, f, "removed the <%s> feature, which only pSeries machines have", pseries_features[i]), f);
    }
}

/* The <features> libvirt ties to an arch or machine (qemuValidateDomainDefFeatures). */
static void
check_arch_features(dl_check *chk)
{
    xmlNode *features = chk->dom->features;
    gboolean x86 = dl_arch_is_x86(chk->arch);
    gboolean arm_virt = dl_str_eq(chk->family->id, "arm-virt");
    xmlNode *f;

    /* <ioapic> without driver= leaves libvirt's choice, which is no setting */
    f = dl_xml_child(features, "ioapic");
    if (f && dl_xml_attr(f, "driver") && !x86)
        dl_diag_fixit(dl_error(chk, f, "the 'ioapic' feature (the x86 I/O APIC driver) exists only on x86, not on arch %s: libvirt refuses it; drop <ioapic>",
                               chk->arch),
                      "remove <ioapic> from <features>");
    f = dl_xml_child(features, "pvspinlock");
    if (f && !x86)
        dl_diag_fixit(dl_error(chk, f, "the 'pvspinlock' feature (KVM paravirtual spinlocks) exists only on x86, not on arch %s: libvirt refuses it; drop <pvspinlock>",
                               chk->arch),
                      "remove <pvspinlock> from <features>");
    f = dl_xml_child(features, "apic");
    if (f && dl_xml_attr(f, "eoi") && !x86)
        dl_diag_fixit(dl_error(chk, f, "the 'eoi' attribute of <apic> (KVM paravirtual EOI) exists only on x86, not on arch %s: libvirt refuses it; drop eoi=",
                               chk->arch),
                      "remove eoi= from <apic>");
    f = dl_xml_child(features, "hyperv");
    if (f && !x86 && !arm_virt)
        dl_diag_fixit(dl_error(chk, f, "Hyper-V enlightenments exist only on x86 and ARM virt machines, not on the %s machine '%s' (arch %s): libvirt refuses them; drop <hyperv>",
                               chk->family->title, dl_machine_label(chk), chk->arch),
                      "remove <hyperv> from <features>");
    f = dl_xml_child(features, "gic");
    if (f && !arm_virt)
        dl_diag_fixit(dl_error(chk, f, "the 'gic' feature (the ARM interrupt controller version) exists only on ARM virt machines, not on the %s machine '%s': libvirt refuses it; drop <gic>",
                               chk->family->title, dl_machine_label(chk)),
                      "remove <gic> from <features>");
    /* <ras> is in the schema from 10.x; where it is, libvirt checks the machine */
    f = dl_xml_child(features, "ras");
    if (f && !arm_virt)
        dl_diag_fixit(dl_error(chk, f, "the 'ras' feature (ARM RAS error reporting) exists only on ARM virt machines, not on the %s machine '%s': libvirt refuses it; drop <ras>",
                               chk->family->title, dl_machine_label(chk)),
                      "remove <ras> from <features>");
    f = dl_xml_child(features, "pmu");
    if (f && dl_str_eq(dl_xml_attr(f, "state"), "off") && g_str_has_prefix(chk->arch, "ppc64"))
        dl_diag_fixit(dl_error(chk, f, "the PMU cannot be turned off on %s, where it is always on: libvirt refuses <pmu state='off'>; drop it",
                               chk->arch),
                      "remove <pmu state='off'/> from <features>");
}

static void
check_machine_features(dl_check *chk)
{
    if (!chk->family)
        return;
    check_pseries_features(chk);
    check_arch_features(chk);
    if (chk->dom->smm_tseg && !dl_family_has_feature(chk->family, "smm-tseg"))
    {
        g_autofree char *where = dl_families_with(chk, dl_family_has_feature, "smm-tseg");

        dl_diag_fixit(dl_error(chk, chk->dom->smm_tseg, "an SMM TSEG size can only be set on %s machines, not on the %s machine '%s'",
                               where, chk->family->title, dl_machine_label(chk)),
                      "remove the <tseg> from <smm>");
        dl_fix_remove(dl_fix_new(chk, DL_SAFE, chk->dom->smm_tseg, "removed the SMM TSEG size, which only %s machines take", where),
                      chk->dom->smm_tseg);
    } else {
        check_tseg_size(chk);
    }
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_dev_model *m = dl_device_model_entry(chk, d);

        /* device models libvirt accepts only on some machines (the catalogue's feature=) */
        if (m && m->feature && !d->implicit && !dl_family_has_feature(chk->family, m->feature)) {
            g_autofree char *where = dl_families_with(chk, dl_family_has_feature, m->feature);

            dl_diag_fixit(dl_error(chk, d->node, "%s model '%s' exists only on %s machines, not on the %s machine '%s'",
                                   dl_dev_kind_name(d->kind), d->model, where, chk->family->title, dl_machine_label(chk)),
                          "use another %s model, or a machine type of the %s families", dl_dev_kind_name(d->kind), where);
        }
        if ((d->kind == DL_DEV_SERIAL || d->kind == DL_DEV_CONSOLE) &&
            dl_str_eq(d->bus, "system-serial") &&
            !dl_str_eq(dl_default_model(chk, "serial", NULL), "system"))
            dl_diag_fixit(dl_error(chk, d->node, "a system-serial port exists only on machines whose serial port is built into the board (ARM, RISC-V virt), not on the %s machine '%s'",
                                   chk->family->title, dl_machine_label(chk)),
                          "remove type='system-serial' from <target>: libvirt then picks the machine's own serial port type");
    }
}

const dl_rule dl_rule_machine_feature = {
    .id = "machine-feature",
    .summary = "machine-specific features (SMM TSEG and its size, pSeries features such as hpt, IOMMU models, system-serial ports) only where the machine has them",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_machine_features,
};
