/* muc_service.c: the account's conference service, found at login
 * among the server's items (disco#items, then disco#info of each: a
 * "conference/text" identity), where /join NAME looks; and /rooms, the
 * rooms a service lists. */
#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/request.h"
#include "xmpp/muc.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

static GHashTable *services; /* account -> conference service JID */

/* A discovery under way for one account, and who waits for it. */
typedef struct {
    char *account;
    guint outstanding;  /* disco#info requests not answered yet */
    GPtrArray *waiting; /* Waiter * */
} Discovery;

typedef struct {
    MucServiceFunc func;
    gpointer data;
    GDestroyNotify destroy;
} Waiter;

static GHashTable *discoveries; /* account -> Discovery * */

static void waiter_free(gpointer data)
{
    Waiter *w = data;
    if (w->destroy)
        w->destroy(w->data);
    g_free(w);
}

static void discovery_free(gpointer data)
{
    Discovery *d = data;
    g_free(d->account);
    g_ptr_array_unref(d->waiting);
    g_free(d);
}

const char *muc_service_of(const char *account)
{
    return services ? g_hash_table_lookup(services, account) : NULL;
}

void muc_service_forget(const char *account)
{
    if (services)
        g_hash_table_remove(services, account);
}

void muc_service_shutdown(void)
{
    g_clear_pointer(&services, g_hash_table_unref);
    g_clear_pointer(&discoveries, g_hash_table_unref);
}

/* The discovery of S's account is over: SERVICE (NULL: none) goes to
 * everyone waiting. */
static void resolve(Session *s, const char *service)
{
    Discovery *d =
        discoveries ? g_hash_table_lookup(discoveries, s->account) : NULL;
    if (!d)
        return;
    g_hash_table_steal(discoveries, s->account);
    if (service) {
        if (!services)
            services =
                g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(services, g_strdup(s->account), g_strdup(service));
        buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                       "Group chat service: %s (/join NAME joins NAME@%s).",
                       service, service);
    }
    for (guint i = 0; i < d->waiting->len; i++) {
        Waiter *w = g_ptr_array_index(d->waiting, i);
        w->func(s, service, w->data);
    }
    discovery_free(d);
}

static gboolean is_text_conference(xmpp_stanza_t *result)
{
    xmpp_stanza_t *query = xmpp_stanza_get_child_by_name(result, "query");
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c))
        if (g_strcmp0(xmpp_stanza_get_name(c), "identity") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "category"), "conference") ==
                0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "type"), "text") == 0)
            return TRUE;
    return FALSE;
}

static void on_service_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *item = data; /* freed by iq_send */
    Discovery *d =
        discoveries ? g_hash_table_lookup(discoveries, s->account) : NULL;
    if (!result || !d)
        return; /* the session ended, or another item was it */
    d->outstanding--;
    if (iq_is_result(result) && is_text_conference(result))
        resolve(s, item);
    else if (d->outstanding == 0)
        resolve(s, NULL);
}

/* The server's items: the first one that is a text conference service
 * is where a room name without @ is looked for. */
static void on_server_items(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Discovery *d =
        discoveries ? g_hash_table_lookup(discoveries, s->account) : NULL;
    if (!result || !d)
        return;
    xmpp_stanza_t *query = iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name(result, "query")
                               : NULL;
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *jid = xmpp_stanza_get_attribute(c, "jid");
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 || !jid ||
            !jid_is_valid(jid))
            continue;
        xmpp_stanza_t *iq = iq_new(s, "get", jid, "query", NS_DISCO_INFO, NULL);
        iq_send(s, iq, on_service_info, g_strdup(jid), g_free);
        xmpp_stanza_release(iq);
        d->outstanding++;
    }
    if (d->outstanding == 0)
        resolve(s, NULL);
}

void muc_service_need(Session *s, MucServiceFunc func, gpointer data,
                      GDestroyNotify destroy)
{
    const char *known = muc_service_of(s->account);
    if (known) {
        func(s, known, data);
        if (destroy)
            destroy(data);
        return;
    }
    if (!discoveries)
        discoveries = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                            discovery_free);
    Waiter *w = g_new0(Waiter, 1);
    w->func = func;
    w->data = data;
    w->destroy = destroy;
    Discovery *d = g_hash_table_lookup(discoveries, s->account);
    if (d) {
        g_ptr_array_add(d->waiting, w);
        return;
    }
    g_autoptr(Jid) own = s->bound_jid ? jid_parse(s->bound_jid, NULL) : NULL;
    d = g_new0(Discovery, 1);
    d->account = g_strdup(s->account);
    d->waiting = g_ptr_array_new_with_free_func(waiter_free);
    g_ptr_array_add(d->waiting, w);
    g_hash_table_insert(discoveries, d->account, d);
    xmpp_stanza_t *iq = iq_new(s, "get", own ? own->domain : NULL, "query",
                               NS_DISCO_ITEMS, NULL);
    iq_send(s, iq, on_server_items, NULL, NULL);
    xmpp_stanza_release(iq);
}

/* A /rooms asked for: the service, and where to print its rooms. */
typedef struct {
    char *service; /* NULL until found */
    Sink *out;
} RoomList;

static void room_list_free(gpointer data)
{
    RoomList *l = data;
    g_free(l->service);
    sink_unref(l->out);
    g_free(l);
}

static void on_room_list(Session *s, xmpp_stanza_t *result, gpointer data)
{
    RoomList *l = data;
    if (!result)
        return;
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        sink_printf(l->out, LINE_ERROR, "Cannot list the rooms of %s: %s",
                    l->service, why);
        return;
    }
    xmpp_stanza_t *query = xmpp_stanza_get_child_by_name(result, "query");
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *jid = xmpp_stanza_get_attribute(c, "jid");
        const char *name = xmpp_stanza_get_attribute(c, "name");
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 || !jid)
            continue;
        g_ptr_array_add(lines, name && *name && g_strcmp0(name, jid) != 0
                                   ? g_strdup_printf("  %s (%s)", jid, name)
                                   : g_strdup_printf("  %s", jid));
    }
    sink_printf(l->out, LINE_INFO, "%u room%s on %s%s", lines->len,
                lines->len == 1 ? "" : "s", l->service, lines->len ? ":" : ".");
    for (guint i = 0; i < lines->len; i++)
        sink_print(l->out, LINE_INFO, g_ptr_array_index(lines, i));
}

/* Asks SERVICE for its rooms; takes L. */
static void list_rooms_of(Session *s, const char *service, RoomList *l)
{
    g_autoptr(Jid) jid = jid_parse(service, NULL);
    if (!jid) {
        sink_printf(l->out, LINE_ERROR, "Not a service address: %s", service);
        room_list_free(l);
        return;
    }
    g_free(l->service);
    l->service = g_strdup(jid->full);
    xmpp_stanza_t *iq =
        iq_new(s, "get", jid->full, "query", NS_DISCO_ITEMS, NULL);
    iq_send(s, iq, on_room_list, l, room_list_free);
    xmpp_stanza_release(iq);
}

static void list_when_found(Session *s, const char *service, gpointer data)
{
    RoomList *asked = data;
    if (!service) {
        sink_printf(asked->out, LINE_ERROR,
                    "The server of %s lists no group chat service: name one "
                    "(/rooms SERVICE)",
                    s->account);
        return;
    }
    /* DATA goes with the waiter: the listing gets a copy. */
    RoomList *l = g_new0(RoomList, 1);
    l->out = sink_ref(asked->out);
    list_rooms_of(s, service, l);
}

gboolean muc_list_rooms(const char *account, const char *service, Sink *out,
                        GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    RoomList *l = g_new0(RoomList, 1);
    l->out = request_sink(out, account);
    if (service) {
        g_autoptr(Jid) jid = jid_parse(service, error);
        if (!jid) {
            room_list_free(l);
            return FALSE;
        }
        list_rooms_of(s, jid->full, l);
    } else {
        muc_service_need(s, list_when_found, l, room_list_free);
    }
    return TRUE;
}

void muc_service_session_ended(Session *s)
{
    if (discoveries)
        g_hash_table_remove(discoveries, s->account);
}
