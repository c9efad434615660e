/*
 * test-layout.c - the placement engine (fix/layout.c)
 *
 * The first tests replay libvirt's assignment through the public API: when
 * root ports run out on pcie-root, how --fix --layout packs them, how
 * spares are counted.  The others call the repairs' placement API on one
 * domain: a free slot of the right kind (pcie-root takes no endpoint,
 * pci-root does), a root port grown for a device when no slot is free, and
 * a device moved where libvirt would place it.  Expectations are libvirt
 * 9.0's (shared/tools/libvirt-verdict).
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "testcheck.h"
#include "fix/layout.h"

/* q35 with N pcie-root-ports and NDISKS virtio disks, none with an address (caller frees). */
static char *
q35_unaddressed(guint ports, guint ndisks)
{
    GString *xml = g_string_new(TEST_HEAD("q35"));

    g_string_append(xml, "    <controller type='pci' index='0' model='pcie-root'/>\n");
    for (guint i = 1; i <= ports; i++)
        g_string_append_printf(xml, "    <controller type='pci' index='%u' model='pcie-root-port'/>\n", i);
    for (guint i = 0; i < ndisks; i++)
        g_string_append_printf(xml, "    <disk type='file' device='disk'><source file='/d%u.img'/>"
                               "<target dev='vd%c' bus='virtio'/></disk>\n", i, 'a' + i);
    g_string_append(xml, TEST_TAIL);
    return g_string_free(xml, FALSE);
}

/* The findings of RULE in R. */
static guint
count_rule(const domlint_result *r, const char *rule, const domlint_diag **first)
{
    guint n = 0;

    for (guint i = 0; i < r->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(r->diags, i);
        if (strcmp(d->rule, rule) == 0 && d->severity != DOMLINT_SEV_NOTE) {
            if (n++ == 0 && first)
                *first = d;
        }
    }
    return n;
}

/* --fix of XML on CTX (freed here); the fixed text, the result in *RESULT. */
static char *
fix_on(domlint_ctx *ctx, const char *xml, domlint_result **result)
{
    char *fixed = NULL;
    gsize len = 0;

    *result = domlint_fix_memory(ctx, "t.xml", xml, strlen(xml), &fixed, &len);
    domlint_ctx_free(ctx);
    cr_assert_not_null(fixed);
    return fixed;
}

/* The one line of TEXT that contains both A and B, or NULL (caller frees). */
static char *
line_with(const char *text, const char *a, const char *b)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (guint i = 0; lines[i]; i++) {
        if (strstr(lines[i], a) && strstr(lines[i], b))
            return g_strdup(lines[i]);
    }
    return NULL;
}

/* ------------------------------------------------- libvirt's assignment */

Test(layout, root_ports_are_exhausted_as_in_libvirt)
{
    /* 240 root ports fill slots 1-30 of pcie-root (31 is ICH9's); the 241st has none */
    g_autofree char *xml = q35_unaddressed(241, 0);
    domlint_ctx *ctx = test_ctx_new(FALSE);
    g_autoptr(domlint_result) r = domlint_check_memory(ctx, "t.xml", xml, strlen(xml));
    const domlint_diag *d = NULL;

    domlint_ctx_free(ctx);
    cr_assert_eq(count_rule(r, "pci-layout", &d), 1);
    cr_assert_eq(d->severity, DOMLINT_SEV_ERROR);
    cr_assert_eq(d->line, 6 + 241);
    test_assert_contains(d->message, "a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added");
    test_assert_contains(d->message, "pci controller 241 (pcie-root-port)");
}

Test(layout, root_ports_that_fit_are_fine)
{
    g_autofree char *xml = q35_unaddressed(240, 0);
    domlint_ctx *ctx = test_ctx_new(FALSE);
    g_autoptr(domlint_result) r = domlint_check_memory(ctx, "t.xml", xml, strlen(xml));

    domlint_ctx_free(ctx);
    cr_assert_eq(r->diags->len, 0);
}

Test(layout, fix_layout_packs_root_ports_like_libvirt)
{
    /* no video: root ports from 00:01.0, eight to a slot; the USB controller
     * libvirt adds comes before the disks, the balloon after; one spare */
    g_autofree char *xml = q35_unaddressed(0, 9);
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_on(test_ctx_new(TRUE), xml, &r);
    g_autofree char *port9 = line_with(fixed, "index='9'", "pcie-root-port");
    g_autofree char *vda = NULL;
    g_autofree char *vdi = NULL;
    char *at;

    cr_assert_eq(domlint_result_count(r, DOMLINT_SEV_ERROR), 0);
    domlint_result_free(r);
    cr_assert_not_null(port9, "no root port 9 in:\n%s", fixed);
    /* the address follows the controller line */
    at = strstr(fixed, "index='9' model='pcie-root-port'>");
    cr_assert_not_null(at);
    test_assert_contains(at, "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>");
    test_assert_contains(fixed, "index='12' model='pcie-root-port'>");
    cr_assert_null(strstr(fixed, "index='13'"), "one spare root port, not two:\n%s", fixed);
    vda = line_with(fixed, "vda", "address");
    vdi = line_with(fixed, "vdi", "address");
    cr_assert_not_null(vda);
    test_assert_contains(vda, "bus='0x02' slot='0x00'");
    test_assert_contains(vdi, "bus='0x0a' slot='0x00'");
}

Test(layout, fix_without_layout_leaves_a_clean_file_alone)
{
    g_autofree char *xml = q35_unaddressed(0, 2);
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_on(test_ctx_new(FALSE), xml, &r);

    domlint_result_free(r);
    cr_assert_str_eq(fixed, xml);
}

Test(layout, spare_ports_are_counted_and_added)
{
    /* both root ports written and used: libvirt leaves no spare */
    static const char xml[] = TEST_HEAD("q35")
        "    <controller type='pci' index='0' model='pcie-root'/>\n"
        "    <controller type='pci' index='1' model='pcie-root-port'>"
        "<address type='pci' domain='0' bus='0' slot='2' function='0'/></controller>\n"
        "    <memballoon model='virtio'><address type='pci' domain='0' bus='1' slot='0' function='0'/></memballoon>\n"
        "    <controller type='usb' index='0' model='none'/>\n"
        TEST_TAIL;
    domlint_ctx *ctx = test_ctx_new(TRUE);
    g_autoptr(domlint_result) checked = NULL;
    const domlint_diag *d = NULL;
    domlint_result *r = NULL;
    g_autofree char *fixed = NULL;

    /* --spare-ports=3, as domlint_ctx_new() sets it */
    ctx->spare_ports = 3;
    checked = domlint_check_memory(ctx, "t.xml", xml, strlen(xml));
    cr_assert_eq(count_rule(checked, "pci-layout", &d), 1);
    cr_assert_eq(d->severity, DOMLINT_SEV_WARNING);
    cr_assert_eq(d->line, 5);
    test_assert_contains(d->message, "0 empty pcie-root-ports will be left for hotplug, 3 wanted");
    fixed = fix_on(ctx, xml, &r);
    cr_assert_eq(domlint_result_count(r, DOMLINT_SEV_WARNING), 0, "still a warning after --fix");
    domlint_result_free(r);
    /* slot 1 is free (no video): the first completely free slot, packed */
    test_assert_contains(fixed, "index='4' model='pcie-root-port'>");
    cr_assert_null(strstr(fixed, "index='5'"), "three spares, not more:\n%s", fixed);
    test_assert_contains(strstr(fixed, "index='2' model='pcie-root-port'>"),
                         "slot='0x01' function='0x0' multifunction='on'");
    test_assert_contains(strstr(fixed, "index='4' model='pcie-root-port'>"),
                         "slot='0x01' function='0x2'");
}

/* ------------------------------------------------- the repairs' placement */

Test(placement, pcie_root_takes_no_endpoint)
{
    g_autofree char *xml = test_q35_nics(0, 1);
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    const dl_device *nic = test_device(t, 1);
    guint flags = dl_device_pci_connect(&t->chk, nic);
    guint bus = 99, slot = 99;

    /* pcie-root has free slots, but libvirt puts endpoints only behind ports */
    cr_assert(dl_layout_slot_free(&t->chk, nic, 0, 5));
    cr_assert_not(dl_layout_find_slot(&t->chk, nic, flags, &bus, &slot));
}

Test(placement, free_root_port_slot_is_found_and_taken)
{
    g_autofree char *xml = test_q35_nics(2, 1);
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    const dl_device *nic = test_device(t, 3);
    guint flags = dl_device_pci_connect(&t->chk, nic);
    guint bus = 99, slot = 99;

    /* bus 1 holds the NIC itself: free for it, and bus 2 is the first for others */
    cr_assert(dl_layout_slot_free(&t->chk, nic, 1, 0));
    cr_assert(dl_layout_find_slot(&t->chk, NULL, flags, &bus, &slot));
    cr_assert_eq(bus, 2);
    cr_assert_eq(slot, 0);
    /* taken for this round: a second repair gets nothing */
    cr_assert_not(dl_layout_slot_free(&t->chk, NULL, 2, 0));
    cr_assert_not(dl_layout_find_slot(&t->chk, NULL, flags, &bus, &slot));
}

Test(placement, pci_root_slot_skips_the_chipset)
{
    static const char xml[] = TEST_HEAD("pc-i440fx-7.2")
        "    <interface type='user'><model type='e1000'/><address type='pci' bus='0' slot='2'/></interface>\n"
        "    <interface type='user'><model type='e1000'/></interface>\n"
        TEST_TAIL;
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    const dl_device *nic = test_device(t, 1);
    guint flags = dl_device_pci_connect(&t->chk, nic);
    guint bus = 99, slot = 99, again = 99;

    /* 00:01 is PIIX3's, 00:02 the first NIC's: pci-root takes the endpoint at 00:03 */
    cr_assert_not(dl_layout_slot_free(&t->chk, nic, 0, 1));
    cr_assert_not(dl_layout_slot_free(&t->chk, nic, 0, 2));
    cr_assert(dl_layout_find_slot(&t->chk, nic, flags, &bus, &slot));
    cr_assert_eq(bus, 0);
    cr_assert_eq(slot, 3);
    cr_assert(dl_layout_find_slot(&t->chk, nic, flags, &bus, &again));
    cr_assert_eq(again, 4, "a second repair of the round gets the next slot");
}

/* The first step of FIX of KIND (and on attribute NAME, when not NULL), or NULL. */
static const dl_step *
step_of(const dl_fix *fix, dl_step_kind kind, const char *name)
{
    for (guint i = 0; i < fix->steps->len; i++) {
        const dl_step *s = &g_array_index(fix->steps, dl_step, i);
        if (s->kind == kind && (!name || g_strcmp0(s->name, name) == 0))
            return s;
    }
    return NULL;
}

Test(placement, full_topology_grows_root_ports_in_one_edit)
{
    g_autofree char *xml = test_q35_nics(1, 3);
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    dl_check *chk = &t->chk;
    const dl_device *second = test_device(t, 3);
    const dl_device *third = test_device(t, 4);
    guint flags = dl_device_pci_connect(chk, second);
    const dl_fix *grow, *next;
    const dl_step *append;

    cr_assert_eq(dl_layout_grow_root_port(chk, second, flags, "test"), DL_GROW_DONE);
    cr_assert_eq(dl_layout_grow_root_port(chk, third, flags, "test"), DL_GROW_DONE);
    cr_assert_eq(t->fixes->len, 2);
    grow = g_ptr_array_index(t->fixes, 0);
    next = g_ptr_array_index(t->fixes, 1);
    test_assert_contains(grow->message, "added pcie-root-port 2 and moved the virtio interface there from 0000:01:00.0 (test)");
    test_assert_contains(next->message, "added pcie-root-port 3");
    /* both ports in the first repair's one append; the second builds on it */
    append = step_of(grow, DL_STEP_APPEND_CHILD, NULL);
    cr_assert_not_null(append);
    cr_assert_str_eq(append->value, "<controller type='pci' index='2' model='pcie-root-port'/>\n"
                                    "<controller type='pci' index='3' model='pcie-root-port'/>");
    cr_assert_eq(grow->adds, 2);
    cr_assert_null(step_of(next, DL_STEP_APPEND_CHILD, NULL));
    cr_assert_eq(next->needs, grow);
    cr_assert_not_null(step_of(next, DL_STEP_SET_ATTR, "bus"));
    cr_assert_str_eq(step_of(next, DL_STEP_SET_ATTR, "bus")->value, "0x03");
}

Test(placement, no_root_port_grows_on_pci_root)
{
    static const char xml[] = TEST_HEAD("pc-i440fx-7.2")
        "    <interface type='user'><model type='e1000'/></interface>\n" TEST_TAIL;
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    const dl_device *nic = test_device(t, 0);

    cr_assert_eq(dl_layout_grow_root_port(&t->chk, nic, dl_device_pci_connect(&t->chk, nic), "test"),
                 DL_GROW_NOT_APPLICABLE);
    cr_assert_eq(t->fixes->len, 0);
}

Test(placement, a_full_pcie_root_grows_nothing)
{
    /* 240 root ports take every function of pcie-root's slots 1-30 */
    g_autofree char *xml = test_q35_nics(240, 2);
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    const dl_device *nic = test_device(t, 242);

    cr_assert_eq(dl_layout_root_port_slots(&t->chk), 30);
    cr_assert_eq(dl_layout_grow_root_port(&t->chk, nic, dl_device_pci_connect(&t->chk, nic), "test"),
                 DL_GROW_NO_ROOM);
    cr_assert_eq(t->fixes->len, 0);
}

Test(placement, a_move_goes_where_libvirt_would_place_it)
{
    g_autofree char *xml = test_q35_nics(3, 2);
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    const dl_device *second = test_device(t, 5);
    const dl_fix *fix;

    dl_layout_move_device(&t->chk, second, "the virtio interface uses it too");
    cr_assert_eq(t->fixes->len, 1);
    fix = g_ptr_array_index(t->fixes, 0);
    test_assert_contains(fix->message, "moved the virtio interface from 0000:01:00.0 (the virtio interface uses it too) to 0000:02:00.0, where libvirt would place it");
    cr_assert_eq(fix->fix_class, DOMLINT_FIX_GUEST_VISIBLE);
}

Test(placement, not_fixing_records_nothing)
{
    g_autofree char *xml = test_q35_nics(3, 2);
    g_autoptr(test_domain) t = test_domain_new(xml, FALSE);

    dl_layout_move_device(&t->chk, test_device(t, 5), "test");
    cr_assert_null(t->fixes);
}

/* i440fx with N e1000 NICs, all at 0000:00:03.0 (caller frees). */
static char *
pc_nics(guint n)
{
    GString *xml = g_string_new(TEST_HEAD("pc-i440fx-7.2"));

    for (guint i = 0; i < n; i++)
        g_string_append(xml, "    <interface type='user'><model type='e1000'/>"
                             "<address type='pci' bus='0' slot='3'/></interface>\n");
    g_string_append(xml, TEST_TAIL);
    return g_string_free(xml, FALSE);
}

/* Every device after the first: the ones that share its address. */
static GHashTable *
all_but_first(const test_domain *t)
{
    GHashTable *set = g_hash_table_new(g_direct_hash, g_direct_equal);

    for (guint i = 1; i < t->chk.dom->devices->len; i++)
        g_hash_table_add(set, test_device(t, i));
    return set;
}

Test(placement, a_full_pci_root_moves_behind_the_bridge_libvirt_adds)
{
    /* pci-root has 29 free slots: 39 NICs to move need a pci-bridge, and it a slot */
    g_autofree char *xml = pc_nics(40);
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    g_autoptr(GHashTable) moving = all_but_first(t);
    g_autoptr(dl_layout_plan) plan = dl_layout_plan_moves(&t->chk, moving);
    const dl_fix *bridge, *last;

    cr_assert_not_null(plan);
    dl_layout_move_planned(&t->chk, plan, test_device(t, 1), "test");
    dl_layout_move_planned(&t->chk, plan, test_device(t, 39), "test");
    cr_assert_eq(t->fixes->len, 3, "the bridge once, then one move each");
    bridge = g_ptr_array_index(t->fixes, 0);
    last = g_ptr_array_index(t->fixes, 2);
    test_assert_contains(bridge->message, "added pci-bridge 1 at 0000:00:02.0");
    test_assert_contains(last->message, "to 0000:01:0b.0, where libvirt would place it");
    cr_assert_eq(last->needs, bridge);
}

Test(placement, no_plan_where_the_devices_fit)
{
    g_autofree char *pc = pc_nics(5);
    g_autofree char *q35 = test_q35_nics(1, 5);
    g_autoptr(test_domain) t = test_domain_new(pc, TRUE);
    g_autoptr(test_domain) u = test_domain_new(q35, TRUE);
    g_autoptr(GHashTable) pc_moving = all_but_first(t);
    g_autoptr(GHashTable) q35_moving = all_but_first(u);

    /* room on pci-root: one by one; on pcie-root root ports grow instead */
    cr_assert_null(dl_layout_plan_moves(&t->chk, pc_moving));
    cr_assert_null(dl_layout_plan_moves(&u->chk, q35_moving));
}
