/* authority.h: who may speak for our own account. Roster pushes, block
 * list pushes and the like are accepted only from our own account: no
 * 'from' (the server on our behalf) or our bare JID (RFC 6121 2.1.6).
 * Internal to xmpp/. */
#pragma once

#include "xmpp/session_internal.h"

/* TRUE when a stanza with sender FROM (may be NULL) comes from our own
 * account on SESSION. */
gboolean authority_is_own_account(Session *session, const char *from);

/* TRUE when JID (may be NULL: our server) may learn what our presence
 * says: our own account, a contact subscribed to our presence (from or
 * both), an occupant of a room we are in (it sees our presence there), or
 * anyone when answer_strangers is on. Receipts, read markers, chat states
 * and the answers about us (last activity, version, time) go only to
 * those: a stranger who writes learns neither that we are online nor our
 * full address (XEP-0184 §8). */
gboolean authority_may_see_presence(Session *session, const char *jid);

/* Reports in the account's console that a STANZA_KIND ("roster push")
 * from FROM was refused, and answers IQ with an error. */
void authority_refuse(Session *session, xmpp_stanza_t *iq,
                      const char *stanza_kind);
