/*
 * common.c - small helpers the rule files share
 *
 * Questions about the domain and its machine are in core/query.c; what is
 * left here is about how rules word their findings.
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"

static char *
family_short_name(const dl_family *f)
{
    const char *paren = strstr(f->title, " (");

    return paren ? g_strndup(f->title, (gsize) (paren - f->title)) : g_strdup(f->title);
}

char *
dl_families_with(const dl_check *chk, gboolean (*has)(const dl_family *, const char *),
                 const char *what)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const dl_machine_db *db = chk->ctx->db;
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *f = dl_machine_db_family(db, i);
        char *name;

        if (!has(f, what))
            continue;
        name = family_short_name(f);
        if (g_ptr_array_find_with_equal_func(names, name, g_str_equal, NULL))
            g_free(name);
        else
            g_ptr_array_add(names, name);
    }
    for (guint i = 0; i < names->len; i++) {
        if (i > 0)
            g_string_append(out, i + 1 == names->len ? " and " : ", ");
        g_string_append(out, g_ptr_array_index(names, i));
    }
    if (names->len == 0)
        g_string_append(out, "no known");
    return g_string_free(out, FALSE);
}
