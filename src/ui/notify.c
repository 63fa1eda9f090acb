/* notify.c: telling the user something happened while they look elsewhere:
 * the terminal bell on private messages and highlights (bell_private,
 * bell_highlight), desktop notifications through the terminal
 * (notify_desktop: OSC 9 or OSC 777, wrapped for tmux when natter runs
 * inside it), and the terminal title with the unread count (title_unread).
 * Everything is gathered as messages arrive (EVENT_MESSAGE_RECEIVED) and
 * written once per frame
 * (notify_flush from the redraw), so a flood rings once. Every text here
 * went through the sanitiser: a peer's name or message can never end an
 * escape sequence early or start one. */
#include "ui/notify.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "core/settings.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"

/* Lines older than this when they arrive (offline delivery, archive
 * catch-up) do not ring: they are news, not a call. */
#define FRESH_US (120 * G_USEC_PER_SEC)
/* Notification text is cut here; terminals show a line or two. */
#define NOTIFY_MAX_CHARS 200

static guint subscription;
static gboolean pending_bell;
static char *pending_title; /* sender, for the next notification */
static char *pending_body;  /* its text */
static char *shown_title;   /* the terminal title we set last */
static gboolean title_pushed;

/* A message came: a private one (a chat, or privately in a room) rings
 * with bell_private, one that mentions us in a room with bell_highlight;
 * the message event says which, not a guess from the window. */
static EventResult on_message(const Message *m, gpointer data)
{
    if (m->direction != MESSAGE_IN || !m->body ||
        m->time < g_get_real_time() - FRESH_US)
        return EVENT_CONTINUE;
    gboolean private = m->kind == MESSAGE_CHAT || m->kind == MESSAGE_PRIVATE;
    if (!private && !m->highlight)
        return EVENT_CONTINUE;
    if (settings_get_bool(private ? "bell_private" : "bell_highlight"))
        pending_bell = TRUE;
    if (strcmp(settings_get_string("notify_desktop"), "off") != 0) {
        g_free(pending_title);
        g_free(pending_body);
        pending_title = g_strdup_printf("%s%s", m->nick ? m->nick : "",
                                        private ? "" : " in a room");
        pending_body = g_strdup(m->body);
    }
    ui_mark_dirty(DIRTY_STATUS);
    return EVENT_CONTINUE;
}

/* TEXT made safe inside an escape sequence: one line, no control
 * characters (so no ESC, BEL or ST), no ';' (OSC 777 separates fields
 * with it), at most NOTIFY_MAX_CHARS characters. Caller frees. */
static char *osc_text(const char *text)
{
    g_autofree char *line = text_sanitize(text, -1, SANITIZE_LINE);
    GString *out = g_string_new(NULL);
    glong n = 0;
    for (const char *p = line; *p && n < NOTIFY_MAX_CHARS;
         p = g_utf8_next_char(p), n++) {
        gunichar c = g_utf8_get_char(p);
        if (c == ';')
            g_string_append_c(out, ',');
        else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
            g_string_append_c(out, ' ');
        else
            g_string_append_len(out, p, g_utf8_next_char(p) - p);
    }
    return g_string_free(out, FALSE);
}

/* Writes SEQ (an escape sequence) to the terminal; inside tmux wrapped in
 * its passthrough (DCS tmux; ... ST, every ESC doubled), which tmux hands
 * to the outer terminal when its allow-passthrough option is on. */
static void emit(const char *seq, gboolean passthrough)
{
    const char *tmux = g_getenv("TMUX");
    if (passthrough && tmux && *tmux) {
        g_autoptr(GString) wrapped = g_string_new("\033Ptmux;");
        for (const char *p = seq; *p; p++) {
            if (*p == '\033')
                g_string_append_c(wrapped, '\033');
            g_string_append_c(wrapped, *p);
        }
        g_string_append(wrapped, "\033\\");
        fputs(wrapped->str, stdout);
    } else {
        fputs(seq, stdout);
    }
    fflush(stdout);
}

static void flush_notification(void)
{
    if (!pending_body)
        return;
    const char *kind = settings_get_string("notify_desktop");
    g_autofree char *title = osc_text(pending_title);
    g_autofree char *body = osc_text(pending_body);
    g_autofree char *seq = NULL;
    /* ST (ESC \) ends them, so a BEL on the wire is always the bell. */
    if (strcmp(kind, "osc777") == 0)
        seq = g_strdup_printf("\033]777;notify;%s;%s\033\\", title, body);
    else if (strcmp(kind, "osc9") == 0)
        seq = g_strdup_printf("\033]9;%s: %s\033\\", title, body);
    if (seq)
        emit(seq, TRUE);
    g_clear_pointer(&pending_title, g_free);
    g_clear_pointer(&pending_body, g_free);
}

static char *title_text(void)
{
    const GPtrArray *list = buffers_list();
    guint unread = 0, windows = 0;
    for (guint i = 0; i < list->len; i++) {
        const Buffer *b = g_ptr_array_index(list, i);
        unread += b->unread;
        windows += b->unread > 0;
    }
    if (!unread)
        return g_strdup("natter");
    return g_strdup_printf("natter (%u unread in %u window%s)", unread, windows,
                           windows == 1 ? "" : "s");
}

static void flush_title(void)
{
    if (!settings_get_bool("title_unread")) {
        if (title_pushed) {
            emit("\033[23;0t", FALSE); /* the title from before natter */
            title_pushed = FALSE;
            g_clear_pointer(&shown_title, g_free);
        }
        return;
    }
    g_autofree char *title = title_text();
    if (g_strcmp0(title, shown_title) == 0)
        return;
    if (!title_pushed) {
        emit("\033[22;0t", FALSE); /* keep the user's title for the end */
        title_pushed = TRUE;
    }
    g_autofree char *safe = osc_text(title);
    g_autofree char *seq = g_strdup_printf("\033]2;%s\033\\", safe);
    emit(seq, FALSE);
    g_free(shown_title);
    shown_title = g_steal_pointer(&title);
}

void notify_flush(void)
{
    if (pending_bell) {
        pending_bell = FALSE;
        beep();
    }
    flush_notification();
    flush_title();
}

void notify_init(void)
{
    subscription = event_on_message(EVENT_MESSAGE_RECEIVED,
                                    EVENT_PRIORITY_DEFAULT, on_message, NULL);
}

void notify_shutdown(void)
{
    if (title_pushed)
        emit("\033[23;0t", FALSE);
    title_pushed = FALSE;
    g_clear_handle_id(&subscription, event_unsubscribe);
    g_clear_pointer(&pending_title, g_free);
    g_clear_pointer(&pending_body, g_free);
    g_clear_pointer(&shown_title, g_free);
}
