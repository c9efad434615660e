/*
 * cpu.c - rules about the guest CPU and what hangs off it: the CPU's cache
 * and physical address options, SVE, the vCPU count and topology, guest
 * NUMA cells and <numatune>, memory sizes and memory hotplug, CPU tuning
 *
 * Each follows a check of libvirt's domain parser or QEMU driver validation
 * (src/conf/domain_conf.c, numa_conf.c, src/qemu/qemu_validate.c,
 * qemu_domain.c); the function comments name which.
 */
#include "config.h"

#include <string.h>

#include "check/rules/rules.h"
#include "core/target.h"

/* libvirt's largest memory size in KiB: LLONG_MAX bytes (virMemoryMaxValue) */
#define MAX_MEMORY_KIB ((guint64) G_MAXINT64 >> 10)
/* libvirt's bitmap size for cpusets and iothread sets (VIR_DOMAIN_CPUMASK_LEN) */
#define CPUMASK_LEN 16384
/* QEMU's ARM virt with GICv2: the GIC addresses 8 CPUs (GIC_NCPU) */
#define GICV2_MAX_CPUS 8
/* x86 without extended interrupt mode (QEMU_MAX_VCPUS_WITHOUT_EIM) */
#define X86_MAX_VCPUS_WITHOUT_EIM 255

/* The number in the text of NODE (absent: not present). */
static dl_num
element_num(xmlNode *node)
{
    char *text;
    dl_num num;

    if (!node)
        return dl_num_parse(NULL, 10);
    text = (char *) xmlNodeGetContent(node);
    num = dl_num_parse(text ? text : "", 10);
    xmlFree(text);
    num.present = TRUE;
    num.text = NULL;
    return num;
}

/* A family's title without its parenthesis, "pSeries" (caller frees). */
static char *
family_name(const dl_family *family)
{
    const char *paren = strstr(family->title, " (");

    return paren ? g_strndup(family->title, paren - family->title) : g_strdup(family->title);
}

/* ------------------------------------------------------------- cpu-cache */

/*
 * qemuValidateDomainDefCpu() (qemu_domain.c's qemuDomainDefCPUPostParse()
 * in 7.0): <cache> only on x86; mode='emulate' only with level 3;
 * 'passthrough' only with a host-passthrough (or maximum) CPU and no level;
 * 'disable' without a level.
 */
static void
check_cpu_cache(dl_check *chk)
{
    xmlNode *cache = dl_xml_child(chk->dom->cpu, "cache");
    const char *mode;
    const char *cpu_mode;
    dl_num level;

    if (!cache)
        return;
    if (!dl_arch_is_x86(chk->arch)) {
        dl_diag_fixit(dl_error(chk, cache, "a CPU <cache> is supported on x86 only, not on '%s': libvirt refuses it",
                               chk->arch),
                      "remove the <cache> from <cpu>");
        return;
    }
    mode = dl_xml_attr(cache, "mode");
    level = dl_num_attr(cache, "level", 10);
    cpu_mode = dl_xml_attr(chk->dom->cpu, "mode");
    if (dl_str_eq(mode, "emulate") && !(level.valid && level.value == 3)) {
        dl_diag_fixit(dl_error(chk, cache, "CPU cache mode 'emulate' can only be used with level='3', not %s%s%s",
                               level.present ? "level='" : "no level", level.present ? level.text : "",
                               level.present ? "'" : ""),
                      "use level='3' with mode='emulate', or mode='passthrough' or 'disable' without a level");
        return;
    }
    if (dl_str_eq(mode, "passthrough") &&
        !dl_str_eq(cpu_mode, "host-passthrough") && !dl_str_eq(cpu_mode, "maximum")) {
        dl_diag_fixit(dl_error(chk, cache, "CPU cache mode 'passthrough' can only be used with a 'host-passthrough' or 'maximum' CPU, not mode '%s'",
                               cpu_mode ? cpu_mode : "custom"),
                      "use mode='emulate' with level='3', or a <cpu mode='host-passthrough'>");
        return;
    }
    if ((dl_str_eq(mode, "passthrough") || dl_str_eq(mode, "disable")) && level.present)
        dl_diag_fixit(dl_error(chk, cache, "CPU cache mode '%s' takes no level (it applies to every level), remove level='%s'",
                               mode, level.text),
                      "remove level='%s'", level.text);
}

const dl_rule dl_rule_cpu_cache = {
    .id = "cpu-cache",
    .summary = "a CPU <cache> on x86 only, its mode fitting its level and the CPU mode",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_cpu_cache,
};

/* ------------------------------------------------------- cpu-maxphysaddr */

/*
 * qemuValidateDomainDefCpu(): <maxphysaddr> only on x86; mode='passthrough'
 * takes no bits=; mode='emulate' needs bits= before libvirt 9.2, which
 * lets QEMU choose.
 */
static void
check_cpu_maxphysaddr(dl_check *chk)
{
    xmlNode *addr = dl_xml_child(chk->dom->cpu, "maxphysaddr");
    const char *mode;
    dl_num bits;

    if (!addr)
        return;
    if (!dl_arch_is_x86(chk->arch)) {
        dl_diag_fixit(dl_error(chk, addr, "a CPU <maxphysaddr> is supported on x86 only, not on '%s': libvirt refuses it",
                               chk->arch),
                      "remove the <maxphysaddr> from <cpu>");
        return;
    }
    mode = dl_xml_attr(addr, "mode");
    bits = dl_num_attr(addr, "bits", 10);
    if (dl_str_eq(mode, "passthrough") && bits.present) {
        dl_diag_fixit(dl_error(chk, addr, "CPU maximum physical address mode 'passthrough' takes the host's bits, so bits='%s' cannot be given; remove it or use mode='emulate'",
                               bits.text),
                      "remove bits='%s', or use mode='emulate'", bits.text);
        return;
    }
    if (dl_str_eq(mode, "emulate") && !bits.present &&
        dl_releases_behaviour(chk->ctx->releases, "maxphysaddr-emulate-needs-bits", chk->ctx->target))
        dl_diag_fixit(dl_error(chk, addr, "CPU maximum physical address mode 'emulate' needs bits= (the number of address bits the guest sees)"),
                      "add bits='N' with the number of physical address bits the guest sees, such as bits='42'");
}

const dl_rule dl_rule_cpu_maxphysaddr = {
    .id = "cpu-maxphysaddr",
    .summary = "a CPU <maxphysaddr> on x86 only, bits= with mode 'emulate' and not with 'passthrough'",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_cpu_maxphysaddr,
};

/* --------------------------------------------------------------- cpu-sve */

/*
 * qemuDomainDefCPUPostParse(): SVE vector lengths (features 'sve128' ...)
 * turn SVE on, so they cannot go with SVE itself disabled or forbidden.
 */
static void
check_cpu_sve(dl_check *chk)
{
    xmlNode *sve = NULL;
    xmlNode *length = NULL;
    const char *policy;

    for (xmlNode *f = dl_xml_first(chk->dom->cpu, "feature"); f; f = dl_xml_next(f)) {
        const char *name = dl_xml_attr(f, "name");

        if (!name || strncmp(name, "sve", 3) != 0)
            continue;
        if (strcmp(name, "sve") == 0)
            sve = f;
        else if (!length)
            length = f;
    }
    if (!sve || !length)
        return;
    policy = dl_xml_attr(sve, "policy");
    if (dl_str_eq(policy, "disable") || dl_str_eq(policy, "forbid"))
        dl_diag_fixit(dl_error(chk, length, "SVE vector length '%s' is given, but SVE itself is %s (policy='%s'): remove the vector lengths or enable 'sve'",
                               dl_xml_attr(length, "name"), dl_str_eq(policy, "disable") ? "disabled" : "forbidden", policy),
                      "remove the <feature name='sve...'> vector lengths, or set <feature policy='require' name='sve'/>");
}

const dl_rule dl_rule_cpu_sve = {
    .id = "cpu-sve",
    .summary = "no SVE vector lengths with the 'sve' CPU feature disabled",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_cpu_sve,
};

/* ---------------------------------------------------------- vcpu-topology */

/* The maximum vCPU count (<vcpu>, 1 without), and in *CURRENT the current one. */
static guint64
vcpus_max(const dl_domain *dom, guint64 *current)
{
    dl_num max = element_num(dom->vcpu);
    dl_num cur = dl_num_attr(dom->vcpu, "current", 10);
    guint64 n = max.valid ? max.value : 1;

    *current = cur.valid ? cur.value : n;
    return n;
}

/* An attribute of <topology> as libvirt reads it: DEFAULT when absent, FALSE when unusable. */
static gboolean
topology_part(xmlNode *topology, const char *name, guint64 fallback, guint64 *value)
{
    dl_num n = dl_num_attr(topology, name, 10);

    if (!n.present) {
        *value = fallback;
        return TRUE;
    }
    *value = n.value;
    return n.valid && n.value > 0 && n.value <= G_MAXUINT32;
}

/* The vCPUs <topology> describes (virDomainDefGetVcpusTopology()), or 0. */
static guint64
topology_cpus(xmlNode *topology, guint64 *threads)
{
    static const char *const parts[] = { "sockets", "dies", "clusters", "cores", "threads" };
    guint64 total = 1;

    if (!topology || !dl_xml_attr(topology, "sockets"))
        return 0;
    for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
        guint64 v;

        if (!topology_part(topology, parts[i], 1, &v))
            return 0;
        total *= v;
        if (total > G_MAXUINT32)
            return 0;
        if (i == G_N_ELEMENTS(parts) - 1)
            *threads = v;
    }
    return total;
}

/*
 * qemuValidateDomainVCpuTopology(): at least one vCPU; the topology
 * multiplies out to the maximum vCPU count; on pSeries (whose vCPUs are
 * hotplugged a core at a time) the current count is a multiple of the
 * threads per core.
 */
static void
check_vcpu_topology(dl_check *chk)
{
    xmlNode *topology = dl_xml_child(chk->dom->cpu, "topology");
    xmlNode *where = chk->dom->vcpu ? chk->dom->vcpu : topology;
    guint64 current;
    guint64 max = vcpus_max(chk->dom, &current);
    guint64 threads = 1;
    guint64 cpus = topology_cpus(topology, &threads);

    if (current == 0) {
        dl_diag_fixit(dl_error(chk, where, "the domain has 0 vCPUs (current='0'): it needs at least 1"),
                      "set current= to 1 or more, or remove it");
        return;
    }
    if (current > max) {
        dl_diag_fixit(dl_error(chk, where, "current='%" G_GUINT64_FORMAT "' vCPUs are more than the maximum of %" G_GUINT64_FORMAT ": the maximum (the <vcpu> count) cannot be less",
                               current, max),
                      "lower current= to at most %" G_GUINT64_FORMAT ", or raise <vcpu> to %" G_GUINT64_FORMAT, max, current);
        return;
    }
    if (cpus == 0)
        return;
    if (cpus != max) {
        dl_diag_fixit(dl_error(chk, topology, "the CPU topology gives %" G_GUINT64_FORMAT " vCPUs (sockets * dies * cores * threads), but <vcpu> allows %" G_GUINT64_FORMAT ": they must match",
                               cpus, max),
                      "make sockets * dies * cores * threads equal %" G_GUINT64_FORMAT ", or set <vcpu> to %" G_GUINT64_FORMAT, max, cpus);
        return;
    }
    if (chk->family && dl_family_has_feature(chk->family, "vcpu-core-hotplug") && current % threads != 0) {
        g_autofree char *name = family_name(chk->family);

        dl_diag_fixit(dl_error(chk, where, "%" G_GUINT64_FORMAT " current vCPUs are not a multiple of the %" G_GUINT64_FORMAT " threads per core: %s hotplugs vCPUs a whole core at a time",
                               current, threads, name),
                      "set current= to a multiple of %" G_GUINT64_FORMAT, threads);
    }
}

const dl_rule dl_rule_vcpu_topology = {
    .id = "vcpu-topology",
    .summary = "at least one vCPU, a CPU topology matching the vCPU count, whole cores on pSeries",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_vcpu_topology,
};

/* ------------------------------------------------------------- vcpu-max */

/* The GIC version an ARM virt guest gets: "2", "3", "host", or NULL when the host decides. */
static const char *
gic_version(const dl_check *chk)
{
    xmlNode *gic = dl_xml_child(chk->dom->features, "gic");
    const char *version = dl_xml_attr(gic, "version");

    if (version)
        return version;
    /* libvirt picks the highest version the host offers, but GICv2 for TCG */
    if (dl_str_eq(chk->dom->domain_type, "qemu"))
        return "2";
    return NULL;
}

/* The IOMMU has extended interrupt mode on, as written or as libvirt
 * (from 10.10) completes it: it adds an Intel IOMMU with EIM, or turns EIM
 * on in an Intel IOMMU that does not say. */
static gboolean
iommu_eim(const dl_check *chk)
{
    dl_device *iommu = dl_first_device(chk, DL_DEV_IOMMU);
    gboolean completes = dl_releases_behaviour(chk->ctx->releases, "iommu-eim-for-many-vcpus", chk->ctx->target);
    const char *eim;

    if (!iommu)
        return completes;
    eim = dl_xml_attr(dl_device_child(iommu, "driver"), "eim");
    if (dl_str_eq(eim, "on"))
        return TRUE;
    return completes && !eim && dl_str_eq(dl_xml_attr(iommu->node, "model"), "intel");
}

/*
 * More vCPUs than the machine takes: x86 beyond 255 needs q35 and an IOMMU
 * with extended interrupt mode (qemuValidateDomainVCpuTopology()); ARM virt
 * with GICv2 (libvirt's choice under TCG) has 8 (QEMU refuses more at start:
 * "exceeds max CPUs supported by machine 'mach-virt' (8)").
 */
static void
check_vcpu_max(dl_check *chk)
{
    guint64 current;
    guint64 max = vcpus_max(chk->dom, &current);
    g_autofree char *name = NULL;

    if (!chk->family || !chk->dom->vcpu)
        return;
    name = family_name(chk->family);
    if (dl_arch_is_x86(chk->arch) && max > X86_MAX_VCPUS_WITHOUT_EIM) {
        if (!dl_family_has_feature(chk->family, "many-vcpus"))
            dl_diag_fixit(dl_error(chk, chk->dom->vcpu, "more than %d vCPUs (%" G_GUINT64_FORMAT ") are only supported on q35 machines, not on %s",
                                   X86_MAX_VCPUS_WITHOUT_EIM, max, name),
                          "use a q35 machine type, or at most %d vCPUs", X86_MAX_VCPUS_WITHOUT_EIM);
        else if (!iommu_eim(chk))
            dl_diag_fixit(dl_error(chk, chk->dom->vcpu, "more than %d vCPUs (%" G_GUINT64_FORMAT ") need an <iommu> with extended interrupt mode: <driver eim='on'/>",
                                   X86_MAX_VCPUS_WITHOUT_EIM, max),
                          "add <iommu model='intel'><driver intremap='on' eim='on'/></iommu> and <ioapic driver='qemu'/> in <features>, or use at most %d vCPUs", X86_MAX_VCPUS_WITHOUT_EIM);
        return;
    }
    if (dl_family_has_feature(chk->family, "gic") && dl_str_eq(gic_version(chk), "2") && max > GICV2_MAX_CPUS)
        dl_diag_fixit(dl_error(chk, chk->dom->vcpu, "%" G_GUINT64_FORMAT " vCPUs, but %s with GICv2 takes at most %d: QEMU refuses it at start; use <gic version='3'/> or fewer vCPUs",
                               max, name, GICV2_MAX_CPUS),
                      "use <gic version='3'/> in <features>, or at most %d vCPUs", GICV2_MAX_CPUS);
}

const dl_rule dl_rule_vcpu_max = {
    .id = "vcpu-max",
    .summary = "no more vCPUs than the machine and its interrupt controller take",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_vcpu_max,
};

/* --------------------------------------------------------------- bitmaps */

/*
 * Parse a libvirt bitmap ("1-3,^2,5") into BITS of CPUMASK_LEN
 * (virBitmapParse()), *TOP one past its highest bit: FALSE when it is not
 * one, or names a bit beyond the length.
 */
static gboolean
bitmap_parse(const char *text, guint8 *bits, guint *top)
{
    const char *p = text;

    memset(bits, 0, CPUMASK_LEN);
    *top = 0;
    while (*p) {
        gboolean neg = FALSE;
        guint64 from, to;
        char *end;

        while (g_ascii_isspace(*p))
            p++;
        if (*p == '^') {
            neg = TRUE;
            p++;
        }
        if (!g_ascii_isdigit(*p))
            return FALSE;
        from = g_ascii_strtoull(p, &end, 10);
        to = from;
        p = end;
        while (g_ascii_isspace(*p))
            p++;
        if (*p == '-' && !neg) {
            p++;
            while (g_ascii_isspace(*p))
                p++;
            if (!g_ascii_isdigit(*p))
                return FALSE;
            to = g_ascii_strtoull(p, &end, 10);
            p = end;
        }
        if (to < from || to >= CPUMASK_LEN)
            return FALSE;
        for (guint64 b = from; b <= to; b++)
            bits[b] = !neg;
        if (!neg && to + 1 > *top)
            *top = (guint) to + 1;
        while (g_ascii_isspace(*p))
            p++;
        if (*p == ',')
            p++;
        else if (*p)
            return FALSE;
    }
    return TRUE;
}

/* ATTR of NODE is a set that names nothing ("0,^0"): libvirt's "Invalid value of 'ATTR'". */
static gboolean
set_empty(const xmlNode *node, const char *attr)
{
    g_autofree guint8 *bits = NULL;
    const char *text = dl_xml_attr(node, attr);
    guint top;

    if (!text)
        return FALSE;
    bits = g_new0(guint8, CPUMASK_LEN);
    if (!bitmap_parse(text, bits, &top))
        return FALSE;
    for (guint b = 0; b < top; b++) {
        if (bits[b])
            return FALSE;
    }
    return TRUE;
}

static void
check_set_not_empty(dl_check *chk, xmlNode *node, const char *attr, const char *what)
{
    if (set_empty(node, attr))
        dl_diag_fixit(dl_error(chk, node, "%s='%s' names no %s: give at least one", attr, dl_xml_attr(node, attr), what),
                      "list at least one %s in %s=, such as %s='0'", what, attr, attr);
}

/* ------------------------------------------------------------- numa-cells */

/* Bytes per UNIT as libvirt's virScaleInteger() reads it (KiB when absent), 0 when unknown. */
static guint64
unit_scale(const char *unit)
{
    static const char powers[] = "kmgtpe";
    const char *p;
    guint64 base;
    guint64 scale = 1;

    if (!unit || !*unit)
        return 1024;
    if (g_ascii_strcasecmp(unit, "b") == 0 || g_ascii_strcasecmp(unit, "byte") == 0 ||
        g_ascii_strcasecmp(unit, "bytes") == 0)
        return 1;
    p = strchr(powers, g_ascii_tolower(unit[0]));
    if (!p)
        return 0;
    if (unit[1] == '\0' || (g_ascii_tolower(unit[1]) == 'i' && g_ascii_tolower(unit[2]) == 'b' && unit[3] == '\0'))
        base = 1024;
    else if (g_ascii_tolower(unit[1]) == 'b' && unit[2] == '\0')
        base = 1000;
    else
        return 0;
    for (const char *q = powers; q <= p; q++)
        scale *= base;
    return scale;
}

/* A memory size in KiB, rounded up as libvirt does: attribute ATTR of NODE
 * (its text for NULL) in the unit its attribute UNIT_ATTR names; FALSE when
 * it cannot be read. */
static gboolean
memory_kib(xmlNode *node, const char *attr, const char *unit_attr, guint64 *kib)
{
    dl_num n = attr ? dl_num_attr(node, attr, 10) : element_num(node);
    guint64 scale = unit_scale(dl_xml_attr(node, unit_attr));

    if (!n.valid || scale == 0 || n.value > G_MAXUINT64 / scale)
        return FALSE;
    *kib = n.value / 1024 * scale + ((n.value % 1024) * scale + 1023) / 1024;
    return TRUE;
}

/* The vCPUs of guest NUMA cells, for the checks across cells. */
typedef struct {
    guint8 *set;             /* scratch: one cell's cpus */
    guint *owner;            /* per vCPU: its cell + 1, 0 for none yet */
    guint64 count;           /* vCPUs named, all cells */
    guint64 top;             /* one past the highest vCPU named */
} numa_cpus;

/* Take CELL's cpus=: no vCPU of another cell (numa_conf.c: "NUMA cells 0 and 1 have overlapping vCPU ids"). */
static void
numa_cell_cpus(dl_check *chk, xmlNode *c, guint64 cell, numa_cpus *nc)
{
    const char *text = dl_xml_attr(c, "cpus");
    guint top;

    if (!text || !bitmap_parse(text, nc->set, &top))
        return;
    for (guint b = 0; b < top; b++) {
        if (!nc->set[b])
            continue;
        if (nc->owner[b]) {
            dl_diag_fixit(dl_error(chk, c, "NUMA cell %" G_GUINT64_FORMAT " has vCPU %u, which cell %u has too: a vCPU belongs to one cell",
                                   cell, b, nc->owner[b] - 1u),
                          "give vCPU %u to one <cell> only", b);
            return;
        }
        nc->owner[b] = (guint) cell + 1;
        nc->count++;
        nc->top = MAX(nc->top, (guint64) b + 1);
    }
}

/* The <distances> of CELL name existing cells (numa_conf.c: "'sibling_id 2' does not refer to a valid cell"). */
static void
numa_cell_siblings(dl_check *chk, xmlNode *c, guint64 cell, guint n)
{
    for (xmlNode *s = dl_xml_first(dl_xml_child(c, "distances"), "sibling"); s; s = dl_xml_next(s)) {
        dl_num id = dl_num_attr(s, "id", 10);

        if (id.valid && id.value >= n)
            dl_diag_fixit(dl_error(chk, s, "the distance of NUMA cell %" G_GUINT64_FORMAT " to sibling %" G_GUINT64_FORMAT " names no cell: the cells are 0 to %u",
                                   cell, id.value, n - 1),
                          "use a sibling id from 0 to %u", n - 1);
    }
}

/* The cells name at most <vcpu> vCPUs, each below it (domain_conf.c). */
static void
numa_cpus_fit(dl_check *chk, xmlNode *numa, const numa_cpus *nc)
{
    guint64 current;
    guint64 max = vcpus_max(chk->dom, &current);

    if (nc->count > max)
        dl_diag_fixit(dl_error(chk, numa, "the NUMA cells have %" G_GUINT64_FORMAT " vCPUs, more than the %" G_GUINT64_FORMAT " of <vcpu>",
                               nc->count, max),
                      "give the cells at most %" G_GUINT64_FORMAT " vCPUs, or raise <vcpu>", max);
    else if (nc->top > max)
        dl_diag_fixit(dl_error(chk, numa, "the NUMA cells name vCPU %" G_GUINT64_FORMAT ", but <vcpu> has vCPUs 0 to %" G_GUINT64_FORMAT,
                               nc->top - 1, max - 1),
                      "use vCPU numbers from 0 to %" G_GUINT64_FORMAT " in cpus=, or raise <vcpu>", max - 1);
}

/*
 * virDomainNumaDefParseXML(): cells numbered 0 to n-1, one each (an id
 * left out is the cell's position), no vCPU in two cells, and no more or
 * higher vCPUs than <vcpu>; and qemuDomainAlignMemorySizes() at start: a
 * cell's memory, rounded up to 1 MiB (256 MiB on ppc64), within libvirt's
 * largest size.
 */
static void
check_numa_cells(dl_check *chk)
{
    xmlNode *numa = dl_xml_child(chk->dom->cpu, "numa");
    guint n = 0;
    guint i = 0;
    g_autofree xmlNode **seen = NULL;
    g_autofree guint8 *set = NULL;
    g_autofree guint *owner = NULL;
    numa_cpus nc = { 0 };
    guint64 align = dl_arch_is_ppc64(chk->arch) ? 256 * 1024 : 1024;

    if (!numa)
        return;
    for (xmlNode *c = dl_xml_first(numa, "cell"); c; c = dl_xml_next(c))
        n++;
    if (n == 0) {
        dl_diag_fixit(dl_error(chk, numa, "<numa> has no <cell>: a guest NUMA topology needs at least one cell"),
                      "add a <cell id='0' cpus='...' memory='...'/>, or remove <numa>");
        return;
    }
    seen = g_new0(xmlNode *, n);
    set = g_new0(guint8, CPUMASK_LEN);
    owner = g_new0(guint, CPUMASK_LEN);
    nc.set = set;
    nc.owner = owner;
    for (xmlNode *c = dl_xml_first(numa, "cell"); c; c = dl_xml_next(c), i++) {
        dl_num id = dl_num_attr(c, "id", 10);
        guint64 cell = id.present ? id.value : i;
        guint64 kib;

        if (id.present && !id.valid)
            continue;
        if (cell >= n) {
            dl_diag_fixit(dl_error(chk, c, "NUMA cell id %" G_GUINT64_FORMAT " is out of range: the %u cells must be numbered 0 to %u, one <cell> each",
                                   cell, n, n - 1),
                          "number the cells 0 to %u, one id each", n - 1);
            continue;
        }
        if (seen[cell]) {
            domlint_diag *diag = dl_error(chk, c, "NUMA cell id %" G_GUINT64_FORMAT " is given twice: each cell has one <cell>",
                                          cell);
            dl_diag_fixit(diag, "merge the two <cell id='%" G_GUINT64_FORMAT "'> elements, or give one the next free id", cell);
            dl_diag_note(chk, diag, seen[cell], "it is first given here");
            continue;
        }
        seen[cell] = c;
        numa_cell_cpus(chk, c, cell, &nc);
        numa_cell_siblings(chk, c, cell, n);
        if (memory_kib(c, "memory", "unit", &kib) && kib > MAX_MEMORY_KIB - (MAX_MEMORY_KIB % align))
            dl_diag_fixit(dl_error(chk, c, "the memory of NUMA cell %" G_GUINT64_FORMAT " overflows libvirt's largest size (%" G_GUINT64_FORMAT " KiB) once rounded up to %" G_GUINT64_FORMAT " KiB: libvirt refuses it at start",
                                   cell, MAX_MEMORY_KIB, align),
                          "give cell %" G_GUINT64_FORMAT " a smaller memory=", cell);
    }
    numa_cpus_fit(chk, numa, &nc);
}

const dl_rule dl_rule_numa_cells = {
    .id = "numa-cells",
    .summary = "guest NUMA cells numbered 0 to n-1, one <cell> each, with the vCPUs of <vcpu> once and a memory size libvirt can align",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_numa_cells,
};

/* -------------------------------------------------------------- numatune */

/*
 * virDomainNumatuneParseXML(): a static placement (written, or the default
 * with static vCPU placement) needs a nodeset; <memnode> needs guest NUMA
 * cells, names an existing one, once, and not with automatic placement.
 */
static void
check_numatune_memory(dl_check *chk, xmlNode *memory)
{
    const char *placement = dl_xml_attr(memory, "placement");
    const char *vcpu_placement = dl_xml_attr(chk->dom->vcpu, "placement");
    gboolean is_static;

    if (!memory || dl_xml_attr(memory, "nodeset"))
        return;
    if (!placement && !dl_xml_attr(memory, "mode"))
        return;
    is_static = dl_str_eq(placement, "static") || (!placement && !dl_str_eq(vcpu_placement, "auto"));
    if (is_static)
        dl_diag_fixit(dl_error(chk, memory, "NUMA memory tuning with %s placement needs a nodeset=: give the host nodes, or use placement='auto'",
                               placement ? "'static'" : "the default (static)"),
                      "add nodeset='...' with the host NUMA nodes, or set placement='auto'");
}

/* 'restrictive' in <memory> and in a <memnode>, or in neither (the second since libvirt 11.3). */
static void
check_memnode_mode(dl_check *chk, xmlNode *memory, xmlNode *memnode)
{
    gboolean memory_restrictive = dl_str_eq(dl_xml_attr(memory, "mode"), "restrictive");
    gboolean node_restrictive = dl_str_eq(dl_xml_attr(memnode, "mode"), "restrictive");

    if (memory_restrictive && !node_restrictive)
        dl_diag_fixit(dl_error(chk, memnode, "<memory mode='restrictive'> needs mode='restrictive' in every <memnode> too"),
                      "add mode='restrictive' to every <memnode>, or use another mode in <memory>");
    else if (node_restrictive && !memory_restrictive &&
             dl_releases_behaviour(chk->ctx->releases, "numatune-restrictive-both", chk->ctx->target))
        dl_diag_fixit(dl_error(chk, memnode, "<memnode mode='restrictive'> needs <memory mode='restrictive'> in <numatune> too"),
                      "set mode='restrictive' on the <memory> of <numatune> too, or use another mode in <memnode>");
}

static void
check_numatune(dl_check *chk)
{
    xmlNode *memory = dl_xml_child(chk->dom->numatune, "memory");
    guint cells = chk->dom->numa_cells;
    g_autofree xmlNode **seen = NULL;

    check_numatune_memory(chk, memory);
    check_set_not_empty(chk, memory, "nodeset", "host NUMA node");
    if (!dl_xml_child(chk->dom->numatune, "memnode"))
        return;
    if (dl_str_eq(dl_xml_attr(memory, "placement"), "auto")) {
        dl_diag_fixit(dl_error(chk, dl_xml_child(chk->dom->numatune, "memnode"), "<memnode> binds guest cells to host nodes, which automatic placement (placement='auto') does not allow"),
                      "remove the <memnode> elements, or use placement='static' with a nodeset=");
        return;
    }
    if (cells == 0) {
        dl_diag_fixit(dl_error(chk, dl_xml_child(chk->dom->numatune, "memnode"), "<memnode> applies to guest NUMA cells, but the domain has none (<cpu><numa><cell>)"),
                      "add guest NUMA cells in <cpu><numa>, or remove the <memnode> elements");
        return;
    }
    seen = g_new0(xmlNode *, cells);
    for (xmlNode *m = dl_xml_first(chk->dom->numatune, "memnode"); m; m = dl_xml_next(m)) {
        dl_num id = dl_num_attr(m, "cellid", 10);

        check_set_not_empty(chk, m, "nodeset", "host NUMA node");
        check_memnode_mode(chk, memory, m);
        if (!id.valid)
            continue;
        if (id.value >= cells) {
            dl_diag_fixit(dl_error(chk, m, "<memnode cellid='%" G_GUINT64_FORMAT "'> names no guest NUMA cell: the domain has cells 0 to %u",
                                   id.value, cells - 1),
                          "use a cellid from 0 to %u", cells - 1);
            continue;
        }
        if (seen[id.value]) {
            domlint_diag *diag = dl_error(chk, m, "guest NUMA cell %" G_GUINT64_FORMAT " has a second <memnode>",
                                          id.value);
            dl_diag_fixit(diag, "merge the two <memnode cellid='%" G_GUINT64_FORMAT "'> elements into one", id.value);
            dl_diag_note(chk, diag, seen[id.value], "the first is here");
            continue;
        }
        seen[id.value] = m;
    }
}

const dl_rule dl_rule_numatune = {
    .id = "numatune",
    .summary = "<numatune> with a nodeset for static placement and <memnode> only for existing guest NUMA cells",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_numatune,
};

/* --------------------------------------------------------- memory-hotplug */

/* Memory devices that take a slot (dimm, nvdimm). */
static guint
memory_slot_users(const dl_check *chk, guint *devices)
{
    guint slots = 0;

    *devices = 0;
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const char *model;

        if (d->kind != DL_DEV_MEMORY || d->implicit)
            continue;
        (*devices)++;
        model = dl_xml_attr(d->node, "model");
        if (dl_str_eq(model, "dimm") || dl_str_eq(model, "nvdimm"))
            slots++;
    }
    return slots;
}

/*
 * virDomainMemoryDefValidate() (qemuBuildMemoryBackendProps() at start in
 * 7.0): a memory device's target node exists; and
 * qemuDomainDefValidateMemoryHotplug(): memory devices need <maxMemory>,
 * which needs a guest NUMA cell off ppc64 (and s390) before libvirt 9.6
 * (which adds one), and no more dimms than its slots.
 */
static void
check_memory_hotplug(dl_check *chk)
{
    guint devices;
    guint slot_users = memory_slot_users(chk, &devices);
    dl_num slots = dl_num_attr(chk->dom->max_memory, "slots", 10);
    guint cells = chk->dom->numa_cells;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *node;
        dl_num target;

        if (d->kind != DL_DEV_MEMORY || d->implicit)
            continue;
        node = dl_xml_child(dl_device_child(d, "target"), "node");
        target = element_num(node);
        if (!target.valid || target.value < cells)
            continue;
        if (cells == 0)
            dl_diag_fixit(dl_error(chk, node, "the memory device is for guest NUMA node %" G_GUINT64_FORMAT ", but the guest has no NUMA cells",
                                   target.value),
                          "add a guest NUMA cell in <cpu><numa>, or remove <node> from the memory device's <target>");
        else
            dl_diag_fixit(dl_error(chk, node, "the memory device is for guest NUMA node %" G_GUINT64_FORMAT ", but the guest has only %u (0 to %u)",
                                   target.value, cells, cells - 1),
                          "use a <node> from 0 to %u", cells - 1);
    }
    if (!chk->dom->max_memory) {
        if (devices > 0)
            dl_diag_fixit(dl_error(chk, dl_first_device(chk, DL_DEV_MEMORY)->node, "a memory device needs memory hotplug, which needs <maxMemory slots='...'>"),
                          "add <maxMemory slots='16' unit='KiB'>...</maxMemory> larger than <memory>, or remove the memory device");
        return;
    }
    if (cells == 0 && !dl_arch_is_ppc64(chk->arch) && !dl_arch_is_s390(chk->arch) &&
        dl_releases_behaviour(chk->ctx->releases, "hotplug-needs-numa-cell", chk->ctx->target))
        dl_diag_fixit(dl_error(chk, chk->dom->max_memory, "memory hotplug (<maxMemory>) needs at least one guest NUMA cell (<cpu><numa><cell>): QEMU would add one silently"),
                      "add a guest NUMA cell: <cpu><numa><cell id='0' cpus='0-N' memory='...'/></numa></cpu>");
    if (slots.valid && slot_users > slots.value)
        dl_diag_fixit(dl_error(chk, chk->dom->max_memory, "%u memory devices need a slot each, but <maxMemory> has %" G_GUINT64_FORMAT " slots",
                               slot_users, slots.value),
                      "raise slots= of <maxMemory> to %u or more", slot_users);
}

const dl_rule dl_rule_memory_hotplug = {
    .id = "memory-hotplug",
    .summary = "memory devices with <maxMemory>, enough slots, guest NUMA cells and an existing target node",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_memory_hotplug,
};

/* ------------------------------------------------------------ memory-size */

/* The sizes of the memory devices, in KiB. */
static guint64
hotplug_kib(const dl_check *chk)
{
    guint64 total = 0;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        guint64 kib;

        if (d->kind == DL_DEV_MEMORY && !d->implicit &&
            memory_kib(dl_xml_child(dl_device_child(d, "target"), "size"), NULL, "unit", &kib))
            total += kib;
    }
    return total;
}

/* The sum of the NUMA cells' memory in KiB (0 when one cannot be read). */
static guint64
numa_kib(const dl_check *chk)
{
    xmlNode *numa = dl_xml_child(chk->dom->cpu, "numa");
    guint64 total = 0;

    for (xmlNode *c = dl_xml_first(numa, "cell"); c; c = dl_xml_next(c)) {
        guint64 kib;

        if (!memory_kib(c, "memory", "unit", &kib) || kib > MAX_MEMORY_KIB)
            return 0;
        total += kib;
    }
    return total;
}

/*
 * virDomainDefPostParseMemory(): the memory is that of the NUMA cells plus
 * the memory devices (libvirt's define rewrites <memory> so), or <memory>,
 * which then holds the memory devices; the initial memory is not 0; and
 * <maxMemory> is at least the memory.
 */
static void
check_memory_size(dl_check *chk)
{
    guint64 total = 0;
    guint64 hotplug = hotplug_kib(chk);
    guint64 numa = numa_kib(chk);
    guint64 max;

    if (chk->dom->numa_cells > 0) {
        if (numa == 0)
            return;
        total = numa + hotplug;
    } else {
        if (chk->dom->memory && !memory_kib(chk->dom->memory, NULL, "unit", &total))
            return;
        if (total == 0) {
            dl_diag_fixit(dl_error(chk, chk->dom->memory ? chk->dom->memory : chk->dom->root,
                                   "the domain has no memory: give its size with <memory unit='KiB'>, or in its guest NUMA cells"),
                          "give <memory unit='KiB'> a size larger than 0");
            return;
        }
        if (hotplug > total) {
            dl_diag_fixit(dl_error(chk, chk->dom->memory, "the memory devices have %" G_GUINT64_FORMAT " KiB, more than the %" G_GUINT64_FORMAT " KiB of <memory>, which includes them",
                                   hotplug, total),
                          "raise <memory> to at least %" G_GUINT64_FORMAT " KiB plus the boot memory", hotplug);
            return;
        }
    }
    if (chk->dom->max_memory && memory_kib(chk->dom->max_memory, NULL, "unit", &max) && max > 0 && max < total)
        dl_diag_fixit(dl_error(chk, chk->dom->max_memory, "<maxMemory> (%" G_GUINT64_FORMAT " KiB) is less than the memory of the domain (%" G_GUINT64_FORMAT " KiB%s): it must be at least as large",
                               max, total, chk->dom->numa_cells > 0 ? ", its NUMA cells and memory devices" : ""),
                      "raise <maxMemory> to %" G_GUINT64_FORMAT " KiB or more", total);
}

const dl_rule dl_rule_memory_size = {
    .id = "memory-size",
    .summary = "a memory size, from <memory> or the guest NUMA cells, holding the memory devices, within <maxMemory>",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_memory_size,
};

/* --------------------------------------------------------------- cputune */

/*
 * The iothread ids the domain has (virDomainDefParseIOThreads()): those of
 * <iothreadids>, then the lowest free ones up to the <iothreads> count.
 */
static void
iothread_ids(const dl_check *chk, guint8 *have)
{
    dl_num count = element_num(chk->dom->iothreads);
    guint64 n = 0;
    guint64 want;

    for (xmlNode *t = dl_xml_first(chk->dom->iothreadids, "iothread"); t; t = dl_xml_next(t)) {
        dl_num id = dl_num_attr(t, "id", 10);

        n++;
        if (id.valid && id.value < CPUMASK_LEN)
            have[id.value] = 1;
    }
    want = count.valid ? count.value : 0;
    for (guint64 id = 1; id < CPUMASK_LEN && n < want; id++) {
        if (!have[id]) {
            have[id] = 1;
            n++;
        }
    }
}

/* Each <NAME ATTR='N'> of <cputune> at most once per N, N among HAVE
 * (NULL: below LIMIT, beyond which libvirt ignores the pin). */
static void
check_pins(dl_check *chk, const char *name, const char *attr, const guint8 *have, guint64 limit,
           const char *what)
{
    g_autofree xmlNode **first = g_new0(xmlNode *, CPUMASK_LEN);

    for (xmlNode *p = dl_xml_first(chk->dom->cputune, name); p; p = dl_xml_next(p)) {
        dl_num id = dl_num_attr(p, attr, 10);
        domlint_diag *diag;

        if (!id.valid || id.value >= CPUMASK_LEN || (have && id.value == 0) || (!have && id.value >= limit))
            continue;
        if (have && !have[id.value]) {
            dl_diag_fixit(dl_error(chk, p, "<%s> pins %s %" G_GUINT64_FORMAT ", which the domain does not have (<iothreads>, <iothreadids>)",
                                   name, what, id.value),
                          "pin only %ss the domain has, or add it to <iothreadids>", what);
            continue;
        }
        if (!first[id.value]) {
            first[id.value] = p;
            continue;
        }
        diag = dl_error(chk, p, "a second <%s> for %s %" G_GUINT64_FORMAT ": each is pinned once",
                        name, what, id.value);
        dl_diag_fixit(diag, "merge the two <%s> elements for %s %" G_GUINT64_FORMAT " into one", name, what, id.value);
        dl_diag_note(chk, diag, first[id.value], "the first is here");
    }
}

/* Each <NAME ATTR='SET'> names only threads of HAVE (below TOTAL), and no thread twice. */
static void
check_scheds(dl_check *chk, const char *name, const char *attr, const guint8 *have, guint64 total,
             const char *what)
{
    g_autofree guint8 *set = g_new0(guint8, CPUMASK_LEN);
    g_autofree guint8 *taken = g_new0(guint8, CPUMASK_LEN);

    for (xmlNode *s = dl_xml_first(chk->dom->cputune, name); s; s = dl_xml_next(s)) {
        const char *text = dl_xml_attr(s, attr);
        guint top;

        if (!text || !bitmap_parse(text, set, &top))
            continue;
        for (guint id = 0; id < top; id++) {
            if (!set[id])
                continue;
            if (have ? !have[id] : id >= total) {
                dl_diag_fixit(dl_error(chk, s, "<%s %s='%s'> names %s %u, which the domain does not have (%s)",
                                       name, attr, text, what, id, have ? "<iothreads>, <iothreadids>" : "<vcpu>"),
                              "name only %ss the domain has in %s=", what, attr);
                break;
            }
            if (taken[id]) {
                dl_diag_fixit(dl_error(chk, s, "<%s %s='%s'> names %s %u, which an earlier <%s> already schedules: the sets must not overlap",
                                       name, attr, text, what, id, name),
                              "take %s %u out of one of the two sets", what, id);
                break;
            }
            taken[id] = 1;
        }
    }
}

/*
 * virDomainDefTunablesParse(): one <vcpupin> per vCPU (those beyond
 * <vcpu> are ignored), one <emulatorpin>, <vcpusched> of existing vCPUs;
 * iothread pins and schedulers of existing iothreads
 * (virDomainIOThreadPinDefParseXML(), virDomainDefGetIOThreadSched());
 * scheduler sets that do not overlap (virDomainThreadSchedParseHelper()).
 */
static void
check_cputune(dl_check *chk)
{
    xmlNode *cputune = chk->dom->cputune;
    xmlNode *emulatorpin = dl_xml_child(cputune, "emulatorpin");
    g_autofree guint8 *have = NULL;
    guint64 current;
    guint64 max = vcpus_max(chk->dom, &current);

    if (!dl_str_eq(dl_xml_attr(chk->dom->vcpu, "placement"), "auto"))
        check_set_not_empty(chk, chk->dom->vcpu, "cpuset", "host CPU");
    if (!cputune)
        return;
    for (xmlNode *c = cputune->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && g_str_has_suffix((const char *) c->name, "pin"))
            check_set_not_empty(chk, c, "cpuset", "host CPU");
    }
    if (emulatorpin && dl_xml_next(emulatorpin))
        dl_diag_fixit(dl_error(chk, dl_xml_next(emulatorpin), "a second <emulatorpin>: the emulator threads have one pinning"),
                      "merge the two <emulatorpin> elements into one cpuset");
    if (dl_xml_child(cputune, "vcpupin"))
        check_pins(chk, "vcpupin", "vcpu", NULL, max, "vCPU");
    if (dl_xml_child(cputune, "vcpusched"))
        check_scheds(chk, "vcpusched", "vcpus", NULL, max, "vCPU");
    if (!dl_xml_child(cputune, "iothreadpin") && !dl_xml_child(cputune, "iothreadsched"))
        return;
    have = g_new0(guint8, CPUMASK_LEN);
    iothread_ids(chk, have);
    if (dl_xml_child(cputune, "iothreadpin"))
        check_pins(chk, "iothreadpin", "iothread", have, 0, "iothread");
    if (dl_xml_child(cputune, "iothreadsched"))
        check_scheds(chk, "iothreadsched", "iothreads", have, 0, "iothread");
}

const dl_rule dl_rule_cputune = {
    .id = "cputune",
    .summary = "CPU tuning pins and schedules existing vCPUs and iothreads, each once",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_cputune,
};
