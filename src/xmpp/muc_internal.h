/* muc_internal.h: what the group chat files (muc.c, muc_admin.c,
 * bookmarks.c) share with the rest of xmpp/. Not for use outside xmpp/. */
#pragma once

#include "core/room.h"
#include "xmpp/session_internal.h"
#include "xmpp/ns.h"

/* Registers the handlers of a new connection (the presence and message
 * handlers are called from presence.c and message.c). */
void muc_register(Session *session);
/* The stream is up: rejoins the rooms we were in, finds the conference
 * service, fetches the bookmarks and joins the autojoin ones. */
void muc_session_started(Session *session);
/* The connection is gone: every room is "joining" again, without
 * occupants, until the next login rejoins it. */
void muc_session_ended(Session *session);

/* The room stage of the inbound message pipeline (muc_message.c). */
void muc_message_init(void);
void muc_message_shutdown(void);
/* The same for a presence: TRUE when it came from a room we are in or
 * carries MUC data (then it is a room's business, not the roster's). */
gboolean muc_take_presence(Session *session, xmpp_stanza_t *stanza);

/* muc_join(); FOCUS makes the room's window the current one (not for
 * rooms joined on their own, at login). */
gboolean muc_join_room(const char *account, const char *room, const char *nick,
                       const char *password, gboolean focus, GError **error);

/* The room ROOM of ACCOUNT that we are in (or joining), or NULL with
 * ERROR set. */
Room *muc_joined_room(const char *account, const char *room, GError **error);

/* The conference service (muc_service.c), found when first needed: FUNC
 * gets it (NULL when the server lists none) once known, at once if it
 * already is. The session must be online. */
typedef void (*MucServiceFunc)(Session *session, const char *service,
                               gpointer data);
void muc_service_need(Session *session, MucServiceFunc func, gpointer data,
                      GDestroyNotify destroy);
void muc_service_session_ended(Session *session);
/* The service JID of ACCOUNT (borrowed), or NULL when none is known. */
const char *muc_service_of(const char *account);
void muc_service_shutdown(void);

/* The room said its configuration changed (the status codes of its
 * muc#user X, XEP-0045 10.2.1): what it shows of its occupants is
 * updated, and its features asked again. */
void muc_config_changed(Session *session, Room *room, xmpp_stanza_t *x);

/* Joins ROOM (already in the model): asks its features (disco#info),
 * then sends our join presence. */
void muc_send_join(Session *session, Room *room);
/* The two steps apart, for the rooms joining in line (muc_pace.c):
 * muc_ask_room_info asks, and its answer calls muc_pace_room_known;
 * muc_send_join_presence joins. */
void muc_ask_room_info(Session *session, Room *room);
void muc_send_join_presence(Session *session, Room *room);

/* Joins natter makes on its own (autojoin, rejoins) go out a few rooms
 * at a time, and their catch-ups too (muc_pace.c): muc_pace_join puts
 * ROOM (state joining from now) in line; muc_pace_joined, once it is
 * joined, puts its catch-up in the other line (or starts it at once when
 * the user joined it); muc_pace_poke looks again at the rooms under way
 * after anything that may have ended one (joined, caught up, refused,
 * left) and starts the next; muc_pace_room_known takes the answer about
 * ROOM's features (muc_ask_room_info); muc_pace_forget takes ROOM out of the
 * lines when its join is sent some other way (the user's /join). */
void muc_pace_join(Session *session, Room *room);
void muc_pace_joined(Session *session, Room *room);
void muc_pace_room_known(Session *session, const char *room);
void muc_pace_poke(Session *session);
void muc_pace_forget(Session *session, const char *room);
void muc_pace_session_ended(Session *session);
void muc_pace_shutdown(void);

/* The room window of ROOM, opened if needed. */
Buffer *muc_room_buffer(Room *room);

/* The room's archive (muc_mam.c): after a join, what was said since the
 * last message we have (or the newest muc_history ones), page by page. */
void muc_mam_catch_up(Session *session, Room *room);
/* A <result/> of one of our room queries: TRUE when STANZA was one (or
 * claimed to be and was refused). */
gboolean muc_mam_take_result(Session *session, xmpp_stanza_t *stanza);
/* A catch-up of ROOM is under way. */
gboolean muc_mam_under_way(const char *account, const char *room);
/* A live message of ROOM with the room's STANZA_ID: where the next
 * catch-up starts. */
void muc_mam_note_live(Session *session, Room *room, const char *stanza_id);
void muc_mam_session_ended(Session *session);
void muc_mam_shutdown(void);

/* Self-ping (muc_ping.c, XEP-0410): anything from ROOM restarts its
 * silence; after muc_self_ping seconds of it, natter checks that it is
 * still in the room and joins again if not. */
void muc_ping_activity(Session *session, Room *room);
void muc_ping_session_ended(Session *session);
void muc_ping_shutdown(void);

/* The conference service known for ACCOUNT is forgotten (the account is
 * removed). */
void muc_service_forget(const char *account);
