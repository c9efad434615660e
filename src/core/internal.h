/*
 * internal.h - state shared by the library's modules
 *
 * domlint_ctx lives for a whole run (knowledge base, compiled schema, rule
 * selection); dl_check lives for one file and is what every rule receives.
 */
#pragma once

#include "domlint.h"
#include "probe/connect.h"
#include "core/devices.h"
#include "core/load.h"
#include "core/machines.h"
#include "core/model.h"
#include "core/options.h"
#include "probe/probe.h"
#include "check/schema.h"
#include "core/target.h"
#include "core/xml.h"

typedef struct dl_rule dl_rule;
typedef struct dl_topology dl_topology;
typedef struct dl_suppressions dl_suppressions;

struct domlint_ctx {
    dl_releases *releases;   /* data/releases/targets.xml */
    domlint_platform_info *platforms; /* its platforms, for the public API (strings borrowed) */
    dl_target *target;       /* what every file is checked against */
    dl_machine_db *db;       /* the knowledge of the target */
    dl_devices *devices;     /* the device models of the target (data/devices) */
    char *db_dir;
    dl_schema *schema;       /* NULL when --no-schema or not installed */
    gboolean no_schema;      /* --no-schema: no schema check at all, schema-release neither */
    char *schema_missing;    /* warning text when the schemas are absent */
    char *schema_version;    /* the libvirt release the schema belongs to, or NULL: unknown */
    gboolean *enabled;       /* per registry position */
    dl_probe_facts *probed;  /* with --qemu: what the binary has, else NULL */
    dl_connection *conn;     /* with --connect: the libvirt asked, else NULL */
    char *host_root;         /* with --host: the root of the host checked ("/"), else NULL */
    gboolean layout;         /* --fix writes libvirt's whole PCI layout */
    int spare_ports;         /* wanted empty root ports, or DL_SPARES_LIBVIRT */
    gboolean fix_safe_only;  /* --fix=safe: guest-visible repairs are left out */
};

typedef struct dl_check dl_check;
struct dl_check {
    domlint_ctx *ctx;
    const char *file;
    const dl_source *src;
    dl_domain *dom;
    const char *arch;        /* effective arch (x86_64 when absent) */
    const char *machine;     /* as written, or QEMU's default when absent */
    const char *canonical;   /* alias resolved ("pc" -> "pc-i440fx-7.2") */
    const dl_family *family; /* NULL when the machine is unknown */
    dl_match_result match;   /* how the machine name matched the knowledge base */
    const dl_family *closest;/* with DL_MATCH_NONE: the family it looks most like */
    const dl_family *named;  /* the family the name belongs to, also where family is
                              * NULL because it is known by name only (no-facts) */
    gboolean arch_given;     /* <type arch> was written */
    dl_topology *topo;
    GPtrArray *diags;
    const char *rule_id;     /* the id of the rule now running, for its findings; NULL between rules */
    GPtrArray *fixes;        /* of dl_fix*, when fixing; NULL otherwise */
    GHashTable *claimed;     /* names and addresses fixes of this round took */
    const dl_suppressions *suppress; /* the file's domlint-disable comments, or NULL */
    dl_xpaths *paths;        /* the findings' XPaths (core/xml.h), or NULL before the first */
};

/*
 * Check a parsed document.  With FIXES (an array freeing dl_fix*), rules
 * also record their repairs there; they point into SRC's tree, so SRC must
 * outlive them.  Caller frees the result.
 */
/* A result for NAME that could not be checked, for REASON. */
domlint_result *dl_result_failed(const char *name, const char *reason);

domlint_result *dl_check_parsed(domlint_ctx *ctx, const char *name, const dl_source *src,
                                GPtrArray *fixes);

/*
 * The same, handing the finished check (rules run, RESULT's findings
 * filtered and sorted) to VISIT, with DATA, before it is taken apart: for
 * what looks at the domain beside its findings (src/show).
 */
typedef void (*dl_check_visit)(dl_check *chk, const domlint_result *result, gpointer data);
domlint_result *dl_check_parsed_visit(domlint_ctx *ctx, const char *name, const dl_source *src,
                                      GPtrArray *fixes, dl_check_visit visit, gpointer data);
