/* autoaway.c: see autoaway.h. One GLib timer, armed for the exact moment
 * the idle time runs out (last activity + limit), never a periodic check.
 * Key presses only record their time (core/app.c): when the timer fires
 * early because the user was active meanwhile, it is armed again for the
 * new deadline. While away, no timer runs; the next activity restores. */
#include "xmpp/autoaway.h"

#include "core/account.h"
#include "core/app.h"
#include "core/buffer.h"
#include "core/event.h"
#include "core/roster.h"
#include "core/settings.h"
#include "xmpp/presence.h"

typedef struct {
    PresenceShow show;
    char *status;
} Saved;

static guint timer;
static guint subscriptions[4];
static gboolean away;     /* idle time ran out; waiting for the user */
static GHashTable *saved; /* account name -> Saved: what to restore */

static void saved_free(gpointer data)
{
    Saved *s = data;
    g_free(s->status);
    g_free(s);
}

/* The idle limit in microseconds; 0 when auto-away is off. */
static gint64 limit(void)
{
    gint64 seconds = (gint64)settings_get_int("autoaway_minutes") * 60 +
                     settings_get_int("autoaway_seconds");
    return seconds * G_USEC_PER_SEC;
}

static gboolean any_online(void)
{
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; accounts && i < accounts->len; i++) {
        const Account *a = g_ptr_array_index(accounts, i);
        if (a->state == ACCOUNT_ONLINE)
            return TRUE;
    }
    return FALSE;
}

static gboolean on_deadline(gpointer data);

static void arm(void)
{
    g_clear_handle_id(&timer, g_source_remove);
    gint64 idle_limit = limit();
    if (away || idle_limit == 0 || !any_online())
        return;
    gint64 due = app_last_active() + idle_limit;
    gint64 now = g_get_monotonic_time();
    guint ms = due > now ? (guint)((due - now + 999) / 1000) : 0;
    timer = g_timeout_add(ms, on_deadline, NULL);
}

static void go_away(void)
{
    away = TRUE;
    PresenceShow show = PRESENCE_AWAY;
    presence_show_parse(settings_get_string("autoaway_status"), &show);
    const char *message = settings_get_string("autoaway_message");
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; i < accounts->len; i++) {
        const Account *a = g_ptr_array_index(accounts, i);
        PresenceShow now = roster_own_show(a->name);
        /* A presence the user chose (away, dnd...) is left alone. */
        if (a->state != ACCOUNT_ONLINE ||
            (now != PRESENCE_ONLINE && now != PRESENCE_CHAT))
            continue;
        Saved *s = g_new0(Saved, 1);
        s->show = now;
        s->status = g_strdup(roster_own_status(a->name));
        g_autoptr(GError) error = NULL;
        if (!presence_set_status(a->name, show, message, &error)) {
            saved_free(s);
            continue;
        }
        g_hash_table_replace(saved, g_strdup(a->name), s);
        buffer_appendf(buffer_account_console(a->name), LINE_INFO,
                       "Auto-away: %s after %" G_GINT64_FORMAT
                       " seconds without a key press.",
                       presence_show_name(show), limit() / G_USEC_PER_SEC);
    }
}

static gboolean on_deadline(gpointer data)
{
    timer = 0;
    gint64 idle_limit = limit();
    if (idle_limit == 0)
        return G_SOURCE_REMOVE;
    if (g_get_monotonic_time() - app_last_active() < idle_limit)
        arm(); /* the user was active meanwhile: a later deadline */
    else
        go_away();
    return G_SOURCE_REMOVE;
}

static void come_back(void)
{
    away = FALSE;
    PresenceShow auto_show = PRESENCE_AWAY;
    presence_show_parse(settings_get_string("autoaway_status"), &auto_show);
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, saved);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const char *account = key;
        Saved *s = value;
        /* Restore only what auto-away set; a /status since then wins. */
        if (roster_own_show(account) != auto_show)
            continue;
        g_autoptr(GError) error = NULL;
        if (presence_set_status(account, s->show, s->status, &error))
            buffer_appendf(buffer_account_console(account), LINE_INFO,
                           "Auto-away ended: %s again.",
                           presence_show_name(s->show));
    }
    g_hash_table_remove_all(saved);
}

static EventResult on_active(gpointer data)
{
    if (away)
        come_back();
    if (!timer)
        arm();
    return EVENT_CONTINUE;
}

static EventResult on_state(Account *account, gpointer data)
{
    if (!timer)
        arm();
    return EVENT_CONTINUE;
}

static EventResult on_setting(const char *name, gpointer data)
{
    if (name && g_str_has_prefix(name, "autoaway_"))
        arm();
    return EVENT_CONTINUE;
}

/* What was kept to restore a removed account's presence goes with it. */
static EventResult on_removed(Account *account, gpointer data)
{
    g_hash_table_remove(saved, account->name);
    return EVENT_CONTINUE;
}

void autoaway_init(void)
{
    saved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, saved_free);
    subscriptions[0] = event_on_signal(EVENT_USER_ACTIVE,
                                       EVENT_PRIORITY_DEFAULT, on_active, NULL);
    subscriptions[1] = event_on_account(EVENT_ACCOUNT_STATE,
                                        EVENT_PRIORITY_DEFAULT, on_state, NULL);
    subscriptions[2] =
        event_on_setting(EVENT_PRIORITY_DEFAULT, on_setting, NULL);
    subscriptions[3] = event_on_account(
        EVENT_ACCOUNT_REMOVED, EVENT_PRIORITY_DEFAULT, on_removed, NULL);
}

void autoaway_shutdown(void)
{
    g_clear_handle_id(&timer, g_source_remove);
    for (guint i = 0; i < G_N_ELEMENTS(subscriptions); i++) {
        if (subscriptions[i])
            event_unsubscribe(subscriptions[i]);
        subscriptions[i] = 0;
    }
    g_clear_pointer(&saved, g_hash_table_unref);
    away = FALSE;
}
