/* muc_message.c: the room stage of the inbound message pipeline: what
 * rooms do with messages (XEP-0045). A room's subject, what the room
 * itself says, and invitations are shown here and go no further; a room
 * message written under our nick is ours (our reflection, or ours from
 * another client); a mention of us is a highlight; a room that still
 * talks to us is alive (self-ping). Room messages then go into history
 * like any other, with the room as the conversation, so the room's
 * history on join, our reflected messages and later rejoins are stored
 * once (stanza-id by the room, origin-id of ours). */
#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "core/pipeline.h"
#include "core/settings.h"
#include "util/jid.h"
#include "xmpp/message_internal.h"
#include "xmpp/muc_internal.h"

static guint stage;

/* A message that mentions our nick or a word of highlight_words. */
static gboolean is_highlight(Room *r, const char *body)
{
    if (room_text_mentions(body, r->nick))
        return TRUE;
    g_auto(GStrv) words =
        g_strsplit_set(settings_get_string("highlight_words"), " ,", -1);
    for (guint i = 0; words[i]; i++)
        if (*words[i] && room_text_mentions(body, words[i]))
            return TRUE;
    return FALSE;
}

/* The room's subject: the first one of a join ends the join (XEP-0045
 * 7.2.15) and is the topic as it is, not a change. */
static void take_subject(Room *r, const Message *m)
{
    Buffer *b = muc_room_buffer(r);
    gboolean first = !r->subject_seen;
    r->subject_seen = TRUE;
    room_set_subject(r, m->subject);
    if (!*m->subject) {
        if (!first) /* no topic at join: nothing to say */
            buffer_appendf(b, LINE_INFO, "%s removed the topic.",
                           m->nick ? m->nick : "The room");
    } else if (first || !m->nick)
        buffer_appendf(b, LINE_INFO, "Topic: %s", m->subject);
    else
        buffer_appendf(b, LINE_INFO, "%s changed the topic to: %s", m->nick,
                       m->subject);
}

static StageVerdict groupchat(Session *s, Room *r, Message *m)
{
    gboolean live = m->origin == MESSAGE_LIVE;
    if (live)
        muc_ping_activity(s, r); /* it still talks to us */
    if (m->subject) {
        if (live) /* an old topic from the archive: the join told it */
            take_subject(r, m);
        return STAGE_CONSUMED;
    }
    /* Under our nick: ours (reflected, or from another client of ours),
     * also what carries no text (our reactions coming back). */
    gboolean ours = m->nick && g_strcmp0(m->nick, r->nick) == 0;
    if (ours)
        m->direction = MESSAGE_OUT;
    if (!message_has_content(m))
        return STAGE_CONTINUE; /* signals only (chat states...) */
    if (!m->nick) {            /* the room itself speaks */
        buffer_appendf(muc_room_buffer(r), LINE_INFO, "%s: %s", r->jid,
                       m->body);
        return STAGE_CONSUMED;
    }
    if (ours) {
        m->state = MESSAGE_DELIVERED;
        /* Our own message coming back is the proof the room has it. */
        if (m->origin_id)
            conversation_set_state(s->account, r->jid, m->origin_id,
                                   MESSAGE_DELIVERED);
    } else {
        m->highlight = m->body && is_highlight(r, m->body);
    }
    if (live && m->stanza_id)
        muc_mam_note_live(s, r, m->stanza_id);
    return STAGE_CONTINUE;
}

/* An invitation: told in the account's console with how to accept it. */
static void invitation(Session *s, const Message *m)
{
    const MessageInvite *invite = m->invite;
    Buffer *console = buffer_account_console(s->account);
    if (!invite->room) {
        buffer_appendf(console, LINE_ERROR,
                       "Ignored an invitation from %s without a valid room "
                       "address",
                       m->from ? m->from : m->peer);
        return;
    }
    EventInvitation event = {.account = session_account(s), .invite = invite};
    event_emit_invitation(&event);
    const char *reason = invite->reason;
    buffer_appendf(console, LINE_INFO,
                   "%s invites you to the room %s%s%s. Accept with: /join "
                   "%s%s%s",
                   invite->inviter ? invite->inviter : "someone", invite->room,
                   reason && *reason ? ": " : "", reason ? reason : "",
                   invite->room, invite->password ? " password " : "",
                   invite->password ? invite->password : "");
}

static StageVerdict room_stage(PipelineItem *item, gpointer data)
{
    Session *s = message_item_session(item);
    Message *m = item->message;
    if (m->invite && !m->error) {
        if (m->origin == MESSAGE_LIVE)
            invitation(s, m);
        return STAGE_CONSUMED;
    }
    g_autofree char *bare = m->peer ? jid_bare(m->peer) : NULL;
    Room *r = bare ? room_find(s->account, bare) : NULL;
    xmpp_stanza_t *x = r && m->kind == MESSAGE_GROUPCHAT && !m->nick &&
                               item->stanza && m->origin == MESSAGE_LIVE
                           ? xmpp_stanza_get_child_by_name_and_ns(
                                 item->stanza, "x", NS_MUC_USER)
                           : NULL;
    if (x) /* the room itself tells of a configuration change */
        muc_config_changed(s, r, x);
    if (m->kind == MESSAGE_GROUPCHAT)
        return r ? groupchat(s, r, m) : STAGE_CONTINUE;
    if (!r)
        return STAGE_CONTINUE;
    if (m->error) {
        /* About a message of ours to the room or one of its occupants. */
        Buffer *b = m->from && strchr(m->from, '/')
                        ? buffer_find(BUFFER_PRIVATE, s->account, m->from)
                        : NULL;
        if (!b)
            b = buffer_find(BUFFER_ROOM, s->account, r->jid);
        if (m->origin == MESSAGE_LIVE)
            buffer_appendf(b ? b : buffer_account_console(s->account),
                           LINE_ERROR, "Message to %s was not delivered: %s",
                           m->from ? m->from : r->jid, m->error);
        return STAGE_CONSUMED;
    }
    if (m->kind == MESSAGE_CHAT) {
        /* A normal message from the room itself (a voice request...). */
        if (m->body && m->origin == MESSAGE_LIVE)
            buffer_appendf(muc_room_buffer(r), LINE_INFO, "%s: %s", r->jid,
                           m->body);
        return STAGE_CONSUMED;
    }
    if (m->kind == MESSAGE_PRIVATE) {
        if (m->direction == MESSAGE_OUT) {
            g_free(m->nick);
            m->nick = g_strdup(r->nick);
        }
        if (m->origin == MESSAGE_LIVE)
            muc_ping_activity(s, r);
    }
    return STAGE_CONTINUE;
}

void muc_message_init(void)
{
    if (!stage)
        stage = pipeline_add(PIPELINE_IN, STAGE_ROOM, "room", room_stage, NULL,
                             NULL);
}

void muc_message_shutdown(void)
{
    g_clear_handle_id(&stage, pipeline_remove);
}
