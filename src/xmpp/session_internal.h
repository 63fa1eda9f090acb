/* session_internal.h: what the protocol files of xmpp/ share about a
 * session. Not for use outside xmpp/. */
#pragma once

#include <strophe.h>

#include "core/account.h"
#include "xmpp/connloop.h"

typedef struct Session Session;

struct Session {
    char *account;      /* account name; the Account may change, not this */
    char *password;     /* wiped when the session is freed */
    char *bound_jid;    /* full JID after login */
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

/* A new unique stanza id. Caller frees with g_free. */
char *session_new_id(Session *session);

/* Protocol modules register their handlers when a connection is made. */
void message_register(Session *session);

/* Called once the stream is negotiated. */
void presence_send_initial(Session *session);
/* Sends the messages typed while the account was offline. */
void message_send_pending(Session *session);
/* A MESSAGE from our archive (mam.c) with its ARCHIVE_ID and TIME (µs).
 * TRUE when it was new (not in history yet). */
gboolean message_take_archived(Session *session, xmpp_stanza_t *message,
                               const char *archive_id, gint64 time);

/* Roster, presence and block list (roster.c, presence.c, blocking.c):
 * handlers for each connection, work when it is up and when it ends. */
void roster_register(Session *session);
void roster_session_started(Session *session);
void presence_register(Session *session);
void presence_session_ended(Session *session);
void blocking_register(Session *session);
void blocking_session_started(Session *session);
