/* jingle_internal.h: what the two halves of Jingle file transfer share
 * (jingle.c: the sessions, the stanzas that arrive, receiving a file;
 * jingle_send.c: offering and sending one). One JingleSession is one
 * Jingle session (XEP-0166) with one file-transfer content (XEP-0234)
 * carried by one in-band bytestream (XEP-0261, XEP-0047). Internal to
 * xmpp/. */
#pragma once

#include <gio/gio.h>

#include "xmpp/files.h"
#include "xmpp/files_internal.h"
#include "xmpp/session_internal.h"

#define NS_JINGLE        "urn:xmpp:jingle:1"
#define NS_JINGLE_ERRORS "urn:xmpp:jingle:errors:1"
#define NS_JINGLE_FT     "urn:xmpp:jingle:apps:file-transfer:5"
#define NS_JINGLE_IBB    "urn:xmpp:jingle:transports:ibb:1"
#define NS_IBB           "http://jabber.org/protocol/ibb"
#define NS_HASHES        "urn:xmpp:hashes:2"
#define NS_HASH_SHA256   "urn:xmpp:hash-function-text-names:sha-256"

/* The block size we offer, and the largest we take (a block travels
 * base64-encoded in one stanza). */
#define JINGLE_BLOCK     4096
#define JINGLE_BLOCK_MAX 16384
/* Offers waiting for an answer, at most, per account. */
#define JINGLE_OFFERS_MAX 20
/* Data IQs sent and not yet answered, at most. */
#define JINGLE_WINDOW 8

typedef enum {
    JINGLE_FINDING,  /* out: asking the peer's resources what they take */
    JINGLE_HASHING,  /* out: the file's sha-256 is being computed */
    JINGLE_OFFERED,  /* session-initiate sent, or received and not answered */
    JINGLE_ACCEPTED, /* session-accept sent or received; IBB not open yet */
    JINGLE_OPEN,     /* the bytestream is open: data flows */
    JINGLE_CLOSING,  /* out: all data acknowledged, close sent */
    JINGLE_RECEIVED, /* in: the file is saved; the sender's terminate is due */
} JingleState;

typedef struct {
    FilesOffer offer; /* number, account, from (the peer), name, size */
    guint id;         /* what callbacks hold instead of a pointer */
    gboolean outgoing;
    JingleState state;
    char *sid;     /* the Jingle session's */
    char *ibb_sid; /* the bytestream's */
    char *content; /* the content's name */
    char *creator; /* the content's creator */
    char *hash;    /* sha-256, base64, or NULL when the offer had none */
    guint block_size;
    guint16 seq; /* the next data block's, sent or expected */
    Transfer *t; /* once it runs: progress, /files, -cancel */
    gulong cancel_handler;
    guint cancel_idle;
    GChecksum *sum;
    gint64 moved; /* bytes sent and acknowledged, or received */
    /* Sending. */
    char *path;
    GInputStream *in;
    gint64 queued;     /* bytes read from the file so far */
    guint outstanding; /* data IQs not answered yet */
    gboolean reading;
    gboolean eof;
    guint asking; /* disco#info requests not answered yet */
    /* Receiving. */
    GFile *dest;
    GOutputStream *out;
} JingleSession;

/* A new session, kept in the list until jingle_free(). */
JingleSession *jingle_new(gboolean outgoing, const char *account,
                          const char *peer);
/* The session with ID, or NULL when it has ended. */
JingleSession *jingle_by_id(guint id);
/* Forgets J (its transfer, when it has one, must have ended). */
void jingle_free(JingleSession *j);

/* Ends J's transfer with LINE (an error when FAILED) and frees J. */
void jingle_end(JingleSession *j, gboolean failed, const char *line);

/* Sends <jingle action=session-terminate> with <reason><REASON/></reason>
 * and TEXT (may be NULL), not waiting for the answer. */
void jingle_send_terminate(Session *s, JingleSession *j, const char *reason,
                           const char *text);

/* Watches J's transfer's cancellable: a cancel ends J (from an idle, as
 * files_cancel() walks the transfers). */
void jingle_watch_cancel(JingleSession *j);

/* A <jingle xmlns=urn:xmpp:jingle:1 action=ACTION sid=..> IQ of J. */
xmpp_stanza_t *jingle_iq(Session *s, JingleSession *j, const char *action,
                         xmpp_stanza_t **jingle);

/* Adds to JINGLE the <content/> of J: the file (name, size and, when
 * WITH_HASH, its sha-256) and the IBB transport (block size, sid). */
void jingle_add_content(Session *s, JingleSession *j, xmpp_stanza_t *jingle,
                        gboolean with_hash);

/* "1.0 MiB" of J's file. Caller frees. */
char *jingle_size(const JingleSession *j);

/* The peer's session-accept (jingle.c hands it over), and its
 * session-terminate while we send. */
void jingle_send_accepted(Session *s, JingleSession *j, xmpp_stanza_t *iq,
                          xmpp_stanza_t *jingle);
void jingle_send_terminated(JingleSession *j, const char *reason,
                            const char *text);
/* Cancelled by the user: tell the peer, end. */
void jingle_send_cancel(Session *s, JingleSession *j);
