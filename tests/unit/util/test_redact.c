/* test_redact.c: unit tests for src/util/redact.c, which keeps passwords
 * and SASL data out of the XML console. */
#include "../unit.h"

#include <string.h>

#include "util/redact.h"

static void check(const char *in, const char *expected)
{
    g_autofree char *out = redact_xml(in);
    assert_string_equal(out, expected);
}

static void test_sasl_elements(void **state)
{
    check("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
          "mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>",
          "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
          "mechanism='PLAIN'>" REDACT_MARK "</auth>");
    check("<challenge xmlns='x'>cj1meWtv</challenge>",
          "<challenge xmlns='x'>" REDACT_MARK "</challenge>");
    check("<response xmlns=\"x\">Yz1iaXdz</response>",
          "<response xmlns=\"x\">" REDACT_MARK "</response>");
    check("<success xmlns='x'>dj1ybUY5</success>",
          "<success xmlns='x'>" REDACT_MARK "</success>");
}

static void test_password_anywhere(void **state)
{
    check("<iq type='set'><query xmlns='jabber:iq:register'><username>bob"
          "</username><password>hunter2</password></query></iq>",
          "<iq type='set'><query xmlns='jabber:iq:register'><username>bob"
          "</username><password>" REDACT_MARK "</password></query></iq>");
    check("<x:password>p&amp;w</x:password>",
          "<x:password>" REDACT_MARK "</x:password>");
    check("<field var='password' type='text-private'><value>pw</value>"
          "</field><field var='username'><value>me</value></field>",
          "<field var='password' type='text-private'>" REDACT_MARK
          "</field><field var='username'><value>me</value></field>");
    /* A room's password in its configuration form, both ways. */
    check("<field label='Password' type=\"text-private\" "
          "var='muc#roomconfig_roomsecret'><value>s3cret</value></field>",
          "<field label='Password' type=\"text-private\" "
          "var='muc#roomconfig_roomsecret'>" REDACT_MARK "</field>");
    check("<field var='muc#roomconfig_roomsecret' type='text-private'>"
          "<value>s3cret</value></field><field var='x'><value>v</value>"
          "</field>",
          "<field var='muc#roomconfig_roomsecret' "
          "type='text-private'>" REDACT_MARK
          "</field><field var='x'><value>v</value></field>");
}

static void test_everything_else_untouched(void **state)
{
    const char *plain[] = {
        "<message to='a@b'><body>my password is not an element</body>"
        "</message>",
        "<stream:stream to='localhost' version='1.0'>",
        "<password/>",
        "<auth xmlns='x' mechanism='ANONYMOUS'/>",
        "<passwords>x</passwords><authx>y</authx>",
        "</stream:stream>",
        "text < with a lone bracket",
        "",
    };
    for (guint i = 0; i < G_N_ELEMENTS(plain); i++)
        check(plain[i], plain[i]);
    check("<password></password>", "<password></password>");
}

static void test_cut_short_hides_the_rest(void **state)
{
    check("<auth mechanism='PLAIN'>AGFsaWNlAHNl",
          "<auth mechanism='PLAIN'>" REDACT_MARK);
    g_autofree char *out = redact_xml("<a><password>s3cr3t</a>");
    assert_null(strstr(out, "s3cr3t"));
}

static void test_several_secrets(void **state)
{
    check("<password>one</password><b/><password>two</password>",
          "<password>" REDACT_MARK "</password><b/><password>" REDACT_MARK
          "</password>");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sasl_elements),
        cmocka_unit_test(test_password_anywhere),
        cmocka_unit_test(test_everything_else_untouched),
        cmocka_unit_test(test_cut_short_hides_the_rest),
        cmocka_unit_test(test_several_secrets),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("redact", tests, NULL, NULL));
}
