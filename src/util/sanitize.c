/* sanitize.c: see sanitize.h. One pass over the bytes; the common case (plain
 * printable text) is copied through unchanged. */
#include "util/sanitize.h"

#include <string.h>

#define REPLACEMENT      0xFFFD
#define CONTROL_PICTURES 0x2400
#define DEL_PICTURE      0x2421

static gboolean is_bidi_control(gunichar c)
{
    return (c >= 0x202A && c <= 0x202E) || /* LRE RLE PDF LRO RLO */
           (c >= 0x2066 && c <= 0x2069) || /* LRI RLI FSI PDI */
           c == 0x200E || c == 0x200F ||   /* LRM RLM */
           c == 0x061C;                    /* ALM */
}

static gboolean is_noncharacter(gunichar c)
{
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* Appends the safe form of C to OUT. PREV_CR tracks a CR so that CR LF
 * gives one newline. */
static void append_char(GString *out, gunichar c, SanitizeFlags flags,
                        gboolean *prev_cr)
{
    gboolean multiline = (flags & SANITIZE_MULTILINE) != 0;
    gboolean was_cr = *prev_cr;
    *prev_cr = FALSE;

    if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029) {
        if (c == '\n' && was_cr)
            return; /* the CR already produced the line break */
        *prev_cr = (c == '\r');
        g_string_append_c(out, multiline ? '\n' : ' ');
    } else if (c == '\t') {
        g_string_append(out, multiline ? "    " : " ");
    } else if (c < 0x20) {
        g_string_append_unichar(out, CONTROL_PICTURES + c);
    } else if (c == 0x7F) {
        g_string_append_unichar(out, DEL_PICTURE);
    } else if ((c >= 0x80 && c <= 0x9F) || is_bidi_control(c) ||
               is_noncharacter(c)) {
        g_string_append_unichar(out, REPLACEMENT);
    } else {
        g_string_append_unichar(out, c);
    }
}

static gboolean char_is_safe(gunichar c, SanitizeFlags flags)
{
    if (c == '\n')
        return (flags & SANITIZE_MULTILINE) != 0;
    return c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F) && c != 0x2028 &&
           c != 0x2029 && !is_bidi_control(c) && !is_noncharacter(c);
}

gboolean text_is_safe(const char *text, gssize len, SanitizeFlags flags)
{
    if (!text)
        return TRUE;
    gsize n = len < 0 ? strlen(text) : (gsize)len;
    const char *end;
    if (!g_utf8_validate_len(text, n, &end))
        return FALSE;
    for (const char *p = text; p < text + n; p = g_utf8_next_char(p)) {
        if (!char_is_safe(g_utf8_get_char(p), flags))
            return FALSE;
    }
    return TRUE;
}

char *text_sanitize(const char *text, gssize len, SanitizeFlags flags)
{
    if (!text)
        return g_strdup("");
    gsize n = len < 0 ? strlen(text) : (gsize)len;
    if (text_is_safe(text, n, flags))
        return g_strndup(text, n);

    GString *out = g_string_sized_new(n + 16);
    const char *p = text;
    const char *end = text + n;
    gboolean prev_cr = FALSE;

    while (p < end) {
        if (*p == '\0') {
            /* GLib's decoder refuses U+0000; it is a C0 control like the
             * others and gets its control picture. */
            append_char(out, 0, flags, &prev_cr);
            p++;
            continue;
        }
        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            /* Invalid or truncated sequence: replace one byte, resync. */
            g_string_append_unichar(out, REPLACEMENT);
            prev_cr = FALSE;
            p++;
            continue;
        }
        append_char(out, c, flags, &prev_cr);
        p = g_utf8_next_char(p);
    }
    return g_string_free(out, FALSE);
}
