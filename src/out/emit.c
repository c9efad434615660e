/*
 * emit.c - findings as text (compiler convention, with source excerpts),
 * the closing summary and per-rule statistics, and JSON
 *
 * Formatting returns strings; the caller decides where they go.  JSON is
 * built with json-glib so that escaping is never done by hand; its shape is
 * described by schemas/domlint-report.schema.json.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "domlint.h"
#include "core/options.h"
#include "out/emit.h"

const char *
domlint_severity_name(domlint_severity sev)
{
    switch (sev) {
    case DOMLINT_SEV_NOTE:
        return "note";
    case DOMLINT_SEV_WARNING:
        return "warning";
    case DOMLINT_SEV_ERROR:
        return "error";
    case DOMLINT_SEV_LAST:
        break;
    }
    return "error";
}

static const char *
severity_color(domlint_severity sev)
{
    switch (sev) {
    case DOMLINT_SEV_NOTE:
        return "\033[1;36m";
    case DOMLINT_SEV_WARNING:
        return "\033[1;35m";
    case DOMLINT_SEV_ERROR:
        return "\033[1;31m";
    case DOMLINT_SEV_LAST:
        break;
    }
    return "";
}

static void
append_location(GString *out, const domlint_diag *d)
{
    g_string_append(out, d->file);
    if (d->line > 0) {
        g_string_append_printf(out, ":%d", d->line);
        if (d->column > 0)
            g_string_append_printf(out, ":%d", d->column);
    }
    g_string_append(out, ": ");
}

static void
append_diag(GString *out, const domlint_diag *d, gboolean color, gboolean with_rule)
{
    const char *bold = color ? "\033[1m" : "";
    const char *reset = color ? "\033[0m" : "";

    g_string_append(out, bold);
    append_location(out, d);
    g_string_append(out, reset);
    g_string_append_printf(out, "%s%s:%s %s", color ? severity_color(d->severity) : "",
                           domlint_severity_name(d->severity), reset, d->message);
    if (with_rule)
        g_string_append_printf(out, " [%s]", d->rule);
    g_string_append_c(out, '\n');
}

/* ------------------------------------------------------------ excerpts */

/*
 * The source line under a finding, clang's way:
 *
 *     vm.xml:12:5: error: ... [pci-controller-machine]
 *        12 |     <controller type='pci' model='pcie-root-port'/>
 *           |     ^~~~~~~~~~~
 *
 * A line is drawn as cells, one per character: tabs become spaces to the
 * next multiple of 8, wide characters take two columns, characters a
 * terminal would not show (controls, a lone CR, bidi overrides) are drawn
 * as <U+XXXX> and bytes that are not UTF-8 as <XX>, so nothing in the file
 * can move the caret or reach the terminal raw.  A long line is cut around
 * the column, with "..." where text was left out.
 */

/* Widest source text an excerpt shows, in columns. */
#define EXCERPT_WIDTH 100
/* Bytes looked at on either side of the column of a long line. */
#define EXCERPT_REACH 400
#define EXCERPT_TAB 8

typedef struct {
    gsize src;        /* offset of the character in the text */
    guint out;        /* offset of its drawing in the line drawn */
    guint col;        /* display column where it starts */
    guint width;
} cell;

/* Where each line of a text starts, made when the first excerpt needs it. */
typedef struct {
    const char *text;
    gsize len;
    GArray *starts;   /* of gsize */
} line_index;

static void
line_index_clear(line_index *li)
{
    if (li->starts)
        g_array_unref(li->starts);
}

/* Line LINE (1-based) as [*BEGIN, *END), without its LF or CRLF; FALSE past the last. */
static gboolean
line_bounds(line_index *li, int line, gsize *begin, gsize *end)
{
    const char *nl;

    if (!li->text || line <= 0)
        return FALSE;
    if (!li->starts) {
        gsize at = 0;
        li->starts = g_array_new(FALSE, FALSE, sizeof(gsize));
        g_array_append_val(li->starts, at);
        nl = memchr(li->text, '\n', li->len);
        while (nl) {
            at = (gsize) (nl - li->text) + 1;
            g_array_append_val(li->starts, at);
            nl = memchr(li->text + at, '\n', li->len - at);
        }
    }
    if ((guint) line > li->starts->len)
        return FALSE;
    *begin = g_array_index(li->starts, gsize, line - 1);
    *end = (guint) line < li->starts->len ? g_array_index(li->starts, gsize, line) - 1 : li->len;
    if (*end > *begin && li->text[*end - 1] == '\r')
        (*end)--;
    /* a last line that is empty (the file ends with a newline) is no line */
    return *begin < li->len || *begin < *end;
}

/* Append the drawing of the character at P (at most AVAIL bytes) at column COL; its byte length. */
static gsize
draw_char(GString *drawn, const char *p, gsize avail, guint col, guint *width)
{
    gunichar c = g_utf8_get_char_validated(p, (gssize) avail);
    gsize n;

    if (*p == '\t') {
        *width = EXCERPT_TAB - col % EXCERPT_TAB;
        for (guint i = 0; i < *width; i++)
            g_string_append_c(drawn, ' ');
        return 1;
    }
    if (c == (gunichar) -1 || c == (gunichar) -2) {
        g_string_append_printf(drawn, "<%02X>", (guchar) *p);
        *width = 4;
        return 1;
    }
    n = (gsize) (g_utf8_next_char(p) - p);
    if (!g_unichar_isprint(c)) {
        gsize before = drawn->len;
        g_string_append_printf(drawn, "<U+%04X>", c);
        *width = (guint) (drawn->len - before);
        return n;
    }
    g_string_append_len(drawn, p, (gssize) n);
    if (g_unichar_iszerowidth(c))
        *width = 0;
    else
        *width = g_unichar_iswide(c) ? 2 : 1;
    return n;
}

/* Draw TEXT[FROM, TO) into DRAWN, one cell per character. */
static GArray *
draw_line(const char *text, gsize from, gsize to, GString *drawn)
{
    GArray *cells = g_array_new(FALSE, FALSE, sizeof(cell));
    guint col = 0;

    for (gsize at = from; at < to; ) {
        cell c = { at, (guint) drawn->len, col, 0 };
        at += draw_char(drawn, text + at, to - at, col, &c.width);
        col += c.width;
        g_array_append_val(cells, c);
    }
    return cells;
}

static gboolean
is_name_byte(char c)
{
    return g_ascii_isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.' || (guchar) c >= 0x80;
}

/* The cell holding byte offset AT of a line drawn up to TO (cells->len when AT is TO). */
static guint
cell_at(GArray *cells, gsize at, gsize to)
{
    for (guint i = 0; i < cells->len; i++) {
        gsize next = i + 1 < cells->len ? g_array_index(cells, cell, i + 1).src : to;
        if (at < next)
            return i;
    }
    return cells->len;
}

static char
first_byte(const char *text, GArray *cells, guint i)
{
    return text[g_array_index(cells, cell, i).src];
}

/* How many cells from CARET on the marker covers: the caret, then '~' under the name it starts. */
static guint
marked_cells(const char *text, GArray *cells, guint caret)
{
    guint n = 1;
    char c;

    if (caret >= cells->len)
        return 0;
    c = first_byte(text, cells, caret);
    if (c == '<' && caret + 1 < cells->len && first_byte(text, cells, caret + 1) == '/')
        n++;
    else if (c != '<' && !is_name_byte(c))
        return 1;
    while (caret + n < cells->len && is_name_byte(first_byte(text, cells, caret + n)))
        n++;
    return n;
}

/* The column where cell I starts (the line's width for I == cells->len). */
static guint
col_of(GArray *cells, guint i)
{
    const cell *last;

    if (i < cells->len)
        return g_array_index(cells, cell, i).col;
    if (cells->len == 0)
        return 0;
    last = &g_array_index(cells, cell, cells->len - 1);
    return last->col + last->width;
}

/*
 * The cells [*FIRST, *LAST) that fit EXCERPT_WIDTH around cell CARET: from
 * the start of the line while the caret is in its first two thirds, else
 * with the caret a third of the way in.
 */
static void
choose_window(GArray *cells, guint caret, guint *first, guint *last)
{
    guint total = col_of(cells, cells->len);
    guint budget = EXCERPT_WIDTH - 6;   /* room for "..." on both sides */
    guint want = col_of(cells, caret);
    guint start = want > budget - budget / 3 ? want - budget / 3 : 0;

    *first = 0;
    *last = cells->len;
    if (total <= EXCERPT_WIDTH)
        return;
    if (start + budget > total)
        start = total > budget ? total - budget : 0;
    while (*first < cells->len && col_of(cells, *first) < start)
        (*first)++;
    *last = *first;
    while (*last < cells->len && col_of(cells, *last + 1) - col_of(cells, *first) <= budget)
        (*last)++;
}

static void
pad(GString *out, guint n, char c)
{
    for (guint i = 0; i < n; i++)
        g_string_append_c(out, c);
}

/* One source line as drawn for an excerpt, cut to its window. */
typedef struct {
    GString *drawn;
    GArray *cells;
    guint caret, first, last;   /* cells: the column's, and the window [first, last) */
    gboolean cut_left, cut_right;
} excerpt_line;

/* Draw the part of TEXT[BEGIN, END) around byte AT that an excerpt shows. */
static void
excerpt_line_draw(excerpt_line *x, const char *text, gsize begin, gsize end, gsize at)
{
    gsize from = at - begin > EXCERPT_REACH ? at - EXCERPT_REACH : begin;
    gsize to = end - at > EXCERPT_REACH ? at + EXCERPT_REACH : end;

    /* a long line is drawn near the column only, from and to a character's start */
    while (from < at && ((guchar) text[from] & 0xc0) == 0x80)
        from++;
    while (to > at && ((guchar) text[to] & 0xc0) == 0x80)
        to--;
    x->drawn = g_string_new(NULL);
    x->cells = draw_line(text, from, to, x->drawn);
    x->caret = cell_at(x->cells, at, to);
    choose_window(x->cells, x->caret, &x->first, &x->last);
    x->cut_left = x->first > 0 || from > begin;
    x->cut_right = x->last < x->cells->len || to < end;
}

static void
excerpt_line_clear(excerpt_line *x)
{
    g_string_free(x->drawn, TRUE);
    g_array_unref(x->cells);
}

/* "   12 | <the line>" */
static void
append_source(GString *out, const excerpt_line *x, const char *number, guint gutter)
{
    guint a, b;

    pad(out, gutter - (guint) strlen(number), ' ');
    g_string_append_printf(out, "%s | %s", number, x->cut_left ? "..." : "");
    if (x->first < x->cells->len) {
        a = g_array_index(x->cells, cell, x->first).out;
        b = x->last < x->cells->len ? g_array_index(x->cells, cell, x->last).out
                                    : (guint) x->drawn->len;
        g_string_append_len(out, x->drawn->str + a, b - a);
    }
    g_string_append_printf(out, "%s\n", x->cut_right ? "..." : "");
}

/* "      |    ^~~~~" under the column, the name it starts underlined */
static void
append_caret(GString *out, const excerpt_line *x, const char *text, guint gutter, gboolean color)
{
    guint marked = marked_cells(text, x->cells, x->caret);
    guint lead = (x->cut_left ? 3 : 0) + col_of(x->cells, x->caret) - col_of(x->cells, x->first);
    guint span;

    if (x->caret + marked > x->last)
        marked = x->last > x->caret ? x->last - x->caret : 0;
    span = col_of(x->cells, x->caret + marked) - col_of(x->cells, x->caret);
    pad(out, gutter, ' ');
    g_string_append(out, " | ");
    pad(out, lead, ' ');
    g_string_append(out, color ? "\033[1;32m^" : "^");
    pad(out, span > 1 ? span - 1 : 0, '~');
    g_string_append_printf(out, "%s\n", color ? "\033[0m" : "");
}

/* The excerpt for D: its line, and a caret line when the column is known. */
static void
append_excerpt(GString *out, line_index *li, const domlint_diag *d, gboolean color)
{
    g_autofree char *number = g_strdup_printf("%d", d->line);
    guint gutter = MAX(5, (guint) strlen(number));
    excerpt_line x;
    gsize begin, end, at;

    if (!line_bounds(li, d->line, &begin, &end))
        return;
    /* the column is a byte offset in the line; past its end means at the end */
    at = d->column > 0 ? begin + MIN((gsize) d->column - 1, end - begin) : begin;
    excerpt_line_draw(&x, li->text, begin, end, at);
    append_source(out, &x, number, gutter);
    if (d->column > 0)
        append_caret(out, &x, li->text, gutter, color);
    excerpt_line_clear(&x);
}

static gboolean
same_place(const domlint_diag *a, const domlint_diag *b)
{
    return a->line == b->line && a->column == b->column && g_strcmp0(a->file, b->file) == 0;
}

/* D and its notes, each with its source line when it is in RESULT's text. */
static void
append_finding(GString *out, const domlint_result *result, line_index *li, const domlint_diag *d,
               gboolean color)
{
    gboolean quote = li && d->severity != DOMLINT_SEV_NOTE;

    append_diag(out, d, color, TRUE);
    if (quote && g_strcmp0(d->file, result->file) == 0)
        append_excerpt(out, li, d, color);
    for (guint n = 0; d->notes && n < d->notes->len; n++) {
        const domlint_diag *note = g_ptr_array_index(d->notes, n);
        append_diag(out, note, color, FALSE);
        if (quote && !same_place(note, d) && g_strcmp0(note->file, result->file) == 0)
            append_excerpt(out, li, note, color);
    }
    if (d->fixit) {
        domlint_diag hint = *d;
        g_autofree char *msg = g_strdup_printf("suggestion: %s", d->fixit);
        hint.severity = DOMLINT_SEV_NOTE;
        hint.message = msg;
        append_diag(out, &hint, color, FALSE);
    }
}

char *
domlint_format_text(const domlint_result *result, const domlint_text_options *options)
{
    GString *out = g_string_new(NULL);
    gboolean color = options && options->color;
    line_index li = { result->text, result->text_len, NULL };
    gboolean excerpt = options && options->excerpt && result->text;

    if (result->status == DOMLINT_FILE_FAILED) {
        g_string_append_printf(out, "%s: %s: %s\n", result->file,
                               color ? "\033[1;31mfatal\033[0m" : "fatal", result->failure);
        return g_string_free(out, FALSE);
    }
    for (guint i = 0; i < result->diags->len; i++)
        append_finding(out, result, excerpt ? &li : NULL, g_ptr_array_index(result->diags, i), color);
    line_index_clear(&li);
    return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------ summary */

typedef struct {
    guint files, failed, with_findings;
    guint count[DOMLINT_SEV_LAST];
} tally;

static void
count_results(GPtrArray *results, tally *t)
{
    memset(t, 0, sizeof(*t));
    t->files = results->len;
    for (guint i = 0; i < results->len; i++) {
        const domlint_result *r = g_ptr_array_index(results, i);
        if (r->status == DOMLINT_FILE_FAILED)
            t->failed++;
        if (r->diags->len)
            t->with_findings++;
        for (guint d = 0; d < r->diags->len; d++) {
            const domlint_diag *diag = g_ptr_array_index(r->diags, d);
            if (diag->severity < DOMLINT_SEV_LAST)
                t->count[diag->severity]++;
        }
    }
}

static void
append_count(GString *out, guint n, const char *one, const char *many)
{
    if (out->len)
        g_string_append(out, ", ");
    g_string_append_printf(out, "%u %s", n, n == 1 ? one : many);
}

char *
domlint_format_summary(GPtrArray *results)
{
    GString *out = g_string_new(NULL);
    tally t;

    count_results(results, &t);
    if (t.count[DOMLINT_SEV_ERROR])
        append_count(out, t.count[DOMLINT_SEV_ERROR], "error", "errors");
    if (t.count[DOMLINT_SEV_WARNING])
        append_count(out, t.count[DOMLINT_SEV_WARNING], "warning", "warnings");
    if (t.count[DOMLINT_SEV_NOTE])
        append_count(out, t.count[DOMLINT_SEV_NOTE], "note", "notes");
    if (out->len == 0)
        g_string_append(out, "no errors or warnings");
    if (t.files == 1)
        g_string_append(out, " in 1 file");
    else if (out->len && t.with_findings)
        g_string_append_printf(out, " in %u of %u files", t.with_findings, t.files);
    else
        g_string_append_printf(out, " in %u files", t.files);
    if (t.failed)
        g_string_append_printf(out, "; %u %s", t.failed, t.failed == 1 ? "file failed" : "files failed");
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

typedef struct {
    const char *rule;
    domlint_severity severity;
    guint count;
} rule_count;

static int
rule_count_order(gconstpointer a, gconstpointer b)
{
    const rule_count *x = a, *y = b;

    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

char *
domlint_format_statistics(GPtrArray *results)
{
    g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(rule_count));
    GString *out = g_string_new(NULL);
    guint width = 1;

    for (guint i = 0; i < results->len; i++) {
        const domlint_result *r = g_ptr_array_index(results, i);
        for (guint d = 0; d < r->diags->len; d++) {
            const domlint_diag *diag = g_ptr_array_index(r->diags, d);
            g_autofree char *key = g_strdup_printf("%d %s", diag->severity, diag->rule ? diag->rule : "");
            gpointer at;
            if (g_hash_table_lookup_extended(index, key, NULL, &at)) {
                g_array_index(rows, rule_count, GPOINTER_TO_UINT(at)).count++;
                continue;
            }
            g_array_append_val(rows, ((rule_count) { diag->rule ? diag->rule : "", diag->severity, 1 }));
            g_hash_table_insert(index, g_steal_pointer(&key), GUINT_TO_POINTER(rows->len - 1));
        }
    }
    g_array_sort(rows, rule_count_order);
    for (guint i = 0; i < rows->len; i++) {
        g_autofree char *n = g_strdup_printf("%u", g_array_index(rows, rule_count, i).count);
        width = MAX(width, (guint) strlen(n));
    }
    for (guint i = 0; i < rows->len; i++) {
        const rule_count *row = &g_array_index(rows, rule_count, i);
        g_string_append_printf(out, "%*u  %-7s  %s\n", (int) width, row->count,
                               domlint_severity_name(row->severity), row->rule);
    }
    return g_string_free(out, FALSE);
}

void
dl_json_add_string_or_null(JsonBuilder *b, const char *member, const char *value)
{
    json_builder_set_member_name(b, member);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

void
dl_emit_diag_json(JsonBuilder *b, const domlint_diag *d)
{
    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "file", d->file);
    json_builder_set_member_name(b, "line");
    json_builder_add_int_value(b, d->line);
    json_builder_set_member_name(b, "column");
    json_builder_add_int_value(b, d->column);
    dl_json_add_string_or_null(b, "severity", domlint_severity_name(d->severity));
    dl_json_add_string_or_null(b, "rule", d->rule);
    dl_json_add_string_or_null(b, "message", d->message);
    dl_json_add_string_or_null(b, "xpath", d->xpath);
    dl_json_add_string_or_null(b, "fixit", d->fixit);
    dl_json_add_string_or_null(b, "fixClass", domlint_fix_class_name(d->fix_class));
    json_builder_set_member_name(b, "notes");
    json_builder_begin_array(b);
    for (guint n = 0; d->notes && n < d->notes->len; n++)
        dl_emit_diag_json(b, g_ptr_array_index(d->notes, n));
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void
build_result(JsonBuilder *b, const domlint_result *r)
{
    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "file", r->file);
    dl_json_add_string_or_null(b, "status", r->status == DOMLINT_FILE_FAILED ? "failed" : "checked");
    dl_json_add_string_or_null(b, "failure", r->failure);
    dl_json_add_string_or_null(b, "machine", r->machine);
    dl_json_add_string_or_null(b, "family", r->family);
    json_builder_set_member_name(b, "diagnostics");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->diags->len; i++)
        dl_emit_diag_json(b, g_ptr_array_index(r->diags, i));
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void
add_part(JsonBuilder *b, const char *name, const char *version, const char *from,
         const char *origin)
{
    json_builder_set_member_name(b, name);
    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "version", version);
    dl_json_add_string_or_null(b, "from", from);
    dl_json_add_string_or_null(b, "origin", origin);
    json_builder_end_object(b);
}

void
dl_json_add_target(JsonBuilder *b, const domlint_target_info *t)
{
    json_builder_set_member_name(b, "target");
    if (!t) {
        json_builder_add_null_value(b);
        return;
    }
    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "platform", t->platform);
    add_part(b, "qemu", t->qemu, t->qemu_from, t->qemu_origin);
    add_part(b, "libvirt", t->libvirt, t->libvirt_from, t->libvirt_origin);
    dl_json_add_string_or_null(b, "vendor", t->vendor);
    dl_json_add_string_or_null(b, "vendorVersion", t->vendor_version);
    json_builder_end_object(b);
}

char *
domlint_format_json(GPtrArray *results, const domlint_target_info *target)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;
    guint errors = 0, warnings = 0, failed = 0;

    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "tool", "domlint");
    dl_json_add_string_or_null(b, "version", domlint_version());
    dl_json_add_target(b, target);
    json_builder_set_member_name(b, "files");
    json_builder_begin_array(b);
    for (guint i = 0; i < results->len; i++) {
        const domlint_result *r = g_ptr_array_index(results, i);
        build_result(b, r);
        errors += domlint_result_count(r, DOMLINT_SEV_ERROR);
        warnings += domlint_result_count(r, DOMLINT_SEV_WARNING);
        failed += r->status == DOMLINT_FILE_FAILED;
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "summary");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "files");
    json_builder_add_int_value(b, results->len);
    json_builder_set_member_name(b, "failed");
    json_builder_add_int_value(b, failed);
    json_builder_set_member_name(b, "errors");
    json_builder_add_int_value(b, errors);
    json_builder_set_member_name(b, "warnings");
    json_builder_add_int_value(b, warnings);
    json_builder_end_object(b);
    json_builder_end_object(b);

    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    return json_generator_to_data(gen, NULL);
}
