/* request.h: a question a user asked another entity (/software, /ping,
 * /disco ...): sends the IQ and remembers where the answer is to be shown,
 * so that it lands in the window the command was typed in (or the
 * account's console if that window was closed meanwhile). Internal to
 * xmpp/. */
#pragma once

#include "core/buffer.h"
#include "xmpp/iq.h"

typedef struct {
    char *account;
    BufferKind kind; /* of the window the command was typed in */
    char *peer;
    char *to;    /* who was asked; NULL: our own server */
    gint64 sent; /* monotonic µs when the request left */
    gpointer data;
    GDestroyNotify destroy;
} Request;

/* Sends <iq type=get to=TO><NAME xmlns=NS/></iq> for ACCOUNT (TO NULL: our
 * server) and calls FUNC with the answer (NULL: the connection ended) and
 * the Request as data. FALSE with ERROR set if TO is not a valid JID or
 * ACCOUNT is not online. */
gboolean request_send(const char *account, const char *to, const char *name,
                      const char *ns, Buffer *where, IqResultFunc func,
                      GError **error);

/* The same with a prepared IQ (iq_new), sent on SESSION; takes ownership
 * of IQ. DATA (freed with DESTROY) is kept in the Request. */
gboolean request_send_iq(Session *session, xmpp_stanza_t *iq, Buffer *where,
                         IqResultFunc func, gpointer data,
                         GDestroyNotify destroy);

/* Checks that TO (may be NULL) is a usable address and ACCOUNT is online;
 * returns its session or NULL with ERROR set. */
Session *request_session(const char *account, const char *to, GError **error);

/* Where to show the answer to REQUEST. */
Buffer *request_buffer(const Request *request);

/* Who was asked, for messages: TO or the server's domain. */
const char *request_target(const Request *request);

/* When RESULT is NULL or an error, shows why WHAT failed and returns TRUE
 * (the caller stops there). */
gboolean request_failed(const Request *request, xmpp_stanza_t *result,
                        const char *what);
