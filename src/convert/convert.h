/*
 * convert.h - `domlint convert`: a domain moved between i440fx and q35
 *
 * A conversion is two passes over the text, both small edits that keep
 * the rest of the file byte for byte (fix/edit.h).  The first turns what
 * the target chipset does not have into what it has: the machine name, the
 * PCI root, the disk buses (IDE on i440fx, SATA on q35) and their names,
 * the USB controller, the chipset watchdog; the PCI controllers of the old
 * topology go, and so do the PCI addresses (or, with keep_addresses, those
 * the target cannot take).  The second is --fix --layout on the result:
 * the placement engine (fix/layout.c) writes the addresses and controllers
 * libvirt would give the converted domain.  What the target cannot have at
 * all is an error, and nothing is converted.
 */
#pragma once

#include "core/internal.h"

typedef struct {
    const char *machine;     /* the machine type asked for: pc, q35, pc-i440fx-7.2... */
    gboolean keep_addresses; /* keep the PCI addresses the target can take */
} dl_convert_options;

/* One change, or one reason the domain cannot be converted. */
typedef struct {
    int line;                /* in the input, 0 when unknown */
    gboolean visible;        /* the guest sees it */
    char *message;
} dl_convert_note;

typedef struct {
    char *failure;           /* the input could not be converted at all (bad input), or NULL */
    GArray *errors;          /* of dl_convert_note: what the target cannot have */
    GArray *notes;           /* of dl_convert_note: what was changed, in order */
    gboolean new_pci;        /* the guest sees new PCI addresses */
    gboolean new_disks;      /* the guest sees disks on another bus, under other names */
    char *text;              /* the converted domain, NULL on failure or errors */
    gsize len;
} dl_convert_result;

/*
 * Convert the domain DATA (LEN bytes, named NAME in messages) to the
 * machine of OPT.  CTX must run the pci-layout rule alone with layout on
 * (dl_convert_ctx_options()).  Never NULL; free with dl_convert_result_free().
 */
dl_convert_result *dl_convert(domlint_ctx *ctx, const char *name, const char *data, gsize len,
                              const dl_convert_options *opt);
void dl_convert_result_free(dl_convert_result *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_convert_result, dl_convert_result_free)

/* Set OPTIONS up for a context dl_convert() can use. */
void dl_convert_ctx_options(domlint_options *options);
