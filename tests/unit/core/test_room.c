/* test_room.c: unit tests for src/core/room.c: rooms per account,
 * occupants (add, update, rename, remove), sorted nicks, the sorted view
 * by role, mentions, role and
 * affiliation names, the events; and the activity a room line gives its
 * buffer (src/core/buffer.c). */
#include "../unit.h"

#include <string.h>

#include "core/account.h"
#include "core/buffer.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/room.h"

static char *tmpdir;
static guint room_events, occupant_events;
static char *last_key, *last_nick;

static EventResult on_event(const Event *event, gpointer data)
{
    if (event->type == EVENT_ROOM_CHANGED)
        room_events++;
    else
        occupant_events++;
    g_free(last_key);
    last_key = g_strdup(event->room.room);
    g_free(last_nick);
    last_nick = g_strdup(event->room.nick);
    return EVENT_CONTINUE;
}

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-room-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    event_init();
    buffers_init();
    if (!accounts_init(NULL))
        return -1;
    room_events = occupant_events = 0;
    event_subscribe(EVENT_ROOM_CHANGED, 0, on_event, NULL);
    event_subscribe(EVENT_OCCUPANT_CHANGED, 0, on_event, NULL);
    return 0;
}

static int teardown(void **state)
{
    rooms_shutdown();
    accounts_shutdown();
    buffers_shutdown();
    event_shutdown();
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    g_clear_pointer(&last_key, g_free);
    g_clear_pointer(&last_nick, g_free);
    return 0;
}

static void test_rooms_per_account(void **state)
{
    Room *r = room_get("a", "Lobby@Conference.Example.org", "me");
    assert_string_equal(r->jid, "lobby@conference.example.org");
    assert_int_equal(r->state, ROOM_JOINING);
    assert_int_equal(room_events, 1);
    assert_string_equal(last_key, "lobby@conference.example.org");
    /* Found by bare JID, also from an occupant's full JID. */
    assert_ptr_equal(room_find("a", "lobby@conference.example.org/bob"), r);
    assert_ptr_equal(room_get("a", "lobby@conference.example.org", "x"), r);
    assert_null(room_find("b", "lobby@conference.example.org"));
    room_get("b", "lobby@conference.example.org", "other");
    g_autoptr(GPtrArray) of_a = rooms_of("a");
    assert_int_equal(of_a->len, 1);

    room_set_state(r, ROOM_JOINED);
    room_set_state(r, ROOM_JOINED); /* no change, no event */
    room_set_nick(r, "me2");
    room_set_subject(r, "Hello");
    assert_string_equal(r->nick, "me2");
    assert_string_equal(r->subject, "Hello");
    room_set_subject(r, "");
    assert_null(r->subject);
    assert_int_equal(room_events, 2 + 4);

    room_remove("a", "lobby@conference.example.org");
    assert_null(room_find("a", "lobby@conference.example.org"));
    assert_non_null(room_find("b", "lobby@conference.example.org"));
}

static void test_occupants(void **state)
{
    Room *r = room_get("a", "r@muc.x", "me");
    gboolean is_new = FALSE;
    Occupant *o =
        room_occupant_set(r, "bob", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_MEMBER,
                          "bob@x/phone", NULL, NULL, &is_new);
    assert_true(is_new);
    assert_string_equal(o->show, "online");
    assert_int_equal(occupant_events, 1);
    assert_string_equal(last_nick, "bob");
    assert_string_equal(last_key, "r@muc.x");

    /* An update without the real JID keeps the one known. */
    o = room_occupant_set(r, "bob", ROOM_ROLE_MODERATOR, ROOM_AFFIL_ADMIN, NULL,
                          "away", "lunch", &is_new);
    assert_false(is_new);
    assert_int_equal(o->role, ROOM_ROLE_MODERATOR);
    assert_string_equal(o->real_jid, "bob@x/phone");
    assert_string_equal(o->status, "lunch");

    room_occupant_set(r, "Amy", ROOM_ROLE_VISITOR, ROOM_AFFIL_NONE, NULL, NULL,
                      NULL, NULL);
    room_occupant_set(r, "carl", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    g_autoptr(GPtrArray) nicks = room_nicks(r);
    assert_int_equal(nicks->len, 3);
    assert_string_equal(g_ptr_array_index(nicks, 0), "Amy");
    assert_string_equal(g_ptr_array_index(nicks, 1), "bob");
    assert_string_equal(g_ptr_array_index(nicks, 2), "carl");

    /* A nick change keeps what is known; onto a taken nick it fails. */
    assert_true(room_occupant_rename(r, "bob", "robert"));
    assert_null(room_occupant_find(r, "bob"));
    o = room_occupant_find(r, "robert");
    assert_non_null(o);
    assert_string_equal(o->nick, "robert");
    assert_string_equal(o->real_jid, "bob@x/phone");
    assert_false(room_occupant_rename(r, "robert", "carl"));
    assert_false(room_occupant_rename(r, "nobody", "x"));

    assert_true(room_occupant_remove(r, "carl"));
    assert_false(room_occupant_remove(r, "carl"));
    assert_int_equal(g_hash_table_size(r->occupants), 2);
    guint before = occupant_events;
    room_clear_occupants(r);
    assert_int_equal(g_hash_table_size(r->occupants), 0);
    assert_int_equal(occupant_events, before + 1);
    assert_null(last_nick);
}

static void test_mentions(void **state)
{
    assert_true(room_text_mentions("alice: hi", "alice"));
    assert_true(room_text_mentions("hi ALICE!", "alice"));
    assert_true(room_text_mentions("ping @Alice, look", "alice"));
    assert_true(room_text_mentions("Zoë", "zoë"));
    assert_false(room_text_mentions("malice aforethought", "alice"));
    assert_false(room_text_mentions("alice_b is here", "alice"));
    assert_false(room_text_mentions("alicea", "alice"));
    assert_false(room_text_mentions("hello", ""));
    assert_false(room_text_mentions(NULL, "alice"));
    assert_false(room_text_mentions("bad \xff utf8 alice", "alice"));
}

static void test_names(void **state)
{
    RoomRole role;
    RoomAffiliation affiliation;
    assert_true(room_role_parse("moderator", &role));
    assert_int_equal(role, ROOM_ROLE_MODERATOR);
    assert_false(room_role_parse("king", &role));
    assert_false(room_role_parse(NULL, &role));
    assert_string_equal(room_role_name(ROOM_ROLE_VISITOR), "visitor");
    assert_true(room_affiliation_parse("outcast", &affiliation));
    assert_int_equal(affiliation, ROOM_AFFIL_OUTCAST);
    assert_false(room_affiliation_parse("Owner", &affiliation));
    assert_string_equal(room_affiliation_name(ROOM_AFFIL_OWNER), "owner");
}

/* The nicks of ROOM's view in order, joined by spaces, with the role
 * counts checked against what the view holds. */
static char *view_text(Room *r)
{
    g_autoptr(GString) out = g_string_new(NULL);
    guint counted[ROOM_ROLE_MODERATOR + 1] = {0};
    for (GSequenceIter *it = g_sequence_get_begin_iter(r->view);
         !g_sequence_iter_is_end(it); it = g_sequence_iter_next(it)) {
        const Occupant *o = g_sequence_get(it);
        counted[o->role]++;
        g_string_append_printf(out, "%s%s", out->len ? " " : "", o->nick);
    }
    for (guint i = 0; i < G_N_ELEMENTS(counted); i++)
        assert_int_equal(counted[i], r->role_count[i]);
    assert_int_equal(g_sequence_get_length(r->view),
                     g_hash_table_size(r->occupants));
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void test_sorted_view(void **state)
{
    Room *r = room_get("a", "r@muc.x", "me");
    room_occupant_set(r, "dora", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    room_occupant_set(r, "Bob", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    room_occupant_set(r, "zed", ROOM_ROLE_MODERATOR, ROOM_AFFIL_OWNER, NULL,
                      NULL, NULL, NULL);
    room_occupant_set(r, "amy", ROOM_ROLE_VISITOR, ROOM_AFFIL_NONE, NULL, NULL,
                      NULL, NULL);
    room_occupant_set(r, "carl", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    g_autofree char *first = view_text(r);
    /* Moderators, participants (case-insensitive), visitors. */
    assert_string_equal(first, "zed Bob carl dora amy");

    /* A role change moves the occupant; a presence update does not. */
    room_occupant_set(r, "dora", ROOM_ROLE_MODERATOR, ROOM_AFFIL_ADMIN, NULL,
                      NULL, NULL, NULL);
    room_occupant_set(r, "Bob", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      "away", NULL, NULL);
    g_autofree char *moved = view_text(r);
    assert_string_equal(moved, "dora zed Bob carl amy");

    /* A rename takes its new place; a removal leaves no gap. */
    assert_true(room_occupant_rename(r, "Bob", "Xavier"));
    assert_true(room_occupant_remove(r, "amy"));
    g_autofree char *renamed = view_text(r);
    assert_string_equal(renamed, "dora zed carl Xavier");
    assert_int_equal(r->role_count[ROOM_ROLE_VISITOR], 0);

    room_clear_occupants(r);
    g_autofree char *empty = view_text(r);
    assert_string_equal(empty, "");
    room_occupant_set(r, "new", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    g_autofree char *again = view_text(r);
    assert_string_equal(again, "new");
}

static void test_room_activity(void **state)
{
    Buffer *room = buffer_open(BUFFER_ROOM, "a", "r@muc.x");
    Buffer *priv = buffer_open(BUFFER_PRIVATE, "a", "r@muc.x/Bob");
    assert_string_equal(room->peer, "r@muc.x");
    /* Private chats keep the occupant's nick: the full JID. */
    assert_string_equal(priv->peer, "r@muc.x/Bob");
    assert_ptr_equal(buffer_find(BUFFER_PRIVATE, "a", "r@muc.x/Bob"), priv);
    assert_null(buffer_find(BUFFER_PRIVATE, "a", "r@muc.x/Amy"));
    assert_ptr_equal(buffer_find(BUFFER_ROOM, "a", "r@muc.x/Amy"), room);

    BufferLineSpec plain = {.kind = LINE_IN, .nick = "x", .text = "hello"};
    buffer_add(room, &plain);
    assert_int_equal(room->activity, ACTIVITY_MESSAGE);
    BufferLineSpec mention = {
        .kind = LINE_IN, .nick = "x", .text = "me: hi", .highlight = TRUE};
    const BufferLine *line = buffer_add(room, &mention);
    assert_true(line->highlight);
    assert_int_equal(room->activity, ACTIVITY_HIGHLIGHT);
    assert_int_equal(room->unread, 2);
    buffer_add(priv, &plain);
    assert_int_equal(priv->activity, ACTIVITY_HIGHLIGHT);

    g_autofree char *id = buffer_id(priv);
    assert_string_equal(id, "a/r@muc.x/Bob");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rooms_per_account, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_occupants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mentions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sorted_view, setup, teardown),
        cmocka_unit_test_setup_teardown(test_room_activity, setup, teardown),
    };
    return unit_exit_status(cmocka_run_group_tests(tests, NULL, NULL));
}
