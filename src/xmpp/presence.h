/* presence.h: our own presence (status, priority), contacts' presence and
 * subscription requests (RFC 6121 3-4). The state is in core/roster.h;
 * this file talks to the server. */
#pragma once

#include <glib.h>

#include "core/roster.h"

/* Sets ACCOUNT's presence to SHOW with STATUS (NULL: none) and sends it.
 * SHOW must not be PRESENCE_OFFLINE (that is /disconnect). */
gboolean presence_set_status(const char *account, PresenceShow show,
                             const char *status, GError **error);

/* Sets ACCOUNT's priority (saved with the account) and, when online,
 * sends our presence again with it. */
gboolean presence_set_priority(const char *account, int priority,
                               GError **error);

typedef enum {
    SUB_REQUEST, /* ask to see JID's presence (subscribe) */
    SUB_ALLOW,   /* let JID see ours (subscribed) */
    SUB_DENY,    /* refuse, or take back, JID's view of ours (unsubscribed) */
    SUB_CANCEL,  /* stop seeing JID's presence (unsubscribe) */
} SubAction;

/* Sends the subscription presence for ACTION to JID; ALLOW and DENY answer
 * (and clear) a pending request from JID. */
gboolean presence_subscription(const char *account, const char *jid,
                               SubAction action, GError **error);
