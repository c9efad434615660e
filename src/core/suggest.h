/*
 * suggest.h - "did you mean ...?": the one nearest-name search of domlint
 *
 * Used for machine types (machines.c), rule ids (--disable, --enable,
 * --explain), long options and the values of --format and --color.
 */
#pragma once

#include <glib.h>

/*
 * Edits from A's first LA bytes to B: insertions, deletions, substitutions
 * and swaps of two neighbours (optimal string alignment), so "fxi" is one
 * edit from "fix".
 */
gsize dl_edit_distance(const char *a, gsize la, const char *b);

/* DISTANCE edits to a name CANDIDATE_LEN long look like a typo: at most two
 * (a third of the name when longer), and fewer than the name has letters. */
gboolean dl_is_typo(gsize distance, gsize candidate_len);

/*
 * Keep in *BEST the name of NAMES (NULL-terminated, may be NULL) nearest to
 * WORD if it looks like a typo of WORD and is nearer than *BEST_DISTANCE
 * (start with G_MAXSIZE); *BEST is borrowed from NAMES.  For searches over
 * several lists.
 */
void dl_suggest_among(const char *word, const char *const *names, const char **best,
                      gsize *best_distance);

/* The name of NAMES nearest to WORD, or NULL when none looks like a typo of it. */
const char *dl_suggest(const char *word, const char *const *names);

/*
 * "unknown rule 'ID' (did you mean 'pci-address'?)", or "... (see
 * --list-rules)" when no rule id is near; for --disable, --enable and
 * --explain.  Caller frees.
 */
char *dl_rule_unknown_message(const char *id);
