/*
 * paths.c - where domlint's data files are
 *
 * $DOMLINT_DATA_DIR/<what> when that variable is set, else the directory
 * the program set with dl_data_dir_set_default() (the domlint command run
 * from its build tree), else the installed $(pkgdatadir)/<what>.  No path
 * of the tree it was built in is compiled in.
 */
#include "config.h"

#include "domlint.h"
#include "core/paths.h"

static char *default_dir;

void
dl_data_dir_set_default(const char *dir)
{
    g_free(default_dir);
    default_dir = g_strdup(dir);
}

char *
domlint_data_dir(const char *what)
{
    const char *env = g_getenv("DOMLINT_DATA_DIR");

    if (env && *env)
        return g_build_filename(env, what, NULL);
    if (default_dir)
        return g_build_filename(default_dir, what, NULL);
    return g_build_filename(DOMLINT_PKGDATADIR, what, NULL);
}
