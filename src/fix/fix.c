/*
 * fix.c - --fix: repair a domain by small edits of its text
 *
 * Rounds: parse and check with fixes recorded; turn every fix whose steps
 * do not collide with an earlier one into text edits; apply them; start
 * again on the new text.  A fix often uncovers the next problem (a root
 * port turned into a pci-bridge leaves its chassis attribute invalid), and
 * the next round deals with it.  It stops when a round has nothing to fix,
 * so fixing the output again changes nothing.
 */
#include "config.h"

#include <string.h>

#include "fix/fix.h"
#include "check/diag.h"
#include "fix/edit.h"
#include "core/query.h"

/* More rounds than any chain of consequences a fix can start. */
#define DL_FIX_MAX_ROUNDS 12

static void
step_clear(gpointer p)
{
    dl_step *s = p;

    g_free(s->name);
    g_free(s->value);
}

void
dl_fix_free(dl_fix *fix)
{
    if (!fix)
        return;
    g_free(fix->message);
    g_array_unref(fix->steps);
    g_free(fix);
}

const char *
domlint_fix_class_name(domlint_fix_class fix_class)
{
    switch (fix_class) {
    case DOMLINT_FIX_SAFE:
        return "safe";
    case DOMLINT_FIX_GUEST_VISIBLE:
        return "guest-visible";
    case DOMLINT_FIX_NONE:
    case DOMLINT_FIX_LAST:
        break;
    }
    return NULL;
}

/* The rule's last finding so far: the one a fix made now repairs. */
static domlint_diag *
last_finding(const dl_check *chk, const char *rule)
{
    domlint_diag *d;

    if (!chk->diags || chk->diags->len == 0)
        return NULL;
    d = g_ptr_array_index(chk->diags, chk->diags->len - 1);
    return dl_str_eq(d->rule, rule) && d->severity != DOMLINT_SEV_NOTE ? d : NULL;
}

dl_fix *
dl_fix_new(dl_check *chk, domlint_fix_class fix_class, const xmlNode *where, const char *fmt, ...)
{
    dl_fix *fix;
    va_list ap;

    if (!chk->fixes)
        return NULL;
    fix = g_new0(dl_fix, 1);
    fix->rule = chk->rule_id ? chk->rule_id : "internal";
    fix->fix_class = fix_class == DOMLINT_FIX_SAFE ? DOMLINT_FIX_SAFE : DOMLINT_FIX_GUEST_VISIBLE;
    fix->finding = last_finding(chk, fix->rule);
    fix->where = where;
    fix->steps = g_array_new(FALSE, TRUE, sizeof(dl_step));
    g_array_set_clear_func(fix->steps, step_clear);
    va_start(ap, fmt);
    fix->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(chk->fixes, fix);
    return fix;
}

static void
add_step(dl_fix *fix, dl_step_kind kind, const xmlNode *node, const char *name, const char *value)
{
    dl_step step = { kind, node, g_strdup(name), g_strdup(value) };

    g_array_append_val(fix->steps, step);
}

void
dl_fix_remove(dl_fix *fix, const xmlNode *element)
{
    if (fix && element)
        add_step(fix, DL_STEP_REMOVE_ELEMENT, element, NULL, NULL);
}

void
dl_fix_set(dl_fix *fix, const xmlNode *element, const char *attr, const char *value)
{
    if (fix && element)
        add_step(fix, DL_STEP_SET_ATTR, element, attr, value);
}

void
dl_fix_unset(dl_fix *fix, const xmlNode *element, const char *attr)
{
    if (fix && element)
        add_step(fix, DL_STEP_REMOVE_ATTR, element, attr, NULL);
}

void
dl_fix_append(dl_fix *fix, const xmlNode *parent, const char *xml)
{
    if (fix && parent)
        add_step(fix, DL_STEP_APPEND_CHILD, parent, NULL, xml);
}

void
dl_fix_append_more(dl_fix *fix, const char *xml)
{
    for (guint i = fix ? fix->steps->len : 0; i > 0; i--) {
        dl_step *s = &g_array_index(fix->steps, dl_step, i - 1);
        char *joined;

        if (s->kind != DL_STEP_APPEND_CHILD)
            continue;
        joined = g_strconcat(s->value, "\n", xml, NULL);
        g_free(s->value);
        s->value = joined;
        return;
    }
}

static gboolean
disk_name_used(const dl_check *chk, const char *name)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        if (d->kind == DL_DEV_DISK && dl_str_eq(d->target_dev, name))
            return TRUE;
    }
    return FALSE;
}

gboolean
dl_fix_claim(dl_check *chk, const char *key)
{
    if (g_hash_table_contains(chk->claimed, key))
        return FALSE;
    g_hash_table_add(chk->claimed, g_strdup(key));
    return TRUE;
}

char *
dl_free_disk_name(dl_check *chk, const char *bus)
{
    const char *prefix = "sd";

    if (dl_str_eq(bus, "ide"))
        prefix = "hd";
    else if (dl_str_eq(bus, "virtio"))
        prefix = "vd";
    else if (dl_str_eq(bus, "fdc"))
        prefix = "fd";
    for (int i = 0; i < 26 * 27; i++) {
        g_autofree char *name = i < 26
            ? g_strdup_printf("%s%c", prefix, 'a' + i)
            : g_strdup_printf("%s%c%c", prefix, 'a' + i / 26 - 1, 'a' + i % 26);
        g_autofree char *key = g_strdup_printf("disk-name:%s", name);
        if (!disk_name_used(chk, name) && dl_fix_claim(chk, key))
            return g_steal_pointer(&name);
    }
    return NULL;
}

/* ------------------------------------------------------------ applying */

static gboolean
apply_step(dl_edits *edits, const dl_step *s)
{
    switch (s->kind) {
    case DL_STEP_REMOVE_ELEMENT:
        return dl_edit_remove_element(edits, s->node);
    case DL_STEP_SET_ATTR:
        return dl_edit_set_attr(edits, s->node, s->name, s->value);
    case DL_STEP_REMOVE_ATTR:
        return dl_edit_remove_attr(edits, s->node, s->name);
    case DL_STEP_APPEND_CHILD:
        return dl_edit_append_child(edits, s->node, s->value);
    case DL_STEP_LAST:
        break;
    }
    return FALSE;
}

/* All steps of FIX, or none of them. */
static gboolean
apply_fix(dl_edits *edits, const dl_fix *fix)
{
    guint mark = dl_edits_count(edits);

    if (fix->steps->len == 0)
        return FALSE;
    for (guint i = 0; i < fix->steps->len; i++) {
        if (!apply_step(edits, &g_array_index(fix->steps, dl_step, i))) {
            dl_edits_truncate(edits, mark);
            return FALSE;
        }
    }
    return TRUE;
}

/*
 * The notes of one run.  Each round checks the text the round before
 * made, so its lines are mapped back to the input's (ORIGIN), and the
 * notes of one element from several rounds become one net note: from its
 * state in the input to its state in the output, with nothing about the
 * text in between.
 */
typedef struct {
    domlint_diag *diag;  /* owned */
    int round;
    char *name;          /* the element the repair is about */
    char *before;        /* that element before the repair */
    gboolean adds_only;  /* children appended to it, the element itself unchanged */
} fix_note;

static void
fix_note_clear(gpointer p)
{
    fix_note *n = p;

    domlint_diag_free(n->diag);
    g_free(n->name);
    g_free(n->before);
}

/* Line LINE of the text a round checked, as a line of the input (ORIGIN NULL: the input itself). */
static int
input_line(const GArray *origin, int line)
{
    if (!origin || line <= 0 || (guint) line > origin->len)
        return line;
    return g_array_index(origin, int, line - 1);
}

/* NODE's text, white space runs as one space; only its start tag when long. */
static char *
element_text(const dl_source *src, const xmlNode *node)
{
    GString *out = g_string_new(NULL);
    dl_span span;
    char quote = 0;

    if (!node || !dl_source_span(src, node, &span))
        return g_string_free(out, TRUE);
    for (gsize i = span.begin; i < span.end; i++) {
        char c = src->text[i];
        if (g_ascii_isspace(c)) {
            if (out->len && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '>')
                g_string_append_c(out, ' ');
            continue;
        }
        if (c == '<' && out->len && out->str[out->len - 1] == ' ')
            g_string_truncate(out, out->len - 1);
        g_string_append_c(out, c);
    }
    if (out->len <= 240)
        return g_string_free(out, FALSE);
    /* the start tag: up to the first '>' outside quotes */
    for (gsize i = 0; i < out->len; i++) {
        char c = out->str[i];
        if (quote && c == quote)
            quote = 0;
        else if (!quote && (c == '\'' || c == '"'))
            quote = c;
        else if (!quote && c == '>') {
            g_string_truncate(out, i + 1);
            break;
        }
    }
    return g_string_free(out, FALSE);
}

static void
applied_note(GArray *notes, const char *file, const dl_source *src, const GArray *origin, int round,
             const dl_fix *fix)
{
    g_autofree char *msg = g_strdup_printf("fixed (%s): %s", domlint_fix_class_name(fix->fix_class),
                                           fix->message);
    fix_note n = { 0 };

    n.diag = dl_diag_new(file, input_line(origin, dl_source_line(src, fix->where)),
                         dl_source_column(src, fix->where), DOMLINT_SEV_NOTE, fix->rule, msg);
    n.diag->fix_class = fix->fix_class;
    if (fix->where)
        n.diag->xpath = dl_xml_path(fix->where);
    n.round = round;
    n.name = g_strdup(fix->where ? (const char *) fix->where->name : "");
    n.before = element_text(src, fix->where);
    n.adds_only = TRUE;
    for (guint i = 0; i < fix->steps->len; i++)
        n.adds_only &= g_array_index(fix->steps, dl_step, i).kind == DL_STEP_APPEND_CHILD;
    g_array_append_val(notes, n);
}

/*
 * --fix=safe left FIX out: its finding (in RESULT) says so and what the
 * repair would have been, or, when the finding is not known, a note does.
 */
static void
mark_skipped(domlint_result *result, const char *file, const dl_source *src, const dl_fix *fix)
{
    g_autofree char *msg = g_strdup_printf("not fixed under --fix=safe, as the guest would see it: %s",
                                           fix->message);
    domlint_diag *note = dl_diag_new(file, dl_source_line(src, fix->where),
                                     dl_source_column(src, fix->where), DOMLINT_SEV_NOTE,
                                     fix->rule, msg);
    domlint_diag *finding = fix->finding;

    note->fix_class = fix->fix_class;
    if (!finding || !g_ptr_array_find(result->diags, finding, NULL)) {
        if (fix->where)
            note->xpath = dl_xml_path(fix->where);
        g_ptr_array_add(result->diags, note);
        return;
    }
    finding->fix_class = fix->fix_class;
    if (!finding->notes)
        finding->notes = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_diag_free);
    g_ptr_array_add(finding->notes, note);
}

/*
 * One round: check TEXT, apply what can be fixed.  Returns the check result
 * and sets *NEXT to the edited text (NULL when nothing was applied) and
 * *NEXT_ORIGIN to the input line of each of its lines.
 */
static domlint_result *
fix_round(domlint_ctx *ctx, const char *name, const char *text, gsize len, const GArray *origin,
          int round, GArray *notes, char **next, gsize *next_len, GArray **next_origin)
{
    g_autofree char *reason = NULL;
    g_autoptr(dl_source) src = dl_source_parse(text, len, &reason);
    g_autoptr(GPtrArray) fixes = g_ptr_array_new_with_free_func((GDestroyNotify) dl_fix_free);
    g_autoptr(dl_edits) edits = NULL;
    g_autoptr(GArray) lines = NULL;
    domlint_result *result;

    *next = NULL;
    *next_origin = NULL;
    if (!src)
        return dl_result_failed(name, reason);
    result = dl_check_parsed(ctx, name, src, fixes);
    if (result->status != DOMLINT_FILE_CHECKED || fixes->len == 0)
        return result;
    edits = dl_edits_new(src);
    for (guint i = 0; i < fixes->len; i++) {
        dl_fix *fix = g_ptr_array_index(fixes, i);
        if (ctx->fix_safe_only && fix->fix_class != DOMLINT_FIX_SAFE)
            mark_skipped(result, name, src, fix);
        else if (fix->needs && !fix->needs->applied)
            continue;   /* what it builds on did not go in: the next round sees it again */
        else if (apply_fix(edits, fix)) {
            fix->applied = TRUE;
            applied_note(notes, name, src, origin, round, fix);
        }
    }
    if (dl_edits_count(edits) == 0)
        return result;
    *next = dl_edits_apply_lines(edits, next_len, &lines);
    *next_origin = g_array_sized_new(FALSE, FALSE, sizeof(int), lines->len);
    for (guint i = 0; i < lines->len; i++) {
        int l = input_line(origin, g_array_index(lines, int, i));
        g_array_append_val(*next_origin, l);
    }
    return result;
}

static gboolean
is_seen(GHashTable *seen, const char *text, gsize len)
{
    g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *) text, len);

    return g_hash_table_contains(seen, sum);
}

/* The element named NAME of FINAL whose start is on input line LINE, or NULL. */
static const xmlNode *
find_by_origin(const dl_source *final, const GArray *origin, xmlNode *node, const char *name, int line)
{
    for (xmlNode *c = node; c; c = c->next) {
        const xmlNode *hit;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (dl_str_eq((const char *) c->name, name) && input_line(origin, dl_source_line(final, c)) == line)
            return c;
        hit = find_by_origin(final, origin, c->children, name, line);
        if (hit)
            return hit;
    }
    return NULL;
}

/* The rule ids of the N notes MEMBERS, once each: "a, b and c". */
static char *
rule_list(const GArray *notes, const guint *members, guint n)
{
    g_autoptr(GPtrArray) ids = g_ptr_array_new();
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < n; i++) {
        const char *id = g_array_index(notes, fix_note, members[i]).diag->rule;
        if (!g_ptr_array_find_with_equal_func(ids, id, g_str_equal, NULL))
            g_ptr_array_add(ids, (gpointer) id);
    }
    for (guint i = 0; i < ids->len; i++) {
        if (i)
            g_string_append(out, i + 1 == ids->len ? " and " : ", ");
        g_string_append(out, g_ptr_array_index(ids, i));
    }
    return g_string_free(out, FALSE);
}

/* One note for the repairs of MEMBERS (one element, several rounds): input state to output state. */
static domlint_diag *
net_note(GArray *notes, const guint *members, guint n, const dl_source *final, const GArray *origin)
{
    fix_note *first = &g_array_index(notes, fix_note, members[0]);
    domlint_fix_class fix_class = DOMLINT_FIX_SAFE;
    const xmlNode *now = final ? find_by_origin(final, origin, xmlDocGetRootElement(final->doc),
                                                first->name, first->diag->line) : NULL;
    g_autofree char *after = now ? element_text(final, now) : NULL;
    g_autofree char *rules = rule_list(notes, members, n);
    domlint_diag *d = g_steal_pointer(&first->diag);

    for (guint i = 0; i < n; i++) {
        const fix_note *m = &g_array_index(notes, fix_note, members[i]);
        if (m->diag && m->diag->fix_class == DOMLINT_FIX_GUEST_VISIBLE)
            fix_class = DOMLINT_FIX_GUEST_VISIBLE;
    }
    if (d->fix_class == DOMLINT_FIX_GUEST_VISIBLE)
        fix_class = DOMLINT_FIX_GUEST_VISIBLE;
    g_free(d->message);
    if (after)
        d->message = g_strdup_printf("fixed (%s): %s is now %s (repairs of %s, one after the other)",
                                     domlint_fix_class_name(fix_class), first->before, after, rules);
    else
        d->message = g_strdup_printf("fixed (%s): removed %s (repairs of %s, one after the other)",
                                     domlint_fix_class_name(fix_class), first->before, rules);
    d->fix_class = fix_class;
    return d;
}

/* The group of note I (N): its element, by input line and name; what only adds children is alone. */
static char *
group_key(const fix_note *n, guint i)
{
    if (n->adds_only)
        return g_strdup_printf("#%u", i);
    return g_strdup_printf("%d:%s", n->diag->line, n->name);
}

/*
 * The notes of the run, in the order made, one per element: an element
 * repaired in more than one round gets one net note instead of one each.
 */
static void
take_notes(GArray *notes, const char *final_text, gsize final_len, const GArray *origin, GPtrArray *out)
{
    g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_array_unref);
    g_autoptr(dl_source) final = NULL;

    for (guint i = 0; i < notes->len; i++) {
        const fix_note *n = &g_array_index(notes, fix_note, i);
        char *key = group_key(n, i);
        GArray *members = g_hash_table_lookup(groups, key);
        if (!members) {
            members = g_array_new(FALSE, FALSE, sizeof(guint));
            g_hash_table_insert(groups, key, members);
        } else {
            g_free(key);
        }
        g_array_append_val(members, i);
    }
    for (guint i = 0; i < notes->len; i++) {
        fix_note *n = &g_array_index(notes, fix_note, i);
        g_autofree char *key = NULL;
        GArray *members;
        const fix_note *last;

        if (!n->diag)
            continue;   /* merged into an earlier one */
        key = group_key(n, i);
        members = g_hash_table_lookup(groups, key);
        last = &g_array_index(notes, fix_note, g_array_index(members, guint, members->len - 1));
        if (last->round == n->round) {
            g_ptr_array_add(out, g_steal_pointer(&n->diag));
            continue;
        }
        if (!final) {
            g_autofree char *reason = NULL;
            final = dl_source_parse(final_text, final_len, &reason);
        }
        g_ptr_array_add(out, net_note(notes, (const guint *) members->data, members->len, final, origin));
        for (guint m = 1; m < members->len; m++) {
            fix_note *other = &g_array_index(notes, fix_note, g_array_index(members, guint, m));
            g_clear_pointer(&other->diag, domlint_diag_free);
        }
    }
}

domlint_result *
domlint_fix_memory(domlint_ctx *ctx, const char *name, const char *data, gsize len,
                   char **fixed, gsize *fixed_len)
{
    g_autoptr(GArray) notes = g_array_new(FALSE, TRUE, sizeof(fix_note));
    g_autoptr(GPtrArray) net = g_ptr_array_new_with_free_func((GDestroyNotify) domlint_diag_free);
    g_autoptr(GArray) origin = NULL;
    g_autofree char *text = g_strndup(data, len);
    gsize text_len = len;
    domlint_result *result = NULL;

    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    g_array_set_clear_func(notes, fix_note_clear);
    for (int round = 0; round < DL_FIX_MAX_ROUNDS; round++) {
        char *next = NULL;
        gsize next_len = 0;
        GArray *next_origin = NULL;
        domlint_result_free(result);
        g_hash_table_add(seen, g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *) text, text_len));
        result = fix_round(ctx, name, text, text_len, origin, round, notes, &next, &next_len, &next_origin);
        if (!next)
            break;
        if (is_seen(seen, next, next_len)) {
            /* two fixes undoing each other: stop at the text already checked */
            g_free(next);
            g_array_unref(next_origin);
            break;
        }
        g_free(text);
        text = next;
        text_len = next_len;
        if (origin)
            g_array_unref(origin);
        origin = next_origin;
        if (round == DL_FIX_MAX_ROUNDS - 1) {
            domlint_result_free(result);
            result = domlint_check_memory(ctx, name, text, text_len);
        }
    }
    /* what was fixed first, then what is left */
    take_notes(notes, text, text_len, origin, net);
    for (guint i = net->len; i > 0; i--)
        g_ptr_array_insert(result->diags, 0, g_ptr_array_steal_index(net, i - 1));
    if (fixed)
        *fixed = result->status == DOMLINT_FILE_CHECKED ? g_steal_pointer(&text) : NULL;
    if (fixed_len)
        *fixed_len = text_len;
    return result;
}

domlint_result *
domlint_fix_file(domlint_ctx *ctx, const char *path, char **fixed, gsize *fixed_len)
{
    g_autofree char *reason = NULL;
    gsize len = 0;
    g_autofree char *data = dl_read_input(path, &len, &reason);
    const char *name = domlint_input_name(path);

    *fixed = NULL;
    if (!data)
        return dl_result_failed(name, reason);
    return domlint_fix_memory(ctx, name, data, len, fixed, fixed_len);
}

void
dl_fix_set_pci_address(dl_fix *fix, const xmlNode *address, guint bus, guint slot, guint function,
                       gboolean multifunction)
{
    g_autofree char *bus_s = g_strdup_printf("0x%02x", bus);
    g_autofree char *slot_s = g_strdup_printf("0x%02x", slot);
    g_autofree char *function_s = g_strdup_printf("0x%x", function);

    dl_fix_set(fix, address, "domain", "0x0000");
    dl_fix_set(fix, address, "bus", bus_s);
    dl_fix_set(fix, address, "slot", slot_s);
    dl_fix_set(fix, address, "function", function_s);
    if (multifunction)
        dl_fix_set(fix, address, "multifunction", "on");
    else
        dl_fix_unset(fix, address, "multifunction");
}

void
dl_fix_drop_address(dl_check *chk, domlint_fix_class fix_class, const dl_device *dev, const char *why)
{
    g_autofree char *what = NULL;
    g_autofree char *where = NULL;
    dl_fix *fix;

    if (!chk->fixes || !dev->addr.node)
        return;
    what = dl_device_describe(dev);
    if (dev->addr.type == DL_ADDR_PCI && dl_pci_addr_wanted(&dev->addr))
        where = dl_pci_addr_str(&dev->addr);
    else
        where = g_strdup_printf("%s address", dev->addr.type_name ? dev->addr.type_name : "");
    fix = dl_fix_new(chk, fix_class, dev->addr.node, "removed %s of the %s (%s); libvirt assigns a free one",
                     where, what, why);
    dl_fix_remove(fix, dev->addr.node);
}
