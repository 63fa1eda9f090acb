/* muc_pace.c: the joins natter makes on its own (bookmarks with autojoin
 * at login, rooms rejoined after a reconnect) go out a few rooms at a
 * time, and so do the catch-ups from those rooms' archives that follow
 * them. A room goes through three lines: its features are asked
 * (disco#info: has it an archive?), then it joins, then, once joined, it
 * catches up from its archive. Each line has places of its own: a room
 * holds one while its request is unanswered. The catch-ups start once
 * every join is out.
 *
 * Why: fifty rooms asked at once are fifty disco queries, fifty join
 * presences and fifty archive queries in one go, then every room's
 * occupants and pages answering together. Servers limit what a client may
 * send (Prosody's mod_limits, ejabberd's shapers) by stopping to read it:
 * what the user types next would wait behind all of it, and the answers
 * would come as one flood. Clocked by the answers, natter never has more
 * than a window of each kind of request in the server's queue. Lines of
 * their own, not one: a room's catch-up takes several times as long as
 * its join, and joins waiting behind catch-ups made the last of fifty
 * rooms joined three times later than with no pacing at all; likewise the
 * question before a join is asked ahead, so that a join that frees a
 * place is followed by the next join at once, not by a round trip for the
 * next room's features (bench/RESULTS.md has the figures).
 *
 * Rooms under way are checked against the model (the room's state, a
 * catch-up under way) whenever something may have changed, so a room that
 * failed or went away frees its place without anyone having to say so.
 * What the user asks (/join) is not paced, nor is its catch-up. */
#include "xmpp/muc_internal.h"

/* Rooms asked about at once, joining at once, and catching up at once. */
#define ASK_WINDOW      16
#define JOIN_WINDOW     16
#define CATCH_UP_WINDOW 4

typedef struct {
    GQueue waiting;       /* room JIDs (owned) to join, in the order asked */
    GHashTable *asking;   /* room JID -> itself (owned): features asked */
    GQueue known;         /* room JIDs (owned) whose features are known */
    GHashTable *joining;  /* room JID -> itself (owned) */
    GQueue to_catch_up;   /* joined room JIDs (owned) waiting to catch up */
    GHashTable *catching; /* room JID -> itself (owned) */
    GHashTable *paced;    /* room JIDs (owned) joined through the line */
} Pace;

static GHashTable *paces; /* account name -> Pace * */

static void pace_free(gpointer data)
{
    Pace *p = data;
    g_queue_clear_full(&p->waiting, g_free);
    g_queue_clear_full(&p->known, g_free);
    g_queue_clear_full(&p->to_catch_up, g_free);
    g_hash_table_unref(p->asking);
    g_hash_table_unref(p->joining);
    g_hash_table_unref(p->catching);
    g_hash_table_unref(p->paced);
    g_free(p);
}

static GHashTable *jid_set(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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
    g_queue_init(&p->known);
    g_queue_init(&p->to_catch_up);
    p->asking = jid_set();
    p->joining = jid_set();
    p->catching = jid_set();
    p->paced = jid_set();
    g_hash_table_insert(paces, g_strdup(account), p);
    return p;
}

static gboolean still_joining(Session *s, const char *jid)
{
    Room *r = room_find(s->account, jid);
    return r && r->state == ROOM_JOINING;
}

static gboolean still_catching_up(Session *s, const char *jid)
{
    Room *r = room_find(s->account, jid);
    return r && r->state == ROOM_JOINED && muc_mam_under_way(s->account, jid);
}

/* Drops from SET the rooms for which STILL is no longer true. */
static void prune(Session *s, GHashTable *set,
                  gboolean (*still)(Session *, const char *))
{
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, set);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        if (!still(s, key))
            g_hash_table_iter_remove(&iter);
}

static void drop_from_queue(GQueue *queue, const char *jid)
{
    GList *link = g_queue_find_custom(queue, jid, (GCompareFunc)g_strcmp0);
    if (link) {
        g_free(link->data);
        g_queue_delete_link(queue, link);
    }
}

/* The next room of QUEUE still joining (the others are dropped: left, or
 * joined some other way, meanwhile), or NULL. Caller frees. */
static char *next_joining(Session *s, GQueue *queue)
{
    char *jid;
    while ((jid = g_queue_pop_head(queue)) && !still_joining(s, jid))
        g_free(jid);
    return jid;
}

void muc_pace_poke(Session *s)
{
    Pace *p = pace_of(s->account, FALSE);
    if (!p)
        return;
    prune(s, p->asking, still_joining);
    prune(s, p->joining, still_joining);
    prune(s, p->catching, still_catching_up);
    char *jid;
    while (g_hash_table_size(p->joining) < JOIN_WINDOW &&
           (jid = next_joining(s, &p->known))) {
        g_hash_table_add(p->joining, jid);
        g_hash_table_add(p->paced, g_strdup(jid));
        muc_send_join_presence(s, room_find(s->account, jid));
    }
    while (g_hash_table_size(p->asking) < ASK_WINDOW &&
           (jid = next_joining(s, &p->waiting))) {
        g_hash_table_add(p->asking, jid);
        muc_ask_room_info(s, room_find(s->account, jid));
    }
    /* Catch-ups wait until every join is out: a join is cheap for the
     * server and a catch-up dear, and joins queued behind archive pages
     * left the last rooms unjoined for longer than everything else. Out,
     * not answered: a query is answered, if only by an error, but a join
     * may never be. */
    gboolean joins_out = g_queue_is_empty(&p->waiting) &&
                         g_hash_table_size(p->asking) == 0 &&
                         g_queue_is_empty(&p->known);
    while (joins_out && g_hash_table_size(p->catching) < CATCH_UP_WINDOW &&
           !g_queue_is_empty(&p->to_catch_up)) {
        jid = g_queue_pop_head(&p->to_catch_up);
        Room *r = room_find(s->account, jid);
        if (!r || r->state != ROOM_JOINED) {
            g_free(jid); /* left meanwhile */
            continue;
        }
        g_hash_table_add(p->catching, jid);
        muc_mam_catch_up(s, r);
    }
}

void muc_pace_join(Session *s, Room *r)
{
    Pace *p = pace_of(s->account, TRUE);
    r->subject_seen = FALSE;
    room_set_state(r, ROOM_JOINING);
    if (!g_queue_find_custom(&p->waiting, r->jid, (GCompareFunc)g_strcmp0) &&
        !g_hash_table_contains(p->asking, r->jid) &&
        !g_queue_find_custom(&p->known, r->jid, (GCompareFunc)g_strcmp0) &&
        !g_hash_table_contains(p->joining, r->jid))
        g_queue_push_tail(&p->waiting, g_strdup(r->jid));
    muc_pace_poke(s);
}

void muc_pace_joined(Session *s, Room *r)
{
    Pace *p = pace_of(s->account, FALSE);
    gboolean paced = p && g_hash_table_remove(p->paced, r->jid);
    if (r->archived && !paced)
        muc_mam_catch_up(s, r); /* the user's own /join: at once */
    else if (r->archived && !g_queue_find_custom(&p->to_catch_up, r->jid,
                                                 (GCompareFunc)g_strcmp0))
        g_queue_push_tail(&p->to_catch_up, g_strdup(r->jid));
    muc_pace_poke(s); /* the next join (and catch-up) may start */
}

void muc_pace_room_known(Session *s, const char *room)
{
    Pace *p = pace_of(s->account, FALSE);
    if (!p || !g_hash_table_remove(p->asking, room))
        return; /* taken out of the line meanwhile */
    if (still_joining(s, room))
        g_queue_push_tail(&p->known, g_strdup(room));
    muc_pace_poke(s);
}

void muc_pace_forget(Session *s, const char *room)
{
    Pace *p = pace_of(s->account, FALSE);
    if (!p)
        return;
    drop_from_queue(&p->waiting, room);
    g_hash_table_remove(p->asking, room);
    drop_from_queue(&p->known, room);
    drop_from_queue(&p->to_catch_up, room);
    g_hash_table_remove(p->paced, room);
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
