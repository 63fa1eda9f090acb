/* transfers.h: the file transfers of this session, as the user sees
 * them: uploads and downloads under way (with how far they are), done
 * (with the local file) or failed (with why). The protocol layer
 * (xmpp/files*.c) keeps them up to date; /files lists them, /open opens
 * a finished one's file, the status bar shows those under way. Every
 * change emits EVENT_TRANSFER_CHANGED (progress only when the percentage
 * moves). Kept in memory until natter quits. */
#pragma once

#include <glib.h>

typedef enum {
    TRANSFER_RUNNING,
    TRANSFER_DONE,
    TRANSFER_FAILED,
} TransferState;

typedef struct {
    guint number; /* 1, 2, ... in the order they started */
    gboolean upload;
    char *account;
    char *name;  /* the file's name */
    char *where; /* upload: to whom; download: the link (without a key) */
    char *path;  /* the local file: the one sent, or saved (once done) */
    TransferState state;
    gint64 done;  /* bytes */
    gint64 total; /* bytes, or -1 when unknown */
    char *reason; /* failed: why */
} TransferInfo;

/* A new transfer, running. Borrowed: it lives until transfers_clear(). */
TransferInfo *transfers_add(gboolean upload, const char *account,
                            const char *name, const char *where,
                            const char *path);

/* DONE of TOTAL bytes (-1: unknown) have moved. */
void transfers_progress(TransferInfo *t, gint64 done, gint64 total);

/* T has ended: done (PATH: the file saved, or NULL to keep the one
 * known) or failed (REASON). */
void transfers_end(TransferInfo *t, gboolean failed, const char *path,
                   const char *reason);

/* TransferInfo *, the oldest first. Never NULL. */
const GPtrArray *transfers_list(void);

/* The transfer numbered NUMBER, or NULL. */
const TransferInfo *transfers_find(guint number);

/* How far T is, 0-100, or -1 when its size is unknown. */
int transfers_percent(const TransferInfo *t);

/* Forgets them all (at quit, and in tests). */
void transfers_clear(void);
