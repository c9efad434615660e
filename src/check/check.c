/*
 * check.c - the checking pipeline
 *
 * load -> schema -> model -> machine lookup -> topology -> rules, for one
 * file at a time, with everything that is costly (knowledge base, compiled
 * schema) made once in the domlint_ctx.
 */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "core/internal.h"
#include "check/diag.h"
#include "core/topology.h"
#include "check/rules/rules.h"
#include "core/datafile.h"
#include "core/suggest.h"
#include "check/suppress.h"

/* The architecture libvirt assumes when <type> has none: the host's. */
#define DL_DEFAULT_ARCH "x86_64"

const char *
domlint_version(void)
{
    return PACKAGE_VERSION;
}

static gboolean
set_rules(domlint_ctx *ctx, const char *const *ids, gboolean on, GError **error)
{
    if (!ids)
        return TRUE;
    for (gsize i = 0; ids[i]; i++) {
        gboolean found = FALSE;
        for (guint r = 0; r < dl_rule_total; r++) {
            if (strcmp(dl_rules[r]->id, ids[i]) == 0 || strcmp(ids[i], "all") == 0) {
                ctx->enabled[r] = on;
                found = TRUE;
            }
        }
        if (!found) {
            g_autofree char *message = dl_rule_unknown_message(ids[i]);
            g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
            return FALSE;
        }
    }
    return TRUE;
}

/*
 * --qemu: the knowledge probed from QEMU (once; then from the cache) replaces
 * the shipped knowledge, which supplies the libvirt-side facts of the probe.
 */
static gboolean
use_probe(domlint_ctx *ctx, const char *qemu, const char *spec, const char *machines_rng,
          GError **error)
{
    g_autofree char *dir = dl_probe_cached(qemu, ctx->db, ctx->db_dir, machines_rng, NULL, error);
    dl_machine_db *db;
    dl_target *target;

    if (!dir)
        return FALSE;
    ctx->probed = dl_probe_facts_load(dir, error);
    if (!ctx->probed)
        return FALSE;
    /* the binary decides the QEMU part of the target */
    target = dl_target_resolve(ctx->releases, spec, ctx->probed->version, error);
    if (!target)
        return FALSE;
    dl_target_free(ctx->target);
    ctx->target = target;
    db = dl_machine_db_load(dir, machines_rng, ctx->target, error);
    if (!db)
        return FALSE;
    dl_machine_db_free(ctx->db);
    ctx->db = db;
    g_free(ctx->db_dir);
    ctx->db_dir = g_steal_pointer(&dir);
    return TRUE;
}

/* data/releases, installed beside the machines or in the source tree; its
 * schemas beside machines.rng */
static gboolean
load_target(domlint_ctx *ctx, const domlint_options *options, const char *machines_rng,
            GError **error)
{
    g_autofree char *dir = domlint_data_dir("releases");
    g_autofree char *schema_dir = machines_rng ? g_path_get_dirname(machines_rng) : NULL;

    ctx->releases = dl_releases_load(dir, schema_dir, error);
    if (!ctx->releases)
        return FALSE;
    ctx->platforms = g_new0(domlint_platform_info, dl_releases_platform_count(ctx->releases) + 1);
    for (guint i = 0; i < dl_releases_platform_count(ctx->releases); i++) {
        const dl_platform *p = dl_releases_platform(ctx->releases, i);

        ctx->platforms[i] = (domlint_platform_info) {
            .id = p->id, .title = p->title, .qemu = p->qemu, .libvirt = p->libvirt,
            .vendor = p->vendor, .source = p->source,
        };
    }
    ctx->target = dl_target_resolve(ctx->releases, options->target, NULL, error);
    return ctx->target != NULL;
}

/* data/devices for the context's target, its schema beside machines.rng */
static gboolean
load_devices(domlint_ctx *ctx, const char *machines_rng, GError **error)
{
    g_autofree char *dir = domlint_data_dir("devices");
    g_autofree char *schema_dir = machines_rng ? g_path_get_dirname(machines_rng) : NULL;
    dl_devices *devices = dl_devices_load(dir, schema_dir, ctx->target, error);

    if (!devices)
        return FALSE;
    dl_devices_free(ctx->devices);
    ctx->devices = devices;
    return TRUE;
}

/* Everything of a context but the schema.  FALSE with ERROR. */
static gboolean
ctx_fill(domlint_ctx *ctx, const domlint_options *options, GError **error)
{
    g_autofree char *machines_rng = dl_machines_schema_path(ctx->db_dir);

    if (!load_target(ctx, options, machines_rng, error))
        return FALSE;
    ctx->db = dl_machine_db_load(ctx->db_dir, machines_rng, ctx->target, error);
    if (!ctx->db ||
        (options->qemu && !use_probe(ctx, options->qemu, options->target, machines_rng, error)) ||
        !load_devices(ctx, machines_rng, error))
        return FALSE;
    ctx->layout = options->layout || options->spare_ports_set;
    ctx->spare_ports = options->spare_ports_set ? (int) MIN(options->spare_ports, 255) : -1;
    ctx->fix_safe_only = options->fix_safe_only;
    ctx->host_root = g_strdup(options->host_root);
    if (options->connect)
        ctx->conn = dl_connection_open(options->connect, error);
    if (options->connect && !ctx->conn)
        return FALSE;
    ctx->enabled = g_new(gboolean, dl_rule_total);
    for (guint r = 0; r < dl_rule_total; r++)
        ctx->enabled[r] = TRUE;
    if (!set_rules(ctx, (const char *const *) options->disable, FALSE, error) ||
        !set_rules(ctx, (const char *const *) options->enable, TRUE, error))
        return FALSE;
    /* a check the target libvirt does not have is not run, whatever --enable says */
    for (guint r = 0; r < dl_rule_total; r++) {
        if (!dl_releases_rule_applies(ctx->releases, dl_rules[r]->id, ctx->target))
            ctx->enabled[r] = FALSE;
        /* the host rules look at this machine: only when asked to (--host) */
        if (dl_rules[r]->host && !ctx->host_root)
            ctx->enabled[r] = FALSE;
    }
    ctx->no_schema = options->no_schema;
    if (!options->no_schema) {
        /* a schema directory the user names is taken to be the target libvirt's own */
        ctx->schema_version = options->schema_dir ? g_strdup(ctx->target->libvirt)
                                                  : dl_libvirt_library_version();
    }
    return TRUE;
}

/*
 * The knowledge loads on a thread of its own while the schema compiles on
 * the caller's: the schema is the larger part of a context, and on two
 * cores a one-file run then waits only for the longer of the two.  It is
 * that way round so that the schema, which every file's validation walks,
 * is allocated from the caller's own heap.  libxml2 parses and compiles on
 * any thread once its global tables are made, which is done first.
 * --qemu (which starts QEMU) and --connect load on the caller's thread.
 * Only when the caller asks (load_in_parallel): once a process has had a
 * second thread, glibc's malloc locks on every call, a few percent over a
 * long run.
 */
typedef struct {
    domlint_ctx *ctx;
    const domlint_options *options;
    gboolean ok;
    GError *error;
} fill_job;

static gpointer
fill_job_run(gpointer data)
{
    fill_job *job = data;

    job->ok = ctx_fill(job->ctx, job->options, &job->error);
    return NULL;
}

static void
load_schema(domlint_ctx *ctx, const domlint_options *options)
{
    GError *schema_error = NULL;
    const char *dir = options->schema_dir ? options->schema_dir : DOMLINT_LIBVIRT_SCHEMA_DIR;

    ctx->schema = dl_schema_load(dir, &schema_error);
    if (!ctx->schema) {
        ctx->schema_missing = g_strdup_printf("%s; schema validation skipped, machine rules still run",
                                              schema_error->message);
        g_error_free(schema_error);
    }
}

static domlint_ctx *
ctx_new(const domlint_options *options, GError **error)
{
    domlint_options defaults = { 0 };
    fill_job job = { 0 };
    GThread *thread = NULL;

    if (!options)
        options = &defaults;
    job.ctx = g_new0(domlint_ctx, 1);
    job.options = options;
    if (options->machine_db)
        job.ctx->db_dir = g_strdup(options->machine_db);
    else
        job.ctx->db_dir = domlint_data_dir("machines");
    if (options->load_in_parallel && !options->no_schema && !options->qemu && !options->connect) {
        xmlInitParser();
        xmlRelaxNGInitTypes();
        thread = g_thread_try_new("domlint-load", fill_job_run, &job, NULL);
    }
    if (thread) {
        load_schema(job.ctx, options);
        g_thread_join(thread);
    } else {
        fill_job_run(&job);
        if (job.ok && !options->no_schema)
            load_schema(job.ctx, options);
    }
    if (!job.ok) {
        g_propagate_error(error, job.error);
        domlint_ctx_free(job.ctx);
        return NULL;
    }
    return job.ctx;
}

domlint_ctx *
domlint_ctx_new(const domlint_options *options, GError **error)
{
    domlint_ctx *ctx;

    /* every data file's validation record is read once for the whole load */
    dl_data_records_hold();
    ctx = ctx_new(options, error);
    dl_data_records_release();
    return ctx;
}

void
domlint_ctx_free(domlint_ctx *ctx)
{
    if (!ctx)
        return;
    dl_machine_db_free(ctx->db);
    dl_devices_free(ctx->devices);
    dl_target_free(ctx->target);
    g_free(ctx->platforms);
    dl_releases_free(ctx->releases);
    dl_probe_facts_free(ctx->probed);
    dl_connection_free(ctx->conn);
    g_free(ctx->host_root);
    dl_schema_free(ctx->schema);
    g_free(ctx->schema_missing);
    g_free(ctx->schema_version);
    g_free(ctx->enabled);
    g_free(ctx->db_dir);
    g_free(ctx);
}

const char *
domlint_ctx_machine_db(const domlint_ctx *ctx)
{
    return ctx->db_dir;
}

void
domlint_result_free(domlint_result *result)
{
    if (!result)
        return;
    g_free(result->file);
    g_free(result->failure);
    g_free(result->machine);
    g_free(result->family);
    g_free(result->text);
    g_ptr_array_unref(result->diags);
    g_free(result);
}

guint
domlint_result_count(const domlint_result *result, domlint_severity severity)
{
    guint n = 0;

    for (guint i = 0; i < result->diags->len; i++) {
        const domlint_diag *d = g_ptr_array_index(result->diags, i);
        if (d->severity == severity)
            n++;
    }
    return n;
}

static domlint_result *
result_new(const char *name)
{
    domlint_result *r = g_new0(domlint_result, 1);

    r->file = g_strdup(name);
    r->status = DOMLINT_FILE_CHECKED;
    r->diags = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_diag_free);
    return r;
}

static void
result_fail(domlint_result *r, const char *reason)
{
    r->status = DOMLINT_FILE_FAILED;
    r->failure = g_strdup(reason);
}

domlint_result *
dl_result_failed(const char *name, const char *reason)
{
    domlint_result *r = result_new(name);

    result_fail(r, reason);
    return r;
}

static void
resolve_machine(dl_check *chk)
{
    const dl_machine_db *db = chk->ctx->db;

    chk->arch_given = chk->dom->arch != NULL;
    chk->arch = chk->dom->arch ? chk->dom->arch : DL_DEFAULT_ARCH;
    chk->machine = chk->dom->machine;
    if (!chk->machine)
        chk->machine = dl_machine_db_default_machine(db, chk->arch);
    if (!chk->machine) {
        chk->match = DL_MATCH_NONE;
        return;
    }
    chk->match = dl_machine_db_lookup(db, chk->arch, chk->machine, &chk->family, &chk->closest);
    chk->named = chk->family;
    /* a board known by name only: the machine-type rule judges the name, nothing else runs */
    if (chk->family && chk->family->no_facts) {
        chk->family = NULL;
        return;
    }
    /* a type of another release, or one newer than the knowledge, is still of its family */
    if (chk->match == DL_MATCH_NOT_IN_TARGET || chk->match == DL_MATCH_FUTURE) {
        chk->canonical = dl_family_canonical(chk->family, chk->machine);
        return;
    }
    if (chk->match != DL_MATCH_OK) {
        /* facts of a family that does not apply would only produce noise */
        chk->family = NULL;
        return;
    }
    chk->canonical = dl_family_canonical(chk->family, chk->machine);
}

static int
diag_order(gconstpointer a, gconstpointer b)
{
    const domlint_diag *x = *(domlint_diag *const *) a;
    const domlint_diag *y = *(domlint_diag *const *) b;

    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return 0;
}

static void
run_rules(domlint_ctx *ctx, dl_check *chk)
{
    for (guint r = 0; r < dl_rule_total; r++) {
        if (!ctx->enabled[r])
            continue;
        chk->rule_id = dl_rules[r]->id;
        dl_rules[r]->check(chk);
    }
    chk->rule_id = NULL;
}

static domlint_result *
check_source(domlint_ctx *ctx, const char *name, dl_source *src, const char *reason)
{
    domlint_result *result;

    if (!src)
        return dl_result_failed(name, reason);
    result = dl_check_parsed(ctx, name, src, NULL);
    /* the report quotes its lines: the text is handed over, never copied */
    if (result->status == DOMLINT_FILE_CHECKED && !result->text) {
        result->text = g_steal_pointer(&src->text);
        result->text_len = src->len;
    }
    return result;
}

domlint_result *
dl_check_parsed(domlint_ctx *ctx, const char *name, const dl_source *src, GPtrArray *fixes)
{
    return dl_check_parsed_visit(ctx, name, src, fixes, NULL, NULL);
}

domlint_result *
dl_check_parsed_visit(domlint_ctx *ctx, const char *name, const dl_source *src, GPtrArray *fixes,
                      dl_check_visit visit, gpointer data)
{
    domlint_result *result = result_new(name);
    xmlNode *root;
    dl_check chk = { 0 };
    g_autoptr(dl_suppressions) suppress = NULL;

    root = xmlDocGetRootElement(src->doc);
    if (!root || strcmp((const char *) root->name, "domain") != 0) {
        g_autofree char *why = g_strdup_printf("root element is <%s>, not <domain>: not a libvirt domain XML",
                                               root ? (const char *) root->name : "");
        result_fail(result, why);
        return result;
    }
    chk.ctx = ctx;
    chk.file = name;
    chk.src = src;
    chk.diags = result->diags;
    chk.fixes = fixes;
    chk.claimed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    chk.dom = dl_domain_new(src->doc, ctx->devices);
    resolve_machine(&chk);
    chk.topo = dl_topology_build(&chk);
    suppress = dl_suppressions_scan(src);
    chk.suppress = suppress;
    run_rules(ctx, &chk);
    /* here, so that every output format and --fix see the same findings */
    dl_suppressions_filter(suppress, result->diags, fixes);
    g_ptr_array_sort(result->diags, diag_order);

    result->machine = g_strdup(chk.canonical ? chk.canonical : chk.machine);
    /* a fixing round goes on editing SRC: its result quotes a copy (fixing is
     * rare, and its last round's text is what the remaining findings are in) */
    if (fixes) {
        result->text = g_memdup2(src->text, src->len + 1);
        result->text_len = src->len;
    }
    result->family = chk.family ? g_strdup(chk.family->id) : NULL;
    if (visit)
        visit(&chk, result, data);
    dl_topology_free(chk.topo);
    dl_domain_free(chk.dom);
    g_hash_table_unref(chk.claimed);
    dl_xpaths_free(chk.paths);
    return result;
}

domlint_result *
domlint_check_file(domlint_ctx *ctx, const char *path)
{
    g_autofree char *reason = NULL;
    g_autoptr(dl_source) src = dl_source_load(path, &reason);

    return check_source(ctx, domlint_input_name(path), src, reason);
}

domlint_result *
domlint_check_memory(domlint_ctx *ctx, const char *name, const char *data, gsize len)
{
    g_autofree char *reason = NULL;
    g_autoptr(dl_source) src = dl_source_parse(data, len, &reason);

    return check_source(ctx, name, src, reason);
}

guint
domlint_rule_count(void)
{
    return dl_rule_total;
}

const domlint_rule_info *
domlint_rule_get(guint i)
{
    static domlint_rule_info *infos;

    if (i >= dl_rule_total)
        return NULL;
    if (g_once_init_enter(&infos)) {
        domlint_rule_info *all = g_new0(domlint_rule_info, dl_rule_total);
        for (guint r = 0; r < dl_rule_total; r++) {
            all[r].id = dl_rules[r]->id;
            all[r].summary = dl_rules[r]->summary;
            all[r].severity = dl_rules[r]->severity;
        }
        g_once_init_leave(&infos, all);
    }
    return &infos[i];
}

const domlint_rule_info *
domlint_rule_find(const char *id)
{
    for (guint r = 0; r < dl_rule_total; r++) {
        if (strcmp(dl_rules[r]->id, id) == 0)
            return domlint_rule_get(r);
    }
    return NULL;
}

void
domlint_ctx_target(const domlint_ctx *ctx, domlint_target_info *info, char **description)
{
    const dl_target *t = ctx->target;

    memset(info, 0, sizeof(*info));
    info->qemu = t->qemu;
    info->libvirt = t->libvirt;
    info->vendor = t->vendor;
    info->vendor_version = t->vendor_version;
    info->platform = t->platform;
    info->qemu_from = dl_target_from_name(t->qemu_from);
    info->libvirt_from = dl_target_from_name(t->libvirt_from);
    info->qemu_origin = t->qemu_origin;
    info->libvirt_origin = t->libvirt_origin;
    if (description)
        *description = dl_target_describe(t);
}

void
domlint_ctx_releases(const domlint_ctx *ctx, domlint_release_span *span)
{
    span->qemu_oldest = dl_releases_oldest(ctx->releases, "qemu");
    span->qemu_newest = dl_releases_newest(ctx->releases, "qemu");
    span->libvirt_oldest = dl_releases_oldest(ctx->releases, "libvirt");
    span->libvirt_newest = dl_releases_newest(ctx->releases, "libvirt");
}

const domlint_platform_info *
domlint_ctx_platform(const domlint_ctx *ctx, guint i)
{
    if (i >= dl_releases_platform_count(ctx->releases))
        return NULL;
    return &ctx->platforms[i];
}
