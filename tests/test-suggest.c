/*
 * test-suggest.c - the did-you-mean search (src/suggest.c)
 *
 * Distances count a swap of neighbours as one edit; a suggestion is made
 * only for what looks like a typo, and the nearest name wins.
 */
#include "testutil.h"
#include "core/suggest.h"

static gsize
distance(const char *a, const char *b)
{
    return dl_edit_distance(a, strlen(a), b);
}

Test(suggest, edit_distance)
{
    cr_assert_eq(distance("fix", "fix"), 0);
    cr_assert_eq(distance("fixx", "fix"), 1);
    cr_assert_eq(distance("fxi", "fix"), 1, "a swap of neighbours is one edit");
    cr_assert_eq(distance("", "json"), 4);
    cr_assert_eq(distance("sarif", ""), 5);
    cr_assert_eq(distance("kitten", "sitting"), 3);
    /* a prefix of A only: machines.c compares name prefixes */
    cr_assert_eq(dl_edit_distance("pc-q35-7.2", 6, "pc-q35"), 0);
}

Test(suggest, nearest_typo_only)
{
    static const char *const formats[] = { "text", "json", "sarif", NULL };
    static const char *const rules[] = { "pci-address-conflict", "pci-address-syntax", "disk-bus", NULL };

    cr_assert_str_eq(dl_suggest("jsno", formats), "json");
    cr_assert_str_eq(dl_suggest("sarf", formats), "sarif");
    cr_assert_null(dl_suggest("xml", formats), "three edits from 'text' is not a typo");
    cr_assert_null(dl_suggest("", formats));
    cr_assert_null(dl_suggest(NULL, formats));
    cr_assert_null(dl_suggest("json", NULL));
    cr_assert_str_eq(dl_suggest("pci-adress-conflict", rules), "pci-address-conflict");
    cr_assert_str_eq(dl_suggest("pci-address-syntx", rules), "pci-address-syntax");
    cr_assert_null(dl_suggest("usb", rules));
}

Test(suggest, unknown_rule_message)
{
    g_autofree char *near = dl_rule_unknown_message("pci-adress-conflict");
    g_autofree char *far = dl_rule_unknown_message("frobnicate");

    cr_assert_str_eq(near, "unknown rule 'pci-adress-conflict' (did you mean 'pci-address-conflict'?)");
    cr_assert_str_eq(far, "unknown rule 'frobnicate' (see --list-rules)");
}
