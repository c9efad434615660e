/*
 * machine.c - rules about the machine type and emulator themselves
 *
 * Everything else depends on knowing the machine family, so these run
 * first and say plainly when domlint cannot know (an unknown name is a
 * warning, never a guessed verdict).
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"

static char *
known_versions(const dl_family *family)
{
    g_autoptr(GString) out = g_string_new(NULL);
    guint n = family->machines ? g_strv_length(family->machines) : 0;
    const char *first = NULL, *last = NULL;

    for (guint i = 0; i < n; i++) {
        const char *m = family->machines[i];
        if (g_hash_table_contains(family->canonical, m))
            continue;     /* an alias, not a version */
        if (!first)
            first = m;
        last = m;
    }
    if (first && last && first != last)
        g_string_printf(out, "'%s' to '%s'", first, last);
    else if (first)
        g_string_printf(out, "'%s'", first);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Long enough for every real machine name; a longer one is cut in messages. */
#define DL_MAX_QUOTED 64


/* The newest versioned type the target has in FAMILY, as a suggestion, or NULL. */
static const char *
newest_in_target(const dl_check *chk, const dl_family *family)
{
    GHashTableIter iter;
    gpointer alias, canonical;

    g_hash_table_iter_init(&iter, family->canonical);
    while (g_hash_table_iter_next(&iter, &alias, &canonical)) {
        if (dl_family_alias_prefix(family, alias))
            return canonical;
    }
    (void) chk;
    return NULL;
}

static void
suggest_newest(const dl_check *chk, domlint_diag *d, const dl_family *family)
{
    const char *newest = newest_in_target(chk, family);

    if (newest)
        dl_diag_fixit(d, "use '%s', the newest %s type of the target", newest, family->title);
}

/*
 * "in QEMU 8.2", or for a span of the data ("8.0..10.0") "in a QEMU release
 * from 8.0 to 10.0 (which one is not known)" (caller frees).
 */
static char *
in_release(const char *line, const char *text)
{
    const char *dots = text ? strstr(text, "..") : NULL;

    if (!dots)
        return g_strdup_printf("in %s %s", line, text ? text : "?");
    return g_strdup_printf("in a %s release from %.*s to %s (which one is not known)", line,
                           (int) (dots - text), text, dots + 2);
}

/* "QEMU" or the vendor's build ("RHEL's qemu-kvm") a type's releases count in (borrowed). */
static const char *
line_of(const dl_check *chk, const dl_machine_type *type)
{
    return type->vendor ? dl_releases_vendor_title(chk->ctx->releases, type->vendor) : "QEMU";
}

/* A known type that the target lacks: say which releases have it. */
static void
report_not_in_target(dl_check *chk, const dl_family *family, const char *machine)
{
    const dl_target *t = chk->ctx->target;
    const dl_machine_type *type = dl_family_type(family, chk->arch, machine);
    g_autofree char *where = dl_target_label(chk->ctx->target, "qemu");
    domlint_diag *d;

    if (!type) {
        d = dl_error(chk, chk->dom->os_type, "machine type alias '%s' names no machine in %s: it has no %s types",
                     machine, where, family->title);
    } else if (type->vendor && g_strcmp0(type->vendor, t->vendor) != 0) {
        g_autofree char *since = type->added ? g_strdup_printf(" %s and later", type->added) : g_strdup("");

        d = dl_error(chk, chk->dom->os_type, "machine type '%s' exists only in %s%s, not in %s",
                     machine, line_of(chk, type), since, where);
        dl_diag_fixit(d, "check against that platform with --target (see --list-targets), or use an upstream %s type",
                      family->title);
        return;
    } else if (!type->vendor && t->vendor && !t->vendor_upstream) {
        d = dl_error(chk, chk->dom->os_type,
                     "machine type '%s' is upstream QEMU's; %s offers only its own machine types",
                     machine, where);
        dl_diag_fixit(d, "use a machine type of %s, or --target for the platform that has this one", where);
    } else if (type->removed && dl_version_compare(type->vendor ? t->vendor_version : t->qemu,
                                                   type->removed) >= 0) {
        g_autofree char *when = in_release(line_of(chk, type), type->removed_text);

        d = dl_error(chk, chk->dom->os_type, "machine type '%s' was removed %s; the target is %s",
                     machine, when, where);
        dl_diag_fixit(d, "use a newer machine type of the family, or --target for a release that still has it");
    } else if (type->added_text && strstr(type->added_text, "..")) {
        g_autofree char *when = in_release(line_of(chk, type), type->added_text);

        d = dl_error(chk, chk->dom->os_type, "machine type '%s' came %s; the target is %s",
                     machine, when, where);
        dl_diag_fixit(d, "use a machine type the target has, or --target for a release that has this one");
    } else {
        d = dl_error(chk, chk->dom->os_type, "machine type '%s' needs %s %s or later; the target is %s",
                     machine, line_of(chk, type), type->added ? type->added : "?", where);
        dl_diag_fixit(d, "use a machine type the target has, or --target for %s %s or later", line_of(chk, type), type->added ? type->added : "?");
    }
    suggest_newest(chk, d, family);
}

/* A name of the family's pattern newer than every release the knowledge covers. */
static void
report_future(dl_check *chk, const dl_family *family, const char *machine)
{
    const dl_target *t = chk->ctx->target;
    const char *version = machine + strlen(machine);
    g_autofree char *where = dl_target_label(chk->ctx->target, "qemu");

    while (version > machine && (g_ascii_isdigit(version[-1]) || version[-1] == '.'))
        version--;
    if (dl_version_compare(t->qemu, version) >= 0 || t->qemu_from == DL_TARGET_FROM_NEWEST) {
        dl_warning(chk, chk->dom->os_type,
                   "machine type '%s' is newer than every QEMU release domlint knows (up to %s): it is checked as a %s machine with the facts of QEMU %s",
                   machine, t->qemu_newest, family->title, t->qemu_newest);
        return;
    }
    dl_diag_fixit(dl_error(chk, chk->dom->os_type, "machine type '%s' needs QEMU %s or later; the target is %s",
                           machine, version, where),
                  "use a machine type of QEMU %s or older, or a --target with QEMU %s or later", chk->ctx->target->qemu, version);
}

static void
report_deprecated(dl_check *chk, const dl_family *family, const char *machine)
{
    const char *name = dl_family_canonical(family, machine);
    const dl_machine_type *type = dl_family_type(family, chk->arch, name);
    g_autofree char *where = NULL;
    domlint_diag *d;

    if (!type || !dl_machine_type_deprecated(type, chk->ctx->target))
        return;
    where = dl_target_label(chk->ctx->target, "qemu");
    d = dl_warning(chk, chk->dom->os_type,
                   "machine type '%s' is deprecated in %s, since %s %s: a later release removes it",
                   name, where, line_of(chk, type), type->deprecated);
    suggest_newest(chk, d, family);
}

static void
report_unknown_version(dl_check *chk, const dl_family *family, const char *machine)
{
    const dl_target *t = chk->ctx->target;
    g_autofree char *versions = known_versions(family);
    g_autofree char *where = dl_target_label(chk->ctx->target, "qemu");

    const char *suggestion = dl_machine_db_suggest(chk->ctx->db, chk->arch, chk->machine);
    domlint_diag *d;

    if (t->vendor || !dl_machine_db_target(chk->ctx->db))
        d = dl_error(chk, chk->dom->os_type, "%s has no machine type '%s': its %s types are %s",
                     where, machine, family->title, versions);
    else
        d = dl_error(chk, chk->dom->os_type,
                     "no QEMU release from %s to %s has machine type '%s': the %s types of %s are %s",
                     t->qemu_oldest, t->qemu_newest, machine, family->title, where, versions);
    if (suggestion)
        dl_diag_fixit(d, "did you mean '%s'?", suggestion);
}

/*
 * A name no family claims.  Where the knowledge lists every machine type of
 * the arch, libvirt will refuse it: an error, with the nearest real name.
 * Elsewhere domlint cannot know, and says so.
 */
static void
report_unknown(dl_check *chk, const char *machine)
{
    const char *suggestion = dl_machine_db_suggest(chk->ctx->db, chk->arch, chk->machine);
    gboolean complete = dl_releases_arch_complete(chk->ctx->releases, chk->arch);
    g_autofree char *where = dl_target_label(chk->ctx->target, "qemu");
    g_autofree char *hint = suggestion ? g_strdup_printf(" (did you mean '%s'?)", suggestion)
                                       : g_strdup("");

    /* a real board of a release domlint does not cover is never this close to a known name */
    if (complete && suggestion) {
        dl_diag_fixit(dl_error(chk, chk->dom->os_type, "%s has no machine type '%s' for arch '%s'%s",
                               where, machine, chk->arch, hint),
                      "did you mean '%s'?", suggestion);
        return;
    }
    if (chk->closest)
        dl_warning(chk, chk->dom->os_type,
                   "unknown machine type '%s' for arch '%s'%s (closest known family: %s); machine rules skipped",
                   machine, chk->arch, hint, chk->closest->title);
    else
        dl_warning(chk, chk->dom->os_type,
                   "unknown machine type '%s' for arch '%s'%s; machine rules skipped", machine, chk->arch,
                   hint);
}

static void
check_machine_type(dl_check *chk)
{
    const char *arch = chk->arch;
    g_autofree char *shown = NULL;
    const char *machine = chk->machine;
    const dl_family *family = NULL, *closest = NULL;
    g_autofree char *arches = NULL;
    domlint_diag *d;

    if (!machine) {
        dl_warning(chk, chk->dom->os_type,
                   "no machine type given and domlint knows no default machine for arch '%s'; machine rules skipped",
                   arch);
        return;
    }
    if (strlen(machine) > DL_MAX_QUOTED) {
        shown = g_strdup_printf("%.*s... (%zu characters)", DL_MAX_QUOTED, machine, strlen(machine));
        machine = shown;
    }
    switch (chk->match) {
    case DL_MATCH_OK:
        if (chk->named->no_facts)
            dl_note(chk, chk->dom->os_type, "machine type '%s' is one of the %s: %s; machine rules skipped",
                    machine, chk->named->title, chk->named->no_facts);
        else if (chk->named->unsupported_reason)
            dl_diag_fixit(dl_error(chk, chk->dom->os_type, "machine type '%s' (%s) cannot be used with libvirt %s: %s",
                                   machine, chk->named->title, chk->ctx->target->libvirt,
                                   chk->named->unsupported_reason),
                          "use another machine type for this arch");
        else
            report_deprecated(chk, chk->named, chk->machine);
        return;
    case DL_MATCH_NOT_IN_TARGET:
        report_not_in_target(chk, chk->named, machine);
        return;
    case DL_MATCH_FUTURE:
        report_future(chk, chk->named, machine);
        return;
    case DL_MATCH_WRONG_ARCH:
        dl_machine_db_lookup(chk->ctx->db, arch, machine, &family, &closest);
        arches = g_strjoinv(", ", family->arches);
        d = dl_error(chk, chk->dom->os_type,
                     "machine type '%s' is a %s machine for %s, not for arch '%s'",
                     machine, family->title, arches, arch);
        dl_diag_fixit(d, "use a machine type that exists for arch '%s'", arch);
        return;
    case DL_MATCH_UNKNOWN_VERSION:
        dl_machine_db_lookup(chk->ctx->db, arch, machine, &family, &closest);
        if (family->no_facts) {
            /* a board's name, but of another arch's binary in every release */
            g_autofree char *where = dl_target_label(chk->ctx->target, "qemu");

            dl_diag_fixit(dl_error(chk, chk->dom->os_type,
                                   "%s has no machine type '%s' for arch '%s': it is one of the %s, but no release has it for this arch",
                                   where, machine, arch, family->title),
                          "use a machine type of arch '%s' ('qemu-system-%s -machine help' lists them)", arch, arch);
            return;
        }
        report_unknown_version(chk, family, machine);
        return;
    case DL_MATCH_REMOVED:
        dl_machine_db_lookup(chk->ctx->db, arch, machine, &family, &closest);
        dl_diag_fixit(dl_error(chk, chk->dom->os_type, "machine type '%s' was removed from QEMU%s%s", machine,
                               family->removed_reason ? ": " : "",
                               family->removed_reason ? family->removed_reason : ""),
                      "use a machine type QEMU still has, such as the unversioned name of the family ('pc', 'q35', 'virt', 'pseries')");
        return;
    case DL_MATCH_NONE:
        report_unknown(chk, machine);
        return;
    case DL_MATCH_LAST:
        break;
    }
}

const dl_rule dl_rule_machine_type = {
    .id = "machine-type",
    .summary = "the machine type exists for the arch in the target QEMU release",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_machine_type,
};

static void
check_emulator_arch(dl_check *chk)
{
    g_autofree char *base = NULL;
    const dl_emulator *e;

    if (!chk->dom->emulator || !*chk->dom->emulator)
        return;
    base = g_path_get_basename(chk->dom->emulator);
    if (!g_str_has_prefix(base, "qemu-system-"))
        return;
    /* what each qemu-system-* binary emulates is the device catalogue's <emulator> */
    e = dl_devices_emulator(chk->ctx->devices, base + strlen("qemu-system-"));
    if (!e || g_strv_contains((const char *const *) e->arches, chk->arch) ||
        g_strv_contains((const char *const *) e->also, chk->arch))
        return;
    dl_diag_fixit(dl_error(chk, chk->dom->os_type, "emulator '%s' cannot run arch '%s' (it emulates %s)",
                           chk->dom->emulator, chk->arch, e->arches[0]),
                  "set <emulator> to the QEMU binary of arch '%s', such as /usr/bin/qemu-system-%s", chk->arch, chk->arch);
}

const dl_rule dl_rule_emulator_arch = {
    .id = "emulator-arch",
    .summary = "the <emulator> binary emulates the domain's architecture",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_emulator_arch,
};
