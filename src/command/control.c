/* control.c: the control socket's server side (control.h). A GSocketService
 * on the main loop accepts connections, checks the peer's uid, and reads
 * requests line by line; answers go out through an outbox written
 * asynchronously, so a client that stops reading never blocks natter: past
 * CONTROL_MAX_OUTBOX unwritten bytes it is disconnected. */
#include "command/control.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/command.h"
#include "core/account.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/roster.h"
#include "core/settings.h"
#include "util/error.h"
#include "xmpp/message.h"

#define CONTROL_MAX_OUTBOX   (1024 * 1024)
#define CONTROL_SEND_TIMEOUT 30 /* seconds to wait for the server's ack */

typedef struct {
    gint refs;
    GSocketConnection *conn;
    GDataInputStream *in;
    GString *outbox;
    GBytes *writing; /* what the running write sends, or NULL */
    gboolean closed;
    gboolean eof;       /* the client sent all its requests */
    guint waiting;      /* its sends waiting for the server's ack */
    gboolean bodies;    /* events with message bodies */
    GArray *event_subs; /* guint subscription ids of the event stream */
    GCancellable *cancel;
} Client;

typedef struct {
    Client *client;
    char *account;
    char *message_id;
    guint serial;
    guint timeout_source;
} PendingSend;

static GSocketService *service;
static char *listening_path;
static GPtrArray *clients; /* Client * (a reference each) */
static GPtrArray *pending; /* PendingSend * */
static guint setting_sub, state_sub;

/* -- escaping ------------------------------------------------------------ */

char *control_escape(const char *text)
{
    GString *out = g_string_sized_new(strlen(text));
    for (const char *p = text; *p; p++) {
        if (*p == '\\')
            g_string_append(out, "\\\\");
        else if (*p == '\n')
            g_string_append(out, "\\n");
        else if (*p == '\r')
            g_string_append(out, "\\r");
        else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

char *control_unescape(const char *text)
{
    GString *out = g_string_sized_new(strlen(text));
    for (const char *p = text; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            g_string_append_c(out, *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
        } else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

char *control_socket_path(void)
{
    g_autofree char *standard =
        g_build_filename(g_get_user_data_dir(), "natter", NULL);
    const char *data = paths_data_dir();
    g_autofree char *name = NULL;
    if (!g_strcmp0(standard, data))
        name = g_strdup("ctl");
    else {
        g_autofree char *hash =
            g_compute_checksum_for_string(G_CHECKSUM_SHA256, data, -1);
        name = g_strdup_printf("ctl-%.12s", hash);
    }
    return g_build_filename(g_get_user_runtime_dir(), "natter", name, NULL);
}

/* -- clients ------------------------------------------------------------- */

static Client *client_ref(Client *client)
{
    client->refs++;
    return client;
}

static void client_unref(gpointer data)
{
    Client *client = data;
    if (--client->refs)
        return;
    g_clear_object(&client->in);
    g_clear_object(&client->conn);
    g_clear_object(&client->cancel);
    g_string_free(client->outbox, TRUE);
    if (client->writing)
        g_bytes_unref(client->writing);
    g_array_free(client->event_subs, TRUE);
    g_free(client);
}

static void client_close(Client *client)
{
    if (client->closed)
        return;
    client->closed = TRUE;
    for (guint i = 0; i < client->event_subs->len; i++)
        event_unsubscribe(g_array_index(client->event_subs, guint, i));
    g_array_set_size(client->event_subs, 0);
    g_cancellable_cancel(client->cancel);
    g_io_stream_close(G_IO_STREAM(client->conn), NULL, NULL);
    g_ptr_array_remove(clients, client); /* drops the list's reference */
}

static void flush(Client *client);

static void on_written(GObject *source, GAsyncResult *result, gpointer data)
{
    Client *client = data;
    gboolean ok = g_output_stream_write_all_finish(G_OUTPUT_STREAM(source),
                                                   result, NULL, NULL);
    g_clear_pointer(&client->writing, g_bytes_unref);
    if (!ok)
        client_close(client);
    else
        flush(client);
    client_unref(client);
}

static void flush(Client *client)
{
    if (client->closed || client->writing)
        return;
    if (!client->outbox->len) {
        /* Everything answered and written: the connection is done. */
        if (client->eof && !client->waiting)
            client_close(client);
        return;
    }
    gsize len = client->outbox->len;
    client->writing = g_string_free_to_bytes(client->outbox);
    client->outbox = g_string_new(NULL);
    GOutputStream *out =
        g_io_stream_get_output_stream(G_IO_STREAM(client->conn));
    g_output_stream_write_all_async(
        out, g_bytes_get_data(client->writing, NULL), len, G_PRIORITY_DEFAULT,
        client->cancel, on_written, client_ref(client));
}

/* Queues "WORD TEXT\n" (TEXT escaped unless RAW). */
static void client_write(Client *client, const char *word, const char *text,
                         gboolean raw)
{
    if (client->closed)
        return;
    g_autofree char *escaped = text && !raw ? control_escape(text) : NULL;
    g_string_append(client->outbox, word);
    if (text) {
        g_string_append_c(client->outbox, ' ');
        g_string_append(client->outbox, raw ? text : escaped);
    }
    g_string_append_c(client->outbox, '\n');
    if (client->outbox->len > CONTROL_MAX_OUTBOX) {
        buffer_appendf(buffer_console(), LINE_ERROR,
                       "control socket: a client that does not read its "
                       "answers was disconnected");
        client_close(client);
        return;
    }
    flush(client);
}

/* A "cmd" request: its output comes through a sink, and its status is
 * written when the last reference to the sink goes, that is once the
 * command and whatever answers later (an IQ, /exec) are done. */
typedef struct {
    Client *client;
    char *error; /* the command failed: why */
} CmdRequest;

static void on_sink_line(LineKind kind, const char *text, gpointer data)
{
    CmdRequest *request = data;
    client_write(request->client, kind == LINE_ERROR ? "error" : "info", text,
                 FALSE);
}

static void cmd_request_done(gpointer data)
{
    CmdRequest *request = data;
    client_write(request->client, request->error ? "fail" : "ok",
                 request->error, FALSE);
    request->client->waiting--;
    flush(request->client);
    client_unref(request->client);
    g_free(request->error);
    g_free(request);
}

/* -- requests ------------------------------------------------------------ */

static void pending_free(PendingSend *send)
{
    if (send->timeout_source)
        g_source_remove(send->timeout_source);
    send->client->waiting--;
    client_unref(send->client);
    g_free(send->account);
    g_free(send->message_id);
    g_free(send);
}

static void pending_answer(PendingSend *send, const char *word,
                           const char *text)
{
    Client *client = client_ref(send->client);
    g_ptr_array_remove(pending, send);
    pending_free(send);
    client_write(client, word, text, FALSE);
    client_unref(client);
}

static gboolean on_send_timeout(gpointer data)
{
    PendingSend *send = data;
    send->timeout_source = 0;
    pending_answer(send, "fail",
                   "not acknowledged by the server in time; natter keeps "
                   "the message and sends it when it can");
    return G_SOURCE_REMOVE;
}

static EventResult on_message_state(const Message *message, gpointer data)
{
    (void)data;
    if (!message->message_id)
        return EVENT_CONTINUE;
    for (guint i = 0; i < pending->len; i++) {
        PendingSend *send = g_ptr_array_index(pending, i);
        if (g_strcmp0(send->account, message->account) ||
            g_strcmp0(send->message_id, message->message_id))
            continue;
        if (message->state == MESSAGE_FAILED)
            pending_answer(send, "fail", "the server returned an error");
        else if (message->state >= MESSAGE_SENT)
            pending_answer(send, "ok",
                           message->state >= MESSAGE_DELIVERED ? "delivered"
                                                               : "sent");
        break;
    }
    return EVENT_CONTINUE;
}

/* While send_request() sends: for whom, and the wait it registered. The
 * message may leave within the call (the account online), so the wait
 * exists from EVENT_MESSAGE_SENT on, before its state changes. */
static Client *sending_client;
static const char *sending_account;
static guint sending_serial, next_serial = 1;

static EventResult on_sent(const Message *message, gpointer data)
{
    (void)data;
    if (!sending_client || sending_serial || !message->message_id ||
        g_strcmp0(message->account, sending_account))
        return EVENT_CONTINUE;
    PendingSend *send = g_new0(PendingSend, 1);
    send->client = client_ref(sending_client);
    sending_client->waiting++;
    send->account = g_strdup(message->account);
    send->message_id = g_strdup(message->message_id);
    send->serial = sending_serial = next_serial++;
    send->timeout_source =
        g_timeout_add_seconds(CONTROL_SEND_TIMEOUT, on_send_timeout, send);
    g_ptr_array_add(pending, send);
    return EVENT_CONTINUE;
}

static PendingSend *find_serial(guint serial)
{
    for (guint i = 0; i < pending->len; i++) {
        PendingSend *send = g_ptr_array_index(pending, i);
        if (send->serial == serial)
            return send;
    }
    return NULL;
}

/* The only online account, else the only account there is. */
static const char *default_account(void)
{
    const GPtrArray *accounts = accounts_list();
    const char *online = NULL;
    guint n_online = 0;
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        if (a->state != ACCOUNT_OFFLINE) {
            online = a->name;
            n_online++;
        }
    }
    if (n_online == 1)
        return online;
    if (n_online == 0 && accounts->len == 1)
        return ((Account *)g_ptr_array_index(accounts, 0))->name;
    return NULL;
}

static void send_request(Client *client, const char *args)
{
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) words = NULL;
    const char *account = NULL;
    if (g_str_has_prefix(args, "-a ")) {
        words = g_strsplit(args + 3, " ", 3);
        if (g_strv_length(words) < 3) {
            client_write(client, "fail", "usage: send [-a ACCOUNT] JID TEXT",
                         FALSE);
            return;
        }
        const Account *a = account_find(words[0]);
        if (!a) {
            g_autofree char *text =
                g_strdup_printf("no account '%s'", words[0]);
            client_write(client, "fail", text, FALSE);
            return;
        }
        account = a->name;
    } else {
        g_auto(GStrv) two = g_strsplit(args, " ", 2);
        words = g_new0(char *, 4);
        words[0] = g_strdup("");
        words[1] = g_strdup(two[0] ? two[0] : "");
        words[2] = g_strdup(two[0] && two[1] ? two[1] : "");
        if (!(account = default_account())) {
            client_write(client, "fail",
                         "which account? Add -a ACCOUNT (several are "
                         "online, or none of several)",
                         FALSE);
            return;
        }
    }
    if (!*words[1] || !*words[2]) {
        client_write(client, "fail", "usage: send [-a ACCOUNT] JID TEXT",
                     FALSE);
        return;
    }
    g_autofree char *text = control_unescape(words[2]);
    sending_client = client;
    sending_account = account;
    sending_serial = 0;
    guint sub = event_on_message(EVENT_MESSAGE_SENT, EVENT_PRIORITY_MODEL,
                                 on_sent, NULL);
    gboolean ok = message_send_chat(account, words[1], text, &error);
    event_unsubscribe(sub);
    sending_client = NULL;
    PendingSend *send = sending_serial ? find_serial(sending_serial) : NULL;
    if (!ok) {
        if (send) {
            g_ptr_array_remove(pending, send);
            pending_free(send);
        }
        client_write(client, "fail", error->message, FALSE);
    } else if (!sending_serial)
        client_write(client, "ok", "queued", FALSE);
    /* Otherwise it is answered when the message leaves (perhaps already
     * within the call), fails, or at the timeout. */
}

static void cmd_request(Client *client, const char *line)
{
    g_autoptr(GError) error = NULL;
    CmdRequest *request = g_new0(CmdRequest, 1);
    request->client = client_ref(client);
    client->waiting++;
    Sink *sink = sink_new(on_sink_line, request, cmd_request_done);
    if (!command_execute_to(buffer_console(), sink, line, &error))
        request->error = g_strdup(error->message);
    sink_unref(sink);
}

/* -- the event stream ---------------------------------------------------- */

/* Characters a terminal could act on are written as \\uXXXX, so that an
 * event line is safe to print as it is, and still decodes to the text. */
static gboolean json_needs_escape(gunichar c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x200e ||
           c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

static void json_string(GString *out, const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    g_string_append_c(out, '"');
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '"' || c == '\\')
            g_string_append_printf(out, "\\%c", (char)c);
        else if (json_needs_escape(c))
            g_string_append_printf(out, "\\u%04x", c);
        else
            g_string_append_len(out, p, g_utf8_next_char(p) - p);
    }
    g_string_append_c(out, '"');
}

static void json_field(GString *out, const char *key, const char *value)
{
    if (!value)
        return;
    g_string_append(out, ",");
    json_string(out, key);
    g_string_append_c(out, ':');
    json_string(out, value);
}

static EventResult on_event(const Event *event, gpointer data)
{
    Client *client = data;
    g_autoptr(GString) out = g_string_new("{");
    json_string(out, "event");
    g_string_append_c(out, ':');
    json_string(out, event_type_name(event->type));
    switch (event->type) {
    case EVENT_MESSAGE_RECEIVED:
    case EVENT_MESSAGE_SENT:
    case EVENT_MESSAGE_STATE: {
        const Message *m = event->message;
        json_field(out, "account", m->account);
        json_field(out, "peer", m->peer);
        json_field(out, "from", m->from);
        json_field(out, "nick", m->nick);
        json_field(out, "id", m->message_id);
        static const char *const kinds[] = {"chat", "groupchat", "private",
                                            "headline"};
        if ((guint)m->kind < G_N_ELEMENTS(kinds))
            json_field(out, "kind", kinds[m->kind]);
        json_field(out, "direction", m->direction == MESSAGE_IN ? "in" : "out");
        static const char *const states[] = {"received",  "pending", "sent",
                                             "delivered", "read",    "failed"};
        if ((guint)m->state < G_N_ELEMENTS(states))
            json_field(out, "state", states[m->state]);
        json_field(out, "encrypted",
                   m->security == MESSAGE_OTR      ? "otr"
                   : m->security == MESSAGE_OMEMO  ? "omemo"
                   : m->security == MESSAGE_OMEMO2 ? "omemo2"
                                                   : "no");
        if (client->bodies)
            json_field(out, "body", m->body);
        break;
    }
    case EVENT_ACCOUNT_STATE:
    case EVENT_ACCOUNT_READY:
        json_field(out, "account", event->account->name);
        json_field(out, "state", account_state_name(event->account->state));
        break;
    case EVENT_PRESENCE_CHANGED: {
        Account *account = event->contact.account;
        json_field(out, "account", account->name);
        json_field(out, "jid", event->contact.jid);
        if (event->contact.jid) {
            const RosterResource *best =
                roster_best_resource(account->name, event->contact.jid);
            json_field(
                out, "show",
                presence_show_name(best ? best->show : PRESENCE_OFFLINE));
            if (client->bodies && best)
                json_field(out, "status", best->status);
        }
        break;
    }
    case EVENT_SUBSCRIPTION_REQUEST:
        json_field(out, "account", event->subscription.account->name);
        json_field(out, "jid", event->subscription.jid);
        json_field(out, "nick", event->subscription.nick);
        if (client->bodies)
            json_field(out, "status", event->subscription.status);
        break;
    case EVENT_ROOM_INVITATION:
        json_field(out, "account", event->invitation.account->name);
        json_field(out, "room", event->invitation.invite->room);
        json_field(out, "from", event->invitation.invite->inviter);
        break;
    case EVENT_ROOM_KICKED:
        json_field(out, "account", event->kick.account->name);
        json_field(out, "room", event->kick.room);
        json_field(out, "how", event->kick.how);
        break;
    case EVENT_PUBSUB_ITEM:
        json_field(out, "account", event->pubsub.account->name);
        json_field(out, "service", event->pubsub.service);
        json_field(out, "node", event->pubsub.node);
        json_field(out, "id", event->pubsub.id);
        if (client->bodies)
            json_field(out, "body", event->pubsub.text);
        break;
    default:
        break;
    }
    g_string_append_c(out, '}');
    client_write(client, "event", out->str, TRUE);
    return EVENT_CONTINUE;
}

static void events_request(Client *client, const char *args)
{
    if (*args && strcmp(args, "bodies")) {
        client_write(client, "fail", "usage: events [bodies]", FALSE);
        return;
    }
    client->bodies = *args != '\0';
    static const EventType types[] = {
        EVENT_MESSAGE_RECEIVED,     EVENT_MESSAGE_SENT,
        EVENT_MESSAGE_STATE,        EVENT_ACCOUNT_STATE,
        EVENT_ACCOUNT_READY,        EVENT_PRESENCE_CHANGED,
        EVENT_SUBSCRIPTION_REQUEST, EVENT_ROOM_INVITATION,
        EVENT_ROOM_KICKED,          EVENT_PUBSUB_ITEM,
    };
    if (!client->event_subs->len)
        for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
            guint id = event_subscribe(types[i], EVENT_PRIORITY_DEFAULT + 10,
                                       on_event, client);
            g_array_append_val(client->event_subs, id);
        }
    client_write(client, "ok", "events follow", FALSE);
}

static void on_line(GObject *source, GAsyncResult *result, gpointer data)
{
    Client *client = data;
    gsize len;
    g_autoptr(GError) error = NULL;
    g_autofree char *line = g_data_input_stream_read_line_finish_utf8(
        G_DATA_INPUT_STREAM(source), result, &len, &error);
    if (!line || client->closed) {
        if (!client->closed && error &&
            !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            client_write(client, "fail", "not UTF-8 text", FALSE);
        /* Answers still to come (a send waiting for its ack) go out
         * before the end: only the reading stops at EOF. */
        client->eof = TRUE;
        flush(client);
        client_unref(client);
        return;
    }
    g_strchomp(line);
    const char *args = line + strcspn(line, " ");
    g_autofree char *verb = g_strndup(line, (gsize)(args - line));
    args += *args == ' ';
    if (!strcmp(verb, "cmd") && *args)
        cmd_request(client, args);
    else if (!strcmp(verb, "send"))
        send_request(client, args);
    else if (!strcmp(verb, "events"))
        events_request(client, args);
    else if (*verb) {
        g_autofree char *text = g_strdup_printf(
            "unknown request '%s': cmd LINE, send [-a ACCOUNT] JID TEXT, "
            "events [bodies]",
            verb);
        client_write(client, "fail", text, FALSE);
    }
    g_data_input_stream_read_line_async(client->in, G_PRIORITY_DEFAULT,
                                        client->cancel, on_line, client);
}

static gboolean on_incoming(GSocketService *svc, GSocketConnection *conn,
                            GObject *source, gpointer data)
{
    (void)svc, (void)source, (void)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GCredentials) creds =
        g_socket_get_credentials(g_socket_connection_get_socket(conn), &error);
    uid_t uid = creds ? g_credentials_get_unix_user(creds, NULL) : (uid_t)-1;
    if (uid != getuid()) {
        static const char refusal[] = "fail refused: not your natter\n";
        GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
        g_output_stream_write_all(out, refusal, sizeof refusal - 1, NULL, NULL,
                                  NULL);
        g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
        buffer_appendf(buffer_console(), LINE_ERROR,
                       "control socket: refused a connection from uid %ld",
                       (long)(gint64)uid);
        return TRUE;
    }
    Client *client = g_new0(Client, 1);
    client->refs = 1;
    client->conn = g_object_ref(conn);
    client->in = g_data_input_stream_new(
        g_io_stream_get_input_stream(G_IO_STREAM(conn)));
    g_data_input_stream_set_newline_type(client->in,
                                         G_DATA_STREAM_NEWLINE_TYPE_LF);
    client->outbox = g_string_new(NULL);
    client->event_subs = g_array_new(FALSE, FALSE, sizeof(guint));
    client->cancel = g_cancellable_new();
    g_ptr_array_add(clients, client);
    g_data_input_stream_read_line_async(client->in, G_PRIORITY_DEFAULT,
                                        client->cancel, on_line,
                                        client_ref(client));
    return TRUE;
}

/* -- listening ----------------------------------------------------------- */

static gboolean prepare_dir(const char *dir, GError **error)
{
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot create %s: %s", dir, g_strerror(errno));
        return FALSE;
    }
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid()) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "%s is not a directory of yours", dir);
        return FALSE;
    }
    if ((st.st_mode & 0777) != 0700 && chmod(dir, 0700) != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot make %s private: %s", dir, g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

static gboolean start(GError **error)
{
    g_autofree char *path = control_socket_path();
    g_autofree char *dir = g_path_get_dirname(path);
    if (!prepare_dir(dir, error))
        return FALSE;
    /* A socket left by a natter that died is removed; one that answers
     * belongs to a natter still running. */
    if (g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_autoptr(GSocketClient) probe = g_socket_client_new();
        g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
        g_autoptr(GSocketConnection) conn = g_socket_client_connect(
            probe, G_SOCKET_CONNECTABLE(addr), NULL, NULL);
        if (conn) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_EXISTS,
                        "another natter listens on %s", path);
            return FALSE;
        }
        unlink(path);
    }
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    GSocketService *svc = g_socket_service_new();
    g_autoptr(GError) cause = NULL;
    mode_t old = umask(0077);
    gboolean bound = g_socket_listener_add_address(
        G_SOCKET_LISTENER(svc), addr, G_SOCKET_TYPE_STREAM,
        G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, &cause);
    umask(old);
    if (!bound || chmod(path, 0600) != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot listen on %s: %s", path,
                    cause ? cause->message : g_strerror(errno));
        g_object_unref(svc);
        return FALSE;
    }
    g_signal_connect(svc, "incoming", G_CALLBACK(on_incoming), NULL);
    g_socket_service_start(svc);
    service = svc;
    listening_path = g_steal_pointer(&path);
    buffer_appendf(buffer_console(), LINE_INFO, "Control socket: %s",
                   listening_path);
    return TRUE;
}

static void stop(void)
{
    if (!service)
        return;
    g_socket_service_stop(service);
    g_socket_listener_close(G_SOCKET_LISTENER(service));
    g_clear_object(&service);
    unlink(listening_path);
    g_clear_pointer(&listening_path, g_free);
    while (pending->len) {
        PendingSend *send = g_ptr_array_steal_index(pending, 0);
        pending_free(send);
    }
    while (clients->len)
        client_close(g_ptr_array_index(clients, 0));
}

static void follow_setting(void)
{
    gboolean on = settings_get_bool("control_socket");
    if (on && !service) {
        g_autoptr(GError) error = NULL;
        if (!start(&error))
            buffer_appendf(buffer_console(), LINE_ERROR, "control socket: %s",
                           error->message);
    } else if (!on && service) {
        stop();
        buffer_appendf(buffer_console(), LINE_INFO, "Control socket closed.");
    }
}

static EventResult on_setting(const char *name, gpointer data)
{
    (void)data;
    if (!strcmp(name, "control_socket"))
        follow_setting();
    return EVENT_CONTINUE;
}

void control_init(void)
{
    clients = g_ptr_array_new_with_free_func(client_unref);
    pending = g_ptr_array_new();
    setting_sub = event_on_setting(EVENT_PRIORITY_DEFAULT, on_setting, NULL);
    state_sub = event_on_message(EVENT_MESSAGE_STATE, EVENT_PRIORITY_DEFAULT,
                                 on_message_state, NULL);
    follow_setting();
}

void control_shutdown(void)
{
    if (!clients)
        return;
    stop();
    event_unsubscribe(setting_sub);
    event_unsubscribe(state_sub);
    g_ptr_array_free(pending, TRUE);
    g_ptr_array_free(clients, TRUE);
    clients = NULL;
    pending = NULL;
}
