/*
 * diag.h - how rules report findings
 *
 * Rules call dl_error()/dl_warning() with the XML node the finding is about;
 * the location, XPath and rule id are filled in here.  Rules never print.
 */
#pragma once

#include <stdarg.h>
#include "core/internal.h"

domlint_diag *dl_report(dl_check *chk, domlint_severity severity, const xmlNode *node,
                        const char *fmt, ...) G_GNUC_PRINTF(4, 5);

#define dl_error(chk, node, ...) dl_report((chk), DOMLINT_SEV_ERROR, (node), __VA_ARGS__)
#define dl_warning(chk, node, ...) dl_report((chk), DOMLINT_SEV_WARNING, (node), __VA_ARGS__)
#define dl_note(chk, node, ...) dl_report((chk), DOMLINT_SEV_NOTE, (node), __VA_ARGS__)

/* Attach a secondary location ("the other device is here"). */
void dl_diag_note(dl_check *chk, domlint_diag *diag, const xmlNode *node,
                  const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Say what --fix would do about DIAG. */
void dl_diag_fixit(domlint_diag *diag, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A finding not tied to a rule (load failures, schema), with an explicit id. */
domlint_diag *dl_diag_new(const char *file, int line, int column, domlint_severity severity,
                          const char *rule, const char *message);

/* The node a device's findings point at: its <address> when the address is the subject. */
const xmlNode *dl_addr_node(const dl_device *dev);
