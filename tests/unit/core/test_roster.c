/* test_roster.c: unit tests for src/core/roster.c: contacts, presences per
 * resource, subscription requests, the block list, our own presence, the
 * events and the cache file. */
#include "../unit.h"

#include <string.h>
#include <sys/stat.h>

#include "core/account.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/roster.h"

static char *tmpdir;
static guint roster_events, presence_events;
static char *last_key;
static Account *last_account;

static EventResult on_event(const Event *event, gpointer data)
{
    if (event->type == EVENT_ROSTER_CHANGED)
        roster_events++;
    else
        presence_events++;
    g_free(last_key);
    last_key = g_strdup(event->contact.jid);
    last_account = event->contact.account;
    return EVENT_CONTINUE;
}

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-roster-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    event_init();
    if (!accounts_init(NULL))
        return -1;
    rosters_init();
    roster_events = presence_events = 0;
    event_subscribe(EVENT_ROSTER_CHANGED, 0, on_event, NULL);
    event_subscribe(EVENT_PRESENCE_CHANGED, 0, on_event, NULL);
    return 0;
}

static int teardown(void **state)
{
    rosters_shutdown();
    accounts_shutdown();
    event_shutdown();
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    g_clear_pointer(&last_key, g_free);
    return 0;
}

static void test_contacts(void **state)
{
    Account *a = account_add("work", NULL);
    const char *groups[] = {"Work", "Friends", "Work", "", NULL};
    roster_set_contact("work", "bob@example.org", "Bob", groups,
                       SUBSCRIPTION_BOTH, FALSE);
    assert_int_equal(roster_events, 1);
    assert_string_equal(last_key, "bob@example.org");
    assert_ptr_equal(last_account, a);
    RosterContact *c = roster_find_contact("work", "bob@example.org");
    assert_non_null(c);
    assert_string_equal(c->name, "Bob");
    /* Sorted, duplicates and empty names dropped. */
    assert_int_equal(c->groups->len, 2);
    assert_string_equal(g_ptr_array_index(c->groups, 0), "Friends");
    assert_string_equal(g_ptr_array_index(c->groups, 1), "Work");

    roster_set_contact("work", "amy@example.org", "", NULL, SUBSCRIPTION_TO,
                       TRUE);
    c = roster_find_contact("work", "amy@example.org");
    assert_null(c->name);
    assert_true(c->ask);
    g_autoptr(GPtrArray) list = roster_contacts("work");
    assert_int_equal(list->len, 2);
    assert_string_equal(((RosterContact *)list->pdata[0])->jid,
                        "amy@example.org");

    /* Rosters are per account. */
    assert_null(roster_find_contact("home", "bob@example.org"));

    assert_true(roster_remove_contact("work", "bob@example.org"));
    assert_false(roster_remove_contact("work", "bob@example.org"));
    assert_null(roster_find_contact("work", "bob@example.org"));
    assert_int_equal(roster_events, 3);
}

static void test_find_by_name(void **state)
{
    roster_set_contact("a", "bob@x.org", "Bobby", NULL, SUBSCRIPTION_BOTH,
                       FALSE);
    roster_set_contact("a", "carol@x.org", "Carol", NULL, SUBSCRIPTION_BOTH,
                       FALSE);
    roster_set_contact("a", "carol@y.org", "carol", NULL, SUBSCRIPTION_BOTH,
                       FALSE);
    roster_set_contact("a", "dave@x.org", NULL, NULL, SUBSCRIPTION_BOTH, FALSE);
    roster_set_contact("a", "bobby@y.org", NULL, NULL, SUBSCRIPTION_BOTH,
                       FALSE);
    roster_set_contact("a", "x.org", NULL, NULL, SUBSCRIPTION_BOTH, FALSE);
    /* A name wins over a local part, and case does not count. */
    g_autoptr(GPtrArray) bob = roster_find_by_name("a", "BOBBY");
    assert_int_equal(bob->len, 1);
    assert_string_equal(((RosterContact *)bob->pdata[0])->jid, "bob@x.org");
    g_autoptr(GPtrArray) carol = roster_find_by_name("a", "carol");
    assert_int_equal(carol->len, 2);
    assert_string_equal(((RosterContact *)carol->pdata[0])->jid, "carol@x.org");
    assert_string_equal(((RosterContact *)carol->pdata[1])->jid, "carol@y.org");
    g_autoptr(GPtrArray) dave = roster_find_by_name("a", "dave");
    assert_int_equal(dave->len, 1);
    g_autoptr(GPtrArray) none = roster_find_by_name("a", "x.org");
    assert_int_equal(none->len, 0);
    g_autoptr(GPtrArray) other = roster_find_by_name("b", "bobby");
    assert_int_equal(other->len, 0);

    /* Names from the network are sanitised for the screen. */
    roster_set_contact("a", "eve@x.org", "Eve\033[2J", NULL, SUBSCRIPTION_BOTH,
                       FALSE);
    g_autofree char *eve = roster_display_name("a", "eve@x.org");
    assert_null(strchr(eve, '\033'));
    assert_null(roster_display_name("a", "dave@x.org"));
}

static void test_nicknames(void **state)
{
    roster_set_contact("a", "nn@x.org", NULL, NULL, SUBSCRIPTION_BOTH, FALSE);
    roster_set_contact("a", "named@x.org", "Named", NULL, SUBSCRIPTION_BOTH,
                       FALSE);
    roster_events = 0;
    roster_set_nick("a", "nn@x.org", "Nina\033[1m");
    assert_int_equal(roster_events, 1);
    roster_set_nick("a", "nn@x.org", "Nina\033[1m"); /* no change */
    assert_int_equal(roster_events, 1);
    /* A contact without a roster name goes by its nickname, sanitised. */
    g_autofree char *nina = roster_display_name("a", "nn@x.org");
    assert_non_null(nina);
    assert_non_null(strstr(nina, "Nina"));
    assert_null(strchr(nina, '\033'));
    /* A roster name comes first. */
    roster_set_nick("a", "named@x.org", "Nickname");
    g_autofree char *named = roster_display_name("a", "named@x.org");
    assert_string_equal(named, "Named");
    /* Nicknames outlive a new roster. */
    roster_replace_begin("a");
    roster_set_contact("a", "nn@x.org", NULL, NULL, SUBSCRIPTION_BOTH, FALSE);
    roster_replace_end("a");
    assert_non_null(roster_nick("a", "nn@x.org"));
    /* Not a contact: no name, whatever it calls itself. */
    roster_set_nick("a", "stranger@x.org", "Your Bank");
    assert_null(roster_display_name("a", "stranger@x.org"));
    roster_events = 0;
    roster_set_nick("a", "nn@x.org", "");
    assert_int_equal(roster_events, 1);
    assert_null(roster_nick("a", "nn@x.org"));
    assert_null(roster_display_name("a", "nn@x.org"));
}

static void test_replace_emits_once(void **state)
{
    roster_set_contact("a", "old@x.org", NULL, NULL, SUBSCRIPTION_BOTH, FALSE);
    roster_events = 0;
    roster_replace_begin("a");
    for (int i = 0; i < 10; i++) {
        g_autofree char *jid = g_strdup_printf("c%d@x.org", i);
        roster_set_contact("a", jid, NULL, NULL, SUBSCRIPTION_BOTH, FALSE);
    }
    assert_int_equal(roster_events, 0);
    roster_replace_end("a");
    assert_int_equal(roster_events, 1);
    assert_null(last_key);
    assert_null(roster_find_contact("a", "old@x.org"));
    g_autoptr(GPtrArray) list = roster_contacts("a");
    assert_int_equal(list->len, 10);
}

static void test_presence_per_resource(void **state)
{
    assert_null(roster_best_resource("a", "bob@x.org"));
    roster_set_presence("a", "bob@x.org", "phone", PRESENCE_AWAY, "out", 1);
    roster_set_presence("a", "bob@x.org", "desk", PRESENCE_ONLINE, NULL, 5);
    assert_int_equal(presence_events, 2);
    assert_string_equal(last_key, "bob@x.org");
    const RosterResource *best = roster_best_resource("a", "bob@x.org");
    assert_string_equal(best->resource, "desk");
    /* Equal priority: the more available one first. */
    roster_set_presence("a", "bob@x.org", "phone", PRESENCE_CHAT, "hi", 5);
    best = roster_best_resource("a", "bob@x.org");
    assert_string_equal(best->resource, "phone");
    assert_string_equal(best->status, "hi");
    g_autoptr(GPtrArray) list = roster_resources("a", "bob@x.org");
    assert_int_equal(list->len, 2);

    roster_set_presence("a", "bob@x.org", "phone", PRESENCE_OFFLINE, NULL, 0);
    best = roster_best_resource("a", "bob@x.org");
    assert_string_equal(best->resource, "desk");
    /* Unavailable from the bare JID: every resource is gone. */
    roster_set_presence("a", "bob@x.org", "x", PRESENCE_ONLINE, NULL, 0);
    roster_set_presence("a", "bob@x.org", NULL, PRESENCE_OFFLINE, NULL, 0);
    assert_null(roster_best_resource("a", "bob@x.org"));

    roster_set_presence("a", "amy@x.org", "r", PRESENCE_DND, NULL, 0);
    presence_events = 0;
    roster_clear_presences("a");
    assert_null(roster_best_resource("a", "amy@x.org"));
    assert_int_equal(presence_events, 1);
}

static void test_names(void **state)
{
    PresenceShow show;
    assert_true(presence_show_parse("xa", &show));
    assert_int_equal(show, PRESENCE_XA);
    assert_false(presence_show_parse("sleepy", &show));
    assert_false(presence_show_parse(NULL, &show));
    assert_string_equal(presence_show_name(PRESENCE_DND), "dnd");
    Subscription sub;
    assert_true(subscription_parse("from", &sub));
    assert_int_equal(sub, SUBSCRIPTION_FROM);
    assert_false(subscription_parse("remove", &sub));
    assert_string_equal(subscription_name(SUBSCRIPTION_BOTH), "both");
}

static void test_own_presence(void **state)
{
    assert_int_equal(roster_own_show("a"), PRESENCE_ONLINE);
    assert_null(roster_own_status("a"));
    roster_set_own("a", PRESENCE_AWAY, "lunch");
    assert_int_equal(roster_own_show("a"), PRESENCE_AWAY);
    assert_string_equal(roster_own_status("a"), "lunch");
    roster_set_own("a", PRESENCE_ONLINE, "");
    assert_null(roster_own_status("a"));
    assert_int_equal(roster_own_show("b"), PRESENCE_ONLINE);
}

static void test_requests(void **state)
{
    assert_int_equal(roster_requests("a")->len, 0);
    assert_true(roster_request_add("a", "x@y.org"));
    assert_false(roster_request_add("a", "x@y.org"));
    assert_true(roster_request_add("a", "z@y.org"));
    assert_int_equal(roster_requests("a")->len, 2);
    assert_string_equal(g_ptr_array_index(roster_requests("a"), 0), "x@y.org");
    assert_true(roster_request_remove("a", "x@y.org"));
    assert_false(roster_request_remove("a", "x@y.org"));
    assert_int_equal(roster_requests("a")->len, 1);
}

static void test_blocked(void **state)
{
    assert_false(roster_blocklist_known("a"));
    roster_set_blocklist_known("a", TRUE);
    assert_true(roster_blocklist_known("a"));
    roster_set_blocked("a", "z@x.org", TRUE);
    roster_set_blocked("a", "b@x.org", TRUE);
    roster_set_blocked("a", "b@x.org", TRUE);
    assert_true(roster_is_blocked("a", "b@x.org"));
    g_autoptr(GPtrArray) list = roster_blocked("a");
    assert_int_equal(list->len, 2);
    assert_string_equal(g_ptr_array_index(list, 0), "b@x.org");
    roster_set_blocked("a", "b@x.org", FALSE);
    assert_false(roster_is_blocked("a", "b@x.org"));
    roster_clear_blocked("a");
    assert_false(roster_is_blocked("a", "z@x.org"));
}

static void test_cache_round_trip(void **state)
{
    const char *groups[] = {"A group", "B;semi", NULL};
    roster_set_contact("a", "bob@x.org", "Bob [the] = one", groups,
                       SUBSCRIPTION_FROM, TRUE);
    roster_set_contact("a", "amy@x.org", NULL, NULL, SUBSCRIPTION_NONE, FALSE);
    roster_set_version("a", "v42");
    g_autofree char *path = g_build_filename(tmpdir, "roster.cache", NULL);
    g_autoptr(GError) error = NULL;
    assert_true(roster_save("a", path, &error));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    roster_events = 0;
    assert_true(roster_load("b", path, &error));
    assert_int_equal(roster_events, 0); /* loading is quiet */
    assert_string_equal(roster_version("b"), "v42");
    RosterContact *c = roster_find_contact("b", "bob@x.org");
    assert_non_null(c);
    assert_string_equal(c->name, "Bob [the] = one");
    assert_int_equal(c->groups->len, 2);
    assert_string_equal(g_ptr_array_index(c->groups, 0), "A group");
    assert_string_equal(g_ptr_array_index(c->groups, 1), "B;semi");
    assert_int_equal(c->subscription, SUBSCRIPTION_FROM);
    assert_true(c->ask);
    c = roster_find_contact("b", "amy@x.org");
    assert_null(c->name);
    assert_int_equal(c->groups->len, 0);

    /* Groups that are not contacts with a valid JID are skipped. */
    g_autofree char *odd = g_build_filename(tmpdir, "odd.cache", NULL);
    g_file_set_contents(odd,
                        "[roster]\nversion=\n[contact @@]\n[contact ]\n"
                        "[other]\n[contact Ok@X.org]\nsubscription=bogus\n",
                        -1, NULL);
    assert_true(roster_load("c", odd, &error));
    g_autoptr(GPtrArray) loaded = roster_contacts("c");
    assert_int_equal(loaded->len, 1);
    c = g_ptr_array_index(loaded, 0);
    assert_string_equal(c->jid, "ok@x.org");
    assert_int_equal(c->subscription, SUBSCRIPTION_NONE);
    assert_null(roster_version("c"));

    /* A broken file is an error, and changes nothing. */
    g_autofree char *bad = g_build_filename(tmpdir, "bad.cache", NULL);
    g_file_set_contents(bad, "[roster\nversion", -1, NULL);
    assert_false(roster_load("b", bad, &error));
    assert_non_null(error);
    assert_non_null(roster_find_contact("b", "amy@x.org"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_contacts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nicknames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_emits_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_presence_per_resource, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_presence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_round_trip, setup, teardown),
    };
    return unit_exit_status(cmocka_run_group_tests(tests, NULL, NULL));
}
