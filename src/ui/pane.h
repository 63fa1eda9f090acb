/* pane.h: side panes next to the buffer view. A pane is a list of rows
 * (text, style, indent) that a source computes for the current buffer;
 * pane.c lays it out at the right of the view and draws it. Sources: the
 * roster (rosterpane.c) and, in room windows, the occupants
 * (occupantpane.c, registered first so it wins there). A source's model
 * events redraw it with ui_mark_dirty(DIRTY_PANE). Only the rows that fit
 * are made; the rest are counted for the "(+N more)" row. */
#pragma once

#include <glib.h>

#include "core/buffer.h"
#include "ui/style.h"

typedef struct {
    char *text; /* owned by the row; safe to draw (sanitised) */
    Style style;
    int indent; /* columns before the text */
} PaneRow;

/* The rows a source gives the pane: only as many as the pane can show are
 * made; the others are only counted, so that a source with thousands of
 * entries (a big room, a big roster) costs what is on screen. */
typedef struct {
    GArray *shown; /* PaneRow */
    guint room;    /* rows the pane can show */
    guint total;   /* rows the source has, shown or not */
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
