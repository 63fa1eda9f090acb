/* muc_pace.c: the joins natter makes on its own (bookmarks with autojoin
 * at login, rooms rejoined after a reconnect) go out a few rooms at a
 * time. A room is busy from its first request (disco#info) until it is
 * joined and its archive caught up (or the join failed, or the room was
 * left); the next waiting room starts when one is done.
 *
 * Why: fifty rooms asked at once are fifty disco queries, fifty join
 * presences and fifty archive queries in one go, then every room's
 * occupants and pages answering together. Servers limit what a client may
 * send (Prosody's mod_limits, ejabberd's shapers) by stopping to read it:
 * what the user types next would wait behind all of it, and the answers
 * would come as one flood. Clocked by the answers, natter never has more
 * than PACE_WINDOW rooms' requests in the server's queue.
 *
 * Busy rooms are checked against the model (the room's state, a catch-up
 * under way) whenever something may have changed, so a room that failed
 * or went away frees its place without anyone having to say so. What the
 * user asks (/join) is not paced. */
#include "xmpp/muc_internal.h"

/* Rooms joining (or catching up) at once. */
#define PACE_WINDOW 8

typedef struct {
    GQueue waiting;   /* room JIDs (owned), in the order asked */
    GHashTable *busy; /* room JID -> itself (owned) */
} Pace;

static GHashTable *paces; /* account name -> Pace * */

static void pace_free(gpointer data)
{
    Pace *p = data;
    g_queue_clear_full(&p->waiting, g_free);
    g_hash_table_unref(p->busy);
    g_free(p);
}

static Pace *pace_of(const char *account, gboolean create)
{
    Pace *p = paces ? g_hash_table_lookup(paces, account) : NULL;
    if (p || !create)
        return p;
    if (!paces)
        paces =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, pace_free);
    p = g_new0(Pace, 1);
    g_queue_init(&p->waiting);
    p->busy = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_insert(paces, g_strdup(account), p);
    return p;
}

/* Still busy: joining, or joined with its archive being read. */
static gboolean still_busy(Session *s, const char *jid)
{
    Room *r = room_find(s->account, jid);
    if (!r || r->state == ROOM_LEFT)
        return FALSE;
    return r->state == ROOM_JOINING || muc_mam_under_way(s->account, jid);
}

void muc_pace_poke(Session *s)
{
    Pace *p = pace_of(s->account, FALSE);
    if (!p)
        return;
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, p->busy);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        if (!still_busy(s, key))
            g_hash_table_iter_remove(&iter);
    while (g_hash_table_size(p->busy) < PACE_WINDOW &&
           !g_queue_is_empty(&p->waiting)) {
        char *jid = g_queue_pop_head(&p->waiting);
        Room *r = room_find(s->account, jid);
        if (!r || r->state != ROOM_JOINING) {
            g_free(jid); /* left, or joined some other way, meanwhile */
            continue;
        }
        g_hash_table_add(p->busy, jid);
        muc_send_join(s, r);
    }
}

void muc_pace_join(Session *s, Room *r)
{
    Pace *p = pace_of(s->account, TRUE);
    r->subject_seen = FALSE;
    room_set_state(r, ROOM_JOINING);
    if (!g_queue_find_custom(&p->waiting, r->jid, (GCompareFunc)g_strcmp0) &&
        !g_hash_table_contains(p->busy, r->jid))
        g_queue_push_tail(&p->waiting, g_strdup(r->jid));
    muc_pace_poke(s);
}

void muc_pace_forget(Session *s, const char *room)
{
    Pace *p = pace_of(s->account, FALSE);
    GList *link =
        p ? g_queue_find_custom(&p->waiting, room, (GCompareFunc)g_strcmp0)
          : NULL;
    if (link) {
        g_free(link->data);
        g_queue_delete_link(&p->waiting, link);
    }
}

void muc_pace_session_ended(Session *s)
{
    if (paces)
        g_hash_table_remove(paces, s->account);
}

void muc_pace_shutdown(void)
{
    g_clear_pointer(&paces, g_hash_table_unref);
}
