/*
 * cache.c - one probe per QEMU binary, kept in the user's cache (dl_probe_cached)
 *
 * The key hashes what would change the probe (the binary's path, size,
 * mtime and version, the knowledge base, the device catalogue); the
 * directory holds the written family files and probe.ini, which
 * dl_probe_facts_load() reads back.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "core/datafile.h"
#include "core/target.h"
#include "domlint.h"
#include "probe/probe-internal.h"

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

    for (const char *name = d ? g_dir_read_name(d) : NULL; name; name = g_dir_read_name(d)) {
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
