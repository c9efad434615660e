/*
 * test-fix.c - --fix rounds (fix/fix.c)
 *
 * A fix run checks, applies the repairs whose edits do not collide, and
 * checks again until a round has nothing to do; the output fixed again
 * stays as it is.  Devices that share a PCI address on q35 each need a root
 * port of their own: all of them move in one round, up to what pcie-root
 * has room for, and what is left past that is the full topology's error.
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "testcheck.h"

/* --fix of XML on a fresh context (SAFE_ONLY: --fix=safe); the fixed text, the result in *RESULT. */
static char *
fix_text(const char *xml, gboolean safe_only, domlint_result **result)
{
    domlint_ctx *ctx = test_ctx_new(FALSE);
    char *fixed = NULL;
    gsize len = 0;

    ctx->fix_safe_only = safe_only;
    *result = domlint_fix_memory(ctx, "t.xml", xml, strlen(xml), &fixed, &len);
    domlint_ctx_free(ctx);
    cr_assert_not_null(fixed);
    return fixed;
}

/* How often NEEDLE occurs in TEXT. */
static guint
occurrences(const char *text, const char *needle)
{
    guint n = 0;

    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The findings of R whose message contains NEEDLE (notes aside). */
static guint
findings_with(const domlint_result *r, const char *needle)
{
    guint n = 0;

    for (guint i = 0; i < r->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(r->diags, i);
        if (d->severity != DOMLINT_SEV_NOTE && strstr(d->message, needle))
            n++;
    }
    return n;
}

Test(fix, shared_addresses_move_in_one_run)
{
    /* 20 NICs at 01:00.0: 19 root ports more, more than the rounds a run has */
    g_autofree char *xml = test_q35_nics(1, 20);
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_text(xml, FALSE, &r);
    g_autofree char *again = NULL;

    cr_assert_eq(domlint_result_count(r, DOMLINT_SEV_ERROR), 0, "errors left:\n%s", fixed);
    domlint_result_free(r);
    cr_assert_eq(occurrences(fixed, "model='pcie-root-port'"), 20);
    test_assert_contains(fixed, "<controller type='pci' index='20' model='pcie-root-port'/>");
    test_assert_contains(fixed, "bus='0x14'");
    /* fixed again: nothing changes */
    again = fix_text(fixed, FALSE, &r);
    domlint_result_free(r);
    cr_assert_str_eq(again, fixed);
}

Test(fix, past_the_room_of_pcie_root_the_rest_stays)
{
    /* 250 NICs: 239 would need more root ports than pcie-root has functions
     * (240, two of them for the USB controller and the balloon libvirt adds) */
    g_autofree char *xml = test_q35_nics(1, 250);
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_text(xml, FALSE, &r);
    guint left;

    left = findings_with(r, "which the virtio interface already uses");
    cr_assert_eq(left, 250 - 238, "%u conflicts left", left);
    cr_assert_eq(findings_with(r, "the PCI topology is full"), 1);
    cr_assert_eq(findings_with(r, "libvirt cannot give every PCI device an address"), 0,
                 "the root ports added leave room for what libvirt adds");
    domlint_result_free(r);
    cr_assert_eq(occurrences(fixed, "model='pcie-root-port'"), 238);
}

Test(fix, safe_only_grows_nothing)
{
    g_autofree char *xml = test_q35_nics(1, 3);
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_text(xml, TRUE, &r);

    /* a new root port is guest-visible: --fix=safe leaves the conflicts */
    cr_assert_str_eq(fixed, xml);
    cr_assert_eq(findings_with(r, "which the virtio interface already uses"), 2);
    domlint_result_free(r);
}

Test(fix, append_more_joins_one_edit)
{
    g_autofree char *xml = test_q35_nics(0, 0);
    g_autoptr(test_domain) t = test_domain_new(xml, TRUE);
    dl_fix *fix = dl_fix_new(&t->chk, DL_SAFE, t->chk.dom->devices_node, "test");
    const dl_step *s;

    dl_fix_append(fix, t->chk.dom->devices_node, "<a/>");
    dl_fix_append_more(fix, "<b/>");
    dl_fix_append_more(NULL, "<c/>");
    cr_assert_eq(fix->steps->len, 1);
    s = &g_array_index(fix->steps, dl_step, 0);
    cr_assert_str_eq(s->value, "<a/>\n<b/>");
    cr_assert_str_eq(fix->rule, "test");
}

Test(fix, not_fixing_gives_no_fix)
{
    g_autofree char *xml = test_q35_nics(0, 0);
    g_autoptr(test_domain) t = test_domain_new(xml, FALSE);

    cr_assert_null(dl_fix_new(&t->chk, DL_SAFE, NULL, "test"));
}
