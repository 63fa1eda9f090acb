/* app.h: program-wide state that every layer may ask for: quitting (the
 * front end, main.c, decides how a quit is carried out) and when the user
 * last did something (for auto-away). */
#pragma once

#include <glib.h>

typedef void (*AppQuitHandler)(void);

void app_set_quit_handler(AppQuitHandler handler);

/* Asks the program to stop: sessions are closed cleanly, then the loop
 * ends. */
void app_quit(void);

/* TRUE once app_quit() was called. */
gboolean app_quitting(void);

/* The user pressed a key or typed a line: the front ends call this on
 * every one. Records the time and emits EVENT_USER_ACTIVE. */
void app_user_active(void);

/* When app_user_active() was last called (g_get_monotonic_time()), or the
 * time of the first call to this module when it never was. */
gint64 app_last_active(void);
