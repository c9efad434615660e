/*
 * rules.h - the rule registry
 *
 * Every rule is a const struct dl_rule defined in one file of src/rules/
 * (one file per family of rules) and listed once in registry.c.  A rule
 * reads the model, the machine family and the topology of a dl_check and
 * appends findings with dl_error()/dl_warning(); it never prints or parses.
 */
#pragma once

#include "core/internal.h"
#include "check/diag.h"
#include "core/topology.h"
#include "core/query.h"

struct dl_rule {
    const char *id;          /* stable, kebab-case */
    const char *summary;     /* one line for --list-rules */
    domlint_severity severity;  /* the severity of its main finding */
    gboolean host;           /* runs only with --host (a host root is set) */
    void (*check)(dl_check *chk);
};

/* The registry, in the order rules run. */
extern const dl_rule *const dl_rules[];
extern const guint dl_rule_total;

/* ---- helpers shared by the rule files (common.c) ---- */

/* The machine families that have WHAT, as HAS tells, named for messages
 * ("Q35 and ARM virt": the part of each title before a parenthesis). */
char *dl_families_with(const dl_check *chk, gboolean (*has)(const dl_family *, const char *),
                       const char *what);
