/*
 * connect-none.c - --connect in a domlint built without libvirt
 *
 * The host-capabilities rule and the option exist in every build, so that
 * rule lists, documentation and scripts do not depend on how domlint was
 * built; without libvirt, asking for a connection is a clear error.
 */
#include "config.h"

#include <gio/gio.h>

#include "probe/connect.h"

dl_connection *
dl_connection_open(const char *uri, GError **error)
{
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                "cannot connect to '%s': domlint was built without libvirt (--connect needs libvirt's client library at build time)",
                uri);
    return NULL;
}

void
dl_connection_free(dl_connection *conn)
{
    (void) conn;
}

const char *
dl_connection_uri(const dl_connection *conn)
{
    (void) conn;
    return NULL;
}

const dl_domcaps *
dl_connection_domcaps(dl_connection *conn, const char *emulator, const char *arch,
                      const char *machine, const char *virttype)
{
    (void) conn;
    (void) emulator;
    (void) arch;
    (void) machine;
    (void) virttype;
    return NULL;
}


int
dl_connection_has_network(dl_connection *conn, const char *name)
{
    (void) conn;
    (void) name;
    return -1;
}
