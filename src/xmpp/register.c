/* register.c: see register.h. A registration has its own libstrophe
 * context and a raw connection (xmpp_connect_raw), driven by its own
 * ConnLoop: natter opens the stream, starts TLS itself and only then asks
 * the server for its registration fields and sends the password. The
 * connection is freed from an idle callback after it closed, never from
 * inside libstrophe. */
#include "xmpp/register.h"

#include <string.h>

#include "core/account.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/connloop.h"
#include "xmpp/iq.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

#define DEADLINE_S 30

typedef struct {
    Jid *jid;
    char *password; /* wiped when freed */
    xmpp_ctx_t *ctx;
    xmpp_conn_t *conn;
    ConnLoop *loop;
    xmpp_log_t log;
    char *last_error;
    char *cert_problem;
    gboolean features_handler;
    gboolean finished; /* DONE was called */
    gboolean releasing;
    guint deadline;
    guint teardown_idle;
    RegisterDoneFunc done;
    gpointer data;
    GDestroyNotify destroy;
} Registration;

static GPtrArray *registrations; /* Registration *, while connected */

static void wipe(char *secret)
{
    if (secret)
        memset(secret, 0, strlen(secret));
    g_free(secret);
}

static void registration_free(Registration *r)
{
    g_clear_handle_id(&r->deadline, g_source_remove);
    g_clear_handle_id(&r->teardown_idle, g_source_remove);
    if (r->conn) {
        r->releasing = TRUE;
        xmpp_conn_release(r->conn);
    }
    g_clear_pointer(&r->loop, connloop_free);
    if (r->ctx)
        xmpp_ctx_free(r->ctx);
    if (r->destroy)
        r->destroy(r->data);
    jid_free(r->jid);
    wipe(r->password);
    g_free(r->last_error);
    g_free(r->cert_problem);
    g_free(r);
}

static gboolean on_teardown(gpointer data)
{
    Registration *r = data;
    r->teardown_idle = 0;
    g_ptr_array_remove(registrations, r);
    registration_free(r);
    return G_SOURCE_REMOVE;
}

/* Reports the outcome once, then closes the connection. */
static void finish(Registration *r, gboolean ok, const char *message)
{
    if (!r->finished) {
        r->finished = TRUE;
        r->done(ok, message, r->data);
    }
    g_clear_handle_id(&r->deadline, g_source_remove);
    if (!xmpp_conn_is_disconnected(r->conn)) {
        xmpp_disconnect(r->conn);
        connloop_disconnect_started(r->loop);
    }
}

static void fail(Registration *r, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void fail(Registration *r, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    g_autofree char *why = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_autofree char *message =
        g_strdup_printf("Registration of %s failed: %s", r->jid->bare, why);
    finish(r, FALSE, message);
}

static Registration *find(const xmpp_ctx_t *ctx, const xmpp_conn_t *conn)
{
    for (guint i = 0; registrations && i < registrations->len; i++) {
        Registration *r = g_ptr_array_index(registrations, i);
        if ((ctx && r->ctx == ctx) || (conn && r->conn == conn))
            return r;
    }
    return NULL;
}

static void on_log(void *data, xmpp_log_level_t level, const char *area,
                   const char *msg)
{
    Registration *r = data;
    if (level >= XMPP_LEVEL_ERROR) {
        g_free(r->last_error);
        r->last_error = g_strdup(msg);
    }
}

static int on_certfail(const xmpp_tlscert_t *cert, const char *errormsg)
{
    Registration *r = find(xmpp_tlscert_get_ctx(cert), NULL);
    if (r) {
        g_free(r->cert_problem);
        r->cert_problem = g_strdup_printf(
            "the server's certificate is not trusted: %s (subject %s, "
            "SHA-256 %s)",
            errormsg, xmpp_tlscert_get_string(cert, XMPP_CERT_SUBJECT),
            xmpp_tlscert_get_string(cert, XMPP_CERT_FINGERPRINT_SHA256));
    }
    return 0; /* refuse */
}

static int on_socket_created(xmpp_conn_t *conn, void *sock)
{
    Registration *r = find(NULL, conn);
    if (!r)
        return -1;
    connloop_set_socket(r->loop, *(int *)sock);
    return 0;
}

static int on_stanza(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Registration *r = data;
    connloop_count_stanza(r->loop);
    return 1;
}

static int on_set_answer(xmpp_conn_t *conn, xmpp_stanza_t *iq, void *data)
{
    Registration *r = data;
    if (g_strcmp0(xmpp_stanza_get_type(iq), "result") == 0) {
        g_autofree char *message =
            g_strdup_printf("Account %s created on the server.", r->jid->bare);
        finish(r, TRUE, message);
        return 0;
    }
    g_autofree char *why = stanza_error_describe(iq);
    if (g_str_has_prefix(why, "conflict"))
        fail(r, "the name %s is taken (%s)", r->jid->local, why);
    else
        fail(r, "the server refused: %s", why);
    return 0;
}

static int on_fields(xmpp_conn_t *conn, xmpp_stanza_t *iq, void *data)
{
    Registration *r = data;
    if (g_strcmp0(xmpp_stanza_get_type(iq), "result") != 0) {
        g_autofree char *why = stanza_error_describe(iq);
        fail(r, "the server does not let new accounts register (%s)", why);
        return 0;
    }
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(iq, "query", NS_REGISTER);
    if (!query) {
        fail(r, "the server sent no registration fields");
        return 0;
    }
    /* natter fills the plain fields username and password; a server that
     * insists on more (an e-mail address, a CAPTCHA form only) cannot be
     * served from here. */
    gboolean has_user = FALSE, has_password = FALSE;
    g_autoptr(GString) others = g_string_new(NULL);
    for (xmpp_stanza_t *f = xmpp_stanza_get_children(query); f;
         f = xmpp_stanza_get_next(f)) {
        const char *name =
            xmpp_stanza_is_tag(f) ? xmpp_stanza_get_name(f) : NULL;
        const char *ns = name ? xmpp_stanza_get_ns(f) : NULL;
        if (!name || (ns && strcmp(ns, NS_REGISTER) != 0))
            continue; /* text, or a form (jabber:x:data) beside the fields */
        if (strcmp(name, "username") == 0)
            has_user = TRUE;
        else if (strcmp(name, "password") == 0)
            has_password = TRUE;
        else if (strcmp(name, "registered") == 0) {
            fail(r, "the server says this connection is already registered");
            return 0;
        } else if (strcmp(name, "instructions") != 0)
            g_string_append_printf(others, " %s", name);
    }
    if (!has_user || !has_password || others->len) {
        fail(r, "the server asks for fields natter cannot fill (%s%s%s)",
             has_user ? "" : "no username; ",
             has_password ? "" : "no password; ",
             others->len ? others->str + 1 : "");
        return 0;
    }
    g_autofree char *id = g_strdup_printf("reg-%08x", g_random_int());
    xmpp_stanza_t *set = xmpp_iq_new(r->ctx, "set", id);
    xmpp_stanza_set_to(set, r->jid->domain);
    xmpp_stanza_t *q = stanza_add_child_ns(set, "query", NS_REGISTER);
    stanza_add_text_child(q, "username", r->jid->local);
    stanza_add_text_child(q, "password", r->password);
    xmpp_id_handler_add(r->conn, on_set_answer, id, r);
    xmpp_send(r->conn, set);
    xmpp_stanza_release(set);
    connloop_flush_soon(r->loop);
    return 0;
}

static void ask_fields(Registration *r)
{
    g_autofree char *id = g_strdup_printf("reg-%08x", g_random_int());
    xmpp_stanza_t *get = xmpp_iq_new(r->ctx, "get", id);
    xmpp_stanza_set_to(get, r->jid->domain);
    stanza_add_child_ns(get, "query", NS_REGISTER);
    xmpp_id_handler_add(r->conn, on_fields, id, r);
    xmpp_send(r->conn, get);
    xmpp_stanza_release(get);
    connloop_flush_soon(r->loop);
}

static int on_tls_answer(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Registration *r = data;
    if (g_strcmp0(xmpp_stanza_get_name(stanza), "proceed") != 0) {
        fail(r, "the server refused to start TLS");
        return 0;
    }
    if (xmpp_conn_tls_start(conn) != 0) {
        fail(r, "%s",
             r->cert_problem ? r->cert_problem : "the TLS handshake failed");
        return 0;
    }
    xmpp_conn_open_stream_default(conn); /* a new stream, now secured */
    return 0;
}

static int on_features(xmpp_conn_t *conn, xmpp_stanza_t *features, void *data)
{
    Registration *r = data;
    if (!xmpp_conn_is_secured(conn)) {
        if (!xmpp_stanza_get_child_by_name_and_ns(features, "starttls",
                                                  XMPP_NS_TLS)) {
            fail(r, "the server does not offer TLS, and natter does not "
                    "send a password without it");
            return 0;
        }
        xmpp_stanza_t *starttls = xmpp_stanza_new(r->ctx);
        xmpp_stanza_set_name(starttls, "starttls");
        xmpp_stanza_set_ns(starttls, XMPP_NS_TLS);
        xmpp_handler_add(conn, on_tls_answer, XMPP_NS_TLS, NULL, NULL, r);
        xmpp_send(conn, starttls);
        xmpp_stanza_release(starttls);
        connloop_flush_soon(r->loop);
        return 1; /* the secured stream sends features again */
    }
    if (!xmpp_stanza_get_child_by_name_and_ns(features, "register",
                                              NS_FEATURE_REGISTER)) {
        fail(r, "the server does not allow in-band registration (XEP-0077)");
        return 0;
    }
    ask_fields(r);
    return 0;
}

static void on_connection(xmpp_conn_t *conn, xmpp_conn_event_t event, int error,
                          xmpp_stream_error_t *stream_error, void *data)
{
    Registration *r = data;
    if (r->releasing)
        return;
    if (event == XMPP_CONN_RAW_CONNECT) {
        xmpp_conn_open_stream_default(conn);
        return;
    }
    if (event == XMPP_CONN_CONNECT) {
        if (!r->features_handler) {
            r->features_handler = TRUE;
            xmpp_handler_add(conn, on_features, XMPP_NS_STREAMS, "features",
                             NULL, r);
        }
        return;
    }
    connloop_socket_closed(r->loop);
    if (!r->finished) {
        if (r->cert_problem)
            fail(r, "%s", r->cert_problem);
        else if (stream_error)
            fail(r, "stream error%s%s", stream_error->text ? ": " : "",
                 stream_error->text ? stream_error->text : "");
        else if (r->last_error)
            fail(r, "%s", r->last_error);
        else
            fail(r, "the connection closed (%s)",
                 error ? g_strerror(error) : "no reason given");
    }
    if (!r->teardown_idle)
        r->teardown_idle = g_idle_add(on_teardown, r);
}

static gboolean on_deadline(gpointer data)
{
    Registration *r = data;
    r->deadline = 0;
    fail(r, "no answer from the server within %d seconds", DEADLINE_S);
    return G_SOURCE_REMOVE;
}

gboolean register_account(const char *jid, const char *server, int port,
                          const char *cafile, const char *password,
                          RegisterDoneFunc done, gpointer data,
                          GDestroyNotify destroy, GError **error)
{
    g_autoptr(Jid) parsed = jid_parse(jid, error);
    if (!parsed)
        return FALSE;
    if (!parsed->local || parsed->resource) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "register an address of the form user@domain, not '%s'",
                    jid);
        return FALSE;
    }
    Registration *r = g_new0(Registration, 1);
    r->jid = g_steal_pointer(&parsed);
    r->password = g_strdup(password);
    r->done = done;
    r->data = data;
    r->destroy = destroy;
    r->log.handler = on_log;
    r->log.userdata = r;
    r->ctx = xmpp_ctx_new(NULL, &r->log);
    r->conn = xmpp_conn_new(r->ctx);
    r->loop = connloop_new(r->ctx, r->conn);
    /* A raw connection knows only the domain it talks to. */
    xmpp_conn_set_jid(r->conn, r->jid->domain);
    if (cafile)
        xmpp_conn_set_cafile(r->conn, cafile);
    xmpp_conn_set_certfail_handler(r->conn, on_certfail);
    xmpp_conn_set_sockopt_callback(r->conn, on_socket_created);
    xmpp_handler_add(r->conn, on_stanza, NULL, NULL, NULL, r);
    if (!registrations)
        registrations = g_ptr_array_new();
    g_ptr_array_add(registrations, r);

    unsigned short p = server && port == 0 ? 5222 : (unsigned short)port;
    if (xmpp_connect_raw(r->conn, server, p, on_connection, r) != XMPP_EOK) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot reach the server of %s: %s", r->jid->bare,
                    r->last_error ? r->last_error : "no address");
        r->destroy = NULL; /* the caller keeps DATA on failure */
        g_ptr_array_remove(registrations, r);
        registration_free(r);
        return FALSE;
    }
    r->deadline = g_timeout_add_seconds(DEADLINE_S, on_deadline, r);
    return TRUE;
}

typedef struct {
    char *account;
    char *password; /* wiped when freed */
} Change;

static void change_free(gpointer p)
{
    Change *c = p;
    g_free(c->account);
    wipe(c->password);
    g_free(c);
}

static void on_changed(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    Change *c = r->data;
    if (request_failed(r, result, "Password change"))
        return;
    /* The session logs in again with the new password from now on. */
    wipe(s->password);
    s->password = g_strdup(c->password);
    xmpp_conn_set_pass(s->conn, s->password);
    Account *a = account_find(c->account);
    Sink *out = request_out(r);
    if (a && a->password) {
        g_autoptr(GError) error = NULL;
        if (!account_set(a, "password", c->password, &error) ||
            !accounts_save(&error)) {
            sink_printf(out, LINE_ERROR,
                        "Password changed on the server, but the stored "
                        "one could not be updated: %s",
                        error->message);
            return;
        }
        sink_printf(out, LINE_INFO,
                    "Password of %s changed on the server and in the "
                    "accounts file.",
                    c->account);
        return;
    }
    sink_printf(out, LINE_INFO, "Password of %s changed on the server.",
                c->account);
}

gboolean register_change_password(const char *account, const char *password,
                                  Sink *out, GError **error)
{
    Session *s = request_session(account, NULL, error);
    if (!s)
        return FALSE;
    g_autoptr(Jid) own = jid_parse(s->bound_jid, error);
    if (!own)
        return FALSE;
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq =
        iq_new(s, "set", own->domain, "query", NS_REGISTER, &query);
    stanza_add_text_child(query, "username", own->local);
    stanza_add_text_child(query, "password", password);
    Change *c = g_new0(Change, 1);
    c->account = g_strdup(account);
    c->password = g_strdup(password);
    return request_send_iq(s, iq, out, on_changed, c, change_free);
}
