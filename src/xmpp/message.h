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
