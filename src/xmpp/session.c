/* session.c: see session.h. Each session has its own libstrophe context and
 * connection, driven by a ConnLoop. A connection's libstrophe objects are
 * freed from an idle callback after it closes, never from inside one of
 * libstrophe's own callbacks. */
#include "xmpp/session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/carbons.h"
#include "xmpp/chatstates.h"
#include "xmpp/feature.h"
#include "xmpp/iq.h"
#include "xmpp/mam.h"
#include "xmpp/message_internal.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/session_internal.h"

/* Each account's Session is its data "session" (core/account.h): it
 * goes when the account goes, with its password and open questions. */
#define SESSION_KEY "session"
static gboolean initialised;

/* The first session MATCH accepts with WHAT. */
static Session *find_session(gboolean (*match)(Session *, gconstpointer),
                             gconstpointer what)
{
    const GPtrArray *list = accounts_list();
    for (guint i = 0; list && i < list->len; i++) {
        Session *s = account_get_data(g_ptr_array_index(list, i), SESSION_KEY);
        if (s && match(s, what))
            return s;
    }
    return NULL;
}

static const char *const stream_errors[] = {
    [XMPP_SE_BAD_FORMAT] = "bad-format",
    [XMPP_SE_BAD_NS_PREFIX] = "bad-namespace-prefix",
    [XMPP_SE_CONFLICT] = "conflict (another client logged in with the same "
                         "resource)",
    [XMPP_SE_CONN_TIMEOUT] = "connection-timeout",
    [XMPP_SE_HOST_GONE] = "host-gone",
    [XMPP_SE_HOST_UNKNOWN] = "host-unknown (the server does not serve this "
                             "domain)",
    [XMPP_SE_IMPROPER_ADDR] = "improper-addressing",
    [XMPP_SE_INTERNAL_SERVER_ERROR] = "internal-server-error",
    [XMPP_SE_INVALID_FROM] = "invalid-from",
    [XMPP_SE_INVALID_ID] = "invalid-id",
    [XMPP_SE_INVALID_NS] = "invalid-namespace",
    [XMPP_SE_INVALID_XML] = "invalid-xml",
    [XMPP_SE_NOT_AUTHORIZED] = "not-authorized",
    [XMPP_SE_POLICY_VIOLATION] = "policy-violation",
    [XMPP_SE_REMOTE_CONN_FAILED] = "remote-connection-failed",
    [XMPP_SE_RESOURCE_CONSTRAINT] = "resource-constraint",
    [XMPP_SE_RESTRICTED_XML] = "restricted-xml",
    [XMPP_SE_SEE_OTHER_HOST] = "see-other-host",
    [XMPP_SE_SYSTEM_SHUTDOWN] = "system-shutdown",
    [XMPP_SE_UNDEFINED_CONDITION] = "undefined-condition",
    [XMPP_SE_UNSUPPORTED_ENCODING] = "unsupported-encoding",
    [XMPP_SE_UNSUPPORTED_STANZA_TYPE] = "unsupported-stanza-type",
    [XMPP_SE_UNSUPPORTED_VERSION] = "unsupported-version",
    [XMPP_SE_XML_NOT_WELL_FORMED] = "xml-not-well-formed",
};

static void wipe_free(char *secret)
{
    if (secret)
        memset(secret, 0, strlen(secret));
    g_free(secret);
}

/* Frees the libstrophe connection and its loop; the context, the password
 * and the stream management state stay for the next attempt. */
static void drop_connection(Session *s)
{
    if (s->conn) {
        if (xmpp_conn_is_disconnected(s->conn)) {
            /* What the server may let us resume (XEP-0198). Taken from
             * the connection only here, outside libstrophe: it still
             * reads the state after the disconnect event. */
            xmpp_sm_state_t *sm = xmpp_conn_get_sm_state(s->conn);
            if (s->sm_state)
                xmpp_free_sm_state(s->sm_state);
            s->sm_state = NULL;
            if (sm && s->sm_discard)
                xmpp_free_sm_state(sm);
            else
                s->sm_state = sm;
        }
        /* Releasing a live connection (a quit that did not wait for the
         * goodbye) reports one last disconnect to on_connection: nobody
         * needs that news, and the loop must still exist while it comes. */
        s->releasing = TRUE;
        xmpp_conn_release(s->conn);
        s->conn = NULL;
        s->releasing = FALSE;
    }
    mam_session_ended(s);
    keepalive_stop(s);
    iq_session_ended(s);
    g_clear_handle_id(&s->teardown_idle, g_source_remove);
    g_clear_pointer(&s->loop, connloop_free);
    g_clear_pointer(&s->bound_jid, g_free);
    g_clear_pointer(&s->own_bare, g_free);
    g_clear_pointer(&s->last_error, g_free);
    g_clear_pointer(&s->cert_problem, g_free);
    g_clear_pointer(&s->dead_reason, g_free);
}

/* Frees everything of S's connection, the context included; S itself
 * stays for the next connect. */
static void teardown(Session *s)
{
    drop_connection(s);
    reconnect_cancel(s);
    if (s->sm_state) {
        xmpp_free_sm_state(s->sm_state);
        s->sm_state = NULL;
    }
    if (s->ctx) {
        xmpp_ctx_free(s->ctx);
        s->ctx = NULL;
    }
    g_clear_pointer(&s->password, wipe_free);
}

static void session_free(gpointer data)
{
    Session *s = data;
    teardown(s);
    tlstrust_forget(s);
    g_clear_pointer(&s->allowed_certs, g_ptr_array_unref);
    g_free(s->login_jid);
    g_clear_pointer(&s->iq_pending, g_hash_table_unref);
    g_clear_pointer(&s->iq_handlers, g_hash_table_unref);
    g_free(s->account);
    g_free(s);
}

static gboolean on_teardown_idle(gpointer data)
{
    Session *s = data;
    s->teardown_idle = 0;
    /* Waiting to reconnect, or for the answer to the certificate
     * question: the password and the context are still needed. */
    if (s->reconnect_timer || s->cert_fingerprint)
        drop_connection(s);
    else
        teardown(s);
    return G_SOURCE_REMOVE;
}

/* A new ping_interval applies at once, not only from the next login. */
static EventResult on_setting_changed(const char *name, gpointer data)
{
    if (g_strcmp0(name, "ping_interval") != 0)
        return EVENT_CONTINUE;
    const GPtrArray *list = accounts_list();
    for (guint i = 0; i < list->len; i++) {
        Account *a = g_ptr_array_index(list, i);
        Session *s = account_get_data(a, SESSION_KEY);
        if (s && s->conn && a->state == ACCOUNT_ONLINE)
            keepalive_start(s);
    }
    return EVENT_CONTINUE;
}

static guint setting_subscription;
static guint removed_subscription;

/* Nothing of a removed account outlives it: its session (password, open
 * certificate question, reconnect timer) goes with its data, and every
 * feature forgets what it kept for it. */
static EventResult on_account_removed(Account *account, gpointer data)
{
    account_set_data(account, SESSION_KEY, NULL, NULL);
    features_account_removed(account->name);
    return EVENT_CONTINUE;
}

void sessions_init(void)
{
    if (initialised)
        return;
    initialised = TRUE;
    xmpp_initialize();
    features_init();
    removed_subscription = event_on_account(
        EVENT_ACCOUNT_REMOVED, EVENT_PRIORITY_MODEL, on_account_removed, NULL);
    setting_subscription =
        event_on_setting(EVENT_PRIORITY_DEFAULT, on_setting_changed, NULL);
}

void sessions_shutdown(void)
{
    if (!initialised)
        return;
    initialised = FALSE;
    if (setting_subscription)
        event_unsubscribe(setting_subscription);
    setting_subscription = 0;
    g_clear_handle_id(&removed_subscription, event_unsubscribe);
    accounts_clear_data(SESSION_KEY);
    features_shutdown();
    xmpp_shutdown();
}

Session *session_find(const char *account)
{
    return account_data(account, SESSION_KEY);
}

static gboolean has_conn(Session *s, gconstpointer conn)
{
    return s->conn == conn;
}

static gboolean has_ctx(Session *s, gconstpointer ctx)
{
    return s->ctx == ctx;
}

Session *session_of_conn(const xmpp_conn_t *conn)
{
    return find_session(has_conn, conn);
}

Account *session_account(const Session *s)
{
    return account_find(s->account);
}

Session *session_online(const char *account, GError **error)
{
    Account *a = account_find(account);
    Session *s = session_find(account);
    if (!a || !s || a->state != ACCOUNT_ONLINE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' is not online (/connect %s)",
                    account ? account : "(none)", account ? account : "NAME");
        return NULL;
    }
    return s;
}

void session_send(Session *s, xmpp_stanza_t *stanza)
{
    xmpp_send(s->conn, stanza);
    connloop_flush_soon(s->loop);
}

void session_login_complete(Session *s)
{
    Account *a = session_account(s);
    if (a && a->state == ACCOUNT_ONLINE)
        event_emit_account(EVENT_ACCOUNT_READY, a);
}

char *session_new_id(Session *s)
{
    char *uuid = xmpp_uuid_gen(s->ctx);
    char *id = g_strdup(uuid);
    xmpp_free(s->ctx, uuid);
    return id;
}

const char *session_bound_jid(const Account *account)
{
    Session *s = session_find(account->name);
    return s ? s->bound_jid : NULL;
}

gboolean session_is_secure(const Account *account)
{
    Session *s = session_find(account->name);
    return s && s->conn && xmpp_conn_is_secured(s->conn);
}

/* libstrophe logs its reasons for giving up (authentication, binding) as
 * errors; the last one explains a disconnect that has no other cause. A
 * failed TCP connect is only logged (at debug level, with its errno): the
 * disconnect event carries no error for it. Whether a login resumed the
 * stream (XEP-0198) is only told in the log as well. */
/* TRUE when the stream features in MSG (libstrophe's "RECV:" line) offer
 * a SCRAM mechanism. */
static gboolean offers_scram(const char *msg)
{
    const char *start = strstr(msg, "<mechanisms");
    const char *end = start ? strstr(start, "</mechanisms>") : NULL;
    if (!end)
        return FALSE;
    g_autofree char *mechanisms = g_strndup(start, end - start);
    return strstr(mechanisms, "<mechanism>SCRAM-SHA-") != NULL;
}

/* TRUE when MSG, a line of libstrophe's log, is stream features it read. */
static gboolean is_features(const char *msg)
{
    return g_str_has_prefix(msg, "RECV: <features ") ||
           g_str_has_prefix(msg, "RECV: <stream:features");
}

/* libstrophe falls back to PLAIN when a server offers nothing better, even
 * on a stream without TLS (tls disable), and has no switch against it. It
 * logs the features ("RECV: <features xmlns=...streams>") before it reads
 * them, so that is where we look: with
 * no SCRAM on an unencrypted stream, libstrophe gets an empty password,
 * the login fails, and the real one never crosses the network. */
static void guard_plain(Session *s, const char *msg)
{
    /* With TLS required, libstrophe secures the stream before it uses any
     * mechanism: only tls disable can get here unencrypted. */
    Account *a = session_account(s);
    if (!s->conn || !a || a->tls != TLS_DISABLE ||
        xmpp_conn_is_secured(s->conn) || !is_features(msg) ||
        !strstr(msg, "<mechanisms") || offers_scram(msg))
        return;
    s->no_scram = TRUE;
    xmpp_conn_set_pass(s->conn, "");
}

/* Roster versioning is a stream feature (RFC 6121 2.6.1), which only the
 * log shows (see guard_plain): roster.c asks for a first version only of a
 * server that offers it. */
static void note_rosterver(Session *s, const char *msg)
{
    if (is_features(msg) && strstr(msg, "urn:xmpp:features:rosterver"))
        s->rosterver = TRUE;
}

static void on_log(void *data, xmpp_log_level_t level, const char *area,
                   const char *msg)
{
    Session *s = data;
    int err = 0;
    char *reason = NULL;
    if (level == XMPP_LEVEL_DEBUG)
        xmlconsole_log(s, area, msg); /* raw traffic, if a console is open */
    if (level == XMPP_LEVEL_DEBUG && g_strcmp0(area, "xmpp") == 0) {
        guard_plain(s, msg);
        note_rosterver(s, msg);
    }
    if (s->no_scram && level >= XMPP_LEVEL_ERROR) {
        s->auth_failed = TRUE; /* never retried */
        reason = g_strdup(
            "the server offers no SCRAM authentication on this unencrypted "
            "connection, only mechanisms that would reveal the password: "
            "natter did not send it");
    } else if (level == XMPP_LEVEL_DEBUG &&
               sscanf(msg, "connection failed, error %d", &err) == 1)
        reason =
            g_strdup_printf("cannot reach the server: %s", g_strerror(err));
    else if (level == XMPP_LEVEL_DEBUG && g_strcmp0(area, "xmpp") == 0 &&
             g_str_has_prefix(msg, "Session resumed successfully"))
        s->resumed = TRUE;
    else if (level == XMPP_LEVEL_DEBUG && g_strcmp0(area, "tls") == 0 &&
             strstr(msg, "unexpected eof while reading") && !s->last_error)
        /* OpenSSL 3's reason for a peer that closed the socket without
         * ending TLS (a crash, or ejabberd shutting down, or refusing a
         * password: that reason, said first, stays): libstrophe reports
         * it as SSL_ERROR_SSL, a protocol error, otherwise. */
        reason =
            g_strdup("the server closed the connection without ending TLS");
    else if (level >= XMPP_LEVEL_ERROR && g_strcmp0(area, "auth") == 0) {
        s->auth_failed = TRUE;
        reason = g_strdup_printf(
            "authentication failed: wrong password or user? (%s)", msg);
    } else if (level >= XMPP_LEVEL_ERROR &&
               strstr(msg, "TLS is not supported, but set as mandatory")) {
        s->no_tls = TRUE;
        reason = g_strdup(
            "the server does not offer TLS (no STARTTLS), so natter refuses "
            "to log in: the password and every message would cross the "
            "network unencrypted");
    } else if (level >= XMPP_LEVEL_ERROR)
        reason = g_strdup(msg);
    if (reason) {
        g_free(s->last_error);
        s->last_error = reason;
    }
}

static Session *session_of_ctx(const xmpp_ctx_t *ctx)
{
    return find_session(has_ctx, ctx);
}

static int on_certfail(const xmpp_tlscert_t *cert, const char *errormsg)
{
    /* libstrophe 0.12 leaves the certificate's conn unset on this path;
     * its context is set, and each session has its own. */
    Session *s = session_of_ctx(xmpp_tlscert_get_ctx(cert));
    return s ? tlstrust_check(s, cert, errormsg) : 0;
}

static int on_socket_created(xmpp_conn_t *conn, void *sock)
{
    Session *s = session_of_conn(conn);
    if (!s)
        return -1;
    /* TCP keepalive: the kernel notices dead peers without waking us. */
    xmpp_sockopt_cb_keepalive(conn, sock);
    connloop_set_socket(s->loop, *(int *)sock);
    return 0;
}

/* The history writes of one pump are one batch (xmpp/connloop.h); the
 * archive position of the live messages in it is written last, in it.
 * Features batch their own writes too (the OMEMO store's): they commit
 * before the history says the messages are stored. */
static void on_batch(gpointer data, gboolean begin)
{
    Session *s = data;
    if (begin) {
        conversation_batch_begin(s->account);
        features_batch(s, TRUE);
        return;
    }
    features_batch(s, FALSE);
    mam_flush(s);
    conversation_batch_end(s->account);
}

static int count_stanza(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Session *s = data;
    connloop_count_stanza(s->loop);
    /* Any traffic proves the connection alive: the keepalive timer looks
     * at this when it fires, so nothing is re-armed per stanza. */
    s->last_rx = g_get_monotonic_time();
    return 1;
}

/* libstrophe 0.12 reports an error on a TLS stream as OpenSSL's
 * SSL_get_error() code, elsewhere as an errno. The small numbers are the
 * OpenSSL codes (no socket call fails with EPERM..ENOEXEC). */
#define TLS_ERROR_SSL         1 /* SSL_ERROR_SSL */
#define TLS_ERROR_SYSCALL     5 /* SSL_ERROR_SYSCALL */
#define TLS_ERROR_ZERO_RETURN 6 /* SSL_ERROR_ZERO_RETURN */

static const char *error_text(int error)
{
    switch (error) {
    case TLS_ERROR_SSL:
        return "TLS protocol error";
    case TLS_ERROR_SYSCALL:
    /* A write to a socket the server's end reset (a killed server with
     * our stanzas still arriving, e.g. OMEMO's publishes at login). */
    case ECONNABORTED:
    case ECONNRESET:
    case EPIPE:
        return "the connection broke";
    case TLS_ERROR_ZERO_RETURN:
        return "the server closed the connection";
    default:
        return g_strerror(error);
    }
}

static char *describe_disconnect(Session *s, int error,
                                 xmpp_stream_error_t *stream_error)
{
    if (s->cert_problem)
        return g_strdup(s->cert_problem);
    if (s->dead_reason)
        return g_strdup(s->dead_reason);
    if (stream_error) {
        const char *name = stream_error->type < G_N_ELEMENTS(stream_errors)
                               ? stream_errors[stream_error->type]
                               : "unknown";
        if (stream_error->text)
            return g_strdup_printf("stream error: %s: %s", name,
                                   stream_error->text);
        return g_strdup_printf("stream error: %s", name);
    }
    if (s->last_error)
        return g_strdup(s->last_error);
    if (error)
        return g_strdup(error_text(error));
    return g_strdup("the server closed the connection");
}

/* Stream errors after which trying again would only repeat them. */
static gboolean stream_error_is_final(const xmpp_stream_error_t *stream_error)
{
    if (!stream_error)
        return FALSE;
    switch (stream_error->type) {
    case XMPP_SE_CONFLICT: /* another client took our resource */
    case XMPP_SE_HOST_UNKNOWN:
    case XMPP_SE_NOT_AUTHORIZED:
    case XMPP_SE_POLICY_VIOLATION:
    case XMPP_SE_UNSUPPORTED_VERSION:
        return TRUE;
    default:
        return FALSE;
    }
}

static void on_connected(Session *s, Account *a, xmpp_conn_t *conn)
{
    /* Quitting (or /disconnect) came while logging in, and the end of the
     * stream is already on its way: going online now would only talk
     * past it. */
    if (s->user_disconnect)
        return;
    Buffer *console = buffer_account_console(s->account);
    connloop_set_established(s->loop);
    g_free(s->bound_jid);
    s->bound_jid = g_strdup(xmpp_conn_get_bound_jid(conn));
    g_free(s->own_bare);
    s->own_bare = jid_bare(s->bound_jid);
    g_clear_pointer(&s->last_error, g_free);
    s->reconnect_attempt = 0;
    if (s->resumed)
        buffer_appendf(console, LINE_INFO,
                       "Connected as %s%s: session resumed (stream "
                       "management), nothing was lost.",
                       s->bound_jid,
                       xmpp_conn_is_secured(conn) ? " (TLS)" : "");
    else
        buffer_appendf(console, LINE_INFO, "Connected as %s%s.", s->bound_jid,
                       xmpp_conn_is_secured(conn) ? " (TLS)"
                                                  : " WITHOUT ENCRYPTION");
    account_set_state(a, ACCOUNT_ONLINE, NULL);
    keepalive_start(s); /* instead of the login timeout */
    /* A resumed stream keeps our presence, roster and carbons on the
     * server, and lost no message: each feature knows what to redo. */
    features_started(s, s->resumed);
    /* A fresh login is complete when the roster's answer comes (roster.c);
     * a resumed one has its roster and presence already. */
    if (s->resumed)
        session_login_complete(s);
}

static void on_connection(xmpp_conn_t *conn, xmpp_conn_event_t event, int error,
                          xmpp_stream_error_t *stream_error, void *data)
{
    Session *s = data;
    if (s->releasing)
        return;
    Account *a = session_account(s);
    Buffer *console = buffer_account_console(s->account);

    if (event == XMPP_CONN_CONNECT) {
        on_connected(s, a, conn);
        return;
    }
    if (event != XMPP_CONN_DISCONNECT && event != XMPP_CONN_FAIL)
        return;

    connloop_socket_closed(s->loop);
    keepalive_stop(s);
    /* Only a connection the network broke (or that we dropped for not
     * answering) can be resumed. A server that ended it (a stream error,
     * a clean TLS close, a closed socket our next write hit: a shutdown,
     * say) has nothing to resume, and carrying its state would hit a
     * libstrophe 0.12 flaw: when an attempt carrying a resumable state
     * fails before logging in, the resumption id is lost and the bound
     * JID leaks. */
    s->sm_discard = !s->dead_reason &&
                    (stream_error != NULL || error == TLS_ERROR_ZERO_RETURN ||
                     error == ECONNABORTED || error == ECONNRESET);
    g_autofree char *reason = describe_disconnect(s, error, stream_error);
    if (s->user_disconnect && !stream_error) {
        buffer_append(console, LINE_INFO, NULL, "Disconnected.");
        account_set_state(a, ACCOUNT_OFFLINE, NULL);
    } else {
        gboolean was_online = a->state == ACCOUNT_ONLINE;
        buffer_appendf(console, LINE_ERROR, "%s: %s",
                       was_online ? "Connection lost" : "Could not connect",
                       reason);
        /* Retry what the network broke, not what the server or the user
         * refused, and not a first connect that never worked, unless it
         * timed out (a server that is there but does not answer). */
        gboolean timed_out = s->dead_reason || error == ETIMEDOUT;
        gboolean retry = !s->user_disconnect && !s->cert_problem &&
                         !s->auth_failed && !s->no_tls &&
                         !stream_error_is_final(stream_error) &&
                         (was_online || s->reconnect_attempt > 0 || timed_out);
        guint delay = retry ? reconnect_schedule(s) : 0;
        if (s->cert_problem)
            tlstrust_ask(s);
        if (delay) {
            g_autofree char *why =
                g_strdup_printf("%s; reconnecting in %u s", reason, delay);
            buffer_appendf(console, LINE_INFO,
                           "Reconnecting in %u s (/reconnect now to try at "
                           "once, /disconnect to stop).",
                           delay);
            account_set_state(a, ACCOUNT_OFFLINE, why);
        } else {
            account_set_state(a, ACCOUNT_OFFLINE, reason);
        }
    }
    /* After the news that the connection is gone. */
    features_ended(s);
    if (!s->teardown_idle)
        s->teardown_idle = g_idle_add(on_teardown_idle, s);
}

static char *login_jid(const Account *a)
{
    g_autoptr(Jid) jid = jid_parse(a->jid, NULL);
    if (jid->resource)
        return g_strdup(jid->full);
    if (a->resource)
        return g_strdup_printf("%s/%s", jid->bare, a->resource);
    /* A random suffix keeps two natter instances from kicking each other. */
    return g_strdup_printf("%s/natter.%08x", jid->bare, g_random_int());
}

static long connection_flags(const Account *a)
{
    switch (a->tls) {
    case TLS_DIRECT:
        return XMPP_CONN_FLAG_LEGACY_SSL;
    case TLS_DISABLE:
        return XMPP_CONN_FLAG_DISABLE_TLS;
    case TLS_STARTTLS:
        break;
    }
    return XMPP_CONN_FLAG_MANDATORY_TLS;
}

gboolean session_start(Session *s, Account *a, GError **error)
{
    if (s->teardown_idle) {
        /* The last connection closed; free it now. */
        g_clear_handle_id(&s->teardown_idle, g_source_remove);
        drop_connection(s);
    }
    reconnect_cancel(s);
    s->user_disconnect = FALSE;
    s->auth_failed = FALSE;
    s->no_tls = FALSE;
    s->no_scram = FALSE;
    s->resumed = FALSE;
    s->rosterver = FALSE;
    s->log.handler = on_log;
    s->log.userdata = s;
    if (!s->ctx)
        s->ctx = xmpp_ctx_new(NULL, &s->log);
    s->conn = xmpp_conn_new(s->ctx);
    s->loop = connloop_new(s->ctx, s->conn);
    connloop_set_batch(s->loop, on_batch, s);
    if (s->sm_state) {
        /* The old stream's state: libstrophe asks to resume it. */
        if (xmpp_conn_set_sm_state(s->conn, s->sm_state) != XMPP_EOK)
            xmpp_free_sm_state(s->sm_state);
        s->sm_state = NULL;
    }

    /* Reconnects keep the resource of the first attempt, so contacts and
     * rooms see the same address come back. */
    if (!s->login_jid)
        s->login_jid = login_jid(a);
    const char *jid = s->login_jid;
    xmpp_conn_set_jid(s->conn, jid);
    xmpp_conn_set_pass(s->conn, s->password);
    xmpp_conn_set_flags(s->conn, connection_flags(a));
    if (a->cafile)
        xmpp_conn_set_cafile(s->conn, a->cafile);
    xmpp_conn_set_certfail_handler(s->conn, on_certfail);
    xmpp_conn_set_sockopt_callback(s->conn, on_socket_created);

    xmpp_handler_add(s->conn, count_stanza, NULL, NULL, NULL, s);
    features_attach(s);

    Buffer *console = buffer_account_console(a->name);
    if (a->tls == TLS_DISABLE)
        buffer_append(console, LINE_ERROR, NULL,
                      "WARNING: tls is set to 'disable' for this account: "
                      "the password and every message cross the network "
                      "unencrypted.");
    g_autoptr(Jid) parsed = jid_parse(a->jid, NULL);
    buffer_appendf(console, LINE_INFO, "Connecting to %s port %d as %s...",
                   a->server ? a->server : parsed->domain,
                   account_effective_port(a), jid);

    account_set_state(a, ACCOUNT_CONNECTING, NULL);
    /* Without a server, port 0 lets libstrophe look up SRV records. */
    unsigned short port = a->server ? account_effective_port(a) : a->port;
    if (xmpp_connect_client(s->conn, a->server, port, on_connection, s) !=
        XMPP_EOK) {
        g_autofree char *why = g_strdup_printf(
            "cannot connect account '%s': %s", a->name,
            s->last_error ? s->last_error
                          : "the server's address cannot be reached");
        drop_connection(s);
        account_set_state(a, ACCOUNT_OFFLINE, why);
        g_set_error_literal(error, NATTER_ERROR, NATTER_ERROR_IO, why);
        return FALSE;
    }
    keepalive_login_started(s);
    return TRUE;
}

gboolean session_connect(Account *a, const char *password, GError **error)
{
    if (!a->jid) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "account '%s' has no JID (/account set %s jid JID)",
                    a->name, a->name);
        return FALSE;
    }
    Session *s = session_find(a->name);
    if (!password)
        password = a->password;
    if (!password && s)
        password = s->password; /* kept from the last login of this run */
    if (!password) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "no password for account '%s'", a->name);
        return FALSE;
    }
    if (s && s->conn && !s->teardown_idle) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' is already %s", a->name,
                    account_state_name(a->state));
        return FALSE;
    }
    if (!s) {
        s = g_new0(Session, 1);
        s->account = g_strdup(a->name);
        account_set_data(a, SESSION_KEY, s, session_free);
    }
    if (password != s->password) {
        g_clear_pointer(&s->password, wipe_free);
        s->password = g_strdup(password);
    }
    tlstrust_forget(s); /* a new attempt asks again if it must */
    s->reconnect_attempt = 0;
    g_clear_pointer(&s->login_jid, g_free); /* the settings may have changed */
    return session_start(s, a, error);
}

void session_connection_dead(Session *s, const char *reason)
{
    g_free(s->dead_reason);
    s->dead_reason = g_strdup(reason);
    connloop_abort(s->loop);
}

gboolean session_disconnect(Account *a, GError **error)
{
    Session *s = session_find(a->name);
    if (s && s->reconnect_timer) {
        /* Waiting to reconnect: stopping that is the disconnect. */
        reconnect_cancel(s);
        g_clear_pointer(&s->password, wipe_free);
        buffer_append(buffer_account_console(a->name), LINE_INFO, NULL,
                      "Reconnecting stopped.");
        account_set_state(a, ACCOUNT_OFFLINE, NULL);
        return TRUE;
    }
    if (!s || !s->conn || s->teardown_idle || a->state == ACCOUNT_OFFLINE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' is not connected", a->name);
        return FALSE;
    }
    if (a->state == ACCOUNT_DISCONNECTING)
        return TRUE;
    if (xmpp_conn_is_connecting(s->conn)) {
        /* Still waiting for TCP: there is no stream to end and nothing on
         * the server (libstrophe would queue the end of the stream before
         * its start). Releasing the connection closes the socket; this is
         * never inside a callback of this connection, which has none
         * before TCP is up. */
        drop_connection(s);
        buffer_append(buffer_account_console(a->name), LINE_INFO, NULL,
                      "Disconnected.");
        account_set_state(a, ACCOUNT_OFFLINE, NULL);
        return TRUE;
    }
    gboolean was_online = a->state == ACCOUNT_ONLINE;
    s->user_disconnect = TRUE;
    account_set_state(a, ACCOUNT_DISCONNECTING, NULL);
    /* Contacts see us go now; the end of the stream makes the server close
     * the session instead of keeping it for a resumption (XEP-0198),
     * where it would look online and take messages for us. */
    if (was_online)
        presence_send_unavailable(s);
    xmpp_disconnect(s->conn);
    connloop_disconnect_started(s->loop);
    return TRUE;
}

guint sessions_disconnect_all(void)
{
    guint pending = 0;
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        Session *s = session_find(a->name);
        if (s)
            reconnect_cancel(s); /* no new connection while quitting */
        if (a->state == ACCOUNT_OFFLINE)
            continue;
        /* One waiting for its password has no connection to close. */
        if (session_disconnect(a, NULL))
            pending++;
    }
    return pending;
}
