/*
 * datafile.c - reading domlint's own data files
 *
 * See datafile.h.  The validation records are one GKeyFile group per
 * schema stamp, one key per file.  They are read once per process and
 * shared by every validator (a start makes one per data file kind, threads
 * one each); they are written when the last user lets go, if something was
 * remembered.
 */
#include "config.h"

#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "core/datafile.h"
#include "core/load.h"

/* Options for our own data files: never the network, never entities. */

static GMutex lock;
static GKeyFile *records;    /* shared while users > 0 */
static char *records_path;
static guint users;
static gboolean changed;

char *
dl_file_stamp(const char *file)
{
    struct stat st;

    if (!file || stat(file, &st) != 0)
        return NULL;
    return g_strdup_printf("%lu:%lld:%lld.%09ld", (unsigned long) st.st_ino,
                           (long long) st.st_size, (long long) st.st_mtim.tv_sec,
                           (long) st.st_mtim.tv_nsec);
}

void
dl_data_records_hold(void)
{
    g_mutex_lock(&lock);
    if (users++ == 0) {
        records_path = g_build_filename(g_get_user_cache_dir(), "domlint", "validated.ini", NULL);
        records = g_key_file_new();
        changed = FALSE;
        g_key_file_load_from_file(records, records_path, G_KEY_FILE_NONE, NULL);
    }
    g_mutex_unlock(&lock);
}

/* The records' group for SCHEMA: its path and stamp (caller frees), or NULL. */
static char *
schema_group(const char *schema)
{
    g_autofree char *schema_stamp = dl_file_stamp(schema);

    return schema_stamp ? g_strdup_printf("%s %s", schema, schema_stamp) : NULL;
}

static gboolean
record_known(const char *group, const char *file)
{
    g_autofree char *now = dl_file_stamp(file);
    g_autofree char *then = NULL;

    if (!group || !now)
        return FALSE;
    g_mutex_lock(&lock);
    then = g_key_file_get_string(records, group, file, NULL);
    g_mutex_unlock(&lock);
    return g_strcmp0(now, then) == 0;
}

static void
record_remember(const char *group, const char *file)
{
    g_autofree char *now = dl_file_stamp(file);

    if (!group || !now)
        return;
    g_mutex_lock(&lock);
    g_key_file_set_string(records, group, file, now);
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
dl_data_records_release(void)
{
    g_mutex_lock(&lock);
    if (--users == 0) {
        if (changed)
            save();
        g_clear_pointer(&records, g_key_file_free);
        g_clear_pointer(&records_path, g_free);
    }
    g_mutex_unlock(&lock);
}

/* ------------------------------------------------------------------ */
/* reading and validating                                             */

/* The first complaint of libxml2, with its line. */
typedef struct {
    int line;
    GString *text;
} first_message;

static void
message_set(first_message *msg, int line, const char *text)
{
    msg->line = line;
    g_string_assign(msg->text, text ? text : "unknown libxml2 error");
    while (msg->text->len > 0 && g_ascii_isspace(msg->text->str[msg->text->len - 1]))
        g_string_truncate(msg->text, msg->text->len - 1);
}

static void
collect_first(void *data, dl_xml_error *err)
{
    first_message *msg = data;

    if (err && msg->text->len == 0)
        message_set(msg, err->line, err->message);
}

/* The parser's own messages are read back with xmlCtxtGetLastError(). */
static void
ignore_message(void *data, dl_xml_error *err)
{
    (void) data;
    (void) err;
}

static void
set_message_error(GError **error, GQuark domain, int code, const char *file,
                  const first_message *msg, const char *fallback)
{
    const char *text = msg->text->len ? msg->text->str : fallback;

    if (msg->line > 0)
        g_set_error(error, domain, code, "%s:%d: %s", file, msg->line, text);
    else
        g_set_error(error, domain, code, "%s: %s", file, text);
}

xmlDoc *
dl_data_read(const char *file, GQuark domain, int code, GError **error)
{
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    g_autoptr(GString) text = g_string_new(NULL);
    first_message msg = { 0, text };
    xmlDoc *doc;

    if (!ctxt) {
        g_set_error(error, domain, code, "%s: out of memory", file);
        return NULL;
    }
    /* libxml2 would print its own "I/O error" for these, then find the document empty */
    if (!g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
        const char *what = "no such file";

        if (g_file_test(file, G_FILE_TEST_IS_DIR))
            what = "is a directory";
        else if (g_file_test(file, G_FILE_TEST_EXISTS))
            what = "not a regular file";
        else if (g_str_has_prefix(file, DOMLINT_PKGDATADIR "/") && !g_getenv("DOMLINT_DATA_DIR"))
            what = "no such file (domlint is not installed; in a build tree use "
                   "'build/run domlint' or set DOMLINT_DATA_DIR to the source tree's data)";
        g_set_error(error, domain, code, "%s: %s", file, what);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    ctxt->sax->serror = ignore_message;
    doc = xmlCtxtReadFile(ctxt, file, NULL, dl_xml_parse_options(DL_XML_DATA));
    if (!doc) {
        const xmlError *last = xmlCtxtGetLastError(ctxt);

        if (last)
            message_set(&msg, last->line, last->message);
        set_message_error(error, domain, code, file, &msg, "cannot be read");
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

struct dl_data_validator {
    char *schema;            /* path, or NULL: no validation */
    char *group;             /* its records' group, or NULL */
    xmlRelaxNG *rng;         /* compiled when a file first needs it */
    GQuark domain;
    int code;
};

dl_data_validator *
dl_data_validator_new(const char *schema, GQuark domain, int code)
{
    dl_data_validator *v = g_new0(dl_data_validator, 1);

    v->schema = g_strdup(schema);
    v->group = schema ? schema_group(schema) : NULL;
    v->domain = domain;
    v->code = code;
    if (schema)
        dl_data_records_hold();
    return v;
}

void
dl_data_validator_free(dl_data_validator *v)
{
    if (!v)
        return;
    if (v->schema)
        dl_data_records_release();
    if (v->rng)
        xmlRelaxNGFree(v->rng);
    g_free(v->schema);
    g_free(v->group);
    g_free(v);
}

/* The schema file is read with the same silent, safe parser as the data. */
static gboolean
compile(dl_data_validator *v, GError **error)
{
    xmlDoc *doc = dl_data_read(v->schema, v->domain, v->code, error);
    xmlRelaxNGParserCtxt *pctxt;
    g_autoptr(GString) text = g_string_new(NULL);
    first_message msg = { 0, text };

    if (!doc)
        return FALSE;
    pctxt = xmlRelaxNGNewDocParserCtxt(doc);
    if (!pctxt) {
        xmlFreeDoc(doc);
        g_set_error(error, v->domain, v->code, "%s: out of memory", v->schema);
        return FALSE;
    }
    xmlRelaxNGSetParserStructuredErrors(pctxt, collect_first, &msg);
    v->rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    xmlFreeDoc(doc);
    if (!v->rng)
        set_message_error(error, v->domain, v->code, v->schema, &msg, "invalid schema");
    return v->rng != NULL;
}

gboolean
dl_data_validate(dl_data_validator *v, xmlDoc *doc, const char *file, GError **error)
{
    xmlRelaxNGValidCtxt *vctxt;
    g_autoptr(GString) text = g_string_new(NULL);
    g_autofree char *fallback = NULL;
    first_message msg = { 0, text };
    int rc;

    if (!v->schema || record_known(v->group, file))
        return TRUE;
    if (!v->rng && !compile(v, error))
        return FALSE;
    vctxt = xmlRelaxNGNewValidCtxt(v->rng);
    if (!vctxt) {
        g_set_error(error, v->domain, v->code, "%s: out of memory", file);
        return FALSE;
    }
    xmlRelaxNGSetValidStructuredErrors(vctxt, collect_first, &msg);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (rc == 0) {
        record_remember(v->group, file);
        return TRUE;
    }
    fallback = g_strdup_printf("does not follow %s", v->schema);
    set_message_error(error, v->domain, v->code, file, &msg, fallback);
    return FALSE;
}

xmlDoc *
dl_data_load(const char *file, const char *schema, GQuark domain, int code, GError **error)
{
    xmlDoc *doc = dl_data_read(file, domain, code, error);
    dl_data_validator *v;
    gboolean ok;

    if (!doc)
        return NULL;
    v = dl_data_validator_new(schema, domain, code);
    ok = dl_data_validate(v, doc, file, error);
    dl_data_validator_free(v);
    if (!ok) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}
