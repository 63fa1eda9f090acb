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
    [EVENT_SETTING_CHANGED] = "setting-changed",
    [EVENT_ROSTER_CHANGED] = "roster-changed",
    [EVENT_PRESENCE_CHANGED] = "presence-changed",
    [EVENT_USER_ACTIVE] = "user-active",
    [EVENT_ROOM_CHANGED] = "room-changed",
    [EVENT_OCCUPANT_CHANGED] = "occupant-changed",
    [EVENT_QUIT] = "quit",
};

void event_init(void)
{
    for (int i = 0; i < EVENT_COUNT; i++) {
        if (!subscribers[i])
            subscribers[i] = g_ptr_array_new_with_free_func(g_free);
    }
    if (!pending)
        pending = g_ptr_array_new_with_free_func(g_free);
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

guint event_subscribe(EventType type, int priority, EventHandler handler,
                      gpointer user_data)
{
    g_return_val_if_fail(type < EVENT_COUNT && subscribers[type], 0);
    Subscriber *s = g_new0(Subscriber, 1);
    s->id = next_id++;
    s->type = type;
    s->priority = priority;
    s->handler = handler;
    s->user_data = user_data;
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
            g_free(added[i]);
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

void event_emit_buffer(EventType type, Buffer *buffer)
{
    Event ev = {.type = type, .buffer = buffer};
    emit(&ev);
}

void event_emit_buffer_line(Buffer *buffer, const BufferLine *line)
{
    Event ev = {.type = EVENT_BUFFER_LINE, .buffer = buffer, .line = line};
    emit(&ev);
}

void event_emit_buffer_line_changed(Buffer *buffer, const BufferLine *line)
{
    Event ev = {
        .type = EVENT_BUFFER_LINE_CHANGED, .buffer = buffer, .line = line};
    emit(&ev);
}

void event_emit_buffer_prepended(Buffer *buffer, guint count)
{
    Event ev = {
        .type = EVENT_BUFFER_PREPENDED, .buffer = buffer, .count = count};
    emit(&ev);
}

void event_emit_account(EventType type, Account *account)
{
    Event ev = {.type = type, .account = account};
    emit(&ev);
}

void event_emit_setting(const char *name)
{
    Event ev = {.type = EVENT_SETTING_CHANGED, .key = name};
    emit(&ev);
}

void event_emit_quit(void)
{
    Event ev = {.type = EVENT_QUIT};
    emit(&ev);
}

void event_emit_contact(EventType type, Account *account, const char *jid)
{
    Event ev = {.type = type, .account = account, .key = jid};
    emit(&ev);
}

void event_emit_user_active(void)
{
    Event ev = {.type = EVENT_USER_ACTIVE};
    emit(&ev);
}

void event_emit_room(EventType type, Account *account, const char *room,
                     const char *nick)
{
    Event ev = {.type = type, .account = account, .key = room, .nick = nick};
    emit(&ev);
}

const char *event_type_name(EventType type)
{
    return type < EVENT_COUNT ? type_names[type] : "unknown";
}
