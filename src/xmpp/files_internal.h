/* files_internal.h: one HTTP transfer of xmpp/files*.c: its progress and
 * end lines, its cancellation, its libsoup session. Internal to xmpp/. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "core/sink.h"
#include "core/transfers.h"

#define NS_HTTP_UPLOAD "urn:xmpp:http:upload:0"

typedef struct {
    gboolean upload;
    char *account; /* whose CA file applies; may be NULL */
    char *window;  /* where it was started: what -cancel matches */
    char *what;    /* "Upload of NAME", "Download of URL" */
    Sink *out;
    GCancellable *cancel;
    SoupSession *http;
    gint64 total; /* bytes, or -1 when unknown */
    gint64 done;
    int last_step;       /* the last tenth shown */
    gint64 last_line_us; /* monotonic µs of the last progress line */
    TransferInfo *info;  /* what /files and the status bar show */
} Transfer;

/* A new transfer, kept in the list of transfers until transfer_end(), of
 * the file NAME to or from WHERE (a JID, a link), the local file PATH. */
Transfer *transfer_new(gboolean upload, const char *account, const char *window,
                       const char *what, Sink *out, const char *name,
                       const char *where, const char *path);

/* N more bytes have moved: prints a percentage line when a new tenth is
 * reached, not more often than a few times a second. */
void transfer_progress(Transfer *t, gint64 n);

/* The end of T: prints LINE (an error when FAILED) and frees T. */
void transfer_end(Transfer *t, gboolean failed, const char *line);

/* The end of T with ERROR (from libsoup or GIO): "cancelled" or its
 * message. Frees T. */
void transfer_fail(Transfer *t, const GError *error);

/* "3.1 MB" of N bytes. Caller frees. */
char *transfer_size(gint64 n);

/* At quit: the records of /files go (transfers still under way keep no
 * pointer to theirs). */
void transfer_forget_all(void);

/* The download directory: the setting download_dir, else XDG's, else
 * ~/Downloads. Caller frees. */
char *files_download_dir(void);

/* Creates a new file in DIR named NAME, or NAME-1, NAME-2 ... (before
 * the extension) when it exists: never overwrites. Caller frees both. */
GOutputStream *files_create_new(const char *dir, const char *name,
                                GFile **created, GError **error);
