/* test_dataform.c: unit tests for src/util/dataform.c (XEP-0004 fields
 * and the values a user may give them). */
#include "../unit.h"

#include "util/dataform.h"
#include "util/error.h"

/* A form with one field of each kind the checks treat differently. */
static DataForm *sample(void)
{
    DataForm *form = dataform_new("form");
    DataFormField *f = dataform_add_field(form, "FORM_TYPE", "hidden", NULL);
    dataform_field_add_value(f, "urn:example");
    dataform_add_field(form, NULL, "fixed", "A heading");
    f = dataform_add_field(form, "name", "text-single", "Name");
    f->required = TRUE;
    f = dataform_add_field(form, "open", "boolean", "Open?");
    dataform_field_add_value(f, "true");
    f = dataform_add_field(form, "who", "list-single", "Who");
    dataform_field_add_option(f, "moderators", "Moderators only");
    dataform_field_add_option(f, "anyone", NULL);
    dataform_field_add_value(f, "moderators");
    f = dataform_add_field(form, "roles", "list-multi", NULL);
    dataform_field_add_option(f, "visitor", NULL);
    dataform_field_add_option(f, "moderator", NULL);
    dataform_add_field(form, "admins", "jid-multi", NULL);
    dataform_add_field(form, "owner", "jid-single", NULL);
    dataform_add_field(form, "notes", "text-multi", NULL);
    dataform_add_field(form, "secret", "text-private", NULL);
    dataform_add_field(form, "untyped", NULL, NULL);
    dataform_add_field(form, "future", "x-new-type", NULL);
    return form;
}

static char *value_text(DataForm *form, const char *var)
{
    return dataform_field_value_text(dataform_find(form, var));
}

static void test_types_from_names(void **state)
{
    assert_int_equal(dataform_type_from_name("boolean"), DATAFORM_BOOLEAN);
    assert_int_equal(dataform_type_from_name("jid-multi"), DATAFORM_JID_MULTI);
    assert_int_equal(dataform_type_from_name("fixed"), DATAFORM_FIXED);
    /* XEP-0004: no type is text-single; an unknown one is treated so but
     * keeps its name for the user. */
    g_autoptr(DataForm) form = sample();
    assert_int_equal(dataform_find(form, "untyped")->type,
                     DATAFORM_TEXT_SINGLE);
    assert_string_equal(dataform_find(form, "untyped")->type_name,
                        "text-single");
    assert_int_equal(dataform_find(form, "future")->type, DATAFORM_TEXT_SINGLE);
    assert_string_equal(dataform_find(form, "future")->type_name, "x-new-type");
    assert_true(dataform_type_is_multi(DATAFORM_TEXT_MULTI));
    assert_false(dataform_type_is_multi(DATAFORM_LIST_SINGLE));
}

static void test_boolean_words(void **state)
{
    g_autoptr(DataForm) form = sample();
    static const char *const on[] = {"on", "TRUE", "yes", "1"};
    static const char *const off[] = {"off", "false", "No", "0"};
    for (guint i = 0; i < G_N_ELEMENTS(on); i++) {
        assert_true(dataform_set(form, "open", off[i], NULL));
        assert_string_equal(
            g_ptr_array_index(dataform_find(form, "open")->values, 0), "0");
        assert_true(dataform_set(form, "open", on[i], NULL));
        assert_string_equal(
            g_ptr_array_index(dataform_find(form, "open")->values, 0), "1");
    }
    g_autoptr(GError) error = NULL;
    assert_false(dataform_set(form, "open", "maybe", &error));
    assert_int_equal(error->code, NATTER_ERROR_INVALID);
    assert_string_equal(error->message,
                        "open is on or off (true/false, 1/0), not 'maybe'");
    /* The refused value changed nothing. */
    g_autofree char *text = value_text(form, "open");
    assert_string_equal(text, "on");
}

static void test_list_single_takes_an_option(void **state)
{
    g_autoptr(DataForm) form = sample();
    assert_true(dataform_set(form, "who", "anyone", NULL));
    g_autofree char *text = value_text(form, "who");
    assert_string_equal(text, "anyone");
    assert_true(dataform_find(form, "who")->changed);
    g_autoptr(GError) error = NULL;
    /* The label is not the value. */
    assert_false(dataform_set(form, "who", "Moderators only", &error));
    assert_string_equal(error->message,
                        "'Moderators only' is not one of the choices of who: "
                        "moderators, anyone");
    /* Blanks around a choice do not count (Tab leaves one after it). */
    assert_true(dataform_set(form, "who", " moderators ", NULL));
    g_autofree char *trimmed = value_text(form, "who");
    assert_string_equal(trimmed, "moderators");
    g_autoptr(GError) add = NULL;
    assert_false(dataform_add(form, "who", "moderators", &add));
    assert_string_equal(add->message, "who (list-single) takes one value: "
                                      "/form set who VALUE");
}

static void test_choices_text(void **state)
{
    g_autoptr(DataForm) form = sample();
    const DataFormField *who = dataform_find(form, "who");
    g_autofree char *bare = dataform_field_choices_text(who, FALSE);
    assert_string_equal(bare, "moderators, anyone");
    /* A label of its own is shown; a missing one is not invented. */
    g_autofree char *labelled = dataform_field_choices_text(who, TRUE);
    assert_string_equal(labelled, "moderators (Moderators only), anyone");
}

static void test_several_values(void **state)
{
    g_autoptr(DataForm) form = sample();
    assert_true(dataform_set(form, "roles", "visitor", NULL));
    assert_true(dataform_add(form, "roles", "moderator", NULL));
    assert_true(dataform_add(form, "roles", "visitor", NULL)); /* once */
    g_autofree char *roles = value_text(form, "roles");
    assert_string_equal(roles, "visitor, moderator");
    g_autoptr(GError) error = NULL;
    assert_false(dataform_add(form, "roles", "king", &error));
    /* Commas are not separators: a value may hold one. */
    assert_true(dataform_set(form, "notes", "first, still first", NULL));
    assert_true(dataform_add(form, "notes", "second", NULL));
    assert_int_equal(dataform_find(form, "notes")->values->len, 2);
    g_autofree char *notes = value_text(form, "notes");
    assert_string_equal(notes, "first, still first / second");
    assert_true(dataform_clear(form, "notes", NULL));
    g_autofree char *empty = value_text(form, "notes");
    assert_string_equal(empty, "(empty)");
}

static void test_jids_are_checked_and_normalised(void **state)
{
    g_autoptr(DataForm) form = sample();
    assert_true(dataform_set(form, "owner", "Alice@Example.ORG", NULL));
    g_autofree char *owner = value_text(form, "owner");
    assert_string_equal(owner, "alice@example.org");
    g_autoptr(GError) error = NULL;
    assert_false(dataform_set(form, "owner", "not a jid@", &error));
    assert_int_equal(error->code, NATTER_ERROR_INVALID);
    assert_true(g_str_has_prefix(error->message,
                                 "owner takes an address: 'not a jid@' is "
                                 "not one ("));
    assert_true(dataform_add(form, "admins", "a@example.org", NULL));
    assert_true(dataform_add(form, "admins", "b@example.org/r", NULL));
    g_autoptr(GError) bad = NULL;
    assert_false(dataform_add(form, "admins", "@", &bad));
    assert_int_equal(dataform_find(form, "admins")->values->len, 2);
}

static void test_unknown_hidden_and_fixed_are_not_set(void **state)
{
    g_autoptr(DataForm) form = sample();
    g_autoptr(GError) unknown = NULL;
    assert_false(dataform_set(form, "nope", "x", &unknown));
    assert_int_equal(unknown->code, NATTER_ERROR_NOT_FOUND);
    assert_string_equal(unknown->message,
                        "the form has no field 'nope' (/form lists them)");
    g_autoptr(GError) hidden = NULL;
    assert_false(dataform_set(form, "FORM_TYPE", "x", &hidden));
    assert_int_equal(hidden->code, NATTER_ERROR_NOT_FOUND);
    assert_string_equal(
        g_ptr_array_index(dataform_find(form, "FORM_TYPE")->values, 0),
        "urn:example");
    /* A fixed field has no var: nothing can name it. */
    assert_null(dataform_find(form, "A heading"));
}

static void test_required_and_display(void **state)
{
    g_autoptr(DataForm) form = sample();
    g_autoptr(GError) error = NULL;
    assert_false(dataform_check_required(form, &error));
    assert_string_equal(error->message,
                        "name is required: /form set name VALUE first");
    /* Free text is kept as typed, blanks and all. */
    assert_true(dataform_set(form, "name", " Book club ", NULL));
    assert_string_equal(
        g_ptr_array_index(dataform_find(form, "name")->values, 0),
        " Book club ");
    assert_true(dataform_set(form, "name", "Book club", NULL));
    assert_true(dataform_check_required(form, NULL));
    /* A boolean without a value is off; a secret is never shown. */
    g_autoptr(DataForm) other = dataform_new(NULL);
    DataFormField *b = dataform_add_field(other, "b", "boolean", NULL);
    b->required = TRUE;
    g_autofree char *off = dataform_field_value_text(b);
    assert_string_equal(off, "off");
    assert_true(dataform_check_required(other, NULL));
    assert_true(dataform_set(form, "secret", "hunter2", NULL));
    g_autofree char *secret = value_text(form, "secret");
    assert_string_equal(secret, "(set, hidden)");
    assert_string_equal(other->type, "form");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_from_names),
        cmocka_unit_test(test_boolean_words),
        cmocka_unit_test(test_list_single_takes_an_option),
        cmocka_unit_test(test_several_values),
        cmocka_unit_test(test_choices_text),
        cmocka_unit_test(test_jids_are_checked_and_normalised),
        cmocka_unit_test(test_unknown_hidden_and_fixed_are_not_set),
        cmocka_unit_test(test_required_and_display),
    };
    return unit_exit_status(cmocka_run_group_tests(tests, NULL, NULL));
}
