/*
 * validcache.c - remember which data files already passed their schema
 *
 * See validcache.h.  One GKeyFile group per schema stamp, one key per file.
 * The records are read once per process and shared by every open cache
 * (a start opens one per data file kind, threads one each); they are
 * written when the last one closes, if something was remembered.
 */
#include "config.h"

#include <sys/stat.h>

#include "validcache.h"

struct dl_valid_cache {
    char *group;             /* the schema's stamp: which schema the records are for */
};

static GMutex lock;
static GKeyFile *records;    /* shared while users > 0 */
static char *records_path;
static guint users;
static gboolean changed;

/* "inode:size:mtime-ns" of FILE, or NULL when it cannot be stat'ed (caller frees). */
static char *
stamp(const char *file)
{
    struct stat st;

    if (!file || stat(file, &st) != 0)
        return NULL;
    return g_strdup_printf("%lu:%lld:%lld.%09ld", (unsigned long) st.st_ino,
                           (long long) st.st_size, (long long) st.st_mtim.tv_sec,
                           (long) st.st_mtim.tv_nsec);
}

dl_valid_cache *
dl_valid_cache_open(const char *schema)
{
    dl_valid_cache *cache = g_new0(dl_valid_cache, 1);
    g_autofree char *schema_stamp = stamp(schema);

    if (schema_stamp)
        cache->group = g_strdup_printf("%s %s", schema, schema_stamp);
    g_mutex_lock(&lock);
    if (users++ == 0) {
        records_path = g_build_filename(g_get_user_cache_dir(), "domlint", "validated.ini", NULL);
        records = g_key_file_new();
        changed = FALSE;
        g_key_file_load_from_file(records, records_path, G_KEY_FILE_NONE, NULL);
    }
    g_mutex_unlock(&lock);
    return cache;
}

gboolean
dl_valid_cache_known(const dl_valid_cache *cache, const char *file)
{
    g_autofree char *now = stamp(file);
    g_autofree char *then = NULL;

    if (!cache->group || !now)
        return FALSE;
    g_mutex_lock(&lock);
    then = g_key_file_get_string(records, cache->group, file, NULL);
    g_mutex_unlock(&lock);
    return g_strcmp0(now, then) == 0;
}

void
dl_valid_cache_remember(dl_valid_cache *cache, const char *file)
{
    g_autofree char *now = stamp(file);

    if (!cache->group || !now)
        return;
    g_mutex_lock(&lock);
    g_key_file_set_string(records, cache->group, file, now);
    changed = TRUE;
    g_mutex_unlock(&lock);
}

/*
 * Forget files and schemas that are gone (temporary copies, old build
 * trees), so that the cache holds what exists, however many come and go.
 * Only when something is written anyway: a normal start never gets here.
 */
static void
prune(GKeyFile *kf)
{
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

    for (guint g = 0; groups && groups[g]; g++) {
        g_autofree char *schema = g_strdup(groups[g]);
        char *space = strrchr(schema, ' ');
        g_auto(GStrv) keys = NULL;

        if (space)
            *space = '\0';
        if (!g_file_test(schema, G_FILE_TEST_EXISTS)) {
            g_key_file_remove_group(kf, groups[g], NULL);
            continue;
        }
        keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
        for (guint k = 0; keys && keys[k]; k++) {
            if (!g_file_test(keys[k], G_FILE_TEST_EXISTS))
                g_key_file_remove_key(kf, groups[g], keys[k], NULL);
        }
    }
}

/* Best effort, atomic: a cache that cannot be written only costs validations. */
static void
save(void)
{
    g_autofree char *dir = g_path_get_dirname(records_path);
    g_autofree char *data = NULL;
    gsize len = 0;

    prune(records);
    data = g_key_file_to_data(records, &len, NULL);
    if (data && g_mkdir_with_parents(dir, 0700) == 0)
        g_file_set_contents(records_path, data, (gssize) len, NULL);
}

void
dl_valid_cache_close(dl_valid_cache *cache)
{
    if (!cache)
        return;
    g_mutex_lock(&lock);
    if (--users == 0) {
        if (changed)
            save();
        g_clear_pointer(&records, g_key_file_free);
        g_clear_pointer(&records_path, g_free);
    }
    g_mutex_unlock(&lock);
    g_free(cache->group);
    g_free(cache);
}
