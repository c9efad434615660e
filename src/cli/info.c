/*
 * info.c - what the check command answers without checking a file:
 * --version, --list-targets, --list-rules and --explain
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "domlint.h"
#include "cli/check.h"
#include "cli/cli.h"
#include "core/suggest.h"

void
dl_cli_list_rules(const char *format, FILE *out)
{
    g_autoptr(JsonBuilder) b = NULL;
    g_autoptr(JsonGenerator) gen = NULL;
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;

    if (g_strcmp0(format, "json") != 0) {
        for (guint i = 0; i < domlint_rule_count(); i++) {
            const domlint_rule_info *r = domlint_rule_get(i);
            fprintf(out, "%-34s %s\n", r->id, r->summary);
        }
        return;
    }
    b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < domlint_rule_count(); i++) {
        const domlint_rule_info *r = domlint_rule_get(i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_string_value(b, r->id);
        json_builder_set_member_name(b, "summary");
        json_builder_add_string_value(b, r->summary);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    root = json_builder_get_root(b);
    gen = json_generator_new();
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_root(gen, root);
    text = json_generator_to_data(gen, NULL);
    fprintf(out, "%s\n", text);
}

int
dl_cli_explain_rule(const char *id, FILE *out, FILE *err)
{
    g_autofree char *text = NULL;
    g_autofree char *url = NULL;
    g_autoptr(GError) error = NULL;

    if (!domlint_rule_find(id)) {
        g_autofree char *message = dl_rule_unknown_message(id);
        fprintf(err, "domlint: %s\n", message);
        return DL_EXIT_TROUBLE;
    }
    text = domlint_rule_explain(id, &error);
    if (!text) {
        fprintf(err, "domlint: no documentation for rule '%s': %s\n", id, error->message);
        return DL_EXIT_TROUBLE;
    }
    url = domlint_rule_doc_url(id);
    fprintf(out, "%s\nDocumentation\n  %s\n", text, url);
    return DL_EXIT_CLEAN;
}

/* A context for --version and --list-targets: no schema, the options that decide the target. */
static domlint_ctx *
info_ctx(const dl_check_args *args, FILE *err)
{
    g_autoptr(domlint_options) options = domlint_options_new();
    g_autofree char *db = args->machine_db ? g_strdup(args->machine_db) : domlint_data_dir("machines");
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx;

    domlint_options_set_machine_db(options, db);
    domlint_options_set_no_schema(options, TRUE);
    domlint_options_set_qemu(options, args->qemu);
    domlint_options_set_target(options, args->target);
    ctx = domlint_ctx_new(options, &error);
    if (!ctx)
        fprintf(err, "domlint: %s\n", error->message);
    return ctx;
}

static void
print_part(FILE *out, const char *product, const char *version, const char *from, const char *origin)
{
    fprintf(out, "  %-8s %s (%s%s%s)\n", product, version, from, origin ? ": " : "", origin ? origin : "");
}

int
dl_cli_print_version(const dl_check_args *args, FILE *out, FILE *err)
{
    g_autoptr(domlint_ctx) ctx = info_ctx(args, err);
    domlint_target_info t;
    domlint_release_span span;
    g_autofree char *line = NULL;

    fprintf(out, "domlint %s\n", domlint_version());
    if (!ctx)
        return DL_EXIT_TROUBLE;
    domlint_ctx_target(ctx, &t, &line);
    domlint_ctx_releases(ctx, &span);
    fprintf(out, "knowledge: QEMU %s to %s, libvirt %s to %s\n", span.qemu_oldest, span.qemu_newest,
            span.libvirt_oldest, span.libvirt_newest);
    fprintf(out, "target: %s\n", line);
    print_part(out, "qemu", t.qemu, t.qemu_from, t.qemu_origin);
    print_part(out, "libvirt", t.libvirt, t.libvirt_from, t.libvirt_origin);
    return DL_EXIT_CLEAN;
}

int
dl_cli_print_targets(const dl_check_args *args, FILE *out, FILE *err)
{
    g_autoptr(domlint_ctx) ctx = info_ctx(args, err);

    if (!ctx)
        return DL_EXIT_TROUBLE;
    fprintf(out, "%-14s %-6s %-8s %s\n", "TARGET", "QEMU", "LIBVIRT", "PLATFORM");
    for (guint i = 0; domlint_ctx_platform(ctx, i); i++) {
        const domlint_platform_info *p = domlint_ctx_platform(ctx, i);

        fprintf(out, "%-14s %-6s %-8s %s%s%s%s\n", p->id, p->qemu, p->libvirt, p->title,
                p->vendor ? " (machine types of " : "", p->vendor ? p->vendor : "",
                p->vendor ? "'s qemu-kvm)" : "");
    }
    fprintf(out, "\nOr --target=qemu-X.Y,libvirt-X.Y (either part alone), 'host', 'newest'.\n");
    return DL_EXIT_CLEAN;
}
