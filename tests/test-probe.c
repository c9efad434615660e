/*
 * test-probe.c - unit tests of the QEMU probe (src/probe/)
 *
 * No real QEMU runs here: tests/data/qmp/probe/fake-qemu.sh replays QMP
 * sessions recorded from qemu-system-x86_64 7.2.22 (record.sh) for the
 * machine types none, isapc, pc-i440fx-1.4, pc-i440fx-7.2, pc-q35-2.4 and
 * pc-q35-7.2; it refuses to start the binary's other types, as a QEMU
 * that lacks them would.  On those probes: grouping into the families of
 * data/machines (representative, floppy facts), writing family files
 * (valid against schemas/machines.rng, equal to the goldens beside the
 * recordings), comparing with the knowledge (no line for the recorded
 * QEMU, one line per changed fact), and the per-binary cache.
 */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "testutil.h"
#include "core/machines.h"
#include "core/target.h"
#include "probe/probe-internal.h"
#include "probe/probe.h"

#define RECORDED DOMLINT_SRCDIR "/tests/data/qmp/probe"
#define SCHEMA DOMLINT_SRCDIR "/schemas/machines.rng"
#define RELEASES DOMLINT_SRCDIR "/data/releases"
#define SCHEMAS DOMLINT_SRCDIR "/schemas"

static const char *const recorded[] = {
    "none", "isapc", "pc-i440fx-1.4", "pc-i440fx-7.2", "pc-q35-2.4", "pc-q35-7.2", NULL,
};

static char *tmp;            /* this test's scratch directory */
static char *qemu;           /* the fake binary in it */
static dl_releases *releases;
static dl_target *target;    /* debian-12: QEMU 7.2, libvirt 9.0 (borrows releases) */
static dl_machine_db *db;    /* data/machines for it (borrows it) */

/* rm -rf DIR: the cache tests leave directories inside directories */
static void
remove_tree(const char *dir)
{
    const char *argv[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* A qemu-system-x86_64 in TMP that runs the replayer; its own file, so
 * that a test can change the "binary" without touching the source tree. */
static char *
write_fake(const char *dir, const char *extra)
{
    g_autofree char *text = g_strdup_printf("#!/bin/sh\n%sexec /bin/sh '%s/fake-qemu.sh' \"$@\"\n",
                                            extra, RECORDED);
    char *path = g_build_filename(dir, "qemu-system-x86_64", NULL);

    cr_assert(g_file_set_contents(path, text, -1, NULL));
    cr_assert_eq(g_chmod(path, 0755), 0);
    return path;
}

static void
setup(void)
{
    g_autoptr(GError) error = NULL;

    /* the shipped device catalogue decides which devices are looked for */
    g_setenv("DOMLINT_DATA_DIR", DOMLINT_SRCDIR "/data", TRUE);
    tmp = g_dir_make_tmp("test-probe-XXXXXX", &error);
    cr_assert_not_null(tmp, "%s", error ? error->message : "");
    /* before any g_get_user_cache_dir(): the cache tests own theirs */
    {
        g_autofree char *cache = g_build_filename(tmp, "cache", NULL);
        g_setenv("XDG_CACHE_HOME", cache, TRUE);
    }
    qemu = write_fake(tmp, "");
    releases = dl_releases_load(RELEASES, SCHEMAS, &error);
    cr_assert_not_null(releases, "%s", error ? error->message : "");
    target = dl_target_resolve(releases, TEST_TARGET, NULL, &error);
    cr_assert_not_null(target, "%s", error ? error->message : "");
    db = dl_machine_db_load(TEST_MACHINE_DB, SCHEMA, target, &error);
    cr_assert_not_null(db, "%s", error ? error->message : "");
}

static void
teardown(void)
{
    dl_machine_db_free(db);
    db = NULL;
    g_clear_pointer(&target, dl_target_free);
    g_clear_pointer(&releases, dl_releases_free);
    remove_tree(tmp);
    g_clear_pointer(&tmp, g_free);
    g_clear_pointer(&qemu, g_free);
}

/* The recorded machines (or MACHINES), probed through the replayer. */
static dl_probe_result *
probe(const char *const *machines)
{
    g_autoptr(GError) error = NULL;
    dl_probe_options options = { .jobs = 2 };
    dl_probe_result *result = dl_probe_run(qemu, machines ? machines : recorded, &options, &error);

    cr_assert_not_null(result, "probe: %s", error ? error->message : "");
    return result;
}

static dl_probe_machine *
machine(dl_probe_result *result, const char *name)
{
    dl_probe_machine *m = (dl_probe_machine *) dl_probe_result_machine(result, name);

    cr_assert_not_null(m, "no machine '%s' in the probe", name);
    return m;
}

static const dl_family_probe *
group_of(GPtrArray *groups, const char *id)
{
    for (guint i = 0; i < groups->len; i++) {
        const dl_family_probe *fp = g_ptr_array_index(groups, i);

        if (strcmp(fp->family->id, id) == 0)
            return fp;
    }
    return NULL;
}

static char *
joined(GPtrArray *lines)
{
    g_autoptr(GString) out = g_string_new(NULL);

    for (guint i = 0; i < lines->len; i++)
        g_string_append_printf(out, "%s\n", (char *) g_ptr_array_index(lines, i));
    return g_strdup(out->str);
}

/* RESULT's machines by family (caller unrefs); *WARNINGS gets the warnings, one a line. */
static GPtrArray *
group(const dl_probe_result *result, gboolean all_families, char **warnings)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *groups = dl_probe_group_machines(result, db, all_families, lines);

    *warnings = joined(lines);
    return groups;
}

/* ------------------------------------------------------------------ */
/* reading: the recorded sessions through session.c and read.c        */

TestSuite(probe_read, .init = setup, .fini = teardown);

Test(probe_read, recorded_machines)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    const dl_probe_machine *q35, *pc;
    const dl_probe_pci *ahci;

    cr_assert_str_eq(result->target, "x86_64");
    cr_assert_str_eq(result->version, "7.2.22");
    cr_assert_eq(result->machines->len, 6);
    cr_assert_not(result->all_machines);
    q35 = machine(result, "q35");
    cr_assert_str_eq(q35->name, "pc-q35-7.2");
    cr_assert_eq(q35->root, DL_ROOT_PCIE);
    cr_assert_str_eq(q35->host_bridge, "q35-pcihost");
    cr_assert_eq(q35->builtins->len, 4);
    ahci = g_ptr_array_index(q35->builtins, 2);
    cr_assert_eq(ahci->slot, 0x1f);
    cr_assert_eq(ahci->function, 2);
    cr_assert_str_eq(ahci->device, "ich9-ahci");
    cr_assert_not(q35->fdc);
    cr_assert_eq(g_strv_length(q35->ide_buses), 6);
    pc = machine(result, "pc");
    cr_assert(pc->is_default);
    cr_assert_eq(pc->root, DL_ROOT_PCI);
    cr_assert(pc->fdc);
    cr_assert_str_eq(pc->fdc_device, "isa-fdc");
    cr_assert(machine(result, "pc-i440fx-1.4")->deprecated);
    cr_assert_eq(machine(result, "isapc")->root, DL_ROOT_NONE);
}

Test(probe_read, machine_qemu_lacks_fails_the_call)
{
    const char *const wanted[] = { "pc-q35-1.0", NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_probe_result) result = dl_probe_run(qemu, wanted, NULL, &error);

    cr_assert_null(result);
    cr_assert(g_error_matches(error, DL_PROBE_ERROR, DL_PROBE_ERROR_MACHINE));
    test_assert_contains(error->message, "'pc-q35-1.0'");
}

/* ------------------------------------------------------------------ */
/* grouping (group.c)                                                 */

TestSuite(probe_group, .init = setup, .fini = teardown);

Test(probe_group, machines_to_families)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autofree char *text = NULL;
    g_autoptr(GPtrArray) groups = group(result, FALSE, &text);
    const dl_family_probe *q35 = group_of(groups, "q35");
    const dl_family_probe *i440fx = group_of(groups, "i440fx");

    cr_assert_eq(groups->len, 4, "families: %u", groups->len);
    cr_assert_not_null(group_of(groups, "none"));
    cr_assert_not_null(group_of(groups, "isapc"));
    cr_assert_not_null(q35);
    cr_assert_eq(q35->members->len, 2);
    /* the member with the alias gives the family its facts */
    cr_assert_str_eq(q35->rep->name, "pc-q35-7.2");
    cr_assert_str_eq(i440fx->rep->name, "pc-i440fx-7.2");
    cr_assert_eq(i440fx->members->len, 2);
    cr_assert_str_eq(text, "");
}

/* Family ID of GROUPS has <fdc builtin=FDC before=BEFORE>. */
static void
assert_fdc(GPtrArray *groups, const char *id, gboolean fdc, const char *before)
{
    const dl_family_probe *fp = group_of(groups, id);

    cr_assert_not_null(fp, "no family '%s'", id);
    cr_assert_eq(fp->fdc, fdc, "%s: builtin floppy controller %d", id, fp->fdc);
    cr_assert_eq(g_strcmp0(fp->fdc_before, before), 0, "%s: before='%s', not '%s'", id,
                 fp->fdc_before ? fp->fdc_before : "(none)", before ? before : "(none)");
}

Test(probe_group, floppy_facts)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) groups = dl_probe_group_machines(result, db, FALSE, NULL);

    /* every i440fx has one */
    assert_fdc(groups, "i440fx", TRUE, NULL);
    /* no q35 of QEMU 7.2 has one: the shipped boundary (before 2.4) agrees and stays */
    assert_fdc(groups, "q35", FALSE, "2.4");
}

Test(probe_group, floppy_boundary_from_the_versions)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) groups = NULL;
    g_autofree char *text = NULL;

    /* as if pc-q35-2.4 had the floppy controller of older q35 types, and
     * pc-i440fx-7.2 had lost its own */
    machine(result, "pc-q35-2.4")->fdc = TRUE;
    machine(result, "pc-i440fx-7.2")->fdc = FALSE;
    groups = group(result, FALSE, &text);
    /* the shipped "before 2.4" disagrees: the lowest version without one decides */
    assert_fdc(groups, "q35", FALSE, "7.2");
    assert_fdc(groups, "i440fx", FALSE, "7.2");
    cr_assert_str_eq(text, "");
}

Test(probe_group, failed_machine_is_not_the_representative)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) groups = NULL;
    g_autofree char *text = NULL;

    machine(result, "pc-q35-7.2")->error = g_strdup("did not start");
    groups = group(result, FALSE, &text);
    cr_assert_str_eq(group_of(groups, "q35")->rep->name, "pc-q35-2.4");
    cr_assert_str_eq(text, "q35: machine 'pc-q35-7.2' could not be probed: did not start\n");
}

Test(probe_group, members_that_differ_are_warned_about)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) groups = NULL;
    g_autofree char *text = NULL;

    g_ptr_array_remove_index(machine(result, "pc-q35-2.4")->builtins, 3);
    groups = group(result, FALSE, &text);
    cr_assert_str_eq(text, "q35: machine 'pc-q35-2.4' has builtin PCI functions"
                           " 00.0 mch, 1f.0 ICH9-LPC, 1f.2 ich9-ahci,"
                           " 'pc-q35-7.2' has 00.0 mch, 1f.0 ICH9-LPC, 1f.2 ich9-ahci, 1f.3 ICH9-SMB\n");
}

Test(probe_group, all_families_and_unclaimed_machines)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) groups = NULL;
    const dl_family_probe *microvm;
    g_autofree char *text = NULL;
    dl_probe_machine *isapc = machine(result, "isapc");

    g_free(isapc->name);
    isapc->name = g_strdup("no-such-board");
    groups = group(result, TRUE, &text);
    /* a family of x86 the binary has no (probed) machine of is still there, empty */
    microvm = group_of(groups, "microvm");
    cr_assert_not_null(microvm);
    cr_assert_eq(microvm->members->len, 0);
    cr_assert_null(microvm->rep);
    cr_assert_eq(group_of(groups, "isapc")->members->len, 0);
    test_assert_contains(text, "machine 'no-such-board' belongs to no family of the knowledge base");
}

/* ------------------------------------------------------------------ */
/* writing (familydoc.c, write.c)                                     */

TestSuite(probe_write, .init = setup, .fini = teardown);

static void
assert_valid(const char *file)
{
    xmlRelaxNGParserCtxt *pctxt = xmlRelaxNGNewParserCtxt(SCHEMA);
    xmlRelaxNG *rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGValidCtxt *vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlDoc *doc = xmlReadFile(file, NULL, XML_PARSE_NONET);
    int rc;

    cr_assert_not_null(doc, "%s does not parse", file);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlFreeDoc(doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(rng);
    xmlRelaxNGFreeParserCtxt(pctxt);
    cr_assert_eq(rc, 0, "%s does not follow %s", file, SCHEMA);
}

/* DIR/ID.xml, with the source directory as @SRCDIR@, equals RECORDED/ID.golden.xml. */
static void
assert_golden(const char *dir, const char *id)
{
    g_autofree char *name = g_strdup_printf("%s.xml", id);
    g_autofree char *file = g_build_filename(dir, name, NULL);
    g_autofree char *golden = g_strdup_printf("%s/%s.golden.xml", RECORDED, id);
    g_autofree char *got = NULL;
    g_autofree char *want = NULL;
    g_auto(GStrv) parts = NULL;
    g_autofree char *normal = NULL;

    assert_valid(file);
    cr_assert(g_file_get_contents(file, &got, NULL, NULL), "%s was not written", file);
    parts = g_strsplit(got, DOMLINT_SRCDIR, -1);
    normal = g_strjoinv("@SRCDIR@", parts);
    if (g_getenv("DOMLINT_UPDATE_GOLDEN"))
        g_file_set_contents(golden, normal, -1, NULL);
    cr_assert(g_file_get_contents(golden, &want, NULL, NULL), "cannot read %s", golden);
    cr_assert_str_eq(normal, want, "%s differs from %s", file, golden);
}

Test(probe_write, family_files_match_the_goldens)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) error = NULL;
    g_autofree char *out = g_build_filename(tmp, "out", NULL);
    g_autofree char *text = NULL;

    /* the provenance comment names the binary as given */
    g_free(result->qemu);
    result->qemu = g_strdup("qemu-system-x86_64");
    cr_assert(dl_probe_write_dir(result, db, SCHEMA, FALSE, out, warnings, &error), "%s",
              error ? error->message : "");
    text = joined(warnings);
    cr_assert_str_eq(text, "");
    assert_golden(out, "q35");
    assert_golden(out, "i440fx");
    assert_golden(out, "isapc");
}

Test(probe_write, probed_facts_replace_the_shipped_ones)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *out = g_build_filename(tmp, "out", NULL);
    dl_machine_db *written;
    const dl_family *q35 = NULL;

    machine(result, "pc-q35-2.4")->fdc = TRUE;
    cr_assert(dl_probe_write_dir(result, db, SCHEMA, FALSE, out, NULL, &error), "%s",
              error ? error->message : "");
    written = dl_machine_db_load(out, SCHEMA, NULL, &error);
    cr_assert_not_null(written, "%s", error ? error->message : "");
    dl_machine_db_lookup(written, "x86_64", "pc-q35-2.4", &q35, NULL);
    cr_assert_not_null(q35);
    cr_assert_str_eq(q35->fdc_before, "7.2");
    cr_assert(dl_family_has_builtin_fdc(q35, "pc-q35-2.4"));
    cr_assert_not(dl_family_has_builtin_fdc(q35, "q35"));
    dl_machine_db_free(written);
}

Test(probe_write, unwritable_directory)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *file = g_build_filename(tmp, "a-file", NULL);
    g_autofree char *out = g_build_filename(file, "out", NULL);

    cr_assert(g_file_set_contents(file, "", 0, NULL));
    cr_assert_not(dl_probe_write_dir(result, db, SCHEMA, FALSE, out, NULL, &error));
    cr_assert(g_error_matches(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE), "%s", error->message);
}

/* ------------------------------------------------------------------ */
/* comparing (compare.c)                                              */

TestSuite(probe_compare, .init = setup, .fini = teardown);

Test(probe_compare, recorded_qemu_matches_the_knowledge)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) checked = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_devices) devices = dl_devices_load(DOMLINT_SRCDIR "/data/devices", SCHEMAS,
                                                    dl_machine_db_target(db), &error);
    g_autofree char *text = NULL;
    g_autofree char *families = NULL;
    guint n;

    cr_assert_not_null(devices, "%s", error ? error->message : "");
    n = dl_probe_compare(result, db, lines, checked);
    n += dl_probe_compare_devices(result, devices, lines, checked);
    text = joined(lines);
    cr_assert_str_eq(text, "");
    cr_assert_eq(n, 0);
    families = joined(checked);
    cr_assert_str_eq(families, "isapc\nnone\ni440fx\nq35\ndevices\n");
}

Test(probe_compare, each_changed_fact_is_one_line)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) checked = g_ptr_array_new_with_free_func(g_free);
    dl_probe_machine *q35 = machine(result, "pc-q35-7.2");
    dl_probe_pci *ahci = g_ptr_array_index(q35->builtins, 2);
    g_autofree char *text = NULL;
    guint n;

    q35->fdc = TRUE;
    g_free(ahci->device);
    ahci->device = g_strdup("ahci-other");
    machine(result, "pc-i440fx-1.4")->root = DL_ROOT_PCIE;
    g_strfreev(result->controllers_absent);
    result->controllers_absent = g_strsplit("pci-bridge", " ", -1);
    n = dl_probe_compare(result, db, lines, checked);
    text = joined(lines);
    cr_assert_str_eq(text,
        "i440fx: machine 'pc-i440fx-1.4': root bus is pcie-root in QEMU (i440FX-pcihost), pci-root in the knowledge base\n"
        "q35: machine 'pc-q35-7.2': QEMU has 'ahci-other' at 00:1f.2, the knowledge base 'ich9-ahci'\n"
        "q35: machine 'pc-q35-7.2': QEMU has a builtin floppy controller, the knowledge base says it has none\n"
        "i440fx: controller 'pci-bridge': QEMU has none of its devices\n"
        "q35: controller 'pci-bridge': QEMU has none of its devices\n");
    cr_assert_eq(n, 5);
}

Test(probe_compare, machine_no_family_claims)
{
    g_autoptr(dl_probe_result) result = probe(NULL);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) checked = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *text = NULL;
    dl_probe_machine *isapc = machine(result, "isapc");

    g_free(isapc->name);
    isapc->name = g_strdup("no-such-board");
    cr_assert_eq(dl_probe_compare(result, db, lines, checked), 1);
    text = joined(lines);
    cr_assert_str_eq(text, "(none): machine 'no-such-board' is in QEMU but no family claims it\n");
}

/* ------------------------------------------------------------------ */
/* the per-binary cache (cache.c)                                     */

TestSuite(probe_cache, .init = setup, .fini = teardown, .timeout = 60);

static char *
cached(const char *binary, const char *db_dir, gboolean *hit)
{
    g_autoptr(GError) error = NULL;
    char *dir = dl_probe_cached(binary, db, db_dir, SCHEMA, hit, &error);

    cr_assert_not_null(dir, "dl_probe_cached: %s", error ? error->message : "");
    return dir;
}

Test(probe_cache, fills_once_and_reads_back)
{
    gboolean hit = TRUE;
    g_autofree char *dir = cached(qemu, TEST_MACHINE_DB, &hit);
    g_autofree char *again = NULL;
    g_autofree char *ini = g_build_filename(dir, "probe.ini", NULL);
    g_autofree char *q35 = g_build_filename(dir, "q35.xml", NULL);
    g_autofree char *real = realpath(qemu, NULL);
    g_autofree char *base = g_build_filename(tmp, "cache", "domlint", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_probe_facts) facts = NULL;
    dl_machine_db *written;

    cr_assert_not(hit, "an empty cache was a hit");
    cr_assert(g_str_has_prefix(dir, base), "%s is not below %s", dir, base);
    cr_assert(g_file_test(ini, G_FILE_TEST_IS_REGULAR));
    cr_assert(g_file_test(q35, G_FILE_TEST_IS_REGULAR));
    written = dl_machine_db_load(dir, SCHEMA, NULL, &error);
    cr_assert_not_null(written, "%s", error ? error->message : "");
    dl_machine_db_free(written);

    facts = dl_probe_facts_load(dir, &error);
    cr_assert_not_null(facts, "%s", error ? error->message : "");
    cr_assert_str_eq(facts->qemu, real);
    cr_assert_str_eq(facts->version, "7.2.22");
    cr_assert(g_strv_contains((const char *const *) facts->deprecated, "pc-i440fx-1.4"));
    cr_assert_not(g_strv_contains((const char *const *) facts->deprecated, "pc-i440fx-7.2"));
    cr_assert(g_strv_contains((const char *const *) facts->absent, "spapr-vscsi"));
    cr_assert_not(g_strv_contains((const char *const *) facts->absent, "e1000"));

    again = cached(qemu, TEST_MACHINE_DB, &hit);
    cr_assert(hit, "the second call probed again");
    cr_assert_str_eq(again, dir);
}

/* Fill the cache, make CHANGE to the binary (or none), ask again with DB_DIR: a miss. */
static void
assert_probed_again(const char *change, const char *db_dir)
{
    gboolean hit = TRUE;
    g_autofree char *dir = cached(qemu, TEST_MACHINE_DB, &hit);
    g_autofree char *after = NULL;

    cr_assert_not(hit);
    if (change)
        g_free(write_fake(tmp, change));
    after = cached(qemu, db_dir, &hit);
    cr_assert_not(hit, "a cache hit after the change");
    cr_assert_str_neq(after, dir);
}

Test(probe_cache, changed_binary_probes_again)
{
    /* a new build at the same path: another size and mtime */
    assert_probed_again("# rebuilt\n", TEST_MACHINE_DB);
}

Test(probe_cache, other_knowledge_probes_again)
{
    assert_probed_again(NULL, "/elsewhere/machines");
}

Test(probe_cache, facts_of_a_directory_without_probe_ini)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_probe_facts) facts = dl_probe_facts_load(tmp, &error);

    cr_assert_null(facts);
    cr_assert_not_null(error);
}

Test(probe_cache, binary_not_found)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = dl_probe_cached("/nonexistent/qemu-system-x86_64", db, TEST_MACHINE_DB,
                                           SCHEMA, NULL, &error);

    cr_assert_null(dir);
    cr_assert(g_error_matches(error, DL_PROBE_ERROR, DL_PROBE_ERROR_QEMU));
}
