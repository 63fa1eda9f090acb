/* draw.c: draws the screen from core's model: title bar, the current
 * buffer's lines (wrapped, indented under the text), status bar with each
 * account's state and the windows with activity, and the input line.
 * Every string drawn here was sanitised by the buffer model or is natter's
 * own text. */
#include <string.h>
#include <time.h>

#include "core/account.h"
#include "core/room.h"
#include "core/roster.h"
#include "ui/pane.h"
#include "ui/style.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/styling.h"
#include "util/textwidth.h"

typedef struct {
    const char *start; /* into the line's text, quote or reactions */
    gsize len;
    gboolean first; /* the row with the time and nick */
    enum { ROW_TEXT, ROW_QUOTE, ROW_REACTIONS } what;
} Row;

/* Writes TEXT in at most MAX columns; returns the columns used. */
static int put(const char *text, gsize len, int max, attr_t attr)
{
    if (max <= 0)
        return 0;
    gsize width = 0;
    gsize fit = text_prefix_for_width(text, (gssize)len, (gsize)max, &width);
    attrset(attr);
    addnstr(text, (int)fit);
    attrset(A_NORMAL);
    return (int)width;
}

int draw_put(const char *text, int max, attr_t attr)
{
    return put(text, strlen(text), max, attr);
}

/* Columns of the buffer view: the screen less the side pane. */
static int view_cols(void)
{
    return COLS - pane_width(buffer_current());
}

static void fill_row(int row, attr_t attr)
{
    move(row, 0);
    attrset(attr);
    for (int x = 0; x < COLS; x++)
        addch(' ');
    attrset(A_NORMAL);
    move(row, 0);
}

static void draw_title(void)
{
    Buffer *b = buffer_current();
    fill_row(0, style_attr(STYLE_TITLE));
    g_autofree char *title = NULL;
    if (b->kind == BUFFER_CHAT) {
        static const char *const doing[] = {
            [CHAT_STATE_COMPOSING] = " - typing...",
            [CHAT_STATE_PAUSED] = " - stopped typing",
            [CHAT_STATE_GONE] = " - has left the chat",
        };
        const char *state =
            b->peer_state < G_N_ELEMENTS(doing) && doing[b->peer_state]
                ? doing[b->peer_state]
                : "";
        /* The contact's presence, as the roster knows it; the status text
         * came from the network. */
        const RosterResource *best = roster_best_resource(b->account, b->peer);
        g_autofree char *status =
            best && best->status
                ? text_sanitize(best->status, -1, SANITIZE_LINE)
                : NULL;
        /* Only contacts share their presence with us. */
        g_autofree char *presence =
            roster_find_contact(b->account, b->peer) || best
                ? g_strdup_printf(
                      " [%s%s%s]",
                      presence_show_name(best ? best->show : PRESENCE_OFFLINE),
                      status ? ": " : "", status ? status : "")
                : g_strdup("");
        title = g_strdup_printf(" [%u] %s (account %s)%s%s", b->number, b->name,
                                b->account, presence, state);
    } else if (b->kind == BUFFER_ACCOUNT) {
        Account *a = account_find(b->account);
        title = g_strdup_printf(" [%u] %s: %s", b->number, b->name,
                                a ? account_state_name(a->state) : "removed");
    } else if (b->kind == BUFFER_ROOM) {
        /* Nick and topic come from the network: sanitised here. */
        Room *r = room_find(b->account, b->peer);
        g_autofree char *nick =
            r && r->nick ? text_sanitize(r->nick, -1, SANITIZE_LINE) : NULL;
        g_autofree char *topic =
            r && r->subject ? text_sanitize(r->subject, -1, SANITIZE_LINE)
                            : NULL;
        if (!r || r->state == ROOM_LEFT)
            title =
                g_strdup_printf(" [%u] %s (not joined)", b->number, b->name);
        else {
            guint n = g_hash_table_size(r->occupants);
            title =
                g_strdup_printf(" [%u] %s (%u occupant%s, you are %s)%s%s",
                                b->number, b->name, n, n == 1 ? "" : "s", nick,
                                topic ? " - " : "", topic ? topic : "");
        }
    } else if (b->kind == BUFFER_PRIVATE) {
        title = g_strdup_printf(" [%u] %s (private, in the room)", b->number,
                                b->name);
    } else if (b->kind == BUFFER_FORM) {
        title = g_strdup_printf(" [%u] %s (a form: /form set, /form "
                                "submit, /form cancel)",
                                b->number, b->name);
    } else if (b->kind == BUFFER_XMLCONSOLE) {
        title = g_strdup_printf(" [%u] XML console of account %s (passwords "
                                "hidden)",
                                b->number, b->account);
    } else {
        title = g_strdup_printf(" [%u] natter", b->number);
    }
    draw_put(title, COLS, style_attr(STYLE_TITLE));
}

static const char *line_marker(LineKind kind)
{
    return kind == LINE_ERROR ? "!! " : kind == LINE_INFO ? "-- " : NULL;
}

/* What a message shows after the nick: retracted or edited, and for our
 * own its delivery. */
static const char *delivery_mark(const BufferLine *line)
{
    if (line->retracted)
        return "(retracted) ";
    if (line->edited)
        return "(edited) ";
    if (line->kind != LINE_OUT)
        return "";
    switch (line->state) {
    case MESSAGE_PENDING:
        return "(pending) ";
    case MESSAGE_FAILED:
        return "(not delivered) ";
    case MESSAGE_DELIVERED:
        return "\u2713 "; /* check mark */
    case MESSAGE_READ:
        return "\u2713\u2713 ";
    default:
        return "";
    }
}

/* The width of the time and nick in front of a line's text. */
static int prefix_width(const BufferLine *line)
{
    const char *marker = line_marker(line->kind);
    int w = 6; /* "HH:MM " */
    if (marker)
        return w + 3;
    return w + 3 + (int)text_width(line->nick ? line->nick : "", -1) +
           (int)text_width(delivery_mark(line), -1);
}

/* Splits one '\n'-free segment into rows of at most WIDTH columns,
 * breaking at the last space that fits, or inside a word longer than a
 * row. */
static void wrap_segment(const char *text, gsize len, int width, GArray *rows,
                         gboolean first)
{
    const char *p = text;
    const char *end = text + len;
    do {
        gsize rest = end - p;
        gsize fit =
            text_prefix_for_width(p, (gssize)rest, (gsize)MAX(width, 1), NULL);
        if (fit == 0 && rest > 0) /* a character wider than the row */
            fit = g_utf8_next_char(p) - p;
        gsize take = fit;
        gsize skip = 0;
        if (fit < rest) {
            const char *space = g_strrstr_len(p, fit, " ");
            if (space && space > p) {
                take = space - p;
                skip = 1;
            }
        }
        Row row = {p, take, first, ROW_TEXT};
        g_array_append_val(rows, row);
        first = FALSE;
        p += take + skip;
    } while (p < end);
}

static void wrap_line(const BufferLine *line, int width, GArray *rows)
{
    int indent = MIN(prefix_width(line), width / 2);
    const char *p = line->text;
    gboolean first = TRUE;
    /* A reply shows what it answers first; reactions come under it. They
     * are cut to one row each. */
    if (line->quote) {
        Row row = {line->quote, strlen(line->quote), TRUE, ROW_QUOTE};
        g_array_append_val(rows, row);
        first = FALSE;
    }
    for (;;) {
        const char *nl = strchr(p, '\n');
        gsize len = nl ? (gsize)(nl - p) : strlen(p);
        wrap_segment(p, len, width - indent, rows, first);
        first = FALSE;
        if (!nl)
            break;
        p = nl + 1;
    }
    if (line->reactions) {
        Row row = {line->reactions, strlen(line->reactions), FALSE,
                   ROW_REACTIONS};
        g_array_append_val(rows, row);
    }
}

guint draw_line_rows(const BufferLine *line)
{
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(Row));
    wrap_line(line, view_cols(), rows);
    return rows->len;
}

static attr_t styling_attr(guint flags)
{
    attr_t a = A_NORMAL;
    if (flags & STYLING_STRONG)
        a |= A_BOLD;
#ifdef A_ITALIC
    if (flags & STYLING_EMPHASIS)
        a |= A_ITALIC;
#else
    if (flags & STYLING_EMPHASIS)
        a |= A_UNDERLINE;
#endif
    if (flags & STYLING_STRIKE)
        a |= A_DIM;
    if (flags & (STYLING_PRE | STYLING_QUOTE))
        a |= style_attr(STYLE_INFO);
    if (flags & STYLING_URL)
        a |= A_UNDERLINE;
    return a;
}

/* ROW of a message's TEXT with its styling (XEP-0393) and links marked;
 * returns the columns used. */
static int put_styled(const char *text, const Row *row, int max, attr_t attr)
{
    g_autoptr(GArray) runs = styling_parse(text, -1);
    gsize from = row->start - text;
    gsize to = from + row->len;
    int used = 0;
    for (guint i = 0; i < runs->len && used < max; i++) {
        const StylingRun *r = &g_array_index(runs, StylingRun, i);
        gsize start = MAX(r->start, from);
        gsize end = MIN(r->end, to);
        if (start >= end)
            continue;
        used += put(text + start, end - start, max - used,
                    attr | styling_attr(r->flags));
    }
    return used;
}

static void draw_row(int y, const BufferLine *line, const Row *row)
{
    int width = view_cols();
    int indent = MIN(prefix_width(line), width / 2);
    move(y, 0);
    int x = 0;
    if (row->first) {
        char hhmm[8];
        time_t t = (time_t)(line->time / G_USEC_PER_SEC);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(hhmm, sizeof hhmm, "%H:%M ", &tm);
        x += draw_put(hhmm, width - x, style_attr(STYLE_TIME));
        const char *marker = line_marker(line->kind);
        if (marker) {
            x += draw_put(marker, width - x,
                          style_attr(line->kind == LINE_ERROR ? STYLE_ERROR
                                                              : STYLE_INFO));
        } else {
            Style s = line->kind == LINE_OUT ? STYLE_NICK_OWN : STYLE_NICK_PEER;
            /* "/me waves" is an action: "* nick waves" (XEP-0245), as wide
             * as "<nick> " so the wrapping stays right. */
            gboolean action = row->what == ROW_TEXT &&
                              g_str_has_prefix(line->text, "/me ") &&
                              row->start == line->text;
            x += draw_put(action ? "* " : "<", width - x, A_NORMAL);
            x += draw_put(line->nick ? line->nick : "", width - x,
                          style_attr(s));
            x += draw_put(action ? " " : "> ", width - x, A_NORMAL);
            if (action) {
                x += draw_put(delivery_mark(line), width - x,
                              style_attr(STYLE_INFO));
                Row rest = *row;
                rest.start += 4;
                rest.len = rest.len >= 4 ? rest.len - 4 : 0;
                x += put_styled(line->text, &rest, width - x, A_NORMAL);
                return;
            }
            x += draw_put(delivery_mark(line), width - x,
                          style_attr(line->state == MESSAGE_FAILED
                                         ? STYLE_ERROR
                                         : STYLE_INFO));
        }
    }
    if (x < indent)
        move(y, indent);
    x = MAX(x, indent);
    attr_t attr = line->kind == LINE_ERROR ? style_attr(STYLE_ERROR) : A_NORMAL;
    if (line->history_id && line->history_id == buffer_current()->selected)
        attr |= A_REVERSE; /* the target of /reply, /react, /correct... */
    if (row->what != ROW_TEXT) {
        attr = style_attr(STYLE_INFO);
        x += draw_put(row->what == ROW_QUOTE ? "\u21aa " : "  [", width - x,
                      attr);
    }
    if (row->what == ROW_TEXT && line->kind != LINE_INFO &&
        line->kind != LINE_ERROR)
        x += put_styled(line->text, row, width - x, attr);
    else
        x += put(row->start, row->len, width - x, attr);
    if (row->what == ROW_REACTIONS)
        draw_put("]", width - x, attr);
}

int draw_view_height(void)
{
    return MAX(LINES - 3, 1);
}

typedef struct {
    const BufferLine *line; /* NULL: the unread marker */
    Row row;
} PlacedRow;

static void draw_marker(int y)
{
    move(y, 0);
    attr_t attr = style_attr(STYLE_MARKER);
    attrset(attr);
    for (int x = 0; x < view_cols(); x++)
        addch(ACS_HLINE);
    attrset(A_NORMAL);
    static const char label[] = " unread ";
    if (view_cols() > (int)sizeof label + 4) {
        move(y, 2);
        draw_put(label, view_cols() - 2, attr);
    }
}

static void draw_view(void)
{
    Buffer *b = buffer_current();
    int height = draw_view_height();
    guint scrolled = GPOINTER_TO_UINT(g_hash_table_lookup(ui.scroll, b));

    /* Collect rows from the newest line upwards until the screen (plus
     * what is scrolled away) is full. */
    g_autoptr(GArray) placed = g_array_new(FALSE, FALSE, sizeof(PlacedRow));
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(Row));
    guint need = (guint)height + scrolled;
    guint64 marker = 0;
    gboolean has_marker = ui_marker(b, &marker);
    for (guint i = b->lines->len; i-- > 0 && placed->len < need;) {
        const BufferLine *line = g_ptr_array_index(b->lines, i);
        g_array_set_size(rows, 0);
        wrap_line(line, view_cols(), rows);
        for (guint r = rows->len; r-- > 0 && placed->len < need;) {
            PlacedRow pr = {line, g_array_index(rows, Row, r)};
            g_array_append_val(placed, pr);
        }
        if (has_marker && b->lines_dropped + i == marker &&
            placed->len < need) {
            PlacedRow pr = {NULL, {NULL, 0, FALSE, ROW_TEXT}};
            g_array_append_val(placed, pr);
        }
    }
    /* Scrolled past the oldest line: stop at the top. */
    if (scrolled > 0 && placed->len < need) {
        guint max = placed->len > (guint)height ? placed->len - height : 0;
        scrolled = MIN(scrolled, max);
        g_hash_table_insert(ui.scroll, b, GUINT_TO_POINTER(scrolled));
    }
    ui.more_below = scrolled > 0;

    for (int y = 0; y < height; y++) {
        move(1 + y, 0);
        clrtoeol();
    }
    int y = height;
    for (guint i = scrolled; i < placed->len && y > 0; i++) {
        PlacedRow *pr = &g_array_index(placed, PlacedRow, i);
        y--;
        if (pr->line)
            draw_row(1 + y, pr->line, &pr->row);
        else
            draw_marker(1 + y);
    }
}

static Style activity_style(Activity a)
{
    switch (a) {
    case ACTIVITY_HIGHLIGHT:
        return STYLE_ACTIVITY_HIGHLIGHT;
    case ACTIVITY_MESSAGE:
        return STYLE_ACTIVITY_MESSAGE;
    case ACTIVITY_EVENT:
    case ACTIVITY_NONE:
        break;
    }
    return STYLE_ACTIVITY_EVENT;
}

static void draw_status(void)
{
    int row = LINES - 2;
    attr_t base = style_attr(STYLE_STATUS);
    fill_row(row, base);
    int x = 0;

    char hhmm[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(hhmm, sizeof hhmm, " [%H:%M]", &tm);
    x += draw_put(hhmm, COLS - x, base);

    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        g_autofree char *s =
            g_strdup_printf(" [%s: %s]", a->name, account_state_name(a->state));
        x += draw_put(s, COLS - x, base);
    }

    /* Windows with activity, most urgent first. */
    const GPtrArray *list = buffers_list();
    gboolean any = FALSE;
    for (int level = ACTIVITY_HIGHLIGHT; level > ACTIVITY_NONE; level--) {
        for (guint i = 0; i < list->len; i++) {
            Buffer *b = g_ptr_array_index(list, i);
            if ((int)b->activity != level)
                continue;
            x += draw_put(any ? "," : " [Act: ", COLS - x, base);
            g_autofree char *n = g_strdup_printf("%u", b->number);
            x += draw_put(n, COLS - x, style_attr(activity_style(b->activity)));
            any = TRUE;
        }
    }
    if (any)
        x += draw_put("]", COLS - x, base);
    if (ui.more_below)
        draw_put(" -- more below -- ", COLS - x, style_attr(STYLE_MORE));
}

/* Draws the input line, scrolled so that the cursor stays visible, and
 * leaves the terminal cursor there. */
static void draw_input(void)
{
    int row = LINES - 1;
    move(row, 0);
    clrtoeol();
    int x = 0;
    if (ui.question) {
        g_autofree char *q = text_sanitize(ui.question, -1, SANITIZE_LINE);
        x += draw_put(q, COLS / 2, style_attr(STYLE_PROMPT));
        if (ui.secret) {
            move(row, x);
            return;
        }
    } else {
        Buffer *b = buffer_current();
        g_autofree char *prompt = g_strdup_printf("[%s] ", b->name);
        x += draw_put(prompt, COLS / 3, style_attr(STYLE_PROMPT));
    }

    /* Line breaks (Alt-Enter, pastes, /editor) show as a return sign;
     * other control characters, which the user can only bring in through
     * the editor, as '?': the terminal gets none of them. */
    const char *raw = inputline_text(ui.input);
    gsize cursor = inputline_cursor(ui.input);
    g_autoptr(GString) shown = g_string_new(NULL);
    gsize shown_cursor = 0;
    for (const char *p = raw;; p = g_utf8_next_char(p)) {
        if ((gsize)(p - raw) == cursor)
            shown_cursor = shown->len;
        if (!*p)
            break;
        gunichar c = g_utf8_get_char(p);
        if (c == '\n')
            g_string_append(shown, "\u21b5");
        else if (g_unichar_iscntrl(c))
            g_string_append_c(shown, '?');
        else
            g_string_append_len(shown, p, g_utf8_next_char(p) - p);
    }
    const char *text = shown->str;
    int avail = MAX(COLS - x - 1, 1);
    gsize cursor_col = text_width(text, (gssize)shown_cursor);
    /* Skip whole characters from the left until the cursor fits. */
    const char *start = text;
    gsize skipped = 0;
    while (cursor_col - skipped >= (gsize)avail && *start) {
        skipped += text_char_width(g_utf8_get_char(start));
        start = g_utf8_next_char(start);
    }
    draw_put(start, COLS - x, A_NORMAL);
    move(row, x + (int)(cursor_col - skipped));
}

void draw_screen(guint what)
{
    if (LINES < 3 || COLS < 10) {
        erase();
        mvaddstr(0, 0, "natter: terminal too small");
        return;
    }
    if (what & DIRTY_TITLE)
        draw_title();
    if (what & DIRTY_VIEW)
        draw_view();
    if (what & (DIRTY_VIEW | DIRTY_PANE))
        pane_draw(buffer_current(), 1, draw_view_height());
    if (what & (DIRTY_STATUS | DIRTY_VIEW))
        draw_status();
    /* The input line is drawn last so the cursor ends up there. */
    draw_input();
}
