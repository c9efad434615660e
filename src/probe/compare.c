/*
 * compare.c - the probe against the knowledge base (dl_probe_compare*)
 *
 * Fact by fact and machine by machine: one "FAMILY: what differs" line per
 * difference, nothing for a match.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "probe/probe-internal.h"

static void
differ(GPtrArray *lines, const char *family, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
differ(GPtrArray *lines, const char *family, const char *format, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, format);
    text = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_ptr_array_add(lines, g_strdup_printf("%s: %s", family, text));
}

static void
add_checked(GPtrArray *checked, const char *id)
{
    for (guint i = 0; i < checked->len; i++) {
        if (strcmp(g_ptr_array_index(checked, i), id) == 0)
            return;
    }
    g_ptr_array_add(checked, g_strdup(id));
}

static void
compare_listed(const dl_family *family, const char *arch, const dl_probe_machine *m,
               GPtrArray *lines)
{
    char **known = dl_family_machines_for_arch(family, arch);
    const char *names[] = { m->name, m->alias };

    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        if (names[i] && known && !g_strv_contains((const char * const *) known, names[i]))
            differ(lines, family->id, "machine '%s' is in QEMU but not in <machines>", names[i]);
    }
}

static void
compare_alias(const dl_machine_db *db, const char *arch, const dl_family *family,
              const dl_probe_machine *m, GPtrArray *lines)
{
    const dl_family *owner;
    const char *canonical;

    if (!m->alias)
        return;
    owner = dl_probe_family_of(db, arch, m->alias);
    canonical = owner ? dl_family_canonical(owner, m->alias) : NULL;
    if (owner != family || g_strcmp0(canonical, m->name) != 0)
        differ(lines, family->id, "alias '%s' is '%s' in QEMU, '%s' in the knowledge base",
               m->alias, m->name, canonical ? canonical : "unknown");
}

static void
compare_builtins(const dl_family *family, const dl_probe_machine *m, GPtrArray *lines)
{
    for (guint i = 0; i < m->builtins->len; i++) {
        const dl_probe_pci *p = g_ptr_array_index(m->builtins, i);
        const dl_builtin *b = dl_family_builtin_at(family, p->slot, p->function);

        if (!b || !b->reserved)
            differ(lines, family->id, "machine '%s': QEMU has '%s' at 00:%02x.%u, the knowledge base no builtin",
                   m->name, p->device, p->slot, p->function);
        else if (g_strcmp0(b->device, p->device) != 0)
            differ(lines, family->id, "machine '%s': QEMU has '%s' at 00:%02x.%u, the knowledge base '%s'",
                   m->name, p->device, p->slot, p->function, b->device);
    }
    for (guint i = 0; family->builtins && i < family->builtins->len; i++) {
        const dl_builtin *b = g_ptr_array_index(family->builtins, i);
        gboolean found = FALSE;

        for (guint j = 0; j < m->builtins->len; j++) {
            const dl_probe_pci *p = g_ptr_array_index(m->builtins, j);
            found |= p->slot == b->slot && p->function == b->function;
        }
        if (b->reserved && !found)
            differ(lines, family->id, "machine '%s': the knowledge base has '%s' at 00:%02x.%u, QEMU nothing",
                   m->name, b->device, b->slot, b->function);
    }
}

static void
compare_machine(const dl_probe_result *result, const dl_machine_db *db, const dl_family *family,
                const dl_probe_machine *m, GPtrArray *lines)
{
    const char *arch = result->arches[0];
    gboolean fdc = dl_family_has_builtin_fdc(family, m->name);

    compare_listed(family, arch, m, lines);
    /* boards known by name only: their names are all there is to compare */
    if (family->no_facts)
        return;
    compare_alias(db, arch, family, m, lines);
    if (m->error) {
        differ(lines, family->id, "machine '%s' was not compared: it could not be probed: %s", m->name, m->error);
        return;
    }
    if (m->root != family->root)
        differ(lines, family->id, "machine '%s': root bus is %s in QEMU (%s), %s in the knowledge base",
               m->name, dl_root_model_name(m->root), m->host_bridge ? m->host_bridge : "no PCI host bridge",
               dl_root_model_name(family->root));
    compare_builtins(family, m, lines);
    if (fdc != m->fdc)
        differ(lines, family->id, "machine '%s': QEMU %s a builtin floppy controller, the knowledge base says it %s",
               m->name, m->fdc ? "has" : "has no", fdc ? "has" : "has none");
}

static void
compare_default(const dl_probe_result *result, const dl_machine_db *db, GPtrArray *lines)
{
    const char *shipped = dl_machine_db_default_machine(db, result->arches[0]);

    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);

        if (m->is_default && g_strcmp0(shipped, m->name) != 0 && g_strcmp0(shipped, m->alias) != 0)
            differ(lines, "(default)", "QEMU's default machine is '%s', the knowledge base says '%s'",
                   m->alias ? m->alias : m->name, shipped ? shipped : "none");
    }
}

/* Machines the knowledge base lists for the arch but QEMU lacks. */
static void
compare_missing(const dl_probe_result *result, const dl_machine_db *db, GPtrArray *lines,
                GPtrArray *checked)
{
    const char *arch = result->arches[0];

    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);
        char **known = dl_family_machines_for_arch(family, arch);

        if (!dl_family_has_arch(family, arch))
            continue;
        add_checked(checked, family->id);
        for (gsize k = 0; known && known[k]; k++) {
            if (!dl_probe_result_machine(result, known[k]))
                differ(lines, family->id, "machine '%s' is in <machines> but not in QEMU", known[k]);
        }
    }
}

static void
compare_controllers(const dl_probe_result *result, GPtrArray *checked, const dl_machine_db *db,
                    GPtrArray *lines)
{
    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);

        if (!g_ptr_array_find_with_equal_func(checked, family->id, g_str_equal, NULL))
            continue;
        for (gsize c = 0; family->controllers && family->controllers[c]; c++) {
            if (!dl_probe_controller_available(result, family->controllers[c]))
                differ(lines, family->id, "controller '%s': QEMU has none of its devices",
                       family->controllers[c]);
        }
    }
}

guint
dl_probe_compare(const dl_probe_result *result, const dl_machine_db *db, GPtrArray *lines,
                 GPtrArray *checked)
{
    guint before = lines->len;

    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);
        const dl_family *family = dl_probe_family_of(db, result->arches[0], m->name);

        if (!family) {
            differ(lines, "(none)", "machine '%s' is in QEMU but no family claims it", m->name);
            continue;
        }
        add_checked(checked, family->id);
        compare_machine(result, db, family, m, lines);
    }
    if (result->all_machines) {
        compare_default(result, db, lines);
        compare_missing(result, db, lines, checked);
    }
    compare_controllers(result, checked, db, lines);
    return lines->len - before;
}

guint
dl_probe_compare_devices(const dl_probe_result *result, const dl_devices *devices,
                         GPtrArray *lines, GPtrArray *checked)
{
    guint before = lines->len;

    add_checked(checked, "devices");
    for (const char *const *name = dl_devices_qemu_names(devices); *name; name++) {
        const dl_qemu_device *q = dl_devices_qemu_device(devices, *name);
        g_autoptr(GPtrArray) one = g_ptr_array_new();
        gboolean has = g_strv_contains((const char *const *) result->devices, *name);

        g_ptr_array_add(one, (gpointer) q);
        for (gsize a = 0; result->arches && result->arches[a]; a++) {
            dl_presence p = dl_qemu_devices_present(devices, one, result->arches[a]);

            /* QOM lists devices -device cannot create (VIA's UHCI on ppc64
             * since 6.0): only a device QOM lacks is certainly absent */
            if (p == DL_PRESENT_YES && !has)
                differ(lines, "devices", "'%s' is not in this QEMU, the catalogue says %s has it",
                       *name, result->arches[a]);
        }
    }
    return lines->len - before;
}
