/*
 * qmp.c - a small QMP client over a child QEMU's standard input and output
 *
 * One socket pair carries both directions (the child's stdin and stdout are
 * the same socket), so writes use send(MSG_NOSIGNAL) and a child that dies
 * under us is an error, not a SIGPIPE.  Reading is a poll() loop against one
 * deadline per session; lines are bounded by DL_QMP_MAX_LINE.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "probe/qmp.h"

#define STDERR_KEEP 4096
#define READ_CHUNK 65536

G_DEFINE_QUARK(dl-qmp-error-quark, dl_qmp_error)

struct dl_qmp {
    char *program;           /* argv[0], for messages */
    GPid pid;                /* 0 once reaped */
    int sock;                /* our end: write commands, read replies */
    int err_fd;              /* child's stderr, -1 once closed */
    GByteArray *in;          /* unread reply bytes */
    GString *err;            /* first STDERR_KEEP bytes of stderr */
    gboolean eof;            /* the child closed its output */
    gint64 deadline;         /* monotonic microseconds */
    guint64 next_id;
    char *version;
    char *package;
};

/* ------------------------------------------------------------------ */
/* parsing one message                                                */

void
dl_qmp_msg_release(dl_qmp_msg *msg)
{
    if (!msg)
        return;
    if (msg->value)
        json_node_unref(msg->value);
    g_free(msg->id);
    g_free(msg->error_class);
    g_free(msg->error_desc);
    memset(msg, 0, sizeof(*msg));
}

/* Deepest nesting of arrays and objects, counting outside strings only; a
 * recursive-descent parser must never see more than DL_QMP_MAX_DEPTH. */
static guint
json_depth(const char *text, gsize len)
{
    guint depth = 0;
    guint deepest = 0;
    gboolean in_string = FALSE;

    for (gsize i = 0; i < len; i++) {
        char c = text[i];

        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = FALSE;
            continue;
        }
        if (c == '"') {
            in_string = TRUE;
        } else if (c == '{' || c == '[') {
            depth++;
            if (depth > deepest)
                deepest = depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return deepest;
}

static gboolean
protocol_error(GError **error, const char *what)
{
    g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL, "%s", what);
    return FALSE;
}

static JsonNode *
parse_json(const char *text, gsize len, GError **error)
{
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(GError) local = NULL;
    JsonNode *root;

    if (len > DL_QMP_MAX_LINE) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                    "reply longer than %u bytes", DL_QMP_MAX_LINE);
        return NULL;
    }
    if (memchr(text, '\0', len)) {
        protocol_error(error, "reply contains a NUL byte");
        return NULL;
    }
    if (json_depth(text, len) > DL_QMP_MAX_DEPTH) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                    "reply nests deeper than %d levels", DL_QMP_MAX_DEPTH);
        return NULL;
    }
    parser = json_parser_new_immutable();
    if (!json_parser_load_from_data(parser, text, (gssize) len, &local)) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL, "reply is not JSON: %s",
                    local->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        protocol_error(error, "reply is not a JSON object");
        return NULL;
    }
    return json_node_ref(root);
}

static const char *
member_string(JsonObject *obj, const char *name)
{
    JsonNode *node = json_object_get_member(obj, name);

    if (!node || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
        return NULL;
    return json_node_get_string(node);
}

static gboolean
parse_error_member(JsonObject *obj, dl_qmp_msg *msg, GError **error)
{
    JsonNode *node = json_object_get_member(obj, "error");
    JsonObject *err;
    const char *desc;

    if (!JSON_NODE_HOLDS_OBJECT(node))
        return protocol_error(error, "QMP error reply without an error object");
    err = json_node_get_object(node);
    desc = member_string(err, "desc");
    if (!desc)
        return protocol_error(error, "QMP error reply without a description");
    msg->kind = DL_QMP_MSG_ERROR;
    msg->error_desc = g_strdup(desc);
    msg->error_class = g_strdup(member_string(err, "class"));
    return TRUE;
}

static gboolean
classify_message(JsonObject *obj, dl_qmp_msg *msg, GError **error)
{
    JsonNode *node;

    node = json_object_get_member(obj, "QMP");
    if (node) {
        if (!JSON_NODE_HOLDS_OBJECT(node))
            return protocol_error(error, "QMP greeting is not an object");
        msg->kind = DL_QMP_MSG_GREETING;
        msg->value = json_node_copy(node);
        return TRUE;
    }
    node = json_object_get_member(obj, "return");
    if (node) {
        msg->kind = DL_QMP_MSG_RETURN;
        msg->value = json_node_copy(node);
        return TRUE;
    }
    if (json_object_has_member(obj, "error"))
        return parse_error_member(obj, msg, error);
    if (member_string(obj, "event")) {
        msg->kind = DL_QMP_MSG_EVENT;
        msg->value = json_node_copy(json_object_get_member(obj, "event"));
        return TRUE;
    }
    return protocol_error(error, "reply is not a QMP message (no QMP, return, error or event)");
}

gboolean
dl_qmp_msg_parse(const char *text, gsize len, dl_qmp_msg *msg, GError **error)
{
    g_autoptr(JsonNode) root = NULL;
    JsonObject *obj;

    memset(msg, 0, sizeof(*msg));
    if (!text)
        return protocol_error(error, "empty reply");
    root = parse_json(text, len, error);
    if (!root)
        return FALSE;
    obj = json_node_get_object(root);
    if (!classify_message(obj, msg, error)) {
        dl_qmp_msg_release(msg);
        return FALSE;
    }
    msg->id = g_strdup(member_string(obj, "id"));
    return TRUE;
}

static gint64
member_int(JsonObject *obj, const char *name)
{
    JsonNode *node = obj ? json_object_get_member(obj, name) : NULL;

    if (!node || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64)
        return -1;
    return json_node_get_int(node);
}

static JsonObject *
member_object(JsonObject *obj, const char *name)
{
    JsonNode *node = obj ? json_object_get_member(obj, name) : NULL;

    return node && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

char *
dl_qmp_greeting_version(const dl_qmp_msg *greeting)
{
    JsonObject *qmp;
    JsonObject *qemu;
    gint64 major, minor, micro;

    if (!greeting || greeting->kind != DL_QMP_MSG_GREETING || !greeting->value)
        return NULL;
    qmp = json_node_get_object(greeting->value);
    qemu = member_object(member_object(qmp, "version"), "qemu");
    major = member_int(qemu, "major");
    minor = member_int(qemu, "minor");
    micro = member_int(qemu, "micro");
    if (major < 0 || minor < 0 || micro < 0)
        return NULL;
    return g_strdup_printf("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                           major, minor, micro);
}

/* ------------------------------------------------------------------ */
/* the child and its sockets                                          */

/* Runs in the child between fork and exec: die with the parent. */
static void
child_setup(gpointer data)
{
    (void) data;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* The first line of stderr that is not a warning (QEMU warns before it fails). */
static char *
stderr_first_line(dl_qmp *qmp)
{
    g_auto(GStrv) lines = g_strsplit(dl_qmp_stderr(qmp), "\n", -1);

    for (gsize i = 0; lines[i]; i++) {
        if (*lines[i] && !strstr(lines[i], ": warning: "))
            return g_strdup(lines[i]);
    }
    return g_strdup(lines[0] ? lines[0] : "");
}

static gint
remaining_ms(const dl_qmp *qmp)
{
    gint64 left = qmp->deadline - g_get_monotonic_time();

    if (left <= 0)
        return 0;
    return (gint) MIN(left / 1000 + 1, G_MAXINT);
}

static gboolean
timeout_error(dl_qmp *qmp, GError **error)
{
    g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_TIMEOUT,
                "'%s' did not answer in time (hangs, or is not QEMU)", qmp->program);
    return FALSE;
}

/* Keep the first STDERR_KEEP bytes; drain the rest so the child never blocks. */
static void
read_stderr(dl_qmp *qmp)
{
    char buf[4096];
    ssize_t n = read(qmp->err_fd, buf, sizeof(buf));

    if (n > 0) {
        gsize room = STDERR_KEEP - MIN(qmp->err->len, STDERR_KEEP);
        g_string_append_len(qmp->err, buf, MIN((gsize) n, room));
        return;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close(qmp->err_fd);
        qmp->err_fd = -1;
    }
}

static void
read_stdout(dl_qmp *qmp)
{
    guint8 buf[READ_CHUNK];
    ssize_t n = recv(qmp->sock, buf, sizeof(buf), 0);

    if (n > 0)
        g_byte_array_append(qmp->in, buf, (guint) n);
    else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        qmp->eof = TRUE;
}

/* Wait for more output (or stderr) until the deadline. */
static gboolean
wait_readable(dl_qmp *qmp, GError **error)
{
    struct pollfd fds[2] = {
        { .fd = qmp->sock, .events = POLLIN },
        { .fd = qmp->err_fd, .events = POLLIN },
    };
    int timeout = remaining_ms(qmp);
    int rc;

    if (timeout == 0)
        return timeout_error(qmp, error);
    rc = poll(fds, qmp->err_fd >= 0 ? 2 : 1, timeout);
    if (rc < 0 && errno == EINTR)
        return TRUE;
    if (rc < 0) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL, "poll: %s", g_strerror(errno));
        return FALSE;
    }
    if (rc == 0)
        return timeout_error(qmp, error);
    if (qmp->err_fd >= 0 && fds[1].revents)
        read_stderr(qmp);
    if (fds[0].revents)
        read_stdout(qmp);
    return TRUE;
}

static gboolean
exited_error(dl_qmp *qmp, GError **error)
{
    g_autofree char *why = NULL;

    /* stderr usually says why (bad -machine, not a QEMU option...) */
    for (int i = 0; i < 20 && qmp->err_fd >= 0; i++) {
        struct pollfd pfd = { .fd = qmp->err_fd, .events = POLLIN };
        if (poll(&pfd, 1, 50) <= 0)
            break;
        read_stderr(qmp);
    }
    why = stderr_first_line(qmp);
    if (qmp->in->len > 0) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                    "'%s' exited in the middle of a reply (%u bytes without end of line)%s%s",
                    qmp->program, qmp->in->len, *why ? ": " : "", why);
        return FALSE;
    }
    if (*why)
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_EXITED, "'%s' exited: %s",
                    qmp->program, why);
    else
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_EXITED, "'%s' exited", qmp->program);
    return FALSE;
}

/* The next line of output, without its line end (caller frees). */
static char *
read_line(dl_qmp *qmp, gsize *len, GError **error)
{
    for (;;) {
        guint8 *nl = qmp->in->len ? memchr(qmp->in->data, '\n', qmp->in->len) : NULL;

        if (nl) {
            gsize n = (gsize) (nl - qmp->in->data);
            char *line = g_strndup((const char *) qmp->in->data, n);

            g_byte_array_remove_range(qmp->in, 0, (guint) n + 1);
            if (n > 0 && line[n - 1] == '\r')
                line[--n] = '\0';
            *len = n;
            return line;
        }
        if (qmp->in->len > DL_QMP_MAX_LINE) {
            g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                        "'%s' sent a reply longer than %u bytes", qmp->program, DL_QMP_MAX_LINE);
            return NULL;
        }
        if (qmp->eof) {
            exited_error(qmp, error);
            return NULL;
        }
        if (!wait_readable(qmp, error))
            return NULL;
    }
}

static gboolean
read_message(dl_qmp *qmp, dl_qmp_msg *msg, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autofree char *line = NULL;
    gsize len = 0;

    line = read_line(qmp, &len, error);
    if (!line)
        return FALSE;
    if (dl_qmp_msg_parse(line, len, msg, &local))
        return TRUE;
    g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL, "'%s' does not speak QMP: %s",
                qmp->program, local->message);
    return FALSE;
}

static gboolean
write_all(dl_qmp *qmp, const char *data, gsize len, GError **error)
{
    while (len > 0) {
        struct pollfd pfd = { .fd = qmp->sock, .events = POLLOUT };
        ssize_t n;
        int timeout = remaining_ms(qmp);

        if (timeout == 0 || poll(&pfd, 1, timeout) == 0)
            return timeout_error(qmp, error);
        n = send(qmp->sock, data, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0)
            return exited_error(qmp, error);
        data += n;
        len -= (gsize) n;
    }
    return TRUE;
}

static char *
build_command(const char *command, JsonNode *args, const char *id)
{
    g_autoptr(JsonBuilder) builder = json_builder_new_immutable();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "execute");
    json_builder_add_string_value(builder, command);
    if (args) {
        json_builder_set_member_name(builder, "arguments");
        json_builder_add_value(builder, json_node_copy(args));
    }
    json_builder_set_member_name(builder, "id");
    json_builder_add_string_value(builder, id);
    json_builder_end_object(builder);
    root = json_builder_get_root(builder);
    json_generator_set_root(gen, root);
    return json_generator_to_data(gen, NULL);
}

static JsonNode *
reply_value(dl_qmp *qmp, dl_qmp_msg *msg, const char *command, GError **error)
{
    switch (msg->kind) {
    case DL_QMP_MSG_RETURN:
        return g_steal_pointer(&msg->value);
    case DL_QMP_MSG_ERROR:
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_COMMAND, "%s: %s", command, msg->error_desc);
        return NULL;
    case DL_QMP_MSG_GREETING:
    case DL_QMP_MSG_EVENT:
    case DL_QMP_MSG_LAST:
        break;
    }
    g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                "'%s' answered %s with an unexpected message", qmp->program, command);
    return NULL;
}

JsonNode *
dl_qmp_execute(dl_qmp *qmp, const char *command, JsonNode *args, GError **error)
{
    g_autofree char *id = g_strdup_printf("dl-%" G_GUINT64_FORMAT, ++qmp->next_id);
    g_autofree char *text = build_command(command, args, id);

    if (!write_all(qmp, text, strlen(text), error) || !write_all(qmp, "\n", 1, error))
        return NULL;
    for (;;) {
        dl_qmp_msg msg;
        JsonNode *value;

        if (!read_message(qmp, &msg, error))
            return NULL;
        if (msg.kind == DL_QMP_MSG_EVENT) {
            dl_qmp_msg_release(&msg);
            continue;
        }
        if (msg.id && strcmp(msg.id, id) != 0) {
            dl_qmp_msg_release(&msg);
            g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                        "'%s' answered %s with the reply to another command", qmp->program, command);
            return NULL;
        }
        value = reply_value(qmp, &msg, command, error);
        dl_qmp_msg_release(&msg);
        return value;
    }
}

static gboolean
read_greeting(dl_qmp *qmp, GError **error)
{
    g_autoptr(GError) local = NULL;
    dl_qmp_msg msg;
    JsonObject *version;

    if (!read_message(qmp, &msg, &local)) {
        if (local->code == DL_QMP_ERROR_PROTOCOL)
            g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                        "'%s' is not QEMU: no QMP greeting on its output", qmp->program);
        else
            g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    if (msg.kind != DL_QMP_MSG_GREETING) {
        dl_qmp_msg_release(&msg);
        return protocol_error(error, "the first QMP message is not a greeting");
    }
    qmp->version = dl_qmp_greeting_version(&msg);
    version = member_object(json_node_get_object(msg.value), "version");
    qmp->package = g_strdup(version ? member_string(version, "package") : NULL);
    dl_qmp_msg_release(&msg);
    return TRUE;
}

static gboolean
spawn_child(dl_qmp *qmp, const char *const *argv, GError **error)
{
    int sv[2];
    gboolean ok;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_SPAWN, "socketpair: %s", g_strerror(errno));
        return FALSE;
    }
    ok = g_spawn_async_with_pipes_and_fds(NULL, argv, NULL,
                                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
                                          G_SPAWN_CLOEXEC_PIPES,
                                          child_setup, NULL, sv[1], sv[1], -1, NULL, NULL, 0,
                                          &qmp->pid, NULL, NULL, &qmp->err_fd, error);
    close(sv[1]);
    if (!ok) {
        close(sv[0]);
        qmp->pid = 0;
        qmp->err_fd = -1;
        return FALSE;
    }
    qmp->sock = sv[0];
    g_unix_set_fd_nonblocking(qmp->sock, TRUE, NULL);
    g_unix_set_fd_nonblocking(qmp->err_fd, TRUE, NULL);
    return TRUE;
}

dl_qmp *
dl_qmp_start(const char *const *argv, guint timeout_ms, GError **error)
{
    g_autoptr(dl_qmp) qmp = g_new0(dl_qmp, 1);
    g_autoptr(JsonNode) caps = NULL;
    g_autoptr(GError) local = NULL;

    g_return_val_if_fail(argv && argv[0], NULL);
    qmp->program = g_strdup(argv[0]);
    qmp->sock = -1;
    qmp->err_fd = -1;
    qmp->in = g_byte_array_new();
    qmp->err = g_string_new(NULL);
    qmp->deadline = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
    if (!spawn_child(qmp, argv, &local)) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_SPAWN, "cannot run '%s': %s",
                    argv[0], local->message);
        return NULL;
    }
    if (!read_greeting(qmp, error))
        return NULL;
    caps = dl_qmp_execute(qmp, "qmp_capabilities", NULL, error);
    if (!caps)
        return NULL;
    return g_steal_pointer(&qmp);
}

const char *
dl_qmp_version(const dl_qmp *qmp)
{
    return qmp ? qmp->version : NULL;
}

const char *
dl_qmp_package(const dl_qmp *qmp)
{
    return qmp ? qmp->package : NULL;
}

const char *
dl_qmp_stderr(dl_qmp *qmp)
{
    while (qmp->err_fd >= 0) {
        struct pollfd pfd = { .fd = qmp->err_fd, .events = POLLIN };
        if (poll(&pfd, 1, 0) <= 0)
            break;
        read_stderr(qmp);
    }
    return qmp->err->str;
}

static void
reap(GPid pid)
{
    int status;

    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
}

void
dl_qmp_free(dl_qmp *qmp)
{
    if (!qmp)
        return;
    if (qmp->pid > 0)
        reap(qmp->pid);
    if (qmp->sock >= 0)
        close(qmp->sock);
    if (qmp->err_fd >= 0)
        close(qmp->err_fd);
    if (qmp->in)
        g_byte_array_unref(qmp->in);
    if (qmp->err)
        g_string_free(qmp->err, TRUE);
    g_free(qmp->program);
    g_free(qmp->version);
    g_free(qmp->package);
    g_free(qmp);
}
