/* message.h: one-to-one chat messages: receiving them into chat buffers and
 * sending them. */
#pragma once

#include <glib.h>

/* Sends BODY to TO as a chat message from ACCOUNT and shows it in the chat
 * buffer (opened if needed). FALSE with ERROR set when ACCOUNT is not online
 * or TO is not a valid address. */
gboolean message_send_chat(const char *account, const char *to,
                           const char *body, GError **error);
