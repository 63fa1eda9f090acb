/* pane.c: see pane.h. */
#include "ui/pane.h"

#include <curses.h>
#include <string.h>

#include "ui/ui_internal.h"
#include "util/sanitize.h"

/* The view keeps at least this many columns: on a narrow terminal the
 * pane gives way, so a 40-column screen stays a chat. */
#define VIEW_MIN_COLS 30

static GPtrArray *sources; /* const PaneSource * */

void pane_register(const PaneSource *source)
{
    if (!sources)
        sources = g_ptr_array_new();
    g_ptr_array_add(sources, (gpointer)source);
}

void panes_shutdown(void)
{
    g_clear_pointer(&sources, g_ptr_array_unref);
}

static void clear_row(gpointer data)
{
    g_free(((PaneRow *)data)->text);
}

gboolean pane_full(const PaneRows *rows)
{
    return rows->shown->len >= rows->room;
}

void pane_add_row(PaneRows *rows, const char *text, Style style, int indent)
{
    rows->total++;
    if (pane_full(rows))
        return;
    PaneRow row = {text_sanitize(text, -1, SANITIZE_LINE), style, indent};
    g_array_append_val(rows->shown, row);
}

void pane_skip_rows(PaneRows *rows, guint n)
{
    rows->total += n;
}

static const PaneSource *shown_source(const Buffer *buffer, int *width)
{
    for (guint i = 0; sources && i < sources->len; i++) {
        const PaneSource *s = g_ptr_array_index(sources, i);
        if (s->visible(buffer, width))
            return s;
    }
    return NULL;
}

int pane_width(const Buffer *buffer)
{
    int width = 0;
    if (!shown_source(buffer, &width) || width < 1 ||
        COLS - width - 1 < VIEW_MIN_COLS)
        return 0;
    return width + 1;
}

void pane_draw(const Buffer *buffer, int top, int height)
{
    int width = pane_width(buffer);
    int dummy;
    const PaneSource *source = shown_source(buffer, &dummy);
    if (!width || !source)
        return;
    int x0 = COLS - width;
    g_autoptr(GArray) shown = g_array_new(FALSE, TRUE, sizeof(PaneRow));
    g_array_set_clear_func(shown, clear_row);
    PaneRows rows = {shown, (guint)MAX(height, 0), 0};
    source->rows(buffer, &rows);
    for (int y = 0; y < height; y++) {
        move(top + y, x0);
        attrset(style_attr(STYLE_PANE_SEPARATOR));
        addch(ACS_VLINE);
        attrset(A_NORMAL);
        clrtoeol();
        if ((guint)y >= shown->len)
            continue;
        const PaneRow *row = &g_array_index(shown, PaneRow, y);
        /* The last row says how many did not fit. */
        if (y == height - 1 && rows.total > (guint)height) {
            g_autofree char *more =
                g_strdup_printf("(+%u more)", rows.total - (guint)height + 1);
            move(top + y, x0 + 1);
            draw_put(more, width - 1, style_attr(STYLE_INFO));
            continue;
        }
        int indent = MIN(row->indent, width - 2);
        move(top + y, x0 + 1 + indent);
        draw_put(row->text, width - 1 - indent, style_attr(row->style));
    }
}
