/*
 * convert.c - a domain moved to another i440fx or q35 machine type
 *
 * The first pass edits the input: the machine name; across families the PCI
 * root, the PCI controllers of the old topology (removed: the layout adds
 * what the new one needs), the PCI addresses, the USB controller libvirt
 * gives the old chipset, the chipset watchdog, and the disks
 * (convert-disks.c).  The second pass is --fix --layout with the
 * pci-layout rule alone: layout.c writes libvirt's addresses and the
 * controllers it adds.  Converting the output back and forth again gives
 * the same text, because neither pass keeps anything of the old topology.
 */
#include "config.h"

#include <string.h>

#include "convert/convert-internal.h"
#include "core/query.h"

/* what libvirt assumes when <type> has no arch, as check.c does */
#define CONVERT_DEFAULT_ARCH "x86_64"

static void
note_clear(gpointer p)
{
    dl_convert_note *n = p;

    g_free(n->message);
}

/* By line, a note without one last; g_array_sort() is stable. */
static gint
note_order(gconstpointer a, gconstpointer b)
{
    int x = ((const dl_convert_note *) a)->line;
    int y = ((const dl_convert_note *) b)->line;

    if (x == y)
        return 0;
    if (x == 0 || y == 0)
        return x == 0 ? 1 : -1;
    return x < y ? -1 : 1;
}

void
dl_convert_result_free(dl_convert_result *result)
{
    if (!result)
        return;
    g_free(result->failure);
    g_array_unref(result->errors);
    g_array_unref(result->notes);
    g_free(result->text);
    g_free(result);
}

static void
add_note(dl_conv *cv, GArray *list, const xmlNode *where, gboolean visible, const char *fmt,
         va_list ap)
{
    dl_convert_note n = { 0 };

    n.line = where ? dl_source_line(cv->chk->src, where) : 0;
    n.visible = visible;
    n.message = g_strdup_vprintf(fmt, ap);
    g_array_append_val(list, n);
}

void
dl_conv_note(dl_conv *cv, const xmlNode *where, gboolean visible, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_note(cv, cv->res->notes, where, visible, fmt, ap);
    va_end(ap);
}

void
dl_conv_error(dl_conv *cv, const xmlNode *where, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_note(cv, cv->res->errors, where, TRUE, fmt, ap);
    va_end(ap);
}

void
dl_conv_remove(dl_conv *cv, const xmlNode *element)
{
    if (!element || g_hash_table_contains(cv->gone, element))
        return;
    g_hash_table_add(cv->gone, (gpointer) element);
    dl_edit_remove_element(cv->edits, element);
}

void
dl_conv_set(dl_conv *cv, const xmlNode *element, const char *name, const char *value)
{
    if (element && !g_hash_table_contains(cv->gone, element))
        dl_edit_set_attr(cv->edits, element, name, value);
}

void
dl_conv_unset(dl_conv *cv, const xmlNode *element, const char *name)
{
    if (element && !g_hash_table_contains(cv->gone, element))
        dl_edit_remove_attr(cv->edits, element, name);
}

void
dl_convert_ctx_options(domlint_options *options)
{
    static const char *const all[] = { "all", NULL };
    static const char *const layout[] = { "pci-layout", NULL };

    domlint_options_set_disable(options, all);
    domlint_options_set_enable(options, layout);
    domlint_options_set_layout(options, TRUE);
    domlint_options_set_no_schema(options, TRUE);
}

/* ---------------------------------------------------------------- machines */

static gboolean
convertible_family(const dl_family *family)
{
    return family && (dl_str_eq(family->id, "i440fx") || dl_str_eq(family->id, "q35"));
}

/* The input's machine and family into CV->chk; FALSE with the failure set. */
static gboolean
resolve_source(dl_conv *cv)
{
    dl_check *chk = cv->chk;
    const dl_family *closest = NULL;

    chk->arch = chk->dom->arch ? chk->dom->arch : CONVERT_DEFAULT_ARCH;
    chk->machine = chk->dom->machine ? chk->dom->machine : dl_machine_db_default_machine(chk->ctx->db, chk->arch);
    if (chk->machine)
        chk->match = dl_machine_db_lookup(chk->ctx->db, chk->arch, chk->machine, &chk->family, &closest);
    if (!convertible_family(chk->family) || chk->match == DL_MATCH_WRONG_ARCH || chk->match == DL_MATCH_NONE) {
        cv->res->failure = g_strdup_printf("the machine '%s' (arch '%s') is not an i440fx or q35 machine type: only those are converted",
                                           chk->machine ? chk->machine : "", chk->arch);
        return FALSE;
    }
    if (!chk->dom->os_type) {
        cv->res->failure = g_strdup("the domain has no <os><type> to write the machine type into");
        return FALSE;
    }
    chk->canonical = dl_family_canonical(chk->family, chk->machine);
    return TRUE;
}

static gboolean
resolve_target(dl_conv *cv)
{
    const dl_family *closest = NULL;
    const dl_family *to = NULL;
    dl_match_result m = dl_machine_db_lookup(cv->chk->ctx->db, cv->chk->arch, cv->opt->machine, &to, &closest);

    if (m != DL_MATCH_OK || !convertible_family(to)) {
        const char *near = dl_machine_db_suggest(cv->chk->ctx->db, cv->chk->arch, cv->opt->machine);
        g_autofree char *hint = near ? g_strdup_printf(" (did you mean '%s'?)", near) : g_strdup("");

        cv->res->failure = g_strdup_printf("--machine '%s' is not an i440fx or q35 machine type of the target for arch '%s'%s",
                                           cv->opt->machine, cv->chk->arch, hint);
        return FALSE;
    }
    cv->to = to;
    cv->to_machine = cv->opt->machine;
    cv->to_canonical = dl_family_canonical(to, cv->opt->machine);
    cv->cross = to != cv->chk->family;
    return TRUE;
}

static void
convert_machine(dl_conv *cv)
{
    const dl_domain *dom = cv->chk->dom;

    if (dl_str_eq(dom->machine, cv->to_machine))
        return;
    dl_conv_set(cv, dom->os_type, "machine", cv->to_machine);
    dl_conv_note(cv, dom->os_type, TRUE, "machine '%s' is now '%s'%s%s%s",
                 cv->chk->machine, cv->to_machine,
                 dl_str_eq(cv->to_machine, cv->to_canonical) ? "" : " (",
                 dl_str_eq(cv->to_machine, cv->to_canonical) ? "" : cv->to_canonical,
                 dl_str_eq(cv->to_machine, cv->to_canonical) ? "" : " on the target)");
}

/* ---------------------------------------------------------------- devices */

static gboolean
is_pci_controller(const dl_device *d)
{
    return d->kind == DL_DEV_CONTROLLER && dl_str_eq(d->type, "pci");
}

static gboolean
is_expander(const char *model)
{
    return dl_str_eq(model, "pci-expander-bus") || dl_str_eq(model, "pcie-expander-bus");
}

/* The root: the other family's model, without what only the old root takes. */
static void
convert_root(dl_conv *cv, const dl_device *d)
{
    const char *root = dl_root_model_name(cv->to->root);
    xmlNode *name = dl_device_child(d, "model");

    dl_conv_set(cv, d->node, "model", root);
    dl_conv_remove(cv, name);
    if (d->target_node && dl_xml_attr(d->target_node, "hotplug") && !dl_family_has_feature(cv->to, "root-hotplug")) {
        dl_conv_unset(cv, d->target_node, "hotplug");
        dl_conv_note(cv, d->target_node, TRUE, "removed hotplug='%s' of the PCI root: the %s root has no such switch",
                     dl_xml_attr(d->target_node, "hotplug"), cv->to->id);
    }
    dl_conv_note(cv, d->node, FALSE, "the PCI root is now %s", root);
}

/* Is D on one of the buses of BUSES (a set of bus numbers)? */
static gboolean
on_buses(const dl_device *d, GHashTable *buses)
{
    return d->node && d->addr.type == DL_ADDR_PCI && d->addr.bus.valid &&
           g_hash_table_contains(buses, GUINT_TO_POINTER((guint) d->addr.bus.value + 1));
}

/* The devices other than PCI controllers below bus INDEX, through any controllers between. */
static guint
devices_behind(const dl_domain *dom, int index)
{
    g_autoptr(GHashTable) buses = g_hash_table_new(NULL, NULL);
    gboolean grew = TRUE;
    guint n = 0;

    /* bus numbers are stored plus one: a set of pointers cannot hold 0 */
    g_hash_table_add(buses, GUINT_TO_POINTER((guint) index + 1));
    while (grew) {
        grew = FALSE;
        for (guint i = 0; i < dom->devices->len; i++) {
            const dl_device *c = g_ptr_array_index(dom->devices, i);
            gpointer key = GUINT_TO_POINTER((guint) c->auto_index + 1);
            if (is_pci_controller(c) && c->auto_index > 0 && on_buses(c, buses) && !g_hash_table_contains(buses, key)) {
                g_hash_table_add(buses, key);
                grew = TRUE;
            }
        }
    }
    for (guint i = 0; i < dom->devices->len; i++) {
        const dl_device *e = g_ptr_array_index(dom->devices, i);
        if (!is_pci_controller(e) && on_buses(e, buses))
            n++;
    }
    return n;
}

/*
 * An expander bus stays, as the other chipset's: its bus number and NUMA
 * node are the point of it.  libvirt never puts a device behind one by
 * itself, so the devices that were there go where the layout puts them:
 * the note says so, for the user to move them back.
 */
static void
convert_expander(dl_conv *cv, const dl_device *d)
{
    const char *model = dl_str_eq(d->model, "pci-expander-bus") ? "pcie-expander-bus" : "pci-expander-bus";
    guint behind = devices_behind(cv->chk->dom, d->auto_index);

    dl_conv_set(cv, d->node, "model", model);
    dl_conv_remove(cv, dl_device_child(d, "model"));
    if (!dl_family_allows_controller(cv->to, model)) {
        dl_conv_error(cv, d->node, "the %s (controller pci index %d) cannot be converted: %s machines have no %s",
                      d->model, d->auto_index, cv->to->id, model);
        return;
    }
    if (behind > 0)
        dl_conv_note(cv, d->node, TRUE, "the %s (controller pci index %d) is now a %s with the same bus number and NUMA node; the devices behind it (%u) go where libvirt's layout puts them (it never uses an expander bus by itself): move them back behind it%s",
                     d->model, d->auto_index, model, behind,
                     dl_str_eq(model, "pcie-expander-bus") ? " through a pcie-root-port" : "");
    else
        dl_conv_note(cv, d->node, TRUE, "the %s (controller pci index %d) is now a %s with the same bus number and NUMA node",
                     d->model, d->auto_index, model);
}

/*
 * The PCI controllers of the old topology go: the bridges, root ports and
 * switches of one chipset are not what the other's layout builds, and the
 * layout adds the ones the devices need.
 */
static void
convert_pci_controllers(dl_conv *cv)
{
    GPtrArray *devices = cv->chk->dom->devices;
    guint removed = 0;

    for (guint i = 0; i < devices->len; i++) {
        const dl_device *d = g_ptr_array_index(devices, i);

        if (!d->node || !is_pci_controller(d))
            continue;
        if (d->auto_index == 0) {
            convert_root(cv, d);
        } else if (is_expander(d->model)) {
            convert_expander(cv, d);
        } else {
            dl_conv_remove(cv, d->node);
            removed++;
        }
    }
    if (removed > 0)
        dl_conv_note(cv, cv->chk->dom->devices_node, TRUE,
                     "removed %u PCI controller%s of the %s topology: the layout adds the ones the devices need on %s",
                     removed, removed == 1 ? "" : "s", cv->chk->family->id, cv->to->id);
}

/* A PCI address the target takes as it is: on the root, not a chipset slot. */
static gboolean
address_keeps(const dl_conv *cv, const dl_device *d)
{
    const dl_address *a = &d->addr;

    if (!cv->opt->keep_addresses || g_hash_table_contains(cv->drop_addr, d))
        return FALSE;
    if (!dl_device_has_pci_address(d) || !dl_pci_addr_wanted(a) || a->bus.value != 0)
        return FALSE;
    if (is_pci_controller(d))
        return FALSE;
    /* the chipset's own slot: 01 on i440fx (ISA, IDE, USB, PM), 1f on q35 (LPC, SATA, SMBus) */
    if (dl_family_builtin_at(cv->to, (unsigned) a->slot.value, 0) ||
        dl_family_builtin_at(cv->to, (unsigned) a->slot.value, (unsigned) a->function.value))
        return FALSE;
    return TRUE;
}

static void
convert_addresses(dl_conv *cv)
{
    GPtrArray *devices = cv->chk->dom->devices;
    guint dropped = 0, kept = 0;

    for (guint i = 0; i < devices->len; i++) {
        const dl_device *d = g_ptr_array_index(devices, i);

        if (!d->node || d->addr.type != DL_ADDR_PCI || !d->addr.node || g_hash_table_contains(cv->gone, d->node))
            continue;
        if (address_keeps(cv, d)) {
            kept++;
            continue;
        }
        dl_conv_remove(cv, d->addr.node);
        dropped++;
    }
    if (dropped > 0)
        dl_conv_note(cv, cv->chk->dom->devices_node, TRUE,
                     "took the PCI addresses of %u device%s away, for the layout libvirt gives them on %s%s",
                     dropped, dropped == 1 ? "" : "s", cv->to->id,
                     kept ? " (the others are kept: --keep-addresses)" : "");
    if (kept > 0 && cv->to->root == DL_ROOT_PCIE)
        dl_conv_note(cv, cv->chk->dom->devices_node, TRUE,
                     "kept the PCI addresses of %u device%s on pcie-root: there they are integrated endpoints, which cannot be hot-unplugged",
                     kept, kept == 1 ? "" : "s");
}

/* USB: the controller libvirt gives a new guest of the target, where the old one is the old chipset's. */
static void
convert_usb(dl_conv *cv)
{
    GPtrArray *devices = cv->chk->dom->devices;
    const char *model = dl_family_default(cv->to, "usb-implicit");

    if (!dl_str_eq(cv->to->id, "q35") || !model)
        return;
    for (guint i = 0; i < devices->len; i++) {
        const dl_device *d = g_ptr_array_index(devices, i);
        const char *old = dl_xml_attr(d->node, "model");

        if (!d->node || d->kind != DL_DEV_CONTROLLER || !dl_str_eq(d->type, "usb"))
            continue;
        /* an explicit controller without model is piix3-uhci on both chipsets */
        if (old && !dl_str_eq(old, "piix3-uhci") && !dl_str_eq(old, "piix4-uhci"))
            continue;
        dl_conv_set(cv, d->node, "model", model);
        g_hash_table_add(cv->drop_addr, (gpointer) d);
        dl_conv_note(cv, d->node, TRUE, "USB controller %d: %s (a PIIX southbridge function) is now %s, what libvirt gives a new q35 guest",
                     d->auto_index, old ? old : "piix3-uhci", model);
    }
}

/* The watchdog of the ICH9 LPC bridge has no i440fx counterpart but a PCI watchdog. */
static void
convert_watchdog(dl_conv *cv, const dl_device *d)
{
    if (!dl_str_eq(d->model, "itco") || dl_str_eq(cv->to->id, "q35"))
        return;
    dl_conv_set(cv, d->node, "model", "i6300esb");
    dl_conv_note(cv, d->node, TRUE, "watchdog itco (part of q35's ICH9 chipset) is now i6300esb, a PCI watchdog i440fx guests have");
}

/* A device whose model needs a machine feature the target family lacks. */
static void
check_feature(dl_conv *cv, const dl_device *d)
{
    const dl_dev_model *m = dl_device_model_entry(cv->chk, d);
    g_autofree char *what = NULL;

    if (!m || !m->feature || dl_family_has_feature(cv->to, m->feature))
        return;
    what = dl_device_describe(d);
    dl_conv_error(cv, d->node, "the %s cannot be converted: %s machines have no %s",
                  what, cv->to->id, m->feature);
}

static void
convert_devices(dl_conv *cv)
{
    GPtrArray *devices = cv->chk->dom->devices;

    for (guint i = 0; i < devices->len; i++) {
        const dl_device *d = g_ptr_array_index(devices, i);

        if (!d->node)
            continue;
        if (d->kind == DL_DEV_WATCHDOG)
            convert_watchdog(cv, d);
        check_feature(cv, d);
    }
}

/* ---------------------------------------------------------------- firmware */

static gboolean
secure_boot(const dl_domain *dom)
{
    xmlNode *loader = dl_xml_child(dom->os, "loader");
    xmlNode *fw = dl_xml_child(dom->os, "firmware");

    if (dl_str_eq(dl_xml_attr(loader, "secure"), "yes"))
        return TRUE;
    for (xmlNode *f = dl_xml_first(fw, "feature"); f; f = dl_xml_next(f)) {
        if (dl_str_eq(dl_xml_attr(f, "name"), "secure-boot") && dl_str_eq(dl_xml_attr(f, "enabled"), "yes"))
            return TRUE;
    }
    return FALSE;
}

/*
 * Secure boot: OVMF's secure build needs SMM, which QEMU gives only q35
 * guests (libvirt: "Secure boot is supported with q35 machine types only").
 */
static void
convert_firmware(dl_conv *cv)
{
    const dl_domain *dom = cv->chk->dom;

    if (!secure_boot(dom))
        return;
    if (dl_str_eq(cv->to->id, "i440fx")) {
        dl_conv_error(cv, dom->os, "secure boot cannot be converted: it needs SMM, which only q35 machines have; turn secure boot off first");
        return;
    }
    if (!dl_xml_child(dom->features, "smm"))
        dl_conv_note(cv, dom->os, FALSE, "secure boot needs SMM: libvirt turns <smm> on for it");
}

/* The text of NODE without surrounding blanks (caller frees), or NULL. */
static char *
node_text(xmlNode *node)
{
    xmlChar *content = node ? xmlNodeGetContent(node) : NULL;
    char *text = content ? g_strstrip(g_strdup((const char *) content)) : NULL;

    xmlFree(content);
    return text;
}

/*
 * What only q35 machines have in <features> and <vcpu>: an SMM TSEG size
 * (libvirt refuses it elsewhere; the guest gets QEMU's default, removed)
 * and more vCPUs than the 255 an i440fx board takes (refused).
 */
static void
convert_features(dl_conv *cv)
{
    const dl_domain *dom = cv->chk->dom;
    g_autofree char *vcpus = node_text(dom->vcpu);
    dl_num n = dl_num_parse(vcpus, 10);

    if (dom->smm_tseg && !dl_family_has_feature(cv->to, "smm-tseg")) {
        dl_conv_remove(cv, dom->smm_tseg);
        dl_conv_note(cv, dom->smm_tseg, TRUE, "removed the SMM TSEG size: %s machines have no extended TSEG, the guest gets QEMU's default",
                     cv->to->id);
    }
    if (n.valid && n.value > 255 && !dl_family_has_feature(cv->to, "many-vcpus"))
        dl_conv_error(cv, dom->vcpu, "%" G_GUINT64_FORMAT " vCPUs cannot be converted: %s machines take at most 255",
                      n.value, cv->to->id);
}

/* ---------------------------------------------------------------- the run */

/* The first pass: the edits, applied.  NULL when nothing is to change. */
static char *
first_pass(dl_conv *cv, gsize *len)
{
    convert_machine(cv);
    if (cv->cross) {
        convert_firmware(cv);
        convert_features(cv);
        convert_usb(cv);
        convert_devices(cv);
        dl_convert_disks(cv);
        convert_pci_controllers(cv);
        convert_addresses(cv);
    } else {
        dl_convert_disks(cv);
    }
    return dl_edits_apply(cv->edits, len);
}

/* A repair's message without its "fixed (safe): " head. */
static const char *
fix_words(const char *message)
{
    const char *colon = strstr(message, "): ");

    return g_str_has_prefix(message, "fixed (") && colon ? colon + 3 : message;
}

/*
 * The second pass: --fix --layout with pci-layout alone writes libvirt's
 * addresses and the controllers it adds.  FALSE when the layout fails.
 */
static gboolean
lay_out(dl_conv *cv, const char *name, char *text, gsize len)
{
    g_autofree char *fixed = NULL;
    gsize fixed_len = 0;
    domlint_result *r = domlint_fix_memory(cv->chk->ctx, name, text, len, &fixed, &fixed_len);
    gboolean ok = r && r->status == DOMLINT_FILE_CHECKED;

    for (guint i = 0; ok && i < r->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(r->diags, i);

        /* the layout's repairs, in the words of --fix --layout: where libvirt
         * would put the device anyway, but not where the guest had it */
        if (d->severity == DOMLINT_SEV_NOTE && d->fix_class != DOMLINT_FIX_NONE)
            dl_conv_note(cv, NULL, TRUE, "%s", fix_words(d->message));
        else if (d->severity == DOMLINT_SEV_ERROR)
            dl_conv_error(cv, NULL, "after the conversion, %s", d->message);
    }
    if (r && r->status != DOMLINT_FILE_CHECKED)
        cv->res->failure = g_strdup(r->failure ? r->failure : "the converted text cannot be read");
    domlint_result_free(r);
    if (!ok || cv->res->errors->len > 0)
        return FALSE;
    /* another chipset: the PCI devices are elsewhere, whether written or left to libvirt */
    cv->res->new_pci = TRUE;
    if (fixed) {
        cv->res->text = g_steal_pointer(&fixed);
        cv->res->len = fixed_len;
    } else {
        cv->res->text = g_memdup2(text, len + 1);
        cv->res->len = len;
    }
    return TRUE;
}

static void
conv_run(dl_conv *cv, const char *name)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!resolve_source(cv) || !resolve_target(cv))
        return;
    cv->edits = dl_edits_new(cv->chk->src);
    text = first_pass(cv, &len);
    if (cv->res->errors->len > 0)
        return;
    if (!cv->cross) {
        cv->res->text = g_steal_pointer(&text);
        cv->res->len = len;
        return;
    }
    lay_out(cv, name, text, len);
}

dl_convert_result *
dl_convert(domlint_ctx *ctx, const char *name, const char *data, gsize len,
           const dl_convert_options *opt)
{
    dl_convert_result *res = g_new0(dl_convert_result, 1);
    g_autofree char *reason = NULL;
    g_autoptr(dl_source) src = NULL;
    dl_check chk = { 0 };
    dl_conv cv = { 0 };
    xmlNode *root;

    res->errors = g_array_new(FALSE, TRUE, sizeof(dl_convert_note));
    res->notes = g_array_new(FALSE, TRUE, sizeof(dl_convert_note));
    g_array_set_clear_func(res->errors, note_clear);
    g_array_set_clear_func(res->notes, note_clear);
    src = dl_source_parse(data, len, &reason);
    if (!src) {
        res->failure = g_steal_pointer(&reason);
        return res;
    }
    root = xmlDocGetRootElement(src->doc);
    if (!root || strcmp((const char *) root->name, "domain") != 0) {
        res->failure = g_strdup("root element is not <domain>: not a libvirt domain XML");
        return res;
    }
    chk.ctx = ctx;
    chk.file = name;
    chk.src = src;
    chk.dom = dl_domain_new(src->doc, ctx->devices);
    cv.chk = &chk;
    cv.opt = opt;
    cv.res = res;
    cv.gone = g_hash_table_new(NULL, NULL);
    cv.drop_addr = g_hash_table_new(NULL, NULL);
    conv_run(&cv, name);
    /* in the order of the file; the layout's notes (no line of the input) last */
    g_array_sort(res->errors, note_order);
    g_array_sort(res->notes, note_order);
    dl_edits_free(cv.edits);
    g_hash_table_unref(cv.gone);
    g_hash_table_unref(cv.drop_addr);
    dl_domain_free(chk.dom);
    return res;
}
