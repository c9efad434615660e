/*
 * ruledoc.c - where a rule is documented: its --explain text and its page
 *
 * The text is data/rules/<id>.txt (installed in $(pkgdatadir)/rules); the
 * build turns each into <id>.html beside an index.html, installed in
 * $(docdir)/rules (scripts/rule-pages.awk).  Where those pages are read is
 * configure's --with-doc-url, by default the installed files themselves;
 * DOMLINT_DOC_URL overrides it when a run's report links elsewhere (a
 * web server publishing the same pages).
 */
#include "config.h"

#include <string.h>

#include "domlint.h"

#ifndef DOMLINT_DOC_URL
#error "DOMLINT_DOC_URL must name where the rule pages are"
#endif

char *
domlint_rule_doc_url(const char *id)
{
    const char *base = g_getenv("DOMLINT_DOC_URL");
    const char *sep;

    if (!base || !*base)
        base = DOMLINT_DOC_URL;
    sep = g_str_has_suffix(base, "/") ? "" : "/";
    if (!id)
        return g_strconcat(base, sep, "index.html", NULL);
    return g_strconcat(base, sep, id, ".html", NULL);
}

char *
domlint_rule_explain(const char *id, GError **error)
{
    g_autofree char *dir = NULL;
    g_autofree char *file = NULL;
    g_autofree char *path = NULL;
    char *text = NULL;

    /* only a rule's own id names a file: never a path of the caller's choosing */
    if (!id || !domlint_rule_find(id)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no rule '%s'", id ? id : "(null)");
        return NULL;
    }
    dir = domlint_data_dir("rules");
    file = g_strdup_printf("%s.txt", id);
    path = g_build_filename(dir, file, NULL);
    if (!g_file_get_contents(path, &text, NULL, error))
        return NULL;
    return text;
}
