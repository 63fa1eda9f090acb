/* fuzz_command_split.c: libFuzzer harness for command_split()
 * (src/command/parse.c).
 *
 * The first byte chooses the mode: max_words = (byte & 7) - 1 (so -1 to 6)
 * and rest = byte & 8; the remaining bytes, up to a NUL, are the line.
 * Invariants: NULL exactly when an error is set; the vector is
 * NULL-terminated; without rest, max_words changes nothing; with rest, at
 * most max_words words, and when the last word took the rest of the line
 * it is that rest verbatim (a suffix of the line starting with a non-blank)
 * while the words before it are what splitting the line up to there gives.
 *
 * Built with configure --enable-fuzzing; `make check` runs it briefly
 * (tests/fuzz/run-fuzzers.sh). For a long run by hand, in the build dir:
 *   mkdir -p /tmp/corpus && tests/fuzz/fuzz_command_split \
 *       -max_total_time=3600 /tmp/corpus \
 *       $(top_srcdir)/tests/fuzz/corpus/command_split
 * A crash is saved as crash-* and replayed with
 * tests/fuzz/fuzz_command_split FILE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/command.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(gboolean ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

/* Splits and checks what holds for every mode. */
static char **split(const char *line, int max_words, gboolean rest)
{
    GError *error = NULL;
    char **words = command_split(line, max_words, rest, &error);
    check((words == NULL) == (error != NULL), "NULL exactly with an error");
    if (error) {
        check(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID),
              "errors are NATTER_ERROR_INVALID");
        g_error_free(error);
        return NULL;
    }
    /* NULL-terminated: counting ends, and every word is a string. */
    guint n = g_strv_length(words);
    for (guint i = 0; i < n; i++)
        check(words[i] != NULL && strlen(words[i]) <= strlen(line),
              "words are no longer than the line");
    check(words[n] == NULL, "NULL-terminated");
    return words;
}

static gboolean same_words(char **a, char **b, guint n)
{
    for (guint i = 0; i < n; i++) {
        if (!a[i] || !b[i] || strcmp(a[i], b[i]) != 0)
            return FALSE;
    }
    return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int max_words = (data[0] & 7) - 1;
    gboolean rest = (data[0] & 8) != 0;
    char *line = g_strndup((const char *)data + 1, size - 1);

    char **all = split(line, -1, FALSE);
    char **words = split(line, max_words, rest);

    if (!rest || max_words <= 0) {
        /* Without rest mode the maximum plays no part in splitting. */
        check((all == NULL) == (words == NULL), "same outcome without rest");
        if (all)
            check(g_strv_length(all) == g_strv_length(words) &&
                      same_words(all, words, g_strv_length(all)),
                  "same words without rest");
    } else if (words) {
        guint n = g_strv_length(words);
        check(n <= (guint)max_words, "at most max_words words");
        if (n < (guint)max_words) {
            /* Nothing was joined: the plain split is the same. */
            check(all != NULL && g_strv_length(all) == n &&
                      same_words(all, words, n),
                  "fewer words than the maximum: a plain split");
        } else {
            const char *last = words[n - 1];
            gsize line_len = strlen(line), last_len = strlen(last);
            check(last_len > 0 && last_len <= line_len,
                  "the rest is not empty");
            const char *start = line + line_len - last_len;
            check(strcmp(start, last) == 0, "the rest is a suffix, verbatim");
            check(*start != ' ' && *start != '\t',
                  "the rest starts with a non-blank");
            /* The words before it come from the line up to the rest. */
            char *head = g_strndup(line, start - line);
            char **before = split(head, -1, FALSE);
            check(before != NULL && g_strv_length(before) == n - 1 &&
                      same_words(before, words, n - 1),
                  "the words before the rest split the same alone");
            if (all && g_strv_length(all) >= n)
                check(same_words(all, words, n - 1),
                      "the words before the rest match a plain split");
            g_strfreev(before);
            g_free(head);
        }
    }
    g_strfreev(all);
    g_strfreev(words);
    g_free(line);
    return 0;
}
