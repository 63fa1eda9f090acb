/* test_files.c: unit tests for the pure parts of src/xmpp/files*.c: a
 * file name from the network made safe, and the links of a window. */
#include "../unit.h"

#include <string.h>

#include "core/buffer.h"
#include "xmpp/files.h"

static void check_safe(const char *name, const char *expected)
{
    g_autofree char *safe = files_safe_name(name);
    assert_string_equal(safe, expected);
}

static void test_safe_name(void **state)
{
    (void)state;
    check_safe("report.pdf", "report.pdf");
    check_safe("../../.bashrc", "bashrc");
    check_safe("..", "download");
    check_safe(".", "download");
    check_safe("", "download");
    check_safe(NULL, "download");
    check_safe("a/b/c.txt", "c.txt");
    check_safe("dir/", "download");
    check_safe("back\\slash", "back_slash");
    check_safe("bell\a\nline", "bell__line");
    check_safe("rtl\u202etxt.exe", "rtl_txt.exe");
    check_safe("caf\u00e9.jpg", "caf\u00e9.jpg");
    g_autofree char *longer = g_strnfill(300, 'x');
    g_autofree char *cut = files_safe_name(longer);
    assert_int_equal(strlen(cut), 200);
}

static BufferLine *line(LineKind kind, const char *text)
{
    BufferLine *l = g_new0(BufferLine, 1);
    l->kind = kind;
    l->text = g_strdup(text);
    return l;
}

static void line_free(gpointer data)
{
    BufferLine *l = data;
    g_free(l->text);
    g_free(l);
}

static void test_link_in(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(line_free);
    assert_null(files_link_in(lines, 1));
    g_ptr_array_add(lines, line(LINE_IN, "old https://a.example/1 and "
                                         "http://a.example/2."));
    g_ptr_array_add(lines, line(LINE_INFO, "not this https://info.example/"));
    g_ptr_array_add(lines, line(LINE_OUT, "see (https://b.example/x?y=1)"));
    g_autofree char *first = files_link_in(lines, 1);
    g_autofree char *second = files_link_in(lines, 2);
    g_autofree char *third = files_link_in(lines, 3);
    assert_string_equal(first, "https://b.example/x?y=1");
    assert_string_equal(second, "http://a.example/2");
    assert_string_equal(third, "https://a.example/1");
    assert_null(files_link_in(lines, 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_name),
        cmocka_unit_test(test_link_in),
    };
    return unit_exit_status(cmocka_run_group_tests(tests, NULL, NULL));
}
