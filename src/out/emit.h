/*
 * emit.h - pieces of the JSON report that the SARIF log shares
 */
#pragma once

#include <json-glib/json-glib.h>

#include "domlint.h"

/* The member "target": what the run was checked against (null when TARGET is NULL). */
void dl_json_add_target(JsonBuilder *b, const domlint_target_info *target);

/* Member MEMBER: the string VALUE, or null for NULL. */
void dl_json_add_string_or_null(JsonBuilder *b, const char *member, const char *value);

/* One finding D as an object of the report's "diagnostics" (domlint topology's "findings" too). */
void dl_emit_diag_json(JsonBuilder *b, const domlint_diag *d);
