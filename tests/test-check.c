/*
 * test-check.c - the public API end to end
 *
 * Each test builds a context on the source tree's knowledge base, checks a
 * domain held in memory with domlint_check_memory() and looks at what comes
 * back: rule id, severity, line and the part of the message that says what
 * is wrong.  Expectations come from libvirt 9.0 + QEMU 7.2 (each erroneous
 * domain here is one libvirt or QEMU refuses; the clean ones it accepts, as
 * shared/tools/libvirt-verdict confirms).  The formatters and the options
 * (--disable, schema handling) are covered at the end.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "testutil.h"
#include "core/target.h"
#include "domlint.h"

/* <os><type> of TEST_DOMAIN_HEAD (testutil.h) */
#define TYPE_LINE 4

/* ------------------------------------------------------------- helpers */

static domlint_ctx *
ctx_new(const domlint_options *options)
{
    g_autoptr(domlint_options) defaults = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE });
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx = domlint_ctx_new(options ? options : defaults, &error);

    cr_assert_not_null(ctx, "domlint_ctx_new: %s", error ? error->message : "?");
    cr_assert_null(error);
    return ctx;
}

/* Check XML as "t.xml" with OPTIONS (NULL: knowledge base of the tree, no schema). */
static domlint_result *
check_with(const domlint_options *options, const char *xml)
{
    domlint_ctx *ctx = ctx_new(options);
    domlint_result *result = domlint_check_memory(ctx, "t.xml", xml, strlen(xml));

    domlint_ctx_free(ctx);
    cr_assert_not_null(result);
    cr_assert_str_eq(result->file, "t.xml");
    return result;
}

static domlint_result *
check(const char *xml)
{
    domlint_result *result = check_with(NULL, xml);

    cr_assert_eq(result->status, DOMLINT_FILE_CHECKED, "file failed: %s",
                 result->failure ? result->failure : "?");
    return result;
}

/* All findings as text, for assertion messages (caller frees). */
static char *
dump(const domlint_result *result)
{
    char *text = domlint_format_text(result, NULL);

    if (*text)
        return text;
    g_free(text);
    return g_strdup("(no diagnostics)\n");
}

/*
 * Assert RESULT holds exactly one finding of RULE, with SEVERITY, at LINE,
 * whose message contains NEEDLE; return it.
 */
static const domlint_diag *
expect_one(const domlint_result *result, const char *rule, domlint_severity severity, int line,
           const char *needle)
{
    const domlint_diag *found = NULL;
    guint n = 0;
    g_autofree char *all = dump(result);

    for (guint i = 0; i < result->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(result->diags, i);
        if (strcmp(d->rule, rule) == 0) {
            found = found ? found : d;
            n++;
        }
    }
    cr_assert_eq(n, 1, "%u findings of [%s], want 1:\n%s", n, rule, all);
    cr_assert_eq(found->severity, severity, "[%s] severity %d, want %d:\n%s", rule,
                 found->severity, severity, all);
    cr_assert_eq(found->line, line, "[%s] on line %d, want %d:\n%s", rule, found->line, line, all);
    cr_assert_str_eq(found->file, "t.xml");
    test_assert_contains(found->message, needle);
    return found;
}

/* Assert RESULT has exactly N findings in all. */
static void
expect_total(const domlint_result *result, guint n)
{
    g_autofree char *all = dump(result);

    cr_assert_eq(result->diags->len, n, "%u findings, want %u:\n%s", result->diags->len, n, all);
}

/* ------------------------------------------------------------- PCI rules */

Test(rules, pci_root_wrong_model_on_q35)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <controller type='pci' index='0' model='pci-root'/>\n"
        TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "pci-root", DOMLINT_SEV_ERROR, 6,
                                       "is a pcie-root, not a pci-root");

    cr_assert_eq(d->column, 5);
    cr_assert_not_null(d->fixit);
    test_assert_contains(d->fixit, "model='pcie-root'");
    expect_total(r, 1);
    cr_assert_str_eq(r->machine, "pc-q35-7.2");
    cr_assert_str_eq(r->family, "q35");
}

Test(rules, pci_address_conflict_notes_first_device)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <interface type='network'>\n"                                                  /* 6 */
        "      <source network='default'/>\n"
        "      <model type='virtio'/>\n"
        "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n" /* 9 */
        "    </interface>\n"
        "    <sound model='ich9'>\n"                                                        /* 11 */
        "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n" /* 12 */
        "    </sound>\n"
        TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "pci-address-conflict", DOMLINT_SEV_ERROR, 12,
                                       "uses PCI address 0000:00:05.0, which the virtio interface already uses");
    const domlint_diag *note;

    cr_assert_eq(d->column, 7);
    test_assert_contains(d->message, "ich9 sound");
    cr_assert_not_null(d->notes);
    cr_assert_eq(d->notes->len, 1);
    note = g_ptr_array_index(d->notes, 0);
    cr_assert_eq(note->severity, DOMLINT_SEV_NOTE);
    cr_assert_eq(note->line, 9, "note on line %d, want 9 (the first device's address)", note->line);
    cr_assert_str_eq(note->rule, "pci-address-conflict");
    test_assert_contains(note->message, "virtio interface is already at 0000:00:05.0");
    cr_assert_str_eq(d->xpath, "/domain/devices/sound/address");
    expect_total(r, 1);
}

Test(rules, pci_connect_root_port_behind_bridge)
{
    /* libvirt: "It requires a controller that accepts a pcie-root-port." */
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <controller type='pci' index='0' model='pcie-root'/>\n"
        "    <controller type='pci' index='1' model='pcie-root-port'/>\n"
        "    <controller type='pci' index='2' model='pcie-to-pci-bridge'/>\n"
        "    <controller type='pci' index='3' model='pcie-root-port'>\n"
        "      <address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x0'/>\n" /* 10 */
        "    </controller>\n"
        TEST_DOMAIN_TAIL);

    expect_one(r, "pci-connect", DOMLINT_SEV_ERROR, 10,
               "cannot plug into bus 2 (pcie-to-pci-bridge): it needs a bus that accepts a pcie-root-port");
    expect_total(r, 1);
}

Test(rules, pci_slot_range_root_port_has_one_slot)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <controller type='pci' index='0' model='pcie-root'/>\n"
        "    <controller type='pci' index='1' model='pcie-root-port'/>\n"
        "    <interface type='network'>\n"
        "      <source network='default'/>\n"
        "      <model type='virtio'/>\n"
        "      <address type='pci' domain='0x0000' bus='0x01' slot='0x03' function='0x0'/>\n" /* 11 */
        "    </interface>\n"
        TEST_DOMAIN_TAIL);

    expect_one(r, "pci-slot-range", DOMLINT_SEV_ERROR, 11,
               "bus 1 is a pcie-root-port, which has a single slot (0)");
    expect_total(r, 1);
}

Test(rules, pci_controller_machine_root_port_on_i440fx)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "pc-i440fx-7.2")
        "    <controller type='pci' index='0' model='pci-root'/>\n"
        "    <controller type='pci' index='1' model='pcie-root-port'/>\n"  /* 7 */
        TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "pci-controller-machine", DOMLINT_SEV_ERROR, 7,
                                       "pcie-root-port is a PCI Express controller, but the i440FX (PIIX3, conventional PCI) machine 'pc-i440fx-7.2'");

    test_assert_contains(d->message, "conventional PCI root bus");
    cr_assert_not_null(d->fixit);
    test_assert_contains(d->fixit, "pci-bridge");
    expect_total(r, 1);
    cr_assert_str_eq(r->family, "i440fx");
}

Test(rules, pci_unavailable_isapc_implicit_balloon)
{
    /* libvirt adds a virtio balloon, then fails with "No PCI buses available" */
    g_autoptr(domlint_result) r = check(TEST_DOMAIN_HEAD("x86_64", "isapc") TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "pci-unavailable", DOMLINT_SEV_ERROR, 5,
                                       "has no PCI bus, but the virtio memory balloon libvirt adds");

    test_assert_contains(d->message, "machine 'isapc'");
    cr_assert_str_eq(d->xpath, "/domain/devices");
    expect_total(r, 1);
}

Test(rules, pci_unavailable_not_with_balloon_none)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "isapc")
        "    <memballoon model='none'/>\n"
        TEST_DOMAIN_TAIL);

    expect_total(r, 0);
}

/* ------------------------------------------------------------- machine-type */

Test(rules, machine_type_unknown_version)
{
    /* pc-q35 types from 2.4 on exist; no release domlint covers has 2.3 */
    g_autoptr(domlint_result) r = check(TEST_DOMAIN_HEAD("x86_64", "pc-q35-2.3") TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
                                       "no QEMU release from 5.0 to 11.1 has machine type 'pc-q35-2.3'");

    cr_assert_eq(d->column, 7);
    test_assert_contains(d->message, "'pc-q35-2.4' to 'pc-q35-7.2'");
    expect_total(r, 1);
    cr_assert_null(r->family, "no family facts for a machine QEMU lacks");
}

/* Check XML against the target SPEC. */
static domlint_result *
check_for(const char *spec, const char *xml)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .no_schema = TRUE, .target = spec });

    return check_with(opts, xml);
}

Test(targets, newer_type_needs_newer_qemu)
{
    g_autoptr(domlint_result) r = check_for("debian-12", TEST_DOMAIN_HEAD("x86_64", "pc-q35-10.0") TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
                                       "machine type 'pc-q35-10.0' needs QEMU 10.0 or later; the target is QEMU 7.2 (debian-12)");

    test_assert_contains(d->fixit, "'pc-q35-7.2'");
    /* the file is still checked as the q35 machine it is */
    cr_assert_str_eq(r->family, "q35");
    expect_total(r, 1);
}

Test(targets, newer_type_is_clean_on_its_release)
{
    g_autoptr(domlint_result) r = check_for("debian-13", TEST_DOMAIN_HEAD("x86_64", "pc-q35-10.0") TEST_DOMAIN_TAIL);

    expect_total(r, 0);
}

Test(targets, removed_type_says_when)
{
    g_autoptr(domlint_result) r = check_for("debian-13", TEST_DOMAIN_HEAD("x86_64", "pc-i440fx-1.4") TEST_DOMAIN_TAIL);

    expect_one(r, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
               "machine type 'pc-i440fx-1.4' was removed in QEMU 8.2; the target is QEMU 10.0 (debian-13)");
}

Test(targets, deprecated_type_is_a_warning)
{
    g_autoptr(domlint_result) r = check_for("debian-sid", TEST_DOMAIN_HEAD("x86_64", "pc-q35-7.2") TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "machine-type", DOMLINT_SEV_WARNING, TYPE_LINE,
                                       "machine type 'pc-q35-7.2' is deprecated in QEMU 11.1 (debian-sid), since QEMU 10.2");

    test_assert_contains(d->fixit, "'pc-q35-11.1'");
    cr_assert_eq(domlint_result_count(r, DOMLINT_SEV_ERROR), 0);
}

Test(targets, aliases_resolve_to_the_target_release)
{
    g_autoptr(domlint_result) d13 = check_for("debian-13", TEST_DOMAIN_HEAD("x86_64", "q35") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) d11 = check_for("debian-11", TEST_DOMAIN_HEAD("x86_64", "pc") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) rhel = check_for("rhel-9.6", TEST_DOMAIN_HEAD("x86_64", "q35") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) arm = check_for("qemu-9.2", TEST_DOMAIN_HEAD("aarch64", "virt") TEST_DOMAIN_TAIL);

    cr_assert_str_eq(d13->machine, "pc-q35-10.0");
    cr_assert_str_eq(d11->machine, "pc-i440fx-5.2");
    cr_assert_str_eq(rhel->machine, "pc-q35-rhel9.6.0");
    cr_assert_str_eq(arm->machine, "virt-9.2");
    expect_total(d13, 0);
    expect_total(rhel, 0);
}

Test(targets, rhel_types_need_a_rhel_target)
{
    g_autoptr(domlint_result) up = check_for("debian-13", TEST_DOMAIN_HEAD("x86_64", "pc-q35-rhel9.6.0") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) rhel = check_for("rhel-9.6", TEST_DOMAIN_HEAD("x86_64", "pc-q35-rhel9.6.0") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) old = check_for("rhel-9.6", TEST_DOMAIN_HEAD("x86_64", "pc-q35-rhel9.4.0") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) upstream = check_for("rhel-9.6", TEST_DOMAIN_HEAD("x86_64", "pc-q35-9.1") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) gone = check_for("rhel-10.0", TEST_DOMAIN_HEAD("x86_64", "pc-q35-rhel8.6.0") TEST_DOMAIN_TAIL);

    expect_one(up, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
               "machine type 'pc-q35-rhel9.6.0' exists only in RHEL's qemu-kvm 9.6 and later, not in QEMU 10.0 (debian-13)");
    expect_total(rhel, 0);
    expect_total(old, 0);
    expect_one(upstream, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE, "offers only its own machine types");
    expect_one(gone, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE, "was removed in RHEL's qemu-kvm 10.0");
}

Test(targets, type_newer_than_the_knowledge)
{
    static const char xml[] = TEST_DOMAIN_HEAD("x86_64", "pc-q35-99.0") TEST_DOMAIN_TAIL;
    g_autoptr(domlint_result) explicit = check_for("qemu-11.1", xml);
    g_autoptr(domlint_result) newest = check_for("newest", xml);

    /* a named target that predates the type: QEMU lacks it */
    expect_one(explicit, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
               "machine type 'pc-q35-99.0' needs QEMU 99.0 or later");
    /* nothing said which release: domlint cannot know, and says so */
    expect_one(newest, "machine-type", DOMLINT_SEV_WARNING, TYPE_LINE,
               "newer than every QEMU release domlint knows (up to 11.1)");
    cr_assert_str_eq(newest->family, "q35");
}

/* ------------------------------------------------------------- libvirt releases */

Test(releases, pci_on_isapc_refused_from_12_8)
{
    static const char xml[] = TEST_DOMAIN_HEAD("x86_64", "isapc")
        "    <controller type='pci' index='0' model='pci-root'/>\n"  /* 6 */
        "    <memballoon model='none'/>\n"
        TEST_DOMAIN_TAIL;
    g_autoptr(domlint_result) old = check_for("debian-13", xml);
    g_autoptr(domlint_result) sid = check_for("debian-sid", xml);

    /* libvirt 11.3 defines it and QEMU ignores the root; 12.8 refuses it */
    expect_one(old, "pci-root", DOMLINT_SEV_WARNING, 6, "QEMU will not create this pci-root");
    expect_one(sid, "pci-root", DOMLINT_SEV_ERROR, 6,
               "libvirt 12.8 refuses PCI controllers there (\"Machine type 'isapc' does not support PCI\")");
}

Test(releases, microvm_balloon_added_before_11_4)
{
    static const char xml[] = TEST_DOMAIN_HEAD("x86_64", "microvm") TEST_DOMAIN_TAIL;
    g_autoptr(domlint_result) old = check_for("debian-13", xml);
    g_autoptr(domlint_result) sid = check_for("debian-sid", xml);

    cr_assert_gt(domlint_result_count(old, DOMLINT_SEV_ERROR), 0, "11.3 adds a PCI balloon and USB");
    expect_total(sid, 0);
}

Test(releases, pxb_pcie_on_arm_virt_from_7_7)
{
    static const char xml[] = TEST_DOMAIN_HEAD("aarch64", "virt")
        "    <controller type='pci' index='0' model='pcie-root'/>\n"
        "    <controller type='pci' index='1' model='pcie-expander-bus'/>\n"  /* 7 */
        TEST_DOMAIN_TAIL;
    g_autoptr(domlint_result) d11 = check_for("debian-11", xml);
    g_autoptr(domlint_result) d12 = check_for("debian-12", xml);

    expect_one(d11, "pci-controller-machine", DOMLINT_SEV_ERROR, 7, "pcie-expander-bus");
    cr_assert_eq(domlint_result_count(d12, DOMLINT_SEV_ERROR), 0);
}

Test(releases, duplicate_hostdev_check_from_7_6)
{
    static const char xml[] = TEST_DOMAIN_HEAD("x86_64", "pc")
        "    <hostdev mode='subsystem' type='pci' managed='yes'>\n"
        "      <source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source>\n"
        "    </hostdev>\n"
        "    <hostdev mode='subsystem' type='pci' managed='yes'>\n"  /* 9 */
        "      <source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source>\n"
        "    </hostdev>\n"
        TEST_DOMAIN_TAIL;
    g_autoptr(domlint_result) d11 = check_for("debian-11", xml);
    g_autoptr(domlint_result) d12 = check_for("debian-12", xml);

    expect_total(d11, 0);
    expect_one(d12, "hostdev-duplicate", DOMLINT_SEV_ERROR, 9, "assigned twice");
}

/* Check XML against SPEC with libvirt's schema installed here; NULL when there is none. */
static domlint_result *
check_with_schema(const char *spec, const char *xml)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = spec });
    g_autofree char *rng = g_build_filename(DOMLINT_LIBVIRT_SCHEMA_DIR, "domain.rng", NULL);

    if (!g_file_test(rng, G_FILE_TEST_EXISTS))
        return NULL;
    return check_with(opts, xml);
}

Test(releases, audio_needs_libvirt_7_2)
{
    static const char xml[] = TEST_DOMAIN_HEAD("x86_64", "pc")
        "    <audio id='1' type='none'/>\n"  /* 6 */
        TEST_DOMAIN_TAIL;
    g_autoptr(domlint_result) d11 = check_with_schema("debian-11", xml);
    g_autoptr(domlint_result) d12 = check_with_schema("debian-12", xml);
    g_autoptr(domlint_result) off = check_for("debian-11", xml);
    const domlint_diag *d;

    if (!d11)
        cr_skip_test("libvirt's schema is not installed here");
    d = expect_one(d11, "schema-release", DOMLINT_SEV_ERROR, 6,
                   "an <audio> backend other than 'oss' needs libvirt 7.2 or later");
    test_assert_contains(d->message, "libvirt 7.0 (debian-11)");
    cr_assert_eq(domlint_result_count(d12, DOMLINT_SEV_ERROR), 0);
    /* --no-schema: no schema check, schema-release neither */
    expect_total(off, 0);
}

Test(releases, schema_older_than_the_target_only_warns)
{
    /* libvirt's schema rejects a vCPU count that is not a number */
    static const char xml[] =
        "<domain type='kvm'>\n"
        "  <name>t</name>\n"
        "  <memory>1048576</memory>\n"
        "  <vcpu>two</vcpu>\n"
        "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
        "</domain>\n";
    g_autofree char *here = dl_libvirt_library_version();
    g_autofree char *same = NULL;
    g_autoptr(domlint_result) newer = NULL;
    g_autoptr(domlint_result) own = NULL;

    if (!here)
        cr_skip_test("no libvirt library here, so the schema's release is not known");
    same = g_strdup_printf("qemu-7.2,libvirt-%s", here);
    newer = check_with_schema("qemu-7.2,libvirt-99.0", xml);
    own = check_with_schema(same, xml);
    if (!newer)
        cr_skip_test("libvirt's schema is not installed here");
    cr_assert_eq(domlint_result_count(newer, DOMLINT_SEV_ERROR), 0, "a newer target may accept it");
    cr_assert_gt(domlint_result_count(newer, DOMLINT_SEV_WARNING), 0);
    test_assert_contains(((domlint_diag *) g_ptr_array_index(newer->diags, 0))->message,
                         "rejects this, but the target libvirt 99.0 may accept it");
    cr_assert_gt(domlint_result_count(own, DOMLINT_SEV_ERROR), 0, "the schema's own release refuses it");
}

Test(releases, usb_port_path_depth)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "pc")
        "    <input type='tablet' bus='usb'>\n"
        "      <address type='usb' bus='0' port='1.1.1.1.1'/>\n"  /* 7 */
        "    </input>\n"
        TEST_DOMAIN_TAIL);

    expect_one(r, "usb-address", DOMLINT_SEV_ERROR, 7, "is 5 levels deep; libvirt allows at most 4");
}

Test(targets, typo_of_a_real_type_is_an_error_with_did_you_mean)
{
    /* x86 is listed completely: a name two edits from a real one is a typo */
    g_autoptr(domlint_result) r = check_for("debian-13", TEST_DOMAIN_HEAD("x86_64", "q53") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) far = check_for("debian-13", TEST_DOMAIN_HEAD("x86_64", "frobnicator") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) arm = check_for("debian-13", TEST_DOMAIN_HEAD("aarch64", "raspi9") TEST_DOMAIN_TAIL);
    g_autoptr(domlint_result) mips = check_for("debian-13", TEST_DOMAIN_HEAD("mips64el", "boston9") TEST_DOMAIN_TAIL);

    expect_one(r, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
               "QEMU 10.0 (debian-13) has no machine type 'q53' for arch 'x86_64' (did you mean 'q35'?)");
    expect_one(far, "machine-type", DOMLINT_SEV_WARNING, TYPE_LINE, "unknown machine type 'frobnicator'");
    g_autoptr(domlint_result) s390 = check_for("debian-13", TEST_DOMAIN_HEAD("s390x", "s390-ccw-virtoi") TEST_DOMAIN_TAIL);

    const domlint_diag *d = expect_one(s390, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
                                       "has machine type 's390-ccw-virtoi'");

    test_assert_contains(d->fixit, "did you mean 's390-ccw-virtio'?");
    /* every ARM board is known by name (arm-boards): a near miss is a typo too */
    d = expect_one(arm, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE,
                   "has no machine type 'raspi9' for arch 'aarch64' (did you mean");
    /* MIPS boards are not all known: a warning, whatever it looks like */
    expect_one(mips, "machine-type", DOMLINT_SEV_WARNING, TYPE_LINE, "unknown machine type 'boston9'");
}

Test(targets, bad_spec_is_refused)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .no_schema = TRUE, .target = "debian-99" });
    g_autoptr(domlint_options) bad_version = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .no_schema = TRUE, .target = "qemu-ten" });
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) error2 = NULL;

    cr_assert_null(domlint_ctx_new(opts, &error));
    test_assert_contains(error->message, "'debian-99' is neither");
    test_assert_contains(error->message, "rhel-9.6");
    cr_assert_null(domlint_ctx_new(bad_version, &error2));
    test_assert_contains(error2->message, "'ten' is not a qemu version");
}

Test(targets, a_part_left_out_comes_from_the_host_or_the_newest)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .no_schema = TRUE, .target = "qemu-10.0" });
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx;
    domlint_target_info t;

    g_setenv("DOMLINT_HOST", "none", TRUE);
    ctx = domlint_ctx_new(opts, &error);
    g_unsetenv("DOMLINT_HOST");
    cr_assert_not_null(ctx);
    domlint_ctx_target(ctx, &t, NULL);
    cr_assert_str_eq(t.qemu, "10.0");
    cr_assert_str_eq(t.qemu_from, "--target");
    cr_assert_str_eq(t.libvirt, "12.8");
    cr_assert_str_eq(t.libvirt_from, "the newest release domlint knows");
    domlint_ctx_free(ctx);
}

Test(rules, machine_type_wrong_arch)
{
    g_autoptr(domlint_result) r = check(TEST_DOMAIN_HEAD("aarch64", "q35") TEST_DOMAIN_TAIL);

    expect_one(r, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE, "not for arch 'aarch64'");
    expect_total(r, 1);
    cr_assert_null(r->family);
}

Test(rules, machine_type_unknown_name_is_a_warning)
{
    /* a name domlint does not know may be a newer QEMU's: warn, skip machine rules */
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "frobnicator")
        "    <controller type='pci' index='0' model='pci-root'/>\n"
        TEST_DOMAIN_TAIL);

    expect_one(r, "machine-type", DOMLINT_SEV_WARNING, TYPE_LINE,
               "unknown machine type 'frobnicator' for arch 'x86_64'");
    expect_total(r, 1);
    cr_assert_eq(domlint_result_count(r, DOMLINT_SEV_ERROR), 0);
    cr_assert_eq(domlint_result_count(r, DOMLINT_SEV_WARNING), 1);
    cr_assert_null(r->family);
}

Test(rules, machine_alias_resolves)
{
    g_autoptr(domlint_result) r = check(TEST_DOMAIN_HEAD("x86_64", "pc") TEST_DOMAIN_TAIL);  /* debian-12 */

    expect_total(r, 0);
    cr_assert_str_eq(r->machine, "pc-i440fx-7.2");
    cr_assert_str_eq(r->family, "i440fx");
}

/* ------------------------------------------------------------- drives */

Test(rules, disk_bus_ide_on_q35)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <disk type='file' device='disk'>\n"  /* 6 */
        "      <source file='/var/lib/a.img'/>\n"
        "      <target dev='hda' bus='ide'/>\n"
        "    </disk>\n"
        TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "disk-bus", DOMLINT_SEV_ERROR, 6,
                                       "disk 'hda' uses bus='ide', but the Q35 (ICH9, PCI Express) machine 'pc-q35-7.2'");

    test_assert_contains(d->message, "has no IDE controller");
    cr_assert_not_null(d->fixit);
    test_assert_contains(d->fixit, "sata");
    expect_total(r, 1);
}

Test(rules, drive_address_conflict_with_derived_address)
{
    /* hda has no <address>: libvirt derives 0:0:0:0 from its name */
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "pc")
        "    <disk type='file' device='disk'>\n"                                        /* 6 */
        "      <source file='/a.img'/>\n"
        "      <target dev='hda' bus='ide'/>\n"
        "    </disk>\n"
        "    <disk type='file' device='disk'>\n"                                        /* 10 */
        "      <source file='/b.img'/>\n"
        "      <target dev='hdc' bus='ide'/>\n"
        "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"     /* 13 */
        "    </disk>\n"
        TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "drive-address-conflict", DOMLINT_SEV_ERROR, 13,
                                       "disk 'hdc' and disk 'hda' both use ide drive address controller 0 bus 0 target 0 unit 0");
    const domlint_diag *note;

    test_assert_contains(d->message, "from the target name");
    cr_assert_not_null(d->notes);
    cr_assert_eq(d->notes->len, 1);
    note = g_ptr_array_index(d->notes, 0);
    cr_assert_eq(note->line, 6, "note on line %d, want 6 (disk hda)", note->line);
    test_assert_contains(note->message, "disk 'hda' is here");
    expect_total(r, 1);
}

/* ------------------------------------------------------------- usb, virtio-serial */

Test(rules, usb_address_port_out_of_range)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <controller type='usb' index='0' model='qemu-xhci' ports='4'/>\n"
        "    <input type='tablet' bus='usb'>\n"
        "      <address type='usb' bus='0' port='7'/>\n"  /* 8 */
        "    </input>\n"
        TEST_DOMAIN_TAIL);

    expect_one(r, "usb-address", DOMLINT_SEV_ERROR, 8, "USB port 7 does not exist on bus 0");
    expect_total(r, 1);
}

Test(rules, usb_address_port_used_twice)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <controller type='usb' index='0' model='qemu-xhci'/>\n"
        "    <input type='tablet' bus='usb'>\n"
        "      <address type='usb' bus='0' port='2'/>\n"  /* 8 */
        "    </input>\n"
        "    <input type='keyboard' bus='usb'>\n"
        "      <address type='usb' bus='0' port='2'/>\n"  /* 11 */
        "    </input>\n"
        TEST_DOMAIN_TAIL);
    const domlint_diag *d = expect_one(r, "usb-address", DOMLINT_SEV_ERROR, 11,
                                       "USB bus 0 port 2 is used twice");

    cr_assert_eq(d->notes->len, 1);
    cr_assert_eq(((const domlint_diag *) g_ptr_array_index(d->notes, 0))->line, 8);
    expect_total(r, 1);
}

Test(rules, virtio_serial_port_out_of_range)
{
    g_autoptr(domlint_result) r = check(
        TEST_DOMAIN_HEAD("x86_64", "q35")
        "    <controller type='virtio-serial' index='0' ports='4'/>\n"
        "    <channel type='unix'>\n"
        "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
        "      <address type='virtio-serial' controller='0' bus='0' port='9'/>\n"  /* 9 */
        "    </channel>\n"
        TEST_DOMAIN_TAIL);

    expect_one(r, "virtio-serial-address", DOMLINT_SEV_ERROR, 9,
               "virtio-serial controller 0 has ports 0-3, not port 9");
    expect_total(r, 1);
}

/* ------------------------------------------------------------- clean domains */

static const char clean_q35[] =
    "<domain type='kvm'>\n"
    "  <name>clean-q35</name>\n"
    "  <memory unit='KiB'>1048576</memory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
    "    <disk type='file' device='disk'>\n"
    "      <driver name='qemu' type='qcow2'/>\n"
    "      <source file='/var/lib/libvirt/images/a.qcow2'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>\n"
    "    </disk>\n"
    "    <disk type='file' device='cdrom'>\n"
    "      <target dev='sda' bus='sata'/>\n"
    "      <readonly/>\n"
    "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
    "    </disk>\n"
    "    <controller type='pci' index='0' model='pcie-root'/>\n"
    "    <controller type='pci' index='1' model='pcie-root-port'>\n"
    "      <model name='pcie-root-port'/>\n"
    "      <target chassis='1' port='0x10'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>\n"
    "    </controller>\n"
    "    <controller type='pci' index='2' model='pcie-root-port'>\n"
    "      <model name='pcie-root-port'/>\n"
    "      <target chassis='2' port='0x11'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x1'/>\n"
    "    </controller>\n"
    "    <controller type='pci' index='3' model='pcie-root-port'>\n"
    "      <model name='pcie-root-port'/>\n"
    "      <target chassis='3' port='0x12'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x2'/>\n"
    "    </controller>\n"
    "    <controller type='usb' index='0' model='qemu-xhci' ports='15'>\n"
    "      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>\n"
    "    </controller>\n"
    "    <controller type='sata' index='0'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>\n"
    "    </controller>\n"
    "    <controller type='virtio-serial' index='0'>\n"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "    </controller>\n"
    "    <interface type='network'>\n"
    "      <source network='default'/>\n"
    "      <model type='virtio'/>\n"
    "    </interface>\n"
    "    <serial type='pty'>\n"
    "      <target type='isa-serial' port='0'>\n"
    "        <model name='isa-serial'/>\n"
    "      </target>\n"
    "    </serial>\n"
    "    <console type='pty'>\n"
    "      <target type='serial' port='0'/>\n"
    "    </console>\n"
    "    <channel type='unix'>\n"
    "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
    "      <address type='virtio-serial' controller='0' bus='0' port='1'/>\n"
    "    </channel>\n"
    "    <input type='tablet' bus='usb'>\n"
    "      <address type='usb' bus='0' port='1'/>\n"
    "    </input>\n"
    "    <input type='mouse' bus='ps2'/>\n"
    "    <input type='keyboard' bus='ps2'/>\n"
    "    <graphics type='vnc' port='-1' autoport='yes'/>\n"
    "    <video>\n"
    "      <model type='virtio' heads='1' primary='yes'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "    </video>\n"
    "    <memballoon model='virtio'/>\n"
    "  </devices>\n"
    "</domain>\n";

static const char clean_i440fx[] =
    "<domain type='kvm'>\n"
    "  <name>clean-pc</name>\n"
    "  <memory unit='KiB'>1048576</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/var/lib/libvirt/images/b.img'/>\n"
    "      <target dev='hda' bus='ide'/>\n"
    "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
    "    </disk>\n"
    "    <disk type='file' device='cdrom'>\n"
    "      <target dev='hdc' bus='ide'/>\n"
    "      <readonly/>\n"
    "    </disk>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/var/lib/libvirt/images/c.img'/>\n"
    "      <target dev='vdb' bus='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>\n"
    "    </disk>\n"
    "    <controller type='pci' index='0' model='pci-root'/>\n"
    "    <controller type='pci' index='1' model='pci-bridge'>\n"
    "      <model name='pci-bridge'/>\n"
    "      <target chassisNr='1'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x08' function='0x0'/>\n"
    "    </controller>\n"
    "    <controller type='ide' index='0'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/>\n"
    "    </controller>\n"
    "    <controller type='usb' index='0' model='piix3-uhci'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>\n"
    "    </controller>\n"
    "    <interface type='network'>\n"
    "      <source network='default'/>\n"
    "      <model type='e1000'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x01' function='0x0'/>\n"
    "    </interface>\n"
    "    <input type='tablet' bus='usb'>\n"
    "      <address type='usb' bus='0' port='1'/>\n"
    "    </input>\n"
    "    <video>\n"
    "      <model type='cirrus'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "    </video>\n"
    "    <memballoon model='virtio'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
    "    </memballoon>\n"
    "  </devices>\n"
    "</domain>\n";

Test(clean, q35)
{
    g_autoptr(domlint_result) r = check(clean_q35);

    expect_total(r, 0);
    cr_assert_str_eq(r->machine, "pc-q35-7.2");
    cr_assert_str_eq(r->family, "q35");
}

Test(clean, i440fx)
{
    g_autoptr(domlint_result) r = check(clean_i440fx);

    expect_total(r, 0);
    cr_assert_str_eq(r->machine, "pc-i440fx-7.2");
    cr_assert_str_eq(r->family, "i440fx");
}

/* ------------------------------------------------------------- options */

static const char root_on_q35[] =
    TEST_DOMAIN_HEAD("x86_64", "q35")
    "    <controller type='pci' index='0' model='pci-root'/>\n"
    TEST_DOMAIN_TAIL;

Test(options, disable_turns_a_rule_off)
{
    const char *const off[] = { "pci-root", NULL };
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE, .disable = off });
    g_autoptr(domlint_result) before = check(root_on_q35);
    g_autoptr(domlint_result) after = check_with(opts, root_on_q35);

    expect_total(before, 1);
    expect_total(after, 0);
}

Test(options, disable_all_then_enable_one)
{
    const char *const off[] = { "all", NULL };
    const char *const on[] = { "machine-type", NULL };
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE,
                             .disable = off, .enable = on });
    g_autoptr(domlint_result) r = check_with(opts,
        TEST_DOMAIN_HEAD("x86_64", "pc-q35-99.0")
        "    <controller type='pci' index='0' model='pci-root'/>\n"
        TEST_DOMAIN_TAIL);

    /* pci-root would not run anyway (no family); machine-type must */
    expect_one(r, "machine-type", DOMLINT_SEV_ERROR, TYPE_LINE, "pc-q35-99.0");
    expect_total(r, 1);
}

Test(options, unknown_rule_is_an_error)
{
    const char *const off[] = { "pci-root", "no-such-rule", NULL };
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE, .disable = off });
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx = domlint_ctx_new(opts, &error);

    cr_assert_null(ctx, "a context was made with an unknown rule id");
    cr_assert_not_null(error);
    test_assert_contains(error->message, "unknown rule 'no-such-rule'");
}

Test(options, unknown_rule_in_enable_is_an_error)
{
    const char *const on[] = { "pci_root", NULL };
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE, .enable = on });
    g_autoptr(GError) error = NULL;

    cr_assert_null(domlint_ctx_new(opts, &error));
    cr_assert_not_null(error);
    test_assert_contains(error->message, "'pci_root'");
}

Test(options, missing_machine_db_is_an_error)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = "/nonexistent/domlint/machines", .no_schema = TRUE });
    g_autoptr(GError) error = NULL;

    cr_assert_null(domlint_ctx_new(opts, &error));
    cr_assert_not_null(error);
    test_assert_contains(error->message, "/nonexistent/domlint/machines");
}

Test(options, machine_db_is_reported)
{
    domlint_ctx *ctx = ctx_new(NULL);

    cr_assert_str_eq(domlint_ctx_machine_db(ctx), TEST_MACHINE_DB);
    domlint_ctx_free(ctx);
}

Test(options, rule_registry)
{
    guint n = domlint_rule_count();
    const domlint_rule_info *info;
    g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);

    cr_assert_gt(n, 10);
    for (guint i = 0; i < n; i++) {
        info = domlint_rule_get(i);
        cr_assert_not_null(info);
        cr_assert(g_regex_match_simple("^[a-z0-9]+(-[a-z0-9]+)*$", info->id, 0, 0),
                  "rule id '%s' is not kebab-case", info->id);
        cr_assert(g_hash_table_add(ids, (gpointer) info->id), "rule id '%s' twice", info->id);
        cr_assert_not_null(info->summary);
        cr_assert_eq(domlint_rule_find(info->id), info);
    }
    cr_assert_null(domlint_rule_get(n));
    cr_assert_null(domlint_rule_find("no-such-rule"));
    info = domlint_rule_find("machine-type");
    cr_assert_not_null(info);
    cr_assert_eq(info->severity, DOMLINT_SEV_ERROR);
}

/* ------------------------------------------------------------- failures */

Test(failure, non_domain_root)
{
    static const char xml[] = "<network><name>default</name></network>\n";
    g_autoptr(domlint_result) r = check_with(NULL, xml);
    g_autofree char *text = domlint_format_text(r, NULL);

    cr_assert_eq(r->status, DOMLINT_FILE_FAILED);
    test_assert_contains(r->failure, "root element is <network>, not <domain>");
    cr_assert_eq(r->diags->len, 0);
    cr_assert_null(r->machine);
    test_assert_contains(text, "t.xml: fatal: root element is <network>");
}

Test(failure, malformed_and_empty)
{
    static const char bad[] = "<domain><name>t</domain>";
    g_autoptr(domlint_result) r = check_with(NULL, bad);
    g_autoptr(domlint_result) empty = check_with(NULL, "");

    cr_assert_eq(r->status, DOMLINT_FILE_FAILED);
    test_assert_contains(r->failure, "malformed XML at line 1");
    cr_assert_eq(empty->status, DOMLINT_FILE_FAILED);
    cr_assert_str_eq(empty->failure, "empty file");
}

Test(failure, check_file_missing)
{
    domlint_ctx *ctx = ctx_new(NULL);
    g_autoptr(domlint_result) r = domlint_check_file(ctx, "/nonexistent/domlint/t.xml");

    domlint_ctx_free(ctx);
    cr_assert_eq(r->status, DOMLINT_FILE_FAILED);
    cr_assert_str_eq(r->file, "/nonexistent/domlint/t.xml");
    test_assert_contains(r->failure, "cannot open");
}

/* ------------------------------------------------------------- schema */

Test(schema, missing_schema_dir_gives_one_warning)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .schema_dir = "/nonexistent/schemas" });
    g_autoptr(domlint_result) r = check_with(opts, root_on_q35);
    const domlint_diag *d = expect_one(r, "schema", DOMLINT_SEV_WARNING, 0,
                                       "/nonexistent/schemas/domain.rng");

    test_assert_contains(d->message, "schema validation skipped");
    /* the machine rules still run */
    expect_one(r, "pci-root", DOMLINT_SEV_ERROR, 6, "pcie-root");
    expect_total(r, 2);
}

Test(schema, libvirt_schema_error_has_line)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .schema_dir = TEST_LIBVIRT_SCHEMAS });
    g_autoptr(domlint_result) r = check_with(opts,
        "<domain type='kvm'>\n"
        "  <name>t</name>\n"
        "  <memory unit='bogus'>1048576</memory>\n"
        "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n"
        "  <devices/>\n"
        "</domain>\n");
    const domlint_diag *d = expect_one(r, "schema", DOMLINT_SEV_ERROR, 3,
                                       "does not follow libvirt's domain schema");

    test_assert_contains(d->message, "unit");
    test_assert_contains(d->message, "memory");
    cr_assert_str_eq(d->xpath, "/domain/memory");
    expect_total(r, 1);
}

Test(schema, libvirt_schema_accepts_clean_domains)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .schema_dir = TEST_LIBVIRT_SCHEMAS });
    domlint_ctx *ctx = ctx_new(opts);
    g_autoptr(domlint_result) q35 = domlint_check_memory(ctx, "t.xml", clean_q35, strlen(clean_q35));
    g_autoptr(domlint_result) pc = domlint_check_memory(ctx, "t.xml", clean_i440fx,
                                                        strlen(clean_i440fx));

    domlint_ctx_free(ctx);
    expect_total(q35, 0);
    expect_total(pc, 0);
}

/* ------------------------------------------------------------- formats */

static const char conflict_xml[] =
    TEST_DOMAIN_HEAD("x86_64", "q35")
    "    <interface type='network'>\n"
    "      <source network='default'/>\n"
    "      <model type='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
    "    </interface>\n"
    "    <sound model='ich9'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
    "    </sound>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/var/lib/a.img'/>\n"
    "      <target dev='hda' bus='ide'/>\n"
    "    </disk>\n"
    TEST_DOMAIN_TAIL;

Test(format, text_compiler_style)
{
    g_autoptr(domlint_result) r = check(conflict_xml);
    g_autofree char *text = domlint_format_text(r, NULL);
    g_autoptr(domlint_text_options) color = domlint_text_options_new();
    g_autofree char *colored = NULL;

    domlint_text_options_set_color(color, TRUE);
    colored = domlint_format_text(r, color);

    test_assert_contains(text,
        "t.xml:12:7: error: ich9 sound uses PCI address 0000:00:05.0, which the virtio interface already uses [pci-address-conflict]\n");
    test_assert_contains(text, "t.xml:9:7: note: virtio interface is already at 0000:00:05.0\n");
    test_assert_contains(text, "t.xml:14:5: error: disk 'hda' uses bus='ide'");
    test_assert_contains(text, "[disk-bus]\n");
    /* notes carry no rule id; findings are in line order */
    cr_assert_null(strstr(text, "0000:00:05.0 [pci-address-conflict]"));
    cr_assert_lt(strstr(text, "[pci-address-conflict]"), strstr(text, "[disk-bus]"));
    cr_assert_null(strchr(text, '\033'), "escape codes without color");
    cr_assert_not_null(strchr(colored, '\033'), "no escape codes with color");
}

static JsonObject *
parse_json(JsonParser *parser, const char *text)
{
    g_autoptr(GError) error = NULL;
    JsonNode *root;

    cr_assert(json_parser_load_from_data(parser, text, -1, &error), "bad JSON: %s\n%s",
              error ? error->message : "?", text);
    root = json_parser_get_root(parser);
    cr_assert_not_null(root);
    cr_assert(JSON_NODE_HOLDS_OBJECT(root));
    return json_node_get_object(root);
}

Test(format, json_summary_matches_counts)
{
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autofree char *json = NULL;
    JsonObject *top, *summary, *file0, *diag0;
    JsonArray *files, *diags, *notes;
    guint errors = 0, warnings = 0;

    g_ptr_array_add(results, check(conflict_xml));
    g_ptr_array_add(results, check(TEST_DOMAIN_HEAD("x86_64", "frobnicator") TEST_DOMAIN_TAIL));
    g_ptr_array_add(results, check_with(NULL, "<network/>"));
    for (guint i = 0; i < results->len; i++) {
        errors += domlint_result_count(g_ptr_array_index(results, i), DOMLINT_SEV_ERROR);
        warnings += domlint_result_count(g_ptr_array_index(results, i), DOMLINT_SEV_WARNING);
    }
    cr_assert_eq(errors, 2);
    cr_assert_eq(warnings, 1);

    json = domlint_format_json(results, NULL);
    top = parse_json(parser, json);
    cr_assert_str_eq(json_object_get_string_member(top, "tool"), "domlint");
    cr_assert_str_eq(json_object_get_string_member(top, "version"), domlint_version());
    summary = json_object_get_object_member(top, "summary");
    cr_assert_not_null(summary);
    cr_assert_eq(json_object_get_int_member(summary, "errors"), errors);
    cr_assert_eq(json_object_get_int_member(summary, "warnings"), warnings);
    cr_assert_eq(json_object_get_int_member(summary, "files"), 3);
    cr_assert_eq(json_object_get_int_member(summary, "failed"), 1);

    files = json_object_get_array_member(top, "files");
    cr_assert_eq(json_array_get_length(files), 3);
    file0 = json_array_get_object_element(files, 0);
    cr_assert_str_eq(json_object_get_string_member(file0, "status"), "checked");
    cr_assert_str_eq(json_object_get_string_member(file0, "family"), "q35");
    diags = json_object_get_array_member(file0, "diagnostics");
    cr_assert_eq(json_array_get_length(diags), 2);
    diag0 = json_array_get_object_element(diags, 0);
    cr_assert_str_eq(json_object_get_string_member(diag0, "rule"), "pci-address-conflict");
    cr_assert_str_eq(json_object_get_string_member(diag0, "severity"), "error");
    cr_assert_eq(json_object_get_int_member(diag0, "line"), 12);
    cr_assert_eq(json_object_get_int_member(diag0, "column"), 7);
    notes = json_object_get_array_member(diag0, "notes");
    cr_assert_eq(json_array_get_length(notes), 1);
    cr_assert_eq(json_object_get_int_member(json_array_get_object_element(notes, 0), "line"), 9);
    cr_assert_str_eq(json_object_get_string_member(
                         json_array_get_object_element(files, 2), "status"), "failed");
    test_assert_contains(json_object_get_string_member(json_array_get_object_element(files, 2),
                                                       "failure"), "not <domain>");
}

Test(format, json_escapes_names)
{
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autofree char *json = NULL;
    domlint_ctx *ctx = ctx_new(NULL);
    const char *name = "we\"ird\\name\n.xml";
    JsonObject *top;

    g_ptr_array_add(results, domlint_check_memory(ctx, name, root_on_q35, strlen(root_on_q35)));
    domlint_ctx_free(ctx);
    json = domlint_format_json(results, NULL);
    top = parse_json(parser, json);
    cr_assert_str_eq(json_object_get_string_member(
                         json_array_get_object_element(json_object_get_array_member(top, "files"), 0),
                         "file"), name);
    cr_assert_eq(json_object_get_int_member(json_object_get_object_member(top, "summary"), "errors"), 1);
}

/* ------------------------------------------------------------- libvirt's layout */

/* --fix with OPTIONS; returns the fixed text, the result in *RESULT. */
static char *
fix_with(const domlint_options *options, const char *xml, domlint_result **result)
{
    domlint_ctx *ctx = ctx_new(options);
    char *fixed = NULL;
    gsize len = 0;

    *result = domlint_fix_memory(ctx, "t.xml", xml, strlen(xml), &fixed, &len);
    domlint_ctx_free(ctx);
    cr_assert_not_null(fixed);
    return fixed;
}

/* ------------------------------------------------------------- domlint-disable comments */

/* Two NICs on function 2 of their slots (a pci-multifunction warning each, lines 8 and 11);
 * BEFORE goes in front of the first. */
#define TWO_FN2_NICS(before)                                                                 \
    TEST_DOMAIN_HEAD("x86_64", "pc-i440fx-7.2")                                                          \
    before                                                                                   \
    "    <interface type='user'><model type='e1000'/>\n"                                     \
    "      <address type='pci' domain='0' bus='0' slot='8' function='2'/>\n"                  \
    "    </interface>\n"                                                                     \
    "    <interface type='user'><model type='e1000'/>\n"                                     \
    "      <address type='pci' domain='0' bus='0' slot='9' function='2'/>\n"                  \
    "    </interface>\n" TEST_DOMAIN_TAIL

Test(suppress, next_element_only_and_every_format)
{
    static const char xml[] = TWO_FN2_NICS("    <!-- domlint-disable pci-multifunction: on purpose -->\n");
    g_autoptr(domlint_result) r = check(xml);
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    g_autofree char *json = NULL;
    g_autofree char *sarif = NULL;

    expect_one(r, "pci-multifunction", DOMLINT_SEV_WARNING, 11, "function 2 of slot 00:09");
    expect_total(r, 1);
    /* filtered in the library: JSON and SARIF carry what the text has */
    g_ptr_array_add(all, r);
    json = domlint_format_json(all, NULL);
    sarif = domlint_format_sarif(all, NULL);
    test_assert_contains(json, "slot 00:09");
    test_assert_contains(sarif, "slot 00:09");
    cr_assert_null(strstr(json, "slot 00:08"));
    cr_assert_null(strstr(sarif, "slot 00:08"));
}

Test(suppress, whole_file_and_all)
{
    g_autoptr(domlint_result) file = check(TWO_FN2_NICS("    <!-- domlint-disable-file pci-root,pci-multifunction -->\n"));
    g_autoptr(domlint_result) every = check(TWO_FN2_NICS("    <!-- domlint-disable all -->\n"));

    expect_total(file, 0);
    expect_one(every, "pci-multifunction", DOMLINT_SEV_WARNING, 11, "slot 00:09");
    expect_total(every, 1);
}

Test(suppress, unknown_rule_is_a_warning_with_the_nearest_id)
{
    g_autoptr(domlint_result) r = check(TWO_FN2_NICS("    <!-- domlint-disable pci-multifuncton -->\n"));
    const domlint_diag *d = expect_one(r, "suppression", DOMLINT_SEV_WARNING, 6,
                                       "unknown rule 'pci-multifuncton'");

    cr_assert_eq(d->column, 5);
    test_assert_contains(d->fixit, "did you mean 'pci-multifunction'?");
    expect_total(r, 3);
}

Test(suppress, disabling_the_suppression_rule_keeps_the_silencing)
{
    const char *off[] = { "suppression", NULL };
    g_autoptr(domlint_options) o = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE,
                          .disable = off });
    g_autoptr(domlint_result) r = check_with(o, TWO_FN2_NICS("    <!-- domlint-disable pci-multifunction, nope -->\n"));

    expect_one(r, "pci-multifunction", DOMLINT_SEV_WARNING, 11, "slot 00:09");
    expect_total(r, 1);
}

/* pc with the disk 'vda' and a NIC both at 00:05.0: --fix would move the NIC */
#define CONFLICT(before)                                                                     \
    TEST_DOMAIN_HEAD("x86_64", "pc-i440fx-7.2")                                                          \
    "    <disk type='file' device='disk'><source file='/d.img'/><target dev='vda' bus='virtio'/>\n" \
    "      <address type='pci' domain='0' bus='0' slot='5' function='0'/></disk>\n"          \
    before                                                                                   \
    "    <interface type='user'><model type='e1000'/>\n"                                     \
    "      <address type='pci' domain='0' bus='0' slot='5' function='0'/>\n"                  \
    "    </interface>\n" TEST_DOMAIN_TAIL

Test(suppress, a_silenced_rule_fixes_nothing_and_the_comment_stays)
{
    static const char xml[] = CONFLICT("    <!-- domlint-disable pci-address-conflict -->\n");
    static const char plain[] = CONFLICT("");
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_with(NULL, xml, &r);
    g_autoptr(domlint_result) silenced = r;
    g_autofree char *moved = fix_with(NULL, plain, &r);
    g_autoptr(domlint_result) fixed_result = r;

    cr_assert_str_eq(fixed, xml, "a silenced finding was repaired:\n%s", fixed);
    expect_total(silenced, 0);
    /* without the comment, the same file is repaired */
    cr_assert_str_neq(moved, plain);
    cr_assert_eq(domlint_result_count(fixed_result, DOMLINT_SEV_NOTE), 1);
}

/* ---------------------------------------------------------- fix classes */

/* IDE on q35: removing the controller QEMU never made is safe, moving the disk to SATA renames it */
static const char ide_on_q35[] =
    "<domain type='kvm'><name>t</name><memory>1</memory>\n"
    "  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'><source file='/a.img'/><target dev='hda' bus='ide'/></disk>\n"
    "    <controller type='ide' index='0'/>\n"
    "  </devices>\n"
    "</domain>\n";

/* The first diagnostic of RESULT whose message starts with PREFIX, or NULL. */
static const domlint_diag *
diag_starting(const domlint_result *result, const char *prefix)
{
    for (guint i = 0; i < result->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(result->diags, i);
        if (g_str_has_prefix(d->message, prefix))
            return d;
    }
    return NULL;
}

Test(fix_class, every_fixed_note_has_its_class)
{
    g_autoptr(domlint_options) options = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE });
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_with(options, ide_on_q35, &r);
    const domlint_diag *safe = diag_starting(r, "fixed (safe): removed IDE controller 0");
    const domlint_diag *moved = diag_starting(r, "fixed (guest-visible): moved disk 'hda' to bus='sata'");

    cr_assert_not_null(safe);
    cr_assert_eq(safe->fix_class, DOMLINT_FIX_SAFE);
    cr_assert_not_null(moved);
    cr_assert_eq(moved->fix_class, DOMLINT_FIX_GUEST_VISIBLE);
    test_assert_contains(fixed, "bus='sata'");
    cr_assert_eq(domlint_result_count(r, DOMLINT_SEV_ERROR), 0);
    domlint_result_free(r);
}

Test(fix_class, safe_only_leaves_the_guest_visible_repair_on_its_finding)
{
    g_autoptr(domlint_options) options = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .target = TEST_TARGET, .no_schema = TRUE,
                                .fix_safe_only = TRUE });
    domlint_result *r = NULL;
    g_autofree char *fixed = fix_with(options, ide_on_q35, &r);
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autofree char *json = NULL;
    const domlint_diag *finding = NULL;
    JsonArray *diags;
    guint safe = 0, visible = 0;

    cr_assert_not_null(diag_starting(r, "fixed (safe): removed IDE controller 0"));
    cr_assert_null(diag_starting(r, "fixed (guest-visible)"));
    cr_assert_null(strstr(fixed, "sata"), "--fix=safe moved the disk:\n%s", fixed);
    cr_assert_null(strstr(fixed, "<controller type='ide'"));
    for (guint i = 0; i < r->diags->len && !finding; i++) {
        const domlint_diag *d = g_ptr_array_index(r->diags, i);
        if (d->severity == DOMLINT_SEV_ERROR && g_strcmp0(d->rule, "disk-bus") == 0)
            finding = d;
    }
    cr_assert_not_null(finding);
    cr_assert_eq(finding->fix_class, DOMLINT_FIX_GUEST_VISIBLE);
    cr_assert_not_null(finding->notes);
    test_assert_contains(((const domlint_diag *) g_ptr_array_index(finding->notes, finding->notes->len - 1))->message,
                         "not fixed under --fix=safe, as the guest would see it: moved disk 'hda'");

    /* JSON carries the class on both */
    g_ptr_array_add(results, r);
    json = domlint_format_json(results, NULL);
    diags = json_object_get_array_member(json_array_get_object_element(
        json_object_get_array_member(parse_json(parser, json), "files"), 0), "diagnostics");
    for (guint i = 0; i < json_array_get_length(diags); i++) {
        JsonObject *d = json_array_get_object_element(diags, i);
        const char *c = json_object_get_string_member(d, "fixClass");
        cr_assert(json_object_has_member(d, "fixClass"));
        safe += g_strcmp0(c, "safe") == 0;
        visible += g_strcmp0(c, "guest-visible") == 0;
    }
    cr_assert_eq(safe, 1);
    cr_assert_eq(visible, 1);
}
