/* stanza.h: small helpers over libstrophe stanzas that return GLib-owned
 * strings. Internal to xmpp/. */
#pragma once

#include <glib.h>
#include <strophe.h>

/* The whole text of STANZA (empty when it has none). Caller frees with
 * g_free. */
char *stanza_text(xmpp_stanza_t *stanza);

/* The text of STANZA's first child NAME (in namespace NS, or any when
 * NULL), or NULL when there is no such child. Caller frees with g_free. */
char *stanza_child_text(xmpp_stanza_t *stanza, const char *name,
                        const char *ns);

/* A human description of the <error/> in STANZA: "condition" or
 * "condition: text". Unsanitised; caller frees. */
char *stanza_error_describe(xmpp_stanza_t *stanza);

/* Builds <NAME xmlns=NS/> as a child of PARENT and returns it (borrowed). */
xmpp_stanza_t *stanza_add_child_ns(xmpp_stanza_t *parent, const char *name,
                                   const char *ns);

/* Builds <NAME>TEXT</NAME> as a child of PARENT and returns it (borrowed). */
xmpp_stanza_t *stanza_add_text_child(xmpp_stanza_t *parent, const char *name,
                                     const char *text);

/* The time of STANZA's <delay xmlns="urn:xmpp:delay" stamp=.../> child
 * (XEP-0203) in microseconds since the epoch, or 0 when it has none. */
gint64 stanza_delay_time(xmpp_stanza_t *stanza);
