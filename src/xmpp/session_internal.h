/* session_internal.h: what the protocol files of xmpp/ share about a
 * session. Not for use outside xmpp/. */
#pragma once

#include <strophe.h>

#include "core/account.h"
#include "xmpp/connloop.h"

typedef struct Session Session;

struct Session {
    char *account;      /* account name; the Account may change, not this */
    char *password;     /* kept for reconnects; wiped on /disconnect, a
                           refused login, or when the session is freed */
    char *bound_jid;    /* full JID after login */
    char *own_bare;     /* its bare form, normalised */
    char *login_jid;    /* the full JID we log in as, kept for reconnects */
    char *last_error;   /* the last error libstrophe logged */
    char *cert_problem; /* why the server certificate was refused */
    xmpp_ctx_t *ctx;
    xmpp_conn_t *conn;
    ConnLoop *loop;
    xmpp_log_t log;
    gboolean user_disconnect; /* the user asked to go offline */
    guint teardown_idle;
    gboolean releasing;      /* inside xmpp_conn_release */
    GHashTable *iq_pending;  /* id -> request waiting for its answer */
    GHashTable *iq_handlers; /* "type ns" -> IqRequestFunc */
    char *mam_query;         /* queryid of the archive catch-up running */
    guint mam_count;         /* messages it brought so far */
    char *mam_live_id;       /* the newest live archive id, written with
                                the batch that stored it (mam_flush) */

    /* Why the last attempt ended, when it is not worth retrying. */
    gboolean auth_failed; /* the server refused the password */
    gboolean no_tls;      /* TLS was required and the server had none */
    gboolean no_scram;    /* unencrypted and no SCRAM: password withheld */
    char *dead_reason;    /* we dropped a connection that stopped answering */
    gboolean resumed;     /* the last login resumed the stream (XEP-0198) */
    gboolean rosterver;   /* the stream features offer roster versioning */
    xmpp_sm_state_t *sm_state; /* carried from a lost connection to the next */
    gboolean sm_discard;       /* the server ended the stream: nothing to
                                  resume */

    /* The certificate question (tlstrust.c). */
    char *cert_fingerprint;   /* of the refused certificate, while open */
    char *cert_subject;       /* its subject, for the pin's note */
    char *cert_warning;       /* a pinned certificate changed */
    GPtrArray *allowed_certs; /* fingerprints /tls allow took, this run */

    /* Automatic reconnect (reconnect.c). */
    guint reconnect_timer;
    guint reconnect_attempt; /* failed attempts since the connection was lost */
    gint64 reconnect_due;    /* monotonic µs of the next attempt */

    /* Keepalive (keepalive.c). */
    guint ping_timer; /* the next ping deadline, or the login timeout */
    gint64 last_rx;   /* monotonic µs of the last stanza received */
    gint64 ping_sent; /* when the outstanding ping left; 0 when none */
};

/* The session of ACCOUNT (by name), or NULL. */
Session *session_find(const char *account);
/* The session owning CONN. */
Session *session_of_conn(const xmpp_conn_t *conn);
/* The online session of ACCOUNT, or NULL with ERROR set saying why. */
Session *session_online(const char *account, GError **error);

Account *session_account(const Session *session);

/* Queues STANZA and makes sure it is written soon. */
void session_send(Session *session, xmpp_stanza_t *stanza);

/* The login of SESSION is complete (roster.c calls it with the roster's
 * answer, sent after our initial presence): EVENT_ACCOUNT_READY. */
void session_login_complete(Session *session);

/* A new unique stanza id. Caller frees with g_free. */
char *session_new_id(Session *session);

/* Starts a connection attempt for ACCOUNT with the session's password
 * (the first connect and every reconnect). */
gboolean session_start(Session *session, Account *account, GError **error);
/* The connection stopped answering: drop it (as if the network had cut
 * it) and report REASON; the usual reconnect logic follows. */
void session_connection_dead(Session *session, const char *reason);

/* The certificate check (tlstrust.c): accept or refuse CERT for SESSION,
 * remembering a refused one as the open question. */
int tlstrust_check(Session *session, const xmpp_tlscert_t *cert,
                   const char *errormsg);
/* Shows the open question in the account's console. */
void tlstrust_ask(Session *session);
void tlstrust_forget(Session *session); /* closes the question */

/* Automatic reconnect (reconnect.c). Schedules the next attempt after the
 * backoff delay; returns the delay in seconds, 0 when reconnecting is
 * turned off (and nothing is scheduled). */
guint reconnect_schedule(Session *session);
void reconnect_cancel(Session *session);

/* The login timeout (keepalive.c), from the connect to the login, when
 * keepalive_start() replaces it. */
void keepalive_login_started(Session *session);
/* Keepalive pings (keepalive.c): armed once the stream is up. */
void keepalive_start(Session *session);
void keepalive_stop(Session *session);

/* Called once the stream is negotiated. */
void presence_send_initial(Session *session);
/* Our goodbye (RFC 6121 4.5.1), before the stream is closed. */
void presence_send_unavailable(Session *session);

/* Roster, presence and block list (roster.c, presence.c, blocking.c):
 * handlers for each connection, work when it is up and when it ends. */
void roster_register(Session *session);
void roster_session_started(Session *session);
void presence_register(Session *session);
void presence_session_ended(Session *session);
void blocking_register(Session *session);
void blocking_session_started(Session *session);
