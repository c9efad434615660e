/*
 * edit.c - text edits on the original document
 *
 * The start tag of an element is scanned by hand (name, then attributes
 * with their quotes) to find one attribute's bytes; libxml2 keeps no
 * attribute positions.  The scanner only has to understand tags libxml2
 * has already accepted as well-formed.
 */
#include "config.h"

#include <string.h>

#include "fix/edit.h"

typedef struct {
    gsize begin;
    gsize end;          /* replaced range [begin, end) */
    char *text;         /* replacement */
    gboolean new_attr;  /* an attribute added to a start tag */
    guint seq;          /* the order edits were made in */
} edit;

struct dl_edits {
    const dl_source *src;
    GArray *list;       /* of edit */
};

static void
edit_clear(gpointer p)
{
    g_free(((edit *) p)->text);
}

dl_edits *
dl_edits_new(const dl_source *src)
{
    dl_edits *e = g_new0(dl_edits, 1);

    e->src = src;
    e->list = g_array_new(FALSE, FALSE, sizeof(edit));
    g_array_set_clear_func(e->list, edit_clear);
    return e;
}

void
dl_edits_free(dl_edits *edits)
{
    if (!edits)
        return;
    g_array_unref(edits->list);
    g_free(edits);
}

guint
dl_edits_count(const dl_edits *edits)
{
    return edits->list->len;
}

void
dl_edits_truncate(dl_edits *edits, guint count)
{
    if (count < edits->list->len)
        g_array_set_size(edits->list, count);
}

static gboolean
overlaps(const dl_edits *edits, gsize begin, gsize end, gboolean new_attr)
{
    for (guint i = 0; i < edits->list->len; i++) {
        const edit *e = &g_array_index(edits->list, edit, i);
        /* two insertions at one point would have no defined order either,
         * except new attributes of one tag: they go in the order made */
        if (begin < e->end && e->begin < end)
            return TRUE;
        if (begin == end && e->begin == e->end && begin == e->begin && !(new_attr && e->new_attr))
            return TRUE;
        if (begin == end && begin > e->begin && begin < e->end)
            return TRUE;
        if (e->begin == e->end && e->begin > begin && e->begin < end)
            return TRUE;
    }
    return FALSE;
}

static gboolean
add_edit(dl_edits *edits, gsize begin, gsize end, const char *text, gboolean new_attr)
{
    edit e = { begin, end, NULL, new_attr, edits->list->len };

    if (end < begin || end > edits->src->len || overlaps(edits, begin, end, new_attr))
        return FALSE;
    e.text = g_strdup(text);
    g_array_append_val(edits->list, e);
    return TRUE;
}

static gboolean
add(dl_edits *edits, gsize begin, gsize end, const char *text)
{
    return add_edit(edits, begin, end, text, FALSE);
}

/* ---------------------------------------------------------------- scanning */

typedef struct {
    gsize name_begin;   /* attribute name */
    gsize value_begin;  /* first byte inside the quotes */
    gsize value_end;    /* the closing quote */
    gsize lead_begin;   /* the white space before the name */
} attr_pos;

typedef struct {
    gsize begin;        /* '<' */
    gsize close;        /* the '/' of "/>" or the '>' that ends the start tag */
    gboolean empty;     /* "<x ... />" */
    char quote;         /* the quote character the tag uses, '\'' by default */
} tag_pos;

static gboolean
scan_tag(const dl_source *src, const xmlNode *node, tag_pos *tag)
{
    const char *t = src->text;
    dl_span span;
    gsize i;
    char q = 0;

    if (!dl_source_span(src, node, &span))
        return FALSE;
    tag->begin = span.begin;
    tag->quote = 0;
    for (i = span.begin + 1; i < span.end; i++) {
        char c = t[i];
        if (q) {
            if (c == q)
                q = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            q = c;
            if (!tag->quote)
                tag->quote = c;
            continue;
        }
        if (c == '>') {
            tag->empty = t[i - 1] == '/';
            tag->close = tag->empty ? i - 1 : i;
            if (!tag->quote)
                tag->quote = '\'';
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
find_attr(const dl_source *src, const tag_pos *tag, const char *name, attr_pos *pos)
{
    const char *t = src->text;
    gsize i = tag->begin + 1;
    gsize n = strlen(name);

    while (i < tag->close && !g_ascii_isspace(t[i]) && t[i] != '/' && t[i] != '>')
        i++;                                        /* element name */
    while (i < tag->close) {
        gsize lead = i, nb, ne;
        char q;
        while (i < tag->close && g_ascii_isspace(t[i]))
            i++;
        if (i >= tag->close)
            break;
        nb = i;
        while (i < tag->close && t[i] != '=' && !g_ascii_isspace(t[i]))
            i++;
        ne = i;
        while (i < tag->close && t[i] != '"' && t[i] != '\'')
            i++;
        if (i >= tag->close)
            break;
        q = t[i++];
        pos->value_begin = i;
        while (i < tag->close && t[i] != q)
            i++;
        pos->value_end = i++;
        if (ne - nb == n && strncmp(t + nb, name, n) == 0) {
            pos->name_begin = nb;
            pos->lead_begin = lead;
            return TRUE;
        }
    }
    return FALSE;
}

static char *
escape_attr(const char *value, char quote)
{
    GString *out = g_string_new(NULL);

    for (const char *p = value; *p; p++) {
        if (*p == '&')
            g_string_append(out, "&amp;");
        else if (*p == '<')
            g_string_append(out, "&lt;");
        else if (*p == quote)
            g_string_append(out, quote == '"' ? "&quot;" : "&apos;");
        else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

/* ---------------------------------------------------------------- edits */

gboolean
dl_edit_set_attr(dl_edits *edits, const xmlNode *element, const char *name, const char *value)
{
    tag_pos tag;
    attr_pos pos;
    g_autofree char *escaped = NULL;
    g_autofree char *text = NULL;

    if (!scan_tag(edits->src, element, &tag))
        return FALSE;
    escaped = escape_attr(value, tag.quote);
    if (find_attr(edits->src, &tag, name, &pos))
        return add(edits, pos.value_begin, pos.value_end, escaped);
    /* a new attribute goes last, before "/>" or ">" (and before any space there) */
    {
        gsize at = tag.close;
        while (at > tag.begin && g_ascii_isspace(edits->src->text[at - 1]))
            at--;
        text = g_strdup_printf(" %s=%c%s%c", name, tag.quote, escaped, tag.quote);
        return add_edit(edits, at, at, text, TRUE);
    }
}

gboolean
dl_edit_remove_attr(dl_edits *edits, const xmlNode *element, const char *name)
{
    tag_pos tag;
    attr_pos pos;

    if (!scan_tag(edits->src, element, &tag))
        return FALSE;
    if (!find_attr(edits->src, &tag, name, &pos))
        return TRUE;
    return add(edits, pos.lead_begin, pos.value_end + 1, "");
}

gboolean
dl_edit_remove_element(dl_edits *edits, const xmlNode *element)
{
    const char *t = edits->src->text;
    dl_span span;
    gsize begin, end;

    if (!dl_source_span(edits->src, element, &span))
        return FALSE;
    begin = span.begin;
    end = span.end;
    /* take the whole line when the element is alone on it */
    while (begin > 0 && (t[begin - 1] == ' ' || t[begin - 1] == '\t'))
        begin--;
    if (begin == 0 || t[begin - 1] == '\n') {
        gsize e = end;
        while (e < edits->src->len && (t[e] == ' ' || t[e] == '\t' || t[e] == '\r'))
            e++;
        if (e < edits->src->len && t[e] == '\n')
            return add(edits, begin, e + 1, "");
    }
    return add(edits, span.begin, span.end, "");
}

/* The white space before NODE's start tag on its line, or NULL. */
static char *
indent_of(const dl_source *src, const xmlNode *node)
{
    dl_span span;
    gsize b;

    if (!dl_source_span(src, node, &span))
        return NULL;
    b = span.begin;
    while (b > 0 && (src->text[b - 1] == ' ' || src->text[b - 1] == '\t'))
        b--;
    if (b > 0 && src->text[b - 1] != '\n')
        return NULL;
    return g_strndup(src->text + b, span.begin - b);
}

/* The line ending of the file: CRLF when its first line ends so, else LF. */
static const char *
eol_of(const dl_source *src)
{
    const char *nl = memchr(src->text, '\n', src->len);

    return nl && nl > src->text && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* The quote most attributes of the file use ('\'' on a tie). */
static char
quote_of(const dl_source *src)
{
    gsize single = 0, dbl = 0;

    for (const char *p = memchr(src->text, '=', src->len); p; ) {
        gsize at = (gsize) (p - src->text) + 1;
        if (at < src->len && src->text[at] == '\'')
            single++;
        else if (at < src->len && src->text[at] == '"')
            dbl++;
        p = at < src->len ? memchr(src->text + at, '=', src->len - at) : NULL;
    }
    return dbl > single ? '"' : '\'';
}

/* XML as the rules write it (attributes in '...') with attributes in QUOTE. */
static char *
requote(const char *xml, char quote)
{
    GString *out = g_string_new(NULL);
    gboolean in_tag = FALSE, in_value = FALSE;

    if (quote == '\'')
        return g_strdup(xml);
    for (const char *p = xml; *p; p++) {
        if (in_value && *p == '\'') {
            in_value = FALSE;
            g_string_append_c(out, quote);
        } else if (in_value && *p == quote) {
            g_string_append(out, "&quot;");
        } else if (in_tag && !in_value && *p == '\'') {
            in_value = TRUE;
            g_string_append_c(out, quote);
        } else {
            if (!in_value && *p == '<')
                in_tag = TRUE;
            else if (!in_value && *p == '>')
                in_tag = FALSE;
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, FALSE);
}

/*
 * XML with every line after the first on EOL, indented by INDENT and with
 * the rules' two-space steps at its start as UNIT.
 */
static char *
indent_lines(const char *xml, const char *indent, const char *unit, const char *eol)
{
    g_auto(GStrv) lines = g_strsplit(xml, "\n", -1);
    GString *out = g_string_new(NULL);

    for (guint i = 0; lines[i]; i++) {
        const char *l = lines[i];
        if (i > 0) {
            g_string_append(out, eol);
            g_string_append(out, indent);
            for (; l[0] == ' ' && l[1] == ' '; l += 2)
                g_string_append(out, unit);
        }
        g_string_append(out, l);
    }
    return g_string_free(out, FALSE);
}

/* One level of indentation below ELEMENT: what its line adds to its parent's, or two spaces. */
static char *
indent_unit(const dl_source *src, const xmlNode *element)
{
    g_autofree char *mine = indent_of(src, element);
    g_autofree char *up = element->parent && element->parent->type == XML_ELEMENT_NODE
                          ? indent_of(src, element->parent) : NULL;

    if (mine && up && strlen(mine) > strlen(up) && g_str_has_prefix(mine, up))
        return g_strdup(mine + strlen(up));
    return g_strdup("  ");
}

/* The indentation step of the children of PARENT (LAST is its last element child, or NULL). */
static char *
child_unit(const dl_source *src, const xmlNode *parent, const xmlNode *last)
{
    if (last) {
        g_autofree char *mine = indent_of(src, last);
        g_autofree char *up = indent_of(src, parent);
        if (mine && up && strlen(mine) > strlen(up) && g_str_has_prefix(mine, up))
            return g_strdup(mine + strlen(up));
    }
    return indent_unit(src, parent);
}

/* Only white space and comments between AT and the end of its line?  *EOL_AT: where the line ends. */
static gboolean
rest_of_line_is_blank(const dl_source *src, gsize at, gsize *eol_at)
{
    const char *t = src->text;
    gsize i = at;

    while (i < src->len && t[i] != '\n' && t[i] != '\r') {
        if (t[i] == '<' && strncmp(t + i, "<!--", 4) == 0) {
            const char *end = strstr(t + i + 4, "-->");
            const char *nl = memchr(t + i, '\n', src->len - i);
            if (!end || (nl && nl < end))
                return FALSE;    /* a comment that goes on over lines */
            i = (gsize) (end - t) + 3;
        } else if (t[i] == ' ' || t[i] == '\t') {
            i++;
        } else {
            return FALSE;
        }
    }
    *eol_at = i;
    return TRUE;
}

/* The '<' of PARENT's end tag. */
static gboolean
end_tag_of(const dl_source *src, const xmlNode *parent, gsize *at)
{
    dl_span span;
    gsize i;

    if (!dl_source_span(src, parent, &span) || span.end < 2 || src->text[span.end - 2] == '/')
        return FALSE;
    for (i = span.end; i > span.begin && src->text[i - 1] != '<'; i--)
        ;
    if (i <= span.begin)
        return FALSE;
    *at = i - 1;
    return TRUE;
}

/* Is all of ELEMENT on one line? */
static gboolean
on_one_line(const dl_source *src, const xmlNode *element)
{
    dl_span span;

    return dl_source_span(src, element, &span) && !memchr(src->text + span.begin, '\n', span.end - span.begin);
}

/* After LAST, the last element child of PARENT: on a line of its own, like LAST. */
static gboolean
append_after(dl_edits *edits, const xmlNode *parent, const xmlNode *last, const char *xml,
             const char *eol, const char *unit)
{
    const dl_source *src = edits->src;
    g_autofree char *indent = indent_of(src, last);
    g_autofree char *up = indent_of(src, parent);
    g_autofree char *body = NULL;
    g_autofree char *text = NULL;
    dl_span span;
    gsize at, ws;

    if (!dl_source_span(src, last, &span))
        return FALSE;
    /* <video><model/><address/></video>: a one-line element stays one line */
    if (!indent && !strchr(xml, '\n') && on_one_line(src, parent))
        return add(edits, span.end, span.end, xml);
    if (!indent)    /* children on the line of something else: one level below PARENT */
        indent = g_strconcat(up ? up : "", unit, NULL);
    body = indent_lines(xml, indent, unit, eol);
    /* after what follows LAST on its line (a comment), so nothing of it moves */
    if (rest_of_line_is_blank(src, span.end, &at)) {
        text = g_strconcat(eol, indent, body, NULL);
        return add(edits, at, at, text);
    }
    /* the end tag of PARENT follows on the line: it goes on a line of its own */
    for (ws = span.end; ws < src->len && (src->text[ws] == ' ' || src->text[ws] == '\t'); ws++)
        ;
    text = g_strconcat(eol, indent, body, eol, up ? up : "", NULL);
    return add(edits, span.end, ws, text);
}

/* Into PARENT that has an end tag but no element child (only space, text or comments). */
static gboolean
append_into_empty(dl_edits *edits, const xmlNode *parent, const char *xml, const char *eol,
                  const char *unit)
{
    const dl_source *src = edits->src;
    g_autofree char *up = indent_of(src, parent);
    g_autofree char *inner = NULL;
    g_autofree char *body = NULL;
    g_autofree char *text = NULL;
    gsize close, b;

    if (!end_tag_of(src, parent, &close))
        return FALSE;
    for (b = close; b > 0 && (src->text[b - 1] == ' ' || src->text[b - 1] == '\t'); b--)
        ;
    inner = g_strconcat(up ? up : "", unit, NULL);
    body = indent_lines(xml, inner, unit, eol);
    if (b > 0 && src->text[b - 1] == '\n') {
        /* the end tag has its own line: the child goes on the line before */
        text = g_strconcat(inner, body, eol, NULL);
        return add(edits, b, b, text);
    }
    text = g_strconcat(eol, inner, body, eol, up ? up : "", NULL);
    return add(edits, b, close, text);
}

gboolean
dl_edit_append_child(dl_edits *edits, const xmlNode *parent, const char *xml)
{
    const dl_source *src = edits->src;
    const xmlNode *last = NULL;
    const char *eol = eol_of(src);
    g_autofree char *quoted = requote(xml, quote_of(src));
    g_autofree char *unit = NULL;
    g_autofree char *indent = NULL;
    g_autofree char *text = NULL;
    g_autofree char *body = NULL;
    tag_pos tag;

    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            last = c;
    }
    unit = child_unit(src, parent, last);
    if (last)
        return append_after(edits, parent, last, quoted, eol, unit);
    if (!scan_tag(src, parent, &tag))
        return FALSE;
    if (!tag.empty)
        return append_into_empty(edits, parent, quoted, eol, unit);
    /* <parent .../> becomes <parent ...> child </parent> */
    indent = indent_of(src, parent);
    if (!indent)
        indent = g_strdup("");
    {
        g_autofree char *inner = g_strconcat(indent, unit, NULL);
        g_autofree char *name = parent->ns && parent->ns->prefix
                                ? g_strdup_printf("%s:%s", parent->ns->prefix, parent->name)
                                : g_strdup((const char *) parent->name);
        gsize at = tag.close;

        while (at > tag.begin && g_ascii_isspace(src->text[at - 1]))
            at--;
        body = indent_lines(quoted, inner, unit, eol);
        text = g_strdup_printf(">%s%s%s%s%s</%s>", eol, inner, body, eol, indent, name);
        return add(edits, at, tag.close + 2, text);
    }
}

static int
edit_order(gconstpointer a, gconstpointer b)
{
    const edit *x = a, *y = b;

    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return 0;
}

/*
 * Which input line each output line comes from: a line takes the line of
 * its first byte, copied (that byte's line) or inserted (the line it was
 * inserted on); a line break decides nothing before that byte is known.
 */
typedef struct {
    GArray *map;        /* of int, or NULL: not wanted */
    int in_line;        /* the input line at the current input position */
    gboolean pending;   /* the last output line has no byte yet */
} line_track;

static void
track_bytes(line_track *lt, const char *text, gsize from, gsize to, gboolean input)
{
    if (!lt->map || from >= to)
        return;
    if (lt->pending) {
        g_array_index(lt->map, int, lt->map->len - 1) = lt->in_line;
        lt->pending = FALSE;
    }
    for (gsize i = from; i < to; i++) {
        if (text[i] != '\n')
            continue;
        if (input)
            lt->in_line++;
        g_array_append_val(lt->map, lt->in_line);
        lt->pending = i + 1 == to;
    }
}

/* Input bytes [FROM, TO) left out of the output. */
static void
track_skip(line_track *lt, const char *text, gsize from, gsize to)
{
    for (gsize i = from; lt->map && i < to; i++)
        lt->in_line += text[i] == '\n';
}

char *
dl_edits_apply_lines(const dl_edits *edits, gsize *len, GArray **lines)
{
    g_autoptr(GArray) sorted = g_array_copy(edits->list);
    GString *out = g_string_sized_new(edits->src->len + 256);
    const char *in = edits->src->text;
    line_track lt = { lines ? g_array_new(FALSE, FALSE, sizeof(int)) : NULL, 1, TRUE };
    gsize at = 0;

    if (lt.map)
        g_array_append_val(lt.map, lt.in_line);
    g_array_set_clear_func(sorted, NULL);
    g_array_sort(sorted, edit_order);
    for (guint i = 0; i < sorted->len; i++) {
        const edit *e = &g_array_index(sorted, edit, i);
        g_string_append_len(out, in + at, (gssize) (e->begin - at));
        track_bytes(&lt, in, at, e->begin, TRUE);
        g_string_append(out, e->text);
        track_bytes(&lt, e->text, 0, strlen(e->text), FALSE);
        track_skip(&lt, in, e->begin, e->end);
        at = e->end;
    }
    g_string_append_len(out, in + at, (gssize) (edits->src->len - at));
    track_bytes(&lt, in, at, edits->src->len, TRUE);
    if (len)
        *len = out->len;
    if (lines)
        *lines = lt.map;
    return g_string_free(out, FALSE);
}

char *
dl_edits_apply(const dl_edits *edits, gsize *len)
{
    return dl_edits_apply_lines(edits, len, NULL);
}
