/* event.c: see event.h. Subscribers are kept per event type, sorted by
 * priority. Unsubscribing during an emit only marks the entry; it is
 * removed once no emit is running, so iteration never sees freed memory. */
#include "core/event.h"

typedef struct {
    guint id;
    int priority;
    EventType type;
    EventHandler handler;
    gpointer user_data;
    GDestroyNotify destroy; /* frees user_data (a typed closure) */
    gboolean removed;
} Subscriber;

static GPtrArray *subscribers[EVENT_COUNT];
/* Subscribed while an emit was running; inserted once it is over. */
static GPtrArray *pending;
static guint next_id = 1;
static int emit_depth;
static gboolean need_compact;

static const char *const type_names[EVENT_COUNT] = {
    [EVENT_BUFFER_OPENED] = "buffer-opened",
    [EVENT_BUFFER_CLOSED] = "buffer-closed",
    [EVENT_BUFFER_LINE] = "buffer-line",
    [EVENT_BUFFER_PREPENDED] = "buffer-prepended",
    [EVENT_BUFFER_LINE_CHANGED] = "buffer-line-changed",
    [EVENT_BUFFER_CHANGED] = "buffer-changed",
    [EVENT_BUFFER_SWITCHED] = "buffer-switched",
    [EVENT_USER_TYPING] = "user-typing",
    [EVENT_ACCOUNT_STATE] = "account-state",
    [EVENT_ACCOUNT_READY] = "account-ready",
    [EVENT_ACCOUNT_CHANGED] = "account-changed",
    [EVENT_ACCOUNT_REMOVED] = "account-removed",
    [EVENT_SETTING_CHANGED] = "setting-changed",
    [EVENT_ROSTER_CHANGED] = "roster-changed",
    [EVENT_PRESENCE_CHANGED] = "presence-changed",
    [EVENT_USER_ACTIVE] = "user-active",
    [EVENT_ROOM_CHANGED] = "room-changed",
    [EVENT_OCCUPANT_CHANGED] = "occupant-changed",
    [EVENT_MESSAGE_RECEIVED] = "message-received",
    [EVENT_MESSAGE_SENT] = "message-sent",
    [EVENT_MESSAGE_STATE] = "message-state",
    [EVENT_MESSAGE_CHANGED] = "message-changed",
    [EVENT_SUBSCRIPTION_REQUEST] = "subscription-request",
    [EVENT_ROOM_INVITATION] = "room-invitation",
    [EVENT_ROOM_KICKED] = "room-kicked",
    [EVENT_PUBSUB_ITEM] = "pubsub-item",
    [EVENT_TRANSFER_CHANGED] = "transfer-changed",
    [EVENT_QUIT] = "quit",
};

static void subscriber_free(gpointer p)
{
    Subscriber *s = p;
    if (s->destroy)
        s->destroy(s->user_data);
    g_free(s);
}

void event_init(void)
{
    for (int i = 0; i < EVENT_COUNT; i++) {
        if (!subscribers[i])
            subscribers[i] = g_ptr_array_new_with_free_func(subscriber_free);
    }
    if (!pending)
        pending = g_ptr_array_new_with_free_func(subscriber_free);
}

void event_shutdown(void)
{
    for (int i = 0; i < EVENT_COUNT; i++)
        g_clear_pointer(&subscribers[i], g_ptr_array_unref);
    g_clear_pointer(&pending, g_ptr_array_unref);
}

/* Insert after every subscriber of the same or lower priority, so equal
 * priorities run in subscription order. */
static void insert_sorted(Subscriber *s)
{
    GPtrArray *list = subscribers[s->type];
    guint pos = list->len;
    for (guint i = 0; i < list->len; i++) {
        Subscriber *other = g_ptr_array_index(list, i);
        if (other->priority > s->priority) {
            pos = i;
            break;
        }
    }
    g_ptr_array_insert(list, pos, s);
}

static guint subscribe(EventType type, int priority, EventHandler handler,
                       gpointer user_data, GDestroyNotify destroy)
{
    g_return_val_if_fail(type < EVENT_COUNT && subscribers[type], 0);
    Subscriber *s = g_new0(Subscriber, 1);
    s->id = next_id++;
    s->type = type;
    s->priority = priority;
    s->handler = handler;
    s->user_data = user_data;
    s->destroy = destroy;
    if (emit_depth > 0) {
        g_ptr_array_add(pending, s);
        need_compact = TRUE;
    } else {
        insert_sorted(s);
    }
    return s->id;
}

static void compact(void)
{
    for (int t = 0; t < EVENT_COUNT; t++) {
        GPtrArray *list = subscribers[t];
        for (guint i = list ? list->len : 0; i-- > 0;) {
            Subscriber *s = g_ptr_array_index(list, i);
            if (s->removed)
                g_ptr_array_remove_index(list, i);
        }
    }
    gsize n = 0;
    Subscriber **added = (Subscriber **)g_ptr_array_steal(pending, &n);
    for (gsize i = 0; i < n; i++) {
        if (added[i]->removed)
            subscriber_free(added[i]);
        else
            insert_sorted(added[i]);
    }
    g_free(added);
    need_compact = FALSE;
}

void event_unsubscribe(guint id)
{
    for (guint i = 0; pending && i < pending->len; i++) {
        Subscriber *s = g_ptr_array_index(pending, i);
        if (s->id == id)
            s->removed = TRUE;
    }
    for (int t = 0; t < EVENT_COUNT; t++) {
        GPtrArray *list = subscribers[t];
        for (guint i = 0; list && i < list->len; i++) {
            Subscriber *s = g_ptr_array_index(list, i);
            if (s->id == id)
                s->removed = TRUE;
        }
    }
    need_compact = TRUE;
    if (emit_depth == 0)
        compact();
}

static void emit(const Event *event)
{
    GPtrArray *list = subscribers[event->type];
    if (!list)
        return;
    emit_depth++;
    for (guint i = 0; i < list->len; i++) {
        Subscriber *s = g_ptr_array_index(list, i);
        if (!s->removed && s->handler(event, s->user_data) == EVENT_STOP)
            break;
    }
    if (--emit_depth == 0 && need_compact)
        compact();
}

guint event_subscribe(EventType type, int priority, EventHandler handler,
                      gpointer user_data)
{
    return subscribe(type, priority, handler, user_data, NULL);
}

/* ---- typed subscriptions: a closure and one trampoline per family ---- */

typedef struct {
    gpointer func;
    gpointer data;
} Closure;

static guint typed(EventType type, int priority, EventHandler trampoline,
                   gpointer func, gpointer data)
{
    Closure *c = g_new(Closure, 1);
    c->func = func;
    c->data = data;
    return subscribe(type, priority, trampoline, c, g_free);
}

static EventResult to_buffer(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventBufferFunc)c->func)(e->buffer.buffer, c->data);
}

static EventResult to_line(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventLineFunc)c->func)(e->buffer.buffer, e->buffer.line, c->data);
}

static EventResult to_prepended(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventPrependedFunc)c->func)(e->buffer.buffer, e->buffer.count,
                                         c->data);
}

static EventResult to_account(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventAccountFunc)c->func)(e->account, c->data);
}

static EventResult to_setting(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventSettingFunc)c->func)(e->setting, c->data);
}

static EventResult to_contact(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventContactFunc)c->func)(e->contact.account, e->contact.jid,
                                       c->data);
}

static EventResult to_room(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventRoomFunc)c->func)(e->room.account, e->room.room, e->room.nick,
                                    c->data);
}

static EventResult to_message(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventMessageFunc)c->func)(e->message, c->data);
}

static EventResult to_subscription(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventSubscriptionFunc)c->func)(&e->subscription, c->data);
}

static EventResult to_invitation(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventInvitationFunc)c->func)(&e->invitation, c->data);
}

static EventResult to_kick(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventKickFunc)c->func)(&e->kick, c->data);
}

static EventResult to_pubsub(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventPubsubFunc)c->func)(&e->pubsub, c->data);
}

static EventResult to_signal(const Event *e, gpointer p)
{
    Closure *c = p;
    return ((EventSignalFunc)c->func)(c->data);
}

guint event_on_buffer(EventType type, int priority, EventBufferFunc func,
                      gpointer data)
{
    return typed(type, priority, to_buffer, func, data);
}

guint event_on_line(EventType type, int priority, EventLineFunc func,
                    gpointer data)
{
    return typed(type, priority, to_line, func, data);
}

guint event_on_prepended(int priority, EventPrependedFunc func, gpointer data)
{
    return typed(EVENT_BUFFER_PREPENDED, priority, to_prepended, func, data);
}

guint event_on_account(EventType type, int priority, EventAccountFunc func,
                       gpointer data)
{
    return typed(type, priority, to_account, func, data);
}

guint event_on_setting(int priority, EventSettingFunc func, gpointer data)
{
    return typed(EVENT_SETTING_CHANGED, priority, to_setting, func, data);
}

guint event_on_contact(EventType type, int priority, EventContactFunc func,
                       gpointer data)
{
    return typed(type, priority, to_contact, func, data);
}

guint event_on_room(EventType type, int priority, EventRoomFunc func,
                    gpointer data)
{
    return typed(type, priority, to_room, func, data);
}

guint event_on_message(EventType type, int priority, EventMessageFunc func,
                       gpointer data)
{
    return typed(type, priority, to_message, func, data);
}

guint event_on_subscription(int priority, EventSubscriptionFunc func,
                            gpointer data)
{
    return typed(EVENT_SUBSCRIPTION_REQUEST, priority, to_subscription, func,
                 data);
}

guint event_on_invitation(int priority, EventInvitationFunc func, gpointer data)
{
    return typed(EVENT_ROOM_INVITATION, priority, to_invitation, func, data);
}

guint event_on_kick(int priority, EventKickFunc func, gpointer data)
{
    return typed(EVENT_ROOM_KICKED, priority, to_kick, func, data);
}

guint event_on_pubsub(int priority, EventPubsubFunc func, gpointer data)
{
    return typed(EVENT_PUBSUB_ITEM, priority, to_pubsub, func, data);
}

guint event_on_signal(EventType type, int priority, EventSignalFunc func,
                      gpointer data)
{
    return typed(type, priority, to_signal, func, data);
}

/* ---- emitters --------------------------------------------------------- */

void event_emit_buffer(EventType type, Buffer *buffer)
{
    Event ev = {.type = type, .buffer = {.buffer = buffer}};
    emit(&ev);
}

void event_emit_buffer_line(Buffer *buffer, const BufferLine *line)
{
    Event ev = {.type = EVENT_BUFFER_LINE,
                .buffer = {.buffer = buffer, .line = line}};
    emit(&ev);
}

void event_emit_buffer_line_changed(Buffer *buffer, const BufferLine *line)
{
    Event ev = {.type = EVENT_BUFFER_LINE_CHANGED,
                .buffer = {.buffer = buffer, .line = line}};
    emit(&ev);
}

void event_emit_buffer_prepended(Buffer *buffer, guint count)
{
    Event ev = {.type = EVENT_BUFFER_PREPENDED,
                .buffer = {.buffer = buffer, .count = count}};
    emit(&ev);
}

void event_emit_account(EventType type, Account *account)
{
    Event ev = {.type = type, .account = account};
    emit(&ev);
}

void event_emit_setting(const char *name)
{
    Event ev = {.type = EVENT_SETTING_CHANGED, .setting = name};
    emit(&ev);
}

void event_emit_quit(void)
{
    Event ev = {.type = EVENT_QUIT};
    emit(&ev);
}

void event_emit_contact(EventType type, Account *account, const char *jid)
{
    Event ev = {.type = type, .contact = {.account = account, .jid = jid}};
    emit(&ev);
}

void event_emit_user_active(void)
{
    Event ev = {.type = EVENT_USER_ACTIVE};
    emit(&ev);
}

void event_emit_transfer_changed(void)
{
    Event ev = {.type = EVENT_TRANSFER_CHANGED};
    emit(&ev);
}

void event_emit_room(EventType type, Account *account, const char *room,
                     const char *nick)
{
    Event ev = {.type = type,
                .room = {.account = account, .room = room, .nick = nick}};
    emit(&ev);
}

void event_emit_message(EventType type, const Message *message)
{
    Event ev = {.type = type, .message = message};
    emit(&ev);
}

void event_emit_subscription(const EventSubscription *request)
{
    Event ev = {.type = EVENT_SUBSCRIPTION_REQUEST, .subscription = *request};
    emit(&ev);
}

void event_emit_invitation(const EventInvitation *invitation)
{
    Event ev = {.type = EVENT_ROOM_INVITATION, .invitation = *invitation};
    emit(&ev);
}

void event_emit_kick(const EventKick *kick)
{
    Event ev = {.type = EVENT_ROOM_KICKED, .kick = *kick};
    emit(&ev);
}

void event_emit_pubsub(const EventPubsub *item)
{
    Event ev = {.type = EVENT_PUBSUB_ITEM, .pubsub = *item};
    emit(&ev);
}

const char *event_type_name(EventType type)
{
    return type < EVENT_COUNT ? type_names[type] : "unknown";
}
