/* adhoc.h: ad-hoc commands (XEP-0050) of a server or a contact, for the
 * command layer. JID NULL: the account's own server. Both return FALSE
 * with ERROR set when the request cannot be sent; what comes back is
 * printed to OUT, and a command that wants input opens a form window. */
#pragma once

#include <glib.h>

#include "core/sink.h"

/* Lists the commands JID offers us. */
gboolean adhoc_list(const char *account, const char *jid, Sink *out,
                    GError **error);
/* Runs the command NODE of JID. */
gboolean adhoc_run(const char *account, const char *jid, const char *node,
                   Sink *out, GError **error);
