/* buffer.h: buffers, the conversation model. A buffer is one conversation
 * (natter's console, an account's console, a chat) with its lines, unread
 * count and activity. Buffers live here in core; the terminal UI and the
 * headless front end only draw them. Each open buffer has a window number
 * that stays the same while it is open. */
#pragma once

#include <glib.h>

#include "core/event.h"
#include "core/history.h"

typedef enum {
    BUFFER_CONSOLE,    /* natter's own console: window 1, no account */
    BUFFER_ACCOUNT,    /* one account's console */
    BUFFER_CHAT,       /* a one-to-one conversation with a bare JID */
    BUFFER_XMLCONSOLE, /* an account's raw XML traffic (/xmlconsole) */
    BUFFER_ROOM,       /* a group chat (XEP-0045); peer is the room's JID */
    BUFFER_PRIVATE,    /* a private chat with a room's occupant; peer is
                          the occupant's full JID room@service/nick */
    BUFFER_FORM,       /* a data form to fill in (core/form.h); peer is
                          whom it is for, e.g. a room's JID */
    BUFFER_VIEW,       /* something the user asked to see, read-only: a
                          contact's card, a service's items; peer is its
                          key ("vcard:bob@example.org"), also its name */
} BufferKind;

typedef enum {
    LINE_INFO,  /* natter telling the user something */
    LINE_ERROR, /* something failed */
    LINE_IN,    /* a message from the peer */
    LINE_OUT,   /* a message we sent */
} LineKind;

/* How much happened in a buffer since the user last looked; ordered. */
typedef enum {
    ACTIVITY_NONE,
    ACTIVITY_EVENT,     /* informational lines */
    ACTIVITY_MESSAGE,   /* messages */
    ACTIVITY_HIGHLIGHT, /* private messages and mentions */
} Activity;

struct BufferLine {
    gint64 time; /* microseconds since the epoch */
    LineKind kind;
    char *nick;         /* sanitised; NULL for info and error lines */
    char *text;         /* sanitised; may hold '\n' */
    gint64 history_id;  /* its row in the account's history, or 0 */
    MessageState state; /* delivery of our messages (LINE_OUT) */
    char *message_id;   /* what corrections, replies, reactions point at */
    gboolean edited;    /* corrected by its sender */
    gboolean retracted; /* withdrawn by its sender: text is empty */
    char *reactions;    /* sanitised summary ("👍 2 ❤"), or NULL */
    char *quote;        /* sanitised: what this message replies to, or NULL */
    gboolean highlight; /* it mentions us (room messages) */
    MessageSecurity security; /* how it crossed the network */
    MessageTrust trust;       /* what we know of its key */
};

/* A line to add: what buffer_add() copies and sanitises. */
typedef struct {
    LineKind kind;
    const char *nick;
    const char *text;
    gint64 time; /* 0: now */
    gint64 history_id;
    MessageState state;
    const char *message_id;
    gboolean edited;
    gboolean retracted;
    const char *reactions;
    const char *quote;
    gboolean highlight; /* LINE_IN that mentions us: ACTIVITY_HIGHLIGHT */
    MessageSecurity security;
    MessageTrust trust;
} BufferLineSpec;

struct Buffer {
    guint number; /* window number */
    BufferKind kind;
    char *account;         /* account name; NULL for the console */
    char *peer;            /* bare JID of a chat or room, full JID of a
                              room-private chat; NULL otherwise */
    char *name;            /* short name shown in lists and bars */
    GPtrArray *lines;      /* BufferLine *, oldest first */
    guint64 lines_dropped; /* lines trimmed from the front so far */
    guint unread;          /* messages since the user last looked */
    Activity activity;
    ChatState peer_state;      /* chats: what the peer is doing */
    gint64 selected;           /* history id of the selected line, or 0 */
    gint64 history_oldest;     /* history id of the oldest line loaded */
    gboolean history_complete; /* nothing older left to load */
    gboolean history_deferred; /* its history loads when it is first shown
                                  (restored windows) */
    char *search;              /* what /search looks for here, or NULL */
    gint64 search_match;       /* the absolute index (lines_dropped +
                                  index) of the line found, or -1 */
};

void buffers_init(void);
void buffers_shutdown(void);

/* natter's console (window 1); always open. */
Buffer *buffer_console(void);

/* The buffer of KIND for ACCOUNT and PEER, or NULL. PEER is compared as a
 * bare JID, except for BUFFER_PRIVATE (full JID) and BUFFER_VIEW (its key,
 * as it is). */
Buffer *buffer_find(BufferKind kind, const char *account, const char *peer);

/* The buffer of KIND for ACCOUNT and PEER, created (and announced with
 * EVENT_BUFFER_OPENED) when there is none. */
Buffer *buffer_open(BufferKind kind, const char *account, const char *peer);

/* The view window of ACCOUNT named KEY, opened if needed and emptied, for
 * what is shown in it next. */
Buffer *buffer_view(const char *account, const char *key);

/* The console of ACCOUNT, opened if needed. */
Buffer *buffer_account_console(const char *account);

/* Frees BUFFER after EVENT_BUFFER_CLOSED. The console cannot be closed:
 * returns FALSE for it. If BUFFER was current, the next lower one is. */
gboolean buffer_close(Buffer *buffer);

/* Appends a line, sanitising NICK (one line) and TEXT (multi-line), so the
 * model only ever holds text that is safe to draw. Updates unread counts and
 * activity, trims the oldest lines beyond the scrollback limit, and emits
 * EVENT_BUFFER_LINE. Returns the stored line (owned by the buffer). */
const BufferLine *buffer_append(Buffer *buffer, LineKind kind, const char *nick,
                                const char *text);
const BufferLine *buffer_appendf(Buffer *buffer, LineKind kind,
                                 const char *format, ...) G_GNUC_PRINTF(3, 4);
/* buffer_append() with everything a message line may carry. */
const BufferLine *buffer_add(Buffer *buffer, const BufferLineSpec *spec);

/* Puts N older lines (oldest first) above the first line, as when history
 * is loaded: no unread count or activity. Emits EVENT_BUFFER_PREPENDED. */
void buffer_prepend(Buffer *buffer, const BufferLineSpec *specs, guint n);

/* Sets the delivery state of the line with HISTORY_ID, if it is in
 * BUFFER, and emits EVENT_BUFFER_LINE_CHANGED. */
/* How the line of HISTORY_ID crossed the network, once it left. */
void buffer_set_line_security(Buffer *buffer, gint64 history_id,
                              MessageSecurity security);
void buffer_set_line_state(Buffer *buffer, gint64 history_id,
                           MessageState state);

/* The line of BUFFER with HISTORY_ID, or NULL. */
const BufferLine *buffer_line_by_history_id(const Buffer *buffer,
                                            gint64 history_id);
/* A message line was corrected or retracted (TEXT is then a note of
 * what happened, or NULL): its text is replaced (sanitised) and
 * EVENT_BUFFER_LINE_CHANGED emitted. */
void buffer_line_set_text(Buffer *buffer, gint64 history_id, const char *text,
                          gboolean edited, gboolean retracted);
/* The reactions shown under a line (NULL: none). */
void buffer_line_set_reactions(Buffer *buffer, gint64 history_id,
                               const char *reactions);
/* Moves the selection (for replies, reactions, corrections) to the
 * previous (-1) or next (+1) message line; past the newest, none is
 * selected. Emits EVENT_BUFFER_CHANGED. */
void buffer_select(Buffer *buffer, int direction);
/* No line selected any more (emits EVENT_BUFFER_CHANGED if one was). */
void buffer_unselect(Buffer *buffer);

/* The peer's chat state changed: emits EVENT_BUFFER_CHANGED. */
void buffer_set_peer_state(Buffer *buffer, ChatState state);

/* The user is typing a message in BUFFER: emits EVENT_USER_TYPING. */
void buffer_user_typing(Buffer *buffer);

/* Removes every line (the user's /clear). */
void buffer_clear(Buffer *buffer);

Buffer *buffer_current(void);
/* Makes BUFFER current, clears its unread state, emits
 * EVENT_BUFFER_SWITCHED. */
void buffer_switch(Buffer *buffer);

Buffer *buffer_by_number(guint number);

/* Gives BUFFER window NUMBER (/win move); the buffer that had NUMBER, if
 * any, takes BUFFER's old number, so numbers stay unique and every other
 * window keeps its own. Window 1 is natter's console: FALSE when BUFFER
 * is the console or NUMBER is 1 or 0. Emits EVENT_BUFFER_CHANGED. */
gboolean buffer_move(Buffer *buffer, guint number);

/* Open buffers sorted by number (borrowed; do not modify). */
const GPtrArray *buffers_list(void);

/* A stable textual id: "natter", "ACCOUNT" or "ACCOUNT/PEER". Caller frees. */
char *buffer_id(const Buffer *buffer);

/* How many lines each buffer keeps in memory; older ones are trimmed. */
void buffers_set_scrollback(guint lines);
