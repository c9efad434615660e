/*
 * connect.c - the libvirt connection behind --connect=URI
 *
 * Opens the connection once per context and caches every answer of
 * virConnectGetDomainCapabilities() by its four arguments, parsed with
 * libxml2.  libvirt prints its errors to stderr unless told otherwise; the
 * library never prints, so its error function is replaced by one that does
 * nothing and the last error's message goes into the GError or the refusal.
 *
 * libvirt's client library is loaded (GModule) when the first connection is
 * opened, not linked: its relocations, and those of the libraries it pulls
 * in, cost every run of domlint more than checking a file does, and only
 * --connect needs it.  The headers still give every function its type.
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <gmodule.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>

#include "probe/connect.h"
#include "core/xml.h"

/* The functions of libvirt.so.0 used here. */
static struct {
    __typeof__(virConnectOpen) *connect_open;
    __typeof__(virConnectOpenReadOnly) *connect_open_read_only;
    __typeof__(virConnectClose) *connect_close;
    __typeof__(virConnectGetDomainCapabilities) *get_domain_capabilities;
    __typeof__(virEventRegisterDefaultImpl) *event_register_default_impl;
    __typeof__(virGetLastErrorCode) *get_last_error_code;
    __typeof__(virGetLastErrorMessage) *get_last_error_message;
    __typeof__(virSetErrorFunc) *set_error_func;
    __typeof__(virNetworkLookupByName) *network_lookup_by_name;
    __typeof__(virNetworkFree) *network_free;
} lv;

static const struct {
    const char *name;
    gpointer *slot;
} lv_symbols[] = {
    { "virConnectOpen", (gpointer *) &lv.connect_open },
    { "virConnectOpenReadOnly", (gpointer *) &lv.connect_open_read_only },
    { "virConnectClose", (gpointer *) &lv.connect_close },
    { "virConnectGetDomainCapabilities", (gpointer *) &lv.get_domain_capabilities },
    { "virEventRegisterDefaultImpl", (gpointer *) &lv.event_register_default_impl },
    { "virGetLastErrorCode", (gpointer *) &lv.get_last_error_code },
    { "virGetLastErrorMessage", (gpointer *) &lv.get_last_error_message },
    { "virSetErrorFunc", (gpointer *) &lv.set_error_func },
    { "virNetworkLookupByName", (gpointer *) &lv.network_lookup_by_name },
    { "virNetworkFree", (gpointer *) &lv.network_free },
};

/* Why libvirt could not be loaded, or NULL once it is (static, set once). */
static const char *
load_libvirt(void)
{
    static gsize done;
    static char *why;

    if (g_once_init_enter(&done)) {
        /* never unloaded: libvirt keeps threads and handlers of its own */
        GModule *module = g_module_open("libvirt.so.0", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

        if (!module)
            why = g_strdup_printf("libvirt's client library cannot be loaded: %s", g_module_error());
        for (gsize i = 0; module && !why && i < G_N_ELEMENTS(lv_symbols); i++) {
            if (!g_module_symbol(module, lv_symbols[i].name, lv_symbols[i].slot))
                why = g_strdup_printf("libvirt's client library lacks %s", lv_symbols[i].name);
        }
        if (module)
            g_module_make_resident(module);
        g_once_init_leave(&done, 1);
    }
    return why;
}

struct dl_connection {
    char *uri;
    virConnectPtr conn;
    GHashTable *caps;        /* key (see caps_key) -> dl_domcaps*, owned */
    GMutex lock;             /* caps: the threads of -j share one connection */
};

static void
quiet_error(void *data, virErrorPtr err)
{
    (void) data;
    (void) err;
}

/* libvirt's last error on this thread as one line (caller frees). */
static char *
last_error_line(void)
{
    char *msg = g_strdup(lv.get_last_error_message());

    g_strdelimit(msg, "\r\n", ' ');
    return g_strstrip(msg);
}

static void
domcaps_free(gpointer data)
{
    dl_domcaps *caps = data;

    if (!caps)
        return;
    xmlFreeDoc(caps->doc);
    g_free(caps->refusal);
    g_free(caps);
}

/*
 * libvirt's embedded drivers (qemu:///embed?root=DIR) refuse to open without
 * an event loop implementation.  Nothing here waits for events, so the
 * default one is registered and never run.  Only for those URIs: a program
 * using libdomlint with a remote connection may have registered its own.
 */
static void
need_event_loop(const char *uri)
{
    static gsize done;

    if (!strstr(uri, ":///embed"))
        return;
    if (g_once_init_enter(&done)) {
        lv.event_register_default_impl();
        g_once_init_leave(&done, 1);
    }
}

/*
 * libvirt 9.0 refuses domain capabilities on a read-only connection, so a
 * read-write connection comes first and read-only (what an unprivileged
 * user may get from polkit) is the fallback.  One question at open time
 * tells whether this connection may ask at all, so that "not allowed"
 * is one error at the start, not a finding in every file.
 */
static virConnectPtr
open_conn(const char *uri, GError **error)
{
    virConnectPtr conn = lv.connect_open(uri);
    g_autofree char *why = NULL;

    if (conn)
        return conn;
    why = last_error_line();
    conn = lv.connect_open_read_only(uri);
    if (!conn)
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot connect to libvirt at '%s': %s",
                    uri, why);
    return conn;
}

static gboolean
may_ask(virConnectPtr conn, const char *uri, GError **error)
{
    char *xml = lv.get_domain_capabilities(conn, NULL, NULL, NULL, NULL, 0);
    g_autofree char *why = NULL;

    if (xml) {
        free(xml);
        return TRUE;
    }
    /* no default emulator on this host is no reason to stop: the domains name theirs */
    if (lv.get_last_error_code() != VIR_ERR_OPERATION_DENIED)
        return TRUE;
    why = last_error_line();
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                "cannot ask libvirt at '%s' for domain capabilities: %s", uri, why);
    return FALSE;
}

dl_connection *
dl_connection_open(const char *uri, GError **error)
{
    dl_connection *c;
    virConnectPtr conn;

    const char *why = load_libvirt();

    if (why) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "cannot connect to libvirt at '%s': %s",
                    uri, why);
        return NULL;
    }
    lv.set_error_func(NULL, quiet_error);
    need_event_loop(uri);
    conn = open_conn(uri, error);
    if (!conn)
        return NULL;
    if (!may_ask(conn, uri, error)) {
        lv.connect_close(conn);
        return NULL;
    }
    c = g_new0(dl_connection, 1);
    c->uri = g_strdup(uri);
    c->conn = conn;
    c->caps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, domcaps_free);
    g_mutex_init(&c->lock);
    return c;
}

void
dl_connection_free(dl_connection *conn)
{
    if (!conn)
        return;
    g_hash_table_unref(conn->caps);
    g_mutex_clear(&conn->lock);
    lv.connect_close(conn->conn);
    g_free(conn->uri);
    g_free(conn);
}

const char *
dl_connection_uri(const dl_connection *conn)
{
    return conn->uri;
}

/* NULL ("libvirt's default") and "" must give different keys. */
static void
key_add(GString *key, const char *part)
{
    if (part)
        g_string_append_printf(key, "+%s", part);
    else
        g_string_append(key, "-");
    g_string_append_c(key, '\n');
}

static char *
caps_key(const char *emulator, const char *arch, const char *machine, const char *virttype)
{
    GString *key = g_string_new(NULL);

    key_add(key, emulator);
    key_add(key, arch);
    key_add(key, machine);
    key_add(key, virttype);
    return g_string_free(key, FALSE);
}

static dl_domcaps *
domcaps_fetch(dl_connection *conn, const char *emulator, const char *arch, const char *machine,
              const char *virttype)
{
    dl_domcaps *caps = g_new0(dl_domcaps, 1);
    char *xml = lv.get_domain_capabilities(conn->conn, emulator, arch, machine, virttype, 0);

    if (!xml) {
        caps->refusal = last_error_line();
        return caps;
    }
    caps->doc = xmlReadMemory(xml, (int) strlen(xml), "domcapabilities.xml", NULL,
                              dl_xml_parse_options(DL_XML_DATA_TREE));
    free(xml);
    if (!caps->doc)
        caps->refusal = g_strdup("libvirt's domain capabilities are not well-formed XML");
    return caps;
}

/* Asked once per key; the answer lives as long as CONN, so it can be read
 * without the lock once it is in the table. */
const dl_domcaps *
dl_connection_domcaps(dl_connection *conn, const char *emulator, const char *arch,
                      const char *machine, const char *virttype)
{
    char *key = caps_key(emulator, arch, machine, virttype);
    dl_domcaps *caps;

    g_mutex_lock(&conn->lock);
    caps = g_hash_table_lookup(conn->caps, key);
    if (caps) {
        g_free(key);
    } else {
        caps = domcaps_fetch(conn, emulator, arch, machine, virttype);
        g_hash_table_insert(conn->caps, key, caps);
    }
    g_mutex_unlock(&conn->lock);
    return caps;
}


int
dl_connection_has_network(dl_connection *conn, const char *name)
{
    virNetworkPtr net;
    int found;

    g_mutex_lock(&conn->lock);
    net = lv.network_lookup_by_name(conn->conn, name);
    if (net) {
        lv.network_free(net);
        found = 1;
    } else {
        found = lv.get_last_error_code() == VIR_ERR_NO_NETWORK ? 0 : -1;
    }
    g_mutex_unlock(&conn->lock);
    return found;
}
