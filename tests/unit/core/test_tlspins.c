/* test_tlspins.c: unit tests for src/core/tlspins.c: fingerprints, the
 * pin file's format, and the file itself (mode 0600) in a temporary data
 * directory. */
#include "../unit.h"

#include <string.h>
#include <sys/stat.h>

#include "core/paths.h"
#include "core/tlspins.h"
#include "util/error.h"

#define FP_HEX                                                                 \
    "fc5de0bb9a661e2c7ab044356cc5374e49527f91bb3846845da45ee245b37553"
#define FP_COLONS                                                              \
    "FC:5D:E0:BB:9A:66:1E:2C:7A:B0:44:35:6C:C5:37:4E:49:52:7F:91:BB:38:46:"    \
    "84:5D:A4:5E:E2:45:B3:75:53"
#define FP_OTHER                                                               \
    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:"    \
    "77:88:99:AA:BB:CC:DD:EE:FF"

static char *tmpdir;

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-tlspins-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    return 0;
}

static int teardown(void **state)
{
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    return 0;
}

static void test_normalise(void **state)
{
    g_autofree char *a = tls_pin_normalise(FP_HEX);
    assert_string_equal(a, FP_COLONS);
    g_autofree char *b = tls_pin_normalise(FP_COLONS);
    assert_string_equal(b, FP_COLONS);
    assert_null(tls_pin_normalise(NULL));
    assert_null(tls_pin_normalise(""));
    assert_null(tls_pin_normalise("00:11"));
    assert_null(tls_pin_normalise(FP_HEX "00")); /* too long */
    assert_null(tls_pin_normalise(               /* not hex */
                                  "zz5de0bb9a661e2c7ab044356cc5374e49527f91bb38"
                                  "46845da45ee245b37553"));
    assert_null(tls_pin_normalise(FP_COLONS " note")); /* trailing text */
}

static void test_parse_lines_comments_and_notes(void **state)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) pins = tls_pins_parse(
        "# comment\n\n  " FP_HEX "   /CN=localhost  \n" FP_OTHER "\n", &error);
    assert_non_null(pins);
    assert_int_equal(pins->len, 2);
    const TlsPin *first = g_ptr_array_index(pins, 0);
    assert_string_equal(first->fingerprint, FP_COLONS);
    assert_string_equal(first->note, "/CN=localhost");
    const TlsPin *second = g_ptr_array_index(pins, 1);
    assert_string_equal(second->fingerprint, FP_OTHER);
    assert_null(second->note);
    assert_true(tls_pins_contain(pins, FP_HEX));
    assert_false(tls_pins_contain(pins, "00:11"));
}

static void test_parse_reports_the_bad_line(void **state)
{
    g_autoptr(GError) error = NULL;
    GPtrArray *pins = tls_pins_parse(FP_HEX "\n# ok\nnot-a-print x\n", &error);
    assert_null(pins);
    assert_non_null(error);
    assert_non_null(strstr(error->message, "line 3"));
    assert_non_null(strstr(error->message, "not-a-print"));
}

static void test_format_round_trip_keeps_notes_on_one_line(void **state)
{
    g_autoptr(GPtrArray) pins =
        g_ptr_array_new_with_free_func((GDestroyNotify)tls_pin_free);
    TlsPin *pin = g_new0(TlsPin, 1);
    pin->fingerprint = g_strdup(FP_COLONS);
    pin->note = g_strdup("/CN=evil\n" FP_OTHER);
    g_ptr_array_add(pins, pin);
    g_autofree char *text = tls_pins_format(pins);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) back = tls_pins_parse(text, &error);
    assert_non_null(back);
    /* A newline in a note cannot smuggle in a second pin. */
    assert_int_equal(back->len, 1);
    assert_false(tls_pins_contain(back, FP_OTHER));
}

static void test_file_add_remove_and_mode(void **state)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) none = tls_pins_load("work", &error);
    assert_non_null(none);
    assert_int_equal(none->len, 0);

    assert_true(tls_pins_add("work", FP_HEX, "/CN=localhost", &error));
    assert_true(tls_pins_add("work", FP_COLONS, NULL, &error)); /* again */
    assert_true(tls_pins_add("work", FP_OTHER, NULL, &error));
    g_autofree char *path = g_build_filename(tmpdir, "work", "tls-pins", NULL);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    g_autoptr(GPtrArray) two = tls_pins_load("work", &error);
    assert_int_equal(two->len, 2);
    /* Pins belong to their account. */
    g_autoptr(GPtrArray) other = tls_pins_load("home", &error);
    assert_int_equal(other->len, 0);

    assert_false(tls_pins_add("work", "12:34", NULL, &error));
    assert_int_equal(error->code, NATTER_ERROR_INVALID);
    g_clear_error(&error);

    assert_true(tls_pins_remove("work", FP_HEX, &error));
    assert_false(tls_pins_remove("work", FP_HEX, &error));
    assert_int_equal(error->code, NATTER_ERROR_NOT_FOUND);
    g_clear_error(&error);
    g_autoptr(GPtrArray) one = tls_pins_load("work", &error);
    assert_int_equal(one->len, 1);
    assert_true(tls_pins_contain(one, FP_OTHER));
}

static void test_broken_file_is_an_error(void **state)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = paths_account_dir("bad", &error);
    g_autofree char *path = g_build_filename(dir, "tls-pins", NULL);
    assert_true(g_file_set_contents(path, "garbage\n", -1, NULL));
    assert_null(tls_pins_load("bad", &error));
    assert_non_null(strstr(error->message, "line 1"));
    g_clear_error(&error);
    /* Nothing is written over a file that could not be read. */
    assert_false(tls_pins_add("bad", FP_HEX, NULL, &error));
    g_autofree char *text = NULL;
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "garbage\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_parse_lines_comments_and_notes),
        cmocka_unit_test(test_parse_reports_the_bad_line),
        cmocka_unit_test(test_format_round_trip_keeps_notes_on_one_line),
        cmocka_unit_test_setup_teardown(test_file_add_remove_and_mode, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_broken_file_is_an_error, setup,
                                        teardown),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("tlspins", tests, NULL, NULL));
}
