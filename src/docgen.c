/* docgen.c: natter-docgen TEMPLATE writes the man page to stdout: the
 * template with @COMMANDS@, @ACCOUNT_SETTINGS@, @SETTINGS@ and @KEYS@
 * replaced by text generated from the command, account, settings and key
 * tables, so the man page always matches /help. */
#include <stdio.h>
#include <string.h>

#include "command/command.h"
#include "command/help.h"
#include "plugin/host.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: natter-docgen TEMPLATE\n");
        return 2;
    }
    g_autofree char *template = NULL;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(argv[1], &template, NULL, &error)) {
        fprintf(stderr, "natter-docgen: %s\n", error->message);
        return 1;
    }
    commands_init();
    plugins_register_commands();
    g_autofree char *commands = help_man_commands();
    g_autofree char *settings = help_man_account_fields();
    g_autoptr(GString) page = g_string_new(template);
    g_string_replace(page, "@COMMANDS@\n", commands, 1);
    g_string_replace(page, "@ACCOUNT_SETTINGS@\n", settings, 1);
    g_autofree char *globals = help_man_settings();
    g_string_replace(page, "@SETTINGS@\n", globals, 1);
    g_autofree char *keys = help_man_keys();
    g_string_replace(page, "@KEYS@\n", keys, 1);
    fputs(page->str, stdout);
    commands_shutdown();
    return ferror(stdout) ? 1 : 0;
}
