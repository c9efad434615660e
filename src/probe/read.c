/*
 * read.c - what one machine type has, from a walk of its QOM tree
 *
 * Below /machine of a QEMU started paused with -nodefaults: the device and
 * bus types (which bus is libvirt's root, pci.0 or pcie.0, its host bridge
 * and the PCI functions on it, the floppy and IDE buses, the ISA devices).
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "probe/probe-internal.h"
#include "probe/qmp.h"

#define MAX_QOM_NODES 4096
#define MAX_QOM_DEPTH 16
#define MAX_TYPE_DEPTH 64

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

/* ------------------------------------------------------------------ */
/* the QOM tree below /machine                                        */

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
        const char *name = dl_probe_obj_string(prop, "name");
        g_autofree char *type = child_type(dl_probe_obj_string(prop, "type"));
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
    props = dl_probe_execute_array(qmp, "qom-list", args, &keep, error);
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
    m->ide_buses = dl_probe_sorted_strv(g_steal_pointer(&ide));
    m->isa_devices = dl_probe_sorted_strv(g_steal_pointer(&isa));
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

gboolean
dl_probe_read_machine(GHashTable *types, dl_qmp *qmp, dl_probe_machine *m, GError **error)
{
    g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func(qom_node_free);
    g_autofree char *root_path = NULL;

    if (!walk_qom(qmp, types, "/machine", 0, nodes, error))
        return FALSE;
    for (guint i = 0; i < nodes->len; i++) {
        qom_node *node = g_ptr_array_index(nodes, i);

        if (type_implements(types, node->type, "pci-device") &&
            !read_pci_node(qmp, node, error))
            return FALSE;
    }
    classify_nodes(types, nodes, m, &root_path);
    read_builtins(nodes, root_path, m);
    return TRUE;
}
