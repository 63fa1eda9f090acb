/* style.c: see style.h. Colours use the terminal's default background so
 * natter looks right on dark and light terminals alike; without colours,
 * attributes (bold, reverse) keep the elements apart. */
#include "ui/style.h"

#include <glib.h>
#include <stdlib.h>

typedef struct {
    short fg; /* -1: the terminal's default */
    short bg;
    attr_t extra; /* added with or without colours */
    attr_t mono;  /* used instead of colour on monochrome terminals */
} StyleDef;

static const StyleDef defs[STYLE_COUNT] = {
    [STYLE_DEFAULT] = {-1, -1, A_NORMAL, A_NORMAL},
    [STYLE_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
    [STYLE_STATUS] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
    [STYLE_TIME] = {COLOR_CYAN, -1, A_NORMAL, A_DIM},
    [STYLE_NICK_OWN] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [STYLE_NICK_PEER] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [STYLE_INFO] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [STYLE_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [STYLE_PROMPT] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [STYLE_ACTIVITY_EVENT] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
    [STYLE_ACTIVITY_MESSAGE] = {COLOR_YELLOW, COLOR_BLUE, A_BOLD,
                                A_REVERSE | A_BOLD},
    [STYLE_ACTIVITY_HIGHLIGHT] = {COLOR_MAGENTA, COLOR_WHITE, A_BOLD,
                                  A_BOLD | A_UNDERLINE},
    [STYLE_MORE] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
};

static attr_t attrs[STYLE_COUNT];

void style_init(void)
{
    const char *no_color = getenv("NO_COLOR");
    gboolean colour = has_colors() && !(no_color && *no_color);
    if (colour) {
        start_color();
        use_default_colors();
    }
    for (int i = 0; i < STYLE_COUNT; i++) {
        if (!colour) {
            attrs[i] = defs[i].mono;
            continue;
        }
        if (defs[i].fg == -1 && defs[i].bg == -1) {
            attrs[i] = defs[i].extra;
            continue;
        }
        init_pair((short)i, defs[i].fg, defs[i].bg);
        attrs[i] = COLOR_PAIR(i) | defs[i].extra;
    }
}

attr_t style_attr(Style style)
{
    return attrs[style];
}
