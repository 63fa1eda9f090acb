/* muc_ping.c: MUC self-ping (XEP-0410). A room can lose us without a word
 * (its service restarted, a server-to-server link broke): after
 * muc_self_ping seconds without anything from a room, natter pings its own
 * occupant JID there. "not-acceptable" means we are not in the room any
 * more: natter says so and joins again. A result, or an error saying the
 * occupant cannot answer pings, means we are still in.
 *
 * One timer per joined room, armed for the end of the silence: activity
 * only records a time, so a busy room costs no timer work per stanza. */
#include "core/buffer.h"
#include "core/settings.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

typedef struct {
    char *account;
    char *room;
    gint64 last;   /* monotonic µs of the last stanza from the room */
    guint timer;   /* 0 while a ping is out or nothing is armed */
    gboolean busy; /* a ping is waiting for its answer */
} Watch;

static GHashTable *watches; /* "account\nroom" -> Watch * */

static void watch_free(gpointer data)
{
    Watch *w = data;
    g_clear_handle_id(&w->timer, g_source_remove);
    g_free(w->account);
    g_free(w->room);
    g_free(w);
}

static char *watch_key(const char *account, const char *room)
{
    return g_strdup_printf("%s\n%s", account, room);
}

static gint64 interval_us(void)
{
    return (gint64)settings_get_int("muc_self_ping") * G_USEC_PER_SEC;
}

static gboolean on_timer(gpointer data);

static void arm(Watch *w, gint64 delay_us)
{
    g_clear_handle_id(&w->timer, g_source_remove);
    guint ms = (guint)MAX(delay_us / 1000, 1);
    w->timer = g_timeout_add(ms, on_timer, w);
}

static void on_pong(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *key = data; /* freed by iq_send */
    Watch *w = watches ? g_hash_table_lookup(watches, key) : NULL;
    if (!w || !result)
        return; /* the session ended: the next login rejoins */
    w->busy = FALSE;
    Room *r = room_find(w->account, w->room);
    if (!r || r->state != ROOM_JOINED) {
        g_hash_table_remove(watches, key);
        return;
    }
    xmpp_stanza_t *error = iq_is_result(result)
                               ? NULL
                               : xmpp_stanza_get_child_by_name(result, "error");
    if (error && xmpp_stanza_get_child_by_name(error, "not-acceptable")) {
        buffer_appendf(muc_room_buffer(r), LINE_ERROR,
                       "%s no longer counts you as present (it did not say "
                       "so): joining again.",
                       r->jid);
        room_clear_occupants(r);
        g_hash_table_remove(watches, key);
        muc_send_join(s, r);
        return;
    }
    /* In the room (a pong, or service-unavailable/feature-not-implemented:
     * the occupant cannot answer pings, but the room routed it), or it
     * cannot be told (remote-server-*): look again after the next
     * silence. */
    w->last = g_get_monotonic_time();
    arm(w, interval_us());
}

static gboolean on_timer(gpointer data)
{
    Watch *w = data;
    w->timer = 0;
    Session *s = session_online(w->account, NULL);
    Room *r = room_find(w->account, w->room);
    g_autofree char *key = watch_key(w->account, w->room);
    if (!s || !r || r->state != ROOM_JOINED || interval_us() <= 0) {
        g_hash_table_remove(watches, key);
        return G_SOURCE_REMOVE;
    }
    gint64 quiet = g_get_monotonic_time() - w->last;
    if (quiet < interval_us()) {
        arm(w, interval_us() - quiet);
        return G_SOURCE_REMOVE;
    }
    g_autofree char *self = g_strdup_printf("%s/%s", r->jid, r->nick);
    xmpp_stanza_t *iq = iq_new(s, "get", self, "ping", NS_PING, NULL);
    w->busy = TRUE;
    iq_send(s, iq, on_pong, g_steal_pointer(&key), g_free);
    xmpp_stanza_release(iq);
    return G_SOURCE_REMOVE;
}

void muc_ping_activity(Session *s, Room *r)
{
    if (r->state != ROOM_JOINED || interval_us() <= 0)
        return;
    if (!watches)
        watches =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, watch_free);
    g_autofree char *key = watch_key(s->account, r->jid);
    Watch *w = g_hash_table_lookup(watches, key);
    if (!w) {
        w = g_new0(Watch, 1);
        w->account = g_strdup(s->account);
        w->room = g_strdup(r->jid);
        g_hash_table_insert(watches, g_steal_pointer(&key), w);
    }
    w->last = g_get_monotonic_time();
    if (!w->timer && !w->busy)
        arm(w, interval_us());
}

void muc_ping_session_ended(Session *s)
{
    GHashTableIter iter;
    gpointer value;
    if (!watches)
        return;
    g_hash_table_iter_init(&iter, watches);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        if (g_strcmp0(((Watch *)value)->account, s->account) == 0)
            g_hash_table_iter_remove(&iter);
}

void muc_ping_shutdown(void)
{
    g_clear_pointer(&watches, g_hash_table_unref);
}
