/*
 * test-input.c - which files a run reads: domlint_inputs, domlint_read_input,
 * domlint_input_name
 *
 * A directory tree is made in a temporary directory, walked, and the order
 * of what comes out compared with what the command has always checked.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "testutil.h"

static char *tree;

static void
put(const char *rel)
{
    g_autofree char *path = g_build_filename(tree, rel, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    cr_assert_eq(g_mkdir_with_parents(dir, 0755), 0);
    cr_assert(g_file_set_contents(path, "<domain/>\n", -1, NULL));
}

/* tree/d: b.xml a.xml sub/c.xml notes.txt link -> sub; tree/e: empty */
static void
make_tree(void)
{
    g_autofree char *link = NULL;
    g_autofree char *empty = NULL;

    tree = g_dir_make_tmp("test-input-XXXXXX", NULL);
    cr_assert_not_null(tree);
    put("d/b.xml");
    put("d/a.xml");
    put("d/sub/c.xml");
    put("d/notes.txt");
    link = g_build_filename(tree, "d", "link", NULL);
    cr_assert_eq(symlink("sub", link), 0);
    empty = g_build_filename(tree, "e", NULL);
    cr_assert_eq(g_mkdir(empty, 0755), 0);
}

static void
remove_tree(void)
{
    const char *argv[] = { "rm", "-rf", tree, NULL };

    g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    g_clear_pointer(&tree, g_free);
}

TestSuite(inputs, .init = make_tree, .fini = remove_tree);

/* Every input of ARGS as "PATH" or "PATH: CODE: MESSAGE", one per line (caller frees). */
static char *
walk(const char *const *args)
{
    g_autoptr(domlint_inputs) inputs = domlint_inputs_new(args);
    GString *out = g_string_new(NULL);
    const char *path;
    GError *error = NULL;

    while (domlint_inputs_next(inputs, &path, &error)) {
        /* relative to the tree, so that the expectation can be written out */
        const char *shown = g_str_has_prefix(path, tree) ? path + strlen(tree) + 1 : path;

        g_string_append(out, shown);
        if (error)
            g_string_append_printf(out, ": %d: %s", error->code, error->message);
        g_string_append_c(out, '\n');
        g_clear_error(&error);
    }
    cr_assert_null(path, "a path after the end");
    return g_string_free(out, FALSE);
}

Test(inputs, files_stdin_and_directories_in_order)
{
    g_autofree char *d = g_build_filename(tree, "d", NULL);
    g_autofree char *e = g_build_filename(tree, "e", NULL);
    const char *const args[] = { "missing.xml", "-", d, e, "vm.txt", NULL };
    g_autofree char *got = walk(args);
    g_autofree char *want = g_strdup_printf("missing.xml\n-\nd/a.xml\nd/b.xml\nd/sub/c.xml\n"
                                            "e: %d: no *.xml files under this directory\nvm.txt\n",
                                            DOMLINT_INPUT_ERROR_NO_XML);

    /* the symbolic link to sub/ is not followed: c.xml comes once */
    cr_assert_str_eq(got, want);
}

Test(inputs, a_directory_named_twice_is_walked_twice)
{
    g_autofree char *sub = g_build_filename(tree, "d", "sub", NULL);
    const char *const args[] = { sub, sub, NULL };
    g_autofree char *got = walk(args);

    cr_assert_str_eq(got, "d/sub/c.xml\nd/sub/c.xml\n");
}

Test(inputs, none)
{
    const char *const args[] = { NULL };
    g_autofree char *got = walk(args);
    g_autofree char *none = walk(NULL);

    cr_assert_str_eq(got, "");
    cr_assert_str_eq(none, "");
}

Test(inputs, the_caller_keeps_its_words)
{
    char word[] = "vm.xml";
    const char *const args[] = { word, NULL };
    g_autoptr(domlint_inputs) inputs = domlint_inputs_new(args);
    const char *path;

    word[0] = 'x';
    cr_assert(domlint_inputs_next(inputs, &path, NULL));
    cr_assert_str_eq(path, "vm.xml");
    cr_assert_not(domlint_inputs_next(inputs, &path, NULL));
}

Test(input_name, stdin_and_files)
{
    const char *file = "vm.xml";

    cr_assert_str_eq(domlint_input_name("-"), "<stdin>");
    cr_assert_eq(domlint_input_name(file), file);
}

Test(read_input, failures_are_gerrors_without_the_path)
{
    g_autoptr(GError) missing = NULL;
    g_autoptr(GError) dir = NULL;
    gsize len = 0;

    cr_assert_null(domlint_read_input("/nonexistent/vm.xml", &len, &missing));
    cr_assert(g_error_matches(missing, DOMLINT_INPUT_ERROR, DOMLINT_INPUT_ERROR_READ));
    cr_assert_str_eq(missing->message, "cannot open: No such file or directory");
    cr_assert_null(domlint_read_input(DOMLINT_SRCDIR "/fixtures", &len, &dir));
    cr_assert_str_eq(dir->message, "is a directory");
    cr_assert_null(domlint_read_input("/nonexistent/vm.xml", &len, NULL));
}

Test(read_input, bytes_with_a_nul_after_them)
{
    g_autoptr(GError) error = NULL;
    gsize len = 0;
    g_autofree char *expected = NULL;
    gsize expected_len = 0;
    g_autofree char *data = domlint_read_input(DOMLINT_SRCDIR "/fixtures/machine/q35-desktop.xml",
                                               &len, &error);

    cr_assert_not_null(data, "%s", error ? error->message : "");
    cr_assert(g_file_get_contents(DOMLINT_SRCDIR "/fixtures/machine/q35-desktop.xml", &expected,
                                  &expected_len, NULL));
    cr_assert_eq(len, expected_len);
    cr_assert_eq(memcmp(data, expected, len + 1), 0);
}
