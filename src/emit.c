/*
 * emit.c - findings as text (compiler convention) and JSON
 *
 * Formatting returns strings; the caller decides where they go.  JSON is
 * built with json-glib so that escaping is never done by hand; its shape is
 * described by schemas/domlint-report.schema.json.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "domlint.h"
#include "emit.h"

const char *
domlint_severity_name(domlint_severity sev)
{
    switch (sev) {
    case DOMLINT_SEV_NOTE:
        return "note";
    case DOMLINT_SEV_WARNING:
        return "warning";
    case DOMLINT_SEV_ERROR:
        return "error";
    case DOMLINT_SEV_LAST:
        break;
    }
    return "error";
}

static const char *
severity_color(domlint_severity sev)
{
    switch (sev) {
    case DOMLINT_SEV_NOTE:
        return "\033[1;36m";
    case DOMLINT_SEV_WARNING:
        return "\033[1;35m";
    case DOMLINT_SEV_ERROR:
        return "\033[1;31m";
    case DOMLINT_SEV_LAST:
        break;
    }
    return "";
}

static void
append_location(GString *out, const domlint_diag *d)
{
    g_string_append(out, d->file);
    if (d->line > 0) {
        g_string_append_printf(out, ":%d", d->line);
        if (d->column > 0)
            g_string_append_printf(out, ":%d", d->column);
    }
    g_string_append(out, ": ");
}

static void
append_diag(GString *out, const domlint_diag *d, gboolean color, gboolean with_rule)
{
    const char *bold = color ? "\033[1m" : "";
    const char *reset = color ? "\033[0m" : "";

    g_string_append(out, bold);
    append_location(out, d);
    g_string_append(out, reset);
    g_string_append_printf(out, "%s%s:%s %s", color ? severity_color(d->severity) : "",
                           domlint_severity_name(d->severity), reset, d->message);
    if (with_rule)
        g_string_append_printf(out, " [%s]", d->rule);
    g_string_append_c(out, '\n');
}

char *
domlint_format_text(const domlint_result *result, const domlint_text_options *options)
{
    GString *out = g_string_new(NULL);
    gboolean color = options && options->color;

    if (result->status == DOMLINT_FILE_FAILED) {
        g_string_append_printf(out, "%s: %s: %s\n", result->file,
                               color ? "\033[1;31mfatal\033[0m" : "fatal", result->failure);
        return g_string_free(out, FALSE);
    }
    for (guint i = 0; i < result->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(result->diags, i);
        append_diag(out, d, color, TRUE);
        for (guint n = 0; d->notes && n < d->notes->len; n++)
            append_diag(out, g_ptr_array_index(d->notes, n), color, FALSE);
        if (d->fixit) {
            domlint_diag hint = *d;
            g_autofree char *msg = g_strdup_printf("suggestion: %s", d->fixit);
            hint.severity = DOMLINT_SEV_NOTE;
            hint.message = msg;
            append_diag(out, &hint, color, FALSE);
        }
    }
    return g_string_free(out, FALSE);
}

static void
add_string_or_null(JsonBuilder *b, const char *member, const char *value)
{
    json_builder_set_member_name(b, member);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

static void
build_diag(JsonBuilder *b, const domlint_diag *d)
{
    json_builder_begin_object(b);
    add_string_or_null(b, "file", d->file);
    json_builder_set_member_name(b, "line");
    json_builder_add_int_value(b, d->line);
    json_builder_set_member_name(b, "column");
    json_builder_add_int_value(b, d->column);
    add_string_or_null(b, "severity", domlint_severity_name(d->severity));
    add_string_or_null(b, "rule", d->rule);
    add_string_or_null(b, "message", d->message);
    add_string_or_null(b, "xpath", d->xpath);
    add_string_or_null(b, "fixit", d->fixit);
    add_string_or_null(b, "fixClass", domlint_fix_class_name(d->fix_class));
    json_builder_set_member_name(b, "notes");
    json_builder_begin_array(b);
    for (guint n = 0; d->notes && n < d->notes->len; n++)
        build_diag(b, g_ptr_array_index(d->notes, n));
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void
build_result(JsonBuilder *b, const domlint_result *r)
{
    json_builder_begin_object(b);
    add_string_or_null(b, "file", r->file);
    add_string_or_null(b, "status", r->status == DOMLINT_FILE_FAILED ? "failed" : "checked");
    add_string_or_null(b, "failure", r->failure);
    add_string_or_null(b, "machine", r->machine);
    add_string_or_null(b, "family", r->family);
    json_builder_set_member_name(b, "diagnostics");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->diags->len; i++)
        build_diag(b, g_ptr_array_index(r->diags, i));
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void
add_part(JsonBuilder *b, const char *name, const char *version, const char *from,
         const char *origin)
{
    json_builder_set_member_name(b, name);
    json_builder_begin_object(b);
    add_string_or_null(b, "version", version);
    add_string_or_null(b, "from", from);
    add_string_or_null(b, "origin", origin);
    json_builder_end_object(b);
}

void
dl_json_add_target(JsonBuilder *b, const domlint_target_info *t)
{
    json_builder_set_member_name(b, "target");
    if (!t) {
        json_builder_add_null_value(b);
        return;
    }
    json_builder_begin_object(b);
    add_string_or_null(b, "platform", t->platform);
    add_part(b, "qemu", t->qemu, t->qemu_from, t->qemu_origin);
    add_part(b, "libvirt", t->libvirt, t->libvirt_from, t->libvirt_origin);
    add_string_or_null(b, "vendor", t->vendor);
    add_string_or_null(b, "vendorVersion", t->vendor_version);
    json_builder_end_object(b);
}

char *
domlint_format_json(GPtrArray *results, const domlint_target_info *target)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;
    guint errors = 0, warnings = 0, failed = 0;

    json_builder_begin_object(b);
    add_string_or_null(b, "tool", "domlint");
    add_string_or_null(b, "version", domlint_version());
    dl_json_add_target(b, target);
    json_builder_set_member_name(b, "files");
    json_builder_begin_array(b);
    for (guint i = 0; i < results->len; i++) {
        const domlint_result *r = g_ptr_array_index(results, i);
        build_result(b, r);
        errors += domlint_result_count(r, DOMLINT_SEV_ERROR);
        warnings += domlint_result_count(r, DOMLINT_SEV_WARNING);
        failed += r->status == DOMLINT_FILE_FAILED;
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "summary");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "files");
    json_builder_add_int_value(b, results->len);
    json_builder_set_member_name(b, "failed");
    json_builder_add_int_value(b, failed);
    json_builder_set_member_name(b, "errors");
    json_builder_add_int_value(b, errors);
    json_builder_set_member_name(b, "warnings");
    json_builder_add_int_value(b, warnings);
    json_builder_end_object(b);
    json_builder_end_object(b);

    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    return json_generator_to_data(gen, NULL);
}
