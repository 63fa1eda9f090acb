/* message.h: sending messages, for the command layer: in a chat, in a
 * room, privately to a room's occupant, and the changes to earlier
 * messages (corrections, retractions, reactions) in any of them. What we
 * type is stored first and shown at once; it is sent when it can be (the
 * account online, for a room: joined), through the send stages of the
 * message pipeline, and kept as pending until then. */
#pragma once

#include <glib.h>

#include "core/message.h"

/* Sends BODY in the conversation of KIND with PEER (a JID for a chat, the
 * room's JID, or an occupant's room@service/nick) from ACCOUNT, as a
 * reply to the stored message REPLY_ROW when not 0 (XEP-0461). FALSE with
 * ERROR set when PEER is not a valid address, the room is not one we are
 * in, or there is nowhere to keep the message until it can be sent. */
gboolean message_send(const char *account, MessageKind kind, const char *peer,
                      const char *body, gint64 reply_row, GError **error);

/* Sends the link URL to a file (of MEDIA_TYPE or NULL, SIZE bytes or -1)
 * as message_send() does, as the body and as out-of-band data
 * (XEP-0066), so that clients show it as a file. */
gboolean message_send_file_link(const char *account, MessageKind kind,
                                const char *to, const char *url,
                                const char *media_type, gint64 size,
                                GError **error);

/* message_send() of a chat message. */
gboolean message_send_chat(const char *account, const char *to,
                           const char *body, GError **error);

/* Changes to the stored message ROW of the conversation of KIND with
 * PEER: our correction to BODY (XEP-0308), our retraction (XEP-0424), our
 * reactions EMOJIS (space-separated; they replace the ones sent before,
 * "" takes them back; XEP-0444). They need the account online (and for a
 * room, being in it). */
gboolean message_send_correction(const char *account, MessageKind kind,
                                 const char *peer, gint64 row, const char *body,
                                 GError **error);
gboolean message_send_retraction(const char *account, MessageKind kind,
                                 const char *peer, gint64 row, GError **error);
gboolean message_send_reactions(const char *account, MessageKind kind,
                                const char *peer, gint64 row,
                                const char *emojis, GError **error);
