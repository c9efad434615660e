/*
 * main.c - the domlint command on the process's own streams
 *
 * Everything the command does is dl_cli_run() (src/cli/run.c), which
 * tests call in-process with streams of their own.
 */
#include "config.h"

#include <stdio.h>

#include <glib.h>

#include "cli/cli.h"
#include "core/paths.h"

/*
 * A binary in its build tree reads the source tree's data: 'make' links
 * build/data to it (an in-tree build has data/ beside the binary itself),
 * so that build/domlint works before 'make install' and a developer's
 * edits take effect at once.  An installed binary has no data/ beside it.
 */
static void
use_build_tree_data(void)
{
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
    g_autofree char *data = dir ? g_build_filename(dir, "data", NULL) : NULL;
    g_autofree char *marker = data ? g_build_filename(data, "releases", "targets.xml", NULL) : NULL;

    if (marker && g_file_test(marker, G_FILE_TEST_IS_REGULAR))
        dl_data_dir_set_default(data);
}

int
main(int argc, char **argv)
{
    use_build_tree_data();
    return dl_cli_run(argc, argv, stdout, stderr);
}
