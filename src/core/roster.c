/* roster.c: see roster.h. One Roster per account name, created on first
 * use. Presences are kept apart from contacts, so a presence from someone
 * not (or not yet) in the roster is tracked too, and a full roster
 * replacing the contacts does not forget who is online. */
#include "core/roster.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "core/account.h"
#include "core/event.h"
#include "util/error.h"
#include "util/jid.h"
#include "util/sanitize.h"

struct Roster {
    char *account;
    GHashTable *contacts;  /* bare JID -> RosterContact * */
    GHashTable *presences; /* bare JID -> GHashTable (resource -> res) */
    GPtrArray *requests;   /* char * bare JIDs, arrival order */
    GHashTable *blocked;   /* JID -> JID (a set) */
    GHashTable *nicks;     /* bare JID -> the nickname it gives itself */
    char *version;
    gboolean received;
    gboolean blocklist_known;
    gboolean replacing; /* between replace_begin and replace_end */
    PresenceShow own_show;
    char *own_status;
};

static GHashTable *rosters; /* account name -> Roster * */
static guint removed_subscription;

static const char *const show_names[] = {
    [PRESENCE_OFFLINE] = "offline", [PRESENCE_ONLINE] = "online",
    [PRESENCE_CHAT] = "chat",       [PRESENCE_AWAY] = "away",
    [PRESENCE_XA] = "xa",           [PRESENCE_DND] = "dnd",
};

static const char *const subscription_names[] = {
    [SUBSCRIPTION_NONE] = "none",
    [SUBSCRIPTION_TO] = "to",
    [SUBSCRIPTION_FROM] = "from",
    [SUBSCRIPTION_BOTH] = "both",
};

static void contact_free(gpointer data)
{
    RosterContact *c = data;
    g_free(c->jid);
    g_free(c->name);
    g_ptr_array_unref(c->groups);
    g_free(c);
}

static void resource_free(gpointer data)
{
    RosterResource *r = data;
    g_free(r->resource);
    g_free(r->status);
    g_free(r);
}

static void roster_free(gpointer data)
{
    Roster *r = data;
    g_free(r->account);
    g_hash_table_unref(r->contacts);
    g_hash_table_unref(r->presences);
    g_ptr_array_unref(r->requests);
    g_hash_table_unref(r->blocked);
    g_hash_table_unref(r->nicks);
    g_free(r->version);
    g_free(r->own_status);
    g_free(r);
}

/* A removed account's roster goes with it. */
static EventResult on_account_removed(Account *account, gpointer data)
{
    g_hash_table_remove(rosters, account->name);
    return EVENT_CONTINUE;
}

void rosters_init(void)
{
    if (rosters)
        return;
    rosters = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, roster_free);
    removed_subscription = event_on_account(
        EVENT_ACCOUNT_REMOVED, EVENT_PRIORITY_MODEL, on_account_removed, NULL);
}

void rosters_shutdown(void)
{
    g_clear_handle_id(&removed_subscription, event_unsubscribe);
    g_clear_pointer(&rosters, g_hash_table_unref);
}

Roster *roster_get(const char *account)
{
    rosters_init();
    Roster *r = g_hash_table_lookup(rosters, account);
    if (r)
        return r;
    r = g_new0(Roster, 1);
    r->account = g_strdup(account);
    r->contacts =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, contact_free);
    r->presences = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_hash_table_unref);
    r->requests = g_ptr_array_new_with_free_func(g_free);
    r->blocked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->nicks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    r->own_show = PRESENCE_ONLINE;
    g_hash_table_insert(rosters, r->account, r);
    return r;
}

/* Accounts may not be loaded (unit tests): the event then has none. */
static void emit(EventType type, const Roster *r, const char *jid)
{
    event_emit_contact(type, account_find(r->account), jid);
}

/* The keys or values of TABLE in a new array (GLib 2.74 has no
 * g_hash_table_get_values_as_ptr_array). */
static GPtrArray *table_array(GHashTable *table, gboolean keys)
{
    GPtrArray *list = g_ptr_array_sized_new(g_hash_table_size(table));
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, table);
    while (g_hash_table_iter_next(&iter, &key, &value))
        g_ptr_array_add(list, keys ? key : value);
    return list;
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

RosterContact *roster_set_contact(const char *account, const char *jid,
                                  const char *name, const char *const *groups,
                                  Subscription subscription, gboolean ask)
{
    Roster *r = roster_get(account);
    RosterContact *c = g_new0(RosterContact, 1);
    c->jid = g_strdup(jid);
    c->name = name && *name ? g_strdup(name) : NULL;
    c->groups = g_ptr_array_new_with_free_func(g_free);
    for (const char *const *g = groups; g && *g; g++) {
        gboolean seen = FALSE;
        for (guint i = 0; i < c->groups->len; i++)
            seen = seen || strcmp(g_ptr_array_index(c->groups, i), *g) == 0;
        if (!seen && **g)
            g_ptr_array_add(c->groups, g_strdup(*g));
    }
    g_ptr_array_sort(c->groups, compare_strings);
    c->subscription = subscription;
    c->ask = ask;
    g_hash_table_replace(r->contacts, c->jid, c);
    if (!r->replacing)
        emit(EVENT_ROSTER_CHANGED, r, jid);
    return c;
}

gboolean roster_remove_contact(const char *account, const char *jid)
{
    Roster *r = roster_get(account);
    if (!g_hash_table_remove(r->contacts, jid))
        return FALSE;
    if (!r->replacing)
        emit(EVENT_ROSTER_CHANGED, r, jid);
    return TRUE;
}

RosterContact *roster_find_contact(const char *account, const char *jid)
{
    return jid ? g_hash_table_lookup(roster_get(account)->contacts, jid) : NULL;
}

static int compare_contacts(gconstpointer a, gconstpointer b)
{
    const RosterContact *ca = *(const RosterContact *const *)a;
    const RosterContact *cb = *(const RosterContact *const *)b;
    return strcmp(ca->jid, cb->jid);
}

GPtrArray *roster_contacts(const char *account)
{
    Roster *r = roster_get(account);
    GPtrArray *list = table_array(r->contacts, FALSE);
    g_ptr_array_sort(list, compare_contacts);
    return list;
}

GPtrArray *roster_find_by_name(const char *account, const char *name)
{
    g_autoptr(GPtrArray) all = roster_contacts(account);
    GPtrArray *named = g_ptr_array_new();
    GPtrArray *local = g_ptr_array_new();
    g_autofree char *want = g_utf8_casefold(name, -1);
    for (guint i = 0; i < all->len; i++) {
        RosterContact *c = g_ptr_array_index(all, i);
        g_autofree char *cname = c->name ? g_utf8_casefold(c->name, -1) : NULL;
        if (cname && strcmp(cname, want) == 0)
            g_ptr_array_add(named, c);
        const char *at = strchr(c->jid, '@');
        if (at && (gsize)(at - c->jid) == strlen(name) &&
            g_ascii_strncasecmp(c->jid, name, at - c->jid) == 0)
            g_ptr_array_add(local, c);
    }
    if (named->len) {
        g_ptr_array_unref(local);
        return named;
    }
    g_ptr_array_unref(named);
    return local;
}

char *roster_display_name(const char *account, const char *jid)
{
    const RosterContact *c = roster_find_contact(account, jid);
    if (!c)
        return NULL;
    if (c->name && *c->name)
        return text_sanitize(c->name, -1, SANITIZE_LINE);
    const char *nick = roster_nick(account, c->jid);
    return nick ? text_sanitize(nick, -1, SANITIZE_LINE) : NULL;
}

void roster_set_nick(const char *account, const char *jid, const char *nick)
{
    Roster *r = roster_get(account);
    if (g_strcmp0(g_hash_table_lookup(r->nicks, jid), nick) == 0)
        return;
    if (nick && *nick)
        g_hash_table_insert(r->nicks, g_strdup(jid), g_strdup(nick));
    else if (!g_hash_table_remove(r->nicks, jid))
        return;
    emit(EVENT_ROSTER_CHANGED, r, jid);
}

const char *roster_nick(const char *account, const char *jid)
{
    return g_hash_table_lookup(roster_get(account)->nicks, jid);
}

void roster_replace_begin(const char *account)
{
    Roster *r = roster_get(account);
    g_hash_table_remove_all(r->contacts);
    r->replacing = TRUE;
}

void roster_replace_end(const char *account)
{
    Roster *r = roster_get(account);
    r->replacing = FALSE;
    emit(EVENT_ROSTER_CHANGED, r, NULL);
}

const char *roster_version(const char *account)
{
    return roster_get(account)->version;
}

void roster_set_version(const char *account, const char *version)
{
    Roster *r = roster_get(account);
    g_free(r->version);
    r->version = g_strdup(version);
}

gboolean roster_received(const char *account)
{
    return roster_get(account)->received;
}

void roster_set_received(const char *account, gboolean received)
{
    roster_get(account)->received = received;
}

/* --- presence ------------------------------------------------------------ */

void roster_set_presence(const char *account, const char *bare,
                         const char *resource, PresenceShow show,
                         const char *status, int priority)
{
    Roster *r = roster_get(account);
    if (!resource)
        resource = "";
    GHashTable *resources = g_hash_table_lookup(r->presences, bare);
    if (show == PRESENCE_OFFLINE) {
        /* An unavailable from the bare JID means every resource is gone. */
        if (!*resource)
            g_hash_table_remove(r->presences, bare);
        else if (resources) {
            g_hash_table_remove(resources, resource);
            if (g_hash_table_size(resources) == 0)
                g_hash_table_remove(r->presences, bare);
        }
    } else {
        if (!resources) {
            resources = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                              resource_free);
            g_hash_table_insert(r->presences, g_strdup(bare), resources);
        }
        RosterResource *res = g_new0(RosterResource, 1);
        res->resource = g_strdup(resource);
        res->show = show;
        res->status = status && *status ? g_strdup(status) : NULL;
        res->priority = priority;
        g_hash_table_replace(resources, res->resource, res);
    }
    emit(EVENT_PRESENCE_CHANGED, r, bare);
}

/* How available a show is, for ties in priority: chat first, dnd last. */
static int availability(PresenceShow show)
{
    static const int rank[] = {
        [PRESENCE_OFFLINE] = 0, [PRESENCE_DND] = 1,    [PRESENCE_XA] = 2,
        [PRESENCE_AWAY] = 3,    [PRESENCE_ONLINE] = 4, [PRESENCE_CHAT] = 5,
    };
    return rank[show];
}

static int compare_resources(gconstpointer a, gconstpointer b)
{
    const RosterResource *ra = *(const RosterResource *const *)a;
    const RosterResource *rb = *(const RosterResource *const *)b;
    if (ra->priority != rb->priority)
        return ra->priority > rb->priority ? -1 : 1;
    if (ra->show != rb->show)
        return availability(rb->show) - availability(ra->show);
    return strcmp(ra->resource, rb->resource);
}

GPtrArray *roster_resources(const char *account, const char *bare)
{
    GHashTable *resources =
        g_hash_table_lookup(roster_get(account)->presences, bare);
    GPtrArray *list =
        resources ? table_array(resources, FALSE) : g_ptr_array_new();
    g_ptr_array_sort(list, compare_resources);
    return list;
}

const RosterResource *roster_best_resource(const char *account,
                                           const char *bare)
{
    g_autoptr(GPtrArray) list = roster_resources(account, bare);
    return list->len ? g_ptr_array_index(list, 0) : NULL;
}

void roster_clear_presences(const char *account)
{
    Roster *r = roster_get(account);
    GList *jids = g_hash_table_get_keys(r->presences);
    GPtrArray *gone = g_ptr_array_new_with_free_func(g_free);
    for (GList *l = jids; l; l = l->next)
        g_ptr_array_add(gone, g_strdup(l->data));
    g_list_free(jids);
    g_hash_table_remove_all(r->presences);
    for (guint i = 0; i < gone->len; i++)
        emit(EVENT_PRESENCE_CHANGED, r, g_ptr_array_index(gone, i));
    g_ptr_array_unref(gone);
}

const char *presence_show_name(PresenceShow show)
{
    return show < G_N_ELEMENTS(show_names) ? show_names[show] : "offline";
}

gboolean presence_show_parse(const char *name, PresenceShow *show)
{
    for (guint i = 0; name && i < G_N_ELEMENTS(show_names); i++) {
        if (strcmp(show_names[i], name) == 0) {
            *show = (PresenceShow)i;
            return TRUE;
        }
    }
    return FALSE;
}

const char *subscription_name(Subscription subscription)
{
    return subscription < G_N_ELEMENTS(subscription_names)
               ? subscription_names[subscription]
               : "none";
}

gboolean subscription_parse(const char *name, Subscription *subscription)
{
    for (guint i = 0; name && i < G_N_ELEMENTS(subscription_names); i++) {
        if (strcmp(subscription_names[i], name) == 0) {
            *subscription = (Subscription)i;
            return TRUE;
        }
    }
    return FALSE;
}

PresenceShow roster_own_show(const char *account)
{
    return roster_get(account)->own_show;
}

const char *roster_own_status(const char *account)
{
    return roster_get(account)->own_status;
}

void roster_set_own(const char *account, PresenceShow show, const char *status)
{
    Roster *r = roster_get(account);
    r->own_show = show;
    g_free(r->own_status);
    r->own_status = status && *status ? g_strdup(status) : NULL;
    emit(EVENT_PRESENCE_CHANGED, r, NULL);
}

/* --- subscription requests ----------------------------------------------- */

static gint request_index(Roster *r, const char *jid)
{
    for (guint i = 0; i < r->requests->len; i++) {
        if (strcmp(g_ptr_array_index(r->requests, i), jid) == 0)
            return (gint)i;
    }
    return -1;
}

gboolean roster_request_add(const char *account, const char *jid)
{
    Roster *r = roster_get(account);
    if (request_index(r, jid) >= 0)
        return FALSE;
    g_ptr_array_add(r->requests, g_strdup(jid));
    return TRUE;
}

gboolean roster_request_remove(const char *account, const char *jid)
{
    Roster *r = roster_get(account);
    gint i = request_index(r, jid);
    if (i < 0)
        return FALSE;
    g_ptr_array_remove_index(r->requests, (guint)i);
    return TRUE;
}

const GPtrArray *roster_requests(const char *account)
{
    return roster_get(account)->requests;
}

/* --- block list ------------------------------------------------------------
 */

void roster_set_blocked(const char *account, const char *jid, gboolean blocked)
{
    Roster *r = roster_get(account);
    if (blocked)
        g_hash_table_add(r->blocked, g_strdup(jid));
    else
        g_hash_table_remove(r->blocked, jid);
}

void roster_clear_blocked(const char *account)
{
    g_hash_table_remove_all(roster_get(account)->blocked);
}

gboolean roster_is_blocked(const char *account, const char *jid)
{
    return g_hash_table_contains(roster_get(account)->blocked, jid);
}

GPtrArray *roster_blocked(const char *account)
{
    GPtrArray *list = table_array(roster_get(account)->blocked, TRUE);
    g_ptr_array_sort(list, compare_strings);
    return list;
}

gboolean roster_blocklist_known(const char *account)
{
    return roster_get(account)->blocklist_known;
}

void roster_set_blocklist_known(const char *account, gboolean known)
{
    roster_get(account)->blocklist_known = known;
}

/* --- cache ---------------------------------------------------------------- */

/* The cache is a key file: [roster] version=..., then one group per
 * contact named by its JID, with name, groups, subscription and ask. */
gboolean roster_save(const char *account, const char *path, GError **error)
{
    Roster *r = roster_get(account);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_key_file_set_string(kf, "roster", "version",
                          r->version ? r->version : "");
    g_autoptr(GPtrArray) list = roster_contacts(account);
    for (guint i = 0; i < list->len; i++) {
        const RosterContact *c = g_ptr_array_index(list, i);
        g_autofree char *group = g_strconcat("contact ", c->jid, NULL);
        if (c->name)
            g_key_file_set_string(kf, group, "name", c->name);
        g_key_file_set_string_list(kf, group, "groups",
                                   (const char *const *)c->groups->pdata,
                                   c->groups->len);
        g_key_file_set_string(kf, group, "subscription",
                              subscription_name(c->subscription));
        g_key_file_set_boolean(kf, group, "ask", c->ask);
    }
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
    g_autofree char *tmp = g_strconcat(path, ".tmp", NULL);
    int fd = g_open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot write %s: %s",
                    tmp, g_strerror(e));
        return FALSE;
    }
    if (close(fd) != 0 || g_rename(tmp, path) != 0) {
        int e = errno;
        g_unlink(tmp);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot write %s: %s",
                    path, g_strerror(e));
        return FALSE;
    }
    return TRUE;
}

gboolean roster_load(const char *account, const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
        return FALSE;
    g_autofree char *version =
        g_key_file_get_string(kf, "roster", "version", error);
    if (!version)
        return FALSE;
    Roster *r = roster_get(account);
    gboolean was_replacing = r->replacing;
    r->replacing = TRUE; /* no event per contact */
    g_hash_table_remove_all(r->contacts);
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
    for (char **g = groups; *g; g++) {
        /* The file is ours, but may have been edited: JIDs are checked. */
        g_autofree char *jid =
            g_str_has_prefix(*g, "contact ") ? jid_bare(*g + 8) : NULL;
        if (!jid)
            continue;
        g_autofree char *name = g_key_file_get_string(kf, *g, "name", NULL);
        g_auto(GStrv) in_groups =
            g_key_file_get_string_list(kf, *g, "groups", NULL, NULL);
        g_autofree char *sub =
            g_key_file_get_string(kf, *g, "subscription", NULL);
        Subscription subscription = SUBSCRIPTION_NONE;
        subscription_parse(sub, &subscription);
        gboolean ask = g_key_file_get_boolean(kf, *g, "ask", NULL);
        roster_set_contact(account, jid, name, (const char *const *)in_groups,
                           subscription, ask);
    }
    r->replacing = was_replacing;
    roster_set_version(account, *version ? version : NULL);
    return TRUE;
}
