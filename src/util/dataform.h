/* dataform.h: XEP-0004 data forms as a plain GLib structure: the fields a
 * form carries (var, type, label, description, required, values,
 * options), and the rules for a value the user sets, by field type. No
 * XML here: xmpp/dataform_xml.c reads a jabber:x:data element into a
 * DataForm and writes the submitted form back.
 *
 * Values the user gives: a boolean takes on/off, true/false, yes/no or
 * 1/0 (stored as "1" or "0"); a list-single must be one of its options;
 * jid-single and jid-multi must be valid JIDs (stored normalised). Blanks
 * around those do not count; text fields keep their value as given. A
 * field that takes several values (list-multi, jid-multi, text-multi)
 * is set to one value by dataform_set, grows by one with dataform_add
 * and is emptied by dataform_clear: values are never split on commas,
 * so a value may hold any text. Hidden and fixed fields cannot be set. */
#pragma once

#include <glib.h>

typedef enum {
    DATAFORM_TEXT_SINGLE, /* also what a field without a type is */
    DATAFORM_TEXT_PRIVATE,
    DATAFORM_TEXT_MULTI,
    DATAFORM_BOOLEAN,
    DATAFORM_LIST_SINGLE,
    DATAFORM_LIST_MULTI,
    DATAFORM_JID_SINGLE,
    DATAFORM_JID_MULTI,
    DATAFORM_HIDDEN,
    DATAFORM_FIXED,
} DataFormType;

typedef struct {
    char *value;
    char *label; /* may be NULL */
} DataFormOption;

typedef struct {
    char *var; /* NULL only for a fixed field (a heading or a note) */
    DataFormType type;
    char *type_name; /* as the form says, e.g. "list-single" */
    char *label;     /* may be NULL */
    char *desc;      /* may be NULL */
    gboolean required;
    GPtrArray *values;  /* char * */
    GPtrArray *options; /* DataFormOption * */
    gboolean changed;   /* set by the user since the form came */
} DataFormField;

typedef struct {
    char *type; /* "form", "submit", "result", "cancel" */
    char *title;
    char *instructions; /* may hold '\n'; NULL when there are none */
    GPtrArray *fields;  /* DataFormField *, in the form's order */
} DataForm;

DataForm *dataform_new(const char *type);
void dataform_free(DataForm *form);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DataForm, dataform_free)

/* The type named TYPE_NAME; NULL or an unknown name is text-single, as
 * XEP-0004 3.3 says for a field without a type. */
DataFormType dataform_type_from_name(const char *type_name);
gboolean dataform_type_is_multi(DataFormType type);

/* Appends a field (VAR may be NULL for a fixed field) and returns it
 * (owned by FORM). */
DataFormField *dataform_add_field(DataForm *form, const char *var,
                                  const char *type_name, const char *label);
void dataform_field_add_value(DataFormField *field, const char *value);
void dataform_field_add_option(DataFormField *field, const char *value,
                               const char *label);

/* The field named VAR, or NULL. */
DataFormField *dataform_find(const DataForm *form, const char *var);

/* The user sets VAR to VALUE (the only value of the field), adds VALUE to
 * a field that takes several, or empties VAR. FALSE with ERROR set (the
 * message says what is wrong and what would do) when there is no such
 * field or the value does not suit its type. */
gboolean dataform_set(DataForm *form, const char *var, const char *value,
                      GError **error);
gboolean dataform_add(DataForm *form, const char *var, const char *value,
                      GError **error);
gboolean dataform_clear(DataForm *form, const char *var, GError **error);

/* FALSE with ERROR naming the first required field without a value. */
gboolean dataform_check_required(const DataForm *form, GError **error);

/* The choices of FIELD, by value, joined by ", "; with LABELS, each
 * followed by its label in brackets when it has one of its own. Caller
 * frees. */
char *dataform_field_choices_text(const DataFormField *field, gboolean labels);

/* The value(s) of FIELD as a user reads them: on/off for a boolean,
 * hidden text for text-private, values joined by ", " (lines of a
 * text-multi by " / "), "(empty)" when there is none. Caller frees. */
char *dataform_field_value_text(const DataFormField *field);
