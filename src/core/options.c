/*
 * options.c - domlint_options and domlint_text_options: the setters
 *
 * The structs are opaque to callers (src/core/options.h) so that a new
 * setting adds a function instead of changing a struct callers allocate.
 */
#include "config.h"

#include "core/options.h"

domlint_options *
domlint_options_new(void)
{
    return g_new0(domlint_options, 1);
}

domlint_options *
domlint_options_copy(const domlint_options *options)
{
    domlint_options *copy = g_new(domlint_options, 1);

    *copy = *options;
    copy->machine_db = g_strdup(options->machine_db);
    copy->schema_dir = g_strdup(options->schema_dir);
    copy->disable = g_strdupv(options->disable);
    copy->enable = g_strdupv(options->enable);
    copy->qemu = g_strdup(options->qemu);
    copy->connect = g_strdup(options->connect);
    copy->host_root = g_strdup(options->host_root);
    copy->target = g_strdup(options->target);
    return copy;
}

void
domlint_options_free(domlint_options *options)
{
    if (!options)
        return;
    g_free(options->machine_db);
    g_free(options->schema_dir);
    g_strfreev(options->disable);
    g_strfreev(options->enable);
    g_free(options->qemu);
    g_free(options->connect);
    g_free(options->host_root);
    g_free(options->target);
    g_free(options);
}

static void
set_string(char **field, const char *value)
{
    char *copy = g_strdup(value);

    g_free(*field);
    *field = copy;
}

static void
set_list(char ***field, const char *const *value)
{
    char **copy = g_strdupv((char **) value);

    g_strfreev(*field);
    *field = copy;
}

void
domlint_options_set_machine_db(domlint_options *options, const char *dir)
{
    set_string(&options->machine_db, dir);
}

void
domlint_options_set_schema_dir(domlint_options *options, const char *dir)
{
    set_string(&options->schema_dir, dir);
}

void
domlint_options_set_no_schema(domlint_options *options, gboolean no_schema)
{
    options->no_schema = no_schema;
}

void
domlint_options_set_disable(domlint_options *options, const char *const *rules)
{
    set_list(&options->disable, rules);
}

void
domlint_options_set_enable(domlint_options *options, const char *const *rules)
{
    set_list(&options->enable, rules);
}

void
domlint_options_set_qemu(domlint_options *options, const char *binary)
{
    set_string(&options->qemu, binary);
}

void
domlint_options_set_connect(domlint_options *options, const char *uri)
{
    set_string(&options->connect, uri);
}

void
domlint_options_set_host_root(domlint_options *options, const char *root)
{
    set_string(&options->host_root, root);
}

void
domlint_options_set_layout(domlint_options *options, gboolean layout)
{
    options->layout = layout;
}

void
domlint_options_set_spare_ports(domlint_options *options, int count)
{
    options->spare_ports_set = count >= 0;
    options->spare_ports = (guint) CLAMP(count, 0, 255);
}

void
domlint_options_set_target(domlint_options *options, const char *spec)
{
    set_string(&options->target, spec);
}

void
domlint_options_set_load_in_parallel(domlint_options *options, gboolean parallel)
{
    options->load_in_parallel = parallel;
}

void
domlint_options_set_fix_safe_only(domlint_options *options, gboolean safe_only)
{
    options->fix_safe_only = safe_only;
}

domlint_text_options *
domlint_text_options_new(void)
{
    return g_new0(domlint_text_options, 1);
}

void
domlint_text_options_free(domlint_text_options *options)
{
    g_free(options);
}

void
domlint_text_options_set_color(domlint_text_options *options, gboolean color)
{
    options->color = color;
}

void
domlint_text_options_set_excerpt(domlint_text_options *options, gboolean excerpt)
{
    options->excerpt = excerpt;
}
