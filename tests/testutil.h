/*
 * testutil.h - shared scaffolding of domlint's Criterion unit tests
 *
 * Every test binary is run by automake's tap-driver with no arguments, so it
 * must speak TAP on standard output.  Including this header (in exactly one
 * file of a test program) replaces Criterion's default main with one that
 * adds the "tap" report on stdout; Criterion's own human-readable log still
 * goes to stderr, which the driver copies to the .log file.
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/options.h>
#include <criterion/output.h>
#include <glib.h>

#include "domlint.h"

#ifndef DOMLINT_SRCDIR
#error "DOMLINT_SRCDIR must name the source directory"
#endif

/* The knowledge base of the source tree, as --machine-db would name it. */
#define TEST_MACHINE_DB DOMLINT_SRCDIR "/data/machines"
/* The release pair the unit tests check against unless a test names another:
 * fixed, so that a host with another QEMU or none gives the same results. */
#define TEST_TARGET "debian-12"

/*
 * The lines every test domain starts and ends with: the first device is on
 * line 6 and <os><type> is on line 4, column 7.
 */
#define TEST_DOMAIN_HEAD(arch, machine)                                  \
    "<domain type='kvm'>\n"                                              \
    "  <name>t</name>\n"                                                 \
    "  <memory>1048576</memory>\n"                                       \
    "  <os><type arch='" arch "' machine='" machine "'>hvm</type></os>\n"   \
    "  <devices>\n"
#define TEST_DOMAIN_TAIL "  </devices>\n</domain>\n"

/* libvirt's RELAX NG schemas as installed by the distribution. */
#define TEST_LIBVIRT_SCHEMAS "/usr/share/libvirt/schemas"

/* Assert that HAYSTACK (a C string) contains NEEDLE. */
#define test_assert_contains(haystack, needle)                                       \
    do {                                                                              \
        const char *test_h_ = (haystack);                                             \
        const char *test_n_ = (needle);                                               \
        cr_assert_not_null(test_h_, "expected text containing \"%s\", got NULL",      \
                           test_n_);                                                  \
        cr_assert_not_null(strstr(test_h_, test_n_),                                 \
                           "expected \"%s\" in \"%s\"", test_n_, test_h_);            \
    } while (0)

/*
 * The settings unit tests vary, named as domlint_options' setters name
 * them, so that a test can write its options in one initialiser:
 * test_options_from(&(test_settings) { .target = TEST_TARGET, .layout = TRUE }).
 */
typedef struct {
    const char *machine_db;
    const char *schema_dir;
    gboolean no_schema;
    const char *const *disable;
    const char *const *enable;
    gboolean layout;
    gboolean spare_ports_set;
    int spare_ports;
    const char *target;
    gboolean fix_safe_only;
} test_settings;

/* Options made with the setters from S (caller frees). */
static inline domlint_options *
test_options_from(const test_settings *s)
{
    domlint_options *options = domlint_options_new();

    domlint_options_set_machine_db(options, s->machine_db);
    domlint_options_set_schema_dir(options, s->schema_dir);
    domlint_options_set_no_schema(options, s->no_schema);
    domlint_options_set_disable(options, s->disable);
    domlint_options_set_enable(options, s->enable);
    domlint_options_set_layout(options, s->layout);
    domlint_options_set_spare_ports(options, s->spare_ports_set ? s->spare_ports : -1);
    domlint_options_set_target(options, s->target);
    domlint_options_set_fix_safe_only(options, s->fix_safe_only);
    return options;
}

/* Text options with EXCERPT and COLOR (caller frees). */
static inline domlint_text_options *
test_text_options(gboolean excerpt, gboolean color)
{
    domlint_text_options *options = domlint_text_options_new();

    domlint_text_options_set_excerpt(options, excerpt);
    domlint_text_options_set_color(options, color);
    return options;
}

int main(int argc, char *argv[]);

int
main(int argc, char *argv[])
{
    struct criterion_test_set *tests = criterion_initialize();
    int ok = 0;

    /* Still honour --filter, --verbose and friends when run by hand. */
    if (!criterion_handle_args(argc, argv, true)) {
        criterion_finalize(tests);
        return EXIT_SUCCESS;
    }
    criterion_add_output("tap", "-");
    ok = criterion_run_all_tests(tests);
    criterion_finalize(tests);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
