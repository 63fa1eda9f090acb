/* files_upload.c: /sendfile. The account's upload service is found by
 * service discovery (an item of the server with the identity store/file
 * and the feature urn:xmpp:http:upload:0, whose form may say the largest
 * file it takes); a file larger than that is refused before anything is
 * sent. Then a slot is asked for (XEP-0363), the file is PUT with
 * libsoup, and the GET URL is sent through the normal send path as the
 * body and as out-of-band data (XEP-0066).
 *
 * In a chat where OMEMO is on, the file is encrypted on its way out
 * (AES-256-GCM, files_aesgcm.h) and its aesgcm:// link, which holds the
 * key, is sent as the body only, without out-of-band data, so that it
 * leaves inside the OMEMO message. The stage "filekey" makes sure of it:
 * a message whose stanza would carry an aesgcm:// link in the clear
 * (OMEMO turned off meanwhile, a link pasted into a plain chat) is
 * refused, never sent. */
#include "xmpp/files.h"

#include <string.h>

#include "config.h"

#include "core/pipeline.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/feature.h"
#include "xmpp/files_aesgcm.h"
#include "xmpp/files_internal.h"
#include "xmpp/iq.h"
#include "xmpp/message.h"
#ifdef HAVE_OMEMO
#include "xmpp/omemo.h"
#endif
#include "xmpp/services.h"
#include "xmpp/stanza.h"

typedef struct {
    Transfer *t;
    MessageKind kind;
    char *peer;
    char *path;
    char *name;
    char *media_type;
    gint64 size;
    gint64 upload_size; /* size, plus the tag when encrypted */
    gboolean encrypted; /* AES-256-GCM, the link sent only with OMEMO */
    FilesAesgcmKey key;
    guint outstanding; /* disco#info requests not answered yet */
    gboolean found;    /* a service was found (and asked for a slot) */
    char *get_url;
} Upload;

static void upload_free(Upload *u)
{
    g_free(u->peer);
    g_free(u->path);
    g_free(u->name);
    g_free(u->media_type);
    g_free(u->get_url);
    memset(&u->key, 0, sizeof u->key);
    g_free(u);
}

/* The end of U: its transfer ends with LINE. */
static void upload_end(Upload *u, gboolean failed, const char *line)
{
    transfer_end(u->t, failed, line);
    upload_free(u);
}

static void upload_failf(Upload *u, const char *format, ...)
    G_GNUC_PRINTF(2, 3);
static void upload_failf(Upload *u, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    g_autofree char *why = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_autofree char *line = g_strdup_printf("%s failed: %s", u->t->what, why);
    upload_end(u, TRUE, line);
}

/* TRUE when U was cancelled meanwhile: then it has ended. */
static gboolean upload_cancelled(Upload *u)
{
    if (!g_cancellable_is_cancelled(u->t->cancel))
        return FALSE;
    g_autofree char *line = g_strdup_printf("%s cancelled", u->t->what);
    upload_end(u, TRUE, line);
    return TRUE;
}

static void on_put_body(SoupMessage *msg, guint chunk, gpointer data)
{
    (void)msg;
    transfer_progress(data, chunk);
}

static void on_put_done(GObject *source, GAsyncResult *res, gpointer data)
{
    Upload *u = data;
    SoupMessage *msg =
        soup_session_get_async_result_message(SOUP_SESSION(source), res);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) answer =
        soup_session_send_and_read_finish(SOUP_SESSION(source), res, &error);
    if (!answer) {
        transfer_fail(u->t, error);
        upload_free(u);
        return;
    }
    guint status = msg ? soup_message_get_status(msg) : 0;
    if (!SOUP_STATUS_IS_SUCCESSFUL(status)) {
        upload_failf(u, "the upload host answered %u %s", status,
                     msg ? soup_message_get_reason_phrase(msg) : "");
        return;
    }
    g_autoptr(GError) cause = NULL;
    if (u->encrypted) {
        /* The body only: out-of-band data would show the key in the
         * clear. */
        g_autofree char *link = files_aesgcm_link(u->get_url, &u->key);
        gboolean sent =
            message_send(u->t->account, u->kind, u->peer, link, 0, &cause);
        memset(link, 0, strlen(link));
        if (!sent) {
            upload_failf(u, "uploaded, but the link was not sent: %s",
                         cause->message);
            return;
        }
        g_autofree char *size = transfer_size(u->size);
        g_autofree char *line = g_strdup_printf(
            "%s done (%s, encrypted): its aesgcm:// link leaves only "
            "OMEMO-encrypted",
            u->t->what, size);
        upload_end(u, FALSE, line);
        return;
    }
    if (!message_send_file_link(u->t->account, u->kind, u->peer, u->get_url,
                                u->media_type, u->size, &cause)) {
        upload_failf(u, "uploaded, but the link was not sent: %s",
                     cause->message);
        return;
    }
    g_autofree char *size = transfer_size(u->size);
    g_autofree char *line =
        g_strdup_printf("%s done (%s): %s", u->t->what, size, u->get_url);
    upload_end(u, FALSE, line);
}

/* PUTs the file to PUT_URL with the headers the slot asked for. */
static void put_file(Upload *u, const char *put_url, xmpp_stanza_t *put)
{
    g_autoptr(GUri) uri = g_uri_parse(put_url, SOUP_HTTP_URI_FLAGS, NULL);
    const char *scheme = uri ? g_uri_get_scheme(uri) : NULL;
    if (!scheme || (g_ascii_strcasecmp(scheme, "https") != 0 &&
                    g_ascii_strcasecmp(scheme, "http") != 0)) {
        upload_failf(u, "the service gave an upload address that is not "
                        "http or https");
        return;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(GFile) file = g_file_new_for_path(u->path);
    g_autoptr(GFileInputStream) in = g_file_read(file, NULL, &error);
    if (!in) {
        upload_failf(u, "%s", error->message);
        return;
    }
    g_autoptr(GInputStream) body = G_INPUT_STREAM(g_steal_pointer(&in));
    if (u->encrypted) {
        g_autoptr(GConverter) cipher =
            files_aesgcm_converter_new(&u->key, TRUE, &error);
        if (!cipher) {
            upload_failf(u, "%s", error->message);
            return;
        }
        GInputStream *plain = body;
        body = g_converter_input_stream_new(plain, cipher);
        g_object_unref(plain);
    }
    g_autoptr(SoupMessage) msg = soup_message_new_from_uri("PUT", uri);
    soup_message_set_request_body(msg, u->media_type, body, u->upload_size);
    SoupMessageHeaders *headers = soup_message_get_request_headers(msg);
    /* XEP-0363 §5: only these headers, without newlines. */
    for (xmpp_stanza_t *c = put ? xmpp_stanza_get_children(put) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_attribute(c, "name");
        if (g_strcmp0(xmpp_stanza_get_name(c), "header") != 0 || !name ||
            (g_ascii_strcasecmp(name, "Authorization") != 0 &&
             g_ascii_strcasecmp(name, "Cookie") != 0 &&
             g_ascii_strcasecmp(name, "Expires") != 0))
            continue;
        g_autofree char *value = stanza_text(c);
        if (!strpbrk(value, "\r\n"))
            soup_message_headers_replace(headers, name, value);
    }
    g_signal_connect(msg, "wrote-body-data", G_CALLBACK(on_put_body), u->t);
    g_autofree char *size = transfer_size(u->upload_size);
    sink_printf(u->t->out, LINE_INFO, "%s: sending %s%s", u->t->what, size,
                u->encrypted ? " encrypted (AES-256-GCM)" : "");
    soup_session_send_and_read_async(u->t->http, msg, G_PRIORITY_DEFAULT,
                                     u->t->cancel, on_put_done, u);
}

static void on_slot(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Upload *u = data;
    (void)s;
    if (upload_cancelled(u))
        return;
    if (!result) {
        upload_failf(u, "the connection ended");
        return;
    }
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        upload_failf(u, "the upload service refused: %s", why);
        return;
    }
    xmpp_stanza_t *slot =
        xmpp_stanza_get_child_by_name_and_ns(result, "slot", NS_HTTP_UPLOAD);
    xmpp_stanza_t *put =
        slot ? xmpp_stanza_get_child_by_name(slot, "put") : NULL;
    xmpp_stanza_t *get =
        slot ? xmpp_stanza_get_child_by_name(slot, "get") : NULL;
    const char *put_url = put ? xmpp_stanza_get_attribute(put, "url") : NULL;
    const char *get_url = get ? xmpp_stanza_get_attribute(get, "url") : NULL;
    if (!put_url || !get_url || strpbrk(get_url, " \t\r\n") ||
        (g_ascii_strncasecmp(get_url, "https://", 8) != 0 &&
         g_ascii_strncasecmp(get_url, "http://", 7) != 0)) {
        upload_failf(u, "the upload service gave no usable slot");
        return;
    }
    if (u->encrypted && g_ascii_strncasecmp(get_url, "https://", 8) != 0) {
        /* aesgcm:// is fetched over https (XEP-0454 §3). */
        upload_failf(u, "the upload service gives http links, and an "
                        "encrypted file's aesgcm:// link is fetched over "
                        "https: nothing was sent");
        return;
    }
    u->get_url = g_strdup(get_url);
    put_file(u, put_url, put);
}

/* The largest file SERVICE's disco#info QUERY says it takes, or -1. */
static gint64 max_file_size(xmpp_stanza_t *query)
{
    for (xmpp_stanza_t *x = xmpp_stanza_get_children(query); x;
         x = xmpp_stanza_get_next(x)) {
        if (g_strcmp0(xmpp_stanza_get_name(x), "x") != 0 ||
            g_strcmp0(xmpp_stanza_get_ns(x), NS_DATA) != 0)
            continue;
        gboolean ours = FALSE;
        gint64 max = -1;
        for (xmpp_stanza_t *f = xmpp_stanza_get_children(x); f;
             f = xmpp_stanza_get_next(f)) {
            const char *var = xmpp_stanza_get_attribute(f, "var");
            g_autofree char *value =
                var ? stanza_child_text(f, "value", NULL) : NULL;
            if (!value)
                continue;
            if (g_strcmp0(var, "FORM_TYPE") == 0)
                ours = g_strcmp0(g_strstrip(value), NS_HTTP_UPLOAD) == 0;
            else if (g_strcmp0(var, "max-file-size") == 0)
                max = g_ascii_strtoll(value, NULL, 10);
        }
        if (ours && max > 0)
            return max;
    }
    return -1;
}

static gboolean is_upload_service(xmpp_stanza_t *query)
{
    gboolean store = FALSE, feature = FALSE;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(query); c;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (g_strcmp0(name, "identity") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "category"), "store") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "type"), "file") == 0)
            store = TRUE;
        else if (g_strcmp0(name, "feature") == 0 &&
                 g_strcmp0(xmpp_stanza_get_attribute(c, "var"),
                           NS_HTTP_UPLOAD) == 0)
            feature = TRUE;
    }
    return store && feature;
}

/* One disco#info request of an Upload: the service it asks, and the
 * upload (NULL once freed by another answer). */
typedef struct {
    Upload *u;
    char *service;
} Candidate;

static GPtrArray *candidates; /* Candidate * of uploads still looking */

static void candidate_free(gpointer data)
{
    Candidate *c = data;
    if (candidates)
        g_ptr_array_remove(candidates, c);
    g_free(c->service);
    g_free(c);
}

/* U is over: its other outstanding candidates point at nothing now. */
static void forget_candidates(Upload *u)
{
    for (guint i = 0; candidates && i < candidates->len; i++) {
        Candidate *c = g_ptr_array_index(candidates, i);
        if (c->u == u)
            c->u = NULL;
    }
}

static void on_service_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Candidate *c = data;
    Upload *u = c->u;
    if (!u || u->found)
        return;
    u->outstanding--;
    xmpp_stanza_t *query = result && iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name(result, "query")
                               : NULL;
    if (query && is_upload_service(query)) {
        u->found = TRUE;
        forget_candidates(u);
        if (upload_cancelled(u))
            return;
        gint64 max = max_file_size(query);
        if (max > 0 && u->upload_size > max) {
            g_autofree char *size = transfer_size(u->upload_size);
            g_autofree char *limit = transfer_size(max);
            upload_failf(u,
                         "the file is %s, larger than the %s %s takes: "
                         "nothing was sent",
                         size, limit, c->service);
            return;
        }
        xmpp_stanza_t *request = NULL;
        xmpp_stanza_t *iq =
            iq_new(s, "get", c->service, "request", NS_HTTP_UPLOAD, &request);
        xmpp_stanza_set_attribute(request, "filename", u->name);
        g_autofree char *size =
            g_strdup_printf("%" G_GINT64_FORMAT, u->upload_size);
        xmpp_stanza_set_attribute(request, "size", size);
        xmpp_stanza_set_attribute(request, "content-type", u->media_type);
        iq_send(s, iq, on_slot, u, NULL);
        xmpp_stanza_release(iq);
        return;
    }
    if (u->outstanding == 0) {
        forget_candidates(u);
        if (!upload_cancelled(u))
            upload_failf(u,
                         result ? "the server of %s offers no upload "
                                  "service (XEP-0363)"
                                : "the connection of %s ended",
                         u->t->account);
    }
}

static void on_server_items(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Upload *u = data;
    if (upload_cancelled(u))
        return;
    if (!result) {
        upload_failf(u, "the connection ended");
        return;
    }
    xmpp_stanza_t *query = iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name(result, "query")
                               : NULL;
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *jid = xmpp_stanza_get_attribute(c, "jid");
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 || !jid ||
            !jid_is_valid(jid))
            continue;
        Candidate *cand = g_new0(Candidate, 1);
        cand->u = u;
        cand->service = g_strdup(jid);
        if (!candidates)
            candidates = g_ptr_array_new();
        g_ptr_array_add(candidates, cand);
        xmpp_stanza_t *iq = iq_new(s, "get", jid, "query", NS_DISCO_INFO, NULL);
        iq_send(s, iq, on_service_info, cand, candidate_free);
        xmpp_stanza_release(iq);
        u->outstanding++;
    }
    if (u->outstanding == 0)
        upload_failf(u, "the server of %s offers no upload service (XEP-0363)",
                     u->t->account);
}

gboolean files_send(const char *account, MessageKind kind, const char *peer,
                    const char *path, const char *window, Sink *out,
                    GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    g_autoptr(GFile) file = g_file_new_for_path(path);
    g_autoptr(GFileInfo) info =
        g_file_query_info(file,
                          G_FILE_ATTRIBUTE_STANDARD_SIZE
                          "," G_FILE_ATTRIBUTE_STANDARD_TYPE
                          "," G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                          G_FILE_QUERY_INFO_NONE, NULL, error);
    if (!info)
        return FALSE;
    if (g_file_info_get_file_type(info) != G_FILE_TYPE_REGULAR) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is not a file", path);
        return FALSE;
    }
    Upload *u = g_new0(Upload, 1);
    u->kind = kind;
    u->peer = g_strdup(peer);
    u->path = g_strdup(path);
    u->name = g_path_get_basename(path);
    u->size = g_file_info_get_size(info);
    const char *type = g_file_info_get_content_type(info);
    g_autofree char *mime = type ? g_content_type_get_mime_type(type) : NULL;
    u->media_type = g_strdup(mime ? mime : "application/octet-stream");
    u->upload_size = u->size;
#ifdef HAVE_OMEMO
    if (kind == MESSAGE_CHAT && omemo_chat_enabled(account, peer)) {
        /* The upload service sees only ciphertext: no type either. */
        u->encrypted = TRUE;
        files_aesgcm_key_new(&u->key);
        u->upload_size = u->size + FILES_AESGCM_TAG;
        g_free(u->media_type);
        u->media_type = g_strdup("application/octet-stream");
    }
#endif
    g_autofree char *what = g_strdup_printf("Upload of %s", u->name);
    u->t = transfer_new(TRUE, account, window, what, out, u->name, peer, path);
    u->t->total = u->upload_size;
    g_autofree char *size = transfer_size(u->size);
    sink_printf(out, LINE_INFO,
                "%s (%s) to %s%s: looking for the upload service", what, size,
                peer, u->encrypted ? ", encrypted for OMEMO" : "");
    g_autoptr(Jid) own = s->bound_jid ? jid_parse(s->bound_jid, NULL) : NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", own ? own->domain : NULL, "query",
                               NS_DISCO_ITEMS, NULL);
    iq_send(s, iq, on_server_items, u, NULL);
    xmpp_stanza_release(iq);
    return TRUE;
}

/* ---- the guard of aesgcm:// links ----------------------------------------
 */

/* SEND, after the encryption stages: a message with an aesgcm:// link
 * whose stanza still shows one leaves unencrypted, key and all: refused. */
static StageVerdict filekey_stage(PipelineItem *item, gpointer data)
{
    (void)data;
    const Message *m = item->message;
    if (!m->body || !strstr(m->body, "://"))
        return STAGE_CONTINUE;
    g_autofree char *body = g_ascii_strdown(m->body, -1);
    if (!strstr(body, "aesgcm://"))
        return STAGE_CONTINUE;
    char *text = NULL;
    size_t len = 0;
    if (xmpp_stanza_to_text(item->stanza, &text, &len) != XMPP_EOK)
        return pipeline_refuse(item, "the message could not be checked");
    g_autofree char *lower = g_ascii_strdown(text, (gssize)len);
    xmpp_free(xmpp_stanza_get_context(item->stanza), text);
    if (!strstr(lower, "aesgcm://"))
        return STAGE_CONTINUE;
    return pipeline_refuse(
        item,
        "an aesgcm:// link holds the key of an encrypted file and leaves "
        "only OMEMO-encrypted, and this message would not be (/omemo on "
        "%s encrypts the chat)",
        m->peer ? m->peer : "");
}

static guint filekey_id;

static void files_init(void)
{
    filekey_id = pipeline_add(PIPELINE_SEND, STAGE_ENCRYPT + 50, "filekey",
                              filekey_stage, NULL, NULL);
}

static void files_shutdown(void)
{
    g_clear_handle_id(&filekey_id, pipeline_remove);
    transfer_forget_all();
}

const Feature feature_files = {
    .name = "files",
    .init = files_init,
    .shutdown = files_shutdown,
};
