/* request.c: see request.h. */
#include "xmpp/request.h"

#include "util/error.h"
#include "util/jid.h"
#include "xmpp/stanza.h"

static void request_free(gpointer p)
{
    Request *r = p;
    if (r->destroy && r->data) /* none when taken (request_take_data) */
        r->destroy(r->data);
    g_free(r->account);
    sink_unref(r->out);
    g_free(r->to);
    g_free(r);
}

Session *request_session(const char *account, const char *to, GError **error)
{
    if (to && !jid_is_valid(to)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a valid address", to);
        return NULL;
    }
    if (!account) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "this window belongs to no account: use the command in "
                    "an account's window");
        return NULL;
    }
    return session_online(account, error);
}

gboolean request_send_iq(Session *s, xmpp_stanza_t *iq, Sink *out,
                         IqResultFunc func, gpointer data,
                         GDestroyNotify destroy)
{
    Request *r = g_new0(Request, 1);
    r->account = g_strdup(s->account);
    r->out = sink_ref(out);
    r->to = g_strdup(xmpp_stanza_get_to(iq));
    r->sent = g_get_monotonic_time();
    r->data = data;
    r->destroy = destroy;
    iq_send(s, iq, func, r, request_free);
    xmpp_stanza_release(iq);
    return TRUE;
}

gboolean request_send(const char *account, const char *to, const char *name,
                      const char *ns, Sink *out, IqResultFunc func,
                      GError **error)
{
    Session *s = request_session(account, to, error);
    if (!s)
        return FALSE;
    xmpp_stanza_t *iq = iq_new(s, "get", to, name, ns, NULL);
    return request_send_iq(s, iq, out, func, NULL, NULL);
}

Sink *request_sink(Sink *out, const char *account)
{
    return out ? sink_ref(out)
               : sink_for_buffer(buffer_account_console(account));
}

Sink *request_out(const Request *r)
{
    return r->out;
}

gpointer request_take_data(Request *r)
{
    return g_steal_pointer(&r->data);
}

void request_show_view(const Request *r, Buffer *view)
{
    Buffer *asked_in = sink_buffer(r->out);
    if (asked_in && asked_in == buffer_current())
        buffer_switch(view);
}

const char *request_target(const Request *r)
{
    return r->to ? r->to : "the server";
}

gboolean request_failed(const Request *r, xmpp_stanza_t *result,
                        const char *what)
{
    if (!result) {
        sink_printf(request_out(r), LINE_ERROR,
                    "%s of %s: no answer, the connection ended.", what,
                    request_target(r));
        return TRUE;
    }
    if (iq_is_result(result))
        return FALSE;
    g_autofree char *why = stanza_error_describe(result);
    sink_printf(request_out(r), LINE_ERROR, "%s of %s failed: %s", what,
                request_target(r), why);
    return TRUE;
}
