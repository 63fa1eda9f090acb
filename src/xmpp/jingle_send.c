/* jingle_send.c: /sendfile -jingle: offering a file to a contact's
 * resource with Jingle file transfer (XEP-0234) and sending it over an
 * in-band bytestream (XEP-0261, XEP-0047).
 *
 * The resource is found by asking each of the contact's resources online
 * for its disco#info: the first that takes both Jingle file transfer and
 * the IBB transport gets the offer. The file's sha-256 (XEP-0300) is
 * computed in a worker thread, so a large file does not stop the loop,
 * and goes in the offer with its name and size. Once accepted, the
 * bytestream is opened and the file read asynchronously, block by block,
 * each block one IQ, with at most JINGLE_WINDOW of them unanswered: the
 * loop stays free and the server is not flooded. When every block is
 * acknowledged the bytestream is closed and the session terminated with
 * success. */
#include "xmpp/jingle_internal.h"

#include <string.h>

#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/ns.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

static void send_failf(JingleSession *j, const char *format, ...)
    G_GNUC_PRINTF(2, 3);
static void send_failf(JingleSession *j, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    g_autofree char *why = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_autofree char *line = g_strdup_printf("%s failed: %s", j->t->what, why);
    jingle_end(j, TRUE, line);
}

/* The transport broke or the peer refused a step: the peer is told. */
static void send_abort(Session *s, JingleSession *j, const char *reason,
                       const char *why)
{
    if (s && j->sid)
        jingle_send_terminate(s, j, reason, why);
    send_failf(j, "%s", why);
}

/* Whether RESULT answers a bytestream STEP of J well; if not, J ends: the
 * connection was lost, or the peer refused (and is told). */
static gboolean bytestream_answered(Session *s, JingleSession *j,
                                    xmpp_stanza_t *result, const char *step)
{
    if (!result) {
        send_failf(j, "the connection was lost");
        return FALSE;
    }
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        g_autofree char *text =
            g_strdup_printf("%s refused %s: %s", j->offer.from, step, why);
        send_abort(s, j, "failed-transport", text);
        return FALSE;
    }
    return TRUE;
}

/* ---- the data ------------------------------------------------------------
 */

typedef struct {
    guint id;
    gsize n;
    guint8 buf[JINGLE_BLOCK_MAX];
} Block;

static void pump(Session *s, JingleSession *j);

static void on_terminate_answered(Session *s, xmpp_stanza_t *result,
                                  gpointer data)
{
    (void)s;
    (void)result;
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (!j)
        return;
    g_autofree char *size = jingle_size(j);
    g_autofree char *line =
        g_strdup_printf("%s done (%s) to %s", j->t->what, size, j->offer.from);
    jingle_end(j, FALSE, line);
}

static void on_close_answered(Session *s, xmpp_stanza_t *result, gpointer data)
{
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (!j)
        return;
    if (!bytestream_answered(s, j, result, "the end of the data"))
        return;
    xmpp_stanza_t *jingle = NULL;
    xmpp_stanza_t *iq = jingle_iq(s, j, "session-terminate", &jingle);
    xmpp_stanza_t *reason = stanza_add_child_ns(jingle, "reason", NULL);
    stanza_add_child_ns(reason, "success", NULL);
    iq_send(s, iq, on_terminate_answered, GUINT_TO_POINTER(j->id), NULL);
    xmpp_stanza_release(iq);
}

static void on_data_answered(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Block *b = data;
    JingleSession *j = jingle_by_id(b->id);
    gsize n = b->n;
    g_free(b);
    if (!j || j->state != JINGLE_OPEN)
        return;
    if (!bytestream_answered(s, j, result, "a block"))
        return;
    j->outstanding--;
    j->moved += (gint64)n;
    transfer_progress(j->t, (gint64)n);
    pump(s, j);
}

static void on_read(GObject *source, GAsyncResult *res, gpointer data)
{
    Block *b = data;
    g_autoptr(GError) error = NULL;
    gsize n = 0;
    gboolean ok =
        g_input_stream_read_all_finish(G_INPUT_STREAM(source), res, &n, &error);
    JingleSession *j = jingle_by_id(b->id);
    if (!j || j->state != JINGLE_OPEN) {
        g_free(b);
        return;
    }
    j->reading = FALSE;
    Session *s = session_find(j->offer.account);
    if (!ok) {
        g_free(b);
        if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            send_abort(s, j, "media-error", error->message);
        return;
    }
    j->queued += (gint64)n;
    if (n < b->n && j->queued < j->offer.size) {
        g_free(b);
        send_abort(s, j, "media-error",
                   "the file became shorter while it was being sent");
        return;
    }
    if (j->queued >= j->offer.size)
        j->eof = TRUE;
    if (n == 0) {
        g_free(b);
        pump(s, j);
        return;
    }
    b->n = n;
    g_autofree char *text = g_base64_encode(b->buf, n);
    xmpp_stanza_t *payload = NULL;
    xmpp_stanza_t *iq =
        iq_new(s, "set", j->offer.from, "data", NS_IBB, &payload);
    xmpp_stanza_set_attribute(payload, "sid", j->ibb_sid);
    g_autofree char *seq = g_strdup_printf("%u", j->seq);
    xmpp_stanza_set_attribute(payload, "seq", seq);
    xmpp_stanza_t *body = xmpp_stanza_new(s->ctx);
    xmpp_stanza_set_text(body, text);
    xmpp_stanza_add_child(payload, body);
    xmpp_stanza_release(body);
    j->seq++;
    j->outstanding++;
    iq_send(s, iq, on_data_answered, b, NULL);
    xmpp_stanza_release(iq);
    pump(s, j);
}

/* Keeps up to JINGLE_WINDOW blocks in flight; closes once all are
 * acknowledged. */
static void pump(Session *s, JingleSession *j)
{
    if (!s) {
        send_failf(j, "the connection was lost");
        return;
    }
    if (j->eof) {
        if (j->outstanding == 0 && !j->reading) {
            j->state = JINGLE_CLOSING;
            xmpp_stanza_t *close = NULL;
            xmpp_stanza_t *iq =
                iq_new(s, "set", j->offer.from, "close", NS_IBB, &close);
            xmpp_stanza_set_attribute(close, "sid", j->ibb_sid);
            iq_send(s, iq, on_close_answered, GUINT_TO_POINTER(j->id), NULL);
            xmpp_stanza_release(iq);
        }
        return;
    }
    if (j->reading || j->outstanding >= JINGLE_WINDOW)
        return;
    j->reading = TRUE;
    Block *b = g_new0(Block, 1);
    b->id = j->id;
    /* No more than the size offered, should the file grow meanwhile. */
    b->n = (gsize)MIN((gint64)j->block_size, j->offer.size - j->queued);
    g_input_stream_read_all_async(j->in, b->buf, b->n, G_PRIORITY_DEFAULT,
                                  j->t->cancel, on_read, b);
}

static void on_open_answered(Session *s, xmpp_stanza_t *result, gpointer data)
{
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (!j || j->state != JINGLE_ACCEPTED)
        return;
    if (!bytestream_answered(s, j, result, "the in-band bytestream"))
        return;
    g_autoptr(GFile) file = g_file_new_for_path(j->path);
    g_autoptr(GError) error = NULL;
    GFileInputStream *in = g_file_read(file, NULL, &error);
    if (!in) {
        send_abort(s, j, "media-error", error->message);
        return;
    }
    j->in = G_INPUT_STREAM(in);
    j->state = JINGLE_OPEN;
    g_autofree char *size = jingle_size(j);
    sink_printf(j->t->out, LINE_INFO, "%s: sending %s in blocks of %u bytes",
                j->t->what, size, j->block_size);
    pump(s, j);
}

void jingle_send_accepted(Session *s, JingleSession *j, xmpp_stanza_t *iq,
                          xmpp_stanza_t *jingle)
{
    xmpp_stanza_t *content = xmpp_stanza_get_child_by_name(jingle, "content");
    xmpp_stanza_t *transport =
        content ? xmpp_stanza_get_child_by_name_and_ns(content, "transport",
                                                       NS_JINGLE_IBB)
                : NULL;
    const char *block_text =
        transport ? xmpp_stanza_get_attribute(transport, "block-size") : NULL;
    const char *sid =
        transport ? xmpp_stanza_get_attribute(transport, "sid") : NULL;
    guint64 block = 0;
    if (!transport || (sid && strcmp(sid, j->ibb_sid) != 0) ||
        (block_text &&
         !g_ascii_string_to_unsigned(block_text, 10, 1, 65535, &block, NULL))) {
        xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
        xmpp_stanza_set_type(reply, "error");
        xmpp_stanza_t *error = stanza_add_child_ns(reply, "error", NULL);
        xmpp_stanza_set_type(error, "modify");
        stanza_add_child_ns(error, "bad-request", NS_STANZAS);
        session_send(s, reply);
        xmpp_stanza_release(reply);
        send_abort(s, j, "failed-transport",
                   "the acceptance names another transport or block size");
        return;
    }
    iq_reply_result(s, iq);
    /* The receiver may only lower the block size (XEP-0261 2). */
    if (block && block < j->block_size)
        j->block_size = (guint)block;
    j->state = JINGLE_ACCEPTED;
    sink_printf(j->t->out, LINE_INFO, "%s: %s accepted", j->t->what,
                j->offer.from);
    xmpp_stanza_t *open = NULL;
    xmpp_stanza_t *req = iq_new(s, "set", j->offer.from, "open", NS_IBB, &open);
    xmpp_stanza_set_attribute(open, "sid", j->ibb_sid);
    g_autofree char *size = g_strdup_printf("%u", j->block_size);
    xmpp_stanza_set_attribute(open, "block-size", size);
    xmpp_stanza_set_attribute(open, "stanza", "iq");
    iq_send(s, req, on_open_answered, GUINT_TO_POINTER(j->id), NULL);
    xmpp_stanza_release(req);
}

void jingle_send_terminated(JingleSession *j, const char *reason,
                            const char *text)
{
    if (strcmp(reason, "success") == 0 && j->moved == j->offer.size &&
        j->state >= JINGLE_OPEN) {
        /* The receiver has it all and ended first: done. */
        g_autofree char *size = jingle_size(j);
        g_autofree char *line = g_strdup_printf(
            "%s done (%s) to %s", j->t->what, size, j->offer.from);
        jingle_end(j, FALSE, line);
        return;
    }
    if (strcmp(reason, "decline") == 0) {
        send_failf(j, "%s declined it", j->offer.from);
        return;
    }
    send_failf(j, "%s ended the session (%s%s%s)", j->offer.from, reason,
               text ? ": " : "", text ? text : "");
}

void jingle_send_cancel(Session *s, JingleSession *j)
{
    if (s && j->state == JINGLE_OPEN) {
        xmpp_stanza_t *close = NULL;
        xmpp_stanza_t *iq =
            iq_new(s, "set", j->offer.from, "close", NS_IBB, &close);
        xmpp_stanza_set_attribute(close, "sid", j->ibb_sid);
        iq_send(s, iq, NULL, NULL, NULL);
        xmpp_stanza_release(iq);
    }
    if (s && j->state >= JINGLE_OFFERED)
        jingle_send_terminate(s, j, "cancel", NULL);
    g_autofree char *line = g_strdup_printf("%s cancelled", j->t->what);
    jingle_end(j, TRUE, line);
}

/* ---- the offer -----------------------------------------------------------
 */

static void on_initiate_answered(Session *s, xmpp_stanza_t *result,
                                 gpointer data)
{
    (void)s;
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (!j || j->state != JINGLE_OFFERED)
        return;
    if (!result) {
        send_failf(j, "the connection was lost");
        return;
    }
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        send_failf(j, "%s refused the offer: %s", j->offer.from, why);
        return;
    }
    sink_printf(j->t->out, LINE_INFO,
                "%s: offered to %s, waiting for an answer", j->t->what,
                j->offer.from);
}

static void offer(Session *s, JingleSession *j)
{
    j->sid = g_uuid_string_random();
    j->ibb_sid = g_uuid_string_random();
    j->content = g_strdup("file");
    j->creator = g_strdup("initiator");
    xmpp_stanza_t *jingle = NULL;
    xmpp_stanza_t *iq = jingle_iq(s, j, "session-initiate", &jingle);
    xmpp_stanza_set_attribute(jingle, "initiator", s->bound_jid);
    jingle_add_content(s, j, jingle, TRUE);
    j->state = JINGLE_OFFERED;
    iq_send(s, iq, on_initiate_answered, GUINT_TO_POINTER(j->id), NULL);
    xmpp_stanza_release(iq);
}

/* The sha-256 of the file, in a worker thread. */
static void hash_thread(GTask *task, gpointer source, gpointer data,
                        GCancellable *cancel)
{
    (void)source;
    const char *path = data;
    g_autoptr(GFile) file = g_file_new_for_path(path);
    g_autoptr(GError) error = NULL;
    g_autoptr(GFileInputStream) in = g_file_read(file, cancel, &error);
    if (!in) {
        g_task_return_error(task, g_steal_pointer(&error));
        return;
    }
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    guint8 buf[65536];
    for (;;) {
        gssize n = g_input_stream_read(G_INPUT_STREAM(in), buf, sizeof buf,
                                       cancel, &error);
        if (n < 0) {
            g_task_return_error(task, g_steal_pointer(&error));
            return;
        }
        if (n == 0)
            break;
        g_checksum_update(sum, buf, (gsize)n);
    }
    guint8 digest[32];
    gsize len = sizeof digest;
    g_checksum_get_digest(sum, digest, &len);
    g_task_return_pointer(task, g_base64_encode(digest, len), g_free);
}

static void on_hashed(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    g_autoptr(GError) error = NULL;
    g_autofree char *hash = g_task_propagate_pointer(G_TASK(res), &error);
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (!j || j->state != JINGLE_HASHING)
        return;
    if (!hash) {
        if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            send_failf(j, "%s", error->message);
        return;
    }
    Session *s = session_find(j->offer.account);
    if (!s) {
        send_failf(j, "the connection was lost");
        return;
    }
    j->hash = g_steal_pointer(&hash);
    offer(s, j);
}

static void start_hash(JingleSession *j)
{
    j->state = JINGLE_HASHING;
    GTask *task =
        g_task_new(NULL, j->t->cancel, on_hashed, GUINT_TO_POINTER(j->id));
    g_task_set_task_data(task, g_strdup(j->path), g_free);
    g_task_run_in_thread(task, hash_thread);
    g_object_unref(task);
}

/* ---- finding the resource ------------------------------------------------
 */

static void on_resource_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    (void)s;
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (!j || j->state != JINGLE_FINDING)
        return;
    j->asking--;
    xmpp_stanza_t *query = iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name_and_ns(
                                     result, "query", NS_DISCO_INFO)
                               : NULL;
    g_autoptr(CapsInfo) info = query ? disco_parse_info(query, NULL) : NULL;
    gboolean ft = FALSE, ibb = FALSE;
    for (guint i = 0; info && i < info->features->len; i++) {
        const char *f = g_ptr_array_index(info->features, i);
        ft = ft || strcmp(f, NS_JINGLE_FT) == 0;
        ibb = ibb || strcmp(f, NS_JINGLE_IBB) == 0;
    }
    if (ft && ibb) {
        g_free(j->offer.from);
        j->offer.from = g_strdup(xmpp_stanza_get_from(result));
        start_hash(j);
        return;
    }
    if (j->asking == 0)
        send_failf(j,
                   "no resource of %s online takes Jingle file transfer "
                   "over in-band bytestreams (XEP-0234, XEP-0261); "
                   "/sendfile without -jingle uploads the file instead",
                   j->offer.from);
}

gboolean files_jingle_send(const char *account, const char *peer,
                           const char *path, const char *window, Sink *out,
                           GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    g_autoptr(GFile) file = g_file_new_for_path(path);
    g_autoptr(GFileInfo) info = g_file_query_info(
        file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
        G_FILE_QUERY_INFO_NONE, NULL, error);
    if (!info)
        return FALSE;
    if (g_file_info_get_file_type(info) != G_FILE_TYPE_REGULAR) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is not a file", path);
        return FALSE;
    }
    /* The full JIDs to ask: the one given, or each resource online. */
    g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func(g_free);
    if (strchr(peer, '/')) {
        g_ptr_array_add(targets, g_strdup(peer));
    } else {
        g_autoptr(GPtrArray) resources = roster_resources(account, peer);
        for (guint i = 0; resources && i < resources->len; i++) {
            const RosterResource *r = g_ptr_array_index(resources, i);
            if (r->resource && *r->resource)
                g_ptr_array_add(targets,
                                g_strdup_printf("%s/%s", peer, r->resource));
        }
    }
    if (targets->len == 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "%s has no resource online to send a file to with "
                    "Jingle (/sendfile without -jingle uploads it instead)",
                    peer);
        return FALSE;
    }
    JingleSession *j = jingle_new(TRUE, account, peer);
    j->path = g_strdup(path);
    j->offer.name = g_path_get_basename(path);
    j->offer.size = g_file_info_get_size(info);
    g_autofree char *what =
        g_strdup_printf("Jingle transfer of %s", j->offer.name);
    j->t = transfer_new(TRUE, account, window, what, out, j->offer.name, peer,
                        path);
    j->t->total = j->offer.size;
    jingle_watch_cancel(j);
    j->state = JINGLE_FINDING;
    g_autofree char *size = jingle_size(j);
    sink_printf(out, LINE_INFO,
                "%s (%s) to %s: asking its resources what they take", what,
                size, peer);
    for (guint i = 0; i < targets->len; i++) {
        xmpp_stanza_t *iq = iq_new(s, "get", g_ptr_array_index(targets, i),
                                   "query", NS_DISCO_INFO, NULL);
        j->asking++;
        iq_send(s, iq, on_resource_info, GUINT_TO_POINTER(j->id), NULL);
        xmpp_stanza_release(iq);
    }
    return TRUE;
}
