/* muc_mam.c: a room's own archive (XEP-0313 on the room, XEP-0045 rooms
 * that announce urn:xmpp:mam:2). After each join, natter asks the room
 * for what was said after the last message it has from it (saved with the
 * history, per room), page by page; the first time, the newest
 * muc_history messages. Results count only from the room asked, with
 * the query id natter chose; they go into history like live messages, so
 * nothing is stored or shown twice. */
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/settings.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/message_internal.h"
#include "xmpp/muc_internal.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

#define PAGE_SIZE 100

/* A catch-up under way: one per room at most. */
typedef struct {
    char *account;
    char *room;
    char *queryid;
    guint count; /* new messages so far */
} Query;

static GHashTable *queries; /* queryid -> Query * */

static void query_free(gpointer data)
{
    Query *q = data;
    g_free(q->account);
    g_free(q->room);
    g_free(q->queryid);
    g_free(q);
}

static char *last_id_key(const char *room)
{
    return g_strdup_printf("muc_mam_last:%s", room);
}

static void set_last_id(const char *account, const char *room, const char *id)
{
    History *h = conversation_history(account);
    g_autofree char *key = last_id_key(room);
    if (h && id)
        history_set_value(h, key, id, NULL);
}

static Query *query_of_room(const char *account, const char *room)
{
    GHashTableIter iter;
    gpointer value;
    if (!queries)
        return NULL;
    g_hash_table_iter_init(&iter, queries);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Query *q = value;
        if (g_strcmp0(q->account, account) == 0 &&
            g_strcmp0(q->room, room) == 0)
            return q;
    }
    return NULL;
}

static void query_page(Session *s, Query *q, const char *after);

static void finish(Session *s, Query *q, const char *why)
{
    Room *r = room_find(q->account, q->room);
    Buffer *b = r ? muc_room_buffer(r) : buffer_account_console(s->account);
    if (why)
        buffer_appendf(b, LINE_ERROR,
                       "The room's archive could not be read: %s", why);
    else if (q->count)
        buffer_appendf(b, LINE_INFO, "%u message%s from the room's archive.",
                       q->count, q->count == 1 ? "" : "s");
    g_hash_table_remove(queries, q->queryid);
    muc_pace_poke(s); /* the room is done: the next may start */
}

/* What a page request was: the query (which may be gone when the answer
 * comes) and whether it started after a known id. */
typedef struct {
    char *queryid;
    gboolean after;
} Page;

static void page_free(gpointer data)
{
    Page *p = data;
    g_free(p->queryid);
    g_free(p);
}

static void on_page(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Page *page = data;
    Query *q = queries ? g_hash_table_lookup(queries, page->queryid) : NULL;
    if (!result || !q)
        return;
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        if (page->after && g_str_has_prefix(why, "item-not-found")) {
            /* Our last id is gone from the archive: the newest page. */
            query_page(s, q, NULL);
            return;
        }
        finish(s, q, why);
        return;
    }
    xmpp_stanza_t *fin =
        xmpp_stanza_get_child_by_name_and_ns(result, "fin", NS_MAM);
    xmpp_stanza_t *set =
        fin ? xmpp_stanza_get_child_by_name_and_ns(fin, "set", NS_RSM) : NULL;
    g_autofree char *last = set ? stanza_child_text(set, "last", NULL) : NULL;
    set_last_id(q->account, q->room, last);
    gboolean complete =
        !fin ||
        g_strcmp0(xmpp_stanza_get_attribute(fin, "complete"), "true") == 0;
    /* A first catch-up (the newest page) takes only that page. */
    if (complete || !last || !page->after) {
        finish(s, q, NULL);
        return;
    }
    query_page(s, q, last);
}

static void add_field(xmpp_stanza_t *form, const char *var, const char *value,
                      gboolean hidden)
{
    xmpp_stanza_t *field = stanza_add_child_ns(form, "field", NULL);
    xmpp_stanza_set_attribute(field, "var", var);
    if (hidden)
        xmpp_stanza_set_type(field, "hidden");
    stanza_add_text_child(field, "value", value);
}

static void query_page(Session *s, Query *q, const char *after)
{
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", q->room, "query", NS_MAM, &query);
    xmpp_stanza_set_attribute(query, "queryid", q->queryid);
    xmpp_stanza_t *form = stanza_add_child_ns(query, "x", NS_DATA);
    xmpp_stanza_set_type(form, "submit");
    add_field(form, "FORM_TYPE", NS_MAM, TRUE);
    xmpp_stanza_t *set = stanza_add_child_ns(query, "set", NS_RSM);
    g_autofree char *max = g_strdup_printf(
        "%d", after ? PAGE_SIZE : MAX(settings_get_int("muc_history"), 1));
    stanza_add_text_child(set, "max", max);
    if (after)
        stanza_add_text_child(set, "after", after);
    else
        stanza_add_child_ns(set, "before", NULL); /* the newest page */
    Page *page = g_new0(Page, 1);
    page->queryid = g_strdup(q->queryid);
    page->after = after != NULL;
    iq_send(s, iq, on_page, page, page_free);
    /* The room reads its next page while the last one commits. */
    connloop_queued_unordered(s->loop);
    xmpp_stanza_release(iq);
}

gboolean muc_mam_under_way(const char *account, const char *room)
{
    return query_of_room(account, room) != NULL;
}

void muc_mam_catch_up(Session *s, Room *r)
{
    History *h = conversation_history(s->account);
    if (!h || query_of_room(s->account, r->jid))
        return; /* nowhere to keep it, or already under way */
    if (!queries)
        queries =
            g_hash_table_new_full(g_str_hash, g_str_equal, NULL, query_free);
    Query *q = g_new0(Query, 1);
    q->account = g_strdup(s->account);
    q->room = g_strdup(r->jid);
    q->queryid = session_new_id(s);
    g_hash_table_insert(queries, q->queryid, q);
    g_autofree char *key = last_id_key(r->jid);
    g_autofree char *last = history_get_value(h, key);
    query_page(s, q, last && *last ? last : NULL);
}

gboolean muc_mam_take_result(Session *s, xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *result =
        xmpp_stanza_get_child_by_name_and_ns(stanza, "result", NS_MAM);
    const char *queryid =
        result ? xmpp_stanza_get_attribute(result, "queryid") : NULL;
    Query *q =
        queryid && queries ? g_hash_table_lookup(queries, queryid) : NULL;
    if (!q || g_strcmp0(q->account, s->account) != 0)
        return FALSE; /* not ours: mam.c has its say */
    const char *from = xmpp_stanza_get_from(stanza);
    Room *r = room_find(s->account, q->room);
    Buffer *console = buffer_account_console(s->account);
    if (!from || !jid_full_equal(from, q->room) || !r) {
        buffer_appendf(console, LINE_ERROR,
                       "Ignored archive results from %s: the archive of %s "
                       "was asked.",
                       from ? from : "(none)", q->room);
        return TRUE;
    }
    const char *id = xmpp_stanza_get_id(result);
    xmpp_stanza_t *forwarded =
        xmpp_stanza_get_child_by_name_and_ns(result, "forwarded", NS_FORWARD);
    xmpp_stanza_t *message =
        forwarded ? xmpp_stanza_get_child_by_name(forwarded, "message") : NULL;
    if (!id || !message) {
        buffer_appendf(console, LINE_ERROR,
                       "Ignored a result of %s's archive without a message "
                       "or id.",
                       q->room);
        return TRUE;
    }
    /* A room's archive speaks for the room: only its own messages. */
    if (!jid_bare_equal(xmpp_stanza_get_from(message), r->jid) ||
        g_strcmp0(xmpp_stanza_get_type(message), "groupchat") != 0)
        return TRUE;
    if (message_receive(s, message, MESSAGE_ARCHIVED, id,
                        stanza_delay_time(forwarded)))
        q->count++;
    return TRUE;
}

void muc_mam_note_live(Session *s, Room *r, const char *stanza_id)
{
    /* During a catch-up the pages say where to go on. */
    if (!query_of_room(s->account, r->jid))
        set_last_id(s->account, r->jid, stanza_id);
}

void muc_mam_session_ended(Session *s)
{
    GHashTableIter iter;
    gpointer value;
    if (!queries)
        return;
    g_hash_table_iter_init(&iter, queries);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        if (g_strcmp0(((Query *)value)->account, s->account) == 0)
            g_hash_table_iter_remove(&iter);
}

void muc_mam_shutdown(void)
{
    g_clear_pointer(&queries, g_hash_table_unref);
}
