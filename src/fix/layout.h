/*
 * layout.h - libvirt's PCI address assignment, done ahead of libvirt
 *
 * When a domain is defined, libvirt gives every PCI device without an
 * address the first free slot of the first bus that accepts it, in a fixed
 * device order, and adds the controllers it runs short of (reference
 * section 4).  dl_layout_compute() replays that on the model: the same two
 * passes (a dry run that grows the bus list, then the real one), the same
 * chipset reservations and preferred slots, the same order.  The result says
 * where each device will end up, which controllers libvirt will add, or the
 * error libvirt will stop with.
 */
#pragma once

#include "core/internal.h"
#include "fix/fix.h"

/* Keep libvirt's own rule: one spare root port for a new PCI Express domain. */
#define DL_SPARES_LIBVIRT (-1)

typedef struct {
    const dl_device *dev;    /* the device, or NULL for an implicit device or an added controller */
    int index;               /* added controllers: their index; otherwise -1 */
    const char *model;       /* added controllers: pcie-root-port, pci-bridge, ... */
    gboolean spare;          /* an added root port left empty for hotplug */
    guint bus, slot, function;
    gboolean multifunction;  /* function 0 of a slot with other functions in use */
    /* a device libvirt adds at parse time (dev NULL, not added): what it is
     * (strings borrowed from the knowledge base) */
    dl_dev_kind implicit_kind;
    const char *implicit_type;   /* controllers: "usb", "scsi", "virtio-serial"; else NULL */
    const char *implicit_model;
    int implicit_index;          /* controllers: their index; else -1 */
} dl_layout_place;

/* A controller option libvirt fills in when the XML leaves it out. */
typedef struct {
    const dl_device *dev;    /* the controller, or NULL for one the layout adds */
    int index;               /* the controller's index */
    const char *attr;        /* <target> attribute: chassisNr, chassis, port, busNr, index (a PHB's) */
    guint value;
} dl_layout_option;

typedef struct {
    GArray *places;          /* of dl_layout_place: what got an address, in assignment order */
    GArray *options;         /* of dl_layout_option, for every PCI controller */
    char *error;             /* why libvirt cannot lay the domain out, or NULL */
    const dl_device *error_dev; /* the device it stopped at, when written in the XML */
    char *error_what;        /* else what it stopped at ("pcie-root-port 241", one it adds), or NULL */
    gboolean error_unsure;   /* error is in words the target libvirt may not use: do not quote it */
    gboolean bridge_below_bus;  /* the error: a pci-bridge landed on a bus whose index is not below its own */
    gboolean skipped;        /* not attempted: no PCI, or addresses other rules reject */
    guint spares;            /* empty pcie-root-ports after the layout */
} dl_layout;

/*
 * Lay out CHK's domain.  SPARES is the number of empty pcie-root-ports to
 * leave for hotplug on a PCI Express machine, or DL_SPARES_LIBVIRT for
 * libvirt's own rule.  Never NULL; free with dl_layout_free().
 */
dl_layout *dl_layout_compute(const dl_check *chk, int spares);
/* The same with MOVING's PCI address taken away: where libvirt would put it. */
dl_layout *dl_layout_compute_moving(const dl_check *chk, int spares, const dl_device *moving);
/* The same with the addresses of every device in MOVING (a set) taken away. */
dl_layout *dl_layout_compute_moving_all(const dl_check *chk, int spares, GHashTable *moving);
void dl_layout_free(dl_layout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_layout, dl_layout_free)

/* --fix --layout's words for what LAYOUT decided (caller frees): the <address> of P, */
char *dl_layout_address_xml(const dl_layout_place *p);
/* an option's value as libvirt writes it, */
char *dl_layout_option_value(const dl_layout_option *o);
/* the options libvirt fills in for controller DEV (or added INDEX) as attributes:
 * " chassis='1' port='0x8'", or NULL for none. */
char *dl_layout_missing_options(const dl_layout *layout, const dl_device *dev, int index);

/* The controllers LAYOUT adds, with their addresses and options, written
 * after the last device in one repair; NULL when it adds none. */
dl_fix *dl_layout_write_controllers(dl_check *chk, const dl_layout *layout);

/*
 * The repairs of the pci rules: where a device goes when its address must
 * change.  They take what they use for this round (dl_fix_claim), so two
 * repairs of one round never pick the same slot or index.
 */

/* Is SLOT of BUS free of devices (SELF aside), present builtins and this round's claims? */
gboolean dl_layout_slot_free(dl_check *chk, const dl_device *self, guint bus, guint slot);

/*
 * The first completely free slot on the first bus, by index, that takes a
 * device of connect FLAGS (endpoints only on buses libvirt auto-assigns
 * to), as *BUS and *SLOT, taken for this round; FALSE when the domain's
 * buses have none.
 */
gboolean dl_layout_find_slot(dl_check *chk, const dl_device *self, guint flags, guint *bus, guint *slot);

/* pcie-root's slots that pcie-root-ports can still take: no builtin there, no other device. */
guint dl_layout_root_port_slots(const dl_check *chk);

typedef enum {
    DL_GROW_DONE,            /* a pcie-root-port is added and D moves to it */
    DL_GROW_NOT_APPLICABLE,  /* not a device a root port takes, no pcie-root, or no index left */
    DL_GROW_NO_ROOM,         /* pcie-root has no function left for another root port */
    DL_GROW_LAST
} dl_layout_grow;

/*
 * Repair D (connect FLAGS) by adding a pcie-root-port for it, as libvirt
 * grows a PCI Express topology, and moving it to that port's slot 0.  The
 * ports of one round go into one edit, so a round can move any number of
 * devices, up to what pcie-root has room for.  WHY goes into the message.
 */
dl_layout_grow dl_layout_grow_root_port(dl_check *chk, const dl_device *d, guint flags, const char *why);

/*
 * The repair of a bad PCI address of D: the slot libvirt would give it,
 * written out; when the domain's buses have none, a new root port (above);
 * else the address is removed and libvirt grows the topology at define
 * time.  When the topology is full the device is left where it is.
 */
void dl_layout_move_device(dl_check *chk, const dl_device *d, const char *why);

/*
 * Moving several devices at once (the devices of MOVING, a set, that share
 * an address with another) on a root that is not PCI Express: when libvirt
 * would put some of them on a pci-bridge it adds, moving them one by one
 * would fill the root's last slots and leave the bridge none.  A plan is
 * libvirt's placement of all of them, with the controllers it adds; NULL
 * when they fit where the domain has room (or the root grows root ports,
 * or libvirt cannot place them either, or the run is not fixing).
 */
typedef struct dl_layout_plan dl_layout_plan;
dl_layout_plan *dl_layout_plan_moves(dl_check *chk, GHashTable *moving);
void dl_layout_plan_free(dl_layout_plan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_layout_plan, dl_layout_plan_free)

/* D's repair by PLAN: the place it gives D, after the controllers it adds
 * (the first such repair writes them); dl_layout_move_device() for a device
 * PLAN does not move, or without a plan. */
void dl_layout_move_planned(dl_check *chk, dl_layout_plan *plan, const dl_device *d, const char *why);
