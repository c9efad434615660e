/*
 * group.c - probed machines by knowledge-base family
 *
 * Every probed machine goes to the family of the knowledge base that claims
 * it; a family takes its facts from one representative (the machine with an
 * alias, else the newest), says where its members differ from it, and gets
 * its floppy facts (<fdc builtin before>) from all of them.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "probe/probe-internal.h"

static void
family_probe_free(gpointer data)
{
    dl_family_probe *fp = data;

    g_ptr_array_unref(fp->members);
    g_free(fp->fdc_before);
    g_free(fp);
}

void
dl_probe_warn(GPtrArray *warnings, const char *format, ...)
{
    va_list ap;

    if (!warnings)
        return;
    va_start(ap, format);
    g_ptr_array_add(warnings, g_strdup_vprintf(format, ap));
    va_end(ap);
}

const dl_family *
dl_probe_family_of(const dl_machine_db *db, const char *arch, const char *machine)
{
    const dl_family *family = NULL;
    dl_match_result match = dl_machine_db_lookup(db, arch, machine, &family, NULL);

    switch (match) {
    case DL_MATCH_OK:
    case DL_MATCH_UNKNOWN_VERSION:
    case DL_MATCH_REMOVED:
    case DL_MATCH_NOT_IN_TARGET:
    case DL_MATCH_FUTURE:
        return family;
    case DL_MATCH_NONE:
    case DL_MATCH_WRONG_ARCH:
    case DL_MATCH_LAST:
        break;
    }
    return NULL;
}

gboolean
dl_probe_family_covered(const dl_family *family, char **arches)
{
    for (gsize i = 0; arches[i]; i++) {
        if (dl_family_has_arch(family, arches[i]))
            return TRUE;
    }
    return FALSE;
}

static dl_family_probe *
find_probe(GPtrArray *groups, const dl_family *family)
{
    for (guint i = 0; i < groups->len; i++) {
        dl_family_probe *fp = g_ptr_array_index(groups, i);
        if (fp->family == family)
            return fp;
    }
    return NULL;
}

static const dl_probe_machine *
choose_rep(GPtrArray *members)
{
    const dl_probe_machine *last = NULL;

    for (guint i = 0; i < members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(members, i);

        if (m->error)
            continue;
        if (m->alias)
            return m;
        last = m;
    }
    return last;
}

static char *
builtins_text(const dl_probe_machine *m)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < m->builtins->len; i++) {
        const dl_probe_pci *p = g_ptr_array_index(m->builtins, i);
        g_string_append_printf(out, "%s%02x.%u %s", i ? ", " : "", p->slot, p->function, p->device);
    }
    if (out->len == 0)
        g_string_append(out, "none");
    return g_string_free(out, FALSE);
}


static void
check_members(const dl_family_probe *fp, GPtrArray *warnings)
{
    g_autofree char *rep_text = builtins_text(fp->rep);

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        g_autofree char *text = NULL;

        if (m->error) {
            dl_probe_warn(warnings, "%s: machine '%s' could not be probed: %s", fp->family->id, m->name, m->error);
            continue;
        }
        if (m->root != fp->rep->root)
            dl_probe_warn(warnings, "%s: machine '%s' has root %s, '%s' has %s", fp->family->id, m->name,
                 dl_root_model_name(m->root), fp->rep->name, dl_root_model_name(fp->rep->root));
        text = builtins_text(m);
        if (strcmp(text, rep_text) != 0)
            dl_probe_warn(warnings, "%s: machine '%s' has builtin PCI functions %s, '%s' has %s",
                 fp->family->id, m->name, text, fp->rep->name, rep_text);
    }
}

/*
 * <fdc builtin before>: every probed version has a floppy controller, none
 * has, or the versions below one boundary have.  The shipped "before" is
 * kept when the probe agrees with it (QEMU may no longer have the older
 * versions that would show the boundary).
 */
static void
derive_fdc(dl_family_probe *fp, GPtrArray *warnings)
{
    const char *shipped = fp->family->fdc_before;
    const char *lowest_without = NULL;
    gboolean any_with = FALSE, any_without = FALSE, agrees = TRUE;

    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        const char *v = dl_family_machine_version(fp->family, m->name);

        if (m->error)
            continue;
        any_with |= m->fdc;
        any_without |= !m->fdc;
        if (v && !m->fdc && (!lowest_without || dl_version_compare(v, lowest_without) < 0))
            lowest_without = v;
        if (v && shipped && m->fdc != (dl_version_compare(v, shipped) < 0))
            agrees = FALSE;
    }
    fp->fdc = any_with && !any_without;
    if (fp->fdc || !any_with) {
        if (!any_with && shipped && agrees)
            fp->fdc_before = g_strdup(shipped);
        return;
    }
    fp->fdc_before = g_strdup(shipped && agrees ? shipped : lowest_without);
    for (guint i = 0; i < fp->members->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(fp->members, i);
        const char *v = dl_family_machine_version(fp->family, m->name);

        if (!m->error && (!v || m->fdc != (dl_version_compare(v, fp->fdc_before) < 0)))
            dl_probe_warn(warnings, "%s: machine '%s' %s a floppy controller, against <fdc before='%s'>",
                 fp->family->id, m->name, m->fdc ? "has" : "lacks", fp->fdc_before);
    }
}

GPtrArray *
dl_probe_group_machines(const dl_probe_result *result, const dl_machine_db *db, gboolean all_families,
               GPtrArray *warnings)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func(family_probe_free);

    for (guint i = 0; all_families && i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);
        dl_family_probe *fp;

        if (!dl_probe_family_covered(family, result->arches))
            continue;
        fp = g_new0(dl_family_probe, 1);
        fp->family = family;
        fp->members = g_ptr_array_new();
        g_ptr_array_add(groups, fp);
    }
    for (guint i = 0; i < result->machines->len; i++) {
        dl_probe_machine *m = g_ptr_array_index(result->machines, i);
        const dl_family *family = dl_probe_family_of(db, result->arches[0], m->name);
        dl_family_probe *fp;

        if (!family) {
            dl_probe_warn(warnings, "machine '%s' belongs to no family of the knowledge base", m->name);
            continue;
        }
        fp = find_probe(groups, family);
        if (!fp) {
            fp = g_new0(dl_family_probe, 1);
            fp->family = family;
            fp->members = g_ptr_array_new();
            g_ptr_array_add(groups, fp);
        }
        g_ptr_array_add(fp->members, m);
    }
    for (guint i = 0; i < groups->len; i++) {
        dl_family_probe *fp = g_ptr_array_index(groups, i);

        /* boards known by name only: no facts to take from them */
        if (fp->family->no_facts)
            continue;
        fp->rep = choose_rep(fp->members);
        if (fp->rep) {
            check_members(fp, warnings);
            derive_fdc(fp, warnings);
        } else if (fp->members->len) {
            dl_probe_warn(warnings, "%s: no machine could be probed; the shipped facts are kept", fp->family->id);
        }
    }
    return groups;
}
