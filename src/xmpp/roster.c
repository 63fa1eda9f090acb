/* roster.c: see roster.h. The contacts live in core/roster.c; this file
 * fetches them, applies roster pushes (only from our own account, RFC 6121
 * 2.1.6) and sends roster sets.
 *
 * Versioning (XEP-0237): the roster and its version are cached in
 * <data dir>/<account>/roster.cache. A login sends the cached version; a
 * server that has nothing newer answers with an empty result and the cache
 * is used. Without a cached version, natter asks for a first one (ver="",
 * RFC 6121 2.6.2) when the stream features offer versioning, as session.c
 * reads them from libstrophe's log (its user handlers start after binding,
 * too late to see them): Prosody gives a version unasked, ejabberd only to
 * a client that asks. */
#include "xmpp/feature.h"
#include "xmpp/roster.h"

#include "core/buffer.h"
#include "core/paths.h"
#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/authority.h"
#include "xmpp/iq.h"
#include "xmpp/request.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

static char *cache_path(const char *account, GError **error)
{
    g_autofree char *dir = paths_account_dir(account, error);
    return dir ? g_build_filename(dir, "roster.cache", NULL) : NULL;
}

static void save_cache(Session *s)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *path = cache_path(s->account, &error);
    if (!path || !roster_save(s->account, path, &error))
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Roster cache not saved: %s", error->message);
}

/* Parses one <item/> into the model. FALSE (with a console line) for an
 * item without a valid JID. */
static gboolean apply_item(Session *s, xmpp_stanza_t *item)
{
    const char *raw = xmpp_stanza_get_attribute(item, "jid");
    g_autofree char *jid = raw ? jid_bare(raw) : NULL;
    if (!jid) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Ignored a roster item with an invalid address: %s",
                       raw ? raw : "(none)");
        return FALSE;
    }
    const char *sub = xmpp_stanza_get_attribute(item, "subscription");
    if (g_strcmp0(sub, "remove") == 0) {
        roster_remove_contact(s->account, jid);
        return TRUE;
    }
    Subscription subscription = SUBSCRIPTION_NONE;
    subscription_parse(sub, &subscription);
    gboolean ask =
        g_strcmp0(xmpp_stanza_get_attribute(item, "ask"), "subscribe") == 0;
    g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(g_free);
    for (xmpp_stanza_t *g = xmpp_stanza_get_children(item); g;
         g = xmpp_stanza_get_next(g)) {
        if (g_strcmp0(xmpp_stanza_get_name(g), "group") != 0)
            continue;
        char *text = stanza_text(g);
        if (*text)
            g_ptr_array_add(groups, text);
        else
            g_free(text);
    }
    g_ptr_array_add(groups, NULL);
    roster_set_contact(s->account, jid, xmpp_stanza_get_attribute(item, "name"),
                       (const char *const *)groups->pdata, subscription, ask);
    return TRUE;
}

static void take_roster(Session *s, xmpp_stanza_t *result)
{
    Buffer *console = buffer_account_console(s->account);
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        buffer_appendf(console, LINE_ERROR, "Roster not received: %s", why);
        return;
    }
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_ROSTER);
    if (!query && !roster_version(s->account)) {
        /* We sent no version, so the server owed us the full roster. */
        buffer_append(console, LINE_ERROR, NULL,
                      "Roster not received: the server's answer has no "
                      "roster in it.");
        return;
    }
    if (!query) {
        /* XEP-0237: an empty result means our cached version is current. */
        g_autoptr(GPtrArray) contacts = roster_contacts(s->account);
        buffer_appendf(console, LINE_INFO,
                       "Roster unchanged since version %s: %u contacts from "
                       "the cache.",
                       roster_version(s->account), contacts->len);
        roster_set_received(s->account, TRUE);
        roster_replace_end(s->account);
        return;
    }
    roster_replace_begin(s->account);
    for (xmpp_stanza_t *item = xmpp_stanza_get_children(query); item;
         item = xmpp_stanza_get_next(item)) {
        if (g_strcmp0(xmpp_stanza_get_name(item), "item") == 0)
            apply_item(s, item);
    }
    roster_set_version(s->account, xmpp_stanza_get_attribute(query, "ver"));
    roster_set_received(s->account, TRUE);
    roster_replace_end(s->account);
    g_autoptr(GPtrArray) contacts = roster_contacts(s->account);
    buffer_appendf(console, LINE_INFO, "Roster received: %u contact%s%s%s.",
                   contacts->len, contacts->len == 1 ? "" : "s",
                   roster_version(s->account) ? ", version " : "",
                   roster_version(s->account) ? roster_version(s->account)
                                              : "");
    if (roster_version(s->account))
        save_cache(s);
}

static void on_roster_result(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result)
        return; /* the connection ended */
    take_roster(s, result);
    /* Our initial presence left after the request: the login is done,
     * with or without a roster. */
    session_login_complete(s);
}

void roster_session_started(Session *s)
{
    roster_set_received(s->account, FALSE);
    /* The cache holds the contacts the version stands for: load it first
     * (a bad or missing cache means asking for everything). */
    g_autoptr(GError) error = NULL;
    g_autofree char *path = cache_path(s->account, &error);
    if (path && g_file_test(path, G_FILE_TEST_EXISTS) &&
        !roster_load(s->account, path, &error)) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Roster cache %s ignored: %s", path, error->message);
        roster_set_version(s->account, NULL);
    }
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", NULL, "query", NS_ROSTER, &query);
    if (roster_version(s->account))
        xmpp_stanza_set_attribute(query, "ver", roster_version(s->account));
    else if (s->rosterver)
        xmpp_stanza_set_attribute(query, "ver", "");
    iq_send(s, iq, on_roster_result, NULL, NULL);
    xmpp_stanza_release(iq);
}

static void on_push(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *query)
{
    if (!authority_is_own_account(s, xmpp_stanza_get_from(iq))) {
        authority_refuse(s, iq, "roster push");
        return;
    }
    /* RFC 6121 2.1.6: a push carries exactly one item. */
    xmpp_stanza_t *item = xmpp_stanza_get_child_by_name(query, "item");
    const char *jid = item ? xmpp_stanza_get_attribute(item, "jid") : NULL;
    RosterContact *before = jid ? roster_find_contact(s->account, jid) : NULL;
    Subscription old = before ? before->subscription : SUBSCRIPTION_NONE;
    gboolean known = before != NULL;
    if (!item || xmpp_stanza_get_next(item) || !apply_item(s, item)) {
        iq_reply_error(s, iq, "modify", "bad-request");
        return;
    }
    /* The server settles subscriptions: say when one changed. */
    RosterContact *after = roster_find_contact(s->account, jid);
    if (after && (!known || after->subscription != old))
        buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                       "Roster: subscription with %s is now %s.", after->jid,
                       subscription_name(after->subscription));
    const char *ver = xmpp_stanza_get_attribute(query, "ver");
    if (ver) {
        roster_set_version(s->account, ver);
        save_cache(s);
    }
    iq_reply_result(s, iq);
}

void roster_register(Session *s)
{
    iq_handle(s, "set", NS_ROSTER, on_push);
}

typedef struct {
    char *account;
    char *jid;
    char *what;
    Sink *out; /* where the command was typed */
} SetRequest;

static void set_request_free(gpointer data)
{
    SetRequest *r = data;
    g_free(r->account);
    g_free(r->jid);
    g_free(r->what);
    sink_unref(r->out);
    g_free(r);
}

static void on_set_result(Session *s, xmpp_stanza_t *result, gpointer data)
{
    SetRequest *r = data;
    if (!result) {
        sink_printf(r->out, LINE_ERROR,
                    "No answer about %s of %s: the connection ended.", r->what,
                    r->jid);
    } else if (iq_is_result(result)) {
        sink_printf(r->out, LINE_INFO, "Roster: %s %s.", r->what, r->jid);
    } else {
        g_autofree char *why = stanza_error_describe(result);
        sink_printf(r->out, LINE_ERROR, "Roster: %s %s failed: %s", r->what,
                    r->jid, why);
    }
}

static void send_set(Session *s, const char *jid, const char *name,
                     const char *const *groups, const char *subscription,
                     const char *what, Sink *out)
{
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, "query", NS_ROSTER, &query);
    xmpp_stanza_t *item = stanza_add_child_ns(query, "item", NULL);
    xmpp_stanza_set_attribute(item, "jid", jid);
    if (name && *name)
        xmpp_stanza_set_attribute(item, "name", name);
    if (subscription)
        xmpp_stanza_set_attribute(item, "subscription", subscription);
    for (const char *const *g = groups; g && *g; g++) {
        xmpp_stanza_t *group = stanza_add_child_ns(item, "group", NULL);
        xmpp_stanza_t *text = xmpp_stanza_new(s->ctx);
        xmpp_stanza_set_text(text, *g);
        xmpp_stanza_add_child_ex(group, text, 0);
    }
    SetRequest *r = g_new0(SetRequest, 1);
    r->account = g_strdup(s->account);
    r->jid = g_strdup(jid);
    r->what = g_strdup(what);
    r->out = request_sink(out, s->account);
    iq_send(s, iq, on_set_result, r, set_request_free);
    xmpp_stanza_release(iq);
}

gboolean roster_send_set(const char *account, const char *jid, const char *name,
                         const char *const *groups, Sink *out, GError **error)
{
    g_autoptr(Jid) parsed = jid_parse(jid, error);
    if (!parsed)
        return FALSE;
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    const RosterContact *c = roster_find_contact(account, parsed->bare);
    /* A roster set replaces the whole item: keep what is not changed. */
    if (!name && c)
        name = c->name;
    g_autoptr(GStrvBuilder) kept = g_strv_builder_new();
    for (guint i = 0; c && i < c->groups->len; i++)
        g_strv_builder_add(kept, g_ptr_array_index(c->groups, i));
    g_auto(GStrv) current = g_strv_builder_end(kept);
    if (!groups)
        groups = (const char *const *)current;
    send_set(s, parsed->bare, name, groups, NULL, c ? "updated" : "added", out);
    return TRUE;
}

gboolean roster_send_remove(const char *account, const char *jid, Sink *out,
                            GError **error)
{
    g_autoptr(Jid) parsed = jid_parse(jid, error);
    if (!parsed)
        return FALSE;
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    if (!roster_find_contact(account, parsed->bare)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "%s is not in the roster of %s", parsed->bare, account);
        return FALSE;
    }
    send_set(s, parsed->bare, NULL, NULL, "remove", "removed", out);
    return TRUE;
}

/* A resumed stream kept the roster on the server as it was. */
static void roster_started(Session *s, gboolean resumed)
{
    if (!resumed)
        roster_session_started(s);
}

const Feature feature_roster = {
    .name = "roster",
    .attach = roster_register,
    .started = roster_started,
};
