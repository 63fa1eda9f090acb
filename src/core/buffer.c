/* buffer.c: see buffer.h. Buffers are kept in one array sorted by window
 * number; there are tens of them, so lookups are linear. Lines are a
 * GPtrArray trimmed in batches, so appending stays O(1) amortised. */
#include "core/buffer.h"

#include <string.h>

#include "core/account.h"
#include "core/roster.h"
#include "util/jid.h"
#include "util/sanitize.h"

#define DEFAULT_SCROLLBACK 2000 /* the scrollback setting's default */

static GPtrArray *buffers; /* Buffer *, sorted by number */
static guint removed_subscription;
static Buffer *current;
static guint scrollback = DEFAULT_SCROLLBACK;
static guint roster_subscription;

static void line_free(gpointer data)
{
    BufferLine *line = data;
    g_free(line->nick);
    g_free(line->text);
    g_free(line->message_id);
    g_free(line->reactions);
    g_free(line->quote);
    g_free(line);
}

static void buffer_free(Buffer *buffer)
{
    g_free(buffer->account);
    g_free(buffer->peer);
    g_free(buffer->name);
    g_free(buffer->search);
    g_ptr_array_unref(buffer->lines);
    g_free(buffer);
}

static guint lowest_free_number(void)
{
    guint n = 1;
    for (guint i = 0; i < buffers->len; i++) {
        Buffer *b = g_ptr_array_index(buffers, i);
        if (b->number != n)
            break;
        n++;
    }
    return n;
}

static void insert_by_number(Buffer *buffer)
{
    guint pos = 0;
    while (pos < buffers->len &&
           ((Buffer *)g_ptr_array_index(buffers, pos))->number < buffer->number)
        pos++;
    g_ptr_array_insert(buffers, pos, buffer);
}

static Buffer *buffer_new(BufferKind kind, const char *account,
                          const char *peer)
{
    Buffer *b = g_new0(Buffer, 1);
    b->kind = kind;
    b->account = g_strdup(account);
    if (kind == BUFFER_PRIVATE) {
        g_autoptr(Jid) full = peer ? jid_parse(peer, NULL) : NULL;
        b->peer = full ? g_strdup(full->full) : NULL;
    } else if (kind == BUFFER_VIEW) {
        b->peer = g_strdup(peer); /* a key; only its name is shown */
    } else {
        b->peer = peer ? jid_bare(peer) : NULL;
    }
    if (peer && !b->peer)
        b->peer = text_sanitize(peer, -1, SANITIZE_LINE);
    switch (kind) {
    case BUFFER_CONSOLE:
        b->name = g_strdup("natter");
        break;
    case BUFFER_ACCOUNT:
        b->name = text_sanitize(account, -1, SANITIZE_LINE);
        break;
    case BUFFER_CHAT:
        b->name = roster_display_name(account, b->peer);
        if (!b->name)
            b->name = g_strdup(b->peer);
        break;
    case BUFFER_ROOM:
    case BUFFER_PRIVATE:
        b->name = g_strdup(b->peer);
        break;
    case BUFFER_XMLCONSOLE: {
        g_autofree char *name = g_strdup_printf("xml:%s", account);
        b->name = text_sanitize(name, -1, SANITIZE_LINE);
        break;
    }
    case BUFFER_FORM:
        b->name = g_strdup_printf("form:%s", b->peer ? b->peer : "");
        break;
    case BUFFER_VIEW:
        b->name = text_sanitize(b->peer ? b->peer : "view", -1, SANITIZE_LINE);
        break;
    }
    b->lines = g_ptr_array_new_with_free_func(line_free);
    b->search_match = -1;
    b->number = lowest_free_number();
    insert_by_number(b);
    return b;
}

/* A chat is called by its contact's roster name, or its address. */
static EventResult on_roster_changed(Account *account, const char *jid,
                                     gpointer data)
{
    for (guint i = 0; i < buffers->len; i++) {
        Buffer *b = g_ptr_array_index(buffers, i);
        if (!account || b->kind != BUFFER_CHAT ||
            g_strcmp0(b->account, account->name) != 0 ||
            (jid && g_strcmp0(jid, b->peer) != 0))
            continue;
        g_autofree char *name = roster_display_name(b->account, b->peer);
        if (!name)
            name = g_strdup(b->peer);
        if (strcmp(name, b->name) == 0)
            continue;
        g_free(b->name);
        b->name = g_steal_pointer(&name);
        event_emit_buffer(EVENT_BUFFER_CHANGED, b);
    }
    return EVENT_CONTINUE;
}

/* A removed account's windows go with it: commands typed there would act
 * for an account that is no more (or for a new one of the same name). */
static EventResult on_account_removed(Account *account, gpointer data)
{
    for (guint i = buffers->len; i-- > 0;) {
        Buffer *b = g_ptr_array_index(buffers, i);
        if (g_strcmp0(b->account, account->name) == 0)
            buffer_close(b);
    }
    return EVENT_CONTINUE;
}

void buffers_init(void)
{
    if (buffers)
        return;
    buffers = g_ptr_array_new();
    current = buffer_new(BUFFER_CONSOLE, NULL, NULL);
    roster_subscription = event_on_contact(
        EVENT_ROSTER_CHANGED, EVENT_PRIORITY_MODEL, on_roster_changed, NULL);
    removed_subscription = event_on_account(
        EVENT_ACCOUNT_REMOVED, EVENT_PRIORITY_VIEW, on_account_removed, NULL);
}

void buffers_shutdown(void)
{
    if (!buffers)
        return;
    g_clear_handle_id(&roster_subscription, event_unsubscribe);
    g_clear_handle_id(&removed_subscription, event_unsubscribe);
    for (guint i = 0; i < buffers->len; i++)
        buffer_free(g_ptr_array_index(buffers, i));
    g_clear_pointer(&buffers, g_ptr_array_unref);
    current = NULL;
}

Buffer *buffer_console(void)
{
    return g_ptr_array_index(buffers, 0);
}

Buffer *buffer_find(BufferKind kind, const char *account, const char *peer)
{
    g_autoptr(Jid) jid =
        peer && kind != BUFFER_VIEW ? jid_parse(peer, NULL) : NULL;
    const char *want = peer;
    if (jid)
        want = kind == BUFFER_PRIVATE ? jid->full : jid->bare;
    for (guint i = 0; i < buffers->len; i++) {
        Buffer *b = g_ptr_array_index(buffers, i);
        if (b->kind == kind && g_strcmp0(b->account, account) == 0 &&
            g_strcmp0(b->peer, want) == 0)
            return b;
    }
    return NULL;
}

Buffer *buffer_view(const char *account, const char *key)
{
    Buffer *b = buffer_open(BUFFER_VIEW, account, key);
    buffer_clear(b);
    return b;
}

Buffer *buffer_open(BufferKind kind, const char *account, const char *peer)
{
    if (kind == BUFFER_CONSOLE)
        return buffer_console();
    Buffer *b = buffer_find(kind, account, peer);
    if (b)
        return b;
    b = buffer_new(kind, account, peer);
    event_emit_buffer(EVENT_BUFFER_OPENED, b);
    return b;
}

Buffer *buffer_account_console(const char *account)
{
    return buffer_open(BUFFER_ACCOUNT, account, NULL);
}

gboolean buffer_close(Buffer *buffer)
{
    if (buffer->kind == BUFFER_CONSOLE)
        return FALSE;
    guint index;
    if (!g_ptr_array_find(buffers, buffer, &index))
        return FALSE;
    if (buffer == current)
        buffer_switch(g_ptr_array_index(buffers, index - 1));
    event_emit_buffer(EVENT_BUFFER_CLOSED, buffer);
    g_ptr_array_remove_index(buffers, index);
    buffer_free(buffer);
    return TRUE;
}

static Activity activity_of(const Buffer *buffer, const BufferLineSpec *spec)
{
    switch (spec->kind) {
    case LINE_IN:
        /* One-to-one messages are for us; room messages only when they
         * mention us. */
        return buffer->kind == BUFFER_CHAT || buffer->kind == BUFFER_PRIVATE ||
                       spec->highlight
                   ? ACTIVITY_HIGHLIGHT
                   : ACTIVITY_MESSAGE;
    case LINE_OUT:
        return ACTIVITY_NONE;
    case LINE_INFO:
    case LINE_ERROR:
        break;
    }
    return ACTIVITY_EVENT;
}

/* What a conversation's window keeps while it is not the current one:
 * its older lines are in the history and come back when scrolled to, so
 * fifty busy windows hold what fits a screen or two each, not a full
 * scrollback each that would grow for hours (bench long). */
#define HIDDEN_LINES 200

static guint keep(const Buffer *buffer)
{
    gboolean from_history = buffer->kind == BUFFER_CHAT ||
                            buffer->kind == BUFFER_ROOM ||
                            buffer->kind == BUFFER_PRIVATE;
    return from_history && buffer != buffer_current()
               ? MIN(scrollback, HIDDEN_LINES)
               : scrollback;
}

static void trim(Buffer *buffer)
{
    /* Trim a quarter of the limit at once so the array moves rarely. */
    guint kept = keep(buffer);
    guint limit = kept + kept / 4;
    if (buffer->lines->len <= limit)
        return;
    guint excess = buffer->lines->len - kept;
    /* Dropped messages are still in the history: scrolling up loads them
     * again from the oldest message left in memory. */
    gboolean had_history = FALSE;
    for (guint i = 0; i < excess && !had_history; i++)
        had_history =
            ((BufferLine *)g_ptr_array_index(buffer->lines, i))->history_id;
    g_ptr_array_remove_range(buffer->lines, 0, excess);
    buffer->lines_dropped += excess;
    if (!had_history)
        return;
    buffer->history_complete = FALSE;
    buffer->history_oldest = 0;
    for (guint i = 0; i < buffer->lines->len && !buffer->history_oldest; i++)
        buffer->history_oldest =
            ((BufferLine *)g_ptr_array_index(buffer->lines, i))->history_id;
}

static BufferLine *line_by_id(const Buffer *buffer, gint64 history_id)
{
    /* Recent lines are the likely ones: search from the end. */
    for (guint i = buffer->lines->len; history_id && i-- > 0;) {
        BufferLine *line = g_ptr_array_index(buffer->lines, i);
        if (line->history_id == history_id)
            return line;
    }
    return NULL;
}

static BufferLine *line_new(const BufferLineSpec *spec)
{
    BufferLine *line = g_new0(BufferLine, 1);
    line->time = spec->time ? spec->time : g_get_real_time();
    line->kind = spec->kind;
    line->nick =
        spec->nick ? text_sanitize(spec->nick, -1, SANITIZE_LINE) : NULL;
    line->text = text_sanitize(spec->text, -1, SANITIZE_MULTILINE);
    line->history_id = spec->history_id;
    line->state = spec->state;
    line->message_id = g_strdup(spec->message_id);
    line->edited = spec->edited;
    line->retracted = spec->retracted;
    line->reactions = spec->reactions
                          ? text_sanitize(spec->reactions, -1, SANITIZE_LINE)
                          : NULL;
    line->quote =
        spec->quote ? text_sanitize(spec->quote, -1, SANITIZE_LINE) : NULL;
    line->highlight = spec->highlight;
    line->security = spec->security;
    line->trust = spec->trust;
    return line;
}

const BufferLine *buffer_append(Buffer *buffer, LineKind kind, const char *nick,
                                const char *text)
{
    BufferLineSpec spec = {.kind = kind, .nick = nick, .text = text};
    return buffer_add(buffer, &spec);
}

const BufferLine *buffer_add(Buffer *buffer, const BufferLineSpec *spec)
{
    BufferLine *line = line_new(spec);
    g_ptr_array_add(buffer->lines, line);
    if (spec->history_id && !buffer->history_oldest)
        buffer->history_oldest = spec->history_id;

    if (buffer != current) {
        Activity a = activity_of(buffer, spec);
        if (a >= ACTIVITY_MESSAGE)
            buffer->unread++;
        if (a > buffer->activity)
            buffer->activity = a;
    }
    event_emit_buffer_line(buffer, line);
    trim(buffer);
    return line;
}

const BufferLine *buffer_appendf(Buffer *buffer, LineKind kind,
                                 const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    g_autofree char *text = g_strdup_vprintf(format, ap);
    va_end(ap);
    return buffer_append(buffer, kind, NULL, text);
}

void buffer_prepend(Buffer *buffer, const BufferLineSpec *specs, guint n)
{
    if (n == 0)
        return;
    for (guint i = n; i-- > 0;)
        g_ptr_array_insert(buffer->lines, 0, line_new(&specs[i]));
    if (buffer->search_match >= 0)
        buffer->search_match += n; /* the same line, further down */
    for (guint i = 0; i < n; i++) {
        if (specs[i].history_id) {
            buffer->history_oldest = specs[i].history_id;
            break;
        }
    }
    event_emit_buffer_prepended(buffer, n);
}

void buffer_set_line_state(Buffer *buffer, gint64 history_id,
                           MessageState state)
{
    BufferLine *line = line_by_id(buffer, history_id);
    if (!line)
        return;
    line->state = state;
    event_emit_buffer_line_changed(buffer, line);
}

void buffer_set_line_security(Buffer *buffer, gint64 history_id,
                              MessageSecurity security)
{
    BufferLine *line = line_by_id(buffer, history_id);
    if (!line || line->security == security)
        return;
    line->security = security;
    event_emit_buffer_line_changed(buffer, line);
}

const BufferLine *buffer_line_by_history_id(const Buffer *buffer,
                                            gint64 history_id)
{
    return line_by_id(buffer, history_id);
}

void buffer_line_set_text(Buffer *buffer, gint64 history_id, const char *text,
                          gboolean edited, gboolean retracted)
{
    BufferLine *line = line_by_id(buffer, history_id);
    if (!line)
        return;
    g_free(line->text);
    /* A retracted message keeps only a note of what happened, if any. */
    line->text = retracted && !text
                     ? g_strdup("")
                     : text_sanitize(text, -1, SANITIZE_MULTILINE);
    line->edited = edited;
    line->retracted = retracted;
    event_emit_buffer_line_changed(buffer, line);
}

void buffer_line_set_reactions(Buffer *buffer, gint64 history_id,
                               const char *reactions)
{
    BufferLine *line = line_by_id(buffer, history_id);
    if (!line)
        return;
    g_free(line->reactions);
    line->reactions =
        reactions ? text_sanitize(reactions, -1, SANITIZE_LINE) : NULL;
    event_emit_buffer_line_changed(buffer, line);
}

void buffer_select(Buffer *buffer, int direction)
{
    /* Where the selection is now; past the newest line when none. */
    guint at = buffer->lines->len;
    for (guint i = 0; buffer->selected && i < buffer->lines->len; i++) {
        const BufferLine *line = g_ptr_array_index(buffer->lines, i);
        if (line->history_id == buffer->selected)
            at = i;
    }
    gint64 selected = 0;
    for (gint64 i = (gint64)at + direction;
         i >= 0 && i < (gint64)buffer->lines->len; i += direction) {
        const BufferLine *line = g_ptr_array_index(buffer->lines, i);
        if (line->history_id && line->message_id && !line->retracted) {
            selected = line->history_id;
            break;
        }
    }
    /* Up at the oldest message keeps it; down past the newest clears. */
    if (!selected && direction < 0)
        return;
    buffer->selected = selected;
    event_emit_buffer(EVENT_BUFFER_CHANGED, buffer);
}

void buffer_unselect(Buffer *buffer)
{
    if (!buffer->selected)
        return;
    buffer->selected = 0;
    event_emit_buffer(EVENT_BUFFER_CHANGED, buffer);
}

void buffer_set_peer_state(Buffer *buffer, ChatState state)
{
    if (buffer->peer_state == state)
        return;
    buffer->peer_state = state;
    event_emit_buffer(EVENT_BUFFER_CHANGED, buffer);
}

void buffer_user_typing(Buffer *buffer)
{
    event_emit_buffer(EVENT_USER_TYPING, buffer);
}

void buffer_clear(Buffer *buffer)
{
    buffer->lines_dropped += buffer->lines->len;
    g_ptr_array_set_size(buffer->lines, 0);
    event_emit_buffer(EVENT_BUFFER_CHANGED, buffer);
}

Buffer *buffer_current(void)
{
    return current;
}

void buffer_switch(Buffer *buffer)
{
    current = buffer;
    buffer->unread = 0;
    buffer->activity = ACTIVITY_NONE;
    event_emit_buffer(EVENT_BUFFER_SWITCHED, buffer);
}

Buffer *buffer_by_number(guint number)
{
    for (guint i = 0; i < buffers->len; i++) {
        Buffer *b = g_ptr_array_index(buffers, i);
        if (b->number == number)
            return b;
    }
    return NULL;
}

static int compare_numbers(gconstpointer a, gconstpointer b)
{
    guint na = (*(Buffer *const *)a)->number;
    guint nb = (*(Buffer *const *)b)->number;
    return na < nb ? -1 : na > nb;
}

gboolean buffer_move(Buffer *buffer, guint number)
{
    if (buffer->kind == BUFFER_CONSOLE || number < 2)
        return FALSE;
    Buffer *other = buffer_by_number(number);
    if (other)
        other->number = buffer->number;
    buffer->number = number;
    g_ptr_array_sort(buffers, compare_numbers);
    if (other)
        event_emit_buffer(EVENT_BUFFER_CHANGED, other);
    event_emit_buffer(EVENT_BUFFER_CHANGED, buffer);
    return TRUE;
}

const GPtrArray *buffers_list(void)
{
    return buffers;
}

char *buffer_id(const Buffer *buffer)
{
    switch (buffer->kind) {
    case BUFFER_CONSOLE:
        return g_strdup("natter");
    case BUFFER_ACCOUNT:
    case BUFFER_XMLCONSOLE:
        return g_strdup(buffer->name);
    case BUFFER_FORM:
    case BUFFER_VIEW:
        return g_strdup_printf("%s/%s", buffer->account, buffer->name);
    case BUFFER_CHAT:
    case BUFFER_ROOM:
    case BUFFER_PRIVATE:
        break;
    }
    return g_strdup_printf("%s/%s", buffer->account, buffer->peer);
}

void buffers_set_scrollback(guint lines)
{
    scrollback = MAX(lines, 100u);
}
