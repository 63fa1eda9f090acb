/* test_complete.c: unit tests for src/command/complete.c: candidates come
 * from the command table's synopses and the model (accounts, settings,
 * account fields, open chats). */
#include "../unit.h"

#include <string.h>

#include "command/command.h"
#include "command/complete.h"
#include "core/account.h"
#include "core/buffer.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/room.h"
#include "core/roster.h"
#include "core/settings.h"

static char *tmpdir;

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-complete-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    event_init();
    buffers_init();
    commands_init();
    if (!settings_init(NULL) || !accounts_init(NULL))
        return -1;
    if (!account_add("work", NULL) || !account_add("home", NULL))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    complete_shutdown();
    rooms_shutdown();
    accounts_shutdown();
    settings_shutdown();
    commands_shutdown();
    buffers_shutdown();
    event_shutdown();
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    return 0;
}

/* The candidates for LINE (cursor at the end) as one string, "a b c". */
static char *candidates(const char *line, const Buffer *buffer,
                        gsize *word_start)
{
    gsize start = 0;
    g_autoptr(GPtrArray) list =
        complete_line(line, strlen(line), buffer, &start);
    if (word_start)
        *word_start = start;
    g_ptr_array_add(list, NULL);
    return g_strjoinv(" ", (char **)list->pdata);
}

#define assert_candidates(line, expected)                                      \
    do {                                                                       \
        g_autofree char *got = candidates(line, buffer_console(), NULL);       \
        assert_string_equal(got, expected);                                    \
    } while (0)

static void test_command_names(void **state)
{
    assert_candidates("/acc", "/account");
    assert_candidates("/cl", "/clear /close");
    assert_candidates("/nosuch", "");
    /* Text that is not a command is not completed from commands. */
    assert_candidates("acc", "");
}

static void test_literal_words_of_the_synopsis(void **state)
{
    assert_candidates("/account ", "add clear disable enable list remove set "
                                   "show");
    assert_candidates("/account s", "set show");
    assert_candidates("/win n", "next");
    /* Extra blanks do not matter. */
    assert_candidates("/account   s", "set show");
    /* No more words than the command takes. */
    assert_candidates("/account list ", "");
}

static void test_accounts_fields_and_values(void **state)
{
    assert_candidates("/account set ", "home work");
    assert_candidates("/account set w", "work");
    assert_candidates("/account set work t", "tls");
    assert_candidates("/account set work tls ", "direct disable starttls");
    assert_candidates("/connect ", "home work");
    assert_candidates("/disconnect h", "home");
}

static void test_settings_and_their_values(void **state)
{
    assert_candidates("/set autoaway_m", "autoaway_message autoaway_minutes");
    assert_candidates("/set autoaway_status ", "away xa");
    assert_candidates("/unset ping_", "ping_interval ping_timeout");
}

static void test_options_in_any_order(void **state)
{
    assert_candidates("/connect a@b ", "port server tls");
    assert_candidates("/connect a@b port 5222 ", "server tls");
    assert_candidates("/connect a@b tls ", "direct disable starttls");
}

static void test_help_completes_command_names(void **state)
{
    assert_candidates("/help uns", "unset");
}

static void test_jids_of_open_chats_for_the_account(void **state)
{
    buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    buffer_open(BUFFER_CHAT, "home", "bea@example.net");
    Buffer *work = buffer_account_console("work");
    gsize start = 0;
    g_autofree char *got = candidates("/msg b", work, &start);
    assert_string_equal(got, "bob@example.org");
    assert_int_equal(start, 5);
    /* -a names another account: its contacts, and account names after
     * -a itself. */
    g_autofree char *other = candidates("/msg -a home b", work, NULL);
    assert_string_equal(other, "bea@example.net");
    g_autofree char *names = candidates("/msg -a ", work, NULL);
    assert_string_equal(names, "home work");
}

static void test_jids_of_the_roster(void **state)
{
    rosters_init();
    roster_set_contact("work", "carol@example.org", NULL, NULL,
                       SUBSCRIPTION_BOTH, FALSE);
    roster_set_contact("home", "dan@example.org", NULL, NULL, SUBSCRIPTION_BOTH,
                       FALSE);
    Buffer *work = buffer_account_console("work");
    g_autofree char *got = candidates("/msg ", work, NULL);
    assert_string_equal(got, "carol@example.org");
    rosters_shutdown();
}

static void extra_jids(const Buffer *buffer, const char *account,
                       GPtrArray *out)
{
    g_ptr_array_add(out, g_strdup_printf("roster@%s", account));
    g_ptr_array_add(out, g_strdup("bob@example.org")); /* a duplicate */
}

static void test_added_sources(void **state)
{
    complete_add_source("JID", extra_jids);
    buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    Buffer *work = buffer_account_console("work");
    g_autofree char *got = candidates("/msg ", work, NULL);
    assert_string_equal(got, "bob@example.org roster@work");
}

static void test_nicks_of_the_current_room(void **state)
{
    Room *r = room_get("work", "lobby@muc.example.org", "me");
    room_occupant_set(r, "bob", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    room_occupant_set(r, "Bert", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    room_occupant_set(r, "carl", ROOM_ROLE_PARTICIPANT, ROOM_AFFIL_NONE, NULL,
                      NULL, NULL, NULL);
    Buffer *room = buffer_open(BUFFER_ROOM, "work", "lobby@muc.example.org");
    /* Outside the room's window there are no nicks to offer. */
    g_autofree char *outside = candidates("/kick ", buffer_console(), NULL);
    assert_string_equal(outside, "");
    buffer_switch(room);
    g_autofree char *got = candidates("/kick b", room, NULL);
    assert_string_equal(got, "bob");
    g_autofree char *all = candidates("/op ", room, NULL);
    assert_string_equal(all, "Bert bob carl");
    g_autofree char *roles = candidates("/role carl m", room, NULL);
    assert_string_equal(roles, "moderator");
    g_autofree char *rooms = candidates("/bookmark add l", room, NULL);
    assert_string_equal(rooms, "lobby@muc.example.org");
    /* In a message: addressed at its start, as it is further on. */
    g_autofree char *first = candidates("c", room, NULL);
    assert_string_equal(first, "carl:");
    g_autofree char *later = candidates("ask c", room, NULL);
    assert_string_equal(later, "carl");
    g_autofree char *in_chat = candidates("ask c", buffer_console(), NULL);
    assert_string_equal(in_chat, "");
}

static void test_word_start_in_the_middle(void **state)
{
    gsize start = 0;
    g_autoptr(GPtrArray) list = complete_line(
        "/account se work", strlen("/account se"), buffer_console(), &start);
    assert_int_equal(start, strlen("/account "));
    assert_int_equal(list->len, 1);
    assert_string_equal(g_ptr_array_index(list, 0), "set");
}

static void touch(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, "x", 1, NULL));
}

static void test_paths_of_the_file_system(void **state)
{
    g_autofree char *d = g_build_filename(tmpdir, "files", NULL);
    g_autofree char *sub = g_build_filename(d, "photos", NULL);
    assert_int_equal(g_mkdir_with_parents(sub, 0700), 0);
    touch(d, "photo.jpg");
    touch(d, "plan.txt");
    touch(d, ".hidden");
    touch(sub, "cat.png");
    g_autofree char *line = g_strdup_printf("/sendfile %s/p", d);
    g_autofree char *all =
        g_strdup_printf("%s/photo.jpg %s/photos/ %s/plan.txt", d, d, d);
    assert_candidates(line, all);
    g_autofree char *pho = g_strdup_printf("/sendfile %s/pho", d);
    g_autofree char *two = g_strdup_printf("%s/photo.jpg %s/photos/", d, d);
    assert_candidates(pho, two);
    /* Into a directory; dot files only when asked for. */
    g_autofree char *in = g_strdup_printf("/sendfile %s/photos/", d);
    g_autofree char *cat = g_strdup_printf("%s/photos/cat.png", d);
    assert_candidates(in, cat);
    g_autofree char *dot = g_strdup_printf("/sendfile %s/.", d);
    g_autofree char *hidden = g_strdup_printf("%s/.hidden", d);
    assert_candidates(dot, hidden);
    /* /download's PATH too; nothing from a directory that is not there. */
    g_autofree char *dl = g_strdup_printf("/download 1 %s/pl", d);
    g_autofree char *plan = g_strdup_printf("%s/plan.txt", d);
    assert_candidates(dl, plan);
    /* /sendfile -jingle PATH, and the option itself. */
    g_autofree char *jingle = g_strdup_printf("/sendfile -jingle %s/pl", d);
    assert_candidates(jingle, plan);
    assert_candidates("/sendfile -j", "-jingle");
    g_autofree char *none = g_strdup_printf("/sendfile %s/nothing/x", d);
    assert_candidates(none, "");
    assert_candidates("/sendfile ~", "~/");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_command_names),
        T(test_literal_words_of_the_synopsis),
        T(test_accounts_fields_and_values),
        T(test_settings_and_their_values),
        T(test_options_in_any_order),
        T(test_help_completes_command_names),
        T(test_jids_of_open_chats_for_the_account),
        T(test_jids_of_the_roster),
        T(test_added_sources),
        T(test_nicks_of_the_current_room),
        T(test_word_start_in_the_middle),
        T(test_paths_of_the_file_system),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("complete", tests, NULL, NULL));
}
