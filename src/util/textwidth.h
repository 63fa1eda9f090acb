/* textwidth.h: terminal column widths of UTF-8 text, from wcwidth(3) so that
 * they agree with what curses and the terminal do. Needs a UTF-8 LC_CTYPE
 * (main() sets the locale). Pure functions. */
#pragma once

#include <glib.h>

/* Columns taken by C: 0 for combining marks and zero-width characters, 2 for
 * wide ones, 1 otherwise (also for characters wcwidth does not know). */
int text_char_width(gunichar c);

/* Columns taken by the valid UTF-8 string S (up to LEN bytes, or -1). */
gsize text_width(const char *s, gssize len);

/* The longest prefix of S (up to LEN bytes, or -1) that fits in COLS
 * columns, never splitting a character from the combining marks that follow
 * it. Returns its length in bytes; *WIDTH (if not NULL) gets its width. */
gsize text_prefix_for_width(const char *s, gssize len, gsize cols,
                            gsize *width);
