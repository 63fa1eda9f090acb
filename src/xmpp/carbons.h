/* carbons.h: message carbons (XEP-0280): copies of what our other clients
 * send and receive. Internal to xmpp/. */
#pragma once

#include "xmpp/session_internal.h"

typedef enum {
    CARBON_NONE,     /* not a carbon: handle the message as it is */
    CARBON_RECEIVED, /* a copy of a message one of our clients received */
    CARBON_SENT,     /* a copy of a message one of our clients sent */
    CARBON_REFUSED,  /* looked like a carbon, but not from our account */
} CarbonKind;

/* Asks the server for carbons; called when a session comes online. */
void carbons_enable(Session *session);

/* If STANZA is a carbon, returns its kind and the forwarded message in
 * *INNER (borrowed from STANZA). Only our own bare JID may send carbons
 * (XEP-0280 §11): anything else claiming to be one is CARBON_REFUSED,
 * reported in the account's console, and must be dropped. */
CarbonKind carbons_unwrap(Session *session, xmpp_stanza_t *stanza,
                          xmpp_stanza_t **inner);
