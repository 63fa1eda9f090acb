/* history.h: the message history of one account, in an SQLite database
 * (WAL) in the account's data directory. Every message in and out is
 * stored with its ids (XEP-0359 origin-id and the server's stanza-id),
 * its time, direction and delivery state. A message seen twice (live and
 * again from the archive, or our own sent message coming back) is stored
 * once: history_add() says when it was a duplicate. Search uses FTS5. */
#pragma once

#include <glib.h>

#include "core/message.h"

typedef struct History History;

/* Opens (creating or upgrading) the history of ACCOUNT, in its data
 * directory (core/paths.h). NULL with ERROR set when the database cannot
 * be opened: natter then runs without history and says so. */
History *history_open(const char *account, GError **error);
/* Commits a batch left open (history_batch_end), then closes. */
void history_close(History *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(History, history_close)

/* A batch: from history_batch_begin() to history_batch_end(), every write
 * joins one transaction (begun at the first write), so a burst of
 * messages costs one commit instead of one each. Nothing written in a
 * batch is durable before history_batch_end() returns: a natter killed
 * in between loses all of it, so whoever batches must not tell anyone
 * about those messages (receipts, the archive position) before then.
 * Outside a batch each write commits at once. history_batch_end() commits
 * (FALSE with ERROR set when that failed: the batch is then rolled back)
 * and leaves batch mode; it is harmless without a batch. */
void history_batch_begin(History *history);
gboolean history_batch_end(History *history, GError **error);
/* Commits what the batch holds so far (before telling anyone it is
 * stored); the batch goes on. The same errors as history_batch_end(). */
gboolean history_batch_commit(History *history, GError **error);

/* Stores MESSAGE and sets its id. When the same message is already stored
 * (same stanza-id, or same origin-id in the same conversation and
 * direction), nothing is added, the stored row learns a stanza-id it did
 * not have, MESSAGE->id is set to the stored row, and *DUPLICATE is TRUE. */
gboolean history_add(History *history, Message *message, gboolean *duplicate,
                     GError **error);

/* Changes the delivery state of our message ORIGIN_ID to PEER. A state
 * never goes backwards (a late "sent" does not undo "read"). Returns
 * FALSE when no such message is stored. */
gboolean history_set_state(History *history, const char *peer,
                           const char *origin_id, MessageState state);

/* Changes how our stored message ID crossed the network: the encrypt
 * stage, when it leaves, may pick another protocol than the one it was
 * stored with. */
gboolean history_set_security(History *history, gint64 id,
                              MessageSecurity security);

/* The row id of our message ORIGIN_ID to PEER, or 0. */
gint64 history_find_origin(History *history, const char *peer,
                           const char *origin_id);

/* Up to LIMIT messages of the conversation with PEER, oldest first, all
 * older than row BEFORE_ID (0: the newest ones). Caller frees the array;
 * its elements are Message. */
GPtrArray *history_last(History *history, const char *peer, guint limit,
                        gint64 before_id);

/* Our messages still waiting to be sent (typed while offline), oldest
 * first. */
GPtrArray *history_pending(History *history);

/* Messages whose text has all the words of QUERY (FTS5; QUERY is taken as
 * plain words, not FTS syntax), newest first, at most LIMIT. */
GPtrArray *history_search(History *history, const char *query, guint limit,
                          GError **error);

/* A page of a search: the words of QUERY as history_search() takes them,
 * except that words between double quotes are a phrase, found only as
 * they stand; only the conversation with PEER when it is not NULL. */
typedef struct {
    const char *query;
    const char *peer;
    guint offset; /* matches skipped, newest first */
    guint limit;
} HistoryQuery;

/* The page of messages QUERY asks for, newest first; *TOTAL (may be
 * NULL) gets the number of all the matches. */
GPtrArray *history_search_page(History *history, const HistoryQuery *query,
                               guint *total, GError **error);

/* The id of the newest message of the conversation with PEER older than
 * row BEFORE_ID (0: any) whose text contains TEXT, letters matched
 * without regard to case (ASCII); 0 when there is none. */
gint64 history_find_text(History *history, const char *peer, const char *text,
                         gint64 before_id);

/* Small named values kept with the history (e.g. the last archive id
 * seen, for MAM catch-up). history_get_value returns a new string or
 * NULL. */
gboolean history_set_value(History *history, const char *key, const char *value,
                           GError **error);
char *history_get_value(History *history, const char *key);

/* The message of the conversation with PEER whose stanza's id, origin-id
 * or archive id (stanza-id: what rooms point at) is MESSAGE_ID, newest
 * first; NULL when unknown. */
Message *history_find_message(History *history, const char *peer,
                              const char *message_id);

/* The message stored as row ID, or NULL. */
Message *history_get(History *history, gint64 id);

/* Replaces the text of row ID and marks it edited (not once retracted). */
gboolean history_correct(History *history, gint64 id, const char *body);
/* Forgets the text of row ID and marks it retracted; NOTE (or NULL)
 * says what happened instead ("removed by a moderator: spam"). */
gboolean history_retract(History *history, gint64 id, const char *note);

/* SENDER's reactions (space-separated emojis; empty removes them) to the
 * message MESSAGE_ID with PEER: each sender's latest set replaces the last
 * (XEP-0444). */
void history_set_reactions(History *history, const char *peer,
                           const char *message_id, const char *sender,
                           const char *emojis);
/* All reactions to that message as shown under it ("👍 2 ❤"), or NULL. */
char *history_reactions(History *history, const char *peer,
                        const char *message_id);
