/* chatstates.h: chat state notifications (XEP-0085): "typing" and
 * "paused" both ways. Internal to xmpp/. */
#pragma once

#include "util/jid.h"
#include "xmpp/session_internal.h"

/* Starts listening for the user's typing (EVENT_USER_TYPING). */
void chatstates_init(void);
void chatstates_shutdown(void);

/* A message from PEER arrived: its chat state, if it has one, goes to the
 * chat (only if the chat is open: a state alone opens no window). A
 * message with a body means the peer is active again. */
void chatstates_take(Session *session, const Jid *peer, xmpp_stanza_t *stanza,
                     gboolean has_body);

/* Adds <active/> to our message MSG to PEER (when chat states are sent)
 * and ends our "composing". */
void chatstates_add_active(Session *session, const char *peer,
                           xmpp_stanza_t *msg);
