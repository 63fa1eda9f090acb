/* jid.c: XMPP address parsing (RFC 7622), simplified to what a client needs:
 * structure, lengths, forbidden characters, and case/Unicode normalisation of
 * the local part and domain so that comparisons are meaningful. Full PRECIS
 * profiles are not applied; the server remains the authority on validity. */
#include "util/jid.h"

#include <string.h>

#include "util/error.h"

#define JID_PART_MAX 1023

static gboolean has_control_or_space(const char *s)
{
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_iscntrl(c) || g_unichar_isspace(c))
            return TRUE;
    }
    return FALSE;
}

static gboolean is_ascii(const char *s, gssize len)
{
    for (gssize i = 0; len < 0 ? s[i] != '\0' : i < len; i++) {
        if ((guchar)s[i] >= 0x80)
            return FALSE;
    }
    return TRUE;
}

/* NFC, optionally lower-cased. Returns NULL if the result is too long.
 * Nearly every address is ASCII, already NFC, and lower-cased the same
 * in every locale (g_utf8_strdown would follow a Turkish one: "I" to a
 * dotless i, which no server does); it skips the Unicode tables, which
 * were a tenth of the work of a message burst. */
static char *normalise(const char *s, gssize len, gboolean fold)
{
    if (is_ascii(s, len)) {
        gsize n = len < 0 ? strlen(s) : (gsize)len;
        if (n > JID_PART_MAX)
            return NULL;
        return fold ? g_ascii_strdown(s, (gssize)n) : g_strndup(s, n);
    }
    g_autofree char *nfc = g_utf8_normalize(s, len, G_NORMALIZE_NFC);
    if (!nfc)
        return NULL;
    char *out = fold ? g_utf8_strdown(nfc, -1) : g_steal_pointer(&nfc);
    if (strlen(out) > JID_PART_MAX) {
        g_free(out);
        return NULL;
    }
    return out;
}

static gboolean fail(GError **error, const char *str, const char *why)
{
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "'%s' is not a valid XMPP address: %s", str, why);
    return FALSE;
}

static gboolean parse_domain(Jid *jid, const char *start, gssize len,
                             const char *str, GError **error)
{
    /* A trailing dot names the same domain (RFC 7622 §3.2). */
    if (len > 0 && start[len - 1] == '.')
        len--;
    if (len <= 0)
        return fail(error, str, "the domain is empty");
    /* Only one trailing dot is stripped: "example.com.." would otherwise
     * become "example.com.", a different address when parsed again. */
    if (start[0] == '.' || start[len - 1] == '.' ||
        g_strstr_len(start, len, "..") != NULL)
        return fail(error, str, "the domain has an empty label");
    jid->domain = normalise(start, len, TRUE);
    if (!jid->domain)
        return fail(error, str, "the domain is too long");
    if (has_control_or_space(jid->domain) || strchr(jid->domain, '@'))
        return fail(error, str, "the domain contains a forbidden character");
    return TRUE;
}

static gboolean parse_local(Jid *jid, const char *start, gssize len,
                            const char *str, GError **error)
{
    if (len == 0)
        return fail(error, str, "the local part before '@' is empty");
    jid->local = normalise(start, len, TRUE);
    if (!jid->local)
        return fail(error, str, "the local part is too long");
    /* Characters RFC 7622 §3.3.1 forbids in the local part. */
    if (has_control_or_space(jid->local) ||
        strpbrk(jid->local, "\"&'/:<>@") != NULL)
        return fail(error, str,
                    "the local part contains a forbidden character");
    return TRUE;
}

Jid *jid_parse(const char *str, GError **error)
{
    g_autoptr(Jid) jid = g_new0(Jid, 1);

    if (!str || !*str) {
        fail(error, "", "it is empty");
        return NULL;
    }
    if (!g_utf8_validate(str, -1, NULL)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "not a valid XMPP address: invalid UTF-8");
        return NULL;
    }

    /* The resource starts at the first '/', and may itself contain '@'. */
    const char *slash = strchr(str, '/');
    gsize head_len = slash ? (gsize)(slash - str) : strlen(str);
    const char *at = memchr(str, '@', head_len);

    if (at) {
        if (!parse_local(jid, str, at - str, str, error))
            return NULL;
        if (!parse_domain(jid, at + 1, head_len - (at + 1 - str), str, error))
            return NULL;
    } else if (!parse_domain(jid, str, head_len, str, error)) {
        return NULL;
    }

    if (slash) {
        if (slash[1] == '\0') {
            fail(error, str, "the resource after '/' is empty");
            return NULL;
        }
        jid->resource = normalise(slash + 1, -1, FALSE);
        if (!jid->resource) {
            fail(error, str, "the resource is too long");
            return NULL;
        }
        for (const char *p = jid->resource; *p; p = g_utf8_next_char(p)) {
            if (g_unichar_iscntrl(g_utf8_get_char(p))) {
                fail(error, str, "the resource contains a control character");
                return NULL;
            }
        }
    }

    jid->bare = jid->local ? g_strconcat(jid->local, "@", jid->domain, NULL)
                           : g_strdup(jid->domain);
    jid->full = jid->resource ? g_strconcat(jid->bare, "/", jid->resource, NULL)
                              : g_strdup(jid->bare);
    return g_steal_pointer(&jid);
}

void jid_free(Jid *jid)
{
    if (!jid)
        return;
    g_free(jid->local);
    g_free(jid->domain);
    g_free(jid->resource);
    g_free(jid->bare);
    g_free(jid->full);
    g_free(jid);
}

gboolean jid_is_valid(const char *str)
{
    g_autoptr(Jid) jid = jid_parse(str, NULL);
    return jid != NULL;
}

char *jid_bare(const char *str)
{
    g_autoptr(Jid) jid = jid_parse(str, NULL);
    return jid ? g_steal_pointer(&jid->bare) : NULL;
}

char *jid_resource(const char *str)
{
    g_autoptr(Jid) jid = jid_parse(str, NULL);
    return jid ? g_steal_pointer(&jid->resource) : NULL;
}

gboolean jid_bare_equal(const char *a, const char *b)
{
    if (a && b && strcmp(a, b) == 0)
        return jid_is_valid(a); /* the common case: one parse, not two */
    g_autoptr(Jid) ja = jid_parse(a, NULL);
    g_autoptr(Jid) jb = jid_parse(b, NULL);
    return ja && jb && strcmp(ja->bare, jb->bare) == 0;
}

gboolean jid_full_equal(const char *a, const char *b)
{
    if (a && b && strcmp(a, b) == 0)
        return jid_is_valid(a); /* the common case: one parse, not two */
    g_autoptr(Jid) ja = jid_parse(a, NULL);
    g_autoptr(Jid) jb = jid_parse(b, NULL);
    return ja && jb && strcmp(ja->full, jb->full) == 0;
}
