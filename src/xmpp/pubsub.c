/* pubsub.c: publish-subscribe (XEP-0060), for feeds and devices: /pubsub
 * lists a service's nodes and a node's items, subscribes and unsubscribes,
 * publishes, creates and deletes nodes. The items of a node are shown in
 * its view window, pubsub:SERVICE/NODE, like every line sanitised on the
 * way to the screen; notifications of the nodes we follow land there too
 * and are raised as EVENT_PUBSUB_ITEM for hooks and plugins. PEP nodes
 * natter itself handles (bookmarks, nicknames) never come here: pep.c
 * hands over only the notifications no feature registered for. */
#include <string.h>

#include "core/account.h"
#include "core/buffer.h"
#include "core/event.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/feature.h"
#include "xmpp/ns.h"
#include "xmpp/pep.h"
#include "xmpp/pubsub.h"
#include "xmpp/request.h"
#include "xmpp/stanza.h"

/* account -> set of follow_key(service, node): the nodes subscribed to
 * from this natter, whose notifications are shown even from an account's
 * PEP service. */
static GHashTable *followed;

static char *follow_key(const char *service, const char *node)
{
    return g_strdup_printf("%s\x1f%s", service, node);
}

static gboolean is_followed(const char *account, const char *service,
                            const char *node)
{
    GHashTable *set = followed ? g_hash_table_lookup(followed, account) : NULL;
    g_autofree char *key = follow_key(service, node);
    return set && g_hash_table_contains(set, key);
}

static void set_followed(const char *account, const char *service,
                         const char *node, gboolean follow)
{
    if (!followed)
        followed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_hash_table_unref);
    GHashTable *set = g_hash_table_lookup(followed, account);
    if (!set) {
        set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(followed, g_strdup(account), set);
    }
    char *key = follow_key(service, node);
    if (follow)
        g_hash_table_add(set, key);
    else {
        g_hash_table_remove(set, key);
        g_free(key);
    }
}

/* The node's view window, opened if needed; EMPTY: emptied first. */
static Buffer *node_view(const char *account, const char *service,
                         const char *node, gboolean empty)
{
    g_autofree char *key = g_strdup_printf("pubsub:%s/%s", service, node);
    return empty ? buffer_view(account, key)
                 : buffer_open(BUFFER_VIEW, account, key);
}

/* What an item carries, as one shows it: the text of a text item (ours,
 * or any element without elements inside), else its XML. */
static char *payload_text(xmpp_stanza_t *item)
{
    xmpp_stanza_t *payload = xmpp_stanza_get_children(item);
    while (payload && !xmpp_stanza_is_tag(payload))
        payload = xmpp_stanza_get_next(payload);
    if (!payload)
        return g_strdup("(no payload)");
    gboolean inner_tags = FALSE;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(payload); c;
         c = xmpp_stanza_get_next(c))
        inner_tags |= xmpp_stanza_is_tag(c);
    if (!inner_tags)
        return stanza_text(payload);
    char *buf = NULL;
    size_t len = 0;
    if (xmpp_stanza_to_text(payload, &buf, &len) != XMPP_EOK)
        return g_strdup("(a payload that cannot be shown)");
    char *text = g_strndup(buf, len);
    xmpp_free(xmpp_stanza_get_context(item), buf);
    return text;
}

static void show_item(Buffer *view, xmpp_stanza_t *item)
{
    const char *id = xmpp_stanza_get_id(item);
    g_autofree char *text = payload_text(item);
    buffer_appendf(view, LINE_INFO, "[%s] %s", id ? id : "-", text);
}

/* ---- notifications ---------------------------------------------------- */

void pubsub_take_notification(Session *s, const char *from,
                              xmpp_stanza_t *items)
{
    const char *node = xmpp_stanza_get_attribute(items, "node");
    /* A service signs with its bare address; a component (no local part)
     * only serves, so its notifications are ours to show; an account's
     * PEP notifications only for nodes we subscribed to (others are
     * notifications natter does not follow: its +notify never asked). */
    g_autoptr(Jid) sender = from ? jid_parse(from, NULL) : NULL;
    if (!node || !sender || sender->resource ||
        (sender->local && !is_followed(s->account, sender->bare, node)))
        return;
    Buffer *view = node_view(s->account, sender->bare, node, FALSE);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(items); c;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        const char *id = xmpp_stanza_get_id(c);
        if (g_strcmp0(name, "retract") == 0) {
            buffer_appendf(view, LINE_INFO, "Item %s was retracted.",
                           id ? id : "-");
            continue;
        }
        if (g_strcmp0(name, "item") != 0)
            continue;
        show_item(view, c);
        g_autofree char *text = payload_text(c);
        EventPubsub event = {.account = session_account(s),
                             .service = sender->bare,
                             .node = node,
                             .id = id,
                             .text = text};
        event_emit_pubsub(&event);
    }
}

/* ---- requests --------------------------------------------------------- */

typedef struct {
    PubsubAction action;
    char *service;
    char *node;
} Job;

static void job_free(gpointer p)
{
    Job *job = p;
    g_free(job->service);
    g_free(job->node);
    g_free(job);
}

static const char *const doing[] = {
    [PUBSUB_NODES] = "The node list",
    [PUBSUB_ITEMS] = "The items",
    [PUBSUB_SUBSCRIBE] = "Subscribing",
    [PUBSUB_UNSUBSCRIBE] = "Unsubscribing",
    [PUBSUB_CREATE] = "Creating the node",
    [PUBSUB_DELETE] = "Deleting the node",
};

static void show_nodes(Request *r, xmpp_stanza_t *result)
{
    Sink *out = request_out(r);
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_DISCO_ITEMS);
    guint n = 0;
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *node = xmpp_stanza_get_attribute(c, "node");
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 || !node)
            continue;
        const char *name = xmpp_stanza_get_attribute(c, "name");
        if (n++ == 0)
            sink_printf(out, LINE_INFO, "Nodes of %s:", request_target(r));
        sink_printf(out, LINE_INFO, "  %s%s%s%s", node, name ? " (" : "",
                    name ? name : "", name ? ")" : "");
    }
    if (n == 0)
        sink_printf(out, LINE_INFO, "%s has no nodes.", request_target(r));
}

static void show_items(Session *s, Request *r, Job *job, xmpp_stanza_t *result)
{
    xmpp_stanza_t *pubsub =
        xmpp_stanza_get_child_by_name_and_ns(result, "pubsub", NS_PUBSUB);
    xmpp_stanza_t *items =
        pubsub ? xmpp_stanza_get_child_by_name(pubsub, "items") : NULL;
    Buffer *view = node_view(s->account, job->service, job->node, TRUE);
    guint n = 0;
    for (xmpp_stanza_t *c = items ? xmpp_stanza_get_children(items) : NULL; c;
         c = xmpp_stanza_get_next(c))
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") == 0) {
            show_item(view, c);
            n++;
        }
    if (n == 0)
        buffer_appendf(view, LINE_INFO, "%s on %s has no items.", job->node,
                       job->service);
    sink_printf(request_out(r), LINE_INFO, "%u item%s of %s in window %u (%s).",
                n, n == 1 ? "" : "s", job->node, view->number, view->name);
}

static void on_answer(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    Job *job = r->data;
    if (request_failed(r, result, doing[job->action]))
        return;
    Sink *out = request_out(r);
    switch (job->action) {
    case PUBSUB_NODES:
        show_nodes(r, result);
        break;
    case PUBSUB_ITEMS:
        show_items(s, r, job, result);
        break;
    case PUBSUB_SUBSCRIBE: {
        xmpp_stanza_t *pubsub =
            xmpp_stanza_get_child_by_name_and_ns(result, "pubsub", NS_PUBSUB);
        xmpp_stanza_t *sub =
            pubsub ? xmpp_stanza_get_child_by_name(pubsub, "subscription")
                   : NULL;
        const char *state =
            sub ? xmpp_stanza_get_attribute(sub, "subscription") : NULL;
        if (g_strcmp0(state, "pending") == 0) {
            sink_printf(out, LINE_INFO,
                        "Asked to follow %s on %s: its owner must approve.",
                        job->node, job->service);
            break;
        }
        set_followed(s->account, job->service, job->node, TRUE);
        Buffer *view = node_view(s->account, job->service, job->node, FALSE);
        sink_printf(out, LINE_INFO,
                    "Following %s on %s: new items appear in window %u (%s).",
                    job->node, job->service, view->number, view->name);
        break;
    }
    case PUBSUB_UNSUBSCRIBE:
        set_followed(s->account, job->service, job->node, FALSE);
        sink_printf(out, LINE_INFO, "No longer following %s on %s.", job->node,
                    job->service);
        break;
    case PUBSUB_CREATE:
        sink_printf(out, LINE_INFO, "Created the node %s on %s.", job->node,
                    job->service);
        break;
    case PUBSUB_DELETE:
        set_followed(s->account, job->service, job->node, FALSE);
        sink_printf(out, LINE_INFO, "Deleted the node %s on %s.", job->node,
                    job->service);
        break;
    }
}

/* Checks SERVICE and NODE and gives the session, or sets ERROR. */
static Session *prepare(const char *account, const char *service,
                        const char *node, gboolean need_node, GError **error)
{
    if (!service || !*service) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "which pubsub service? (a JID such as pubsub.example.org)");
        return NULL;
    }
    if (need_node && (!node || !*node)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "which node of %s?", service);
        return NULL;
    }
    return request_session(account, service, error);
}

static Job *job_new(PubsubAction action, const char *service, const char *node)
{
    Job *job = g_new0(Job, 1);
    job->action = action;
    g_autoptr(Jid) parsed = jid_parse(service, NULL);
    job->service = g_strdup(parsed ? parsed->full : service);
    job->node = g_strdup(node);
    return job;
}

gboolean pubsub_request(const char *account, PubsubAction action,
                        const char *service, const char *node, Sink *out,
                        GError **error)
{
    Session *s = prepare(account, service, node, action != PUBSUB_NODES, error);
    if (!s)
        return FALSE;
    Job *job = job_new(action, service, node);
    xmpp_stanza_t *iq, *pubsub;
    if (action == PUBSUB_NODES) {
        iq = iq_new(s, "get", job->service, "query", NS_DISCO_ITEMS, NULL);
    } else if (action == PUBSUB_DELETE) {
        iq = iq_new(s, "set", job->service, "pubsub", NS_PUBSUB_OWNER, &pubsub);
        xmpp_stanza_set_attribute(stanza_add_child_ns(pubsub, "delete", NULL),
                                  "node", node);
    } else {
        static const char *const element[] = {
            [PUBSUB_ITEMS] = "items",
            [PUBSUB_SUBSCRIBE] = "subscribe",
            [PUBSUB_UNSUBSCRIBE] = "unsubscribe",
            [PUBSUB_CREATE] = "create",
        };
        iq = iq_new(s, action == PUBSUB_ITEMS ? "get" : "set", job->service,
                    "pubsub", NS_PUBSUB, &pubsub);
        xmpp_stanza_t *e = stanza_add_child_ns(pubsub, element[action], NULL);
        xmpp_stanza_set_attribute(e, "node", node);
        if (action == PUBSUB_ITEMS)
            xmpp_stanza_set_attribute(e, "max_items", "50");
        if (action == PUBSUB_SUBSCRIBE || action == PUBSUB_UNSUBSCRIBE)
            xmpp_stanza_set_attribute(e, "jid", s->own_bare);
    }
    return request_send_iq(s, iq, out, on_answer, job, job_free);
}

static void on_published(Session *s, xmpp_stanza_t *result, gpointer data)
{
    (void)s;
    Request *r = data;
    Job *job = r->data;
    if (request_failed(r, result, "Publishing"))
        return;
    xmpp_stanza_t *pubsub =
        xmpp_stanza_get_child_by_name_and_ns(result, "pubsub", NS_PUBSUB);
    xmpp_stanza_t *publish =
        pubsub ? xmpp_stanza_get_child_by_name(pubsub, "publish") : NULL;
    xmpp_stanza_t *item =
        publish ? xmpp_stanza_get_child_by_name(publish, "item") : NULL;
    const char *id = item ? xmpp_stanza_get_id(item) : NULL;
    sink_printf(request_out(r), LINE_INFO, "Published%s%s to %s on %s.",
                id ? " item " : "", id ? id : "", job->node, job->service);
}

gboolean pubsub_publish(const char *account, const char *service,
                        const char *node, const char *payload, Sink *out,
                        GError **error)
{
    Session *s = prepare(account, service, node, TRUE, error);
    if (!s)
        return FALSE;
    if (!payload || !*payload) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "nothing to publish: give a text or an XML element");
        return FALSE;
    }
    xmpp_stanza_t *content;
    if (payload[0] == '<') {
        content = xmpp_stanza_new_from_string(s->ctx, payload);
        if (!content || !xmpp_stanza_is_tag(content)) {
            if (content)
                xmpp_stanza_release(content);
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "the payload is not one well-formed XML element "
                        "(write text without a leading '<' to publish text)");
            return FALSE;
        }
    } else {
        content = xmpp_stanza_new(s->ctx);
        xmpp_stanza_set_name(content, "text");
        xmpp_stanza_set_ns(content, NS_NATTER_TEXT);
        xmpp_stanza_t *text = xmpp_stanza_new(s->ctx);
        xmpp_stanza_set_text(text, payload);
        xmpp_stanza_add_child_ex(content, text, 0);
    }
    Job *job = job_new(PUBSUB_ITEMS, service, node);
    xmpp_stanza_t *pubsub;
    xmpp_stanza_t *iq =
        iq_new(s, "set", job->service, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *publish = stanza_add_child_ns(pubsub, "publish", NULL);
    xmpp_stanza_set_attribute(publish, "node", node);
    xmpp_stanza_t *item = stanza_add_child_ns(publish, "item", NULL);
    xmpp_stanza_add_child_ex(item, content, 0);
    return request_send_iq(s, iq, out, on_published, job, job_free);
}

static void pubsub_account_removed(const char *account)
{
    if (followed)
        g_hash_table_remove(followed, account);
}

static void pubsub_shutdown(void)
{
    g_clear_pointer(&followed, g_hash_table_unref);
}

const Feature feature_pubsub = {
    .name = "pubsub",
    .shutdown = pubsub_shutdown,
    .account_removed = pubsub_account_removed,
};
