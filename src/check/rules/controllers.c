/*
 * controllers.c - rules about controllers: root bus, indexes, which PCI
 * controller models a machine can have, their <model name> and options
 *
 * libvirt spreads these checks over its parser, post-parse, validation and
 * address-assignment code and stops at the first; here each is a rule of
 * its own and every controller is looked at.
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "fix/fix.h"

/* The lowest index no controller of TYPE has, from FROM up, and that no
 * other fix of this round gave away (it is taken from then on). */
static int
free_index(dl_check *chk, const char *type, int from)
{
    for (int idx = from;; idx++) {
        g_autofree char *key = NULL;

        if (dl_domain_controller(chk->dom, type, idx))
            continue;
        key = g_strdup_printf("controller-index:%s:%d", type, idx);
        if (dl_fix_claim(chk, key))
            return idx;
    }
}

/* ---------------------------------------------------------------- pci-root */

static void
check_root_index(dl_check *chk, const dl_device *c)
{
    domlint_diag *d;

    if (c->auto_index == 0)
        return;
    if (chk->family && chk->family->multi_root && dl_str_eq(c->model, "pci-root"))
        return;     /* pSeries: extra PHBs are pci-root controllers with index > 0 */
    d = dl_error(chk, c->node,
                 "%s is the root bus and must have index 0, not %d: a machine has exactly one root bus",
                 c->model, c->auto_index);
    dl_diag_fixit(d, "remove this controller or give it index='0'");
    dl_fix_remove(dl_fix_new(chk, DL_VISIBLE, c->node, "removed the second root bus (%s with index %d): a machine has one",
                             c->model, c->auto_index), c->node);
}

static void
fix_root_at_zero(dl_check *chk, const dl_device *c, const char *root_model)
{
    g_autofree char *idx = NULL;

    if (!c->model || dl_pci_model_is_root(c->model)) {
        /* with no model written libvirt fills in the same one: only a replaced root is seen */
        dl_fix_set(dl_fix_new(chk, c->model ? DL_VISIBLE : DL_SAFE, c->node,
                              "made the root bus a %s, the root of the %s machine '%s'",
                              root_model, chk->family->title, dl_machine_label(chk)),
                   c->node, "model", root_model);
        return;
    }
    /* a controller that took the root's index: give it a free one, libvirt adds the root */
    idx = g_strdup_printf("%d", free_index(chk, "pci", 1));
    dl_fix_set(dl_fix_new(chk, DL_VISIBLE, c->node, "gave the %s controller index %s; index 0 is the root bus",
                          c->model, idx),
               c->node, "index", idx);
}

static void
check_root_at_zero(dl_check *chk, const dl_device *c, const char *root_model)
{
    domlint_diag *d;

    if (c->auto_index != 0)
        return;
    if (!root_model) {
        if (!chk->family || !dl_pci_model_is_root(c->model))
            return;
        if (dl_family_refuses(chk->family, "pci-controllers")) {
            dl_diag_fixit(dl_error(chk, c->node,
                                   "the %s machine '%s' has no PCI bus, and libvirt %s refuses PCI controllers there (\"Machine type '%s' does not support PCI\")",
                                   chk->family->title, dl_machine_label(chk), chk->ctx->target->libvirt,
                                   dl_machine_label(chk)),
                          "remove the PCI controllers, or use a machine type with PCI");
            /* QEMU never created it: nothing the guest had goes */
            dl_fix_remove(dl_fix_new(chk, DL_SAFE, c->node, "removed the %s, which the %s machine '%s' cannot have",
                                     c->model, chk->family->title, dl_machine_label(chk)),
                          c->node);
        } else
            dl_warning(chk, c->node,
                       "the %s machine '%s' has no PCI bus: QEMU will not create this %s",
                       chk->family->title, dl_machine_label(chk), c->model);
        return;
    }
    if (dl_str_eq(c->model, root_model))
        return;
    if (c->index.present)
        d = dl_error(chk, c->node,
                     "the PCI controller with index 0 is the root bus, which on the %s machine '%s' is a %s, not a %s",
                     chk->family->title, dl_machine_label(chk), root_model,
                     c->model ? c->model : "(no model)");
    else
        d = dl_error(chk, c->node,
                     "this %s controller has no index, so libvirt gives it index 0, which is the root bus (a %s on machine '%s')",
                     c->model ? c->model : "pci", root_model, dl_machine_label(chk));
    dl_diag_fixit(d, "use <controller type='pci' index='0' model='%s'/> as the root and give other PCI controllers index > 0",
                  root_model);
    fix_root_at_zero(chk, c, root_model);
}

static void
check_pci_root(dl_check *chk)
{
    const char *root_model = dl_family_root_model(chk->family);

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        if (!dl_is_pci_controller(c))
            continue;
        if (dl_pci_model_is_root(c->model)) {
            check_root_index(chk, c);
            if (c->addr.type != DL_ADDR_NONE)
            {
                dl_diag_fixit(dl_error(chk, dl_addr_node(c), "%s is the root bus and cannot have an <address>",
                                       c->model),
                              "remove the <address> of the %s", c->model);
                dl_fix_drop_address(chk, DL_SAFE, c, "a root bus has no address");
            }
        }
        if (chk->family)
            check_root_at_zero(chk, c, root_model);
    }
}

const dl_rule dl_rule_pci_root = {
    .id = "pci-root",
    .summary = "index 0 is the machine's root bus model (pci-root or pcie-root), with no address",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_pci_root,
};

/* -------------------------------------------------------- controller-index */

static gboolean
usb_index_clash(const dl_check *chk, const dl_device *a, const dl_device *b)
{
    /* a USB2 set shares one index: ehci1 with its uhci companions */
    if (dl_usb_is_companion(chk, a->model) || dl_usb_is_companion(chk, b->model))
        return dl_str_eq(a->model, b->model);
    return TRUE;
}

/*
 * Give controller C, whose index libvirt refuses (WHY), the lowest free
 * index of its type.  Nothing can name the old one: a drive, virtio-serial
 * or PCI address holds a number libvirt takes, which this one is not.
 */
static void
renumber(dl_check *chk, const dl_device *c, const char *why)
{
    g_autofree char *idx = g_strdup_printf("%d", free_index(chk, c->type, dl_is_pci_controller(c) ? 1 : 0));

    dl_fix_set(dl_fix_new(chk, DL_VISIBLE, c->node, "gave the %s controller whose index '%s' %s index %s",
                          c->type, c->index.text ? c->index.text : "", why, idx),
               c->node, "index", idx);
}

static void
check_controller_index(dl_check *chk)
{
    GPtrArray *devs = chk->dom->devices;

    for (guint i = 0; i < devs->len; i++) {
        const dl_device *c = g_ptr_array_index(devs, i);
        if (c->kind != DL_DEV_CONTROLLER)
            continue;
        if (c->index.present && !c->index.valid) {
            dl_diag_fixit(dl_error(chk, c->node, "controller index '%s' is not a non-negative number", c->index.text),
                          "use a whole number from 0 up, or remove index= (libvirt numbers the controller)");
            renumber(chk, c, "is not a number libvirt takes");
            continue;
        }
        if (c->index.valid && c->index.value > G_MAXINT) {
            dl_diag_fixit(dl_error(chk, c->node, "controller index '%s' is out of range: libvirt reads it as an int, at most %d",
                                   c->index.text, G_MAXINT),
                          "use an index from 0 to %d, or remove index= (libvirt numbers the controller)", G_MAXINT);
            renumber(chk, c, "is out of range");
            continue;
        }
        if (dl_is_pci_controller(c) && c->auto_index > 255) {
            dl_diag_fixit(dl_error(chk, c->node, "PCI controller index %d is too high: the maximum is 255",
                                   c->auto_index),
                          "use an index from 0 to 255, or remove index= (libvirt numbers the controller)");
            renumber(chk, c, "is above 255");
            continue;
        }
        for (guint j = 0; j < i; j++) {
            const dl_device *o = g_ptr_array_index(devs, j);
            domlint_diag *d;
            if (o->kind != DL_DEV_CONTROLLER || !dl_str_eq(o->type, c->type) ||
                o->auto_index != c->auto_index || c->auto_index < 0)
                continue;
            if (dl_str_eq(c->type, "usb") && !usb_index_clash(chk, o, c))
                continue;
            d = dl_error(chk, c->node, "two '%s' controllers have index %d", c->type, c->auto_index);
            dl_diag_fixit(d, "give one of them another index, or remove index= from it (libvirt numbers it)");
            dl_diag_note(chk, d, o->node, "the other %s controller with index %d is here",
                         c->type, c->auto_index);
            /* devices naming the index stay with the first controller that has it */
            {
                g_autofree char *idx = g_strdup_printf("%d", free_index(chk, c->type,
                                                                      dl_is_pci_controller(c) ? 1 : 0));
                dl_fix_set(dl_fix_new(chk, DL_VISIBLE, c->node, "gave the second %s controller with index %d index %s",
                                      c->type, c->auto_index, idx),
                           c->node, "index", idx);
            }
            break;
        }
    }
}

const dl_rule dl_rule_controller_index = {
    .id = "controller-index",
    .summary = "controller indexes are numbers, unique per type (USB2 companion sets excepted), PCI at most 255",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_controller_index,
};

/* ------------------------------------------------ pci-controller-machine */

static gboolean
is_express_only(const dl_check *chk, const char *model)
{
    const dl_pci_controller *c = dl_devices_pci_controller(chk->ctx->devices, model);

    return c && c->express;
}

static void
report_unavailable(dl_check *chk, const dl_device *c)
{
    const dl_family *f = chk->family;
    const char *machine = dl_machine_label(chk);
    domlint_diag *d;

    if (dl_str_eq(c->model, "pci-expander-bus") || dl_str_eq(c->model, "pcie-expander-bus")) {
        const char *other = dl_str_eq(c->model, "pci-expander-bus") ? "pcie-expander-bus" : "pci-expander-bus";
        g_autofree char *where = dl_families_with(chk, dl_family_allows_controller, c->model);

        d = dl_error(chk, c->node, "%s (%s) exists only on %s machines; '%s' is a %s machine",
                     c->model, dl_pci_controller_device(chk, c->model), where, machine, f->title);
        if (dl_family_allows_controller(f, other))
            dl_diag_fixit(d, dl_str_eq(other, "pcie-expander-bus")
                                 ? "use model='pcie-expander-bus' with a pcie-root-port behind it"
                                 : "use model='pci-expander-bus'");
        return;
    }
    if (is_express_only(chk, c->model) && f->root == DL_ROOT_PCI) {
        d = dl_error(chk, c->node,
                     "%s is a PCI Express controller, but the %s machine '%s' has a conventional PCI root bus (pci-root)",
                     c->model, f->title, machine);
        if (dl_family_allows_controller(f, "pci-bridge"))
            dl_diag_fixit(d, "use model='pci-bridge', or a PCI Express machine type such as q35");
        return;
    }
    dl_diag_fixit(dl_error(chk, c->node, "%s controllers do not exist on the %s machine '%s'", c->model, f->title,
                           machine),
                  "remove the %s controller, or use a machine type that has one", c->model);
}

/* The model a controller the machine lacks becomes, or NULL. */
static const char *
replacement_model(const dl_check *chk, const char *model)
{
    const dl_family *f = chk->family;

    if (dl_str_eq(model, "pci-expander-bus") && dl_family_allows_controller(f, "pcie-expander-bus"))
        return "pcie-expander-bus";
    if (dl_str_eq(model, "pcie-expander-bus") && dl_family_allows_controller(f, "pci-expander-bus"))
        return "pci-expander-bus";
    /* pSeries: an extra PHB is what an expander bus is elsewhere */
    if ((dl_str_eq(model, "pci-expander-bus") || dl_str_eq(model, "pcie-expander-bus")) &&
        f->multi_root)
        return "pci-root";
    /* on conventional PCI every PCI Express port or bridge becomes a plain pci-bridge */
    if (is_express_only(chk, model) && f->root == DL_ROOT_PCI && dl_family_allows_controller(f, "pci-bridge"))
        return "pci-bridge";
    return NULL;
}

static void
fix_unavailable(dl_check *chk, const dl_device *c)
{
    const char *to = replacement_model(chk, c->model);
    dl_fix *fix;

    if (!to)
        return;
    fix = dl_fix_new(chk, DL_VISIBLE, c->node, "replaced %s controller %d by a %s, which the %s machine '%s' has",
                     c->model, c->auto_index, to, chk->family->title, dl_machine_label(chk));
    dl_fix_set(fix, c->node, "model", to);
    /* the QEMU device name of the old model does not fit the new one */
    dl_fix_remove(fix, dl_device_child(c, "model"));
}

static void
check_pci_controller_machine(dl_check *chk)
{
    if (!chk->family)
        return;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        if (!dl_is_pci_controller(c) || !c->model || dl_pci_model_is_root(c->model))
            continue;
        if (!dl_pci_model_known(chk, c->model)) {
            dl_diag_fixit(dl_error(chk, c->node, "unknown PCI controller model '%s'", c->model),
                          "use a PCI controller model libvirt knows, such as pci-bridge, pcie-root-port or pcie-to-pci-bridge");
            continue;
        }
        if (chk->family->root == DL_ROOT_NONE) {
            dl_diag_fixit(dl_error(chk, c->node, "the %s machine '%s' has no PCI bus, so a %s cannot exist",
                                   chk->family->title, dl_machine_label(chk), c->model),
                          "remove the %s, or use a machine type with PCI", c->model);
            continue;
        }
        if (!dl_family_allows_controller(chk->family, c->model)) {
            report_unavailable(chk, c);
            fix_unavailable(chk, c);
        }
    }
}

const dl_rule dl_rule_pci_controller_machine = {
    .id = "pci-controller-machine",
    .summary = "the PCI controller model exists on the machine (PCI Express ports need q35/virt, pxb needs i440fx...)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_pci_controller_machine,
};

/* --------------------------------------------- pci-controller-model-name */

static void
check_model_name(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        const char *const *names;
        g_autofree char *expected = NULL;
        const char *required;
        domlint_diag *d;

        if (!dl_is_pci_controller(c) || !c->model_name || !c->model)
            continue;
        if (dl_pci_model_is_root(c->model)) {
            required = chk->family ? chk->family->root_model_name : NULL;
            if (required && dl_str_eq(c->model, "pci-root") && !dl_str_eq(c->model_name, required))
                dl_diag_fixit(dl_error(chk, c->node, "the %s of machine '%s' is a '%s', not '%s'", c->model,
                                       dl_machine_label(chk), required, c->model_name),
                              "use <model name='%s'/>, or remove <model name> (libvirt fills it)", required);
            else if (!required && chk->family)
                dl_diag_fixit(dl_error(chk, c->node, "%s takes no <model name> on machine '%s' (found '%s')",
                                       c->model, dl_machine_label(chk), c->model_name),
                              "remove <model name='%s'>", c->model_name);
            else
                continue;
            /* the root's model name is libvirt's to fill in (or leave out) */
            dl_fix_remove(dl_fix_new(chk, DL_SAFE, c->node, "removed <model name='%s'/> from the %s, which libvirt names itself",
                                     c->model_name, c->model),
                          dl_device_child(c, "model"));
            continue;
        }
        names = dl_controller_model_names(chk, c->model);
        if (!names || g_strv_contains(names, c->model_name))
            continue;
        expected = g_strjoinv("' or '", (char **) names);
        d = dl_error(chk, c->node,
                     "<model name='%s'> is not a QEMU device for a %s controller (index %d); it must be '%s'",
                     c->model_name, c->model, c->auto_index, expected);
        dl_diag_fixit(d, "use <model name='%s'/> or leave it out", names[0]);
        dl_fix_remove(dl_fix_new(chk, DL_VISIBLE, c->node, "removed <model name='%s'/> from %s controller %d; libvirt uses '%s'",
                                 c->model_name, c->model, c->auto_index, names[0]),
                      dl_device_child(c, "model"));
    }
}

const dl_rule dl_rule_pci_controller_model_name = {
    .id = "pci-controller-model-name",
    .summary = "a PCI controller's <model name> is a QEMU device that implements its model",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_model_name,
};

/* ------------------------------------------------ pci-controller-options */

/* Does controller C take <target> OPTION (the device catalogue's <option>)?
 * Options domlint does not describe are left to the schema. */
static gboolean
option_allowed(const dl_check *chk, const char *option, const dl_device *c)
{
    const dl_pci_controller *entry = dl_devices_pci_controller(chk->ctx->devices, c->model);
    const char *feature = NULL;

    if (!entry)
        return TRUE;
    if (!dl_pci_controller_takes(entry, option, &feature))
        return FALSE;
    return !feature || dl_family_has_feature(chk->family, feature);
}

static void
check_range(dl_check *chk, const dl_device *c, const char *option, const char *attr,
            const dl_num *n, guint64 min, guint64 max)
{
    if (!n->present || (n->valid && n->value >= min && n->value <= max))
        return;
    dl_diag_fixit(dl_error(chk, c->target_node ? c->target_node : c->node,
                           "%s '%s' of %s controller %d is out of range: it must be %" G_GUINT64_FORMAT
                           "-%" G_GUINT64_FORMAT, option, n->text ? n->text : "?", c->model, c->auto_index,
                           min, max),
                  "use a %s from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT ", or remove %s= (libvirt picks one)", option, min, max, attr);
    dl_fix_unset(dl_fix_new(chk, DL_VISIBLE, c->target_node, "removed %s='%s' from %s controller %d; libvirt picks a valid one",
                            attr, n->text ? n->text : "", c->model, c->auto_index),
                 c->target_node, attr);
}

static void
check_option_presence(dl_check *chk, const dl_device *c, const char *option, gboolean present)
{
    domlint_diag *d;

    if (!present || option_allowed(chk, option, c))
        return;
    d = dl_error(chk, c->target_node ? c->target_node : c->node,
                 "option '%s' is not valid for a %s controller (index %d)", option, c->model,
                 c->auto_index);
    dl_diag_fixit(d, "remove %s='...' from <target>", option);
    dl_fix_unset(dl_fix_new(chk, DL_SAFE, c->target_node, "removed option '%s', which a %s controller does not take",
                            option, c->model),
                 c->target_node, option);
}

static void
check_target_index(dl_check *chk, const dl_device *c)
{
    gboolean phb = chk->family && chk->family->multi_root && dl_str_eq(c->model, "pci-root");

    if (!c->target_index.present)
        return;
    if (!phb) {
        dl_diag_fixit(dl_error(chk, c->target_node, "option 'targetIndex' (<target index>) is only valid for pSeries PHBs, not for a %s controller (index %d)",
                               c->model, c->auto_index),
                      "remove <target index> from the %s controller", c->model);
        dl_fix_unset(dl_fix_new(chk, DL_SAFE, c->target_node, "removed <target index> from %s controller %d",
                                c->model, c->auto_index), c->target_node, "index");
        return;
    }
    check_range(chk, c, "target index", "index", &c->target_index, 0, 30);
    if (c->target_index.valid && ((c->target_index.value == 0) != (c->auto_index == 0)))
    {
        dl_diag_fixit(dl_error(chk, c->target_node,
                               "only the PCI controller with index 0 can have target index 0, and it must have it (controller %d has target index %" G_GUINT64_FORMAT ")",
                               c->auto_index, c->target_index.value),
                      c->auto_index == 0 ? "give the PCI controller with index 0 target index='0'" : "give this controller a target index other than 0");
        if (c->auto_index == 0)
            dl_fix_set(dl_fix_new(chk, DL_VISIBLE, c->target_node, "set target index 0 on the default PHB"),
                       c->target_node, "index", "0");
        else
            dl_fix_unset(dl_fix_new(chk, DL_VISIBLE, c->target_node, "removed target index 0 from PHB %d; libvirt picks a free one",
                                    c->auto_index), c->target_node, "index");
    }
}

static void
drop_numa_node(dl_check *chk, const dl_device *c, const char *why)
{
    xmlNode *node = NULL;

    for (xmlNode *n = c->target_node ? c->target_node->children : NULL; n && !node; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && dl_str_eq((const char *) n->name, "node"))
            node = n;
    }
    dl_fix_remove(dl_fix_new(chk, DL_VISIBLE, node, "removed the NUMA node of %s controller %d (%s)",
                             c->model, c->auto_index, why), node);
}

static void
check_numa_node(dl_check *chk, const dl_device *c)
{
    gboolean takes_node = dl_str_eq(c->model, "pci-expander-bus") ||
                          dl_str_eq(c->model, "pcie-expander-bus") ||
                          (chk->family && chk->family->multi_root && dl_str_eq(c->model, "pci-root"));

    if (!c->numa_node.present)
        return;
    if (c->auto_index == 0) {
        dl_diag_fixit(dl_error(chk, c->target_node, "the PCI controller with index 0 cannot be tied to a NUMA node"),
                      "remove <node> from the <target> of PCI controller 0");
        drop_numa_node(chk, c, "index 0 cannot have one");
        return;
    }
    if (!takes_node) {
        dl_diag_fixit(dl_error(chk, c->target_node, "a %s controller cannot be tied to a NUMA node", c->model),
                      "remove <node> from the <target>: only expander buses (pci-expander-bus, pcie-expander-bus) take one");
        drop_numa_node(chk, c, "this model cannot have one");
        return;
    }
    if (!c->numa_node.valid)
        dl_diag_fixit(dl_error(chk, c->target_node, "the NUMA node of %s %d is not a number", c->model,
                               c->auto_index),
                      "give <node> the number of a guest NUMA cell, such as 0");
    else if (c->numa_node.value >= chk->dom->numa_cells)
        dl_diag_fixit(dl_error(chk, c->target_node,
                               "%s %d is tied to NUMA node %" G_GUINT64_FORMAT ", but <cpu><numa> defines %u cell%s",
                               c->model, c->auto_index, c->numa_node.value, chk->dom->numa_cells,
                               chk->dom->numa_cells == 1 ? "" : "s"),
                      chk->dom->numa_cells ? "use a <node> from 0 to the last cell of <cpu><numa>" : "define guest NUMA cells in <cpu><numa>, or remove <node>");
    else
        return;
    drop_numa_node(chk, c, "no such NUMA cell");
}

static void
check_pcihole64(dl_check *chk, const dl_device *c)
{
    g_autofree char *where = NULL;

    if (!c->pcihole64)
        return;
    if (dl_pci_model_is_root(c->model) && c->auto_index == 0 &&
        dl_family_has_feature(chk->family, "pcihole64"))
        return;
    if (!chk->family && dl_pci_model_is_root(c->model))
        return;
    where = dl_families_with(chk, dl_family_has_feature, "pcihole64");
    dl_diag_fixit(dl_error(chk, c->pcihole64, "<pcihole64> is only valid on the root bus of %s machines, not on a %s controller of machine '%s'",
                           where, c->model, dl_machine_label(chk)),
                  "remove <pcihole64> from the %s controller", c->model);
    dl_fix_remove(dl_fix_new(chk, DL_SAFE, c->pcihole64, "removed <pcihole64> from %s controller %d",
                             c->model, c->auto_index), c->pcihole64);
}

static void
check_controller_options(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        if (!dl_is_pci_controller(c) || !dl_pci_model_known(chk, c->model))
            continue;
        check_option_presence(chk, c, "chassisNr", c->chassis_nr.present);
        check_option_presence(chk, c, "chassis", c->chassis.present);
        check_option_presence(chk, c, "port", c->port.present);
        check_option_presence(chk, c, "busNr", c->bus_nr.present);
        check_option_presence(chk, c, "hotplug", c->hotplug != NULL);
        check_range(chk, c, "chassisNr", "chassisNr", &c->chassis_nr, 1, 255);
        check_range(chk, c, "chassis", "chassis", &c->chassis, 0, 255);
        check_range(chk, c, "port", "port", &c->port, 0, 255);
        check_range(chk, c, "busNr", "busNr", &c->bus_nr, 1, 254);
        check_target_index(chk, c);
        check_numa_node(chk, c);
        check_pcihole64(chk, c);
    }
}

const dl_rule dl_rule_pci_controller_options = {
    .id = "pci-controller-options",
    .summary = "chassisNr, chassis, port, busNr, target index, hotplug, NUMA node and pcihole64 only where the model takes them, in range",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_controller_options,
};

/* ----------------------------------------------- pci-controller-unique */

/*
 * QEMU identifies a PCI Express slot by chassis and slot number.  libvirt
 * passes no slot for a root port (so it is 0) and the port number as the
 * slot of a downstream port: two ports with the same key make QEMU fail at
 * start with "Can't add chassis slot", which libvirt does not check.
 */
static gboolean
express_slot_key(const dl_device *c, guint64 *chassis, guint64 *slot)
{
    if (!c->chassis.valid)
        return FALSE;
    if (dl_str_eq(c->model, "pcie-root-port")) {
        *chassis = c->chassis.value;
        *slot = 0;
        return TRUE;
    }
    if (dl_str_eq(c->model, "pcie-switch-downstream-port") && c->port.valid) {
        *chassis = c->chassis.value;
        *slot = c->port.value;
        return TRUE;
    }
    return FALSE;
}

static gboolean
chassis_used(const dl_check *chk, guint value)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        if (dl_is_pci_controller(c) && c->chassis.valid && c->chassis.value == value)
            return TRUE;
    }
    return FALSE;
}

/* A chassis number no port uses: the controller's index, as libvirt picks, or the next free. */
static guint
free_chassis(const dl_check *chk, int index)
{
    guint value = index > 0 && index <= 255 ? (guint) index : 1;

    while (value < 255 && chassis_used(chk, value))
        value++;
    return value;
}

static void
check_unique_chassis(dl_check *chk, const dl_device *c, guint i)
{
    guint64 ch, slot, och, oslot;

    if (!express_slot_key(c, &ch, &slot))
        return;
    for (guint j = 0; j < i; j++) {
        const dl_device *o = g_ptr_array_index(chk->dom->devices, j);
        domlint_diag *d;
        if (!dl_is_pci_controller(o) || !express_slot_key(o, &och, &oslot))
            continue;
        if (och != ch || oslot != slot)
            continue;
        d = dl_error(chk, c->target_node,
                     "%s %d uses chassis %" G_GUINT64_FORMAT " like %s %d: QEMU refuses a second PCI Express port in the same chassis slot",
                     c->model, c->auto_index, ch, o->model, o->auto_index);
        dl_diag_note(chk, d, o->target_node, "the other port with chassis %" G_GUINT64_FORMAT " is here", ch);
        dl_diag_fixit(d, "give each port its own chassis number (libvirt uses the controller index)");
        {
            g_autofree char *free_ch = g_strdup_printf("%u", free_chassis(chk, c->auto_index));
            dl_fix_set(dl_fix_new(chk, DL_VISIBLE, c->target_node, "gave %s %d chassis %s; chassis %" G_GUINT64_FORMAT " is taken",
                                  c->model, c->auto_index, free_ch, ch),
                       c->target_node, "chassis", free_ch);
        }
        return;
    }
}

static void
check_unique_bus_nr(dl_check *chk, const dl_device *c, guint i)
{
    if (!c->bus_nr.valid)
        return;
    for (guint j = 0; j < i; j++) {
        const dl_device *o = g_ptr_array_index(chk->dom->devices, j);
        domlint_diag *d;
        if (!dl_is_pci_controller(o) || !o->bus_nr.valid || o->bus_nr.value != c->bus_nr.value)
            continue;
        d = dl_error(chk, c->target_node,
                     "%s %d uses busNr %" G_GUINT64_FORMAT " like %s %d: QEMU refuses two expander buses with one bus number",
                     c->model, c->auto_index, c->bus_nr.value, o->model, o->auto_index);
        dl_diag_fixit(d, "remove busNr= from one of them (libvirt picks a free bus number), or give it another");
        dl_diag_note(chk, d, o->target_node, "busNr %" G_GUINT64_FORMAT " is first used here", c->bus_nr.value);
        dl_fix_unset(dl_fix_new(chk, DL_VISIBLE, c->target_node, "removed busNr %" G_GUINT64_FORMAT " from %s %d; libvirt picks a free bus number",
                                c->bus_nr.value, c->model, c->auto_index),
                     c->target_node, "busNr");
        return;
    }
}

static void
check_controller_unique(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        if (!dl_is_pci_controller(c))
            continue;
        check_unique_chassis(chk, c, i);
        check_unique_bus_nr(chk, c, i);
    }
}

const dl_rule dl_rule_pci_controller_unique = {
    .id = "pci-controller-unique",
    .summary = "PCI Express ports have distinct chassis slots and expander buses distinct bus numbers (QEMU rejects duplicates at start)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_controller_unique,
};

/* --------------------------------------------------- pci-bridge-order */

static void
check_bridge_order(dl_check *chk)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *c = g_ptr_array_index(chk->dom->devices, i);
        domlint_diag *d;
        if (!dl_is_pci_controller(c) || !dl_str_eq(c->model, "pci-bridge"))
            continue;
        if (!dl_pci_addr_wanted(&c->addr) || !c->addr.bus.valid)
            continue;
        if ((guint64) c->auto_index > c->addr.bus.value)
            continue;
        d = dl_error(chk, dl_addr_node(c),
                     "pci-bridge %d plugs into bus %" G_GUINT64_FORMAT ", but a bridge's index must be larger than the bus it sits on",
                     c->auto_index, c->addr.bus.value);
        dl_diag_fixit(d, "renumber the bridge above %" G_GUINT64_FORMAT " or move it to a lower bus",
                      c->addr.bus.value);
        dl_fix_drop_address(chk, DL_VISIBLE, c, "a bridge must sit on a bus with a lower index");
    }
}

const dl_rule dl_rule_pci_bridge_order = {
    .id = "pci-bridge-order",
    .summary = "a pci-bridge's index is larger than the index of the bus it plugs into",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_bridge_order,
};
