/* conversation.h: conversations (chats, rooms, private chats in rooms)
 * between the message pipeline and the buffers. It registers the
 * pipeline's store and deliver stages (core/pipeline.h): each message
 * goes to the account's history first, where duplicates stop (the same
 * message live and from the archive, our own sent message coming back),
 * then it is announced (EVENT_MESSAGE_RECEIVED, EVENT_MESSAGE_SENT); the
 * view, a subscriber of those events, shows it as a buffer line. A
 * conversation opened fresh starts with its last lines from history, and
 * older ones load on demand. It knows nothing of XMPP. */
#pragma once

#include <glib.h>

#include "core/buffer.h"
#include "core/history.h"

/* How many lines of history a conversation shows when it opens. */
#define CONVERSATION_BACKLOG 50

/* Registers the stages and the view; conversations_shutdown() undoes it
 * and closes every history database. */
void conversation_init(void);
void conversations_shutdown(void);

/* The history of the account named ACCOUNT, opened on first use and kept
 * with the account; NULL when there is no such account or the history
 * cannot be opened (reported once in the account's console: natter goes
 * on without history for it). */
History *conversation_history(const char *account);

/* The chat buffer with PEER, opened (with its last lines of history) when
 * it is not open yet. */
Buffer *conversation_open(const char *account, const char *peer);

/* The same for any conversation: a chat, a room (PEER its bare JID) or a
 * room-private chat (PEER the occupant's full JID). */
Buffer *conversation_open_kind(const char *account, BufferKind kind,
                               const char *peer);

/* The same, but its history loads when the window is first shown
 * (buffer_switch): the windows restored at start do not each read the
 * history before the first frame. */
Buffer *conversation_open_deferred(const char *account, BufferKind kind,
                                   const char *peer);

/* The buffer kind of a conversation of messages of KIND, and back. */
BufferKind conversation_buffer_kind(MessageKind kind);
MessageKind conversation_message_kind(BufferKind kind);

/* Our message ORIGIN_ID to PEER changed delivery state
 * (EVENT_MESSAGE_STATE when it did). */
/* Our stored message M left with another protocol than it was stored
 * with (M->security): the history and its line learn it. */
void conversation_set_security(const Message *m);
void conversation_set_state(const char *account, const char *peer,
                            const char *origin_id, MessageState state);

/* Loads up to N older lines at the top of the conversation BUFFER.
 * Returns how many were added (0 when the beginning was reached). */
guint conversation_load_older(Buffer *buffer, guint n);

/* The stored message of the conversation with PEER that others point at
 * with ID (its id, origin-id or archive id), newest first; NULL when
 * unknown. */
Message *conversation_find(const char *account, const char *peer,
                           const char *id);

/* Who may change a stored message: SENDER (a bare JID in chats, the
 * occupant's full JID room@service/nick in rooms; NULL: us) corrected its
 * message ID to PEER with BODY. FALSE (nothing changes) when there is no
 * such message or someone else wrote it (XEP-0308 §7, XEP-0424 §7). Each
 * change is announced with EVENT_MESSAGE_CHANGED. */
gboolean conversation_correct(const char *account, const char *peer,
                              const char *id, const char *sender,
                              const char *body);
/* SENDER (NULL: us) withdrew its message ID; the same rules. */
gboolean conversation_retract(const char *account, const char *peer,
                              const char *id, const char *sender);
/* A moderator (BY: room@service/nick, or words) removed the message with
 * the room's id STANZA_ID from ROOM, for REASON (or NULL): no authorship
 * rule, the room itself said so (XEP-0425). */
gboolean conversation_moderate(const char *account, const char *room,
                               const char *stanza_id, const char *by,
                               const char *reason);
/* SENDER's reactions (space-separated emojis, "" for none) to the message
 * ID of the conversation with PEER; they replace that sender's earlier
 * ones. */
gboolean conversation_react(const char *account, const char *peer,
                            const char *id, const char *sender,
                            const char *emojis);

/* A batch of ACCOUNT's history writes (history_batch_begin): xmpp/ wraps
 * the stanzas of one pump of the socket in one (xmpp/connloop.h), so that
 * a burst is one commit.
 * The end reports a failed commit in the account's console. */
void conversation_batch_begin(const char *account);
void conversation_batch_end(const char *account);
/* Commits the batch so far, before saying that messages are stored. */
void conversation_batch_commit(const char *account);
