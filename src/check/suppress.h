/*
 * suppress.h - findings the checked file itself silences
 *
 * Two directives, each an XML comment of its own:
 *
 *   <!-- domlint-disable RULE[,RULE...] -->       the next element (the next
 *                                                 sibling after the comment)
 *                                                 and everything inside it
 *   <!-- domlint-disable-file RULE[,RULE...] -->  the whole file, wherever it is
 *
 * 'all' stands for every rule.  Text after a ':' is a reason, for readers
 * ("domlint-disable pci-multifunction: the guest driver probes function 2").
 * A silenced rule is silenced for --fix too: its repairs there are not
 * made.  The 'suppression' rule warns about directives that silence
 * nothing because they are malformed (an unknown rule id, no rule, no
 * element after them).
 *
 * Most files have no directive: scanning such a file costs one search of
 * its text, and the filter is not run at all.
 */
#pragma once

#include "core/internal.h"

typedef struct dl_suppressions dl_suppressions;

/* The directives of SRC's comments, or NULL when it has none.  Points into
 * SRC's tree: SRC must outlive it.  Caller frees. */
dl_suppressions *dl_suppressions_scan(const dl_source *src);
void dl_suppressions_free(dl_suppressions *sup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_suppressions, dl_suppressions_free)

/* Drop from DIAGS the findings SUP silences, and from FIXES (of dl_fix*,
 * may be NULL) the repairs of silenced rules in silenced elements. */
void dl_suppressions_filter(const dl_suppressions *sup, GPtrArray *diags, GPtrArray *fixes);
