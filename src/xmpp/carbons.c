/* carbons.c: see carbons.h. */
#include "xmpp/carbons.h"

#include "core/buffer.h"
#include "util/jid.h"
#include "xmpp/feature.h"
#include "xmpp/iq.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

static void on_enabled(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result || iq_is_result(result))
        return;
    g_autofree char *why = stanza_error_describe(result);
    buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                   "The server does not copy messages between your clients "
                   "(carbons: %s): messages of your other clients will not "
                   "show here.",
                   why);
}

void carbons_enable(Session *s)
{
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, "enable", NS_CARBONS, NULL);
    iq_send(s, iq, on_enabled, NULL, NULL);
    xmpp_stanza_release(iq);
}

static xmpp_stanza_t *child_ns(xmpp_stanza_t *stanza, const char *name,
                               const char *ns)
{
    return xmpp_stanza_get_child_by_name_and_ns(stanza, name, ns);
}

CarbonKind carbons_unwrap(Session *s, xmpp_stanza_t *stanza,
                          xmpp_stanza_t **inner)
{
    CarbonKind kind = CARBON_NONE;
    xmpp_stanza_t *wrapper = child_ns(stanza, "received", NS_CARBONS);
    if (wrapper)
        kind = CARBON_RECEIVED;
    else if ((wrapper = child_ns(stanza, "sent", NS_CARBONS)))
        kind = CARBON_SENT;
    else
        return CARBON_NONE;

    const char *from = xmpp_stanza_get_from(stanza);
    const char *own = s->own_bare;
    g_autofree char *resource = from ? jid_resource(from) : NULL;
    if (!from || !own || !jid_bare_equal(from, own) || resource) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Ignored a forged copy of a message (carbon) from "
                       "%s: only your own account can send those.",
                       from ? from : "(no sender)");
        return CARBON_REFUSED;
    }
    xmpp_stanza_t *forwarded = child_ns(wrapper, "forwarded", NS_FORWARD);
    xmpp_stanza_t *message =
        forwarded ? xmpp_stanza_get_child_by_name(forwarded, "message") : NULL;
    if (!message) {
        buffer_append(buffer_account_console(s->account), LINE_ERROR, NULL,
                      "Ignored a copy of a message (carbon) without the "
                      "message in it.");
        return CARBON_REFUSED;
    }
    *inner = message;
    return kind;
}

static void carbons_started(Session *s, gboolean resumed)
{
    if (!resumed)
        carbons_enable(s);
}

const Feature feature_carbons = {
    .name = "carbons",
    .started = carbons_started,
};
