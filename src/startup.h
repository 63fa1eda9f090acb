/* startup.h: what natter does as it starts: connect the accounts of -a (or
 * else the enabled ones) and run the -e commands once every one of them is
 * ready (logged in, roster received, initial presence sent) or has failed.
 * Meanwhile the headless front end holds back its input, so that commands
 * on stdin come after the -e ones and the end of stdin does not quit
 * before they ran. */
#pragma once

#include <glib.h>

/* ACCOUNTS and COMMANDS are borrowed until startup_shutdown(). */
void startup_run(char **accounts, char **commands, gboolean headless);
void startup_shutdown(void);
