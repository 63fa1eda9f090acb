/* xmppuri.c: see xmppuri.h. */
#include "util/xmppuri.h"

#include <string.h>

#include "util/error.h"
#include "util/jid.h"

gboolean xmpp_uri_is(const char *text)
{
    return text && g_ascii_strncasecmp(text, "xmpp:", 5) == 0;
}

void xmpp_uri_free(XmppUri *uri)
{
    if (!uri)
        return;
    g_free(uri->jid);
    g_free(uri->action);
    g_clear_pointer(&uri->params, g_hash_table_unref);
    g_free(uri);
}

const char *xmpp_uri_param(const XmppUri *uri, const char *key)
{
    return g_hash_table_lookup(uri->params, key);
}

static gboolean bad(GError **error, const char *text, const char *why)
{
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "'%s' is not a usable xmpp: address: %s", text, why);
    return FALSE;
}

XmppUri *xmpp_uri_parse(const char *text, GError **error)
{
    if (!xmpp_uri_is(text)) {
        bad(error, text ? text : "", "it does not start with xmpp:");
        return NULL;
    }
    const char *p = text + 5;
    /* xmpp://authority/path: the authority names an account of ours. */
    if (g_str_has_prefix(p, "//")) {
        const char *slash = strchr(p + 2, '/');
        if (!slash) {
            bad(error, text, "no address after the account");
            return NULL;
        }
        p = slash + 1;
    }
    g_autofree char *rest = g_strdup(p);
    char *fragment = strchr(rest, '#');
    if (fragment)
        *fragment = '\0';
    char *query = strchr(rest, '?');
    if (query)
        *query++ = '\0';
    g_autofree char *jid = g_uri_unescape_string(rest, NULL);
    g_autoptr(Jid) parsed = jid ? jid_parse(jid, NULL) : NULL;
    if (!parsed) {
        bad(error, text, jid ? "the address is not a JID" : "a bad escape");
        return NULL;
    }
    g_autoptr(XmppUri) uri = g_new0(XmppUri, 1);
    uri->jid = g_strdup(parsed->full);
    uri->params =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (!query || !*query)
        return g_steal_pointer(&uri);
    g_auto(GStrv) parts = g_strsplit(query, ";", -1);
    uri->action = g_uri_unescape_string(parts[0], NULL);
    if (!uri->action || !*uri->action) {
        bad(error, text, "a query without an action");
        return NULL;
    }
    for (guint i = 1; parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        if (!eq || eq == parts[i]) {
            bad(error, text, "a parameter without a value");
            return NULL;
        }
        *eq = '\0';
        char *key = g_uri_unescape_string(parts[i], NULL);
        char *value = g_uri_unescape_string(eq + 1, NULL);
        if (!key || !value) {
            g_free(key);
            g_free(value);
            bad(error, text, "a bad escape");
            return NULL;
        }
        g_hash_table_replace(uri->params, key, value);
    }
    return g_steal_pointer(&uri);
}
