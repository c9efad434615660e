/*
 * firmware.c - rules about <os>: its <type>, the firmware (autoselection,
 * <loader>, <nvram>, firmware features), firmware against ACPI, the boot
 * order, and the IOMMU's needs of the platform
 *
 * These follow the checks libvirt makes without looking at the host:
 * virDomainDefOSValidate() (src/conf/domain_validate.c), the boot order
 * post-parse (src/conf/domain_postparse.c) and the ACPI/UEFI and IOMMU
 * checks of src/qemu/qemu_validate.c.  Whether a firmware descriptor
 * matches what the domain asks for (firmware='efi' with features, a loader
 * path) depends on the files installed on the host: not checked here.
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "fix/fix.h"

/* What libvirt reads of <os> for the firmware checks. */
typedef struct {
    xmlNode *os;
    const char *firmware;    /* <os firmware>: "bios", "efi", or NULL (manual) */
    xmlNode *loader;         /* <loader>, or NULL */
    xmlNode *nvram;          /* <nvram>, or NULL */
    gboolean loader_def;     /* libvirt has a loader definition: <loader> or <nvram> */
    gboolean has_path;       /* <loader> has a path */
    gboolean has_nvram;      /* <nvram> names an image (a path or a source) */
    xmlNode *features;       /* <os><firmware>, when it has a <feature> */
} fw_info;

/* TRUE when NODE has text content other than "" (libvirt takes it as a path). */
static gboolean
has_content(xmlNode *node)
{
    g_autofree char *text = NULL;

    if (!node)
        return FALSE;
    text = (char *) xmlNodeGetContent(node);
    return text && *text;
}

static void
fw_info_read(const dl_check *chk, fw_info *fw)
{
    xmlNode *fwnode;

    memset(fw, 0, sizeof(*fw));
    fw->os = chk->dom->os;
    if (!fw->os)
        return;
    fw->firmware = dl_xml_attr(fw->os, "firmware");
    if (fw->firmware && !*fw->firmware)
        fw->firmware = NULL;
    fw->loader = dl_xml_child(fw->os, "loader");
    fw->nvram = dl_xml_child(fw->os, "nvram");
    fw->loader_def = fw->loader || fw->nvram;
    fw->has_path = has_content(fw->loader);
    fw->has_nvram = fw->nvram && (dl_xml_attr(fw->nvram, "type") || has_content(fw->nvram));
    fwnode = dl_xml_child(fw->os, "firmware");
    if (dl_xml_child(fwnode, "feature"))
        fw->features = fwnode;
}

/* libvirt's old-style UEFI: a pflash loader (virDomainDefHasOldStyleUEFI). */
static gboolean
fw_is_uefi(const fw_info *fw)
{
    return dl_str_eq(fw->firmware, "efi") || dl_str_eq(dl_xml_attr(fw->loader, "type"), "pflash");
}

/* The <feature enabled> of firmware feature NAME: "yes", "no", or NULL. */
static const char *
fw_feature(const fw_info *fw, const char *name, xmlNode **node)
{
    for (xmlNode *f = dl_xml_first(fw->features, "feature"); f; f = dl_xml_next(f)) {
        if (!dl_str_eq(dl_xml_attr(f, "name"), name))
            continue;
        if (node)
            *node = f;
        return dl_xml_attr(f, "enabled");
    }
    return NULL;
}

/* ---------------------------------------------------------------- os-type */

static void
check_os_type(dl_check *chk)
{
    xmlNode *where = chk->dom->os ? chk->dom->os : chk->dom->root;

    if (chk->dom->os_type)
        return;
    /* libvirt takes a <bootloader> without <os><type> for a Xen paravirtualized guest */
    if (dl_xml_child(chk->dom->root, "bootloader")) {
        dl_diag_fixit(dl_error(chk, where, "the domain has a <bootloader> but no <os><type>: libvirt takes it for a Xen paravirtualized guest, which QEMU does not run; add <os><type>hvm</type></os> and drop the <bootloader>"),
                      "add <os><type>hvm</type></os> and remove the <bootloader>");
        return;
    }
    dl_diag_fixit(dl_error(chk, where, "the domain has no <os><type>: libvirt refuses it (\"an os <type> must be specified\"); add <os><type arch='x86_64' machine='q35'>hvm</type></os> or the arch and machine the guest needs"),
                  "add <os><type arch='x86_64' machine='q35'>hvm</type></os>, with the arch and machine the guest needs");
}

const dl_rule dl_rule_os_type = {
    .id = "os-type",
    .summary = "the domain says which kind of guest it is (<os><type>)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_os_type,
};

/* ------------------------------------------------------------ os-firmware */

/* Firmware autoselection (<os firmware='...'>): what the request may hold. */
static void
check_autoselect_nvram(dl_check *chk, const fw_info *fw)
{
    const char *enrolled, *secure;
    xmlNode *node = NULL;

    enrolled = fw_feature(fw, "enrolled-keys", &node);
    secure = fw_feature(fw, "secure-boot", NULL);
    if (dl_str_eq(enrolled, "yes") && dl_str_eq(secure, "no"))
        dl_diag_fixit(dl_error(chk, node, "firmware feature 'enrolled-keys' is enabled while 'secure-boot' is disabled: the enrolled keys are the Secure Boot keys, so libvirt refuses it; enable 'secure-boot' or disable 'enrolled-keys'"),
                      "set 'secure-boot' enabled='yes', or 'enrolled-keys' enabled='no'");
    if (fw->has_nvram && !dl_str_eq(fw->firmware, "efi"))
        dl_diag_fixit(dl_error(chk, fw->nvram, "firmware '%s' has no NVRAM, but an <nvram> is given: only firmware='efi' keeps its variables in one; drop the <nvram> or use firmware='efi'",
                               fw->firmware),
                      "remove the <nvram>, or set firmware='efi' on <os>");
}

/* Manual firmware (no <os firmware>): the loader is named by its path. */
static void
check_manual(dl_check *chk, const fw_info *fw, gboolean nvram_checks)
{
    if (fw->features && nvram_checks)
        dl_diag_fixit(dl_error(chk, fw->features, "firmware features choose a firmware only when libvirt selects it: <os> has no firmware='efi' (or 'bios'); add it and drop the <loader> path, or drop the <firmware> features"),
                      "add firmware='efi' to <os> and remove the <loader> path, or remove <firmware>");
    if (fw->loader && !fw->has_path)
        dl_diag_fixit(dl_error(chk, fw->loader, "the <loader> has no path and firmware autoselection is off (no <os firmware>): libvirt does not know which firmware to load; give the firmware image's path or set firmware='efi' on <os>"),
                      "give the <loader> the path of the firmware image, or set firmware='efi' on <os>");
    else if (!fw->loader && fw->nvram && nvram_checks)
        dl_diag_fixit(dl_error(chk, fw->nvram, "an <nvram> without a <loader> path and without firmware autoselection (no <os firmware>) leaves libvirt no firmware to load: add the <loader> with its path, or set firmware='efi' on <os>"),
                      "add a <loader> with its path, or set firmware='efi' on <os>");
}

/* <loader stateless>: with or without an NVRAM image. */
static void
check_stateless(dl_check *chk, const fw_info *fw)
{
    const char *stateless = dl_xml_attr(fw->loader, "stateless");

    if (dl_str_eq(stateless, "yes")) {
        if (dl_xml_attr(fw->nvram, "template"))
            dl_diag_fixit(dl_error(chk, fw->nvram, "a stateless loader keeps no variables, but the <nvram> names a template: drop the template or stateless='yes'"),
                          "remove template= from <nvram>, or stateless='yes' from <loader>");
        if (fw->has_nvram)
            dl_diag_fixit(dl_error(chk, fw->nvram, "a stateless loader keeps no variables, but an <nvram> image is given: drop the <nvram> or stateless='yes'"),
                          "remove the <nvram>, or stateless='yes' from <loader>");
    } else if (dl_str_eq(stateless, "no") &&
               dl_releases_behaviour(chk->ctx->releases, "loader-stateless-no-checked", chk->ctx->target)) {
        if (!fw->firmware && !dl_str_eq(dl_xml_attr(fw->loader, "type"), "pflash"))
            dl_diag_fixit(dl_error(chk, fw->loader, "stateless='no' asks for NVRAM, which only a pflash loader has: set type='pflash' on the <loader> or drop stateless='no'"),
                          "set type='pflash' on the <loader>, or remove stateless='no'");
        else if (fw->firmware && !dl_str_eq(fw->firmware, "efi"))
            dl_diag_fixit(dl_error(chk, fw->loader, "stateless='no' asks for NVRAM, which only EFI firmware has, not firmware '%s': use firmware='efi' or drop stateless='no'",
                                   fw->firmware),
                          "use firmware='efi', or remove stateless='no'");
    }
}

static void
check_os_firmware(dl_check *chk)
{
    fw_info fw;
    /* libvirt 7.0 checks the loader path only; the rest came with the
     * firmware autoselection rework (its schema has no stateless or features) */
    gboolean nvram_checks = dl_releases_behaviour(chk->ctx->releases, "firmware-nvram-checks", chk->ctx->target);
    xmlNode *shim;

    fw_info_read(chk, &fw);
    if (!fw.os)
        return;
    if (!fw.firmware)
        check_manual(chk, &fw, nvram_checks);
    else if (nvram_checks)
        check_autoselect_nvram(chk, &fw);
    if (nvram_checks)
        check_stateless(chk, &fw);
    shim = dl_xml_child(fw.os, "shim");
    if (shim && !dl_xml_child(fw.os, "kernel"))
        dl_diag_fixit(dl_error(chk, shim, "a <shim> is loaded only with a direct kernel boot, but <os> has no <kernel>: add the <kernel> or drop the <shim>"),
                      "add a <kernel> to <os>, or remove the <shim>");
}

const dl_rule dl_rule_os_firmware = {
    .id = "os-firmware",
    .summary = "firmware autoselection, <loader>, <nvram> and firmware features agree (a loader path without autoselection, NVRAM only for EFI)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_os_firmware,
};

/* ----------------------------------------------------- firmware-autoselect */

static void
check_firmware_autoselect(dl_check *chk)
{
    static const char *const attrs[] = { "readonly", "type" };
    fw_info fw;

    fw_info_read(chk, &fw);
    if (!fw.firmware || !fw.loader_def)
        return;
    for (gsize i = 0; i < G_N_ELEMENTS(attrs); i++) {
        if (dl_xml_attr(fw.loader, attrs[i]))
            dl_diag_fixit(dl_error(chk, fw.loader, "loader attribute '%s' cannot be given when libvirt selects the firmware (firmware='%s'): drop it, or drop firmware= and name the loader by hand",
                                   attrs[i], fw.firmware),
                          "remove %s= from the <loader>, or remove firmware= from <os>", attrs[i]);
    }
    if (fw.has_path)
        dl_diag_fixit(dl_error(chk, fw.loader, "a loader path cannot be given when libvirt selects the firmware (firmware='%s'): drop the path, or drop firmware= and keep the path",
                               fw.firmware),
                      "remove the path from the <loader>, or remove firmware= from <os>");
    if (dl_xml_attr(fw.nvram, "template"))
        dl_diag_fixit(dl_error(chk, fw.nvram, "an NVRAM template cannot be given when libvirt selects the firmware (firmware='%s'): drop template=, or drop firmware= and name the loader by hand",
                               fw.firmware),
                      "remove template= from <nvram>, or remove firmware= from <os>");
    /* secure='yes' is how the first autoselection asked for Secure Boot: still accepted */
    if (dl_str_eq(dl_xml_attr(fw.loader, "secure"), "no"))
        dl_diag_fixit(dl_error(chk, fw.loader, "loader attribute 'secure' cannot be given when libvirt selects the firmware (firmware='%s'): use <firmware><feature name='secure-boot' enabled='no'/></firmware> instead",
                               fw.firmware),
                      "use <firmware><feature enabled='no' name='secure-boot'/></firmware> in <os> instead of secure='no'");
}

const dl_rule dl_rule_firmware_autoselect = {
    .id = "firmware-autoselect",
    .summary = "with firmware autoselection the <loader> names no path, type, readonly or secure='no' (libvirt 9.0 and 9.1)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_firmware_autoselect,
};

/* ---------------------------------------------------------- firmware-acpi */

/* Turn ACPI on, once per round whichever rule asks (WHY: for what). */
static void
fix_add_acpi(dl_check *chk, const char *why)
{
    dl_fix *fix;

    if (!chk->fixes || !chk->dom->root || !dl_fix_claim(chk, "features-acpi"))
        return;
    if (chk->dom->features) {
        fix = dl_fix_new(chk, DL_VISIBLE, chk->dom->features, "added <acpi/> to <features>: %s", why);
        dl_fix_append(fix, chk->dom->features, "<acpi/>");
    } else {
        fix = dl_fix_new(chk, DL_VISIBLE, chk->dom->root, "added <features><acpi/></features>: %s", why);
        dl_fix_append(fix, chk->dom->root, "<features>\n  <acpi/>\n</features>");
    }
}

static void
check_firmware_acpi(dl_check *chk)
{
    fw_info fw;
    gboolean acpi = dl_xml_child(chk->dom->features, "acpi") != NULL;
    xmlNode *where;

    fw_info_read(chk, &fw);
    if (!fw.os || !chk->dom->os_type)
        return;
    where = fw.loader ? fw.loader : chk->dom->os_type;
    if (fw_is_uefi(&fw) && dl_arch_is_x86(chk->arch) && !acpi) {
        dl_diag_fixit(dl_error(chk, where, "UEFI firmware on %s needs ACPI, but <features> has no <acpi/>: add <acpi/> to <features>",
                               chk->arch),
                      "add <acpi/> to <features>");
        fix_add_acpi(chk, "UEFI on x86 needs it");
        return;
    }
    if (!acpi || !dl_str_eq(chk->arch, "aarch64") || fw_is_uefi(&fw))
        return;
    /* from 9.2 libvirt looks a manual loader up in the host's firmware
     * descriptors at define, which may make it a pflash (UEFI) one */
    if (fw.has_path && !dl_xml_attr(fw.loader, "type") &&
        dl_releases_behaviour(chk->ctx->releases, "firmware-selected-at-define", chk->ctx->target))
        return;
    dl_diag_fixit(dl_error(chk, dl_xml_child(chk->dom->features, "acpi"), "ACPI on aarch64 needs UEFI firmware, but the domain boots without it: set firmware='efi' on <os> (or a type='pflash' <loader>), or drop <acpi/>"),
                  "set firmware='efi' on <os>, or remove <acpi/> from <features>");
}

const dl_rule dl_rule_firmware_acpi = {
    .id = "firmware-acpi",
    .summary = "UEFI on x86 has ACPI, and ACPI on aarch64 has UEFI",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_firmware_acpi,
};

/* ------------------------------------------------------------- boot-order */

/* The device kinds whose <boot order> libvirt reads. */
static gboolean
takes_boot(dl_dev_kind kind)
{
    switch (kind) {
    case DL_DEV_DISK:
    case DL_DEV_FILESYSTEM:
    case DL_DEV_INTERFACE:
    case DL_DEV_HOSTDEV:
    case DL_DEV_REDIRDEV:
        return TRUE;
    case DL_DEV_CONTROLLER:
    case DL_DEV_LEASE:
    case DL_DEV_INPUT:
    case DL_DEV_SOUND:
    case DL_DEV_GRAPHICS:
    case DL_DEV_VIDEO:
    case DL_DEV_SERIAL:
    case DL_DEV_PARALLEL:
    case DL_DEV_CONSOLE:
    case DL_DEV_CHANNEL:
    case DL_DEV_WATCHDOG:
    case DL_DEV_MEMBALLOON:
    case DL_DEV_RNG:
    case DL_DEV_SMARTCARD:
    case DL_DEV_HUB:
    case DL_DEV_PANIC:
    case DL_DEV_SHMEM:
    case DL_DEV_MEMORY:
    case DL_DEV_IOMMU:
    case DL_DEV_VSOCK:
    case DL_DEV_CRYPTO:
    case DL_DEV_TPM:
    case DL_DEV_NVRAM:
    case DL_DEV_AUDIO:
    case DL_DEV_EMULATOR:
    case DL_DEV_OTHER:
    case DL_DEV_LAST:
        break;
    }
    return FALSE;
}

static void
check_boot_order(dl_check *chk)
{
    xmlNode *os_boot = dl_xml_first(chk->dom->os, "boot");
    g_autoptr(GHashTable) seen = NULL;   /* boot orders used, made at the first */
    gboolean reported = FALSE;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *boot;
        dl_num order;

        if (d->implicit || !takes_boot(d->kind))
            continue;
        boot = dl_device_child(d, "boot");
        if (!boot)
            continue;
        if (os_boot && !reported) {
            domlint_diag *diag = dl_error(chk, boot, "per-device <boot order> cannot be used together with <os><boot dev>: libvirt refuses the mix; keep one of them (drop the <boot dev> elements of <os>, or the devices' <boot order>)");
            dl_diag_fixit(diag, "remove the <boot dev> elements of <os>, or the devices' <boot order>");
            dl_diag_note(chk, diag, os_boot, "the <os><boot> is here");
            reported = TRUE;
        }
        order = dl_num_attr(boot, "order", 10);
        if (!order.valid || order.value == 0 || order.value > G_MAXUINT)
            continue;
        if (!seen)
            seen = g_hash_table_new(g_direct_hash, g_direct_equal);
        if (!g_hash_table_add(seen, GUINT_TO_POINTER((guint) order.value)))
            dl_diag_fixit(dl_error(chk, boot, "boot order %" G_GUINT64_FORMAT " is used for more than one device: give each device its own order",
                                   order.value),
                          "give each device its own boot order, counting 1, 2, 3...");
    }
}

const dl_rule dl_rule_boot_order = {
    .id = "boot-order",
    .summary = "per-device boot orders are unique and not mixed with <os><boot>",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_boot_order,
};

/* ------------------------------------------------------------------ iommu */

static void
check_iommu(dl_check *chk)
{
    gboolean acpi = dl_xml_child(chk->dom->features, "acpi") != NULL;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (d->kind != DL_DEV_IOMMU || !dl_str_eq(d->model, "virtio"))
            continue;
        /* the guest finds a virtio IOMMU through its ACPI VIOT table */
        if (!acpi) {
            dl_diag_fixit(dl_error(chk, d->node, "the virtio IOMMU is described to the guest in ACPI, but <features> has no <acpi/>: add <acpi/> or use another IOMMU model"),
                          "add <acpi/> to <features>, or use <iommu model='intel'> (x86) or 'smmuv3' (Arm)");
            fix_add_acpi(chk, "the virtio IOMMU is described in ACPI");
        }
    }
}

const dl_rule dl_rule_iommu = {
    .id = "iommu",
    .summary = "the IOMMU has what it needs of the platform (virtio IOMMU: ACPI)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_iommu,
};
