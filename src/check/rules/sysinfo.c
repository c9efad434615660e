/*
 * sysinfo.c - rules about what the guest is told about itself and how it is
 * confined: SMBIOS <sysinfo> entries and security labels (<seclabel>)
 *
 * Both follow libvirt's domain parser (src/conf/domain_conf.c:
 * virSysinfoBIOSParseXML(), virSysinfoSystemParseXML(),
 * virSecurityLabelDefsParseXML(), virSecurityDeviceLabelDefParseXML()).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "check/rules/rules.h"

/* ---------------------------------------------------------------- sysinfo */

/* The text of <entry name=NAME> of SECTION (caller frees), or NULL. */
static char *
entry_text(const xmlNode *section, const char *name, xmlNode **where)
{
    for (xmlNode *e = dl_xml_first(section, "entry"); e; e = dl_xml_next(e)) {
        if (dl_str_eq(dl_xml_attr(e, "name"), name)) {
            xmlChar *text = xmlNodeGetContent(e);
            char *copy = g_strdup((const char *) text);

            xmlFree(text);
            *where = e;
            return copy;
        }
    }
    return NULL;
}

/* An int the way virStrToLong_i() reads one, the rest in *END. */
static gboolean
read_int(const char *p, char **end, long long *value)
{
    errno = 0;
    *value = g_ascii_strtoll(p, end, 10);
    return errno == 0 && *end != p && *value >= G_MININT && *value <= G_MAXINT;
}

/* mm/dd/yy or mm/dd/yyyy, a yyyy from 1900 on. */
static gboolean
bios_date_valid(const char *date)
{
    long long month, day, year;
    char *p;

    if (!read_int(date, &p, &month) || *p != '/')
        return FALSE;
    if (!read_int(p + 1, &p, &day) || *p != '/')
        return FALSE;
    if (!read_int(p + 1, &p, &year) || *p != '\0')
        return FALSE;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
           year >= 0 && (year < 100 || year >= 1900);
}

/* The 16 bytes of a UUID the way virUUIDParse() reads it (hex pairs,
 * '-' and ' ' between them), FALSE when it is not one. */
static gboolean
uuid_parse(const char *text, guint8 *uuid)
{
    const char *p = text;

    while (g_ascii_isspace(*p))
        p++;
    for (int i = 0; i < 16; i++) {
        while (*p == '-' || *p == ' ')
            p++;
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
            return FALSE;
        uuid[i] = (guint8) (g_ascii_xdigit_value(p[0]) * 16 + g_ascii_xdigit_value(p[1]));
        p += 2;
    }
    while (*p) {
        if (!g_ascii_isspace(*p))
            return FALSE;
        p++;
    }
    return TRUE;
}

static void
check_sysinfo_uuid(dl_check *chk, const xmlNode *system)
{
    xmlNode *where = NULL;
    g_autofree char *text = entry_text(system, "uuid", &where);
    g_autofree char *dom_text = NULL;
    guint8 uuid[16], dom_uuid[16];

    if (!text)
        return;
    if (!uuid_parse(text, uuid)) {
        dl_diag_fixit(dl_error(chk, where, "the <sysinfo> system uuid '%s' is not a UUID", text),
                      "use a UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0, or remove the uuid entry");
        return;
    }
    if (!chk->dom->uuid)
        return;
    dom_text = (char *) xmlNodeGetContent(chk->dom->uuid);
    if (dom_text && uuid_parse(dom_text, dom_uuid) && memcmp(uuid, dom_uuid, sizeof(uuid)) != 0)
        dl_diag_fixit(dl_error(chk, where, "the <sysinfo> system uuid '%s' differs from the domain's <uuid> '%s': they must be the same (or leave one out)",
                               text, dom_text),
                      "use '%s', the domain's <uuid>, or remove the uuid entry", dom_text);
}

static void
check_sysinfo(dl_check *chk)
{
    for (xmlNode *s = dl_xml_first(chk->dom->root, "sysinfo"); s; s = dl_xml_next(s)) {
        xmlNode *where = NULL;
        g_autofree char *date = NULL;

        if (!dl_str_eq(dl_xml_attr(s, "type"), "smbios"))
            continue;
        date = entry_text(dl_xml_child(s, "bios"), "date", &where);
        if (date && !bios_date_valid(date))
            dl_diag_fixit(dl_error(chk, where, "the BIOS date '%s' is not mm/dd/yy or mm/dd/yyyy (a year from 1900 on)", date),
                          "write the date as mm/dd/yyyy, such as 01/31/2023");
        check_sysinfo_uuid(chk, dl_xml_child(s, "system"));
    }
}

const dl_rule dl_rule_sysinfo = {
    .id = "sysinfo",
    .summary = "SMBIOS <sysinfo>: a BIOS date libvirt can read, a system uuid equal to the domain's",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_sysinfo,
};

/* --------------------------------------------------------------- seclabel */

/* No two of NODE's <seclabel> children with the same model (NULL = both without). */
static void
check_label_models(dl_check *chk, const xmlNode *node, gboolean device)
{
    for (xmlNode *l = dl_xml_first(node, "seclabel"); l; l = dl_xml_next(l)) {
        const char *model = dl_xml_attr(l, "model");

        /* a device label without a model overrides them all and is not compared */
        if (device && !model)
            continue;
        for (xmlNode *o = dl_xml_first(node, "seclabel"); o != l; o = dl_xml_next(o)) {
            domlint_diag *diag;

            const char *other = dl_xml_attr(o, "model");

            if (!(other == model || dl_str_eq(other, model)))
                continue;
            if (model)
                diag = dl_error(chk, l, "a second <seclabel> for security model '%s': give each model one label", model);
            else
                diag = dl_error(chk, l, "a second <seclabel> without a model: with several labels each names its model");
            dl_diag_note(chk, diag, o, "the first is here");
            dl_diag_fixit(diag, "merge the two <seclabel> elements, or give each its own model=");
            break;
        }
    }
}

/* With several domain labels, each names its model. */
static void
check_label_missing_model(dl_check *chk)
{
    guint n = 0;

    for (xmlNode *l = dl_xml_first(chk->dom->root, "seclabel"); l; l = dl_xml_next(l))
        n++;
    if (n < 2)
        return;
    for (xmlNode *l = dl_xml_first(chk->dom->root, "seclabel"); l; l = dl_xml_next(l)) {
        if (!dl_xml_attr(l, "model")) {
            dl_diag_fixit(dl_error(chk, l, "this <seclabel> has no model=, which every label needs when the domain has several (%u)", n),
                          "add model='selinux', 'apparmor' or 'dac' to each <seclabel>");
            return;
        }
    }
}

static void
check_seclabel(dl_check *chk)
{
    check_label_models(chk, chk->dom->root, FALSE);
    check_label_missing_model(chk);
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (d->implicit)
            continue;
        for (xmlNode *s = dl_xml_first(d->node, "source"); s; s = dl_xml_next(s))
            check_label_models(chk, s, TRUE);
    }
}

const dl_rule dl_rule_seclabel = {
    .id = "seclabel",
    .summary = "one <seclabel> per security model, each naming its model when there are several",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_seclabel,
};
