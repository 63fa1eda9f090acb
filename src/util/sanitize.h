/* sanitize.h: the one sanitiser between network text and the terminal.
 *
 * Every string that came from the network (bodies, nicks, status texts,
 * subjects, resource names, error texts, raw XML) passes text_sanitize()
 * before it is drawn, printed or put in a buffer line. Nothing else in natter
 * filters terminal control characters; nothing draws unsanitised text. */
#pragma once

#include <glib.h>

typedef enum {
    /* One line: newlines and tabs become spaces. */
    SANITIZE_LINE = 0,
    /* Keep line structure: CR LF, CR, U+2028 and U+2029 become '\n',
     * a tab becomes four spaces. */
    SANITIZE_MULTILINE = 1 << 0,
} SanitizeFlags;

/* Returns a new, valid UTF-8 string safe to write to a terminal (caller
 * frees; never NULL; TEXT may be NULL, giving ""). LEN is in bytes, or -1
 * for a NUL-terminated TEXT. What changes:
 *   - invalid UTF-8: each bad byte becomes U+FFFD;
 *   - C0 controls other than the structure above, ESC included: the visible
 *     control picture (ESC -> U+241B), DEL -> U+2421;
 *   - C1 controls (U+0080-U+009F), bidirectional embeddings, overrides,
 *     isolates and marks, noncharacters: U+FFFD.
 * An embedded NUL (when LEN is given) is shown as U+2400 like other C0. */
char *text_sanitize(const char *text, gssize len, SanitizeFlags flags);

/* TRUE when text_sanitize() would return TEXT unchanged. */
gboolean text_is_safe(const char *text, gssize len, SanitizeFlags flags);
