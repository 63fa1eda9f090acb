/* inject.h: messages an encryption layer sends on its own (OTR's query,
 * key exchange and end-of-session messages), for src/crypto/: they are
 * not what the user typed, so they bypass the history and the send
 * stages, and they carry the hints that keep them out of other devices'
 * copies and the server's archive. */
#pragma once

#include <glib.h>

/* Sends BODY as a chat message from ACCOUNT to TO, with the no-copy and
 * no-store hints (XEP-0334) and, when EME_NS is not NULL, an explicit
 * encryption marker for it (XEP-0380) named NAME. FALSE with ERROR set
 * when the account is offline or TO is not an address. */
gboolean inject_message(const char *account, const char *to, const char *body,
                        const char *eme_ns, const char *name, GError **error);
