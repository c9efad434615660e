/*
 * lint.c - a small checker built on libdomlint: each FILE or directory
 * against Debian 12's libvirt and QEMU, findings printed as domlint prints
 * them, exit 1 when there are errors.
 *
 *   cc lint.c $(pkg-config --cflags --libs domlint) -o lint && ./lint vms/
 */
#include <stdio.h>

#include <domlint.h>

int
main(int argc, char **argv)
{
    g_autoptr(domlint_options) options = domlint_options_new();
    g_autoptr(domlint_text_options) text = domlint_text_options_new();
    g_autoptr(domlint_ctx) ctx = NULL;
    g_autoptr(domlint_inputs) inputs = NULL;
    g_autoptr(GError) error = NULL;
    const char *path;
    guint errors = 0;

    domlint_options_set_target(options, "debian-12");
    ctx = domlint_ctx_new(options, &error);
    if (!ctx) {
        fprintf(stderr, "lint: %s\n", error->message);
        return 2;
    }
    domlint_text_options_set_excerpt(text, FALSE);
    inputs = domlint_inputs_new((const char *const *) argv + 1);
    while (domlint_inputs_next(inputs, &path, &error)) {
        g_autoptr(domlint_result) result = NULL;
        g_autofree char *report = NULL;

        if (error) {
            fprintf(stderr, "lint: %s: %s\n", path, error->message);
            g_clear_error(&error);
            continue;
        }
        result = domlint_check_file(ctx, path);
        report = domlint_format_text(result, text);
        fputs(report, stdout);
        errors += domlint_result_count(result, DOMLINT_SEV_ERROR);
    }
    return argc < 2 ? 2 : errors > 0;
}
