/* blocking.c: see blocking.h. Pushes of the block list are accepted only
 * from our own account, like roster pushes. */
#include "xmpp/blocking.h"

#include <string.h>

#include "core/buffer.h"
#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/authority.h"
#include "xmpp/feature.h"
#include "xmpp/iq.h"
#include "xmpp/request.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

static guint apply_items(Session *s, xmpp_stanza_t *list, gboolean blocked)
{
    guint n = 0;
    for (xmpp_stanza_t *item = xmpp_stanza_get_children(list); item;
         item = xmpp_stanza_get_next(item)) {
        if (g_strcmp0(xmpp_stanza_get_name(item), "item") != 0)
            continue;
        const char *jid = xmpp_stanza_get_attribute(item, "jid");
        if (!jid || !jid_is_valid(jid)) {
            buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                           "Ignored a block list item with an invalid "
                           "address: %s",
                           jid ? jid : "(none)");
            continue;
        }
        roster_set_blocked(s->account, jid, blocked);
        /* The server stops relaying their presence, and sends no
         * unavailable for them: forget what they said last. */
        if (blocked && !strchr(jid, '/'))
            roster_set_presence(s->account, jid, NULL, PRESENCE_OFFLINE, NULL,
                                0);
        n++;
    }
    return n;
}

static void on_list(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result)
        return;
    xmpp_stanza_t *list =
        xmpp_stanza_get_child_by_name_and_ns(result, "blocklist", NS_BLOCKING);
    if (!iq_is_result(result) || !list) {
        g_autofree char *why = iq_is_result(result)
                                   ? g_strdup("empty answer")
                                   : stanza_error_describe(result);
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Block list not received (/block will not work): %s",
                       why);
        return;
    }
    roster_clear_blocked(s->account);
    guint n = apply_items(s, list, TRUE);
    roster_set_blocklist_known(s->account, TRUE);
    /* Worth a reminder: blocked contacts look offline and stay silent. */
    if (n > 0)
        buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                       "Blocking %u address%s (/blocked lists them).", n,
                       n == 1 ? "" : "es");
}

void blocking_session_started(Session *s)
{
    roster_set_blocklist_known(s->account, FALSE);
    xmpp_stanza_t *iq = iq_new(s, "get", NULL, "blocklist", NS_BLOCKING, NULL);
    iq_send(s, iq, on_list, NULL, NULL);
    xmpp_stanza_release(iq);
}

static void on_push(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    if (!authority_is_own_account(s, xmpp_stanza_get_from(iq))) {
        authority_refuse(s, iq, "block list push");
        return;
    }
    const char *name = xmpp_stanza_get_name(child);
    gboolean block = g_strcmp0(name, "block") == 0;
    if (!block && g_strcmp0(name, "unblock") != 0) {
        iq_reply_error(s, iq, "modify", "bad-request");
        return;
    }
    /* An unblock without items unblocks everyone (XEP-0191 3.4). */
    if (apply_items(s, child, block) == 0 && !block)
        roster_clear_blocked(s->account);
    iq_reply_result(s, iq);
}

void blocking_register(Session *s)
{
    iq_handle(s, "set", NS_BLOCKING, on_push);
}

typedef struct {
    char *account;
    char *jid;
    gboolean block;
    Sink *out; /* where the command was typed */
} BlockRequest;

static void block_request_free(gpointer data)
{
    BlockRequest *r = data;
    g_free(r->account);
    g_free(r->jid);
    sink_unref(r->out);
    g_free(r);
}

static void on_block_result(Session *s, xmpp_stanza_t *result, gpointer data)
{
    BlockRequest *r = data;
    const char *verb = r->block ? "block" : "unblock";
    if (!result) {
        sink_printf(r->out, LINE_ERROR,
                    "No answer to %s %s: the connection ended.", verb, r->jid);
    } else if (iq_is_result(result)) {
        roster_set_blocked(r->account, r->jid, r->block);
        sink_printf(r->out, LINE_INFO, "%s %s.",
                    r->block ? "Blocked" : "Unblocked", r->jid);
    } else {
        g_autofree char *why = stanza_error_describe(result);
        sink_printf(r->out, LINE_ERROR, "Could not %s %s: %s", verb, r->jid,
                    why);
    }
}

gboolean blocking_send(const char *account, const char *jid, gboolean block,
                       const char *report, Sink *out, GError **error)
{
    g_autoptr(Jid) parsed = jid_parse(jid, error);
    if (!parsed)
        return FALSE;
    if (report && (!block || (g_strcmp0(report, "spam") != 0 &&
                              g_strcmp0(report, "abuse") != 0))) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "a report is spam or abuse, and goes with a block");
        return FALSE;
    }
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    xmpp_stanza_t *payload = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, block ? "block" : "unblock",
                               NS_BLOCKING, &payload);
    xmpp_stanza_t *item = stanza_add_child_ns(payload, "item", NULL);
    xmpp_stanza_set_attribute(item, "jid", parsed->full);
    if (report) {
        /* XEP-0377: the reason is a URI, "urn:xmpp:reporting:spam". */
        g_autofree char *reason =
            g_strdup_printf("%s:%s", NS_REPORTING_REASONS, report);
        xmpp_stanza_t *r = stanza_add_child_ns(item, "report", NS_REPORTING);
        xmpp_stanza_set_attribute(r, "reason", reason);
    }
    BlockRequest *r = g_new0(BlockRequest, 1);
    r->account = g_strdup(account);
    r->jid = g_strdup(parsed->full);
    r->block = block;
    r->out = request_sink(out, account);
    iq_send(s, iq, on_block_result, r, block_request_free);
    xmpp_stanza_release(iq);
    return TRUE;
}

static void blocking_started(Session *s, gboolean resumed)
{
    if (!resumed)
        blocking_session_started(s);
}

const Feature feature_blocking = {
    .name = "blocking",
    .attach = blocking_register,
    .started = blocking_started,
};
