/* iq.c: answers the IQ requests (get/set) others send us. Each supported
 * request is one entry of `handlers`, keyed by the namespace of its child;
 * anything else gets the service-unavailable error RFC 6120 8.4 asks for,
 * so no request goes unanswered. */
#include <string.h>

#include "xmpp/session_internal.h"
#include "xmpp/stanza.h"

#define NS_PING    "urn:xmpp:ping"
#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"

typedef void (*IqRequestHandler)(Session *s, xmpp_stanza_t *iq,
                                 xmpp_stanza_t *child);

static void answer_ping(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
    xmpp_stanza_set_type(reply, "result");
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

static const struct {
    const char *type; /* "get" or "set" */
    const char *ns;
    IqRequestHandler handler;
} handlers[] = {
    {"get", NS_PING, answer_ping},
};

static void answer_unsupported(Session *s, xmpp_stanza_t *iq)
{
    xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
    xmpp_stanza_set_type(reply, "error");
    xmpp_stanza_t *error = stanza_add_child_ns(reply, "error", NULL);
    xmpp_stanza_set_type(error, "cancel");
    stanza_add_child_ns(error, "service-unavailable", NS_STANZAS);
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

static int on_iq(xmpp_conn_t *conn, xmpp_stanza_t *iq, void *data)
{
    Session *s = data;
    const char *type = xmpp_stanza_get_type(iq);
    if (g_strcmp0(type, "get") != 0 && g_strcmp0(type, "set") != 0)
        return 1; /* results and errors go to the id handler that asked */

    xmpp_stanza_t *child = xmpp_stanza_get_children(iq);
    while (child && !xmpp_stanza_is_tag(child))
        child = xmpp_stanza_get_next(child);
    const char *ns = child ? xmpp_stanza_get_ns(child) : NULL;

    for (guint i = 0; ns && i < G_N_ELEMENTS(handlers); i++) {
        if (strcmp(type, handlers[i].type) == 0 &&
            strcmp(ns, handlers[i].ns) == 0) {
            handlers[i].handler(s, iq, child);
            return 1;
        }
    }
    answer_unsupported(s, iq);
    return 1;
}

void iq_register(Session *s)
{
    xmpp_handler_add(s->conn, on_iq, NULL, "iq", NULL, s);
}
