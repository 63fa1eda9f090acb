/* api_message.c: the functions of include/natter/plugin.h about events,
 * messages and message stages. A plugin's subscription is one on the
 * event bus (core/event.h), its stage one of the pipeline
 * (core/pipeline.h): inbound after the signals and before the store,
 * outbound before the store, so that what a stage changes or refuses is
 * what is kept, shown and sent. */
#include "core/account.h"
#include "core/event.h"
#include "core/pipeline.h"
#include "plugin/api_internal.h"
#include "plugin/plugin_internal.h"

/* Where plugins' stages run: after decryption and the signals (acks,
 * chat states, corrections are taken), before the store. */
#define PLUGIN_STAGE_PRIORITY (STAGE_STORE - 50)

struct NatterMessage {
    Message *message;   /* changeable only in a stage */
    PipelineItem *item; /* in a stage; NULL in an event */
    char *refusal;
};

struct NatterEvent {
    const Event *event;
    NatterMessage *message; /* for message events */
};

typedef struct {
    NatterPlugin *plugin;
    NatterEventFunc func;
    void *data;
    guint id;
    EventType type;
} PluginEvent;

typedef struct {
    NatterPlugin *plugin;
    NatterStageFunc func;
    void *data;
    char *name; /* "plugin:NAME", kept for the pipeline */
    guint id;
} PluginStage;

/* The events a plugin may subscribe to: their payloads are plain data. */
static const EventType offered[] = {
    EVENT_MESSAGE_RECEIVED,
    EVENT_MESSAGE_SENT,
    EVENT_PRESENCE_CHANGED,
    EVENT_ROSTER_CHANGED,
    EVENT_ROOM_CHANGED,
    EVENT_OCCUPANT_CHANGED,
    EVENT_ACCOUNT_STATE,
    EVENT_ACCOUNT_READY,
    EVENT_SUBSCRIPTION_REQUEST,
    EVENT_ROOM_INVITATION,
    EVENT_ROOM_KICKED,
    EVENT_SETTING_CHANGED,
    EVENT_QUIT,
};

/* --- events ------------------------------------------------------------ */

static EventResult on_event(const Event *event, gpointer data)
{
    PluginEvent *e = data;
    NatterMessage m = {.message =
                           (Message *)(event->type == EVENT_MESSAGE_RECEIVED ||
                                               event->type == EVENT_MESSAGE_SENT
                                           ? event->message
                                           : NULL)};
    NatterEvent ne = {.event = event, .message = m.message ? &m : NULL};
    e->func(e->plugin, &ne, e->data);
    return EVENT_CONTINUE;
}

static void event_free(gpointer data)
{
    PluginEvent *e = data;
    event_unsubscribe(e->id);
    g_free(e);
}

unsigned natter_event_subscribe(NatterPlugin *plugin, const char *name,
                                NatterEventFunc func, void *data)
{
    for (guint i = 0; name && func && i < G_N_ELEMENTS(offered); i++) {
        if (g_strcmp0(event_type_name(offered[i]), name) != 0)
            continue;
        PluginEvent *e = g_new0(PluginEvent, 1);
        e->plugin = plugin;
        e->func = func;
        e->data = data;
        e->type = offered[i];
        e->id =
            event_subscribe(offered[i], EVENT_PRIORITY_DEFAULT, on_event, e);
        g_hash_table_insert(plugin->events, GUINT_TO_POINTER(e->id), e);
        plugin_set_error(plugin, NULL);
        return e->id;
    }
    g_autofree char *why =
        g_strdup_printf("no event named %s for plugins", name ? name : "");
    plugin_set_error(plugin, why);
    return 0;
}

void natter_event_unsubscribe(NatterPlugin *plugin, unsigned id)
{
    g_hash_table_remove(plugin->events, GUINT_TO_POINTER(id));
}

const char *natter_event_name(const NatterEvent *event)
{
    return event_type_name(event->event->type);
}

static const char *account_name(const Account *account)
{
    return account ? account->name : NULL;
}

const char *natter_event_account(const NatterEvent *event)
{
    const Event *e = event->event;
    switch (e->type) {
    case EVENT_MESSAGE_RECEIVED:
    case EVENT_MESSAGE_SENT:
        return e->message->account;
    case EVENT_PRESENCE_CHANGED:
    case EVENT_ROSTER_CHANGED:
        return account_name(e->contact.account);
    case EVENT_ROOM_CHANGED:
    case EVENT_OCCUPANT_CHANGED:
        return account_name(e->room.account);
    case EVENT_ACCOUNT_STATE:
    case EVENT_ACCOUNT_READY:
        return account_name(e->account);
    case EVENT_SUBSCRIPTION_REQUEST:
        return account_name(e->subscription.account);
    case EVENT_ROOM_INVITATION:
        return account_name(e->invitation.account);
    case EVENT_ROOM_KICKED:
        return account_name(e->kick.account);
    default:
        return NULL;
    }
}

const char *natter_event_jid(const NatterEvent *event)
{
    const Event *e = event->event;
    switch (e->type) {
    case EVENT_MESSAGE_RECEIVED:
    case EVENT_MESSAGE_SENT:
        return e->message->peer;
    case EVENT_PRESENCE_CHANGED:
    case EVENT_ROSTER_CHANGED:
        return e->contact.jid;
    case EVENT_ROOM_CHANGED:
    case EVENT_OCCUPANT_CHANGED:
        return e->room.room;
    case EVENT_SUBSCRIPTION_REQUEST:
        return e->subscription.jid;
    case EVENT_ROOM_INVITATION:
        return e->invitation.invite ? e->invitation.invite->room : NULL;
    case EVENT_ROOM_KICKED:
        return e->kick.room;
    default:
        return NULL;
    }
}

const char *natter_event_detail(const NatterEvent *event)
{
    const Event *e = event->event;
    if (e->type == EVENT_OCCUPANT_CHANGED)
        return e->room.nick;
    if (e->type == EVENT_SETTING_CHANGED)
        return e->setting;
    return NULL;
}

const NatterMessage *natter_event_message(const NatterEvent *event)
{
    return event->message;
}

/* --- messages ---------------------------------------------------------- */

const char *natter_message_account(const NatterMessage *message)
{
    return message->message->account;
}

const char *natter_message_peer(const NatterMessage *message)
{
    return message->message->peer;
}

const char *natter_message_nick(const NatterMessage *message)
{
    return message->message->nick;
}

const char *natter_message_body(const NatterMessage *message)
{
    return message->message->body;
}

const char *natter_message_kind(const NatterMessage *message)
{
    return message_kind_name(message->message->kind);
}

int natter_message_outgoing(const NatterMessage *message)
{
    return message->message->direction == MESSAGE_OUT;
}

const char *natter_message_origin(const NatterMessage *message)
{
    return message_origin_name(message->message->origin);
}

int64_t natter_message_time(const NatterMessage *message)
{
    return message->message->time;
}

int natter_message_highlight(const NatterMessage *message)
{
    return message->message->highlight != 0;
}

void natter_message_set_body(NatterMessage *message, const char *body)
{
    if (!message->item) /* an event's message is not to be changed */
        return;
    g_free(message->message->body);
    message->message->body = g_strdup(body);
}

void natter_message_refuse(NatterMessage *message, const char *reason)
{
    g_free(message->refusal);
    message->refusal = g_strdup(reason ? reason : "");
}

/* --- stages ------------------------------------------------------------ */

static StageVerdict run_stage(PipelineItem *item, gpointer data)
{
    PluginStage *s = data;
    NatterMessage m = {.message = item->message, .item = item};
    NatterStageVerdict verdict = s->func(s->plugin, &m, s->data);
    g_autofree char *refusal = g_steal_pointer(&m.refusal);
    if (verdict != NATTER_STAGE_REFUSE)
        return STAGE_CONTINUE;
    return pipeline_refuse(item, "refused by plugin %s%s%s", s->plugin->name,
                           refusal && *refusal ? ": " : "",
                           refusal ? refusal : "");
}

static void stage_free(gpointer data)
{
    PluginStage *s = data;
    pipeline_remove(s->id);
    g_free(s->name);
    g_free(s);
}

unsigned natter_stage_add(NatterPlugin *plugin, NatterStageKind kind,
                          const char *name, NatterStageFunc func, void *data)
{
    if (!func || (kind != NATTER_STAGE_IN && kind != NATTER_STAGE_OUT)) {
        plugin_set_error(plugin, "a stage needs a known kind and a function");
        return 0;
    }
    PluginStage *s = g_new0(PluginStage, 1);
    s->plugin = plugin;
    s->func = func;
    s->data = data;
    s->name = g_strdup_printf("%s:%s", plugin->name, name ? name : "stage");
    s->id = pipeline_add(kind == NATTER_STAGE_IN ? PIPELINE_IN : PIPELINE_OUT,
                         PLUGIN_STAGE_PRIORITY, s->name, run_stage, s, NULL);
    g_hash_table_insert(plugin->stages, GUINT_TO_POINTER(s->id), s);
    plugin_set_error(plugin, NULL);
    return s->id;
}

void natter_stage_remove(NatterPlugin *plugin, unsigned id)
{
    g_hash_table_remove(plugin->stages, GUINT_TO_POINTER(id));
}

/* --- the registries ---------------------------------------------------- */

void plugin_message_registries_new(NatterPlugin *p)
{
    p->events = g_hash_table_new_full(NULL, NULL, NULL, event_free);
    p->stages = g_hash_table_new_full(NULL, NULL, NULL, stage_free);
}

void plugin_message_registries_clear(NatterPlugin *p)
{
    g_clear_pointer(&p->events, g_hash_table_unref);
    g_clear_pointer(&p->stages, g_hash_table_unref);
}

char *plugin_message_registries_describe(const NatterPlugin *p)
{
    GString *s = g_string_new("events:");
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, p->events);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_string_append_printf(
            s, " %s", event_type_name(((const PluginEvent *)value)->type));
    if (!g_hash_table_size(p->events))
        g_string_append(s, " none");
    g_string_append(s, "; stages:");
    g_hash_table_iter_init(&iter, p->stages);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_string_append_printf(s, " %s", ((const PluginStage *)value)->name);
    if (!g_hash_table_size(p->stages))
        g_string_append(s, " none");
    return g_string_free(s, FALSE);
}
