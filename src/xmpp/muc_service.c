/* muc_service.c: the account's conference service, found at login
 * among the server's items (disco#items, then disco#info of each: a
 * "conference/text" identity), where /join NAME looks; and /rooms, the
 * rooms a service lists. */
#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/muc.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

static GHashTable *services; /* account -> conference service JID */

const char *muc_service_of(const char *account)
{
    return services ? g_hash_table_lookup(services, account) : NULL;
}

void muc_service_shutdown(void)
{
    g_clear_pointer(&services, g_hash_table_unref);
}

static void on_service_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *item = data;
    if (!result || !iq_is_result(result))
        return;
    xmpp_stanza_t *query = xmpp_stanza_get_child_by_name(result, "query");
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "identity") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "category"), "conference") ==
                0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "type"), "text") == 0) {
            if (!services)
                services = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                 g_free, g_free);
            if (g_hash_table_contains(services, s->account))
                return;
            g_hash_table_insert(services, g_strdup(s->account), g_strdup(item));
            buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                           "Group chat service: %s (/join NAME joins "
                           "NAME@%s).",
                           item, item);
            return;
        }
    }
}

/* The server's items: the first one that is a text conference service
 * is where a room name without @ is looked for. */
static void on_server_items(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result || !iq_is_result(result))
        return;
    xmpp_stanza_t *query = xmpp_stanza_get_child_by_name(result, "query");
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *jid = xmpp_stanza_get_attribute(c, "jid");
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 || !jid ||
            !jid_is_valid(jid))
            continue;
        xmpp_stanza_t *iq = iq_new(s, "get", jid, "query", NS_DISCO_INFO, NULL);
        iq_send(s, iq, on_service_info, g_strdup(jid), g_free);
        xmpp_stanza_release(iq);
    }
}

static void on_room_list(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *service = data;
    if (!result)
        return;
    Buffer *console = buffer_account_console(s->account);
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        buffer_appendf(console, LINE_ERROR, "Cannot list the rooms of %s: %s",
                       service, why);
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
    buffer_appendf(console, LINE_INFO, "%u room%s on %s%s", lines->len,
                   lines->len == 1 ? "" : "s", service, lines->len ? ":" : ".");
    for (guint i = 0; i < lines->len; i++)
        buffer_append(console, LINE_INFO, NULL, g_ptr_array_index(lines, i));
}

gboolean muc_list_rooms(const char *account, const char *service,
                        GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    if (!service)
        service = muc_service_of(account);
    if (!service) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no conference service is known for %s: name one "
                    "(/rooms SERVICE)",
                    account);
        return FALSE;
    }
    g_autoptr(Jid) jid = jid_parse(service, error);
    if (!jid)
        return FALSE;
    xmpp_stanza_t *iq =
        iq_new(s, "get", jid->full, "query", NS_DISCO_ITEMS, NULL);
    iq_send(s, iq, on_room_list, g_strdup(jid->full), g_free);
    xmpp_stanza_release(iq);
    return TRUE;
}

void muc_service_discover(Session *s)
{
    if (services) /* found again: the server may have changed */
        g_hash_table_remove(services, s->account);
    g_autoptr(Jid) own = s->bound_jid ? jid_parse(s->bound_jid, NULL) : NULL;
    if (!own)
        return;
    xmpp_stanza_t *iq =
        iq_new(s, "get", own->domain, "query", NS_DISCO_ITEMS, NULL);
    iq_send(s, iq, on_server_items, NULL, NULL);
    xmpp_stanza_release(iq);
}
