/* pane.h: side panes next to the buffer view. A pane is a list of rows
 * (text, style, indent, and what Enter on it runs) that a source computes
 * for the current buffer; pane.c lays it out at the right of the view and
 * draws it. Sources: the roster (rosterpane.c) and, in room windows, the
 * occupants (occupantpane.c, registered first so it wins there). A
 * source's model events redraw it with ui_mark_dirty(DIRTY_PANE). Only
 * the rows that show are made; those above (the pane scrolled) and below
 * are counted, for the "(N above)" and "(+N more)" rows.
 *
 * The pane can take the keyboard (F2 or Alt-P): the arrows, Page Up and
 * Down, Home and End move a selection and scroll, a letter jumps to the
 * next entry that starts with it, Enter runs the entry's command (opens
 * the chat, or the private chat with an occupant), Esc gives the keys
 * back to the input line. */
#pragma once

#include <glib.h>

#include "core/buffer.h"
#include "ui/style.h"

typedef struct {
    char *text; /* owned by the row; safe to draw (sanitised) */
    Style style;
    int indent;    /* columns before the text */
    char *command; /* owned: what Enter on the row runs, or NULL */
} PaneRow;

/* The rows a source gives the pane: only as many as the pane can show are
 * made; the others are only counted, so that a source with thousands of
 * entries (a big room, a big roster) costs what is on screen. */
typedef struct {
    GArray *shown; /* PaneRow */
    guint room;    /* rows the pane can show */
    guint total;   /* rows the source has, shown or not */
    guint skip;    /* rows above the first shown (the pane scrolled) */
} PaneRows;

typedef struct {
    const char *name;
    /* Whether this pane shows next to BUFFER, and how many columns wide
     * (the separator not counted). */
    gboolean (*visible)(const Buffer *buffer, int *width);
    /* Adds the rows for BUFFER to ROWS with pane_add_row(), or counts
     * them with pane_skip_rows() once pane_full() says none more shows. */
    void (*rows)(const Buffer *buffer, PaneRows *rows);
} PaneSource;

/* Adds SOURCE; the first registered source visible for a buffer is the
 * one drawn. */
void pane_register(const PaneSource *source);
void panes_shutdown(void);

/* A pane row with a copy of TEXT (sanitised here, as it may come from the
 * network), or only counted when the pane is full. */
void pane_add_row(PaneRows *rows, const char *text, Style style, int indent);
/* A row that Enter acts on: COMMAND is a command line ("/msg ..."). */
void pane_add_item(PaneRows *rows, const char *text, Style style, int indent,
                   const char *command);
/* How many of the next rows are above the pane's first: a source may
 * count them with pane_skip_rows() instead of making them. */
guint pane_to_skip(const PaneRows *rows);
/* Whether no more rows show: the rest need only be counted. */
gboolean pane_full(const PaneRows *rows);
/* Counts N rows that will not be shown. */
void pane_skip_rows(PaneRows *rows, guint n);

/* Columns the pane takes from the view for BUFFER at the current terminal
 * width, separator included; 0 when none is shown (none visible, or the
 * terminal is too narrow to give one room). */
int pane_width(const Buffer *buffer);

/* Draws the pane of BUFFER in rows TOP .. TOP + HEIGHT - 1. */
void pane_draw(const Buffer *buffer, int top, int height);

/* The pane takes the keys, or gives them back; FALSE (and nothing
 * changes) when no pane is shown. */
gboolean pane_focus(gboolean on);
gboolean pane_focused(void);
/* A key while the pane has the keys: its keymap NAME ("up", "enter"...)
 * or, for a character, CH. FALSE when the pane does nothing with it. */
gboolean pane_key(const char *name, gunichar ch);
