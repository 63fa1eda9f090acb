/* app.h: program-wide state that every layer may ask for: quitting (the
 * front end, main.c, decides how a quit is carried out) and when the user
 * last touched the keyboard. */
#pragma once

#include <glib.h>

typedef void (*AppQuitHandler)(void);

void app_set_quit_handler(AppQuitHandler handler);

/* Asks the program to stop: sessions are closed cleanly, then the loop
 * ends. */
void app_quit(void);

/* TRUE once app_quit() was called. */
gboolean app_quitting(void);

/* The front end reports a key press (or a typed line). */
void app_user_active(void);
/* g_get_monotonic_time() of the user's last key press; before the first
 * one, of the first time this was asked. */
gint64 app_last_activity(void);
