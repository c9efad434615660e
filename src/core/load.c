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
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "core/load.h"
#include "domlint.h"

typedef struct {
    gboolean saw_entity;
    gboolean saw_dtd;
    char *first_error;     /* the first parse error: later ones are its echoes */
    int first_error_line;
} load_guard;

static void
guard_error(void *user, dl_xml_error *err)
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

static gboolean ends_name(char c);

/*
 * Element spans, found by walking the tree and the text together.  Every
 * element's start tag is the next "<name" in the text after the previous
 * element's start tag (or its end, for a sibling), outside comments,
 * processing instructions and CDATA; text cannot contain a raw '<'.
 * libxml2's own record_info loses the start of elements with content
 * (2.9.14), so it is not used.
 */
/* Just past the first TERMINATOR at or after FROM, or LEN when there is none. */
static gsize
past(const char *t, gsize len, gsize from, const char *terminator)
{
    const char *hit = from < len ? g_strstr_len(t + from, (gssize) (len - from), terminator) : NULL;

    return hit ? (gsize) (hit - t) + strlen(terminator) : len;
}

/* When a comment, CDATA section, PI or declaration starts at AT, the offset after it; else AT. */
static gsize
skip_markup(const char *t, gsize len, gsize at)
{
    if (g_str_has_prefix(t + at, "<!--"))
        return past(t, len, at + 4, "-->");
    if (g_str_has_prefix(t + at, "<![CDATA["))
        return past(t, len, at + 9, "]]>");
    if (g_str_has_prefix(t + at, "<?"))
        return past(t, len, at + 2, "?>");
    if (g_str_has_prefix(t + at, "<!"))
        return past(t, len, at + 2, ">");
    return at;
}

/* The next start tag of NAME (or end tag, with CLOSING) at or after AT, outside other markup. */
static gssize
next_tag(const dl_source *src, gsize at, const char *name, gboolean closing)
{
    gsize n = strlen(name);
    gsize skip = closing ? 2 : 1;

    while (at < src->len) {
        const char *lt = memchr(src->text + at, '<', src->len - at);
        gsize pos, skipped;
        if (!lt)
            return -1;
        pos = (gsize) (lt - src->text);
        skipped = skip_markup(src->text, src->len, pos);
        if (skipped != pos) {
            at = skipped;
            continue;
        }
        if ((!closing || src->text[pos + 1] == '/') && pos + skip + n < src->len &&
            memcmp(src->text + pos + skip, name, n) == 0 && ends_name(src->text[pos + skip + n]))
            return (gssize) pos;
        at = pos + 1;
    }
    return -1;
}

/* Just past the '>' that ends the tag starting at AT (quotes respected); *EMPTY for "/>". */
static gssize
tag_end(const dl_source *src, gsize at, gboolean *empty)
{
    char q = 0;

    for (gsize i = at + 1; i < src->len; i++) {
        char c = src->text[i];
        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '>') {
            *empty = src->text[i - 1] == '/';
            return (gssize) i + 1;
        }
    }
    return -1;
}

static char *
qualified_name(const xmlNode *node)
{
    if (node->ns && node->ns->prefix)
        return g_strdup_printf("%s:%s", (const char *) node->ns->prefix, (const char *) node->name);
    return g_strdup((const char *) node->name);
}

/* Record NODE's span, and its descendants'; returns the offset after NODE, or -1. */
static gssize
walk_spans(dl_source *src, const xmlNode *node, gsize cursor)
{
    g_autofree char *prefixed = NULL;
    const char *name = (const char *) node->name;
    gssize start, after, end;
    gboolean empty = FALSE;
    dl_span *span;

    if (node->ns && node->ns->prefix) {
        prefixed = qualified_name(node);
        name = prefixed;
    }
    start = next_tag(src, cursor, name, FALSE);
    if (start < 0)
        return -1;
    after = tag_end(src, (gsize) start, &empty);
    if (after < 0)
        return -1;
    if (!empty) {
        for (const xmlNode *c = node->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            after = walk_spans(src, c, (gsize) after);
            if (after < 0)
                return -1;
        }
        end = next_tag(src, (gsize) after, name, TRUE);
        if (end < 0)
            return -1;
        after = tag_end(src, (gsize) end, &empty);
        if (after < 0)
            return -1;
    }
    span = g_new(dl_span, 1);
    span->begin = (gsize) start;
    span->end = (gsize) after;
    g_hash_table_insert(src->spans, (gpointer) node, span);
    return after;
}

static void
record_spans(dl_source *src)
{
    xmlNode *root = xmlDocGetRootElement(src->doc);

    src->spans = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    if (root && walk_spans(src, root, 0) < 0)
        g_hash_table_remove_all(src->spans);   /* unknown rather than wrong */
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

/* A UTF-16 text: its byte-order mark, or '<' as one half of the first unit. */
static gboolean
looks_utf16(const char *data, gsize len)
{
    const guchar *d = (const guchar *) data;

    if (len < 2)
        return FALSE;
    if ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff))
        return TRUE;
    return (d[0] == '<' && d[1] == 0) || (d[0] == 0 && d[1] == '<');
}

dl_source *
dl_source_parse(const char *data, gsize len, char **reason)
{
    g_autoptr(dl_source) src = g_new0(dl_source, 1);
    xmlParserCtxt *ctxt = NULL;
    load_guard guard = { FALSE, FALSE, NULL, 0 };

    if (len == 0) {
        *reason = g_strdup("empty file");
        return NULL;
    }
    if (len > DL_MAX_FILE_SIZE) {
        *reason = g_strdup_printf("file is larger than %u MiB", DL_MAX_FILE_SIZE / (1024 * 1024));
        return NULL;
    }
    if (looks_utf16(data, len)) {
        *reason = g_strdup("UTF-16 is not supported; convert the file to UTF-8 (iconv -f UTF-16 -t UTF-8)");
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

    ctxt = xmlCreateMemoryParserCtxt(src->text, (int) len);
    if (!ctxt) {
        *reason = g_strdup("out of memory creating the XML parser");
        return NULL;
    }
    xmlCtxtUseOptions(ctxt, dl_xml_parse_options(DL_XML_DOMAIN));
    /* the bytes were checked to be UTF-8: no conversion, so offsets stay byte offsets */
    xmlSwitchToEncoding(ctxt, xmlFindCharEncodingHandler("UTF-8"));
    ctxt->_private = &guard;
    ctxt->sax->entityDecl = guard_entity_decl;
    ctxt->sax->internalSubset = guard_internal_subset;
    ctxt->sax->resolveEntity = guard_resolve_entity;
    ctxt->sax->externalSubset = NULL;
    /* errors are collected, never printed */
    ctxt->sax->serror = guard_error;

    xmlParseDocument(ctxt);
    src->doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
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
    /* where each element starts and ends in the text, for locations and --fix */
    record_spans(src);
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

/*
 * Open PATH for reading if it is a regular file.  A FIFO, socket or device
 * would block or never end: it is opened without blocking, looked at, and
 * refused ("not a regular file").  NULL with *REASON set otherwise.
 */
static FILE *
open_regular(const char *path, char **reason)
{
    struct stat st;
    FILE *fp;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0) {
        int saved = errno;
        if (saved == ENOENT && g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            *reason = g_strdup("dangling symbolic link");
        else
            *reason = g_strdup_printf("cannot open: %s", g_strerror(saved));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *reason = g_strdup("not a regular file (a FIFO, socket or device is not read)");
        close(fd);
        return NULL;
    }
    /* a regular file never blocks; reads go back to normal */
    fp = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
    if (!fp) {
        *reason = g_strdup_printf("cannot open: %s", g_strerror(errno));
        close(fd);
    }
    return fp;
}

char *
dl_read_input(const char *path, gsize *len, char **reason)
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
        fp = open_regular(path, reason);
        if (!fp)
            return NULL;
        ok = read_stream(fp, buf, reason);
        fclose(fp);
    }
    if (!ok)
        return NULL;
    *len = buf->len;
    g_byte_array_append(buf, (const guint8 *) "", 1);
    return (char *) g_byte_array_free(g_steal_pointer(&buf), FALSE);
}

char *
domlint_read_input(const char *path, gsize *len, GError **error)
{
    g_autofree char *reason = NULL;
    char *data = dl_read_input(path, len, &reason);

    if (!data)
        g_set_error_literal(error, DOMLINT_INPUT_ERROR, DOMLINT_INPUT_ERROR_READ, reason);
    return data;
}

dl_source *
dl_source_load(const char *path, char **reason)
{
    gsize len = 0;
    g_autofree char *data = dl_read_input(path, &len, reason);

    if (!data)
        return NULL;
    return dl_source_parse(data, len, reason);
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
    if (src->spans)
        g_hash_table_unref(src->spans);
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
 * The offset of NODE's '<', found from the line libxml2 recorded for it.
 * libxml2 records the line on which a start tag ends, so a tag spread over
 * several lines is looked for backwards from there: the last "<name" that
 * starts before the end of that line.  -1 when not found.
 */
static gssize
find_start(const dl_source *src, const xmlNode *node)
{
    long recorded = xmlGetLineNo(node);
    g_autofree char *needle = NULL;
    gsize end, len, from;

    if (recorded <= 0 || !src->line_starts || (guint) recorded > src->line_starts->len ||
        node->type != XML_ELEMENT_NODE)
        return -1;
    end = (guint) recorded < src->line_starts->len
          ? g_array_index(src->line_starts, gsize, recorded) : src->len;
    needle = node->ns && node->ns->prefix
             ? g_strdup_printf("<%s:%s", (const char *) node->ns->prefix, (const char *) node->name)
             : g_strdup_printf("<%s", (const char *) node->name);
    len = strlen(needle);
    from = end;
    while (from > 0) {
        const char *found = g_strrstr_len(src->text, (gssize) from, needle);
        if (!found)
            return -1;
        if (ends_name(found[len]))
            return found - src->text;
        from = (gsize) (found - src->text) + len - 1;
    }
    return -1;
}

static gboolean
locate(const dl_source *src, const xmlNode *node, int *line, int *column)
{
    dl_span span;
    gssize start = -1;

    *line = 0;
    *column = 0;
    if (!node)
        return FALSE;
    if (dl_source_span(src, node, &span))
        start = (gssize) span.begin;
    else if (src->line_starts)
        start = find_start(src, node);
    if (start < 0) {
        long recorded = xmlGetLineNo(node);
        *line = recorded > 0 ? (int) recorded : 0;
        return FALSE;
    }
    *line = line_of_offset(src, (gsize) start);
    *column = (int) ((gsize) start - g_array_index(src->line_starts, gsize, *line - 1)) + 1;
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

gboolean
dl_source_span(const dl_source *src, const xmlNode *node, dl_span *span)
{
    const dl_span *found;

    if (!src->spans || !node)
        return FALSE;
    found = g_hash_table_lookup(src->spans, node);
    if (!found)
        return FALSE;
    if (found->begin >= src->len || src->text[found->begin] != '<')
        return FALSE;
    if (span)
        *span = *found;
    return TRUE;
}

char *
dl_xml_prop(xmlNode *node, const char *name)
{
    xmlChar *value = xmlGetProp(node, (const xmlChar *) name);
    char *copy = g_strdup((const char *) value);

    xmlFree(value);
    return copy;
}
