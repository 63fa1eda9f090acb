/* test_inputline.c: unit tests for src/ui/inputline.c, the input line model
 * (no curses). Runs in C.UTF-8 so that combining marks have width 0. */
#include "../unit.h"

#include <locale.h>
#include <string.h>

#include "ui/inputline.h"

#define E_ACUTE "e\xcc\x81"        /* e + COMBINING ACUTE: 3 bytes, 1 col */
#define ACUTE   "\xcc\x81"         /* the mark alone */
#define ZHONG   "\xe4\xb8\xad"     /* U+4E2D: 3 bytes, 2 columns */
#define GRIN    "\xf0\x9f\x98\x80" /* U+1F600: 4 bytes, 2 columns */
#define EACUTE1 "\xc3\xa9"         /* precomposed é: 2 bytes */

static InputLine *in;

static int setup(void **state)
{
    in = inputline_new();
    return 0;
}

static int teardown(void **state)
{
    g_clear_pointer(&in, inputline_free);
    return 0;
}

/* The text and the cursor, as "text|rest": the bar marks the cursor. */
static char *shown(void)
{
    const char *t = inputline_text(in);
    gsize c = inputline_cursor(in);
    assert_true(c <= strlen(t));
    return g_strdup_printf("%.*s|%s", (int)c, t, t + c);
}

#define check(expected)                                                        \
    do {                                                                       \
        g_autofree char *s_ = shown();                                         \
        assert_string_equal(s_, expected);                                     \
        assert_true(g_utf8_validate(inputline_text(in), -1, NULL));            \
    } while (0)

/* Sets the text and puts the cursor at byte POS by moving from home, so
 * only reachable positions are used. */
static void set_at(const char *text, gsize pos)
{
    inputline_set_text(in, text);
    inputline_home(in);
    while (inputline_cursor(in) < pos) {
        gsize before = inputline_cursor(in);
        inputline_right(in);
        assert_true(inputline_cursor(in) > before);
    }
    assert_int_equal(inputline_cursor(in), pos);
}

static void test_empty(void **state)
{
    assert_string_equal(inputline_text(in), "");
    assert_int_equal(inputline_cursor(in), 0);
    assert_int_equal(inputline_cursor_column(in), 0);
    /* Every operation is harmless on an empty line. */
    inputline_delete_back(in);
    inputline_delete_forward(in);
    inputline_left(in);
    inputline_right(in);
    inputline_word_left(in);
    inputline_word_right(in);
    inputline_kill_to_end(in);
    inputline_kill_to_start(in);
    inputline_kill_word_back(in);
    inputline_kill_word_forward(in);
    inputline_yank(in);
    inputline_transpose(in);
    inputline_history_prev(in);
    inputline_history_next(in);
    check("|");
}

static void test_insert(void **state)
{
    inputline_insert(in, "hello");
    check("hello|");
    inputline_home(in);
    inputline_insert(in, ">> ");
    check(">> |hello");
    inputline_right(in);
    inputline_insert(in, ZHONG);
    check(">> h" ZHONG "|ello");
    inputline_insert(in, "");
    check(">> h" ZHONG "|ello");
    /* Invalid UTF-8 is refused as a whole. */
    inputline_insert(in, "x\xff");
    inputline_insert(in, "\xed\xa0\x80");
    inputline_insert(in, "\xc3");
    check(">> h" ZHONG "|ello");
}

static void test_set_text_and_clear(void **state)
{
    inputline_set_text(in, "abc");
    check("abc|");
    inputline_set_text(in, "x" ZHONG);
    check("x" ZHONG "|");
    inputline_clear(in);
    check("|");
}

static void test_left_right_multibyte(void **state)
{
    inputline_set_text(in, "a" EACUTE1 ZHONG GRIN);
    static const gsize stops[] = {0, 1, 3, 6, 10};
    inputline_home(in);
    for (guint i = 1; i < G_N_ELEMENTS(stops); i++) {
        inputline_right(in);
        assert_int_equal(inputline_cursor(in), stops[i]);
    }
    inputline_right(in);
    assert_int_equal(inputline_cursor(in), 10);
    for (guint i = G_N_ELEMENTS(stops) - 1; i-- > 0;) {
        inputline_left(in);
        assert_int_equal(inputline_cursor(in), stops[i]);
    }
    inputline_left(in);
    assert_int_equal(inputline_cursor(in), 0);
    inputline_end(in);
    assert_int_equal(inputline_cursor(in), 10);
}

static void test_combining_marks_move_with_their_base(void **state)
{
    inputline_set_text(in, "a" E_ACUTE ACUTE "x");
    /* "a", then e with two marks (5 bytes), then "x". */
    inputline_home(in);
    inputline_right(in);
    assert_int_equal(inputline_cursor(in), 1);
    inputline_right(in);
    assert_int_equal(inputline_cursor(in), 6);
    inputline_right(in);
    assert_int_equal(inputline_cursor(in), 7);
    inputline_left(in);
    assert_int_equal(inputline_cursor(in), 6);
    inputline_left(in);
    assert_int_equal(inputline_cursor(in), 1);

    /* Deleting takes the marks too, both ways. */
    set_at("a" E_ACUTE "x", 4);
    inputline_delete_back(in);
    check("a|x");
    set_at("a" E_ACUTE "x", 1);
    inputline_delete_forward(in);
    check("a|x");
}

static void test_insert_before_leading_mark(void **state)
{
    /* A line can start with a lone combining mark. Typing a letter in
     * front of it makes the two one character: the cursor goes after the
     * mark, never between a character and its marks. */
    inputline_insert(in, ACUTE "b");
    inputline_home(in);
    inputline_insert(in, "e");
    check(E_ACUTE "|b");
    inputline_left(in);
    check("|" E_ACUTE "b");
}

static void test_insert_mark_joins_previous(void **state)
{
    set_at("eb", 1);
    inputline_insert(in, ACUTE);
    check(E_ACUTE "|b");
    inputline_left(in);
    check("|" E_ACUTE "b");
}

static void test_delete(void **state)
{
    set_at("abc", 2);
    inputline_delete_back(in);
    check("a|c");
    inputline_delete_forward(in);
    check("a|");
    inputline_delete_forward(in);
    check("a|");
    inputline_delete_back(in);
    check("|");
    inputline_delete_back(in);
    check("|");

    set_at(ZHONG GRIN "z", 7);
    inputline_delete_back(in);
    check(ZHONG "|z");
    inputline_home(in);
    inputline_delete_forward(in);
    check("|z");
}

static void test_cursor_column(void **state)
{
    inputline_set_text(in, "a" ZHONG E_ACUTE GRIN);
    assert_int_equal(inputline_cursor_column(in), 6);
    inputline_left(in);
    assert_int_equal(inputline_cursor_column(in), 4);
    inputline_left(in);
    assert_int_equal(inputline_cursor_column(in), 3);
    inputline_left(in);
    assert_int_equal(inputline_cursor_column(in), 1);
    inputline_home(in);
    assert_int_equal(inputline_cursor_column(in), 0);
}

static void test_words(void **state)
{
    inputline_set_text(in, "  foo bar\tbaz  ");
    inputline_word_left(in);
    check("  foo bar\t|baz  ");
    inputline_word_left(in);
    check("  foo |bar\tbaz  ");
    inputline_word_left(in);
    check("  |foo bar\tbaz  ");
    inputline_word_left(in);
    check("|  foo bar\tbaz  ");
    inputline_word_right(in);
    check("  foo| bar\tbaz  ");
    inputline_word_right(in);
    check("  foo bar|\tbaz  ");
    inputline_word_right(in);
    check("  foo bar\tbaz|  ");
    inputline_word_right(in);
    check("  foo bar\tbaz  |");
    /* From inside a word. */
    set_at("hello world", 3);
    inputline_word_left(in);
    check("|hello world");
    set_at("hello world", 8);
    inputline_word_right(in);
    check("hello world|");
    /* Words of other scripts, with marks. */
    inputline_set_text(in, ZHONG ZHONG " " E_ACUTE "t" E_ACUTE);
    inputline_word_left(in);
    check(ZHONG ZHONG " |" E_ACUTE "t" E_ACUTE);
    inputline_word_left(in);
    check("|" ZHONG ZHONG " " E_ACUTE "t" E_ACUTE);
}

static void test_kill_and_yank(void **state)
{
    set_at("hello big world", 9);
    inputline_kill_to_end(in);
    check("hello big|");
    inputline_home(in);
    inputline_yank(in);
    check(" world|hello big");

    set_at("hello big world", 9);
    inputline_kill_to_start(in);
    check("| world");
    inputline_end(in);
    inputline_yank(in);
    check(" worldhello big|");
    /* Yank again: the same text once more. */
    inputline_yank(in);
    check(" worldhello bighello big|");
}

static void test_kill_words(void **state)
{
    inputline_set_text(in, "one two  three");
    inputline_kill_word_back(in);
    check("one two  |");
    inputline_kill_word_back(in);
    check("one |");
    inputline_yank(in);
    check("one two  |");

    set_at("one two  three", 3);
    inputline_kill_word_forward(in);
    check("one|  three");
    inputline_kill_word_forward(in);
    check("one|");
    inputline_yank(in);
    check("one  three|");

    /* Multibyte words. */
    inputline_set_text(in, "x " ZHONG E_ACUTE GRIN);
    inputline_kill_word_back(in);
    check("x |");
    inputline_yank(in);
    check("x " ZHONG E_ACUTE GRIN "|");
}

static void test_empty_kill_keeps_kill_buffer(void **state)
{
    set_at("abc def", 4);
    inputline_kill_to_end(in);
    check("abc |");
    /* Nothing to kill: the kill buffer keeps "def". */
    inputline_kill_to_end(in);
    inputline_kill_word_forward(in);
    inputline_home(in);
    inputline_kill_to_start(in);
    inputline_kill_word_back(in);
    inputline_end(in);
    inputline_yank(in);
    check("abc def|");
}

static void test_yank_without_kill(void **state)
{
    inputline_set_text(in, "abc");
    inputline_yank(in);
    check("abc|");
    /* Deleting characters does not fill the kill buffer. */
    inputline_delete_back(in);
    inputline_yank(in);
    check("ab|");
}

static void test_transpose(void **state)
{
    /* In the middle: the characters before and at the cursor, and the
     * cursor moves past both. */
    set_at("abcd", 2);
    inputline_transpose(in);
    check("acb|d");
    inputline_transpose(in);
    check("acdb|");
    /* At the end: the last two, the cursor stays at the end. */
    inputline_transpose(in);
    check("acbd|");
    /* At the start: nothing. */
    inputline_home(in);
    inputline_transpose(in);
    check("|acbd");
    /* One character: nothing. */
    inputline_set_text(in, "a");
    inputline_transpose(in);
    check("a|");
}

static void test_transpose_multibyte(void **state)
{
    inputline_set_text(in, "a" ZHONG);
    inputline_transpose(in);
    check(ZHONG "a|");
    set_at("x" GRIN ZHONG "y", 1);
    inputline_transpose(in);
    check(GRIN "x|" ZHONG "y");
    /* A character with its marks moves as one. */
    inputline_set_text(in, "x" E_ACUTE);
    inputline_transpose(in);
    check(E_ACUTE "x|");
    set_at(E_ACUTE "xy", 3);
    inputline_transpose(in);
    check("x" E_ACUTE "|y");
}

static void test_take(void **state)
{
    inputline_set_text(in, "hello");
    inputline_home(in);
    g_autofree char *t = inputline_take(in, TRUE);
    assert_string_equal(t, "hello");
    check("|");
    inputline_history_prev(in);
    check("hello|");
}

static void test_take_without_remember(void **state)
{
    inputline_set_text(in, "first");
    g_free(inputline_take(in, TRUE));
    inputline_set_text(in, "s3cret password");
    g_autofree char *pw = inputline_take(in, FALSE);
    assert_string_equal(pw, "s3cret password");
    check("|");
    /* Not in the history: only "first" is there. */
    inputline_history_prev(in);
    check("first|");
    inputline_history_prev(in);
    check("first|");
}

static void test_take_empty_not_remembered(void **state)
{
    inputline_set_text(in, "one");
    g_free(inputline_take(in, TRUE));
    g_autofree char *empty = inputline_take(in, TRUE);
    assert_string_equal(empty, "");
    inputline_history_prev(in);
    check("one|");
    inputline_history_prev(in);
    check("one|");
}

static void take_text(const char *text)
{
    inputline_set_text(in, text);
    g_free(inputline_take(in, TRUE));
}

static void test_history_duplicates_collapsed(void **state)
{
    take_text("a");
    take_text("b");
    take_text("b");
    take_text("b");
    take_text("a");
    /* Repeats in a row are one entry; "a" again later is its own. */
    inputline_history_prev(in);
    check("a|");
    inputline_history_prev(in);
    check("b|");
    inputline_history_prev(in);
    check("a|");
    inputline_history_prev(in);
    check("a|");
}

static void test_history_per_window_and_global(void **state)
{
    inputline_set_scope(in, "work/bob@example.org");
    take_text("to bob");
    inputline_set_scope(in, "work/carol@example.org");
    take_text("to carol 1");
    take_text("to carol 2");
    inputline_set_scope(in, "work/bob@example.org");
    /* Up: only what was typed in this window. */
    inputline_insert(in, "draft");
    inputline_history_prev(in);
    check("to bob|");
    inputline_history_prev(in);
    check("to bob|");
    inputline_history_next(in);
    check("draft|");
    /* Ctrl-Up: everything, newest first. */
    inputline_global_prev(in);
    check("to carol 2|");
    inputline_global_prev(in);
    check("to carol 1|");
    inputline_global_prev(in);
    check("to bob|");
    inputline_global_next(in);
    check("to carol 1|");
    /* Changing lists mid-way starts the other one from its newest entry;
     * the draft stays the one typed before browsing. */
    inputline_history_prev(in);
    check("to bob|");
    inputline_history_next(in);
    check("draft|");
    /* A window where nothing was typed has nothing to go up to. */
    inputline_set_scope(in, "work/dave@example.org");
    inputline_history_prev(in);
    check("draft|");
}

static void test_history_browsing_keeps_draft(void **state)
{
    take_text("one");
    take_text("two");
    inputline_insert(in, "draft in progress");
    inputline_home(in);
    inputline_history_prev(in);
    check("two|");
    inputline_history_prev(in);
    check("one|");
    /* The oldest entry stops the way up. */
    inputline_history_prev(in);
    check("one|");
    inputline_history_next(in);
    check("two|");
    inputline_history_next(in);
    check("draft in progress|");
    /* Below the draft there is nothing. */
    inputline_history_next(in);
    check("draft in progress|");
    /* Browsing again saves the draft again. */
    inputline_history_prev(in);
    inputline_history_next(in);
    check("draft in progress|");
}

static void test_history_edit_then_browse(void **state)
{
    take_text("one");
    take_text("two");
    inputline_history_prev(in);
    inputline_insert(in, "!");
    check("two!|");
    /* Sending an edited entry adds it as new; the browse position resets,
     * and the draft (empty) is gone. */
    g_autofree char *sent = inputline_take(in, TRUE);
    assert_string_equal(sent, "two!");
    inputline_history_prev(in);
    check("two!|");
    inputline_history_prev(in);
    check("two|");
    inputline_history_next(in);
    inputline_history_next(in);
    check("|");
}

static void test_history_next_without_browsing(void **state)
{
    take_text("one");
    inputline_insert(in, "typing");
    inputline_history_next(in);
    check("typing|");
}

static void test_history_limit(void **state)
{
    for (int i = 0; i < 505; i++) {
        g_autofree char *line = g_strdup_printf("line %d", i);
        take_text(line);
    }
    /* Only the newest 500 are kept. */
    for (int i = 0; i < 600; i++)
        inputline_history_prev(in);
    check("line 5|");
    inputline_history_next(in);
    check("line 6|");
}

static void test_free_with_state(void **state)
{
    /* Freeing with a kill buffer, a draft and history must not leak or
     * crash (checked by the ASan build). */
    take_text("x");
    inputline_insert(in, "abc def");
    inputline_kill_word_back(in);
    inputline_history_prev(in);
    g_clear_pointer(&in, inputline_free);
    inputline_free(NULL);
    in = inputline_new();
    check("|");
}

static void test_replace_before_cursor(void **state)
{
    inputline_insert(in, "/acc rest");
    for (int i = 0; i < 5; i++)
        inputline_left(in);
    inputline_replace_before_cursor(in, 1, "account");
    check("/account| rest");
    /* A start after the cursor, or invalid UTF-8, changes nothing. */
    inputline_replace_before_cursor(in, 20, "x");
    inputline_replace_before_cursor(in, 0, "\xff");
    check("/account| rest");
}

static int setup_locale(void **state)
{
    return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty),
        T(test_insert),
        T(test_set_text_and_clear),
        T(test_left_right_multibyte),
        T(test_combining_marks_move_with_their_base),
        T(test_insert_before_leading_mark),
        T(test_insert_mark_joins_previous),
        T(test_delete),
        T(test_cursor_column),
        T(test_words),
        T(test_kill_and_yank),
        T(test_kill_words),
        T(test_empty_kill_keeps_kill_buffer),
        T(test_yank_without_kill),
        T(test_transpose),
        T(test_transpose_multibyte),
        T(test_take),
        T(test_take_without_remember),
        T(test_take_empty_not_remembered),
        T(test_history_duplicates_collapsed),
        T(test_history_per_window_and_global),
        T(test_history_browsing_keeps_draft),
        T(test_history_edit_then_browse),
        T(test_history_next_without_browsing),
        T(test_history_limit),
        T(test_free_with_state),
        T(test_replace_before_cursor),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("inputline", tests, setup_locale, NULL));
}
