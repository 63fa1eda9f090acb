/* muc_send.c: what we say in rooms (XEP-0045 7.4, 7.5, 7.6, 8.1):
 * messages to a room and privately to an occupant, our nick, the room's
 * subject. Our messages go through history first, so the room's
 * reflection of them (matched by origin-id) only marks them delivered. */
#include "core/buffer.h"
#include "core/conversation.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/muc.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

/* Our BODY to the room R (KIND BUFFER_ROOM, TO its JID) or privately to
 * one of its occupants (BUFFER_PRIVATE, TO room@service/nick): stored and
 * shown first, then sent with its origin-id. */
static void send_ours(Session *s, Room *r, BufferKind kind, const char *to,
                      const char *body)
{
    g_autoptr(Message) m = message_new();
    m->peer = g_strdup(to);
    m->from = g_strdup_printf("%s/%s", r->jid, r->nick);
    m->direction = MESSAGE_OUT;
    m->time = g_get_real_time();
    m->body = g_strdup(body);
    m->origin_id = g_uuid_string_random();
    m->state = MESSAGE_SENT;
    conversation_add_to(s->account, kind, m, r->nick, FALSE);

    gboolean private = kind == BUFFER_PRIVATE;
    xmpp_stanza_t *msg = xmpp_message_new(
        s->ctx, private ? "chat" : "groupchat", to, m->origin_id);
    xmpp_message_set_body(msg, body);
    /* XEP-0045 7.5: marks a private message in a room. */
    if (private)
        stanza_add_child_ns(msg, "x", NS_MUC_USER);
    xmpp_stanza_t *oid = stanza_add_child_ns(msg, "origin-id", NS_SID);
    xmpp_stanza_set_id(oid, m->origin_id);
    session_send(s, msg);
    xmpp_stanza_release(msg);
}

gboolean muc_send(const char *account, const char *room, const char *body,
                  GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    Room *r = muc_joined_room(account, room, error);
    if (!r)
        return FALSE;
    if (r->state != ROOM_JOINED) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "not in %s yet (the join is not complete)", r->jid);
        return FALSE;
    }
    send_ours(s, r, BUFFER_ROOM, r->jid, body);
    return TRUE;
}

gboolean muc_send_private(const char *account, const char *occupant,
                          const char *body, GError **error)
{
    g_autoptr(Jid) to = jid_parse(occupant, error);
    if (!to)
        return FALSE;
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    Room *r = muc_joined_room(account, to->bare, error);
    if (!r)
        return FALSE;
    if (!to->resource) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "which occupant of %s? (/msg NICK in the room's window)",
                    r->jid);
        return FALSE;
    }
    Buffer *b = conversation_open_kind(account, BUFFER_PRIVATE, to->full);
    buffer_switch(b);
    if (!body)
        return TRUE;
    send_ours(s, r, BUFFER_PRIVATE, to->full, body);
    return TRUE;
}

gboolean muc_change_nick(const char *account, const char *room,
                         const char *nick, GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    Room *r = muc_joined_room(account, room, error);
    if (!r)
        return FALSE;
    g_autofree char *to = g_strdup_printf("%s/%s", r->jid, nick);
    if (!jid_is_valid(to)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' cannot be a nick", nick);
        return FALSE;
    }
    xmpp_stanza_t *presence = xmpp_presence_new(s->ctx);
    xmpp_stanza_set_to(presence, to);
    session_send(s, presence);
    xmpp_stanza_release(presence);
    return TRUE;
}

gboolean muc_set_subject(const char *account, const char *room,
                         const char *text, GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    Room *r = muc_joined_room(account, room, error);
    if (!r)
        return FALSE;
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, "groupchat", r->jid, id);
    stanza_add_text_child(msg, "subject", text);
    session_send(s, msg);
    xmpp_stanza_release(msg);
    return TRUE;
}
