/* natter/plugin.h: the public API of natter's plugins, version 1.
 *
 * A plugin is a shared object (C: built with `pkg-config --cflags
 * natter-plugin`) that natter loads with /plugin load from
 * $XDG_DATA_HOME/natter/plugins/, then from the system plugin directory.
 * It exports one symbol, `natter_plugin`, made with NATTER_PLUGIN_DEFINE,
 * that names it, says which API version it was built for and gives its
 * init and deinit. natter refuses a plugin built for another version.
 *
 * Everything a plugin adds (commands, settings, event subscriptions,
 * message stages, disco features, timers, key actions) is recorded by
 * natter for that plugin and taken away again when it is unloaded,
 * whether or not its deinit did it: the built-in parts of natter use the
 * same registries.
 *
 * The API has opaque handles and plain C types only. Strings are UTF-8
 * and NUL-terminated; a string natter returns is borrowed (valid until
 * the callback returns, or as the function says); strings a plugin passes
 * in are copied. Functions that can fail return 1 on success and 0 on
 * failure, and natter_plugin_error() then says why. Everything runs on
 * natter's main loop: a plugin must not block. */
#ifndef NATTER_PLUGIN_H
#define NATTER_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this API. natter loads only plugins built for the
 * version it has; it changes whenever a type or function here does. */
#define NATTER_PLUGIN_API_VERSION 1

/* A loaded plugin, as natter knows it: passed to every function. */
typedef struct NatterPlugin NatterPlugin;
/* A command of the plugin's being run. */
typedef struct NatterCall NatterCall;
/* A message passing a stage, or carried by an event. */
typedef struct NatterMessage NatterMessage;
/* An event delivered to a subscriber. */
typedef struct NatterEvent NatterEvent;

/* ------------------------------------------------------------------ */
/* Declaring a plugin */

typedef struct {
    /* NATTER_PLUGIN_API_VERSION as the plugin was built; first, so that
     * natter can read it whatever the rest of the structure is. */
    int api_version;
    /* A short name: letters, digits, '-' and '_' (its settings are
     * "NAME.setting"). */
    const char *name;
    const char *version;     /* the plugin's own version, free text */
    const char *description; /* one line for /plugin list and info */
    /* Called once after loading: register what the plugin adds. Returns 1
     * on success; 0 (after natter_plugin_fail() says why) unloads the
     * plugin again, and what it registered goes with it. */
    int (*init)(NatterPlugin *plugin);
    /* Called once before unloading, or NULL. What the plugin registered is
     * removed by natter afterwards; deinit frees the plugin's own data. */
    void (*deinit)(NatterPlugin *plugin);
} NatterPluginInfo;

/* Defines the plugin's declaration, the symbol natter looks for. */
#define NATTER_PLUGIN_DEFINE(NAME, VERSION, DESCRIPTION, INIT, DEINIT)         \
    __attribute__((visibility("default")))                                     \
    const NatterPluginInfo natter_plugin = {                                   \
        NATTER_PLUGIN_API_VERSION, NAME, VERSION, DESCRIPTION, INIT, DEINIT}

/* The plugin's name, as declared. */
const char *natter_plugin_name(NatterPlugin *plugin);

/* Says why init failed (printf-style); natter shows it to the user. */
void natter_plugin_fail(NatterPlugin *plugin, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Why the last function of PLUGIN that returned 0 failed; "" when none
 * did. Valid until the next call. */
const char *natter_plugin_error(NatterPlugin *plugin);

/* The plugin's own data directory, plugin-data/NAME in natter's data
 * directory ($XDG_DATA_HOME/natter, or --data-dir), created with mode
 * 0700 if missing. NULL when it cannot be created (natter_plugin_error()
 * says why). Valid while the plugin is loaded. */
const char *natter_plugin_data_dir(NatterPlugin *plugin);

/* ------------------------------------------------------------------ */
/* Commands */

/* Runs the command: ARGV holds ARGC arguments without the command name.
 * Returns 1 on success, 0 on failure after natter_call_fail(). */
typedef int (*NatterCommandFunc)(NatterCall *call, int argc,
                                 const char *const *argv, void *data);

typedef struct {
    const char *name; /* without the slash */
    /* Usage lines, NULL-terminated, e.g. {"/urls", "/urls clear", NULL}:
     * /help shows them and Tab completes from them (lower-case words as
     * themselves; placeholders such as JID, ACCOUNT, SETTING from their
     * source, as for natter's own commands). */
    const char *const *synopsis;
    const char *summary;     /* one line for /help's list */
    const char *description; /* the full text of /help NAME */
    int min_args;
    int max_args; /* -1: any number */
    int rest;     /* 1: the last argument takes the rest of the line */
    NatterCommandFunc func;
} NatterCommandSpec;

/* Adds the command SPEC (copied) with DATA for its function. 0 when the
 * name is taken. */
int natter_command_register(NatterPlugin *plugin, const NatterCommandSpec *spec,
                            void *data);
/* Removes the plugin's command NAME. */
void natter_command_unregister(NatterPlugin *plugin, const char *name);

/* Prints TEXT as the command's output (to the window it was typed in, or
 * to whoever ran it). */
void natter_call_print(NatterCall *call, const char *text);
/* Sets the error the command reports when its function returns 0. */
void natter_call_fail(NatterCall *call, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* The account the command was run for (its window's), or NULL. */
const char *natter_call_account(NatterCall *call);
/* The conversation of the window it was run in: a JID (chat, room, or a
 * room's occupant room@service/nick), or NULL in a console. */
const char *natter_call_peer(NatterCall *call);

/* ------------------------------------------------------------------ */
/* Settings */

typedef enum {
    NATTER_SETTING_BOOL,   /* on|off */
    NATTER_SETTING_INT,    /* a whole number within min..max */
    NATTER_SETTING_STRING, /* any text */
    NATTER_SETTING_CHOICE, /* one of the words of choices ("a|b|c") */
} NatterSettingType;

/* Adds the setting "PLUGIN.NAME" (/set, natterrc and /help set show it).
 * MIN and MAX matter for INT only, CHOICES for CHOICE only (else NULL).
 * 0 when the name is taken or the default does not fit the type. */
int natter_setting_register(NatterPlugin *plugin, const char *name,
                            NatterSettingType type, const char *default_value,
                            const char *description, int min, int max,
                            const char *choices);
/* The current value of the setting FULL_NAME ("wordfilter.words", or a
 * built-in one). A name that does not exist gives 0 or NULL. The string
 * is valid until the setting changes. */
int natter_setting_get_bool(const char *full_name);
int natter_setting_get_int(const char *full_name);
const char *natter_setting_get_string(const char *full_name);

/* ------------------------------------------------------------------ */
/* Events */

/* Called for each event of the name subscribed to. */
typedef void (*NatterEventFunc)(NatterPlugin *plugin, const NatterEvent *event,
                                void *data);

/* Subscribes to the events named NAME: "message-received",
 * "message-sent", "presence-changed", "roster-changed", "room-changed",
 * "occupant-changed", "account-state", "account-ready",
 * "subscription-request", "room-invitation", "room-kicked",
 * "setting-changed", "quit". Returns an id for natter_event_unsubscribe(),
 * 0 for an unknown name. */
unsigned natter_event_subscribe(NatterPlugin *plugin, const char *name,
                                NatterEventFunc func, void *data);
void natter_event_unsubscribe(NatterPlugin *plugin, unsigned id);

/* The event's name, as subscribed to. */
const char *natter_event_name(const NatterEvent *event);
/* The account it is about, or NULL (a setting, quit). */
const char *natter_event_account(const NatterEvent *event);
/* The JID it is about: the contact (presence, roster, subscription; NULL:
 * our own presence or the whole roster), the room (room events,
 * invitation, kick), the message's conversation; else NULL. */
const char *natter_event_jid(const NatterEvent *event);
/* The occupant's nick (occupant-changed), the setting's name
 * (setting-changed), else NULL. */
const char *natter_event_detail(const NatterEvent *event);
/* The message of message-received and message-sent, else NULL. */
const NatterMessage *natter_event_message(const NatterEvent *event);

/* ------------------------------------------------------------------ */
/* Messages */

/* The account's name. */
const char *natter_message_account(const NatterMessage *message);
/* The conversation: a bare JID (chat, room) or room@service/nick
 * (private); NULL for the server itself. */
const char *natter_message_peer(const NatterMessage *message);
/* Who wrote it, as shown: a nick or a JID's local part. */
const char *natter_message_nick(const NatterMessage *message);
/* The text, or NULL (no body). Unsanitised: it came from the network. */
const char *natter_message_body(const NatterMessage *message);
/* "chat", "groupchat", "private" or "headline". */
const char *natter_message_kind(const NatterMessage *message);
/* 1 for a message we sent, 0 for one received. */
int natter_message_outgoing(const NatterMessage *message);
/* "live", "carbon-received", "carbon-sent", "archived" or "local". */
const char *natter_message_origin(const NatterMessage *message);
/* When it was written, in microseconds since the epoch (UTC). */
int64_t natter_message_time(const NatterMessage *message);
/* 1 when it mentions us (room messages). */
int natter_message_highlight(const NatterMessage *message);

/* ------------------------------------------------------------------ */
/* Message stages */

typedef enum {
    /* Messages received, after decryption, before they are stored and
     * shown (archived and carbon copies too). */
    NATTER_STAGE_IN,
    /* Messages the user sends, before they are stored, shown and sent. */
    NATTER_STAGE_OUT,
} NatterStageKind;

typedef enum {
    NATTER_STAGE_CONTINUE, /* the message goes on (changed or not) */
    NATTER_STAGE_REFUSE,   /* it goes no further (natter_message_refuse()) */
} NatterStageVerdict;

typedef NatterStageVerdict (*NatterStageFunc)(NatterPlugin *plugin,
                                              NatterMessage *message,
                                              void *data);

/* Adds a stage of KIND named NAME (shown in the pipeline's description).
 * Returns an id for natter_stage_remove(), 0 on failure. */
unsigned natter_stage_add(NatterPlugin *plugin, NatterStageKind kind,
                          const char *name, NatterStageFunc func, void *data);
void natter_stage_remove(NatterPlugin *plugin, unsigned id);

/* In a stage: replaces the message's body with BODY (copied). */
void natter_message_set_body(NatterMessage *message, const char *body);
/* In a stage: says why the message is refused; return NATTER_STAGE_REFUSE
 * afterwards. An outgoing message refused is not sent, and the user is
 * told why. */
void natter_message_refuse(NatterMessage *message, const char *reason);

/* ------------------------------------------------------------------ */
/* Disco features */

/* Announces the feature VAR (a namespace) in disco#info and caps of every
 * account; online accounts send their presence again with the new caps.
 * 0 when VAR is empty or already one of the plugin's. */
int natter_disco_feature_add(NatterPlugin *plugin, const char *var);
void natter_disco_feature_remove(NatterPlugin *plugin, const char *var);

/* ------------------------------------------------------------------ */
/* Sending */

/* Sends BODY from ACCOUNT to TO: a chat message, or a room message when
 * TO is a room we are in. It takes the path of a typed message (stored,
 * shown, the send stages, encryption). */
int natter_send_message(NatterPlugin *plugin, const char *account,
                        const char *to, const char *body);
/* Sends XML, one stanza as text ("<message to='...'>...</message>"),
 * from ACCOUNT as it is: no stage runs and nothing is encrypted, so a
 * body in it leaves in the clear even where OMEMO or OTR is on (use
 * natter_send_message for text). 0 when the account is offline or XML is not
 * one well-formed message, presence or iq element. */
int natter_send_stanza(NatterPlugin *plugin, const char *account,
                       const char *xml);

/* ------------------------------------------------------------------ */
/* Windows */

/* Prints TEXT as an information line in the window of the conversation
 * with JID on ACCOUNT when it is open, else in ACCOUNT's console; JID
 * NULL: the account's console; ACCOUNT NULL: natter's console. */
void natter_print(NatterPlugin *plugin, const char *account, const char *jid,
                  const char *text);
/* Prints TEXT in the window the user is looking at. */
void natter_print_current(NatterPlugin *plugin, const char *text);

/* Opens the window of the conversation with JID (an address; its bare
 * part is used) on ACCOUNT, and shows it. Returns 1, or 0 when ACCOUNT is
 * not an account or JID not an address. */
int natter_window_open(NatterPlugin *plugin, const char *account,
                       const char *jid);

/* ------------------------------------------------------------------ */
/* Keys and questions */

typedef void (*NatterKeyActionFunc)(NatterPlugin *plugin, void *data);

/* Adds the key action "PLUGIN.NAME" (PLUGIN the plugin's name), which the
 * user binds to a key with /bind KEY PLUGIN.NAME; /help keys lists it
 * with DESCRIPTION. FUNC runs when a key bound to it is pressed. Returns
 * 1, or 0 when the name is taken or not a name. */
int natter_key_action_add(NatterPlugin *plugin, const char *name,
                          const char *description, NatterKeyActionFunc func,
                          void *data);
void natter_key_action_remove(NatterPlugin *plugin, const char *name);

/* ANSWER is what the user typed, or NULL when the question was cancelled
 * (Ctrl-C, the end of standard input, quitting). */
typedef void (*NatterAnswerFunc)(NatterPlugin *plugin, const char *answer,
                                 void *data);

/* Asks the user QUESTION without blocking: the terminal shows it on the
 * input line, headless mode reads the answer from the next line of
 * standard input; questions wait in line behind an open one. FUNC gets
 * the answer, once; not at all when the plugin is unloaded before. */
void natter_ask(NatterPlugin *plugin, const char *question,
                NatterAnswerFunc func, void *data);

/* ------------------------------------------------------------------ */
/* Timers */

/* Returns 1 to be called again, 0 to stop (the timer is removed). */
typedef int (*NatterTimerFunc)(NatterPlugin *plugin, void *data);

/* Calls FUNC every INTERVAL_MS milliseconds on the main loop. Returns an
 * id for natter_timer_remove(), 0 for an interval of 0. */
unsigned natter_timer_add(NatterPlugin *plugin, unsigned interval_ms,
                          NatterTimerFunc func, void *data);
void natter_timer_remove(NatterPlugin *plugin, unsigned id);

#ifdef __cplusplus
}
#endif

#endif /* NATTER_PLUGIN_H */
