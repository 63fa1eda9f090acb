/* xmppuri.h: xmpp: URIs (RFC 5122), as people paste them from web pages
 * and QR codes: "xmpp:room@conference.example.org?join",
 * "xmpp:bob@example.org?message;body=Hi". Pure: parsing and decoding. */
#pragma once

#include <glib.h>

typedef struct {
    char *jid;          /* the address, percent-decoded, checked as a JID */
    char *action;       /* "message", "join", "subscribe"..., or NULL */
    GHashTable *params; /* key -> value, percent-decoded ("body", ...) */
} XmppUri;

/* TRUE when TEXT is written as an xmpp: URI (it may still be invalid). */
gboolean xmpp_uri_is(const char *text);

/* TEXT as an XmppUri, or NULL with ERROR set when it is not a valid
 * xmpp: URI (no address, an address that is not a JID, bad escapes). An
 * authority ("xmpp://me@host/...") is accepted and ignored: the account
 * is the window's. */
XmppUri *xmpp_uri_parse(const char *text, GError **error);
void xmpp_uri_free(XmppUri *uri);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XmppUri, xmpp_uri_free)

/* The value of KEY, or NULL. */
const char *xmpp_uri_param(const XmppUri *uri, const char *key);
