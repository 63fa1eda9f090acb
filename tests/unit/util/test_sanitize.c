/* test_sanitize.c: unit tests for src/util/sanitize.c, the one filter
 * between network text and the terminal. */
#include "../unit.h"

#include <string.h>

#include "util/sanitize.h"

#define REPL  "\xef\xbf\xbd" /* U+FFFD */
#define P_NUL "\xe2\x90\x80" /* U+2400 SYMBOL FOR NULL */
#define P_ESC "\xe2\x90\x9b" /* U+241B SYMBOL FOR ESCAPE */
#define P_DEL "\xe2\x90\xa1" /* U+2421 SYMBOL FOR DELETE */
#define LS    "\xe2\x80\xa8" /* U+2028 LINE SEPARATOR */
#define PS    "\xe2\x80\xa9" /* U+2029 PARAGRAPH SEPARATOR */
#define RLO   "\xe2\x80\xae" /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define PDF   "\xe2\x80\xac" /* U+202C POP DIRECTIONAL FORMATTING */

/* Sanitises LEN bytes of IN with FLAGS and compares with EXPECTED. Also
 * checks that text_is_safe() agrees, and that the result is a fixed point. */
static void check_len(const char *in, gssize len, SanitizeFlags flags,
                      const char *expected)
{
    g_autofree char *out = text_sanitize(in, len, flags);
    assert_non_null(out);
    if (strcmp(out, expected) != 0) {
        g_autofree char *ein = g_strescape(in, NULL);
        g_autofree char *eout = g_strescape(out, NULL);
        g_autofree char *eexp = g_strescape(expected, NULL);
        fail_msg("text_sanitize(\"%s\", %d) gave \"%s\", expected \"%s\"", ein,
                 flags, eout, eexp);
    }
    gsize n = len < 0 ? strlen(in) : (gsize)len;
    gboolean unchanged = strlen(out) == n && memcmp(out, in, n) == 0;
    assert_int_equal(text_is_safe(in, len, flags), unchanged);
    assert_true(g_utf8_validate(out, -1, NULL));
    assert_true(text_is_safe(out, -1, flags));
    g_autofree char *again = text_sanitize(out, -1, flags);
    assert_string_equal(again, out);
}

static void check(const char *in, SanitizeFlags flags, const char *expected)
{
    check_len(in, -1, flags, expected);
}

/* The same result in both modes. */
static void check_both(const char *in, const char *expected)
{
    check(in, SANITIZE_LINE, expected);
    check(in, SANITIZE_MULTILINE, expected);
}

static void test_plain_text_unchanged(void **state)
{
    check_both("", "");
    check_both("hello, world", "hello, world");
    check_both("h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80",
               "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80");
    /* Combining marks and U+00A0 are ordinary characters. */
    check_both("e\xcc\x81\xc2\xa0x", "e\xcc\x81\xc2\xa0x");
    assert_true(text_is_safe("plain", -1, SANITIZE_LINE));
}

static void test_null_text(void **state)
{
    g_autofree char *out = text_sanitize(NULL, -1, SANITIZE_LINE);
    assert_string_equal(out, "");
    g_autofree char *out2 = text_sanitize(NULL, 5, SANITIZE_MULTILINE);
    assert_string_equal(out2, "");
    assert_true(text_is_safe(NULL, -1, SANITIZE_LINE));
}

static void test_escape_sequences_neutralised(void **state)
{
    check_both("a\x1b[31mred\x1b[0m", "a" P_ESC "[31mred" P_ESC "[0m");
    check_both("\x1b]0;title\x07", P_ESC "]0;title\xe2\x90\x87");
    check_both("\x1b", P_ESC);
    assert_false(text_is_safe("\x1b", -1, SANITIZE_MULTILINE));
}

static void test_every_c0_control(void **state)
{
    for (int c = 1; c < 0x20; c++) {
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        char in[4] = {'a', (char)c, 'b', '\0'};
        char expected[8];
        g_autofree char *pic =
            g_ucs4_to_utf8((gunichar[]){0x2400 + c}, 1, NULL, NULL, NULL);
        g_snprintf(expected, sizeof expected, "a%sb", pic);
        check_both(in, expected);
    }
}

static void test_embedded_nul_with_length(void **state)
{
    check_len("a\0b", 3, SANITIZE_LINE, "a" P_NUL "b");
    check_len("a\0b", 3, SANITIZE_MULTILINE, "a" P_NUL "b");
    check_len("\0", 1, SANITIZE_LINE, P_NUL);
    check_len("\0\0", 2, SANITIZE_LINE, P_NUL P_NUL);
    assert_false(text_is_safe("a\0b", 3, SANITIZE_LINE));
    /* Without a length, the NUL ends the text. */
    check_len("a\0b", -1, SANITIZE_LINE, "a");
}

static void test_length_limits_input(void **state)
{
    check_len("abcdef", 3, SANITIZE_LINE, "abc");
    check_len("abcdef", 0, SANITIZE_LINE, "");
    /* Cutting a character in two leaves a truncated sequence. */
    check_len("\xc3\xa9", 1, SANITIZE_LINE, REPL);
    check_len("x\xe4\xb8\x96", 3, SANITIZE_LINE, "x" REPL REPL);
}

static void test_newlines_line_mode(void **state)
{
    check("a\nb", SANITIZE_LINE, "a b");
    check("a\rb", SANITIZE_LINE, "a b");
    check("a\r\nb", SANITIZE_LINE, "a b");
    check("a\n\rb", SANITIZE_LINE, "a  b");
    check("a\r\rb", SANITIZE_LINE, "a  b");
    check("a\n\nb", SANITIZE_LINE, "a  b");
    check("a" LS "b", SANITIZE_LINE, "a b");
    check("a" PS "b", SANITIZE_LINE, "a b");
    check("\r\n", SANITIZE_LINE, " ");
    assert_false(text_is_safe("a\nb", -1, SANITIZE_LINE));
}

static void test_newlines_multiline_mode(void **state)
{
    check("a\nb", SANITIZE_MULTILINE, "a\nb");
    check("a\rb", SANITIZE_MULTILINE, "a\nb");
    check("a\r\nb", SANITIZE_MULTILINE, "a\nb");
    check("a\r\n\r\nb", SANITIZE_MULTILINE, "a\n\nb");
    check("a\n\rb", SANITIZE_MULTILINE, "a\n\nb");
    check("a\r\rb", SANITIZE_MULTILINE, "a\n\nb");
    check("a\r" LS "b", SANITIZE_MULTILINE, "a\n\nb");
    check("a" LS "b", SANITIZE_MULTILINE, "a\nb");
    check("a" PS "b", SANITIZE_MULTILINE, "a\nb");
    check("a\r", SANITIZE_MULTILINE, "a\n");
    /* A CR, then a bad byte, then LF: two line breaks around U+FFFD. */
    check("a\r\xff\nb", SANITIZE_MULTILINE, "a\n" REPL "\nb");
    assert_true(text_is_safe("a\nb", -1, SANITIZE_MULTILINE));
    assert_false(text_is_safe("a\r\nb", -1, SANITIZE_MULTILINE));
}

static void test_tab(void **state)
{
    check("a\tb", SANITIZE_LINE, "a b");
    check("a\tb", SANITIZE_MULTILINE, "a    b");
    check("\t\t", SANITIZE_MULTILINE, "        ");
    assert_false(text_is_safe("\t", -1, SANITIZE_MULTILINE));
}

static void test_del(void **state)
{
    check_both("a\x7fz", "a" P_DEL "z");
    check_both("\x7f\x7f", P_DEL P_DEL);
}

static void test_c1_controls(void **state)
{
    for (gunichar c = 0x80; c <= 0x9F; c++) {
        char in[8] = "x";
        g_unichar_to_utf8(c, in + 1);
        strcat(in, "y");
        check_both(in, "x" REPL "y");
    }
    /* U+00A0 right after the C1 range is fine. */
    check_both("\xc2\xa0", "\xc2\xa0");
    /* The raw 8-bit CSI byte (octal 233, 0x9B) is not UTF-8 at all. */
    check_both("\23331m", REPL "31m");
}

static void test_bidi_controls(void **state)
{
    static const gunichar bidi[] = {
        0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
        0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
    };
    for (guint i = 0; i < G_N_ELEMENTS(bidi); i++) {
        char in[16] = "ab";
        g_unichar_to_utf8(bidi[i], in + 2);
        strcat(in, "cd");
        check_both(in, "ab" REPL "cd");
    }
    /* Neighbours of the ranges are left alone: ZWJ (U+200D), U+202F
     * NARROW NO-BREAK SPACE and U+206A (deprecated, but not a control). */
    check_both("\xe2\x80\x8d", "\xe2\x80\x8d");
    check_both("\xe2\x80\xaf", "\xe2\x80\xaf");
    check_both("\xe2\x81\xaa", "\xe2\x81\xaa");
}

static void test_noncharacters(void **state)
{
    static const gunichar nonchars[] = {
        0xFDD0,  0xFDDF,  0xFDEF,  0xFFFE,   0xFFFF,
        0x1FFFE, 0x1FFFF, 0x2FFFE, 0x10FFFE, 0x10FFFF,
    };
    for (guint i = 0; i < G_N_ELEMENTS(nonchars); i++) {
        char in[16] = {0};
        g_unichar_to_utf8(nonchars[i], in);
        check_both(in, REPL);
    }
    /* Just outside the ranges. */
    check_both("\xef\xb7\x8f", "\xef\xb7\x8f");         /* U+FDCF */
    check_both("\xef\xb7\xb0", "\xef\xb7\xb0");         /* U+FDF0 */
    check_both("\xef\xbf\xbd", "\xef\xbf\xbd");         /* U+FFFD itself */
    check_both("\xf0\x9f\xbf\xbd", "\xf0\x9f\xbf\xbd"); /* U+1FFFD */
}

static void test_invalid_utf8(void **state)
{
    /* Every bad byte becomes one U+FFFD. */
    check_both("\x80", REPL); /* lone continuation */
    check_both("a\xbfz", "a" REPL "z");
    check_both("\xc0\x80", REPL REPL);                   /* overlong NUL */
    check_both("\xc1\xbf", REPL REPL);                   /* overlong 2-byte */
    check_both("\xe0\x80\xaf", REPL REPL REPL);          /* overlong '/' */
    check_both("\xe0\x9f\xbf", REPL REPL REPL);          /* overlong 3-byte */
    check_both("\xf0\x80\x80\xaf", REPL REPL REPL REPL); /* overlong 4 */
    check_both("\xf0\x8f\xbf\xbf", REPL REPL REPL REPL);
    check_both("\xed\xa0\x80", REPL REPL REPL); /* surrogate U+D800 */
    check_both("\xed\xbf\xbf", REPL REPL REPL); /* surrogate U+DFFF */
    check_both("\xed\xa0\xbd\xed\xb8\x80",      /* a UTF-16 pair as CESU-8 */
               REPL REPL REPL REPL REPL REPL);
    check_both("\xf4\x90\x80\x80", REPL REPL REPL REPL); /* > U+10FFFF */
    check_both("\xf5\x80\x80\x80", REPL REPL REPL REPL);
    check_both("\xf8\x88\x80\x80\x80", REPL REPL REPL REPL REPL);
    check_both("\xfc\x84\x80\x80\x80\x80", REPL REPL REPL REPL REPL REPL);
    check_both("\xfe", REPL);
    check_both("\xff", REPL);
    /* A lead byte followed by something that is not a continuation. */
    check_both("\xc3(", REPL "(");
    check_both("\xe2\x82(", REPL REPL "(");
    check_both("\xf0\x9f\x98(", REPL REPL REPL "(");
    /* The highest valid code points around the surrogates survive. */
    check_both("\xed\x9f\xbf", "\xed\x9f\xbf");         /* U+D7FF */
    check_both("\xee\x80\x80", "\xee\x80\x80");         /* U+E000 */
    check_both("\xf4\x8f\xbf\xbd", "\xf4\x8f\xbf\xbd"); /* U+10FFFD */
}

static void test_truncated_at_end(void **state)
{
    check_both("ab\xc3", "ab" REPL);
    check_both("ab\xe2\x82", "ab" REPL REPL);
    check_both("ab\xf0\x9f\x98", "ab" REPL REPL REPL);
    check_both("\xf0", REPL);
    /* The same, cut by the length instead of a NUL. */
    check_len("ab\xf0\x9f\x98\x80", 5, SANITIZE_LINE, "ab" REPL REPL REPL);
}

static void test_mixed(void **state)
{
    check("<b>\x1b[2J</b>\r\n" RLO "evil" PDF "\t\xff", SANITIZE_MULTILINE,
          "<b>" P_ESC "[2J</b>\n" REPL "evil" REPL "    " REPL);
    check("<b>\x1b[2J</b>\r\n" RLO "evil" PDF "\t\xff", SANITIZE_LINE,
          "<b>" P_ESC "[2J</b> " REPL "evil" REPL " " REPL);
}

/* Random byte strings, biased towards the interesting bytes, with a fixed
 * seed: text_is_safe() must say TRUE exactly when text_sanitize() changes
 * nothing, and the output must be safe and a fixed point. */
static void test_random_agreement(void **state)
{
    static const char *const pieces[] = {
        "a",
        " ",
        "\n",
        "\r",
        "\t",
        "\x1b",
        "\x7f",
        "\xc2\x85",
        "\xc3\xa9",
        "\xe2\x80\xa8",
        "\xe2\x80\xae",
        "\xef\xbf\xbf",
        "\xf0\x9f\x98\x80",
        "\xcc\x81",
        "\xed\xa0\x80",
        "\xc0\x80",
        "\xe4\xb8\x96",
        "\xef\xb7\x90",
    };
    GRand *rand = g_rand_new_with_seed(20260101);
    guint changed = 0, unchanged = 0;
    for (int round = 0; round < 5000; round++) {
        GString *in = g_string_new(NULL);
        int n = g_rand_int_range(rand, 0, 24);
        for (int i = 0; i < n; i++) {
            if (g_rand_boolean(rand)) {
                int k = g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces));
                g_string_append(in, pieces[k]);
            } else {
                g_string_append_c(in, (char)g_rand_int_range(rand, 0, 256));
            }
        }
        SanitizeFlags flags =
            g_rand_boolean(rand) ? SANITIZE_MULTILINE : SANITIZE_LINE;
        /* Half of the rounds pass the length, so NULs are inside. */
        gssize len = g_rand_boolean(rand) ? (gssize)in->len : -1;
        gsize n_in = len < 0 ? strlen(in->str) : in->len;

        g_autofree char *out = text_sanitize(in->str, len, flags);
        gboolean same = strlen(out) == n_in && memcmp(out, in->str, n_in) == 0;
        if (text_is_safe(in->str, len, flags) != same) {
            g_autofree char *esc = g_strescape(in->str, NULL);
            fail_msg("round %d: text_is_safe disagrees for \"%s\"", round, esc);
        }
        assert_true(g_utf8_validate(out, -1, NULL));
        assert_true(text_is_safe(out, -1, flags));
        g_autofree char *again = text_sanitize(out, -1, flags);
        assert_string_equal(again, out);
        if (same)
            unchanged++;
        else
            changed++;
        g_string_free(in, TRUE);
    }
    g_rand_free(rand);
    /* Both outcomes were exercised. */
    assert_true(changed > 500);
    assert_true(unchanged > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_unchanged),
        cmocka_unit_test(test_null_text),
        cmocka_unit_test(test_escape_sequences_neutralised),
        cmocka_unit_test(test_every_c0_control),
        cmocka_unit_test(test_embedded_nul_with_length),
        cmocka_unit_test(test_length_limits_input),
        cmocka_unit_test(test_newlines_line_mode),
        cmocka_unit_test(test_newlines_multiline_mode),
        cmocka_unit_test(test_tab),
        cmocka_unit_test(test_del),
        cmocka_unit_test(test_c1_controls),
        cmocka_unit_test(test_bidi_controls),
        cmocka_unit_test(test_noncharacters),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_truncated_at_end),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_random_agreement),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("sanitize", tests, NULL, NULL));
}
