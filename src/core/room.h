/* room.h: the model of group chats (XEP-0045): the rooms each account is
 * in, our nick there, the subject, and the occupants with their role,
 * affiliation, real JID (when the room shows it) and presence. Protocol
 * code (xmpp/muc.c) changes it; the UI and completion read it. Every
 * change emits EVENT_ROOM_CHANGED or EVENT_OCCUPANT_CHANGED. Occupants are
 * kept in a hash table by nick and in a sorted view (by role, then nick)
 * that each change updates in place, so a presence costs O(log n) however
 * big the room is, and a reader of the first rows of the view (the
 * occupant pane) never sorts. */
#pragma once

#include <glib.h>

typedef enum {
    ROOM_ROLE_NONE,
    ROOM_ROLE_VISITOR,
    ROOM_ROLE_PARTICIPANT,
    ROOM_ROLE_MODERATOR,
} RoomRole;

typedef enum {
    ROOM_AFFIL_NONE,
    ROOM_AFFIL_OUTCAST,
    ROOM_AFFIL_MEMBER,
    ROOM_AFFIL_ADMIN,
    ROOM_AFFIL_OWNER,
} RoomAffiliation;

typedef enum {
    ROOM_JOINING, /* our presence is sent, the room has not answered */
    ROOM_JOINED,  /* our own presence came back (status 110) */
    ROOM_LEFT,    /* we left, were kicked, or the join failed */
} RoomState;

/* What /room create asked of the join under way: once the room says it
 * was made for us (status 201), accept its defaults or fetch its form. */
typedef enum {
    ROOM_CREATE_NONE,
    ROOM_CREATE_INSTANT,
    ROOM_CREATE_CONFIGURED,
} RoomCreate;

typedef struct {
    char *nick;
    RoomRole role;
    RoomAffiliation affiliation;
    char *real_jid; /* full JID when the room tells us, else NULL */
    char *show;     /* "online", "away"... */
    char *status;   /* status text, or NULL */
    /* Since when the occupant has its nick (µs since the epoch: it came
     * in, or took the nick, while we were there), or 0 when it had it
     * before we joined: what the nick said earlier may have been someone
     * else's. */
    gint64 nick_since;
    /* room.c's own: the nick's collation key and the occupant's place in
     * the room's view. */
    char *sort_key;
    GSequenceIter *place;
} Occupant;

typedef struct {
    char *account;
    char *jid;             /* bare JID of the room */
    char *nick;            /* our nick in it */
    char *password;        /* the password we joined with, or NULL */
    char *subject;         /* NULL when none was set */
    gboolean subject_seen; /* the subject message of this join came */
    guint leaving;     /* our leave presences the room has not answered yet */
    gboolean archived; /* the room keeps an archive (XEP-0313) */
    /* What OMEMO in a room needs (XEP-0384 6.3): everyone's real JID is
     * shown (disco muc_nonanonymous, status 100 or 172) and only members
     * may enter (muc_membersonly). Kept up to date by configuration
     * changes (status 104, 172-174). */
    gboolean nonanonymous;
    gboolean membersonly;
    /* How its moderators remove messages (XEP-0425): the namespace the
     * room announced, or NULL when it cannot. */
    const char *moderation;
    RoomCreate create; /* set by /room create until the join answers */
    RoomState state;
    GHashTable *occupants; /* nick -> Occupant * (owned) */
    /* The occupants (borrowed) by role, moderators first, then by nick as
     * the user's locale sorts them; read it, room.c keeps it sorted. */
    GSequence *view;
    guint role_count[ROOM_ROLE_MODERATOR + 1]; /* occupants per role */
} Room;

/* Rooms go with their account (EVENT_ACCOUNT_REMOVED). */
void rooms_init(void);
void rooms_shutdown(void);

/* The room JID of ACCOUNT, or NULL (JID compared as a bare JID). */
Room *room_find(const char *account, const char *jid);
/* The room, created (state ROOM_JOINING) if ACCOUNT was not in it. */
Room *room_get(const char *account, const char *jid, const char *nick);
/* Forgets the room and its occupants. */
void room_remove(const char *account, const char *jid);
/* The rooms of ACCOUNT (Room *, borrowed; caller frees the array). */
GPtrArray *rooms_of(const char *account);

void room_set_state(Room *room, RoomState state);
void room_set_nick(Room *room, const char *nick);
void room_set_subject(Room *room, const char *subject);
/* What the room says of itself (Room.nonanonymous, Room.membersonly). */
void room_set_privacy(Room *room, gboolean nonanonymous, gboolean membersonly);

/* Adds or updates the occupant NICK. Returns it (owned by ROOM); *IS_NEW
 * says whether NICK was not there before. */
Occupant *room_occupant_set(Room *room, const char *nick, RoomRole role,
                            RoomAffiliation affiliation, const char *real_jid,
                            const char *show, const char *status,
                            gboolean *is_new);
Occupant *room_occupant_find(Room *room, const char *nick);
/* Removes NICK; FALSE when there was no such occupant. */
gboolean room_occupant_remove(Room *room, const char *nick);
/* Renames OLD to NEW (status 303), keeping what is known of it. */
gboolean room_occupant_rename(Room *room, const char *old_nick,
                              const char *new_nick);
/* Forgets every occupant (we left, the connection ended). */
void room_clear_occupants(Room *room);

/* The nicks of ROOM sorted case-insensitively (caller frees the array;
 * the strings are new). */
GPtrArray *room_nicks(Room *room);

/* TRUE when TEXT mentions NICK as a word (case-insensitive): what makes
 * a room message a highlight. */
gboolean room_text_mentions(const char *text, const char *nick);

/* Names of roles and affiliations as XEP-0045 spells them, and back. */
const char *room_role_name(RoomRole role);
const char *room_affiliation_name(RoomAffiliation affiliation);
gboolean room_role_parse(const char *name, RoomRole *role);
gboolean room_affiliation_parse(const char *name, RoomAffiliation *affiliation);
