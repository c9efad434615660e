/*
 * test-options.c - domlint_options and domlint_text_options: what each
 * setter stores (read through the private struct), that strings and lists
 * are copies, and that a context made with them does what they say
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "core/options.h"

Test(options, defaults_are_zero)
{
    g_autoptr(domlint_options) o = domlint_options_new();

    cr_assert_null(o->machine_db);
    cr_assert_null(o->target);
    cr_assert_null(o->disable);
    cr_assert_not(o->no_schema);
    cr_assert_not(o->spare_ports_set);
    cr_assert_not(o->load_in_parallel);
}

Test(options, each_setter_sets_its_field)
{
    const char *const off[] = { "pci-root", "usb-address", NULL };
    const char *const on[] = { "schema", NULL };
    g_autoptr(domlint_options) o = domlint_options_new();

    domlint_options_set_machine_db(o, "/db");
    domlint_options_set_schema_dir(o, "/rng");
    domlint_options_set_no_schema(o, TRUE);
    domlint_options_set_disable(o, off);
    domlint_options_set_enable(o, on);
    domlint_options_set_qemu(o, "/usr/bin/qemu-system-x86_64");
    domlint_options_set_connect(o, "qemu:///system");
    domlint_options_set_layout(o, TRUE);
    domlint_options_set_spare_ports(o, 3);
    domlint_options_set_target(o, "debian-13");
    domlint_options_set_load_in_parallel(o, TRUE);
    domlint_options_set_fix_safe_only(o, TRUE);
    cr_assert_str_eq(o->machine_db, "/db");
    cr_assert_str_eq(o->schema_dir, "/rng");
    cr_assert(o->no_schema);
    cr_assert_eq(g_strv_length(o->disable), 2);
    cr_assert_str_eq(o->disable[1], "usb-address");
    cr_assert_str_eq(o->enable[0], "schema");
    cr_assert_str_eq(o->qemu, "/usr/bin/qemu-system-x86_64");
    cr_assert_str_eq(o->connect, "qemu:///system");
    cr_assert(o->layout);
    cr_assert(o->spare_ports_set);
    cr_assert_eq(o->spare_ports, 3);
    cr_assert_str_eq(o->target, "debian-13");
    cr_assert(o->load_in_parallel);
    cr_assert(o->fix_safe_only);
}

Test(options, strings_and_lists_are_copied)
{
    char target[] = "debian-13";
    char rule[] = "pci-root";
    const char *const off[] = { rule, NULL };
    g_autoptr(domlint_options) o = domlint_options_new();

    domlint_options_set_target(o, target);
    domlint_options_set_disable(o, off);
    target[0] = 'x';
    rule[0] = 'x';
    cr_assert_str_eq(o->target, "debian-13");
    cr_assert_str_eq(o->disable[0], "pci-root");
    /* NULL clears */
    domlint_options_set_target(o, NULL);
    domlint_options_set_disable(o, NULL);
    cr_assert_null(o->target);
    cr_assert_null(o->disable);
}

Test(options, spare_ports_negative_is_libvirts_rule)
{
    g_autoptr(domlint_options) o = domlint_options_new();

    domlint_options_set_spare_ports(o, 0);
    cr_assert(o->spare_ports_set);
    cr_assert_eq(o->spare_ports, 0);
    domlint_options_set_spare_ports(o, 300);
    cr_assert_eq(o->spare_ports, 255);
    domlint_options_set_spare_ports(o, -1);
    cr_assert_not(o->spare_ports_set);
}

Test(options, a_copy_owns_its_strings)
{
    const char *const off[] = { "pci-root", NULL };
    domlint_options *o = domlint_options_new();
    g_autoptr(domlint_options) copy = NULL;

    domlint_options_set_target(o, "debian-12");
    domlint_options_set_disable(o, off);
    domlint_options_set_layout(o, TRUE);
    copy = domlint_options_copy(o);
    domlint_options_set_target(o, "debian-13");
    domlint_options_free(o);
    cr_assert_str_eq(copy->target, "debian-12");
    cr_assert_str_eq(copy->disable[0], "pci-root");
    cr_assert(copy->layout);
}

Test(options, a_context_follows_them)
{
    g_autoptr(domlint_options) o = test_options_from(&(test_settings) {
        .machine_db = TEST_MACHINE_DB, .target = "debian-11", .no_schema = TRUE });
    g_autoptr(GError) error = NULL;
    g_autoptr(domlint_ctx) ctx = domlint_ctx_new(o, &error);
    domlint_target_info t;

    cr_assert_not_null(ctx, "%s", error ? error->message : "");
    cr_assert_str_eq(domlint_ctx_machine_db(ctx), TEST_MACHINE_DB);
    domlint_ctx_target(ctx, &t, NULL);
    cr_assert_str_eq(t.qemu, "5.2");
    cr_assert_str_eq(t.libvirt, "7.0");
}

Test(options, the_context_keeps_nothing_of_them)
{
    const char *const off[] = { "all", NULL };
    const char *xml = "<domain type='kvm'><name>t</name><memory>1</memory>"
                      "<os><type arch='x86_64' machine='pc-q35-99.0'>hvm</type></os></domain>";
    g_autoptr(domlint_options) o = test_options_from(&(test_settings) {
        .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE, .disable = off });
    g_autoptr(GError) error = NULL;
    g_autoptr(domlint_ctx) ctx = domlint_ctx_new(o, &error);
    g_autoptr(domlint_result) r = NULL;

    cr_assert_not_null(ctx, "%s", error ? error->message : "");
    /* changed and freed after the context was made: the context's rules stay off */
    domlint_options_set_disable(o, NULL);
    g_clear_pointer(&o, domlint_options_free);
    r = domlint_check_memory(ctx, "t.xml", xml, strlen(xml));
    cr_assert_eq(r->diags->len, 0, "%u findings with every rule off", r->diags->len);
}

Test(text_options, setters)
{
    g_autoptr(domlint_text_options) t = domlint_text_options_new();

    cr_assert_not(t->color);
    cr_assert_not(t->excerpt);
    domlint_text_options_set_color(t, TRUE);
    domlint_text_options_set_excerpt(t, TRUE);
    cr_assert(t->color);
    cr_assert(t->excerpt);
}
