/* fuzz_sanitize.c: libFuzzer harness for text_sanitize() and
 * text_is_safe() (src/util/sanitize.c).
 *
 * The input is the text, with its length (so NULs are inside), sanitised
 * in both modes. Invariants: the output is valid UTF-8 without C0 controls
 * (except '\n' in multi-line mode), DEL, C1 controls, line or paragraph
 * separators, bidi controls or noncharacters; each C0 control (NUL
 * included) and DEL gives one control picture, each line break one '\n' in
 * multi-line mode; text_is_safe() says TRUE exactly when nothing changes;
 * sanitising the output changes nothing.
 *
 * Built with configure --enable-fuzzing; `make check` runs it briefly
 * (tests/fuzz/run-fuzzers.sh). For a long run by hand, in the build dir:
 *   mkdir -p /tmp/corpus && tests/fuzz/fuzz_sanitize -max_total_time=3600 \
 *       /tmp/corpus $(top_srcdir)/tests/fuzz/corpus/sanitize
 * New inputs go to the first directory; a crash is saved as crash-* and
 * replayed with tests/fuzz/fuzz_sanitize crash-FILE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(gboolean ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

static gboolean is_bidi_control(gunichar c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200E || c == 0x200F || c == 0x061C;
}

static gboolean is_noncharacter(gunichar c)
{
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

static void check_output(const char *out, SanitizeFlags flags)
{
    gboolean multiline = (flags & SANITIZE_MULTILINE) != 0;
    check(g_utf8_validate(out, -1, NULL), "output is valid UTF-8");
    for (const char *p = out; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n')
            check(multiline, "a newline only in multi-line mode");
        else
            check(c >= 0x20, "no C0 control");
        check(c != 0x7F, "no DEL");
        check(c < 0x80 || c > 0x9F, "no C1 control");
        check(c != 0x2028 && c != 0x2029, "no line/paragraph separator");
        check(!is_bidi_control(c), "no bidi control");
        check(!is_noncharacter(c), "no noncharacter");
    }
}

/* Control pictures (U+2400-U+241F, U+2421) in the UTF-8 at P: their byte
 * patterns E2 90 80-9F and E2 90 A1 are always complete characters. */
static gsize count_pictures(const char *p, gsize size)
{
    gsize n = 0;
    for (gsize i = 0; i + 2 < size; i++) {
        guchar b = (guchar)p[i + 2];
        if ((guchar)p[i] == 0xE2 && (guchar)p[i + 1] == 0x90 &&
            ((b >= 0x80 && b <= 0x9F) || b == 0xA1))
            n++;
    }
    return n;
}

/* Line breaks in the input: CR LF counts once, CR, LF, U+2028 and U+2029
 * (E2 80 A8 and E2 80 A9, always complete characters) once each. */
static gsize count_breaks(const char *p, gsize size)
{
    gsize n = 0;
    for (gsize i = 0; i < size; i++) {
        if (p[i] == '\r') {
            n++;
            if (i + 1 < size && p[i + 1] == '\n')
                i++;
        } else if (p[i] == '\n') {
            n++;
        } else if (i + 2 < size && (guchar)p[i] == 0xE2 &&
                   (guchar)p[i + 1] == 0x80 &&
                   ((guchar)p[i + 2] == 0xA8 || (guchar)p[i + 2] == 0xA9)) {
            n++;
            i += 2;
        }
    }
    return n;
}

static void check_counts(const char *text, gsize size, const char *out,
                         SanitizeFlags flags)
{
    /* Every C0 control but tab and line breaks, NUL included, and every
     * DEL becomes exactly one control picture; pictures already in the
     * text stay. */
    gsize controls = 0;
    for (gsize i = 0; i < size; i++) {
        guchar c = (guchar)text[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            controls++;
    }
    gsize out_len = strlen(out);
    check(count_pictures(out, out_len) == count_pictures(text, size) + controls,
          "one control picture per control character");
    if (flags & SANITIZE_MULTILINE) {
        gsize newlines = 0;
        for (const char *p = out; *p; p++)
            newlines += *p == '\n';
        check(newlines == count_breaks(text, size),
              "one newline per line break");
    }
}

static void run(const char *text, gsize size, SanitizeFlags flags)
{
    char *out = text_sanitize(text, (gssize)size, flags);
    check(out != NULL, "never NULL");
    check_output(out, flags);
    check_counts(text, size, out, flags);

    gsize out_len = strlen(out);
    gboolean same = out_len == size && memcmp(out, text, size) == 0;
    check(text_is_safe(text, (gssize)size, flags) == same,
          "text_is_safe() agrees with text_sanitize()");
    check(text_is_safe(out, -1, flags), "the output is safe");

    char *again = text_sanitize(out, -1, flags);
    check(strcmp(again, out) == 0, "sanitising is idempotent");
    g_free(again);

    /* Without a length, the text ends at the first NUL. */
    gsize until_nul = strnlen(text, size);
    if (until_nul == size) {
        char *copy = g_strndup(text, size);
        char *by_nul = text_sanitize(copy, -1, flags);
        check(strcmp(by_nul, out) == 0, "-1 and the length agree");
        g_free(by_nul);
        g_free(copy);
    }
    g_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly SIZE bytes, so that reading past it is caught. */
    char *text = g_malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    run(text, size, SANITIZE_LINE);
    run(text, size, SANITIZE_MULTILINE);
    g_free(text);
    return 0;
}
