/*
 * devices.h - the device-model catalogue (data/devices/devices.xml)
 *
 * What libvirt's device models are in QEMU terms: the QEMU devices behind
 * each model and where they exist, how each attaches to PCI (libvirt's
 * connect types), what PCI controllers accept and take, USB ports and
 * companion functions, and which qemu-system binaries emulate which arches.
 * Loaded for one target: facts outside its releases are dropped, as for the
 * machine knowledge, so callers never compare versions.
 */
#pragma once

#include <glib.h>

#include "core/target.h"

/* libvirt's PCI connect types (reference section 2.4) */
typedef enum {
    DL_CONN_PCI_DEVICE = 1 << 0,
    DL_CONN_PCIE_DEVICE = 1 << 1,
    DL_CONN_PCI_BRIDGE = 1 << 2,
    DL_CONN_PCIE_ROOT_PORT = 1 << 3,
    DL_CONN_PCIE_SWITCH_UP = 1 << 4,
    DL_CONN_PCIE_SWITCH_DOWN = 1 << 5,
    DL_CONN_DMI_TO_PCI_BRIDGE = 1 << 6,
    DL_CONN_PCIE_TO_PCI_BRIDGE = 1 << 7,
    DL_CONN_PCI_EXPANDER_BUS = 1 << 8,
    DL_CONN_PCIE_EXPANDER_BUS = 1 << 9,
    DL_CONN_INTEGRATED = 1 << 10,    /* must sit on bus 0 */
} dl_conn;

#define DL_CONN_ENDPOINTS (DL_CONN_PCI_DEVICE | DL_CONN_PCIE_DEVICE)
#define DL_CONN_TYPES 0x3ffu

/* How a device's connect type follows the machine. */
typedef enum {
    DL_LINK_NONE,        /* not a PCI device */
    DL_LINK_FIXED,       /* the flags as they are */
    DL_LINK_EXPRESS,     /* PCIe endpoint on a PCIe root complex, else conventional */
    DL_LINK_VIRTIO,      /* virtio on the machine's transport; on PCI Express unless transitional */
    DL_LINK_VIRTIO_PCI,  /* the same, always on PCI */
} dl_link;

typedef struct {
    dl_link link;
    guint flags;         /* DL_LINK_FIXED: the connect type; else extra bits (integrated) */
} dl_connect;

typedef enum {
    DL_PRESENT_UNKNOWN,
    DL_PRESENT_YES,
    DL_PRESENT_NO,
} dl_presence;

/* One <exists>: ARCHES have the device in the releases it names. */
typedef struct {
    char **arches;
    gboolean holds;      /* the target is in those releases */
    char *since, *before;/* its since-qemu=/before-qemu=, or NULL (for messages only) */
    char *note;          /* what was measured, or NULL */
} dl_exists;

typedef struct {
    char *device;        /* -device NAME */
    GPtrArray *exists;   /* of dl_exists* */
} dl_qemu_device;

typedef struct {
    char *name;
    char *feature;       /* only on families with this feature word, or NULL */
} dl_pci_option;

typedef struct {
    char *model;
    gboolean root, express, aggregate, autoassign, hotplug;
    guint upstream;      /* connect type it needs from its bus (0 for roots) */
    guint accepts;
    guint min_slot, max_slot;
    GPtrArray *options;  /* of dl_pci_option* */
    GPtrArray *devices;  /* of dl_qemu_device*: <model name> values, first = default */
    const char **names;  /* their names, NULL-terminated (borrowed strings) */
} dl_pci_controller;

typedef struct {
    char *name;          /* exact model, or NULL when prefix is set */
    char *prefix;
    dl_connect connect;
    int ports;           /* USB root ports, -1 = the kind's */
    guint max_ports;     /* ports= allowed (1..max_ports); 0 = not allowed */
    gboolean master, companion;
    int function;        /* PCI function in a USB2 companion set, -1 = none */
    char *feature;       /* only on machine families with this <features> word, or NULL */
    char *address;       /* "none": takes no address; "pci", "ccw": needs that type; NULL: any */
    GPtrArray *devices;  /* of dl_qemu_device* */
} dl_dev_model;

typedef struct {
    char *element;       /* <devices> child element name */
    char *type, *subsys, *bus;  /* further match keys, or NULL */
    char *default_key;   /* data/machines <default key> for a device without model */
    dl_connect connect;  /* of a model it does not list */
    dl_connect unnamed;  /* of a device without model (and no family default) */
    int ports;
    GPtrArray *models;   /* of dl_dev_model* */
} dl_dev_kind_entry;

typedef struct {
    char *binary;        /* qemu-system-BINARY */
    char **arches;       /* built for */
    char **also;         /* also runs (may be empty) */
} dl_emulator;

typedef struct dl_devices dl_devices;

#define DL_DEVICES_ERROR (dl_devices_error_quark())
GQuark dl_devices_error_quark(void);

/* DIR/devices.xml, validated by SCHEMA_DIR/devices.rng when that exists,
 * for TARGET (NULL: every fact). */
dl_devices *dl_devices_load(const char *dir, const char *schema_dir, const dl_target *target,
                            GError **error);
void dl_devices_free(dl_devices *devices);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_devices, dl_devices_free)

const dl_pci_controller *dl_devices_pci_controller(const dl_devices *devices, const char *model);
guint dl_devices_pci_controller_count(const dl_devices *devices);
const dl_pci_controller *dl_devices_pci_controller_nth(const dl_devices *devices, guint i);
/* Does a MODEL controller take the <target> option NAME?  FEATURE is set to
 * the family feature it also needs, or NULL. */
gboolean dl_pci_controller_takes(const dl_pci_controller *c, const char *name, const char **feature);

/* The first kind matching a device of ELEMENT with TYPE, SUBSYS and BUS (any may be NULL). */
const dl_dev_kind_entry *dl_devices_kind(const dl_devices *devices, const char *element,
                                         const char *type, const char *subsys, const char *bus);
/* Its model entry for MODEL, or NULL. */
const dl_dev_model *dl_dev_kind_model(const dl_dev_kind_entry *kind, const char *model);
/* The model entry of a controller of TYPE and MODEL, or NULL. */
const dl_dev_model *dl_devices_controller_model(const dl_devices *devices, const char *type,
                                                const char *model);

/* Does the target QEMU for ARCH have one of QEMU_DEVICES (of dl_qemu_device*)? */
dl_presence dl_qemu_devices_present(const dl_devices *devices, const GPtrArray *qemu_devices,
                                    const char *arch);
/* Is NAME among the network devices (-device help, names and aliases,
 * compared without case) the target's QEMU release has for ARCH?  UNKNOWN
 * where that release and arch were not measured. */
dl_presence dl_devices_nic_present(const dl_devices *devices, const char *name, const char *arch);
/* Why Q is not there for ARCH in the target: "absent in 7.2, present in
 * 10.0", "removed in QEMU 10.0", "only for x86_64, i686" (caller frees). */
char *dl_qemu_device_absence(const dl_qemu_device *q, const char *arch);

const dl_emulator *dl_devices_emulator(const dl_devices *devices, const char *binary);
/* The first catalogue entry of QEMU device NAME, or NULL. */
const dl_qemu_device *dl_devices_qemu_device(const dl_devices *devices, const char *name);
/* Every QEMU device name in the catalogue, in file order, without repeats. */
const char *const *dl_devices_qemu_names(const dl_devices *devices);
