/* iq.c: IQ requests we send (matched to their answers on id and sender)
 * and IQ requests others send us (dispatched by payload namespace, with
 * service-unavailable for the rest, so none goes unanswered). */
#include "xmpp/feature.h"
#include "xmpp/iq.h"

#include <string.h>

#include "core/buffer.h"
#include "util/jid.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

typedef struct {
    char *to; /* NULL: our own account */
    IqResultFunc func;
    gpointer data;
    GDestroyNotify destroy;
} Pending;

static void pending_free(gpointer p)
{
    Pending *pending = p;
    if (pending->destroy)
        pending->destroy(pending->data);
    g_free(pending->to);
    g_free(pending);
}

/* Who may answer a request sent to TO: exactly TO, or for a request to
 * our own account (no 'to', or our bare JID) the server speaking for it:
 * no 'from', our bare JID or our full JID (RFC 6120 10.1.1 and 8.1.2.1). */
static gboolean sender_matches(Session *s, const char *to, const char *from)
{
    const char *own_full = s->bound_jid;
    gboolean to_self =
        !to || (own_full && !strchr(to, '/') && jid_bare_equal(to, own_full));
    if (to_self) {
        if (!from)
            return TRUE;
        if (!own_full)
            return FALSE;
        return (jid_bare_equal(from, own_full) && !strchr(from, '/')) ||
               jid_full_equal(from, own_full);
    }
    return from && jid_full_equal(from, to);
}

static void handle_answer(Session *s, xmpp_stanza_t *iq)
{
    const char *id = xmpp_stanza_get_id(iq);
    Pending *pending = id ? g_hash_table_lookup(s->iq_pending, id) : NULL;
    if (!pending)
        return; /* an answer to nothing we asked: nothing to do */
    const char *from = xmpp_stanza_get_from(iq);
    if (!sender_matches(s, pending->to, from)) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Ignored an answer from %s to a request sent to %s "
                       "(forged or misrouted).",
                       from ? from : "(no sender)",
                       pending->to ? pending->to : "our own account");
        return;
    }
    /* Out of the table before the call: the callback may send again. */
    gpointer key = NULL;
    g_hash_table_steal_extended(s->iq_pending, id, &key, NULL);
    g_free(key);
    if (pending->func)
        pending->func(s, iq, pending->data);
    pending_free(pending);
}

static char *handler_key(const char *type, const char *ns)
{
    return g_strconcat(type, " ", ns, NULL);
}

static int on_iq(xmpp_conn_t *conn, xmpp_stanza_t *iq, void *data)
{
    Session *s = data;
    const char *type = xmpp_stanza_get_type(iq);
    if (g_strcmp0(type, "result") == 0 || g_strcmp0(type, "error") == 0) {
        handle_answer(s, iq);
        return 1;
    }
    if (g_strcmp0(type, "get") != 0 && g_strcmp0(type, "set") != 0)
        return 1; /* not an IQ type at all: answering could loop */

    xmpp_stanza_t *child = xmpp_stanza_get_children(iq);
    while (child && !xmpp_stanza_is_tag(child))
        child = xmpp_stanza_get_next(child);
    const char *ns = child ? xmpp_stanza_get_ns(child) : NULL;
    IqRequestFunc func = NULL;
    if (ns) {
        g_autofree char *key = handler_key(type, ns);
        func = g_hash_table_lookup(s->iq_handlers, key);
    }
    if (func)
        func(s, iq, child);
    else
        iq_reply_error(s, iq, "cancel", "service-unavailable");
    return 1;
}

void iq_send(Session *s, xmpp_stanza_t *iq, IqResultFunc func, gpointer data,
             GDestroyNotify destroy)
{
    if (!xmpp_stanza_get_id(iq)) {
        g_autofree char *id = session_new_id(s);
        xmpp_stanza_set_id(iq, id);
    }
    Pending *pending = g_new0(Pending, 1);
    pending->to = g_strdup(xmpp_stanza_get_to(iq));
    pending->func = func;
    pending->data = data;
    pending->destroy = destroy;
    g_hash_table_replace(s->iq_pending, g_strdup(xmpp_stanza_get_id(iq)),
                         pending);
    session_send(s, iq);
}

gboolean iq_is_result(xmpp_stanza_t *result)
{
    return result && g_strcmp0(xmpp_stanza_get_type(result), "result") == 0;
}

xmpp_stanza_t *iq_new(Session *s, const char *type, const char *to,
                      const char *name, const char *ns, xmpp_stanza_t **child)
{
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *iq = xmpp_iq_new(s->ctx, type, id);
    if (to)
        xmpp_stanza_set_to(iq, to);
    xmpp_stanza_t *payload = stanza_add_child_ns(iq, name, ns);
    if (child)
        *child = payload;
    return iq;
}

void iq_handle(Session *s, const char *type, const char *ns, IqRequestFunc func)
{
    g_hash_table_replace(s->iq_handlers, handler_key(type, ns), func);
}

/* A reply of TYPE to IQ. Not xmpp_stanza_reply(): it returns NULL for a
 * request without 'from' (one from our own server, like a roster push). */
static xmpp_stanza_t *new_reply(Session *s, xmpp_stanza_t *iq, const char *type)
{
    xmpp_stanza_t *reply = xmpp_iq_new(s->ctx, type, xmpp_stanza_get_id(iq));
    const char *from = xmpp_stanza_get_from(iq);
    if (from)
        xmpp_stanza_set_to(reply, from);
    return reply;
}

void iq_reply_result(Session *s, xmpp_stanza_t *iq)
{
    xmpp_stanza_t *reply = new_reply(s, iq, "result");
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

void iq_reply_error(Session *s, xmpp_stanza_t *iq, const char *error_type,
                    const char *condition)
{
    xmpp_stanza_t *reply = new_reply(s, iq, "error");
    xmpp_stanza_t *error = stanza_add_child_ns(reply, "error", NULL);
    xmpp_stanza_set_type(error, error_type);
    stanza_add_child_ns(error, condition, NS_STANZAS);
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

static void answer_ping(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    iq_reply_result(s, iq);
}

void iq_register(Session *s)
{
    if (!s->iq_pending)
        s->iq_pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                              pending_free);
    if (!s->iq_handlers)
        s->iq_handlers =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    iq_handle(s, "get", NS_PING, answer_ping);
    xmpp_handler_add(s->conn, on_iq, NULL, "iq", NULL, s);
}

void iq_session_ended(Session *s)
{
    if (s->iq_handlers)
        g_hash_table_remove_all(s->iq_handlers);
    if (!s->iq_pending)
        return;
    /* Each waiting request learns that no answer will come. A callback
     * may start new requests; those wait for the next connection. */
    GHashTable *pending = g_steal_pointer(&s->iq_pending);
    s->iq_pending =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, pending_free);
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, pending);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Pending *p = value;
        if (p->func)
            p->func(s, NULL, p->data);
    }
    g_hash_table_unref(pending);
}

static const char *const iq_disco[] = {NS_PING, NULL};

/* Requests and answers, matched on id and sender; we answer pings. */
const Feature feature_iq = {
    .name = "iq",
    .disco = iq_disco,
    .attach = iq_register,
    .ended = iq_session_ended,
};
