/* iq.h: IQ requests in both directions, for the protocol files of xmpp/.
 *
 * Outgoing: iq_send() remembers the request and calls back exactly once,
 * with the answer or with NULL when the connection ends first. An answer
 * counts only if both its id and its sender match the request (RFC 6120
 * 10.1): a forged result from someone else is reported and ignored.
 *
 * Incoming: protocol files register one handler per (type, namespace) on
 * each session; requests nobody handles get service-unavailable, so every
 * request is answered. Internal to xmpp/. */
#pragma once

#include "xmpp/session_internal.h"

/* RESULT is the <iq type="result|error"/> answer (borrowed), or NULL when
 * the session ended before an answer came. */
typedef void (*IqResultFunc)(Session *session, xmpp_stanza_t *result,
                             gpointer data);

/* Sends IQ (type get or set; an id is added when it has none). FUNC may be
 * NULL when the answer does not matter. DESTROY frees DATA afterwards. */
void iq_send(Session *session, xmpp_stanza_t *iq, IqResultFunc func,
             gpointer data, GDestroyNotify destroy);

/* TRUE when RESULT is an answer of type "result" (not "error"). */
gboolean iq_is_result(xmpp_stanza_t *result);

/* A new <iq type=TYPE to=TO> (TO may be NULL: our own account) with one
 * child <NAME xmlns=NS/>. The child is returned in *CHILD when asked. */
xmpp_stanza_t *iq_new(Session *session, const char *type, const char *to,
                      const char *name, const char *ns, xmpp_stanza_t **child);

/* Handles one request: IQ is the whole stanza, CHILD its payload. The
 * handler must answer (iq_reply_result / iq_reply_error or its own). */
typedef void (*IqRequestFunc)(Session *session, xmpp_stanza_t *iq,
                              xmpp_stanza_t *child);

/* Registers FUNC for requests of TYPE ("get" or "set") whose payload is in
 * namespace NS, on SESSION's current connection. */
void iq_handle(Session *session, const char *type, const char *ns,
               IqRequestFunc func);

/* An empty result for IQ. */
void iq_reply_result(Session *session, xmpp_stanza_t *iq);
/* An error reply: ERROR_TYPE is "cancel", "modify"...; CONDITION a defined
 * condition of RFC 6120 8.3.3 ("service-unavailable"...). */
void iq_reply_error(Session *session, xmpp_stanza_t *iq, const char *error_type,
                    const char *condition);

/* Sets up the request and result handlers of a new connection. */
void iq_register(Session *session);
/* Fails every request still waiting (FUNC gets NULL) and forgets the
 * handlers; called when the connection ends. */
void iq_session_ended(Session *session);
