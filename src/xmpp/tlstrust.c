/* tlstrust.c: what happens when the server's certificate fails the checks
 * (chain, validity, or the JID's domain, which libstrophe 0.12 sets as the
 * name to verify and reports to the same handler). libstrophe asks from
 * inside the TLS handshake and needs the answer at once, so the loop never
 * waits for the user: the certificate is refused, the details go to the
 * account's console with a question, and the answer (/tls allow|always)
 * starts a new connection that accepts that fingerprint. */
#include <string.h>

#include "core/buffer.h"
#include "core/tlspins.h"
#include "util/error.h"
#include "xmpp/session.h"
#include "xmpp/session_internal.h"

static gboolean allowed_this_run(Session *s, const char *fp)
{
    for (guint i = 0; s->allowed_certs && i < s->allowed_certs->len; i++)
        if (strcmp(g_ptr_array_index(s->allowed_certs, i), fp) == 0)
            return TRUE;
    return FALSE;
}

int tlstrust_check(Session *s, const xmpp_tlscert_t *cert, const char *errormsg)
{
    g_autofree char *fp = tls_pin_normalise(
        xmpp_tlscert_get_string(cert, XMPP_CERT_FINGERPRINT_SHA256));
    if (!fp)
        return 0;
    if (allowed_this_run(s, fp))
        return 1;
    Buffer *console = buffer_account_console(s->account);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) pins = tls_pins_load(s->account, &error);
    if (!pins)
        buffer_appendf(console, LINE_ERROR, "Pinned certificates: %s",
                       error->message);
    else if (tls_pins_contain(pins, fp))
        return 1;

    tlstrust_forget(s);
    if (pins && pins->len > 0) {
        GString *old = g_string_new(NULL);
        for (guint i = 0; i < pins->len; i++) {
            const TlsPin *pin = g_ptr_array_index(pins, i);
            g_string_append_printf(old, "%s%s", i ? ", " : "",
                                   pin->fingerprint);
        }
        s->cert_warning = g_strdup_printf(
            "WARNING: THE SERVER'S CERTIFICATE HAS CHANGED. Pinned for this "
            "account: %s; offered now: %s. Someone may be intercepting the "
            "connection: do not accept it unless you know the server "
            "changed its certificate.",
            old->str, fp);
        g_string_free(old, TRUE);
    }
    const char *subject = xmpp_tlscert_get_string(cert, XMPP_CERT_SUBJECT);
    s->cert_fingerprint = g_strdup(fp);
    s->cert_subject = g_strdup(subject);
    g_free(s->cert_problem);
    s->cert_problem = g_strdup_printf(
        "the server's certificate is not trusted: %s\n"
        "  subject: %s\n  issuer: %s\n  valid: %s to %s\n  SHA-256: %s",
        errormsg, subject, xmpp_tlscert_get_string(cert, XMPP_CERT_ISSUER),
        xmpp_tlscert_get_string(cert, XMPP_CERT_NOTBEFORE),
        xmpp_tlscert_get_string(cert, XMPP_CERT_NOTAFTER), fp);
    return 0; /* refuse; the user answers later */
}

void tlstrust_ask(Session *s)
{
    if (!s->cert_fingerprint)
        return;
    Buffer *console = buffer_account_console(s->account);
    if (s->cert_warning)
        buffer_append(console, LINE_ERROR, NULL, s->cert_warning);
    buffer_appendf(console, LINE_INFO,
                   "Trust this certificate? /tls allow (this time, until "
                   "natter quits), /tls always (pin it for account %s), "
                   "/tls deny",
                   s->account);
}

void tlstrust_forget(Session *s)
{
    g_clear_pointer(&s->cert_fingerprint, g_free);
    g_clear_pointer(&s->cert_subject, g_free);
    g_clear_pointer(&s->cert_warning, g_free);
}

const char *session_tls_question(const Account *account)
{
    Session *s = session_find(account->name);
    return s ? s->cert_fingerprint : NULL;
}

gboolean session_tls_answer(Account *a, SessionTlsAnswer answer, GError **error)
{
    Session *s = session_find(a->name);
    if (!s || !s->cert_fingerprint) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' has no certificate question open", a->name);
        return FALSE;
    }
    Buffer *console = buffer_account_console(a->name);
    g_autofree char *fp = g_strdup(s->cert_fingerprint);
    if (answer == SESSION_TLS_DENY) {
        tlstrust_forget(s);
        /* Nothing more will be tried: the password goes too. */
        if (!s->conn && !s->reconnect_timer && s->password) {
            memset(s->password, 0, strlen(s->password));
            g_clear_pointer(&s->password, g_free);
        }
        buffer_appendf(console, LINE_INFO,
                       "Certificate %s refused; account %s stays offline.", fp,
                       a->name);
        return TRUE;
    }
    if (answer == SESSION_TLS_ALWAYS) {
        if (!tls_pins_add(a->name, fp, s->cert_subject, error))
            return FALSE;
        buffer_appendf(console, LINE_INFO,
                       "Certificate %s pinned for account %s (/tls trusted, "
                       "/tls revoke).",
                       fp, a->name);
    } else {
        if (!s->allowed_certs)
            s->allowed_certs = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(s->allowed_certs, g_strdup(fp));
        buffer_appendf(console, LINE_INFO,
                       "Certificate %s accepted until natter quits.", fp);
    }
    tlstrust_forget(s);
    if (a->state != ACCOUNT_OFFLINE)
        return TRUE; /* already trying again: the next handshake takes it */
    if (!s->password) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "the password is no longer known: /connect %s", a->name);
        return FALSE;
    }
    return session_start(s, a, error);
}
