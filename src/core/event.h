/* event.h: the core event bus. Lower layers emit, upper layers, hooks and
 * plugins subscribe; nothing in xmpp/ or core/ calls the UI.
 *
 * Events are typed facts. Every event is listed here with its payload,
 * and each family has a typed subscribe helper (event_on_buffer(),
 * event_on_message(), ...) whose handler gets the payload as arguments.
 * event_subscribe() gets the whole Event, for those that take every kind
 * (hooks, the control socket's event stream, plugins, tests).
 *
 * Handlers run synchronously in priority order (lower numbers first) and
 * may return EVENT_STOP to keep later handlers from seeing the event. */
#pragma once

#include <glib.h>

#include "core/message.h"

typedef struct Buffer Buffer;
typedef struct BufferLine BufferLine;
typedef struct Account Account;

typedef enum {
    /* A buffer was created.                      payload: buffer */
    EVENT_BUFFER_OPENED,
    /* A buffer is about to be freed.             payload: buffer */
    EVENT_BUFFER_CLOSED,
    /* A line was appended to a buffer.           payload: buffer (line) */
    EVENT_BUFFER_LINE,
    /* Older lines (history) were put at the top. payload: buffer (count) */
    EVENT_BUFFER_PREPENDED,
    /* A line's text, state or reactions changed. payload: buffer (line) */
    EVENT_BUFFER_LINE_CHANGED,
    /* Title, number, activity or other state.    payload: buffer */
    EVENT_BUFFER_CHANGED,
    /* The current buffer changed.                payload: buffer (new one) */
    EVENT_BUFFER_SWITCHED,
    /* The user typed text (not a command) in a buffer. payload: buffer */
    EVENT_USER_TYPING,
    /* An account connected, disconnected...      payload: account */
    EVENT_ACCOUNT_STATE,
    /* An online account's login is complete: the roster received (or
     * refused) and our initial presence sent; at once for a resumed
     * stream.                                    payload: account */
    EVENT_ACCOUNT_READY,
    /* An account was added or changed.           payload: account */
    EVENT_ACCOUNT_CHANGED,
    /* An account is being removed (or renamed away from its name): what
     * is kept for it goes now.                   payload: account */
    EVENT_ACCOUNT_REMOVED,
    /* A global setting changed (core/settings.h). payload: setting */
    EVENT_SETTING_CHANGED,
    /* A roster contact was added, changed or removed, or (jid NULL) the
     * whole roster was replaced (core/roster.h). payload: contact */
    EVENT_ROSTER_CHANGED,
    /* A contact's presence changed, or (jid NULL) our own.
     *                                            payload: contact */
    EVENT_PRESENCE_CHANGED,
    /* The user pressed a key or typed a line (core/app.h). payload: none */
    EVENT_USER_ACTIVE,
    /* A room we are in changed: joined, left, our nick, its subject
     * (core/room.h).                             payload: room (nick NULL) */
    EVENT_ROOM_CHANGED,
    /* An occupant of a room came, left, changed nick, role, affiliation
     * or presence; nick NULL: all at once.       payload: room */
    EVENT_OCCUPANT_CHANGED,
    /* A message was received and stored (new; live, carbon or archived;
     * ours from another client too).             payload: message */
    EVENT_MESSAGE_RECEIVED,
    /* The user sent a message: stored, pending or already sent.
     *                                            payload: message */
    EVENT_MESSAGE_SENT,
    /* One of our messages changed delivery state. payload: message */
    EVENT_MESSAGE_STATE,
    /* A stored message was corrected, retracted or reacted to.
     *                                            payload: message */
    EVENT_MESSAGE_CHANGED,
    /* Someone asks to see our presence.          payload: subscription */
    EVENT_SUBSCRIPTION_REQUEST,
    /* We are invited to a room.                  payload: invitation */
    EVENT_ROOM_INVITATION,
    /* We were kicked, banned or otherwise removed from a room.
     *                                            payload: kick */
    EVENT_ROOM_KICKED,
    /* An item published to a pubsub node we follow (XEP-0060).
     *                                            payload: pubsub */
    EVENT_PUBSUB_ITEM,
    /* A file transfer started, moved on (a new percentage) or ended
     * (core/transfers.h).                        payload: none */
    EVENT_TRANSFER_CHANGED,
    /* The program is shutting down; handlers release what they hold. */
    EVENT_QUIT,
    EVENT_COUNT
} EventType;

typedef struct {
    Buffer *buffer;
    const BufferLine *line; /* EVENT_BUFFER_LINE, EVENT_BUFFER_LINE_CHANGED */
    guint count;            /* EVENT_BUFFER_PREPENDED */
} EventBuffer;

typedef struct {
    Account *account;
    const char *jid; /* bare JID, or NULL (the whole roster) */
} EventContact;

typedef struct {
    Account *account;
    const char *room; /* the room's bare JID */
    const char *nick; /* the occupant, or NULL */
} EventRoom;

typedef struct {
    Account *account;
    const char *jid;    /* who asks (bare JID) */
    const char *nick;   /* the nick they gave (XEP-0172), or NULL */
    const char *status; /* the text they sent with it, or NULL */
} EventSubscription;

typedef struct {
    Account *account;
    const MessageInvite *invite;
} EventInvitation;

typedef struct {
    Account *account;
    const char *room;   /* the room's bare JID */
    const char *how;    /* "kicked", "banned", "removed (...)" */
    const char *actor;  /* who did it (a nick), or NULL */
    const char *reason; /* or NULL */
} EventKick;

typedef struct {
    Account *account;
    const char *service; /* the pubsub service (a JID) */
    const char *node;
    const char *id;   /* the item's id, or NULL */
    const char *text; /* the payload as shown (unsanitised) */
} EventPubsub;

typedef struct {
    EventType type;
    union {
        EventBuffer buffer;
        Account *account;
        const char *setting; /* the setting's name */
        EventContact contact;
        EventRoom room;
        const Message *message;
        EventSubscription subscription;
        EventInvitation invitation;
        EventKick kick;
        EventPubsub pubsub;
    };
} Event;

typedef enum { EVENT_CONTINUE = FALSE, EVENT_STOP = TRUE } EventResult;

typedef EventResult (*EventHandler)(const Event *event, gpointer user_data);

/* Default priority of subscribers; the model (history, counters) uses
 * EVENT_PRIORITY_MODEL to run before views, the view that turns messages
 * into buffer lines EVENT_PRIORITY_VIEW (after the model, before the
 * rest: notifications find the line there). */
#define EVENT_PRIORITY_MODEL   -100
#define EVENT_PRIORITY_VIEW    -50
#define EVENT_PRIORITY_DEFAULT 0

void event_init(void);
void event_shutdown(void);

/* Every event of TYPE, whole. Returns an id for event_unsubscribe();
 * never 0. */
guint event_subscribe(EventType type, int priority, EventHandler handler,
                      gpointer user_data);
void event_unsubscribe(guint id);

/* Typed subscriptions: the handler gets the payload. TYPE must be one of
 * the family's events (listed above with their payload). */
typedef EventResult (*EventBufferFunc)(Buffer *buffer, gpointer data);
typedef EventResult (*EventLineFunc)(Buffer *buffer, const BufferLine *line,
                                     gpointer data);
typedef EventResult (*EventPrependedFunc)(Buffer *buffer, guint count,
                                          gpointer data);
typedef EventResult (*EventAccountFunc)(Account *account, gpointer data);
typedef EventResult (*EventSettingFunc)(const char *name, gpointer data);
typedef EventResult (*EventContactFunc)(Account *account, const char *jid,
                                        gpointer data);
typedef EventResult (*EventRoomFunc)(Account *account, const char *room,
                                     const char *nick, gpointer data);
typedef EventResult (*EventMessageFunc)(const Message *message, gpointer data);
typedef EventResult (*EventSubscriptionFunc)(const EventSubscription *request,
                                             gpointer data);
typedef EventResult (*EventInvitationFunc)(const EventInvitation *invitation,
                                           gpointer data);
typedef EventResult (*EventKickFunc)(const EventKick *kick, gpointer data);
typedef EventResult (*EventPubsubFunc)(const EventPubsub *item, gpointer data);
typedef EventResult (*EventSignalFunc)(gpointer data);

guint event_on_buffer(EventType type, int priority, EventBufferFunc func,
                      gpointer data);
guint event_on_line(EventType type, int priority, EventLineFunc func,
                    gpointer data);
guint event_on_prepended(int priority, EventPrependedFunc func, gpointer data);
guint event_on_account(EventType type, int priority, EventAccountFunc func,
                       gpointer data);
guint event_on_setting(int priority, EventSettingFunc func, gpointer data);
guint event_on_contact(EventType type, int priority, EventContactFunc func,
                       gpointer data);
guint event_on_room(EventType type, int priority, EventRoomFunc func,
                    gpointer data);
guint event_on_message(EventType type, int priority, EventMessageFunc func,
                       gpointer data);
guint event_on_subscription(int priority, EventSubscriptionFunc func,
                            gpointer data);
guint event_on_invitation(int priority, EventInvitationFunc func,
                          gpointer data);
guint event_on_kick(int priority, EventKickFunc func, gpointer data);
guint event_on_pubsub(int priority, EventPubsubFunc func, gpointer data);
/* EVENT_USER_ACTIVE, EVENT_TRANSFER_CHANGED, EVENT_QUIT: no payload. */
guint event_on_signal(EventType type, int priority, EventSignalFunc func,
                      gpointer data);

/* Typed emitters: the only ways to raise an event. */
void event_emit_buffer(EventType type, Buffer *buffer);
void event_emit_buffer_line(Buffer *buffer, const BufferLine *line);
void event_emit_buffer_line_changed(Buffer *buffer, const BufferLine *line);
void event_emit_buffer_prepended(Buffer *buffer, guint count);
void event_emit_account(EventType type, Account *account);
void event_emit_setting(const char *name);
void event_emit_quit(void);
/* TYPE is EVENT_ROSTER_CHANGED or EVENT_PRESENCE_CHANGED; JID may be NULL. */
void event_emit_contact(EventType type, Account *account, const char *jid);
void event_emit_user_active(void);
void event_emit_transfer_changed(void);
/* TYPE is EVENT_ROOM_CHANGED or EVENT_OCCUPANT_CHANGED; ROOM is the room's
 * bare JID, NICK the occupant (NULL for EVENT_ROOM_CHANGED). */
void event_emit_room(EventType type, Account *account, const char *room,
                     const char *nick);
/* TYPE is one of EVENT_MESSAGE_*. */
void event_emit_message(EventType type, const Message *message);
void event_emit_subscription(const EventSubscription *request);
void event_emit_invitation(const EventInvitation *invitation);
void event_emit_kick(const EventKick *kick);
void event_emit_pubsub(const EventPubsub *item);

/* The name of TYPE ("message-received"), for hooks, the control socket
 * and plugins. */
const char *event_type_name(EventType type);
