/*
 * topology.h - the PCI bus tree of a domain
 *
 * libvirt numbers PCI buses by controller index: a device address
 * bus='0x03' means "the controller with index 3".  This module builds that
 * table from the model and the machine family (the root is implicit when the
 * XML omits it), and knows what each bus model accepts and what each device
 * needs (libvirt's connect-type flags, reference section 2.4).
 */
#pragma once

#include "core/internal.h"

/* the connect types (dl_conn) are in devices.h */

#define DL_MAX_BUSES 256

typedef struct {
    int index;
    const char *model;        /* controller model; the root's even when implicit */
    dl_device *controller;    /* NULL for an implicit root */
    guint accepts;            /* dl_conn bits of what may plug in */
    unsigned min_slot;
    unsigned max_slot;
    gboolean autoassign;      /* libvirt may place endpoints here by itself */
    gboolean hotplug;
} dl_bus;

struct dl_topology {
    dl_bus *bus[DL_MAX_BUSES];  /* by controller index; NULL = no controller */
    int nbuses;                 /* highest PCI controller index + 1 */
    gboolean has_pci;           /* any PCI bus at all */
};

/* Build the bus table for CHK (model and family must be set). */
dl_topology *dl_topology_build(const dl_check *chk);
void dl_topology_free(dl_topology *topo);

/* The bus with controller index IDX, or NULL. */
const dl_bus *dl_topology_bus(const dl_topology *topo, guint64 idx);

/*
 * What DEV needs from the bus it plugs into, as dl_conn bits; 0 when DEV is
 * not a PCI device on this machine (or has a non-PCI address).
 */
guint dl_device_pci_connect(const dl_check *chk, const dl_device *dev);

/* DEV's kind in the device catalogue (NULL: none), with *MODEL the model it
 * names or, without one, the machine family's default for the kind, and
 * *ENTRY that model's entry (NULL: not listed); either may be NULL. */
const dl_dev_kind_entry *dl_device_catalogue(const dl_check *chk, const dl_device *dev,
                                             const char **model, const dl_dev_model **entry);

/* The connect bits a PCI controller model needs upstream (0 for roots / unknown). */
guint dl_controller_model_connect(const dl_check *chk, const char *model);

/* Fill accepts/slots/flags for a bus of controller MODEL; FALSE for unknown models. */
gboolean dl_bus_model_properties(const dl_check *chk, const char *model, dl_bus *bus);

/* libvirt's words for one connect type: "standard PCI device", "pcie-root-port"... */
const char *dl_conn_name(guint flags);

/* The QEMU device names <model name> may take for a libvirt PCI controller model. */
const char *const *dl_controller_model_names(const dl_check *chk, const char *model);

/* "pci-root" or "pcie-root" for FAMILY's root bus, NULL when it has no PCI. */
const char *dl_family_root_model(const dl_family *family);

/* TRUE for the libvirt PCI controller models domlint knows. */
gboolean dl_pci_model_known(const dl_check *chk, const char *model);
gboolean dl_pci_model_is_root(const char *model);
