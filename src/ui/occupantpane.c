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

static gint by_nick(gconstpointer a, gconstpointer b)
{
    const Occupant *x = *(const Occupant *const *)a;
    const Occupant *y = *(const Occupant *const *)b;
    return g_utf8_collate(x->nick, y->nick);
}

static void occupants_rows(const Buffer *buffer, GArray *rows)
{
    Room *room = room_find(buffer->account, buffer->peer);
    if (!room) {
        pane_add_row(rows, "(not in the room)", STYLE_ROSTER_OFFLINE, 0);
        return;
    }
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, room->occupants);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(all, value);
    g_ptr_array_sort(all, by_nick);
    g_autofree char *title = g_strdup_printf("%u in the room", all->len);
    pane_add_row(rows, title, STYLE_ROSTER_GROUP, 0);
    static const struct {
        RoomRole role;
        const char *heading;
    } roles[] = {
        {ROOM_ROLE_MODERATOR, "Moderators"},
        {ROOM_ROLE_PARTICIPANT, "Participants"},
        {ROOM_ROLE_VISITOR, "Visitors"},
    };
    for (guint r = 0; r < G_N_ELEMENTS(roles); r++) {
        gboolean heading = FALSE;
        for (guint i = 0; i < all->len; i++) {
            const Occupant *o = g_ptr_array_index(all, i);
            if (o->role != roles[r].role)
                continue;
            if (!heading) {
                pane_add_row(rows, roles[r].heading, STYLE_ROSTER_GROUP, 0);
                heading = TRUE;
            }
            g_autofree char *text =
                g_strdup_printf("%c %s%s", show_sign(o->show),
                                affiliation_mark(o->affiliation), o->nick);
            pane_add_row(rows, text, STYLE_ROSTER_ONLINE, 1);
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
