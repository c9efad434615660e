/*
 * show.h - a domain's device topology as libvirt will lay it out, for
 * `domlint topology`
 *
 * tree.c builds it from a checked domain: the PCI buses (the machine's
 * root, the controllers written, those the placement engine src/fix/layout.c
 * says libvirt adds), what sits in each slot and where its address came
 * from, the machine's builtin functions, free slots and empty hotplug ports;
 * then the drive, USB and virtio-serial buses and what hangs on them; and
 * the findings of the normal check beside the devices they concern.
 * text.c, json.c and xml.c (the XML form, and HTML from it by libxslt)
 * render it.  Nothing here prints: renderers return strings.
 */
#pragma once

#include <glib.h>

#include "domlint.h"

/* Where a device or its address comes from. */
typedef enum {
    DL_SHOW_WRITTEN,         /* written in the XML, address too */
    DL_SHOW_ASSIGNED,        /* written in the XML, address assigned by libvirt */
    DL_SHOW_BUILTIN,         /* a builtin of the machine (chipset function, root bus) */
    DL_SHOW_IMPLICIT,        /* a device libvirt adds by itself (USB controller, memballoon) */
    DL_SHOW_ADDED,           /* a controller libvirt adds to give devices a slot */
    DL_SHOW_UNPLACED,        /* needs an address libvirt does not get to give */
    DL_SHOW_ORIGIN_LAST
} dl_show_origin;

/* "written", "assigned", "builtin", "implicit", "added", "unplaced". */
const char *dl_show_origin_name(dl_show_origin origin);
/* The words text output uses: "written", "assigned by libvirt", "builtin of the machine"... */
const char *dl_show_origin_words(dl_show_origin origin);

/* A device on a bus: a PCI function, a disk unit, a USB or virtio-serial port. */
typedef struct {
    char *name;              /* "virtio disk 'vda'", "ICH9-LPC", "pcie-root-port" */
    char *address;           /* "00:02.0", "bus 0 unit 1", "port 1", or NULL: not known */
    guint slot, function;    /* PCI devices */
    dl_show_origin origin;
    int bus_index;           /* a PCI controller: the index of the bus it makes; else -1 */
    gboolean spare;          /* a root port libvirt leaves empty for hotplug */
    gboolean conflict;       /* shares its address with another device, or a finding says so */
    int line;                /* of its element, 0: none (builtin, added) */
    char *xpath;             /* of its element, or NULL */
    GPtrArray *findings;     /* of domlint_diag*, borrowed from the topology's result */
} dl_show_dev;

/* A PCI bus: a controller index. */
typedef struct {
    int index;
    char *model;             /* pci-root, pcie-root-port... */
    char *model_name;        /* <model name> or NULL */
    dl_show_origin origin;   /* written, builtin (an implicit root), added */
    char *options;           /* <target> options written: "chassis=1 port=0x10", or NULL */
    char *filled;            /* those libvirt fills in, or NULL */
    dl_show_dev *controller; /* the function it is on upstream (borrowed from its parent bus), or NULL */
    int parent;              /* the index of the bus it plugs into, -1 for a root */
    guint min_slot, max_slot;
    gboolean hotplug;
    char *accepts;           /* libvirt's words for what may plug in */
    GPtrArray *devs;         /* of dl_show_dev*, by slot and function (owned) */
    guint free_slots;
    char *free_list;         /* "0x03-0x1f", or NULL for none */
} dl_show_bus;

/* A bus that is not PCI: an IDE, SATA, SCSI, FDC, USB or virtio-serial controller. */
typedef struct {
    char *type;              /* "ide", "sata", "scsi", "fdc", "usb", "virtio-serial" */
    int index;
    char *model;             /* or NULL: the machine's default, not known */
    dl_show_origin origin;   /* written, builtin, implicit (libvirt adds it) */
    char *capacity;          /* "15 ports", "2 buses, 2 units each", or NULL: not known */
    gboolean missing;        /* disks use it, but the machine has no such bus (a finding says so) */
    GPtrArray *devs;         /* of dl_show_dev* (owned) */
} dl_show_attach;

typedef struct {
    char *file;
    char *machine;           /* as resolved, or NULL */
    char *family;            /* the knowledge base's title, or NULL: unknown machine */
    char *arch;
    char *root;              /* the root bus model, or NULL: the machine has no PCI */
    gboolean layout_done;    /* the placement engine ran to the end */
    char *layout_error;      /* libvirt's error, or NULL */
    char *layout_error_at;   /* what it stops at, or NULL */
    char *layout_note;       /* why there is no layout (not attempted), or NULL */
    guint spares;            /* empty hotplug root ports (after the layout) */
    GPtrArray *buses;        /* of dl_show_bus*, by index (owned) */
    GPtrArray *unplaced;     /* of dl_show_dev*: PCI devices without a place (owned) */
    GPtrArray *attach;       /* of dl_show_attach* (owned) */
    GPtrArray *others;       /* of domlint_diag*: findings beside no device (borrowed) */
    domlint_result *result;  /* the normal check's (owned) */
} dl_show_topology;

/*
 * Check the file PATH with CTX and build its topology.  NULL with *ERROR (a
 * one-line reason, caller frees) when the file cannot be checked (unreadable,
 * malformed, not a domain).  Free with dl_show_topology_free().
 */
dl_show_topology *dl_show_topology_build(domlint_ctx *ctx, const char *path, char **error);
void dl_show_topology_free(dl_show_topology *topo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_show_topology, dl_show_topology_free)

/* BUS is a port a device could be hot-plugged into, and nothing is there. */
gboolean dl_show_bus_free_port(const dl_show_bus *bus);
/* How many such ports TOPO has. */
guint dl_show_free_ports(const dl_show_topology *topo);
/* "done", "error" (libvirt stops), "not-attempted" (see layout_note), "none" (no PCI). */
const char *dl_show_layout_state(const dl_show_topology *topo);
/* Findings of TOPO's check by severity. */
guint dl_show_count(const dl_show_topology *topo, domlint_severity severity);

/* Renderings, caller frees. */
char *dl_show_text(const dl_show_topology *topo);
char *dl_show_json(const dl_show_topology *topo);
char *dl_show_xml(const dl_show_topology *topo);
/* HTML by the stylesheet XSL (data/topology/topology.xsl); NULL with *ERROR. */
char *dl_show_html(const dl_show_topology *topo, const char *xsl, char **error);
