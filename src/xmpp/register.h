/* register.h: in-band registration (XEP-0077): creating an account on a
 * server that allows it, and changing an account's password. */
#pragma once

#include "core/sink.h"

/* OK tells whether it worked; MESSAGE says what happened (for the user). */
typedef void (*RegisterDoneFunc)(gboolean ok, const char *message,
                                 gpointer data);

/* Creates the account JID (user@domain) with PASSWORD on its server,
 * reached at SERVER:PORT (NULL/0: the JID's domain, looked up in DNS), on
 * a connection of its own that requires TLS before anything is sent,
 * checked against CAFILE (NULL: the system's CAs). DONE is called once,
 * later, and DESTROY frees DATA. FALSE with ERROR set when it cannot even
 * start (bad JID). */
gboolean register_account(const char *jid, const char *server, int port,
                          const char *cafile, const char *password,
                          RegisterDoneFunc done, gpointer data,
                          GDestroyNotify destroy, GError **error);

/* Changes the password of ACCOUNT (online) to PASSWORD on the server; on
 * success the password the session reconnects with is updated, and the
 * stored one too if the account stores one. The outcome is shown in
 * WHERE. */
gboolean register_change_password(const char *account, const char *password,
                                  Sink *out, GError **error);
