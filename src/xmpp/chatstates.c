/* chatstates.c: see chatstates.h. What we tell each peer is remembered per
 * account and peer: "composing" is sent once when typing starts, and one
 * timer per conversation sends "paused" when the typing stops for
 * PAUSE_SECONDS (XEP-0085 §5.2). Nothing runs while nobody types. */
#include "xmpp/chatstates.h"

#include "core/buffer.h"
#include "core/conversation.h"
#include "core/event.h"
#include "core/settings.h"
#include "xmpp/authority.h"
#include "xmpp/feature.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

#define PAUSE_SECONDS 5

typedef struct {
    char *account;
    char *peer;
    ChatState sent; /* what we last told the peer */
    guint pause_timer;
} Ours;

static GHashTable *ours; /* "account\npeer" -> Ours */
static guint typing_subscription;

static const char *const state_names[] = {
    [CHAT_STATE_ACTIVE] = "active", [CHAT_STATE_COMPOSING] = "composing",
    [CHAT_STATE_PAUSED] = "paused", [CHAT_STATE_INACTIVE] = "inactive",
    [CHAT_STATE_GONE] = "gone",
};

static void ours_free(gpointer data)
{
    Ours *o = data;
    g_clear_handle_id(&o->pause_timer, g_source_remove);
    g_free(o->account);
    g_free(o->peer);
    g_free(o);
}

static Ours *ours_for(const char *account, const char *peer)
{
    g_autofree char *key = g_strconcat(account, "\n", peer, NULL);
    Ours *o = g_hash_table_lookup(ours, key);
    if (!o) {
        o = g_new0(Ours, 1);
        o->account = g_strdup(account);
        o->peer = g_strdup(peer);
        g_hash_table_insert(ours, g_steal_pointer(&key), o);
    }
    return o;
}

static void send_state(Ours *o, ChatState state)
{
    Session *s = session_online(o->account, NULL);
    o->sent = state;
    if (!s || !authority_may_see_presence(s, o->peer))
        return;
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, "chat", o->peer, id);
    stanza_add_child_ns(msg, state_names[state], NS_CHATSTATES);
    /* A state is not worth storing: no copies in archives (XEP-0334). */
    stanza_add_child_ns(msg, "no-store", "urn:xmpp:hints");
    session_send(s, msg);
    xmpp_stanza_release(msg);
}

static gboolean on_pause(gpointer data)
{
    Ours *o = data;
    o->pause_timer = 0;
    send_state(o, CHAT_STATE_PAUSED);
    return G_SOURCE_REMOVE;
}

static EventResult on_typing(Buffer *b, gpointer data)
{
    if (b->kind != BUFFER_CHAT || !settings_get_bool("send_chat_states") ||
        !session_online(b->account, NULL))
        return EVENT_CONTINUE;
    Ours *o = ours_for(b->account, b->peer);
    if (o->sent != CHAT_STATE_COMPOSING)
        send_state(o, CHAT_STATE_COMPOSING);
    /* Re-armed on every key: a deadline, not a poll. */
    g_clear_handle_id(&o->pause_timer, g_source_remove);
    o->pause_timer = g_timeout_add_seconds(PAUSE_SECONDS, on_pause, o);
    return EVENT_CONTINUE;
}

void chatstates_init(void)
{
    if (ours)
        return;
    ours = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, ours_free);
    typing_subscription = event_on_buffer(
        EVENT_USER_TYPING, EVENT_PRIORITY_DEFAULT, on_typing, NULL);
}

void chatstates_shutdown(void)
{
    if (typing_subscription)
        event_unsubscribe(typing_subscription);
    typing_subscription = 0;
    g_clear_pointer(&ours, g_hash_table_unref);
}

void chatstates_add_active(Session *s, const char *peer, xmpp_stanza_t *msg)
{
    if (!settings_get_bool("send_chat_states") ||
        !authority_may_see_presence(s, peer))
        return;
    stanza_add_child_ns(msg, "active", NS_CHATSTATES);
    if (!ours)
        return;
    Ours *o = ours_for(s->account, peer);
    g_clear_handle_id(&o->pause_timer, g_source_remove);
    o->sent = CHAT_STATE_ACTIVE;
}

void chatstates_take(Session *s, const Message *m)
{
    Buffer *b =
        buffer_find(conversation_buffer_kind(m->kind), s->account, m->peer);
    if (!b)
        return;
    if (m->chat_state != CHAT_STATE_NONE)
        buffer_set_peer_state(b, m->chat_state);
    else if (message_has_content(m))
        buffer_set_peer_state(b, CHAT_STATE_ACTIVE);
}

static const char *const chatstates_disco[] = {NS_CHATSTATES, NULL};

static gboolean chatstates_advertised(void)
{
    return settings_get_bool("send_chat_states");
}

static void chatstates_account_removed(const char *account)
{
    GHashTableIter iter;
    gpointer value;
    if (!ours)
        return;
    g_hash_table_iter_init(&iter, ours);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        if (g_strcmp0(((Ours *)value)->account, account) == 0)
            g_hash_table_iter_remove(&iter);
}

const Feature feature_chatstates = {
    .name = "chatstates",
    .disco = chatstates_disco,
    .advertised = chatstates_advertised,
    .init = chatstates_init,
    .shutdown = chatstates_shutdown,
    .account_removed = chatstates_account_removed,
};
