/* message.c: see message.h. Every received message with a body ends up in
 * history and a buffer (core/conversation.h): a chat, or the account's
 * console when it has no usable sender; errors about messages we sent are
 * shown where the conversation is. What we send is stored first: sent at
 * once when the account is online, else kept as pending and sent when it
 * connects. */
#include "xmpp/message.h"

#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "core/settings.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/amend.h"
#include "xmpp/carbons.h"
#include "xmpp/chatstates.h"
#include "xmpp/mam.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/session_internal.h"
#include "xmpp/stanza.h"

/* Where a message came from: it decides what is answered (receipts,
 * chat states only live) and how it is stored. */
typedef struct {
    MessageOrigin kind;
    const char *archive_id; /* ARCHIVED: the archive's id for it */
    gint64 time;            /* ARCHIVED: when it was sent (0: unknown) */
} Origin;

/* The nick shown for our own lines: the local part of the account's JID. */
static char *own_nick(const Account *account)
{
    g_autoptr(Jid) jid = jid_parse(account->jid, NULL);
    return g_strdup(jid && jid->local ? jid->local : account->name);
}

static void show_error(Session *s, const char *from, xmpp_stanza_t *stanza)
{
    g_autofree char *why = stanza_error_describe(stanza);
    Buffer *b = from ? buffer_find(BUFFER_CHAT, s->account, from) : NULL;
    if (!b)
        b = buffer_account_console(s->account);
    buffer_appendf(b, LINE_ERROR, "Message to %s was not delivered: %s",
                   from ? from : "the server", why);
    const char *id = xmpp_stanza_get_id(stanza);
    if (from && id)
        conversation_set_state(s->account, from, id, MESSAGE_FAILED);
}

/* The first child NAME in namespace NS whose attribute ATTR is VALUE (any
 * when VALUE is NULL). */
static xmpp_stanza_t *child_with(xmpp_stanza_t *stanza, const char *name,
                                 const char *ns, const char *attr,
                                 const char *value)
{
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(stanza); c;
         c = xmpp_stanza_get_next(c)) {
        if (!xmpp_stanza_is_tag(c) ||
            g_strcmp0(xmpp_stanza_get_name(c), name) != 0 ||
            g_strcmp0(xmpp_stanza_get_ns(c), ns) != 0)
            continue;
        if (!value || jid_full_equal(xmpp_stanza_get_attribute(c, attr), value))
            return c;
    }
    return NULL;
}

/* Receipts (XEP-0184) and chat markers (XEP-0333) from SENDER about our
 * messages: they move the delivery state forward. Returns TRUE when
 * STANZA was one. Only the conversation's peer can mark our messages to
 * it: the lookup is by its bare JID. */
static gboolean handle_acks(Session *s, const Jid *sender,
                            xmpp_stanza_t *stanza)
{
    static const struct {
        const char *name, *ns;
        MessageState state;
    } acks[] = {
        {"received", NS_RECEIPTS, MESSAGE_DELIVERED},
        {"received", NS_MARKERS, MESSAGE_DELIVERED},
        {"displayed", NS_MARKERS, MESSAGE_READ},
        {"acknowledged", NS_MARKERS, MESSAGE_READ},
    };
    gboolean any = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(acks); i++) {
        xmpp_stanza_t *ack =
            child_with(stanza, acks[i].name, acks[i].ns, NULL, NULL);
        const char *id = ack ? xmpp_stanza_get_id(ack) : NULL;
        if (id)
            conversation_set_state(s->account, sender->bare, id, acks[i].state);
        any |= ack != NULL;
    }
    return any;
}

/* Answers a receipt request (XEP-0184) on a message we showed. */
static void send_receipt(Session *s, const char *to, xmpp_stanza_t *stanza)
{
    const char *id = xmpp_stanza_get_id(stanza);
    if (!id || !child_with(stanza, "request", NS_RECEIPTS, NULL, NULL) ||
        !settings_get_bool("send_receipts"))
        return;
    g_autofree char *our_id = session_new_id(s);
    xmpp_stanza_t *receipt = xmpp_message_new(s->ctx, NULL, to, our_id);
    xmpp_stanza_t *received =
        stanza_add_child_ns(receipt, "received", NS_RECEIPTS);
    xmpp_stanza_set_id(received, id);
    session_send(s, receipt);
    xmpp_stanza_release(receipt);
}

/* The archive id our server gave STANZA (XEP-0359), or NULL. Only our own
 * server's is worth anything (§7): anyone can put a stanza-id in. */
static char *own_stanza_id(Session *s, xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *archived =
        s->own_bare ? child_with(stanza, "stanza-id", NS_SID, "by", s->own_bare)
                    : NULL;
    return g_strdup(archived ? xmpp_stanza_get_id(archived) : NULL);
}

/* A message as it came to us (LIVE), a copy of one another client of
 * ours sent or received (a carbon), or one from our archive. */
static gboolean take_message(Session *s, xmpp_stanza_t *stanza,
                             const Origin *origin)
{
    const char *type = xmpp_stanza_get_type(stanza);
    const char *from = xmpp_stanza_get_from(stanza);
    const char *to = xmpp_stanza_get_to(stanza);
    gboolean live = origin->kind == MESSAGE_LIVE;

    if (g_strcmp0(type, "groupchat") == 0)
        return FALSE; /* rooms are not handled yet */

    /* Ours when another client of ours sent it (a sent carbon, or an
     * archived message from our own address). */
    gboolean sent = origin->kind == MESSAGE_CARBON_SENT ||
                    (origin->kind == MESSAGE_ARCHIVED && from &&
                     jid_bare_equal(from, s->own_bare));
    const char *other = sent ? to : from; /* the other side */
    g_autoptr(Jid) peer = other ? jid_parse(other, NULL) : NULL;
    if (other && !peer) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Ignored a message %s an invalid address: %s",
                       sent ? "to" : "from", other);
        return FALSE;
    }
    if (g_strcmp0(type, "error") == 0) {
        if (live)
            show_error(s, peer ? peer->bare : NULL, stanza);
        return FALSE;
    }

    g_autofree char *body = stanza_child_text(stanza, "body", NULL);
    if (peer && live) {
        handle_acks(s, peer, stanza);
        /* Before the body is shown: the chat it opens shows "active". */
        chatstates_take(s, peer, stanza, body != NULL);
    }
    if (peer && amend_take(s, peer, sent, stanza, body))
        return FALSE; /* it changed an earlier message */
    if (!body)
        return FALSE; /* no text to show */

    if (!peer || g_strcmp0(type, "headline") == 0) {
        /* No sender means the server itself (RFC 6120 8.1.2.1). */
        if (origin->kind != MESSAGE_ARCHIVED)
            buffer_append(buffer_account_console(s->account), LINE_IN,
                          peer ? peer->bare : "server", body);
        return FALSE;
    }

    g_autoptr(Message) m = message_new();
    m->peer = g_strdup(peer->bare);
    m->from = g_strdup(from ? from : s->bound_jid);
    m->direction = sent ? MESSAGE_OUT : MESSAGE_IN;
    m->time = origin->time ? origin->time : stanza_delay_time(stanza);
    if (!m->time)
        m->time = g_get_real_time();
    m->reply_to = amend_reply_to(stanza, &body);
    m->body = g_steal_pointer(&body);
    m->state = sent ? MESSAGE_SENT : MESSAGE_RECEIVED;
    m->message_id = g_strdup(xmpp_stanza_get_id(stanza));
    xmpp_stanza_t *oid = child_with(stanza, "origin-id", NS_SID, NULL, NULL);
    m->origin_id = g_strdup(oid ? xmpp_stanza_get_id(oid) : NULL);
    m->stanza_id = origin->archive_id ? g_strdup(origin->archive_id)
                                      : own_stanza_id(s, stanza);
    g_autofree char *nick =
        sent ? own_nick(session_account(s)) : g_strdup(peer->bare);
    gboolean shown = conversation_add(s->account, m, nick) != NULL;
    if (live) {
        send_receipt(s, from, stanza);
        if (m->stanza_id)
            mam_note_live(s, m->stanza_id);
    }
    return shown;
}

gboolean message_take_archived(Session *s, xmpp_stanza_t *message,
                               const char *archive_id, gint64 time)
{
    Origin origin = {MESSAGE_ARCHIVED, archive_id, time};
    return take_message(s, message, &origin);
}

static int on_message(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Session *s = data;
    if (muc_take_message(s, stanza)) /* rooms: xmpp/muc.c */
        return 1;
    if (mam_take_result(s, stanza))
        return 1;
    xmpp_stanza_t *inner = NULL;
    Origin origin = {MESSAGE_LIVE, NULL, 0};
    switch (carbons_unwrap(s, stanza, &inner)) {
    case CARBON_NONE:
        take_message(s, stanza, &origin);
        break;
    case CARBON_RECEIVED:
        origin.kind = MESSAGE_CARBON_RECEIVED;
        take_message(s, inner, &origin);
        break;
    case CARBON_SENT:
        origin.kind = MESSAGE_CARBON_SENT;
        take_message(s, inner, &origin);
        break;
    case CARBON_REFUSED:
        break; /* reported by carbons_unwrap */
    }
    return 1;
}

void message_register(Session *s)
{
    xmpp_handler_add(s->conn, on_message, NULL, "message", NULL, s);
}

/* The quote a reply carries for clients without replies (XEP-0461 §5):
 * "> nick: text" of the message it answers, and its length in code
 * points. Caller frees. */
static char *reply_fallback(Session *s, const Message *m, glong *len)
{
    History *h = conversation_history(s->account);
    g_autoptr(Message) quoted =
        h ? history_find_message(h, m->peer, m->reply_to) : NULL;
    if (!quoted) {
        *len = 0;
        return g_strdup("");
    }
    g_autofree char *first = g_strdup(quoted->body);
    char *nl = strchr(first, '\n');
    if (nl)
        *nl = '\0';
    char *quote = g_strdup_printf("> %s\n", first);
    *len = g_utf8_strlen(quote, -1);
    return quote;
}

/* Hands M (ours, stored) to the server. */
static void transmit(Session *s, Message *m)
{
    xmpp_stanza_t *msg =
        xmpp_message_new(s->ctx, "chat", m->peer, m->origin_id);
    glong quote_len = 0;
    g_autofree char *quote =
        m->reply_to ? reply_fallback(s, m, &quote_len) : g_strdup("");
    g_autofree char *body = g_strconcat(quote, m->body, NULL);
    xmpp_message_set_body(msg, body);
    amend_decorate(msg, NULL, m->reply_to, m->peer, quote_len);
    /* XEP-0359: a stable id the recipient's server keeps. */
    xmpp_stanza_t *origin = stanza_add_child_ns(msg, "origin-id", NS_SID);
    xmpp_stanza_set_id(origin, m->origin_id);
    /* Ask for delivery receipts and read markers: the stanza id is the
     * origin-id, so the answers name the stored message. */
    stanza_add_child_ns(msg, "request", NS_RECEIPTS);
    stanza_add_child_ns(msg, "markable", NS_MARKERS);
    chatstates_add_active(s, m->peer, msg);
    session_send(s, msg);
    xmpp_stanza_release(msg);
    conversation_set_state(s->account, m->peer, m->origin_id, MESSAGE_SENT);
}

gboolean message_send_chat(const char *account, const char *to,
                           const char *body, GError **error)
{
    return message_send_reply(account, to, body, NULL, error);
}

gboolean message_send_reply(const char *account, const char *to,
                            const char *body, const char *reply_id,
                            GError **error)
{
    g_autoptr(Jid) jid = jid_parse(to, error);
    if (!jid)
        return FALSE;
    Account *a = account_find(account);
    if (!a) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no account named '%s'", account ? account : "");
        return FALSE;
    }
    Session *s = session_online(account, NULL);
    if (!s && !conversation_history(account)) {
        /* Without history there is nowhere to keep it until later. */
        return session_online(account, error) != NULL;
    }

    g_autoptr(Message) m = message_new();
    m->peer = g_strdup(jid->bare);
    m->from = g_strdup(s && s->bound_jid ? s->bound_jid : a->jid);
    m->direction = MESSAGE_OUT;
    m->time = g_get_real_time();
    m->body = g_strdup(body);
    m->origin_id = g_uuid_string_random();
    m->message_id = g_strdup(m->origin_id);
    m->reply_to = g_strdup(reply_id);
    m->state = MESSAGE_PENDING;
    g_autofree char *nick = own_nick(a);
    conversation_add(account, m, nick);
    if (s)
        transmit(s, m);
    else
        buffer_appendf(conversation_open(account, jid->bare), LINE_INFO,
                       "%s is not online: the message is kept and will be "
                       "sent when it connects",
                       account);
    return TRUE;
}

void message_send_pending(Session *s)
{
    History *h = conversation_history(s->account);
    if (!h)
        return;
    g_autoptr(GPtrArray) pending = history_pending(h);
    for (guint i = 0; i < pending->len; i++)
        transmit(s, g_ptr_array_index(pending, i));
    if (pending->len)
        buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                       "Sent %u message%s typed while offline.", pending->len,
                       pending->len == 1 ? "" : "s");
}

gboolean message_send_correction(const char *account, const char *peer,
                                 const char *message_id, const char *body,
                                 GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    if (!conversation_correct(account, peer, message_id, NULL, body)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "only your own messages can be corrected");
        return FALSE;
    }
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, "chat", peer, id);
    xmpp_message_set_body(msg, body);
    xmpp_stanza_t *origin = stanza_add_child_ns(msg, "origin-id", NS_SID);
    xmpp_stanza_set_id(origin, id);
    amend_decorate(msg, message_id, NULL, NULL, 0);
    session_send(s, msg);
    xmpp_stanza_release(msg);
    return TRUE;
}

gboolean message_send_retraction(const char *account, const char *peer,
                                 const char *message_id, GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    if (!conversation_retract(account, peer, message_id, NULL)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "only your own messages can be retracted");
        return FALSE;
    }
    amend_send_retraction(s, peer, message_id);
    return TRUE;
}

gboolean message_send_reactions(const char *account, const char *peer,
                                const char *message_id, const char *emojis,
                                GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    if (!conversation_react(account, peer, message_id, "", emojis)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "that message is not in history");
        return FALSE;
    }
    amend_send_reactions(s, peer, message_id, emojis);
    return TRUE;
}
