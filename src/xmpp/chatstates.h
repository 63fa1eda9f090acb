/* chatstates.h: chat state notifications (XEP-0085): "typing" and
 * "paused" both ways. Internal to xmpp/. */
#pragma once

#include "util/jid.h"
#include "xmpp/session_internal.h"

/* Starts listening for the user's typing (EVENT_USER_TYPING). */
void chatstates_init(void);
void chatstates_shutdown(void);

/* A message M arrived (live): its chat state, if it has one, goes to its
 * conversation (only if that is open: a state alone opens no window). A
 * message with a body means the peer is active again. */
void chatstates_take(Session *session, const Message *m);

/* Adds <active/> to our message MSG to PEER (when chat states are sent)
 * and ends our "composing". */
void chatstates_add_active(Session *session, const char *peer,
                           xmpp_stanza_t *msg);
