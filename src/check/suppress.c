/*
 * suppress.c - findings the checked file itself silences (see suppress.h)
 *
 * A finding is matched to a directive's element by its XPath: the
 * element's own path, or one below it.  A finding without a path (a few
 * file-wide ones) is matched by its line falling within the element's
 * lines; one with neither only by domlint-disable-file.  A repair is
 * matched by the elements it points at and edits.
 */
#include "config.h"

#include <string.h>

#include "check/suppress.h"
#include "check/diag.h"
#include "fix/fix.h"
#include "check/rules/rules.h"
#include "core/suggest.h"

#define DIRECTIVE_PREFIX "domlint-"
#define DISABLE "domlint-disable"
#define DISABLE_FILE "domlint-disable-file"

typedef struct {
    gboolean file_wide;
    char **rules;             /* ids as written; "all" for every rule */
    const xmlNode *target;    /* the element silenced; NULL for the whole file */
    char *xpath;              /* its path */
    int first_line, last_line;
} directive;

/* A directive that silences nothing, for the 'suppression' rule. */
typedef struct {
    const xmlNode *comment;
    int line, column;         /* of its "<!--" */
    char *message;
    char *fixit;              /* or NULL */
} problem;

struct dl_suppressions {
    const dl_source *src;
    GPtrArray *directives;    /* of directive* */
    GPtrArray *problems;      /* of problem* */
};

static void
directive_free(gpointer p)
{
    directive *d = p;

    g_strfreev(d->rules);
    g_free(d->xpath);
    g_free(d);
}

static void
problem_free(gpointer p)
{
    problem *pr = p;

    g_free(pr->message);
    g_free(pr->fixit);
    g_free(pr);
}

void
dl_suppressions_free(dl_suppressions *sup)
{
    if (!sup)
        return;
    g_ptr_array_unref(sup->directives);
    g_ptr_array_unref(sup->problems);
    g_free(sup);
}

/* The "<!--" of COMMENT: the last one before END followed by its text, or NULL. */
static const char *
comment_start(const dl_source *src, gsize end, const xmlNode *comment)
{
    const char *content = (const char *) comment->content;
    gsize n = strlen(content);
    gsize from = end;

    while (from >= 4) {
        const char *hit = g_strrstr_len(src->text, (gssize) from, "<!--");
        gsize at;
        if (!hit)
            return NULL;
        at = (gsize) (hit - src->text);
        if (at + 4 + n <= src->len && memcmp(hit + 4, content, n) == 0)
            return hit;
        from = at + 3;          /* before this one */
    }
    return NULL;
}

/*
 * Where COMMENT starts.  libxml2 records the line a comment ends on, so
 * its "<!--" is looked for backwards from the end of that line.
 */
static void
comment_position(const dl_source *src, const xmlNode *comment, int *line, int *column)
{
    long recorded = xmlGetLineNo(comment);
    const char *hit;
    gsize end, at;
    guint l;

    *line = recorded > 0 ? (int) recorded : 0;
    *column = 0;
    if (recorded <= 0 || !src->line_starts || (guint) recorded > src->line_starts->len)
        return;
    end = (guint) recorded < src->line_starts->len
          ? g_array_index(src->line_starts, gsize, recorded) : src->len;
    hit = comment_start(src, end, comment);
    if (!hit)
        return;
    at = (gsize) (hit - src->text);
    l = (guint) recorded;
    while (l > 1 && g_array_index(src->line_starts, gsize, l - 1) > at)
        l--;
    *line = (int) l;
    *column = (int) (at - g_array_index(src->line_starts, gsize, l - 1)) + 1;
}

static void
add_problem(dl_suppressions *sup, const xmlNode *comment, char *message, char *fixit)
{
    problem *pr = g_new0(problem, 1);

    pr->comment = comment;
    comment_position(sup->src, comment, &pr->line, &pr->column);
    pr->message = message;
    pr->fixit = fixit;
    g_ptr_array_add(sup->problems, pr);
}

/* ------------------------------------------------------------ parsing */

/* The rule id nearest to ID when it looks like a slip (a third of it), or NULL. */
static const char *
nearest_rule(const char *id)
{
    const char *best = NULL;
    gsize best_distance = MAX(1, strlen(id) / 3) + 1;

    for (guint r = 0; r < dl_rule_total; r++) {
        gsize d = dl_edit_distance(id, strlen(id), dl_rules[r]->id);
        if (d < best_distance) {
            best = dl_rules[r]->id;
            best_distance = d;
        }
    }
    return best;
}

static gboolean
known_rule(const char *id)
{
    if (strcmp(id, "all") == 0)
        return TRUE;
    for (guint r = 0; r < dl_rule_total; r++) {
        if (strcmp(dl_rules[r]->id, id) == 0)
            return TRUE;
    }
    return FALSE;
}

/* The known ids of LIST ("a,b c"); unknown ones are problems.  *WRITTEN: how many were written. */
static char **
parse_rules(dl_suppressions *sup, const xmlNode *comment, const char *keyword, const char *list,
            guint *written)
{
    g_auto(GStrv) words = g_strsplit_set(list, ", \t\r\n", -1);
    GPtrArray *ids = g_ptr_array_new();

    *written = 0;
    for (gsize i = 0; words[i]; i++) {
        const char *near;
        if (!*words[i])
            continue;
        (*written)++;
        if (known_rule(words[i])) {
            g_ptr_array_add(ids, g_strdup(words[i]));
            continue;
        }
        near = nearest_rule(words[i]);
        add_problem(sup, comment,
                    g_strdup_printf("'%s' names an unknown rule '%s': nothing is silenced for it",
                                    keyword, words[i]),
                    near ? g_strdup_printf("did you mean '%s'?", near)
                         : g_strdup("'domlint --list-rules' lists the rule ids, and 'all' is every rule"));
    }
    g_ptr_array_add(ids, NULL);
    return (char **) g_ptr_array_free(ids, FALSE);
}

/* The first element after NODE among its siblings, or NULL. */
static const xmlNode *
next_element(const xmlNode *node)
{
    for (const xmlNode *n = node->next; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
    }
    return NULL;
}

/* The last line of ELEMENT: of its end tag, or of its start tag when empty. */
static int
last_line(const dl_source *src, const xmlNode *element, int first)
{
    dl_span span;
    int line = first;

    if (!dl_source_span(src, element, &span) || !src->line_starts)
        return first;
    while ((guint) line < src->line_starts->len &&
           g_array_index(src->line_starts, gsize, line) < span.end)
        line++;
    return line;
}

static void
add_directive(dl_suppressions *sup, const dl_source *src, const xmlNode *comment,
              const char *keyword, char **rules)
{
    directive *d = g_new0(directive, 1);

    d->rules = rules;
    d->file_wide = strcmp(keyword, DISABLE_FILE) == 0;
    if (!d->file_wide) {
        d->target = next_element(comment);
        if (!d->target) {
            add_problem(sup, comment,
                        g_strdup_printf("'%s' is followed by no element: it silences nothing", keyword),
                        g_strdup_printf("put it just before the element to silence, or use '%s' for the whole file",
                                        DISABLE_FILE));
            directive_free(d);
            return;
        }
        d->xpath = dl_xml_path(d->target);
        d->first_line = dl_source_line(src, d->target);
        d->last_line = last_line(src, d->target, d->first_line);
    }
    g_ptr_array_add(sup->directives, d);
}

/* One comment: a directive, a mistyped one, or any other comment. */
static void
scan_comment(dl_suppressions *sup, const dl_source *src, const xmlNode *comment)
{
    g_autofree char *text = g_strdup((const char *) comment->content);
    char *body = g_strstrip(text);
    gsize keyword_len = strcspn(body, " \t\r\n:");
    g_autofree char *keyword = g_strndup(body, keyword_len);
    char *reason;
    char **rules;
    guint written;

    if (!g_str_has_prefix(keyword, DIRECTIVE_PREFIX) ||
        !g_ascii_isalpha(keyword[strlen(DIRECTIVE_PREFIX)]))
        return;
    if (strcmp(keyword, DISABLE) != 0 && strcmp(keyword, DISABLE_FILE) != 0) {
        add_problem(sup, comment,
                    g_strdup_printf("'%s' is not a domlint directive: the comment silences nothing", keyword),
                    g_strdup_printf("write '%s' to silence the next element, '%s' for the whole file",
                                    DISABLE, DISABLE_FILE));
        return;
    }
    /* a reason may follow the ids after a ':' */
    reason = strchr(body + keyword_len, ':');
    if (reason)
        *reason = '\0';
    rules = parse_rules(sup, comment, keyword, body + keyword_len, &written);
    if (written == 0)
        add_problem(sup, comment, g_strdup_printf("'%s' names no rule: it silences nothing", keyword),
                    g_strdup("name the rules to silence, separated by commas, or 'all'"));
    if (!rules[0]) {
        g_strfreev(rules);
        return;
    }
    add_directive(sup, src, comment, keyword, rules);
}

static void
scan_tree(dl_suppressions *sup, const dl_source *src, const xmlNode *first)
{
    for (const xmlNode *n = first; n; n = n->next) {
        if (n->type == XML_COMMENT_NODE && n->content)
            scan_comment(sup, src, n);
        else if (n->type == XML_ELEMENT_NODE)
            scan_tree(sup, src, n->children);
    }
}

dl_suppressions *
dl_suppressions_scan(const dl_source *src)
{
    dl_suppressions *sup;

    /* the common case: no directive anywhere, one pass over the text */
    if (!g_strstr_len(src->text, (gssize) src->len, DIRECTIVE_PREFIX))
        return NULL;
    sup = g_new0(dl_suppressions, 1);
    sup->src = src;
    sup->directives = g_ptr_array_new_with_free_func(directive_free);
    sup->problems = g_ptr_array_new_with_free_func(problem_free);
    scan_tree(sup, src, src->doc->children);
    if (sup->directives->len == 0 && sup->problems->len == 0) {
        dl_suppressions_free(sup);
        return NULL;
    }
    return sup;
}

/* ------------------------------------------------------------ filtering */

static gboolean
names_rule(const directive *d, const char *rule)
{
    for (gsize i = 0; d->rules[i]; i++) {
        if (strcmp(d->rules[i], rule) == 0 || strcmp(d->rules[i], "all") == 0)
            return TRUE;
    }
    return FALSE;
}

/* PATH is BASE or a path below it ("/domain/devices/disk[1]/address"). */
static gboolean
path_within(const char *path, const char *base)
{
    gsize n = strlen(base);

    return strncmp(path, base, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static gboolean
covers_diag(const directive *d, const domlint_diag *diag)
{
    if (d->file_wide)
        return TRUE;
    if (diag->xpath)
        return path_within(diag->xpath, d->xpath);
    return diag->line > 0 && diag->line >= d->first_line && diag->line <= d->last_line;
}

static gboolean
silenced_diag(const dl_suppressions *sup, const domlint_diag *diag)
{
    for (guint i = 0; i < sup->directives->len; i++) {
        const directive *d = g_ptr_array_index(sup->directives, i);
        if (names_rule(d, diag->rule) && covers_diag(d, diag))
            return TRUE;
    }
    return FALSE;
}

static gboolean
covers_node(const directive *d, const xmlNode *node)
{
    if (d->file_wide)
        return TRUE;
    for (const xmlNode *n = node; n; n = n->parent) {
        if (n == d->target)
            return TRUE;
    }
    return FALSE;
}

/* FIX is of a silenced rule and points at or edits a silenced element. */
static gboolean
silenced_fix(const dl_suppressions *sup, const dl_fix *fix)
{
    for (guint i = 0; i < sup->directives->len; i++) {
        const directive *d = g_ptr_array_index(sup->directives, i);
        if (!names_rule(d, fix->rule))
            continue;
        if (d->file_wide || (fix->where && covers_node(d, fix->where)))
            return TRUE;
        for (guint s = 0; s < fix->steps->len; s++) {
            const dl_step *step = &g_array_index(fix->steps, dl_step, s);
            if (step->node && covers_node(d, step->node))
                return TRUE;
        }
    }
    return FALSE;
}

void
dl_suppressions_filter(const dl_suppressions *sup, GPtrArray *diags, GPtrArray *fixes)
{
    if (!sup)
        return;
    for (guint i = diags->len; i > 0; i--) {
        if (silenced_diag(sup, g_ptr_array_index(diags, i - 1)))
            g_ptr_array_remove_index(diags, i - 1);
    }
    for (guint i = fixes ? fixes->len : 0; i > 0; i--) {
        if (silenced_fix(sup, g_ptr_array_index(fixes, i - 1)))
            g_ptr_array_remove_index(fixes, i - 1);
    }
}

/* ------------------------------------------------------------ the rule */

static void
check_suppression(dl_check *chk)
{
    const dl_suppressions *sup = chk->suppress;

    for (guint i = 0; sup && i < sup->problems->len; i++) {
        const problem *pr = g_ptr_array_index(sup->problems, i);
        domlint_diag *d = dl_warning(chk, pr->comment, "%s", pr->message);

        d->line = pr->line;
        d->column = pr->column;
        if (pr->fixit)
            dl_diag_fixit(d, "%s", pr->fixit);
    }
}

const dl_rule dl_rule_suppression = {
    .id = "suppression",
    .summary = "every domlint-disable comment names known rules and is followed by an element",
    .severity = DOMLINT_SEV_WARNING,
    .check = check_suppression,
};
