/* ping.c: /ping (XEP-0199): the round trip time to an entity or to our
 * server. Answering pings is in iq.c; keepalive pings are the session's. */
#include "util/jid.h"
#include "xmpp/info.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

static void on_pong(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    gint64 elapsed_us = g_get_monotonic_time() - r->sent;
    if (request_failed(r, result, "Ping"))
        return;
    sink_printf(request_out(r), LINE_INFO, "Pong from %s in %.1f ms.",
                request_target(r), elapsed_us / 1000.0);
}

gboolean ping_send(const char *account, const char *to, Sink *out,
                   GError **error)
{
    Session *s = request_session(account, to, error);
    if (!s)
        return FALSE;
    /* No address: our server, by its domain, so that the answer names it. */
    g_autoptr(Jid) own = to ? NULL : jid_parse(s->bound_jid, NULL);
    if (own)
        to = own->domain;
    xmpp_stanza_t *iq = iq_new(s, "get", to, "ping", NS_PING, NULL);
    return request_send_iq(s, iq, out, on_pong, NULL, NULL);
}
