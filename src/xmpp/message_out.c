/* message_out.c: what we send. A message the user types becomes a Message
 * and runs the outbound pipeline (stored as pending, then announced, so
 * it shows at once); it is transmitted when it can leave: at once when
 * the account is online (and, for a room or a room's occupant, we are in
 * the room), else when that is so again (message_send_pending). Leaving
 * means the send stages: encryption stages (none yet), then the ones
 * registered here:
 *
 *   decorate   a new chat message asks for a receipt and to be marked
 *              as read, and says we are active
 *   transmit   onto the wire; the stored message becomes "sent"
 *
 * Corrections, retractions and reactions are applied to our history
 * first and leave through the same send stages. */
#include "xmpp/message.h"

#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "core/room.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/chatstates.h"
#include "xmpp/message_build.h"
#include "xmpp/message_internal.h"
#include "xmpp/ns.h"
#include "xmpp/stanza.h"

static guint stages[2];

/* The room of a room or private message to PEER, if we are in it or
 * joining it (nothing sent to a room we left). */
static Room *room_of(const char *account, const char *peer)
{
    g_autofree char *bare = jid_bare(peer);
    Room *r = bare ? room_find(account, bare) : NULL;
    return r && r->state != ROOM_LEFT ? r : NULL;
}

/* The session M can leave on now, or NULL: the account is offline, or M
 * is for a room we are not (yet, or again) in. */
static Session *ready(const Message *m)
{
    Session *s = session_online(m->account, NULL);
    if (!s || m->kind == MESSAGE_CHAT)
        return s;
    Room *r = room_of(m->account, m->peer);
    return r && r->state == ROOM_JOINED ? s : NULL;
}

/* The id the XEPs have us point at the stored message TARGET with: in a
 * room the room's own (stanza-id: XEP-0424 §5, XEP-0444 §5, XEP-0461
 * §4), elsewhere the stanza's id. NULL with ERROR set when it has none. */
static const char *reference_id(const Message *target, MessageKind kind,
                                GError **error)
{
    const char *id =
        kind == MESSAGE_GROUPCHAT
            ? target->stanza_id
            : (target->message_id ? target->message_id : target->origin_id);
    if (!id)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    kind == MESSAGE_GROUPCHAT
                        ? "the room gave that message no id: it cannot be "
                          "answered, reacted to or withdrawn"
                        : "that message has no id to refer to");
    return id;
}

/* The stored message ROW of the conversation with PEER, or NULL with
 * ERROR set. */
static Message *stored(const char *account, const char *peer, gint64 row,
                       GError **error)
{
    History *h = conversation_history(account);
    Message *m = h && row ? history_get(h, row) : NULL;
    if (!m || g_strcmp0(m->peer, peer) != 0) {
        g_clear_pointer(&m, message_unref);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "that message is not in history");
        return NULL;
    }
    m->account = g_strdup(account);
    return m;
}

/* A new message of ours of KIND to PEER (normalised), from us. */
static Message *ours(const char *account, MessageKind kind, const char *peer)
{
    Account *a = account_find(account);
    Session *s = session_find(account);
    Message *m = message_new();
    m->account = g_strdup(account);
    m->kind = kind;
    m->origin = MESSAGE_LOCAL;
    m->direction = MESSAGE_OUT;
    m->peer = g_strdup(peer);
    m->time = g_get_real_time();
    m->origin_id = g_uuid_string_random();
    m->message_id = g_strdup(m->origin_id);
    Room *r = kind == MESSAGE_CHAT ? NULL : room_of(account, peer);
    if (r) {
        m->from = g_strdup_printf("%s/%s", r->jid, r->nick);
        m->nick = g_strdup(r->nick);
    } else {
        m->from = g_strdup(s && s->bound_jid ? s->bound_jid : a->jid);
        g_autoptr(Jid) jid = jid_parse(a->jid, NULL);
        m->nick = g_strdup(jid && jid->local ? jid->local : a->name);
    }
    return m;
}

/* The conversation's address for KIND from what was typed: a bare JID for
 * chats and rooms, the occupant's full JID for a private chat. Caller
 * frees; NULL with ERROR set. */
static char *conversation_peer(const char *account, MessageKind kind,
                               const char *to, GError **error)
{
    g_autoptr(Jid) jid = jid_parse(to, error);
    if (!jid)
        return NULL;
    if (kind == MESSAGE_CHAT)
        return g_strdup(jid->bare);
    if (!room_of(account, jid->bare)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "you are not in the room %s (/join %s)", jid->bare,
                    jid->bare);
        return NULL;
    }
    if (kind == MESSAGE_PRIVATE && !jid->resource) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "which occupant of %s? (/msg NICK in the room's window)",
                    jid->bare);
        return NULL;
    }
    return g_strdup(kind == MESSAGE_PRIVATE ? jid->full : jid->bare);
}

/* message_send(), with the file ATTACHMENT (NULL: none) carried as
 * out-of-band data. */
static gboolean send_with(const char *account, MessageKind kind, const char *to,
                          const char *body, gint64 reply_row,
                          const MessageAttachment *attachment, GError **error)
{
    if (!account_find(account)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no account named '%s'", account ? account : "");
        return FALSE;
    }
    g_autofree char *peer = conversation_peer(account, kind, to, error);
    if (!peer)
        return FALSE;
    g_autoptr(Message) m = ours(account, kind, peer);
    m->body = g_strdup(body);
    m->state = MESSAGE_PENDING;
    if (attachment)
        message_add_attachment(m, attachment->url, attachment->media_type,
                               attachment->size);
    if (reply_row) {
        g_autoptr(Message) target = stored(account, peer, reply_row, error);
        const char *id = target ? reference_id(target, kind, error) : NULL;
        if (!id)
            return FALSE;
        m->reply_to = g_strdup(id);
        m->reply_to_jid = g_strdup(kind == MESSAGE_CHAT ? peer : target->from);
    }
    Session *s = ready(m);
    if (!s && !conversation_history(account)) {
        /* Without history there is nowhere to keep it until later. */
        return session_online(account, error) != NULL;
    }
    PipelineItem item = {.message = m};
    if (pipeline_run(PIPELINE_OUT, &item) == STAGE_REFUSED) {
        /* A stage (a plugin's filter) would not let it go: not stored,
         * not sent, and the user is told why. */
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE, "Not sent: %s",
                    item.reason ? item.reason : "refused");
        pipeline_item_clear(&item);
        return FALSE;
    }
    pipeline_item_clear(&item);
    if (s) {
        message_transmit(s, m);
        return TRUE;
    }
    Buffer *b =
        conversation_open_kind(account, conversation_buffer_kind(kind), peer);
    if (kind == MESSAGE_CHAT || !session_online(account, NULL))
        buffer_appendf(b, LINE_INFO,
                       "%s is not online: the message is kept and will be "
                       "sent when it connects",
                       account);
    else
        buffer_appendf(b, LINE_INFO,
                       "Not in %s at the moment: the message is kept and "
                       "will be sent once you are in the room again",
                       m->kind == MESSAGE_GROUPCHAT ? peer : "the room");
    return TRUE;
}

gboolean message_send(const char *account, MessageKind kind, const char *to,
                      const char *body, gint64 reply_row, GError **error)
{
    return send_with(account, kind, to, body, reply_row, NULL, error);
}

gboolean message_send_file_link(const char *account, MessageKind kind,
                                const char *to, const char *url,
                                const char *media_type, gint64 size,
                                GError **error)
{
    MessageAttachment a = {
        .url = (char *)url, .media_type = (char *)media_type, .size = size};
    return send_with(account, kind, to, url, 0, &a, error);
}

gboolean message_send_chat(const char *account, const char *to,
                           const char *body, GError **error)
{
    return message_send(account, MESSAGE_CHAT, to, body, 0, error);
}

/* The quote a reply carries for clients without replies (XEP-0461 §5):
 * "> text\n" of the first line of the message it answers. */
static char *reply_quote(const Message *m)
{
    g_autoptr(Message) quoted =
        conversation_find(m->account, m->peer, m->reply_to);
    if (!quoted || !quoted->body)
        return NULL;
    g_autofree char *first = g_strdup(quoted->body);
    char *nl = strchr(first, '\n');
    if (nl)
        *nl = '\0';
    return g_strdup_printf("> %s\n", first);
}

void message_transmit(Session *s, Message *m)
{
    if (m->reply_to && !m->reply_quote)
        m->reply_quote = reply_quote(m);
    xmpp_stanza_t *stanza = message_build(s->ctx, m);
    PipelineItem item = {.message = m, .stanza = stanza, .session = s};
    StageVerdict verdict = pipeline_run(PIPELINE_SEND, &item);
    xmpp_stanza_release(stanza);
    if (verdict != STAGE_REFUSED) {
        pipeline_item_clear(&item);
        return;
    }
    /* Refused (it could not be encrypted as the conversation requires,
     * say): never sent, and said where it was typed. */
    Buffer *b = conversation_open_kind(
        m->account, conversation_buffer_kind(m->kind), m->peer);
    buffer_appendf(b, LINE_ERROR, "Not sent: %s",
                   item.reason ? item.reason : "refused");
    if (m->id)
        conversation_set_state(m->account, m->peer, m->origin_id,
                               MESSAGE_FAILED);
    pipeline_item_clear(&item);
}

void message_send_pending(Session *s, const char *room)
{
    History *h = conversation_history(s->account);
    if (!h)
        return;
    g_autoptr(GPtrArray) pending = history_pending(h);
    guint sent = 0;
    for (guint i = 0; i < pending->len; i++) {
        Message *m = g_ptr_array_index(pending, i);
        g_autofree char *bare = jid_bare(m->peer);
        gboolean mine =
            room ? m->kind != MESSAGE_CHAT && g_strcmp0(bare, room) == 0
                 : m->kind == MESSAGE_CHAT;
        if (!mine)
            continue;
        m->account = g_strdup(s->account);
        if (!ready(m))
            continue;
        message_transmit(s, m);
        sent++;
    }
    if (sent)
        buffer_appendf(
            room ? conversation_open_kind(s->account, BUFFER_ROOM, room)
                 : buffer_account_console(s->account),
            LINE_INFO, "Sent %u message%s typed while offline.", sent,
            sent == 1 ? "" : "s");
}

/* ---- changes to earlier messages --------------------------------------- */

/* The session a change of a message in KIND with PEER can leave on now,
 * or NULL with ERROR set. */
static Session *change_session(const char *account, MessageKind kind,
                               const char *peer, GError **error)
{
    Session *s = session_online(account, error);
    if (!s || kind == MESSAGE_CHAT)
        return s;
    Room *r = room_of(account, peer);
    if (!r || r->state != ROOM_JOINED) {
        g_autofree char *bare = jid_bare(peer);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "not in %s at the moment", bare ? bare : peer);
        return NULL;
    }
    return s;
}

/* A change of ours (no body of its own yet) to the conversation. */
static Message *change(const char *account, MessageKind kind, const char *peer)
{
    Message *m = ours(account, kind, peer);
    m->state = MESSAGE_SENT;
    return m;
}

gboolean message_send_correction(const char *account, MessageKind kind,
                                 const char *peer, gint64 row, const char *body,
                                 GError **error)
{
    Session *s = change_session(account, kind, peer, error);
    g_autoptr(Message) target = s ? stored(account, peer, row, error) : NULL;
    if (!target)
        return FALSE;
    /* XEP-0308 points at the stanza's id, in rooms too. */
    const char *id =
        target->message_id ? target->message_id : target->origin_id;
    if (!id || !conversation_correct(account, peer, id, NULL, body)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "only your own messages can be corrected");
        return FALSE;
    }
    g_autoptr(Message) m = change(account, kind, peer);
    m->body = g_strdup(body);
    m->replaces_id = g_strdup(id);
    message_transmit(s, m);
    return TRUE;
}

gboolean message_send_retraction(const char *account, MessageKind kind,
                                 const char *peer, gint64 row, GError **error)
{
    Session *s = change_session(account, kind, peer, error);
    g_autoptr(Message) target = s ? stored(account, peer, row, error) : NULL;
    const char *id = target ? reference_id(target, kind, error) : NULL;
    if (!id)
        return FALSE;
    if (!conversation_retract(account, peer, id, NULL)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "only your own messages can be retracted");
        return FALSE;
    }
    g_autoptr(Message) m = change(account, kind, peer);
    m->retracts_id = g_strdup(id);
    message_transmit(s, m);
    return TRUE;
}

gboolean message_send_reactions(const char *account, MessageKind kind,
                                const char *peer, gint64 row,
                                const char *emojis, GError **error)
{
    Session *s = change_session(account, kind, peer, error);
    g_autoptr(Message) target = s ? stored(account, peer, row, error) : NULL;
    const char *id = target ? reference_id(target, kind, error) : NULL;
    if (!id)
        return FALSE;
    conversation_react(account, peer, id, "", emojis);
    g_autoptr(Message) m = change(account, kind, peer);
    m->reactions_to = g_strdup(id);
    m->reactions = g_strdup(emojis);
    message_transmit(s, m);
    return TRUE;
}

/* ---- the send stages ----------------------------------------------------- */

static StageVerdict decorate_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    if (m->kind == MESSAGE_GROUPCHAT || m->replaces_id || m->retracts_id ||
        m->reactions_to)
        return STAGE_CONTINUE;
    /* Ask for delivery receipts and read markers: the stanza's id is the
     * origin-id, so the answers name the stored message. */
    stanza_add_child_ns(item->stanza, "request", NS_RECEIPTS);
    stanza_add_child_ns(item->stanza, "markable", NS_MARKERS);
    if (m->kind == MESSAGE_CHAT)
        chatstates_add_active(message_item_session(item), m->peer,
                              item->stanza);
    return STAGE_CONTINUE;
}

static StageVerdict transmit_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    session_send(message_item_session(item), item->stanza);
    if (m->id) {
        m->state = MESSAGE_SENT;
        conversation_set_state(m->account, m->peer, m->origin_id, MESSAGE_SENT);
    }
    return STAGE_CONTINUE;
}

void message_out_stages_init(void)
{
    stages[0] = pipeline_add(PIPELINE_SEND, STAGE_DECORATE, "decorate",
                             decorate_stage, NULL, NULL);
    stages[1] = pipeline_add(PIPELINE_SEND, STAGE_TRANSMIT, "transmit",
                             transmit_stage, NULL, NULL);
}

void message_out_stages_shutdown(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(stages); i++)
        g_clear_handle_id(&stages[i], pipeline_remove);
}
