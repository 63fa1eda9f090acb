/* redact.c: see redact.h. A small scanner, not a parser: it looks for start
 * tags of the secret elements and blanks everything up to their matching
 * end tag. An element whose end is missing (a fragment) is blanked to the
 * end of the text, so a secret is never shown because the text was cut. */
#include "util/redact.h"

#include <string.h>

static const char *const secret_elements[] = {
    "auth", "response", "challenge", "success", "password",
};

static gboolean is_name_char(char c)
{
    return c && !g_ascii_isspace(c) && c != '>' && c != '/' && c != '<';
}

/* TRUE when the start tag TAG (from '<' to '>' included, length LEN) is a
 * data form field for a secret: its var is "password", or its type
 * "text-private" (a room's password in its configuration form, in the
 * form the room sends and in the one natter submits, which says the type
 * too for this). */
static gboolean is_password_field(const char *tag, gsize len)
{
    g_autofree char *copy = g_strndup(tag, len);
    return strstr(copy, "var='password'") || strstr(copy, "var=\"password\"") ||
           strstr(copy, "type='text-private'") ||
           strstr(copy, "type=\"text-private\"");
}

static gboolean is_secret(const char *local, gsize len, const char *tag,
                          gsize tag_len)
{
    for (guint i = 0; i < G_N_ELEMENTS(secret_elements); i++)
        if (strlen(secret_elements[i]) == len &&
            strncmp(secret_elements[i], local, len) == 0)
            return TRUE;
    return len == 5 && strncmp(local, "field", 5) == 0 &&
           is_password_field(tag, tag_len);
}

char *redact_xml(const char *xml)
{
    GString *out = g_string_new(NULL);
    const char *p = xml;
    while (*p) {
        const char *lt = strchr(p, '<');
        if (!lt) {
            g_string_append(out, p);
            break;
        }
        g_string_append_len(out, p, lt - p);
        const char *name = lt + 1;
        const char *end_name = name;
        while (is_name_char(*end_name))
            end_name++;
        const char *gt = strchr(end_name, '>');
        if (!gt || end_name == name || *name == '!' || *name == '?') {
            /* not a start tag we can read: copy the '<' and go on */
            g_string_append_c(out, '<');
            p = lt + 1;
            continue;
        }
        const char *colon = memchr(name, ':', end_name - name);
        const char *local = colon ? colon + 1 : name;
        gsize tag_len = gt - lt + 1;
        g_string_append_len(out, lt, tag_len);
        p = gt + 1;
        if (gt[-1] == '/' || !is_secret(local, end_name - local, lt, tag_len))
            continue;

        g_autofree char *closing =
            g_strdup_printf("</%.*s>", (int)(end_name - name), name);
        const char *close = strstr(p, closing);
        if (close != p)
            g_string_append(out, REDACT_MARK);
        if (!close)
            break; /* cut short: hide the rest */
        p = close;
    }
    return g_string_free(out, FALSE);
}
