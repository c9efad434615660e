/*
 * convert-internal.h - what the parts of a conversion share
 *
 * convert.c runs a conversion (machine, PCI, USB, chipset devices, then the
 * layout); convert-disks.c moves the disks between IDE and SATA and looks
 * after floppies.  Both record edits on the input text and a note for each
 * change.
 */
#pragma once

#include "convert/convert.h"
#include "fix/edit.h"

typedef struct {
    dl_check *chk;           /* the input, its model and machine (the source family) */
    const dl_family *to;     /* the family converted to */
    const char *to_machine;  /* the machine name asked for */
    const char *to_canonical;/* its versioned name */
    gboolean cross;          /* the family changes: i440fx <-> q35 */
    const dl_convert_options *opt;
    dl_edits *edits;
    dl_convert_result *res;
    GHashTable *gone;        /* elements removed or rewritten whole: no more edits inside */
    GHashTable *drop_addr;   /* devices whose PCI address must go even with keep_addresses */
} dl_conv;

/* A change at WHERE (NULL: none), seen by the guest or not. */
void dl_conv_note(dl_conv *cv, const xmlNode *where, gboolean visible, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/* Something the target cannot have: the conversion fails. */
void dl_conv_error(dl_conv *cv, const xmlNode *where, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Remove ELEMENT (and remember it is gone). */
void dl_conv_remove(dl_conv *cv, const xmlNode *element);
/* Set or remove an attribute; nothing when the element is gone. */
void dl_conv_set(dl_conv *cv, const xmlNode *element, const char *name, const char *value);
void dl_conv_unset(dl_conv *cv, const xmlNode *element, const char *name);

/* The disks: IDE <-> SATA, their controllers and names, floppies (convert-disks.c). */
void dl_convert_disks(dl_conv *cv);
