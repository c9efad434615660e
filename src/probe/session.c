/*
 * session.c - starting QEMU and asking it what it has (dl_probe_run)
 *
 * One QEMU start with "-machine none" answers what the binary has
 * (query-target, query-machines, qom-list-types); then every machine type
 * is started paused with -nodefaults and read by read.c.  Machines are
 * probed by a small thread pool, one QEMU per job.  The result's lifetime
 * and the small QMP helpers the probe shares live here too.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "domlint.h"
#include "probe/probe-internal.h"
#include "probe/probe.h"
#include "probe/qmp.h"

#define DEFAULT_TIMEOUT_MS 10000
#define MAX_JOBS 8

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

gboolean
dl_probe_controller_available(const dl_probe_result *result, const char *model)
{
    return !g_strv_contains((const char *const *) result->controllers_absent, model);
}

/* The libvirt arches a binary of QEMU TARGET serves (the catalogue's <emulator>). */
static char **
target_to_arches(const dl_devices *devices, const char *target)
{
    const dl_emulator *e = dl_devices_emulator(devices, target);

    return e ? g_strdupv(e->arches) : g_strsplit(target, " ", 2);
}

const char *
dl_probe_obj_string(JsonObject *obj, const char *name)
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

/* Run COMMAND and demand an array back. */
JsonArray *
dl_probe_execute_array(dl_qmp *qmp, const char *command, JsonNode *args, JsonNode **keep, GError **error)
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

char **
dl_probe_sorted_strv(GPtrArray *array)
{
    g_ptr_array_sort(array, string_order);
    g_ptr_array_add(array, NULL);
    return (char **) g_ptr_array_free(array, FALSE);
}

/* ------------------------------------------------------------------ */
/* what the binary has: QOM types, device models                     */

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
    list = dl_probe_execute_array(qmp, "qom-list-types", args, &keep, error);
    if (!list)
        return NULL;
    types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonNode *node = json_array_get_element(list, i);
        JsonObject *t = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
        const char *name = dl_probe_obj_string(t, "name");

        if (name)
            g_hash_table_replace(types, g_strdup(name), g_strdup(dl_probe_obj_string(t, "parent")));
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
    result->devices = dl_probe_sorted_strv(have);
    result->missing = dl_probe_sorted_strv(lack);
    result->controllers_absent = dl_probe_sorted_strv(no_controller);
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
    const char *name = dl_probe_obj_string(obj, "name");
    dl_probe_machine *m;

    if (!name || !*name)
        return NULL;
    m = g_new0(dl_probe_machine, 1);
    m->name = g_strdup(name);
    m->alias = g_strdup(dl_probe_obj_string(obj, "alias"));
    m->is_default = obj_bool(obj, "is-default");
    m->deprecated = obj_bool(obj, "deprecated");
    m->builtins = g_ptr_array_new_with_free_func(dl_probe_pci_free);
    return m;
}

static gboolean
read_machines(dl_qmp *qmp, dl_probe_result *result, GError **error)
{
    g_autoptr(JsonNode) keep = NULL;
    JsonArray *list = dl_probe_execute_array(qmp, "query-machines", NULL, &keep, error);

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
    arch = JSON_NODE_HOLDS_OBJECT(ret) ? dl_probe_obj_string(json_node_get_object(ret), "arch") : NULL;
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
/* every machine, one QEMU each                                       */

static void
probe_machine(gpointer data, gpointer user_data)
{
    dl_probe_machine *m = data;
    const probe_ctx *ctx = user_data;
    g_autoptr(GError) error = NULL;
    gint64 start = g_get_monotonic_time();
    g_autoptr(dl_qmp) qmp = start_qemu(ctx, m->name, &error);

    if (!qmp || !dl_probe_read_machine(ctx->types, qmp, m, &error))
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
