/*
 * test-devices.c - unit tests of the device-model catalogue
 *
 * Loads the real data/devices/devices.xml, validated against
 * schemas/devices.rng, for several targets and checks what the rules and
 * the layout ask of it: PCI controller properties, how device models attach,
 * USB ports and companion sets, which qemu-system binary runs which arch,
 * and which QEMU releases and arches have a device (measured facts of
 * QEMU 5.2, 7.2, 10.0 and 11.1).  Plus the loader on broken files.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/devices.h"
#include "testutil.h"

#define DEVICES_DIR DOMLINT_SRCDIR "/data/devices"
#define SCHEMAS DOMLINT_SRCDIR "/schemas"
#define RELEASES DOMLINT_SRCDIR "/data/releases"

static dl_releases *releases;
static dl_target *target;
static dl_devices *devices;

static void
load_for(const char *spec)
{
    g_autoptr(GError) error = NULL;

    dl_devices_free(devices);
    dl_target_free(target);
    if (!releases)
        releases = dl_releases_load(RELEASES, SCHEMAS, &error);
    cr_assert_not_null(releases, "%s", error ? error->message : "?");
    target = dl_target_resolve(releases, spec, NULL, &error);
    cr_assert_not_null(target, "target %s: %s", spec, error ? error->message : "?");
    devices = dl_devices_load(DEVICES_DIR, SCHEMAS, target, &error);
    cr_assert_not_null(devices, "loading for %s: %s", spec, error ? error->message : "?");
}

static void
setup(void)
{
    load_for(TEST_TARGET);
}

static void
teardown(void)
{
    g_clear_pointer(&devices, dl_devices_free);
    g_clear_pointer(&target, dl_target_free);
    g_clear_pointer(&releases, dl_releases_free);
}

TestSuite(devices, .init = setup, .fini = teardown);

Test(devices, pci_controllers_follow_libvirts_connect_matrix)
{
    const dl_pci_controller *port = dl_devices_pci_controller(devices, "pcie-root-port");
    const dl_pci_controller *root = dl_devices_pci_controller(devices, "pci-root");
    const dl_pci_controller *bridge = dl_devices_pci_controller(devices, "pci-bridge");

    cr_assert_not_null(port);
    cr_assert_eq(port->upstream, DL_CONN_PCIE_ROOT_PORT);
    cr_assert(port->accepts & DL_CONN_PCIE_DEVICE);
    cr_assert_not(port->accepts & DL_CONN_PCI_DEVICE);
    cr_assert_eq(port->min_slot, 0);
    cr_assert_eq(port->max_slot, 0);
    cr_assert(port->express && port->aggregate && port->autoassign && port->hotplug);
    cr_assert_str_eq(port->names[0], "pcie-root-port", "the first name is libvirt's default");
    cr_assert_str_eq(port->names[1], "ioh3420");
    cr_assert_null(port->names[2]);

    cr_assert(root->root && !root->express);
    cr_assert_eq(root->min_slot, 1);
    cr_assert_eq(root->max_slot, 31);
    cr_assert(root->accepts & DL_CONN_PCI_EXPANDER_BUS);
    cr_assert_null(root->names[0], "a root has no <model name> of its own");

    cr_assert_eq(bridge->upstream, DL_CONN_PCI_BRIDGE);
    cr_assert(bridge->accepts & DL_CONN_PCI_BRIDGE);
    cr_assert_null(dl_devices_pci_controller(devices, "pcie-root-complex"));
    cr_assert_null(dl_devices_pci_controller(devices, NULL));
}

Test(devices, controller_options)
{
    const char *feature = "unset";

    cr_assert(dl_pci_controller_takes(dl_devices_pci_controller(devices, "pci-bridge"), "chassisNr", &feature));
    cr_assert_null(feature);
    cr_assert_not(dl_pci_controller_takes(dl_devices_pci_controller(devices, "pci-bridge"), "chassis", NULL));
    cr_assert(dl_pci_controller_takes(dl_devices_pci_controller(devices, "pcie-switch-downstream-port"), "port", NULL));
    cr_assert(dl_pci_controller_takes(dl_devices_pci_controller(devices, "pcie-expander-bus"), "busNr", NULL));
    /* hotplug on the root needs PIIX4's switch: a family feature */
    cr_assert(dl_pci_controller_takes(dl_devices_pci_controller(devices, "pci-root"), "hotplug", &feature));
    cr_assert_str_eq(feature, "root-hotplug");
    cr_assert_not(dl_pci_controller_takes(dl_devices_pci_controller(devices, "pcie-root"), "hotplug", NULL));
}

Test(devices, kinds_match_element_type_subsystem_and_bus)
{
    const dl_dev_kind_entry *k;
    const dl_dev_model *m;

    k = dl_devices_kind(devices, "interface", "hostdev", NULL, NULL);
    cr_assert_not_null(k);
    cr_assert_eq(k->connect.link, DL_LINK_EXPRESS);
    k = dl_devices_kind(devices, "interface", "network", NULL, NULL);
    cr_assert_not_null(k);
    cr_assert_str_eq(k->default_key, "net");
    cr_assert_eq(k->connect.link, DL_LINK_FIXED);
    cr_assert_eq(k->connect.flags, DL_CONN_PCI_DEVICE, "an unlisted NIC model is a PCI device");
    m = dl_dev_kind_model(k, "virtio-transitional");
    cr_assert_not_null(m, "prefix= matches the start of the model");
    cr_assert_eq(m->connect.link, DL_LINK_VIRTIO);
    m = dl_dev_kind_model(k, "e1000e");
    cr_assert_eq(m->connect.link, DL_LINK_EXPRESS);
    cr_assert_eq(dl_dev_kind_model(k, "usb-net")->connect.link, DL_LINK_NONE);

    k = dl_devices_kind(devices, "disk", "file", NULL, "virtio");
    cr_assert_eq(k->connect.link, DL_LINK_VIRTIO);
    k = dl_devices_kind(devices, "disk", "file", NULL, "sata");
    cr_assert_eq(k->connect.link, DL_LINK_NONE);
    k = dl_devices_kind(devices, "hostdev", "subsystem", "scsi_host", NULL);
    cr_assert_eq(k->connect.link, DL_LINK_VIRTIO_PCI, "vhost-scsi is virtio but always PCI");
    k = dl_devices_kind(devices, "iommu", NULL, NULL, NULL);
    m = dl_dev_kind_model(k, "virtio");
    cr_assert_eq(m->connect.link, DL_LINK_EXPRESS);
    cr_assert_eq(m->connect.flags, DL_CONN_INTEGRATED);
    cr_assert_str_eq(m->feature, "virtio-iommu");
    cr_assert_null(dl_devices_kind(devices, "graphics", NULL, NULL, NULL), "not a device with a model catalogue");
}

Test(devices, usb_ports_and_companion_sets)
{
    const dl_dev_kind_entry *usb = dl_devices_kind(devices, "controller", "usb", NULL, NULL);
    const dl_dev_model *ehci = dl_devices_controller_model(devices, "usb", "ich9-ehci1");
    const dl_dev_model *uhci3 = dl_devices_controller_model(devices, "usb", "ich9-uhci3");
    const dl_dev_model *xhci = dl_devices_controller_model(devices, "usb", "qemu-xhci");

    cr_assert_eq(usb->ports, 2);
    cr_assert_eq(usb->unnamed.link, DL_LINK_NONE, "no model and no default: not on PCI");
    cr_assert(ehci->master && !ehci->companion);
    cr_assert_eq(ehci->function, 7);
    cr_assert_eq(ehci->ports, 6);
    cr_assert(uhci3->companion);
    cr_assert_eq(uhci3->function, 2);
    cr_assert_eq(uhci3->ports, 0);
    cr_assert_eq(xhci->max_ports, 15);
    cr_assert_eq(xhci->ports, 4);
    cr_assert_eq(dl_devices_controller_model(devices, "usb", "piix3-uhci")->max_ports, 0);
}

Test(devices, emulators)
{
    const dl_emulator *a64 = dl_devices_emulator(devices, "aarch64");
    const dl_emulator *x86 = dl_devices_emulator(devices, "x86_64");

    cr_assert_str_eq(a64->arches[0], "aarch64");
    cr_assert_null(a64->arches[1], "the probe describes aarch64 only");
    cr_assert(g_strv_contains((const char *const *) a64->also, "armv7l"), "it also runs 32-bit ARM guests");
    cr_assert(g_strv_contains((const char *const *) x86->arches, "i686"));
    cr_assert_null(x86->also[0]);
    cr_assert_null(dl_devices_emulator(devices, "z80"));
}

Test(devices, qemu_names_are_unique_and_complete)
{
    const char *const *names = dl_devices_qemu_names(devices);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (gsize i = 0; names[i]; i++) {
        cr_assert_not(g_hash_table_contains(seen, names[i]), "'%s' listed twice", names[i]);
        g_hash_table_add(seen, (gpointer) names[i]);
    }
    cr_assert(g_hash_table_contains(seen, "pxb-pcie"));
    cr_assert(g_hash_table_contains(seen, "intel-hda"));
    cr_assert(g_hash_table_contains(seen, "tpm-tis-device"));
}

static dl_presence
presence(const char *element, const char *type, const char *model, const char *arch)
{
    const dl_dev_model *m = dl_dev_kind_model(dl_devices_kind(devices, element, type, NULL, NULL), model);

    cr_assert_not_null(m, "%s model %s", element, model);
    return dl_qemu_devices_present(devices, m->devices, arch);
}

Test(devices, presence_follows_the_target_release)
{
    /* igb: absent in QEMU 7.2, present in 10.0 */
    cr_assert_eq(presence("interface", NULL, "igb", "x86_64"), DL_PRESENT_NO);
    load_for("debian-13");
    cr_assert_eq(presence("interface", NULL, "igb", "x86_64"), DL_PRESENT_YES);
    /* vt82c686b-usb-uhci: present in 5.2, gone from x86 by 7.2 */
    cr_assert_eq(presence("controller", "usb", "vt82c686b-uhci", "x86_64"), DL_PRESENT_NO);
    load_for("debian-11");
    cr_assert_eq(presence("controller", "usb", "vt82c686b-uhci", "x86_64"), DL_PRESENT_YES);
    cr_assert_eq(presence("interface", NULL, "igb", "x86_64"), DL_PRESENT_NO);
    /* qemu-xhci on s390x from 10.0 */
    cr_assert_eq(presence("controller", "usb", "qemu-xhci", "s390x"), DL_PRESENT_NO);
    load_for("debian-sid");
    cr_assert_eq(presence("controller", "usb", "qemu-xhci", "s390x"), DL_PRESENT_YES);
}

Test(devices, presence_by_arch_and_unknowns)
{
    const dl_dev_model *tis = dl_devices_controller_model(devices, "usb", "qusb1");

    cr_assert_eq(presence("video", NULL, "qxl", "aarch64"), DL_PRESENT_NO);
    cr_assert_eq(presence("video", NULL, "qxl", "x86_64"), DL_PRESENT_YES);
    /* two devices behind one model: tpm-tis is tpm-tis-device on ARM */
    cr_assert_eq(presence("tpm", NULL, "tpm-tis", "aarch64"), DL_PRESENT_YES);
    cr_assert_eq(presence("tpm", NULL, "tpm-tis", "x86_64"), DL_PRESENT_YES);
    cr_assert_eq(presence("tpm", NULL, "tpm-crb", "aarch64"), DL_PRESENT_NO);
    /* an arch nobody measured (32-bit PowerPC) is unknown, never absent */
    cr_assert_eq(presence("video", NULL, "qxl", "ppc"), DL_PRESENT_UNKNOWN);
    cr_assert_eq(presence("video", NULL, "qxl", NULL), DL_PRESENT_UNKNOWN);
    /* a model without QEMU devices (Xen's qusb1) is unknown */
    cr_assert_eq(dl_qemu_devices_present(devices, tis->devices, "x86_64"), DL_PRESENT_UNKNOWN);
    /* RHEL's qemu-kvm leaves devices out: the measurements say nothing there */
    load_for("rhel-9.6");
    cr_assert_eq(presence("video", NULL, "qxl", "aarch64"), DL_PRESENT_UNKNOWN);
}

Test(devices, absence_is_explained)
{
    const dl_dev_model *igb = dl_dev_kind_model(dl_devices_kind(devices, "interface", NULL, NULL, NULL), "igb");
    const dl_dev_model *qxl = dl_dev_kind_model(dl_devices_kind(devices, "video", NULL, NULL, NULL), "qxl");
    g_autofree char *why_igb = dl_qemu_device_absence(g_ptr_array_index(igb->devices, 0), "x86_64");
    g_autofree char *why_qxl = dl_qemu_device_absence(g_ptr_array_index(qxl->devices, 0), "aarch64");

    cr_assert_str_eq(why_igb, "absent in 7.2, present in 10.0");
    cr_assert_str_eq(why_qxl, "it exists only for x86_64, i686");
}

Test(devices, without_target_every_fact_holds)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_devices) all = dl_devices_load(DEVICES_DIR, SCHEMAS, NULL, &error);
    const dl_dev_model *igb;

    cr_assert_not_null(all, "%s", error ? error->message : "?");
    igb = dl_dev_kind_model(dl_devices_kind(all, "interface", NULL, NULL, NULL), "igb");
    cr_assert_eq(dl_qemu_devices_present(all, igb->devices, "x86_64"), DL_PRESENT_YES);
}

static char *
write_catalogue(const char *text)
{
    g_autoptr(GError) error = NULL;
    char *dir = g_dir_make_tmp("test-devices-XXXXXX", &error);
    g_autofree char *file = NULL;

    cr_assert_not_null(dir, "%s", error ? error->message : "?");
    file = g_build_filename(dir, "devices.xml", NULL);
    cr_assert(g_file_set_contents(file, text, -1, &error), "%s", error ? error->message : "?");
    return dir;
}

static void
remove_catalogue(const char *dir)
{
    g_autofree char *file = g_build_filename(dir, "devices.xml", NULL);

    g_unlink(file);
    g_rmdir(dir);
}

Test(devices, broken_files_are_errors_naming_the_file)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *bad = write_catalogue("<devices><measured arches='x86_64'");
    g_autofree char *invalid = write_catalogue("<devices><measured arches='x86_64' vendors='no'/></devices>");
    dl_devices *d;

    d = dl_devices_load(bad, SCHEMAS, target, &error);
    cr_assert_null(d);
    test_assert_contains(error->message, "devices.xml");
    g_clear_error(&error);
    /* well-formed but without emulators, controllers or kinds */
    d = dl_devices_load(invalid, SCHEMAS, target, &error);
    cr_assert_null(d, "the schema requires the catalogue's sections");
    test_assert_contains(error->message, "devices.xml");
    g_clear_error(&error);
    d = dl_devices_load("/nonexistent-domlint-dir", SCHEMAS, target, &error);
    cr_assert_null(d);
    cr_assert_not_null(error);
    remove_catalogue(bad);
    remove_catalogue(invalid);
}
