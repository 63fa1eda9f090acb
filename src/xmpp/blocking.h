/* blocking.h: blocking command (XEP-0191): block and unblock JIDs on the
 * server, which then drops their stanzas to us and ours to them. The list
 * is fetched at login and kept current by the server's pushes; it is held
 * in core/roster.h (roster_blocked). */
#pragma once

#include <glib.h>

#include "core/sink.h"

/* Asks the server to block (BLOCK TRUE) or unblock JID for ACCOUNT;
 * REPORT ("spam", "abuse", or NULL) reports JID to the server's operators
 * with the block (XEP-0377). The outcome is printed to OUT (NULL: the
 * account's console). */
gboolean blocking_send(const char *account, const char *jid, gboolean block,
                       const char *report, Sink *out, GError **error);
