/*
 * paths.c - where domlint's data files are
 *
 * $DOMLINT_DATA_DIR/<what> when that variable is set (a build tree: the
 * tests and build/run point it at the source tree's data/), else the
 * installed $(pkgdatadir)/<what>.  No path of the tree it was built in is
 * compiled in.
 */
#include "config.h"

#include "domlint.h"

char *
domlint_data_dir(const char *what)
{
    const char *env = g_getenv("DOMLINT_DATA_DIR");

    if (env && *env)
        return g_build_filename(env, what, NULL);
    return g_build_filename(DOMLINT_PKGDATADIR, what, NULL);
}
