/* test_capsver.c: unit tests for src/util/capsver.c, the XEP-0115 section 5
 * verification string. The vectors are the two examples of the XEP
 * (sections 5.2 and 5.3). */
#include "../unit.h"

#include "util/capsver.h"
#include "util/error.h"

#define NS "http://jabber.org/protocol/"

static void test_simple_example(void **state)
{
    g_autoptr(CapsInfo) info = caps_info_new();
    /* Out of order on purpose: the function sorts. */
    caps_info_add_feature(info, NS "muc");
    caps_info_add_feature(info, NS "disco#info");
    caps_info_add_identity(info, "client", "pc", NULL, "Exodus 0.9.1");
    caps_info_add_feature(info, NS "caps");
    caps_info_add_feature(info, NS "disco#items");
    g_autofree char *ver = caps_info_ver(info, NULL);
    assert_string_equal(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
}

static void test_complex_example(void **state)
{
    g_autoptr(CapsInfo) info = caps_info_new();
    caps_info_add_identity(info, "client", "pc", "en", "Psi 0.11");
    caps_info_add_identity(info, "client", "pc", "el", "\xce\xa8 0.11");
    caps_info_add_feature(info, NS "caps");
    caps_info_add_feature(info, NS "disco#info");
    caps_info_add_feature(info, NS "disco#items");
    caps_info_add_feature(info, NS "muc");
    CapsForm *form =
        caps_info_add_form(info, "urn:xmpp:dataforms:softwareinfo");
    const char *fields[][3] = {{"os", "Mac", NULL},
                               {"software_version", "0.11", NULL},
                               {"ip_version", "ipv6", "ipv4"},
                               {"software", "Psi", NULL},
                               {"os_version", "10.5.1", NULL}};
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        CapsField *f = caps_form_add_field(form, fields[i][0]);
        for (guint v = 1; v < 3 && fields[i][v]; v++)
            g_ptr_array_add(f->values, g_strdup(fields[i][v]));
    }
    g_autofree char *ver = caps_info_ver(info, NULL);
    assert_string_equal(ver, "q07IKJEyjvHSyhy//CH0CxmKi8w=");
}

static void test_one_change_changes_the_ver(void **state)
{
    g_autoptr(CapsInfo) info = caps_info_new();
    caps_info_add_identity(info, "client", "pc", NULL, "Exodus 0.9.1");
    caps_info_add_feature(info, NS "caps");
    caps_info_add_feature(info, NS "disco#info");
    caps_info_add_feature(info, NS "disco#items");
    caps_info_add_feature(info, NS "muc");
    caps_info_add_feature(info, "urn:xmpp:ping");
    g_autofree char *ver = caps_info_ver(info, NULL);
    assert_non_null(ver);
    assert_string_not_equal(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
}

static void test_duplicates_are_refused(void **state)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(CapsInfo) info = caps_info_new();
    caps_info_add_identity(info, "client", "pc", NULL, "X");
    caps_info_add_feature(info, NS "caps");
    caps_info_add_feature(info, NS "caps");
    assert_null(caps_info_ver(info, &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL));
    g_clear_error(&error);

    g_autoptr(CapsInfo) twice = caps_info_new();
    caps_info_add_identity(twice, "client", "pc", NULL, "X");
    caps_info_add_identity(twice, "client", "pc", "", "X");
    assert_null(caps_info_ver(twice, &error));
    g_clear_error(&error);

    g_autoptr(CapsInfo) forms = caps_info_new();
    caps_info_add_form(forms, "urn:a");
    caps_info_add_form(forms, "urn:a");
    assert_null(caps_info_ver(forms, &error));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_example),
        cmocka_unit_test(test_complex_example),
        cmocka_unit_test(test_one_change_changes_the_ver),
        cmocka_unit_test(test_duplicates_are_refused),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("capsver", tests, NULL, NULL));
}
