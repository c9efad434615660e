/*
 * model.h - the domain model rules read
 *
 * Built once from the parsed document: the architecture and machine, every
 * device of <devices> with the attributes rules look at, and each device's
 * <address> decoded.  Nodes and strings are borrowed from the xmlDoc, which
 * must outlive the model.  Rules never walk the XML themselves.
 */
#pragma once

#include "core/devices.h"

#include <glib.h>
#include <libxml/tree.h>

typedef enum {
    DL_ADDR_NONE,
    DL_ADDR_PCI,
    DL_ADDR_DRIVE,
    DL_ADDR_USB,
    DL_ADDR_VIRTIO_SERIAL,
    DL_ADDR_CCW,
    DL_ADDR_SPAPR_VIO,
    DL_ADDR_ISA,
    DL_ADDR_DIMM,
    DL_ADDR_CCID,
    DL_ADDR_VIRTIO_MMIO,
    DL_ADDR_VIRTIO_S390,
    DL_ADDR_UNASSIGNED,
    DL_ADDR_OTHER,
    DL_ADDR_LAST
} dl_addr_type;

/* A decoded numeric attribute. */
typedef struct {
    gboolean present;
    gboolean valid;          /* parsed as an unsigned number that fits 64 bits */
    gboolean overflow;       /* digits, but too large for 64 bits */
    guint64 value;
    const char *text;        /* raw attribute text (borrowed), NULL when absent */
} dl_num;

typedef enum {
    DL_TRISTATE_ABSENT,
    DL_TRISTATE_ON,
    DL_TRISTATE_OFF,
    DL_TRISTATE_LAST
} dl_tristate;

typedef struct {
    dl_addr_type type;
    xmlNode *node;           /* the <address> element, or NULL */
    const char *type_name;   /* raw type attribute */
    /* pci: domain bus slot function; drive: controller bus target unit;
     * virtio-serial: controller bus port; ccw: cssid ssid devno;
     * spapr-vio: reg; usb: bus + port (path string) */
    dl_num domain, bus, slot, function;
    dl_num controller, target, unit;
    dl_num port;
    dl_num cssid, ssid, devno;
    dl_num reg;
    const char *usb_port;    /* "1.2.3" */
    dl_tristate multifunction;
    xmlNode *zpci;           /* <zpci> extension, or NULL */
    dl_num zpci_uid, zpci_fid;
} dl_address;

typedef enum {
    DL_DEV_DISK,
    DL_DEV_CONTROLLER,
    DL_DEV_LEASE,
    DL_DEV_FILESYSTEM,
    DL_DEV_INTERFACE,
    DL_DEV_INPUT,
    DL_DEV_SOUND,
    DL_DEV_HOSTDEV,
    DL_DEV_GRAPHICS,
    DL_DEV_VIDEO,
    DL_DEV_SERIAL,
    DL_DEV_PARALLEL,
    DL_DEV_CONSOLE,
    DL_DEV_CHANNEL,
    DL_DEV_WATCHDOG,
    DL_DEV_MEMBALLOON,
    DL_DEV_RNG,
    DL_DEV_SMARTCARD,
    DL_DEV_REDIRDEV,
    DL_DEV_HUB,
    DL_DEV_PANIC,
    DL_DEV_SHMEM,
    DL_DEV_MEMORY,
    DL_DEV_IOMMU,
    DL_DEV_VSOCK,
    DL_DEV_CRYPTO,
    DL_DEV_TPM,
    DL_DEV_NVRAM,
    DL_DEV_AUDIO,
    DL_DEV_EMULATOR,
    DL_DEV_OTHER,
    DL_DEV_LAST
} dl_dev_kind;

typedef struct dl_device dl_device;

struct dl_device {
    dl_dev_kind kind;
    xmlNode *node;
    int ordinal;             /* position among the devices, from 0 */
    gboolean implicit;       /* added by the model the way libvirt adds it; node is NULL */
    /* the first <console> of an HVM guest with target type serial (or
     * none) is libvirt's alias of serial port 0, the same device: its
     * address is not a second user of the bus (borrowed, or NULL) */
    const dl_device *alias_of;
    const char *type;        /* the element's type attribute (disk, controller, hostdev...) */
    const char *model;       /* model as libvirt names it (see model.c per kind) */
    const char *device;      /* <disk device> */
    const char *bus;         /* <disk><target bus>, <input bus> */
    const char *target_dev;  /* <disk><target dev> */
    const char *source;      /* disk source path, for messages */
    const char *alias;       /* <alias name> */
    const char *subsys;      /* hostdev: subsystem type (pci, scsi, usb, mdev) */
    xmlNode *source_address; /* hostdev <source><address> */
    /* controllers */
    dl_num index;
    int auto_index;          /* index given by libvirt's rule when absent, else = index */
    const char *model_name;  /* <model name> */
    xmlNode *target_node;    /* <target> of a controller */
    dl_num chassis_nr, chassis, port, bus_nr, target_index, numa_node;
    const char *hotplug;
    xmlNode *pcihole64;
    dl_num ports;            /* usb / virtio-serial ports attribute */
    dl_num vectors;
    dl_address addr;
};

typedef struct {
    const char *arch;        /* <os><type arch> (borrowed), or NULL */
    const char *machine;     /* <os><type machine>, or NULL */
    const char *domain_type; /* <domain type> */
    char *emulator;          /* <devices><emulator> text (owned), or NULL */
    xmlNode *root;
    xmlNode *os_type;        /* <os><type>, for locations */
    xmlNode *devices_node;
    GPtrArray *devices;      /* of dl_device*, owned, document order */
    /* controller type -> (auto) index -> the first such controller in
     * document order: dl_domain_controller() in constant time */
    GHashTable *controllers;
    guint numa_cells;        /* number of <cpu><numa><cell> */
    xmlNode *features;
    xmlNode *smm_tseg;       /* <features><smm><tseg> */
    /* the top-level elements domain-wide rules read (NULL when absent) */
    xmlNode *os;             /* <os> */
    xmlNode *cpu;            /* <cpu> */
    xmlNode *vcpu;           /* <vcpu> */
    xmlNode *vcpus;          /* <vcpus> (per-vCPU settings) */
    xmlNode *memory;         /* <memory> */
    xmlNode *current_memory; /* <currentMemory> */
    xmlNode *max_memory;     /* <maxMemory> */
    xmlNode *memory_backing; /* <memoryBacking> */
    xmlNode *numatune;       /* <numatune> */
    xmlNode *cputune;        /* <cputune> */
    xmlNode *iothreads;      /* <iothreads> (the count) */
    xmlNode *iothreadids;    /* <iothreadids> */
    xmlNode *sysinfo;        /* the first <sysinfo> */
    xmlNode *uuid;           /* <uuid> */
    xmlNode *pm;             /* <pm> */
    xmlNode *resource;       /* <resource> */
} dl_domain;

/* Each child element NAME of NODE, in document order (none for NULL):
 *     for (xmlNode *c = dl_xml_first(n, "cell"); c; c = dl_xml_next(c)) */
xmlNode *dl_xml_first(const xmlNode *node, const char *name);
xmlNode *dl_xml_next(const xmlNode *node);

/* Build the model of DOC, with DEVICES' USB2 companion sets (NULL: none).
 * Never fails on odd content; caller frees. */
dl_domain *dl_domain_new(xmlDoc *doc, const dl_devices *devices);
void dl_domain_free(dl_domain *dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_domain, dl_domain_free)

/* Lookups. */
const char *dl_dev_kind_name(dl_dev_kind kind);
/* The controller of TYPE with (auto) index IDX, first in document order, or NULL. */
dl_device *dl_domain_controller(const dl_domain *dom, const char *type, int idx);
/* A readable name for DEV in messages: "virtio disk 'vda'", "controller pci index 3"... */
char *dl_device_describe(const dl_device *dev);

/* Attribute NAME (no namespace) of NODE, borrowed from the tree; "" when empty, NULL when absent. */
const char *dl_xml_attr(const xmlNode *node, const char *name);
/* The first child element NAME of NODE, or NULL. */
xmlNode *dl_xml_child(const xmlNode *node, const char *name);

/* The first child element NAME of DEV's element, or NULL. */
xmlNode *dl_device_child(const dl_device *dev, const char *name);

/* Parse an unsigned number the way libvirt does (decimal, 0x hex, 0 octal). */
dl_num dl_num_parse(const char *text, int base);
dl_num dl_num_attr(xmlNode *node, const char *attr, int base);
/* ADDR as the <address> element NODE says (DL_ADDR_NONE for NULL), numbers read as libvirt reads them. */
void dl_address_read(xmlNode *node, dl_address *addr);
gboolean dl_str_eq(const char *a, const char *b);
