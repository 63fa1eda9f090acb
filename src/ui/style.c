/* style.c: see style.h. The built-in looks below are what natter uses when
 * no theme file is found; the shipped themes/default.theme spells out the
 * same, for users to copy. Colours use the terminal's default background,
 * so natter looks right on dark and light terminals alike; on monochrome
 * terminals (or with NO_COLOR) only the attributes remain. */
#include "ui/style.h"

#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "core/themes.h"
#include "ui/theme.h"
#include "util/error.h"
#include "util/nickcolour.h"

static const ThemeStyle builtin[STYLE_COUNT] = {
    [STYLE_DEFAULT] = {-1, -1, 0},
    [STYLE_TITLE] = {COLOR_WHITE, COLOR_BLUE, 0},
    [STYLE_STATUS] = {COLOR_WHITE, COLOR_BLUE, 0},
    [STYLE_TIME] = {COLOR_CYAN, -1, 0},
    [STYLE_NICK_OWN] = {COLOR_GREEN, -1, THEME_BOLD},
    [STYLE_NICK_PEER] = {COLOR_YELLOW, -1, THEME_BOLD},
    [STYLE_INFO] = {COLOR_CYAN, -1, 0},
    [STYLE_ERROR] = {COLOR_RED, -1, THEME_BOLD},
    [STYLE_PROMPT] = {COLOR_CYAN, -1, THEME_BOLD},
    [STYLE_ACTIVITY_EVENT] = {COLOR_WHITE, COLOR_BLUE, 0},
    [STYLE_ACTIVITY_MESSAGE] = {COLOR_YELLOW, COLOR_BLUE, THEME_BOLD},
    [STYLE_ACTIVITY_HIGHLIGHT] = {COLOR_MAGENTA, COLOR_WHITE, THEME_BOLD},
    [STYLE_MORE] = {COLOR_BLACK, COLOR_YELLOW, THEME_BOLD},
    [STYLE_MARKER] = {COLOR_RED, -1, 0},
    [STYLE_DAY_CHANGE] = {COLOR_CYAN, -1, THEME_BOLD},
    [STYLE_HIGHLIGHT] = {COLOR_MAGENTA, -1, THEME_BOLD | THEME_REVERSE},
    [STYLE_PANE_SEPARATOR] = {COLOR_BLUE, -1, 0},
    [STYLE_ROSTER_GROUP] = {COLOR_CYAN, -1, THEME_BOLD},
    [STYLE_ROSTER_ONLINE] = {COLOR_GREEN, -1, 0},
    [STYLE_ROSTER_AWAY] = {COLOR_YELLOW, -1, 0},
    [STYLE_ROSTER_DND] = {COLOR_RED, -1, 0},
    [STYLE_ROSTER_OFFLINE] = {-1, -1, THEME_DIM},
};

/* Without colours, bars are told apart by reverse video. */
static const guint mono_extra[STYLE_COUNT] = {
    [STYLE_TITLE] = THEME_REVERSE,
    [STYLE_STATUS] = THEME_REVERSE,
    [STYLE_ACTIVITY_EVENT] = THEME_REVERSE,
    [STYLE_ACTIVITY_MESSAGE] = THEME_REVERSE,
    [STYLE_ACTIVITY_HIGHLIGHT] = THEME_UNDERLINE,
    [STYLE_MORE] = THEME_REVERSE,
    [STYLE_HIGHLIGHT] = THEME_REVERSE,
};

static attr_t attrs[STYLE_COUNT];
static gboolean colour;
static ThemeStyle current[STYLE_COUNT];
static char *current_formats[FORMAT_COUNT]; /* NULL: the built-in one */
static char *current_name;
static char *current_file; /* NULL: the built-in looks */

static attr_t curses_attrs(guint flags)
{
    attr_t a = A_NORMAL;
    if (flags & THEME_BOLD)
        a |= A_BOLD;
    if (flags & THEME_DIM)
        a |= A_DIM;
    if (flags & THEME_ITALIC)
        a |= A_ITALIC;
    if (flags & THEME_UNDERLINE)
        a |= A_UNDERLINE;
    if (flags & THEME_REVERSE)
        a |= A_REVERSE;
    return a;
}

/* A colour the terminal has: bright and 256-colour indexes fold down to
 * the basic eight on terminals with fewer. */
static short usable(short colour)
{
    return colour < 0 || colour < COLORS ? colour : (short)(colour % 8);
}

static void apply(const ThemeStyle styles[STYLE_COUNT])
{
    for (int i = 0; i < STYLE_COUNT; i++) {
        attrs[i] = curses_attrs(styles[i].attrs);
        if (!colour) {
            attrs[i] |= curses_attrs(mono_extra[i]);
        } else if (styles[i].fg != -1 || styles[i].bg != -1) {
            init_pair((short)(i + 1), usable(styles[i].fg),
                      usable(styles[i].bg));
            attrs[i] |= COLOR_PAIR(i + 1);
        }
    }
}

static void clear_formats(void)
{
    for (int i = 0; i < FORMAT_COUNT; i++)
        g_clear_pointer(&current_formats[i], g_free);
}

/* Nick colours: a palette by hue (the theme's [nicks] palette, or the
 * terminal's colours), and one colour pair per terminal colour, made when
 * first used, after the styles' pairs. */
static NickPalette *palette;
static short palette_colours[256]; /* terminal colour of each entry */
static short colour_pairs[256];    /* terminal colour -> pair, 0: none */
static short next_pair = STYLE_COUNT + 1;

/* Terminal colour C as xterm shows it. */
static NickColourRgb terminal_rgb(short c)
{
    static const guint8 basic[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255}};
    static const int level[] = {0, 95, 135, 175, 215, 255};
    if (c < 16)
        return (NickColourRgb){basic[c][0] / 255.0, basic[c][1] / 255.0,
                               basic[c][2] / 255.0};
    if (c < 232) {
        int i = c - 16;
        return (NickColourRgb){level[i / 36] / 255.0, level[i / 6 % 6] / 255.0,
                               level[i % 6] / 255.0};
    }
    double grey = (8 + 10 * (c - 232)) / 255.0;
    return (NickColourRgb){grey, grey, grey};
}

/* The palette nicks take their colours from: CHOSEN (a theme's, terminal
 * colour numbers; those the terminal lacks are left out), or else the
 * 6x6x6 cube of 256-colour terminals, or the six colours of eight-colour
 * ones (black and white are greys). */
static void palette_init(const GArray *chosen)
{
    g_clear_pointer(&palette, nickpalette_free);
    NickColourRgb rgb[256];
    guint n = 0;
    if (chosen) {
        for (guint i = 0; i < chosen->len && n < 256; i++) {
            short c = g_array_index(chosen, short, i);
            if (c >= COLORS)
                continue;
            rgb[n] = terminal_rgb(c);
            palette_colours[n++] = c;
        }
    } else if (COLORS >= 256) {
        for (short c = 16; c < 232; c++, n++) {
            rgb[n] = terminal_rgb(c);
            palette_colours[n] = c;
        }
    } else {
        for (short c = COLOR_RED; c <= COLOR_CYAN; c++, n++) {
            rgb[n] = terminal_rgb(c);
            palette_colours[n] = c;
        }
    }
    palette = nickpalette_new(rgb, n);
}

gboolean style_load(const char *name, GError **error)
{
    ThemeStyle styles[STYLE_COUNT];
    memcpy(styles, builtin, sizeof styles);
    char *formats[FORMAT_COUNT] = {NULL};
    g_autofree char *file = themes_find(name);
    /* "default" without a file is the built-in looks it spells out. */
    if (!file && strcmp(name, "default") != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "there is no theme '%s' (/theme list shows them)", name);
        return FALSE;
    }
    g_autoptr(GArray) nick_palette = NULL;
    if (file && (!theme_load_file(file, styles, formats, error) ||
                 !theme_load_palette(file, &nick_palette, error))) {
        for (int i = 0; i < FORMAT_COUNT; i++)
            g_free(formats[i]);
        return FALSE;
    }
    if (colour)
        palette_init(nick_palette);
    memcpy(current, styles, sizeof current);
    clear_formats();
    memcpy(current_formats, formats, sizeof current_formats);
    g_free(current_name);
    current_name = g_strdup(name);
    g_free(current_file);
    current_file = g_steal_pointer(&file);
    apply(current);
    return TRUE;
}

const char *style_theme_name(void)
{
    return current_name;
}

GPtrArray *style_describe(char **name, char **file)
{
    *name = g_strdup(current_name);
    *file = g_strdup(current_file);
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < STYLE_COUNT; i++) {
        g_autofree char *spec = theme_style_format(&current[i]);
        g_ptr_array_add(
            lines,
            g_strdup_printf("%s = %s", theme_style_name((Style)i), spec));
    }
    for (int i = 0; i < FORMAT_COUNT; i++)
        g_ptr_array_add(lines,
                        g_strdup_printf("format %s = %s",
                                        theme_format_name((ThemeFormat)i),
                                        style_format((ThemeFormat)i)));
    return lines;
}

attr_t style_nick_attr(const char *nick)
{
    attr_t base = attrs[STYLE_NICK_PEER];
    const char *mode = settings_get_string("nick_colours");
    if (!palette || !nick || g_strcmp0(mode, "off") == 0)
        return base;
    NickColourCvd cvd = g_strcmp0(mode, "red-green") == 0
                            ? NICKCOLOUR_CVD_RED_GREEN
                        : g_strcmp0(mode, "blue") == 0 ? NICKCOLOUR_CVD_BLUE
                                                       : NICKCOLOUR_CVD_NONE;
    int i = nickpalette_closest(palette, nickcolour_angle(nick, cvd));
    if (i < 0)
        return base;
    short c = palette_colours[i];
    if (!colour_pairs[c]) {
        if (next_pair >= MIN(COLOR_PAIRS, 256))
            return base;
        init_pair(next_pair, c, -1);
        colour_pairs[c] = next_pair++;
    }
    return (base & ~A_COLOR) | COLOR_PAIR(colour_pairs[c]);
}

gboolean style_init(GError **error)
{
    const char *no_color = getenv("NO_COLOR");
    colour = has_colors() && !(no_color && *no_color);
    if (colour) {
        start_color();
        use_default_colors();
    }
    if (style_load("default", error))
        return TRUE;
    /* A broken default theme leaves natter usable. */
    style_load_builtin();
    return FALSE;
}

void style_load_builtin(void)
{
    memcpy(current, builtin, sizeof current);
    clear_formats();
    g_free(current_name);
    current_name = g_strdup("default");
    g_clear_pointer(&current_file, g_free);
    if (colour)
        palette_init(NULL);
    apply(current);
}

void style_shutdown(void)
{
    g_clear_pointer(&palette, nickpalette_free);
    memset(colour_pairs, 0, sizeof colour_pairs);
    next_pair = STYLE_COUNT + 1;
    clear_formats();
    g_clear_pointer(&current_name, g_free);
    g_clear_pointer(&current_file, g_free);
}

attr_t style_attr(Style style)
{
    return attrs[style];
}

const char *style_format(ThemeFormat format)
{
    return current_formats[format] ? current_formats[format]
                                   : theme_format_builtin(format);
}
