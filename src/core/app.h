/* app.h: program-wide lifecycle that every layer may ask for: quitting. The
 * front end (main.c) decides how a quit is carried out. */
#pragma once

#include <glib.h>

typedef void (*AppQuitHandler)(void);

void app_set_quit_handler(AppQuitHandler handler);

/* Asks the program to stop: sessions are closed cleanly, then the loop
 * ends. */
void app_quit(void);

/* TRUE once app_quit() was called. */
gboolean app_quitting(void);
