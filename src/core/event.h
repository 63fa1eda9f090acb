/* event.h: the core event bus. Lower layers emit, upper layers and plugins
 * subscribe; nothing in xmpp/ or core/ calls the UI.
 *
 * Every event is listed here with the fields of Event it sets. Handlers run
 * synchronously in priority order (lower numbers first) and may return
 * EVENT_STOP to keep later handlers from seeing the event. */
#pragma once

#include <glib.h>

typedef struct Buffer Buffer;
typedef struct BufferLine BufferLine;
typedef struct Account Account;

typedef enum {
    /* A buffer was created.                      fields: buffer */
    EVENT_BUFFER_OPENED,
    /* A buffer is about to be freed.             fields: buffer */
    EVENT_BUFFER_CLOSED,
    /* A line was appended to a buffer.           fields: buffer, line */
    EVENT_BUFFER_LINE,
    /* Older lines (history) were put at the top.  fields: buffer, count */
    EVENT_BUFFER_PREPENDED,
    /* A line's delivery state changed.           fields: buffer, line */
    EVENT_BUFFER_LINE_CHANGED,
    /* Title, number, activity or other state.    fields: buffer */
    EVENT_BUFFER_CHANGED,
    /* The current buffer changed.                fields: buffer (new one) */
    EVENT_BUFFER_SWITCHED,
    /* The user typed text (not a command) in a buffer.  fields: buffer */
    EVENT_USER_TYPING,
    /* An account connected, disconnected...      fields: account */
    EVENT_ACCOUNT_STATE,
    /* An online account's login is complete: the roster received (or
     * refused) and our initial presence sent; at once for a resumed
     * stream.                                    fields: account */
    EVENT_ACCOUNT_READY,
    /* An account was added, changed or removed.  fields: account */
    EVENT_ACCOUNT_CHANGED,
    /* A global setting changed (core/settings.h). fields: key (its name) */
    EVENT_SETTING_CHANGED,
    /* A roster contact was added, changed or removed, or (key NULL) the
     * whole roster was replaced (core/roster.h).
     *                                            fields: account, key (JID) */
    EVENT_ROSTER_CHANGED,
    /* A contact's presence changed.              fields: account, key (bare
     *                                            JID) */
    EVENT_PRESENCE_CHANGED,
    /* The user pressed a key or typed a line (core/app.h). fields: none */
    EVENT_USER_ACTIVE,
    /* A room we are in changed: joined, left, our nick, its subject
     * (core/room.h).                             fields: account, key (the
     *                                            room's bare JID) */
    EVENT_ROOM_CHANGED,
    /* An occupant of a room came, left, changed nick, role, affiliation or
     * presence; key NULL: all of them at once.   fields: account, key (the
     * room's bare JID), nick (the occupant's nick, or NULL) */
    EVENT_OCCUPANT_CHANGED,
    /* The program is shutting down; handlers release what they hold. */
    EVENT_QUIT,
    EVENT_COUNT
} EventType;

typedef struct {
    EventType type;
    Buffer *buffer;
    const BufferLine *line;
    Account *account;
    const char *key;
    guint count;
    const char *nick; /* EVENT_OCCUPANT_CHANGED */
} Event;

typedef enum { EVENT_CONTINUE = FALSE, EVENT_STOP = TRUE } EventResult;

typedef EventResult (*EventHandler)(const Event *event, gpointer user_data);

/* Default priority of subscribers; the model (history, counters) uses
 * EVENT_PRIORITY_MODEL to run before views. */
#define EVENT_PRIORITY_MODEL   -100
#define EVENT_PRIORITY_DEFAULT 0

void event_init(void);
void event_shutdown(void);

/* Returns an id for event_unsubscribe(); never 0. */
guint event_subscribe(EventType type, int priority, EventHandler handler,
                      gpointer user_data);
void event_unsubscribe(guint id);

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
/* TYPE is EVENT_ROOM_CHANGED or EVENT_OCCUPANT_CHANGED; ROOM is the room's
 * bare JID, NICK the occupant (NULL for EVENT_ROOM_CHANGED). */
void event_emit_room(EventType type, Account *account, const char *room,
                     const char *nick);

/* The name of TYPE, for debugging and the plugin API. */
const char *event_type_name(EventType type);
