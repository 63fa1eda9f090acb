/* theme.h: theme files. A theme is a GKeyFile whose [styles] group gives
 * each named style a look: "FG[,BG][,ATTRIBUTE...]", colours by name
 * (black red green yellow blue magenta cyan white, bright-*), number
 * (0-255) or "default", attributes bold dim italic underline reverse.
 * Its [formats] group gives the texts natter writes times and dates
 * with (strftime conversions, as g_date_time_format() knows them).
 * Parsing is pure (no curses) so it is unit-tested; style.c applies it. */
#pragma once

#include <glib.h>

#include "ui/style.h"

enum {
    THEME_BOLD = 1 << 0,
    THEME_DIM = 1 << 1,
    THEME_ITALIC = 1 << 2,
    THEME_UNDERLINE = 1 << 3,
    THEME_REVERSE = 1 << 4,
};

typedef struct {
    short fg; /* -1: the terminal's default */
    short bg;
    guint attrs; /* THEME_* */
} ThemeStyle;

/* The key of STYLE in theme files, e.g. "nick.own". */
const char *theme_style_name(Style style);

/* The key of FORMAT in theme files, e.g. "day.change", and the text
 * natter uses when no theme names it. */
const char *theme_format_name(ThemeFormat format);
const char *theme_format_builtin(ThemeFormat format);

/* Whether VALUE is a usable format: it writes some text for a date and
 * has no control characters. */
gboolean theme_check_format(const char *value, GError **error);

gboolean theme_parse_style(const char *spec, ThemeStyle *out, GError **error);

/* Reads FILE and overrides the entries of STYLES and FORMATS (owned
 * strings, replaced) it names. Unknown names and bad values are errors
 * that name the file, key and value; then nothing is changed. */
gboolean theme_load_file(const char *file, ThemeStyle styles[STYLE_COUNT],
                         char *formats[FORMAT_COUNT], GError **error);

/* SPEC, a list of colours ("red, blue, 33"), as terminal colour numbers:
 * the colours a theme lets nicks take ([nicks] palette). */
gboolean theme_parse_palette(const char *spec, GArray **colours,
                             GError **error);

/* The [nicks] palette of FILE into *COLOURS (shorts), NULL when the theme
 * names none (nicks then take any colour of the terminal's). */
gboolean theme_load_palette(const char *file, GArray **colours, GError **error);

/* STYLE written back as a theme file value; caller frees. */
char *theme_style_format(const ThemeStyle *style);
