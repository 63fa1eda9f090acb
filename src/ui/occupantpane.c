/* occupantpane.c: the occupants of the current room window as a side
 * pane (ui/pane.h), by role (moderators, participants, visitors), each
 * with a sign for its presence and a mark for its affiliation (~ owner,
 * & admin, % member). Shown in room windows while the setting
 * occupants_pane is on; as wide as roster_width. */
#include "ui/occupantpane.h"

#include <string.h>

#include "core/room.h"
#include "core/settings.h"
#include "ui/pane.h"

static gboolean occupants_visible(const Buffer *buffer, int *width)
{
    *width = settings_get_int("roster_width");
    return buffer->kind == BUFFER_ROOM && settings_get_bool("occupants_pane");
}

static char show_sign(const char *show)
{
    if (!show || strcmp(show, "online") == 0)
        return '+';
    if (strcmp(show, "chat") == 0)
        return '*';
    if (strcmp(show, "dnd") == 0)
        return '!';
    if (strcmp(show, "xa") == 0)
        return '=';
    return '-'; /* away */
}

/* irssi's and WeeChat's marks, before the nick. */
static const char *affiliation_mark(RoomAffiliation affiliation)
{
    switch (affiliation) {
    case ROOM_AFFIL_OWNER:
        return "~";
    case ROOM_AFFIL_ADMIN:
        return "&";
    case ROOM_AFFIL_MEMBER:
        return "%";
    case ROOM_AFFIL_NONE:
    case ROOM_AFFIL_OUTCAST:
        break;
    }
    return "";
}

/* The room's view is already in the pane's order (moderators,
 * participants, visitors, each by nick): the rows are its first entries,
 * and the rest is counted from the room's counts per role. */
static void occupants_rows(const Buffer *buffer, PaneRows *rows)
{
    Room *room = room_find(buffer->account, buffer->peer);
    if (!room) {
        pane_add_row(rows, "(not in the room)", STYLE_ROSTER_OFFLINE, 0);
        return;
    }
    g_autofree char *title =
        g_strdup_printf("%u in the room", g_hash_table_size(room->occupants));
    pane_add_row(rows, title, STYLE_ROSTER_GROUP, 0);
    static const struct {
        RoomRole role;
        const char *heading;
    } roles[] = {
        {ROOM_ROLE_MODERATOR, "Moderators"},
        {ROOM_ROLE_PARTICIPANT, "Participants"},
        {ROOM_ROLE_VISITOR, "Visitors"},
    };
    GSequenceIter *it = g_sequence_get_begin_iter(room->view);
    for (guint r = 0; r < G_N_ELEMENTS(roles); r++) {
        guint count = room->role_count[roles[r].role];
        if (count == 0)
            continue;
        pane_add_row(rows, roles[r].heading, STYLE_ROSTER_GROUP, 0);
        for (guint i = 0; i < count;) {
            if (pane_full(rows)) {
                /* Nothing after this shows: count the rest of the role;
                 * the later roles are counted in the same way. */
                pane_skip_rows(rows, count - i);
                it = g_sequence_iter_move(it, (gint)(count - i));
                break;
            }
            /* Above the pane's first row (scrolled): counted, not made. */
            guint skip = MIN(pane_to_skip(rows), count - i);
            if (skip) {
                pane_skip_rows(rows, skip);
                it = g_sequence_iter_move(it, (gint)skip);
                i += skip;
                continue;
            }
            const Occupant *o = g_sequence_get(it);
            g_autofree char *text =
                g_strdup_printf("%c %s%s", show_sign(o->show),
                                affiliation_mark(o->affiliation), o->nick);
            /* Enter opens a private chat: the nick quoted for the parser
             * (command/parse.c). */
            g_autoptr(GString) nick = g_string_new(o->nick);
            g_string_replace(nick, "\\", "\\\\", 0);
            g_string_replace(nick, "\"", "\\\"", 0);
            g_autofree char *command = g_strdup_printf(
                "/msg -a %s \"%s\"", buffer->account, nick->str);
            pane_add_item(rows, text, STYLE_ROSTER_ONLINE, 1, command);
            i++;
            it = g_sequence_iter_next(it);
        }
    }
}

static const PaneSource occupant_pane = {"occupants", occupants_visible,
                                         occupants_rows};

void occupantpane_init(void)
{
    /* Before the roster's: in a room window the occupants come first. */
    pane_register(&occupant_pane);
}
