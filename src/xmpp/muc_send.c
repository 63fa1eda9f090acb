/* muc_send.c: what we say in rooms (XEP-0045 7.4, 7.5, 7.6, 8.1):
 * messages to a room and privately to an occupant (through the message
 * path, xmpp/message.h: stored first, so the room's reflection of them,
 * matched by origin-id, only marks them delivered; kept while we are out
 * of the room), our nick, the room's subject. */
#include "core/buffer.h"
#include "core/conversation.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/message.h"
#include "xmpp/muc.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

gboolean muc_send(const char *account, const char *room, const char *body,
                  GError **error)
{
    return message_send(account, MESSAGE_GROUPCHAT, room, body, 0, error);
}

gboolean muc_send_private(const char *account, const char *occupant,
                          const char *body, GError **error)
{
    g_autoptr(Jid) to = jid_parse(occupant, error);
    if (!to)
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
    return message_send(account, MESSAGE_PRIVATE, to->full, body, 0, error);
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
