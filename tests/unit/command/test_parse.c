/* test_parse.c: unit tests for src/command/parse.c: splitting a command
 * line into words, and option pairs. */
#include "../unit.h"

#include <string.h>

#include "command/command.h"
#include "util/error.h"

/* Splits ARGS and compares with EXPECTED, a NULL-terminated list. */
static void check_split_full(const char *args, int max_words, gboolean rest,
                             const char *const *expected)
{
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) words = command_split(args, max_words, rest, &error);
    if (!words)
        fail_msg("splitting '%s' failed: %s\n", args, error->message);
    assert_null(error);
    guint n = g_strv_length((char **)expected);
    if (g_strv_length(words) != n) {
        g_autofree char *got = g_strjoinv("|", words);
        fail_msg("'%s' gave %u words (%s), expected %u\n", args,
                 g_strv_length(words), got, n);
    }
    for (guint i = 0; i < n; i++)
        assert_string_equal(words[i], expected[i]);
    assert_null(words[n]);
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_WORDS   ((const char *const[]){NULL})

static void check_split(const char *args, const char *const *expected)
{
    check_split_full(args, -1, FALSE, expected);
}

static void check_split_fails(const char *args, int max_words, gboolean rest)
{
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) words = command_split(args, max_words, rest, &error);
    if (words)
        fail_msg("splitting '%s' should have failed\n", args);
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));
    assert_string_equal(error->message, "a quote is not closed");
}

static void test_whitespace(void **state)
{
    check_split("", NO_WORDS);
    check_split(NULL, NO_WORDS);
    check_split("   \t ", NO_WORDS);
    check_split("one", WORDS("one"));
    check_split("a b c", WORDS("a", "b", "c"));
    check_split("  a \t b\t\tc  ", WORDS("a", "b", "c"));
    /* Only space and tab separate. */
    check_split("a\nb", WORDS("a\nb"));
    check_split("h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c",
                WORDS("h\xc3\xa9llo", "\xe4\xb8\x96\xe7\x95\x8c"));
}

static void test_quotes(void **state)
{
    check_split("\"hello world\" x", WORDS("hello world", "x"));
    check_split("x \"  spaced  \"", WORDS("x", "  spaced  "));
    check_split("\"\"", WORDS(""));
    check_split("a \"\" b", WORDS("a", "", "b"));
    /* Quotes group within a word and are removed. */
    check_split("a\"b c\"d", WORDS("ab cd"));
    check_split("\"a\"\"b\"", WORDS("ab"));
    check_split("pre\"\"post", WORDS("prepost"));
}

static void test_escapes(void **state)
{
    check_split("\"say \\\"hi\\\"\"", WORDS("say \"hi\""));
    check_split("\"back\\\\slash\"", WORDS("back\\slash"));
    /* Other backslashes inside quotes are kept as they are. */
    check_split("\"a\\nb\"", WORDS("a\\nb"));
    check_split("\"C:\\dir\"", WORDS("C:\\dir"));
    /* Outside quotes a backslash is an ordinary character. */
    check_split("a\\b c\\", WORDS("a\\b", "c\\"));
    /* An escaped quote does not close the quote. */
    check_split("\"a\\\" b\" c", WORDS("a\" b", "c"));
    check_split("\"\\\\\" x", WORDS("\\", "x"));
}

static void test_unterminated_quote(void **state)
{
    check_split_fails("\"abc", -1, FALSE);
    check_split_fails("a \"b c", -1, FALSE);
    check_split_fails("\"", -1, FALSE);
    check_split_fails("\"abc\\\"", -1, FALSE);
    check_split_fails("ok \"fine\" \"not", 5, FALSE);
    /* Before the rest begins, quotes still count. */
    check_split_fails("\"a b c", 2, TRUE);
}

static void test_rest(void **state)
{
    /* The last word is the rest of the line as typed: spaces, quotes and
     * backslashes included. */
    check_split_full("bob@example.org hello   world  ", 2, TRUE,
                     WORDS("bob@example.org", "hello   world  "));
    check_split_full("bob \"quoted\" \\text", 2, TRUE,
                     WORDS("bob", "\"quoted\" \\text"));
    check_split_full("a \"unclosed", 2, TRUE, WORDS("a", "\"unclosed"));
    check_split_full("  lead   and more ", 1, TRUE, WORDS("lead   and more "));
    check_split_full("set work password  pass word ", 4, TRUE,
                     WORDS("set", "work", "password", "pass word "));
    /* Quoted words before the rest are split as usual. */
    check_split_full("\"a b\" c d", 2, TRUE, WORDS("a b", "c d"));
    /* Fewer words than the maximum: nothing to join. */
    check_split_full("one", 2, TRUE, WORDS("one"));
    check_split_full("one two", 3, TRUE, WORDS("one", "two"));
    check_split_full("", 2, TRUE, NO_WORDS);
    check_split_full("   ", 1, TRUE, NO_WORDS);
    /* Without REST, or without a maximum, every word is split. */
    check_split_full("a b c", 2, FALSE, WORDS("a", "b", "c"));
    check_split_full("a b c", -1, TRUE, WORDS("a", "b", "c"));
    check_split_full("a b c", 0, TRUE, WORDS("a", "b", "c"));
}

static void test_options(void **state)
{
    static const char *const keys[] = {"server", "port", "tls", NULL};
    char *argv[] = {"server", "127.0.0.1", "port", "5222", NULL};
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) options =
        command_parse_options(argv, 4, keys, &error);
    assert_non_null(options);
    assert_null(error);
    assert_int_equal(g_hash_table_size(options), 2);
    /* Values are borrowed from ARGV. */
    assert_ptr_equal(g_hash_table_lookup(options, "server"), argv[1]);
    assert_ptr_equal(g_hash_table_lookup(options, "port"), argv[3]);
    assert_null(g_hash_table_lookup(options, "tls"));
    /* Keys are the strings of KEYS. */
    gpointer key = NULL;
    assert_true(g_hash_table_lookup_extended(options, "port", &key, NULL));
    assert_ptr_equal(key, keys[1]);
}

static void test_options_empty_and_repeated(void **state)
{
    static const char *const keys[] = {"server", "port", NULL};
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) none = command_parse_options(NULL, 0, keys, &error);
    assert_non_null(none);
    assert_int_equal(g_hash_table_size(none), 0);

    char *argv[] = {"port", "1", "port", "2", NULL};
    g_autoptr(GHashTable) twice = command_parse_options(argv, 4, keys, &error);
    assert_non_null(twice);
    /* The last one wins. */
    assert_string_equal(g_hash_table_lookup(twice, "port"), "2");
    assert_int_equal(g_hash_table_size(twice), 1);
}

static void test_options_errors(void **state)
{
    static const char *const keys[] = {"server", "port", "tls", NULL};
    char *unknown[] = {"server", "h", "colour", "blue", NULL};
    g_autoptr(GError) error = NULL;
    assert_null(command_parse_options(unknown, 4, keys, &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));
    assert_string_equal(error->message, "unknown option 'colour' (expected "
                                        "one of: server, port, tls)");
    g_clear_error(&error);

    char *missing[] = {"server", "h", "port", NULL};
    assert_null(command_parse_options(missing, 3, keys, &error));
    assert_string_equal(error->message, "option 'port' needs a value");
    g_clear_error(&error);

    /* Keys are case-sensitive and must be whole words. */
    char *upper[] = {"Server", "h", NULL};
    assert_null(command_parse_options(upper, 2, keys, &error));
    g_clear_error(&error);
    char *prefix[] = {"serv", "h", NULL};
    assert_null(command_parse_options(prefix, 2, keys, &error));
    g_clear_error(&error);
    /* A value in the place of a key is reported as an unknown option. */
    char *shifted[] = {"h", "server", NULL};
    assert_null(command_parse_options(shifted, 2, keys, &error));
    assert_non_null(strstr(error->message, "unknown option 'h'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_rest),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_options_empty_and_repeated),
        cmocka_unit_test(test_options_errors),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("parse", tests, NULL, NULL));
}
