/* help.h: help texts from the command table, for /help and the man page. */
#pragma once

#include <glib.h>

#include "command/command.h"

/* The full help of DEF as lines of plain text, appended to LINES. */
void help_command_lines(const CommandDef *def, GPtrArray *lines);

/* The COMMANDS section of the man page, in roff, for every command. */
char *help_man_commands(void);

/* The ACCOUNT SETTINGS section of the man page, in roff. */
char *help_man_account_fields(void);

/* The SETTINGS section of the man page (global settings), in roff. */
char *help_man_settings(void);

/* The KEYS section of the man page: the default bindings, in roff. */
char *help_man_keys(void);

/* /help keys: every binding now (the user's included) and the actions. */
void help_keys_lines(GPtrArray *lines);
