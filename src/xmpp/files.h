/* files.h: files over HTTP, for the command layer: sending one in a
 * conversation through the account's upload service (XEP-0363) as a link
 * with out-of-band data (XEP-0066), and fetching a link into the
 * download directory. Transfers run on the main loop; what they do
 * (start, progress, end, failure) is printed to the sink they were
 * started with. */
#pragma once

#include <glib.h>

#include "core/message.h"
#include "core/sink.h"

/* Uploads the file PATH for ACCOUNT and sends its link in the conversation
 * of KIND with PEER. WINDOW names where it was started (buffer_id), for
 * files_cancel(). FALSE with ERROR set when it cannot start (no such
 * file, account offline); what fails later is printed to OUT. */
gboolean files_send(const char *account, MessageKind kind, const char *peer,
                    const char *path, const char *window, Sink *out,
                    GError **error);

/* Fetches URL (http or https) into the download directory (the setting
 * download_dir), or to DEST when not NULL (a directory, or a file name
 * that must not exist yet), trusting ACCOUNT's CA file when ACCOUNT is
 * not NULL. The file name comes from the URL, made safe; an existing file
 * is never overwritten. */
gboolean files_download(const char *account, const char *url, const char *dest,
                        const char *window, Sink *out, GError **error);

/* Cancels the uploads (UPLOADS) or downloads started in WINDOW; the
 * number cancelled. */
guint files_cancel(const char *window, gboolean uploads);

/* The Nth link (1: the newest) in LINES (BufferLine *), or NULL. Caller
 * frees. */
char *files_link_in(const GPtrArray *lines, guint n);

/* NAME (a file name from the network: a URL's last part, decoded) as a
 * name that stays inside a directory: no separators, no leading dot, no
 * control characters, never empty. Caller frees. */
char *files_safe_name(const char *name);

/* ---- Jingle file transfer (XEP-0234 over XEP-0261 in-band bytestreams) */

/* Offers the file PATH to PEER (a bare JID: the first of its resources
 * online whose disco#info says it takes Jingle files over in-band
 * bytestreams; or a full JID) and sends it once accepted. Lines go to
 * OUT; files_cancel(WINDOW, TRUE) stops it. FALSE with ERROR when it
 * cannot start (offline, no such file, no resource of PEER online). */
gboolean files_jingle_send(const char *account, const char *peer,
                           const char *path, const char *window, Sink *out,
                           GError **error);

/* A file someone offers us, waiting for /files accept or decline. */
typedef struct {
    guint number; /* 1, 2, ... in the order they came */
    char *account;
    char *from;  /* the full JID offering it */
    char *name;  /* the name offered, as sent (made safe only to save) */
    gint64 size; /* bytes */
    gboolean in_roster;
} FilesOffer;

/* The offers waiting for an answer, oldest first (borrowed FilesOffer *;
 * the caller frees the array). */
GPtrArray *files_jingle_offers(void);

/* Accepts the offer NUMBER: the file is saved in the download directory
 * under a safe new name; lines go to OUT, files_cancel(WINDOW, FALSE)
 * stops it. */
gboolean files_jingle_accept(guint number, const char *window, Sink *out,
                             GError **error);

/* Declines the offer NUMBER (the sender is told); says so to OUT. */
gboolean files_jingle_decline(guint number, Sink *out, GError **error);
