/*
 * input.c - which files a run reads, and how they are named
 *
 * The words of a command line as files to check: a file is itself, "-" is
 * standard input, a directory is every *.xml below it.  And the one rule
 * for naming standard input in findings and reports.
 */
#include "config.h"

#include <string.h>

#include "domlint.h"

#define STDIN_NAME "<stdin>"

struct domlint_inputs {
    char **args;
    gsize next_arg;
    GQueue pending;          /* of pending*: what the directory being walked gave */
    char *current;           /* what the last domlint_inputs_next() gave */
};

/* A file found below a directory, or a directory that could not be listed (ERROR set). */
typedef struct {
    char *path;
    GError *error;
} pending;

static void
pending_free(pending *p)
{
    g_free(p->path);
    g_clear_error(&p->error);
    g_free(p);
}

G_DEFINE_QUARK(domlint-input-error-quark, domlint_input_error)

const char *
domlint_input_name(const char *path)
{
    return strcmp(path, "-") == 0 ? STDIN_NAME : path;
}

domlint_inputs *
domlint_inputs_new(const char *const *args)
{
    domlint_inputs *inputs = g_new0(domlint_inputs, 1);

    inputs->args = g_strdupv((char **) args);
    g_queue_init(&inputs->pending);
    return inputs;
}

void
domlint_inputs_free(domlint_inputs *inputs)
{
    if (!inputs)
        return;
    g_strfreev(inputs->args);
    g_queue_clear_full(&inputs->pending, (GDestroyNotify) pending_free);
    g_free(inputs->current);
    g_free(inputs);
}

static void
add_pending(domlint_inputs *inputs, const char *path, GError *error)
{
    pending *p = g_new0(pending, 1);

    p->path = g_strdup(path);
    p->error = error;
    g_queue_push_tail(&inputs->pending, p);
}

static int
name_order(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Every *.xml below DIR, sorted so that runs are reproducible. */
static void
walk_dir(domlint_inputs *inputs, const char *dir)
{
    GError *error = NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);

    if (!d) {
        GError *why = g_error_new(DOMLINT_INPUT_ERROR, DOMLINT_INPUT_ERROR_DIR,
                                  "cannot read directory: %s", error->message);

        g_error_free(error);
        add_pending(inputs, dir, why);
        return;
    }
    for (const char *name = g_dir_read_name(d); name; name = g_dir_read_name(d))
        g_ptr_array_add(found, g_build_filename(dir, name, NULL));
    g_ptr_array_sort(found, name_order);
    for (guint i = 0; i < found->len; i++) {
        const char *path = g_ptr_array_index(found, i);

        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            walk_dir(inputs, path);
        else if (g_str_has_suffix(path, ".xml"))
            add_pending(inputs, path, NULL);
    }
}

/* Give PATH (taken) as the next input, with ERROR (taken) when it is a problem. */
static gboolean
give(domlint_inputs *inputs, char *path, const char **out, GError *problem, GError **error)
{
    g_free(inputs->current);
    inputs->current = path;
    *out = path;
    if (problem)
        g_propagate_error(error, problem);
    return TRUE;
}

gboolean
domlint_inputs_next(domlint_inputs *inputs, const char **path, GError **error)
{
    pending *p = g_queue_pop_head(&inputs->pending);
    const char *arg;

    if (p) {
        gboolean given = give(inputs, g_steal_pointer(&p->path), path, g_steal_pointer(&p->error), error);

        pending_free(p);
        return given;
    }
    *path = NULL;
    arg = inputs->args ? inputs->args[inputs->next_arg] : NULL;
    if (!arg)
        return FALSE;
    inputs->next_arg++;
    if (strcmp(arg, "-") == 0 || !g_file_test(arg, G_FILE_TEST_IS_DIR))
        return give(inputs, g_strdup(arg), path, NULL, error);
    walk_dir(inputs, arg);
    if (g_queue_is_empty(&inputs->pending))
        return give(inputs, g_strdup(arg), path,
                    g_error_new_literal(DOMLINT_INPUT_ERROR, DOMLINT_INPUT_ERROR_NO_XML,
                                        "no *.xml files under this directory"),
                    error);
    return domlint_inputs_next(inputs, path, error);
}
