/*
 * test-emit.c - the text report: source excerpts, the summary, statistics
 *
 * Results are built by hand, so that the text under a finding can be what no
 * checked file would hold (bytes that are not UTF-8, a lone CR, a line of a
 * megabyte) and every output is compared whole.
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "domlint.h"

static domlint_diag *
diag(const char *file, int line, int column, domlint_severity severity, const char *message)
{
    domlint_diag *d = g_new0(domlint_diag, 1);

    d->file = g_strdup(file);
    d->line = line;
    d->column = column;
    d->severity = severity;
    d->rule = g_strdup("some-rule");
    d->message = g_strdup(message);
    d->notes = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_diag_free);
    return d;
}

/* A checked result for "t.xml" holding TEXT (NULL: none kept). */
static domlint_result *
result(const char *text)
{
    domlint_result *r = g_new0(domlint_result, 1);

    r->file = g_strdup("t.xml");
    r->status = DOMLINT_FILE_CHECKED;
    r->diags = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_diag_free);
    if (text) {
        r->text = g_strdup(text);
        r->text_len = strlen(text);
    }
    return r;
}

static domlint_diag *
add(domlint_result *r, int line, int column, domlint_severity severity, const char *message)
{
    domlint_diag *d = diag(r->file, line, column, severity, message);

    g_ptr_array_add(r->diags, d);
    return d;
}

static char *
excerpt(const domlint_result *r)
{
    g_autoptr(domlint_text_options) opts = test_text_options(TRUE, FALSE);

    return domlint_format_text(r, opts);
}

static const char doc[] =
    "<domain>\n"
    "  <devices>\n"
    "    <controller type='pci' model='pcie-root-port'/>\n"
    "  </devices>\n"
    "</domain>\n";

Test(excerpt, caret_under_the_column_and_the_name)
{
    domlint_result *r = result(doc);
    g_autofree char *text = NULL;
    domlint_diag *d = add(r, 3, 5, DOMLINT_SEV_ERROR, "bad controller");

    d->fixit = g_strdup("remove it");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml:3:5: error: bad controller [some-rule]\n"
                     "    3 |     <controller type='pci' model='pcie-root-port'/>\n"
                     "      |     ^~~~~~~~~~~\n"
                     "t.xml:3:5: note: suggestion: remove it\n");
    domlint_result_free(r);
}

Test(excerpt, off_is_the_one_line_form)
{
    domlint_result *r = result(doc);
    g_autofree char *plain = NULL;
    g_autofree char *null_opts = NULL;
    g_autoptr(domlint_text_options) opts = test_text_options(FALSE, FALSE);

    add(r, 3, 5, DOMLINT_SEV_ERROR, "bad controller");
    plain = domlint_format_text(r, opts);
    null_opts = domlint_format_text(r, NULL);
    cr_assert_str_eq(plain, "t.xml:3:5: error: bad controller [some-rule]\n");
    cr_assert_str_eq(null_opts, plain);
    domlint_result_free(r);
}

Test(excerpt, without_text_one_line)
{
    domlint_result *r = result(NULL);
    g_autofree char *text = NULL;

    add(r, 3, 5, DOMLINT_SEV_ERROR, "bad controller");
    text = excerpt(r);
    cr_assert_str_eq(text, "t.xml:3:5: error: bad controller [some-rule]\n");
    domlint_result_free(r);
}

Test(excerpt, attribute_value_and_other_columns)
{
    domlint_result *r = result(doc);
    g_autofree char *text = NULL;

    /* at model= (a name: underlined), at the quote (not a name: a caret alone) */
    add(r, 3, 28, DOMLINT_SEV_WARNING, "at model");
    add(r, 3, 34, DOMLINT_SEV_WARNING, "at quote");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml:3:28: warning: at model [some-rule]\n"
                     "    3 |     <controller type='pci' model='pcie-root-port'/>\n"
                     "      |                            ^~~~~\n"
                     "t.xml:3:34: warning: at quote [some-rule]\n"
                     "    3 |     <controller type='pci' model='pcie-root-port'/>\n"
                     "      |                                  ^\n");
    domlint_result_free(r);
}

Test(excerpt, unknown_line_or_column)
{
    domlint_result *r = result(doc);
    g_autofree char *text = NULL;

    add(r, 0, 0, DOMLINT_SEV_WARNING, "no line");
    add(r, 2, 0, DOMLINT_SEV_ERROR, "no column");
    add(r, 99, 1, DOMLINT_SEV_ERROR, "past the last line");
    add(r, 6, 1, DOMLINT_SEV_ERROR, "the empty line after the last newline");
    add(r, 4, 80, DOMLINT_SEV_ERROR, "column past the end");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml: warning: no line [some-rule]\n"
                     "t.xml:2: error: no column [some-rule]\n"
                     "    2 |   <devices>\n"
                     "t.xml:99:1: error: past the last line [some-rule]\n"
                     "t.xml:6:1: error: the empty line after the last newline [some-rule]\n"
                     "t.xml:4:80: error: column past the end [some-rule]\n"
                     "    4 |   </devices>\n"
                     "      |             ^\n");
    domlint_result_free(r);
}

Test(excerpt, tabs_become_spaces_to_the_next_stop)
{
    domlint_result *r = result("<domain>\n\t<a/>\t<b/>\n</domain>\n");
    g_autofree char *text = NULL;

    add(r, 2, 7, DOMLINT_SEV_ERROR, "b");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml:2:7: error: b [some-rule]\n"
                     "    2 |         <a/>    <b/>\n"
                     "      |                 ^~\n");
    domlint_result_free(r);
}

Test(excerpt, crlf_and_a_lone_cr)
{
    domlint_result *r = result("<domain>\r\n  <a/>\r\n  <b/>\r<c/>\r\n</domain>\r\n");
    g_autofree char *text = NULL;

    add(r, 2, 3, DOMLINT_SEV_ERROR, "a");
    add(r, 3, 8, DOMLINT_SEV_ERROR, "c");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml:2:3: error: a [some-rule]\n"
                     "    2 |   <a/>\n"
                     "      |   ^~\n"
                     "t.xml:3:8: error: c [some-rule]\n"
                     "    3 |   <b/><U+000D><c/>\n"
                     "      |               ^~\n");
    domlint_result_free(r);
}

Test(excerpt, odd_bytes_and_wide_characters_keep_the_caret_aligned)
{
    /* a byte that is not UTF-8, a right-to-left override, two wide characters */
    domlint_result *r = result("<d>\n<n>\xff\xe2\x80\xae\xe6\x97\xa5\xe6\x9c\xac</n><x/>\n</d>\n");
    g_autofree char *text = NULL;

    add(r, 2, 18, DOMLINT_SEV_ERROR, "x");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml:2:18: error: x [some-rule]\n"
                     "    2 | <n><FF><U+202E>\xe6\x97\xa5\xe6\x9c\xac</n><x/>\n"
                     "      |                        ^~\n");
    domlint_result_free(r);
}

Test(excerpt, a_wide_character_under_the_caret_is_underlined_whole)
{
    domlint_result *r = result("<d>\n<\xe6\x97\xa5\xe6\x9c\xac/>\n</d>\n");
    g_autofree char *text = NULL;

    add(r, 2, 2, DOMLINT_SEV_ERROR, "wide");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml:2:2: error: wide [some-rule]\n"
                     "    2 | <\xe6\x97\xa5\xe6\x9c\xac/>\n"
                     "      |  ^~~~\n");
    domlint_result_free(r);
}

Test(excerpt, long_line_cut_around_the_column)
{
    g_autoptr(GString) line = g_string_new("<d>");
    g_autofree char *text = NULL;
    domlint_result *r;
    g_auto(GStrv) lines = NULL;
    const char *caret;
    const char *target;
    int column;

    for (int i = 0; i < 20000; i++)
        g_string_append(line, "<a/>");
    column = (int) line->len + 1;
    g_string_append(line, "<target/>");
    for (int i = 0; i < 20000; i++)
        g_string_append(line, "<z/>");
    g_string_append(line, "</d>\n");
    r = result(line->str);
    add(r, 1, column, DOMLINT_SEV_ERROR, "target");
    text = excerpt(r);
    lines = g_strsplit(text, "\n", -1);
    cr_assert_eq(g_strv_length(lines), 4, "%s", text);
    cr_assert(g_str_has_prefix(lines[1], "    1 | ..."), "%s", lines[1]);
    cr_assert(g_str_has_suffix(lines[1], "..."), "%s", lines[1]);
    cr_assert_leq(strlen(lines[1]), 8 + 100, "%s", lines[1]);
    target = strstr(lines[1], "<target/>");
    caret = strchr(lines[2], '^');
    cr_assert_not_null(target, "%s", lines[1]);
    cr_assert_not_null(caret, "%s", lines[2]);
    cr_assert_eq(target - lines[1], caret - lines[2], "%s\n%s", lines[1], lines[2]);
    cr_assert(g_str_has_prefix(caret, "^~~~~~~\0"), "%s", lines[2]);
    domlint_result_free(r);
}

Test(excerpt, notes_on_another_line_show_theirs)
{
    domlint_result *r = result(doc);
    g_autofree char *text = NULL;
    domlint_diag *d = add(r, 3, 5, DOMLINT_SEV_ERROR, "conflict");

    g_ptr_array_add(d->notes, diag("t.xml", 2, 3, DOMLINT_SEV_NOTE, "the other is here"));
    g_ptr_array_add(d->notes, diag("t.xml", 3, 5, DOMLINT_SEV_NOTE, "same place"));
    g_ptr_array_add(d->notes, diag("other.xml", 2, 3, DOMLINT_SEV_NOTE, "another file"));
    /* a finding that is a note itself (--fix's "fixed:") quotes nothing */
    add(r, 2, 3, DOMLINT_SEV_NOTE, "fixed: something");
    text = excerpt(r);
    cr_assert_str_eq(text,
                     "t.xml:3:5: error: conflict [some-rule]\n"
                     "    3 |     <controller type='pci' model='pcie-root-port'/>\n"
                     "      |     ^~~~~~~~~~~\n"
                     "t.xml:2:3: note: the other is here\n"
                     "    2 |   <devices>\n"
                     "      |   ^~~~~~~~\n"
                     "t.xml:3:5: note: same place\n"
                     "other.xml:2:3: note: another file\n"
                     "t.xml:2:3: note: fixed: something [some-rule]\n");
    domlint_result_free(r);
}

Test(excerpt, colour_makes_the_caret_green)
{
    domlint_result *r = result(doc);
    g_autofree char *text = NULL;
    g_autoptr(domlint_text_options) opts = test_text_options(TRUE, TRUE);

    add(r, 3, 5, DOMLINT_SEV_ERROR, "bad controller");
    text = domlint_format_text(r, opts);
    test_assert_contains(text, "    3 |     <controller type='pci' model='pcie-root-port'/>\n"
                               "      |     \033[1;32m^~~~~~~~~~~\033[0m\n");
    domlint_result_free(r);
}

/* ------------------------------------------------------------ summary */

static GPtrArray *
results_new(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify) domlint_result_free);
}

Test(summary, counts_files_and_plurals)
{
    g_autoptr(GPtrArray) all = results_new();
    g_autofree char *line = NULL;
    domlint_result *a = result(NULL), *b = result(NULL);

    add(a, 1, 1, DOMLINT_SEV_ERROR, "e1");
    add(a, 2, 1, DOMLINT_SEV_ERROR, "e2");
    add(b, 1, 1, DOMLINT_SEV_ERROR, "e3");
    add(b, 1, 1, DOMLINT_SEV_WARNING, "w1");
    g_ptr_array_add(all, a);
    g_ptr_array_add(all, b);
    for (int i = 0; i < 38; i++)
        g_ptr_array_add(all, result(NULL));
    line = domlint_format_summary(all);
    cr_assert_str_eq(line, "3 errors, 1 warning in 2 of 40 files\n");
}

Test(summary, one_file)
{
    g_autoptr(GPtrArray) all = results_new();
    g_autofree char *line = NULL;
    domlint_result *a = result(NULL);

    add(a, 1, 1, DOMLINT_SEV_WARNING, "w1");
    add(a, 2, 1, DOMLINT_SEV_WARNING, "w2");
    add(a, 2, 1, DOMLINT_SEV_NOTE, "n1");
    g_ptr_array_add(all, a);
    line = domlint_format_summary(all);
    cr_assert_str_eq(line, "2 warnings, 1 note in 1 file\n");
}

Test(summary, clean_and_failed)
{
    g_autoptr(GPtrArray) all = results_new();
    g_autofree char *clean = NULL;
    g_autofree char *failed = NULL;
    domlint_result *bad = result(NULL);

    g_ptr_array_add(all, result(NULL));
    g_ptr_array_add(all, result(NULL));
    clean = domlint_format_summary(all);
    cr_assert_str_eq(clean, "no errors or warnings in 2 files\n");
    bad->status = DOMLINT_FILE_FAILED;
    bad->failure = g_strdup("empty file");
    g_ptr_array_add(all, bad);
    failed = domlint_format_summary(all);
    cr_assert_str_eq(failed, "no errors or warnings in 3 files; 1 file failed\n");
}

Test(statistics, per_rule_and_severity_most_first)
{
    g_autoptr(GPtrArray) all = results_new();
    g_autofree char *table = NULL;
    domlint_result *a = result(NULL);
    domlint_diag *d;

    for (int i = 0; i < 12; i++) {
        d = add(a, 1, 1, DOMLINT_SEV_ERROR, "e");
        g_free(d->rule);
        d->rule = g_strdup(i < 10 ? "pci-address-conflict" : "disk-bus");
    }
    d = add(a, 1, 1, DOMLINT_SEV_WARNING, "w");
    g_free(d->rule);
    d->rule = g_strdup("disk-bus");
    g_ptr_array_add(all, a);
    table = domlint_format_statistics(all);
    cr_assert_str_eq(table,
                     "10  error    pci-address-conflict\n"
                     " 2  error    disk-bus\n"
                     " 1  warning  disk-bus\n");
}
