/*
 * paths.h - where domlint's data is, for the programs built with it
 */
#pragma once

/*
 * The data directory domlint_data_dir() uses when $DOMLINT_DATA_DIR is not
 * set, instead of $(pkgdatadir): the command sets it, before any thread
 * starts, for a binary that runs from its build tree.  DIR is copied.
 */
void dl_data_dir_set_default(const char *dir);
