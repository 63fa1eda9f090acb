/* roster.h: the per-account roster model: contacts (bare JID, name, groups,
 * subscription, pending "ask"), the presence of each resource we hear from,
 * subscription requests waiting for the user's answer, the block list and
 * our own presence. Everything is keyed by account name. The protocol code
 * (xmpp/roster.c, presence.c, blocking.c) fills it; commands and views read
 * it. Changes are announced with EVENT_ROSTER_CHANGED and
 * EVENT_PRESENCE_CHANGED. The roster can be saved to and loaded from a
 * cache file (XEP-0237 roster versioning). */
#pragma once

#include <glib.h>

typedef enum {
    SUBSCRIPTION_NONE,
    SUBSCRIPTION_TO,   /* we see their presence */
    SUBSCRIPTION_FROM, /* they see ours */
    SUBSCRIPTION_BOTH,
} Subscription;

/* A presence's availability (the <show/> of RFC 6121 4.7.2.1, plus
 * online for none); PRESENCE_OFFLINE means no available resource. */
typedef enum {
    PRESENCE_OFFLINE,
    PRESENCE_ONLINE,
    PRESENCE_CHAT,
    PRESENCE_AWAY,
    PRESENCE_XA,
    PRESENCE_DND,
} PresenceShow;

typedef struct {
    char *resource; /* "" for a presence from a bare JID */
    PresenceShow show;
    char *status; /* status text, or NULL */
    int priority;
} RosterResource;

typedef struct {
    char *jid;         /* bare, normalised */
    char *name;        /* NULL: none given */
    GPtrArray *groups; /* char *, sorted */
    Subscription subscription;
    gboolean ask; /* our subscription request is pending */
} RosterContact;

typedef struct Roster Roster;

void rosters_init(void);
void rosters_shutdown(void);

/* The roster of ACCOUNT, created empty when there is none. */
Roster *roster_get(const char *account);

/* --- contacts ------------------------------------------------------------ */

/* Adds or replaces the contact JID (a bare JID). GROUPS may be NULL.
 * Emits EVENT_ROSTER_CHANGED with the JID (not during a replace). */
RosterContact *roster_set_contact(const char *account, const char *jid,
                                  const char *name, const char *const *groups,
                                  Subscription subscription, gboolean ask);
/* Removes JID; FALSE when it was not there. Emits EVENT_ROSTER_CHANGED. */
gboolean roster_remove_contact(const char *account, const char *jid);
RosterContact *roster_find_contact(const char *account, const char *jid);
/* Every contact, sorted by JID (a new array of borrowed contacts; caller
 * frees the array). */
GPtrArray *roster_contacts(const char *account);
/* The contacts a person means by NAME, sorted by JID: those whose roster
 * name is NAME (ignoring case), or when there are none, those whose
 * address has NAME as its local part. A new array of borrowed contacts;
 * caller frees the array. */
GPtrArray *roster_find_by_name(const char *account, const char *name);
/* What to call a contact, sanitised: its roster name, else the nickname
 * it gives itself; NULL when it has neither (or is not a contact). Caller
 * frees. */
char *roster_display_name(const char *account, const char *jid);

/* The nickname JID (a bare JID) publishes for itself (XEP-0172), kept
 * apart from the roster, which a new roster replaces; NULL or "" forgets
 * it. Emits EVENT_ROSTER_CHANGED with the JID when it changes. */
void roster_set_nick(const char *account, const char *jid, const char *nick);
/* Unsanitised, or NULL. */
const char *roster_nick(const char *account, const char *jid);
/* A full roster replaces the old one: begin forgets every contact (not
 * the presences) and holds back the events; end emits one
 * EVENT_ROSTER_CHANGED with no JID. */
void roster_replace_begin(const char *account);
void roster_replace_end(const char *account);

/* The version of the roster we hold (XEP-0237), or NULL. */
const char *roster_version(const char *account);
void roster_set_version(const char *account, const char *version);

/* Whether the contacts were received (or loaded) since the last connect. */
gboolean roster_received(const char *account);
void roster_set_received(const char *account, gboolean received);

/* --- presence ------------------------------------------------------------ */

/* Records the presence of FULL (bare JID plus resource, or a bare JID).
 * PRESENCE_OFFLINE removes the resource. Emits EVENT_PRESENCE_CHANGED with
 * the bare JID. */
void roster_set_presence(const char *account, const char *bare,
                         const char *resource, PresenceShow show,
                         const char *status, int priority);
/* The resources of BARE we hold presence for, by priority, highest first
 * (new array of borrowed resources; caller frees the array). */
GPtrArray *roster_resources(const char *account, const char *bare);
/* The resource with the highest priority (ties: most available), or NULL
 * when BARE is offline. */
const RosterResource *roster_best_resource(const char *account,
                                           const char *bare);
/* Forgets every presence of ACCOUNT (the connection ended). */
void roster_clear_presences(const char *account);

const char *presence_show_name(PresenceShow show);
/* "online", "chat", "away", "xa", "dnd" (and "offline"); FALSE otherwise. */
gboolean presence_show_parse(const char *name, PresenceShow *show);
const char *subscription_name(Subscription subscription);
gboolean subscription_parse(const char *name, Subscription *subscription);

/* Our own presence for ACCOUNT: what the next presence we send says.
 * Starts as online without a status. Setting it emits
 * EVENT_PRESENCE_CHANGED without a JID. */
PresenceShow roster_own_show(const char *account);
const char *roster_own_status(const char *account);
void roster_set_own(const char *account, PresenceShow show, const char *status);

/* --- subscription requests ----------------------------------------------- */

/* Remembers that JID asked to see our presence; FALSE if already pending. */
gboolean roster_request_add(const char *account, const char *jid);
/* FALSE when JID had no pending request. */
gboolean roster_request_remove(const char *account, const char *jid);
/* Pending requests in arrival order (borrowed char *). */
const GPtrArray *roster_requests(const char *account);

/* --- block list (XEP-0191) ----------------------------------------------- */

void roster_set_blocked(const char *account, const char *jid, gboolean blocked);
void roster_clear_blocked(const char *account);
gboolean roster_is_blocked(const char *account, const char *jid);
/* Sorted JIDs (a new array of borrowed strings; caller frees the array). */
GPtrArray *roster_blocked(const char *account);
/* Whether the block list was received since the last connect. */
gboolean roster_blocklist_known(const char *account);
void roster_set_blocklist_known(const char *account, gboolean known);

/* --- cache ---------------------------------------------------------------- */

/* Writes the contacts and the version to PATH (mode 0600, atomically). */
gboolean roster_save(const char *account, const char *path, GError **error);
/* Replaces the contacts and version with those in PATH. Does not emit. */
gboolean roster_load(const char *account, const char *path, GError **error);
