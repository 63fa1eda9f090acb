/* textwidth.c: see textwidth.h. */
#define _XOPEN_SOURCE 700
#include "util/textwidth.h"

#include <string.h>
#include <wchar.h>

int text_char_width(gunichar c)
{
    int w = wcwidth((wchar_t)c);
    if (w >= 0)
        return w;
    /* Unknown to the C library: a sanitised string only holds printable
     * characters, so assume one column like most terminals do. */
    return 1;
}

gsize text_width(const char *s, gssize len)
{
    const char *end = s + (len < 0 ? strlen(s) : (gsize)len);
    gsize width = 0;
    for (const char *p = s; p < end; p = g_utf8_next_char(p))
        width += text_char_width(g_utf8_get_char(p));
    return width;
}

gsize text_prefix_for_width(const char *s, gssize len, gsize cols, gsize *width)
{
    const char *end = s + (len < 0 ? strlen(s) : (gsize)len);
    gsize used = 0;
    const char *p = s;
    while (p < end) {
        int w = text_char_width(g_utf8_get_char(p));
        if (used + w > cols)
            break;
        used += w;
        p = g_utf8_next_char(p);
    }
    if (width)
        *width = used;
    return p - s;
}
