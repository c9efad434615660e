/*
 * main.c - the domlint command on the process's own streams
 *
 * Everything the command does is dl_cli_run() (src/cli/run.c), which
 * tests call in-process with streams of their own.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int
main(int argc, char **argv)
{
    return dl_cli_run(argc, argv, stdout, stderr);
}
