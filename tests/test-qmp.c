/*
 * test-qmp.c - unit tests of the QMP client (src/qmp.c)
 *
 * The reply parser runs on replies recorded from QEMU 7.2 under
 * tests/data/qmp/, and on broken ones: truncated, not JSON, not an object,
 * huge, too deeply nested, with a NUL byte.  The session layer runs against
 * small shell scripts that play a QEMU that exits, hangs, or talks garbage.
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "testutil.h"
#include "probe/qmp.h"

#define QMP_DATA DOMLINT_SRCDIR "/tests/data/qmp/"

static char *
load(const char *name, gsize *len)
{
    g_autofree char *path = g_strconcat(QMP_DATA, name, NULL);
    char *text = NULL;

    cr_assert(g_file_get_contents(path, &text, len, NULL), "cannot read %s", path);
    /* one message per line: drop the final newline as the reader does */
    while (*len > 0 && (text[*len - 1] == '\n' || text[*len - 1] == '\r'))
        text[--*len] = '\0';
    return text;
}

/* Parse recorded reply NAME; returns whether it parsed, and its error. */
static gboolean
parse_file(const char *name, dl_qmp_msg *msg, GError **error)
{
    gsize len = 0;
    g_autofree char *text = load(name, &len);

    return dl_qmp_msg_parse(text, len, msg, error);
}

static void
assert_protocol_error(const char *name, const char *needle)
{
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;

    cr_assert_not(parse_file(name, &msg, &error), "%s parsed", name);
    cr_assert_not_null(error);
    cr_assert(g_error_matches(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL), "%s: %s", name, error->message);
    test_assert_contains(error->message, needle);
    cr_assert_null(msg.value);
}

Test(qmp_parse, greeting_gives_version)
{
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;
    g_autofree char *version = NULL;

    cr_assert(parse_file("greeting.json", &msg, &error));
    cr_assert_eq(msg.kind, DL_QMP_MSG_GREETING);
    version = dl_qmp_greeting_version(&msg);
    cr_assert_str_eq(version, "7.2.22");
    dl_qmp_msg_release(&msg);
}

Test(qmp_parse, query_pci_return)
{
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;
    JsonArray *buses;
    JsonObject *bus0;

    cr_assert(parse_file("query-pci.json", &msg, &error));
    cr_assert_eq(msg.kind, DL_QMP_MSG_RETURN);
    cr_assert(JSON_NODE_HOLDS_ARRAY(msg.value));
    buses = json_node_get_array(msg.value);
    cr_assert_eq(json_array_get_length(buses), 1);
    bus0 = json_array_get_object_element(buses, 0);
    cr_assert_eq(json_array_get_length(json_object_get_array_member(bus0, "devices")), 4);
    dl_qmp_msg_release(&msg);
}

Test(qmp_parse, error_reply)
{
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;

    cr_assert(parse_file("error.json", &msg, &error));
    cr_assert_eq(msg.kind, DL_QMP_MSG_ERROR);
    cr_assert_str_eq(msg.error_class, "DeviceNotFound");
    test_assert_contains(msg.error_desc, "/machine/nothing");
    dl_qmp_msg_release(&msg);
}

Test(qmp_parse, event)
{
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;

    cr_assert(parse_file("event.json", &msg, &error));
    cr_assert_eq(msg.kind, DL_QMP_MSG_EVENT);
    cr_assert_str_eq(json_node_get_string(msg.value), "SHUTDOWN");
    dl_qmp_msg_release(&msg);
}

Test(qmp_parse, id_is_kept)
{
    const char text[] = "{\"return\": {}, \"id\": \"dl-7\"}";
    dl_qmp_msg msg;

    cr_assert(dl_qmp_msg_parse(text, strlen(text), &msg, NULL));
    cr_assert_str_eq(msg.id, "dl-7");
    dl_qmp_msg_release(&msg);
}

Test(qmp_parse, truncated_reply_is_an_error)
{
    assert_protocol_error("truncated.json", "not JSON");
}

Test(qmp_parse, stderr_text_is_not_json)
{
    assert_protocol_error("not-json.txt", "not JSON");
}

Test(qmp_parse, array_is_not_a_message)
{
    assert_protocol_error("not-object.json", "not a JSON object");
}

Test(qmp_parse, error_without_description)
{
    assert_protocol_error("error-no-desc.json", "description");
}

Test(qmp_parse, unknown_object)
{
    assert_protocol_error("unknown.json", "not a QMP message");
}

Test(qmp_parse, greeting_must_be_an_object)
{
    assert_protocol_error("greeting-not-object.json", "greeting");
}

Test(qmp_parse, duplicate_member_does_not_crash)
{
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;

    /* json-glib keeps the last duplicate; either way it must not crash or leak */
    if (parse_file("duplicate-member.json", &msg, &error))
        dl_qmp_msg_release(&msg);
    else
        cr_assert_not_null(error);
}

Test(qmp_parse, empty_and_null)
{
    dl_qmp_msg msg;
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;

    cr_assert_not(dl_qmp_msg_parse("", 0, &msg, &e1));
    cr_assert_not(dl_qmp_msg_parse(NULL, 0, &msg, &e2));
    cr_assert_not_null(e1);
    cr_assert_not_null(e2);
}

Test(qmp_parse, nul_byte_is_refused)
{
    const char text[] = "{\"return\": \"a\0b\"}";
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;

    cr_assert_not(dl_qmp_msg_parse(text, sizeof(text) - 1, &msg, &error));
    test_assert_contains(error->message, "NUL");
}

Test(qmp_parse, deep_nesting_is_refused)
{
    g_autoptr(GString) text = g_string_new("{\"return\": ");
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;

    for (int i = 0; i < 100000; i++)
        g_string_append_c(text, '[');
    for (int i = 0; i < 100000; i++)
        g_string_append_c(text, ']');
    g_string_append_c(text, '}');
    cr_assert_not(dl_qmp_msg_parse(text->str, text->len, &msg, &error));
    test_assert_contains(error->message, "deeper");
}

Test(qmp_parse, brackets_inside_strings_do_not_count)
{
    g_autoptr(GString) text = g_string_new("{\"return\": \"");
    dl_qmp_msg msg;

    for (int i = 0; i < 1000; i++)
        g_string_append(text, "[{\\\"");
    g_string_append(text, "\"}");
    cr_assert(dl_qmp_msg_parse(text->str, text->len, &msg, NULL));
    cr_assert_eq(msg.kind, DL_QMP_MSG_RETURN);
    dl_qmp_msg_release(&msg);
}

Test(qmp_parse, huge_reply_is_refused)
{
    gsize len = DL_QMP_MAX_LINE + 16;
    g_autofree char *text = g_malloc(len + 1);
    dl_qmp_msg msg;
    g_autoptr(GError) error = NULL;

    memset(text, ' ', len);
    memcpy(text, "{\"return\": \"", 12);
    text[len - 2] = '"';
    text[len - 1] = '}';
    text[len] = '\0';
    cr_assert_not(dl_qmp_msg_parse(text, len, &msg, &error));
    test_assert_contains(error->message, "longer than");
}

Test(qmp_parse, large_reply_below_the_limit_is_fine)
{
    g_autoptr(GString) text = g_string_new("{\"return\": [");
    dl_qmp_msg msg;

    for (int i = 0; i < 20000; i++)
        g_string_append_printf(text, "%s{\"name\": \"type-%d\", \"parent\": \"device\"}", i ? ", " : "", i);
    g_string_append(text, "]}");
    cr_assert(dl_qmp_msg_parse(text->str, text->len, &msg, NULL));
    cr_assert_eq(json_array_get_length(json_node_get_array(msg.value)), 20000);
    dl_qmp_msg_release(&msg);
}

/* ------------------------------------------------------------------ */
/* sessions against fake QEMUs                                        */

static dl_qmp *
start_script(const char *script, guint timeout_ms, GError **error)
{
    const char *argv[] = { "/bin/sh", "-c", script, "fake-qemu", NULL };

    return dl_qmp_start(argv, timeout_ms, error);
}

#define GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"fake\"}, \"capabilities\": []}}"

Test(qmp_session, binary_that_exits)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_qmp) qmp = start_script("echo 'fake-qemu: unsupported machine' >&2; exit 1", 5000, &error);

    cr_assert_null(qmp);
    cr_assert(g_error_matches(error, DL_QMP_ERROR, DL_QMP_ERROR_EXITED), "%s", error->message);
    test_assert_contains(error->message, "unsupported machine");
}

Test(qmp_session, binary_that_is_not_qemu)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_qmp) qmp = start_script("echo 'Usage: something else'; sleep 5", 5000, &error);

    cr_assert_null(qmp);
    cr_assert(g_error_matches(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL), "%s", error->message);
    test_assert_contains(error->message, "is not QEMU");
}

Test(qmp_session, binary_that_hangs)
{
    g_autoptr(GError) error = NULL;
    gint64 start = g_get_monotonic_time();
    g_autoptr(dl_qmp) qmp = start_script("exec sleep 30", 300, &error);
    gint64 took = g_get_monotonic_time() - start;

    cr_assert_null(qmp);
    cr_assert(g_error_matches(error, DL_QMP_ERROR, DL_QMP_ERROR_TIMEOUT), "%s", error->message);
    cr_assert_lt(took, 3 * G_USEC_PER_SEC, "the time limit was not kept");
}

Test(qmp_session, reply_cut_off_by_exit)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_qmp) qmp = start_script("echo '" GREETING "'; read l; echo '{\"return\": {}}';"
                                         " read l; printf '{\"return\": [1, 2'; exit 0", 5000, &error);
    g_autoptr(JsonNode) ret = NULL;

    cr_assert_not_null(qmp, "%s", error ? error->message : "");
    cr_assert_str_eq(dl_qmp_version(qmp), "7.2.0");
    cr_assert_str_eq(dl_qmp_package(qmp), "fake");
    ret = dl_qmp_execute(qmp, "query-pci", NULL, &error);
    cr_assert_null(ret);
    cr_assert(g_error_matches(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL), "%s", error->message);
    test_assert_contains(error->message, "middle of a reply");
}

Test(qmp_session, events_are_skipped_and_errors_reported)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) cmd_error = NULL;
    g_autoptr(dl_qmp) qmp = start_script(
        "echo '" GREETING "'; read l; echo '{\"return\": {}}'; read l;"
        " echo '{\"event\": \"RESUME\"}'; echo '{\"return\": {\"arch\": \"x86_64\"}}'; read l;"
        " echo '{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command x has not been found\"}}';"
        " sleep 5", 5000, &error);
    g_autoptr(JsonNode) ret = NULL;
    g_autoptr(JsonNode) none = NULL;

    cr_assert_not_null(qmp, "%s", error ? error->message : "");
    ret = dl_qmp_execute(qmp, "query-target", NULL, &error);
    cr_assert_not_null(ret, "%s", error ? error->message : "");
    cr_assert_str_eq(json_object_get_string_member(json_node_get_object(ret), "arch"), "x86_64");
    none = dl_qmp_execute(qmp, "x", NULL, &cmd_error);
    cr_assert_null(none);
    cr_assert(g_error_matches(cmd_error, DL_QMP_ERROR, DL_QMP_ERROR_COMMAND));
    test_assert_contains(cmd_error->message, "has not been found");
}

Test(qmp_session, endless_line_is_cut)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_qmp) qmp = start_script("exec yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | tr -d '\\n'", 20000, &error);

    cr_assert_null(qmp);
    cr_assert(g_error_matches(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL), "%s", error->message);
}

Test(qmp_session, child_is_reaped)
{
    g_autoptr(GError) error = NULL;
    dl_qmp *qmp = start_script("echo '" GREETING "'; read l; echo '{\"return\": {}}'; exec sleep 60",
                               5000, &error);
    int status;

    cr_assert_not_null(qmp, "%s", error ? error->message : "");
    dl_qmp_free(qmp);
    /* no child is left for this process, dead or alive */
    cr_assert_eq(waitpid(-1, &status, WNOHANG), -1);
}

Test(qmp_session, missing_binary)
{
    const char *argv[] = { "/nonexistent/qemu-system-x86_64", NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(dl_qmp) qmp = dl_qmp_start(argv, 1000, &error);

    cr_assert_null(qmp);
    cr_assert(g_error_matches(error, DL_QMP_ERROR, DL_QMP_ERROR_SPAWN));
}
