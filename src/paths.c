/*
 * paths.c - where domlint's data files are
 *
 * Installed: $(pkgdatadir)/<what>.  A binary run from its build tree uses
 * the source tree's data/<what> instead, so that the quick start works
 * without 'make install' and a developer's edits take effect at once.
 */
#include "config.h"

#include <string.h>

#include "domlint.h"

/* The directory of the running executable, without libtool's .libs. */
static char *
exe_dir(void)
{
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *dir = exe ? g_path_get_dirname(exe) : NULL;

    if (dir && g_str_has_suffix(dir, "/.libs")) {
        char *parent = g_path_get_dirname(dir);
        g_free(dir);
        dir = parent;
    }
    return dir;
}

char *
domlint_data_dir(const char *what)
{
    g_autofree char *dir = exe_dir();
    g_autofree char *installed = g_build_filename(DOMLINT_PKGDATADIR, what, NULL);
    g_autofree char *source = g_build_filename(DOMLINT_SRCDIR, "data", what, NULL);

    if (dir && strcmp(dir, DOMLINT_BUILDDIR) == 0 && g_file_test(source, G_FILE_TEST_IS_DIR))
        return g_steal_pointer(&source);
    if (!g_file_test(installed, G_FILE_TEST_IS_DIR) && g_file_test(source, G_FILE_TEST_IS_DIR))
        return g_steal_pointer(&source);
    return g_steal_pointer(&installed);
}
