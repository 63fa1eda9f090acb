/* fuzz_inputline.c: libFuzzer harness for the input line model
 * (src/ui/inputline.c).
 *
 * The input is a program: a byte below 0x20 is an editing operation (see
 * the switch below); a run of bytes from 0x20 up is text typed at the
 * cursor (invalid UTF-8 included, which must be ignored). After every step:
 * the text is valid UTF-8; the cursor is within it, on a character
 * boundary, and never between a character and the combining marks after
 * it; its column is the width of the text before it. Inserting, moving,
 * killing then yanking and taking the line are checked against what they
 * must do.
 *
 * Built with configure --enable-fuzzing; `make check` runs it briefly
 * (tests/fuzz/run-fuzzers.sh). For a long run by hand, in the build dir:
 *   mkdir -p /tmp/corpus && tests/fuzz/fuzz_inputline -max_total_time=3600 \
 *       /tmp/corpus $(top_srcdir)/tests/fuzz/corpus/inputline
 * A crash is saved as crash-* and replayed with tests/fuzz/fuzz_inputline
 * FILE. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/inputline.h"
#include "util/textwidth.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(gboolean ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

static void check_state(const InputLine *in)
{
    const char *text = inputline_text(in);
    gsize len = strlen(text);
    gsize cursor = inputline_cursor(in);
    check(g_utf8_validate(text, -1, NULL), "the text is valid UTF-8");
    check(cursor <= len, "the cursor is within the text");
    check(cursor == len || (text[cursor] & 0xC0) != 0x80,
          "the cursor is on a character boundary");
    if (cursor > 0 && cursor < len)
        check(text_char_width(g_utf8_get_char(text + cursor)) != 0,
              "the cursor is not between a character and its marks");
    check(inputline_cursor_column(in) == text_width(text, cursor),
          "the column is the width before the cursor");
}

/* Inserts TEXT and checks that it landed at the cursor. */
static void insert(InputLine *in, const char *text)
{
    char *before = g_strdup(inputline_text(in));
    gsize at = inputline_cursor(in);
    inputline_insert(in, text);
    const char *after = inputline_text(in);
    if (!g_utf8_validate(text, -1, NULL)) {
        check(strcmp(after, before) == 0, "invalid UTF-8 is ignored");
        check(inputline_cursor(in) == at, "the cursor stays");
    } else {
        gsize n = strlen(text);
        check(strlen(after) == strlen(before) + n, "the text grows by TEXT");
        check(memcmp(after, before, at) == 0, "the start is kept");
        check(memcmp(after + at, text, n) == 0, "TEXT is at the cursor");
        check(strcmp(after + at + n, before + at) == 0, "the end is kept");
        check(inputline_cursor(in) >= at + n, "the cursor is after TEXT");
    }
    g_free(before);
}

/* Runs KILL; if it removed something, yanking must put it back. */
static void kill_and_yank(InputLine *in, void (*kill)(InputLine *))
{
    char *before = g_strdup(inputline_text(in));
    gsize at = inputline_cursor(in);
    kill(in);
    check_state(in);
    if (strcmp(inputline_text(in), before) != 0) {
        inputline_yank(in);
        check(strcmp(inputline_text(in), before) == 0,
              "yank puts back what was killed");
        check(inputline_cursor(in) >= at, "the cursor is after the yank");
    }
    g_free(before);
}

static void take(InputLine *in, gboolean remember)
{
    char *before = g_strdup(inputline_text(in));
    char *taken = inputline_take(in, remember);
    check(strcmp(taken, before) == 0, "take returns the text");
    check(*inputline_text(in) == '\0' && inputline_cursor(in) == 0,
          "take empties the line");
    g_free(taken);
    g_free(before);
}

static void step(InputLine *in, uint8_t op)
{
    gsize cursor = inputline_cursor(in);
    gsize len = strlen(inputline_text(in));
    switch (op) {
    case 0:
        inputline_delete_back(in);
        check(strlen(inputline_text(in)) <= len, "delete never grows");
        break;
    case 1:
        inputline_delete_forward(in);
        check(inputline_cursor(in) == cursor, "delete forward stays");
        break;
    case 2:
        inputline_left(in);
        check(inputline_cursor(in) < cursor || cursor == 0, "left moves left");
        break;
    case 3:
        inputline_right(in);
        check(inputline_cursor(in) > cursor || cursor == len,
              "right moves right");
        break;
    case 4:
        inputline_home(in);
        check(inputline_cursor(in) == 0, "home");
        break;
    case 5:
        inputline_end(in);
        check(inputline_cursor(in) == len, "end");
        break;
    case 6:
        inputline_word_left(in);
        check(inputline_cursor(in) <= cursor, "word left");
        break;
    case 7:
        inputline_word_right(in);
        check(inputline_cursor(in) >= cursor, "word right");
        break;
    case 8:
        inputline_kill_to_end(in);
        break;
    case 9:
        inputline_kill_to_start(in);
        break;
    case 10:
        inputline_kill_word_back(in);
        break;
    case 11:
        inputline_kill_word_forward(in);
        break;
    case 12:
        inputline_yank(in);
        break;
    case 13:
        inputline_transpose(in);
        check(strlen(inputline_text(in)) == len, "transpose keeps the length");
        break;
    case 14:
        take(in, TRUE);
        break;
    case 15:
        take(in, FALSE);
        break;
    case 16:
        inputline_history_prev(in);
        break;
    case 17:
        inputline_history_next(in);
        break;
    case 18:
        inputline_clear(in);
        check(*inputline_text(in) == '\0', "clear empties");
        break;
    case 19:
        insert(in, "\xcc\x81"); /* COMBINING ACUTE ACCENT */
        break;
    case 20:
        insert(in, "\xe4\xb8\xad"); /* a wide CJK character */
        break;
    case 21:
        insert(in, "\xf0\x9f\x98\x80"); /* an emoji */
        break;
    case 22:
        insert(in, " ");
        break;
    case 23:
        inputline_set_text(in, "e\xcc\x81 x\xcc\x88\xcc\x81 \xe4\xb8\xad");
        check(inputline_cursor(in) == strlen(inputline_text(in)),
              "set_text puts the cursor at the end");
        break;
    case 24:
        insert(in, "\xcc\x81\xcc\x88"); /* two marks */
        break;
    case 25:
        insert(in, "\t");
        break;
    case 26:
        kill_and_yank(in, inputline_kill_to_end);
        break;
    case 27:
        kill_and_yank(in, inputline_kill_word_back);
        break;
    case 28:
        kill_and_yank(in, inputline_kill_to_start);
        break;
    case 29:
        kill_and_yank(in, inputline_kill_word_forward);
        break;
    default:
        break;
    }
    check_state(in);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* Widths and combining marks come from wcwidth(). */
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

/* Killing the whole line and yanking twice doubles it: without a bound, a
 * few dozen bytes of input make gigabytes of text. */
#define MAX_TEXT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    InputLine *in = inputline_new();
    size_t i = 0;
    while (i < size) {
        if (strlen(inputline_text(in)) > MAX_TEXT)
            inputline_clear(in);
        if (data[i] < 0x20) {
            step(in, data[i]);
            i++;
            continue;
        }
        size_t start = i;
        while (i < size && data[i] >= 0x20)
            i++;
        char *text = g_strndup((const char *)data + start, i - start);
        insert(in, text);
        check_state(in);
        g_free(text);
    }
    inputline_free(in);
    return 0;
}
