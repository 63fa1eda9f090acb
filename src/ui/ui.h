/* ui.h: the ncurses terminal UI. Only this layer includes curses. */
#pragma once

#include <glib.h>

/* Takes over the terminal and subscribes to core's events. */
gboolean ui_init(GError **error);
/* Gives the terminal back as it was. */
void ui_shutdown(void);

/* "ncurses 6.4.20221231", for --version. */
const char *ui_library_version(void);
