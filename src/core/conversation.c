/* conversation.c: see conversation.h. Histories are opened lazily, one per
 * account, and kept open: SQLite in WAL mode costs nothing while idle. */
#include "core/conversation.h"

#include <string.h>

#include "core/settings.h"

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

void conversation_batch_begin(const char *account)
{
    History *h = conversation_history(account);
    if (h)
        history_batch_begin(h);
}

static void batch_close(const char *account, gboolean end)
{
    /* Only a history already open can hold a batch. */
    History *h = histories ? g_hash_table_lookup(histories, account) : NULL;
    g_autoptr(GError) error = NULL;
    if (h &&
        !(end ? history_batch_end(h, &error) : history_batch_commit(h, &error)))
        buffer_appendf(buffer_account_console(account), LINE_ERROR,
                       "Messages just received were not saved in history: "
                       "%s",
                       error->message);
}

void conversation_batch_end(const char *account)
{
    batch_close(account, TRUE);
}

void conversation_batch_commit(const char *account)
{
    batch_close(account, FALSE);
}

void conversations_shutdown(void)
{
    g_clear_pointer(&histories, g_hash_table_unref);
}

static LineKind line_kind(const Message *m)
{
    return m->direction == MESSAGE_OUT ? LINE_OUT : LINE_IN;
}

/* The nick a stored message is shown with: the local part of who wrote
 * it (the account's own for ours), as live lines do; in rooms, the
 * occupant's nick (the resource of room@service/nick). */
static char *stored_nick(BufferKind kind, const Message *m)
{
    const char *from = m->from ? m->from : m->peer;
    const char *at = strchr(from, '@');
    const char *slash = strchr(from, '/');
    if ((kind == BUFFER_ROOM || kind == BUFFER_PRIVATE) && slash)
        return g_strdup(slash + 1);
    if (m->direction == MESSAGE_OUT && at)
        return g_strndup(from, at - from);
    return g_strndup(from, slash ? (gsize)(slash - from) : strlen(from));
}

/* What a reply quotes, for the line: "nick: text" of the message it
 * answers, when we have it. Caller frees. */
static char *quote_of(History *h, const Message *m)
{
    if (!h || !m->reply_to)
        return NULL;
    g_autoptr(Message) quoted = history_find_message(h, m->peer, m->reply_to);
    if (!quoted)
        return g_strdup("(an earlier message)");
    g_autofree char *nick = stored_nick(BUFFER_CHAT, quoted);
    /* g_utf8_substring() must not be asked for more than there is. */
    glong len = g_utf8_strlen(quoted->body, -1);
    g_autofree char *text = g_utf8_substring(quoted->body, 0, MIN(len, 60));
    return g_strdup_printf("%s: %s%s", nick, text, len > 60 ? "..." : "");
}

/* The line for M, with the strings it points to kept alive in KEEP. */
static BufferLineSpec spec_of(History *h, const Message *m, const char *nick,
                              GPtrArray *keep)
{
    char *reactions = h && m->message_id
                          ? history_reactions(h, m->peer, m->message_id)
                          : NULL;
    char *quote = quote_of(h, m);
    g_ptr_array_add(keep, reactions);
    g_ptr_array_add(keep, quote);
    return (BufferLineSpec){.kind = line_kind(m),
                            .nick = nick,
                            .text = m->body,
                            .time = m->time,
                            .history_id = m->id,
                            .state = m->state,
                            .message_id = m->message_id,
                            .edited = m->edited,
                            .retracted = m->retracted,
                            .reactions = reactions,
                            .quote = quote};
}

static void prepend_messages(Buffer *b, GPtrArray *messages)
{
    if (messages->len == 0)
        return;
    History *h = conversation_history(b->account);
    g_autofree BufferLineSpec *specs = g_new0(BufferLineSpec, messages->len);
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < messages->len; i++) {
        Message *m = g_ptr_array_index(messages, i);
        char *nick = stored_nick(b->kind, m);
        g_ptr_array_add(keep, nick);
        specs[i] = spec_of(h, m, nick, keep);
    }
    buffer_prepend(b, specs, messages->len);
}

static gboolean is_conversation(BufferKind kind)
{
    return kind == BUFFER_CHAT || kind == BUFFER_ROOM || kind == BUFFER_PRIVATE;
}

/* Opens the conversation of KIND with PEER, filled with its last lines of
 * history older than row BEFORE (0: the newest). */
static Buffer *open_kind(const char *account, BufferKind kind, const char *peer,
                         gint64 before)
{
    Buffer *b = buffer_open(kind, account, peer);
    History *h = conversation_history(account);
    if (!h) {
        b->history_complete = TRUE;
        return b;
    }
    g_autoptr(GPtrArray) last =
        history_last(h, b->peer, CONVERSATION_BACKLOG, before);
    prepend_messages(b, last);
    b->history_complete = last->len < CONVERSATION_BACKLOG;
    return b;
}

Buffer *conversation_open(const char *account, const char *peer)
{
    return conversation_open_kind(account, BUFFER_CHAT, peer);
}

Buffer *conversation_open_kind(const char *account, BufferKind kind,
                               const char *peer)
{
    Buffer *b = buffer_find(kind, account, peer);
    return b ? b : open_kind(account, kind, peer, 0);
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

const BufferLine *conversation_add(const char *account, Message *m,
                                   const char *nick)
{
    return conversation_add_to(account, BUFFER_CHAT, m, nick, FALSE);
}

const BufferLine *conversation_add_to(const char *account, BufferKind kind,
                                      Message *m, const char *nick,
                                      gboolean highlight)
{
    History *h = conversation_history(account);
    Buffer *b = buffer_find(kind, account, m->peer);
    gboolean duplicate = FALSE;
    g_autoptr(GError) error = NULL;
    if (h && !history_add(h, m, &duplicate, &error))
        buffer_appendf(b ? b : buffer_account_console(account), LINE_ERROR,
                       "Not saved in history: %s", error->message);
    /* A message seen before changes nothing, and opens no window. */
    if (duplicate)
        return NULL;
    if (!b && kind == BUFFER_CHAT && m->direction == MESSAGE_IN &&
        !settings_get_bool("open_chat_on_message")) {
        /* No new window: stored, and told in the account's console with
         * its text, so nothing goes unseen. */
        g_autofree char *from = g_strdup_printf("%s (/msg %s)", nick, m->peer);
        return buffer_append(buffer_account_console(account), LINE_IN, from,
                             m->body);
    }
    /* A new window shows the history before this message, then it, as a
     * new line (unread, activity). */
    if (!b)
        b = open_kind(account, kind, m->peer, m->id);
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    BufferLineSpec spec = spec_of(h, m, nick, keep);
    spec.highlight = highlight;
    return buffer_add(b, &spec);
}

/* The open window of the conversation with PEER, of whatever kind. */
static Buffer *find_conversation(const char *account, const char *peer)
{
    static const BufferKind kinds[] = {BUFFER_CHAT, BUFFER_ROOM,
                                       BUFFER_PRIVATE};
    for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
        Buffer *b = buffer_find(kinds[i], account, peer);
        if (b)
            return b;
    }
    return NULL;
}

void conversation_set_state(const char *account, const char *peer,
                            const char *origin_id, MessageState state)
{
    History *h = conversation_history(account);
    if (!h || !history_set_state(h, peer, origin_id, state))
        return;
    Buffer *b = find_conversation(account, peer);
    if (!b)
        return;
    /* The row id is what lines know; find it through the history. */
    gint64 id = history_find_origin(h, peer, origin_id);
    buffer_set_line_state(b, id, state);
}

/* The stored message MESSAGE_ID of the conversation with PEER, if SENDER
 * (a bare JID, or NULL for us) wrote it: only its author may change it
 * (XEP-0308 §7, XEP-0424 §7). */
static Message *authored(History *h, const char *peer, const char *message_id,
                         const char *sender)
{
    Message *m = history_find_message(h, peer, message_id);
    if (!m)
        return NULL;
    gboolean ours = m->direction == MESSAGE_OUT;
    g_autofree char *author = m->from ? g_strdup(m->from) : NULL;
    char *slash = author ? strchr(author, '/') : NULL;
    if (slash)
        *slash = '\0';
    if (sender ? (ours || g_strcmp0(author, sender) != 0) : !ours) {
        message_unref(m);
        return NULL;
    }
    return m;
}

gboolean conversation_correct(const char *account, const char *peer,
                              const char *message_id, const char *sender,
                              const char *body)
{
    History *h = conversation_history(account);
    g_autoptr(Message) m = h ? authored(h, peer, message_id, sender) : NULL;
    if (!m || !history_correct(h, m->id, body))
        return FALSE;
    Buffer *b = find_conversation(account, peer);
    if (b)
        buffer_line_set_text(b, m->id, body, TRUE, FALSE);
    return TRUE;
}

gboolean conversation_retract(const char *account, const char *peer,
                              const char *message_id, const char *sender)
{
    History *h = conversation_history(account);
    g_autoptr(Message) m = h ? authored(h, peer, message_id, sender) : NULL;
    if (!m || !history_retract(h, m->id))
        return FALSE;
    Buffer *b = find_conversation(account, peer);
    if (b)
        buffer_line_set_text(b, m->id, NULL, m->edited, TRUE);
    return TRUE;
}

gboolean conversation_react(const char *account, const char *peer,
                            const char *message_id, const char *sender,
                            const char *emojis)
{
    History *h = conversation_history(account);
    g_autoptr(Message) m = h ? history_find_message(h, peer, message_id) : NULL;
    if (!m)
        return FALSE;
    history_set_reactions(h, peer, m->message_id ? m->message_id : message_id,
                          sender, emojis);
    g_autofree char *summary = history_reactions(h, peer, message_id);
    Buffer *b = find_conversation(account, peer);
    if (b)
        buffer_line_set_reactions(b, m->id, summary);
    return TRUE;
}
