/*
 * target.c - which QEMU and libvirt release a domain is checked against
 *
 * Reads data/targets.xml (the releases covered, the named platforms),
 * resolves --target into a dl_target, finds the host's QEMU and libvirt
 * versions for the default target, and answers "does a fact with this
 * release range hold for the target?".
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "core/load.h"
#include "core/machines.h"
#include "core/target.h"
#include "core/datafile.h"

G_DEFINE_QUARK(domlint-target-error-quark, dl_target_error)

struct dl_releases {
    char *qemu_oldest, *qemu_newest;
    char *libvirt_oldest, *libvirt_newest;
    GPtrArray *platforms;    /* of dl_platform* */
    char **complete;         /* arches whose machine types are all known */
    GPtrArray *features;     /* of dl_schema_feature* */
    GPtrArray *vendors;      /* of dl_vendor* */
    GHashTable *rule_since;  /* rule id -> first libvirt release with its check */
    GHashTable *behaviour_since;  /* behaviour id -> first libvirt release with it ("" = any) */
    GHashTable *behaviour_before; /* behaviour id -> first libvirt release without it */
    GHashTable *rule_before; /* rule id -> first libvirt release without it */
};

typedef struct {
    char *id;
    char *title;
    gboolean upstream;
} dl_vendor;

static void
dl_vendor_free(gpointer data)
{
    dl_vendor *v = data;

    if (!v)
        return;
    g_free(v->id);
    g_free(v->title);
    g_free(v);
}

static void
dl_schema_feature_free(gpointer data)
{
    dl_schema_feature *f = data;

    if (!f)
        return;
    g_free(f->xpath);
    xmlXPathFreeCompExpr(f->compiled);
    g_free(f->what);
    g_free(f->since);
    g_free(f->source);
    g_free(f);
}

static void
dl_platform_free(gpointer data)
{
    dl_platform *p = data;

    if (!p)
        return;
    g_free(p->id);
    g_free(p->title);
    g_free(p->qemu);
    g_free(p->libvirt);
    g_free(p->vendor);
    g_free(p->vendor_version);
    g_free(p->source);
    g_free(p);
}

void
dl_releases_free(dl_releases *releases)
{
    if (!releases)
        return;
    g_free(releases->qemu_oldest);
    g_free(releases->qemu_newest);
    g_free(releases->libvirt_oldest);
    g_free(releases->libvirt_newest);
    g_clear_pointer(&releases->platforms, g_ptr_array_unref);
    g_strfreev(releases->complete);
    g_clear_pointer(&releases->features, g_ptr_array_unref);
    g_clear_pointer(&releases->vendors, g_ptr_array_unref);
    g_clear_pointer(&releases->rule_since, g_hash_table_unref);
    g_clear_pointer(&releases->behaviour_since, g_hash_table_unref);
    g_clear_pointer(&releases->behaviour_before, g_hash_table_unref);
    g_clear_pointer(&releases->rule_before, g_hash_table_unref);
    g_free(releases);
}

static dl_platform *
platform_from(xmlNode *node)
{
    dl_platform *p = g_new0(dl_platform, 1);

    p->id = dl_xml_prop(node, "id");
    p->title = dl_xml_prop(node, "title");
    p->qemu = dl_xml_prop(node, "qemu");
    p->libvirt = dl_xml_prop(node, "libvirt");
    p->vendor = dl_xml_prop(node, "vendor");
    p->vendor_version = dl_xml_prop(node, "vendor-version");
    p->source = dl_xml_prop(node, "source");
    return p;
}

static void
read_children(dl_releases *releases, xmlNode *root)
{
    for (xmlNode *node = root->children; node; node = node->next) {
        const char *name = (const char *) node->name;

        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(name, "qemu") == 0) {
            releases->qemu_oldest = dl_xml_prop(node, "oldest");
            releases->qemu_newest = dl_xml_prop(node, "newest");
        } else if (strcmp(name, "libvirt") == 0) {
            releases->libvirt_oldest = dl_xml_prop(node, "oldest");
            releases->libvirt_newest = dl_xml_prop(node, "newest");
        } else if (strcmp(name, "complete") == 0) {
            g_autofree char *arches = dl_xml_prop(node, "arches");

            g_strfreev(releases->complete);
            releases->complete = g_strsplit_set(arches ? arches : "", " \t\n", -1);
        } else if (strcmp(name, "vendor") == 0) {
            dl_vendor *v = g_new0(dl_vendor, 1);
            g_autofree char *upstream = dl_xml_prop(node, "upstream");

            v->id = dl_xml_prop(node, "id");
            v->title = dl_xml_prop(node, "title");
            v->upstream = g_strcmp0(upstream, "yes") == 0;
            g_ptr_array_add(releases->vendors, v);
        } else if (strcmp(name, "platform") == 0) {
            g_ptr_array_add(releases->platforms, platform_from(node));
        }
    }
}

static xmlDoc *read_data(const char *file, const char *schema, GError **error);

static dl_releases *
load_targets(const char *file, const char *schema, GError **error)
{
    xmlDoc *doc = read_data(file, schema, error);
    xmlNode *root;
    g_autoptr(dl_releases) releases = NULL;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    releases = g_new0(dl_releases, 1);
    releases->platforms = g_ptr_array_new_with_free_func(dl_platform_free);
    releases->features = g_ptr_array_new_with_free_func(dl_schema_feature_free);
    releases->vendors = g_ptr_array_new_with_free_func(dl_vendor_free);
    releases->rule_since = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    releases->behaviour_since = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    releases->behaviour_before = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    releases->rule_before = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (root)
        read_children(releases, root);
    xmlFreeDoc(doc);
    if (!releases->qemu_newest || !releases->libvirt_newest) {
        g_set_error(error, DL_TARGET_ERROR, DL_TARGET_ERROR_DATA,
                    "%s: needs <qemu> and <libvirt>", file);
        return NULL;
    }
    return g_steal_pointer(&releases);
}

/* Read FILE, validated against SCHEMA when not NULL (see datafile.h); NULL with ERROR. */
static xmlDoc *
read_data(const char *file, const char *schema, GError **error)
{
    return dl_data_load(file, schema, DL_TARGET_ERROR, DL_TARGET_ERROR_DATA, error);
}

static gboolean
load_schema_features(dl_releases *releases, const char *file, const char *schema, GError **error)
{
    xmlDoc *doc = read_data(file, schema, error);
    xmlNode *root;

    if (!doc)
        return FALSE;
    root = xmlDocGetRootElement(doc);
    for (xmlNode *node = root ? root->children : NULL; node; node = node->next) {
        dl_schema_feature *f;

        if (node->type != XML_ELEMENT_NODE || strcmp((const char *) node->name, "feature") != 0)
            continue;
        f = g_new0(dl_schema_feature, 1);
        f->xpath = dl_xml_prop(node, "xpath");
        f->compiled = f->xpath ? xmlXPathCompile((const xmlChar *) f->xpath) : NULL;
        f->what = dl_xml_prop(node, "what");
        f->since = dl_xml_prop(node, "since");
        f->source = dl_xml_prop(node, "source");
        g_ptr_array_add(releases->features, f);
        if (!f->compiled) {
            g_set_error(error, DL_TARGET_ERROR, DL_TARGET_ERROR_DATA, "%s: xpath '%s' does not compile",
                        file, f->xpath ? f->xpath : "");
            xmlFreeDoc(doc);
            return FALSE;
        }
    }
    xmlFreeDoc(doc);
    return TRUE;
}

static const dl_vendor *
find_vendor(const dl_releases *releases, const char *id)
{
    for (guint i = 0; releases && id && i < releases->vendors->len; i++) {
        const dl_vendor *v = g_ptr_array_index(releases->vendors, i);

        if (g_strcmp0(v->id, id) == 0)
            return v;
    }
    return NULL;
}

const char *
dl_releases_vendor_title(const dl_releases *releases, const char *id)
{
    const dl_vendor *v = find_vendor(releases, id);

    return v ? v->title : id;
}

static gboolean
load_rule_ranges(dl_releases *releases, const char *file, const char *schema, GError **error)
{
    xmlDoc *doc = read_data(file, schema, error);
    xmlNode *root;

    if (!doc)
        return FALSE;
    root = xmlDocGetRootElement(doc);
    for (xmlNode *node = root ? root->children : NULL; node; node = node->next) {
        char *since, *before;

        if (node->type == XML_ELEMENT_NODE && strcmp((const char *) node->name, "behaviour") == 0) {
            /* listed = known: since= absent means from the oldest release on */
            since = dl_xml_prop(node, "since");
            before = dl_xml_prop(node, "before");
            g_hash_table_insert(releases->behaviour_since, dl_xml_prop(node, "id"),
                                since ? since : g_strdup(""));
            if (before)
                g_hash_table_insert(releases->behaviour_before, dl_xml_prop(node, "id"), before);
            continue;
        }
        if (node->type != XML_ELEMENT_NODE || strcmp((const char *) node->name, "rule") != 0)
            continue;
        since = dl_xml_prop(node, "since");
        before = dl_xml_prop(node, "before");
        if (since)
            g_hash_table_insert(releases->rule_since, dl_xml_prop(node, "id"), since);
        if (before)
            g_hash_table_insert(releases->rule_before, dl_xml_prop(node, "id"), before);
    }
    xmlFreeDoc(doc);
    return TRUE;
}

/* DIR/NAME.xml and, with SCHEMA_DIR, its schema SCHEMA_DIR/NAME.rng when there is one. */
static void
data_paths(const char *dir, const char *schema_dir, const char *name, char **file, char **schema)
{
    g_autofree char *xml = g_strdup_printf("%s.xml", name);
    g_autofree char *rng = g_strdup_printf("%s.rng", name);

    *file = g_build_filename(dir, xml, NULL);
    *schema = schema_dir ? g_build_filename(schema_dir, rng, NULL) : NULL;
    if (*schema && !g_file_test(*schema, G_FILE_TEST_EXISTS))
        g_clear_pointer(schema, g_free);
}

dl_releases *
dl_releases_load(const char *dir, const char *schema_dir, GError **error)
{
    g_autofree char *targets = NULL, *targets_rng = NULL;
    g_autofree char *features = NULL, *features_rng = NULL;
    g_autofree char *rules = NULL, *rules_rng = NULL;
    g_autoptr(dl_releases) releases = NULL;

    data_paths(dir, schema_dir, "targets", &targets, &targets_rng);
    data_paths(dir, schema_dir, "libvirt-schema", &features, &features_rng);
    data_paths(dir, schema_dir, "libvirt-rules", &rules, &rules_rng);
    releases = load_targets(targets, targets_rng, error);
    if (!releases || !load_schema_features(releases, features, features_rng, error) ||
        !load_rule_ranges(releases, rules, rules_rng, error))
        return NULL;
    return g_steal_pointer(&releases);
}

gboolean
dl_releases_rule_applies(const dl_releases *releases, const char *id, const dl_target *target)
{
    if (!releases || !target)
        return TRUE;
    return dl_target_in_range(target, "libvirt", g_hash_table_lookup(releases->rule_since, id),
                              g_hash_table_lookup(releases->rule_before, id));
}

gboolean
dl_releases_behaviour(const dl_releases *releases, const char *id, const dl_target *target)
{
    const char *since = releases ? g_hash_table_lookup(releases->behaviour_since, id) : NULL;

    if (!since || !target)
        return FALSE;
    return dl_target_in_range(target, "libvirt", *since ? since : NULL,
                              g_hash_table_lookup(releases->behaviour_before, id));
}

guint
dl_releases_schema_feature_count(const dl_releases *releases)
{
    return releases ? releases->features->len : 0;
}

const dl_schema_feature *
dl_releases_schema_feature(const dl_releases *releases, guint i)
{
    if (!releases || i >= releases->features->len)
        return NULL;
    return g_ptr_array_index(releases->features, i);
}

guint
dl_releases_platform_count(const dl_releases *releases)
{
    return releases ? releases->platforms->len : 0;
}

const dl_platform *
dl_releases_platform(const dl_releases *releases, guint i)
{
    if (!releases || i >= releases->platforms->len)
        return NULL;
    return g_ptr_array_index(releases->platforms, i);
}

const dl_platform *
dl_releases_find_platform(const dl_releases *releases, const char *id)
{
    for (guint i = 0; i < dl_releases_platform_count(releases); i++) {
        const dl_platform *p = dl_releases_platform(releases, i);

        if (g_strcmp0(p->id, id) == 0)
            return p;
    }
    return NULL;
}

gboolean
dl_releases_arch_complete(const dl_releases *releases, const char *arch)
{
    if (!releases || !releases->complete || !arch)
        return FALSE;
    return g_strv_contains((const char *const *) releases->complete, arch);
}

const char *
dl_releases_newest(const dl_releases *releases, const char *product)
{
    return strcmp(product, "qemu") == 0 ? releases->qemu_newest : releases->libvirt_newest;
}

const char *
dl_releases_oldest(const dl_releases *releases, const char *product)
{
    return strcmp(product, "qemu") == 0 ? releases->qemu_oldest : releases->libvirt_oldest;
}

/* ------------------------------------------------------------------ */
/* versions                                                           */

char *
dl_version_major_minor(const char *version)
{
    char *end = NULL;
    guint64 major, minor = 0;

    if (!version || !g_ascii_isdigit(version[0]))
        return NULL;
    major = g_ascii_strtoull(version, &end, 10);
    if (*end == '.' && g_ascii_isdigit(end[1]))
        minor = g_ascii_strtoull(end + 1, &end, 10);
    if (major > 999 || minor > 999)
        return NULL;
    return g_strdup_printf("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, major, minor);
}

gboolean
dl_target_in_range(const dl_target *target, const char *product, const char *since,
                   const char *before)
{
    const char *have;

    if (!target)
        return TRUE;
    have = strcmp(product, "qemu") == 0 ? target->qemu : target->libvirt;
    if (since && dl_version_compare(have, since) < 0)
        return FALSE;
    if (before && dl_version_compare(have, before) >= 0)
        return FALSE;
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* the host                                                           */

static gboolean
host_disabled(void)
{
    return g_strcmp0(g_getenv("DOMLINT_HOST"), "none") == 0;
}

/* First qemu-system-* binary found, in the order that covers most guests. */
static char *
find_host_qemu(void)
{
    static const char *const names[] = {
        "qemu-system-x86_64", "qemu-system-aarch64", "qemu-system-ppc64",
        "qemu-system-s390x", "qemu-system-riscv64", "qemu-system-arm", "qemu-system-i386",
    };

    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        char *path = g_find_program_in_path(names[i]);

        if (path)
            return path;
    }
    return NULL;
}

/* QEMU answers -version at once; a binary that does not is not QEMU, or hangs. */
#define VERSION_TIMEOUT_MS 2000

static void
die_with_parent(gpointer data)
{
    (void) data;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Up to 64 KiB of the standard output of ARGV, within the time limit. */
static char *
run_bounded(const char *const *argv, GError **error)
{
    g_autoptr(GString) out = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + VERSION_TIMEOUT_MS * 1000;
    GPid pid = 0;
    int fd = -1;
    int status;
    gboolean done = FALSE;

    if (!g_spawn_async_with_pipes_and_fds(NULL, argv, NULL,
                                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
                                          G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_CLOEXEC_PIPES,
                                          die_with_parent, NULL, -1, -1, -1, NULL, NULL, 0,
                                          &pid, NULL, &fd, NULL, error))
        return NULL;
    while (!done) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        char buf[4096];
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, (int) left) <= 0)
            break;
        n = read(fd, buf, sizeof(buf));
        if (n > 0 && out->len < 65536)
            g_string_append_len(out, buf, n);
        done = n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
    }
    close(fd);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
    if (!done) {
        g_set_error(error, DL_TARGET_ERROR, DL_TARGET_ERROR_QEMU,
                    "'%s -version' did not finish in time (hangs, or is not QEMU)", argv[0]);
        return NULL;
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
dl_qemu_version_of(const char *path, GError **error)
{
    const char *argv[] = { path, "-version", NULL };
    g_autofree char *text = run_bounded(argv, error);
    const char *at;
    gsize len = 0;

    if (!text)
        return NULL;
    at = strstr(text, "version ");
    if (!at) {
        g_set_error(error, DL_TARGET_ERROR, DL_TARGET_ERROR_QEMU,
                    "'%s' is not QEMU: '-version' names no version", path);
        return NULL;
    }
    at += strlen("version ");
    while (g_ascii_isdigit(at[len]) || at[len] == '.')
        len++;
    return g_strndup(at, len);
}

/*
 * The cache of QEMU binary versions: one key per binary path, whose value is
 * "INODE:SIZE:MTIME VERSION"; a binary that changed is asked again.
 */
static char *
cache_file(void)
{
    return g_build_filename(g_get_user_cache_dir(), "domlint", "host-versions.ini", NULL);
}

static char *
cached_version(const char *path, const char *stamp)
{
    g_autofree char *file = cache_file();
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *value = NULL;
    gsize n = strlen(stamp);

    if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, NULL))
        return NULL;
    value = g_key_file_get_string(kf, "qemu", path, NULL);
    if (!value || strncmp(value, stamp, n) != 0 || value[n] != ' ')
        return NULL;
    return g_strdup(value + n + 1);
}

/* Best effort: a cache that cannot be written only costs a --version run.
 * Binaries that are gone (temporary wrappers, old builds) are forgotten. */
static void
store_version(const char *path, const char *stamp, const char *version)
{
    g_autofree char *file = cache_file();
    g_autofree char *dir = g_path_get_dirname(file);
    g_autofree char *value = g_strdup_printf("%s %s", stamp, version);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_auto(GStrv) keys = NULL;

    g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, NULL);
    keys = g_key_file_get_keys(kf, "qemu", NULL, NULL);
    for (guint i = 0; keys && keys[i]; i++) {
        if (!g_file_test(keys[i], G_FILE_TEST_EXISTS))
            g_key_file_remove_key(kf, "qemu", keys[i], NULL);
    }
    g_key_file_set_string(kf, "qemu", path, value);
    if (g_mkdir_with_parents(dir, 0700) == 0)
        g_key_file_save_to_file(kf, file, NULL);
}

char *
dl_qemu_binary_version(const char *bin)
{
    g_autofree char *path = g_find_program_in_path(bin);
    g_autofree char *stamp = path ? dl_file_stamp(path) : NULL;
    char *version;

    if (!stamp)
        return NULL;
    version = cached_version(path, stamp);
    if (version)
        return version;
    version = dl_qemu_version_of(path, NULL);
    if (version)
        store_version(path, stamp, version);
    return version;
}

char *
dl_host_qemu_version(char **origin)
{
    g_autofree char *bin = NULL;
    char *version;

    if (origin)
        *origin = NULL;
    if (host_disabled())
        return NULL;
    bin = find_host_qemu();
    if (!bin)
        return NULL;
    version = dl_qemu_binary_version(bin);
    if (version && origin)
        *origin = g_steal_pointer(&bin);
    return version;
}

/* libvirt.so.0 -> libvirt.so.0.MMMNNN.P in DIR: "M.N", or NULL (caller frees). */
static char *
libvirt_version_in(const char *dir)
{
    g_autofree char *link = g_build_filename(dir, "libvirt.so.0", NULL);
    g_autofree char *target = g_file_read_link(link, NULL);
    const char *tail;
    guint64 code;

    if (!target || !g_str_has_prefix(target, "libvirt.so.0."))
        return NULL;
    tail = target + strlen("libvirt.so.0.");
    if (!g_ascii_isdigit(*tail))
        return NULL;
    code = g_ascii_strtoull(tail, NULL, 10);
    if (code < 1000)
        return NULL;
    return g_strdup_printf("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, code / 1000, code % 1000);
}

char *
dl_libvirt_library_version(void)
{
    static const char *const dirs[] = {
        DOMLINT_LIBVIRT_LIBDIR, "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/usr/lib64", "/usr/lib", "/usr/local/lib",
    };

    for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
        char *version = dirs[i][0] ? libvirt_version_in(dirs[i]) : NULL;

        if (version)
            return version;
    }
    return NULL;
}

char *
dl_host_libvirt_version(char **origin)
{
    char *version;

    if (origin)
        *origin = NULL;
    if (host_disabled())
        return NULL;
    version = dl_libvirt_library_version();
    if (version && origin)
        *origin = g_strdup("the name of its library, libvirt.so.0");
    return version;
}

/* ------------------------------------------------------------------ */
/* resolving --target                                                 */

void
dl_target_free(dl_target *target)
{
    if (!target)
        return;
    g_free(target->qemu);
    g_free(target->libvirt);
    g_free(target->vendor);
    g_free(target->vendor_version);
    g_free(target->vendor_title);
    g_free(target->platform);
    g_free(target->platform_title);
    g_free(target->qemu_origin);
    g_free(target->libvirt_origin);
    g_free(target->qemu_newest);
    g_free(target->libvirt_newest);
    g_free(target->qemu_oldest);
    g_free(target->libvirt_oldest);
    g_free(target);
}

const char *
dl_target_from_name(dl_target_from from)
{
    switch (from) {
    case DL_TARGET_FROM_OPTION:
        return "--target";
    case DL_TARGET_FROM_ENV:
        return "DOMLINT_TARGET";
    case DL_TARGET_FROM_PLATFORM:
        return "the platform named by --target";
    case DL_TARGET_FROM_HOST:
        return "installed on this host";
    case DL_TARGET_FROM_BINARY:
        return "the --qemu binary";
    case DL_TARGET_FROM_NEWEST:
        return "the newest release domlint knows";
    case DL_TARGET_FROM_LAST:
        break;
    }
    return "unknown";
}

static gboolean
set_part(dl_target *target, const char *product, const char *version, GError **error)
{
    char *mm = dl_version_major_minor(version);

    if (!mm) {
        g_set_error(error, DL_TARGET_ERROR, DL_TARGET_ERROR_SPEC,
                    "--target: '%s' is not a %s version (expected MAJOR.MINOR, e.g. %s)",
                    version, product, strcmp(product, "qemu") == 0 ? "10.0" : "11.3");
        return FALSE;
    }
    if (strcmp(product, "qemu") == 0) {
        g_free(target->qemu);
        target->qemu = mm;
        target->qemu_from = DL_TARGET_FROM_OPTION;
    } else {
        g_free(target->libvirt);
        target->libvirt = mm;
        target->libvirt_from = DL_TARGET_FROM_OPTION;
    }
    return TRUE;
}

static void
use_platform(dl_target *target, const dl_releases *releases, const dl_platform *p)
{
    const dl_vendor *v = find_vendor(releases, p->vendor);

    target->qemu = g_strdup(p->qemu);
    target->libvirt = g_strdup(p->libvirt);
    target->vendor = g_strdup(p->vendor);
    target->vendor_version = g_strdup(p->vendor_version);
    target->vendor_title = g_strdup(v ? v->title : p->vendor);
    target->vendor_upstream = v ? v->upstream : TRUE;
    target->platform = g_strdup(p->id);
    target->platform_title = g_strdup(p->title);
    target->qemu_from = DL_TARGET_FROM_PLATFORM;
    target->libvirt_from = DL_TARGET_FROM_PLATFORM;
}

static char *
platform_ids(const dl_releases *releases)
{
    g_autoptr(GString) out = g_string_new(NULL);

    for (guint i = 0; i < dl_releases_platform_count(releases); i++)
        g_string_append_printf(out, "%s%s", i ? ", " : "", dl_releases_platform(releases, i)->id);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static gboolean
parse_spec(dl_target *target, const dl_releases *releases, const char *spec, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);
    g_autofree char *ids = NULL;

    for (guint i = 0; parts[i]; i++) {
        const char *part = g_strstrip(parts[i]);
        const dl_platform *p = dl_releases_find_platform(releases, part);

        if (p && !parts[1]) {
            use_platform(target, releases, p);
            return TRUE;
        }
        if (g_str_has_prefix(part, "qemu-") && !target->qemu) {
            if (!set_part(target, "qemu", part + strlen("qemu-"), error))
                return FALSE;
        } else if (g_str_has_prefix(part, "libvirt-") && !target->libvirt) {
            if (!set_part(target, "libvirt", part + strlen("libvirt-"), error))
                return FALSE;
        } else if ((strcmp(part, "newest") == 0 || strcmp(part, "host") == 0) && !parts[1]) {
            return TRUE;
        } else {
            ids = platform_ids(releases);
            g_set_error(error, DL_TARGET_ERROR, DL_TARGET_ERROR_SPEC,
                        "--target: '%s' is neither qemu-X.Y, libvirt-X.Y, 'host', 'newest' nor a platform (%s; see --list-targets)",
                        part, ids);
            return FALSE;
        }
    }
    return TRUE;
}

/* Fill the part PRODUCT left open: from the host (unless NEWEST), else the newest release. */
static void
fill_part(dl_target *target, const dl_releases *releases, const char *product, gboolean newest)
{
    gboolean qemu = strcmp(product, "qemu") == 0;
    char **slot = qemu ? &target->qemu : &target->libvirt;
    char **origin = qemu ? &target->qemu_origin : &target->libvirt_origin;
    dl_target_from *from = qemu ? &target->qemu_from : &target->libvirt_from;
    g_autofree char *host = NULL;

    if (*slot)
        return;
    if (!newest)
        host = qemu ? dl_host_qemu_version(origin) : dl_host_libvirt_version(origin);
    *slot = dl_version_major_minor(host);
    if (*slot) {
        *from = DL_TARGET_FROM_HOST;
        return;
    }
    *slot = g_strdup(dl_releases_newest(releases, product));
    *from = DL_TARGET_FROM_NEWEST;
}

dl_target *
dl_target_resolve(const dl_releases *releases, const char *spec,
                  const char *qemu_binary_version, GError **error)
{
    g_autoptr(dl_target) target = g_new0(dl_target, 1);
    const char *env = g_getenv("DOMLINT_TARGET");
    gboolean from_env = !spec && env && *env;
    gboolean newest;

    if (from_env)
        spec = env;
    newest = spec && strcmp(spec, "newest") == 0;
    if (spec && !parse_spec(target, releases, spec, error)) {
        if (from_env)
            g_prefix_error(error, "DOMLINT_TARGET: ");
        return NULL;
    }
    if (from_env) {
        if (target->qemu_from == DL_TARGET_FROM_OPTION)
            target->qemu_from = DL_TARGET_FROM_ENV;
        if (target->libvirt_from == DL_TARGET_FROM_OPTION)
            target->libvirt_from = DL_TARGET_FROM_ENV;
    }
    /* the binary is what the domains are checked against: its release wins */
    if (qemu_binary_version) {
        g_free(target->qemu);
        target->qemu = dl_version_major_minor(qemu_binary_version);
        target->qemu_from = DL_TARGET_FROM_BINARY;
    }
    fill_part(target, releases, "qemu", newest);
    fill_part(target, releases, "libvirt", newest);
    target->qemu_newest = g_strdup(releases->qemu_newest);
    target->libvirt_newest = g_strdup(releases->libvirt_newest);
    target->qemu_oldest = g_strdup(releases->qemu_oldest);
    target->libvirt_oldest = g_strdup(releases->libvirt_oldest);
    return g_steal_pointer(&target);
}

char *
dl_target_qemu_label(const dl_target *target)
{
    if (target->vendor)
        return g_strdup_printf("%s %s, based on QEMU %s", target->vendor_title,
                               target->vendor_version, target->qemu);
    return g_strdup_printf("QEMU %s", target->qemu);
}

char *
dl_target_label(const dl_target *target, const char *product)
{
    gboolean qemu = strcmp(product, "qemu") == 0;
    g_autofree char *release = qemu ? dl_target_qemu_label(target)
                                    : g_strdup_printf("libvirt %s", target->libvirt);
    dl_target_from from = qemu ? target->qemu_from : target->libvirt_from;

    return g_strdup_printf("%s (%s)", release,
                           target->platform ? target->platform : dl_target_from_name(from));
}

char *
dl_target_describe(const dl_target *target)
{
    g_autofree char *qemu = dl_target_qemu_label(target);

    if (target->platform)
        return g_strdup_printf("%s, libvirt %s (%s: %s)", qemu, target->libvirt,
                               target->platform, target->platform_title);
    return g_strdup_printf("%s, libvirt %s", qemu, target->libvirt);
}
