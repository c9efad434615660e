/*
 * probe.h - machine-type knowledge from a real QEMU binary
 *
 * dl_probe_run() asks a QEMU binary over QMP for its machine types and
 * starts each one paused with -nodefaults to read what the chipset itself
 * creates: the root bus libvirt uses (QEMU's pci.0 or pcie.0), the builtin
 * PCI functions on it, the floppy controller, the IDE buses.
 * dl_probe_write_dir() turns the result into knowledge files in the
 * data/machines format: the probed facts replace the shipped ones, the
 * libvirt-side facts a QEMU cannot report (implicit devices, default models,
 * disk buses...) are copied from the shipped file of the same family.
 * Every QEMU start has a time limit, and no QEMU outlives the call that
 * started it.
 */
#pragma once

#include <glib.h>

#include "core/devices.h"
#include "core/machines.h"

#define DL_PROBE_ERROR (dl_probe_error_quark())
GQuark dl_probe_error_quark(void);

typedef enum {
    DL_PROBE_ERROR_QEMU,     /* the binary cannot be run, is not QEMU, hangs */
    DL_PROBE_ERROR_MACHINE,  /* a requested machine type is not in the binary */
    DL_PROBE_ERROR_WRITE,    /* the knowledge files cannot be written */
    DL_PROBE_ERROR_INVALID,  /* the generated knowledge does not follow the schema */
    DL_PROBE_ERROR_LAST
} dl_probe_error;

/* A PCI function QEMU put on libvirt's root bus by itself. */
typedef struct {
    unsigned slot;
    unsigned function;
    char *device;            /* QOM type, e.g. "ich9-ahci" */
} dl_probe_pci;

/* What one machine type has when started with -nodefaults. */
typedef struct {
    char *name;              /* versioned name, e.g. "pc-i440fx-7.2" */
    char *alias;             /* "pc", or NULL */
    gboolean is_default;     /* QEMU's default machine */
    gboolean deprecated;
    char *error;             /* why this machine could not be probed, or NULL */
    dl_root_kind root;       /* kind of libvirt's root bus: pci.0, else pcie.0, else the first */
    char *host_bridge;       /* QOM type of that bus's host bridge, or NULL */
    guint n_roots;           /* number of PCI root buses */
    GPtrArray *builtins;     /* of dl_probe_pci*, sorted by slot and function */
    gboolean fdc;            /* a floppy controller exists */
    char *fdc_device;        /* its QOM type ("isa-fdc"), or NULL */
    char **ide_buses;        /* "ide.0 (piix3-ide)", NULL-terminated */
    char **isa_devices;      /* QOM types of the ISA devices, sorted, NULL-terminated */
    double ms;               /* time of this machine's QEMU start, in milliseconds */
} dl_probe_machine;

typedef struct {
    char *qemu;              /* the binary as given */
    char *target;            /* QEMU's target architecture ("x86_64") */
    char **arches;           /* libvirt arches this binary serves ("x86_64", "i686") */
    char *version;           /* "7.2.22" */
    char *package;           /* QEMU's package string, or NULL */
    GPtrArray *machines;     /* of dl_probe_machine*, in name order */
    char **devices;          /* device models of interest the binary has */
    char **missing;          /* device models of interest the binary lacks */
    char **controllers_absent; /* libvirt PCI controller models it has no device for */
    double seconds;          /* wall-clock time of the whole probe */
    gboolean all_machines;   /* every machine type of the binary was probed */
} dl_probe_result;

typedef struct {
    const dl_devices *devices; /* the device catalogue; NULL = the shipped one, all releases */
    guint timeout_ms;        /* per QEMU start; 0 = 10 s */
    guint jobs;              /* QEMU processes at once; 0 = number of CPUs (at most 8) */
} dl_probe_options;

/*
 * Probe QEMU (a path, or a name searched in PATH).  MACHINES (NULL-terminated,
 * may be NULL = every machine type) names the types to start; aliases are
 * accepted.  A machine that fails to start is recorded in its ->error; a
 * binary that is not QEMU, or hangs, or a requested machine it lacks, fails
 * the whole call.  Caller frees with dl_probe_result_free().
 */
dl_probe_result *dl_probe_run(const char *qemu, const char *const *machines,
                              const dl_probe_options *options, GError **error);
void dl_probe_result_free(dl_probe_result *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_probe_result, dl_probe_result_free)

/* The probed machine called NAME or aliased NAME, or NULL (borrowed). */
const dl_probe_machine *dl_probe_result_machine(const dl_probe_result *result, const char *name);

/*
 * Write one knowledge file per family into DIR (created when missing): every
 * family of DB whose machines the binary has, and, when ALL_FAMILIES, also
 * the families of the binary's arches it has no machine of (with an empty
 * <machines>).  Each file is validated against SCHEMA (when not NULL) and the
 * directory is loaded back with dl_machine_db_load() before returning.
 * WARNINGS (may be NULL) receives one message (char*) per probed fact that
 * could not be written as such: a machine no family claims, machines of one
 * family that differ from each other, a machine that failed to start.
 */
/*
 * --merge: merge what RESULT shows of its QEMU release into the ranges of
 * DB's family files (DB loaded for that release): a versioned machine type
 * the data does not know is added (added= the release), one it marks
 * deprecated is marked from that release, one the data has in that release
 * but the binary lacks gets removed= the release (a build may leave types
 * out: review before committing).  Families of unversioned boards (with
 * <machines> lists) likewise: a board the list lacks becomes a <type
 * added>, one the list has but the binary lacks (when every machine was
 * probed) leaves the list for a <type removed>.  Each changed file is
 * written to DIR, untouched layout kept.
 * CHANGES gets one line per change, WARNINGS what could not be merged.
 */
gboolean dl_probe_merge_dir(const dl_probe_result *result, const dl_machine_db *db, const char *dir,
                            GPtrArray *changes, GPtrArray *warnings, GError **error);

gboolean dl_probe_write_dir(const dl_probe_result *result, const dl_machine_db *db,
                            const char *schema, gboolean all_families, const char *dir,
                            GPtrArray *warnings, GError **error);

/*
 * Compare the probe with the knowledge base DB, fact by fact and machine by
 * machine: the machine list per family, aliases and their canonical names,
 * QEMU's default machine, the root bus, the builtin PCI functions (slot,
 * function, device), the builtin floppy controller and the PCI controller
 * models.  Appends to LINES one "FAMILY: what differs" line (char*) per
 * difference ("(none)" for machines no family claims) and to CHECKED the id
 * (char*) of every family that was compared.  Returns the number of
 * differences.
 */
guint dl_probe_compare(const dl_probe_result *result, const dl_machine_db *db,
                       GPtrArray *lines, GPtrArray *checked);

/*
 * Compare the device catalogue (DEVICES, loaded for the binary's release)
 * with the binary: one "devices: ..." line per QEMU device the catalogue
 * says one of the binary's arches has and the binary's QOM types lack;
 * "devices" is added to CHECKED.  The other direction is not a difference
 * here: QOM also lists devices -device cannot create (tests/devices-vs-qemu.sh
 * compares with -device help both ways).
 */
guint dl_probe_compare_devices(const dl_probe_result *result, const dl_devices *devices,
                               GPtrArray *lines, GPtrArray *checked);

/*
 * The knowledge directory for QEMU, probed once and cached under
 * g_get_user_cache_dir()/domlint/probe-<key>/ where the key hashes the
 * binary's real path, size, mtime and QEMU version (the version comes from
 * `QEMU -version`, not from a QMP start).  DB/SCHEMA are the shipped knowledge
 * the libvirt-side facts are copied from; DB_DIR (its directory) is part of
 * the key too.  *FROM_CACHE (may be NULL) tells whether the probe was
 * skipped.  Returns the directory (caller frees), loadable with
 * dl_machine_db_load(), or NULL with ERROR.
 */
char *dl_probe_cached(const char *qemu, const dl_machine_db *db, const char *db_dir,
                      const char *schema, gboolean *from_cache, GError **error);

/* What a cached probe recorded about its binary (probe.ini of the directory). */
typedef struct {
    char *qemu;              /* the binary's real path */
    char *version;           /* "7.2.22" */
    char **deprecated;       /* machine types QEMU marks deprecated (versioned names) */
    char **absent;           /* device models of interest the binary lacks */
} dl_probe_facts;

/* Read DIR/probe.ini written by dl_probe_cached().  Caller frees. */
dl_probe_facts *dl_probe_facts_load(const char *dir, GError **error);
void dl_probe_facts_free(dl_probe_facts *facts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_probe_facts, dl_probe_facts_free)
