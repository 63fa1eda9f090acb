/* pep.c: see pep.h. */
#include "xmpp/pep.h"

#include <string.h>

#include "core/buffer.h"
#include "xmpp/authority.h"
#include "xmpp/ns.h"

typedef struct {
    const char *what;
    gboolean own_only;
    PepFunc func;
    gpointer data;
} Node;

static GHashTable *nodes; /* node name -> Node * */

void pep_register_node(const char *node, const char *what, gboolean own_only,
                       PepFunc func, gpointer data)
{
    if (!nodes)
        nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    Node *n = g_new0(Node, 1);
    n->what = what;
    n->own_only = own_only;
    n->func = func;
    n->data = data;
    g_hash_table_replace(nodes, g_strdup(node), n);
}

void pep_unregister_node(const char *node)
{
    if (nodes)
        g_hash_table_remove(nodes, node);
    if (nodes && g_hash_table_size(nodes) == 0)
        g_clear_pointer(&nodes, g_hash_table_unref);
}

gboolean pep_take_event(Session *s, xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *event =
        xmpp_stanza_get_child_by_name_and_ns(stanza, "event", NS_PUBSUB_EVENT);
    xmpp_stanza_t *items =
        event ? xmpp_stanza_get_child_by_name(event, "items") : NULL;
    if (!event)
        return FALSE;
    const char *node = items ? xmpp_stanza_get_attribute(items, "node") : NULL;
    Node *n = node && nodes ? g_hash_table_lookup(nodes, node) : NULL;
    if (!n) {
        /* Not a node a feature of natter handles: /pubsub's, if any. */
        if (items)
            pubsub_take_notification(s, xmpp_stanza_get_from(stanza), items);
        return TRUE;
    }
    const char *from = xmpp_stanza_get_from(stanza);
    /* No sender: our own server, for our own account (RFC 6120 8.1.2.1). */
    const char *service = from ? from : s->own_bare;
    gboolean own = authority_is_own_account(s, from);
    if (!service || strchr(service, '/') || (n->own_only && !own)) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Refused a %s notification from %s: %s", n->what,
                       from ? from : "(none)",
                       n->own_only ? "only your own account may send it"
                                   : "not from an account's PEP service");
        return TRUE;
    }
    n->func(s, service, items, n->data);
    return TRUE;
}
