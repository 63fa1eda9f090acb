/* test_search.c: unit tests for src/core/search.c: finding text in any
 * case, and moving through a window's lines older and newer. (The
 * history behind a window is searched in tests/terminal/test_search.py.) */
#include "../unit.h"

#include <string.h>

#include "core/buffer.h"
#include "core/event.h"
#include "core/search.h"

static int setup(void **state)
{
    event_init();
    buffers_init();
    return 0;
}

static int teardown(void **state)
{
    buffers_shutdown();
    event_shutdown();
    return 0;
}

static void test_find_in_any_case(void **state)
{
    gsize start = 0, end = 0;
    assert_true(
        search_text_find("Dinner on FRIDAY?", "friday", 0, &start, &end));
    assert_int_equal(start, 10);
    assert_int_equal(end, 16);
    assert_true(search_text_find("Grüße, GRÜSSE", "grüße", 0, &start, &end));
    assert_int_equal(start, 0);
    /* From a byte on, and not at all. */
    assert_true(search_text_find("ab ab", "AB", 1, &start, NULL));
    assert_int_equal(start, 3);
    assert_false(search_text_find("abc", "abcd", 0, NULL, NULL));
    assert_false(search_text_find("abc", "", 0, NULL, NULL));
    assert_false(search_text_find("abc", NULL, 0, NULL, NULL));
}

/* The text of the line search_match points at. */
static const char *found(const Buffer *b)
{
    const BufferLine *line =
        g_ptr_array_index(b->lines, b->search_match - b->lines_dropped);
    return line->text;
}

static void test_older_and_newer(void **state)
{
    Buffer *b = buffer_console();
    buffer_append(b, LINE_INFO, NULL, "one apple");
    buffer_append(b, LINE_INFO, NULL, "a pear");
    buffer_append(b, LINE_IN, "Apple-fan", "hello");
    buffer_append(b, LINE_INFO, NULL, "two APPLES");
    assert_false(search_step(b, -1)); /* no search */
    search_set(b, "apple");
    assert_int_equal(b->search_match, -1);
    assert_false(search_step(b, 1)); /* nothing newer than nothing */
    assert_true(search_step(b, -1));
    assert_string_equal(found(b), "two APPLES");
    assert_true(search_step(b, -1)); /* the nick counts */
    assert_string_equal(found(b), "hello");
    assert_true(search_step(b, -1));
    assert_string_equal(found(b), "one apple");
    assert_false(search_step(b, -1)); /* the oldest: it stays */
    assert_string_equal(found(b), "one apple");
    assert_true(search_step(b, 1));
    assert_string_equal(found(b), "hello");
    /* Lines put above keep the match on its line. */
    BufferLineSpec older = {.kind = LINE_INFO, .text = "older"};
    buffer_prepend(b, &older, 1);
    assert_string_equal(found(b), "hello");
    search_set(b, NULL);
    assert_null(b->search);
    assert_int_equal(b->search_match, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_find_in_any_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_older_and_newer, setup, teardown),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("search", tests, NULL, NULL));
}
