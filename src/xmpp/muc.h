/* muc.h: group chat (XEP-0045) for the command layer: joining and leaving
 * rooms, talking in them and privately to occupants, nick and subject,
 * moderation, invitations, instant room configuration, and bookmarks
 * (XEP-0402). Each function acts for ACCOUNT and returns FALSE with ERROR
 * set when the request cannot even be sent; answers that come later are
 * shown in the room's window (or the account's console). */
#pragma once

#include <glib.h>

#include "core/sink.h"

/* Joins ROOM (room@service, or a bare name on the account's conference
 * service) as NICK (NULL: the local part of the account's JID) with
 * PASSWORD (may be NULL), and opens its window. */
gboolean muc_join(const char *account, const char *room, const char *nick,
                  const char *password, GError **error);
/* Leaves ROOM with an optional MESSAGE. */
gboolean muc_part(const char *account, const char *room, const char *message,
                  GError **error);
/* Sends BODY to ROOM (type groupchat). It is shown at once and marked
 * delivered when the room reflects it back; while we are out of the room
 * (offline, rejoining) it is kept and sent once we are in again. */
gboolean muc_send(const char *account, const char *room, const char *body,
                  GError **error);
/* A private message to the occupant OCCUPANT (room@service/nick); opens
 * the room-private window. BODY may be NULL (only open the window). */
gboolean muc_send_private(const char *account, const char *occupant,
                          const char *body, GError **error);
gboolean muc_change_nick(const char *account, const char *room,
                         const char *nick, GError **error);
/* Sets ROOM's subject to TEXT. */
gboolean muc_set_subject(const char *account, const char *room,
                         const char *text, GError **error);

/* Moderation (muc_admin.c). NICK is an occupant's nick, JID a bare JID;
 * REASON may be NULL. */
gboolean muc_set_role(const char *account, const char *room, const char *nick,
                      const char *role, const char *reason, GError **error);
gboolean muc_set_affiliation(const char *account, const char *room,
                             const char *jid, const char *affiliation,
                             const char *reason, GError **error);
/* Asks ROOM to remove its message STANZA_ID (the room's id for it) for
 * everyone, with REASON (may be NULL): moderators only (XEP-0425). */
gboolean muc_moderate(const char *account, const char *room,
                      const char *stanza_id, const char *reason,
                      GError **error);
/* Invites JID to ROOM: a direct invitation (XEP-0249), or MEDIATED by the
 * room itself (XEP-0045 7.8.2), which then tells JID. */
gboolean muc_invite(const char *account, const char *room, const char *jid,
                    const char *reason, gboolean mediated, GError **error);
/* Joins ROOM (NAME or NAME@SERVICE) to create it, then accepts its
 * default configuration, or, when CONFIGURED, opens its configuration
 * form in a form window. Says so if the room already existed. */
gboolean muc_create(const char *account, const char *room, gboolean configured,
                    GError **error);
/* Accepts the default configuration of ROOM (an instant room). */
gboolean muc_configure_instant(const char *account, const char *room,
                               GError **error);
/* Fetches the configuration form of ROOM (muc_config.c) and opens it in
 * a form window (core/form.h), where /form changes, submits or cancels
 * it. */
gboolean muc_config_fetch(const char *account, const char *room,
                          GError **error);
/* Destroys ROOM (owners only). */
gboolean muc_destroy(const char *account, const char *room, const char *reason,
                     GError **error);

/* Lists the rooms of SERVICE (NULL: the account's conference service) to
 * OUT (disco#items). */
gboolean muc_list_rooms(const char *account, const char *service, Sink *out,
                        GError **error);

/* Frees what is known of conference services and bookmarks. */
void muc_shutdown(void);

/* Bookmarks (bookmarks.c, XEP-0402 in PEP). */
/* The outcome of a change is printed to OUT (NULL: the account's
 * console). */
gboolean muc_bookmark_add(const char *account, const char *room,
                          gboolean autojoin, const char *nick, Sink *out,
                          GError **error);
gboolean muc_bookmark_remove(const char *account, const char *room, Sink *out,
                             GError **error);
/* The bookmarks known for ACCOUNT, one "room (autojoin, nick N)" line per
 * bookmark (caller frees), or NULL when they are not known (offline). */
GPtrArray *muc_bookmark_list(const char *account);
