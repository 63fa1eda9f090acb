/* conversation.h: the path of one-to-one messages into the model. Each
 * message goes to the account's history first, where duplicates stop
 * (the same message live and from the archive, our own sent message coming
 * back); only then is it shown in its chat buffer. A chat opened fresh
 * starts with its last lines from history, and older ones load on demand.
 * Protocol code (xmpp/message.c) calls this; it knows nothing of XMPP. */
#pragma once

#include <glib.h>

#include "core/buffer.h"
#include "core/history.h"

/* How many lines of history a chat shows when it opens. */
#define CONVERSATION_BACKLOG 50

/* The history of ACCOUNT, opened on first use; NULL when it cannot be
 * opened (reported once in the account's console: natter goes on without
 * history for it). */
History *conversation_history(const char *account);

/* The chat buffer with PEER, opened (with its last lines of history) when
 * it is not open yet. */
Buffer *conversation_open(const char *account, const char *peer);

/* The same for any conversation: a chat, a room (PEER its bare JID) or a
 * room-private chat (PEER the occupant's full JID). */
Buffer *conversation_open_kind(const char *account, BufferKind kind,
                               const char *peer);

/* Stores MESSAGE (MESSAGE->peer is the conversation) and, unless it was a
 * duplicate, shows it in the chat with NICK. Returns the new line, or NULL
 * for a duplicate. A history that cannot be written is reported in the
 * chat and the message is still shown: nothing received is dropped. */
const BufferLine *conversation_add(const char *account, Message *message,
                                   const char *nick);

/* conversation_add() into a conversation of KIND (see
 * conversation_open_kind); HIGHLIGHT marks a message that mentions us. */
const BufferLine *conversation_add_to(const char *account, BufferKind kind,
                                      Message *message, const char *nick,
                                      gboolean highlight);

/* Our message ORIGIN_ID to PEER changed delivery state. */
void conversation_set_state(const char *account, const char *peer,
                            const char *origin_id, MessageState state);

/* Loads up to N older lines at the top of the chat BUFFER. Returns how
 * many were added (0 when the beginning was reached). */
guint conversation_load_older(Buffer *buffer, guint n);

/* SENDER (bare JID; NULL: us) corrected its message MESSAGE_ID to PEER
 * with BODY. FALSE (nothing changes) when there is no such message or
 * someone else wrote it. */
gboolean conversation_correct(const char *account, const char *peer,
                              const char *message_id, const char *sender,
                              const char *body);
/* SENDER (NULL: us) withdrew its message MESSAGE_ID; the same rules. */
gboolean conversation_retract(const char *account, const char *peer,
                              const char *message_id, const char *sender);
/* SENDER's reactions (space-separated emojis, "" for none) to the message
 * MESSAGE_ID of the conversation with PEER. */
gboolean conversation_react(const char *account, const char *peer,
                            const char *message_id, const char *sender,
                            const char *emojis);

/* A batch of ACCOUNT's history writes (history_batch_begin): xmpp/ wraps
 * the stanzas of one pump of the socket in one (xmpp/connloop.h), so that
 * a burst is one commit.
 * The end reports a failed commit in the account's console. */
void conversation_batch_begin(const char *account);
void conversation_batch_end(const char *account);
/* Commits the batch so far, before saying that messages are stored. */
void conversation_batch_commit(const char *account);

/* Closes every history database. */
void conversations_shutdown(void);
