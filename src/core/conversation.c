/* conversation.c: see conversation.h. Histories are opened lazily, one per
 * account, and kept open: SQLite in WAL mode costs nothing while idle. */
#include "core/conversation.h"

#include <string.h>

static GHashTable *histories; /* account name -> History (NULL: failed) */

History *conversation_history(const char *account)
{
    if (!account)
        return NULL;
    if (!histories)
        histories = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)history_close);
    gpointer h = NULL;
    if (g_hash_table_lookup_extended(histories, account, NULL, &h))
        return h;
    g_autoptr(GError) error = NULL;
    h = history_open(account, &error);
    if (!h)
        buffer_appendf(buffer_account_console(account), LINE_ERROR,
                       "No history for this account: %s", error->message);
    g_hash_table_insert(histories, g_strdup(account), h);
    return h;
}

void conversations_shutdown(void)
{
    g_clear_pointer(&histories, g_hash_table_unref);
}

static LineKind line_kind(const HistoryMessage *m)
{
    return m->direction == HISTORY_OUT ? LINE_OUT : LINE_IN;
}

/* The nick a stored message is shown with: the local part of who wrote
 * it (the account's own for ours), as live lines do; in rooms, the
 * occupant's nick (the resource of room@service/nick). */
static char *stored_nick(BufferKind kind, const HistoryMessage *m)
{
    const char *from = m->from ? m->from : m->peer;
    const char *at = strchr(from, '@');
    const char *slash = strchr(from, '/');
    if ((kind == BUFFER_ROOM || kind == BUFFER_PRIVATE) && slash)
        return g_strdup(slash + 1);
    if (m->direction == HISTORY_OUT && at)
        return g_strndup(from, at - from);
    return g_strndup(from, slash ? (gsize)(slash - from) : strlen(from));
}

static void prepend_messages(Buffer *b, GPtrArray *messages)
{
    if (messages->len == 0)
        return;
    g_autofree BufferLineSpec *specs = g_new0(BufferLineSpec, messages->len);
    GPtrArray *nicks = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < messages->len; i++) {
        HistoryMessage *m = g_ptr_array_index(messages, i);
        char *nick = stored_nick(b->kind, m);
        g_ptr_array_add(nicks, nick);
        specs[i] = (BufferLineSpec){.kind = line_kind(m),
                                    .nick = nick,
                                    .text = m->body,
                                    .time = m->time,
                                    .history_id = m->id,
                                    .state = m->state};
    }
    buffer_prepend(b, specs, messages->len);
    g_ptr_array_unref(nicks);
}

static gboolean is_conversation(BufferKind kind)
{
    return kind == BUFFER_CHAT || kind == BUFFER_ROOM || kind == BUFFER_PRIVATE;
}

Buffer *conversation_open(const char *account, const char *peer)
{
    return conversation_open_kind(account, BUFFER_CHAT, peer);
}

Buffer *conversation_open_kind(const char *account, BufferKind kind,
                               const char *peer)
{
    Buffer *b = buffer_find(kind, account, peer);
    if (b)
        return b;
    b = buffer_open(kind, account, peer);
    History *h = conversation_history(account);
    if (!h) {
        b->history_complete = TRUE;
        return b;
    }
    g_autoptr(GPtrArray) last =
        history_last(h, b->peer, CONVERSATION_BACKLOG, 0);
    prepend_messages(b, last);
    b->history_complete = last->len < CONVERSATION_BACKLOG;
    return b;
}

guint conversation_load_older(Buffer *b, guint n)
{
    History *h = conversation_history(b->account);
    if (!h || !is_conversation(b->kind) || b->history_complete ||
        !b->history_oldest)
        return 0;
    g_autoptr(GPtrArray) older = history_last(h, b->peer, n, b->history_oldest);
    prepend_messages(b, older);
    if (older->len < n)
        b->history_complete = TRUE;
    return older->len;
}

const BufferLine *conversation_add(const char *account, HistoryMessage *m,
                                   const char *nick)
{
    return conversation_add_to(account, BUFFER_CHAT, m, nick, FALSE);
}

const BufferLine *conversation_add_to(const char *account, BufferKind kind,
                                      HistoryMessage *m, const char *nick,
                                      gboolean highlight)
{
    Buffer *b = conversation_open_kind(account, kind, m->peer);
    History *h = conversation_history(account);
    gboolean duplicate = FALSE;
    g_autoptr(GError) error = NULL;
    if (h && !history_add(h, m, &duplicate, &error))
        buffer_appendf(b, LINE_ERROR, "Not saved in history: %s",
                       error->message);
    if (duplicate)
        return NULL;
    BufferLineSpec spec = {.kind = line_kind(m),
                           .nick = nick,
                           .text = m->body,
                           .time = m->time,
                           .history_id = m->id,
                           .state = m->state,
                           .highlight = highlight};
    return buffer_add(b, &spec);
}

void conversation_set_state(const char *account, const char *peer,
                            const char *origin_id, HistoryState state)
{
    History *h = conversation_history(account);
    if (!h || !history_set_state(h, peer, origin_id, state))
        return;
    Buffer *b = buffer_find(BUFFER_CHAT, account, peer);
    if (!b)
        b = buffer_find(BUFFER_ROOM, account, peer);
    if (!b)
        b = buffer_find(BUFFER_PRIVATE, account, peer);
    if (!b)
        return;
    /* The row id is what lines know; find it through the history. */
    gint64 id = history_find_origin(h, peer, origin_id);
    buffer_set_line_state(b, id, state);
}
