/* message_internal.h: the message path inside xmpp/: receiving (message_in.c:
 * the <message/> handler, unwrapping, the inbound stages of xmpp/) and
 * sending (message_out.c: submitting what the user typed, transmitting
 * it through the send stages now or when the account or room is back).
 * Internal to xmpp/. */
#pragma once

#include "core/message.h"
#include "core/pipeline.h"
#include "xmpp/session_internal.h"

/* Registers the stages of xmpp/ (authority, signals, answer; decorate,
 * transmit) once; message_stages_shutdown() removes them. */
void message_stages_init(void);
void message_stages_shutdown(void);
/* The send stages (message_out.c), registered by message_stages_init(). */
void message_out_stages_init(void);
void message_out_stages_shutdown(void);

/* Handles every <message/> of SESSION's new connection. */
void message_register(Session *session);

/* STANZA (a message, unwrapped from its carbon or archive result) as
 * SESSION received it, with its ORIGIN; for archived ones the archive's
 * ARCHIVE_ID and TIME (µs, 0: unknown). The unwrapper has checked the
 * wrapper's authority (an archive result answers our query). Parses it
 * and runs the inbound pipeline. TRUE when it was a new message
 * (delivered: not a duplicate, not a signal). */
gboolean message_receive(Session *session, xmpp_stanza_t *stanza,
                         MessageOrigin origin, const char *archive_id,
                         gint64 time);

/* Sends M (ours, stored unless it is an amendment) through the send
 * stages: encrypted (when a stage does), decorated, written. */
void message_transmit(Session *session, Message *m);

/* Sends the messages typed while they could not be: the chats' once the
 * account is online (ROOM NULL), a room's and its private chats' once we
 * are in ROOM again. */
void message_send_pending(Session *session, const char *room);

/* The session the pipeline ITEM runs for. */
Session *message_item_session(const PipelineItem *item);
