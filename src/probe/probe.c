/*
 * probe.c - machine-type knowledge from a real QEMU binary
 *
 * One QEMU start with "-machine none" answers what the binary has
 * (query-target, query-machines, qom-list-types); then every machine type
 * is started paused with -nodefaults and read over QMP: a walk of the QOM
 * tree below /machine for the device and bus types (which bus is libvirt's
 * root, pci.0 or pcie.0, its host bridge and the PCI functions on it, the
 * floppy and IDE buses, the ISA devices).  Machines are probed by a small
 * thread pool, one QEMU per job.  Writing knowledge files, comparing them
 * with the knowledge base follow, then the per-binary cache.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "core/load.h"
#include <libxml/xmlsave.h>

#include "core/datafile.h"
#include "domlint.h"
#include "probe/probe.h"
#include "probe/qmp.h"


#define DEFAULT_TIMEOUT_MS 10000
#define MAX_JOBS 8
#define MAX_QOM_NODES 4096
#define MAX_QOM_DEPTH 16
#define MAX_TYPE_DEPTH 64

G_DEFINE_QUARK(dl-probe-error-quark, dl_probe_error)

/* Shared, read-only while the machines are probed. */
typedef struct {
    const char *qemu;
    const dl_devices *devices; /* the catalogue: which devices to look for, arches of targets */
    guint timeout_ms;
    GHashTable *types;       /* QOM type -> parent type */
} probe_ctx;

/* ------------------------------------------------------------------ */
/* small helpers                                                      */

static void
dl_probe_pci_free(gpointer data)
{
    dl_probe_pci *pci = data;

    g_free(pci->device);
    g_free(pci);
}

static void
dl_probe_machine_free(gpointer data)
{
    dl_probe_machine *m = data;

    if (!m)
        return;
    g_free(m->name);
    g_free(m->alias);
    g_free(m->error);
    g_free(m->host_bridge);
    if (m->builtins)
        g_ptr_array_unref(m->builtins);
    g_free(m->fdc_device);
    g_strfreev(m->ide_buses);
    g_strfreev(m->isa_devices);
    g_free(m);
}

void
dl_probe_result_free(dl_probe_result *result)
{
    if (!result)
        return;
    g_free(result->qemu);
    g_free(result->target);
    g_strfreev(result->arches);
    g_free(result->version);
    g_free(result->package);
    if (result->machines)
        g_ptr_array_unref(result->machines);
    g_strfreev(result->devices);
    g_strfreev(result->missing);
    g_strfreev(result->controllers_absent);
    g_free(result);
}

const dl_probe_machine *
dl_probe_result_machine(const dl_probe_result *result, const char *name)
{
    if (!result || !name)
        return NULL;
    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);

        if (g_strcmp0(m->name, name) == 0 || g_strcmp0(m->alias, name) == 0)
            return m;
    }
    return NULL;
}

/* The libvirt arches a binary of QEMU TARGET serves (the catalogue's <emulator>). */
static char **
target_to_arches(const dl_devices *devices, const char *target)
{
    const dl_emulator *e = dl_devices_emulator(devices, target);

    return e ? g_strdupv(e->arches) : g_strsplit(target, " ", 2);
}

static const char *
obj_string(JsonObject *obj, const char *name)
{
    JsonNode *node = obj ? json_object_get_member(obj, name) : NULL;

    if (!node || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
        return NULL;
    return json_node_get_string(node);
}

static gboolean
obj_bool(JsonObject *obj, const char *name)
{
    JsonNode *node = obj ? json_object_get_member(obj, name) : NULL;

    if (!node || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN)
        return FALSE;
    return json_node_get_boolean(node);
}

/* {"k1": "v1", "k2": "v2"} with K2 optional; caller unrefs. */
static JsonNode *
string_args(const char *k1, const char *v1, const char *k2, const char *v2)
{
    JsonObject *obj = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    json_object_set_string_member(obj, k1, v1);
    if (k2)
        json_object_set_string_member(obj, k2, v2);
    json_node_take_object(node, obj);
    return node;
}

/* Run COMMAND and demand an array back. */
static JsonArray *
execute_array(dl_qmp *qmp, const char *command, JsonNode *args, JsonNode **keep, GError **error)
{
    JsonNode *ret = dl_qmp_execute(qmp, command, args, error);

    if (!ret)
        return NULL;
    if (!JSON_NODE_HOLDS_ARRAY(ret)) {
        json_node_unref(ret);
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL, "%s did not return a list", command);
        return NULL;
    }
    *keep = ret;
    return json_node_get_array(ret);
}

static int
natural_compare(const char *a, const char *b)
{
    g_autofree char *ka = g_utf8_collate_key_for_filename(a, -1);
    g_autofree char *kb = g_utf8_collate_key_for_filename(b, -1);

    return strcmp(ka, kb);
}

static int
machine_order(gconstpointer a, gconstpointer b)
{
    const dl_probe_machine *ma = *(dl_probe_machine * const *) a;
    const dl_probe_machine *mb = *(dl_probe_machine * const *) b;

    return natural_compare(ma->name, mb->name);
}

static int
string_order(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char * const *) a, *(char * const *) b);
}

static char **
sorted_strv(GPtrArray *array)
{
    g_ptr_array_sort(array, string_order);
    g_ptr_array_add(array, NULL);
    return (char **) g_ptr_array_free(array, FALSE);
}

/* ------------------------------------------------------------------ */
/* QOM types                                                          */

static gboolean
type_implements(GHashTable *types, const char *type, const char *base)
{
    for (int i = 0; type && i < MAX_TYPE_DEPTH; i++) {
        if (strcmp(type, base) == 0)
            return TRUE;
        type = g_hash_table_lookup(types, type);
    }
    return FALSE;
}

static GHashTable *
read_types(dl_qmp *qmp, GError **error)
{
    g_autoptr(JsonNode) keep = NULL;
    g_autoptr(JsonNode) args = json_node_new(JSON_NODE_OBJECT);
    JsonObject *obj = json_object_new();
    JsonArray *list;
    GHashTable *types;

    json_object_set_boolean_member(obj, "abstract", TRUE);
    json_node_take_object(args, obj);
    list = execute_array(qmp, "qom-list-types", args, &keep, error);
    if (!list)
        return NULL;
    types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonNode *node = json_array_get_element(list, i);
        JsonObject *t = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
        const char *name = obj_string(t, "name");

        if (name)
            g_hash_table_replace(types, g_strdup(name), g_strdup(obj_string(t, "parent")));
    }
    return types;
}

/* Which of the catalogue's QEMU devices the binary has, and so which PCI
 * controller models it lacks every implementation of. */
static void
split_devices(const dl_devices *devices, dl_probe_result *result, GHashTable *types)
{
    GPtrArray *have = g_ptr_array_new();
    GPtrArray *lack = g_ptr_array_new();
    GPtrArray *no_controller = g_ptr_array_new();

    for (const char *const *dev = dl_devices_qemu_names(devices); *dev; dev++)
        g_ptr_array_add(g_hash_table_contains(types, *dev) ? have : lack, g_strdup(*dev));
    for (guint i = 0; i < dl_devices_pci_controller_count(devices); i++) {
        const dl_pci_controller *c = dl_devices_pci_controller_nth(devices, i);
        gboolean any = c->devices->len == 0;   /* none known: assume it is there */

        for (guint d = 0; !any && d < c->devices->len; d++)
            any = g_hash_table_contains(types, ((const dl_qemu_device *) g_ptr_array_index(c->devices, d))->device);
        if (!any)
            g_ptr_array_add(no_controller, g_strdup(c->model));
    }
    result->devices = sorted_strv(have);
    result->missing = sorted_strv(lack);
    result->controllers_absent = sorted_strv(no_controller);
}

/* ------------------------------------------------------------------ */
/* starting QEMU                                                      */

static dl_qmp *
start_qemu(const probe_ctx *ctx, const char *machine, GError **error)
{
    const char *argv[] = {
        ctx->qemu, "-machine", machine, "-accel", "tcg", "-nodefaults", "-no-user-config",
        "-S", "-display", "none", "-qmp", "stdio", NULL,
    };

    return dl_qmp_start(argv, ctx->timeout_ms, error);
}

static dl_probe_machine *
machine_from_json(JsonObject *obj)
{
    const char *name = obj_string(obj, "name");
    dl_probe_machine *m;

    if (!name || !*name)
        return NULL;
    m = g_new0(dl_probe_machine, 1);
    m->name = g_strdup(name);
    m->alias = g_strdup(obj_string(obj, "alias"));
    m->is_default = obj_bool(obj, "is-default");
    m->deprecated = obj_bool(obj, "deprecated");
    m->builtins = g_ptr_array_new_with_free_func(dl_probe_pci_free);
    return m;
}

static gboolean
read_machines(dl_qmp *qmp, dl_probe_result *result, GError **error)
{
    g_autoptr(JsonNode) keep = NULL;
    JsonArray *list = execute_array(qmp, "query-machines", NULL, &keep, error);

    if (!list)
        return FALSE;
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonNode *node = json_array_get_element(list, i);
        dl_probe_machine *m = JSON_NODE_HOLDS_OBJECT(node)
                                  ? machine_from_json(json_node_get_object(node)) : NULL;
        if (m)
            g_ptr_array_add(result->machines, m);
    }
    g_ptr_array_sort(result->machines, machine_order);
    return TRUE;
}

static gboolean
read_target(const probe_ctx *ctx, dl_qmp *qmp, dl_probe_result *result, GError **error)
{
    g_autoptr(JsonNode) ret = dl_qmp_execute(qmp, "query-target", NULL, error);
    const char *arch;

    if (!ret)
        return FALSE;
    arch = JSON_NODE_HOLDS_OBJECT(ret) ? obj_string(json_node_get_object(ret), "arch") : NULL;
    if (!arch) {
        g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL, "query-target gave no arch");
        return FALSE;
    }
    result->target = g_strdup(arch);
    result->arches = target_to_arches(ctx->devices, arch);
    return TRUE;
}

/* The binary as a whole: one start with -machine none. */
static gboolean
discover(probe_ctx *ctx, dl_probe_result *result, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(dl_qmp) qmp = start_qemu(ctx, "none", &local);

    if (qmp && read_target(ctx, qmp, result, &local) && read_machines(qmp, result, &local))
        ctx->types = read_types(qmp, &local);
    if (!ctx->types) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_QEMU, "%s", local->message);
        return FALSE;
    }
    result->version = g_strdup(dl_qmp_version(qmp));
    result->package = g_strdup(dl_qmp_package(qmp));
    split_devices(ctx->devices, result, ctx->types);
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* one machine                                                        */

typedef struct {
    char *path;
    char *type;
    gint64 devfn;            /* PCI devices: "addr", else -1 */
    char *parent_bus;        /* PCI devices: path of their bus */
} qom_node;

static void
qom_node_free(gpointer data)
{
    qom_node *node = data;

    g_free(node->path);
    g_free(node->type);
    g_free(node->parent_bus);
    g_free(node);
}

/* "child<TYPE>" -> TYPE (caller frees), or NULL for links and properties. */
static char *
child_type(const char *prop_type)
{
    gsize len = prop_type ? strlen(prop_type) : 0;

    if (len < 8 || !g_str_has_prefix(prop_type, "child<") || prop_type[len - 1] != '>')
        return NULL;
    return g_strndup(prop_type + 6, len - 7);
}

static gboolean
worth_walking(GHashTable *types, const char *type)
{
    return strcmp(type, "container") == 0 || type_implements(types, type, "device") ||
           type_implements(types, type, "bus");
}

static gboolean walk_qom(dl_qmp *qmp, GHashTable *types, const char *path, guint depth,
                         GPtrArray *nodes, GError **error);

static gboolean
walk_children(dl_qmp *qmp, GHashTable *types, const char *path, JsonArray *props,
              guint depth, GPtrArray *nodes, GError **error)
{
    for (guint i = 0; i < json_array_get_length(props); i++) {
        JsonNode *el = json_array_get_element(props, i);
        JsonObject *prop = JSON_NODE_HOLDS_OBJECT(el) ? json_node_get_object(el) : NULL;
        const char *name = obj_string(prop, "name");
        g_autofree char *type = child_type(obj_string(prop, "type"));
        qom_node *node;

        if (!name || !type || !worth_walking(types, type))
            continue;
        if (nodes->len >= MAX_QOM_NODES) {
            g_set_error(error, DL_QMP_ERROR, DL_QMP_ERROR_PROTOCOL,
                        "more than %d QOM objects below /machine", MAX_QOM_NODES);
            return FALSE;
        }
        node = g_new0(qom_node, 1);
        node->path = g_strdup_printf("%s/%s", path, name);
        node->type = g_steal_pointer(&type);
        node->devfn = -1;
        g_ptr_array_add(nodes, node);
        if (!walk_qom(qmp, types, node->path, depth + 1, nodes, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
walk_qom(dl_qmp *qmp, GHashTable *types, const char *path, guint depth, GPtrArray *nodes,
         GError **error)
{
    g_autoptr(JsonNode) args = NULL;
    g_autoptr(JsonNode) keep = NULL;
    JsonArray *props;

    if (depth > MAX_QOM_DEPTH)
        return TRUE;
    args = string_args("path", path, NULL, NULL);
    props = execute_array(qmp, "qom-list", args, &keep, error);
    if (!props)
        return FALSE;
    return walk_children(qmp, types, path, props, depth, nodes, error);
}

static JsonNode *
qom_get(dl_qmp *qmp, const char *path, const char *property, GError **error)
{
    g_autoptr(JsonNode) args = string_args("path", path, "property", property);

    return dl_qmp_execute(qmp, "qom-get", args, error);
}

static gboolean
read_pci_node(dl_qmp *qmp, qom_node *node, GError **error)
{
    g_autoptr(JsonNode) addr = qom_get(qmp, node->path, "addr", error);
    g_autoptr(JsonNode) bus = NULL;

    if (!addr)
        return FALSE;
    bus = qom_get(qmp, node->path, "parent_bus", error);
    if (!bus)
        return FALSE;
    if (JSON_NODE_HOLDS_VALUE(addr) && json_node_get_value_type(addr) == G_TYPE_INT64)
        node->devfn = json_node_get_int(addr);
    if (JSON_NODE_HOLDS_VALUE(bus) && json_node_get_value_type(bus) == G_TYPE_STRING)
        node->parent_bus = g_strdup(json_node_get_string(bus));
    return TRUE;
}

static const char *
parent_type(GHashTable *by_path, const char *path)
{
    g_autofree char *parent = g_path_get_dirname(path);
    const qom_node *node = g_hash_table_lookup(by_path, parent);

    return node ? node->type : NULL;
}

static gboolean
is_root_bus(GHashTable *types, GHashTable *by_path, const qom_node *bus)
{
    const char *owner = parent_type(by_path, bus->path);

    return type_implements(types, bus->type, "PCI") && owner &&
           type_implements(types, owner, "pci-host-bridge");
}

/*
 * How well the root bus named NAME fits libvirt: libvirt plugs bus='0x00'
 * devices into QEMU's bus "pci.0" (pci-root) or "pcie.0" (pcie-root), by
 * name.  A board with several host bridges (pegasos2, mac99 in
 * qemu-system-ppc, sam460ex) has root buses of other names too, and
 * query-pci cannot tell them apart (each is bus 0), so the QOM name decides.
 * Lower is better; a board with neither name gets its first root bus.
 */
static int
libvirt_root_rank(const char *name)
{
    if (strcmp(name, "pci.0") == 0)
        return 0;
    if (strcmp(name, "pcie.0") == 0)
        return 1;
    return 2;
}

/* Pick libvirt's root bus among the root buses, count them all. */
static void
choose_root(GHashTable *types, GHashTable *by_path, GPtrArray *nodes, dl_probe_machine *m,
            char **root_path)
{
    const qom_node *best = NULL;
    int best_rank = G_MAXINT;

    for (guint i = 0; i < nodes->len; i++) {
        const qom_node *node = g_ptr_array_index(nodes, i);
        g_autofree char *base = NULL;
        int rank;

        if (!is_root_bus(types, by_path, node))
            continue;
        m->n_roots++;
        base = g_path_get_basename(node->path);
        rank = libvirt_root_rank(base);
        if (rank < best_rank) {
            best = node;
            best_rank = rank;
        }
    }
    if (!best)
        return;
    *root_path = g_strdup(best->path);
    m->root = type_implements(types, best->type, "PCIE") ? DL_ROOT_PCIE : DL_ROOT_PCI;
    m->host_bridge = g_strdup(parent_type(by_path, best->path));
}

/* Root bus, floppy and IDE buses, ISA devices of the walked tree. */
static void
classify_nodes(GHashTable *types, GPtrArray *nodes, dl_probe_machine *m, char **root_path)
{
    g_autoptr(GHashTable) by_path = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) ide = g_ptr_array_new();
    g_autoptr(GPtrArray) isa = g_ptr_array_new();

    for (guint i = 0; i < nodes->len; i++) {
        qom_node *node = g_ptr_array_index(nodes, i);
        g_hash_table_insert(by_path, node->path, node);
    }
    choose_root(types, by_path, nodes, m, root_path);
    for (guint i = 0; i < nodes->len; i++) {
        const qom_node *node = g_ptr_array_index(nodes, i);
        const char *owner = parent_type(by_path, node->path);
        g_autofree char *base = g_path_get_basename(node->path);

        if (is_root_bus(types, by_path, node))
            continue;
        if (type_implements(types, node->type, "floppy-bus") && !m->fdc) {
            m->fdc = TRUE;
            m->fdc_device = g_strdup(owner);
        } else if (type_implements(types, node->type, "IDE")) {
            g_ptr_array_add(ide, g_strdup_printf("%s (%s)", base, owner ? owner : "?"));
        } else if (type_implements(types, node->type, "isa-device")) {
            g_ptr_array_add(isa, g_strdup(node->type));
        }
    }
    m->ide_buses = sorted_strv(g_steal_pointer(&ide));
    m->isa_devices = sorted_strv(g_steal_pointer(&isa));
}

static int
pci_order(gconstpointer a, gconstpointer b)
{
    const dl_probe_pci *pa = *(dl_probe_pci * const *) a;
    const dl_probe_pci *pb = *(dl_probe_pci * const *) b;

    if (pa->slot != pb->slot)
        return pa->slot < pb->slot ? -1 : 1;
    return (int) pa->function - (int) pb->function;
}

/* The PCI functions QOM puts on libvirt's root bus ROOT_PATH. */
static void
read_builtins(GPtrArray *nodes, const char *root_path, dl_probe_machine *m)
{
    for (guint i = 0; root_path && i < nodes->len; i++) {
        const qom_node *node = g_ptr_array_index(nodes, i);
        dl_probe_pci *pci;

        if (node->devfn < 0 || node->devfn > 0xff || g_strcmp0(node->parent_bus, root_path) != 0)
            continue;
        pci = g_new0(dl_probe_pci, 1);
        pci->slot = (unsigned) (node->devfn >> 3);
        pci->function = (unsigned) (node->devfn & 7);
        pci->device = g_strdup(node->type);
        g_ptr_array_add(m->builtins, pci);
    }
    g_ptr_array_sort(m->builtins, pci_order);
}

static gboolean
read_machine(const probe_ctx *ctx, dl_qmp *qmp, dl_probe_machine *m, GError **error)
{
    g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func(qom_node_free);
    g_autofree char *root_path = NULL;

    if (!walk_qom(qmp, ctx->types, "/machine", 0, nodes, error))
        return FALSE;
    for (guint i = 0; i < nodes->len; i++) {
        qom_node *node = g_ptr_array_index(nodes, i);

        if (type_implements(ctx->types, node->type, "pci-device") &&
            !read_pci_node(qmp, node, error))
            return FALSE;
    }
    classify_nodes(ctx->types, nodes, m, &root_path);
    read_builtins(nodes, root_path, m);
    return TRUE;
}

static void
probe_machine(gpointer data, gpointer user_data)
{
    dl_probe_machine *m = data;
    const probe_ctx *ctx = user_data;
    g_autoptr(GError) error = NULL;
    gint64 start = g_get_monotonic_time();
    g_autoptr(dl_qmp) qmp = start_qemu(ctx, m->name, &error);

    if (!qmp || !read_machine(ctx, qmp, m, &error))
        m->error = g_strdup(error->message);
    m->ms = (double) (g_get_monotonic_time() - start) / 1000.0;
}

static gboolean
probe_all(const probe_ctx *ctx, GPtrArray *todo, guint jobs, GError **error)
{
    GThreadPool *pool;

    if (jobs <= 1 || todo->len <= 1) {
        for (guint i = 0; i < todo->len; i++)
            probe_machine(g_ptr_array_index(todo, i), (gpointer) ctx);
        return TRUE;
    }
    pool = g_thread_pool_new(probe_machine, (gpointer) ctx, (gint) jobs, TRUE, error);
    if (!pool)
        return FALSE;
    for (guint i = 0; i < todo->len; i++)
        g_thread_pool_push(pool, g_ptr_array_index(todo, i), NULL);
    /* waits for every task: each has killed and reaped its QEMU */
    g_thread_pool_free(pool, FALSE, TRUE);
    return TRUE;
}

/* The machines to start: all, or the requested ones (aliases resolved). */
static GPtrArray *
select_machines(dl_probe_result *result, const char *const *wanted, GError **error)
{
    GPtrArray *todo = g_ptr_array_new();

    for (guint i = 0; !wanted && i < result->machines->len; i++)
        g_ptr_array_add(todo, g_ptr_array_index(result->machines, i));
    for (gsize i = 0; wanted && wanted[i]; i++) {
        dl_probe_machine *m = (dl_probe_machine *) dl_probe_result_machine(result, wanted[i]);

        if (!m) {
            g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_MACHINE,
                        "'%s' has no machine type '%s'", result->qemu, wanted[i]);
            g_ptr_array_unref(todo);
            return NULL;
        }
        if (!g_ptr_array_find(todo, m, NULL))
            g_ptr_array_add(todo, m);
    }
    return todo;
}

/* Drop the machines that were not asked for. */
static void
keep_only(dl_probe_result *result, GPtrArray *todo)
{
    for (guint i = result->machines->len; i > 0; i--) {
        if (!g_ptr_array_find(todo, g_ptr_array_index(result->machines, i - 1), NULL))
            g_ptr_array_remove_index(result->machines, i - 1);
    }
}

static guint
job_count(const dl_probe_options *options)
{
    guint jobs = options && options->jobs ? options->jobs : g_get_num_processors();

    return CLAMP(jobs, 1, MAX_JOBS);
}

dl_probe_result *
dl_probe_run(const char *qemu, const char *const *machines, const dl_probe_options *options,
             GError **error)
{
    g_autoptr(dl_probe_result) result = g_new0(dl_probe_result, 1);
    g_autoptr(dl_devices) shipped = NULL;
    g_autoptr(GPtrArray) todo = NULL;
    probe_ctx ctx = { 0 };
    gint64 start = g_get_monotonic_time();
    gboolean ok;

    g_return_val_if_fail(qemu != NULL, NULL);
    result->qemu = g_strdup(qemu);
    result->machines = g_ptr_array_new_with_free_func(dl_probe_machine_free);
    ctx.qemu = qemu;
    if (options && options->devices) {
        ctx.devices = options->devices;
    } else {
        g_autofree char *dir = domlint_data_dir("devices");

        shipped = dl_devices_load(dir, NULL, NULL, error);
        if (!shipped)
            return NULL;
        ctx.devices = shipped;
    }
    ctx.timeout_ms = options && options->timeout_ms ? options->timeout_ms : DEFAULT_TIMEOUT_MS;
    if (!discover(&ctx, result, error))
        return NULL;
    todo = select_machines(result, machines, error);
    ok = todo && probe_all(&ctx, todo, job_count(options), error);
    g_hash_table_unref(ctx.types);
    if (!ok)
        return NULL;
    if (machines)
        keep_only(result, todo);
    result->all_machines = machines == NULL;
    result->seconds = (double) (g_get_monotonic_time() - start) / 1e6;
    return g_steal_pointer(&result);
}

/* ------------------------------------------------------------------ */
/* grouping probed machines by family                                 */

typedef struct {
    const dl_family *family;
    GPtrArray *members;          /* dl_probe_machine* (borrowed), probed or failed */
    const dl_probe_machine *rep; /* the machine whose facts the family gets, or NULL */
    gboolean fdc;                /* <fdc builtin> */
    char *fdc_before;            /* <fdc before>, or NULL */
} family_probe;

static void
family_probe_free(gpointer data)
{
    family_probe *fp = data;

    g_ptr_array_unref(fp->members);
    g_free(fp->fdc_before);
    g_free(fp);
}

static void
warn(GPtrArray *warnings, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void
warn(GPtrArray *warnings, const char *format, ...)
{
    va_list ap;

    if (!warnings)
        return;
    va_start(ap, format);
    g_ptr_array_add(warnings, g_strdup_vprintf(format, ap));
    va_end(ap);
}

static const dl_family *
family_of(const dl_machine_db *db, const char *arch, const char *machine)
{
    const dl_family *family = NULL;
    dl_match_result match = dl_machine_db_lookup(db, arch, machine, &family, NULL);

    switch (match) {
    case DL_MATCH_OK:
    case DL_MATCH_UNKNOWN_VERSION:
    case DL_MATCH_REMOVED:
    case DL_MATCH_NOT_IN_TARGET:
    case DL_MATCH_FUTURE:
        return family;
    case DL_MATCH_NONE:
    case DL_MATCH_WRONG_ARCH:
    case DL_MATCH_LAST:
        break;
    }
    return NULL;
}

static gboolean
family_covered(const dl_family *family, char **arches)
{
    for (gsize i = 0; arches[i]; i++) {
        if (dl_family_has_arch(family, arches[i]))
            return TRUE;
    }
    return FALSE;
}

static family_probe *
find_probe(GPtrArray *groups, const dl_family *family)
{
    for (guint i = 0; i < groups->len; i++) {
        family_probe *fp = g_ptr_array_index(groups, i);
        if (fp->family == family)
            return fp;
    }
    return NULL;
}

/* Versioned part of MACHINE after FAMILY's longest prefix ("2.4"), or NULL. */
static const char *
version_of(const dl_family *family, const char *machine)
{
    gsize best = 0;

    for (guint i = 0; family->prefixes && family->prefixes[i]; i++) {
        gsize len = strlen(family->prefixes[i]);
        if (len > best && g_str_has_prefix(machine, family->prefixes[i]))
            best = len;
    }
    if (best == 0 || !g_ascii_isdigit(machine[best]))
        return NULL;
    return machine + best;
}

static const dl_probe_machine *
choose_rep(GPtrArray *members)
{
    const dl_probe_machine *last = NULL;

    for (guint i = 0; i < members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(members, i);

        if (m->error)
            continue;
        if (m->alias)
            return m;
        last = m;
    }
    return last;
}

static char *
builtins_text(const dl_probe_machine *m)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < m->builtins->len; i++) {
        const dl_probe_pci *p = g_ptr_array_index(m->builtins, i);
        g_string_append_printf(out, "%s%02x.%u %s", i ? ", " : "", p->slot, p->function, p->device);
    }
    if (out->len == 0)
        g_string_append(out, "none");
    return g_string_free(out, FALSE);
}


static void
check_members(const family_probe *fp, GPtrArray *warnings)
{
    g_autofree char *rep_text = builtins_text(fp->rep);

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        g_autofree char *text = NULL;

        if (m->error) {
            warn(warnings, "%s: machine '%s' could not be probed: %s", fp->family->id, m->name, m->error);
            continue;
        }
        if (m->root != fp->rep->root)
            warn(warnings, "%s: machine '%s' has root %s, '%s' has %s", fp->family->id, m->name,
                 dl_root_model_name(m->root), fp->rep->name, dl_root_model_name(fp->rep->root));
        text = builtins_text(m);
        if (strcmp(text, rep_text) != 0)
            warn(warnings, "%s: machine '%s' has builtin PCI functions %s, '%s' has %s",
                 fp->family->id, m->name, text, fp->rep->name, rep_text);
    }
}

/*
 * <fdc builtin before>: every probed version has a floppy controller, none
 * has, or the versions below one boundary have.  The shipped "before" is
 * kept when the probe agrees with it (QEMU may no longer have the older
 * versions that would show the boundary).
 */
static void
derive_fdc(family_probe *fp, GPtrArray *warnings)
{
    const char *shipped = fp->family->fdc_before;
    const char *lowest_without = NULL;
    gboolean any_with = FALSE, any_without = FALSE, agrees = TRUE;

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        const char *v = version_of(fp->family, m->name);

        if (m->error)
            continue;
        any_with |= m->fdc;
        any_without |= !m->fdc;
        if (v && !m->fdc && (!lowest_without || dl_version_compare(v, lowest_without) < 0))
            lowest_without = v;
        if (v && shipped && m->fdc != (dl_version_compare(v, shipped) < 0))
            agrees = FALSE;
    }
    fp->fdc = any_with && !any_without;
    if (fp->fdc || !any_with) {
        if (!any_with && shipped && agrees)
            fp->fdc_before = g_strdup(shipped);
        return;
    }
    fp->fdc_before = g_strdup(shipped && agrees ? shipped : lowest_without);
    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        const char *v = version_of(fp->family, m->name);

        if (!m->error && (!v || m->fdc != (dl_version_compare(v, fp->fdc_before) < 0)))
            warn(warnings, "%s: machine '%s' %s a floppy controller, against <fdc before='%s'>",
                 fp->family->id, m->name, m->fdc ? "has" : "lacks", fp->fdc_before);
    }
}

static GPtrArray *
group_machines(const dl_probe_result *result, const dl_machine_db *db, gboolean all_families,
               GPtrArray *warnings)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func(family_probe_free);

    for (guint i = 0; all_families && i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);
        family_probe *fp;

        if (!family_covered(family, result->arches))
            continue;
        fp = g_new0(family_probe, 1);
        fp->family = family;
        fp->members = g_ptr_array_new();
        g_ptr_array_add(groups, fp);
    }
    for (guint i = 0; i < result->machines->len; i++) {
        dl_probe_machine *m = g_ptr_array_index(result->machines, i);
        const dl_family *family = family_of(db, result->arches[0], m->name);
        family_probe *fp;

        if (!family) {
            warn(warnings, "machine '%s' belongs to no family of the knowledge base", m->name);
            continue;
        }
        fp = find_probe(groups, family);
        if (!fp) {
            fp = g_new0(family_probe, 1);
            fp->family = family;
            fp->members = g_ptr_array_new();
            g_ptr_array_add(groups, fp);
        }
        g_ptr_array_add(fp->members, m);
    }
    for (guint i = 0; i < groups->len; i++) {
        family_probe *fp = g_ptr_array_index(groups, i);

        /* boards known by name only: no facts to take from them */
        if (fp->family->no_facts)
            continue;
        fp->rep = choose_rep(fp->members);
        if (fp->rep) {
            check_members(fp, warnings);
            derive_fdc(fp, warnings);
        } else if (fp->members->len) {
            warn(warnings, "%s: no machine could be probed; the shipped facts are kept", fp->family->id);
        }
    }
    return groups;
}

/* ------------------------------------------------------------------ */
/* editing the shipped family document                                */

static xmlNode *
last_element_of(xmlNode *root, const char *const *names)
{
    xmlNode *last = NULL;

    for (xmlNode *n = root->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && g_strv_contains(names, (const char *) n->name))
            last = n;
    }
    return last;
}

/* Put NODE after the last child of ROOT named in AFTER (schema order). */
static void
insert_after(xmlNode *root, const char *const *after, xmlNode *node)
{
    xmlNode *anchor = last_element_of(root, after);

    if (anchor)
        xmlAddNextSibling(anchor, node);
    else if (root->children)
        xmlAddPrevSibling(root->children, node);
    else
        xmlAddChild(root, node);
}

static void
remove_elements(xmlNode *root, const char *name)
{
    xmlNode *next;

    for (xmlNode *n = root->children; n; n = next) {
        next = n->next;
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        }
    }
}

static xmlNode *
first_element(xmlNode *root, const char *name)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0)
            return n;
    }
    return NULL;
}

static void
set_prop(xmlNode *node, const char *name, const char *value)
{
    if (value)
        xmlSetProp(node, (const xmlChar *) name, (const xmlChar *) value);
    else
        xmlUnsetProp(node, (const xmlChar *) name);
}

/* Space-separated words, six to a line, for <machines>. */
static char *
word_block(GPtrArray *words, guint n_aliases)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < words->len; i++) {
        guint k = i < n_aliases ? 0 : i - n_aliases;

        if (i == 0 || i == n_aliases || k % 6 == 0)
            g_string_append(out, "\n    ");
        else
            g_string_append_c(out, ' ');
        g_string_append(out, g_ptr_array_index(words, i));
    }
    if (words->len)
        g_string_append(out, "\n  ");
    return g_string_free(out, FALSE);
}

/* Aliases first, then the versioned names in version order. */
static GPtrArray *
member_names(const family_probe *fp, guint *n_aliases)
{
    GPtrArray *names = g_ptr_array_new();

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        if (m->alias)
            g_ptr_array_add(names, m->alias);
    }
    *n_aliases = names->len;
    for (guint i = 0; i < fp->members->len; i++)
        g_ptr_array_add(names, ((dl_probe_machine *) g_ptr_array_index(fp->members, i))->name);
    return names;
}

static char *
join_covered(const dl_family *family, char **arches)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new();

    for (gsize i = 0; arches[i]; i++) {
        if (dl_family_has_arch(family, arches[i]))
            g_ptr_array_add(out, arches[i]);
    }
    g_ptr_array_add(out, NULL);
    return g_strjoinv(" ", (char **) out->pdata);
}

static void
edit_matches(xmlNode *root, const family_probe *fp, const dl_probe_result *result)
{
    static const char *const after[] = { "match", NULL };

    for (xmlNode *n = root->children; n; n = n->next) {
        g_autofree char *name = NULL;
        const dl_probe_machine *m;

        if (n->type != XML_ELEMENT_NODE || strcmp((const char *) n->name, "match") != 0)
            continue;
        name = dl_xml_prop(n, "name");
        if (!name)
            continue;
        m = dl_probe_result_machine(result, name);
        set_prop(n, "canonical", m && g_strcmp0(m->alias, name) == 0 ? m->name : NULL);
    }
    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        xmlNode *node;

        if (!m->alias || g_strv_contains((const char * const *) fp->family->names, m->alias))
            continue;
        node = xmlNewNode(NULL, (const xmlChar *) "match");
        set_prop(node, "name", m->alias);
        set_prop(node, "canonical", m->name);
        insert_after(root, after, node);
    }
}

static void
add_machines(xmlNode *root, const char *arch, const char *text)
{
    static const char *const after[] = { "match", "removed", "machines", NULL };
    xmlNode *node = xmlNewNode(NULL, (const xmlChar *) "machines");

    if (arch)
        set_prop(node, "arch", arch);
    xmlNodeAddContent(node, (const xmlChar *) text);
    insert_after(root, after, node);
}

static void
edit_machines(xmlNode *root, const family_probe *fp, const dl_probe_result *result)
{
    guint n_aliases = 0;
    g_autoptr(GPtrArray) names = member_names(fp, &n_aliases);
    g_autofree char *text = word_block(names, n_aliases);
    const dl_family *family = fp->family;

    remove_elements(root, "machines");
    if (!family->machines_by_arch) {
        add_machines(root, NULL, text);
        return;
    }
    /* per-arch lists: keep those of the arches this binary does not serve */
    for (gsize i = 0; family->arches[i]; i++) {
        const char *arch = family->arches[i];
        char **list = g_hash_table_lookup(family->machines_by_arch, arch);
        g_autofree char *words = NULL;

        if (!list || g_strv_contains((const char * const *) result->arches, arch))
            continue;
        words = g_strjoinv(" ", list);
        add_machines(root, arch, words);
    }
    {
        g_autofree char *covered = join_covered(family, result->arches);
        add_machines(root, covered, text);
    }
}

static void
edit_default(xmlNode *root, const family_probe *fp, const dl_probe_result *result)
{
    static const char *const after[] = { "match", "removed", "machines", NULL };
    const dl_probe_machine *def = NULL;
    const char *name;
    xmlNode *node;
    g_autofree char *covered = NULL;

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        if (m->is_default)
            def = m;
    }
    if (fp->family->default_arches && !family_covered(fp->family, result->arches))
        return;
    remove_elements(root, "default-machine");
    if (!def)
        return;
    name = def->alias ? def->alias : def->name;
    if (!def->alias && !g_strv_contains((const char * const *) fp->family->names, name))
        return;
    covered = join_covered(fp->family, result->arches);
    node = xmlNewNode(NULL, (const xmlChar *) "default-machine");
    set_prop(node, "arch", covered);
    set_prop(node, "name", name);
    insert_after(root, after, node);
}

static xmlNode *
shipped_builtin(GPtrArray *shipped, unsigned slot, unsigned function)
{
    for (guint i = 0; i < shipped->len; i++) {
        xmlNode *n = g_ptr_array_index(shipped, i);
        g_autofree char *s = dl_xml_prop(n, "slot");
        g_autofree char *f = dl_xml_prop(n, "function");

        if (s && f && g_ascii_strtoull(s, NULL, 16) == slot && g_ascii_strtoull(f, NULL, 10) == function)
            return n;
    }
    return NULL;
}

static xmlNode *
new_builtin(const dl_probe_pci *pci, xmlNode *old)
{
    static const char *const copied[] = { "controller", "index", "models", "reserved" };
    xmlNode *node = xmlNewNode(NULL, (const xmlChar *) "builtin");
    g_autofree char *slot = g_strdup_printf("0x%02x", pci->slot);
    g_autofree char *function = g_strdup_printf("%u", pci->function);
    g_autofree char *old_device = old ? dl_xml_prop(old, "device") : NULL;

    set_prop(node, "slot", slot);
    set_prop(node, "function", function);
    set_prop(node, "device", pci->device);
    /* the libvirt side of the function only carries over to the same device */
    for (gsize i = 0; old_device && strcmp(old_device, pci->device) == 0 && i < G_N_ELEMENTS(copied); i++) {
        g_autofree char *value = dl_xml_prop(old, copied[i]);
        set_prop(node, copied[i], value);
    }
    return node;
}

/* Shipped builtins QEMU does not create itself (reserved="no") stay. */
static gboolean
libvirt_only(xmlNode *old)
{
    g_autofree char *reserved = dl_xml_prop(old, "reserved");

    return g_strcmp0(reserved, "no") == 0;
}

static void
edit_builtins(xmlNode *root, const dl_probe_machine *rep)
{
    static const char *const after[] = { "root", "builtin", NULL };
    g_autoptr(GPtrArray) shipped = g_ptr_array_new_with_free_func((GDestroyNotify) xmlFreeNode);
    g_autoptr(GPtrArray) fresh = g_ptr_array_new();
    xmlNode *next;

    for (xmlNode *n = root->children; n; n = next) {
        next = n->next;
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, "builtin") == 0) {
            xmlUnlinkNode(n);
            g_ptr_array_add(shipped, n);
        }
    }
    for (guint i = 0; i < rep->builtins->len; i++) {
        const dl_probe_pci *pci = g_ptr_array_index(rep->builtins, i);
        g_ptr_array_add(fresh, new_builtin(pci, shipped_builtin(shipped, pci->slot, pci->function)));
    }
    for (guint i = 0; i < shipped->len; i++) {
        xmlNode *old = g_ptr_array_index(shipped, i);
        g_autofree char *s = dl_xml_prop(old, "slot");
        g_autofree char *f = dl_xml_prop(old, "function");
        gboolean taken = FALSE;

        for (guint j = 0; j < rep->builtins->len; j++) {
            const dl_probe_pci *pci = g_ptr_array_index(rep->builtins, j);
            taken |= pci->slot == g_ascii_strtoull(s, NULL, 16) && pci->function == g_ascii_strtoull(f, NULL, 10);
        }
        if (!taken && libvirt_only(old))
            g_ptr_array_add(fresh, xmlCopyNode(old, 1));
    }
    for (guint i = 0; i < fresh->len; i++)
        insert_after(root, after, g_ptr_array_index(fresh, i));
}

static gboolean
controller_available(const dl_probe_result *result, const char *model)
{
    return !g_strv_contains((const char *const *) result->controllers_absent, model);
}

static void
edit_controllers(xmlNode *root, const dl_family *family, const dl_probe_result *result,
                 GPtrArray *warnings)
{
    xmlNode *node = first_element(root, "controllers");
    g_autoptr(GPtrArray) keep = g_ptr_array_new();

    if (!node || !family->controllers)
        return;
    for (gsize i = 0; family->controllers[i]; i++) {
        if (controller_available(result, family->controllers[i]))
            g_ptr_array_add(keep, family->controllers[i]);
        else
            warn(warnings, "%s: controller '%s' dropped: this QEMU has none of its devices",
                 family->id, family->controllers[i]);
    }
    g_ptr_array_add(keep, NULL);
    {
        g_autofree char *text = g_strjoinv(" ", (char **) keep->pdata);
        xmlNodeSetContent(node, (const xmlChar *) text);
    }
}

static void
edit_fdc(xmlNode *root, const family_probe *fp)
{
    xmlNode *node = first_element(root, "fdc");

    if (!node) {
        static const char *const after[] = { "root", "builtin", "controllers", "disk-buses", NULL };
        node = xmlNewNode(NULL, (const xmlChar *) "fdc");
        insert_after(root, after, node);
    }
    set_prop(node, "builtin", fp->fdc ? "yes" : "no");
    set_prop(node, "before", fp->fdc_before);
}

static char *
provenance(const family_probe *fp, const dl_probe_result *result)
{
    GString *out = g_string_new(NULL);
    g_autofree char *devices = g_strjoinv(" ", result->devices);
    g_autofree char *missing = g_strjoinv(" ", result->missing);

    g_string_append_printf(out, " probed by domlint probe from %s (QEMU %s%s%s, target %s);"
                           " libvirt-side facts copied from %s.",
                           result->qemu, result->version ? result->version : "?",
                           result->package ? ", " : "", result->package ? result->package : "",
                           result->target, fp->family->origin);
    g_string_append_printf(out, "\n     device models present: %s", *devices ? devices : "none");
    g_string_append_printf(out, "\n     device models absent: %s", *missing ? missing : "none");
    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        if (m->deprecated)
            g_string_append_printf(out, "\n     deprecated: %s", m->name);
    }
    if (fp->rep && fp->rep->ide_buses[0]) {
        g_autofree char *ide = g_strjoinv(", ", fp->rep->ide_buses);
        g_string_append_printf(out, "\n     IDE buses of %s: %s", fp->rep->name, ide);
    }
    g_string_append(out, " ");
    return g_string_free(out, FALSE);
}

/*
 * The probed binary is one QEMU release: facts of other releases go, the
 * others lose their QEMU range, and the versioned types and aliases give way
 * to the exact lists edit_matches() and edit_machines() write.  libvirt
 * ranges stay: the knowledge is still checked against a libvirt release.
 */
static void
keep_release(xmlNode *root, const dl_target *target)
{
    xmlNode *next;

    for (xmlNode *n = root->children; n; n = next) {
        next = n->next;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!dl_fact_holds(n, target, "qemu") || strcmp((const char *) n->name, "type") == 0) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
            continue;
        }
        xmlUnsetProp(n, (const xmlChar *) "since-qemu");
        xmlUnsetProp(n, (const xmlChar *) "before-qemu");
        xmlUnsetProp(n, (const xmlChar *) "newest");
    }
}

static void
edit_doc(xmlDoc *doc, const family_probe *fp, const dl_probe_result *result,
         const dl_target *target, GPtrArray *warnings)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    g_autofree char *text = provenance(fp, result);

    xmlAddPrevSibling(root, xmlNewDocComment(doc, (const xmlChar *) text));
    keep_release(root, target);
    edit_matches(root, fp, result);
    edit_machines(root, fp, result);
    edit_default(root, fp, result);
    edit_controllers(root, fp->family, result, warnings);
    if (!fp->rep)
        return;
    set_prop(first_element(root, "root"), "model", dl_root_model_name(fp->rep->root));
    edit_builtins(root, fp->rep);
    edit_fdc(root, fp);
}

/* ------------------------------------------------------------------ */
/* validating and writing                                             */

static void
first_xml_error(void *data, dl_xml_error *err)
{
    GString *msg = data;

    if (err && err->message && msg->len == 0) {
        g_string_append(msg, err->message);
        while (msg->len && g_ascii_isspace(msg->str[msg->len - 1]))
            g_string_truncate(msg, msg->len - 1);
    }
}

static xmlRelaxNG *
load_schema(const char *schema, GError **error)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    xmlRelaxNGParserCtxt *pctxt = xmlRelaxNGNewParserCtxt(schema);
    xmlRelaxNG *rng;

    if (!pctxt) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID, "%s: cannot be read", schema);
        return NULL;
    }
    xmlRelaxNGSetParserStructuredErrors(pctxt, first_xml_error, msg);
    rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!rng)
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID, "%s: %s", schema,
                    msg->len ? msg->str : "invalid schema");
    return rng;
}

static gboolean
validate(xmlRelaxNG *rng, xmlDoc *doc, const char *id, GError **error)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    xmlRelaxNGValidCtxt *vctxt;
    int rc;

    if (!rng)
        return TRUE;
    vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vctxt, first_xml_error, msg);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (rc == 0)
        return TRUE;
    g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID,
                "the probed family '%s' does not follow the machines schema: %s", id,
                msg->len ? msg->str : "invalid");
    return FALSE;
}

/* Write DOC to DIR/ID.xml through a temporary file and a rename. */
static gboolean
save_doc(xmlDoc *doc, const char *dir, const char *id, GError **error)
{
    g_autofree char *name = g_strdup_printf("%s.xml", id);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.tmp", dir, name);

    if (xmlSaveFormatFileEnc(tmp, doc, "UTF-8", 1) < 0 || rename(tmp, path) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot write: %s", path,
                    g_strerror(errno));
        unlink(tmp);
        return FALSE;
    }
    return TRUE;
}

static gboolean
write_family(const family_probe *fp, const dl_probe_result *result, const dl_target *target,
             xmlRelaxNG *rng, const char *dir, GPtrArray *warnings, GError **error)
{
    xmlDoc *doc = xmlReadFile(fp->family->origin, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING);
    gboolean ok;

    if (!doc) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot be read",
                    fp->family->origin);
        return FALSE;
    }
    /* a family known by name only is copied as shipped */
    if (!fp->family->no_facts)
        edit_doc(doc, fp, result, target, warnings);
    ok = validate(rng, doc, fp->family->id, error) && save_doc(doc, dir, fp->family->id, error);
    xmlFreeDoc(doc);
    return ok;
}

gboolean
dl_probe_write_dir(const dl_probe_result *result, const dl_machine_db *db, const char *schema,
                   gboolean all_families, const char *dir, GPtrArray *warnings, GError **error)
{
    g_autoptr(GPtrArray) groups = NULL;
    g_autoptr(GError) local = NULL;
    xmlRelaxNG *rng = NULL;
    dl_machine_db *check;
    gboolean ok = TRUE;

    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot create: %s", dir,
                    g_strerror(errno));
        return FALSE;
    }
    if (schema) {
        rng = load_schema(schema, error);
        if (!rng)
            return FALSE;
    }
    groups = group_machines(result, db, all_families, warnings);
    for (guint i = 0; ok && i < groups->len; i++)
        ok = write_family(g_ptr_array_index(groups, i), result, dl_machine_db_target(db), rng, dir,
                          warnings, error);
    if (rng)
        xmlRelaxNGFree(rng);
    if (!ok)
        return FALSE;
    /* what was written must load as a knowledge base (canonical names listed...) */
    check = dl_machine_db_load(dir, schema, NULL, &local);
    if (!check) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID,
                    "the probed knowledge does not load: %s", local->message);
        return FALSE;
    }
    dl_machine_db_free(check);
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* comparing with the knowledge base                                  */

static void
differ(GPtrArray *lines, const char *family, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
differ(GPtrArray *lines, const char *family, const char *format, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, format);
    text = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_ptr_array_add(lines, g_strdup_printf("%s: %s", family, text));
}

static void
add_checked(GPtrArray *checked, const char *id)
{
    for (guint i = 0; i < checked->len; i++) {
        if (strcmp(g_ptr_array_index(checked, i), id) == 0)
            return;
    }
    g_ptr_array_add(checked, g_strdup(id));
}

static void
compare_listed(const dl_family *family, const char *arch, const dl_probe_machine *m,
               GPtrArray *lines)
{
    char **known = dl_family_machines_for_arch(family, arch);
    const char *names[] = { m->name, m->alias };

    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        if (names[i] && known && !g_strv_contains((const char * const *) known, names[i]))
            differ(lines, family->id, "machine '%s' is in QEMU but not in <machines>", names[i]);
    }
}

static void
compare_alias(const dl_machine_db *db, const char *arch, const dl_family *family,
              const dl_probe_machine *m, GPtrArray *lines)
{
    const dl_family *owner;
    const char *canonical;

    if (!m->alias)
        return;
    owner = family_of(db, arch, m->alias);
    canonical = owner ? dl_family_canonical(owner, m->alias) : NULL;
    if (owner != family || g_strcmp0(canonical, m->name) != 0)
        differ(lines, family->id, "alias '%s' is '%s' in QEMU, '%s' in the knowledge base",
               m->alias, m->name, canonical ? canonical : "unknown");
}

static void
compare_builtins(const dl_family *family, const dl_probe_machine *m, GPtrArray *lines)
{
    for (guint i = 0; i < m->builtins->len; i++) {
        const dl_probe_pci *p = g_ptr_array_index(m->builtins, i);
        const dl_builtin *b = dl_family_builtin_at(family, p->slot, p->function);

        if (!b || !b->reserved)
            differ(lines, family->id, "machine '%s': QEMU has '%s' at 00:%02x.%u, the knowledge base no builtin",
                   m->name, p->device, p->slot, p->function);
        else if (g_strcmp0(b->device, p->device) != 0)
            differ(lines, family->id, "machine '%s': QEMU has '%s' at 00:%02x.%u, the knowledge base '%s'",
                   m->name, p->device, p->slot, p->function, b->device);
    }
    for (guint i = 0; family->builtins && i < family->builtins->len; i++) {
        const dl_builtin *b = g_ptr_array_index(family->builtins, i);
        gboolean found = FALSE;

        for (guint j = 0; j < m->builtins->len; j++) {
            const dl_probe_pci *p = g_ptr_array_index(m->builtins, j);
            found |= p->slot == b->slot && p->function == b->function;
        }
        if (b->reserved && !found)
            differ(lines, family->id, "machine '%s': the knowledge base has '%s' at 00:%02x.%u, QEMU nothing",
                   m->name, b->device, b->slot, b->function);
    }
}

static void
compare_machine(const dl_probe_result *result, const dl_machine_db *db, const dl_family *family,
                const dl_probe_machine *m, GPtrArray *lines)
{
    const char *arch = result->arches[0];
    gboolean fdc = dl_family_has_builtin_fdc(family, m->name);

    compare_listed(family, arch, m, lines);
    /* boards known by name only: their names are all there is to compare */
    if (family->no_facts)
        return;
    compare_alias(db, arch, family, m, lines);
    if (m->error) {
        differ(lines, family->id, "machine '%s' was not compared: it could not be probed: %s", m->name, m->error);
        return;
    }
    if (m->root != family->root)
        differ(lines, family->id, "machine '%s': root bus is %s in QEMU (%s), %s in the knowledge base",
               m->name, dl_root_model_name(m->root), m->host_bridge ? m->host_bridge : "no PCI host bridge",
               dl_root_model_name(family->root));
    compare_builtins(family, m, lines);
    if (fdc != m->fdc)
        differ(lines, family->id, "machine '%s': QEMU %s a builtin floppy controller, the knowledge base says it %s",
               m->name, m->fdc ? "has" : "has no", fdc ? "has" : "has none");
}

static void
compare_default(const dl_probe_result *result, const dl_machine_db *db, GPtrArray *lines)
{
    const char *shipped = dl_machine_db_default_machine(db, result->arches[0]);

    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);

        if (m->is_default && g_strcmp0(shipped, m->name) != 0 && g_strcmp0(shipped, m->alias) != 0)
            differ(lines, "(default)", "QEMU's default machine is '%s', the knowledge base says '%s'",
                   m->alias ? m->alias : m->name, shipped ? shipped : "none");
    }
}

/* Machines the knowledge base lists for the arch but QEMU lacks. */
static void
compare_missing(const dl_probe_result *result, const dl_machine_db *db, GPtrArray *lines,
                GPtrArray *checked)
{
    const char *arch = result->arches[0];

    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);
        char **known = dl_family_machines_for_arch(family, arch);

        if (!dl_family_has_arch(family, arch))
            continue;
        add_checked(checked, family->id);
        for (gsize k = 0; known && known[k]; k++) {
            if (!dl_probe_result_machine(result, known[k]))
                differ(lines, family->id, "machine '%s' is in <machines> but not in QEMU", known[k]);
        }
    }
}

static void
compare_controllers(const dl_probe_result *result, GPtrArray *checked, const dl_machine_db *db,
                    GPtrArray *lines)
{
    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);

        if (!g_ptr_array_find_with_equal_func(checked, family->id, g_str_equal, NULL))
            continue;
        for (gsize c = 0; family->controllers && family->controllers[c]; c++) {
            if (!controller_available(result, family->controllers[c]))
                differ(lines, family->id, "controller '%s': QEMU has none of its devices",
                       family->controllers[c]);
        }
    }
}

guint
dl_probe_compare(const dl_probe_result *result, const dl_machine_db *db, GPtrArray *lines,
                 GPtrArray *checked)
{
    guint before = lines->len;

    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);
        const dl_family *family = family_of(db, result->arches[0], m->name);

        if (!family) {
            differ(lines, "(none)", "machine '%s' is in QEMU but no family claims it", m->name);
            continue;
        }
        add_checked(checked, family->id);
        compare_machine(result, db, family, m, lines);
    }
    if (result->all_machines) {
        compare_default(result, db, lines);
        compare_missing(result, db, lines, checked);
    }
    compare_controllers(result, checked, db, lines);
    return lines->len - before;
}

guint
dl_probe_compare_devices(const dl_probe_result *result, const dl_devices *devices,
                         GPtrArray *lines, GPtrArray *checked)
{
    guint before = lines->len;

    add_checked(checked, "devices");
    for (const char *const *name = dl_devices_qemu_names(devices); *name; name++) {
        const dl_qemu_device *q = dl_devices_qemu_device(devices, *name);
        g_autoptr(GPtrArray) one = g_ptr_array_new();
        gboolean has = g_strv_contains((const char *const *) result->devices, *name);

        g_ptr_array_add(one, (gpointer) q);
        for (gsize a = 0; result->arches && result->arches[a]; a++) {
            dl_presence p = dl_qemu_devices_present(devices, one, result->arches[a]);

            /* QOM lists devices -device cannot create (VIA's UHCI on ppc64
             * since 6.0): only a device QOM lacks is certainly absent */
            if (p == DL_PRESENT_YES && !has)
                differ(lines, "devices", "'%s' is not in this QEMU, the catalogue says %s has it",
                       *name, result->arches[a]);
        }
    }
    return lines->len - before;
}

/* ------------------------------------------------------------------ */
/* the per-binary cache                                               */

/* 2: builtins from libvirt's root bus (pci.0 / pcie.0), not query-pci's first */
#define CACHE_FORMAT "2"
static char *
resolve_binary(const char *qemu, GError **error)
{
    g_autofree char *found = strchr(qemu, '/') ? g_strdup(qemu) : g_find_program_in_path(qemu);
    char *real = found ? realpath(found, NULL) : NULL;

    if (!real) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_QEMU, "cannot run '%s': %s", qemu,
                    found ? g_strerror(errno) : "not found in PATH");
        return NULL;
    }
    return real;
}

static char *
cache_key(const char *path, const GStatBuf *st, const char *version, const char *db_dir)
{
    /* the devices looked for are the catalogue's: a changed catalogue probes again */
    g_autofree char *devices_dir = domlint_data_dir("devices");
    g_autofree char *devices_file = g_build_filename(devices_dir, "devices.xml", NULL);
    g_autofree char *devices_stamp = dl_file_stamp(devices_file);
    g_autofree char *text = g_strdup_printf("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT ".%ld\n%s\n%s\n%s\n%s",
                                            path, (gint64) st->st_size, (gint64) st->st_mtim.tv_sec,
                                            (long) st->st_mtim.tv_nsec, version,
                                            db_dir ? db_dir : "", devices_stamp ? devices_stamp : "",
                                            CACHE_FORMAT);
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);

    return g_strndup(sum, 20);
}

static void
remove_tree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_unlink(path);
    }
    g_rmdir(dir);
}

static gboolean
write_info(const dl_probe_result *result, const char *path, const GStatBuf *st,
           GPtrArray *warnings, const char *dir, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GPtrArray) deprecated = g_ptr_array_new();
    g_autofree char *file = g_build_filename(dir, "probe.ini", NULL);

    g_key_file_set_string(kf, "qemu", "path", path);
    g_key_file_set_int64(kf, "qemu", "size", (gint64) st->st_size);
    g_key_file_set_int64(kf, "qemu", "mtime", (gint64) st->st_mtim.tv_sec);
    g_key_file_set_string(kf, "qemu", "version", result->version ? result->version : "");
    g_key_file_set_string(kf, "qemu", "package", result->package ? result->package : "");
    g_key_file_set_string(kf, "qemu", "target", result->target);
    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);
        if (m->deprecated)
            g_ptr_array_add(deprecated, m->name);
        if (m->is_default)
            g_key_file_set_string(kf, "machines", "default", m->alias ? m->alias : m->name);
    }
    g_key_file_set_string_list(kf, "machines", "deprecated",
                               (const char * const *) deprecated->pdata, deprecated->len);
    g_key_file_set_string_list(kf, "devices", "present", (const char * const *) result->devices,
                               g_strv_length(result->devices));
    g_key_file_set_string_list(kf, "devices", "absent", (const char * const *) result->missing,
                               g_strv_length(result->missing));
    g_key_file_set_double(kf, "probe", "seconds", result->seconds);
    g_key_file_set_string_list(kf, "probe", "warnings", (const char * const *) warnings->pdata,
                               warnings->len);
    return g_key_file_save_to_file(kf, file, error);
}

static gboolean
fill_cache(const char *path, const GStatBuf *st, const dl_machine_db *db, const char *schema,
           const char *final, GError **error)
{
    g_autoptr(dl_probe_result) result = dl_probe_run(path, NULL, NULL, error);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *tmp = g_strdup_printf("%s.tmp-XXXXXX", final);

    if (!result)
        return FALSE;
    if (!g_mkdtemp(tmp)) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: %s", tmp, g_strerror(errno));
        return FALSE;
    }
    if (!dl_probe_write_dir(result, db, schema, TRUE, tmp, warnings, error) ||
        !write_info(result, path, st, warnings, tmp, error)) {
        remove_tree(tmp);
        return FALSE;
    }
    /* another domlint may have won the race: its result is as good as ours */
    if (rename(tmp, final) != 0)
        remove_tree(tmp);
    return TRUE;
}

char *
dl_probe_cached(const char *qemu, const dl_machine_db *db, const char *db_dir,
                const char *schema, gboolean *from_cache, GError **error)
{
    g_autofree char *path = resolve_binary(qemu, error);
    g_autofree char *version = NULL;
    g_autofree char *key = NULL;
    g_autofree char *base = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *info = NULL;
    GStatBuf st;

    if (from_cache)
        *from_cache = FALSE;
    if (!path)
        return NULL;
    if (g_stat(path, &st) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_QEMU, "%s: %s", path, g_strerror(errno));
        return NULL;
    }
    version = dl_qemu_version_of(path, error);
    if (!version)
        return NULL;
    key = cache_key(path, &st, version, db_dir);
    base = g_build_filename(g_get_user_cache_dir(), "domlint", NULL);
    dir = g_strdup_printf("%s/probe-%s", base, key);
    info = g_build_filename(dir, "probe.ini", NULL);
    if (g_file_test(info, G_FILE_TEST_IS_REGULAR)) {
        if (from_cache)
            *from_cache = TRUE;
        return g_steal_pointer(&dir);
    }
    if (g_mkdir_with_parents(base, 0700) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: %s", base, g_strerror(errno));
        return NULL;
    }
    if (!fill_cache(path, &st, db, schema, dir, error))
        return NULL;
    return g_steal_pointer(&dir);
}

void
dl_probe_facts_free(dl_probe_facts *facts)
{
    if (!facts)
        return;
    g_free(facts->qemu);
    g_free(facts->version);
    g_strfreev(facts->deprecated);
    g_strfreev(facts->absent);
    g_free(facts);
}

dl_probe_facts *
dl_probe_facts_load(const char *dir, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *file = g_build_filename(dir, "probe.ini", NULL);
    g_autoptr(dl_probe_facts) facts = g_new0(dl_probe_facts, 1);

    if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, error))
        return NULL;
    facts->qemu = g_key_file_get_string(kf, "qemu", "path", error);
    if (!facts->qemu)
        return NULL;
    facts->version = g_key_file_get_string(kf, "qemu", "version", NULL);
    /* a missing list is an empty one: g_key_file_set_string_list() of none */
    facts->deprecated = g_key_file_get_string_list(kf, "machines", "deprecated", NULL, NULL);
    facts->absent = g_key_file_get_string_list(kf, "devices", "absent", NULL, NULL);
    if (!facts->deprecated)
        facts->deprecated = g_new0(char *, 1);
    if (!facts->absent)
        facts->absent = g_new0(char *, 1);
    return g_steal_pointer(&facts);
}

/* ------------------------------------------------------------------ */
/* merging one release into the ranges (--merge)                      */

/* The <type name=NAME> element of ROOT, or NULL. */
static xmlNode *
type_node(xmlNode *root, const char *name)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        g_autofree char *value = NULL;

        if (n->type != XML_ELEMENT_NODE || strcmp((const char *) n->name, "type") != 0)
            continue;
        value = dl_xml_prop(n, "name");
        if (g_strcmp0(value, name) == 0)
            return n;
    }
    return NULL;
}

static gboolean
is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0;
}

/* A new upstream <type> after the last upstream one (or after the machine
 * lists of a family without types), indented like it.  ARCHES: its arch=,
 * or NULL for every arch of the family. */
static xmlNode *
add_type(xmlNode *root, const char *name, const char *arches)
{
    xmlNode *last = NULL, *lists = NULL;
    xmlNode *node = xmlNewNode(NULL, (const xmlChar *) "type");

    for (xmlNode *n = root->children; n; n = n->next) {
        if (is_named(n, "type") && !xmlHasProp(n, (const xmlChar *) "vendor"))
            last = n;
        if (is_named(n, "machines") || is_named(n, "removed"))
            lists = n;
    }
    xmlSetProp(node, (const xmlChar *) "name", (const xmlChar *) name);
    if (arches)
        xmlSetProp(node, (const xmlChar *) "arch", (const xmlChar *) arches);
    if (!last)
        last = lists;
    if (last) {
        xmlAddNextSibling(last, node);
        xmlAddPrevSibling(node, xmlNewText((const xmlChar *) "\n  "));
    } else {
        xmlAddChild(root, node);
    }
    return node;
}

/* RESULT's arches for an arch= attribute, or NULL when they are all of FAMILY's. */
static char *
type_arches(const dl_family *family, const dl_probe_result *result)
{
    for (gsize i = 0; family->arches[i]; i++) {
        if (strcmp(family->arches[i], "*") == 0 ||
            !g_strv_contains((const char *const *) result->arches, family->arches[i]))
            return g_strjoinv(" ", result->arches);
    }
    return NULL;
}

/* Take NAME out of the <machines> lists of ROOT that hold for TARGET and cover ARCH. */
static void
unlist_machine(xmlNode *root, const char *name, const char *arch, const dl_target *target)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        g_autofree char *covers = NULL;
        g_autofree char *text = NULL;
        g_auto(GStrv) words = NULL;
        g_autoptr(GPtrArray) kept = g_ptr_array_new();

        if (!is_named(n, "machines") || !dl_fact_holds(n, target, NULL))
            continue;
        covers = dl_xml_prop(n, "arch");
        if (covers) {
            g_auto(GStrv) list = g_strsplit(covers, " ", -1);
            if (!g_strv_contains((const char *const *) list, arch))
                continue;
        }
        text = (char *) xmlNodeGetContent(n);
        words = g_strsplit_set(text ? text : "", " \t\n", -1);
        for (gsize w = 0; words[w]; w++) {
            if (*words[w] && strcmp(words[w], name) != 0)
                g_ptr_array_add(kept, words[w]);
        }
        g_ptr_array_add(kept, NULL);
        g_free(text);
        text = g_strjoinv(" ", (char **) kept->pdata);
        xmlNodeSetContent(n, (const xmlChar *) text);
    }
}

/* What FAMILY's file says differently from the probed machines of RESULT, edited into ROOT. */
static guint
merge_family(xmlNode *root, const dl_family *family, const dl_probe_result *result,
             const dl_machine_db *db, GPtrArray *changes, GPtrArray *warnings)
{
    const dl_target *target = dl_machine_db_target(db);
    const char *arch = result->arches ? result->arches[0] : NULL;
    const char *release = target->qemu;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    char **listed;
    guint n = 0;

    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);
        const dl_machine_type *type;

        if (family_of(db, arch, m->name) != family || dl_family_alias_prefix(family, m->name))
            continue;
        g_hash_table_add(seen, m->name);
        if (m->alias)
            g_hash_table_add(seen, m->alias);
        type = dl_family_type(family, arch, m->name);
        if (!type) {
            g_autofree char *arches = NULL;
            xmlNode *node;

            if (g_strv_contains((const char *const *) dl_family_machines_for_arch(family, arch),
                                m->name))
                continue;
            arches = type_arches(family, result);
            node = add_type(root, m->name, arches);
            xmlSetProp(node, (const xmlChar *) "added", (const xmlChar *) release);
            if (m->deprecated)
                xmlSetProp(node, (const xmlChar *) "deprecated", (const xmlChar *) release);
            g_ptr_array_add(changes, g_strdup_printf("%s: + %s, added in %s%s", family->id, m->name,
                                                     release, m->deprecated ? " (deprecated)" : ""));
            n++;
        } else if (!dl_machine_type_in_target(type, target)) {
            warn(warnings, "%s: '%s' is in this QEMU %s, but the data's range excludes %s: not changed",
                 family->id, m->name, release, release);
        } else if (m->deprecated && !dl_machine_type_deprecated(type, target)) {
            xmlSetProp(type_node(root, m->name), (const xmlChar *) "deprecated", (const xmlChar *) release);
            g_ptr_array_add(changes, g_strdup_printf("%s: %s deprecated in %s", family->id, m->name, release));
            n++;
        }
    }
    for (guint i = 0; i < family->types->len; i++) {
        const dl_machine_type *type = g_ptr_array_index(family->types, i);
        xmlNode *node;

        if (type->vendor || g_hash_table_contains(seen, type->name) ||
            !dl_machine_type_in_target(type, target) ||
            (type->arches && arch && !g_strv_contains((const char *const *) type->arches, arch)))
            continue;
        node = type_node(root, type->name);
        if (!node)
            continue;
        xmlSetProp(node, (const xmlChar *) "removed", (const xmlChar *) release);
        g_ptr_array_add(changes, g_strdup_printf("%s: %s removed in %s (or left out of this build)",
                                                 family->id, type->name, release));
        n++;
    }
    /* an unversioned board the lists name but the binary lacks: out of the
     * list, into a <type> that ends here (only a probe of every machine says so) */
    listed = result->all_machines ? dl_family_machines_for_arch(family, arch) : NULL;
    for (gsize i = 0; listed && listed[i]; i++) {
        g_autofree char *arches = NULL;
        xmlNode *node;

        if (g_hash_table_contains(seen, listed[i]) || dl_family_type(family, arch, listed[i]))
            continue;
        unlist_machine(root, listed[i], arch, target);
        arches = type_arches(family, result);
        node = add_type(root, listed[i], arches);
        xmlSetProp(node, (const xmlChar *) "removed", (const xmlChar *) release);
        g_ptr_array_add(changes, g_strdup_printf("%s: %s removed in %s (or left out of this build)",
                                                 family->id, listed[i], release));
        n++;
    }
    return n;
}

gboolean
dl_probe_merge_dir(const dl_probe_result *result, const dl_machine_db *db, const char *dir,
                   GPtrArray *changes, GPtrArray *warnings, GError **error)
{
    const dl_target *target = dl_machine_db_target(db);

    if (!target) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE,
                    "merging needs the knowledge loaded for the binary's release");
        return FALSE;
    }
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot create: %s", dir,
                    g_strerror(errno));
        return FALSE;
    }
    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);
        xmlDoc *doc;
        gboolean ok = TRUE;

        /* the families with versioned types or machine lists (unversioned boards) */
        if ((!family->types->len && !family->machines) || !family_covered(family, result->arches))
            continue;
        doc = xmlReadFile(family->origin, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc) {
            g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot be read", family->origin);
            return FALSE;
        }
        if (merge_family(xmlDocGetRootElement(doc), family, result, db, changes, warnings) > 0)
            ok = save_doc(doc, dir, family->id, error);
        xmlFreeDoc(doc);
        if (!ok)
            return FALSE;
    }
    if (dl_version_compare(target->qemu, target->qemu_newest) > 0)
        warn(warnings, "QEMU %s is newer than the knowledge's newest release (%s): raise <qemu newest> in data/releases/targets.xml",
             target->qemu, target->qemu_newest);
    return TRUE;
}
