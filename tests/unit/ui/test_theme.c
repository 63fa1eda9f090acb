/* test_theme.c: theme files and style specs (src/ui/theme.c), and finding
 * and listing themes (src/core/themes.c). The parsing is pure; no terminal
 * is started. */
#include "../unit.h"

#include <string.h>

#include "core/paths.h"
#include "core/themes.h"
#include "ui/theme.h"

static char *tmpdir;

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-theme-XXXXXX", NULL);
    paths_init(tmpdir, tmpdir);
    return tmpdir ? 0 : -1;
}

static int teardown(void **state)
{
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    paths_shutdown();
    return 0;
}

static ThemeStyle parse_ok(const char *spec)
{
    ThemeStyle s = {99, 99, 99};
    g_autoptr(GError) error = NULL;
    assert_true(theme_parse_style(spec, &s, &error));
    assert_null(error);
    return s;
}

static void test_colours_and_attributes(void **state)
{
    ThemeStyle s = parse_ok("white,blue");
    assert_int_equal(s.fg, 7);
    assert_int_equal(s.bg, 4);
    assert_int_equal(s.attrs, 0);

    s = parse_ok("green, default, bold, underline");
    assert_int_equal(s.fg, 2);
    assert_int_equal(s.bg, -1);
    assert_int_equal(s.attrs, THEME_BOLD | THEME_UNDERLINE);

    s = parse_ok("bright-red,208,reverse");
    assert_int_equal(s.fg, 9);
    assert_int_equal(s.bg, 208);
    assert_int_equal(s.attrs, THEME_REVERSE);

    /* Attributes alone leave the terminal's colours. */
    s = parse_ok("dim,italic");
    assert_int_equal(s.fg, -1);
    assert_int_equal(s.bg, -1);
    assert_int_equal(s.attrs, THEME_DIM | THEME_ITALIC);

    s = parse_ok("");
    assert_int_equal(s.fg, -1);
    assert_int_equal(s.attrs, 0);
}

static void test_bad_specs(void **state)
{
    const char *bad[] = {"purple",         "256",     "-1",
                         "red,blue,green", "bright-", "blink"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        ThemeStyle s = {1, 2, 3};
        g_autoptr(GError) error = NULL;
        assert_false(theme_parse_style(bad[i], &s, &error));
        assert_non_null(error);
        /* Nothing is changed by a bad spec. */
        assert_int_equal(s.fg, 1);
        assert_int_equal(s.bg, 2);
        assert_int_equal(s.attrs, 3);
    }
}

static char *write_theme(const char *name, const char *text)
{
    g_autofree char *dir = g_build_filename(tmpdir, "themes", NULL);
    g_mkdir_with_parents(dir, 0700);
    g_autofree char *file = g_strconcat(name, ".theme", NULL);
    char *path = g_build_filename(dir, file, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void test_load_overrides_named_styles(void **state)
{
    g_autofree char *path =
        write_theme("mine", "[styles]\ntitle=black,yellow\n"
                            "nick.own=magenta,default,bold\n");
    ThemeStyle styles[STYLE_COUNT];
    for (int i = 0; i < STYLE_COUNT; i++)
        styles[i] = (ThemeStyle){3, 3, 0};
    g_autoptr(GError) error = NULL;
    char *formats[FORMAT_COUNT] = {NULL};
    assert_true(theme_load_file(path, styles, formats, &error));
    for (int i = 0; i < FORMAT_COUNT; i++)
        assert_null(formats[i]); /* none named: the built-in ones */
    assert_int_equal(styles[STYLE_TITLE].fg, 0);
    assert_int_equal(styles[STYLE_TITLE].bg, 3);
    assert_int_equal(styles[STYLE_NICK_OWN].fg, 5);
    assert_int_equal(styles[STYLE_NICK_OWN].attrs, THEME_BOLD);
    /* Styles the file does not name keep their looks. */
    assert_int_equal(styles[STYLE_STATUS].fg, 3);
    assert_int_equal(styles[STYLE_STATUS].bg, 3);
}

static void test_nick_palette(void **state)
{
    g_autoptr(GArray) colours = NULL;
    g_autoptr(GError) error = NULL;
    assert_true(
        theme_parse_palette(" red, bright-blue ,208,", &colours, &error));
    assert_int_equal(colours->len, 3);
    assert_int_equal(g_array_index(colours, short, 0), 1);
    assert_int_equal(g_array_index(colours, short, 1), 12);
    assert_int_equal(g_array_index(colours, short, 2), 208);
    /* "default" is no colour a nick can take; nothing is no palette. */
    assert_false(theme_parse_palette("red,default", &colours, &error));
    assert_non_null(strstr(error->message, "'default'"));
    g_clear_error(&error);
    assert_false(theme_parse_palette(" , ", &colours, &error));
    g_clear_error(&error);

    g_autofree char *with =
        write_theme("nicks", "[styles]\ntitle=red\n[nicks]\n"
                             "palette=green,magenta\n");
    g_clear_pointer(&colours, g_array_unref);
    assert_true(theme_load_palette(with, &colours, &error));
    assert_int_equal(colours->len, 2);
    assert_int_equal(g_array_index(colours, short, 1), 5);
    g_autofree char *without = write_theme("plain", "[styles]\ntitle=red\n");
    g_clear_pointer(&colours, g_array_unref);
    assert_true(theme_load_palette(without, &colours, &error));
    assert_null(colours);
    g_autofree char *bad =
        write_theme("badnicks", "[nicks]\npalette=red,plaid\n");
    assert_false(theme_load_palette(bad, &colours, &error));
    assert_non_null(strstr(error->message, "[nicks] palette: 'plaid'"));
}

static void test_bad_file_changes_nothing_and_says_where(void **state)
{
    g_autofree char *path = write_theme(
        "broken", "[styles]\ntitle=black,yellow\nstatus=chartreuse\n");
    ThemeStyle styles[STYLE_COUNT];
    for (int i = 0; i < STYLE_COUNT; i++)
        styles[i] = (ThemeStyle){3, 3, 0};
    g_autoptr(GError) error = NULL;
    char *formats[FORMAT_COUNT] = {NULL};
    assert_false(theme_load_file(path, styles, formats, &error));
    assert_non_null(strstr(error->message, path));
    assert_non_null(strstr(error->message, "status"));
    assert_non_null(strstr(error->message, "'chartreuse'"));
    assert_int_equal(styles[STYLE_TITLE].fg, 3); /* all or nothing */

    g_autofree char *unknown =
        write_theme("unknown", "[styles]\nsparkles=red\n");
    g_clear_error(&error);
    assert_false(theme_load_file(unknown, styles, formats, &error));
    assert_non_null(strstr(error->message, "no style named 'sparkles'"));

    g_autofree char *garbage = write_theme("garbage", "not a key file");
    g_clear_error(&error);
    assert_false(theme_load_file(garbage, styles, formats, &error));
    assert_non_null(strstr(error->message, garbage));
}

static void test_formats_load_and_are_checked(void **state)
{
    g_autofree char *path =
        write_theme("dated", "[styles]\ntime=red\n[formats]\ntime=%H.%M\n"
                             "day.change=-- %d/%m/%Y --\n");
    ThemeStyle styles[STYLE_COUNT] = {{0}};
    char *formats[FORMAT_COUNT] = {NULL, NULL, g_strdup("old")};
    g_autoptr(GError) error = NULL;
    assert_true(theme_load_file(path, styles, formats, &error));
    assert_string_equal(formats[FORMAT_TIME], "%H.%M");
    assert_null(formats[FORMAT_TIME_DATED]);
    assert_string_equal(formats[FORMAT_DAY_CHANGE], "-- %d/%m/%Y --");
    assert_int_equal(styles[STYLE_TIME].fg, 1);

    /* A bad format changes nothing, styles included, and says where. */
    static const char *const bad[] = {
        "[styles]\ntime=blue\n[formats]\ntime=%\n",
        "[styles]\ntime=blue\n[formats]\nweekday=%A\n",
        "[styles]\ntime=blue\n[formats]\nday.change=\n",
        "[styles]\ntime=blue\n[formats]\ntime=%H\\t%M\n",
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *broken = write_theme("broken", bad[i]);
        g_clear_error(&error);
        assert_false(theme_load_file(broken, styles, formats, &error));
        assert_non_null(strstr(error->message, broken));
        assert_int_equal(styles[STYLE_TIME].fg, 1);
        assert_string_equal(formats[FORMAT_TIME], "%H.%M");
    }
    for (int i = 0; i < FORMAT_COUNT; i++)
        g_free(formats[i]);

    for (int i = 0; i < FORMAT_COUNT; i++) {
        assert_non_null(theme_format_name(i));
        assert_true(theme_check_format(theme_format_builtin(i), NULL));
    }
}

static void test_find_prefers_the_users_theme(void **state)
{
    /* The "shipped" themes: a dir of their own, as NATTER_DATADIR says. */
    g_autofree char *shipped = g_build_filename(tmpdir, "shipped", NULL);
    g_autofree char *shipped_themes = g_build_filename(shipped, "themes", NULL);
    g_mkdir_with_parents(shipped_themes, 0700);
    g_setenv("NATTER_DATADIR", shipped, TRUE);
    g_autofree char *light =
        g_build_filename(shipped_themes, "light.theme", NULL);
    g_autofree char *mono =
        g_build_filename(shipped_themes, "mono.theme", NULL);
    assert_true(g_file_set_contents(light, "[styles]\n", -1, NULL));
    assert_true(g_file_set_contents(mono, "[styles]\n", -1, NULL));

    assert_null(themes_find("nonexistent"));
    g_autofree char *shipped_light = themes_find("light");
    assert_string_equal(shipped_light, light);
    g_autofree char *path = write_theme("light", "[styles]\n");
    g_autofree char *found = themes_find("light");
    assert_string_equal(found, path);
    /* Names are names, not paths. */
    assert_null(themes_find("../themes/light"));
    assert_null(themes_find(".hidden"));
    assert_null(themes_find(""));

    g_autoptr(GPtrArray) user = NULL;
    g_autoptr(GPtrArray) names = themes_list(&user);
    assert_int_equal(names->len, 2);
    assert_string_equal(g_ptr_array_index(names, 0), "light");
    assert_true(GPOINTER_TO_INT(g_ptr_array_index(user, 0)));
    assert_string_equal(g_ptr_array_index(names, 1), "mono");
    assert_false(GPOINTER_TO_INT(g_ptr_array_index(user, 1)));
    g_unsetenv("NATTER_DATADIR");
}

static void test_format_reads_back(void **state)
{
    static const char *const specs[] = {
        "white,blue",
        "default,default,reverse",
        "bright-red,208,bold,underline",
        "green",
        "default",
        "cyan,default,dim,italic",
    };
    for (guint i = 0; i < G_N_ELEMENTS(specs); i++) {
        ThemeStyle s = parse_ok(specs[i]);
        g_autofree char *text = theme_style_format(&s);
        assert_string_equal(text, specs[i]);
    }
}

static void test_every_style_has_a_name(void **state)
{
    for (int i = 0; i < STYLE_COUNT; i++) {
        const char *name = theme_style_name(i);
        assert_non_null(name);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(name, theme_style_name(j));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colours_and_attributes),
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test_setup_teardown(test_load_overrides_named_styles, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_bad_file_changes_nothing_and_says_where, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_prefers_the_users_theme,
                                        setup, teardown),
        cmocka_unit_test(test_every_style_has_a_name),
        cmocka_unit_test_setup_teardown(test_nick_palette, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formats_load_and_are_checked,
                                        setup, teardown),
        cmocka_unit_test(test_format_reads_back),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("theme", tests, NULL, NULL));
}
