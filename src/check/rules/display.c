/*
 * display.c - rules about graphics and video devices
 *
 * How libvirt lets graphics devices be combined (egl-headless pairs with
 * VNC or SPICE only, one OpenGL display, one listen each) and video
 * devices (one primary, 'none' alone): qemu_validate.c, qemu_process.c and
 * domain_validate.c, the same in libvirt 7.0, 9.0 and 11.3.
 */
#include "config.h"

#include "check/rules/rules.h"
#include "fix/fix.h"

/* ---------------------------------------------------------------- graphics */

/* The first graphics device of TYPE, or NULL. */
static const dl_device *
graphics_of_type(const dl_check *chk, const char *type)
{
    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);

        if (d->kind == DL_DEV_GRAPHICS && d->node && dl_str_eq(d->type, type))
            return d;
    }
    return NULL;
}

static guint
count_children(const xmlNode *node, const char *name)
{
    guint n = 0;

    for (xmlNode *c = dl_xml_first(node, name); c; c = dl_xml_next(c))
        n++;
    return n;
}

/* egl-headless is a second display beside VNC or SPICE (qemu_validate.c) */
static void
check_egl_headless_pair(dl_check *chk, const dl_device *d, const dl_device *egl)
{
    domlint_diag *diag;

    if (dl_str_eq(d->type, "egl-headless"))
        return;
    if (!dl_str_eq(d->type, "vnc") && !dl_str_eq(d->type, "spice")) {
        diag = dl_error(chk, d->node, "graphics type '%s' cannot be used with an 'egl-headless' display: libvirt pairs egl-headless only with 'vnc' or 'spice' graphics",
                        d->type);
        dl_diag_fixit(diag, "use vnc or spice graphics with egl-headless, or remove the egl-headless display");
        dl_diag_note(chk, diag, egl->node, "the egl-headless display is here");
        return;
    }
    /* '-spice gl=on' and '-display egl-headless' are mutually exclusive */
    if (dl_str_eq(d->type, "spice") && dl_str_eq(dl_xml_attr(dl_device_child(d, "gl"), "enable"), "yes")) {
        diag = dl_error(chk, dl_device_child(d, "gl"), "spice graphics with OpenGL (<gl enable='yes'/>) cannot be used with an 'egl-headless' display: QEMU supports one OpenGL display only; drop one of them");
        dl_diag_fixit(diag, "set <gl enable='no'/> in the spice graphics, or remove the egl-headless display");
        dl_diag_note(chk, diag, egl->node, "the egl-headless display is here");
    }
}

static void
check_graphics(dl_check *chk)
{
    const dl_device *egl = graphics_of_type(chk, "egl-headless");

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        guint listens;

        if (d->kind != DL_DEV_GRAPHICS || !d->node || !d->type)
            continue;
        if (egl)
            check_egl_headless_pair(chk, d, egl);
        if (!dl_str_eq(d->type, "vnc") && !dl_str_eq(d->type, "spice"))
            continue;
        /* libvirt checks this when the guest starts (qemu_process.c) */
        listens = count_children(d->node, "listen");
        if (listens > 1)
            dl_diag_fixit(dl_error(chk, d->node, "%s graphics has %u <listen> elements: QEMU supports one listen per graphics device, so the guest does not start; keep one",
                                   d->type, listens),
                          "keep one <listen> in the <graphics>");
    }
}

const dl_rule dl_rule_graphics = {
    .id = "graphics",
    .summary = "graphics devices combine as QEMU allows: egl-headless only with VNC or SPICE (not SPICE with OpenGL), one listen each",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_graphics,
};

/* ------------------------------------------------------------------- video */

static void
check_video(dl_check *chk)
{
    const dl_device *primary = NULL;
    const dl_device *none = NULL;
    guint videos = 0;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *model;

        if (d->kind != DL_DEV_VIDEO || !d->node)
            continue;
        videos++;
        if (!none && dl_str_eq(d->model, "none"))
            none = d;
        model = dl_device_child(d, "model");
        /* libvirt reads primary= as yes or no, anything else as no */
        if (!dl_str_eq(dl_xml_attr(model, "primary"), "yes"))
            continue;
        if (primary) {
            domlint_diag *diag = dl_error(chk, model, "a second video device is marked primary='yes': libvirt supports one primary video device; drop primary='yes' from all but one");
            dl_diag_fixit(diag, "remove primary='yes' from all video models but one");

            dl_diag_note(chk, diag, dl_device_child(primary, "model"), "the first primary video device is here");
            /* the first stays primary: it is the one libvirt's parser meets first */
            dl_fix_unset(dl_fix_new(chk, DL_VISIBLE, model, "dropped primary='yes' from a second primary video device; the first one stays primary"),
                         model, "primary");
            continue;
        }
        primary = d;
    }
    if (none && videos > 1)
        dl_diag_fixit(dl_error(chk, none->node, "a video device of model 'none' must be the only video device of the domain, but there are %u: drop it, or the others",
                               videos),
                      "remove the video of model 'none', or the other video devices");
}

const dl_rule dl_rule_video = {
    .id = "video",
    .summary = "at most one video device is primary, and a 'none' video device is the only one",
    .severity = DOMLINT_SEV_ERROR,
    .check = check_video,
};
