/* pep.h: one dispatcher for PEP notifications (XEP-0163): a <message/>
 * carrying <event xmlns=pubsub#event><items node=NODE>...</items></event>
 * goes to the handler registered for NODE, after one authority check: a
 * PEP service is an account, so the sender must be a bare JID, and for a
 * node of our own account only (bookmarks, our own device lists) our own
 * account. Bookmarks register here; OMEMO device lists, vCard4 and avatars
 * will. A feature that wants the notifications also announces
 * "NODE+notify" (xmpp/feature.h). Internal to xmpp/. */
#pragma once

#include "xmpp/session_internal.h"

/* ITEMS is the <items/> element of a notification of NODE from FROM (a
 * bare JID; our own for OWN_ONLY nodes). */
typedef void (*PepFunc)(Session *session, const char *from,
                        xmpp_stanza_t *items, gpointer data);

/* Routes notifications of NODE to FUNC; OWN_ONLY: only from our account.
 * WHAT names the node's content for messages ("bookmarks"). */
void pep_register_node(const char *node, const char *what, gboolean own_only,
                       PepFunc func, gpointer data);
void pep_unregister_node(const char *node);

/* A notification of a node no feature registered: shown (pubsub.c) when
 * it is of a node /pubsub follows, or from a pubsub component. */
void pubsub_take_notification(Session *session, const char *from,
                              xmpp_stanza_t *items);

/* TRUE when STANZA is a PEP notification (handled, or refused and
 * reported, or of a node nobody registered: ignored). */
gboolean pep_take_event(Session *session, xmpp_stanza_t *stanza);
