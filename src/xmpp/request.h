/* request.h: a question a user asked another entity (/software, /ping,
 * /disco ...): sends the IQ and keeps the command's output sink, so that
 * the answer is printed where the command's output goes (the window it
 * was typed in, or the account's console if that window was closed
 * meanwhile; a control-socket client; a plugin). Internal to
 * xmpp/. */
#pragma once

#include "core/sink.h"
#include "xmpp/iq.h"

typedef struct {
    char *account;
    Sink *out;   /* where the answer is printed */
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
                      const char *ns, Sink *out, IqResultFunc func,
                      GError **error);

/* The same with a prepared IQ (iq_new), sent on SESSION; takes ownership
 * of IQ. DATA (freed with DESTROY) is kept in the Request. */
gboolean request_send_iq(Session *session, xmpp_stanza_t *iq, Sink *out,
                         IqResultFunc func, gpointer data,
                         GDestroyNotify destroy);

/* Checks that TO (may be NULL) is a usable address and ACCOUNT is online;
 * returns its session or NULL with ERROR set. */
Session *request_session(const char *account, const char *to, GError **error);

/* OUT with one more reference, or, when there is none (not asked from a
 * command), a sink into ACCOUNT's console. For answers that come later:
 * caller unrefs. */
Sink *request_sink(Sink *out, const char *account);

/* Where to print the answer to REQUEST (borrowed). */
Sink *request_out(const Request *request);

/* Takes REQUEST's data away from it (it will not free it), to hand it to
 * the next request of a chain. */
gpointer request_take_data(Request *request);

/* Makes VIEW (the window an answer filled) current when the user still
 * looks at the window REQUEST was made from: never steals the focus from
 * where they went meanwhile. */
void request_show_view(const Request *request, Buffer *view);

/* Who was asked, for messages: TO or the server's domain. */
const char *request_target(const Request *request);

/* When RESULT is NULL or an error, shows why WHAT failed and returns TRUE
 * (the caller stops there). */
gboolean request_failed(const Request *request, xmpp_stanza_t *result,
                        const char *what);
