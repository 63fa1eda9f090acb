/* extend.h: what a plugin adds to the protocol, for the layers above
 * xmpp/: disco features announced at run time, and stanzas sent as XML
 * text. A feature added here joins the same registry as the built-in
 * ones (xmpp/feature.h), so disco#info and caps include it. */
#pragma once

#include <glib.h>

/* Announces VAR (copied) in disco#info and caps from now on; online
 * accounts send their presence again, with the new caps. Returns an id
 * for extend_disco_remove() (never 0). */
guint extend_disco_add(const char *var);
/* Takes the feature back (and sends presence again likewise). */
void extend_disco_remove(guint id);

/* Sends XML, one stanza as text, from ACCOUNT as it is. FALSE with
 * ERROR set when the account is offline or XML is not a well-formed
 * message, presence or iq element. */
gboolean extend_send_xml(const char *account, const char *xml, GError **error);
