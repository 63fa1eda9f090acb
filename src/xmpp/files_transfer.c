/* files_transfer.c: what every file transfer shares: the list of those
 * under way (for /sendfile -cancel and /download -cancel, and quit), the
 * libsoup session whose TLS trusts the account's CA file as the XMPP
 * connection does, and the start, progress and end lines. */
#include "xmpp/files.h"

#include "config.h"

#include <string.h>

#include "core/account.h"
#include "xmpp/files_internal.h"

static GPtrArray *transfers; /* Transfer *, not owned: each frees itself */

char *transfer_size(gint64 n)
{
    /* GLib puts a no-break space before the unit: a plain one is what
     * the rest of natter's lines have, and what one can type to search. */
    g_autofree char *glib =
        g_format_size_full((guint64)MAX(n, 0), G_FORMAT_SIZE_IEC_UNITS);
    GString *size = g_string_new(glib);
    g_string_replace(size, "\u00a0", " ", 0);
    return g_string_free(size, FALSE);
}

/* A libsoup session for ACCOUNT: its CA file, when it has one, is what
 * the upload or download host's certificate must chain to. */
static SoupSession *http_session(const char *account)
{
    SoupSession *http = soup_session_new_with_options(
        "user-agent", "natter/" PACKAGE_VERSION, "timeout", 60, NULL);
    Account *a = account ? account_find(account) : NULL;
    if (a && a->cafile && *a->cafile) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GTlsDatabase) db = g_tls_file_database_new(a->cafile, &error);
        if (db)
            soup_session_set_tls_database(http, db);
    }
    return http;
}

Transfer *transfer_new(gboolean upload, const char *account, const char *window,
                       const char *what, Sink *out, const char *name,
                       const char *where, const char *path)
{
    Transfer *t = g_new0(Transfer, 1);
    t->upload = upload;
    t->account = g_strdup(account);
    t->window = g_strdup(window);
    t->what = g_strdup(what);
    t->out = sink_ref(out);
    t->cancel = g_cancellable_new();
    t->http = http_session(account);
    t->total = -1;
    t->last_step = 0;
    t->info = transfers_add(upload, account, name, where, path);
    if (!transfers)
        transfers = g_ptr_array_new();
    g_ptr_array_add(transfers, t);
    return t;
}

void transfer_progress(Transfer *t, gint64 n)
{
    t->done += n;
    if (t->info)
        transfers_progress(t->info, t->done, t->total);
    if (t->total <= 0 || t->done >= t->total)
        return; /* the end line says it */
    int step = (int)(t->done * 10 / t->total);
    gint64 now = g_get_monotonic_time();
    /* Each new tenth, but at most about four lines a second. */
    if (step <= t->last_step ||
        (t->last_line_us && now - t->last_line_us < G_USEC_PER_SEC / 4))
        return;
    t->last_step = step;
    t->last_line_us = now;
    g_autofree char *done = transfer_size(t->done);
    g_autofree char *total = transfer_size(t->total);
    sink_printf(t->out, LINE_INFO, "%s: %d%% (%s of %s)", t->what,
                (int)(t->done * 100 / t->total), done, total);
}

void transfer_end(Transfer *t, gboolean failed, const char *line)
{
    sink_print(t->out, failed ? LINE_ERROR : LINE_INFO, line);
    /* For /files, the reason without "Upload of NAME failed: ". */
    const char *why = line;
    if (failed && g_str_has_prefix(line, t->what)) {
        why = line + strlen(t->what);
        if (g_str_has_prefix(why, " failed: "))
            why += strlen(" failed: ");
        else
            why += strspn(why, " ");
    }
    if (t->info)
        transfers_end(t->info, failed, NULL, failed ? why : NULL);
    if (transfers)
        g_ptr_array_remove(transfers, t);
    g_free(t->account);
    g_free(t->window);
    g_free(t->what);
    sink_unref(t->out);
    g_object_unref(t->cancel);
    g_object_unref(t->http);
    g_free(t);
}

void transfer_fail(Transfer *t, const GError *error)
{
    g_autofree char *line =
        g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
            ? g_strdup_printf("%s cancelled", t->what)
            : g_strdup_printf("%s failed: %s", t->what, error->message);
    transfer_end(t, TRUE, line);
}

guint files_cancel(const char *window, gboolean uploads)
{
    guint n = 0;
    for (guint i = 0; transfers && i < transfers->len; i++) {
        Transfer *t = g_ptr_array_index(transfers, i);
        if (t->upload == uploads && g_strcmp0(t->window, window) == 0 &&
            !g_cancellable_is_cancelled(t->cancel)) {
            g_cancellable_cancel(t->cancel);
            n++;
        }
    }
    return n;
}

void transfer_forget_all(void)
{
    for (guint i = 0; transfers && i < transfers->len; i++) {
        Transfer *t = g_ptr_array_index(transfers, i);
        t->info = NULL;
    }
    transfers_clear();
}
