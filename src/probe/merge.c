/*
 * merge.c - one QEMU release merged into the knowledge's ranges (--merge)
 *
 * The versioned machine types (and the lists of unversioned boards) of the
 * family files against what one binary has: added, deprecated and removed
 * types become added=, deprecated= and removed= attributes of that release,
 * with the rest of each file kept as it was.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/load.h"
#include "probe/probe-internal.h"

/* The <type name=NAME> element of ROOT, or NULL. */
static xmlNode *
type_node(xmlNode *root, const char *name)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        g_autofree char *value = NULL;

        if (n->type != XML_ELEMENT_NODE || strcmp((const char *) n->name, "type") != 0)
            continue;
        value = dl_xml_prop(n, "name");
        if (g_strcmp0(value, name) == 0)
            return n;
    }
    return NULL;
}

static gboolean
is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0;
}

/* A new upstream <type> after the last upstream one (or after the machine
 * lists of a family without types), indented like it.  ARCHES: its arch=,
 * or NULL for every arch of the family. */
static xmlNode *
add_type(xmlNode *root, const char *name, const char *arches)
{
    xmlNode *last = NULL, *lists = NULL;
    xmlNode *node = xmlNewNode(NULL, (const xmlChar *) "type");

    for (xmlNode *n = root->children; n; n = n->next) {
        if (is_named(n, "type") && !xmlHasProp(n, (const xmlChar *) "vendor"))
            last = n;
        if (is_named(n, "machines") || is_named(n, "removed"))
            lists = n;
    }
    xmlSetProp(node, (const xmlChar *) "name", (const xmlChar *) name);
    if (arches)
        xmlSetProp(node, (const xmlChar *) "arch", (const xmlChar *) arches);
    if (!last)
        last = lists;
    if (last) {
        xmlAddNextSibling(last, node);
        xmlAddPrevSibling(node, xmlNewText((const xmlChar *) "\n  "));
    } else {
        xmlAddChild(root, node);
    }
    return node;
}

/* RESULT's arches for an arch= attribute, or NULL when they are all of FAMILY's. */
static char *
type_arches(const dl_family *family, const dl_probe_result *result)
{
    for (gsize i = 0; family->arches[i]; i++) {
        if (strcmp(family->arches[i], "*") == 0 ||
            !g_strv_contains((const char *const *) result->arches, family->arches[i]))
            return g_strjoinv(" ", result->arches);
    }
    return NULL;
}

/* Take NAME out of the <machines> lists of ROOT that hold for TARGET and cover ARCH. */
static void
unlist_machine(xmlNode *root, const char *name, const char *arch, const dl_target *target)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        g_autofree char *covers = NULL;
        g_autofree char *text = NULL;
        g_auto(GStrv) words = NULL;
        g_autoptr(GPtrArray) kept = g_ptr_array_new();

        if (!is_named(n, "machines") || !dl_fact_holds(n, target, NULL))
            continue;
        covers = dl_xml_prop(n, "arch");
        if (covers) {
            g_auto(GStrv) list = g_strsplit(covers, " ", -1);
            if (!g_strv_contains((const char *const *) list, arch))
                continue;
        }
        text = (char *) xmlNodeGetContent(n);
        words = g_strsplit_set(text ? text : "", " \t\n", -1);
        for (gsize w = 0; words[w]; w++) {
            if (*words[w] && strcmp(words[w], name) != 0)
                g_ptr_array_add(kept, words[w]);
        }
        g_ptr_array_add(kept, NULL);
        g_free(text);
        text = g_strjoinv(" ", (char **) kept->pdata);
        xmlNodeSetContent(n, (const xmlChar *) text);
    }
}

/* What FAMILY's file says differently from the probed machines of RESULT, edited into ROOT. */
static guint
merge_family(xmlNode *root, const dl_family *family, const dl_probe_result *result,
             const dl_machine_db *db, GPtrArray *changes, GPtrArray *warnings)
{
    const dl_target *target = dl_machine_db_target(db);
    const char *arch = result->arches ? result->arches[0] : NULL;
    const char *release = target->qemu;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    char **listed;
    guint n = 0;

    for (guint i = 0; i < result->machines->len; i++) {
        const dl_probe_machine *m = g_ptr_array_index(result->machines, i);
        const dl_machine_type *type;

        if (dl_probe_family_of(db, arch, m->name) != family || dl_family_alias_prefix(family, m->name))
            continue;
        g_hash_table_add(seen, m->name);
        if (m->alias)
            g_hash_table_add(seen, m->alias);
        type = dl_family_type(family, arch, m->name);
        if (!type) {
            g_autofree char *arches = NULL;
            xmlNode *node;

            if (g_strv_contains((const char *const *) dl_family_machines_for_arch(family, arch),
                                m->name))
                continue;
            arches = type_arches(family, result);
            node = add_type(root, m->name, arches);
            xmlSetProp(node, (const xmlChar *) "added", (const xmlChar *) release);
            if (m->deprecated)
                xmlSetProp(node, (const xmlChar *) "deprecated", (const xmlChar *) release);
            g_ptr_array_add(changes, g_strdup_printf("%s: + %s, added in %s%s", family->id, m->name,
                                                     release, m->deprecated ? " (deprecated)" : ""));
            n++;
        } else if (!dl_machine_type_in_target(type, target)) {
            dl_probe_warn(warnings, "%s: '%s' is in this QEMU %s, but the data's range excludes %s: not changed",
                 family->id, m->name, release, release);
        } else if (m->deprecated && !dl_machine_type_deprecated(type, target)) {
            xmlSetProp(type_node(root, m->name), (const xmlChar *) "deprecated", (const xmlChar *) release);
            g_ptr_array_add(changes, g_strdup_printf("%s: %s deprecated in %s", family->id, m->name, release));
            n++;
        }
    }
    for (guint i = 0; i < family->types->len; i++) {
        const dl_machine_type *type = g_ptr_array_index(family->types, i);
        xmlNode *node;

        if (type->vendor || g_hash_table_contains(seen, type->name) ||
            !dl_machine_type_in_target(type, target) ||
            (type->arches && arch && !g_strv_contains((const char *const *) type->arches, arch)))
            continue;
        node = type_node(root, type->name);
        if (!node)
            continue;
        xmlSetProp(node, (const xmlChar *) "removed", (const xmlChar *) release);
        g_ptr_array_add(changes, g_strdup_printf("%s: %s removed in %s (or left out of this build)",
                                                 family->id, type->name, release));
        n++;
    }
    /* an unversioned board the lists name but the binary lacks: out of the
     * list, into a <type> that ends here (only a probe of every machine says so) */
    listed = result->all_machines ? dl_family_machines_for_arch(family, arch) : NULL;
    for (gsize i = 0; listed && listed[i]; i++) {
        g_autofree char *arches = NULL;
        xmlNode *node;

        if (g_hash_table_contains(seen, listed[i]) || dl_family_type(family, arch, listed[i]))
            continue;
        unlist_machine(root, listed[i], arch, target);
        arches = type_arches(family, result);
        node = add_type(root, listed[i], arches);
        xmlSetProp(node, (const xmlChar *) "removed", (const xmlChar *) release);
        g_ptr_array_add(changes, g_strdup_printf("%s: %s removed in %s (or left out of this build)",
                                                 family->id, listed[i], release));
        n++;
    }
    return n;
}

gboolean
dl_probe_merge_dir(const dl_probe_result *result, const dl_machine_db *db, const char *dir,
                   GPtrArray *changes, GPtrArray *warnings, GError **error)
{
    const dl_target *target = dl_machine_db_target(db);

    if (!target) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE,
                    "merging needs the knowledge loaded for the binary's release");
        return FALSE;
    }
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot create: %s", dir,
                    g_strerror(errno));
        return FALSE;
    }
    for (guint i = 0; i < dl_machine_db_count(db); i++) {
        const dl_family *family = dl_machine_db_family(db, i);
        xmlDoc *doc;
        gboolean ok = TRUE;

        /* the families with versioned types or machine lists (unversioned boards) */
        if ((!family->types->len && !family->machines) || !dl_probe_family_covered(family, result->arches))
            continue;
        doc = xmlReadFile(family->origin, NULL, dl_xml_parse_options(DL_XML_DATA));
        if (!doc) {
            g_set_error(error, DL_PROBE_ERROR, DL_PROBE_ERROR_WRITE, "%s: cannot be read", family->origin);
            return FALSE;
        }
        if (merge_family(xmlDocGetRootElement(doc), family, result, db, changes, warnings) > 0)
            ok = dl_probe_save_doc(doc, dir, family->id, error);
        xmlFreeDoc(doc);
        if (!ok)
            return FALSE;
    }
    if (dl_version_compare(target->qemu, target->qemu_newest) > 0)
        dl_probe_warn(warnings, "QEMU %s is newer than the knowledge's newest release (%s): raise <qemu newest> in data/releases/targets.xml",
             target->qemu, target->qemu_newest);
    return TRUE;
}
