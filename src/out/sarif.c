/*
 * sarif.c - findings as SARIF 2.1.0, the format GitHub code scanning reads
 *
 * One run of one tool: tool.driver carries every registered rule (id,
 * summary, its --explain text as help, its page as helpUri, default level)
 * and the index of the rule pages as informationUri; results carry a
 * ruleId/ruleIndex, a level, the message and one physical location (a
 * relative URI with line and column when known); a finding's notes become relatedLocations.  Files that
 * could not be checked are not results but tool execution notifications of
 * the run's single invocation, which is then not successful.
 *
 * The document is built with json-glib (no hand-made escaping).  What GitHub
 * requires beyond the schema: a "version" and "$schema", a driver name,
 * rule ids, a message text on every result and startLine >= 1 in regions, so
 * a region is written only when the line is known.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "domlint.h"
#include "out/emit.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_VERSION "2.1.0"

/* SARIF's level names are domlint's severity names. */
static const char *
sarif_level(domlint_severity sev)
{
    return domlint_severity_name(sev);
}

static void
add_string(JsonBuilder *b, const char *member, const char *value)
{
    json_builder_set_member_name(b, member);
    json_builder_add_string_value(b, value);
}

/* {"text": TEXT} as MEMBER: SARIF's message and multiformatMessageString. */
static void
add_text_object(JsonBuilder *b, const char *member, const char *text)
{
    json_builder_set_member_name(b, member);
    json_builder_begin_object(b);
    add_string(b, "text", text);
    json_builder_end_object(b);
}

/*
 * A file name as a URI reference (caller must free).  Relative names stay
 * relative, so that GitHub resolves them against the checkout; absolute ones
 * become file: URIs.
 */
static char *
path_to_uri(const char *path)
{
    while (g_str_has_prefix(path, "./"))
        path += 2;
    if (g_path_is_absolute(path)) {
        char *uri = g_filename_to_uri(path, NULL, NULL);
        if (uri)
            return uri;
    }
    return g_uri_escape_string(path, "/", FALSE);
}

/* A physicalLocation: the artifact, and the region when the line is known. */
static void
add_physical_location(JsonBuilder *b, const char *file, int line, int column)
{
    g_autofree char *uri = path_to_uri(file ? file : "");

    json_builder_set_member_name(b, "physicalLocation");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "artifactLocation");
    json_builder_begin_object(b);
    add_string(b, "uri", uri);
    json_builder_end_object(b);
    if (line > 0) {
        json_builder_set_member_name(b, "region");
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "startLine");
        json_builder_add_int_value(b, line);
        if (column > 0) {
            json_builder_set_member_name(b, "startColumn");
            json_builder_add_int_value(b, column);
        }
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
}

/* The element the finding is about, as an XPath logical location. */
static void
add_logical_location(JsonBuilder *b, const char *xpath)
{
    json_builder_set_member_name(b, "logicalLocations");
    json_builder_begin_array(b);
    json_builder_begin_object(b);
    add_string(b, "fullyQualifiedName", xpath);
    add_string(b, "kind", "element");
    json_builder_end_object(b);
    json_builder_end_array(b);
}

/* A rule's help: its --explain text, or where there is none its summary and how to turn it off. */
static char *
rule_help(const domlint_rule_info *rule)
{
    char *text = domlint_rule_explain(rule->id, NULL);

    if (text)
        return text;
    return g_strdup_printf("%s.\n\nDefault severity: %s. Turn it off with --disable=%s.",
                           rule->summary, sarif_level(rule->severity), rule->id);
}

static void
build_rule(JsonBuilder *b, const domlint_rule_info *rule)
{
    g_autofree char *help = rule_help(rule);
    g_autofree char *url = domlint_rule_doc_url(rule->id);

    json_builder_begin_object(b);
    add_string(b, "id", rule->id);
    add_text_object(b, "shortDescription", rule->summary);
    add_text_object(b, "fullDescription", rule->summary);
    add_text_object(b, "help", help);
    add_string(b, "helpUri", url);
    json_builder_set_member_name(b, "defaultConfiguration");
    json_builder_begin_object(b);
    add_string(b, "level", sarif_level(rule->severity));
    json_builder_end_object(b);
    json_builder_end_object(b);
}

static void
build_driver(JsonBuilder *b)
{
    g_autofree char *index_url = domlint_rule_doc_url(NULL);

    json_builder_set_member_name(b, "tool");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "driver");
    json_builder_begin_object(b);
    add_string(b, "name", "domlint");
    add_string(b, "version", domlint_version());
    add_string(b, "semanticVersion", domlint_version());
    add_string(b, "informationUri", index_url);
    json_builder_set_member_name(b, "rules");
    json_builder_begin_array(b);
    for (guint i = 0; i < domlint_rule_count(); i++)
        build_rule(b, domlint_rule_get(i));
    json_builder_end_array(b);
    json_builder_end_object(b);
    json_builder_end_object(b);
}

/* Index of rule ID in driver.rules, or -1 when it is not a registered rule. */
static int
rule_index(const char *id)
{
    for (guint i = 0; id && i < domlint_rule_count(); i++) {
        if (strcmp(domlint_rule_get(i)->id, id) == 0)
            return (int) i;
    }
    return -1;
}

static void
build_related(JsonBuilder *b, const domlint_diag *d)
{
    json_builder_set_member_name(b, "relatedLocations");
    json_builder_begin_array(b);
    for (guint n = 0; n < d->notes->len; n++) {
        const domlint_diag *note = g_ptr_array_index(d->notes, n);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_int_value(b, n);
        add_physical_location(b, note->file ? note->file : d->file, note->line, note->column);
        add_text_object(b, "message", note->message);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

static void
build_result(JsonBuilder *b, const domlint_diag *d)
{
    int index = rule_index(d->rule);

    json_builder_begin_object(b);
    add_string(b, "ruleId", d->rule ? d->rule : "domlint");
    if (index >= 0) {
        json_builder_set_member_name(b, "ruleIndex");
        json_builder_add_int_value(b, index);
    }
    add_string(b, "level", sarif_level(d->severity));
    add_text_object(b, "message", d->message);
    json_builder_set_member_name(b, "locations");
    json_builder_begin_array(b);
    json_builder_begin_object(b);
    add_physical_location(b, d->file, d->line, d->column);
    if (d->xpath)
        add_logical_location(b, d->xpath);
    json_builder_end_object(b);
    json_builder_end_array(b);
    if (d->notes && d->notes->len)
        build_related(b, d);
    if (d->fixit || d->fix_class != DOMLINT_FIX_NONE) {
        /* a SARIF "fix" needs byte-exact replacements; the advice goes in a property */
        json_builder_set_member_name(b, "properties");
        json_builder_begin_object(b);
        if (d->fixit)
            add_string(b, "suggestion", d->fixit);
        /* "fixed:" notes: the class of the repair made; findings: of the one --fix=safe left out */
        if (d->fix_class != DOMLINT_FIX_NONE)
            add_string(b, "fixClass", domlint_fix_class_name(d->fix_class));
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
}

/* invocations[0]: successful unless a file could not be checked. */
static void
build_invocation(JsonBuilder *b, GPtrArray *results)
{
    gboolean all_checked = TRUE;

    for (guint i = 0; i < results->len; i++) {
        const domlint_result *r = g_ptr_array_index(results, i);
        if (r->status == DOMLINT_FILE_FAILED)
            all_checked = FALSE;
    }
    json_builder_set_member_name(b, "invocations");
    json_builder_begin_array(b);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "executionSuccessful");
    json_builder_add_boolean_value(b, all_checked);
    json_builder_set_member_name(b, "toolExecutionNotifications");
    json_builder_begin_array(b);
    for (guint i = 0; i < results->len; i++) {
        const domlint_result *r = g_ptr_array_index(results, i);
        if (r->status != DOMLINT_FILE_FAILED)
            continue;
        json_builder_begin_object(b);
        add_string(b, "level", "error");
        add_text_object(b, "message", r->failure ? r->failure : "could not be checked");
        json_builder_set_member_name(b, "locations");
        json_builder_begin_array(b);
        json_builder_begin_object(b);
        add_physical_location(b, r->file, 0, 0);
        json_builder_end_object(b);
        json_builder_end_array(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    json_builder_end_array(b);
}

char *
domlint_format_sarif(GPtrArray *results, const domlint_target_info *target)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object(b);
    add_string(b, "$schema", SARIF_SCHEMA);
    add_string(b, "version", SARIF_VERSION);
    json_builder_set_member_name(b, "runs");
    json_builder_begin_array(b);
    json_builder_begin_object(b);
    build_driver(b);
    build_invocation(b, results);
    /* a property bag of the run: what the findings were judged against */
    json_builder_set_member_name(b, "properties");
    json_builder_begin_object(b);
    dl_json_add_target(b, target);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "results");
    json_builder_begin_array(b);
    for (guint i = 0; i < results->len; i++) {
        const domlint_result *r = g_ptr_array_index(results, i);
        for (guint k = 0; r->status == DOMLINT_FILE_CHECKED && k < r->diags->len; k++)
            build_result(b, g_ptr_array_index(r->diags, k));
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    json_builder_end_array(b);
    json_builder_end_object(b);

    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    return json_generator_to_data(gen, NULL);
}
