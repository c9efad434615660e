/*
 * machines.c - loader and queries of the machine-type knowledge base
 *
 * Reads data/machines/<family>.xml (format: schemas/machines.rng) with
 * libxml2 using safe options (no network, no entity substitution, no DTD
 * loading), optionally validates each file against the RELAX NG schema
 * (compiled once per load), and turns it into a dl_family.  Every libxml2
 * message is routed into the GError, which always names the file; nothing is
 * printed.  The query functions below are the only place where machine names
 * are compared.
 */
#include "core/machines.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "core/load.h"
#include "core/datafile.h"
#include "core/suggest.h"



/* Largest PCI slot and function numbers. */
#define DL_PCI_SLOT_MAX 0x1f
#define DL_PCI_FUNCTION_MAX 7

G_DEFINE_QUARK(dl-machines-error-quark, dl_machines_error)

struct dl_machine_db {
    GPtrArray *families;     /* of dl_family*, owned */
    const dl_target *target; /* borrowed, or NULL */
};

/* Growing lists of a family while its file is read. */
typedef struct {
    GPtrArray *names;
    GPtrArray *prefixes;
    GPtrArray *machines;     /* the names for every arch of the family */
    GHashTable *per_arch;    /* arch -> GPtrArray of the names for that arch only */
    gboolean machines_known;
    const dl_target *target; /* facts outside its range are skipped; NULL keeps all */
} family_builder;

typedef gboolean (*element_parser)(dl_family *family, family_builder *builder,
                                   xmlNode *node, const char *file, GError **error);

typedef struct {
    const char *name;
    element_parser parse;
} element_entry;

/* ------------------------------------------------------------------ */
/* freeing                                                            */

static void
dl_builtin_free(gpointer data)
{
    dl_builtin *builtin = data;

    if (!builtin)
        return;
    g_free(builtin->device);
    g_free(builtin->controller_type);
    g_free(builtin->models);
    g_free(builtin);
}

static void
dl_implicit_free(gpointer data)
{
    dl_implicit *imp = data;

    if (!imp)
        return;
    g_free(imp->kind);
    g_free(imp->type);
    g_free(imp->model);
    g_free(imp->bus);
    g_strfreev(imp->arches);
    g_free(imp->note);
    g_free(imp);
}

static void
dl_machine_type_free(gpointer data)
{
    dl_machine_type *type = data;

    if (!type)
        return;
    g_free(type->name);
    g_strfreev(type->arches);
    g_free(type->vendor);
    g_free(type->added);
    g_free(type->deprecated);
    g_free(type->removed);
    g_free(type->added_text);
    g_free(type->removed_text);
    g_free(type);
}

static void
dl_preferred_free(gpointer data)
{
    dl_preferred *pref = data;

    if (!pref)
        return;
    g_free(pref->device);
    g_free(pref);
}

static void
dl_family_free(gpointer data)
{
    dl_family *family = data;

    if (!family)
        return;
    g_free(family->id);
    g_free(family->title);
    g_free(family->origin);
    g_strfreev(family->arches);
    g_strfreev(family->names);
    g_strfreev(family->prefixes);
    g_clear_pointer(&family->canonical, g_hash_table_unref);
    g_strfreev(family->machines);
    g_strfreev(family->removed);
    g_free(family->removed_reason);
    g_free(family->root_model_name);
    g_clear_pointer(&family->builtins, g_ptr_array_unref);
    g_strfreev(family->controllers);
    g_strfreev(family->disk_buses);
    g_free(family->fdc_before);
    g_strfreev(family->address_types);
    g_strfreev(family->features);
    g_strfreev(family->refuses);
    g_clear_pointer(&family->implicit, g_ptr_array_unref);
    g_clear_pointer(&family->preferred, g_ptr_array_unref);
    g_clear_pointer(&family->defaults, g_hash_table_unref);
    g_clear_pointer(&family->machines_by_arch, g_hash_table_unref);
    g_free(family->default_machine);
    g_strfreev(family->default_arches);
    g_free(family->unsupported_reason);
    g_free(family->no_facts);
    g_clear_pointer(&family->types, g_ptr_array_unref);
    g_clear_pointer(&family->alias_prefix, g_hash_table_unref);
    g_free(family);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_family, dl_family_free)

static dl_family *
dl_family_new(const char *origin)
{
    dl_family *family = g_new0(dl_family, 1);

    family->origin = g_strdup(origin);
    family->root = DL_ROOT_NONE;
    family->has_floppy = TRUE;
    family->canonical = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    family->builtins = g_ptr_array_new_with_free_func(dl_builtin_free);
    family->implicit = g_ptr_array_new_with_free_func(dl_implicit_free);
    family->preferred = g_ptr_array_new_with_free_func(dl_preferred_free);
    family->defaults = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    family->controllers = g_new0(char *, 1);
    family->disk_buses = g_new0(char *, 1);
    family->address_types = g_new0(char *, 1);
    family->features = g_new0(char *, 1);
    family->refuses = g_new0(char *, 1);
    family->types = g_ptr_array_new_with_free_func(dl_machine_type_free);
    family->alias_prefix = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return family;
}

static void
family_builder_init(family_builder *builder)
{
    builder->names = g_ptr_array_new_with_free_func(g_free);
    builder->prefixes = g_ptr_array_new_with_free_func(g_free);
    builder->machines = g_ptr_array_new_with_free_func(g_free);
    builder->per_arch = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
    builder->machines_known = FALSE;
    builder->target = NULL;
}

static void
family_builder_release(family_builder *builder)
{
    g_clear_pointer(&builder->names, g_ptr_array_unref);
    g_clear_pointer(&builder->prefixes, g_ptr_array_unref);
    g_clear_pointer(&builder->machines, g_ptr_array_unref);
    g_clear_pointer(&builder->per_arch, g_hash_table_unref);
}

void
dl_machine_db_free(dl_machine_db *db)
{
    if (!db)
        return;
    g_clear_pointer(&db->families, g_ptr_array_unref);
    g_free(db);
}

/* ------------------------------------------------------------------ */
/* small XML helpers                                                  */

static char *
get_text(xmlNode *node)
{
    xmlChar *value = xmlNodeGetContent(node);
    char *copy = g_strdup(value ? (const char *) value : "");

    xmlFree(value);
    return copy;
}

/* Whitespace-separated words of TEXT (NULL gives an empty vector). */
static char **
split_words(const char *text)
{
    g_autoptr(GPtrArray) words = g_ptr_array_new();
    g_auto(GStrv) parts = g_strsplit_set(text ? text : "", " \t\r\n", -1);

    for (guint i = 0; parts[i]; i++) {
        if (parts[i][0] != '\0')
            g_ptr_array_add(words, g_strdup(parts[i]));
    }
    g_ptr_array_add(words, NULL);
    return (char **) g_ptr_array_steal(words, NULL);
}

static gboolean
is_yes(const char *value)
{
    return g_strcmp0(value, "yes") == 0;
}

static void
set_error(GError **error, dl_machines_error code, const char *file, xmlNode *node,
          const char *message)
{
    long line = node ? xmlGetLineNo(node) : 0;

    if (line > 0)
        g_set_error(error, DL_MACHINES_ERROR, code, "%s:%ld: %s", file, line, message);
    else
        g_set_error(error, DL_MACHINES_ERROR, code, "%s: %s", file, message);
}

static gboolean
missing_attribute(const char *file, xmlNode *node, const char *attr, GError **error)
{
    g_autofree char *message = g_strdup_printf("<%s> lacks attribute '%s'",
                                               (const char *) node->name, attr);

    set_error(error, DL_MACHINES_ERROR_INVALID, file, node, message);
    return FALSE;
}

/* Parse "0x1f"-style SLOT and "0".."7" FUNCTION attributes of NODE. */
static gboolean
parse_pci_address(xmlNode *node, const char *file, unsigned *slot, unsigned *function,
                  GError **error)
{
    g_autofree char *slot_text = dl_xml_prop(node, "slot");
    g_autofree char *function_text = dl_xml_prop(node, "function");
    guint64 slot_value = 0;
    guint64 function_value = 0;

    if (!slot_text || !g_ascii_string_to_unsigned(slot_text + (g_str_has_prefix(slot_text, "0x") ? 2 : 0),
                                                  16, 0, DL_PCI_SLOT_MAX, &slot_value, NULL)) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, node,
                  "invalid or missing 'slot' (want 0x00 to 0x1f)");
        return FALSE;
    }
    if (!function_text || !g_ascii_string_to_unsigned(function_text, 10, 0, DL_PCI_FUNCTION_MAX,
                                                      &function_value, NULL)) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, node,
                  "invalid or missing 'function' (want 0 to 7)");
        return FALSE;
    }
    *slot = (unsigned) slot_value;
    *function = (unsigned) function_value;
    return TRUE;
}

/* Optional non-negative integer attribute; -1 when absent. */
static gboolean
parse_index(xmlNode *node, const char *file, int *index, GError **error)
{
    g_autofree char *text = dl_xml_prop(node, "index");
    guint64 value = 0;

    *index = -1;
    if (!text)
        return TRUE;
    if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXINT, &value, NULL)) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, node, "invalid 'index'");
        return FALSE;
    }
    *index = (int) value;
    return TRUE;
}

static void
add_words(GPtrArray *array, char **words)
{
    for (guint i = 0; words[i]; i++) {
        if (!g_ptr_array_find_with_equal_func(array, words[i], g_str_equal, NULL))
            g_ptr_array_add(array, g_strdup(words[i]));
    }
}

/* Append the strings of SRC that DST lacks. */
static void
add_array(GPtrArray *dst, const GPtrArray *src)
{
    for (guint i = 0; i < src->len; i++) {
        const char *word = g_ptr_array_index(src, i);

        if (!g_ptr_array_find_with_equal_func(dst, word, g_str_equal, NULL))
            g_ptr_array_add(dst, g_strdup(word));
    }
}

static char **
array_to_strv(GPtrArray *array)
{
    GStrvBuilder *builder = g_strv_builder_new();
    char **strv;

    for (guint i = 0; i < array->len; i++)
        g_strv_builder_add(builder, g_ptr_array_index(array, i));
    strv = g_strv_builder_end(builder);
    g_strv_builder_unref(builder);
    return strv;
}

/* ------------------------------------------------------------------ */
/* one parser per element of a family file                            */

static gboolean
parse_arch(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
           GError **error)
{
    g_autofree char *text = get_text(node);

    (void) builder;
    g_strfreev(family->arches);
    family->arches = split_words(text);
    if (!family->arches[0]) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, node, "<arch> names no architecture");
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_match(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
            GError **error)
{
    g_autofree char *name = dl_xml_prop(node, "name");
    g_autofree char *prefix = dl_xml_prop(node, "prefix");
    g_autofree char *canonical = dl_xml_prop(node, "canonical");
    g_autofree char *newest = dl_xml_prop(node, "newest");

    if (prefix && !name) {
        g_ptr_array_add(builder->prefixes, g_steal_pointer(&prefix));
        return TRUE;
    }
    if (!name || prefix) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, node,
                  "<match> needs exactly one of 'name' and 'prefix'");
        return FALSE;
    }
    if (canonical)
        g_hash_table_insert(family->canonical, g_strdup(name), g_steal_pointer(&canonical));
    if (newest)
        g_hash_table_insert(family->alias_prefix, g_strdup(name), g_steal_pointer(&newest));
    g_ptr_array_add(builder->names, g_steal_pointer(&name));
    return TRUE;
}

static gboolean
parse_removed(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
              GError **error)
{
    g_autofree char *names = dl_xml_prop(node, "names");

    (void) builder;
    if (!names)
        return missing_attribute(file, node, "names", error);
    g_strfreev(family->removed);
    family->removed = split_words(names);
    g_free(family->removed_reason);
    family->removed_reason = dl_xml_prop(node, "reason");
    return TRUE;
}

/* Add NAMES to the list of every arch in ARCHES (empty: the family's list). */
static void
add_machine_names(family_builder *builder, char **arches, char **names)
{
    builder->machines_known = TRUE;
    if (!arches || !arches[0]) {
        add_words(builder->machines, names);
        return;
    }
    for (guint i = 0; arches[i]; i++) {
        GPtrArray *list = g_hash_table_lookup(builder->per_arch, arches[i]);

        if (!list) {
            list = g_ptr_array_new_with_free_func(g_free);
            g_hash_table_insert(builder->per_arch, g_strdup(arches[i]), list);
        }
        add_words(list, names);
    }
}

/* The target's QEMU offers none of upstream's names (RHEL's qemu-kvm). */
static gboolean
vendor_only(const dl_target *target)
{
    return target && target->vendor && !target->vendor_upstream;
}

static gboolean
parse_machines(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
               GError **error)
{
    g_autofree char *text = get_text(node);
    g_autofree char *arch = dl_xml_prop(node, "arch");
    g_auto(GStrv) list = split_words(text);
    g_auto(GStrv) arches = split_words(arch);
    g_auto(GStrv) none = g_new0(char *, 1);

    (void) family;
    (void) file;
    (void) error;
    add_machine_names(builder, arches, vendor_only(builder->target) ? none : list);
    return TRUE;
}

gboolean
dl_machine_type_in_target(const dl_machine_type *type, const dl_target *target)
{
    const char *have;

    if (!target)
        return TRUE;
    if (type->vendor ? g_strcmp0(type->vendor, target->vendor) != 0
                     : target->vendor && !target->vendor_upstream)
        return FALSE;
    have = type->vendor ? target->vendor_version : target->qemu;
    if (type->added && dl_version_compare(have, type->added) < 0)
        return FALSE;
    return !type->removed || dl_version_compare(have, type->removed) < 0;
}

gboolean
dl_machine_type_deprecated(const dl_machine_type *type, const dl_target *target)
{
    const char *have;

    if (!type->deprecated)
        return FALSE;
    if (!target)
        return TRUE;
    have = type->vendor ? target->vendor_version : target->qemu;
    return have && dl_version_compare(have, type->deprecated) >= 0;
}

/*
 * A release, or "A..B" when only the span is known: the end a check may
 * rely on without a false error (LATEST: B, else A).  Caller frees.
 */
static char *
span_end(const char *text, gboolean latest)
{
    const char *dots = text ? strstr(text, "..") : NULL;

    if (!dots)
        return g_strdup(text);
    return latest ? g_strdup(dots + 2) : g_strndup(text, (gsize) (dots - text));
}

static gboolean
parse_type(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
           GError **error)
{
    dl_machine_type *type = g_new0(dl_machine_type, 1);
    g_autofree char *arch = dl_xml_prop(node, "arch");
    g_auto(GStrv) names = g_new0(char *, 2);

    g_ptr_array_add(family->types, type);
    type->name = dl_xml_prop(node, "name");
    if (!type->name)
        return missing_attribute(file, node, "name", error);
    type->arches = arch ? split_words(arch) : NULL;
    type->vendor = dl_xml_prop(node, "vendor");
    type->added_text = dl_xml_prop(node, "added");
    type->removed_text = dl_xml_prop(node, "removed");
    type->added = span_end(type->added_text, FALSE);
    type->removed = span_end(type->removed_text, TRUE);
    type->deprecated = dl_xml_prop(node, "deprecated");
    builder->machines_known = TRUE;
    if (!dl_machine_type_in_target(type, builder->target))
        return TRUE;
    names[0] = g_strdup(type->name);
    add_machine_names(builder, type->arches, names);
    return TRUE;
}

static gboolean
parse_default_machine(dl_family *family, family_builder *builder, xmlNode *node,
                      const char *file, GError **error)
{
    g_autofree char *arch = dl_xml_prop(node, "arch");
    g_autofree char *name = dl_xml_prop(node, "name");

    (void) builder;
    if (!arch)
        return missing_attribute(file, node, "arch", error);
    if (!name)
        return missing_attribute(file, node, "name", error);
    g_strfreev(family->default_arches);
    family->default_arches = split_words(arch);
    g_free(family->default_machine);
    family->default_machine = g_steal_pointer(&name);
    return TRUE;
}

/* The reason= of NODE into *SLOT (replacing what was there); FALSE without one. */
static gboolean
take_reason(char **slot, xmlNode *node, const char *file, GError **error)
{
    g_free(*slot);
    *slot = dl_xml_prop(node, "reason");
    return *slot ? TRUE : missing_attribute(file, node, "reason", error);
}

static gboolean
parse_unsupported(dl_family *family, family_builder *builder, xmlNode *node,
                  const char *file, GError **error)
{
    (void) builder;
    return take_reason(&family->unsupported_reason, node, file, error);
}

static gboolean
parse_no_facts(dl_family *family, family_builder *builder, xmlNode *node,
               const char *file, GError **error)
{
    (void) builder;
    return take_reason(&family->no_facts, node, file, error);
}

static gboolean
parse_root_kind(const char *model, dl_root_kind *kind)
{
    if (g_strcmp0(model, "pci-root") == 0)
        *kind = DL_ROOT_PCI;
    else if (g_strcmp0(model, "pcie-root") == 0)
        *kind = DL_ROOT_PCIE;
    else if (g_strcmp0(model, "none") == 0)
        *kind = DL_ROOT_NONE;
    else
        return FALSE;
    return TRUE;
}

static gboolean
parse_root(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
           GError **error)
{
    g_autofree char *model = dl_xml_prop(node, "model");
    g_autofree char *multi = dl_xml_prop(node, "multi");

    (void) builder;
    if (!parse_root_kind(model, &family->root)) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, node,
                  "<root model> must be 'pci-root', 'pcie-root' or 'none'");
        return FALSE;
    }
    family->multi_root = is_yes(multi);
    g_free(family->root_model_name);
    family->root_model_name = dl_xml_prop(node, "model-name");
    return TRUE;
}

static gboolean
parse_builtin(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
              GError **error)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(dl_builtin_free);
    dl_builtin *builtin = g_new0(dl_builtin, 1);
    g_autofree char *reserved = dl_xml_prop(node, "reserved");

    (void) builder;
    g_ptr_array_add(holder, builtin);
    if (!parse_pci_address(node, file, &builtin->slot, &builtin->function, error))
        return FALSE;
    if (!parse_index(node, file, &builtin->controller_index, error))
        return FALSE;
    builtin->device = dl_xml_prop(node, "device");
    if (!builtin->device)
        return missing_attribute(file, node, "device", error);
    builtin->controller_type = dl_xml_prop(node, "controller");
    builtin->models = dl_xml_prop(node, "models");
    builtin->reserved = !reserved || is_yes(reserved);
    if (dl_family_builtin_at(family, builtin->slot, builtin->function)) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, node, "two builtins at the same address");
        return FALSE;
    }
    g_ptr_array_add(family->builtins, g_ptr_array_steal_index(holder, 0));
    return TRUE;
}

static gboolean
parse_word_list(char ***target, xmlNode *node)
{
    g_autofree char *text = get_text(node);

    g_strfreev(*target);
    *target = split_words(text);
    return TRUE;
}

static gboolean
parse_controllers(dl_family *family, family_builder *builder, xmlNode *node,
                  const char *file, GError **error)
{
    (void) builder;
    (void) file;
    (void) error;
    return parse_word_list(&family->controllers, node);
}

static gboolean
parse_disk_buses(dl_family *family, family_builder *builder, xmlNode *node,
                 const char *file, GError **error)
{
    (void) builder;
    (void) file;
    (void) error;
    return parse_word_list(&family->disk_buses, node);
}

static gboolean
parse_address_types(dl_family *family, family_builder *builder, xmlNode *node,
                    const char *file, GError **error)
{
    (void) builder;
    (void) file;
    (void) error;
    return parse_word_list(&family->address_types, node);
}

static gboolean
parse_features(dl_family *family, family_builder *builder, xmlNode *node,
               const char *file, GError **error)
{
    (void) builder;
    (void) file;
    (void) error;
    return parse_word_list(&family->features, node);
}

static gboolean
parse_refuses(dl_family *family, family_builder *builder, xmlNode *node,
              const char *file, GError **error)
{
    (void) builder;
    (void) file;
    (void) error;
    return parse_word_list(&family->refuses, node);
}

static gboolean
parse_fdc(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
          GError **error)
{
    g_autofree char *builtin = dl_xml_prop(node, "builtin");
    g_autofree char *explicit_fdc = dl_xml_prop(node, "explicit");
    g_autofree char *floppy = dl_xml_prop(node, "floppy");

    (void) builder;
    if (!builtin)
        return missing_attribute(file, node, "builtin", error);
    family->has_fdc = is_yes(builtin);
    family->fdc_explicit = is_yes(explicit_fdc);
    family->has_floppy = !floppy || is_yes(floppy);
    g_free(family->fdc_before);
    family->fdc_before = dl_xml_prop(node, "before");
    return TRUE;
}

static gboolean
parse_ide(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
          GError **error)
{
    g_autofree char *builtin = dl_xml_prop(node, "builtin");

    (void) builder;
    if (!builtin)
        return missing_attribute(file, node, "builtin", error);
    family->has_ide = is_yes(builtin);
    return TRUE;
}

static gboolean
parse_implicit(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
               GError **error)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(dl_implicit_free);
    dl_implicit *imp = g_new0(dl_implicit, 1);
    g_autofree char *arch = dl_xml_prop(node, "arch");

    (void) builder;
    g_ptr_array_add(holder, imp);
    if (!parse_index(node, file, &imp->index, error))
        return FALSE;
    imp->kind = dl_xml_prop(node, "kind");
    if (!imp->kind)
        return missing_attribute(file, node, "kind", error);
    imp->type = dl_xml_prop(node, "type");
    imp->model = dl_xml_prop(node, "model");
    imp->bus = dl_xml_prop(node, "bus");
    imp->note = dl_xml_prop(node, "note");
    if (arch)
        imp->arches = split_words(arch);
    g_ptr_array_add(family->implicit, g_ptr_array_steal_index(holder, 0));
    return TRUE;
}

static gboolean
parse_preferred(dl_family *family, family_builder *builder, xmlNode *node,
                const char *file, GError **error)
{
    g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func(dl_preferred_free);
    dl_preferred *pref = g_new0(dl_preferred, 1);

    (void) builder;
    g_ptr_array_add(holder, pref);
    if (!parse_pci_address(node, file, &pref->slot, &pref->function, error))
        return FALSE;
    pref->device = dl_xml_prop(node, "device");
    if (!pref->device)
        return missing_attribute(file, node, "device", error);
    g_ptr_array_add(family->preferred, g_ptr_array_steal_index(holder, 0));
    return TRUE;
}

/* Arch-specific defaults are kept under "KEY@ARCH". */
static gboolean
parse_default(dl_family *family, family_builder *builder, xmlNode *node, const char *file,
              GError **error)
{
    g_autofree char *key = dl_xml_prop(node, "key");
    g_autofree char *value = dl_xml_prop(node, "value");
    g_autofree char *arch = dl_xml_prop(node, "arch");
    g_auto(GStrv) arches = split_words(arch);

    (void) builder;
    if (!key)
        return missing_attribute(file, node, "key", error);
    if (!value)
        return missing_attribute(file, node, "value", error);
    if (!arches[0]) {
        g_hash_table_insert(family->defaults, g_steal_pointer(&key), g_steal_pointer(&value));
        return TRUE;
    }
    for (guint i = 0; arches[i]; i++)
        g_hash_table_insert(family->defaults, g_strdup_printf("%s@%s", key, arches[i]),
                            g_strdup(value));
    return TRUE;
}

static const element_entry element_table[] = {
    { .name = "arch", .parse = parse_arch },
    { .name = "match", .parse = parse_match },
    { .name = "removed", .parse = parse_removed },
    { .name = "machines", .parse = parse_machines },
    { .name = "type", .parse = parse_type },
    { .name = "default-machine", .parse = parse_default_machine },
    { .name = "unsupported", .parse = parse_unsupported },
    { .name = "no-facts", .parse = parse_no_facts },
    { .name = "root", .parse = parse_root },
    { .name = "builtin", .parse = parse_builtin },
    { .name = "controllers", .parse = parse_controllers },
    { .name = "disk-buses", .parse = parse_disk_buses },
    { .name = "fdc", .parse = parse_fdc },
    { .name = "ide", .parse = parse_ide },
    { .name = "implicit", .parse = parse_implicit },
    { .name = "preferred", .parse = parse_preferred },
    { .name = "default", .parse = parse_default },
    { .name = "address-types", .parse = parse_address_types },
    { .name = "refuses", .parse = parse_refuses },
    { .name = "features", .parse = parse_features },
};

static element_parser
find_element_parser(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(element_table); i++) {
        if (strcmp(element_table[i].name, name) == 0)
            return element_table[i].parse;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* consistency of one family (what the schema cannot say)             */

static gboolean
check_name_listed(const dl_family *family, const char *name, const char *what,
                  const char *file, GError **error)
{
    g_autofree char *message = NULL;

    if (!family->machines || g_strv_contains((const char * const *) family->machines, name))
        return TRUE;
    message = g_strdup_printf("%s '%s' is not in <machines>", what, name);
    set_error(error, DL_MACHINES_ERROR_INVALID, file, NULL, message);
    return FALSE;
}

static gboolean
check_canonicals(const dl_family *family, const char *file, GError **error)
{
    GHashTableIter iter;
    gpointer value = NULL;

    g_hash_table_iter_init(&iter, family->canonical);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        if (!check_name_listed(family, value, "canonical machine", file, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
check_family(const dl_family *family, const char *stem, const char *file, const dl_target *target,
             GError **error)
{
    g_autofree char *message = NULL;

    if (g_strcmp0(family->id, stem) != 0) {
        message = g_strdup_printf("family id '%s' differs from the file name '%s'",
                                  family->id ? family->id : "", stem);
        set_error(error, DL_MACHINES_ERROR_INVALID, file, NULL, message);
        return FALSE;
    }
    if (!family->arches || (!family->names[0] && !family->prefixes[0])) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, NULL, "family needs <arch> and a <match>");
        return FALSE;
    }
    if (family->default_machine &&
        !g_strv_contains((const char * const *) family->names, family->default_machine)) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, NULL,
                  "<default-machine name> must be one of the <match name> values");
        return FALSE;
    }
    /* a vendor build lacks upstream's names, the aliases' targets among them */
    if (vendor_only(target))
        return TRUE;
    return check_canonicals(family, file, error);
}

/* ------------------------------------------------------------------ */
/* reading one file                                                   */

gboolean
dl_fact_holds(xmlNode *node, const dl_target *target, const char *product)
{
    static const struct {
        const char *product, *since, *before;
    } ranges[] = {
        { "qemu", "since-qemu", "before-qemu" },
        { "libvirt", "since-libvirt", "before-libvirt" },
    };

    if (!target || !node->properties)
        return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS(ranges); i++) {
        g_autofree char *since = NULL;
        g_autofree char *before = NULL;

        if (product && strcmp(product, ranges[i].product) != 0)
            continue;
        since = dl_xml_prop(node, ranges[i].since);
        before = dl_xml_prop(node, ranges[i].before);
        if (!dl_target_in_range(target, ranges[i].product, since, before))
            return FALSE;
    }
    return TRUE;
}

static gboolean
parse_family_children(dl_family *family, family_builder *builder, xmlNode *root,
                      const char *file, GError **error)
{
    for (xmlNode *node = root->children; node; node = node->next) {
        element_parser parse;
        g_autofree char *message = NULL;

        if (node->type != XML_ELEMENT_NODE)
            continue;
        parse = find_element_parser((const char *) node->name);
        if (!parse) {
            message = g_strdup_printf("unknown element <%s>", (const char *) node->name);
            set_error(error, DL_MACHINES_ERROR_INVALID, file, node, message);
            return FALSE;
        }
        /* since-qemu= and since-libvirt= name the first release a fact holds
         * in, before-qemu= and before-libvirt= the first it no longer does */
        if (!dl_fact_holds(node, builder->target, NULL))
            continue;
        if (!parse(family, builder, node, file, error))
            return FALSE;
    }
    return TRUE;
}

/* The version part of NAME after PREFIX, from its first digit ("9.6.0" of
 * "pc-q35-rhel9.6.0"), for ordering the types an alias may name. */
static const char *
version_key(const char *name, const char *prefix)
{
    const char *at = name + strlen(prefix);

    while (*at && !g_ascii_isdigit(*at))
        at++;
    return at;
}

/* The newest type of PREFIX that TARGET has, or NULL. */
static const dl_machine_type *
newest_type(const dl_family *family, const char *prefix, const dl_target *target)
{
    const dl_machine_type *best = NULL;

    for (guint i = 0; i < family->types->len; i++) {
        const dl_machine_type *type = g_ptr_array_index(family->types, i);

        if (!g_str_has_prefix(type->name, prefix) || !dl_machine_type_in_target(type, target))
            continue;
        if (!best || dl_version_compare(version_key(type->name, prefix),
                                        version_key(best->name, prefix)) > 0)
            best = type;
    }
    return best;
}

/* Aliases (<match name newest=PREFIX>) name the newest type of their prefix. */
static void
resolve_aliases(dl_family *family, family_builder *builder)
{
    GHashTableIter iter;
    gpointer alias, prefix;

    g_hash_table_iter_init(&iter, family->alias_prefix);
    while (g_hash_table_iter_next(&iter, &alias, &prefix)) {
        const dl_machine_type *type = newest_type(family, prefix, builder->target);
        char *names[] = { alias, NULL };

        if (!type)
            continue;
        g_hash_table_insert(family->canonical, g_strdup(alias), g_strdup(type->name));
        add_machine_names(builder, type->arches, names);
    }
}

/* The lists of the builder: one for the family, one per arch that has its own. */
static void
finish_machines(dl_family *family, family_builder *builder)
{
    GHashTableIter iter;
    gpointer arch, list;
    g_autoptr(GPtrArray) all = NULL;

    if (!builder->machines_known)
        return;
    all = g_ptr_array_new_with_free_func(g_free);
    add_array(all, builder->machines);
    g_hash_table_iter_init(&iter, builder->per_arch);
    while (g_hash_table_iter_next(&iter, &arch, &list)) {
        g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func(g_free);

        add_array(mine, builder->machines);
        add_array(mine, list);
        add_array(all, list);
        if (!family->machines_by_arch)
            family->machines_by_arch = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) g_strfreev);
        g_hash_table_insert(family->machines_by_arch, g_strdup(arch), array_to_strv(mine));
    }
    family->machines = array_to_strv(all);
}

static dl_family *
family_from_doc(xmlDoc *doc, const char *file, const char *stem, const dl_target *target,
                GError **error)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    g_autoptr(dl_family) family = dl_family_new(file);
    family_builder builder;
    gboolean ok;

    if (!root || strcmp((const char *) root->name, "family") != 0) {
        set_error(error, DL_MACHINES_ERROR_INVALID, file, root, "root element must be <family>");
        return NULL;
    }
    family->id = dl_xml_prop(root, "id");
    family->title = dl_xml_prop(root, "title");
    family_builder_init(&builder);
    builder.target = target;
    ok = parse_family_children(family, &builder, root, file, error);
    family->names = array_to_strv(builder.names);
    family->prefixes = array_to_strv(builder.prefixes);
    if (ok) {
        resolve_aliases(family, &builder);
        finish_machines(family, &builder);
    }
    family_builder_release(&builder);
    if (!ok || !check_family(family, stem, file, target, error))
        return NULL;
    return g_steal_pointer(&family);
}

static dl_family *
load_family(const char *dir, const char *name, dl_data_validator *v, const dl_target *target,
            GError **error)
{
    g_autofree char *file = g_build_filename(dir, name, NULL);
    g_autofree char *stem = g_strndup(name, strlen(name) - strlen(".xml"));
    xmlDoc *doc = dl_data_read(file, DL_MACHINES_ERROR, DL_MACHINES_ERROR_PARSE, error);
    dl_family *family = NULL;

    if (!doc)
        return NULL;
    if (dl_data_validate(v, doc, file, error))
        family = family_from_doc(doc, file, stem, target, error);
    xmlFreeDoc(doc);
    return family;
}

/* The *.xml names of DIR, sorted so that the load order is stable. */
static GPtrArray *
list_xml_files(const char *dir, GError **error)
{
    g_autoptr(GError) local = NULL;
    GDir *handle = g_dir_open(dir, 0, &local);
    GPtrArray *names;
    const char *name;

    if (!handle) {
        g_set_error(error, DL_MACHINES_ERROR, DL_MACHINES_ERROR_IO, "%s: %s", dir, local->message);
        return NULL;
    }
    names = g_ptr_array_new_with_free_func(g_free);
    for (name = g_dir_read_name(handle); name; name = g_dir_read_name(handle)) {
        if (g_str_has_suffix(name, ".xml") && name[0] != '.')
            g_ptr_array_add(names, g_strdup(name));
    }
    g_dir_close(handle);
    return names;
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char * const *) a, *(char * const *) b);
}

static gboolean
load_all(dl_machine_db *db, const char *dir, GPtrArray *names, dl_data_validator *v,
         GError **error)
{
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        dl_family *family = load_family(dir, g_ptr_array_index(names, i), v, db->target, error);

        if (!family)
            return FALSE;
        g_ptr_array_add(db->families, family);
    }
    if (db->families->len == 0) {
        g_set_error(error, DL_MACHINES_ERROR, DL_MACHINES_ERROR_IO,
                    "%s: no machine family files (*.xml)", dir);
        return FALSE;
    }
    return TRUE;
}

dl_machine_db *
dl_machine_db_load(const char *dir, const char *schema, const dl_target *target, GError **error)
{
    g_autoptr(GPtrArray) names = NULL;
    dl_data_validator *v;
    dl_machine_db *db;
    gboolean ok;

    g_return_val_if_fail(dir != NULL, NULL);
    names = list_xml_files(dir, error);
    if (!names)
        return NULL;
    v = dl_data_validator_new(schema, DL_MACHINES_ERROR, DL_MACHINES_ERROR_SCHEMA);
    db = g_new0(dl_machine_db, 1);
    db->families = g_ptr_array_new_with_free_func(dl_family_free);
    db->target = target;
    ok = load_all(db, dir, names, v, error);
    dl_data_validator_free(v);
    if (!ok) {
        dl_machine_db_free(db);
        return NULL;
    }
    return db;
}

const dl_target *
dl_machine_db_target(const dl_machine_db *db)
{
    return db ? db->target : NULL;
}

guint
dl_machine_db_count(const dl_machine_db *db)
{
    return db ? db->families->len : 0;
}

const dl_family *
dl_machine_db_family(const dl_machine_db *db, guint i)
{
    if (!db || i >= db->families->len)
        return NULL;
    return g_ptr_array_index(db->families, i);
}

/* ------------------------------------------------------------------ */
/* lookup                                                             */

static gboolean
strv_has(char **strv, const char *value)
{
    return strv && value && g_strv_contains((const char * const *) strv, value);
}

gboolean
dl_family_has_arch(const dl_family *family, const char *arch)
{
    if (!family)
        return FALSE;
    if (!arch || strv_has(family->arches, "*"))
        return TRUE;
    return strv_has(family->arches, arch);
}

/* Length of the longest prefix of FAMILY that starts MACHINE, or 0. */
static gsize
longest_prefix(const dl_family *family, const char *machine)
{
    gsize best = 0;

    for (guint i = 0; family->prefixes[i]; i++) {
        gsize len = strlen(family->prefixes[i]);

        if (len > best && g_str_has_prefix(machine, family->prefixes[i]))
            best = len;
    }
    return best;
}

static const dl_family *
find_exact(const dl_machine_db *db, const char *arch, const char *machine,
           const dl_family **wrong_arch)
{
    for (guint i = 0; i < db->families->len; i++) {
        const dl_family *family = g_ptr_array_index(db->families, i);

        if (!strv_has(family->names, machine) && !strv_has(family->removed, machine))
            continue;
        if (dl_family_has_arch(family, arch))
            return family;
        if (!*wrong_arch)
            *wrong_arch = family;
    }
    return NULL;
}

static const dl_family *
find_by_prefix(const dl_machine_db *db, const char *arch, const char *machine,
               const dl_family **wrong_arch)
{
    const dl_family *best = NULL;
    gsize best_len = 0;

    for (guint i = 0; i < db->families->len; i++) {
        const dl_family *family = g_ptr_array_index(db->families, i);
        gsize len = longest_prefix(family, machine);

        if (len == 0)
            continue;
        if (!dl_family_has_arch(family, arch)) {
            if (!*wrong_arch)
                *wrong_arch = family;
            continue;
        }
        if (len > best_len) {
            best = family;
            best_len = len;
        }
    }
    return best;
}

char **
dl_family_machines_for_arch(const dl_family *family, const char *arch)
{
    char **list = NULL;

    if (!family)
        return NULL;
    if (family->machines_by_arch && arch)
        list = g_hash_table_lookup(family->machines_by_arch, arch);
    return list ? list : family->machines;
}

const dl_machine_type *
dl_family_type(const dl_family *family, const char *arch, const char *name)
{
    if (!family || !name)
        return NULL;
    for (guint i = 0; i < family->types->len; i++) {
        const dl_machine_type *type = g_ptr_array_index(family->types, i);

        if (strcmp(type->name, name) != 0)
            continue;
        if (!arch || !type->arches || strv_has(type->arches, arch))
            return type;
    }
    return NULL;
}

const char *
dl_family_alias_prefix(const dl_family *family, const char *name)
{
    if (!family || !name)
        return NULL;
    return g_hash_table_lookup(family->alias_prefix, name);
}

static dl_match_result
classify(const dl_family *family, const char *arch, const char *machine)
{
    char **known = dl_family_machines_for_arch(family, arch);

    if (strv_has(family->removed, machine))
        return DL_MATCH_REMOVED;
    if (!known)
        return DL_MATCH_OK;
    if (strv_has(known, machine) || strv_has(known, dl_family_canonical(family, machine)))
        return DL_MATCH_OK;
    if (dl_family_type(family, arch, machine) || dl_family_alias_prefix(family, machine))
        return DL_MATCH_NOT_IN_TARGET;
    return DL_MATCH_UNKNOWN_VERSION;
}

/* Keep in *BEST the relative distance (per mille of the candidate's length)
 * of MACHINE's first LEN bytes to CANDIDATE, if it looks like a typo (at most
 * two edits, or a third of the candidate): a two-letter slip in "pc-q35-"
 * beats the same slip in "pc-1.". */
static void
consider(const char *machine, gsize len, const char *candidate, gsize *best)
{
    gsize cand_len = strlen(candidate);
    gsize distance = dl_edit_distance(machine, len, candidate);
    gsize relative = distance * 1000 / MAX(cand_len, 1);

    if (dl_is_typo(distance, cand_len) && relative < *best)
        *best = relative;
}

/* How far MACHINE is from FAMILY: its nearest name, or nearest prefix when
 * only the prefix-length start of MACHINE is compared; G_MAXSIZE when no
 * name is near. */
static gsize
family_distance(const dl_family *family, const char *machine)
{
    gsize len = strlen(machine);
    gsize best = G_MAXSIZE;

    for (guint i = 0; family->names[i]; i++)
        consider(machine, len, family->names[i], &best);
    for (guint i = 0; family->removed && family->removed[i]; i++)
        consider(machine, len, family->removed[i], &best);
    for (guint i = 0; family->prefixes[i]; i++)
        consider(machine, MIN(len, strlen(family->prefixes[i])), family->prefixes[i], &best);
    return best;
}

/* The family nearest to MACHINE, preferring those that exist on ARCH;
 * NULL when even the nearest is too far to be a plausible typo. */
static const dl_family *
find_closest(const dl_machine_db *db, const char *arch, const char *machine)
{
    const dl_family *best = NULL;
    gsize best_score = G_MAXSIZE;

    for (guint i = 0; i < db->families->len; i++) {
        const dl_family *family = g_ptr_array_index(db->families, i);
        gsize distance = family_distance(family, machine);
        gsize score;

        if (distance == G_MAXSIZE)
            continue;
        /* doubled, plus one for another arch: the arch only breaks ties */
        score = distance * 2 + (dl_family_has_arch(family, arch) ? 0 : 1);
        if (score < best_score) {
            best = family;
            best_score = score;
        }
    }
    return best;
}

/* MACHINE carries a version newer than the newest QEMU the knowledge covers. */
static gboolean
newer_than_known(const dl_machine_db *db, const dl_family *family, const char *machine)
{
    const char *version = dl_family_machine_version(family, machine);

    if (!db->target || db->target->vendor || !version || !db->target->qemu_newest)
        return FALSE;
    return dl_version_compare(version, db->target->qemu_newest) > 0;
}

dl_match_result
dl_machine_db_lookup(const dl_machine_db *db, const char *arch, const char *machine,
                     const dl_family **family, const dl_family **closest)
{
    const dl_family *wrong_arch = NULL;
    const dl_family *found;

    if (family)
        *family = NULL;
    if (closest)
        *closest = NULL;
    if (!db || !machine)
        return DL_MATCH_NONE;
    found = find_exact(db, arch, machine, &wrong_arch);
    if (!found)
        found = find_by_prefix(db, arch, machine, &wrong_arch);
    if (found) {
        dl_match_result result = classify(found, arch, machine);

        if (family)
            *family = found;
        if (result == DL_MATCH_UNKNOWN_VERSION && newer_than_known(db, found, machine))
            return DL_MATCH_FUTURE;
        return result;
    }
    if (wrong_arch) {
        if (family)
            *family = wrong_arch;
        return DL_MATCH_WRONG_ARCH;
    }
    if (closest)
        *closest = find_closest(db, arch, machine);
    return DL_MATCH_NONE;
}

const char *
dl_machine_db_suggest(const dl_machine_db *db, const char *arch, const char *machine)
{
    const char *best = NULL;
    gsize best_distance = G_MAXSIZE;

    if (!db || !machine)
        return NULL;
    for (guint i = 0; i < db->families->len; i++) {
        const dl_family *family = g_ptr_array_index(db->families, i);

        if (!dl_family_has_arch(family, arch) || family->unsupported_reason)
            continue;
        dl_suggest_among(machine, (const char *const *) dl_family_machines_for_arch(family, arch),
                         &best, &best_distance);
    }
    return best;
}

const char *
dl_machine_db_default_machine(const dl_machine_db *db, const char *arch)
{
    if (!db || !arch)
        return NULL;
    for (guint i = 0; i < db->families->len; i++) {
        const dl_family *family = g_ptr_array_index(db->families, i);

        if (family->default_machine && strv_has(family->default_arches, arch))
            return family->default_machine;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* questions about one family                                         */

const char *
dl_family_canonical(const dl_family *family, const char *machine)
{
    const char *canonical;

    if (!family || !machine)
        return machine;
    canonical = g_hash_table_lookup(family->canonical, machine);
    return canonical ? canonical : machine;
}

const char *
dl_family_machine_version(const dl_family *family, const char *machine)
{
    gsize len = longest_prefix(family, machine);
    const char *rest = machine + len;

    if (len == 0 || !g_ascii_isdigit(rest[0]))
        return NULL;
    return rest;
}

gboolean
dl_family_has_builtin_fdc(const dl_family *family, const char *machine)
{
    const char *version;

    if (!family)
        return FALSE;
    if (family->has_fdc)
        return TRUE;
    if (!family->fdc_before || !machine)
        return FALSE;
    version = dl_family_machine_version(family, dl_family_canonical(family, machine));
    return version && dl_version_compare(version, family->fdc_before) < 0;
}

gboolean
dl_family_allows_controller(const dl_family *family, const char *model)
{
    return family && strv_has(family->controllers, model);
}

gboolean
dl_family_has_disk_bus(const dl_family *family, const char *bus)
{
    return family && strv_has(family->disk_buses, bus);
}

gboolean
dl_family_has_address_type(const dl_family *family, const char *type)
{
    return family && strv_has(family->address_types, type);
}

gboolean
dl_family_has_feature(const dl_family *family, const char *feature)
{
    return family && strv_has(family->features, feature);
}

gboolean
dl_family_refuses(const dl_family *family, const char *what)
{
    return family && strv_has(family->refuses, what);
}

const dl_builtin *
dl_family_builtin_at(const dl_family *family, unsigned slot, unsigned function)
{
    if (!family)
        return NULL;
    for (guint i = 0; i < family->builtins->len; i++) {
        const dl_builtin *builtin = g_ptr_array_index(family->builtins, i);

        if (builtin->slot == slot && builtin->function == function)
            return builtin;
    }
    return NULL;
}

const char *
dl_family_default(const dl_family *family, const char *key)
{
    if (!family || !key)
        return NULL;
    return g_hash_table_lookup(family->defaults, key);
}

const char *
dl_family_default_for_arch(const dl_family *family, const char *key, const char *arch)
{
    g_autofree char *arch_key = NULL;
    const char *value = NULL;

    if (!family || !key)
        return NULL;
    if (arch) {
        arch_key = g_strdup_printf("%s@%s", key, arch);
        value = g_hash_table_lookup(family->defaults, arch_key);
    }
    return value ? value : dl_family_default(family, key);
}

gboolean
dl_implicit_applies(const dl_implicit *imp, const char *arch)
{
    if (!imp)
        return FALSE;
    return !imp->arches || !arch || strv_has(imp->arches, arch);
}

/* ------------------------------------------------------------------ */
/* versions                                                           */

static int
sign_of(int value)
{
    return (value > 0) - (value < 0);
}

int
dl_version_compare(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    while (g_ascii_isdigit(*a) && g_ascii_isdigit(*b)) {
        char *end_a = NULL;
        char *end_b = NULL;
        guint64 na = g_ascii_strtoull(a, &end_a, 10);
        guint64 nb = g_ascii_strtoull(b, &end_b, 10);

        if (na != nb)
            return na < nb ? -1 : 1;
        a = end_a;
        b = end_b;
        if (*a != '.' || *b != '.')
            break;
        a++;
        b++;
    }
    /* what is left ("" vs ".1", "-sxxm" vs ""): plain byte order */
    return sign_of(strcmp(a, b));
}

char *
dl_machines_schema_path(const char *db_dir)
{
    const char *ups[] = { "..", "../.." };

    for (gsize i = 0; i < G_N_ELEMENTS(ups); i++) {
        char *path = g_build_filename(db_dir, ups[i], "schemas", "machines.rng", NULL);
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
            return path;
        g_free(path);
    }
    return NULL;
}

const char *
dl_root_model_name(dl_root_kind kind)
{
    switch (kind) {
    case DL_ROOT_PCI:
        return "pci-root";
    case DL_ROOT_PCIE:
        return "pcie-root";
    case DL_ROOT_NONE:
    case DL_ROOT_LAST:
        break;
    }
    return "none";
}
