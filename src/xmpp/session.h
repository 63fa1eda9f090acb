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
