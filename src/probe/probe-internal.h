/*
 * probe-internal.h - what the files of the QEMU probe share (not installed)
 *
 * The probe (probe.h) is one job per file:
 *   session.c    starting QEMU, the QMP session, what the binary has, dl_probe_run()
 *   read.c       one machine: the walk of its QOM tree and what it shows
 *   group.c      probed machines by knowledge-base family: representative, floppy
 *   familydoc.c  editing a shipped family document with the probed facts
 *   write.c      validating and writing the family documents (dl_probe_write_dir)
 *   merge.c      merging one QEMU release into the knowledge's ranges (--merge)
 *   compare.c    the probe against the knowledge base (dl_probe_compare*)
 *   cache.c      the per-binary cache and its probe.ini (dl_probe_cached)
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libxml/tree.h>

#include "core/machines.h"
#include "core/target.h"
#include "probe/probe.h"
#include "probe/qmp.h"

/* ------------------------------------------------------------------ */
/* session.c                                                          */

/* The string member NAME of OBJ (may be NULL), or NULL (borrowed). */
const char *dl_probe_obj_string(JsonObject *obj, const char *name);

/* Run COMMAND and demand an array back; *KEEP owns it (caller unrefs). */
JsonArray *dl_probe_execute_array(dl_qmp *qmp, const char *command, JsonNode *args,
                                  JsonNode **keep, GError **error);

/* ARRAY (of char*) sorted and NULL-terminated; takes ARRAY. */
char **dl_probe_sorted_strv(GPtrArray *array);

/* FALSE when RESULT's binary has no device for the PCI controller MODEL. */
gboolean dl_probe_controller_available(const dl_probe_result *result, const char *model);

/* ------------------------------------------------------------------ */
/* read.c                                                             */

/*
 * Walk the QOM tree of the machine QMP runs (TYPES: QOM type -> parent)
 * and fill M's root bus, builtins, floppy, IDE and ISA facts.
 */
gboolean dl_probe_read_machine(GHashTable *types, dl_qmp *qmp, dl_probe_machine *m,
                               GError **error);

/* ------------------------------------------------------------------ */
/* group.c                                                            */

/* The probed machines of one family of the knowledge base. */
typedef struct {
    const dl_family *family;
    GPtrArray *members;          /* dl_probe_machine* (borrowed), probed or failed */
    const dl_probe_machine *rep; /* the machine whose facts the family gets, or NULL */
    gboolean fdc;                /* <fdc builtin> */
    char *fdc_before;            /* <fdc before>, or NULL */
} dl_family_probe;

/* Append a message (char*) to WARNINGS, which may be NULL. */
void dl_probe_warn(GPtrArray *warnings, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* The family of DB that MACHINE belongs to on ARCH, in any release, or NULL. */
const dl_family *dl_probe_family_of(const dl_machine_db *db, const char *arch, const char *machine);

/* TRUE when FAMILY exists on one of ARCHES. */
gboolean dl_probe_family_covered(const dl_family *family, char **arches);

/*
 * RESULT's machines by family of DB (of dl_family_probe*, caller unrefs),
 * each with its representative and floppy facts; with ALL_FAMILIES also
 * the families of the binary's arches it has no machine of.  WARNINGS (may
 * be NULL) gets what the facts of a family cannot say.
 */
GPtrArray *dl_probe_group_machines(const dl_probe_result *result, const dl_machine_db *db,
                                   gboolean all_families, GPtrArray *warnings);

/* ------------------------------------------------------------------ */
/* familydoc.c                                                        */

/* Edit DOC, the shipped document of FP's family, into what RESULT shows of TARGET's release. */
void dl_probe_edit_doc(xmlDoc *doc, const dl_family_probe *fp, const dl_probe_result *result,
                       const dl_target *target, GPtrArray *warnings);

/* ------------------------------------------------------------------ */
/* write.c                                                            */

/* Write DOC to DIR/ID.xml through a temporary file and a rename. */
gboolean dl_probe_save_doc(xmlDoc *doc, const char *dir, const char *id, GError **error);
