/*
 * conffile.c - .domlint.conf, a repository's defaults for the command line
 *
 * GKeyFile reads the values; it gives no line numbers, so the line an
 * error is about is found by reading the text again, group by group.
 */
#include "config.h"

#include <string.h>

#include "cli/conffile.h"
#include "cli/cli.h"
#include "domlint.h"
#include "core/suggest.h"

#define GROUP "domlint"

static const char *const known_keys[] = {
    "disable", "enable", "werror", "host", "spare-ports", "target", "schema-dir", "format", NULL,
};

void
dl_settings_clear(dl_settings *s)
{
    g_strfreev(s->disable);
    g_strfreev(s->enable);
    g_free(s->target);
    g_free(s->schema_dir);
    g_free(s->format);
    memset(s, 0, sizeof(*s));
    s->werror = -1;
    s->host = -1;
    s->spare_ports = -1;
}

/* ------------------------------------------------------------ merging */

static gboolean
strv_has(char **list, const char *id)
{
    return list && g_strv_contains((const char *const *) list, id);
}

/* The items of A that REMOVE does not name (none when REMOVE says 'all'), then those of ADD. */
static char **
list_merge(char **a, char **remove, char **add)
{
    GPtrArray *out = g_ptr_array_new();

    for (gsize i = 0; a && a[i] && !strv_has(remove, "all"); i++) {
        if (!strv_has(remove, a[i]))
            g_ptr_array_add(out, g_strdup(a[i]));
    }
    for (gsize i = 0; add && add[i]; i++)
        g_ptr_array_add(out, g_strdup(add[i]));
    g_ptr_array_add(out, NULL);
    return (char **) g_ptr_array_free(out, FALSE);
}

void
dl_settings_merge(const dl_settings *base, const dl_settings *over, dl_settings *out)
{
    out->disable = list_merge(base->disable, over->enable, over->disable);
    out->enable = list_merge(base->enable, over->disable, over->enable);
    out->werror = over->werror >= 0 ? over->werror : base->werror;
    out->host = over->host >= 0 ? over->host : base->host;
    out->spare_ports = over->spare_ports >= 0 ? over->spare_ports : base->spare_ports;
    out->target = g_strdup(over->target ? over->target : base->target);
    out->schema_dir = g_strdup(over->schema_dir ? over->schema_dir : base->schema_dir);
    out->format = g_strdup(over->format ? over->format : base->format);
}

/* ------------------------------------------------------------ lines */

/* The group a "[name]" line opens, or NULL (caller frees). */
static char *
group_of_line(const char *line)
{
    const char *close;

    if (line[0] != '[')
        return NULL;
    close = strchr(line, ']');
    return close ? g_strndup(line + 1, (gsize) (close - line - 1)) : NULL;
}

/* The key of a "key[locale] = value" line (caller frees), or NULL. */
static char *
key_of_line(const char *line)
{
    const char *eq = strchr(line, '=');
    g_autofree char *key = NULL;

    if (!eq)
        return NULL;
    key = g_strndup(line, (gsize) (eq - line));
    g_strstrip(key);
    key[strcspn(key, "[")] = '\0';
    return g_steal_pointer(&key);
}

/*
 * The line of KEY in GROUP (KEY NULL: of the "[GROUP]" line), or with
 * GROUP NULL the first line GKeyFile cannot read; 0 when not found.
 */
static int
find_line(const char *text, const char *group, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *current = NULL;

    for (int i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);
        g_autofree char *opened = group_of_line(line);
        g_autofree char *k = NULL;

        if (!*line || *line == '#')
            continue;
        if (opened) {
            if (group && !key && strcmp(opened, group) == 0)
                return i + 1;
            g_free(current);
            current = g_steal_pointer(&opened);
            continue;
        }
        k = key_of_line(line);
        if (!group && (!k || !current))
            return i + 1;
        if (group && key && k && g_strcmp0(current, group) == 0 && strcmp(k, key) == 0)
            return i + 1;
    }
    return 0;
}

/* ------------------------------------------------------------ loading */

typedef struct {
    const char *path;
    const char *text;
    GKeyFile *kf;
    dl_config *config;
} loader;

static gboolean G_GNUC_PRINTF(4, 5)
fail(const loader *ld, const char *key, GError **error, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    int line = find_line(ld->text, GROUP, key);
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (line > 0)
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s:%d: %s", ld->path, line, msg);
    else
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: %s", ld->path, msg);
    return FALSE;
}

static gboolean
load_rules(const loader *ld, const char *key, char ***out, GError **error)
{
    g_auto(GStrv) values = g_key_file_get_string_list(ld->kf, GROUP, key, NULL, NULL);
    g_auto(GStrv) ids = dl_cli_split_lists(values);

    for (gsize i = 0; ids[i]; i++) {
        if (strcmp(ids[i], "all") != 0 && !domlint_rule_find(ids[i]))
            return fail(ld, key, error, "'%s' names an unknown rule '%s' (see domlint --list-rules)", key, ids[i]);
    }
    *out = g_steal_pointer(&ids);
    return TRUE;
}

/* A true/false KEY into *OUT (1 or 0). */
static gboolean
load_boolean(const loader *ld, const char *key, int *out, GError **error)
{
    g_autoptr(GError) err = NULL;
    gboolean on = g_key_file_get_boolean(ld->kf, GROUP, key, &err);
    g_autofree char *raw = NULL;

    if (err) {
        raw = g_key_file_get_value(ld->kf, GROUP, key, NULL);
        return fail(ld, key, error, "'%s' takes true or false, not '%s'", key, raw ? raw : "");
    }
    *out = on ? 1 : 0;
    return TRUE;
}

static gboolean
load_spare_ports(const loader *ld, GError **error)
{
    g_autofree char *raw = g_key_file_get_value(ld->kf, GROUP, "spare-ports", NULL);
    guint64 n = 0;

    g_strstrip(raw);
    if (!g_ascii_string_to_unsigned(raw, 10, 0, 255, &n, NULL))
        return fail(ld, "spare-ports", error, "'spare-ports' takes a number from 0 to 255, not '%s'", raw);
    ld->config->settings.spare_ports = (int) n;
    return TRUE;
}

/* A string value that must not be empty (caller frees), or NULL with ERROR. */
static char *
load_string(const loader *ld, const char *key, GError **error)
{
    g_autofree char *value = g_key_file_get_string(ld->kf, GROUP, key, NULL);

    if (!value || !*g_strstrip(value)) {
        fail(ld, key, error, "'%s' is empty", key);
        return NULL;
    }
    return g_steal_pointer(&value);
}

static gboolean
load_format(const loader *ld, GError **error)
{
    g_autofree char *value = load_string(ld, "format", error);
    g_autoptr(GError) bad = NULL;

    if (!value)
        return FALSE;
    if (!dl_cli_check_choice("'format'", value, dl_cli_formats, &bad))
        return fail(ld, "format", error, "%s", bad->message);
    ld->config->settings.format = g_steal_pointer(&value);
    return TRUE;
}

/* schema-dir: relative to the directory of the config file. */
static gboolean
load_schema_dir(const loader *ld, GError **error)
{
    g_autofree char *value = load_string(ld, "schema-dir", error);
    g_autofree char *base = g_path_get_dirname(ld->path);
    g_autofree char *dir = NULL;

    if (!value)
        return FALSE;
    dir = g_path_is_absolute(value) ? g_strdup(value) : g_build_filename(base, value, NULL);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
        return fail(ld, "schema-dir", error, "'schema-dir' '%s' is not a directory", dir);
    ld->config->settings.schema_dir = g_steal_pointer(&dir);
    return TRUE;
}

static gboolean
load_key(const loader *ld, const char *key, GError **error)
{
    dl_settings *s = &ld->config->settings;

    if (strcmp(key, "disable") == 0)
        return load_rules(ld, key, &s->disable, error);
    if (strcmp(key, "enable") == 0)
        return load_rules(ld, key, &s->enable, error);
    if (strcmp(key, "werror") == 0)
        return load_boolean(ld, key, &s->werror, error);
    if (strcmp(key, "host") == 0)
        return load_boolean(ld, key, &s->host, error);
    if (strcmp(key, "spare-ports") == 0)
        return load_spare_ports(ld, error);
    if (strcmp(key, "target") == 0) {
        s->target = load_string(ld, key, error);
        ld->config->target_line = find_line(ld->text, GROUP, key);
        return s->target != NULL;
    }
    if (strcmp(key, "schema-dir") == 0)
        return load_schema_dir(ld, error);
    if (strcmp(key, "format") == 0)
        return load_format(ld, error);
    {
        g_autofree char *keys = g_strjoinv(", ", (char **) known_keys);
        const char *near = dl_suggest(key, known_keys);

        if (near)
            return fail(ld, key, error, "unknown key '%s' (did you mean '%s'?)", key, near);
        return fail(ld, key, error, "unknown key '%s' (the keys are %s)", key, keys);
    }
}

static gboolean
load_groups(const loader *ld, GError **error)
{
    g_auto(GStrv) groups = g_key_file_get_groups(ld->kf, NULL);
    g_auto(GStrv) keys = NULL;

    for (gsize i = 0; groups[i]; i++) {
        if (strcmp(groups[i], GROUP) != 0) {
            int line = find_line(ld->text, groups[i], NULL);
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                        "%s:%d: unknown group '[%s]': the settings go in [" GROUP "]",
                        ld->path, line, groups[i]);
            return FALSE;
        }
    }
    keys = g_key_file_get_keys(ld->kf, GROUP, NULL, NULL);
    for (gsize i = 0; keys && keys[i]; i++) {
        if (!load_key(ld, keys[i], error))
            return FALSE;
    }
    return TRUE;
}

static void
config_free(gpointer p)
{
    dl_config *c = p;

    if (!c)
        return;
    g_free(c->path);
    dl_settings_clear(&c->settings);
    g_free(c);
}

static dl_config *
config_load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GKeyFile) kf = g_key_file_new();
    gsize len = 0;
    dl_config *config;
    loader ld = { path, NULL, kf, NULL };

    if (!g_file_get_contents(path, &text, &len, &err)) {
        g_set_error(error, G_FILE_ERROR, err->code, "%s: cannot read: %s", path, err->message);
        return NULL;
    }
    if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &err)) {
        int line = find_line(text, NULL, NULL);
        if (line > 0)
            g_set_error(error, G_KEY_FILE_ERROR, err->code, "%s:%d: %s", path, line, err->message);
        else
            g_set_error(error, G_KEY_FILE_ERROR, err->code, "%s: %s", path, err->message);
        return NULL;
    }
    config = g_new0(dl_config, 1);
    config->path = g_strdup(path);
    dl_settings_clear(&config->settings);
    ld.text = text;
    ld.config = config;
    if (!load_groups(&ld, error)) {
        config_free(config);
        return NULL;
    }
    return config;
}

/* ------------------------------------------------------------ finding */

struct dl_configs {
    char *explicit_path;
    GHashTable *by_dir;      /* directory (absolute, or as written) -> config path, "" for none */
    GHashTable *loaded;      /* config path -> dl_config* */
};

dl_configs *
dl_configs_new(const char *explicit_path)
{
    dl_configs *c = g_new0(dl_configs, 1);

    c->explicit_path = g_strdup(explicit_path);
    c->by_dir = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    c->loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, config_free);
    return c;
}

void
dl_configs_free(dl_configs *configs)
{
    if (!configs)
        return;
    g_free(configs->explicit_path);
    g_hash_table_unref(configs->by_dir);
    g_hash_table_unref(configs->loaded);
    g_free(configs);
}

/* The config file DIR (absolute) uses: its own or its nearest parent's, "" for none. */
static const char *
find_from(dl_configs *configs, const char *dir)
{
    const char *known = g_hash_table_lookup(configs->by_dir, dir);
    g_autofree char *candidate = NULL;
    g_autofree char *parent = NULL;
    const char *found;

    if (known)
        return known;
    candidate = g_build_filename(dir, DL_CONFIG_NAME, NULL);
    if (g_file_test(candidate, G_FILE_TEST_IS_REGULAR)) {
        found = candidate;
    } else {
        parent = g_path_get_dirname(dir);
        found = strcmp(parent, dir) == 0 ? "" : find_from(configs, parent);
    }
    g_hash_table_insert(configs->by_dir, g_strdup(dir), g_strdup(found));
    return g_hash_table_lookup(configs->by_dir, dir);
}

gboolean
dl_configs_lookup(dl_configs *configs, const char *path, const dl_config **config, GError **error)
{
    g_autofree char *dir = strcmp(path, "-") == 0 ? g_get_current_dir() : g_path_get_dirname(path);
    const char *file = configs->explicit_path;
    dl_config *loaded;

    *config = NULL;
    /* the directory as written is remembered too: most files share theirs */
    if (!file)
        file = g_hash_table_lookup(configs->by_dir, dir);
    if (!file) {
        g_autofree char *absolute = g_canonicalize_filename(dir, NULL);
        file = find_from(configs, absolute);
        g_hash_table_insert(configs->by_dir, g_strdup(dir), g_strdup(file));
        file = g_hash_table_lookup(configs->by_dir, dir);
    }
    if (!*file)
        return TRUE;
    loaded = g_hash_table_lookup(configs->loaded, file);
    if (!loaded) {
        loaded = config_load(file, error);
        if (!loaded)
            return FALSE;
        g_hash_table_insert(configs->loaded, g_strdup(file), loaded);
    }
    *config = loaded;
    return TRUE;
}

/* ------------------------------------------------------------ groups */

void
dl_run_group_free(dl_run_group *group)
{
    if (!group)
        return;
    dl_settings_clear(&group->settings);
    domlint_options_free(group->options);
    g_free(group);
}

/* The root of the host --host checks: DOMLINT_HOST_ROOT (for tests), else this machine's. */
static const char *
host_root(void)
{
    const char *root = g_getenv("DOMLINT_HOST_ROOT");

    return root && *root ? root : "/";
}

/* The group of the files that use CONFIG, made when it is the first. */
static guint
group_index(GPtrArray *groups, const dl_config *config, const dl_settings *cli,
            const domlint_options *base)
{
    static const dl_settings none = { .werror = -1, .host = -1, .spare_ports = -1 };
    const char *env = g_getenv("DOMLINT_TARGET");
    dl_run_group *g;

    for (guint i = 0; i < groups->len; i++) {
        g = g_ptr_array_index(groups, i);
        if (g->config == config)
            return i;
    }
    g = g_new0(dl_run_group, 1);
    g->config = config;
    dl_settings_merge(config ? &config->settings : &none, cli, &g->settings);
    /* DOMLINT_TARGET, the default --target, wins over a config file */
    if (!cli->target && env && *env)
        g_clear_pointer(&g->settings.target, g_free);
    g->options = domlint_options_copy(base);
    domlint_options_set_disable(g->options, (const char *const *) g->settings.disable);
    domlint_options_set_enable(g->options, (const char *const *) g->settings.enable);
    domlint_options_set_schema_dir(g->options, g->settings.schema_dir);
    domlint_options_set_target(g->options, g->settings.target);
    domlint_options_set_spare_ports(g->options, g->settings.spare_ports);
    if (g->settings.host > 0)
        domlint_options_set_host_root(g->options, host_root());
    g_ptr_array_add(groups, g);
    return groups->len - 1;
}

gboolean
dl_run_groups_assign(dl_configs *configs, GPtrArray *files, const dl_settings *cli,
                     const domlint_options *base, GPtrArray *groups, guint *group_of,
                     GError **error)
{
    if (files->len == 0)
        group_index(groups, NULL, cli, base);
    for (guint i = 0; i < files->len; i++) {
        const dl_config *config = NULL;
        dl_run_group *g;

        if (configs && !dl_configs_lookup(configs, g_ptr_array_index(files, i), &config, error))
            return FALSE;
        group_of[i] = group_index(groups, config, cli, base);
        g = g_ptr_array_index(groups, group_of[i]);
        g->files++;
    }
    return TRUE;
}

const char *
dl_run_groups_format(GPtrArray *groups, GError **error)
{
    const dl_run_group *chosen = NULL;

    for (guint i = 0; i < groups->len; i++) {
        const dl_run_group *g = g_ptr_array_index(groups, i);

        if (!g->settings.format)
            continue;
        /* a format from the command line is every group's: only config files can differ */
        if (chosen && strcmp(chosen->settings.format, g->settings.format) != 0) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "%s sets format '%s', %s sets '%s': one run writes one format, so give --format",
                        chosen->config->path, chosen->settings.format, g->config->path, g->settings.format);
            return NULL;
        }
        chosen = g;
    }
    return chosen ? chosen->settings.format : "text";
}

gboolean
dl_run_groups_start(GPtrArray *groups, GError **error)
{
    for (guint i = 0; i < groups->len; i++) {
        dl_run_group *g = g_ptr_array_index(groups, i);
        const dl_config *c = g->config;
        g_autoptr(GError) err = NULL;
        const char *msg;

        g->ctx = domlint_ctx_new(g->options, &err);
        if (g->ctx)
            continue;
        msg = err->message;
        /* a target from a config file is named by its line there (the library says "--target") */
        if (c && c->settings.target && g_strcmp0(c->settings.target, g->settings.target) == 0) {
            if (g_str_has_prefix(msg, "--target: "))
                msg += 2;
            g_set_error(error, err->domain, err->code, "%s:%d: %s", c->path, c->target_line, msg);
        } else {
            g_propagate_error(error, g_steal_pointer(&err));
        }
        return FALSE;
    }
    return TRUE;
}
