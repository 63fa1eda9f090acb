/* markers.c: read markers we send (XEP-0333 "displayed"). A message that
 * asks to be marked is marked once it has really been seen: its
 * conversation's window is the current one while the user is at the
 * keyboard (a key or a line within ACTIVE_US). Until then the newest such
 * message of each conversation waits; showing the window, or the user
 * coming back to it, sends one marker for it (which covers every earlier
 * message, §4). Chats and private chats in rooms only: in a room a marker
 * would tell everyone what we read. Off with send_read_markers. */
#include "core/app.h"
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/settings.h"
#include "xmpp/authority.h"
#include "xmpp/feature.h"
#include "xmpp/message_build.h"
#include "xmpp/ns.h"

/* How recent the user's last key or line must be for a shown window to
 * count as read. */
#define ACTIVE_US (120 * G_USEC_PER_SEC)

/* The newest message of one conversation waiting for its marker. */
typedef struct {
    char *account;
    MessageKind kind;
    char *peer;
    char *id;
} Unread;

static GHashTable *unread; /* "account\nkind\npeer" -> Unread * */
static guint subscriptions[3];

static void unread_free(gpointer data)
{
    Unread *u = data;
    g_free(u->account);
    g_free(u->peer);
    g_free(u->id);
    g_free(u);
}

static char *key_of(const char *account, MessageKind kind, const char *peer)
{
    return g_strdup_printf("%s\n%d\n%s", account, kind, peer);
}

static gboolean user_active(void)
{
    return g_get_monotonic_time() - app_last_active() < ACTIVE_US;
}

/* Sends the marker U waits for, if the account is online; TRUE when it
 * went (or never will: markers are off). */
static gboolean send_marker(const Unread *u)
{
    if (!settings_get_bool("send_read_markers"))
        return TRUE;
    Session *s = session_online(u->account, NULL);
    if (!s)
        return FALSE;
    if (!authority_may_see_presence(s, u->peer))
        return TRUE; /* a stranger learns nothing */
    g_autofree char *our_id = session_new_id(s);
    xmpp_stanza_t *marker = message_build_marker(s->ctx, u->peer, "chat",
                                                 "displayed", u->id, our_id);
    session_send(s, marker);
    xmpp_stanza_release(marker);
    return TRUE;
}

/* The conversation of BUFFER has been seen: its waiting marker goes. */
static void seen(const Buffer *b)
{
    if (!unread || !b->account || !b->peer ||
        (b->kind != BUFFER_CHAT && b->kind != BUFFER_PRIVATE))
        return;
    g_autofree char *key =
        key_of(b->account, conversation_message_kind(b->kind), b->peer);
    Unread *u = g_hash_table_lookup(unread, key);
    if (u && send_marker(u))
        g_hash_table_remove(unread, key);
}

static EventResult on_message(const Message *m, gpointer data)
{
    if (!m->markable || !m->message_id || m->direction != MESSAGE_IN ||
        (m->kind != MESSAGE_CHAT && m->kind != MESSAGE_PRIVATE))
        return EVENT_CONTINUE;
    Unread *u = g_new0(Unread, 1);
    u->account = g_strdup(m->account);
    u->kind = m->kind;
    u->peer = g_strdup(m->peer);
    u->id = g_strdup(m->message_id);
    g_hash_table_replace(unread, key_of(u->account, u->kind, u->peer), u);
    Buffer *current = buffer_current();
    if (user_active() && current &&
        current ==
            buffer_find(conversation_buffer_kind(m->kind), m->account, m->peer))
        seen(current);
    return EVENT_CONTINUE;
}

static EventResult on_switched(Buffer *buffer, gpointer data)
{
    if (user_active())
        seen(buffer);
    return EVENT_CONTINUE;
}

static EventResult on_active(gpointer data)
{
    Buffer *current = buffer_current();
    if (current)
        seen(current);
    return EVENT_CONTINUE;
}

static void markers_init(void)
{
    unread =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, unread_free);
    /* After the view: the message's window exists by then. */
    subscriptions[0] = event_on_message(
        EVENT_MESSAGE_RECEIVED, EVENT_PRIORITY_DEFAULT, on_message, NULL);
    subscriptions[1] = event_on_buffer(
        EVENT_BUFFER_SWITCHED, EVENT_PRIORITY_DEFAULT, on_switched, NULL);
    subscriptions[2] = event_on_signal(EVENT_USER_ACTIVE,
                                       EVENT_PRIORITY_DEFAULT, on_active, NULL);
}

static void markers_shutdown(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(subscriptions); i++)
        g_clear_handle_id(&subscriptions[i], event_unsubscribe);
    g_clear_pointer(&unread, g_hash_table_unref);
}

/* Markers waiting while the account was offline go once it is back and
 * the window is still the one looked at. */
static void markers_started(Session *s, gboolean resumed)
{
    Buffer *current = buffer_current();
    if (current && g_strcmp0(current->account, s->account) == 0 &&
        user_active())
        seen(current);
}

static void markers_account_removed(const char *account)
{
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, unread);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        if (g_strcmp0(((Unread *)value)->account, account) == 0)
            g_hash_table_iter_remove(&iter);
}

const Feature feature_markers = {
    .name = "markers",
    .init = markers_init,
    .shutdown = markers_shutdown,
    .started = markers_started,
    .account_removed = markers_account_removed,
};
