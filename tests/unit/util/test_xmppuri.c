/* test_xmppuri.c: unit tests for src/util/xmppuri.c: xmpp: URIs as RFC
 * 5122 and XEP-0147 write them, and the ones to refuse. */
#include "../unit.h"

#include <string.h>

#include "util/xmppuri.h"

static XmppUri *parse_ok(const char *text)
{
    g_autoptr(GError) error = NULL;
    XmppUri *uri = xmpp_uri_parse(text, &error);
    if (!uri)
        fail_msg("%s: %s", text, error->message);
    return uri;
}

static void test_plain_and_actions(void **state)
{
    g_autoptr(XmppUri) plain = parse_ok("xmpp:Bob@Example.org");
    assert_string_equal(plain->jid, "bob@example.org");
    assert_null(plain->action);
    g_autoptr(XmppUri) join =
        parse_ok("XMPP:lobby@conference.example.org?join;password=s%3Bp");
    assert_string_equal(join->jid, "lobby@conference.example.org");
    assert_string_equal(join->action, "join");
    assert_string_equal(xmpp_uri_param(join, "password"), "s;p");
    g_autoptr(XmppUri) msg = parse_ok(
        "xmpp:bob@example.org/phone?message;subject=Hi;body=Hello%20there%21"
        "#ignored");
    assert_string_equal(msg->jid, "bob@example.org/phone");
    assert_string_equal(msg->action, "message");
    assert_string_equal(xmpp_uri_param(msg, "body"), "Hello there!");
    assert_string_equal(xmpp_uri_param(msg, "subject"), "Hi");
    assert_null(xmpp_uri_param(msg, "thread"));
    /* An account named in the authority is ours to choose. */
    g_autoptr(XmppUri) auth =
        parse_ok("xmpp://me@example.org/bob@example.org?subscribe");
    assert_string_equal(auth->jid, "bob@example.org");
    assert_string_equal(auth->action, "subscribe");
    /* Escaped non-ASCII in the address. */
    g_autoptr(XmppUri) utf = parse_ok("xmpp:j%C3%BCrgen@example.org");
    assert_string_equal(utf->jid, "j\xC3\xBCrgen@example.org");
}

static void test_refused(void **state)
{
    static const char *const bad[] = {
        "mailto:bob@example.org", "xmpp:",
        "xmpp:@example.org",      "xmpp:a@b?;x=1",
        "xmpp:a@b?message;body",  "xmpp:a%ZZ@b",
        "xmpp://me@example.org",  "xmpp:a@b/c%00d",
    };
    assert_false(xmpp_uri_is("bob@example.org"));
    assert_true(xmpp_uri_is("xmpp:x"));
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        XmppUri *uri = xmpp_uri_parse(bad[i], &error);
        if (uri)
            fail_msg("accepted: %s", bad[i]);
        assert_non_null(strstr(error->message, "xmpp:"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_actions),
        cmocka_unit_test(test_refused),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("xmppuri", tests, NULL, NULL));
}
