/* bookmarks_private.c: room bookmarks in private XML storage (XEP-0048
 * kept through XEP-0049, jabber:iq:private), for servers that do not
 * announce PEP bookmarks (XEP-0402). The storage is one element holding
 * every bookmark, so a change writes the whole list back; the known list
 * changes only once the server accepted it. Only <conference/> entries
 * are kept: URL bookmarks in the same storage are not written back. */
#include <string.h>

#include "core/buffer.h"
#include "util/jid.h"
#include "xmpp/bookmarks_internal.h"
#include "xmpp/iq.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

static xmpp_stanza_t *storage_of(xmpp_stanza_t *result)
{
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_PRIVATE);
    return query ? xmpp_stanza_get_child_by_name_and_ns(query, "storage",
                                                        NS_STORAGE)
                 : NULL;
}

static void on_storage(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result)
        return;
    Buffer *console = buffer_account_console(s->account);
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        buffer_appendf(console, LINE_ERROR, "Cannot read your bookmarks: %s",
                       why);
        bookmarks_forget(s->account);
        return;
    }
    GHashTable *t = bookmarks_of(s->account, TRUE);
    g_hash_table_remove_all(t);
    xmpp_stanza_t *storage = storage_of(result);
    guint joined = 0;
    for (xmpp_stanza_t *c = storage ? xmpp_stanza_get_children(storage) : 0; c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "conference") != 0)
            continue;
        Bookmark *b =
            bookmark_from_conference(xmpp_stanza_get_attribute(c, "jid"), c);
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

void bookmarks_private_fetch(Session *s)
{
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", NULL, "query", NS_PRIVATE, &query);
    stanza_add_child_ns(query, "storage", NS_STORAGE);
    iq_send(s, iq, on_storage, NULL, NULL);
    xmpp_stanza_release(iq);
}

static void add_conference(xmpp_stanza_t *storage, const Bookmark *b)
{
    xmpp_stanza_t *conf = stanza_add_child_ns(storage, "conference", NULL);
    xmpp_stanza_set_attribute(conf, "jid", b->room);
    xmpp_stanza_set_attribute(conf, "autojoin", b->autojoin ? "true" : "false");
    if (b->nick)
        stanza_add_text_child(conf, "nick", b->nick);
    if (b->password)
        stanza_add_text_child(conf, "password", b->password);
}

void bookmarks_private_write(Session *s, Change *change)
{
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, "query", NS_PRIVATE, &query);
    xmpp_stanza_t *storage = stanza_add_child_ns(query, "storage", NS_STORAGE);
    GHashTable *t = bookmarks_of(s->account, FALSE);
    if (t) {
        GHashTableIter iter;
        gpointer value;
        g_hash_table_iter_init(&iter, t);
        while (g_hash_table_iter_next(&iter, NULL, &value)) {
            const Bookmark *b = value;
            if (strcmp(b->room, change->room) != 0)
                add_conference(storage, b);
        }
    }
    if (change->bookmark)
        add_conference(storage, change->bookmark);
    iq_send(s, iq, bookmarks_on_changed, change, bookmarks_change_free);
    xmpp_stanza_release(iq);
}
