/* amend.h: messages that change earlier ones: corrections (XEP-0308),
 * retractions (XEP-0424) and reactions (XEP-0444), received in chats,
 * rooms and private chats. The inbound pipeline's signals stage hands
 * each message here; what we send is built by message_build.h. Internal
 * to xmpp/. */
#pragma once

#include "core/message.h"
#include "xmpp/session_internal.h"

/* If M corrects, retracts or reacts to an earlier message of its
 * conversation, applies it and returns TRUE: it is not a new message. A
 * change of a message its sender did not write is refused and reported.
 * In a room the author is the occupant (room@service/nick), who must
 * still be in the room: a nick taken over by someone else after its
 * owner left changes nothing. */
gboolean amend_take(Session *session, const Message *m);
