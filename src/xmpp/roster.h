/* roster.h: the roster on the server (RFC 6121): fetched at login with
 * roster versioning (XEP-0237) and a cache file in the account's data dir,
 * kept current by roster pushes, changed with roster sets. The model is
 * core/roster.h; this file only talks to the server. */
#pragma once

#include <glib.h>

#include "core/sink.h"

/* Adds JID to ACCOUNT's roster, or updates it: NAME (NULL: keep the
 * current one; "" removes it) and GROUPS (NULL: keep the current ones).
 * The outcome is printed to OUT (NULL: the account's console). */
gboolean roster_send_set(const char *account, const char *jid, const char *name,
                         const char *const *groups, Sink *out, GError **error);

/* Removes JID from ACCOUNT's roster (which also cancels the subscriptions
 * both ways). FALSE with ERROR when JID is not in the roster. */
gboolean roster_send_remove(const char *account, const char *jid, Sink *out,
                            GError **error);
