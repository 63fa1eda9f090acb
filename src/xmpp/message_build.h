/* message_build.h: the one place a Message of ours becomes a <message/>
 * stanza: a chat, room or private message, a correction, a retraction,
 * reactions, a reply, with its files. What every message we send also
 * asks for (a receipt, to be marked as read, our chat state) is added by
 * the outbound pipeline's decorate stage (message_out.c), after the
 * encryption stages have had the stanza. Internal to xmpp/. */
#pragma once

#include <strophe.h>

#include "core/message.h"

/* The stanza for M (ours): to M->peer, id M->message_id, type by M->kind
 * (a private message is a chat to the occupant, marked muc#user). The
 * body is M->reply_quote, if any, then M->body. Caller releases. */
xmpp_stanza_t *message_build(xmpp_ctx_t *ctx, const Message *m);

/* A receipt (XEP-0184, STATE MESSAGE_DELIVERED through NS_RECEIPTS) or
 * chat marker (XEP-0333: "displayed") about the message ID, to TO, of
 * TYPE ("chat" or "groupchat"), with our new stanza id OUR_ID. Caller
 * releases. */
xmpp_stanza_t *message_build_receipt(xmpp_ctx_t *ctx, const char *to,
                                     const char *type, const char *id,
                                     const char *our_id);
xmpp_stanza_t *message_build_marker(xmpp_ctx_t *ctx, const char *to,
                                    const char *type, const char *marker,
                                    const char *id, const char *our_id);
