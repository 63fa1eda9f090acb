/* amend.c: see amend.h. Only the author of a message may correct or
 * retract it: core/conversation.c checks that against history, and a
 * refusal is reported here. Reactions may come from anyone in the
 * conversation; each sender's set replaces its last. */
#include "xmpp/amend.h"

#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "core/room.h"
#include "util/jid.h"

static void refused(Session *s, const Message *m, const char *what)
{
    Buffer *b =
        buffer_find(conversation_buffer_kind(m->kind), s->account, m->peer);
    buffer_appendf(b ? b : buffer_account_console(s->account), LINE_ERROR,
                   "Ignored a %s from %s: it names a message they did not "
                   "write, or one natter does not have.",
                   what, m->from ? m->from : m->peer);
}

/* Who wrote M, as history keeps authors: NULL for us, the occupant's full
 * JID in a room or private chat, else the bare JID. Caller frees. */
static char *author_of(const Message *m)
{
    if (m->direction == MESSAGE_OUT || !m->from)
        return NULL;
    if (m->kind == MESSAGE_GROUPCHAT || m->kind == MESSAGE_PRIVATE)
        return g_strdup(m->from);
    return jid_bare(m->from);
}

/* In a room the author of the message ID must be the occupant now behind
 * the nick: one who left has no say over what the nick wrote before,
 * and whoever took the nick since (it came in after the message) is
 * someone else (XEP-0308 §7, XEP-0424 §7). */
static gboolean occupant_present(Session *s, const Message *m, const char *id)
{
    if (m->kind != MESSAGE_GROUPCHAT || m->direction == MESSAGE_OUT)
        return TRUE;
    Room *r = room_find(s->account, m->peer);
    Occupant *o = r && m->nick ? room_occupant_find(r, m->nick) : NULL;
    if (!o)
        return FALSE;
    g_autoptr(Message) target = conversation_find(s->account, m->peer, id);
    return target && (!o->nick_since || target->time >= o->nick_since);
}

gboolean amend_take(Session *s, const Message *m)
{
    g_autofree char *author = author_of(m);
    if (m->replaces_id && m->body) {
        if (!occupant_present(s, m, m->replaces_id) ||
            !conversation_correct(s->account, m->peer, m->replaces_id, author,
                                  m->body))
            refused(s, m, "correction");
        return TRUE;
    }
    if (m->retracts_id && m->moderated_by) {
        /* Only the room itself speaks for its moderators. */
        if (m->kind != MESSAGE_GROUPCHAT || m->nick ||
            !conversation_moderate(s->account, m->peer, m->retracts_id,
                                   m->moderated_by, m->moderation_reason))
            refused(s, m, "moderation");
        return TRUE;
    }
    if (m->retracts_id) {
        if (!occupant_present(s, m, m->retracts_id) ||
            !conversation_retract(s->account, m->peer, m->retracts_id, author))
            refused(s, m, "retraction");
        return TRUE;
    }
    if (m->reactions_to) {
        if (!conversation_react(s->account, m->peer, m->reactions_to,
                                author ? author : "", m->reactions))
            refused(s, m, "reaction");
        return TRUE;
    }
    return FALSE;
}
