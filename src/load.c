/*
 * load.c - reading untrusted domain XML safely
 *
 * Domain XML reaches domlint from repositories and pipelines nobody reviewed,
 * so the parser runs with the network off, no DTD loading and no entity
 * substitution.  A document that declares entities is refused outright: no
 * libvirt domain needs one, and refusing them is the only complete answer to
 * expansion bombs and external-entity reads.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "load.h"

typedef struct {
    gboolean saw_entity;
    gboolean saw_dtd;
    char *first_error;     /* the first parse error: later ones are its echoes */
    int first_error_line;
} load_guard;

static void
guard_error(void *user, xmlError *err)
{
    xmlParserCtxt *ctxt = user;
    load_guard *guard = ctxt->_private;

    if (guard->first_error || !err || !err->message || err->level < XML_ERR_ERROR)
        return;
    guard->first_error = g_strstrip(g_strdup(err->message));
    guard->first_error_line = err->line;
}

static void
guard_entity_decl(void *user, const xmlChar *name, int type, const xmlChar *public_id,
                  const xmlChar *system_id, xmlChar *content)
{
    xmlParserCtxt *ctxt = user;
    load_guard *guard = ctxt->_private;

    guard->saw_entity = TRUE;
    xmlStopParser(ctxt);
}

static void
guard_internal_subset(void *user, const xmlChar *name, const xmlChar *external_id,
                      const xmlChar *system_id)
{
    xmlParserCtxt *ctxt = user;
    load_guard *guard = ctxt->_private;

    /* A bare <!DOCTYPE domain> is harmless; an external one would be fetched. */
    if (external_id || system_id) {
        guard->saw_dtd = TRUE;
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2InternalSubset(user, name, external_id, system_id);
}

static xmlParserInputPtr
guard_resolve_entity(void *user, const xmlChar *public_id, const xmlChar *system_id)
{
    xmlParserCtxt *ctxt = user;
    load_guard *guard = ctxt->_private;

    guard->saw_entity = TRUE;
    xmlStopParser(ctxt);
    return NULL;
}

/* The first error libxml2 reported, which names the cause. */
static char *
parse_error_text(const load_guard *guard)
{
    if (!guard->first_error)
        return g_strdup("not well-formed XML");
    /* libxml2's limit message names a parser option; say what the limit is */
    if (g_str_has_prefix(guard->first_error, "Excessive depth"))
        return g_strdup_printf("elements are nested deeper than %d levels", (int) xmlParserMaxDepth);
    if (guard->first_error_line > 0)
        return g_strdup_printf("malformed XML at line %d: %s", guard->first_error_line,
                               guard->first_error);
    return g_strdup_printf("malformed XML: %s", guard->first_error);
}

static GArray *
index_lines(const char *text, gsize len)
{
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(gsize));
    gsize zero = 0;

    g_array_append_val(starts, zero);
    for (gsize i = 0; i < len; i++) {
        if (text[i] == '\n') {
            gsize next = i + 1;
            g_array_append_val(starts, next);
        }
    }
    return starts;
}

dl_source *
dl_source_parse(const char *data, gsize len, char **reason)
{
    g_autoptr(dl_source) src = g_new0(dl_source, 1);
    xmlParserCtxt *ctxt = NULL;
    load_guard guard = { FALSE, FALSE, NULL, 0 };
    int opts = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;

    if (len == 0) {
        *reason = g_strdup("empty file");
        return NULL;
    }
    if (len > DL_MAX_FILE_SIZE) {
        *reason = g_strdup_printf("file is larger than %u MiB", DL_MAX_FILE_SIZE / (1024 * 1024));
        return NULL;
    }
    if (memchr(data, '\0', len)) {
        *reason = g_strdup("file contains NUL bytes; it is not XML text");
        return NULL;
    }
    if (!g_utf8_validate(data, len, NULL)) {
        *reason = g_strdup("file is not valid UTF-8");
        return NULL;
    }

    src->text = g_strndup(data, len);
    src->len = len;
    src->line_starts = index_lines(src->text, len);

    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        *reason = g_strdup("out of memory creating the XML parser");
        return NULL;
    }
    ctxt->_private = &guard;
    ctxt->sax->entityDecl = guard_entity_decl;
    ctxt->sax->internalSubset = guard_internal_subset;
    ctxt->sax->resolveEntity = guard_resolve_entity;
    ctxt->sax->externalSubset = NULL;
    /* errors are collected, never printed */
    ctxt->sax->serror = guard_error;

    src->doc = xmlCtxtReadMemory(ctxt, src->text, (int) len, NULL, "UTF-8", opts);
    if (guard.saw_entity || guard.saw_dtd) {
        *reason = g_strdup(guard.saw_entity
                           ? "document declares or references XML entities; domain XML never needs them and domlint does not expand them"
                           : "document refers to an external DTD; domlint never loads one");
        g_free(guard.first_error);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    if (!src->doc || !ctxt->wellFormed) {
        *reason = parse_error_text(&guard);
        g_free(guard.first_error);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    g_free(guard.first_error);
    xmlFreeParserCtxt(ctxt);
    return g_steal_pointer(&src);
}

static gboolean
read_stream(FILE *fp, GByteArray *buf, char **reason)
{
    guint8 chunk[65536];
    size_t n;

    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (buf->len + n > DL_MAX_FILE_SIZE) {
            *reason = g_strdup_printf("file is larger than %u MiB", DL_MAX_FILE_SIZE / (1024 * 1024));
            return FALSE;
        }
        g_byte_array_append(buf, chunk, (guint) n);
    }
    if (ferror(fp)) {
        *reason = g_strdup_printf("cannot read: %s", g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

dl_source *
dl_source_load(const char *path, char **reason)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    FILE *fp = NULL;
    gboolean ok;

    if (strcmp(path, "-") == 0) {
        ok = read_stream(stdin, buf, reason);
    } else {
        if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
            *reason = g_strdup("is a directory");
            return NULL;
        }
        fp = fopen(path, "rb");
        if (!fp) {
            int saved = errno;
            if (saved == ENOENT && g_file_test(path, G_FILE_TEST_IS_SYMLINK))
                *reason = g_strdup("dangling symbolic link");
            else
                *reason = g_strdup_printf("cannot open: %s", g_strerror(saved));
            return NULL;
        }
        ok = read_stream(fp, buf, reason);
        fclose(fp);
    }
    if (!ok)
        return NULL;
    return dl_source_parse((const char *) buf->data, buf->len, reason);
}

void
dl_source_free(dl_source *src)
{
    if (!src)
        return;
    if (src->doc)
        xmlFreeDoc(src->doc);
    if (src->line_starts)
        g_array_unref(src->line_starts);
    g_free(src->text);
    g_free(src);
}

/* The line (1-based) that holds byte OFFSET. */
static int
line_of_offset(const dl_source *src, gsize offset)
{
    guint lo = 0, hi = src->line_starts->len;

    while (hi - lo > 1) {
        guint mid = (lo + hi) / 2;
        if (g_array_index(src->line_starts, gsize, mid) <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return (int) lo + 1;
}

static gboolean
ends_name(char c)
{
    return c == '>' || c == '/' || g_ascii_isspace(c) || c == '\0';
}

/*
 * Where NODE's start tag begins.  libxml2 records the line on which a start
 * tag ends, so a tag spread over several lines is looked for backwards from
 * there: the last "<name" that starts before the end of that line.
 */
static gboolean
locate(const dl_source *src, const xmlNode *node, int *line, int *column)
{
    long recorded = node ? xmlGetLineNo(node) : -1;
    g_autofree char *needle = NULL;
    gsize end, from, len;
    const char *hit = NULL;

    *line = recorded > 0 ? (int) recorded : 0;
    *column = 0;
    if (recorded <= 0 || !src->line_starts || (guint) recorded > src->line_starts->len)
        return FALSE;
    if (node->type != XML_ELEMENT_NODE)
        return FALSE;
    end = (guint) recorded < src->line_starts->len
          ? g_array_index(src->line_starts, gsize, recorded) : src->len;
    needle = g_strdup_printf("<%s", (const char *) node->name);
    len = strlen(needle);
    from = end;
    while (from > 0) {
        const char *found = g_strrstr_len(src->text, (gssize) from, needle);
        if (!found)
            break;
        if (ends_name(found[len])) {
            hit = found;
            break;
        }
        from = (gsize) (found - src->text) + len - 1;
    }
    if (!hit)
        return FALSE;
    *line = line_of_offset(src, (gsize) (hit - src->text));
    *column = (int) ((gsize) (hit - src->text) - g_array_index(src->line_starts, gsize, *line - 1)) + 1;
    return TRUE;
}

int
dl_source_line(const dl_source *src, const xmlNode *node)
{
    int line, column;

    locate(src, node, &line, &column);
    return line;
}

int
dl_source_column(const dl_source *src, const xmlNode *node)
{
    int line, column;

    locate(src, node, &line, &column);
    return column;
}
