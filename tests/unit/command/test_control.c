/* test_control.c: unit tests for the pure parts of src/command/control.c:
 * the escaping of protocol lines and where the socket is. */
#include "../unit.h"

#include <string.h>

#include "command/control.h"
#include "core/paths.h"

static void check_round_trip(const char *text, const char *escaped)
{
    g_autofree char *e = control_escape(text);
    assert_string_equal(e, escaped);
    assert_null(strchr(e, '\n'));
    g_autofree char *back = control_unescape(e);
    assert_string_equal(back, text);
}

static void test_escape(void **state)
{
    (void)state;
    check_round_trip("plain", "plain");
    check_round_trip("", "");
    check_round_trip("two\nlines", "two\\nlines");
    check_round_trip("back\\slash", "back\\\\slash");
    check_round_trip("\\n is not a newline", "\\\\n is not a newline");
    check_round_trip("cr\r\nlf", "cr\\r\\nlf");
    check_round_trip("$(id) `id` ; \"q\"", "$(id) `id` ; \"q\"");
}

static void test_unescape_oddities(void **state)
{
    (void)state;
    g_autofree char *a = control_unescape("trailing\\");
    assert_string_equal(a, "trailing\\");
    g_autofree char *b = control_unescape("\\q");
    assert_string_equal(b, "q");
}

static void test_socket_path(void **state)
{
    (void)state;
    g_setenv("XDG_RUNTIME_DIR", "/run/user/test", TRUE);
    paths_init("/tmp/cfg", "/tmp/one");
    g_autofree char *one = control_socket_path();
    g_autofree char *again = control_socket_path();
    paths_init("/tmp/cfg", "/tmp/two");
    g_autofree char *two = control_socket_path();
    paths_shutdown();
    assert_true(g_str_has_prefix(one, "/run/user/test/natter/ctl-"));
    assert_int_equal(strlen(one), strlen("/run/user/test/natter/ctl-") + 12);
    assert_string_equal(one, again);
    assert_string_not_equal(one, two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_unescape_oddities),
        cmocka_unit_test(test_socket_path),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("control", tests, NULL, NULL));
}
