/* test_dataform_xml.c: unit tests for src/xmpp/dataform_xml.c: a
 * jabber:x:data form read from XML, and the submitted form written back. */
#include "../unit.h"

#include <string.h>

#include "xmpp/dataform_xml.h"

static const char form_xml[] =
    "<x xmlns='jabber:x:data' type='form'>"
    "<title>Configuration</title>"
    "<instructions>Fill it in.</instructions>"
    "<instructions>Then submit.</instructions>"
    "<field var='FORM_TYPE' type='hidden'><value>urn:x</value></field>"
    "<field type='fixed'><value>Section</value></field>"
    "<field type='text-single'><value>no var: dropped</value></field>"
    "<field var='name' type='text-single' label='Name'>"
    "<desc>What it is called</desc><required/><value>Old</value></field>"
    "<field var='open' type='boolean'><value>0</value></field>"
    "<field var='who' type='list-single'>"
    "<option label='Moderators only'><value>moderators</value></option>"
    "<option><value>anyone</value></option><value>anyone</value></field>"
    "<field var='roles' type='list-multi'><value>a</value><value>b</value>"
    "</field>"
    "<field var='plain'/>"
    "</x>";

static xmpp_ctx_t *ctx;

static int setup(void **state)
{
    xmpp_initialize();
    ctx = xmpp_ctx_new(NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    xmpp_ctx_free(ctx);
    xmpp_shutdown();
    return 0;
}

static void test_parse(void **state)
{
    xmpp_stanza_t *x = xmpp_stanza_new_from_string(ctx, form_xml);
    assert_non_null(x);
    g_autoptr(DataForm) form = dataform_xml_parse(x);
    xmpp_stanza_release(x);
    assert_string_equal(form->type, "form");
    assert_string_equal(form->title, "Configuration");
    assert_string_equal(form->instructions, "Fill it in.\nThen submit.");
    /* FORM_TYPE, fixed, name, open, who, roles, plain: the field without
     * a var (not fixed) is left out. */
    assert_int_equal(form->fields->len, 7);
    DataFormField *fixed = g_ptr_array_index(form->fields, 1);
    assert_int_equal(fixed->type, DATAFORM_FIXED);
    assert_null(fixed->var);
    DataFormField *name = dataform_find(form, "name");
    assert_string_equal(name->label, "Name");
    assert_string_equal(name->desc, "What it is called");
    assert_true(name->required);
    assert_string_equal(g_ptr_array_index(name->values, 0), "Old");
    DataFormField *who = dataform_find(form, "who");
    assert_int_equal(who->type, DATAFORM_LIST_SINGLE);
    assert_int_equal(who->options->len, 2);
    DataFormOption *o = g_ptr_array_index(who->options, 0);
    assert_string_equal(o->value, "moderators");
    assert_string_equal(o->label, "Moderators only");
    assert_null(((DataFormOption *)g_ptr_array_index(who->options, 1))->label);
    assert_int_equal(dataform_find(form, "roles")->values->len, 2);
    assert_int_equal(dataform_find(form, "plain")->type, DATAFORM_TEXT_SINGLE);
    assert_int_equal(dataform_find(form, "plain")->values->len, 0);
}

static char *text_of(xmpp_stanza_t *s)
{
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(xmpp_stanza_to_text(s, &buf, &len), 0);
    char *copy = g_strndup(buf, len);
    xmpp_free(ctx, buf);
    return copy;
}

static void test_build_submit_and_cancel(void **state)
{
    xmpp_stanza_t *x = xmpp_stanza_new_from_string(ctx, form_xml);
    g_autoptr(DataForm) form = dataform_xml_parse(x);
    xmpp_stanza_release(x);
    assert_true(dataform_set(form, "open", "on", NULL));
    assert_true(dataform_add(form, "roles", "c", NULL));
    xmpp_stanza_t *submit = dataform_xml_build(ctx, form, FALSE);
    g_autofree char *text = text_of(submit);
    xmpp_stanza_release(submit);
    assert_string_equal(text,
                        "<x xmlns=\"jabber:x:data\" type=\"submit\">"
                        "<field var=\"FORM_TYPE\"><value>urn:x</value></field>"
                        "<field var=\"name\"><value>Old</value></field>"
                        "<field var=\"open\"><value>1</value></field>"
                        "<field var=\"who\"><value>anyone</value></field>"
                        "<field var=\"roles\"><value>a</value><value>b</value>"
                        "<value>c</value></field>"
                        "<field var=\"plain\"/></x>");
    xmpp_stanza_t *cancel = dataform_xml_build(ctx, form, TRUE);
    g_autofree char *none = text_of(cancel);
    xmpp_stanza_release(cancel);
    assert_string_equal(none, "<x xmlns=\"jabber:x:data\" type=\"cancel\"/>");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_build_submit_and_cancel),
    };
    return unit_exit_status(cmocka_run_group_tests(tests, setup, teardown));
}
