/* message.h: one message, in or out, as the whole program sees it. Every
 * message, chat or room, live, carbon or archived, typed here or received,
 * is one refcounted Message: parsed from a stanza in one place
 * (xmpp/message_parse.h), built into one in one place
 * (xmpp/message_build.h), carried through the message pipeline
 * (core/pipeline.h), stored in and loaded from the history
 * (core/history.h), and handed to subscribers of the message events
 * (core/event.h) as a const Message *.
 *
 * Besides what it says (body, attachments) a message may carry signals
 * about others: a correction, retraction or reactions, delivery receipts
 * and chat markers, a chat state. The inbound pipeline's stages act on
 * those and consume the message when nothing is left to show. */
#pragma once

#include <glib.h>

typedef enum {
    MESSAGE_CHAT,      /* one-to-one (type chat, or normal with a body) */
    MESSAGE_GROUPCHAT, /* in a room (XEP-0045); peer is the room */
    MESSAGE_PRIVATE,   /* privately with a room's occupant; peer is the
                          occupant's full JID room@service/nick */
    MESSAGE_HEADLINE,  /* a notice (a server announcement, a feed) */
} MessageKind;

typedef enum {
    MESSAGE_LIVE,            /* as it came to us */
    MESSAGE_CARBON_RECEIVED, /* another client of ours received it */
    MESSAGE_CARBON_SENT,     /* another client of ours sent it */
    MESSAGE_ARCHIVED,        /* from an archive (ours or a room's) */
    MESSAGE_LOCAL,           /* typed here */
} MessageOrigin;

/* Stored as integers: the values never change. */
typedef enum {
    MESSAGE_IN = 0,  /* received */
    MESSAGE_OUT = 1, /* sent by us (from this client or another of ours) */
} MessageDirection;

/* Stored as integers, and ordered: a state only moves forward (but
 * FAILED may replace any). */
typedef enum {
    MESSAGE_RECEIVED = 0,  /* an incoming message */
    MESSAGE_PENDING = 1,   /* typed, not yet handed to the server */
    MESSAGE_SENT = 2,      /* written to the server */
    MESSAGE_DELIVERED = 3, /* the server acked it, or the peer's receipt came */
    MESSAGE_READ = 4,      /* the peer displayed it (XEP-0333) */
    MESSAGE_FAILED = 5,    /* the server returned an error */
} MessageState;

/* How the body crossed the network. Stored as integers. */
typedef enum {
    MESSAGE_PLAIN = 0,  /* readable by the servers on the way */
    MESSAGE_OTR = 1,    /* Off-the-Record */
    MESSAGE_OMEMO = 2,  /* OMEMO 0.3 (eu.siacs.conversations.axolotl) */
    MESSAGE_OMEMO2 = 3, /* OMEMO:2 (urn:xmpp:omemo:2) */
} MessageSecurity;

/* What we know of the key an encrypted message came with or went to.
 * Stored as integers. */
typedef enum {
    MESSAGE_TRUST_NONE = 0,      /* plain text: no key at all */
    MESSAGE_TRUST_UNDECIDED = 1, /* a key the user has not judged yet */
    MESSAGE_TRUST_UNTRUSTED = 2, /* a key the user distrusts */
    MESSAGE_TRUST_TRUSTED = 3,   /* trusted (blindly, or first use) */
    MESSAGE_TRUST_VERIFIED = 4,  /* verified by the user */
} MessageTrust;

/* What the peer of a chat is doing (XEP-0085), as it last told us. */
typedef enum {
    CHAT_STATE_NONE, /* nothing known, or no chat state in a message */
    CHAT_STATE_ACTIVE,
    CHAT_STATE_COMPOSING,
    CHAT_STATE_PAUSED,
    CHAT_STATE_INACTIVE,
    CHAT_STATE_GONE,
} ChatState;

/* A file or link a message carries (XEP-0066 out-of-band data, XEP-0447
 * sources; an encrypted file's key). */
typedef struct {
    char *url;
    char *media_type; /* or NULL */
    gint64 size;      /* bytes, or -1 when unknown */
    char *name;       /* file name to offer, or NULL */
    char *key;        /* for an encrypted file: its key and IV, or NULL */
} MessageAttachment;

/* A receipt (XEP-0184) or chat marker (XEP-0333) about one of our
 * messages: it moves that message to STATE. */
typedef struct {
    char *id; /* the id of the message it is about */
    MessageState state;
} MessageAck;

/* An invitation to a room, mediated (XEP-0045 7.8.2) or direct
 * (XEP-0249). */
typedef struct {
    char *room;     /* the room's bare JID */
    char *inviter;  /* who invites (bare or full JID), or NULL */
    char *reason;   /* or NULL */
    char *password; /* or NULL */
} MessageInvite;

typedef struct Message Message;
struct Message {
    gint refs;
    char *account; /* the account name */
    MessageKind kind;
    MessageOrigin origin;
    MessageDirection direction;
    MessageState state;
    char *peer;    /* the conversation: bare JID (chat, room), the occupant's
                      full JID (private); NULL: the server itself */
    char *from;    /* who wrote it: a full JID, or room@service/nick */
    char *nick;    /* how its author is shown: a room nick, a local part */
    gint64 time;   /* microseconds since the epoch (UTC) */
    char *body;    /* plain text, after the inbound stages; or NULL */
    char *subject; /* a room's new subject (groupchat), or NULL */
    GPtrArray *attachments; /* MessageAttachment *; NULL when none */
    MessageSecurity security;
    MessageTrust trust;
    gboolean highlight; /* it mentions us (room messages) */

    /* Ids. */
    char *message_id;   /* the stanza's id attribute */
    char *origin_id;    /* the sender's stable id (XEP-0359) */
    char *stanza_id;    /* the archive's id: our server's, or the room's */
    char *reply_to;     /* the id of the message it answers (XEP-0461) */
    char *reply_to_jid; /* who wrote that one, when the reply says */

    /* Signals about other messages. */
    char *replaces_id;       /* a correction of this id (XEP-0308) */
    char *retracts_id;       /* a retraction of this id (XEP-0424) */
    char *moderated_by;      /* ... by a room's moderator (XEP-0425): who */
    char *moderation_reason; /* ... and why, or NULL */
    char *reactions_to;      /* reactions to this id (XEP-0444) ... */
    char *reactions;         /* ... the sender's whole set, space-separated */
    GPtrArray *acks;         /* MessageAck *; NULL when none */
    ChatState chat_state;
    gboolean receipt_requested; /* XEP-0184 <request/> */
    gboolean markable;          /* XEP-0333 <markable/> */
    MessageInvite *invite;      /* an invitation, or NULL */
    char *error;                /* an error stanza: what went wrong, or NULL */

    /* Sending only: the quote a reply carries for clients without
     * replies ("> nick: text\n"), put before the body on the wire. */
    char *reply_quote;

    /* What happened since (stored). */
    gboolean edited;    /* corrected by its sender */
    gboolean retracted; /* withdrawn by its sender: body is empty */
    gint64 id;          /* its row in the account's history; 0 before */
};

/* A new message, all fields empty (time 0, kind chat, plain). */
Message *message_new(void);
Message *message_ref(Message *message);
void message_unref(Message *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Message, message_unref)

/* Adds an attachment; the strings are copied. */
MessageAttachment *message_add_attachment(Message *message, const char *url,
                                          const char *media_type, gint64 size);
/* Adds a receipt or marker about our message ID. */
void message_add_ack(Message *message, const char *id, MessageState state);

/* TRUE when MESSAGE says something to show: a body (or attachments). */
gboolean message_has_content(const Message *message);

/* Names, for logs, hooks and plugins: "chat", "groupchat"...; "live",
 * "archived"...; "plain", "otr", "omemo". */
const char *message_kind_name(MessageKind kind);
const char *message_origin_name(MessageOrigin origin);
const char *message_security_name(MessageSecurity security);
/* "none", "undecided", "untrusted", "trusted", "verified". */
const char *message_trust_name(MessageTrust trust);
const char *message_state_name(MessageState state);
