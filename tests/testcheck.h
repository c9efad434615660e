/*
 * testcheck.h - a checked domain for the unit tests of the layers below the rules
 *
 * test-topology.c, test-layout.c and test-fix.c ask the topology, the
 * placement engine and --fix about one domain held in memory.  A
 * test_domain is what dl_check_parsed() builds for the rules (the model,
 * the machine family, the bus table), made here so that a test can call
 * the functions one by one, with or without a fix list.  Include it after
 * testutil.h, in one file of a test program.
 */
#pragma once

#include "core/internal.h"
#include "core/topology.h"
#include "fix/fix.h"

/* A domain on x86_64 (testutil.h's lines). */
#define TEST_HEAD(machine) TEST_DOMAIN_HEAD("x86_64", machine)
#define TEST_TAIL TEST_DOMAIN_TAIL

/* A context on the source tree's knowledge base, no schema, fixing as LAYOUT says. */
G_GNUC_UNUSED static domlint_ctx *
test_ctx_new(gboolean layout)
{
    g_autoptr(domlint_options) options = test_options_from(&(test_settings) {
        .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE, .layout = layout });
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx = domlint_ctx_new(options, &error);

    cr_assert_not_null(ctx, "domlint_ctx_new: %s", error ? error->message : "?");
    return ctx;
}

typedef struct {
    domlint_ctx *ctx;
    dl_source *src;
    GPtrArray *diags;   /* of domlint_diag */
    GPtrArray *fixes;   /* of dl_fix, or NULL: not fixing */
    dl_check chk;
} test_domain;

/* XML checked as the rules see it (x86_64, a machine the knowledge base has);
 * with FIXING, repairs are recorded in ->fixes.  Free with test_domain_free(). */
G_GNUC_UNUSED static test_domain *
test_domain_new(const char *xml, gboolean fixing)
{
    test_domain *t = g_new0(test_domain, 1);
    g_autofree char *reason = NULL;
    dl_check *chk = &t->chk;

    t->ctx = test_ctx_new(FALSE);
    t->src = dl_source_parse(xml, strlen(xml), &reason);
    cr_assert_not_null(t->src, "parse: %s", reason ? reason : "?");
    t->diags = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_diag_free);
    t->fixes = fixing ? g_ptr_array_new_with_free_func((GDestroyNotify) dl_fix_free) : NULL;
    chk->ctx = t->ctx;
    chk->file = "t.xml";
    chk->src = t->src;
    chk->diags = t->diags;
    chk->fixes = t->fixes;
    chk->claimed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    chk->dom = dl_domain_new(t->src->doc, t->ctx->devices);
    chk->arch = chk->dom->arch;
    chk->machine = chk->dom->machine;
    chk->match = dl_machine_db_lookup(t->ctx->db, chk->arch, chk->machine, &chk->family, &chk->closest);
    cr_assert_eq(chk->match, DL_MATCH_OK, "machine '%s' is not known", chk->machine);
    chk->named = chk->family;
    chk->canonical = dl_family_canonical(chk->family, chk->machine);
    chk->topo = dl_topology_build(chk);
    chk->rule_id = "test";
    return t;
}

G_GNUC_UNUSED static void
test_domain_free(test_domain *t)
{
    if (!t)
        return;
    dl_topology_free(t->chk.topo);
    dl_domain_free(t->chk.dom);
    g_hash_table_unref(t->chk.claimed);
    if (t->fixes)
        g_ptr_array_unref(t->fixes);
    g_ptr_array_unref(t->diags);
    dl_source_free(t->src);
    domlint_ctx_free(t->ctx);
    g_free(t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(test_domain, test_domain_free)

/* The device of the domain at position I of <devices>. */
G_GNUC_UNUSED static dl_device *
test_device(const test_domain *t, guint i)
{
    cr_assert_lt(i, t->chk.dom->devices->len);
    return g_ptr_array_index(t->chk.dom->devices, i);
}

/* q35 with pcie-root, PORTS pcie-root-ports and NICS virtio NICs, all at 0000:01:00.0 (caller frees). */
G_GNUC_UNUSED static char *
test_q35_nics(guint ports, guint nics)
{
    GString *xml = g_string_new(TEST_HEAD("q35"));

    g_string_append(xml, "    <controller type='pci' index='0' model='pcie-root'/>\n");
    for (guint i = 1; i <= ports; i++)
        g_string_append_printf(xml, "    <controller type='pci' index='%u' model='pcie-root-port'/>\n", i);
    for (guint i = 0; i < nics; i++)
        g_string_append(xml, "    <interface type='user'><model type='virtio'/>"
                             "<address type='pci' bus='1' slot='0'/></interface>\n");
    g_string_append(xml, TEST_TAIL);
    return g_string_free(xml, FALSE);
}
