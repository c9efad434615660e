/*
 * test-convert.c - dl_convert(): i440fx <-> q35
 *
 * The rules of the disk move (names keep their letter where free, drive
 * addresses follow the new name, SATA stays SATA when IDE cannot hold it),
 * what --keep-addresses keeps, what is refused, and that a conversion back
 * and forth settles.  Expectations are libvirt 9.0's.
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "testcheck.h"
#include "convert/convert.h"

static domlint_ctx *
convert_ctx(void)
{
    g_autoptr(domlint_options) options =
        test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET });
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx;

    dl_convert_ctx_options(options);
    ctx = domlint_ctx_new(options, &error);
    cr_assert_not_null(ctx, "%s", error ? error->message : "");
    return ctx;
}

/* DEVICES in a domain of MACHINE converted to TO (caller frees). */
static dl_convert_result *
convert(const char *machine, const char *devices, const char *to, gboolean keep)
{
    g_autoptr(domlint_ctx) ctx = convert_ctx();
    g_autofree char *xml = g_strconcat(TEST_DOMAIN_HEAD("x86_64", ""), devices, TEST_DOMAIN_TAIL, NULL);
    g_autofree char *doc = NULL;
    dl_convert_options opt = { .machine = to, .keep_addresses = keep };
    g_auto(GStrv) parts = g_strsplit(xml, "machine=''", 2);

    doc = g_strdup_printf("%smachine='%s'%s", parts[0], machine, parts[1]);
    return dl_convert(ctx, "t.xml", doc, strlen(doc), &opt);
}

static gboolean
has_note(const GArray *notes, const char *text)
{
    for (guint i = 0; i < notes->len; i++) {
        if (strstr(g_array_index(notes, dl_convert_note, i).message, text))
            return TRUE;
    }
    return FALSE;
}

Test(convert, ide_names_keep_their_letter_where_free)
{
    g_autoptr(dl_convert_result) r = convert("pc",
        "    <disk type='file' device='disk'><source file='/a.img'/><target dev='hda'/></disk>\n"
        "    <disk type='file' device='disk'><source file='/b.img'/><target dev='sda' bus='scsi'/></disk>\n"
        "    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/>"
        "<address type='drive' controller='0' bus='1' target='0' unit='0'/></disk>\n", "q35", FALSE);

    cr_assert_null(r->failure);
    cr_assert_eq(r->errors->len, 0);
    /* sda is the SCSI disk's: hda takes the first free name */
    test_assert_contains(r->text, "<target dev='sdb' bus='sata'/>");
    /* hdc keeps its letter, and its drive address is the one libvirt derives from sdc */
    test_assert_contains(r->text, "<target dev='sdc' bus='sata'/><address type='drive' controller='0' bus='0' target='0' unit='2'/>");
    cr_assert(r->new_disks);
    cr_assert(r->new_pci);
}

Test(convert, sata_to_ide_fills_the_ide_places)
{
    g_autoptr(dl_convert_result) r = convert("q35",
        "    <disk type='file' device='cdrom'><target dev='sdd' bus='sata'/>"
        "<address type='drive' controller='0' bus='0' target='0' unit='3'/></disk>\n", "pc", FALSE);

    cr_assert_eq(r->errors->len, 0);
    /* hdd: controller 0, bus 1, unit 1 */
    test_assert_contains(r->text, "<target dev='hdd' bus='ide'/><address type='drive' controller='0' bus='1' target='0' unit='1'/>");
}

Test(convert, five_sata_disks_stay_sata)
{
    GString *dev = g_string_new(NULL);
    g_autoptr(dl_convert_result) r = NULL;

    for (char c = 'a'; c <= 'e'; c++)
        g_string_append_printf(dev, "    <disk type='file' device='disk'><source file='/%c.img'/><target dev='sd%c' bus='sata'/></disk>\n", c, c);
    r = convert("q35", dev->str, "pc", FALSE);
    g_string_free(dev, TRUE);
    cr_assert_eq(r->errors->len, 0);
    cr_assert_null(strstr(r->text, "bus='ide'"));
    cr_assert(!r->new_disks);
    cr_assert(has_note(r->notes, "IDE has four places"));
}

Test(convert, intel_iommu_cannot_go_to_i440fx)
{
    g_autoptr(dl_convert_result) r = convert("q35", "    <iommu model='intel'/>\n", "pc", FALSE);

    cr_assert_null(r->text);
    cr_assert_eq(r->errors->len, 1);
    cr_assert_eq(g_array_index(r->errors, dl_convert_note, 0).line, 6);
    test_assert_contains(g_array_index(r->errors, dl_convert_note, 0).message, "intel iommu");
}

Test(convert, keep_addresses_drops_only_the_chipset_slots)
{
    g_autoptr(dl_convert_result) r = convert("pc",
        "    <interface type='user'><model type='virtio'/>"
        "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>\n"
        "    <interface type='user'><model type='virtio'/>"
        "<address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x0'/></interface>\n", "q35", TRUE);

    cr_assert_eq(r->errors->len, 0);
    test_assert_contains(r->text, "bus='0x00' slot='0x03' function='0x0'");
    /* 00:1f.0 is q35's LPC bridge */
    cr_assert_null(strstr(r->text, "slot='0x1f'"));
}

Test(convert, root_hotplug_is_an_i440fx_switch)
{
    g_autoptr(dl_convert_result) r = convert("pc",
        "    <controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>\n", "q35", FALSE);

    cr_assert_eq(r->errors->len, 0);
    test_assert_contains(r->text, "<controller type='pci' index='0' model='pcie-root'><target/></controller>");
}

Test(convert, a_version_of_the_same_family_keeps_everything_else)
{
    g_autoptr(dl_convert_result) r = convert("pc-i440fx-2.0",
        "    <interface type='user'><model type='e1000'/>"
        "<address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></interface>\n",
        "pc-i440fx-7.2", FALSE);

    cr_assert_eq(r->errors->len, 0);
    test_assert_contains(r->text, "machine='pc-i440fx-7.2'");
    test_assert_contains(r->text, "slot='0x07'");
    cr_assert(!r->new_pci);
}

Test(convert, back_and_forth_settles)
{
    g_autoptr(domlint_ctx) ctx = convert_ctx();
    const char *xml = TEST_DOMAIN_HEAD("x86_64", "pc")
        "    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>\n"
        "    <interface type='user'><model type='e1000'/></interface>\n"
        "    <controller type='usb' index='0'/>\n"
        TEST_DOMAIN_TAIL;
    dl_convert_options to_q35 = { .machine = "q35" }, to_pc = { .machine = "pc" };
    g_autoptr(dl_convert_result) b = dl_convert(ctx, "a", xml, strlen(xml), &to_q35);
    g_autoptr(dl_convert_result) a1 = dl_convert(ctx, "b", b->text, b->len, &to_pc);
    g_autoptr(dl_convert_result) b1 = dl_convert(ctx, "a1", a1->text, a1->len, &to_q35);
    g_autoptr(dl_convert_result) a2 = dl_convert(ctx, "b1", b1->text, b1->len, &to_pc);

    cr_assert_not_null(a2->text);
    cr_assert_str_eq(a1->text, a2->text);
    cr_assert_str_eq(b->text, b1->text);
}

Test(convert, bad_input_is_a_failure)
{
    g_autoptr(domlint_ctx) ctx = convert_ctx();
    dl_convert_options opt = { .machine = "q35" };
    g_autoptr(dl_convert_result) r = dl_convert(ctx, "x", "<domain", 7, &opt);
    g_autoptr(dl_convert_result) m = convert("pc", "", "virt", FALSE);

    cr_assert_not_null(r->failure);
    cr_assert_null(r->text);
    test_assert_contains(m->failure, "--machine 'virt'");
}
