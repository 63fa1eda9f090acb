/* conversation.c: see conversation.h. Histories are opened lazily, one per
 * account, and kept open: SQLite in WAL mode costs nothing while idle.
 * The view (show_message and friends) is the one subscriber that turns
 * messages into buffer lines. */
#include "core/conversation.h"

#include <string.h>

#include "core/account.h"
#include "core/pipeline.h"
#include "core/settings.h"

/* Each account's history is its data "history" (core/account.h): a
 * Kept, whose History is NULL when it could not be opened (said once). */
#define HISTORY_KEY "history"
typedef struct {
    History *history;
} Kept;
static guint stages[4];
static guint subscriptions[5];

static void kept_free(gpointer data)
{
    Kept *kept = data;
    history_close(kept->history);
    g_free(kept);
}

/* The history ACCOUNT has open, if any (none opened here). */
static History *open_history(const char *account)
{
    Kept *kept = account_data(account, HISTORY_KEY);
    return kept ? kept->history : NULL;
}

History *conversation_history(const char *account)
{
    Account *a = account ? account_find(account) : NULL;
    if (!a)
        return NULL;
    Kept *kept = account_get_data(a, HISTORY_KEY);
    if (kept)
        return kept->history;
    g_autoptr(GError) error = NULL;
    kept = g_new0(Kept, 1);
    kept->history = history_open(account, &error);
    account_set_data(a, HISTORY_KEY, kept, kept_free);
    if (!kept->history)
        buffer_appendf(buffer_account_console(account), LINE_ERROR,
                       "No history for this account: %s", error->message);
    return kept->history;
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
    History *h = open_history(account);
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

BufferKind conversation_buffer_kind(MessageKind kind)
{
    switch (kind) {
    case MESSAGE_GROUPCHAT:
        return BUFFER_ROOM;
    case MESSAGE_PRIVATE:
        return BUFFER_PRIVATE;
    case MESSAGE_CHAT:
    case MESSAGE_HEADLINE:
        break;
    }
    return BUFFER_CHAT;
}

MessageKind conversation_message_kind(BufferKind kind)
{
    switch (kind) {
    case BUFFER_ROOM:
        return MESSAGE_GROUPCHAT;
    case BUFFER_PRIVATE:
        return MESSAGE_PRIVATE;
    default:
        return MESSAGE_CHAT;
    }
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
    g_autofree char *nick =
        stored_nick(conversation_buffer_kind(m->kind), quoted);
    /* g_utf8_substring() must not be asked for more than there is. */
    glong len = g_utf8_strlen(quoted->body, -1);
    g_autofree char *text = g_utf8_substring(quoted->body, 0, MIN(len, 60));
    return g_strdup_printf("%s: %s%s", nick, text, len > 60 ? "..." : "");
}

/* The reactions to M as shown under it, or NULL. Caller frees. */
static char *reactions_of(History *h, const Message *m)
{
    return h && m->message_id ? history_reactions(h, m->peer, m->message_id)
                              : NULL;
}

/* The line for M, with the strings it points to kept alive in KEEP. */
static BufferLineSpec spec_of(History *h, const Message *m, const char *nick,
                              GPtrArray *keep)
{
    char *reactions = reactions_of(h, m);
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
                            .quote = quote,
                            .highlight = m->highlight,
                            .security = m->security,
                            .trust = m->trust};
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

Buffer *conversation_open_deferred(const char *account, BufferKind kind,
                                   const char *peer)
{
    Buffer *b = buffer_find(kind, account, peer);
    if (b)
        return b;
    b = buffer_open(kind, account, peer);
    b->history_deferred = conversation_history(account) != NULL;
    b->history_complete = !b->history_deferred;
    return b;
}

/* A deferred window shown for the first time: its last lines of history,
 * older than what came meanwhile. */
static EventResult load_deferred(Buffer *b, gpointer data)
{
    (void)data;
    if (!b->history_deferred)
        return EVENT_CONTINUE;
    b->history_deferred = FALSE;
    History *h = conversation_history(b->account);
    if (!h) {
        b->history_complete = TRUE;
        return EVENT_CONTINUE;
    }
    g_autoptr(GPtrArray) last =
        history_last(h, b->peer, CONVERSATION_BACKLOG, b->history_oldest);
    prepend_messages(b, last);
    b->history_complete = last->len < CONVERSATION_BACKLOG;
    return EVENT_CONTINUE;
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

/* ---- the pipeline's stages ------------------------------------------- */

/* IN and OUT: into the history, where a message seen before stops. A
 * history that cannot be written is reported and the message goes on:
 * nothing received is dropped. */
static StageVerdict store_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    History *h = conversation_history(m->account);
    gboolean duplicate = FALSE;
    g_autoptr(GError) error = NULL;
    if (h && !history_add(h, m, &duplicate, &error)) {
        Buffer *b = find_conversation(m->account, m->peer);
        buffer_appendf(b ? b : buffer_account_console(m->account), LINE_ERROR,
                       "Not saved in history: %s", error->message);
    }
    return duplicate ? STAGE_CONSUMED : STAGE_CONTINUE;
}

static StageVerdict deliver_stage(PipelineItem *item, gpointer data)
{
    event_emit_message(GPOINTER_TO_UINT(data), item->message);
    return STAGE_CONTINUE;
}

/* ---- the view ---------------------------------------------------------- */

/* A new message becomes a line in its conversation's window. */
static EventResult show_message(const Message *m, gpointer data)
{
    BufferKind kind = conversation_buffer_kind(m->kind);
    Buffer *b = buffer_find(kind, m->account, m->peer);
    g_autofree char *nick = m->nick ? g_strdup(m->nick) : stored_nick(kind, m);
    if (!b && kind == BUFFER_CHAT && m->direction == MESSAGE_IN &&
        !settings_get_bool("open_chat_on_message")) {
        /* No new window: stored, and told in the account's console with
         * its text, so nothing goes unseen. */
        g_autofree char *from = g_strdup_printf("%s (/msg %s)", nick, m->peer);
        buffer_append(buffer_account_console(m->account), LINE_IN, from,
                      m->body);
        return EVENT_CONTINUE;
    }
    /* A new window shows the history before this message, then it, as a
     * new line (unread, activity). */
    if (!b)
        b = open_kind(m->account, kind, m->peer, m->id);
    History *h = conversation_history(m->account);
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    BufferLineSpec spec = spec_of(h, m, nick, keep);
    buffer_add(b, &spec);
    return EVENT_CONTINUE;
}

static EventResult show_state(const Message *m, gpointer data)
{
    Buffer *b = find_conversation(m->account, m->peer);
    if (b)
        buffer_set_line_state(b, m->id, m->state);
    return EVENT_CONTINUE;
}

static EventResult show_change(const Message *m, gpointer data)
{
    Buffer *b = find_conversation(m->account, m->peer);
    const BufferLine *line = b ? buffer_line_by_history_id(b, m->id) : NULL;
    if (!line)
        return EVENT_CONTINUE;
    if (line->edited != m->edited || line->retracted != m->retracted)
        buffer_line_set_text(b, m->id, m->body, m->edited, m->retracted);
    g_autofree char *reactions =
        reactions_of(conversation_history(m->account), m);
    if (g_strcmp0(reactions, line->reactions) != 0)
        buffer_line_set_reactions(b, m->id, reactions);
    return EVENT_CONTINUE;
}

void conversation_init(void)
{
    if (stages[0])
        return;
    stages[0] = pipeline_add(PIPELINE_IN, STAGE_STORE, "store", store_stage,
                             NULL, NULL);
    stages[1] =
        pipeline_add(PIPELINE_IN, STAGE_DELIVER, "deliver", deliver_stage,
                     GUINT_TO_POINTER(EVENT_MESSAGE_RECEIVED), NULL);
    stages[2] = pipeline_add(PIPELINE_OUT, STAGE_STORE, "store", store_stage,
                             NULL, NULL);
    stages[3] =
        pipeline_add(PIPELINE_OUT, STAGE_DELIVER, "deliver", deliver_stage,
                     GUINT_TO_POINTER(EVENT_MESSAGE_SENT), NULL);
    subscriptions[0] = event_on_message(
        EVENT_MESSAGE_RECEIVED, EVENT_PRIORITY_VIEW, show_message, NULL);
    subscriptions[1] = event_on_message(EVENT_MESSAGE_SENT, EVENT_PRIORITY_VIEW,
                                        show_message, NULL);
    subscriptions[2] = event_on_message(EVENT_MESSAGE_STATE,
                                        EVENT_PRIORITY_VIEW, show_state, NULL);
    subscriptions[3] = event_on_message(EVENT_MESSAGE_CHANGED,
                                        EVENT_PRIORITY_VIEW, show_change, NULL);
    subscriptions[4] = event_on_buffer(
        EVENT_BUFFER_SWITCHED, EVENT_PRIORITY_MODEL, load_deferred, NULL);
}

void conversations_shutdown(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(stages); i++)
        g_clear_handle_id(&stages[i], pipeline_remove);
    for (guint i = 0; i < G_N_ELEMENTS(subscriptions); i++)
        g_clear_handle_id(&subscriptions[i], event_unsubscribe);
    accounts_clear_data(HISTORY_KEY);
}

/* ---- changes to stored messages ---------------------------------------- */

void conversation_set_state(const char *account, const char *peer,
                            const char *origin_id, MessageState state)
{
    History *h = conversation_history(account);
    if (!h || !history_set_state(h, peer, origin_id, state))
        return;
    g_autoptr(Message) m =
        history_get(h, history_find_origin(h, peer, origin_id));
    if (!m)
        return;
    m->account = g_strdup(account);
    event_emit_message(EVENT_MESSAGE_STATE, m);
}

void conversation_set_security(const Message *m)
{
    History *h = conversation_history(m->account);
    if (!m->id || !h || !history_set_security(h, m->id, m->security))
        return;
    Buffer *b = find_conversation(m->account, m->peer);
    if (b)
        buffer_set_line_security(b, m->id, m->security);
}

Message *conversation_find(const char *account, const char *peer,
                           const char *id)
{
    History *h = conversation_history(account);
    Message *m = h && id ? history_find_message(h, peer, id) : NULL;
    if (m)
        m->account = g_strdup(account);
    return m;
}

/* The stored message ID of the conversation with PEER, if SENDER (NULL:
 * us) wrote it: only its author may change it. In a chat the author is a
 * bare JID; in a room the occupant's full JID. */
static Message *authored(const char *account, const char *peer, const char *id,
                         const char *sender)
{
    Message *m = conversation_find(account, peer, id);
    if (!m)
        return NULL;
    gboolean ours = m->direction == MESSAGE_OUT;
    gboolean room =
        m->from && strchr(m->from, '/') && sender && strchr(sender, '/');
    g_autofree char *author = m->from ? g_strdup(m->from) : NULL;
    char *slash = author && !room ? strchr(author, '/') : NULL;
    if (slash)
        *slash = '\0';
    if (sender ? (ours || g_strcmp0(author, sender) != 0) : !ours) {
        message_unref(m);
        return NULL;
    }
    return m;
}

gboolean conversation_correct(const char *account, const char *peer,
                              const char *id, const char *sender,
                              const char *body)
{
    History *h = conversation_history(account);
    g_autoptr(Message) m = h ? authored(account, peer, id, sender) : NULL;
    if (!m || !history_correct(h, m->id, body))
        return FALSE;
    g_free(m->body);
    m->body = g_strdup(body);
    m->edited = TRUE;
    event_emit_message(EVENT_MESSAGE_CHANGED, m);
    return TRUE;
}

gboolean conversation_retract(const char *account, const char *peer,
                              const char *id, const char *sender)
{
    History *h = conversation_history(account);
    g_autoptr(Message) m = h ? authored(account, peer, id, sender) : NULL;
    if (!m || !history_retract(h, m->id, NULL))
        return FALSE;
    g_clear_pointer(&m->body, g_free);
    m->retracted = TRUE;
    event_emit_message(EVENT_MESSAGE_CHANGED, m);
    return TRUE;
}

gboolean conversation_moderate(const char *account, const char *room,
                               const char *stanza_id, const char *by,
                               const char *reason)
{
    History *h = conversation_history(account);
    g_autoptr(Message) m = conversation_find(account, room, stanza_id);
    /* The room's own id for it, and no other (XEP-0425 §4). */
    if (!h || !m || g_strcmp0(m->stanza_id, stanza_id) != 0)
        return FALSE;
    const char *slash = strchr(by, '/');
    g_autofree char *note = g_strdup_printf(
        "removed by %s%s%s", slash ? slash + 1 : by,
        reason && *reason ? ": " : "", reason && *reason ? reason : "");
    if (!history_retract(h, m->id, note))
        return FALSE;
    g_free(m->body);
    m->body = g_steal_pointer(&note);
    m->retracted = TRUE;
    event_emit_message(EVENT_MESSAGE_CHANGED, m);
    return TRUE;
}

gboolean conversation_react(const char *account, const char *peer,
                            const char *id, const char *sender,
                            const char *emojis)
{
    History *h = conversation_history(account);
    g_autoptr(Message) m = conversation_find(account, peer, id);
    if (!m)
        return FALSE;
    if (!m->message_id)
        m->message_id = g_strdup(id);
    history_set_reactions(h, peer, m->message_id, sender, emojis);
    event_emit_message(EVENT_MESSAGE_CHANGED, m);
    return TRUE;
}
