/* draw.c: draws the screen from core's model: title bar, the current
 * buffer's lines (wrapped, indented under the text), status bar with each
 * account's state and the windows with activity, and the input line.
 * Every string drawn here was sanitised by the buffer model or is natter's
 * own text. */
#include <string.h>
#include <time.h>

#include "config.h"

#include "core/account.h"
#include "core/room.h"
#include "core/roster.h"
#include "core/search.h"
#include "core/transfers.h"
#ifdef HAVE_OTR
#include "crypto/otr/otr.h"
#endif
#include "ui/completion.h"
#include "ui/pane.h"
#include "ui/stamp.h"
#include "ui/style.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"
#include "util/styling.h"
#include "util/textwidth.h"
#ifdef HAVE_OMEMO
#include "xmpp/omemo.h"
#endif

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

/* An account's state, and once online, the presence we show. */
static const char *account_shown_state(const Account *a)
{
    return a->state == ACCOUNT_ONLINE
               ? presence_show_name(roster_own_show(a->name))
               : account_state_name(a->state);
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
        /* A chat called by its roster name shows the address too. */
        g_autofree char *address = strcmp(b->name, b->peer) != 0
                                       ? g_strdup_printf("%s, ", b->peer)
                                       : g_strdup("");
        /* Whether the conversation is private, in so many words. */
        const char *otr = NULL;
#ifdef HAVE_OTR
        otr = otr_status(b->account, b->peer);
#endif
        /* Whether what is typed here leaves encrypted (or not at all). */
        const char *e2e = "";
#ifdef HAVE_OMEMO
        if (omemo_chat_enabled(b->account, b->peer))
            e2e =
                omemo_chat_v2(b->account, b->peer) ? " [OMEMO:2]" : " [OMEMO]";
#endif
        title = g_strdup_printf(" [%u] %s (%saccount %s)%s%s%s%s%s%s",
                                b->number, b->name, address, b->account,
                                presence, state, otr ? " [" : "",
                                otr ? otr : "", otr ? "]" : "", e2e);
    } else if (b->kind == BUFFER_ACCOUNT) {
        Account *a = account_find(b->account);
        /* Online, what we tell contacts: our presence and its status. */
        const char *status =
            a && a->state == ACCOUNT_ONLINE ? roster_own_status(a->name) : NULL;
        g_autofree char *safe =
            status ? text_sanitize(status, -1, SANITIZE_LINE) : NULL;
        title = g_strdup_printf(" [%u] %s: %s%s%s", b->number, b->name,
                                a ? account_shown_state(a) : "removed",
                                safe ? ": " : "", safe ? safe : "");
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
            /* What is typed here leaves encrypted (rooms: 0.3) or not at
             * all. */
            const char *e2e = "";
#ifdef HAVE_OMEMO
            if (omemo_chat_enabled(b->account, b->peer))
                e2e = " [OMEMO]";
#endif
            title =
                g_strdup_printf(" [%u] %s (%u occupant%s, you are %s)%s%s%s",
                                b->number, b->name, n, n == 1 ? "" : "s", nick,
                                e2e, topic ? " - " : "", topic ? topic : "");
        }
    } else if (b->kind == BUFFER_PRIVATE) {
        title = g_strdup_printf(" [%u] %s (private, in the room)", b->number,
                                b->name);
    } else if (b->kind == BUFFER_FORM) {
        title = g_strdup_printf(" [%u] %s (a form: /form set, /form "
                                "submit, /form cancel)",
                                b->number, b->name);
    } else if (b->kind == BUFFER_VIEW) {
        title = g_strdup_printf(" [%u] %s (%s; /close closes it)", b->number,
                                b->name, b->account);
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

/* What a message shows after the nick when it crossed the network
 * encrypted: how, and whether its key is verified (or, for OMEMO,
 * distrusted by the user). */
static const char *security_mark(const BufferLine *line)
{
    gboolean verified = line->trust == MESSAGE_TRUST_VERIFIED;
    switch (line->security) {
    case MESSAGE_OTR:
        return verified ? "[OTR verified] " : "[OTR] ";
    case MESSAGE_OMEMO:
        if (line->trust == MESSAGE_TRUST_UNTRUSTED)
            return "[OMEMO UNTRUSTED] ";
        return verified ? "[OMEMO verified] " : "[OMEMO] ";
    case MESSAGE_OMEMO2:
        if (line->trust == MESSAGE_TRUST_UNTRUSTED)
            return "[OMEMO:2 UNTRUSTED] ";
        return verified ? "[OMEMO:2 verified] " : "[OMEMO:2] ";
    default:
        return "";
    }
}

/* "/me waves" is an action, drawn "* nick waves" (XEP-0245). */
static gboolean is_action(const BufferLine *line)
{
    return !line_marker(line->kind) && g_str_has_prefix(line->text, "/me ");
}

/* How a line shows in front of its text. */
typedef struct {
    const char *stamp; /* its time */
    const char *nick;  /* the line's nick, or a chat's name for the peer */
    attr_t nick_attr;
} Look;

/* The width of the time and nick in front of a line's text. */
static int prefix_width(const BufferLine *line, const Look *look)
{
    const char *marker = line_marker(line->kind);
    int w = (int)text_width(look->stamp, -1) + 1;
    if (marker)
        return w + 3;
    return w + 3 + (int)text_width(look->nick ? look->nick : "", -1) +
           (int)text_width(security_mark(line), -1) +
           (int)text_width(delivery_mark(line), -1);
}

/* Splits one '\n'-free segment into rows of at most WIDTH columns,
 * breaking at the last space that fits, or inside a word longer than a
 * row. With FIRST, the first row is the one with the time and nick and
 * has only FIRST_WIDTH columns (none when the prefix fills it). */
static void wrap_segment(const char *text, gsize len, int first_width,
                         int width, GArray *rows, gboolean first)
{
    const char *p = text;
    const char *end = text + len;
    if (first && first_width <= 0) {
        Row row = {p, 0, TRUE, ROW_TEXT};
        g_array_append_val(rows, row);
        first = FALSE;
    }
    do {
        gsize rest = end - p;
        int cols = first ? first_width : width;
        gsize fit =
            text_prefix_for_width(p, (gssize)rest, (gsize)MAX(cols, 1), NULL);
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

/* Rows are drawn at the indent, at most half the width so that a long
 * nick leaves room for the text; the first row's text follows the whole
 * prefix, so it has the columns the prefix leaves. */
static void wrap_line(const BufferLine *line, const Look *look, int width,
                      GArray *rows)
{
    int prefix = prefix_width(line, look);
    int indent = MIN(prefix, width / 2);
    const char *p = line->text;
    gboolean first = TRUE;
    /* A reply shows what it answers first; reactions come under it. They
     * are cut to one row each. */
    if (line->quote) {
        Row row = {line->quote, strlen(line->quote), TRUE, ROW_QUOTE};
        g_array_append_val(rows, row);
        first = FALSE;
    } else if (is_action(line)) {
        p += 4; /* the "/me " the first row shows as "* nick " */
    }
    for (;;) {
        const char *nl = strchr(p, '\n');
        gsize len = nl ? (gsize)(nl - p) : strlen(p);
        wrap_segment(p, len, width - prefix, width - indent, rows, first);
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

/* The look of line INDEX, its time as DAYS place it (caller frees the
 * stamp). */
static Look line_look(const Buffer *buffer, StampDays *days, guint index,
                      gboolean *day_row)
{
    gboolean dated;
    stamp_place(days, index, day_row, &dated);
    const BufferLine *line = g_ptr_array_index(buffer->lines, index);
    Look look = {
        .stamp = stamp_format(
            line->time, style_format(dated ? FORMAT_TIME_DATED : FORMAT_TIME)),
        .nick = line->nick,
    };
    /* A chat's contact goes by the chat's name: its roster name. */
    if (buffer->kind == BUFFER_CHAT && line->kind == LINE_IN)
        look.nick = buffer->name;
    /* In rooms each nick has its colour; a line that mentions us stands
     * out in the room itself, not only in the status bar. */
    if (line->kind == LINE_OUT)
        look.nick_attr = style_attr(STYLE_NICK_OWN);
    else if (line->highlight)
        look.nick_attr = style_attr(STYLE_HIGHLIGHT);
    else if (buffer->kind == BUFFER_ROOM || buffer->kind == BUFFER_PRIVATE)
        look.nick_attr = style_nick_attr(line->nick);
    else
        look.nick_attr = style_attr(STYLE_NICK_PEER);
    return look;
}

static guint line_rows(const Buffer *buffer, StampDays *days, guint index)
{
    gboolean day_row;
    Look look = line_look(buffer, days, index, &day_row);
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(Row));
    wrap_line(g_ptr_array_index(buffer->lines, index), &look, view_cols(),
              rows);
    g_free((char *)look.stamp);
    return rows->len + (day_row ? 1 : 0);
}

guint draw_line_rows(const Buffer *buffer, guint index)
{
    g_autoptr(StampDays) days = stamp_days_new(buffer);
    return line_rows(buffer, days, index);
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

/* Bytes START..END of TEXT, with the current window's /search text in
 * reverse video; returns the columns used. */
static int put_marked(const char *text, gsize start, gsize end, int max,
                      attr_t attr)
{
    const char *search = buffer_current()->search;
    int used = 0;
    while (start < end && used < max) {
        gsize ms = end, me = end;
        gboolean found =
            search_text_find(text, search, start, &ms, &me) && ms < end;
        if (!found)
            ms = end;
        used += put(text + start, ms - start, max - used, attr);
        if (!found)
            break;
        me = MIN(me, end);
        used += put(text + ms, me - ms, max - used, attr ^ A_REVERSE);
        start = me;
    }
    return used;
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
        used += put_marked(text, start, end, max - used,
                           attr | styling_attr(r->flags));
    }
    return used;
}

static void draw_row(int y, const BufferLine *line, const Look *look,
                     const Row *row)
{
    int width = view_cols();
    int indent = MIN(prefix_width(line, look), width / 2);
    move(y, 0);
    int x = 0;
    if (row->first) {
        /* The line /search found: its time reversed. */
        Buffer *b = buffer_current();
        gboolean found =
            b->search_match >= 0 &&
            b->search_match >= (gint64)b->lines_dropped &&
            (guint64)b->search_match - b->lines_dropped < b->lines->len &&
            g_ptr_array_index(b->lines, b->search_match - b->lines_dropped) ==
                line;
        x += draw_put(look->stamp, width - x,
                      style_attr(STYLE_TIME) ^ (found ? A_REVERSE : 0));
        x += draw_put(" ", width - x, A_NORMAL);
        const char *marker = line_marker(line->kind);
        if (marker) {
            x += draw_put(marker, width - x,
                          style_attr(line->kind == LINE_ERROR ? STYLE_ERROR
                                                              : STYLE_INFO));
        } else {
            /* "* nick " is as wide as "<nick> ", so the wrapping stays
             * right; wrap_line() left the "/me " out of the row. */
            gboolean action = row->what == ROW_TEXT && is_action(line);
            x += draw_put(action ? "* " : "<", width - x, A_NORMAL);
            x += draw_put(look->nick ? look->nick : "", width - x,
                          look->nick_attr);
            x += draw_put(action ? " " : "> ", width - x, A_NORMAL);
            x += draw_put(security_mark(line), width - x,
                          style_attr(line->trust == MESSAGE_TRUST_UNTRUSTED
                                         ? STYLE_ERROR
                                         : STYLE_INFO));
            if (action) {
                x += draw_put(delivery_mark(line), width - x,
                              style_attr(STYLE_INFO));
                x += put_styled(line->text, row, width - x, A_NORMAL);
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
    if (line->highlight)
        attr |= A_BOLD;
    if (row->what != ROW_TEXT) {
        attr = style_attr(STYLE_INFO);
        x += draw_put(row->what == ROW_QUOTE ? "\u21aa " : "  [", width - x,
                      attr);
    }
    if (row->what == ROW_TEXT && line->kind != LINE_INFO &&
        line->kind != LINE_ERROR)
        x += put_styled(line->text, row, width - x, attr);
    else if (row->what == ROW_TEXT)
        x += put_marked(line->text, row->start - line->text,
                        row->start - line->text + row->len, width - x, attr);
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
    enum { PLACED_LINE, PLACED_MARKER, PLACED_DAY } what;
    const BufferLine *line; /* PLACED_LINE */
    Look look;              /* PLACED_LINE */
    const char *text;       /* PLACED_DAY: the day row's text */
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

static void draw_day_row(int y, const char *text)
{
    move(y, 0);
    draw_put(text, view_cols(), style_attr(STYLE_DAY_CHANGE));
}

/* A new /search match: the view scrolls to show it mid-screen, once. */
static void reveal_match(Buffer *b, int height)
{
    gint64 *seen = g_hash_table_lookup(ui.revealed, b);
    if (b->search_match < (gint64)b->lines_dropped ||
        b->search_match - (gint64)b->lines_dropped >= (gint64)b->lines->len ||
        (seen && *seen == b->search_match))
        return;
    gint64 *m = g_new(gint64, 1);
    *m = b->search_match;
    g_hash_table_insert(ui.revealed, b, m);
    guint index = (guint)(b->search_match - (gint64)b->lines_dropped);
    g_autoptr(StampDays) days = stamp_days_new(b);
    guint below = 0;
    for (guint i = index + 1; i < b->lines->len; i++)
        below += line_rows(b, days, i);
    guint rows = line_rows(b, days, index);
    guint half = (guint)MAX(height - (int)rows, 0) / 2;
    g_hash_table_insert(ui.scroll, b,
                        GUINT_TO_POINTER(below > half ? below - half : 0));
}

static void draw_view(void)
{
    Buffer *b = buffer_current();
    int height = draw_view_height();
    reveal_match(b, height);
    guint scrolled = GPOINTER_TO_UINT(g_hash_table_lookup(ui.scroll, b));

    /* Collect rows from the newest line upwards until the screen (plus
     * what is scrolled away) is full. */
    g_autoptr(GArray) placed = g_array_new(FALSE, FALSE, sizeof(PlacedRow));
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(Row));
    g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(StampDays) days = stamp_days_new(b);
    guint need = (guint)height + scrolled;
    guint64 marker = 0;
    gboolean has_marker = ui_marker(b, &marker);
    for (guint i = b->lines->len; i-- > 0 && placed->len < need;) {
        const BufferLine *line = g_ptr_array_index(b->lines, i);
        gboolean day_row;
        Look look = line_look(b, days, i, &day_row);
        g_ptr_array_add(texts, (char *)look.stamp);
        g_array_set_size(rows, 0);
        wrap_line(line, &look, view_cols(), rows);
        for (guint r = rows->len; r-- > 0 && placed->len < need;) {
            PlacedRow pr = {.what = PLACED_LINE,
                            .line = line,
                            .look = look,
                            .row = g_array_index(rows, Row, r)};
            g_array_append_val(placed, pr);
        }
        if (day_row && placed->len < need) {
            char *text =
                stamp_format(line->time, style_format(FORMAT_DAY_CHANGE));
            g_ptr_array_add(texts, text);
            PlacedRow pr = {.what = PLACED_DAY, .text = text};
            g_array_append_val(placed, pr);
        }
        if (has_marker && b->lines_dropped + i == marker &&
            placed->len < need) {
            PlacedRow pr = {.what = PLACED_MARKER};
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
        if (pr->what == PLACED_LINE)
            draw_row(1 + y, pr->line, &pr->look, &pr->row);
        else if (pr->what == PLACED_DAY)
            draw_day_row(1 + y, pr->text);
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
            g_strdup_printf(" [%s: %s]", a->name, account_shown_state(a));
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
    /* File transfers under way, with how far they are. */
    const GPtrArray *transfers = transfers_list();
    for (guint i = 0; i < transfers->len; i++) {
        const TransferInfo *t = g_ptr_array_index(transfers, i);
        if (t->state != TRANSFER_RUNNING)
            continue;
        g_autofree char *name = text_sanitize(t->name, -1, SANITIZE_LINE);
        if (g_utf8_strlen(name, -1) > 20) {
            g_autofree char *cut = g_utf8_substring(name, 0, 19);
            g_free(name);
            name = g_strconcat(cut, "~", NULL);
        }
        int percent = transfers_percent(t);
        g_autofree char *s =
            percent < 0
                ? g_strdup_printf(" [%s %s]", t->upload ? "up" : "down", name)
                : g_strdup_printf(" [%s %s %d%%]", t->upload ? "up" : "down",
                                  name, percent);
        x += draw_put(s, COLS - x, base);
    }
    /* Tab cycling through several candidates: all of them, the one on
     * the input line reversed. */
    guint current;
    const GPtrArray *candidates = completion_candidates(&current);
    for (guint i = 0; candidates && i < candidates->len; i++) {
        x += draw_put(i ? " " : " [Tab: ", COLS - x, base);
        x += draw_put(g_ptr_array_index(candidates, i), COLS - x,
                      i == current ? base ^ A_REVERSE : base);
        if (i + 1 == candidates->len)
            x += draw_put("]", COLS - x, base);
    }
    Buffer *b = buffer_current();
    if (pane_focused())
        x += draw_put(" [pane: arrows, a letter, Enter opens, Esc]", COLS - x,
                      base);
    if (b->search) {
        g_autofree char *text = text_sanitize(b->search, -1, SANITIZE_LINE);
        g_autofree char *s = g_strdup_printf(
            " [search: %s%s]", text,
            b->search_match < 0 ? ", not found" : "; Ctrl-R older");
        x += draw_put(s, COLS - x, base);
    }
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
