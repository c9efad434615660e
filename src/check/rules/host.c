/*
 * host.c - with --connect=URI: what the libvirt at URI can run
 *
 * The domain capabilities libvirt reports for the domain's emulator, arch,
 * machine type and domain type (connect.c fetches and caches them) say what
 * this host offers: the machine types of the emulator, the vCPU limit, the
 * disk buses, video models, hostdev kinds, firmware and loader kinds, and
 * more.  This rule compares the domain with that answer.  An enum libvirt
 * does not report (older libvirt has no <controller> or <iommu> enum) says
 * nothing; only what is reported and missing is a finding.
 *
 * The model (model.h) carries what the other rules need; the few attributes
 * only this rule reads (<os firmware>, <loader type>, <vcpu>, a device's
 * backend) are read here from the device's element.
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "probe/connect.h"

/*
 * The error another rule has already reported about NODE (the same element,
 * or one of its ancestors or descendants on the same line), or NULL.  Rules
 * run in registry order and this one comes last, so what libvirt at the URI
 * refuses for a reason another rule explained is said once, as a note.
 */
static domlint_diag *
earlier_error(const dl_check *chk, const xmlNode *node)
{
    g_autofree char *xpath = node ? dl_xml_path(node) : NULL;
    int line = node ? dl_source_line(chk->src, node) : 0;

    if (!xpath)
        return NULL;
    for (guint i = 0; i < chk->diags->len; i++) {
        domlint_diag *d = g_ptr_array_index(chk->diags, i);

        if (d->severity != DOMLINT_SEV_ERROR || !d->xpath || dl_str_eq(d->rule, chk->rule_id))
            continue;
        if (strcmp(d->xpath, xpath) == 0)
            return d;
        if (d->line == line && (g_str_has_prefix(d->xpath, xpath) || g_str_has_prefix(xpath, d->xpath)))
            return d;
    }
    return NULL;
}

/*
 * Report an error about NODE with the suggestion FIXIT, or, when another
 * rule already reported NODE, add it to that finding as a note.
 */
static void G_GNUC_PRINTF(4, 5)
host_error(dl_check *chk, const xmlNode *node, const char *fixit, const char *fmt, ...)
{
    domlint_diag *earlier = earlier_error(chk, node);
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (earlier) {
        dl_diag_note(chk, earlier, node, "%s [%s]", msg, chk->rule_id);
        return;
    }
    dl_diag_fixit(dl_error(chk, node, "%s", msg), "%s", fixit);
}

/* <enum name='NAME'> below NODE of the capabilities, or NULL when not reported. */
static xmlNode *
caps_enum(const xmlNode *node, const char *name)
{
    if (!node)
        return NULL;
    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *) c->name, "enum") == 0 &&
            dl_str_eq(dl_xml_attr(c, "name"), name))
            return c;
    }
    return NULL;
}

/* TRUE when a <value> child of NODE (an <enum> or a <loader>) is VALUE. */
static gboolean
caps_has_value(const xmlNode *node, const char *value)
{
    for (xmlNode *c = node->children; c; c = c->next) {
        g_autofree char *text = NULL;

        if (c->type != XML_ELEMENT_NODE || strcmp((const char *) c->name, "value") != 0)
            continue;
        text = (char *) xmlNodeGetContent(c);
        if (text && strcmp(text, value) == 0)
            return TRUE;
    }
    return FALSE;
}

/* "a, b, c" of the <value>s of NODE, or "none" (caller frees). */
static char *
caps_values(const xmlNode *node)
{
    GString *out = g_string_new(NULL);

    for (xmlNode *c = node->children; c; c = c->next) {
        g_autofree char *text = NULL;

        if (c->type != XML_ELEMENT_NODE || strcmp((const char *) c->name, "value") != 0)
            continue;
        text = (char *) xmlNodeGetContent(c);
        if (out->len)
            g_string_append(out, ", ");
        g_string_append(out, text ? text : "");
    }
    if (!out->len)
        g_string_append(out, "none");
    return g_string_free(out, FALSE);
}

/* FALSE when NODE says supported='no'. */
static gboolean
caps_supported(const xmlNode *node)
{
    return !dl_str_eq(dl_xml_attr(node, "supported"), "no");
}

/* What the messages say the capabilities are for. */
typedef struct {
    const char *uri;
    const char *emulator;    /* as libvirt resolved it */
    const char *machine;     /* as libvirt resolved it */
    xmlNode *root;           /* <domainCapabilities> */
} host_caps;

/*
 * One attribute of one kind of device checked against one enum of
 * <devices><ELEMENT> in the capabilities.
 */
typedef struct {
    dl_dev_kind kind;
    const char *element;     /* in the capabilities' <devices> */
    const char *enum_name;
    const char *child;       /* the device's child element holding ATTR, or NULL */
    const char *attr;
    const char *what;        /* for messages */
    const char *only_mode;   /* checked only when the device's mode is absent or this */
} host_enum_check;

static const host_enum_check enum_checks[] = {
    { DL_DEV_DISK, "disk", "diskDevice", NULL, "device", "disk device", NULL },
    { DL_DEV_DISK, "disk", "bus", "target", "bus", "disk bus", NULL },
    { DL_DEV_DISK, "disk", "model", NULL, "model", "disk model", NULL },
    { DL_DEV_VIDEO, "video", "modelType", "model", "type", "video model", NULL },
    { DL_DEV_GRAPHICS, "graphics", "type", NULL, "type", "graphics type", NULL },
    { DL_DEV_HOSTDEV, "hostdev", "mode", NULL, "mode", "hostdev mode", NULL },
    { DL_DEV_HOSTDEV, "hostdev", "subsysType", NULL, "type", "hostdev type", "subsystem" },
    { DL_DEV_HOSTDEV, "hostdev", "capsType", NULL, "type", "hostdev capabilities type", "capabilities" },
    { DL_DEV_HOSTDEV, "hostdev", "pciBackend", "driver", "name", "PCI hostdev backend", "subsystem" },
    { DL_DEV_HOSTDEV, "hostdev", "startupPolicy", "source", "startupPolicy", "hostdev startup policy", NULL },
    { DL_DEV_RNG, "rng", "model", NULL, "model", "rng model", NULL },
    { DL_DEV_RNG, "rng", "backendModel", "backend", "model", "rng backend", NULL },
    { DL_DEV_TPM, "tpm", "model", NULL, "model", "TPM model", NULL },
    { DL_DEV_TPM, "tpm", "backendModel", "backend", "type", "TPM backend", NULL },
    { DL_DEV_TPM, "tpm", "backendVersion", "backend", "version", "TPM version", NULL },
    { DL_DEV_REDIRDEV, "redirdev", "bus", NULL, "bus", "redirdev bus", NULL },
    { DL_DEV_FILESYSTEM, "filesystem", "driverType", "driver", "type", "filesystem driver", NULL },
    { DL_DEV_CHANNEL, "channel", "type", NULL, "type", "channel type", NULL },
    /* reported by newer libvirt only */
    { DL_DEV_CONTROLLER, "controller", "type", NULL, "type", "controller type", NULL },
    { DL_DEV_CONTROLLER, "controller", "model", NULL, "model", "controller model", NULL },
    { DL_DEV_IOMMU, "iommu", "model", NULL, "model", "IOMMU model", NULL },
    { DL_DEV_PANIC, "panic", "model", NULL, "model", "panic model", NULL },
    { DL_DEV_SOUND, "sound", "model", NULL, "model", "sound model", NULL },
    { DL_DEV_CONSOLE, "console", "type", NULL, "type", "console type", NULL },
    { DL_DEV_INTERFACE, "interface", "backendType", "backend", "type", "interface backend", NULL },
};

static void
check_device_enum(dl_check *chk, const host_caps *hc, const dl_device *dev,
                  const host_enum_check *ec)
{
    xmlNode *devices = dl_xml_child(hc->root, "devices");
    xmlNode *el = dl_xml_child(devices, ec->element);
    xmlNode *values = caps_enum(el, ec->enum_name);
    const char *mode = dl_xml_attr(dev->node, "mode");
    const char *value;
    g_autofree char *have = NULL;
    g_autofree char *fixit = NULL;

    if (!values || !caps_supported(el))
        return;
    if (ec->only_mode && mode && strcmp(mode, ec->only_mode) != 0)
        return;
    if (ec->only_mode && !mode && strcmp(ec->only_mode, "subsystem") != 0)
        return;
    value = ec->child ? dl_xml_attr(dl_xml_child(dev->node, ec->child), ec->attr) : dl_xml_attr(dev->node, ec->attr);
    if (!value || caps_has_value(values, value))
        return;
    have = caps_values(values);
    fixit = g_strdup_printf("use one of the values it offers: %s", have);
    host_error(chk, dev->node, fixit,
               "%s '%s' is not offered by libvirt at '%s' for '%s' machine '%s' (it offers: %s)",
               ec->what, value, hc->uri, hc->emulator, hc->machine, have);
}

/*
 * A PCI hostdev that names no backend gets libvirt's default, VFIO: an
 * empty pciBackend enum means the host offers none at all.
 */
static void
check_pci_backend(dl_check *chk, const host_caps *hc, const dl_device *dev)
{
    xmlNode *values = caps_enum(dl_xml_child(dl_xml_child(hc->root, "devices"), "hostdev"), "pciBackend");
    const char *mode = dl_xml_attr(dev->node, "mode");

    if (dev->kind != DL_DEV_HOSTDEV || !dl_str_eq(dl_xml_attr(dev->node, "type"), "pci") ||
        (mode && strcmp(mode, "subsystem") != 0) || dl_xml_attr(dl_xml_child(dev->node, "driver"), "name"))
        return;
    if (!values || caps_has_value(values, "vfio") || caps_has_value(values, "default"))
        return;
    host_error(chk, dev->node, "load the vfio-pci module and turn the IOMMU on in the host's kernel (intel_iommu=on or amd_iommu=on), or remove the <hostdev>",
             "PCI passthrough is not available from libvirt at '%s': it offers no PCI hostdev backend (VFIO needs the vfio-pci module and an IOMMU on the host)",
             hc->uri);
}

/* A kind of device the capabilities report as supported='no'. */
static void
check_device_supported(dl_check *chk, const host_caps *hc, const dl_device *dev)
{
    xmlNode *devices = dl_xml_child(hc->root, "devices");
    const char *name = dl_dev_kind_name(dev->kind);
    xmlNode *el = dl_xml_child(devices, name);

    if (!el || caps_supported(el))
        return;
    host_error(chk, dev->node, "remove the device, or define the domain on a host whose libvirt and QEMU support it",
             "<%s> devices are not supported by libvirt at '%s' for '%s' machine '%s'",
             name, hc->uri, hc->emulator, hc->machine);
}

/* The element of NAME among the domain's top-level children, or NULL. */
static xmlNode *
domain_child(const dl_check *chk, const char *name)
{
    return dl_xml_child(chk->dom->root, name);
}

static void
check_vcpus(dl_check *chk, const host_caps *hc)
{
    xmlNode *vcpu = domain_child(chk, "vcpu");
    g_autofree char *text = vcpu ? (char *) xmlNodeGetContent(vcpu) : NULL;
    dl_num want = dl_num_parse(text ? g_strstrip(text) : NULL, 10);
    dl_num max = dl_num_attr(dl_xml_child(hc->root, "vcpu"), "max", 10);
    g_autofree char *fixit = NULL;

    if (!want.valid || !max.valid || want.value <= max.value)
        return;
    fixit = g_strdup_printf("lower <vcpu> to %" G_GUINT64_FORMAT " or fewer", max.value);
    host_error(chk, vcpu, fixit,
             "%" G_GUINT64_FORMAT " vCPUs are more than libvirt at '%s' allows for '%s' machine '%s': at most %" G_GUINT64_FORMAT,
             want.value, hc->uri, hc->emulator, hc->machine, max.value);
}

/*
 * <os firmware> and <loader>.  'bios' is never in the firmware enum when
 * the BIOS has no firmware descriptor (Debian's SeaBIOS has none), yet
 * libvirt runs it: only other firmware values are checked.
 */
static void
check_firmware(dl_check *chk, const host_caps *hc)
{
    xmlNode *os = domain_child(chk, "os");
    xmlNode *loader = dl_xml_child(os, "loader");
    xmlNode *caps_os = dl_xml_child(hc->root, "os");
    xmlNode *caps_loader = dl_xml_child(caps_os, "loader");
    const char *firmware = dl_xml_attr(os, "firmware");
    static const char *const loader_attrs[][2] = {
        { "type", "loader type" },
        { "secure", "secure loader" },
        { "readonly", "read-only loader" },
    };

    if (firmware && strcmp(firmware, "bios") != 0 && caps_os) {
        xmlNode *values = caps_enum(caps_os, "firmware");
        if (!caps_supported(caps_os) || (values && !caps_has_value(values, firmware))) {
            g_autofree char *have = values ? caps_values(values) : g_strdup("none");
            host_error(chk, os, "remove the firmware attribute from <os>, or install the firmware package on the host",
                     "firmware '%s' is not offered by libvirt at '%s' for '%s' machine '%s' (it offers: %s): install the firmware package or remove the firmware attribute",
                     firmware, hc->uri, hc->emulator, hc->machine, have);
        }
    }
    if (!loader || !caps_loader)
        return;
    if (!caps_supported(caps_loader)) {
        host_error(chk, loader, "remove the <loader>", "a <loader> is not supported by libvirt at '%s' for '%s' machine '%s'",
                 hc->uri, hc->emulator, hc->machine);
        return;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(loader_attrs); i++) {
        const char *value = dl_xml_attr(loader, loader_attrs[i][0]);
        xmlNode *values = caps_enum(caps_loader, loader_attrs[i][0]);
        g_autofree char *have = NULL;
        g_autofree char *fixit = NULL;

        if (!value || !values || caps_has_value(values, value))
            continue;
        have = caps_values(values);
        fixit = g_strdup_printf("use one of the values it offers: %s", have);
        host_error(chk, loader, fixit, "%s '%s' is not offered by libvirt at '%s' for '%s' machine '%s' (it offers: %s)",
                 loader_attrs[i][1], value, hc->uri, hc->emulator, hc->machine, have);
    }
}

/* <features><gic> and <launchSecurity type='sev'> against <features> of the capabilities. */
static void
check_features(dl_check *chk, const host_caps *hc)
{
    xmlNode *caps_features = dl_xml_child(hc->root, "features");
    xmlNode *gic = dl_xml_child(domain_child(chk, "features"), "gic");
    xmlNode *sec = domain_child(chk, "launchSecurity");
    xmlNode *caps_gic = dl_xml_child(caps_features, "gic");
    xmlNode *caps_sev = dl_xml_child(caps_features, "sev");

    if (gic && caps_gic && !caps_supported(caps_gic))
        host_error(chk, gic, "remove <gic> from <features>", "the GIC feature is not supported by libvirt at '%s' for '%s' machine '%s'",
                 hc->uri, hc->emulator, hc->machine);
    if (sec && dl_str_eq(dl_xml_attr(sec, "type"), "sev") && caps_sev && !caps_supported(caps_sev))
        host_error(chk, sec, "remove <launchSecurity>, or define the domain on a host with AMD SEV turned on", "AMD SEV is not supported by libvirt at '%s' for '%s' machine '%s'",
                 hc->uri, hc->emulator, hc->machine);
}

/* Text of the capabilities' top-level element NAME (caller frees), or FALLBACK. */
static char *
caps_text(const xmlNode *root, const char *name, const char *fallback)
{
    xmlNode *node = dl_xml_child(root, name);
    char *text = node ? (char *) xmlNodeGetContent(node) : NULL;

    if (!text)
        return g_strdup(fallback ? fallback : "");
    return text;
}

/*
 * Ask in three steps, so that a refusal names what was refused: the
 * emulator and arch alone, then with the machine type, then with the
 * domain type.  Answers are cached, so this costs libvirt three calls per
 * kind of guest.  Returns the final capabilities, or NULL after reporting.
 */
static const dl_domcaps *
ask_libvirt(dl_check *chk, dl_connection *conn)
{
    const dl_domain *dom = chk->dom;
    const char *uri = dl_connection_uri(conn);
    const dl_device *emu = dl_first_device(chk, DL_DEV_EMULATOR);
    const dl_domcaps *caps = dl_connection_domcaps(conn, dom->emulator, dom->arch, NULL, NULL);

    if (caps->refusal) {
        if (dom->emulator)
            host_error(chk, emu ? emu->node : dom->os_type,
                       "set <emulator> to a QEMU binary installed on the host (/usr/bin/qemu-system-ARCH), or remove <emulator> to let libvirt pick one for the arch",
                       "libvirt at '%s' cannot run emulator '%s'%s%s: %s", uri, dom->emulator,
                     dom->arch ? " for arch " : "", dom->arch ? dom->arch : "", caps->refusal);
        else
            host_error(chk, dom->os_type, "install QEMU for that arch on the host (the qemu-system-ARCH binary), or use an arch it has",
                       "libvirt at '%s' has no emulator for arch '%s': %s", uri,
                     dom->arch ? dom->arch : "(host default)", caps->refusal);
        return NULL;
    }
    if (dom->machine) {
        caps = dl_connection_domcaps(conn, dom->emulator, dom->arch, dom->machine, NULL);
        if (caps->refusal) {
            host_error(chk, dom->os_type, "use a machine type this QEMU offers ('virsh domcapabilities' lists them), such as the unversioned name of the family ('q35', 'pc', 'virt')",
                       "machine type '%s' is not offered by libvirt at '%s': %s",
                     dom->machine, uri, caps->refusal);
            return NULL;
        }
    }
    if (dom->domain_type) {
        caps = dl_connection_domcaps(conn, dom->emulator, dom->arch, dom->machine, dom->domain_type);
        if (caps->refusal) {
            host_error(chk, dom->root, dl_str_eq(dom->domain_type, "kvm") ? "use type='qemu' (emulation, no KVM), or run on a host with KVM (/dev/kvm)" : "use type='kvm' or type='qemu'",
                       "domain type '%s' is not available from libvirt at '%s': %s",
                     dom->domain_type, uri, caps->refusal);
            return NULL;
        }
    }
    return caps;
}

static void
check_host_capabilities(dl_check *chk)
{
    dl_connection *conn = chk->ctx->conn;
    const dl_domcaps *caps;
    g_autofree char *emulator = NULL;
    g_autofree char *machine = NULL;
    host_caps hc = { 0 };

    if (!conn)
        return;
    caps = ask_libvirt(chk, conn);
    if (!caps)
        return;
    hc.uri = dl_connection_uri(conn);
    hc.root = xmlDocGetRootElement(caps->doc);
    emulator = caps_text(hc.root, "path", chk->dom->emulator);
    machine = caps_text(hc.root, "machine", chk->dom->machine);
    hc.emulator = emulator;
    hc.machine = machine;

    check_vcpus(chk, &hc);
    check_firmware(chk, &hc);
    check_features(chk, &hc);
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *dev = g_ptr_array_index(chk->dom->devices, i);

        if (dev->implicit || !dev->node)
            continue;
        check_device_supported(chk, &hc, dev);
        check_pci_backend(chk, &hc, dev);
        for (gsize e = 0; e < G_N_ELEMENTS(enum_checks); e++) {
            if (enum_checks[e].kind == dev->kind)
                check_device_enum(chk, &hc, dev, &enum_checks[e]);
        }
    }
}

const dl_rule dl_rule_host_capabilities = {
    .id = "host-capabilities",
    .summary = "with --connect: the emulator, machine type, buses, device models, vCPUs and firmware the libvirt host offers",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_host_capabilities,
};
