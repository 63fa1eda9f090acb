/* restore.c: see restore.h.
 *
 * The file is one window a line, tab-separated, so that no address or nick
 * needs quoting (neither may hold a tab or a newline):
 *
 *     KIND <tab> ACCOUNT [<tab> PEER [<tab> NICK]]
 *
 * KIND is account, chat, room or private; a leading '*' marks the window
 * that was current. Lines starting with '#' are comments. The file is the
 * user's (mode 0600): it says whom they talk to. */
#include "core/restore.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "core/account.h"
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/paths.h"
#include "core/room.h"
#include "core/settings.h"
#include "util/jid.h"

#define FILE_NAME "windows"

static Buffer *reopened_current; /* until restore_windows_focus() */

static char *file_path(void)
{
    return g_build_filename(paths_data_dir(), FILE_NAME, NULL);
}

/* PEER is an address of the shape KIND needs: a bare JID with a local
 * part (a chat with a server is a chat too: no local part needed), or an
 * occupant's full JID. */
static gboolean peer_fits(BufferKind kind, const char *peer)
{
    g_autoptr(Jid) jid = peer ? jid_parse(peer, NULL) : NULL;
    if (!jid)
        return FALSE;
    switch (kind) {
    case BUFFER_CHAT:
        return jid->resource == NULL;
    case BUFFER_ROOM:
        return jid->local != NULL && jid->resource == NULL;
    case BUFFER_PRIVATE:
        return jid->local != NULL && jid->resource != NULL;
    default:
        return FALSE;
    }
}

/* Opens the window of one line; NULL when the line cannot be used. */
static Buffer *open_line(char **f, guint n)
{
    const char *kind = f[0];
    Account *a = n >= 2 ? account_find(f[1]) : NULL;
    if (!a)
        return NULL;
    if (strcmp(kind, "account") == 0 && n == 2)
        return buffer_account_console(a->name);
    if (strcmp(kind, "chat") == 0 && n == 3 && peer_fits(BUFFER_CHAT, f[2]))
        return conversation_open_deferred(a->name, BUFFER_CHAT, f[2]);
    if (strcmp(kind, "private") == 0 && n == 3 &&
        peer_fits(BUFFER_PRIVATE, f[2]))
        return conversation_open_deferred(a->name, BUFFER_PRIVATE, f[2]);
    if (strcmp(kind, "room") != 0 || n != 4 || !peer_fits(BUFFER_ROOM, f[2]))
        return NULL;
    g_autofree char *occupant = g_strdup_printf("%s/%s", f[2], f[3]);
    if (!*f[3] || !jid_is_valid(occupant))
        return NULL;
    /* Joining from the model's point of view: the login joins it. */
    Room *r = room_find(a->name, f[2]);
    if (!r)
        r = room_get(a->name, f[2], f[3]);
    return conversation_open_deferred(a->name, BUFFER_ROOM, r->jid);
}

void restore_windows_open(void)
{
    if (!settings_get_bool("restore_windows"))
        return;
    g_autofree char *path = file_path();
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(path, &text, NULL, &error)) {
        if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            buffer_appendf(buffer_console(), LINE_ERROR,
                           "The windows of the last session were not "
                           "reopened: %s",
                           error->message);
        return;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    Buffer *current = NULL;
    guint skipped = 0;
    for (char **line = lines; *line; line++) {
        if (!**line || **line == '#')
            continue;
        gboolean is_current = **line == '*';
        g_auto(GStrv) f = g_strsplit(*line + is_current, "\t", 5);
        Buffer *b = open_line(f, g_strv_length(f));
        if (!b) {
            skipped++;
            continue;
        }
        if (is_current)
            current = b;
    }
    if (skipped)
        buffer_appendf(buffer_console(), LINE_ERROR,
                       "%u window%s of the last session not reopened: "
                       "unknown accounts or unreadable lines in %s",
                       skipped, skipped == 1 ? "" : "s", path);
    reopened_current = current;
}

void restore_windows_focus(void)
{
    Buffer *b = g_steal_pointer(&reopened_current);
    if (b && g_ptr_array_find((GPtrArray *)buffers_list(), b, NULL))
        buffer_switch(b);
}

/* The line of window B, or NULL when it is not kept. Caller frees. */
static char *line_of(const Buffer *b)
{
    switch (b->kind) {
    case BUFFER_ACCOUNT:
        return g_strdup_printf("account\t%s", b->account);
    case BUFFER_CHAT:
        return g_strdup_printf("chat\t%s\t%s", b->account, b->peer);
    case BUFFER_PRIVATE:
        return g_strdup_printf("private\t%s\t%s", b->account, b->peer);
    case BUFFER_ROOM: {
        /* A room left (window kept to read) is not joined again, nor one
         * with a password. */
        Room *r = room_find(b->account, b->peer);
        if (!r || r->state == ROOM_LEFT || r->password || !r->nick)
            return NULL;
        return g_strdup_printf("room\t%s\t%s\t%s", b->account, r->jid, r->nick);
    }
    default:
        return NULL;
    }
}

void restore_windows_save(void)
{
    g_autofree char *path = file_path();
    if (!settings_get_bool("restore_windows")) {
        if (g_unlink(path) != 0 && errno != ENOENT)
            fprintf(stderr, "natter: cannot remove %s: %s\n", path,
                    g_strerror(errno));
        return;
    }
    g_autoptr(GString) out =
        g_string_new("# The windows open when natter last quit "
                     "(restore_windows); '*' marks the current one.\n");
    const GPtrArray *list = buffers_list();
    Buffer *current = buffer_current();
    for (guint i = 0; i < list->len; i++) {
        Buffer *b = g_ptr_array_index(list, i);
        g_autofree char *line = line_of(b);
        if (line)
            g_string_append_printf(out, "%s%s\n", b == current ? "*" : "",
                                   line);
    }
    g_autoptr(GError) error = NULL;
    if (!g_file_set_contents_full(path, out->str, (gssize)out->len,
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        fprintf(stderr, "natter: the open windows were not saved: %s\n",
                error->message);
}
