/* presence.c: our own presence. Contacts' presence and subscriptions come
 * with the roster. */
#include "xmpp/session_internal.h"
#include "xmpp/stanza.h"

void presence_send_initial(Session *s)
{
    xmpp_stanza_t *presence = xmpp_presence_new(s->ctx);
    Account *a = session_account(s);
    if (a->priority != 0) {
        xmpp_stanza_t *prio = stanza_add_child_ns(presence, "priority", NULL);
        xmpp_stanza_t *text = xmpp_stanza_new(s->ctx);
        g_autofree char *value = g_strdup_printf("%d", a->priority);
        xmpp_stanza_set_text(text, value);
        xmpp_stanza_add_child_ex(prio, text, 0);
    }
    if (a->status) {
        xmpp_stanza_t *status = stanza_add_child_ns(presence, "status", NULL);
        xmpp_stanza_t *text = xmpp_stanza_new(s->ctx);
        xmpp_stanza_set_text(text, a->status);
        xmpp_stanza_add_child_ex(status, text, 0);
    }
    session_send(s, presence);
    xmpp_stanza_release(presence);
}
