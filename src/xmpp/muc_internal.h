/* muc_internal.h: what the group chat files (muc.c, muc_admin.c,
 * bookmarks.c) share with the rest of xmpp/. Not for use outside xmpp/. */
#pragma once

#include "core/room.h"
#include "xmpp/session_internal.h"

#define NS_MUC        "http://jabber.org/protocol/muc"
#define NS_MUC_USER   "http://jabber.org/protocol/muc#user"
#define NS_MUC_ADMIN  "http://jabber.org/protocol/muc#admin"
#define NS_MUC_OWNER  "http://jabber.org/protocol/muc#owner"
#define NS_CONFERENCE "jabber:x:conference"

/* Registers the handlers of a new connection (the presence and message
 * handlers are called from presence.c and message.c). */
void muc_register(Session *session);
/* The stream is up: rejoins the rooms we were in, finds the conference
 * service, fetches the bookmarks and joins the autojoin ones. */
void muc_session_started(Session *session);
/* The connection is gone: every room is "joining" again, without
 * occupants, until the next login rejoins it. */
void muc_session_ended(Session *session);

/* A message of type groupchat, or one from or about a room (a private
 * message from an occupant, an invitation, an error from a room): handles
 * it and returns TRUE; FALSE when it is none of these. */
gboolean muc_take_message(Session *session, xmpp_stanza_t *stanza);
/* The same for a presence: TRUE when it came from a room we are in or
 * carries MUC data (then it is a room's business, not the roster's). */
gboolean muc_take_presence(Session *session, xmpp_stanza_t *stanza);

/* muc_join(); FOCUS makes the room's window the current one (not for
 * rooms joined on their own, at login). */
gboolean muc_join_room(const char *account, const char *room, const char *nick,
                       const char *password, gboolean focus, GError **error);

/* Sends our join presence for ROOM (already in the model). */
void muc_send_join(Session *session, Room *room);

/* The room window of ROOM, opened if needed. */
Buffer *muc_room_buffer(Room *room);

/* Bookmarks (bookmarks.c): fetched at login; autojoin rooms are joined. */
void bookmarks_session_started(Session *session);
void bookmarks_shutdown(void);
/* A PEP notification of our bookmarks node: TRUE when STANZA was one. */
gboolean bookmarks_take_event(Session *session, xmpp_stanza_t *stanza);
