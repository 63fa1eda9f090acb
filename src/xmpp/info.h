/* info.h: asking other entities about themselves, for the command layer:
 * disco (XEP-0030), capabilities (XEP-0115), software version (XEP-0092),
 * ping (XEP-0199), time (XEP-0202), last activity (XEP-0012). Each call
 * sends a request and returns; the answer (or the reason there is none) is
 * shown later in WHERE, or the account's console if WHERE was closed.
 * TO is a JID, or NULL for the account's own server where it makes sense.
 * FALSE with ERROR set when the request cannot be sent (offline, bad
 * address). */
#pragma once

#include "core/sink.h"

gboolean disco_query_info(const char *account, const char *to, const char *node,
                          Sink *out, GError **error);
gboolean disco_query_items(const char *account, const char *to,
                           const char *node, Sink *out, GError **error);

/* Shows at once what the caps of JID's resources say (bare JID: every
 * resource we saw). */
gboolean caps_show(const char *account, const char *jid, Sink *out,
                   GError **error);

gboolean version_query(const char *account, const char *to, Sink *out,
                       GError **error);
gboolean ping_send(const char *account, const char *to, Sink *out,
                   GError **error);
gboolean entitytime_query(const char *account, const char *to, Sink *out,
                          GError **error);
gboolean lastactivity_query(const char *account, const char *to, Sink *out,
                            GError **error);

/* The service discovery browser: what JID (NULL: our server) and its NODE
 * (may be NULL) are, do and list, in a view window "browse:JID[#NODE]";
 * browse_item opens item N (from 1) of the account's last listing. */
gboolean browse_open(const char *account, const char *jid, const char *node,
                     Sink *out, GError **error);
gboolean browse_item(const char *account, guint n, Sink *out, GError **error);

/* A person's card (vCard4, else vcard-temp) shown in a view window
 * "vcard:JID"; JID NULL: our own. */
gboolean vcard_show(const char *account, const char *jid, Sink *out,
                    GError **error);
/* Sets FIELD (a key of vcard_fields: fn, email...) of our own card to
 * VALUE (empty: removes it), keeping the rest of the card. */
gboolean vcard_set(const char *account, const char *field, const char *value,
                   Sink *out, GError **error);
/* Our own card in a form window, written back on /form submit. */
gboolean vcard_edit(const char *account, Sink *out, GError **error);

/* "3 days 2 hours", "5 minutes 3 seconds", "0 seconds". Caller frees. */
char *info_format_duration(gint64 seconds);
