/* message_parse.h: the one place a <message/> stanza becomes a Message
 * (core/message.h): chats, rooms, private messages from occupants,
 * headlines, errors, and what a message carries about others
 * (corrections, retractions, reactions, replies, receipts, markers, chat
 * states, invitations). Carbons and archive results are unwrapped by
 * their owners (carbons.c, mam.c, muc_mam.c) after their authority
 * checks; the inner message is parsed here with its origin.
 *
 * The parser looks only at the stanza and the context: it changes
 * nothing, so it is tested from XML strings (tests/unit/xmpp) and fuzzed
 * (tests/fuzz/fuzz_message_parse.c). Internal to xmpp/. */
#pragma once

#include <strophe.h>

#include "core/message.h"

typedef struct {
    const char *account;  /* copied into the message */
    const char *own_bare; /* our bare JID, normalised; NULL before login */
    MessageOrigin origin;
    /* ARCHIVED: the archive's id for the message, and when it was sent
     * (from the forward's delay; 0: unknown). */
    const char *archive_id;
    gint64 time;
    /* TRUE when BARE is a room of this account: a chat message from one
     * of its occupants is private to that room. NULL: none is. */
    gboolean (*is_room)(const char *bare, gpointer data);
    gpointer data;
} MessageParseContext;

/* STANZA as a Message (a new reference), or NULL with ERROR set when it
 * cannot be one (an address that is not a JID). A stanza with nothing to
 * show still parses: its signals (acks, chat state...) are in the
 * message, and its body is NULL. */
Message *message_parse(xmpp_stanza_t *stanza, const MessageParseContext *ctx,
                       GError **error);
