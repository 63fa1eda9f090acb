/* test_textwidth.c: unit tests for src/util/textwidth.c (terminal column
 * widths from wcwidth). Runs in the C.UTF-8 locale, as natter does in a
 * UTF-8 terminal. */
#include "../unit.h"

#include <locale.h>
#include <string.h>

#include "util/textwidth.h"

#define CJK_ZHONG "\xe4\xb8\xad"     /* U+4E2D, 2 columns */
#define CJK_WEN   "\xe6\x96\x87"     /* U+6587, 2 columns */
#define ACUTE     "\xcc\x81"         /* U+0301 COMBINING ACUTE ACCENT */
#define DIAER     "\xcc\x88"         /* U+0308 COMBINING DIAERESIS */
#define GRIN      "\xf0\x9f\x98\x80" /* U+1F600, 2 columns */

static void test_char_width(void **state)
{
    assert_int_equal(text_char_width('a'), 1);
    assert_int_equal(text_char_width(' '), 1);
    assert_int_equal(text_char_width(0x00E9), 1);  /* é precomposed */
    assert_int_equal(text_char_width(0x4E2D), 2);  /* CJK ideograph */
    assert_int_equal(text_char_width(0x30A2), 2);  /* katakana A */
    assert_int_equal(text_char_width(0xAC00), 2);  /* Hangul syllable */
    assert_int_equal(text_char_width(0xFF21), 2);  /* fullwidth A */
    assert_int_equal(text_char_width(0x1F600), 2); /* emoji */
    assert_int_equal(text_char_width(0x0301), 0);  /* combining mark */
    assert_int_equal(text_char_width(0x200B), 0);  /* zero width space */
    assert_int_equal(text_char_width(0xFFFD), 1);  /* replacement char */
    assert_int_equal(text_char_width(0x2400), 1);  /* control picture */
    /* wcwidth() says -1 for controls; counted as one column. */
    assert_int_equal(text_char_width(0x07), 1);
    assert_int_equal(text_char_width(0x9B), 1);
}

static void test_width(void **state)
{
    assert_int_equal(text_width("", -1), 0);
    assert_int_equal(text_width("hello", -1), 5);
    assert_int_equal(text_width("h\xc3\xa9llo", -1), 5);
    /* Decomposed: the mark takes no column. */
    assert_int_equal(text_width("he" ACUTE "llo", -1), 5);
    assert_int_equal(text_width("a" ACUTE DIAER, -1), 1);
    assert_int_equal(text_width(CJK_ZHONG CJK_WEN, -1), 4);
    assert_int_equal(text_width("a" CJK_ZHONG "b", -1), 4);
    assert_int_equal(text_width("a" GRIN "b", -1), 4);
    /* LEN limits the bytes looked at. */
    assert_int_equal(text_width("hello", 2), 2);
    assert_int_equal(text_width(CJK_ZHONG CJK_WEN, 3), 2);
    assert_int_equal(text_width("abc", 0), 0);
}

/* Checks text_prefix_for_width(S, -1, COLS) against the expected byte
 * length and width. */
static void check_prefix(const char *s, gsize cols, gsize bytes, gsize width)
{
    gsize got_width = 12345;
    gsize got = text_prefix_for_width(s, -1, cols, &got_width);
    if (got != bytes || got_width != width)
        fail_msg("prefix of '%s' in %zu columns: %zu bytes, width %zu; "
                 "expected %zu bytes, width %zu\n",
                 s, cols, got, got_width, bytes, width);
}

static void test_prefix_ascii(void **state)
{
    check_prefix("abcdef", 0, 0, 0);
    check_prefix("abcdef", 1, 1, 1);
    check_prefix("abcdef", 3, 3, 3);
    check_prefix("abcdef", 6, 6, 6);
    check_prefix("abcdef", 100, 6, 6);
    check_prefix("", 5, 0, 0);
}

static void test_prefix_wide(void **state)
{
    /* A wide character that does not fit entirely is left out. */
    check_prefix(CJK_ZHONG CJK_WEN, 1, 0, 0);
    check_prefix(CJK_ZHONG CJK_WEN, 2, 3, 2);
    check_prefix(CJK_ZHONG CJK_WEN, 3, 3, 2);
    check_prefix(CJK_ZHONG CJK_WEN, 4, 6, 4);
    check_prefix("a" CJK_ZHONG, 2, 1, 1);
    check_prefix("a" CJK_ZHONG, 3, 4, 3);
    check_prefix("a" GRIN "b", 2, 1, 1);
    check_prefix("a" GRIN "b", 3, 5, 3);
    check_prefix("a" GRIN "b", 4, 6, 4);
}

static void test_prefix_keeps_combining_marks(void **state)
{
    /* The marks after a character that fits come with it... */
    check_prefix("e" ACUTE "x", 1, 3, 1);
    check_prefix("e" ACUTE DIAER "x", 1, 5, 1);
    check_prefix("ab" ACUTE, 2, 4, 2);
    /* ...and stay behind when it does not fit. */
    check_prefix("ae" ACUTE, 1, 1, 1);
    check_prefix(CJK_ZHONG ACUTE "x", 1, 0, 0);
    check_prefix(CJK_ZHONG ACUTE "x", 2, 5, 2);
}

static void test_prefix_length_and_null_width(void **state)
{
    gsize w = 99;
    assert_int_equal(text_prefix_for_width("abcdef", 3, 10, &w), 3);
    assert_int_equal(w, 3);
    assert_int_equal(text_prefix_for_width(CJK_ZHONG CJK_WEN, 3, 10, &w), 3);
    assert_int_equal(w, 2);
    assert_int_equal(text_prefix_for_width("abcdef", 0, 10, &w), 0);
    assert_int_equal(w, 0);
    /* WIDTH may be NULL. */
    assert_int_equal(text_prefix_for_width("abcdef", -1, 4, NULL), 4);
}

/* The prefix is always the longest that fits: one more character would
 * not. Checked over every column count for a mixed string. */
static void test_prefix_is_longest(void **state)
{
    const char *s = "a" CJK_ZHONG "e" ACUTE GRIN " b" CJK_WEN "c";
    gsize total = text_width(s, -1);
    assert_int_equal(total, 11);
    gsize prev = 0;
    for (gsize cols = 0; cols <= total + 1; cols++) {
        gsize w = 0;
        gsize n = text_prefix_for_width(s, -1, cols, &w);
        assert_true(w <= cols);
        assert_int_equal(w, text_width(s, n));
        assert_true(n >= prev);
        prev = n;
        if (s[n] != '\0') {
            /* The next character with its marks would overflow. */
            const char *next = g_utf8_next_char(s + n);
            while (*next && text_char_width(g_utf8_get_char(next)) == 0)
                next = g_utf8_next_char(next);
            assert_true(text_width(s, next - s) > cols);
        } else {
            assert_true(cols >= total);
        }
    }
}

static int setup_locale(void **state)
{
    /* wcwidth() depends on LC_CTYPE. */
    return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_char_width),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_prefix_ascii),
        cmocka_unit_test(test_prefix_wide),
        cmocka_unit_test(test_prefix_keeps_combining_marks),
        cmocka_unit_test(test_prefix_length_and_null_width),
        cmocka_unit_test(test_prefix_is_longest),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("textwidth", tests, setup_locale, NULL));
}
