/* dataform.c: see dataform.h. */
#include "util/dataform.h"

#include <string.h>

#include "util/error.h"
#include "util/jid.h"

static const char *const type_names[] = {
    [DATAFORM_TEXT_SINGLE] = "text-single",
    [DATAFORM_TEXT_PRIVATE] = "text-private",
    [DATAFORM_TEXT_MULTI] = "text-multi",
    [DATAFORM_BOOLEAN] = "boolean",
    [DATAFORM_LIST_SINGLE] = "list-single",
    [DATAFORM_LIST_MULTI] = "list-multi",
    [DATAFORM_JID_SINGLE] = "jid-single",
    [DATAFORM_JID_MULTI] = "jid-multi",
    [DATAFORM_HIDDEN] = "hidden",
    [DATAFORM_FIXED] = "fixed",
};

static void option_free(gpointer data)
{
    DataFormOption *o = data;
    g_free(o->value);
    g_free(o->label);
    g_free(o);
}

static void field_free(gpointer data)
{
    DataFormField *f = data;
    g_free(f->var);
    g_free(f->type_name);
    g_free(f->label);
    g_free(f->desc);
    g_ptr_array_unref(f->values);
    g_ptr_array_unref(f->options);
    g_free(f);
}

DataForm *dataform_new(const char *type)
{
    DataForm *form = g_new0(DataForm, 1);
    form->type = g_strdup(type ? type : "form");
    form->fields = g_ptr_array_new_with_free_func(field_free);
    return form;
}

void dataform_free(DataForm *form)
{
    if (!form)
        return;
    g_free(form->type);
    g_free(form->title);
    g_free(form->instructions);
    g_ptr_array_unref(form->fields);
    g_free(form);
}

DataFormType dataform_type_from_name(const char *type_name)
{
    for (guint i = 0; type_name && i < G_N_ELEMENTS(type_names); i++)
        if (strcmp(type_names[i], type_name) == 0)
            return i;
    return DATAFORM_TEXT_SINGLE;
}

gboolean dataform_type_is_multi(DataFormType type)
{
    return type == DATAFORM_TEXT_MULTI || type == DATAFORM_LIST_MULTI ||
           type == DATAFORM_JID_MULTI;
}

DataFormField *dataform_add_field(DataForm *form, const char *var,
                                  const char *type_name, const char *label)
{
    DataFormField *f = g_new0(DataFormField, 1);
    f->var = g_strdup(var);
    f->type = dataform_type_from_name(type_name);
    /* An unknown type is kept as named, for the user to see. */
    f->type_name = g_strdup(type_name ? type_name : type_names[f->type]);
    f->label = g_strdup(label);
    f->values = g_ptr_array_new_with_free_func(g_free);
    f->options = g_ptr_array_new_with_free_func(option_free);
    g_ptr_array_add(form->fields, f);
    return f;
}

void dataform_field_add_value(DataFormField *field, const char *value)
{
    g_ptr_array_add(field->values, g_strdup(value ? value : ""));
}

void dataform_field_add_option(DataFormField *field, const char *value,
                               const char *label)
{
    DataFormOption *o = g_new0(DataFormOption, 1);
    o->value = g_strdup(value);
    o->label = g_strdup(label);
    g_ptr_array_add(field->options, o);
}

DataFormField *dataform_find(const DataForm *form, const char *var)
{
    for (guint i = 0; var && i < form->fields->len; i++) {
        DataFormField *f = g_ptr_array_index(form->fields, i);
        if (f->var && strcmp(f->var, var) == 0)
            return f;
    }
    return NULL;
}

/* The field VAR that the user may change, or NULL with ERROR set. */
static DataFormField *settable(const DataForm *form, const char *var,
                               GError **error)
{
    DataFormField *f = dataform_find(form, var);
    if (!f || f->type == DATAFORM_HIDDEN) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "the form has no field '%s' (/form lists them)", var);
        return NULL;
    }
    if (f->type == DATAFORM_FIXED) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is fixed text of the form, not a field to set", var);
        return NULL;
    }
    return f;
}

char *dataform_field_choices_text(const DataFormField *field, gboolean labels)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < field->options->len; i++) {
        const DataFormOption *o = g_ptr_array_index(field->options, i);
        g_string_append_printf(s, "%s%s", i ? ", " : "", o->value);
        if (labels && o->label && strcmp(o->label, o->value) != 0)
            g_string_append_printf(s, " (%s)", o->label);
    }
    return g_string_free(s, FALSE);
}

/* No value, or one empty value (what an empty <value/> gives). */
static gboolean field_empty(const DataFormField *f)
{
    return f->values->len == 0 ||
           (f->values->len == 1 &&
            !*(const char *)g_ptr_array_index(f->values, 0));
}

/* VALUE as FIELD stores it (caller frees), or NULL with ERROR set. */
static char *checked_value(const DataFormField *f, const char *typed,
                           GError **error)
{
    /* A word of a yes-or-no field, a choice or an address has no blanks
     * around it, though the typed line may (Tab leaves one after a word
     * it completes); free text is kept as typed. */
    g_autofree char *value = g_strstrip(g_strdup(typed));
    switch (f->type) {
    case DATAFORM_BOOLEAN: {
        static const char *const on[] = {"on", "true", "yes", "1", NULL};
        static const char *const off[] = {"off", "false", "no", "0", NULL};
        g_autofree char *lower = g_ascii_strdown(value, -1);
        if (g_strv_contains(on, lower))
            return g_strdup("1");
        if (g_strv_contains(off, lower))
            return g_strdup("0");
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is on or off (true/false, 1/0), not '%s'", f->var,
                    value);
        return NULL;
    }
    case DATAFORM_LIST_SINGLE:
    case DATAFORM_LIST_MULTI: {
        /* XEP-0004 allows a list without options: then anything goes. */
        for (guint i = 0; i < f->options->len; i++) {
            const DataFormOption *o = g_ptr_array_index(f->options, i);
            if (strcmp(o->value, value) == 0)
                return g_strdup(value);
        }
        if (!f->options->len)
            return g_strdup(value);
        g_autofree char *choices = dataform_field_choices_text(f, FALSE);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not one of the choices of %s: %s", value, f->var,
                    choices);
        return NULL;
    }
    case DATAFORM_JID_SINGLE:
    case DATAFORM_JID_MULTI: {
        g_autoptr(GError) why = NULL;
        g_autoptr(Jid) jid = jid_parse(value, &why);
        if (!jid) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s takes an address: '%s' is not one (%s)", f->var,
                        value, why->message);
            return NULL;
        }
        return g_strdup(jid->full);
    }
    case DATAFORM_TEXT_SINGLE:
    case DATAFORM_TEXT_PRIVATE:
    case DATAFORM_TEXT_MULTI:
    case DATAFORM_HIDDEN:
    case DATAFORM_FIXED:
        break;
    }
    return g_strdup(typed);
}

gboolean dataform_set(DataForm *form, const char *var, const char *value,
                      GError **error)
{
    DataFormField *f = settable(form, var, error);
    char *stored = f ? checked_value(f, value, error) : NULL;
    if (!stored)
        return FALSE;
    g_ptr_array_set_size(f->values, 0);
    g_ptr_array_add(f->values, stored);
    f->changed = TRUE;
    return TRUE;
}

gboolean dataform_add(DataForm *form, const char *var, const char *value,
                      GError **error)
{
    DataFormField *f = settable(form, var, error);
    if (!f)
        return FALSE;
    if (!dataform_type_is_multi(f->type)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s (%s) takes one value: /form set %s VALUE", f->var,
                    f->type_name, f->var);
        return FALSE;
    }
    char *stored = checked_value(f, value, error);
    if (!stored)
        return FALSE;
    /* A list or a set of addresses holds each value once. */
    for (guint i = 0; f->type != DATAFORM_TEXT_MULTI && i < f->values->len; i++)
        if (strcmp(g_ptr_array_index(f->values, i), stored) == 0) {
            g_free(stored);
            return TRUE;
        }
    g_ptr_array_add(f->values, stored);
    f->changed = TRUE;
    return TRUE;
}

gboolean dataform_clear(DataForm *form, const char *var, GError **error)
{
    DataFormField *f = settable(form, var, error);
    if (!f)
        return FALSE;
    g_ptr_array_set_size(f->values, 0);
    f->changed = TRUE;
    return TRUE;
}

gboolean dataform_check_required(const DataForm *form, GError **error)
{
    for (guint i = 0; i < form->fields->len; i++) {
        const DataFormField *f = g_ptr_array_index(form->fields, i);
        /* An empty boolean is false, which is an answer. */
        if (f->required && f->var && field_empty(f) &&
            f->type != DATAFORM_BOOLEAN) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s is required: /form set %s VALUE first", f->var,
                        f->var);
            return FALSE;
        }
    }
    return TRUE;
}

char *dataform_field_value_text(const DataFormField *field)
{
    if (field->type == DATAFORM_BOOLEAN) {
        /* XEP-0004 3.3: a boolean without a value is false. */
        const char *v =
            field->values->len ? g_ptr_array_index(field->values, 0) : "0";
        return g_strdup(strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ? "on"
                                                                      : "off");
    }
    if (field_empty(field))
        return g_strdup("(empty)");
    if (field->type == DATAFORM_TEXT_PRIVATE)
        return g_strdup("(set, hidden)");
    GString *s = g_string_new(NULL);
    const char *sep = field->type == DATAFORM_TEXT_MULTI ? " / " : ", ";
    for (guint i = 0; i < field->values->len; i++)
        g_string_append_printf(
            s, "%s%s", i ? sep : "",
            (const char *)g_ptr_array_index(field->values, i));
    return g_string_free(s, FALSE);
}
