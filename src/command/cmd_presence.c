/* cmd_presence.c: our presence (/status, /priority) and presence
 * subscriptions (/sub). */
#include <stdlib.h>
#include <string.h>

#include "command/families.h"
#include "core/account.h"
#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"
#include "util/xmppuri.h"
#include "xmpp/presence.h"

static void show_own(Sink *out, const Account *a)
{
    const char *status = roster_own_status(a->name);
    if (a->state != ACCOUNT_ONLINE)
        sink_printf(out, LINE_INFO, "%s: %s", a->name,
                    account_state_name(a->state));
    else
        sink_printf(out, LINE_INFO, "%s: %s%s%s, priority %d", a->name,
                    presence_show_name(roster_own_show(a->name)),
                    status ? ": " : "", status ? status : "", a->priority);
}

static gboolean set_one(Sink *out, const char *account, PresenceShow show,
                        const char *message, GError **error)
{
    if (!presence_set_status(account, show, message, error))
        return FALSE;
    sink_printf(out, LINE_INFO, "%s is now %s%s%s.", account,
                presence_show_name(show), message ? ": " : "",
                message ? message : "");
    return TRUE;
}

static gboolean cmd_status(const CommandCall *call, GError **error)
{
    Sink *out = call->out;
    gboolean all = call->argc > 0 && strcmp(call->argv[0], "all") == 0;
    /* With "all", the state and message are still in argv[1]. */
    g_auto(GStrv) words = NULL;
    const char *state = call->argc ? call->argv[0] : NULL;
    const char *message = call->argc > 1 ? call->argv[1] : NULL;
    if (all) {
        words = call->argc > 1 ? command_split(call->argv[1], 2, TRUE, error)
                               : g_new0(char *, 1);
        if (!words)
            return FALSE;
        state = words[0];
        message = state ? words[1] : NULL;
    }
    if (!state) {
        const GPtrArray *accounts = accounts_list();
        for (guint i = 0; i < accounts->len; i++) {
            const Account *a = g_ptr_array_index(accounts, i);
            if (all || g_strcmp0(a->name, call->account) == 0)
                show_own(out, a);
        }
        if (!all && !command_need_account(call, error))
            return FALSE;
        return TRUE;
    }
    PresenceShow show;
    if (!presence_show_parse(state, &show) || show == PRESENCE_OFFLINE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "unknown status '%s': online, chat, away, xa or dnd "
                    "(/disconnect goes offline)",
                    state);
        return FALSE;
    }
    if (message && !*message)
        message = NULL;
    if (!all)
        return command_need_account(call, error) &&
               set_one(out, call->account, show, message, error);
    guint changed = 0;
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; i < accounts->len; i++) {
        const Account *a = g_ptr_array_index(accounts, i);
        if (a->state == ACCOUNT_ONLINE &&
            set_one(out, a->name, show, message, NULL))
            changed++;
    }
    if (changed == 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no account is online");
        return FALSE;
    }
    return TRUE;
}

static gboolean cmd_priority(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    if (call->argc == 0) {
        Account *a = account_find(call->account);
        command_printf(call, LINE_INFO, "%s: priority %d", call->account,
                       a ? a->priority : 0);
        return TRUE;
    }
    char *end = NULL;
    long value = strtol(call->argv[0], &end, 10);
    if (!*call->argv[0] || *end || value < -128 || value > 127) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "priority must be a whole number from -128 to 127, not "
                    "'%s'",
                    call->argv[0]);
        return FALSE;
    }
    if (!presence_set_priority(call->account, (int)value, error))
        return FALSE;
    command_printf(call, LINE_INFO, "%s: priority %ld", call->account, value);
    return TRUE;
}

static void show_requests(Sink *out, const char *account)
{
    const GPtrArray *requests = roster_requests(account);
    if (requests->len == 0) {
        sink_printf(out, LINE_INFO,
                    "%s: no subscription requests waiting for an answer.",
                    account);
        return;
    }
    sink_printf(out, LINE_INFO,
                "%s: subscription requests waiting for an answer "
                "(/sub allow JID, /sub deny JID):",
                account);
    for (guint i = 0; i < requests->len; i++)
        sink_printf(out, LINE_INFO, "  %s",
                    (const char *)g_ptr_array_index(requests, i));
}

static void show_subscription(Sink *out, const char *account, const char *jid)
{
    g_autofree char *bare = jid_bare(jid);
    const RosterContact *c = roster_find_contact(account, bare);
    const GPtrArray *requests = roster_requests(account);
    gboolean asking = FALSE;
    for (guint i = 0; i < requests->len; i++)
        asking = asking || strcmp(g_ptr_array_index(requests, i), bare) == 0;
    sink_printf(out, LINE_INFO, "%s: subscription %s%s%s", bare,
                c ? subscription_name(c->subscription)
                  : "none (not in "
                    "the roster)",
                c && c->ask ? ", your request is pending" : "",
                asking ? ", asks to see your presence" : "");
}

static gboolean cmd_sub(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    const char *action = call->argv[0];
    const char *address = call->argc > 1 ? call->argv[1] : NULL;
    g_autoptr(XmppUri) uri = NULL;
    /* "/sub xmpp:bob@example.org?subscribe" (RFC 5122, XEP-0147): a
     * request, or the action typed before the link. */
    if (xmpp_uri_is(address ? address : action)) {
        if (!(uri = xmpp_uri_parse(address ? address : action, error)))
            return FALSE;
        if (uri->action && strcmp(uri->action, "subscribe") != 0 &&
            strcmp(uri->action, "roster") != 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s asks to %s, not about a subscription",
                        address ? address : action, uri->action);
            return FALSE;
        }
        if (!address)
            action = "request";
        address = uri->jid;
    }
    if (strcmp(action, "pending") == 0 ||
        (strcmp(action, "show") == 0 && call->argc == 1)) {
        show_requests(call->out, call->account);
        return TRUE;
    }
    if (!address || (call->argc != 2 && !uri)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /sub request|allow|deny|cancel|show JID, or "
                    "/sub pending");
        return FALSE;
    }
    g_autoptr(Jid) jid = jid_parse(address, error);
    if (!jid)
        return FALSE;
    static const struct {
        const char *name;
        SubAction action;
        const char *done;
    } actions[] = {
        {"request", SUB_REQUEST, "asked to let you see their presence"},
        {"allow", SUB_ALLOW, "may now see your presence"},
        {"deny", SUB_DENY, "may not see your presence"},
        {"cancel", SUB_CANCEL, "no longer shows you their presence"},
    };
    if (strcmp(action, "show") == 0) {
        show_subscription(call->out, call->account, jid->bare);
        return TRUE;
    }
    for (guint i = 0; i < G_N_ELEMENTS(actions); i++) {
        if (strcmp(action, actions[i].name) != 0)
            continue;
        if (!presence_subscription(call->account, jid->bare, actions[i].action,
                                   error))
            return FALSE;
        command_printf(call, LINE_INFO, "%s: %s.", jid->bare, actions[i].done);
        return TRUE;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "unknown /sub action '%s': request, allow, deny, cancel, "
                "show or pending",
                action);
    return FALSE;
}

const CommandDef cmd_presence_commands[] = {
    {
        .name = "priority",
        .synopsis = (const char *const[]){"/priority", "/priority N", NULL},
        .summary = "show or set the account's presence priority",
        .description =
            "Sets the priority of the current window's account (saved in "
            "the account, like /account set NAME priority N) and sends the "
            "presence again when online. Messages to your bare address go "
            "to the resource with the highest priority; a negative one "
            "receives none of them.",
        .args = (const CommandArg[]){{"N", "from -128 to 127"}, {NULL, NULL}},
        .examples = (const char *const[]){"/priority 10", NULL},
        .min_args = 0,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_priority,
    },
    {
        .name = "status",
        .synopsis =
            (const char *const[]){"/status", "/status STATE [MESSAGE]",
                                  "/status all [STATE [MESSAGE]]", NULL},
        .summary = "show or set your presence",
        .description =
            "Sets the presence of the current window's account to STATE "
            "with an optional status MESSAGE, or with 'all' of every online "
            "account. Without STATE, shows the current presence. Contacts "
            "who may see your presence see the change at once. Auto-away "
            "(settings autoaway_minutes, autoaway_seconds, autoaway_status, "
            "autoaway_message) changes an online presence after a while "
            "without a key press and restores it on the next one.",
        .args = (const CommandArg[]){{"STATE", "online, chat, away, xa "
                                               "(extended away) or dnd (do "
                                               "not disturb)"},
                                     {"MESSAGE", "the status text, to the end "
                                                 "of the line"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/status away lunch",
                                          "/status all dnd in a meeting",
                                          "/status online", NULL},
        .min_args = 0,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_status,
    },
    {
        .name = "sub",
        .synopsis =
            (const char *const[]){"/sub request JID", "/sub allow JID",
                                  "/sub deny JID", "/sub cancel JID",
                                  "/sub show [JID]", "/sub pending", NULL},
        .summary = "presence subscriptions",
        .description =
            "request asks JID to let you see their presence; allow lets JID "
            "see yours (the answer to their request); deny refuses a request "
            "or takes back an allowed one; cancel stops seeing theirs. "
            "Requests from others appear in the account's console and stay "
            "in a list until answered: /sub pending (or /sub show without "
            "JID) lists them; /sub show JID tells the subscription with JID. "
            "JID may be an xmpp: link (xmpp:bob@example.org?subscribe); "
            "alone, \"/sub LINK\" is a request.",
        .args = (const CommandArg[]){{"JID", "the contact's address"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/sub request bob@example.org",
                                  "/sub allow bob@example.org", "/sub pending",
                                  "/sub xmpp:bob@example.org?"
                                  "subscribe",
                                  NULL},
        .min_args = 1,
        .max_args = 2,
        .per_account = TRUE,
        .func = cmd_sub,
    },
    {NULL},
};
