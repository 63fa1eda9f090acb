/* files_download.c: /download. A link is fetched with libsoup into the
 * download directory under a name made from the URL: made safe (it cannot
 * leave the directory, nor hide as a dot file) and never overwriting a
 * file (a new name is found instead). The body is streamed to the file
 * chunk by chunk on the main loop; a failed or cancelled download leaves
 * no partial file behind.
 *
 * An aesgcm:// link (XEP-0454) is fetched over https and decrypted as it
 * streams; when
 * the tag at the end does not verify, the download fails and the file,
 * plaintext so far, is deleted. */
#include "xmpp/files.h"

#include <string.h>

#include "core/buffer.h"
#include "core/settings.h"
#include "util/error.h"
#include "xmpp/files_aesgcm.h"
#include "xmpp/files_internal.h"

#define CHUNK 65536

typedef struct {
    Transfer *t;
    GUri *uri; /* what is fetched */
    gboolean encrypted;
    FilesAesgcmKey key;
    GFile *dest;
    GInputStream *in;
    GOutputStream *out;
    guint8 buf[CHUNK];
} Download;

static void download_free(Download *d)
{
    g_clear_pointer(&d->uri, g_uri_unref);
    memset(&d->key, 0, sizeof d->key);
    g_clear_object(&d->in);
    g_clear_object(&d->out);
    g_clear_object(&d->dest);
    g_free(d);
}

/* The end of D with ERROR: the partial file goes. */
static void download_fail(Download *d, const GError *error)
{
    if (d->out)
        g_output_stream_close(d->out, NULL, NULL);
    if (d->dest)
        g_file_delete(d->dest, NULL, NULL);
    transfer_fail(d->t, error);
    download_free(d);
}

static void on_read(GObject *source, GAsyncResult *res, gpointer data);

static void on_written(GObject *source, GAsyncResult *res, gpointer data)
{
    Download *d = data;
    g_autoptr(GError) error = NULL;
    gsize n = 0;
    if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, &n,
                                          &error)) {
        download_fail(d, error);
        return;
    }
    transfer_progress(d->t, (gint64)n);
    g_input_stream_read_async(d->in, d->buf, CHUNK, G_PRIORITY_DEFAULT,
                              d->t->cancel, on_read, d);
}

static void on_read(GObject *source, GAsyncResult *res, gpointer data)
{
    Download *d = data;
    g_autoptr(GError) error = NULL;
    gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);
    if (n < 0) {
        download_fail(d, error);
        return;
    }
    if (n > 0) {
        g_output_stream_write_all_async(d->out, d->buf, (gsize)n,
                                        G_PRIORITY_DEFAULT, d->t->cancel,
                                        on_written, d);
        return;
    }
    if (!g_output_stream_close(d->out, NULL, &error)) {
        download_fail(d, error);
        return;
    }
    g_autofree char *path = g_file_get_path(d->dest);
    g_autofree char *size = transfer_size(d->t->done);
    g_autofree char *line =
        g_strdup_printf("%s done (%s): saved as %s", d->t->what, size, path);
    transfer_end(d->t, FALSE, line);
    download_free(d);
}

GOutputStream *files_create_new(const char *dir, const char *name,
                                GFile **created, GError **error)
{
    const char *dot = strrchr(name, '.');
    g_autofree char *stem =
        dot && dot != name ? g_strndup(name, dot - name) : g_strdup(name);
    const char *ext = dot && dot != name ? dot : "";
    for (guint i = 0; i < 1000; i++) {
        g_autofree char *leaf =
            i ? g_strdup_printf("%s-%u%s", stem, i, ext) : g_strdup(name);
        g_autofree char *path = g_build_filename(dir, leaf, NULL);
        g_autoptr(GFile) file = g_file_new_for_path(path);
        g_autoptr(GError) cause = NULL;
        GFileOutputStream *out =
            g_file_create(file, G_FILE_CREATE_NONE, NULL, &cause);
        if (out) {
            *created = g_steal_pointer(&file);
            return G_OUTPUT_STREAM(out);
        }
        if (!g_error_matches(cause, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
            g_propagate_error(error, g_steal_pointer(&cause));
            return NULL;
        }
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                "too many files named %s in %s", name, dir);
    return NULL;
}

char *files_safe_name(const char *name)
{
    const char *slash = name ? strrchr(name, '/') : NULL;
    const char *leaf = slash ? slash + 1 : (name ? name : "");
    GString *safe = g_string_new(NULL);
    for (const char *p = leaf; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            break;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\' ||
            g_unichar_type(c) == G_UNICODE_FORMAT)
            g_string_append_c(safe, '_');
        else
            g_string_append_unichar(safe, c);
    }
    /* No dot file, no "." or "..". */
    gsize dots = 0;
    while (dots < safe->len && safe->str[dots] == '.')
        dots++;
    g_string_erase(safe, 0, (gssize)dots);
    if (safe->len > 200)
        g_string_truncate(safe, 200);
    if (safe->len == 0)
        g_string_assign(safe, "download");
    return g_string_free(safe, FALSE);
}

char *files_download_dir(void)
{
    const char *set = settings_get_string("download_dir");
    if (set && *set) {
        if (g_str_has_prefix(set, "~/"))
            return g_build_filename(g_get_home_dir(), set + 2, NULL);
        return g_strdup(set);
    }
    const char *xdg = g_get_user_special_dir(G_USER_DIRECTORY_DOWNLOAD);
    return xdg ? g_strdup(xdg)
               : g_build_filename(g_get_home_dir(), "Downloads", NULL);
}

/* The name URI's path ends with, decoded. Caller frees. */
static char *url_name(GUri *uri)
{
    const char *path = g_uri_get_path(uri);
    const char *slash = strrchr(path, '/');
    const char *leaf = slash ? slash + 1 : path;
    g_autofree char *decoded = g_uri_unescape_string(leaf, NULL);
    return files_safe_name(decoded ? decoded : leaf);
}

static void fetch(Download *d);

static void on_sent(GObject *source, GAsyncResult *res, gpointer data)
{
    Download *d = data;
    g_autoptr(GError) error = NULL;
    SoupMessage *msg =
        soup_session_get_async_result_message(SOUP_SESSION(source), res);
    d->in = soup_session_send_finish(SOUP_SESSION(source), res, &error);
    if (!d->in) {
        download_fail(d, error);
        return;
    }
    guint status = soup_message_get_status(msg);
    if (!SOUP_STATUS_IS_SUCCESSFUL(status)) {
        g_autoptr(GError) why = g_error_new(
            NATTER_ERROR, NATTER_ERROR_STATE, "the server answered %u %s",
            status, soup_message_get_reason_phrase(msg));
        download_fail(d, why);
        return;
    }
    goffset length = soup_message_headers_get_content_length(
        soup_message_get_response_headers(msg));
    d->t->total = length > 0 ? length : -1;
    if (d->encrypted) {
        g_autoptr(GConverter) cipher =
            files_aesgcm_converter_new(&d->key, FALSE, &error);
        if (!cipher) {
            download_fail(d, error);
            return;
        }
        GInputStream *ciphertext = d->in;
        d->in = g_converter_input_stream_new(ciphertext, cipher);
        g_object_unref(ciphertext);
        /* Progress counts plaintext: the tag is not part of it. */
        if (d->t->total > FILES_AESGCM_TAG)
            d->t->total -= FILES_AESGCM_TAG;
    }
    g_input_stream_read_async(d->in, d->buf, CHUNK, G_PRIORITY_DEFAULT,
                              d->t->cancel, on_read, d);
}

static void fetch(Download *d)
{
    g_autoptr(SoupMessage) msg = soup_message_new_from_uri("GET", d->uri);
    soup_session_send_async(d->t->http, msg, G_PRIORITY_DEFAULT, d->t->cancel,
                            on_sent, d);
}

gboolean files_download(const char *account, const char *url, const char *dest,
                        const char *window, Sink *out, GError **error)
{
    FilesAesgcmKey key = {0};
    g_autofree char *fetch_url = NULL;
    if (files_aesgcm_is_link(url)) {
        fetch_url = files_aesgcm_parse(url, &key, error);
        if (!fetch_url)
            return FALSE;
    }
    g_autoptr(GUri) uri =
        g_uri_parse(fetch_url ? fetch_url : url, SOUP_HTTP_URI_FLAGS, NULL);
    const char *scheme = uri ? g_uri_get_scheme(uri) : NULL;
    if (!scheme ||
        (g_ascii_strcasecmp(scheme, "https") != 0 &&
         g_ascii_strcasecmp(scheme, "http") != 0) ||
        !g_uri_get_host(uri) || !*g_uri_get_host(uri)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "not an http, https or aesgcm link: %s", url);
        return FALSE;
    }
    g_autofree char *name = url_name(uri);
    g_autofree char *dir = NULL;
    if (dest && !g_file_test(dest, G_FILE_TEST_IS_DIR)) {
        /* The user's own choice of a file name. */
        dir = g_path_get_dirname(dest);
        g_free(name);
        name = g_path_get_basename(dest);
    } else {
        dir = dest ? g_strdup(dest) : files_download_dir();
    }
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "cannot make the directory %s", dir);
        return FALSE;
    }
    Download *d = g_new0(Download, 1);
    d->out = files_create_new(dir, name, &d->dest, error);
    if (!d->out) {
        download_free(d);
        return FALSE;
    }
    d->uri = g_uri_ref(uri);
    if (fetch_url) {
        d->encrypted = TRUE;
        d->key = key;
        memset(&key, 0, sizeof key);
    }
    /* An aesgcm:// link is named without its key, which stays out of
     * the lines. */
    g_autofree char *shown = NULL;
    if (fetch_url) {
        shown = g_strdup(url);
        shown[strcspn(shown, "#")] = '\0';
    }
    g_autofree char *what =
        g_strdup_printf("Download of %s", shown ? shown : url);
    g_autofree char *path = g_file_get_path(d->dest);
    g_autofree char *saved_name = g_path_get_basename(path);
    d->t = transfer_new(FALSE, account, window, what, out, saved_name,
                        shown ? shown : url, path);
    sink_printf(out, LINE_INFO, "%s: started, saving as %s%s", what, path,
                d->encrypted ? " (decrypting AES-256-GCM)" : "");
    fetch(d);
    return TRUE;
}

char *files_link_in(const GPtrArray *lines, guint n)
{
    static GRegex *link;
    if (!link)
        link = g_regex_new("\\b(?:https?|aesgcm)://[^\\s<>\"]+",
                           G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
    for (guint i = lines ? lines->len : 0; i > 0 && n > 0; i--) {
        const BufferLine *line = g_ptr_array_index(lines, i - 1);
        if (!line->text || line->kind == LINE_INFO || line->kind == LINE_ERROR)
            continue;
        g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GMatchInfo) match = NULL;
        g_regex_match(link, line->text, 0, &match);
        while (g_match_info_matches(match)) {
            /* Punctuation after a link in a sentence is not part of it. */
            char *url = g_match_info_fetch(match, 0);
            gsize len = strlen(url);
            while (len > 0 && strchr(".,;:!?)]}'", url[len - 1]))
                url[--len] = '\0';
            g_ptr_array_add(found, url);
            g_match_info_next(match, NULL);
        }
        /* The newest link of a line is its last. */
        for (guint j = found->len; j > 0; j--)
            if (--n == 0)
                return g_strdup(g_ptr_array_index(found, j - 1));
    }
    return NULL;
}
