/* test_settings.c: unit tests for src/core/settings.c: typed values,
 * natterrc round trips, and a broken natterrc that is reported and kept. */
#include "../unit.h"

#include <string.h>

#include "core/event.h"
#include "core/paths.h"
#include "core/settings.h"
#include "util/error.h"

static char *tmpdir;
static char *rc_path;
static GPtrArray *changed; /* names from EVENT_SETTING_CHANGED */

static EventResult on_changed(const Event *event, gpointer data)
{
    g_ptr_array_add(changed, g_strdup(event->setting));
    return EVENT_CONTINUE;
}

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-settings-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    rc_path = g_build_filename(tmpdir, "natterrc", NULL);
    event_init();
    changed = g_ptr_array_new_with_free_func(g_free);
    event_subscribe(EVENT_SETTING_CHANGED, 0, on_changed, NULL);
    return settings_init(NULL) ? 0 : -1;
}

static int teardown(void **state)
{
    settings_shutdown();
    event_shutdown();
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    g_clear_pointer(&rc_path, g_free);
    g_clear_pointer(&changed, g_ptr_array_unref);
    return 0;
}

static char *read_rc(void)
{
    char *data = NULL;
    if (!g_file_get_contents(rc_path, &data, NULL, NULL))
        return g_strdup("");
    return data;
}

static void write_rc(const char *text)
{
    g_autoptr(GError) error = NULL;
    if (!g_file_set_contents(rc_path, text, -1, &error))
        fail_msg("cannot write natterrc: %s\n", error->message);
}

static void set_ok(const char *name, const char *value)
{
    g_autoptr(GError) error = NULL;
    if (!settings_set(name, value, &error))
        fail_msg("/set %s %s: %s\n", name, value, error->message);
}

static void set_fails(const char *name, const char *value, const char *why)
{
    g_autoptr(GError) error = NULL;
    assert_false(settings_set(name, value, &error));
    assert_non_null(error);
    assert_non_null(strstr(error->message, why));
}

/* A plugin's setting, registered at run time: in the sorted table, set
 * and saved like any other, its value from natterrc taken up when it
 * registers (natterrc keeps it meanwhile without complaint). */
static void test_registered_settings(void **state)
{
    write_rc("[settings]\nweather.city=Oslo\n");
    g_autoptr(GError) error = NULL;
    assert_true(settings_init(&error)); /* no "unknown setting" */
    static const SettingSpec city = {.name = "weather.city",
                                     .type = SETTING_STRING,
                                     .default_value = "Paris",
                                     .description = "where"};
    static const SettingSpec every = {.name = "weather.every",
                                      .type = SETTING_INT,
                                      .default_value = "10",
                                      .description = "how often",
                                      .min = 1,
                                      .max = 60};
    assert_true(settings_register(&city, NULL));
    assert_true(settings_register(&every, NULL));
    assert_string_equal(settings_get_string("weather.city"), "Oslo");
    assert_int_equal(settings_get_int("weather.every"), 10);
    set_fails("weather.every", "99", "from 1 to 60");
    set_ok("weather.every", "5");
    g_autofree char *rc = read_rc();
    assert_non_null(strstr(rc, "weather.every=5"));
    /* Sorted with the built-in ones. */
    const SettingSpec *prev = NULL;
    guint found = 0;
    for (const SettingSpec *s = settings_specs(); s->name; prev = s++) {
        if (prev)
            assert_true(strcmp(prev->name, s->name) < 0);
        found += g_str_has_prefix(s->name, "weather.");
    }
    assert_int_equal(found, 2);
    /* Names are taken once, and need their prefix; defaults must fit. */
    assert_false(settings_register(&city, &error));
    assert_non_null(strstr(error->message, "taken"));
    g_clear_error(&error);
    SettingSpec bare = city;
    bare.name = "city";
    assert_false(settings_register(&bare, &error));
    g_clear_error(&error);
    SettingSpec bad = every;
    bad.name = "weather.bad";
    bad.default_value = "soon";
    assert_false(settings_register(&bad, &error));
    settings_unregister("weather.city");
    assert_null(settings_find("weather.city"));
    assert_non_null(settings_find("weather.every"));
}

static void test_defaults_come_from_the_table(void **state)
{
    for (const SettingSpec *s = settings_specs(); s->name; s++) {
        assert_string_equal(settings_get_string(s->name), s->default_value);
        assert_false(settings_is_set(s->name));
    }
    assert_int_equal(settings_get_int("reconnect_delay"), 5);
}

static void test_table_is_sorted_and_described(void **state)
{
    const SettingSpec *prev = NULL;
    for (const SettingSpec *s = settings_specs(); s->name; prev = s++) {
        if (prev)
            assert_true(strcmp(prev->name, s->name) < 0);
        assert_true(strlen(s->description) > 10);
        /* Every default must pass its own checks. */
        g_autoptr(GError) error = NULL;
        if (!settings_set(s->name, s->default_value, &error))
            fail_msg("default of %s: %s\n", s->name, error->message);
    }
}

static void test_int_range_and_syntax(void **state)
{
    set_ok("reconnect_delay", "42");
    assert_int_equal(settings_get_int("reconnect_delay"), 42);
    set_fails("reconnect_delay", "-1", "from 0 to 3600");
    set_fails("reconnect_delay", "3601", "from 0 to 3600");
    set_fails("reconnect_delay", "12abc", "not '12abc'");
    set_fails("reconnect_delay", "", "not ''");
    /* A refused value changes nothing. */
    assert_int_equal(settings_get_int("reconnect_delay"), 42);
}

static void test_choice(void **state)
{
    set_ok("autoaway_status", "xa");
    assert_string_equal(settings_get_string("autoaway_status"), "xa");
    set_fails("autoaway_status", "dnd", "one of away|xa");
    assert_string_equal(settings_get_string("autoaway_status"), "xa");
}

static void test_string_keeps_spaces(void **state)
{
    set_ok("autoaway_message", "  out for lunch ");
    assert_string_equal(settings_get_string("autoaway_message"),
                        "  out for lunch ");
    settings_shutdown();
    assert_true(settings_init(NULL));
    assert_string_equal(settings_get_string("autoaway_message"),
                        "  out for lunch ");
}

static void test_unknown_name(void **state)
{
    set_fails("no_such_setting", "1", "no setting 'no_such_setting'");
    g_autoptr(GError) error = NULL;
    assert_false(settings_unset("no_such_setting", &error));
    assert_null(settings_find("no_such_setting"));
}

static void test_saved_and_reloaded(void **state)
{
    set_ok("ping_interval", "120");
    g_autofree char *rc = read_rc();
    assert_non_null(strstr(rc, "ping_interval=120"));
    settings_shutdown();
    assert_true(settings_init(NULL));
    assert_int_equal(settings_get_int("ping_interval"), 120);
    assert_true(settings_is_set("ping_interval"));
}

static void test_unset_returns_to_default(void **state)
{
    set_ok("ping_interval", "120");
    g_autoptr(GError) error = NULL;
    assert_true(settings_unset("ping_interval", &error));
    assert_int_equal(settings_get_int("ping_interval"), 60);
    assert_false(settings_is_set("ping_interval"));
    g_autofree char *rc = read_rc();
    assert_null(strstr(rc, "ping_interval"));
}

static void test_events_name_the_setting(void **state)
{
    set_ok("ping_timeout", "10");
    set_fails("ping_timeout", "1", "from 5 to 600");
    assert_true(settings_unset("ping_timeout", NULL));
    assert_int_equal(changed->len, 2);
    assert_string_equal(g_ptr_array_index(changed, 0), "ping_timeout");
    assert_string_equal(g_ptr_array_index(changed, 1), "ping_timeout");
}

static void test_comments_survive(void **state)
{
    write_rc("# my settings\n[settings]\n# slow network\nping_timeout=60\n");
    settings_shutdown();
    assert_true(settings_init(NULL));
    set_ok("ping_interval", "30");
    g_autofree char *rc = read_rc();
    assert_non_null(strstr(rc, "# slow network"));
    assert_non_null(strstr(rc, "ping_timeout=60"));
    assert_non_null(strstr(rc, "ping_interval=30"));
}

static void test_bad_value_in_file_is_reported_and_kept(void **state)
{
    const char *text = "[settings]\nping_timeout=forever\nping_interval=90\n"
                       "colour=blue\n";
    write_rc(text);
    settings_shutdown();
    g_autoptr(GError) error = NULL;
    assert_false(settings_init(&error));
    assert_non_null(strstr(error->message, "not 'forever'"));
    assert_non_null(strstr(error->message, "unknown setting 'colour'"));
    /* Good values are used, bad ones fall back to the default... */
    assert_int_equal(settings_get_int("ping_interval"), 90);
    assert_int_equal(settings_get_int("ping_timeout"), 30);
    /* ...and the file is not overwritten until it is fixed. */
    set_fails("ping_interval", "10", "not saved until it is fixed");
    g_autofree char *rc = read_rc();
    assert_string_equal(rc, text);
}

static void test_broken_syntax_is_reported_and_kept(void **state)
{
    const char *text = "this is not an ini file\n";
    write_rc(text);
    settings_shutdown();
    g_autoptr(GError) error = NULL;
    assert_false(settings_init(&error));
    assert_non_null(strstr(error->message, "natterrc"));
    assert_int_equal(settings_get_int("ping_interval"), 60);
    set_fails("ping_interval", "10", "not saved until it is fixed");
    g_autofree char *rc = read_rc();
    assert_string_equal(rc, text);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_defaults_come_from_the_table),
        T(test_table_is_sorted_and_described),
        T(test_int_range_and_syntax),
        T(test_choice),
        T(test_string_keeps_spaces),
        T(test_unknown_name),
        T(test_saved_and_reloaded),
        T(test_unset_returns_to_default),
        T(test_events_name_the_setting),
        T(test_registered_settings),
        T(test_comments_survive),
        T(test_bad_value_in_file_is_reported_and_kept),
        T(test_broken_syntax_is_reported_and_kept),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("settings", tests, NULL, NULL));
}
