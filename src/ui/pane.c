/* pane.c: see pane.h. */
#include "ui/pane.h"

#include <curses.h>
#include <string.h>

#include "command/command.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"

/* The view keeps at least this many columns: on a narrow terminal the
 * pane gives way, so a 40-column screen stays a chat. */
#define VIEW_MIN_COLS 30

static GPtrArray *sources; /* const PaneSource * */

/* The keyboard in the pane: the selected row and the first row shown, as
 * indexes into all the source's rows. Both follow the window: a new
 * window starts at the top. */
static struct {
    gboolean focused;
    const Buffer *buffer;
    guint top;
    guint selected;
} nav;

void pane_register(const PaneSource *source)
{
    if (!sources)
        sources = g_ptr_array_new();
    g_ptr_array_add(sources, (gpointer)source);
}

void panes_shutdown(void)
{
    g_clear_pointer(&sources, g_ptr_array_unref);
    memset(&nav, 0, sizeof nav);
}

static void clear_row(gpointer data)
{
    PaneRow *row = data;
    g_free(row->text);
    g_free(row->command);
}

gboolean pane_full(const PaneRows *rows)
{
    return rows->shown->len >= rows->room;
}

guint pane_to_skip(const PaneRows *rows)
{
    return rows->total < rows->skip ? rows->skip - rows->total : 0;
}

void pane_add_item(PaneRows *rows, const char *text, Style style, int indent,
                   const char *command)
{
    rows->total++;
    if (rows->total <= rows->skip || pane_full(rows))
        return;
    PaneRow row = {text_sanitize(text, -1, SANITIZE_LINE), style, indent,
                   g_strdup(command)};
    g_array_append_val(rows->shown, row);
}

void pane_add_row(PaneRows *rows, const char *text, Style style, int indent)
{
    pane_add_item(rows, text, style, indent, NULL);
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

/* The rows of BUFFER's pane from SKIP on, at most ROOM (caller frees). */
static GArray *collect(const Buffer *buffer, guint skip, guint room,
                       guint *total)
{
    GArray *shown = g_array_new(FALSE, TRUE, sizeof(PaneRow));
    g_array_set_clear_func(shown, clear_row);
    int width;
    const PaneSource *source = shown_source(buffer, &width);
    PaneRows rows = {shown, room, 0, skip};
    if (source)
        source->rows(buffer, &rows);
    *total = rows.total;
    return shown;
}

/* A new window, or the pane gone: the keys go back to the input line. */
static void follow_window(const Buffer *buffer)
{
    if (nav.buffer == buffer)
        return;
    nav.buffer = buffer;
    nav.top = 0;
    nav.selected = 0;
    nav.focused = FALSE;
}

/* Moves the first row shown so that the selection is on screen, between
 * the "(N above)" and "(+N more)" rows. */
static void keep_selection_shown(guint total, guint height)
{
    if (total == 0 || height < 3)
        return;
    nav.selected = MIN(nav.selected, total - 1);
    if (nav.selected < nav.top + (nav.top ? 1 : 0))
        nav.top = nav.selected ? nav.selected - 1 : 0;
    else if (nav.selected + 1 >= nav.top + height && nav.top + height < total)
        nav.top = nav.selected + 2 - height;
    if (nav.top && nav.top + height > total) /* no empty rows at the end */
        nav.top = total > height ? total - height : 0;
}

void pane_draw(const Buffer *buffer, int top, int height)
{
    follow_window(buffer);
    int width = pane_width(buffer);
    if (!width) {
        nav.focused = FALSE;
        return;
    }
    int x0 = COLS - width;
    guint total = 0;
    g_autoptr(GArray) shown = collect(buffer, nav.top, (guint)height, &total);
    guint old_top = nav.top;
    keep_selection_shown(total, (guint)height);
    if (nav.top != old_top) {
        g_array_unref(shown);
        shown = collect(buffer, nav.top, (guint)height, &total);
    }
    for (int y = 0; y < height; y++) {
        move(top + y, x0);
        attrset(style_attr(STYLE_PANE_SEPARATOR));
        addch(ACS_VLINE);
        attrset(A_NORMAL);
        clrtoeol();
        if ((guint)y >= shown->len)
            continue;
        const PaneRow *row = &g_array_index(shown, PaneRow, y);
        guint index = nav.top + (guint)y;
        /* The first row says how many are above, the last how many did
         * not fit below. */
        g_autofree char *more = NULL;
        if (y == 0 && nav.top > 0)
            more = g_strdup_printf("(%u above)", nav.top + 1);
        else if (y == height - 1 && total > nav.top + (guint)height)
            more = g_strdup_printf("(+%u more)",
                                   total - nav.top - (guint)height + 1);
        if (more) {
            move(top + y, x0 + 1);
            draw_put(more, width - 1, style_attr(STYLE_INFO));
            continue;
        }
        int indent = MIN(row->indent, width - 2);
        move(top + y, x0 + 1 + indent);
        attr_t attr = style_attr(row->style);
        if (nav.focused && index == nav.selected)
            attr ^= A_REVERSE;
        draw_put(row->text, width - 1 - indent, attr);
    }
}

gboolean pane_focus(gboolean on)
{
    Buffer *b = buffer_current();
    follow_window(b);
    if (on && !pane_width(b))
        return FALSE;
    nav.focused = on;
    ui_mark_dirty(DIRTY_PANE | DIRTY_STATUS);
    return TRUE;
}

gboolean pane_focused(void)
{
    return nav.focused && nav.buffer == buffer_current();
}

/* The first letter or digit of TEXT, folded, or 0. */
static gunichar initial(const char *text)
{
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalnum(c))
            return g_unichar_tolower(c);
    }
    return 0;
}

/* The next entry after the selection (wrapping) whose text begins with
 * CH; FALSE when there is none. */
static gboolean jump_to(const Buffer *buffer, gunichar ch)
{
    guint total = 0;
    g_autoptr(GArray) all = collect(buffer, 0, G_MAXUINT, &total);
    gunichar want = g_unichar_tolower(ch);
    for (guint step = 1; step <= all->len; step++) {
        guint i = (nav.selected + step) % all->len;
        const PaneRow *row = &g_array_index(all, PaneRow, i);
        if (row->command && initial(row->text) == want) {
            nav.selected = i;
            return TRUE;
        }
    }
    return FALSE;
}

/* Enter: the selected row's command, with the keys back on the input
 * line (where the chat it opens is typed in). */
static void run_selected(Buffer *buffer)
{
    guint total = 0;
    g_autoptr(GArray) one = collect(buffer, nav.selected, 1, &total);
    const PaneRow *row = one->len ? &g_array_index(one, PaneRow, 0) : NULL;
    if (!row || !row->command) {
        beep();
        return;
    }
    g_autofree char *command = g_strdup(row->command);
    pane_focus(FALSE);
    command_run(buffer, command);
}

gboolean pane_key(const char *name, gunichar ch)
{
    Buffer *b = buffer_current();
    guint page = (guint)MAX(draw_view_height() - 2, 1);
    if (!name) {
        if (!jump_to(b, ch))
            beep();
    } else if (strcmp(name, "up") == 0) {
        nav.selected -= nav.selected > 0;
    } else if (strcmp(name, "down") == 0) {
        nav.selected++; /* kept below the total when drawn */
    } else if (strcmp(name, "pageup") == 0) {
        nav.selected = nav.selected > page ? nav.selected - page : 0;
    } else if (strcmp(name, "pagedown") == 0) {
        nav.selected += page;
    } else if (strcmp(name, "home") == 0) {
        nav.selected = 0;
    } else if (strcmp(name, "end") == 0) {
        nav.selected = G_MAXUINT / 2;
    } else if (strcmp(name, "enter") == 0) {
        run_selected(b);
    } else if (strcmp(name, "escape") == 0) {
        pane_focus(FALSE);
    } else {
        return FALSE;
    }
    ui_mark_dirty(DIRTY_PANE);
    return TRUE;
}
