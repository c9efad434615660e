/*
 * test-edit.c - the text edits --fix is made of (src/edit.c) and the
 * element spans they rely on (src/load.c)
 */
#include "config.h"

#include <string.h>
#include <libxml/tree.h>

#include "testutil.h"
#include "core/load.h"
#include "fix/edit.h"

static const char doc[] =
    "<?xml version=\"1.0\"?>\n"
    "<!-- <address> in a comment is not an element -->\n"
    "<domain type=\"kvm\">\n"
    "  <devices>\n"
    "    <disk type='file'\n"
    "          device='disk'>\n"
    "      <target dev='hda' bus='ide'/>\n"
    "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
    "    </disk>\n"
    "    <video><model type=\"vga\"/></video>\n"
    "  </devices>\n"
    "</domain>\n";

static xmlNode *
find(xmlNode *node, const char *name)
{
    for (xmlNode *c = node; c; c = c->next) {
        xmlNode *hit;
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *) c->name, name) == 0)
            return c;
        hit = find(c->children, name);
        if (hit)
            return hit;
    }
    return NULL;
}

static dl_source *
load(void)
{
    g_autofree char *reason = NULL;
    dl_source *src = dl_source_parse(doc, sizeof(doc) - 1, &reason);

    cr_assert_not_null(src, "parse failed: %s", reason);
    return src;
}

static char *
apply(dl_edits *edits)
{
    return dl_edits_apply(edits, NULL);
}

Test(spans, element_spans_cover_start_to_end_tag)
{
    g_autoptr(dl_source) src = load();
    xmlNode *disk = find(xmlDocGetRootElement(src->doc), "disk");
    dl_span span;

    cr_assert(dl_source_span(src, disk, &span));
    cr_assert(strncmp(src->text + span.begin, "<disk type='file'", 17) == 0);
    cr_assert(strncmp(src->text + span.end - 7, "</disk>", 7) == 0);
    cr_assert_eq(dl_source_line(src, disk), 5);
    cr_assert_eq(dl_source_column(src, disk), 5);
}

Test(edits, set_existing_attribute_keeps_its_quotes)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    g_autofree char *out = NULL;

    cr_assert(dl_edit_set_attr(edits, find(xmlDocGetRootElement(src->doc), "target"), "bus", "sata"));
    out = apply(edits);
    test_assert_contains(out, "<target dev='hda' bus='sata'/>");
    /* nothing else moved */
    cr_assert_eq(strlen(out), sizeof(doc) - 1 + 1);
}

Test(edits, new_attribute_uses_the_tag_quote_style)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    g_autofree char *out = NULL;

    cr_assert(dl_edit_set_attr(edits, find(xmlDocGetRootElement(src->doc), "model"), "vram", "16384"));
    out = apply(edits);
    test_assert_contains(out, "<model type=\"vga\" vram=\"16384\"/>");
}

Test(edits, new_attributes_of_one_tag_go_in_the_order_made)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    xmlNode *model = find(xmlDocGetRootElement(src->doc), "model");
    g_autofree char *out = NULL;

    /* a PCI address written from a partial one adds domain and bus at one point */
    cr_assert(dl_edit_set_attr(edits, model, "vram", "16384"));
    cr_assert(dl_edit_set_attr(edits, model, "heads", "1"));
    cr_assert(dl_edit_set_attr(edits, model, "primary", "yes"));
    out = apply(edits);
    test_assert_contains(out, "<model type=\"vga\" vram=\"16384\" heads=\"1\" primary=\"yes\"/>");
}

Test(edits, values_are_escaped)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    g_autofree char *out = NULL;

    cr_assert(dl_edit_set_attr(edits, find(xmlDocGetRootElement(src->doc), "target"), "dev", "a'<&"));
    out = apply(edits);
    test_assert_contains(out, "dev='a&apos;&lt;&amp;'");
}

Test(edits, remove_attribute_and_its_space)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    g_autofree char *out = NULL;

    cr_assert(dl_edit_remove_attr(edits, find(xmlDocGetRootElement(src->doc), "target"), "bus"));
    out = apply(edits);
    test_assert_contains(out, "<target dev='hda'/>");
}

Test(edits, removing_an_element_alone_on_its_line_takes_the_line)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    g_autofree char *out = NULL;

    cr_assert(dl_edit_remove_element(edits, find(xmlDocGetRootElement(src->doc), "address")));
    out = apply(edits);
    test_assert_contains(out, "bus='ide'/>\n    </disk>");
    /* the comment mentioning <address> is untouched */
    test_assert_contains(out, "<!-- <address> in a comment is not an element -->");
}

Test(edits, appended_child_is_indented_like_its_siblings)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    g_autofree char *out = NULL;

    cr_assert(dl_edit_append_child(edits, find(xmlDocGetRootElement(src->doc), "devices"),
                                   "<memballoon model='none'/>"));
    out = apply(edits);
    test_assert_contains(out, "</video>\n    <memballoon model='none'/>\n  </devices>");
}

Test(edits, overlapping_edits_are_refused_and_truncate_undoes)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    xmlNode *address = find(xmlDocGetRootElement(src->doc), "address");

    cr_assert(dl_edit_remove_element(edits, address));
    cr_assert_not(dl_edit_set_attr(edits, address, "unit", "1"));
    cr_assert_eq(dl_edits_count(edits), 1);
    dl_edits_truncate(edits, 0);
    cr_assert_eq(dl_edits_count(edits), 0);
    cr_assert(dl_edit_set_attr(edits, address, "unit", "1"));
}

Test(edits, no_edits_give_the_bytes_back)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    gsize len = 0;
    g_autofree char *out = dl_edits_apply(edits, &len);

    cr_assert_eq(len, sizeof(doc) - 1);
    cr_assert(memcmp(out, doc, len) == 0);
}

Test(edits, removing_an_element_keeps_the_comment_before_it)
{
    static const char commented[] =
        "<domain>\n"
        "  <devices>\n"
        "    <!-- domlint-disable pci-address-conflict -->\n"
        "    <disk/>\n"
        "    <video/>\n"
        "  </devices>\n"
        "</domain>\n";
    g_autofree char *reason = NULL;
    g_autoptr(dl_source) src = dl_source_parse(commented, sizeof(commented) - 1, &reason);
    g_autoptr(dl_edits) edits = NULL;
    g_autofree char *out = NULL;

    cr_assert_not_null(src, "parse failed: %s", reason);
    edits = dl_edits_new(src);
    cr_assert(dl_edit_remove_element(edits, find(xmlDocGetRootElement(src->doc), "disk")));
    out = apply(edits);
    cr_assert_str_eq(out, "<domain>\n"
                          "  <devices>\n"
                          "    <!-- domlint-disable pci-address-conflict -->\n"
                          "    <video/>\n"
                          "  </devices>\n"
                          "</domain>\n");
}

/* Parse TEXT, append XML to the first element NAME, return the result. */
static char *
append_to(const char *text, const char *name, const char *xml)
{
    g_autofree char *reason = NULL;
    g_autoptr(dl_source) src = dl_source_parse(text, strlen(text), &reason);
    g_autoptr(dl_edits) edits = NULL;

    cr_assert_not_null(src, "parse failed: %s", reason);
    edits = dl_edits_new(src);
    cr_assert(dl_edit_append_child(edits, find(xmlDocGetRootElement(src->doc), name), xml));
    return apply(edits);
}

Test(edits, appended_lines_end_like_the_file)
{
    g_autofree char *out = append_to("<domain>\r\n  <devices>\r\n    <disk/>\r\n  </devices>\r\n</domain>\r\n",
                                     "devices", "<controller type='pci'>\n  <target/>\n</controller>");

    cr_assert_str_eq(out, "<domain>\r\n  <devices>\r\n    <disk/>\r\n"
                     "    <controller type='pci'>\r\n      <target/>\r\n    </controller>\r\n"
                     "  </devices>\r\n</domain>\r\n");
}

Test(edits, appended_attributes_take_the_file_quote)
{
    g_autofree char *out = append_to("<domain type=\"kvm\">\n  <devices>\n    <disk type=\"file\"/>\n  </devices>\n</domain>\n",
                                     "devices", "<controller type='usb' model='none'/>");

    test_assert_contains(out, "    <disk type=\"file\"/>\n    <controller type=\"usb\" model=\"none\"/>\n  </devices>");
}

Test(edits, appended_child_follows_a_comment_that_ends_the_line)
{
    g_autofree char *out = append_to("<domain>\n\t<devices>\n\t\t<disk/> <!-- the disk -->\n\t</devices>\n</domain>\n",
                                     "devices", "<a>\n  <b/>\n</a>");

    cr_assert_str_eq(out, "<domain>\n\t<devices>\n\t\t<disk/> <!-- the disk -->\n\t\t<a>\n\t\t\t<b/>\n\t\t</a>\n\t</devices>\n</domain>\n");
}

Test(edits, one_line_parent_is_opened_for_a_block)
{
    g_autofree char *out = append_to("<domain>\n  <devices><disk/></devices>\n</domain>\n", "devices", "<a>\n  <b/>\n</a>");

    cr_assert_str_eq(out, "<domain>\n  <devices><disk/>\n    <a>\n      <b/>\n    </a>\n  </devices>\n</domain>\n");
}

Test(edits, parent_without_element_children_gets_its_first)
{
    g_autofree char *open = append_to("<domain>\n  <devices>\n  </devices>\n</domain>\n", "devices", "<a/>");
    g_autofree char *tight = append_to("<domain>\n  <devices></devices>\n</domain>\n", "devices", "<a/>");

    cr_assert_str_eq(open, "<domain>\n  <devices>\n    <a/>\n  </devices>\n</domain>\n");
    cr_assert_str_eq(tight, "<domain>\n  <devices>\n    <a/>\n  </devices>\n</domain>\n");
}

Test(edits, each_output_line_knows_its_input_line)
{
    g_autoptr(dl_source) src = load();
    g_autoptr(dl_edits) edits = dl_edits_new(src);
    g_autoptr(GArray) lines = NULL;
    g_autofree char *out = NULL;
    xmlNode *root = xmlDocGetRootElement(src->doc);

    /* the <address> (line 8) goes, a two-line block comes after </video> (line 10) */
    cr_assert(dl_edit_remove_element(edits, find(root, "address")));
    cr_assert(dl_edit_append_child(edits, find(root, "devices"), "<a>\n</a>"));
    out = dl_edits_apply_lines(edits, NULL, &lines);
    cr_assert_eq(lines->len, 14, "%u lines (the last one empty) in:\n%s", lines->len, out);
    cr_assert_eq(g_array_index(lines, int, 6), 7);   /* <target> */
    cr_assert_eq(g_array_index(lines, int, 7), 9);   /* </disk>, after the removed line 8 */
    cr_assert_eq(g_array_index(lines, int, 8), 10);  /* <video> */
    cr_assert_eq(g_array_index(lines, int, 9), 10);  /* <a>, inserted on line 10 */
    cr_assert_eq(g_array_index(lines, int, 10), 10); /* </a> */
    cr_assert_eq(g_array_index(lines, int, 11), 11); /* </devices> */
}
