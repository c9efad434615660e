/*
 * connect.h - asking a running libvirt what it can run (--connect=URI)
 *
 * One connection per domlint_ctx, opened when the context is made.  The
 * domain capabilities libvirt reports for (emulator, arch, machine, domain
 * type) are fetched once per distinct combination and kept, parsed, for the
 * life of the connection: a directory of guests for one host costs one
 * libvirt call per kind of guest, not one per file.
 *
 * Built without libvirt (connect-none.c), opening always fails with an
 * error that says so; nothing else is reachable then.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

typedef struct dl_connection dl_connection;

/*
 * Open URI, read-only when libvirt allows it (a read-only connection may
 * ask for domain capabilities), else read-write.  Returns NULL and sets
 * ERROR, one line naming URI, when libvirt cannot be reached.  libvirt's
 * own error printing is turned off for the whole process.
 */
dl_connection *dl_connection_open(const char *uri, GError **error);
void dl_connection_free(dl_connection *conn);

/* The URI as the user gave it (borrowed, lives as long as CONN). */
const char *dl_connection_uri(const dl_connection *conn);

/* What libvirt answered for one (emulator, arch, machine, domain type). */
typedef struct {
    xmlDoc *doc;             /* <domainCapabilities>, or NULL when refused */
    char *refusal;           /* libvirt's one-line message when refused, else NULL */
} dl_domcaps;

/*
 * The domain capabilities for EMULATOR, ARCH, MACHINE and VIRTTYPE, each
 * NULL for libvirt's default.  Never NULL: a refusal is an answer too.
 * Borrowed, lives as long as CONN.  Not thread-safe: one connection per
 * context, one context per thread.
 */
/*
 * Whether the libvirt at CONN has a network NAME (defined, running or
 * not): 1, 0, or -1 when it cannot tell (the network driver did not answer).
 */
int dl_connection_has_network(dl_connection *conn, const char *name);

const dl_domcaps *dl_connection_domcaps(dl_connection *conn, const char *emulator,
                                        const char *arch, const char *machine,
                                        const char *virttype);

