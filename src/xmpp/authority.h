/* authority.h: who may speak for our own account. Roster pushes, block
 * list pushes and the like are accepted only from our own account: no
 * 'from' (the server on our behalf) or our bare JID (RFC 6121 2.1.6).
 * Internal to xmpp/. */
#pragma once

#include "xmpp/session_internal.h"

/* TRUE when a stanza with sender FROM (may be NULL) comes from our own
 * account on SESSION. */
gboolean authority_is_own_account(Session *session, const char *from);

/* Reports in the account's console that a STANZA_KIND ("roster push")
 * from FROM was refused, and answers IQ with an error. */
void authority_refuse(Session *session, xmpp_stanza_t *iq,
                      const char *stanza_kind);
