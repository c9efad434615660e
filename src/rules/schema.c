/*
 * schema.c - libvirt's own RELAX NG schema, as a rule
 *
 * The schema is compiled once per context (src/schema.c); this rule runs
 * it on each document and turns libxml2's complaints into findings, so that
 * --list-rules shows it and --disable=schema turns it off like any rule.
 */
#include "config.h"

#include "rules/rules.h"

/* Real domains have tens of devices; 100 000 take libxml2 over 20 s. */
#define DL_SCHEMA_MAX_DEVICES 5000

static void
check_schema(dl_check *chk)
{
    g_autoptr(GPtrArray) errors = NULL;

    if (chk->ctx->schema_missing) {
        g_ptr_array_add(chk->diags, dl_diag_new(chk->file, 0, 0, DOMLINT_SEV_WARNING,
                                                chk->rule->id, chk->ctx->schema_missing));
        return;
    }
    if (!chk->ctx->schema)
        return;
    if (chk->dom->devices->len > DL_SCHEMA_MAX_DEVICES) {
        g_autofree char *msg = g_strdup_printf("schema validation skipped: %u devices, more than %d (libxml2's RELAX NG validation time grows with the square of the device count); the machine rules still ran",
                                               chk->dom->devices->len, DL_SCHEMA_MAX_DEVICES);
        g_ptr_array_add(chk->diags, dl_diag_new(chk->file, 0, 0, DOMLINT_SEV_WARNING,
                                                chk->rule->id, msg));
        return;
    }
    errors = dl_schema_validate(chk->ctx->schema, chk->src->doc);
    for (guint i = 0; i < errors->len; i++) {
        const dl_schema_error *e = g_ptr_array_index(errors, i);
        g_autofree char *msg = g_strdup_printf("does not follow libvirt's domain schema: %s",
                                               e->message);
        domlint_diag *d = dl_diag_new(chk->file, e->line, 0, DOMLINT_SEV_ERROR, chk->rule->id, msg);
        d->xpath = g_strdup(e->path);
        g_ptr_array_add(chk->diags, d);
    }
}

const dl_rule dl_rule_schema = {
    .id = "schema",
    .summary = "the document follows libvirt's RELAX NG domain schema (the installed one; --no-schema skips it)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_schema,
};
