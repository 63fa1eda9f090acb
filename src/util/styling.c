/* styling.c: see styling.h. Works line by line as XEP-0393 does: a line
 * of ``` opens or closes a preformatted block, a line starting with '>'
 * is a quote, and spans never cross a line. A span opens on a directive
 * at the start of the text or after whitespace that is not followed by
 * whitespace, and closes on the next same directive that is not preceded
 * by whitespace, with at least one character between (§6.2). */
#include "util/styling.h"

#include <string.h>

static const struct {
    char directive;
    guint flag;
} spans[] = {
    {'*', STYLING_STRONG},
    {'_', STYLING_EMPHASIS},
    {'`', STYLING_PRE},
    {'~', STYLING_STRIKE},
};

static gboolean is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Marks the spans of LINE [start, end) in FLAGS. */
static void mark_spans(const char *text, gsize start, gsize end, guint8 *flags)
{
    gsize i = start;
    while (i < end) {
        guint flag = 0;
        char d = text[i];
        for (guint k = 0; k < G_N_ELEMENTS(spans); k++)
            if (spans[k].directive == d)
                flag = spans[k].flag;
        gboolean may_open = flag && (i == start || is_space(text[i - 1])) &&
                            i + 1 < end && !is_space(text[i + 1]);
        if (!may_open) {
            i++;
            continue;
        }
        gsize close = 0;
        for (gsize j = i + 2; j < end; j++) {
            if (text[j] == d && !is_space(text[j - 1])) {
                close = j;
                break;
            }
        }
        if (!close) {
            i++;
            continue;
        }
        for (gsize j = i; j <= close; j++)
            flags[j] |= flag;
        if (flag == STYLING_PRE) {
            i = close + 1; /* nothing inside a pre span is styled */
            continue;
        }
        /* Spans nest: look inside, then go on after this one. */
        mark_spans(text, i + 1, close, flags);
        i = close + 1;
    }
}

static const char *const schemes[] = {"https://", "http://",
                                      "xmpp:", "mailto:", "ftp://"};

static void mark_urls(const char *text, gsize len, guint8 *flags)
{
    for (gsize i = 0; i < len; i++) {
        if (i > 0 && !is_space(text[i - 1]) && text[i - 1] != '(' &&
            text[i - 1] != '<')
            continue;
        gsize scheme = 0;
        for (guint k = 0; k < G_N_ELEMENTS(schemes); k++) {
            gsize n = strlen(schemes[k]);
            if (i + n < len &&
                g_ascii_strncasecmp(text + i, schemes[k], n) == 0)
                scheme = n;
        }
        if (!scheme)
            continue;
        gsize end = i + scheme;
        while (end < len && !is_space(text[end]) && text[end] != '>')
            end++;
        /* Punctuation after a link belongs to the sentence. */
        while (end > i + scheme && strchr(".,;:!?)]'\"", text[end - 1]))
            end--;
        if (end == i + scheme)
            continue;
        for (gsize j = i; j < end; j++)
            flags[j] |= STYLING_URL;
        i = end;
    }
}

GArray *styling_parse(const char *text, gssize length)
{
    gsize len = length < 0 ? strlen(text) : (gsize)length;
    g_autofree guint8 *flags = g_new0(guint8, len + 1);
    gboolean in_block = FALSE;
    gsize line = 0;
    while (line < len) {
        const char *nl = memchr(text + line, '\n', len - line);
        gsize end = nl ? (gsize)(nl - text) : len;
        gboolean fence = end - line >= 3 && strncmp(text + line, "```", 3) == 0;
        if (fence || in_block) {
            for (gsize j = line; j < end; j++)
                flags[j] |= STYLING_PRE;
            /* An opening fence needs a closing one later (§6.1). */
            if (fence && !in_block)
                in_block =
                    nl && g_strstr_len(nl, len - (nl - text), "\n```") != NULL;
            else if (fence)
                in_block = FALSE;
        } else if (text[line] == '>') {
            for (gsize j = line; j < end; j++)
                flags[j] |= STYLING_QUOTE;
            mark_spans(text, line + 1, end, flags);
        } else {
            mark_spans(text, line, end, flags);
        }
        line = end + 1;
    }
    mark_urls(text, len, flags);

    GArray *runs = g_array_new(FALSE, FALSE, sizeof(StylingRun));
    gsize start = 0;
    for (gsize i = 1; i <= len; i++) {
        if (i == len || flags[i] != flags[start]) {
            StylingRun run = {start, i, flags[start]};
            g_array_append_val(runs, run);
            start = i;
        }
    }
    return runs;
}
