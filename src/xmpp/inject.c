/* inject.c: messages an encryption layer sends on its own (inject.h). */
#include "xmpp/inject.h"

#include <strophe.h>

#include "util/jid.h"
#include "xmpp/ns.h"
#include "xmpp/session_internal.h"
#include "xmpp/stanza.h"

#ifndef NS_EME
#define NS_EME "urn:xmpp:eme:0"
#endif

gboolean inject_message(const char *account, const char *to, const char *body,
                        const char *eme_ns, const char *name, GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    g_autoptr(Jid) jid = jid_parse(to, error);
    if (!jid)
        return FALSE;
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *m = xmpp_message_new(s->ctx, "chat", jid->full, id);
    xmpp_message_set_body(m, body);
    /* Protocol messages of one session: no other device can use them and
     * no archive should keep them. */
    stanza_add_child_ns(m, "no-copy", NS_HINTS);
    stanza_add_child_ns(m, "no-store", NS_HINTS);
    if (eme_ns) {
        xmpp_stanza_t *eme = stanza_add_child_ns(m, "encryption", NS_EME);
        xmpp_stanza_set_attribute(eme, "namespace", eme_ns);
        if (name)
            xmpp_stanza_set_attribute(eme, "name", name);
    }
    session_send(s, m);
    xmpp_stanza_release(m);
    return TRUE;
}
