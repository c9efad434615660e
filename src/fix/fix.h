/*
 * fix.h - what rules say --fix should do
 *
 * A rule that knows the repair for its finding describes it as a dl_fix:
 * a message for the report and a few steps on the parsed document (remove
 * an element, set or remove an attribute, append a child).  When the run is
 * not fixing, dl_fix_new() returns NULL and every step function ignores a
 * NULL fix, so rules need no "am I fixing" branches.  fix.c turns the steps
 * into text edits, applies them, and checks again until nothing is left to fix.
 */
#pragma once

#include "core/internal.h"

typedef enum {
    DL_STEP_REMOVE_ELEMENT,
    DL_STEP_SET_ATTR,
    DL_STEP_REMOVE_ATTR,
    DL_STEP_APPEND_CHILD,
    DL_STEP_LAST
} dl_step_kind;

typedef struct {
    dl_step_kind kind;
    const xmlNode *node;
    char *name;      /* attribute */
    char *value;     /* attribute value, or the XML to append */
} dl_step;

/* Shorter names for the classes of domlint.h, for the rules. */
#define DL_SAFE DOMLINT_FIX_SAFE
#define DL_VISIBLE DOMLINT_FIX_GUEST_VISIBLE

typedef struct dl_fix {
    const char *rule;
    domlint_fix_class fix_class;
    char *message;
    const xmlNode *where;
    domlint_diag *finding;  /* the finding it repairs (borrowed), or NULL */
    GArray *steps;   /* of dl_step */
    const struct dl_fix *needs;  /* applied only after this one of its round (borrowed), or NULL */
    guint adds;      /* root ports its append adds for itself and the fixes that need it */
    gboolean applied;
} dl_fix;

/*
 * A new fix for the current rule, or NULL when the run is not fixing.
 * FIX_CLASS says whether the guest sees the change (domlint.h); when not
 * sure, DL_VISIBLE.  The fix belongs to the rule's last finding.
 */
dl_fix *dl_fix_new(dl_check *chk, domlint_fix_class fix_class, const xmlNode *where,
                   const char *fmt, ...) G_GNUC_PRINTF(4, 5);

void dl_fix_remove(dl_fix *fix, const xmlNode *element);
void dl_fix_set(dl_fix *fix, const xmlNode *element, const char *attr, const char *value);
void dl_fix_unset(dl_fix *fix, const xmlNode *element, const char *attr);
void dl_fix_append(dl_fix *fix, const xmlNode *parent, const char *xml);
/* XML after what the last append step of FIX appends, in the same edit. */
void dl_fix_append_more(dl_fix *fix, const char *xml);

void dl_fix_free(dl_fix *fix);

/* A target name for a disk on BUS that no disk of the domain uses and no
 * other fix of this round took ("sdb"); it is taken from then on. */
char *dl_free_disk_name(dl_check *chk, const char *bus);

/* Take KEY for this round; FALSE when another fix already took it. */
gboolean dl_fix_claim(dl_check *chk, const char *key);

/* Write 0000:BUS:SLOT.FUNCTION into the <address> element ADDRESS; multifunction='on' or none. */
void dl_fix_set_pci_address(dl_fix *fix, const xmlNode *address, guint bus, guint slot, guint function,
                            gboolean multifunction);

/*
 * The usual repair of a bad address: remove the <address> of DEV so that
 * libvirt assigns one the way it does for a new device.  WHY says what was
 * wrong with it ("used by the memballoon").  Guest-visible unless libvirt
 * puts the device where it was (a root bus, a chipset function).
 */
void dl_fix_drop_address(dl_check *chk, domlint_fix_class fix_class, const dl_device *dev,
                         const char *why);
