/* style.h: named looks for every element the UI draws, and the formats
 * times and dates are written with. Drawing code asks for a style or a
 * format by name; it never picks colours or formats itself. */
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
    STYLE_MARKER,     /* the unread marker line */
    STYLE_DAY_CHANGE, /* the row above the first line of a day */
    STYLE_HIGHLIGHT,  /* the nick of a room message that mentions us */
    STYLE_PANE_SEPARATOR,
    STYLE_ROSTER_GROUP, /* group names and the pane's title */
    STYLE_ROSTER_ONLINE,
    STYLE_ROSTER_AWAY, /* away and xa */
    STYLE_ROSTER_DND,
    STYLE_ROSTER_OFFLINE,
    STYLE_COUNT
} Style;

/* The formats of a theme's [formats] group. */
typedef enum {
    FORMAT_TIME,       /* a line's time, under the day row of its day */
    FORMAT_TIME_DATED, /* the time of a line older than its neighbours */
    FORMAT_DAY_CHANGE, /* the row above the first line of a day */
    FORMAT_COUNT
} ThemeFormat;

/* Sets up colours when the terminal has them and NO_COLOR is not set,
 * with the "default" theme. A broken theme file leaves the built-in looks
 * and returns FALSE with ERROR saying why. */
gboolean style_init(GError **error);
void style_shutdown(void);

/* Loads theme NAME (core/themes.h finds its file) over the built-in looks
 * and applies it; all or nothing. The caller redraws. */
gboolean style_load(const char *name, GError **error);
/* The built-in looks, without any file. */
void style_load_builtin(void);
/* The name of the theme in use. */
const char *style_theme_name(void);
/* For /theme show: see ThemeLoader.describe in core/themes.h. */
GPtrArray *style_describe(char **name, char **file);
attr_t style_attr(Style style);

/* The look of NICK in a room: nick.peer's attributes in the colour
 * XEP-0392 gives NICK, nearest in the terminal's palette; nick.peer as
 * it is without colours (NO_COLOR) or with the setting nick_colours
 * off. */
attr_t style_nick_attr(const char *nick);

/* The theme's text for FORMAT (its own or the built-in one). */
const char *style_format(ThemeFormat format);
