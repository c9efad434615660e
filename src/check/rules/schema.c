/*
 * schema.c - libvirt's own RELAX NG schema, as a rule
 *
 * The schema is compiled once per context (src/schema.c); this rule runs
 * it on each document and turns libxml2's complaints into findings, so that
 * --list-rules shows it and --disable=schema turns it off like any rule.
 */
#include "config.h"

#include <libxml/xpath.h>

#include "check/rules/rules.h"

/* Real domains have tens of devices; 100 000 take libxml2 over 20 s. */
#define DL_SCHEMA_MAX_DEVICES 5000

/* The schema here belongs to a libvirt older than the target (unknown: no). */
static gboolean
schema_older_than_target(const dl_check *chk)
{
    const char *have = chk->ctx->schema_version;

    return have && dl_version_compare(have, chk->ctx->target->libvirt) < 0;
}

static void
check_schema(dl_check *chk)
{
    g_autoptr(GPtrArray) errors = NULL;

    if (chk->ctx->schema_missing) {
        g_ptr_array_add(chk->diags, dl_diag_new(chk->file, 0, 0, DOMLINT_SEV_WARNING,
                                                chk->rule_id, chk->ctx->schema_missing));
        return;
    }
    if (!chk->ctx->schema)
        return;
    if (chk->dom->devices->len > DL_SCHEMA_MAX_DEVICES) {
        g_autofree char *msg = g_strdup_printf("schema validation skipped: %u devices, more than %d (libxml2's RELAX NG validation time grows with the square of the device count); the machine rules still ran",
                                               chk->dom->devices->len, DL_SCHEMA_MAX_DEVICES);
        g_ptr_array_add(chk->diags, dl_diag_new(chk->file, 0, 0, DOMLINT_SEV_WARNING,
                                                chk->rule_id, msg));
        return;
    }
    errors = dl_schema_validate(chk->ctx->schema, chk->src->doc);
    for (guint i = 0; i < errors->len; i++) {
        const dl_schema_error *e = g_ptr_array_index(errors, i);
        g_autofree char *msg = NULL;
        domlint_severity severity = DOMLINT_SEV_ERROR;
        domlint_diag *d;

        if (schema_older_than_target(chk)) {
            /* a newer libvirt's schema may well accept it: never a false error */
            severity = DOMLINT_SEV_WARNING;
            msg = g_strdup_printf("libvirt %s's domain schema (the one here) rejects this, but the target libvirt %s may accept it: %s",
                                  chk->ctx->schema_version, chk->ctx->target->libvirt, e->message);
        } else {
            msg = g_strdup_printf("does not follow libvirt's domain schema: %s", e->message);
        }
        d = dl_diag_new(chk->file, e->line, 0, severity, chk->rule_id, msg);
        d->xpath = g_strdup(e->path);
        if (e->suggestion)
            dl_diag_fixit(d, "%s", e->suggestion);
        g_ptr_array_add(chk->diags, d);
    }
}

const dl_rule dl_rule_schema = {
    .id = "schema",
    .summary = "the document follows libvirt's RELAX NG domain schema (the installed one; --no-schema skips it)",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_schema,
};


static void
report_feature(dl_check *chk, const dl_schema_feature *f)
{
    xmlXPathContext *xp = xmlXPathNewContext(chk->src->doc);
    xmlXPathObject *found = xp ? xmlXPathCompiledEval(f->compiled, xp) : NULL;
    g_autofree char *where = dl_target_label(chk->ctx->target, "libvirt");

    for (int i = 0; found && found->nodesetval && i < found->nodesetval->nodeNr; i++) {
        domlint_diag *d = dl_error(chk, found->nodesetval->nodeTab[i],
                                   "%s needs libvirt %s or later: the schema of the target %s does not have it",
                                   f->what, f->since, where);

        dl_diag_fixit(d, "remove it, or define the domain on libvirt %s or later", f->since);
    }
    xmlXPathFreeObject(found);
    xmlXPathFreeContext(xp);
}

/*
 * The schema here may be newer than the target libvirt: what the target's
 * own schema lacks (data/releases/libvirt-schema.xml) is an error there.
 */
static void
check_schema_release(dl_check *chk)
{
    const dl_releases *releases = chk->ctx->releases;
    const char *schema = chk->ctx->schema_version;

    if (chk->ctx->no_schema)
        return;
    for (guint i = 0; i < dl_releases_schema_feature_count(releases); i++) {
        const dl_schema_feature *f = dl_releases_schema_feature(releases, i);

        if (dl_version_compare(chk->ctx->target->libvirt, f->since) >= 0)
            continue;
        /* a schema that lacks it too has already said so */
        if (chk->ctx->schema && schema && dl_version_compare(schema, f->since) < 0)
            continue;
        report_feature(chk, f);
    }
}

const dl_rule dl_rule_schema_release = {
    .id = "schema-release",
    .summary = "nothing of libvirt's schema that the target libvirt predates",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_schema_release,
};
