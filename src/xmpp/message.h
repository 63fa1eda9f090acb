/* message.h: one-to-one chat messages: receiving them into chat buffers and
 * sending them. */
#pragma once

#include <glib.h>

/* Sends BODY to TO as a chat message from ACCOUNT and shows it in the chat
 * buffer (opened if needed). It is stored in history first; when ACCOUNT
 * is offline it stays there as pending and is sent when the account
 * connects. FALSE with ERROR set when TO is not a valid address, or the
 * account is offline and has no history to keep the message in. */
gboolean message_send_chat(const char *account, const char *to,
                           const char *body, GError **error);

/* The same as a reply (XEP-0461) to the message REPLY_ID of the chat
 * (NULL: an ordinary message). */
gboolean message_send_reply(const char *account, const char *to,
                            const char *body, const char *reply_id,
                            GError **error);

/* Corrects our message MESSAGE_ID to PEER (XEP-0308) with BODY. */
gboolean message_send_correction(const char *account, const char *peer,
                                 const char *message_id, const char *body,
                                 GError **error);
/* Withdraws our message MESSAGE_ID to PEER (XEP-0424). */
gboolean message_send_retraction(const char *account, const char *peer,
                                 const char *message_id, GError **error);
/* Our reactions to the message MESSAGE_ID of the chat with PEER: EMOJIS
 * space-separated; they replace the ones sent before (XEP-0444). */
gboolean message_send_reactions(const char *account, const char *peer,
                                const char *message_id, const char *emojis,
                                GError **error);
