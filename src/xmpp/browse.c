/* browse.c: the service discovery browser (/browse). One entity (a JID,
 * and a node of it) shown in a view window "browse:JID[#NODE]": what it
 * is (identities), what it does (features) and its items, numbered, so
 * that "/browse N" goes one level down into item N of the last listing.
 * Two questions (disco#info, then disco#items, XEP-0030); an entity that
 * answers only one of them is shown with what it answered. */
#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/feature.h"
#include "xmpp/info.h"
#include "xmpp/ns.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

typedef struct {
    char *jid;
    char *node; /* or NULL */
} Place;

static void place_free(gpointer p)
{
    Place *place = p;
    if (!place)
        return;
    g_free(place->jid);
    g_free(place->node);
    g_free(place);
}

static Place *place_new(const char *jid, const char *node)
{
    Place *place = g_new0(Place, 1);
    place->jid = g_strdup(jid);
    place->node = g_strdup(node);
    return place;
}

/* account -> GPtrArray of Place: the items of the last listing, for
 * "/browse N". */
static GHashTable *last_items;

/* One /browse under way: where, and what the first answer said. */
typedef struct {
    Place *place;
    CapsInfo *info; /* NULL: disco#info failed */
    char *info_error;
} Walk;

static void walk_free(gpointer p)
{
    Walk *w = p;
    place_free(w->place);
    if (w->info)
        caps_info_free(w->info);
    g_free(w->info_error);
    g_free(w);
}

static Buffer *place_view(const char *account, const Place *place)
{
    g_autofree char *key =
        g_strdup_printf("browse:%s%s%s", place->jid, place->node ? "#" : "",
                        place->node ? place->node : "");
    return buffer_view(account, key);
}

static void show_info(Buffer *view, const Walk *w)
{
    if (!w->info) {
        buffer_appendf(view, LINE_ERROR, "What it is: not said (%s).",
                       w->info_error ? w->info_error : "no answer");
        return;
    }
    for (guint i = 0; i < w->info->identities->len; i++) {
        const CapsIdentity *id = g_ptr_array_index(w->info->identities, i);
        buffer_appendf(view, LINE_INFO, "Is: %s/%s%s%s%s", id->category,
                       id->type, *id->name ? " \"" : "", id->name,
                       *id->name ? "\"" : "");
    }
    g_autoptr(GString) features = g_string_new(NULL);
    for (guint i = 0; i < w->info->features->len; i++)
        g_string_append_printf(
            features, "%s%s", i ? ", " : "",
            (const char *)g_ptr_array_index(w->info->features, i));
    buffer_appendf(view, LINE_INFO, "Does (%u): %s", w->info->features->len,
                   features->len ? features->str : "nothing it says");
}

static void on_items(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    Walk *w = r->data;
    if (!result) {
        request_failed(r, result, "Browsing");
        return;
    }
    Buffer *view = place_view(s->account, w->place);
    buffer_appendf(view, LINE_INFO, "%s%s%s", w->place->jid,
                   w->place->node ? " node " : "",
                   w->place->node ? w->place->node : "");
    show_info(view, w);
    GPtrArray *items = g_ptr_array_new_with_free_func(place_free);
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        buffer_appendf(view, LINE_ERROR, "Items: not said (%s).", why);
    } else {
        xmpp_stanza_t *query = xmpp_stanza_get_child_by_name_and_ns(
            result, "query", NS_DISCO_ITEMS);
        for (xmpp_stanza_t *e = query ? xmpp_stanza_get_children(query) : NULL;
             e; e = xmpp_stanza_get_next(e)) {
            const char *jid = xmpp_stanza_get_attribute(e, "jid");
            if (g_strcmp0(xmpp_stanza_get_name(e), "item") != 0 || !jid ||
                !jid_is_valid(jid))
                continue;
            const char *node = xmpp_stanza_get_attribute(e, "node");
            const char *name = xmpp_stanza_get_attribute(e, "name");
            g_ptr_array_add(items, place_new(jid, node));
            buffer_appendf(view, LINE_INFO, "%3u  %s%s%s%s%s%s", items->len,
                           jid, node ? " node " : "", node ? node : "",
                           name ? "  \"" : "", name ? name : "",
                           name ? "\"" : "");
        }
        if (items->len)
            buffer_appendf(view, LINE_INFO,
                           "%u item%s: /browse N opens item N.", items->len,
                           items->len == 1 ? "" : "s");
        else
            buffer_append(view, LINE_INFO, NULL, "No items.");
    }
    if (!last_items)
        last_items = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)g_ptr_array_unref);
    g_hash_table_replace(last_items, g_strdup(s->account), items);
    request_show_view(r, view);
}

static void on_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    Walk *w = r->data;
    if (!result) {
        request_failed(r, result, "Browsing");
        return;
    }
    if (iq_is_result(result)) {
        GError *error = NULL;
        xmpp_stanza_t *query = xmpp_stanza_get_child_by_name_and_ns(
            result, "query", NS_DISCO_INFO);
        w->info = query ? disco_parse_info(query, &error) : NULL;
        if (!w->info)
            w->info_error = g_strdup(error ? error->message : "no answer");
        g_clear_error(&error);
    } else {
        w->info_error = stanza_error_describe(result);
    }
    xmpp_stanza_t *query;
    xmpp_stanza_t *iq =
        iq_new(s, "get", w->place->jid, "query", NS_DISCO_ITEMS, &query);
    if (w->place->node)
        xmpp_stanza_set_attribute(query, "node", w->place->node);
    request_send_iq(s, iq, request_out(r), on_items, request_take_data(r),
                    walk_free);
}

gboolean browse_open(const char *account, const char *jid, const char *node,
                     Sink *out, GError **error)
{
    Session *s = request_session(account, jid, error);
    if (!s)
        return FALSE;
    g_autoptr(Jid) own = jid ? NULL : jid_parse(s->bound_jid, NULL);
    Walk *w = g_new0(Walk, 1);
    w->place = place_new(jid ? jid : own->domain, node);
    xmpp_stanza_t *query;
    xmpp_stanza_t *iq =
        iq_new(s, "get", w->place->jid, "query", NS_DISCO_INFO, &query);
    if (node)
        xmpp_stanza_set_attribute(query, "node", node);
    return request_send_iq(s, iq, out, on_info, w, walk_free);
}

gboolean browse_item(const char *account, guint n, Sink *out, GError **error)
{
    GPtrArray *items =
        last_items && account ? g_hash_table_lookup(last_items, account) : NULL;
    if (!items || n == 0 || n > items->len) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    items ? "the last listing has items 1 to %u"
                          : "nothing browsed yet: /browse [JID [NODE]] first",
                    items ? items->len : 0);
        return FALSE;
    }
    const Place *place = g_ptr_array_index(items, n - 1);
    return browse_open(account, place->jid, place->node, out, error);
}

static void browse_account_removed(const char *account)
{
    if (last_items)
        g_hash_table_remove(last_items, account);
}

static void browse_shutdown(void)
{
    g_clear_pointer(&last_items, g_hash_table_unref);
}

const Feature feature_browse = {
    .name = "browse",
    .shutdown = browse_shutdown,
    .account_removed = browse_account_removed,
};
