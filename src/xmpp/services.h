/* services.h: the everyday protocol around a session, for the rest of
 * xmpp/: service discovery, entity capabilities, software version, time,
 * last activity and the XML console. Internal to xmpp/. */
#pragma once

#include "util/capsver.h"
#include "xmpp/session_internal.h"
#include "xmpp/ns.h"

#define CAPS_NODE "https://natter.invalid/caps"

/* The request handlers of each feature here on SESSION's new connection
 * (xmpp/feature.h). */
void disco_register(Session *session);
void caps_register(Session *session);
void version_register(Session *session);
void entitytime_register(Session *session);
void lastactivity_register(Session *session);

/* What we tell others in disco#info: our identity and what the registered
 * features announce now (features_add_disco). Caller frees. */
CapsInfo *disco_own_info(void);

/* The disco#info answer QUERY (the <query/> element) as a CapsInfo; forms
 * without a hidden FORM_TYPE are left out (XEP-0115 5.4). NULL with ERROR
 * set when it is malformed (an identity without category). */
CapsInfo *disco_parse_info(xmpp_stanza_t *query, GError **error);

/* Our caps element <c xmlns=caps hash=sha-1 node=.. ver=../> for presence,
 * reflecting the current settings. The caller adds it to a stanza (or
 * releases it). */
xmpp_stanza_t *caps_own_element(Session *session);
/* Our current verification string. Caller frees. */
char *caps_own_ver(void);

/* libstrophe's debug log line MSG of SESSION: raw traffic goes to the XML
 * console of its account when one is open; otherwise nothing is done. */
void xmlconsole_log(Session *session, const char *area, const char *msg);
