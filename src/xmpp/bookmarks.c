/* bookmarks.c: room bookmarks in PEP (XEP-0402, node urn:xmpp:bookmarks:1):
 * fetched at login, the autojoin ones joined; /bookmark add publishes
 * one item per room, /bookmark remove retracts it. What we know is kept
 * per account until the next login. Notifications of the node are
 * accepted only from our own account. When the server does not announce
 * XEP-0402, bookmarks_private.c keeps them in private XML storage. */
#include <string.h>

#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/authority.h"
#include "xmpp/feature.h"
#include "xmpp/iq.h"
#include "xmpp/muc.h"
#include "xmpp/bookmarks_internal.h"
#include "xmpp/muc_internal.h"
#include "xmpp/pep.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

static GHashTable *private_accounts;

void bookmark_free(gpointer data)
{
    Bookmark *b = data;
    g_free(b->room);
    g_free(b->nick);
    g_free(b->password);
    g_free(b);
}

/* account -> GHashTable (room -> Bookmark); absent: not known yet. */
static GHashTable *by_account;

GHashTable *bookmarks_of(const char *account, gboolean create)
{
    if (!by_account)
        by_account = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)g_hash_table_unref);
    GHashTable *t = g_hash_table_lookup(by_account, account);
    if (!t && create) {
        t = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, bookmark_free);
        g_hash_table_insert(by_account, g_strdup(account), t);
    }
    return t;
}

Bookmark *bookmark_from_conference(const char *room, xmpp_stanza_t *conf)
{
    g_autofree char *bare = room ? jid_bare(room) : NULL;
    if (!conf || !bare)
        return NULL;
    Bookmark *b = g_new0(Bookmark, 1);
    b->room = g_steal_pointer(&bare);
    const char *autojoin = xmpp_stanza_get_attribute(conf, "autojoin");
    b->autojoin =
        g_strcmp0(autojoin, "true") == 0 || g_strcmp0(autojoin, "1") == 0;
    b->nick = stanza_child_text(conf, "nick", NULL);
    b->password = stanza_child_text(conf, "password", NULL);
    return b;
}

/* An <item id=ROOM><conference/></item>; NULL when malformed. */
static Bookmark *parse_item(xmpp_stanza_t *item)
{
    return bookmark_from_conference(
        xmpp_stanza_get_id(item),
        xmpp_stanza_get_child_by_name_and_ns(item, "conference", NS_BOOKMARKS));
}

static void on_items(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result)
        return;
    Buffer *console = buffer_account_console(s->account);
    GHashTable *t = bookmarks_of(s->account, TRUE);
    g_hash_table_remove_all(t);
    if (!iq_is_result(result)) {
        /* An absent node is the normal start: no bookmarks yet. */
        g_autofree char *why = stanza_error_describe(result);
        if (!g_str_has_prefix(why, "item-not-found"))
            buffer_appendf(console, LINE_ERROR,
                           "Cannot read your bookmarks: %s", why);
        return;
    }
    xmpp_stanza_t *pubsub =
        xmpp_stanza_get_child_by_name_and_ns(result, "pubsub", NS_PUBSUB);
    xmpp_stanza_t *items =
        pubsub ? xmpp_stanza_get_child_by_name(pubsub, "items") : NULL;
    guint joined = 0;
    for (xmpp_stanza_t *c = items ? xmpp_stanza_get_children(items) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0)
            continue;
        Bookmark *b = parse_item(c);
        if (!b) {
            buffer_append(console, LINE_ERROR, NULL,
                          "Ignored a malformed bookmark.");
            continue;
        }
        g_hash_table_replace(t, b->room, b);
        joined += bookmarks_autojoin(s, b);
    }
    bookmarks_report_autojoin(s, joined);
}

guint bookmarks_autojoin(Session *s, const Bookmark *b)
{
    Room *r = room_find(s->account, b->room);
    if (!b->autojoin || (r && r->state != ROOM_LEFT))
        return 0; /* not wanted, or already rejoining */
    g_autoptr(GError) error = NULL;
    if (muc_join_room(s->account, b->room, b->nick, b->password, FALSE, &error))
        return 1;
    buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                   "Cannot join %s: %s", b->room, error->message);
    return 0;
}

void bookmarks_report_autojoin(Session *s, guint joined)
{
    if (joined)
        buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                       "Joining %u bookmarked room%s (autojoin).", joined,
                       joined == 1 ? "" : "s");
}

static gboolean is_private(const char *account)
{
    return private_accounts && g_hash_table_contains(private_accounts, account);
}

/* The private storage is written whole: not before it was read, or the
 * bookmarks already there would be lost. Takes C. */
static gboolean write_private(Session *s, Change *c, GError **error)
{
    if (!bookmarks_of(s->account, FALSE)) {
        bookmarks_change_free(c);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "the bookmarks of %s are not read (yet): not written, so "
                    "that none is lost",
                    s->account);
        return FALSE;
    }
    bookmarks_private_write(s, c);
    return TRUE;
}

void bookmarks_forget(const char *account)
{
    if (by_account)
        g_hash_table_remove(by_account, account);
}

static void fetch_pep(Session *s)
{
    xmpp_stanza_t *pubsub = NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", NULL, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *items = stanza_add_child_ns(pubsub, "items", NULL);
    xmpp_stanza_set_attribute(items, "node", NS_BOOKMARKS);
    iq_send(s, iq, on_items, NULL, NULL);
    xmpp_stanza_release(iq);
}

/* The account's features: XEP-0402 servers announce the #compat one
 * (XEP-0402 4); others get XEP-0048 bookmarks in private storage. */
static void on_account_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result)
        return;
    xmpp_stanza_t *query = iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name_and_ns(
                                     result, "query", NS_DISCO_INFO)
                               : NULL;
    gboolean native = FALSE;
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL;
         c && !native; c = xmpp_stanza_get_next(c))
        native = g_strcmp0(xmpp_stanza_get_name(c), "feature") == 0 &&
                 g_strcmp0(xmpp_stanza_get_attribute(c, "var"),
                           NS_BOOKMARKS "#compat") == 0;
    if (!private_accounts)
        private_accounts =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (native) {
        g_hash_table_remove(private_accounts, s->account);
        fetch_pep(s);
        return;
    }
    g_hash_table_add(private_accounts, g_strdup(s->account));
    buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                   "The server of %s has no PEP bookmarks (XEP-0402): "
                   "bookmarks are kept in its private storage (XEP-0049).",
                   s->account);
    bookmarks_private_fetch(s);
}

static void bookmarks_session_started(Session *s)
{
    xmpp_stanza_t *iq = iq_new(s, "get", NULL, "query", NS_DISCO_INFO, NULL);
    iq_send(s, iq, on_account_info, NULL, NULL);
    xmpp_stanza_release(iq);
}

/* A change of our bookmarks, pushed by our server when another client
 * of ours changed them (PEP, routed by pep.c from our own account). */
static void on_bookmarks_event(Session *s, const char *from,
                               xmpp_stanza_t *items, gpointer data)
{
    GHashTable *t = bookmarks_of(s->account, TRUE);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(items); c;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (g_strcmp0(name, "item") == 0) {
            Bookmark *b = parse_item(c);
            if (b)
                g_hash_table_replace(t, b->room, b);
        } else if (g_strcmp0(name, "retract") == 0 && xmpp_stanza_get_id(c)) {
            g_autofree char *bare = jid_bare(xmpp_stanza_get_id(c));
            if (bare)
                g_hash_table_remove(t, bare);
        }
    }
}

/* Adds a publish-options form field VAR = VALUE. */
static void add_field(xmpp_stanza_t *form, const char *var, const char *value,
                      const char *type)
{
    xmpp_stanza_t *field = stanza_add_child_ns(form, "field", NULL);
    xmpp_stanza_set_attribute(field, "var", var);
    if (type)
        xmpp_stanza_set_attribute(field, "type", type);
    stanza_add_text_child(field, "value", value);
}

void bookmarks_change_free(gpointer data)
{
    Change *c = data;
    if (c->bookmark)
        bookmark_free(c->bookmark);
    g_free(c->room);
    if (c->out)
        sink_unref(c->out);
    g_free(c);
}

void bookmarks_on_changed(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Change *c = data;
    if (!result)
        return;
    g_autoptr(Sink) out = request_sink(c->out, s->account);
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        sink_printf(out, LINE_ERROR, "Bookmark of %s not %s: %s", c->room,
                    c->bookmark ? "saved" : "removed", why);
        return;
    }
    GHashTable *t = bookmarks_of(s->account, TRUE);
    if (c->bookmark) {
        sink_printf(out, LINE_INFO, "Bookmarked %s%s.", c->room,
                    c->bookmark->autojoin ? " (autojoin)" : "");
        Bookmark *b = g_steal_pointer(&c->bookmark);
        g_hash_table_replace(t, b->room, b);
    } else {
        sink_printf(out, LINE_INFO, "Bookmark of %s removed.", c->room);
        g_hash_table_remove(t, c->room);
    }
}

gboolean muc_bookmark_add(const char *account, const char *room,
                          gboolean autojoin, const char *nick, Sink *out,
                          GError **error)
{
    g_autoptr(Jid) jid = jid_parse(room, error);
    if (!jid)
        return FALSE;
    if (!jid->local || jid->resource) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "a bookmark is for a room address, ROOM@SERVICE: %s", room);
        return FALSE;
    }
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    Room *r = room_find(account, jid->bare);
    if (!nick && r)
        nick = r->nick;
    Change *c = g_new0(Change, 1);
    c->room = g_strdup(jid->bare);
    c->out = out ? sink_ref(out) : NULL;
    c->bookmark = g_new0(Bookmark, 1);
    c->bookmark->room = g_strdup(jid->bare);
    c->bookmark->autojoin = autojoin;
    c->bookmark->nick = g_strdup(nick);
    c->bookmark->password = g_strdup(r ? r->password : NULL);
    if (is_private(account))
        return write_private(s, c, error);

    xmpp_stanza_t *pubsub = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *publish = stanza_add_child_ns(pubsub, "publish", NULL);
    xmpp_stanza_set_attribute(publish, "node", NS_BOOKMARKS);
    xmpp_stanza_t *item = stanza_add_child_ns(publish, "item", NULL);
    xmpp_stanza_set_id(item, jid->bare);
    xmpp_stanza_t *conf = stanza_add_child_ns(item, "conference", NS_BOOKMARKS);
    xmpp_stanza_set_attribute(conf, "autojoin", autojoin ? "true" : "false");
    if (nick)
        stanza_add_text_child(conf, "nick", nick);
    if (r && r->password)
        stanza_add_text_child(conf, "password", r->password);
    /* XEP-0402 5.3: private, kept, as many items as there are rooms. */
    xmpp_stanza_t *options =
        stanza_add_child_ns(pubsub, "publish-options", NULL);
    xmpp_stanza_t *form = stanza_add_child_ns(options, "x", NS_DATA);
    xmpp_stanza_set_type(form, "submit");
    add_field(form, "FORM_TYPE",
              "http://jabber.org/protocol/pubsub#publish-options", "hidden");
    add_field(form, "pubsub#persist_items", "true", NULL);
    add_field(form, "pubsub#max_items", "max", NULL);
    add_field(form, "pubsub#send_last_published_item", "never", NULL);
    add_field(form, "pubsub#access_model", "whitelist", NULL);
    iq_send(s, iq, bookmarks_on_changed, c, bookmarks_change_free);
    xmpp_stanza_release(iq);
    return TRUE;
}

gboolean muc_bookmark_remove(const char *account, const char *room, Sink *out,
                             GError **error)
{
    g_autoptr(Jid) jid = jid_parse(room, error);
    if (!jid)
        return FALSE;
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    GHashTable *t = bookmarks_of(account, FALSE);
    if (t && !g_hash_table_contains(t, jid->bare)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "%s is not bookmarked (/bookmark list)", jid->bare);
        return FALSE;
    }
    Change *c = g_new0(Change, 1);
    c->room = g_strdup(jid->bare);
    c->out = out ? sink_ref(out) : NULL;
    if (is_private(account))
        return write_private(s, c, error);
    xmpp_stanza_t *pubsub = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *retract = stanza_add_child_ns(pubsub, "retract", NULL);
    xmpp_stanza_set_attribute(retract, "node", NS_BOOKMARKS);
    xmpp_stanza_set_attribute(retract, "notify", "true");
    xmpp_stanza_t *item = stanza_add_child_ns(retract, "item", NULL);
    xmpp_stanza_set_id(item, jid->bare);
    iq_send(s, iq, bookmarks_on_changed, c, bookmarks_change_free);
    xmpp_stanza_release(iq);
    return TRUE;
}

static void bookmarks_shutdown(void)
{
    g_clear_pointer(&by_account, g_hash_table_unref);
    g_clear_pointer(&private_accounts, g_hash_table_unref);
}

static void bookmarks_init(void)
{
    pep_register_node(NS_BOOKMARKS, "bookmarks", TRUE, on_bookmarks_event,
                      NULL);
}

static void bookmarks_stop(void)
{
    pep_unregister_node(NS_BOOKMARKS);
    bookmarks_shutdown();
}

static void bookmarks_started(Session *s, gboolean resumed)
{
    bookmarks_session_started(s);
}

static void bookmarks_account_removed(const char *account)
{
    if (by_account)
        g_hash_table_remove(by_account, account);
    if (private_accounts)
        g_hash_table_remove(private_accounts, account);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *muc_bookmark_list(const char *account)
{
    GHashTable *t = by_account ? bookmarks_of(account, FALSE) : NULL;
    if (!t)
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, t);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Bookmark *b = value;
        g_ptr_array_add(out, g_strdup_printf("%s%s%s%s", b->room,
                                             b->autojoin ? " (autojoin)" : "",
                                             b->nick ? " nick " : "",
                                             b->nick ? b->nick : ""));
    }
    g_ptr_array_sort(out, compare_strings);
    return out;
}

/* "+notify": the server pushes changes other clients of ours make. */
static const char *const bookmarks_disco[] = {NS_BOOKMARKS "+notify", NULL};

const Feature feature_bookmarks = {
    .name = "bookmarks",
    .disco = bookmarks_disco,
    .init = bookmarks_init,
    .shutdown = bookmarks_stop,
    .started = bookmarks_started,
    .account_removed = bookmarks_account_removed,
};
