/* amend.h: messages that refer to earlier ones: corrections (XEP-0308),
 * retractions (XEP-0424), reactions (XEP-0444) and replies (XEP-0461),
 * both ways. Internal to xmpp/. */
#pragma once

#include "util/jid.h"
#include "xmpp/session_internal.h"

/* If STANZA (with BODY, may be NULL) corrects, retracts or reacts to an
 * earlier message of the conversation with PEER, applies it and returns
 * TRUE: it is not a new message. SENT: written by another client of ours.
 * A change to a message its sender did not write is refused and
 * reported. */
gboolean amend_take(Session *session, const Jid *peer, gboolean sent,
                    xmpp_stanza_t *stanza, const char *body);

/* For a reply: the id of the message STANZA answers (caller frees), and
 * *BODY with the quoted fallback text cut off (XEP-0461, XEP-0428).
 * NULL when it is not a reply. */
char *amend_reply_to(xmpp_stanza_t *stanza, char **body);

/* Adds to MSG what makes it a correction of REPLACE_ID / a reply to
 * REPLY_ID written by REPLY_TO (with FALLBACK_LEN code points of quote at
 * the start of its body). NULLs: nothing. */
void amend_decorate(xmpp_stanza_t *msg, const char *replace_id,
                    const char *reply_id, const char *reply_to,
                    glong fallback_len);

/* Sends a retraction of our message MESSAGE_ID to PEER, or our REACTIONS
 * (space-separated emojis) to PEER's or our message MESSAGE_ID. */
void amend_send_retraction(Session *session, const char *peer,
                           const char *message_id);
void amend_send_reactions(Session *session, const char *peer,
                          const char *message_id, const char *reactions);
