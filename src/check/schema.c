/*
 * schema.c - RELAX NG validation against libvirt's installed schemas
 *
 * libxml2's RELAX NG validator reports a specific error ("Invalid attribute
 * slot for element address") followed by the cascade it causes up the tree
 * ("Extra element devices in interleave", "Element domain failed to validate
 * content").  The cascade names no new problem, so it is dropped whenever a
 * specific error was reported.
 *
 * Once libxml2 has rejected a document, the locator (schemaloc.h) looks for
 * the elements at fault and says what the schema expects of them; libxml2's
 * own messages are the fallback when it finds none.
 *
 * What is compiled is the flattened copy of the schema (schemacache.h) when
 * there is one, else the schema itself; errors in the schema are always
 * those of the schema itself.
 */
#include "config.h"

#include <string.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "check/schema.h"
#include "check/schemacache.h"
#include "check/schemaloc.h"
#include "core/xml.h"

struct dl_schema {
    xmlRelaxNG *rng;
    dl_schema_locator *locator;   /* finds and words what libxml2 reports vaguely */
};

typedef struct {
    GPtrArray *errors;
} collect_state;

void
dl_schema_error_free(gpointer p)
{
    dl_schema_error *e = p;

    g_free(e->message);
    g_free(e->path);
    g_free(e->suggestion);
    g_free(e);
}

static void
collect_parser_errors(void *user, dl_xml_error *err)
{
    GString *out = user;

    if (err && err->message && out->len == 0) {
        g_string_append(out, err->message);
        g_strstrip(out->str);
        out->len = strlen(out->str);
    }
}

/* Compile the schema from BUF (LEN bytes) or, BUF NULL, from the file PATH. */
static xmlRelaxNG *
compile(const char *path, const char *buf, gsize len, GString *errors)
{
    xmlRelaxNGParserCtxt *pctxt;
    xmlRelaxNG *rng;

    if (buf && len > G_MAXINT)
        return NULL;
    pctxt = buf ? xmlRelaxNGNewMemParserCtxt(buf, (int) len) : xmlRelaxNGNewParserCtxt(path);
    if (!pctxt)
        return NULL;
    xmlRelaxNGSetParserStructuredErrors(pctxt, collect_parser_errors, errors);
    rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return rng;
}

dl_schema *
dl_schema_load(const char *dir, GError **error)
{
    g_autofree char *path = g_build_filename(dir, "domain.rng", NULL);
    g_autoptr(GString) errors = g_string_new(NULL);
    g_autofree char *flat = NULL;
    gsize flat_len = 0;
    xmlRelaxNG *rng = NULL;
    dl_schema *schema;

    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                    "libvirt schema '%s' is not installed", path);
        return NULL;
    }
    /* the cached single-file copy compiles faster to the same grammar */
    flat = dl_schema_flat_get(path, &flat_len);
    if (flat)
        rng = compile(path, flat, flat_len, errors);
    /* without a copy, or should the copy not compile, the errors are the original's */
    if (!rng) {
        g_string_truncate(errors, 0);
        rng = compile(path, NULL, 0, errors);
    }
    if (!rng) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "cannot compile libvirt schema '%s': %s", path,
                    errors->len ? errors->str : "unknown error");
        return NULL;
    }
    schema = g_new0(dl_schema, 1);
    schema->rng = rng;
    schema->locator = dl_schema_locator_new(path);
    return schema;
}

void
dl_schema_free(dl_schema *schema)
{
    if (!schema)
        return;
    xmlRelaxNGFree(schema->rng);
    dl_schema_locator_free(schema->locator);
    g_free(schema);
}

/* Errors that only restate a problem already reported further down the tree. */
static gboolean
is_cascade(const char *msg)
{
    return strstr(msg, "failed to validate content") ||
           strstr(msg, "in interleave") ||
           strstr(msg, "Expecting an element") ||
           strstr(msg, "Invalid sequence in interleave");
}

static void
collect_valid_errors(void *user, dl_xml_error *err)
{
    collect_state *st = user;
    dl_schema_error *e;
    g_autofree char *msg = NULL;

    if (!err || !err->message)
        return;
    msg = g_strdup(err->message);
    g_strstrip(msg);
    e = g_new0(dl_schema_error, 1);
    e->line = err->line;
    if (err->node) {
        xmlNode *node = err->node;
        if (e->line <= 0)
            e->line = (int) xmlGetLineNo(node);
        e->path = dl_xml_path(node);
    }
    e->message = g_steal_pointer(&msg);
    g_ptr_array_add(st->errors, e);
}

/*
 * For DOC, which libxml2 rejected: the elements at fault, in words
 * (schemaloc.h), or NULL when the locator finds none.
 */
static GPtrArray *
located_errors(dl_schema *schema, xmlDoc *doc)
{
    GPtrArray *located = dl_schema_locate(schema->locator, doc);

    if (located->len > 0)
        return located;
    g_ptr_array_unref(located);
    return NULL;
}

GPtrArray *
dl_schema_validate(dl_schema *schema, xmlDoc *doc)
{
    collect_state st = { g_ptr_array_new_with_free_func(dl_schema_error_free) };
    g_autoptr(GPtrArray) specific = g_ptr_array_new_with_free_func(dl_schema_error_free);
    xmlRelaxNGValidCtxt *vctxt = xmlRelaxNGNewValidCtxt(schema->rng);
    GPtrArray *located;

    xmlRelaxNGSetValidStructuredErrors(vctxt, collect_valid_errors, &st);
    xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    located = st.errors->len > 0 ? located_errors(schema, doc) : NULL;
    if (located) {
        g_ptr_array_unref(st.errors);
        return located;
    }

    for (guint i = 0; i < st.errors->len; i++) {
        dl_schema_error *e = g_ptr_array_index(st.errors, i);
        if (!is_cascade(e->message))
            g_ptr_array_add(specific, g_ptr_array_steal_index(st.errors, i--));
    }
    if (specific->len == 0) {
        /* only the cascade: its first entry is the deepest element that failed,
         * and when libxml2 gave it no node, the next entry names the element */
        dl_schema_error *first = st.errors->len ? g_ptr_array_index(st.errors, 0) : NULL;
        for (guint i = 1; first && first->line <= 0 && i < st.errors->len; i++) {
            dl_schema_error *e = g_ptr_array_index(st.errors, i);
            if (e->line > 0) {
                first->line = e->line;
                g_free(first->path);
                first->path = g_strdup(e->path);
            }
        }
        if (st.errors->len > 1)
            g_ptr_array_remove_range(st.errors, 1, st.errors->len - 1);
        return st.errors;
    }
    g_ptr_array_unref(st.errors);
    return g_steal_pointer(&specific);
}
