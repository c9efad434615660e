/*
 * fuzz-domain.c - libFuzzer harness: load -> check -> fix -> save
 *
 * Every input goes through the whole pipeline a pipeline user runs: the
 * checker, the fixer (which re-parses and re-checks its own output until
 * nothing is left to fix) and the text formatters.  The fixed text must
 * itself be loadable.  Knowledge base and schema come from the source tree
 * (the data directory fuzz/build.sh configures, or DOMLINT_DATA_DIR), loaded once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "domlint.h"

static domlint_ctx *ctx;
static domlint_ctx *layout_ctx;   /* --fix --layout --spare-ports=2 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_autoptr(domlint_options) opts = domlint_options_new();

    domlint_options_set_target(opts, "debian-12");
    domlint_options_set_no_schema(opts, getenv("FUZZ_SCHEMA") == NULL);
    ctx = domlint_ctx_new(opts, NULL);
    domlint_options_set_layout(opts, TRUE);
    domlint_options_set_spare_ports(opts, 2);
    layout_ctx = domlint_ctx_new(opts, NULL);
    if (!ctx || !layout_ctx)
        abort();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *fixed = NULL;
    gsize fixed_len = 0;
    domlint_result *r;
    char *text;
    g_autoptr(domlint_text_options) excerpt = domlint_text_options_new();

    domlint_text_options_set_excerpt(excerpt, TRUE);
    r = domlint_check_memory(ctx, "fuzz.xml", (const char *) data, size);
    /* with source excerpts: every byte of the input may end up quoted */
    text = domlint_format_text(r, excerpt);
    g_free(text);
    domlint_result_free(r);

    /* plain --fix, then --fix --layout --spare-ports=2 (libvirt's layout written out) */
    for (int pass = 0; pass < 2; pass++) {
        domlint_ctx *c = pass ? layout_ctx : ctx;

        r = domlint_fix_memory(c, "fuzz.xml", (const char *) data, size, &fixed, &fixed_len);
        if (fixed) {
            domlint_result *again = domlint_check_memory(c, "fixed.xml", fixed, fixed_len);
            /* what the fixer wrote must still be a document domlint can read */
            if (again->status != DOMLINT_FILE_CHECKED)
                abort();
            domlint_result_free(again);
        }
        g_free(fixed);
        fixed = NULL;
        domlint_result_free(r);
    }
    return 0;
}
