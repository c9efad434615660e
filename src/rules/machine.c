/*
 * machine.c - rules about the machine type and emulator themselves
 *
 * Everything else depends on knowing the machine family, so these run
 * first and say plainly when domlint cannot know (an unknown name is a
 * warning, never a guessed verdict).
 */
#include "config.h"

#include <string.h>

#include "rules/rules.h"

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

static void
check_machine_type(dl_check *chk)
{
    const char *arch = chk->arch;
    g_autofree char *shown = NULL;
    const char *machine = chk->machine;
    const dl_family *family = NULL, *closest = NULL;
    g_autofree char *versions = NULL;
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
        if (chk->family->unsupported_reason)
            dl_error(chk, chk->dom->os_type, "machine type '%s' (%s) cannot be used with libvirt " DOMLINT_LIBVIRT_VERSION ": %s",
                     machine, chk->family->title, chk->family->unsupported_reason);
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
        versions = known_versions(family);
        dl_error(chk, chk->dom->os_type,
                 "QEMU " DOMLINT_QEMU_VERSION " has no machine type '%s': %s versions it provides are %s",
                 machine, family->title, versions);
        return;
    case DL_MATCH_REMOVED:
        dl_machine_db_lookup(chk->ctx->db, arch, machine, &family, &closest);
        dl_error(chk, chk->dom->os_type, "machine type '%s' was removed from QEMU%s%s", machine,
                 family->removed_reason ? ": " : "",
                 family->removed_reason ? family->removed_reason : "");
        return;
    case DL_MATCH_NONE:
        if (chk->closest)
            dl_warning(chk, chk->dom->os_type,
                       "unknown machine type '%s' for arch '%s' (closest known family: %s); machine rules skipped",
                       machine, arch, chk->closest->title);
        else
            dl_warning(chk, chk->dom->os_type,
                       "unknown machine type '%s' for arch '%s'; machine rules skipped", machine, arch);
        return;
    case DL_MATCH_LAST:
        break;
    }
}

const dl_rule dl_rule_machine_type = {
    .id = "machine-type",
    .summary = "the machine type exists for the architecture in QEMU " DOMLINT_QEMU_VERSION,
    .severity = DOMLINT_SEV_ERROR,
    .check = check_machine_type,
};

/* Which guest architectures each qemu-system-* binary emulates. */
static const struct {
    const char *binary;
    const char *arches[5];
} emulator_arches[] = {
    { "x86_64", { "x86_64", "i686", NULL } },
    { "i386", { "i686", NULL } },
    { "aarch64", { "aarch64", "armv7l", "armv6l", NULL } },
    { "arm", { "armv7l", "armv6l", NULL } },
    { "ppc64", { "ppc64", "ppc64le", "ppc", NULL } },
    { "ppc", { "ppc", NULL } },
    { "s390x", { "s390x", "s390", NULL } },
    { "riscv64", { "riscv64", NULL } },
    { "riscv32", { "riscv32", NULL } },
    { "sparc64", { "sparc64", NULL } },
    { "sparc", { "sparc", NULL } },
    { "mips", { "mips", NULL } },
    { "mipsel", { "mipsel", NULL } },
    { "mips64", { "mips64", NULL } },
    { "mips64el", { "mips64el", NULL } },
    { "loongarch64", { "loongarch64", NULL } },
    { "alpha", { "alpha", NULL } },
};

static void
check_emulator_arch(dl_check *chk)
{
    g_autofree char *base = NULL;
    const char *suffix;

    if (!chk->dom->emulator || !*chk->dom->emulator)
        return;
    base = g_path_get_basename(chk->dom->emulator);
    if (!g_str_has_prefix(base, "qemu-system-"))
        return;
    suffix = base + strlen("qemu-system-");
    for (gsize i = 0; i < G_N_ELEMENTS(emulator_arches); i++) {
        if (strcmp(emulator_arches[i].binary, suffix) != 0)
            continue;
        for (gsize a = 0; emulator_arches[i].arches[a]; a++) {
            if (dl_str_eq(emulator_arches[i].arches[a], chk->arch))
                return;
        }
        dl_error(chk, chk->dom->os_type,
                 "emulator '%s' cannot run arch '%s' (it emulates %s)",
                 chk->dom->emulator, chk->arch, emulator_arches[i].arches[0]);
        return;
    }
}

const dl_rule dl_rule_emulator_arch = {
    .id = "emulator-arch",
    .summary = "the <emulator> binary emulates the domain's architecture",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_emulator_arch,
};
