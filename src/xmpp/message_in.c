/* message_in.c: every <message/> a session receives. The handler unwraps
 * what comes wrapped (PEP notifications, archive results, carbons: each
 * by its owner, after its own authority check), parses the message once
 * (message_parse.h) and runs the inbound pipeline (core/pipeline.h). The
 * stages of xmpp/ registered here:
 *
 *   authority  a room message only from a room we are in, an archived
 *              one only from the archive asked
 *   signals    errors about our messages, receipts and markers, chat
 *              states, corrections, retractions and reactions, headlines:
 *              each is applied here and goes no further
 *   answer     a receipt for what the sender asked one for; the archive
 *              position of a live message
 *
 * The room stage is muc.c's, store and deliver core/conversation.c's. */
#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "core/room.h"
#include "core/settings.h"
#include "util/jid.h"
#include "xmpp/amend.h"
#include "xmpp/authority.h"
#include "xmpp/carbons.h"
#include "xmpp/chatstates.h"
#include "xmpp/feature.h"
#include "xmpp/mam.h"
#include "xmpp/message_build.h"
#include "xmpp/message_internal.h"
#include "xmpp/message_parse.h"
#include "xmpp/muc_internal.h"
#include "xmpp/ns.h"
#include "xmpp/pep.h"

static guint stages[3];

Session *message_item_session(const PipelineItem *item)
{
    return item->session;
}

static gboolean is_room(const char *bare, gpointer data)
{
    return room_find(data, bare) != NULL;
}

gboolean message_receive(Session *s, xmpp_stanza_t *stanza,
                         MessageOrigin origin, const char *archive_id,
                         gint64 time)
{
    MessageParseContext ctx = {
        .account = s->account,
        .own_bare = s->own_bare,
        .origin = origin,
        .archive_id = archive_id,
        .time = time,
        .is_room = is_room,
        .data = s->account,
    };
    g_autoptr(GError) error = NULL;
    g_autoptr(Message) m = message_parse(stanza, &ctx, &error);
    if (!m) {
        buffer_appendf(
            buffer_account_console(s->account), LINE_ERROR, "Ignored %s: %s",
            origin == MESSAGE_ARCHIVED ? "an archived message" : "a message",
            error->message);
        return FALSE;
    }
    PipelineItem item = {.message = m, .stanza = stanza, .session = s};
    StageVerdict verdict = pipeline_run(PIPELINE_IN, &item);
    if (verdict == STAGE_REFUSED && item.reason)
        buffer_append(buffer_account_console(s->account), LINE_ERROR, NULL,
                      item.reason);
    pipeline_item_clear(&item);
    return verdict == STAGE_CONTINUE;
}

static int on_message(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Session *s = data;
    if (pep_take_event(s, stanza) || muc_mam_take_result(s, stanza) ||
        mam_take_result(s, stanza))
        return 1;
    xmpp_stanza_t *inner = NULL;
    switch (carbons_unwrap(s, stanza, &inner)) {
    case CARBON_NONE:
        message_receive(s, stanza, MESSAGE_LIVE, NULL, 0);
        break;
    case CARBON_RECEIVED:
        message_receive(s, inner, MESSAGE_CARBON_RECEIVED, NULL, 0);
        break;
    case CARBON_SENT:
        message_receive(s, inner, MESSAGE_CARBON_SENT, NULL, 0);
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

/* ---- authority ---------------------------------------------------------- */

static StageVerdict authority_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    if (m->kind != MESSAGE_GROUPCHAT)
        return STAGE_CONTINUE;
    /* An archived one was checked by whoever unwrapped it: mam.c takes
     * none from our own archive, muc_mam.c only the room's own. */
    Session *s = message_item_session(item);
    Room *r = room_find(s->account, m->peer);
    if (!r || (r->state == ROOM_LEFT && !r->leaving))
        return pipeline_refuse(item,
                               "Refused a group chat message from %s: not a "
                               "room you are in (spoofed?)",
                               m->from);
    return STAGE_CONTINUE;
}

/* ---- signals ------------------------------------------------------------ */

/* An error about a message we sent: said where the conversation is, and
 * the message marked failed. */
static void show_error(Session *s, const Message *m)
{
    Buffer *b = m->peer ? buffer_find(BUFFER_CHAT, s->account, m->peer) : NULL;
    if (!b)
        b = buffer_account_console(s->account);
    buffer_appendf(b, LINE_ERROR, "Message to %s was not delivered: %s",
                   m->peer ? m->peer : "the server", m->error);
    if (m->peer && m->message_id)
        conversation_set_state(s->account, m->peer, m->message_id,
                               MESSAGE_FAILED);
}

/* Receipts and markers move our messages' delivery state forward. Only
 * the conversation's peer can mark our messages to it: the lookup is by
 * the conversation. */
static void take_acks(Session *s, const Message *m)
{
    for (guint i = 0; m->acks && i < m->acks->len; i++) {
        const MessageAck *ack = g_ptr_array_index(m->acks, i);
        conversation_set_state(s->account, m->peer, ack->id, ack->state);
    }
}

static StageVerdict signals_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    Session *s = message_item_session(item);
    gboolean live = m->origin == MESSAGE_LIVE;
    if (m->error) {
        if (live)
            show_error(s, m);
        return STAGE_CONSUMED;
    }
    if (m->peer && live && m->kind != MESSAGE_GROUPCHAT) {
        take_acks(s, m);
        /* Before the body is shown: the chat it opens shows "active". */
        chatstates_take(s, m);
    }
    if (m->peer && amend_take(s, m))
        return STAGE_CONSUMED; /* it changed an earlier message */
    if (!message_has_content(m))
        return STAGE_CONSUMED; /* nothing to show */
    if (!m->peer || m->kind == MESSAGE_HEADLINE) {
        /* No sender means the server itself (RFC 6120 8.1.2.1). */
        if (m->origin != MESSAGE_ARCHIVED)
            buffer_append(buffer_account_console(s->account), LINE_IN,
                          m->peer ? m->peer : "server", m->body);
        return STAGE_CONSUMED;
    }
    return STAGE_CONTINUE;
}

/* ---- answer ------------------------------------------------------------- */

/* A delivery receipt (XEP-0184) for a message we keep, to the very client
 * that asked. It leaves after the message is committed: the history
 * batch commits before anything is written (xmpp/connloop.h). */
static void send_receipt(Session *s, const Message *m)
{
    if (!m->receipt_requested || !m->message_id || !m->from ||
        !settings_get_bool("send_receipts") ||
        !authority_may_see_presence(s, m->from))
        return;
    g_autofree char *our_id = session_new_id(s);
    xmpp_stanza_t *receipt =
        message_build_receipt(s->ctx, m->from, NULL, m->message_id, our_id);
    session_send(s, receipt);
    xmpp_stanza_release(receipt);
}

static StageVerdict answer_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    Session *s = message_item_session(item);
    if (m->origin != MESSAGE_LIVE || m->kind == MESSAGE_GROUPCHAT)
        return STAGE_CONTINUE;
    send_receipt(s, m);
    if (m->stanza_id)
        mam_note_live(s, m->stanza_id);
    return STAGE_CONTINUE;
}

void message_stages_init(void)
{
    if (stages[0])
        return;
    stages[0] = pipeline_add(PIPELINE_IN, STAGE_AUTHORITY, "authority",
                             authority_stage, NULL, NULL);
    stages[1] = pipeline_add(PIPELINE_IN, STAGE_SIGNALS, "signals",
                             signals_stage, NULL, NULL);
    stages[2] = pipeline_add(PIPELINE_IN, STAGE_ANSWER, "answer", answer_stage,
                             NULL, NULL);
    message_out_stages_init();
}

void message_stages_shutdown(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(stages); i++)
        g_clear_handle_id(&stages[i], pipeline_remove);
    message_out_stages_shutdown();
}

/* What messages carry that others should know we understand: stable ids
 * (XEP-0359), read markers (XEP-0333), corrections, retractions,
 * reactions, replies, fallbacks, and links as files. */
static const char *const message_disco[] = {
    NS_SID,   NS_MARKERS,  NS_CORRECT, NS_RETRACT, NS_REACTIONS,
    NS_REPLY, NS_FALLBACK, NS_OOB,     NULL,
};

/* Messages typed while offline leave once the account is online. */
static void message_started(Session *s, gboolean resumed)
{
    message_send_pending(s, NULL);
}

const Feature feature_message = {
    .name = "message",
    .disco = message_disco,
    .init = message_stages_init,
    .shutdown = message_stages_shutdown,
    .attach = message_register,
    .started = message_started,
};

static const char *const receipts_disco[] = {NS_RECEIPTS, NULL};

static gboolean receipts_advertised(void)
{
    return settings_get_bool("send_receipts");
}

/* Delivery receipts (XEP-0184): answered by the answer stage. */
const Feature feature_receipts = {
    .name = "receipts",
    .disco = receipts_disco,
    .advertised = receipts_advertised,
};
