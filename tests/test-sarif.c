/*
 * test-sarif.c - domlint_format_sarif(): the SARIF 2.1.0 log GitHub reads
 *
 * Domains are checked in memory, formatted, parsed back with json-glib and
 * looked at member by member: the envelope (version, $schema, one run), the
 * driver and its rules (help text and page of each, DOMLINT_DOC_URL), a result with its rule, level, message and location,
 * notes as related locations, and a file that could not be checked as a
 * tool execution notification.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "testutil.h"
#include "domlint.h"


/* An IDE cdrom on q35: one disk-bus error on line 6, column 5. */
static const char ide_on_q35[] =
    TEST_DOMAIN_HEAD("x86_64", "pc-q35-7.2")
    "    <disk type='file' device='cdrom'>\n"
    "      <target dev='hdc' bus='ide'/>\n"
    "    </disk>\n"
    TEST_DOMAIN_TAIL;

/* Two NICs at one address: a conflict whose note points at the other one. */
static const char conflict[] =
    TEST_DOMAIN_HEAD("x86_64", "pc-i440fx-7.2")
    "    <interface type='network'>\n"
    "      <source network='default'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
    "    </interface>\n"
    "    <interface type='network'>\n"
    "      <source network='default'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
    "    </interface>\n"
    TEST_DOMAIN_TAIL;

static const char clean[] =
    TEST_DOMAIN_HEAD("x86_64", "pc-q35-7.2")
    TEST_DOMAIN_TAIL;

/* ------------------------------------------------------------- helpers */

typedef struct {
    JsonParser *parser;
    JsonObject *log;   /* borrowed from parser */
    JsonObject *run;   /* runs[0] */
    char *text;
} sarif_doc;

static void
sarif_doc_clear(sarif_doc *doc)
{
    g_clear_object(&doc->parser);
    g_clear_pointer(&doc->text, g_free);
}

/*
 * Check each of the N (name, xml) pairs in memory, format all results as
 * one SARIF log and parse it back into DOC.
 */
static void
sarif_of(sarif_doc *doc, guint n, const char *const *names, const char *const *xmls)
{
    g_autoptr(domlint_options) opts = test_options_from(&(test_settings) { .machine_db = TEST_MACHINE_DB, .no_schema = TRUE });
    g_autoptr(GError) error = NULL;
    domlint_ctx *ctx = domlint_ctx_new(opts, &error);
    g_autoptr(GPtrArray) results =
        g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
    JsonNode *root;
    JsonArray *runs;

    cr_assert_not_null(ctx, "domlint_ctx_new: %s", error ? error->message : "?");
    for (guint i = 0; i < n; i++)
        g_ptr_array_add(results, domlint_check_memory(ctx, names[i], xmls[i], strlen(xmls[i])));
    domlint_ctx_free(ctx);

    doc->text = domlint_format_sarif(results, NULL);
    cr_assert_not_null(doc->text);
    doc->parser = json_parser_new();
    cr_assert(json_parser_load_from_data(doc->parser, doc->text, -1, &error),
              "SARIF is not JSON: %s", error ? error->message : "?");
    root = json_parser_get_root(doc->parser);
    cr_assert_eq(json_node_get_node_type(root), JSON_NODE_OBJECT);
    doc->log = json_node_get_object(root);
    runs = json_object_get_array_member(doc->log, "runs");
    cr_assert_not_null(runs);
    cr_assert_eq(json_array_get_length(runs), 1);
    doc->run = json_array_get_object_element(runs, 0);
}

static void
sarif_of_one(sarif_doc *doc, const char *name, const char *xml)
{
    sarif_of(doc, 1, &name, &xml);
}

static JsonObject *
member_object(JsonObject *o, const char *member)
{
    cr_assert(json_object_has_member(o, member), "no member '%s'", member);
    return json_object_get_object_member(o, member);
}

static const char *
member_string(JsonObject *o, const char *member)
{
    cr_assert(json_object_has_member(o, member), "no member '%s'", member);
    return json_object_get_string_member(o, member);
}

static gint64
member_int(JsonObject *o, const char *member)
{
    cr_assert(json_object_has_member(o, member), "no member '%s'", member);
    return json_object_get_int_member(o, member);
}

static const char *
text_of(JsonObject *o, const char *member)
{
    return member_string(member_object(o, member), "text");
}

static JsonArray *
run_results(const sarif_doc *doc)
{
    JsonArray *results = json_object_get_array_member(doc->run, "results");
    cr_assert_not_null(results);
    return results;
}

/* The first result with rule RULE, or fail. */
static JsonObject *
result_of_rule(const sarif_doc *doc, const char *rule)
{
    JsonArray *results = run_results(doc);

    for (guint i = 0; i < json_array_get_length(results); i++) {
        JsonObject *r = json_array_get_object_element(results, i);
        if (strcmp(member_string(r, "ruleId"), rule) == 0)
            return r;
    }
    cr_assert_fail("no result of rule '%s' in %s", rule, doc->text);
    return NULL;
}

/* locations[I].physicalLocation of a result or notification. */
static JsonObject *
physical(JsonObject *o, const char *array, guint i)
{
    JsonArray *locations = json_object_get_array_member(o, array);

    cr_assert_not_null(locations, "no '%s'", array);
    cr_assert_gt(json_array_get_length(locations), i);
    return member_object(json_array_get_object_element(locations, i), "physicalLocation");
}

/* --------------------------------------------------------------- tests */

Test(sarif, envelope)
{
    sarif_doc doc = { 0 };
    JsonObject *driver;

    sarif_of_one(&doc, "clean.xml", clean);
    cr_assert_str_eq(member_string(doc.log, "version"), "2.1.0");
    test_assert_contains(member_string(doc.log, "$schema"), "sarif-2.1.0");
    driver = member_object(member_object(doc.run, "tool"), "driver");
    cr_assert_str_eq(member_string(driver, "name"), "domlint");
    cr_assert_str_eq(member_string(driver, "version"), domlint_version());
    /* the index of the rule pages, an absolute URI (SARIF 3.19.17) */
    cr_assert(g_uri_is_valid(member_string(driver, "informationUri"), G_URI_FLAGS_NONE, NULL),
              "informationUri '%s' is not an absolute URI", member_string(driver, "informationUri"));
    cr_assert(g_str_has_suffix(member_string(driver, "informationUri"), "/index.html"));
    cr_assert_eq(json_array_get_length(run_results(&doc)), 0);
    sarif_doc_clear(&doc);
}

Test(sarif, every_rule_with_metadata)
{
    sarif_doc doc = { 0 };
    JsonObject *driver;
    JsonArray *rules;

    sarif_of_one(&doc, "clean.xml", clean);
    driver = member_object(member_object(doc.run, "tool"), "driver");
    rules = json_object_get_array_member(driver, "rules");
    cr_assert_not_null(rules);
    cr_assert_eq(json_array_get_length(rules), domlint_rule_count());
    for (guint i = 0; i < domlint_rule_count(); i++) {
        const domlint_rule_info *info = domlint_rule_get(i);
        JsonObject *rule = json_array_get_object_element(rules, i);
        const char *level = info->severity == DOMLINT_SEV_ERROR ? "error"
                            : info->severity == DOMLINT_SEV_WARNING ? "warning" : "note";

        g_autofree char *head = g_strdup_printf("%s - ", info->id);
        g_autofree char *page = g_strdup_printf("/%s.html", info->id);
        const char *help = text_of(rule, "help");
        const char *uri = member_string(rule, "helpUri");

        cr_assert_str_eq(member_string(rule, "id"), info->id);
        cr_assert_str_eq(text_of(rule, "shortDescription"), info->summary);
        /* help is the whole --explain text, helpUri the rule's page */
        cr_assert(g_str_has_prefix(help, head), "help of %s: '%.40s...'", info->id, help);
        test_assert_contains(help, "\nWhat it checks\n");
        test_assert_contains(help, "\nWhat --fix does\n");
        cr_assert(g_uri_is_valid(uri, G_URI_FLAGS_NONE, NULL), "helpUri '%s' is not an absolute URI", uri);
        cr_assert(g_str_has_suffix(uri, page), "helpUri of %s: '%s'", info->id, uri);
        cr_assert_str_eq(member_string(member_object(rule, "defaultConfiguration"), "level"),
                         level);
    }
    sarif_doc_clear(&doc);
}

/* DOMLINT_DOC_URL moves every link; a base without a trailing '/' gets one. */
Test(sarif, doc_url_from_the_environment)
{
    sarif_doc doc = { 0 };
    JsonObject *driver;
    JsonArray *rules;
    int disk_bus;

    g_setenv("DOMLINT_DOC_URL", "https://docs.example/domlint/rules", TRUE);
    sarif_of_one(&doc, "clean.xml", clean);
    g_unsetenv("DOMLINT_DOC_URL");
    driver = member_object(member_object(doc.run, "tool"), "driver");
    cr_assert_str_eq(member_string(driver, "informationUri"),
                     "https://docs.example/domlint/rules/index.html");
    rules = json_object_get_array_member(driver, "rules");
    disk_bus = -1;
    for (guint i = 0; i < domlint_rule_count(); i++) {
        if (strcmp(domlint_rule_get(i)->id, "disk-bus") == 0)
            disk_bus = (int) i;
    }
    cr_assert_geq(disk_bus, 0);
    cr_assert_str_eq(member_string(json_array_get_object_element(rules, (guint) disk_bus), "helpUri"),
                     "https://docs.example/domlint/rules/disk-bus.html");
    sarif_doc_clear(&doc);
}

/* The texts are read by rule id, never by a path of the caller's. */
Test(sarif, explain_text_only_of_rules)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *text = domlint_rule_explain("disk-bus", NULL);
    g_autofree char *none = domlint_rule_explain("../rules/disk-bus", &error);

    cr_assert_not_null(text);
    cr_assert(g_str_has_prefix(text, "disk-bus - "));
    cr_assert_null(none);
    cr_assert_not_null(error);
}

Test(sarif, result_location_and_rule)
{
    sarif_doc doc = { 0 };
    JsonObject *r, *loc, *region;
    const domlint_rule_info *info = domlint_rule_find("disk-bus");
    JsonArray *rules;

    cr_assert_not_null(info);
    sarif_of_one(&doc, "vms/web 01.xml", ide_on_q35);
    r = result_of_rule(&doc, "disk-bus");
    cr_assert_str_eq(member_string(r, "level"), "error");
    test_assert_contains(text_of(r, "message"), "bus='ide'");
    test_assert_contains(text_of(r, "message"), "pc-q35-7.2");

    /* ruleIndex points at the same rule in driver.rules */
    rules = json_object_get_array_member(member_object(member_object(doc.run, "tool"), "driver"),
                                         "rules");
    cr_assert_str_eq(member_string(json_array_get_object_element(rules,
                                                                 (guint) member_int(r, "ruleIndex")),
                                   "id"),
                     "disk-bus");

    loc = physical(r, "locations", 0);
    /* relative, percent-encoded, no scheme */
    cr_assert_str_eq(member_string(member_object(loc, "artifactLocation"), "uri"),
                     "vms/web%2001.xml");
    region = member_object(loc, "region");
    cr_assert_eq(member_int(region, "startLine"), 6);
    cr_assert_eq(member_int(region, "startColumn"), 5);
    sarif_doc_clear(&doc);
}

Test(sarif, notes_are_related_locations)
{
    sarif_doc doc = { 0 };
    JsonObject *r, *related, *loc;
    JsonArray *all;

    sarif_of_one(&doc, "nics.xml", conflict);
    r = result_of_rule(&doc, "pci-address-conflict");
    all = json_object_get_array_member(r, "relatedLocations");
    cr_assert_not_null(all, "no relatedLocations in %s", doc.text);
    cr_assert_geq(json_array_get_length(all), 1);
    related = json_array_get_object_element(all, 0);
    cr_assert(json_object_has_member(related, "message"));
    loc = member_object(related, "physicalLocation");
    cr_assert_str_eq(member_string(member_object(loc, "artifactLocation"), "uri"), "nics.xml");
    /* the first <address> is on line 8, the second (the finding) on line 12 */
    cr_assert_eq(member_int(member_object(loc, "region"), "startLine"), 8);
    cr_assert_eq(member_int(member_object(loc, "region"), "startColumn"), 7);
    cr_assert_eq(member_int(member_object(physical(r, "locations", 0), "region"), "startLine"), 12);
    sarif_doc_clear(&doc);
}

Test(sarif, failed_file_is_a_notification)
{
    sarif_doc doc = { 0 };
    const char *names[] = { "broken.xml", "good.xml" };
    const char *xmls[] = { "<domain><name>", ide_on_q35 };
    JsonArray *invocations, *notes;
    JsonObject *inv, *note;

    sarif_of(&doc, 2, names, xmls);
    invocations = json_object_get_array_member(doc.run, "invocations");
    cr_assert_not_null(invocations);
    cr_assert_eq(json_array_get_length(invocations), 1);
    inv = json_array_get_object_element(invocations, 0);
    cr_assert_not(json_object_get_boolean_member(inv, "executionSuccessful"));
    notes = json_object_get_array_member(inv, "toolExecutionNotifications");
    cr_assert_not_null(notes);
    cr_assert_eq(json_array_get_length(notes), 1);
    note = json_array_get_object_element(notes, 0);
    cr_assert_str_eq(member_string(note, "level"), "error");
    cr_assert_gt(strlen(text_of(note, "message")), 0);
    cr_assert_str_eq(member_string(member_object(physical(note, "locations", 0), "artifactLocation"),
                                   "uri"),
                     "broken.xml");
    /* the failed file has no results; the good one still has its finding */
    for (guint i = 0; i < json_array_get_length(run_results(&doc)); i++) {
        JsonObject *r = json_array_get_object_element(run_results(&doc), i);
        cr_assert_str_eq(member_string(member_object(physical(r, "locations", 0), "artifactLocation"),
                                       "uri"),
                         "good.xml");
    }
    result_of_rule(&doc, "disk-bus");
    sarif_doc_clear(&doc);
}

Test(sarif, successful_run)
{
    sarif_doc doc = { 0 };
    JsonObject *inv;

    sarif_of_one(&doc, "t.xml", ide_on_q35);
    inv = json_array_get_object_element(json_object_get_array_member(doc.run, "invocations"), 0);
    cr_assert(json_object_get_boolean_member(inv, "executionSuccessful"));
    cr_assert_eq(json_array_get_length(json_object_get_array_member(inv, "toolExecutionNotifications")),
                 0);
    sarif_doc_clear(&doc);
}

Test(sarif, absolute_path_is_a_file_uri)
{
    sarif_doc doc = { 0 };
    JsonObject *r;

    sarif_of_one(&doc, "/srv/vms/a.xml", ide_on_q35);
    r = result_of_rule(&doc, "disk-bus");
    cr_assert_str_eq(member_string(member_object(physical(r, "locations", 0), "artifactLocation"),
                                   "uri"),
                     "file:///srv/vms/a.xml");
    sarif_doc_clear(&doc);
}
