/*
 * write.c - the probed knowledge written as family files (dl_probe_write_dir)
 *
 * One document per family: the shipped one edited (familydoc.c), validated
 * against schemas/machines.rng, written atomically; the directory must load
 * back as a knowledge base.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#include "core/load.h"
#include "probe/probe-internal.h"

static void
first_xml_error(void *data, dl_xml_error *err)
{
    GString *msg = data;

    if (err && err->message && msg->len == 0) {
        g_string_append(msg, err->message);
        while (msg->len && g_ascii_isspace(msg->str[msg->len - 1]))
            g_string_truncate(msg, msg->len - 1);
    }
}

static xmlRelaxNG *
load_schema(const char *schema, GError **error)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    xmlRelaxNGParserCtxt *pctxt = xmlRelaxNGNewParserCtxt(schema);
    xmlRelaxNG *rng;

    if (!pctxt) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID, "%s: cannot be read", schema);
        return NULL;
    }
    xmlRelaxNGSetParserStructuredErrors(pctxt, first_xml_error, msg);
    rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!rng)
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID, "%s: %s", schema,
                    msg->len ? msg->str : "invalid schema");
    return rng;
}

static gboolean
validate(xmlRelaxNG *rng, xmlDoc *doc, const char *id, GError **error)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    xmlRelaxNGValidCtxt *vctxt;
    int rc;

    if (!rng)
        return TRUE;
    vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vctxt, first_xml_error, msg);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (rc == 0)
        return TRUE;
    g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID,
                "the probed family '%s' does not follow the machines schema: %s", id,
                msg->len ? msg->str : "invalid");
    return FALSE;
}

/* Write DOC to DIR/ID.xml through a temporary file and a rename. */
gboolean
dl_probe_save_doc(xmlDoc *doc, const char *dir, const char *id, GError **error)
{
    g_autofree char *name = g_strdup_printf("%s.xml", id);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.tmp", dir, name);

    if (xmlSaveFormatFileEnc(tmp, doc, "UTF-8", 1) < 0 || rename(tmp, path) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot write: %s", path,
                    g_strerror(errno));
        unlink(tmp);
        return FALSE;
    }
    return TRUE;
}

static gboolean
write_family(const dl_family_probe *fp, const dl_probe_result *result, const dl_target *target,
             xmlRelaxNG *rng, const char *dir, GPtrArray *warnings, GError **error)
{
    xmlDoc *doc = xmlReadFile(fp->family->origin, NULL,
                              dl_xml_parse_options(DL_XML_DATA_TREE));
    gboolean ok;

    if (!doc) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot be read",
                    fp->family->origin);
        return FALSE;
    }
    /* a family known by name only is copied as shipped */
    if (!fp->family->no_facts)
        dl_probe_edit_doc(doc, fp, result, target, warnings);
    ok = validate(rng, doc, fp->family->id, error) && dl_probe_save_doc(doc, dir, fp->family->id, error);
    xmlFreeDoc(doc);
    return ok;
}

gboolean
dl_probe_write_dir(const dl_probe_result *result, const dl_machine_db *db, const char *schema,
                   gboolean all_families, const char *dir, GPtrArray *warnings, GError **error)
{
    g_autoptr(GPtrArray) groups = NULL;
    g_autoptr(GError) local = NULL;
    xmlRelaxNG *rng = NULL;
    dl_machine_db *check;
    gboolean ok = TRUE;

    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot create: %s", dir,
                    g_strerror(errno));
        return FALSE;
    }
    if (schema) {
        rng = load_schema(schema, error);
        if (!rng)
            return FALSE;
    }
    groups = dl_probe_group_machines(result, db, all_families, warnings);
    for (guint i = 0; ok && i < groups->len; i++)
        ok = write_family(g_ptr_array_index(groups, i), result, dl_machine_db_target(db), rng, dir,
                          warnings, error);
    if (rng)
        xmlRelaxNGFree(rng);
    if (!ok)
        return FALSE;
    /* what was written must load as a knowledge base (canonical names listed...) */
    check = dl_machine_db_load(dir, schema, NULL, &local);
    if (!check) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_INVALID,
                    "the probed knowledge does not load: %s", local->message);
        return FALSE;
    }
    dl_machine_db_free(check);
    return TRUE;
}
