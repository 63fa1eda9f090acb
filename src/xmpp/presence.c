/* presence.c: see presence.h. Sends our presence (initial, and after
 * /status or /priority), tracks every presence received per resource in
 * the roster model, tells the user when a contact's availability changes
 * (console, and the contact's chat if open), and keeps incoming
 * subscription requests in a list until the user answers them. */
#include "xmpp/feature.h"
#include "xmpp/presence.h"

#include <stdlib.h>
#include <string.h>

#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/session_internal.h"
#include "xmpp/stanza.h"

static void add_text_child(xmpp_stanza_t *parent, const char *name,
                           const char *value)
{
    xmpp_stanza_t *child = stanza_add_child_ns(parent, name, NULL);
    xmpp_stanza_t *text = xmpp_stanza_new(xmpp_stanza_get_context(parent));
    xmpp_stanza_set_text(text, value);
    xmpp_stanza_add_child_ex(child, text, 0);
}

/* Our current presence, as the model and the account say. */
static void send_own(Session *s)
{
    xmpp_stanza_t *presence = xmpp_presence_new(s->ctx);
    PresenceShow show = roster_own_show(s->account);
    if (show != PRESENCE_ONLINE && show != PRESENCE_OFFLINE)
        add_text_child(presence, "show", presence_show_name(show));
    const char *status = roster_own_status(s->account);
    if (status)
        add_text_child(presence, "status", status);
    Account *a = session_account(s);
    if (a->priority != 0) {
        g_autofree char *value = g_strdup_printf("%d", a->priority);
        add_text_child(presence, "priority", value);
    }
    if (a->status) {
        xmpp_stanza_t *status = stanza_add_child_ns(presence, "status", NULL);
        xmpp_stanza_t *text = xmpp_stanza_new(s->ctx);
        xmpp_stanza_set_text(text, a->status);
        xmpp_stanza_add_child_ex(status, text, 0);
    }
    /* XEP-0115: what we can do, so contacts need not ask (caps.c). */
    xmpp_stanza_add_child_ex(presence, caps_own_element(s), 0);
    session_send(s, presence);
    xmpp_stanza_release(presence);
}

void presence_send_initial(Session *s)
{
    send_own(s);
}

void presence_send_unavailable(Session *s)
{
    xmpp_stanza_t *presence = xmpp_presence_new(s->ctx);
    xmpp_stanza_set_type(presence, "unavailable");
    session_send(s, presence);
    xmpp_stanza_release(presence);
}

gboolean presence_set_status(const char *account, PresenceShow show,
                             const char *status, GError **error)
{
    g_return_val_if_fail(show != PRESENCE_OFFLINE, FALSE);
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    roster_set_own(account, show, status);
    send_own(s);
    return TRUE;
}

gboolean presence_set_priority(const char *account, int priority,
                               GError **error)
{
    Account *a = account_find(account);
    if (!a) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no account named '%s'", account);
        return FALSE;
    }
    g_autofree char *value = g_strdup_printf("%d", priority);
    if (!account_set(a, "priority", value, error) || !accounts_save(error))
        return FALSE;
    Session *s = session_online(account, NULL);
    if (s)
        send_own(s);
    return TRUE;
}

gboolean presence_subscription(const char *account, const char *jid,
                               SubAction action, GError **error)
{
    static const char *const types[] = {
        [SUB_REQUEST] = "subscribe",
        [SUB_ALLOW] = "subscribed",
        [SUB_DENY] = "unsubscribed",
        [SUB_CANCEL] = "unsubscribe",
    };
    g_autoptr(Jid) parsed = jid_parse(jid, error);
    if (!parsed)
        return FALSE;
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    xmpp_stanza_t *presence = xmpp_presence_new(s->ctx);
    xmpp_stanza_set_type(presence, types[action]);
    xmpp_stanza_set_to(presence, parsed->bare);
    session_send(s, presence);
    xmpp_stanza_release(presence);
    if (action == SUB_ALLOW || action == SUB_DENY)
        roster_request_remove(account, parsed->bare);
    return TRUE;
}

/* "away: lunch", "online", "offline" */
static char *describe(const RosterResource *r)
{
    if (!r)
        return g_strdup("offline");
    if (r->status)
        return g_strdup_printf("%s: %s", presence_show_name(r->show),
                               r->status);
    return g_strdup(presence_show_name(r->show));
}

/* Tells the user about BARE's availability when what the best resource
 * says changed: in the console and in the contact's chat when open. */
static void announce(Session *s, const char *bare, const char *before)
{
    const RosterResource *best = roster_best_resource(s->account, bare);
    g_autofree char *after = describe(best);
    if (g_strcmp0(before, after) == 0)
        return;
    g_autofree char *line = g_strdup_printf("%s is %s", bare, after);
    buffer_append(buffer_account_console(s->account), LINE_INFO, NULL, line);
    Buffer *chat = buffer_find(BUFFER_CHAT, s->account, bare);
    if (chat)
        buffer_append(chat, LINE_INFO, NULL, line);
}

static void handle_availability(Session *s, xmpp_stanza_t *stanza,
                                const Jid *from, gboolean available)
{
    PresenceShow show = PRESENCE_OFFLINE;
    if (available) {
        g_autofree char *text = stanza_child_text(stanza, "show", NULL);
        if (!text || !presence_show_parse(text, &show) ||
            show == PRESENCE_OFFLINE)
            show = PRESENCE_ONLINE; /* RFC 6121 4.7.2.1: unknown is online */
    }
    g_autofree char *status = stanza_child_text(stanza, "status", NULL);
    g_autofree char *prio = stanza_child_text(stanza, "priority", NULL);
    int priority = prio ? CLAMP(atoi(prio), -128, 127) : 0;

    const RosterResource *old = roster_best_resource(s->account, from->bare);
    g_autofree char *before = describe(old);
    roster_set_presence(s->account, from->bare, from->resource, show, status,
                        priority);
    /* Our own other resources are tracked, not announced. */
    if (s->bound_jid && jid_bare_equal(from->bare, s->bound_jid))
        return;
    announce(s, from->bare, before);
}

static void handle_subscription(Session *s, const char *type, const Jid *from,
                                xmpp_stanza_t *stanza)
{
    Buffer *console = buffer_account_console(s->account);
    if (strcmp(type, "subscribe") == 0) {
        if (!roster_request_add(s->account, from->bare))
            return; /* asked before: said then */
        /* What they wrote with it, and the nick they go by (XEP-0172). */
        g_autofree char *status = stanza_child_text(stanza, "status", NULL);
        g_autofree char *nick = stanza_child_text(stanza, "nick", NS_NICK);
        EventSubscription request = {.account = session_account(s),
                                     .jid = from->bare,
                                     .nick = nick && *nick ? nick : NULL,
                                     .status =
                                         status && *status ? status : NULL};
        event_emit_subscription(&request);
        g_autofree char *who =
            request.nick ? g_strdup_printf("%s (%s)", from->bare, request.nick)
                         : g_strdup(from->bare);
        g_autofree char *says = request.status
                                    ? g_strdup_printf(" \"%s\"", request.status)
                                    : g_strdup("");
        buffer_appendf(console, LINE_INFO,
                       "%s asks to see your presence%s: /sub allow %s or "
                       "/sub deny %s",
                       who, says, from->bare, from->bare);
    } else if (strcmp(type, "subscribed") == 0) {
        buffer_appendf(console, LINE_INFO,
                       "%s allowed you to see their presence.", from->bare);
    } else if (strcmp(type, "unsubscribed") == 0) {
        buffer_appendf(console, LINE_INFO,
                       "%s denied or took back your view of their presence.",
                       from->bare);
    } else {
        roster_request_remove(s->account, from->bare);
        buffer_appendf(console, LINE_INFO,
                       "%s no longer wants to see your presence.", from->bare);
    }
}

static int on_presence(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Session *s = data;
    const char *type = xmpp_stanza_get_type(stanza);
    const char *raw_from = xmpp_stanza_get_from(stanza);
    Buffer *console = buffer_account_console(s->account);
    g_autoptr(Jid) from = raw_from ? jid_parse(raw_from, NULL) : NULL;
    if (!from) {
        buffer_appendf(console, LINE_ERROR,
                       "Ignored a presence from an invalid address: %s",
                       raw_from ? raw_from : "(none)");
        return 1;
    }
    if (muc_take_presence(s, stanza))
        return 1; /* room occupants belong to the rooms (xmpp/muc.c) */

    if (!type || strcmp(type, "unavailable") == 0) {
        handle_availability(s, stanza, from, type == NULL);
    } else if (strcmp(type, "subscribe") == 0 ||
               strcmp(type, "subscribed") == 0 ||
               strcmp(type, "unsubscribe") == 0 ||
               strcmp(type, "unsubscribed") == 0) {
        handle_subscription(s, type, from, stanza);
    } else if (strcmp(type, "error") == 0) {
        g_autofree char *why = stanza_error_describe(stanza);
        buffer_appendf(console, LINE_ERROR, "Presence error from %s: %s",
                       from->full, why);
    } else if (strcmp(type, "probe") != 0) {
        /* Probes are the server's business; anything else is wrong. */
        buffer_appendf(console, LINE_ERROR,
                       "Ignored a presence of unknown type '%s' from %s", type,
                       from->full);
    }
    return 1;
}

void presence_register(Session *s)
{
    xmpp_handler_add(s->conn, on_presence, NULL, "presence", NULL, s);
}

void presence_session_ended(Session *s)
{
    roster_clear_presences(s->account);
    roster_set_received(s->account, FALSE);
    roster_set_blocklist_known(s->account, FALSE);
}

/* After the roster (RFC 6121 2.2); a resumed stream kept our presence. */
static void presence_started(Session *s, gboolean resumed)
{
    if (!resumed)
        presence_send_initial(s);
}

const Feature feature_presence = {
    .name = "presence",
    .attach = presence_register,
    .started = presence_started,
    .ended = presence_session_ended,
};
