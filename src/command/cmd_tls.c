/* cmd_tls.c: /tls (the answer to the certificate question, and the pinned
 * certificates) and /reconnect. */
#include <string.h>

#include "command/families.h"
#include "core/account.h"
#include "core/settings.h"
#include "core/tlspins.h"
#include "util/error.h"
#include "xmpp/session.h"

/* The account a /tls answer is for: NAME, else the current window's
 * account, else the only account with an open question. */
static Account *question_account(const CommandCall *call, const char *name,
                                 GError **error)
{
    if (!name)
        name = call->account;
    if (name) {
        Account *a = account_find(name);
        if (!a)
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "no account named '%s' (/account list)", name);
        return a;
    }
    Account *found = NULL;
    const GPtrArray *list = accounts_list();
    for (guint i = 0; i < list->len; i++) {
        Account *a = g_ptr_array_index(list, i);
        if (!session_tls_question(a))
            continue;
        if (found) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "several accounts have a certificate question: "
                        "/tls allow|always|deny NAME");
            return NULL;
        }
        found = a;
    }
    if (!found)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no certificate question is open");
    return found;
}

static gboolean list_pins(Sink *out, const Account *a, GError **error)
{
    g_autoptr(GPtrArray) pins = tls_pins_load(a->name, error);
    if (!pins)
        return FALSE;
    if (pins->len == 0) {
        sink_printf(out, LINE_INFO, "No certificate pinned for %s.", a->name);
        return TRUE;
    }
    sink_printf(out, LINE_INFO, "Certificates pinned for %s:", a->name);
    for (guint i = 0; i < pins->len; i++) {
        const TlsPin *pin = g_ptr_array_index(pins, i);
        sink_printf(out, LINE_INFO, "  %s%s%s", pin->fingerprint,
                    pin->note ? "  " : "", pin->note ? pin->note : "");
    }
    return TRUE;
}

static gboolean tls_usage(GError **error)
{
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /tls allow|always|deny [NAME], /tls trusted [NAME], "
                "/tls revoke FINGERPRINT [NAME]");
    return FALSE;
}

static gboolean cmd_tls(const CommandCall *call, GError **error)
{
    const char *sub = call->argv[0];
    static const struct {
        const char *name;
        SessionTlsAnswer answer;
    } answers[] = {{"allow", SESSION_TLS_ALLOW},
                   {"always", SESSION_TLS_ALWAYS},
                   {"deny", SESSION_TLS_DENY}};
    for (guint i = 0; i < G_N_ELEMENTS(answers); i++) {
        if (strcmp(sub, answers[i].name) != 0)
            continue;
        if (call->argc > 2)
            return tls_usage(error);
        Account *a = question_account(
            call, call->argc > 1 ? call->argv[1] : NULL, error);
        return a && session_tls_answer(a, answers[i].answer, error);
    }
    if (strcmp(sub, "trusted") == 0) {
        if (call->argc > 2)
            return tls_usage(error);
        const char *name = call->argc > 1 ? call->argv[1] : call->account;
        if (name) {
            Account *a = account_find(name);
            if (!a) {
                g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                            "no account named '%s'", name);
                return FALSE;
            }
            return list_pins(call->out, a, error);
        }
        const GPtrArray *list = accounts_list();
        if (list->len == 0)
            command_print(call, LINE_INFO, "No accounts.");
        for (guint i = 0; i < list->len; i++)
            if (!list_pins(call->out, g_ptr_array_index(list, i), error))
                return FALSE;
        return TRUE;
    }
    if (strcmp(sub, "revoke") == 0) {
        if (call->argc < 2 || call->argc > 3)
            return tls_usage(error);
        const char *name = call->argc > 2 ? call->argv[2] : call->account;
        if (!name) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "which account? /tls revoke FINGERPRINT NAME");
            return FALSE;
        }
        if (!account_find(name)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "no account named '%s'", name);
            return FALSE;
        }
        if (!tls_pins_remove(name, call->argv[1], error))
            return FALSE;
        command_printf(call, LINE_INFO,
                       "Certificate %s is no longer trusted for %s.",
                       call->argv[1], name);
        return TRUE;
    }
    return tls_usage(error);
}

static void show_reconnect(Sink *out, const Account *a)
{
    g_autofree char *next = session_reconnect_status(a);
    if (next)
        sink_printf(out, LINE_INFO, "  %-16s waiting to reconnect: %s", a->name,
                    next);
    else
        sink_printf(out, LINE_INFO, "  %-16s %s%s%s", a->name,
                    account_state_name(a->state), a->state_reason ? ": " : "",
                    a->state_reason ? a->state_reason : "");
}

static gboolean cmd_reconnect(const CommandCall *call, GError **error)
{
    if (call->argc > 0 && strcmp(call->argv[0], "now") == 0) {
        const char *name = call->argc > 1 ? call->argv[1] : call->account;
        if (!name) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "which account? /reconnect now NAME");
            return FALSE;
        }
        Account *a = account_find(name);
        if (!a) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "no account named '%s'", name);
            return FALSE;
        }
        return session_reconnect_now(a, error);
    }
    if (call->argc > 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /reconnect, /reconnect now [NAME]");
        return FALSE;
    }
    Sink *out = call->out;
    sink_printf(out, LINE_INFO,
                "Reconnect: first after %d s, doubling up to %d s "
                "(/set reconnect_delay, /set reconnect_max_delay; "
                "reconnect_delay 0 turns it off). Keepalive ping after "
                "%d s of silence, lost after %d s more.",
                settings_get_int("reconnect_delay"),
                settings_get_int("reconnect_max_delay"),
                settings_get_int("ping_interval"),
                settings_get_int("ping_timeout"));
    const GPtrArray *list = accounts_list();
    for (guint i = 0; i < list->len; i++)
        show_reconnect(out, g_ptr_array_index(list, i));
    return TRUE;
}

const CommandDef cmd_tls_commands[] = {
    {
        .name = "reconnect",
        .synopsis =
            (const char *const[]){"/reconnect", "/reconnect now [NAME]", NULL},
        .summary = "automatic reconnection: state and retry",
        .description =
            "When a connection is lost (the network, a server restart, a "
            "server that stopped answering the keepalive pings), or an "
            "attempt has not logged in within connect_timeout seconds, natter "
            "connects again by itself after reconnect_delay seconds, doubling "
            "the wait after each failure up to reconnect_max_delay. With "
            "stream management (XEP-0198) the server may resume the session, "
            "and nothing is lost; otherwise a fresh session starts. A "
            "refused password or certificate, a server without TLS and "
            "/disconnect are never retried. Without argument, shows the "
            "settings and each account's state; now retries at once.",
        .args = (const CommandArg[]){{"now", "retry at once"},
                                     {"NAME", "an account (default: the "
                                              "current window's)"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/reconnect", "/reconnect now work",
                                          "/set reconnect_delay 10", NULL},
        .min_args = 0,
        .max_args = 2,
        .func = cmd_reconnect,
    },
    {
        .name = "tls",
        .synopsis =
            (const char *const[]){"/tls allow [NAME]", "/tls always [NAME]",
                                  "/tls deny [NAME]", "/tls trusted [NAME]",
                                  "/tls revoke FINGERPRINT [NAME]", NULL},
        .summary = "answer the certificate question; pinned certificates",
        .description =
            "A server certificate that fails the checks (not signed by a "
            "trusted CA, expired, or not issued for the JID's domain) is "
            "refused, and the account's console shows its subject, issuer, "
            "validity, SHA-256 fingerprint and the reason. allow accepts that "
            "certificate until natter quits and connects again; always pins "
            "it for the account (file tls-pins in the account's data "
            "directory, mode 0600) and connects again; deny closes the "
            "question. A pinned certificate that changes is refused with a "
            "warning naming both fingerprints. trusted lists the pinned "
            "certificates, revoke removes one.",
        .args = (const CommandArg[]){{"NAME", "an account (default: the "
                                              "current window's, or the one "
                                              "with a question)"},
                                     {"FINGERPRINT", "a SHA-256 fingerprint "
                                                     "as /tls trusted shows "
                                                     "it"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/tls allow", "/tls always work",
                                          "/tls trusted",
                                          "/tls revoke AB:CD:... work", NULL},
        .min_args = 1,
        .max_args = 3,
        .func = cmd_tls,
    },
    {NULL},
};
