/* ui_internal.h: state shared by the files of ui/. Not for other layers. */
#pragma once

#include <curses.h>
#include <glib.h>

#include "core/buffer.h"
#include "ui/inputline.h"

/* Parts of the screen that need drawing again. */
typedef enum {
    DIRTY_TITLE = 1 << 0,
    DIRTY_VIEW = 1 << 1,
    DIRTY_STATUS = 1 << 2,
    DIRTY_INPUT = 1 << 3,
    DIRTY_PANE = 1 << 4, /* the side pane (roster, occupants) */
    DIRTY_ALL = 0x1F,
} Dirty;

typedef struct {
    InputLine *input;
    char *question;     /* an open prompt's question, or NULL */
    gboolean secret;    /* the prompt's answer is not shown */
    GHashTable *scroll; /* Buffer * -> rows scrolled up (GUINT) */
    /* Buffer * -> where unread text begins (guint64 *): the absolute
     * index (lines_dropped + index) of the first line the user has not
     * seen, set when they leave the window or when the first line arrives
     * in a window never looked at. Drawn as a marker line above it. */
    GHashTable *marker;
    gboolean more_below; /* the current view is scrolled up */
    /* Buffer * -> the /search match last brought into view (gint64 *):
     * a new match scrolls the view to it once. */
    GHashTable *revealed;
} Ui;

extern Ui ui;

/* Schedules a redraw of WHAT; several marks before the next frame cost one
 * redraw. */
void ui_mark_dirty(guint what);

/* draw.c */
void draw_screen(guint what);
/* Rows of the buffer view (for paging). */
int draw_view_height(void);

/* Writes TEXT in at most MAX columns at the cursor; returns the columns
 * used. */
int draw_put(const char *text, int max, attr_t attr);

/* Rows line INDEX of BUFFER takes in the view at the current width, with
 * the day row above it if it has one. */
guint draw_line_rows(const Buffer *buffer, guint index);

/* keys.c: looks up the terminal's extended keys; handles one key read by
 * wget_wch. */
void keys_init(void);
void keys_shutdown(void);
void keys_handle(int status, wint_t key);

/* The absolute index of BUFFER's first unread line; FALSE when there is
 * no marker. */
gboolean ui_marker(const Buffer *buffer, guint64 *index);

/* Gives the terminal to another program (the editor): curses steps back,
 * keys are not read and nothing is drawn until ui_resume(). */
void ui_suspend(void);
void ui_resume(void);

/* termcheck.c: FALSE when terminfo says the terminal cannot put the
 * cursor anywhere (TERM=dumb); TRUE when it can, or cannot tell. */
gboolean ui_terminal_moves_cursor(void);

/* Scrolls the current buffer's view up by ROWS (down when negative). */
void ui_scroll(int rows);
/* To the oldest line of the current buffer, its history loaded first (up
 * to the scrollback setting's lines), and back to BUFFER's newest. */
void ui_scroll_top(void);
void ui_scroll_bottom(Buffer *buffer);
