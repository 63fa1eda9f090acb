/* session.h: one XMPP session per account: connecting, logging in,
 * disconnecting. Everything here is keyed by account name; protocol
 * features live in their own files (message.c, presence.c, iq.c). This
 * header does not expose libstrophe, so upper layers never see it. */
#pragma once

#include <glib.h>

#include "core/account.h"

void sessions_init(void);
/* Frees every session; connections are dropped without goodbye. */
void sessions_shutdown(void);

/* Starts connecting ACCOUNT with PASSWORD (NULL: the account's stored
 * one). The result arrives later as EVENT_ACCOUNT_STATE. Returns FALSE with
 * ERROR set when the attempt cannot even start (already online, no JID...). */
gboolean session_connect(Account *account, const char *password,
                         GError **error);

/* Closes the session of ACCOUNT cleanly (sends </stream>). */
gboolean session_disconnect(Account *account, GError **error);

/* Starts a clean disconnect of every session. Returns the number of
 * sessions still to close; EVENT_ACCOUNT_STATE reports each one. */
guint sessions_disconnect_all(void);

/* The full JID the server bound for ACCOUNT, or NULL when offline. */
const char *session_bound_jid(const Account *account);

/* TRUE when ACCOUNT's stream is secured with TLS. */
gboolean session_is_secure(const Account *account);

/* The certificate question: a certificate that failed the checks was
 * refused, and the user decides (/tls allow|always|deny). */
typedef enum {
    SESSION_TLS_ALLOW,  /* accept it for this run of natter, reconnect */
    SESSION_TLS_ALWAYS, /* pin it for the account, reconnect */
    SESSION_TLS_DENY,   /* forget the question */
} SessionTlsAnswer;

/* The SHA-256 fingerprint of the certificate ACCOUNT's open question is
 * about, or NULL when there is none. */
const char *session_tls_question(const Account *account);
gboolean session_tls_answer(Account *account, SessionTlsAnswer answer,
                            GError **error);

/* Automatic reconnect: what ACCOUNT is waiting for ("next attempt in 4 s,
 * attempt 2"), or NULL when no reconnect is scheduled. Caller frees. */
char *session_reconnect_status(const Account *account);
/* Makes the scheduled reconnect of ACCOUNT happen now. */
gboolean session_reconnect_now(Account *account, GError **error);
