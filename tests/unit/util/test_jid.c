/* test_jid.c: unit tests for src/util/jid.c (RFC 7622 addresses). */
#include "../unit.h"

#include <string.h>

#include "util/error.h"
#include "util/jid.h"

/* Parses STR, which must be valid, and checks every part. NULL means the
 * part must be absent. */
static void check_parse(const char *str, const char *local, const char *domain,
                        const char *resource, const char *bare,
                        const char *full)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(Jid) jid = jid_parse(str, &error);
    if (!jid)
        fail_msg("'%s' was refused: %s", str, error->message);
    assert_null(error);
    if (local)
        assert_string_equal(jid->local, local);
    else
        assert_null(jid->local);
    assert_string_equal(jid->domain, domain);
    if (resource)
        assert_string_equal(jid->resource, resource);
    else
        assert_null(jid->resource);
    assert_string_equal(jid->bare, bare);
    assert_string_equal(jid->full, full);
}

/* STR must be refused with an error whose message contains WHY. */
static void check_invalid(const char *str, const char *why)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(Jid) jid = jid_parse(str, &error);
    if (jid)
        fail_msg("'%s' was accepted as '%s'", str, jid->full);
    assert_non_null(error);
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));
    if (!strstr(error->message, why))
        fail_msg("error for '%s' is '%s', expected it to mention '%s'", str,
                 error->message, why);
    assert_false(jid_is_valid(str));
    assert_null(jid_bare(str));
    assert_null(jid_resource(str));
}

static char *repeat(char c, gsize n)
{
    char *s = g_malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_valid_forms(void **state)
{
    check_parse("alice@example.org", "alice", "example.org", NULL,
                "alice@example.org", "alice@example.org");
    check_parse("example.org", NULL, "example.org", NULL, "example.org",
                "example.org");
    check_parse("example.org/res", NULL, "example.org", "res", "example.org",
                "example.org/res");
    check_parse("alice@example.org/laptop", "alice", "example.org", "laptop",
                "alice@example.org", "alice@example.org/laptop");
    check_parse("[::1]", NULL, "[::1]", NULL, "[::1]", "[::1]");
    check_parse("a@127.0.0.1/r", "a", "127.0.0.1", "r", "a@127.0.0.1",
                "a@127.0.0.1/r");
    /* Spaces are allowed in a resource (only controls are not). */
    check_parse("a@b/my phone", "a", "b", "my phone", "a@b", "a@b/my phone");
}

static void test_lower_cases_local_and_domain(void **state)
{
    check_parse("Alice@Example.ORG/Laptop", "alice", "example.org", "Laptop",
                "alice@example.org", "alice@example.org/Laptop");
    /* Non-ASCII letters are lower-cased too. */
    check_parse("\xc3\x85SA@\xc3\x96REBRO.SE", "\xc3\xa5sa", "\xc3\xb6rebro.se",
                NULL, "\xc3\xa5sa@\xc3\xb6rebro.se",
                "\xc3\xa5sa@\xc3\xb6rebro.se");
}

static void test_nfc_normalisation(void **state)
{
    /* "a" + COMBINING DIAERESIS becomes U+00E4 in local and domain; the
     * resource keeps its case but is composed as well. */
    check_parse("a\xcc\x88@a\xcc\x88.de/A\xcc\x88", "\xc3\xa4", "\xc3\xa4.de",
                "\xc3\x84", "\xc3\xa4@\xc3\xa4.de",
                "\xc3\xa4@\xc3\xa4.de/\xc3\x84");
    assert_true(jid_bare_equal("a\xcc\x88@x", "\xc3\x84@X"));
}

static void test_resource_keeps_at_and_slash(void **state)
{
    check_parse("a@b/c@d/e", "a", "b", "c@d/e", "a@b", "a@b/c@d/e");
    check_parse("b/c@d", NULL, "b", "c@d", "b", "b/c@d");
    check_parse("a@b//", "a", "b", "/", "a@b", "a@b//");
    g_autofree char *res = jid_resource("x@y/Res/Deep@Er");
    assert_string_equal(res, "Res/Deep@Er");
}

static void test_trailing_dot(void **state)
{
    check_parse("a@example.com.", "a", "example.com", NULL, "a@example.com",
                "a@example.com");
    check_parse("example.com./r", NULL, "example.com", "r", "example.com",
                "example.com/r");
    assert_true(jid_bare_equal("a@example.com.", "A@EXAMPLE.COM"));
    check_invalid("a@.", "domain is empty");
    check_invalid(".", "domain is empty");
}

static void test_empty_domain_label(void **state)
{
    /* Only one trailing dot is stripped; what is left must not end with
     * another one, or re-parsing the result would give a different
     * address. Empty labels elsewhere are refused as well. */
    check_invalid("a@example.com..", "empty label");
    check_invalid("a@example..com", "empty label");
    check_invalid("a@.example.com", "empty label");
    check_invalid("..", "empty label");
}

static void test_empty_parts(void **state)
{
    check_invalid("", "empty");
    check_invalid(NULL, "empty");
    check_invalid("@example.org", "local part before '@' is empty");
    check_invalid("@example.org/r", "local part before '@' is empty");
    check_invalid("alice@", "domain is empty");
    check_invalid("alice@/r", "domain is empty");
    check_invalid("/r", "domain is empty");
    check_invalid("alice@example.org/", "resource after '/' is empty");
    check_invalid("example.org/", "resource after '/' is empty");
}

static void test_forbidden_characters(void **state)
{
    /* RFC 7622 3.3.1: " & ' / : < > @ are not allowed in a local part
     * ('/' starts the resource, so it cannot be tested here). */
    static const char *const locals[] = {
        "a\"b@x", "a&b@x", "a'b@x", "a:b@x", "a<b@x", "a>b@x",
    };
    for (guint i = 0; i < G_N_ELEMENTS(locals); i++)
        check_invalid(locals[i], "local part contains a forbidden character");
    check_invalid("a b@x", "local part contains a forbidden character");
    check_invalid("a\tb@x", "local part contains a forbidden character");
    check_invalid("a\x7f@x", "local part contains a forbidden character");
    check_invalid("a\x1b@x", "local part contains a forbidden character");
    /* U+00A0 NO-BREAK SPACE and U+0085 NEXT LINE. */
    check_invalid("a\xc2\xa0@x", "local part contains a forbidden character");
    check_invalid("a\xc2\x85@x", "local part contains a forbidden character");

    /* A second '@' before the resource lands in the domain. */
    check_invalid("a@b@c", "domain contains a forbidden character");
    check_invalid("a@exa mple.org", "domain contains a forbidden character");
    check_invalid("a@exa\x01mple.org", "domain contains a forbidden character");
    check_invalid("exa\x1bmple.org", "domain contains a forbidden character");

    check_invalid("a@b/x\x01y", "resource contains a control character");
    check_invalid("a@b/x\x1b[31m", "resource contains a control character");
    check_invalid("a@b/x\x7f", "resource contains a control character");
    check_invalid("a@b/x\xc2\x9b", "resource contains a control character");
}

static void test_too_long(void **state)
{
    g_autofree char *p1023 = repeat('a', 1023);
    g_autofree char *p1024 = repeat('a', 1024);

    g_autofree char *ok_local = g_strconcat(p1023, "@x", NULL);
    g_autofree char *ok_domain = g_strconcat("u@", p1023, NULL);
    g_autofree char *ok_res = g_strconcat("u@x/", p1023, NULL);
    /* The limit counts the trailing dot out, as it is stripped first. */
    g_autofree char *ok_dot = g_strconcat("u@", p1023, ".", NULL);
    assert_true(jid_is_valid(ok_local));
    assert_true(jid_is_valid(ok_domain));
    assert_true(jid_is_valid(ok_res));
    assert_true(jid_is_valid(ok_dot));

    g_autofree char *long_local = g_strconcat(p1024, "@x", NULL);
    g_autofree char *long_domain = g_strconcat("u@", p1024, NULL);
    g_autofree char *long_res = g_strconcat("u@x/", p1024, NULL);
    check_invalid(long_local, "local part is too long");
    check_invalid(long_domain, "domain is too long");
    check_invalid(long_res, "resource is too long");

    /* The limit is in bytes: 512 two-byte letters are 1024 bytes. */
    GString *wide = g_string_new(NULL);
    for (int i = 0; i < 512; i++)
        g_string_append(wide, "\xc3\xa9");
    g_string_append(wide, "@x");
    check_invalid(wide->str, "local part is too long");
    g_string_free(wide, TRUE);
}

static void test_invalid_utf8(void **state)
{
    check_invalid("a\xff@example.org", "invalid UTF-8");
    check_invalid("alice@exa\xc3mple.org", "invalid UTF-8");
    check_invalid("alice@example.org/\xed\xa0\x80", "invalid UTF-8");
    check_invalid("\xc0\xafx@y", "invalid UTF-8");
}

static void test_bare_and_resource_helpers(void **state)
{
    g_autofree char *bare = jid_bare("Bob@Example.org/Phone");
    assert_string_equal(bare, "bob@example.org");
    g_autofree char *res = jid_resource("Bob@Example.org/Phone");
    assert_string_equal(res, "Phone");
    g_autofree char *none = jid_resource("bob@example.org");
    assert_null(none);
    assert_true(jid_is_valid("bob@example.org"));
    assert_false(jid_is_valid("bob@"));
}

static void test_bare_equal(void **state)
{
    assert_true(jid_bare_equal("alice@example.org", "alice@example.org"));
    assert_true(jid_bare_equal("Alice@Example.org/a", "alice@example.ORG/b"));
    assert_true(jid_bare_equal("alice@example.org/a", "alice@example.org"));
    assert_true(jid_bare_equal("example.org", "EXAMPLE.org/x"));
    assert_false(jid_bare_equal("alice@example.org", "bob@example.org"));
    assert_false(jid_bare_equal("alice@example.org", "alice@example.com"));
    assert_false(jid_bare_equal("alice@example.org", "example.org"));
    /* Invalid addresses are never equal, not even to themselves. */
    assert_false(jid_bare_equal("alice@", "alice@"));
    assert_false(jid_bare_equal(NULL, NULL));
    assert_false(jid_bare_equal("alice@example.org", NULL));
    assert_false(jid_bare_equal("a b@x", "a b@x"));
}

static void test_full_equal(void **state)
{
    assert_true(jid_full_equal("a@b/r", "a@b/r"));
    assert_true(jid_full_equal("A@B/r", "a@b/r"));
    assert_true(jid_full_equal("a@b", "A@B."));
    /* The resource is case-sensitive. */
    assert_false(jid_full_equal("a@b/R", "a@b/r"));
    assert_false(jid_full_equal("a@b/r", "a@b"));
    assert_false(jid_full_equal("a@b/", "a@b/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_forms),
        cmocka_unit_test(test_lower_cases_local_and_domain),
        cmocka_unit_test(test_nfc_normalisation),
        cmocka_unit_test(test_resource_keeps_at_and_slash),
        cmocka_unit_test(test_trailing_dot),
        cmocka_unit_test(test_empty_domain_label),
        cmocka_unit_test(test_empty_parts),
        cmocka_unit_test(test_forbidden_characters),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_bare_and_resource_helpers),
        cmocka_unit_test(test_bare_equal),
        cmocka_unit_test(test_full_equal),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("jid", tests, NULL, NULL));
}
