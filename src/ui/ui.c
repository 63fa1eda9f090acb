/* ui.c: the terminal UI's life cycle and plumbing: curses set-up, the
 * keyboard watch, SIGWINCH, core events turned into dirty marks, and the
 * coalesced redraw (at most one frame per FRAME_US however many events
 * arrive), plus the input line's side of prompts. */
#include "ui/ui.h"

#include <curses.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/app.h"
#include "core/prompt.h"
#include "core/conversation.h"
#include "core/settings.h"
#include "core/themes.h"
#include "ui/completion.h"
#include "ui/editor.h"
#include "ui/notify.h"
#include "ui/pane.h"
#include "ui/occupantpane.h"
#include "ui/rosterpane.h"
#include "ui/style.h"
#include "ui/ui_internal.h"
#include "util/error.h"

#define FRAME_US (G_USEC_PER_SEC / 60)

Ui ui;

static guint dirty;
static guint redraw_source;
static gint64 last_frame;
static guint stdin_watch;
static guint winch_watch;
static guint clock_timer;
static guint subscriptions[16];
static gboolean active;
static gboolean suspended; /* the terminal is lent to the editor */

/* Bracketed paste (xterm, tmux, most terminals): a paste arrives between
 * ESC [ 200 ~ and ESC [ 201 ~, so keys.c can tell it from typing. */
static void bracketed_paste(gboolean on)
{
    fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
    fflush(stdout);
}

static void apply_theme_setting(void);

static gboolean on_redraw(gpointer data)
{
    redraw_source = 0;
    if (suspended)
        return G_SOURCE_REMOVE; /* ui_resume() draws everything */
    /* natterrc is read after the front end starts (so the headless one
     * sees its errors); the first frame comes after that. */
    static gboolean theme_checked;
    if (!theme_checked) {
        theme_checked = TRUE;
        apply_theme_setting();
    }
    guint what = dirty;
    dirty = 0;
    draw_screen(what);
    wnoutrefresh(stdscr);
    doupdate();
    notify_flush();
    last_frame = g_get_monotonic_time();
    return G_SOURCE_REMOVE;
}

void ui_mark_dirty(guint what)
{
    dirty |= what;
    if (redraw_source || !active)
        return;
    gint64 since = g_get_monotonic_time() - last_frame;
    /* Idle priority: pending input and stanzas are handled first, so a
     * burst of them is drawn once. */
    if (since >= FRAME_US)
        redraw_source =
            g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, on_redraw, NULL, NULL);
    else
        redraw_source = g_timeout_add_full(G_PRIORITY_DEFAULT_IDLE,
                                           (guint)((FRAME_US - since) / 1000),
                                           on_redraw, NULL, NULL);
}

void ui_scroll(int rows)
{
    Buffer *b = buffer_current();
    gint64 scrolled = GPOINTER_TO_UINT(g_hash_table_lookup(ui.scroll, b));
    scrolled = MAX(scrolled + rows, 0);
    g_hash_table_insert(ui.scroll, b, GUINT_TO_POINTER((guint)scrolled));
    /* Near the top of what is loaded: fetch older lines from history
     * (lines may wrap into several rows, so this errs on the early side). */
    if (rows > 0 && !b->history_complete &&
        (guint)scrolled + (guint)draw_view_height() >= b->lines->len)
        conversation_load_older(b, CONVERSATION_BACKLOG);
    ui_mark_dirty(DIRTY_VIEW | DIRTY_STATUS);
}

void ui_scroll_top(void)
{
    Buffer *b = buffer_current();
    guint limit = (guint)settings_get_int("scrollback");
    while (!b->history_complete && b->lines->len < limit &&
           conversation_load_older(b, CONVERSATION_BACKLOG) > 0)
        ;
    /* Further than any view: draw_view() stops at the oldest row. */
    g_hash_table_insert(ui.scroll, b, GUINT_TO_POINTER(G_MAXINT));
    ui_mark_dirty(DIRTY_VIEW | DIRTY_STATUS);
}

void ui_scroll_bottom(Buffer *buffer)
{
    if (g_hash_table_remove(ui.scroll, buffer))
        ui_mark_dirty(DIRTY_VIEW | DIRTY_STATUS);
}

static Buffer *shown; /* the buffer on screen, to know which one is left */

static guint64 lines_end(const Buffer *b)
{
    return b->lines_dropped + b->lines->len;
}

static void set_marker(const Buffer *b, guint64 index)
{
    guint64 *m = g_new(guint64, 1);
    *m = index;
    g_hash_table_insert(ui.marker, (gpointer)b, m);
}

gboolean ui_marker(const Buffer *buffer, guint64 *index)
{
    guint64 *m = g_hash_table_lookup(ui.marker, buffer);
    if (!m || *m >= lines_end(buffer))
        return FALSE;
    *index = *m;
    return TRUE;
}

/* Leaving a window marks everything in it as seen: the marker moves to
 * its end, so coming back shows where the new text begins. */
static EventResult on_buffer_switched(Buffer *buffer, gpointer data)
{
    if (shown && shown != buffer)
        set_marker(shown, lines_end(shown));
    shown = buffer;
    g_autofree char *scope = buffer_id(shown);
    inputline_set_scope(ui.input, scope);
    ui_mark_dirty(DIRTY_ALL);
    return EVENT_CONTINUE;
}

/* History put above the first line shifts every absolute index. */
static EventResult on_buffer_prepended(Buffer *buffer, guint count,
                                       gpointer data)
{
    guint64 *m = g_hash_table_lookup(ui.marker, buffer);
    if (m)
        *m += count;
    ui_mark_dirty(DIRTY_VIEW);
    return EVENT_CONTINUE;
}

static EventResult on_buffer_line(Buffer *b, const BufferLine *line,
                                  gpointer data)
{
    /* A window never looked at: its unread text begins with this line. */
    if (b != buffer_current() && line->kind == LINE_IN &&
        !g_hash_table_contains(ui.marker, b))
        set_marker(b, lines_end(b) - 1);
    guint scrolled = GPOINTER_TO_UINT(g_hash_table_lookup(ui.scroll, b));
    /* Someone reading older lines keeps their place. */
    if (scrolled)
        g_hash_table_insert(
            ui.scroll, b,
            GUINT_TO_POINTER(scrolled + draw_line_rows(b, b->lines->len - 1)));
    ui_mark_dirty(b == buffer_current() ? DIRTY_VIEW : DIRTY_STATUS);
    return EVENT_CONTINUE;
}

static EventResult on_buffer_closed(Buffer *buffer, gpointer data)
{
    g_hash_table_remove(ui.scroll, buffer);
    g_hash_table_remove(ui.marker, buffer);
    g_hash_table_remove(ui.revealed, buffer);
    if (shown == buffer)
        shown = NULL;
    ui_mark_dirty(DIRTY_ALL);
    return EVENT_CONTINUE;
}

static EventResult on_anything(const Event *event, gpointer data)
{
    ui_mark_dirty(GPOINTER_TO_UINT(data));
    return EVENT_CONTINUE;
}

static void ask(const char *question, gboolean secret)
{
    g_free(ui.question);
    ui.question = g_strdup(question);
    ui.secret = secret;
    inputline_clear(ui.input);
    ui_mark_dirty(DIRTY_INPUT);
}

static void dismiss(void)
{
    g_clear_pointer(&ui.question, g_free);
    ui.secret = FALSE;
    ui_mark_dirty(DIRTY_INPUT);
}

static const PromptProvider provider = {ask, dismiss};

/* Themes: /theme (command/) reaches the looks through this loader, which
 * core/themes.h holds for it, so no layer below includes curses. */
static gboolean load_theme(const char *name, GError **error)
{
    if (!style_load(name, error))
        return FALSE;
    clearok(curscr, TRUE);
    ui_mark_dirty(DIRTY_ALL);
    return TRUE;
}

static const ThemeLoader theme_loader = {load_theme, style_describe};

/* Uses the theme the setting names, unless it is in use already (after
 * /theme load, which sets it). */
static void apply_theme_setting(void)
{
    const char *name = settings_get_string("theme");
    if (g_strcmp0(name, style_theme_name()) == 0)
        return;
    g_autoptr(GError) error = NULL;
    if (!load_theme(name, &error))
        buffer_appendf(buffer_current(), LINE_ERROR, "theme: %s",
                       error->message);
}

/* "/set theme NAME" works like "/theme load NAME". */
static EventResult on_setting(const char *name, gpointer data)
{
    if (g_strcmp0(name, "theme") == 0)
        apply_theme_setting();
    else if (g_str_has_prefix(name, "roster_"))
        ui_mark_dirty(DIRTY_ALL); /* the pane's width changes the view's */
    return EVENT_CONTINUE;
}

static gboolean on_stdin(gint fd, GIOCondition condition, gpointer data)
{
    if (condition & (G_IO_HUP | G_IO_ERR)) {
        /* The terminal is gone: nobody to type, nothing to show. */
        stdin_watch = 0;
        app_quit();
        return G_SOURCE_REMOVE;
    }
    wint_t key;
    int status;
    while ((status = wget_wch(stdscr, &key)) != ERR)
        keys_handle(status, key); /* which reports the user's activity */
    return G_SOURCE_CONTINUE;
}

static gboolean on_winch(gpointer data);

void ui_suspend(void)
{
    suspended = TRUE;
    g_clear_handle_id(&stdin_watch, g_source_remove);
    bracketed_paste(FALSE);
    endwin();
}

void ui_resume(void)
{
    if (!suspended)
        return;
    suspended = FALSE;
    refresh(); /* curses takes the terminal back */
    bracketed_paste(TRUE);
    stdin_watch = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                on_stdin, NULL);
    on_winch(NULL); /* the size may have changed meanwhile */
}

static gboolean on_winch(gpointer data)
{
    if (suspended)
        return G_SOURCE_CONTINUE; /* the editor's business until resume */
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
        ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE);
    ui_mark_dirty(DIRTY_ALL);
    return G_SOURCE_CONTINUE;
}

/* The status bar shows the time: wake up once a minute, on the minute. */
static gboolean on_clock(gpointer data);

static void arm_clock(void)
{
    time_t now = time(NULL);
    clock_timer = g_timeout_add_seconds(60 - (guint)(now % 60), on_clock, NULL);
}

static gboolean on_clock(gpointer data)
{
    ui_mark_dirty(DIRTY_STATUS);
    arm_clock();
    return G_SOURCE_REMOVE;
}

static void subscribe_all(void)
{
    static const struct {
        EventType type;
        guint dirty;
    } simple[] = {
        {EVENT_BUFFER_OPENED, DIRTY_STATUS},
        {EVENT_BUFFER_CHANGED, DIRTY_ALL},
        {EVENT_BUFFER_LINE_CHANGED, DIRTY_VIEW},
        {EVENT_ACCOUNT_STATE, DIRTY_TITLE | DIRTY_STATUS},
        {EVENT_ACCOUNT_CHANGED, DIRTY_TITLE | DIRTY_STATUS | DIRTY_PANE},
        {EVENT_ROSTER_CHANGED, DIRTY_PANE},
        {EVENT_PRESENCE_CHANGED, DIRTY_PANE | DIRTY_TITLE | DIRTY_STATUS},
        {EVENT_ROOM_CHANGED, DIRTY_PANE | DIRTY_TITLE},
        {EVENT_OCCUPANT_CHANGED, DIRTY_PANE | DIRTY_TITLE},
        {EVENT_TRANSFER_CHANGED, DIRTY_STATUS},
    };
    guint n = 0;
    subscriptions[n++] = event_on_line(
        EVENT_BUFFER_LINE, EVENT_PRIORITY_DEFAULT, on_buffer_line, NULL);
    subscriptions[n++] = event_on_buffer(
        EVENT_BUFFER_CLOSED, EVENT_PRIORITY_DEFAULT, on_buffer_closed, NULL);
    subscriptions[n++] =
        event_on_buffer(EVENT_BUFFER_SWITCHED, EVENT_PRIORITY_DEFAULT,
                        on_buffer_switched, NULL);
    subscriptions[n++] =
        event_on_setting(EVENT_PRIORITY_DEFAULT, on_setting, NULL);
    subscriptions[n++] =
        event_on_prepended(EVENT_PRIORITY_DEFAULT, on_buffer_prepended, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(simple); i++)
        subscriptions[n++] =
            event_subscribe(simple[i].type, EVENT_PRIORITY_DEFAULT, on_anything,
                            GUINT_TO_POINTER(simple[i].dirty));
    g_assert(n <= G_N_ELEMENTS(subscriptions));
}

gboolean ui_init(GError **error)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "stdin and stdout must be a terminal (or use --headless)");
        return FALSE;
    }
    /* A terminal that cannot put the cursor anywhere (TERM=dumb) would
     * get every row written at its bottom line: asked before curses
     * takes the terminal. */
    if (!ui_terminal_moves_cursor()) {
        const char *term = g_getenv("TERM");
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "the terminal (TERM=%s) cannot move the cursor: natter "
                    "needs one that can (such as xterm-256color), or "
                    "--headless",
                    term ? term : "");
        return FALSE;
    }
    /* Installed before initscr(), so curses leaves SIGWINCH to the loop. */
    winch_watch = g_unix_signal_add(SIGWINCH, on_winch, NULL);
    if (!initscr()) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "cannot initialise the terminal (is TERM set?)");
        return FALSE;
    }
    raw();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    /* ncurses 6.4 writes its output out after every cursor movement until
     * the program has been through endwin() once (before that it takes
     * it for a terminfo-only program): a frame left as a write per row,
     * and the terminal woke for each. One cycle now, before anything is
     * drawn, makes a frame one write. */
    endwin();
    refresh();
    g_autoptr(GError) theme_error = NULL;
    if (!style_init(&theme_error))
        buffer_appendf(buffer_console(), LINE_ERROR, "theme: %s",
                       theme_error->message);
    keys_init();
    occupantpane_init(); /* first: shown instead of the roster in rooms */
    rosterpane_init();

    ui.input = inputline_new();
    ui.scroll = g_hash_table_new(NULL, NULL);
    ui.marker = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    ui.revealed = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    shown = buffer_current();
    g_autofree char *scope = buffer_id(shown);
    inputline_set_scope(ui.input, scope);
    editor_init();
    notify_init();
    bracketed_paste(TRUE);
    active = TRUE;
    subscribe_all();
    prompt_set_provider(&provider);
    themes_set_loader(&theme_loader);
    stdin_watch = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                on_stdin, NULL);
    arm_clock();
    ui_mark_dirty(DIRTY_ALL);
    return TRUE;
}

void ui_shutdown(void)
{
    if (!active)
        return;
    active = FALSE;
    prompt_set_provider(NULL);
    themes_set_loader(NULL);
    for (guint i = 0; i < G_N_ELEMENTS(subscriptions); i++) {
        if (subscriptions[i])
            event_unsubscribe(subscriptions[i]);
        subscriptions[i] = 0;
    }
    g_clear_handle_id(&stdin_watch, g_source_remove);
    g_clear_handle_id(&winch_watch, g_source_remove);
    g_clear_handle_id(&clock_timer, g_source_remove);
    g_clear_handle_id(&redraw_source, g_source_remove);
    completion_reset();
    editor_shutdown();
    notify_shutdown();
    keys_shutdown();
    style_shutdown();
    panes_shutdown();
    bracketed_paste(FALSE);
    endwin();
    suspended = FALSE;
    g_clear_pointer(&ui.input, inputline_free);
    g_clear_pointer(&ui.scroll, g_hash_table_unref);
    g_clear_pointer(&ui.marker, g_hash_table_unref);
    g_clear_pointer(&ui.revealed, g_hash_table_unref);
    shown = NULL;
    g_clear_pointer(&ui.question, g_free);
}

const char *ui_library_version(void)
{
    return curses_version();
}
