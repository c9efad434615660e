/*
 * qmp.h - a small QMP client over a child QEMU's standard input and output
 *
 * domlint starts QEMU with "-qmp stdio" and talks to it over one socket pair
 * (no listening socket, no file in the file system).  Every read is bounded
 * in length and in time; a reply that is truncated, too long, too deeply
 * nested or not JSON is an error, never a crash.  The child is killed and
 * reaped by dl_qmp_free(), and dies with domlint (PR_SET_PDEATHSIG).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

/* Longest reply line accepted (qom-list-types of a full binary is ~150 KiB). */
#define DL_QMP_MAX_LINE (8u * 1024u * 1024u)
/* Deepest JSON nesting accepted; real replies nest four or five levels. */
#define DL_QMP_MAX_DEPTH 64

#define DL_QMP_ERROR (dl_qmp_error_quark())
GQuark dl_qmp_error_quark(void);

typedef enum {
    DL_QMP_ERROR_SPAWN,      /* the binary cannot be started */
    DL_QMP_ERROR_TIMEOUT,    /* no complete reply within the time limit */
    DL_QMP_ERROR_EXITED,     /* the child closed its output (exited) */
    DL_QMP_ERROR_PROTOCOL,   /* the child does not speak QMP: garbage, truncated, too long */
    DL_QMP_ERROR_COMMAND,    /* QEMU answered a command with an error */
    DL_QMP_ERROR_LAST
} dl_qmp_error;

typedef enum {
    DL_QMP_MSG_GREETING,     /* {"QMP": {...}} */
    DL_QMP_MSG_RETURN,       /* {"return": ...} */
    DL_QMP_MSG_ERROR,        /* {"error": {"class", "desc"}} */
    DL_QMP_MSG_EVENT,        /* {"event": ...} */
    DL_QMP_MSG_LAST
} dl_qmp_msg_kind;

/* One parsed QMP message.  Release with dl_qmp_msg_release(). */
typedef struct {
    dl_qmp_msg_kind kind;
    JsonNode *value;         /* RETURN: the returned value; GREETING: the "QMP" object;
                              * EVENT: the event name as a string node; ERROR: NULL */
    char *id;                /* the "id" member when it is a string, else NULL */
    char *error_class;       /* ERROR only */
    char *error_desc;        /* ERROR only */
} dl_qmp_msg;

/*
 * Parse one QMP message of LEN bytes (one line, without the newline).
 * FALSE with a DL_QMP_ERROR_PROTOCOL error for anything that is not one of
 * the four message shapes: invalid or truncated JSON, too long, too deep,
 * not an object, an error without "desc"...  MSG is left empty then.
 */
gboolean dl_qmp_msg_parse(const char *text, gsize len, dl_qmp_msg *msg, GError **error);
void dl_qmp_msg_release(dl_qmp_msg *msg);

/* The "qemu" version of a greeting as "MAJOR.MINOR.MICRO" (caller frees), or NULL. */
char *dl_qmp_greeting_version(const dl_qmp_msg *greeting);

typedef struct dl_qmp dl_qmp;

/*
 * Start ARGV (argv[0] is searched in PATH when it has no slash) with its
 * standard input and output on a socket, read the greeting and negotiate
 * capabilities.  TIMEOUT_MS bounds the whole session: every later command
 * fails with DL_QMP_ERROR_TIMEOUT once it is spent.  Caller frees with
 * dl_qmp_free(), which kills and reaps the child.
 */
dl_qmp *dl_qmp_start(const char *const *argv, guint timeout_ms, GError **error);

/*
 * Run COMMAND with ARGS (a JSON object node, borrowed, or NULL) and return
 * its "return" value (caller frees with json_node_unref).  Events arriving
 * meanwhile are skipped.  A QMP error reply gives DL_QMP_ERROR_COMMAND with
 * QEMU's description.
 */
JsonNode *dl_qmp_execute(dl_qmp *qmp, const char *command, JsonNode *args, GError **error);

/* QEMU's version "7.2.22" and package string from the greeting (borrowed). */
const char *dl_qmp_version(const dl_qmp *qmp);
const char *dl_qmp_package(const dl_qmp *qmp);

/* What the child wrote on standard error so far (at most 4 KiB, borrowed). */
const char *dl_qmp_stderr(dl_qmp *qmp);

/* Kill (SIGKILL) and reap the child, close the sockets; accepts NULL. */
void dl_qmp_free(dl_qmp *qmp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_qmp, dl_qmp_free)
