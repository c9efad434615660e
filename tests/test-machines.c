/*
 * test-machines.c - unit tests of the machine-type knowledge base
 *
 * Loads the real data/machines directory, validated against
 * schemas/machines.rng, for the target debian-12 (QEMU 7.2, libvirt 9.0)
 * and checks facts of that release (see data/machines/README.md); the
 * "releases" suite loads it for other targets and checks what changed
 * between releases; plus the loader's handling of broken files.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/machines.h"
#include "testutil.h"

#ifndef DOMLINT_SRCDIR
#error "DOMLINT_SRCDIR must name the source directory"
#endif

#define DATA_DIR DOMLINT_SRCDIR "/data/machines"
#define SCHEMA DOMLINT_SRCDIR "/schemas/machines.rng"
#define RELEASES DOMLINT_SRCDIR "/data/releases"
#define SCHEMAS DOMLINT_SRCDIR "/schemas"

static dl_machine_db *db;
static dl_releases *releases;
static dl_target *target;

/* Load the knowledge for the target SPEC ("debian-12", "qemu-10.0,libvirt-11.3"). */
static void
load_for(const char *spec)
{
    g_autoptr(GError) error = NULL;

    dl_machine_db_free(db);
    dl_target_free(target);
    if (!releases)
        releases = dl_releases_load(RELEASES, SCHEMAS, &error);
    cr_assert_not_null(releases, "loading %s: %s", RELEASES, error ? error->message : "?");
    target = dl_target_resolve(releases, spec, NULL, &error);
    cr_assert_not_null(target, "target %s: %s", spec, error ? error->message : "?");
    db = dl_machine_db_load(DATA_DIR, SCHEMA, target, &error);
    cr_assert_not_null(db, "loading %s for %s failed: %s", DATA_DIR, spec, error ? error->message : "?");
}

static void
setup(void)
{
    load_for("debian-12");
}

static void
teardown(void)
{
    dl_machine_db_free(db);
    db = NULL;
    dl_target_free(target);
    target = NULL;
    dl_releases_free(releases);
    releases = NULL;
}

TestSuite(machines, .init = setup, .fini = teardown);

/* Look MACHINE up on ARCH, check the result and the family id (NULL: none). */
static const dl_family *
expect(const char *arch, const char *machine, dl_match_result want, const char *family_id)
{
    const dl_family *family = NULL;
    const dl_family *closest = NULL;
    dl_match_result got = dl_machine_db_lookup(db, arch, machine, &family, &closest);

    cr_assert_eq(got, want, "%s on %s: result %d, want %d", machine, arch, got, want);
    if (family_id) {
        cr_assert_not_null(family, "%s on %s: no family", machine, arch);
        cr_assert_str_eq(family->id, family_id, "%s on %s", machine, arch);
    } else {
        cr_assert_null(family, "%s on %s: unexpected family", machine, arch);
    }
    return family;
}

static const dl_family *
family_by_id(const char *id)
{
    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);

        if (g_strcmp0(family->id, id) == 0)
            return family;
    }
    cr_assert_fail("no family '%s'", id);
    return NULL;
}

Test(machines, every_family_loads)
{
    static const char *const ids[] = {
        "arm-virt", "bamboo", "e500", "g3beige", "i440fx", "isapc", "loongarch-virt", "mac99",
        "mac99-ppc", "malta", "microvm", "none", "pegasos2", "powernv", "ppc-nopci", "prep", "pseries", "q35",
        "realview-eb", "riscv-virt", "s390-ccw", "sam460ex", "sun4u", "versatilepb", "vexpress",
        "xenfv", "x-remote", "nitro", "arm-boards", "ppc-boards", "riscv-boards",
    };

    cr_assert_eq(dl_machine_db_count(db), G_N_ELEMENTS(ids));
    for (gsize i = 0; i < G_N_ELEMENTS(ids); i++) {
        const dl_family *family = family_by_id(ids[i]);

        cr_assert_not_null(family->title);
        cr_assert(g_str_has_suffix(family->origin, ".xml"));
    }
    cr_assert_null(dl_machine_db_family(db, dl_machine_db_count(db)));
}

Test(machines, pc_is_i440fx)
{
    const dl_family *family = expect("x86_64", "pc", DL_MATCH_OK, "i440fx");

    cr_assert_eq(family->root, DL_ROOT_PCI);
    cr_assert(family->has_ide);
    cr_assert_str_eq(dl_family_canonical(family, "pc"), "pc-i440fx-7.2");
    cr_assert_str_eq(dl_family_canonical(family, "pc-i440fx-2.0"), "pc-i440fx-2.0");
    expect("i686", "pc", DL_MATCH_OK, "i440fx");
}

Test(machines, versioned_i440fx)
{
    expect("x86_64", "pc-i440fx-7.2", DL_MATCH_OK, "i440fx");
    expect("x86_64", "pc-i440fx-1.4", DL_MATCH_OK, "i440fx");
    expect("x86_64", "pc-1.3", DL_MATCH_NOT_IN_TARGET, "i440fx");
    expect("x86_64", "pc-i440fx-8.0", DL_MATCH_NOT_IN_TARGET, "i440fx");
    expect("x86_64", "rhel7.6.0", DL_MATCH_UNKNOWN_VERSION, "i440fx");
}

Test(machines, q35_versions_and_arch)
{
    const dl_family *family = expect("x86_64", "q35", DL_MATCH_OK, "q35");

    cr_assert_eq(family->root, DL_ROOT_PCIE);
    cr_assert_str_eq(dl_family_canonical(family, "q35"), "pc-q35-7.2");
    expect("x86_64", "pc-q35-4.0.1", DL_MATCH_OK, "q35");
    expect("x86_64", "pc-q35-2.3", DL_MATCH_UNKNOWN_VERSION, "q35");
    expect("aarch64", "q35", DL_MATCH_WRONG_ARCH, "q35");
    expect("aarch64", "pc-q35-7.2", DL_MATCH_WRONG_ARCH, "q35");
}

Test(machines, q35_builtins)
{
    const dl_family *family = family_by_id("q35");
    const dl_builtin *sata = dl_family_builtin_at(family, 0x1f, 2);

    cr_assert_not_null(sata);
    cr_assert_str_eq(sata->device, "ich9-ahci");
    cr_assert_str_eq(sata->controller_type, "sata");
    cr_assert_eq(sata->controller_index, 0);
    cr_assert(sata->reserved);
    cr_assert_str_eq(dl_family_builtin_at(family, 0x1f, 0)->device, "ICH9-LPC");
    cr_assert_null(dl_family_builtin_at(family, 0x1f, 3)->controller_type);
    cr_assert_eq(dl_family_builtin_at(family, 0x1f, 3)->controller_index, -1);
    cr_assert_null(dl_family_builtin_at(family, 0x1f, 1));
    cr_assert_null(dl_family_builtin_at(family, 0x01, 1));
}

Test(machines, i440fx_builtins)
{
    const dl_family *family = family_by_id("i440fx");
    const dl_builtin *ide = dl_family_builtin_at(family, 0x01, 1);
    const dl_builtin *usb = dl_family_builtin_at(family, 0x01, 2);

    cr_assert_str_eq(ide->controller_type, "ide");
    cr_assert_eq(ide->controller_index, 0);
    cr_assert_null(ide->models);
    cr_assert_str_eq(usb->controller_type, "usb");
    cr_assert_str_eq(usb->models, "piix3-uhci");
    cr_assert_not(usb->reserved, "01.2 is free when the USB controller is not piix3-uhci");
    cr_assert(dl_family_builtin_at(family, 0x01, 3)->reserved);
    cr_assert_null(dl_family_builtin_at(family, 0x01, 4));
}

Test(machines, floppy_controllers)
{
    const dl_family *q35 = family_by_id("q35");
    const dl_family *pc = family_by_id("i440fx");

    cr_assert(dl_family_has_builtin_fdc(q35, "pc-q35-2.3"));
    cr_assert(dl_family_has_builtin_fdc(q35, "pc-q35-1.7"));
    cr_assert_not(dl_family_has_builtin_fdc(q35, "pc-q35-2.4"));
    cr_assert_not(dl_family_has_builtin_fdc(q35, "pc-q35-2.10"));
    cr_assert_not(dl_family_has_builtin_fdc(q35, "q35"));
    cr_assert_not(dl_family_has_builtin_fdc(q35, "pc-q35-rhel7.6.0"));
    cr_assert(q35->fdc_explicit);
    cr_assert(dl_family_has_builtin_fdc(pc, "pc-i440fx-7.2"));
    cr_assert_not(family_by_id("pseries")->has_floppy);
    cr_assert(family_by_id("isapc")->has_floppy);
}

Test(machines, virt_depends_on_arch)
{
    const dl_family *arm = expect("aarch64", "virt", DL_MATCH_OK, "arm-virt");
    const dl_family *riscv = expect("riscv64", "virt", DL_MATCH_OK, "riscv-virt");
    const dl_family *loong = expect("loongarch64", "virt", DL_MATCH_OK, "loongarch-virt");

    cr_assert_str_eq(dl_family_canonical(arm, "virt"), "virt-7.2");
    cr_assert_str_eq(dl_family_canonical(riscv, "virt"), "virt");
    expect("armv7l", "virt-2.6", DL_MATCH_OK, "arm-virt");
    expect("aarch64", "virt-2.5", DL_MATCH_UNKNOWN_VERSION, "arm-virt");
    expect("riscv32", "virt", DL_MATCH_OK, "riscv-virt");
    expect("x86_64", "virt", DL_MATCH_WRONG_ARCH, "arm-virt");
    cr_assert_null(arm->unsupported_reason);
    cr_assert_not_null(loong->unsupported_reason);
}

Test(machines, arm_boards)
{
    const dl_family *vexpress = expect("armv7l", "vexpress-a15", DL_MATCH_OK, "vexpress");

    expect("armv7l", "realview-eb-mpcore", DL_MATCH_OK, "realview-eb");
    expect("armv7l", "versatilepb", DL_MATCH_OK, "versatilepb");
    cr_assert_eq(vexpress->root, DL_ROOT_NONE);
    cr_assert(dl_family_has_address_type(vexpress, "virtio-mmio"));
    cr_assert_not(dl_family_has_address_type(vexpress, "pci"));
}

Test(machines, s390)
{
    const dl_family *family = expect("s390x", "s390-ccw-virtio", DL_MATCH_OK, "s390-ccw");

    cr_assert_str_eq(dl_family_canonical(family, "s390-ccw-virtio"), "s390-ccw-virtio-7.2");
    expect("s390x", "s390-ccw-virtio-2.4", DL_MATCH_OK, "s390-ccw");
    expect("s390x", "s390-ccw", DL_MATCH_UNKNOWN_VERSION, "s390-ccw");
    family = expect("s390x", "s390-virtio", DL_MATCH_REMOVED, "s390-ccw");
    cr_assert_not_null(family->removed_reason);
    cr_assert(dl_family_has_address_type(family, "ccw"));
    cr_assert_not(dl_family_has_address_type(family_by_id("i440fx"), "ccw"));
}

Test(machines, pseries)
{
    const dl_family *family = expect("ppc64le", "pseries", DL_MATCH_OK, "pseries");

    cr_assert_eq(family->root, DL_ROOT_PCI);
    cr_assert(family->multi_root);
    cr_assert_str_eq(family->root_model_name, "spapr-pci-host-bridge");
    cr_assert_str_eq(dl_family_canonical(family, "pseries"), "pseries-7.2");
    cr_assert(dl_family_has_address_type(family, "spapr-vio"));
    cr_assert_str_eq(dl_family_default(family, "scsi"), "ibmvscsi");
    expect("ppc64", "pseries-2.12-sxxm", DL_MATCH_OK, "pseries");
    expect("ppc", "pseries", DL_MATCH_WRONG_ARCH, "pseries");
    cr_assert_not(family_by_id("i440fx")->multi_root);
}

Test(machines, other_ppc)
{
    const dl_family *family = expect("ppc64", "powernv", DL_MATCH_OK, "powernv");

    cr_assert_str_eq(dl_family_canonical(family, "powernv"), "powernv9");
    expect("ppc64", "powernv10", DL_MATCH_OK, "powernv");
    expect("ppc", "powernv9", DL_MATCH_UNKNOWN_VERSION, "powernv");
    expect("ppc", "prep", DL_MATCH_REMOVED, "prep");
    expect("ppc64", "40p", DL_MATCH_OK, "prep");
    expect("ppc", "bamboo", DL_MATCH_OK, "bamboo");
    expect("ppc64le", "ppce500", DL_MATCH_OK, "e500");
    expect("ppc", "mpc8544ds", DL_MATCH_OK, "e500");
    expect("ppc", "ref405ep", DL_MATCH_OK, "ppc-nopci");
    expect("ppc64", "virtex-ml507", DL_MATCH_OK, "ppc-nopci");
    family = expect("ppc", "g3beige", DL_MATCH_OK, "g3beige");
    cr_assert(family->has_ide);
    cr_assert_str_eq(dl_family_builtin_at(family, 0x10, 0)->device, "macio-oldworld");
    /* QEMU has macio IDE buses on mac99, but libvirt knows no builtin IDE */
    family = expect("ppc64", "mac99", DL_MATCH_OK, "mac99");
    cr_assert_not(family->has_ide);
    cr_assert_str_eq(dl_family_builtin_at(family, 0x0c, 0)->device, "macio-newworld");
    /* qemu-system-ppc's mac99 has macio on pci.2: 0c.0 of libvirt's pci.0 is free */
    family = expect("ppc", "mac99", DL_MATCH_OK, "mac99-ppc");
    cr_assert_not(family->has_ide);
    cr_assert_str_eq(dl_family_builtin_at(family, 0x0b, 0)->device, "uni-north-agp");
    cr_assert_null(dl_family_builtin_at(family, 0x0c, 0));
    /* pegasos2: a builtin FDC, no libvirt IDE; the VT8231 is on pci.1, not libvirt's bus */
    family = expect("ppc", "pegasos2", DL_MATCH_OK, "pegasos2");
    cr_assert(dl_family_has_builtin_fdc(family, "pegasos2"));
    cr_assert(dl_family_has_disk_bus(family, "fdc"));
    cr_assert_not(family->has_ide);
    cr_assert_str_eq(dl_family_builtin_at(family, 0x00, 0)->device, "mv64361-pcibridge");
    cr_assert_null(dl_family_builtin_at(family, 0x0c, 0));
    /* libvirt adds pci-root on every ppc board, PCI-less or PCIe ones too */
    cr_assert_eq(family_by_id("ppc-nopci")->root, DL_ROOT_PCI);
    cr_assert_eq(family_by_id("sam460ex")->root, DL_ROOT_PCI);
    cr_assert_eq(family_by_id("powernv")->root, DL_ROOT_PCI);
    cr_assert_str_eq(dl_family_builtin_at(family_by_id("sam460ex"), 0x06, 0)->device, "sm501");
}

Test(machines, none_and_unknown)
{
    const dl_family *family = expect("riscv64", "none", DL_MATCH_OK, "none");
    const dl_family *closest = NULL;

    cr_assert_not_null(family->unsupported_reason);
    expect("x86_64", "none", DL_MATCH_OK, "none");
    cr_assert_eq(dl_machine_db_lookup(db, "x86_64", "pc-q53-7.2", NULL, &closest), DL_MATCH_NONE);
    cr_assert_not_null(closest);
    cr_assert_str_eq(closest->id, "q35");
    cr_assert_eq(dl_machine_db_lookup(db, "x86_64", "isapx", NULL, &closest), DL_MATCH_NONE);
    cr_assert_str_eq(closest->id, "isapc");
    cr_assert_eq(dl_machine_db_lookup(db, "x86_64", "completely-different", NULL, &closest),
                 DL_MATCH_NONE);
    cr_assert_null(closest);
    expect("riscv64", "spike-v2", DL_MATCH_NONE, NULL);
}

Test(machines, boards_known_by_name_only)
{
    const dl_family *boards = expect("riscv64", "spike", DL_MATCH_OK, "riscv-boards");

    cr_assert_not_null(boards->no_facts, "a board family has no facts for the rules");
    expect("aarch64", "raspi3b", DL_MATCH_OK, "arm-boards");
    expect("armv7l", "musicpal", DL_MATCH_OK, "arm-boards");
    /* the aarch64 binary's boards that qemu-system-arm lacks in every release */
    expect("armv7l", "xlnx-zcu102", DL_MATCH_UNKNOWN_VERSION, "arm-boards");
    /* a board of another release: raspi2 left after 5.2, amigaone came after 7.2 */
    expect("aarch64", "raspi2", DL_MATCH_NOT_IN_TARGET, "arm-boards");
    expect("ppc64", "amigaone", DL_MATCH_NOT_IN_TARGET, "ppc-boards");
    load_for("debian-13");
    expect("ppc", "amigaone", DL_MATCH_OK, "ppc-boards");
    expect("ppc64", "taihu", DL_MATCH_NOT_IN_TARGET, "ppc-boards");
    /* families with facts still win their own names */
    expect("aarch64", "virt", DL_MATCH_OK, "arm-virt");
}

Test(machines, default_machines)
{
    cr_assert_str_eq(dl_machine_db_default_machine(db, "x86_64"), "pc");
    cr_assert_str_eq(dl_machine_db_default_machine(db, "i686"), "pc");
    cr_assert_str_eq(dl_machine_db_default_machine(db, "ppc64le"), "pseries");
    cr_assert_str_eq(dl_machine_db_default_machine(db, "ppc"), "g3beige");
    cr_assert_str_eq(dl_machine_db_default_machine(db, "s390x"), "s390-ccw-virtio");
    cr_assert_null(dl_machine_db_default_machine(db, "aarch64"));
}

Test(machines, defaults_and_capabilities)
{
    const dl_family *arm = family_by_id("arm-virt");
    const dl_family *q35 = family_by_id("q35");
    const dl_family *pc = family_by_id("i440fx");

    cr_assert_str_eq(dl_family_default_for_arch(arm, "usb", "aarch64"), "qemu-xhci");
    cr_assert_str_eq(dl_family_default_for_arch(arm, "usb", "armv7l"), "piix3-uhci");
    cr_assert_null(dl_family_default(arm, "usb"));
    cr_assert_str_eq(dl_family_default_for_arch(arm, "net", "aarch64"), "virtio");
    cr_assert_str_eq(dl_family_default(pc, "scsi"), "lsilogic");
    cr_assert_null(dl_family_default(pc, "no-such-key"));
    cr_assert(dl_family_allows_controller(q35, "pcie-root-port"));
    cr_assert_not(dl_family_allows_controller(pc, "pcie-root-port"));
    cr_assert(dl_family_allows_controller(pc, "pci-expander-bus"));
    cr_assert_not(dl_family_allows_controller(q35, "pci-expander-bus"));
    cr_assert(dl_family_has_disk_bus(pc, "ide"));
    cr_assert_not(dl_family_has_disk_bus(q35, "ide"));
    cr_assert(dl_family_has_disk_bus(q35, "sata"));
}

Test(machines, implicit_devices)
{
    const dl_family *ppc = family_by_id("powernv");
    const dl_family *q35 = family_by_id("q35");
    const dl_implicit *usb = NULL;
    guint usb_count = 0;

    for (guint i = 0; i < ppc->implicit->len; i++) {
        const dl_implicit *imp = g_ptr_array_index(ppc->implicit, i);

        if (g_strcmp0(imp->type, "usb") == 0 && dl_implicit_applies(imp, "ppc64")) {
            usb = imp;
            usb_count++;
        }
    }
    cr_assert_eq(usb_count, 1);
    cr_assert_str_eq(usb->model, "qemu-xhci");
    cr_assert_eq(usb->index, 0);
    for (guint i = 0; i < q35->implicit->len; i++) {
        const dl_implicit *imp = g_ptr_array_index(q35->implicit, i);

        cr_assert_neq(g_strcmp0(imp->kind, "watchdog"), 0, "libvirt 9.0 adds no iTCO watchdog");
    }
}

Test(machines, machines_lists)
{
    const dl_family *pc = family_by_id("i440fx");

    cr_assert(g_strv_contains((const char * const *) pc->machines, "pc-i440fx-2.10"));
    cr_assert_not(g_strv_contains((const char * const *) pc->machines, "pc-1.3"));
    cr_assert_null(family_by_id("malta")->machines, "no MIPS binary: list unknown");
    cr_assert_not_null(family_by_id("xenfv")->machines);
    cr_assert_null(family_by_id("xenfv")->machines[0], "QEMU here has no xenfv");
    expect("x86_64", "xenfv", DL_MATCH_UNKNOWN_VERSION, "xenfv");
    expect("mips64el", "malta", DL_MATCH_OK, "malta");
    expect("sparc64", "sun4u", DL_MATCH_OK, "sun4u");
}

Test(versions, compare)
{
    cr_assert_lt(dl_version_compare("2.4", "2.10"), 0);
    cr_assert_gt(dl_version_compare("2.10", "2.4"), 0);
    cr_assert_eq(dl_version_compare("7.2", "7.2"), 0);
    cr_assert_lt(dl_version_compare("2.3", "2.4"), 0);
    cr_assert_lt(dl_version_compare("1.7", "2.0"), 0);
    cr_assert_gt(dl_version_compare("4.0.1", "4.0"), 0);
    cr_assert_lt(dl_version_compare("4.0", "4.0.1"), 0);
    cr_assert_gt(dl_version_compare("10", "9"), 0);
    cr_assert_gt(dl_version_compare("2.12-sxxm", "2.12"), 0);
    cr_assert_lt(dl_version_compare(NULL, "1"), 0);
    cr_assert_eq(dl_version_compare(NULL, NULL), 0);
}

/* A temporary data dir holding one file NAME with CONTENT. */
static char *
make_data_dir(const char *name, const char *content)
{
    g_autoptr(GError) error = NULL;
    char *dir = g_dir_make_tmp("domlint-machines-XXXXXX", &error);
    g_autofree char *path = NULL;

    cr_assert_not_null(dir, "%s", error ? error->message : "?");
    path = g_build_filename(dir, name, NULL);
    cr_assert(g_file_set_contents(path, content, -1, &error), "%s",
              error ? error->message : "?");
    return dir;
}

static void
remove_data_dir(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    g_unlink(path);
    g_rmdir(dir);
}

/* Loading DIR must fail with CODE and a message naming NAME. */
static void
expect_load_error(const char *name, const char *content, const char *schema,
                  dl_machines_error code)
{
    g_autofree char *dir = make_data_dir(name, content);
    g_autoptr(GError) error = NULL;
    dl_machine_db *broken = dl_machine_db_load(dir, schema, NULL, &error);

    cr_assert_null(broken);
    cr_assert_not_null(error);
    cr_assert(g_error_matches(error, DL_MACHINES_ERROR, code), "code %d: %s", error->code,
              error->message);
    cr_assert(strstr(error->message, name) != NULL, "'%s' does not name the file",
              error->message);
    remove_data_dir(dir, name);
}

Test(loader, malformed_file_names_the_file)
{
    expect_load_error("broken.xml", "<family id='broken'><arch>x86_64</arch>\n<match name='x'>",
                      SCHEMA, DL_MACHINES_ERROR_PARSE);
}

Test(loader, schema_violation_names_the_file)
{
    expect_load_error("bad.xml",
                      "<family id='bad' title='t'><arch>x86_64</arch><root model='pci-root'/></family>",
                      SCHEMA, DL_MACHINES_ERROR_SCHEMA);
}

Test(loader, checks_without_schema)
{
    expect_load_error("wrong.xml",
                      "<family id='other' title='t'><arch>x86_64</arch><match name='x'/>"
                      "<root model='pci-root'/></family>",
                      NULL, DL_MACHINES_ERROR_INVALID);
    expect_load_error("canon.xml",
                      "<family id='canon' title='t'><arch>x86_64</arch>"
                      "<match name='x' canonical='x-1.0'/><machines>x</machines>"
                      "<root model='pci-root'/></family>",
                      SCHEMA, DL_MACHINES_ERROR_INVALID);
    expect_load_error("slot.xml",
                      "<family id='slot' title='t'><arch>x86_64</arch><match name='x'/>"
                      "<root model='pci-root'/>"
                      "<builtin slot='0x20' function='0' device='d'/></family>",
                      NULL, DL_MACHINES_ERROR_INVALID);
}

Test(loader, external_entities_are_not_loaded)
{
    g_autofree char *outside = make_data_dir("arch.txt", "x86_64");
    g_autofree char *doc = g_strdup_printf("<!DOCTYPE family [<!ENTITY e SYSTEM '%s/arch.txt'>]>"
                                           "<family id='ent' title='t'><arch>&e;</arch>"
                                           "<match name='x'/><root model='none'/></family>",
                                           outside);
    g_autofree char *dir = make_data_dir("ent.xml", doc);
    g_autoptr(GError) error = NULL;

    /* the entity stays unexpanded, so <arch> is empty */
    cr_assert_null(dl_machine_db_load(dir, NULL, NULL, &error));
    cr_assert(g_error_matches(error, DL_MACHINES_ERROR, DL_MACHINES_ERROR_INVALID), "%s",
              error ? error->message : "?");
    remove_data_dir(dir, "ent.xml");
    remove_data_dir(outside, "arch.txt");
}

Test(loader, missing_directory)
{
    g_autoptr(GError) error = NULL;

    cr_assert_null(dl_machine_db_load("/nonexistent/domlint/machines", NULL, NULL, &error));
    cr_assert(g_error_matches(error, DL_MACHINES_ERROR, DL_MACHINES_ERROR_IO));
    cr_assert_not_null(strstr(error->message, "/nonexistent/domlint/machines"));
}

Test(loader, broken_schema)
{
    g_autofree char *dir = make_data_dir("bad.rng", "<grammar xmlns='http://relaxng.org/ns/structure/1.0'/>");
    g_autofree char *schema = g_build_filename(dir, "bad.rng", NULL);
    g_autoptr(GError) error = NULL;

    cr_assert_null(dl_machine_db_load(DATA_DIR, schema, NULL, &error));
    cr_assert(g_error_matches(error, DL_MACHINES_ERROR, DL_MACHINES_ERROR_SCHEMA));
    cr_assert_not_null(strstr(error->message, "bad.rng"));
    remove_data_dir(dir, "bad.rng");
}

/* ------------------------------------------------------------- releases */

Test(versions, major_minor)
{
    g_autofree char *a = dl_version_major_minor("10.0.13");
    g_autofree char *b = dl_version_major_minor("9");
    g_autofree char *c = dl_version_major_minor("7.2.22 (Debian)");

    cr_assert_str_eq(a, "10.0");
    cr_assert_str_eq(b, "9.0");
    cr_assert_str_eq(c, "7.2");
    cr_assert_null(dl_version_major_minor("ten"));
    cr_assert_null(dl_version_major_minor(""));
    cr_assert_null(dl_version_major_minor(NULL));
    cr_assert_null(dl_version_major_minor("1000.1"));
}

Test(releases, range_is_since_inclusive_before_exclusive, .init = setup, .fini = teardown)
{
    load_for("qemu-10.0,libvirt-11.3");
    cr_assert(dl_target_in_range(target, "qemu", "10.0", NULL));
    cr_assert(dl_target_in_range(target, "qemu", NULL, "10.1"));
    cr_assert_not(dl_target_in_range(target, "qemu", NULL, "10.0"));
    cr_assert_not(dl_target_in_range(target, "qemu", "10.1", NULL));
    cr_assert(dl_target_in_range(target, "libvirt", "9.10", "12.0"));
    cr_assert_not(dl_target_in_range(target, "libvirt", "11.4", NULL));
    /* no target: every fact holds */
    cr_assert(dl_target_in_range(NULL, "qemu", "99.0", NULL));
}

Test(releases, spec_parts_and_platforms, .init = setup, .fini = teardown)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_target) both = dl_target_resolve(releases, "libvirt-8.0,qemu-6.2", NULL, &error);
    g_autoptr(dl_target) rhel = dl_target_resolve(releases, "rhel-9.6", NULL, &error);
    g_autoptr(dl_target) binary = dl_target_resolve(releases, "debian-11", "10.0.13", &error);
    g_autoptr(dl_target) twice = NULL;

    cr_assert_str_eq(both->qemu, "6.2");
    cr_assert_str_eq(both->libvirt, "8.0");
    cr_assert_null(both->platform);
    cr_assert_str_eq(rhel->vendor, "rhel");
    cr_assert_str_eq(rhel->vendor_version, "9.6");
    cr_assert_not(rhel->vendor_upstream);
    cr_assert_str_eq(rhel->qemu, "9.1");
    /* a --qemu binary decides the QEMU part, whatever the platform says */
    cr_assert_str_eq(binary->qemu, "10.0");
    cr_assert_eq(binary->qemu_from, DL_TARGET_FROM_BINARY);
    cr_assert_str_eq(binary->libvirt, "7.0");
    twice = dl_target_resolve(releases, "qemu-6.2,qemu-7.2", NULL, &error);
    cr_assert_null(twice, "a part given twice is refused");
    cr_assert_not_null(error);
}

Test(releases, vendor_lines, .init = setup, .fini = teardown)
{
    const dl_family *q35;

    /* RHEL's qemu-kvm: only RHEL's types; its q35 alias is RHEL's newest */
    load_for("rhel-9.6");
    q35 = expect("x86_64", "q35", DL_MATCH_OK, "q35");
    cr_assert_str_eq(dl_family_canonical(q35, "q35"), "pc-q35-rhel9.6.0");
    expect("x86_64", "pc-q35-rhel9.4.0", DL_MATCH_OK, "q35");
    expect("x86_64", "pc-q35-9.1", DL_MATCH_NOT_IN_TARGET, "q35");
    expect("x86_64", "isapc", DL_MATCH_UNKNOWN_VERSION, "isapc");
    cr_assert(dl_machine_type_deprecated(dl_family_type(q35, "x86_64", "pc-q35-rhel8.6.0"), target));
    /* Ubuntu's QEMU: upstream's types and Ubuntu's */
    load_for("ubuntu-22.04");
    q35 = expect("x86_64", "q35", DL_MATCH_OK, "q35");
    cr_assert_str_eq(dl_family_canonical(q35, "q35"), "pc-q35-6.2");
    expect("x86_64", "pc-q35-jammy", DL_MATCH_OK, "q35");
    expect("x86_64", "pc-q35-noble", DL_MATCH_NOT_IN_TARGET, "q35");
    expect("x86_64", "pc-q35-6.2", DL_MATCH_OK, "q35");
    /* upstream: neither vendor's */
    load_for("debian-13");
    expect("x86_64", "pc-q35-jammy", DL_MATCH_NOT_IN_TARGET, "q35");
    expect("x86_64", "pc-q35-rhel9.6.0", DL_MATCH_NOT_IN_TARGET, "q35");
}

Test(releases, spans_take_the_end_without_false_errors, .init = setup, .fini = teardown)
{
    const dl_family *nopci;

    /* ref405ep: in 7.2, not in 10.0: "removed 8.0..10.0" keeps it until 10.0 */
    load_for("qemu-9.2");
    nopci = expect("ppc", "ref405ep", DL_MATCH_OK, "ppc-nopci");
    cr_assert_str_eq(dl_family_type(nopci, "ppc", "ref405ep")->removed_text, "8.0..10.0");
    load_for("qemu-10.0");
    expect("ppc", "ref405ep", DL_MATCH_NOT_IN_TARGET, "ppc-nopci");
    /* pegasos2: not in 5.2, in 7.2: "added 6.0..7.2" has it from 6.0 */
    load_for("qemu-6.0");
    expect("ppc", "pegasos2", DL_MATCH_OK, "pegasos2");
    load_for("qemu-5.2");
    expect("ppc", "pegasos2", DL_MATCH_NOT_IN_TARGET, "pegasos2");
}

Test(releases, facts_follow_the_target, .init = setup, .fini = teardown)
{
    /* pcie-expander-bus on ARM virt: libvirt 7.7 and a QEMU with pxb-pcie there */
    load_for("qemu-7.2,libvirt-7.6");
    cr_assert_not(dl_family_allows_controller(family_by_id("arm-virt"), "pcie-expander-bus"));
    load_for("qemu-5.2,libvirt-9.0");
    cr_assert_not(dl_family_allows_controller(family_by_id("arm-virt"), "pcie-expander-bus"));
    load_for("qemu-7.2,libvirt-9.0");
    cr_assert(dl_family_allows_controller(family_by_id("arm-virt"), "pcie-expander-bus"));
    /* PCI refused on isapc from libvirt 12.8 */
    cr_assert_not(dl_family_refuses(family_by_id("isapc"), "pci-controllers"));
    load_for("debian-sid");
    cr_assert(dl_family_refuses(family_by_id("isapc"), "pci-controllers"));
    /* aliases move with the release */
    cr_assert_str_eq(dl_family_canonical(family_by_id("powernv"), "powernv"), "powernv11");
    load_for("qemu-9.0");
    cr_assert_str_eq(dl_family_canonical(family_by_id("powernv"), "powernv"), "powernv10");
}

Test(releases, libvirt_behaviours_follow_the_target, .init = setup, .fini = teardown)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_target) old = dl_target_resolve(releases, "debian-12", NULL, &error);
    g_autoptr(dl_target) mid = dl_target_resolve(releases, "ubuntu-24.04", NULL, &error);
    g_autoptr(dl_target) new = dl_target_resolve(releases, "debian-13", NULL, &error);

    cr_assert_not_null(old);
    cr_assert_not_null(new);
    /* libvirt inserts the controllers it adds in index order from 11.3 (data) */
    cr_assert_not(dl_releases_behaviour(releases, "controllers-added-in-order", old));
    cr_assert_not(dl_releases_behaviour(releases, "controllers-added-in-order", mid));
    cr_assert(dl_releases_behaviour(releases, "controllers-added-in-order", new));
    /* an id the data does not list is no behaviour of any release */
    cr_assert_not(dl_releases_behaviour(releases, "no-such-behaviour", new));
    cr_assert_not(dl_releases_behaviour(NULL, "controllers-added-in-order", new));
}
