/*
 * tpm.c - rules about TPM devices
 *
 * How many TPMs a guest may have and where TPM 1.2 works, after libvirt's
 * TPM validation (qemu_validate.c; qemu_domain.c post-parse in 7.0).
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"

/* D's model as libvirt settles it: written, or tpm-spapr on ppc64, else tpm-tis */
static const char *
tpm_model(const dl_check *chk, const dl_device *d)
{
    if (d->model)
        return d->model;
    if (dl_arch_is_ppc64(chk->arch))
        return "tpm-spapr";
    return "tpm-tis";
}

static gboolean
releases_have(const dl_check *chk, const char *behaviour)
{
    return dl_releases_behaviour(chk->ctx->releases, behaviour, chk->ctx->target);
}

/* Why TPM 1.2 does not work for D, or NULL when it does (static strings). */
static const char *
tpm12_refused(const dl_check *chk, const dl_device *d)
{
    const char *model = tpm_model(chk, d);
    gboolean x86 = dl_arch_is_x86(chk->arch);

    if (dl_str_eq(model, "tpm-crb"))
        return "the CRB interface is TPM 2.0 only";
    if (dl_str_eq(model, "tpm-spapr"))
        return "the SPAPR device model is TPM 2.0 only";
    if (releases_have(chk, "tpm12-x86-tis-only")) {
        if (!dl_str_eq(model, "tpm-tis"))
            return "only tpm-tis supports TPM 1.2";
        if (!x86)
            return "TPM 1.2 is supported on x86 only";
    }
    if (dl_is_arm_virt(chk) && releases_have(chk, "tpm12-refused-on-arm-virt"))
        return "TPM 1.2 is not supported on ARM";
    return NULL;
}

static void
check_tpm_version(dl_check *chk, const dl_device *d)
{
    xmlNode *backend = dl_device_child(d, "backend");
    const char *why;

    if (!dl_str_eq(dl_xml_attr(backend, "type"), "emulator") ||
        !dl_str_eq(dl_xml_attr(backend, "version"), "1.2"))
        return;
    why = tpm12_refused(chk, d);
    if (why)
        dl_diag_fixit(dl_error(chk, backend, "TPM version '1.2' is not supported for a %s TPM on %s '%s': %s; use version='2.0'",
                               tpm_model(chk, d), chk->arch, chk->machine ? chk->machine : "", why),
                      "use version='2.0'");
}

static void
check_tpm(dl_check *chk)
{
    const dl_device *regular = NULL;
    const dl_device *proxy = NULL;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const dl_device **first;

        if (d->kind != DL_DEV_TPM || !d->node)
            continue;
        check_tpm_version(chk, d);
        first = dl_str_eq(d->model, "spapr-tpm-proxy") ? &proxy : &regular;
        if (*first) {
            domlint_diag *diag;

            if (first == &proxy)
                diag = dl_error(chk, d->node, "a second spapr-tpm-proxy TPM: libvirt supports a single TPM proxy device; drop one");
            else
                diag = dl_error(chk, d->node, "a second TPM device: libvirt supports a single TPM device (besides one spapr-tpm-proxy); drop one");
            dl_diag_note(chk, diag, (*first)->node, "the first one is here");
            dl_diag_fixit(diag, "remove one of the two <tpm> elements");
            continue;
        }
        *first = d;
    }
}

const dl_rule dl_rule_tpm = {
    .id = "tpm",
    .summary = "a single TPM (and a single TPM proxy), and TPM 1.2 only where it works (tpm-tis on x86)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_tpm,
};
