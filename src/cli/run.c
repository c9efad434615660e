/*
 * run.c - dl_cli_run(): the domlint command as a function
 *
 * The first word picks a command from the table; any other word (a file,
 * an option) means `check`, so that `domlint vm.xml` is `domlint check
 * vm.xml`.  A new command is a function and one line here.
 */
#include "config.h"

#include <string.h>

#include "cli/cli.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv, FILE *out, FILE *err);
    const char *summary;
    /* ARGV[0] of the command is the program's (--help's usage line says
     * "domlint"), not the command's name */
    gboolean as_program;
} cli_command;

static const cli_command commands[] = {
    { "check", dl_check_main, "check domain XML files against what the machine type has (the default)", TRUE },
    { "convert", dl_convert_main, "convert a domain between i440fx and q35 (or versions of one), keeping every device", FALSE },
    { "probe", dl_probe_main, "ask a QEMU binary what its machine types have, write knowledge files", FALSE },
    { "topology", dl_topology_main, "show the PCI tree as libvirt will lay it out, with the findings beside the devices", FALSE },
};

static const cli_command *
find_command(const char *word)
{
    for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
        if (strcmp(commands[i].name, word) == 0)
            return &commands[i];
    }
    return NULL;
}

char *
dl_cli_commands_help(void)
{
    GString *text = g_string_new("Commands (the first word; 'domlint COMMAND --help' for each one's options):");

    for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
        g_string_append_printf(text, "\n  %-10s %s", commands[i].name, commands[i].summary);
    return g_string_free(text, FALSE);
}

int
dl_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    const cli_command *command = argc > 1 ? find_command(argv[1]) : NULL;
    g_autofree char **words = NULL;

    if (!command)
        return dl_check_main(argc, argv, out, err);
    if (!command->as_program)
        return command->run(argc - 1, argv + 1, out, err);
    /* the program's name, then the words after the command's */
    words = g_new0(char *, argc);
    words[0] = argv[0];
    memcpy(words + 1, argv + 2, sizeof(char *) * (gsize) (argc - 2));
    return command->run(argc - 1, words, out, err);
}
