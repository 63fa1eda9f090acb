/* bookmarks_internal.h: what bookmarks.c (PEP, XEP-0402) and
 * bookmarks_private.c (private XML storage, XEP-0048/0049) share: the
 * bookmarks known per account, autojoin, and the answer to a change. */
#pragma once

#include <glib.h>

#include "core/sink.h"

#include "xmpp/session_internal.h"

typedef struct {
    char *room;
    gboolean autojoin;
    char *nick;
    char *password;
} Bookmark;

void bookmark_free(gpointer data);
/* A bookmark of ROOM from its <conference/> element (XEP-0402 and
 * XEP-0048 write it alike); NULL when ROOM or CONF is missing. */
Bookmark *bookmark_from_conference(const char *room, xmpp_stanza_t *conf);

/* ACCOUNT's bookmarks (room -> Bookmark, owned), created empty when
 * CREATE; NULL when not known yet. */
GHashTable *bookmarks_of(const char *account, gboolean create);
/* Makes ACCOUNT's bookmarks unknown again (they could not be read). */
void bookmarks_forget(const char *account);

/* Joins B's room when it is autojoin and we are not in it or joining:
 * 1 when the join started, else 0 (a failure is told in the console). */
guint bookmarks_autojoin(Session *session, const Bookmark *b);
/* Tells the console that JOINED bookmarked rooms are being joined. */
void bookmarks_report_autojoin(Session *session, guint joined);

/* A change asked for: adding BOOKMARK (kept on success), or removing ROOM
 * when BOOKMARK is NULL. */
typedef struct {
    Bookmark *bookmark;
    char *room;
    Sink *out; /* where the command was typed */
} Change;

void bookmarks_change_free(gpointer data);
/* The IqResultFunc of a change (DATA is the Change): applies and tells. */
void bookmarks_on_changed(Session *session, xmpp_stanza_t *result,
                          gpointer data);

/* Private storage (bookmarks_private.c): fetch at login, and write the
 * whole list with CHANGE applied (takes CHANGE). */
void bookmarks_private_fetch(Session *session);
void bookmarks_private_write(Session *session, Change *change);
