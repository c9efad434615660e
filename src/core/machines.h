/*
 * machines.h - the machine-type knowledge base
 *
 * Facts about QEMU machine types are data, kept in data/machines/<family>.xml
 * and validated by schemas/machines.rng.  This module loads a directory of
 * such files once and answers questions about them; no other module ever
 * compares a machine name with a string literal.
 */
#pragma once

#include <glib.h>

#include <libxml/tree.h>

#include "core/target.h"

typedef enum {
    DL_ROOT_NONE,        /* no PCI at all (isapc, microvm, s390 without zPCI...) */
    DL_ROOT_PCI,         /* conventional PCI host bridge: controller model pci-root */
    DL_ROOT_PCIE,        /* PCI Express root complex: controller model pcie-root */
    DL_ROOT_LAST
} dl_root_kind;

/* One PCI function the chipset itself puts on bus 0. */
typedef struct {
    unsigned slot;
    unsigned function;
    char *device;            /* QEMU device name, e.g. "ICH9-LPC" */
    char *controller_type;   /* libvirt controller type it implements ("ide", "sata",
                              * "usb") or NULL when it is not a libvirt device */
    int controller_index;    /* with controller_type; otherwise -1 */
    char *models;            /* with controller_type: space-separated libvirt models that
                              * live at this fixed address (NULL = any model) */
    gboolean reserved;       /* FALSE: QEMU does not create it by itself (i440fx 01.2, the
                              * USB controller libvirt adds); the address is taken only
                              * while such a controller exists */
} dl_builtin;

/* A device libvirt adds to every domain of this family when the XML lacks it. */
typedef struct {
    char *kind;              /* "controller", "memballoon", "watchdog", ... */
    char *type;              /* for controllers: "usb", "sata", "pci"...; else NULL */
    char *model;             /* model libvirt uses, or NULL for none */
    int index;               /* for controllers, else -1 */
    char *bus;               /* for inputs: "ps2"...; else NULL */
    char **arches;           /* architectures it applies to, NULL = all (NULL-terminated) */
    char *note;              /* why it matters (e.g. "needs PCI"), or NULL */
} dl_implicit;

/* A preferred (not reserved) address for the first device of a kind. */
typedef struct {
    char *device;            /* "video", "dmi-to-pci-bridge", "sound:ich9", "usb:ich9-uhci1" */
    unsigned slot;
    unsigned function;
} dl_preferred;

/*
 * A machine type that exists in a range of releases: upstream QEMU's
 * (pc-q35-8.0, virt-10.0) or a vendor's (RHEL's pc-q35-rhel9.6.0), whose
 * range is in that vendor's releases.
 */
typedef struct {
    char *name;
    char **arches;           /* NULL = every arch of the family */
    char *vendor;            /* NULL = upstream QEMU, "rhel" */
    char *added;             /* first release that has it, NULL = every release covered */
    char *deprecated;        /* first release that marks it deprecated, or NULL */
    char *removed;           /* first release without it, or NULL */
    char *added_text;        /* the data's words: "8.0..10.0" when only a span is known */
    char *removed_text;      /* likewise; the fields above hold the end that cannot give a
                              * false error (the earliest addition, the latest removal) */
} dl_machine_type;

typedef struct dl_family dl_family;

struct dl_family {
    char *id;                /* file stem, e.g. "q35" */
    char *title;             /* human name, e.g. "Q35 (ICH9, PCI Express)" */
    char *origin;            /* file the family was read from */
    char **arches;           /* NULL-terminated */
    char **names;            /* exact machine names (aliases included) */
    char **prefixes;         /* name prefixes */
    GHashTable *canonical;   /* alias -> canonical versioned name (borrowed keys/values) */
    char **machines;         /* every machine name QEMU 7.2 provides for this family, or
                              * NULL when the list is not known (then any match is accepted) */
    char **removed;          /* names matched by the family but removed from QEMU */
    char *removed_reason;
    dl_root_kind root;
    gboolean multi_root;     /* pSeries: several pci-root PHBs */
    char *root_model_name;   /* required <model name> of the root (spapr-pci-host-bridge) */
    GPtrArray *builtins;     /* of dl_builtin* */
    char **controllers;      /* PCI controller models other than the root that may exist */
    char **disk_buses;       /* disk buses the machine can attach */
    gboolean has_ide;        /* builtin IDE controller (index 0) */
    gboolean has_fdc;        /* builtin floppy controller (for every version) */
    char *fdc_before;        /* versions older than this have a builtin FDC, or NULL */
    gboolean fdc_explicit;   /* a floppy may be attached through an explicit isa-fdc */
    gboolean has_floppy;     /* floppies can be attached at all */
    char **address_types;    /* address types the machine has beyond pci/drive/usb... */
    char **features;         /* machine-only features: pcihole64 root-hotplug smm-tseg virtio-iommu */
    char **refuses;          /* what the target libvirt refuses at define here: pci-controllers */
    GPtrArray *implicit;     /* of dl_implicit* */
    GPtrArray *preferred;    /* of dl_preferred* */
    GHashTable *defaults;    /* "usb" -> "piix3-uhci", "scsi" -> "lsilogic", ... */
    unsigned max_usb_ports;  /* unused for now: per-controller ports come from usb models */
    GHashTable *machines_by_arch; /* arch -> char** machine list, for the families whose
                              * <machines> differ per arch (then `machines` is the union),
                              * NULL otherwise */
    char *default_machine;   /* the name QEMU uses when none is given, or NULL */
    char **default_arches;   /* the arches default_machine is the default for, or NULL */
    char *unsupported_reason;/* the target libvirt refuses this family (why), or NULL */
    char *no_facts;          /* known by name only (why), or NULL: no rule uses its facts */
    GPtrArray *types;        /* of dl_machine_type*: every versioned type of every release */
    GHashTable *alias_prefix;/* alias -> prefix of the types it names the newest of */
};

typedef struct dl_machine_db dl_machine_db;

/* GError domain of dl_machine_db_load(); every message names the file. */
#define DL_MACHINES_ERROR (dl_machines_error_quark())
GQuark dl_machines_error_quark(void);

typedef enum {
    DL_MACHINES_ERROR_IO,        /* directory or file cannot be read */
    DL_MACHINES_ERROR_PARSE,     /* not well-formed XML */
    DL_MACHINES_ERROR_SCHEMA,    /* the schema itself is broken, or a file does not follow it */
    DL_MACHINES_ERROR_INVALID,   /* valid XML, but the facts contradict each other */
    DL_MACHINES_ERROR_LAST
} dl_machines_error;

/*
 * Load every *.xml file of DIR.  Returns NULL and sets ERROR on a file that
 * cannot be read or does not follow schemas/machines.rng (when SCHEMA is not
 * NULL, the files are validated against it first).  Facts whose release
 * range (since-qemu=, before-libvirt=, ...) excludes TARGET are left out, and
 * the machine lists and aliases are those of TARGET; TARGET NULL keeps every
 * fact.  TARGET must outlive the database.  Caller must free with
 * dl_machine_db_free().
 */
dl_machine_db *dl_machine_db_load(const char *dir, const char *schema, const dl_target *target,
                                  GError **error);
void dl_machine_db_free(dl_machine_db *db);

/*
 * schemas/machines.rng for the knowledge base in DB_DIR: beside it when
 * installed ($pkgdatadir/{machines,schemas}), two levels up in the source
 * tree (data/machines, schemas).  NULL when neither exists.  Caller frees.
 */
char *dl_machines_schema_path(const char *db_dir);

/* "pci-root", "pcie-root", or "none". */
const char *dl_root_model_name(dl_root_kind kind);

/* Number of families and the family at position I (borrowed). */
guint dl_machine_db_count(const dl_machine_db *db);
const dl_family *dl_machine_db_family(const dl_machine_db *db, guint i);

typedef enum {
    DL_MATCH_NONE,           /* nothing matches: unknown machine */
    DL_MATCH_OK,             /* a family claims this name on this arch */
    DL_MATCH_WRONG_ARCH,     /* a family claims the name, but for other arches */
    DL_MATCH_UNKNOWN_VERSION,/* the family's pattern matches but QEMU 7.2 lacks that version */
    DL_MATCH_REMOVED,        /* the name was removed from QEMU */
    DL_MATCH_NOT_IN_TARGET,  /* a known type of other releases (dl_family_type() says which) */
    DL_MATCH_FUTURE,         /* the family's pattern, a version newer than the knowledge covers */
    DL_MATCH_LAST
} dl_match_result;

/*
 * Find the family of MACHINE on ARCH.  *FAMILY is set (borrowed) for every
 * result but DL_MATCH_NONE.  For DL_MATCH_NONE, *CLOSEST (may be NULL) is set
 * to the family whose names look most like MACHINE, or NULL.  ARCH NULL
 * accepts every arch.  A family found with DL_MATCH_OK may still carry an
 * unsupported_reason (libvirt 9.0 refuses it): callers should report that.
 */
dl_match_result dl_machine_db_lookup(const dl_machine_db *db, const char *arch,
                                     const char *machine, const dl_family **family,
                                     const dl_family **closest);

/*
 * The machine name of the target on ARCH nearest to MACHINE (a plausible
 * typo: at most two edits, or a third of the name), or NULL (borrowed).
 */
const char *dl_machine_db_suggest(const dl_machine_db *db, const char *arch, const char *machine);

/*
 * The family used when <type> names no machine: QEMU's default machine for
 * ARCH (x86: "pc").  Returns the default name (borrowed) or NULL.
 */
const char *dl_machine_db_default_machine(const dl_machine_db *db, const char *arch);

/* The canonical versioned name of an alias ("pc" -> "pc-i440fx-7.2"), or MACHINE itself. */
const char *dl_family_canonical(const dl_family *family, const char *machine);

/*
 * The version part of a versioned MACHINE after FAMILY's longest prefix
 * ("2.3" of "pc-q35-2.3", borrowed from MACHINE), or NULL when the name
 * carries no numeric version (aliases, "pc-q35-rhel7.6.0").
 */
const char *dl_family_machine_version(const dl_family *family, const char *machine);

/* TRUE when the versioned machine MACHINE of FAMILY has a builtin floppy controller. */
gboolean dl_family_has_builtin_fdc(const dl_family *family, const char *machine);

gboolean dl_family_allows_controller(const dl_family *family, const char *model);
gboolean dl_family_has_disk_bus(const dl_family *family, const char *bus);
gboolean dl_family_has_address_type(const dl_family *family, const char *type);
gboolean dl_family_has_feature(const dl_family *family, const char *feature);
gboolean dl_family_refuses(const dl_family *family, const char *what);

/* Builtin at 0000:00:SLOT.FUNCTION, or NULL (borrowed). */
const dl_builtin *dl_family_builtin_at(const dl_family *family, unsigned slot, unsigned function);

/*
 * Default model for KEY ("usb", "scsi", "net", "video", ...) that holds on
 * every arch of the family, or NULL (borrowed).  Families whose defaults
 * differ per arch only answer dl_family_default_for_arch().
 */
const char *dl_family_default(const dl_family *family, const char *key);

/* TRUE when FAMILY exists on ARCH. */
gboolean dl_family_has_arch(const dl_family *family, const char *arch);

/*
 * Default model for KEY on ARCH: an entry for that arch wins over the
 * arch-independent one (arm virt: usb is qemu-xhci on aarch64, piix3-uhci on
 * armv7l).  NULL when there is none (borrowed).
 */
const char *dl_family_default_for_arch(const dl_family *family, const char *key,
                                       const char *arch);

/* TRUE when implicit device IMP applies on ARCH. */
gboolean dl_implicit_applies(const dl_implicit *imp, const char *arch);

/*
 * The machine names QEMU 7.2 provides for FAMILY on ARCH (NULL-terminated,
 * borrowed), or NULL when that is not known.
 */
char **dl_family_machines_for_arch(const dl_family *family, const char *arch);

/*
 * The versioned type NAME of FAMILY in any release covered (ARCH NULL = any
 * arch), or NULL (borrowed).
 */
const dl_machine_type *dl_family_type(const dl_family *family, const char *arch, const char *name);

/* TRUE when TYPE exists in TARGET (right vendor line, inside its range). */
gboolean dl_machine_type_in_target(const dl_machine_type *type, const dl_target *target);

/* TRUE when TYPE is marked deprecated in TARGET. */
gboolean dl_machine_type_deprecated(const dl_machine_type *type, const dl_target *target);

/*
 * TRUE when the fact NODE of a family file (its since-/before- attributes
 * for PRODUCT "qemu" or "libvirt", or for both when PRODUCT is NULL) holds
 * for TARGET.  TARGET NULL: every fact holds.
 */
gboolean dl_fact_holds(xmlNode *node, const dl_target *target, const char *product);

/* The target of the database (borrowed; NULL when loaded without one). */
const dl_target *dl_machine_db_target(const dl_machine_db *db);

/* The prefix an alias names the newest type of ("q35" -> "pc-q35-"), or NULL. */
const char *dl_family_alias_prefix(const dl_family *family, const char *name);

/* Compare two dotted version strings numerically ("2.10" > "2.4"). */
int dl_version_compare(const char *a, const char *b);
