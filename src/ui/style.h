/* style.h: named looks for every element the UI draws. Drawing code asks
 * for a style by name; it never picks colours itself. */
#pragma once

#include <curses.h>
#include <glib.h>

typedef enum {
    STYLE_DEFAULT,
    STYLE_TITLE,
    STYLE_STATUS,
    STYLE_TIME,
    STYLE_NICK_OWN,
    STYLE_NICK_PEER,
    STYLE_INFO,
    STYLE_ERROR,
    STYLE_PROMPT,
    STYLE_ACTIVITY_EVENT,
    STYLE_ACTIVITY_MESSAGE,
    STYLE_ACTIVITY_HIGHLIGHT,
    STYLE_MORE,
    STYLE_MARKER, /* the unread marker line */
    STYLE_COUNT
} Style;

/* Sets up colours when the terminal has them and NO_COLOR is not set,
 * from the "default" theme file when there is one. A broken theme file
 * leaves the built-in looks and returns FALSE with ERROR saying why. */
gboolean style_init(GError **error);
attr_t style_attr(Style style);
