/* muc_config.c: a room's configuration form (XEP-0045 10.2, XEP-0004).
 * /room config fetches the form and lists its fields in the room's window;
 * /room set changes a field here, /room submit sends the whole form back,
 * /room cancel forgets it. One form per room at a time. */
#include <string.h>

#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/muc.h"
#include "xmpp/muc_internal.h"
#include "xmpp/stanza.h"

#define NS_DATA "jabber:x:data"

typedef struct {
    char *var;
    char *type;        /* "text-single", "boolean"... (NULL: text-single) */
    char *label;       /* may be NULL */
    GPtrArray *values; /* char * */
    GPtrArray *options;
    gboolean changed;
} Field;

typedef struct {
    GPtrArray *fields; /* Field * */
} Form;

static GHashTable *forms; /* "account\nroom" -> Form * */

static void field_free(gpointer data)
{
    Field *f = data;
    g_free(f->var);
    g_free(f->type);
    g_free(f->label);
    g_ptr_array_unref(f->values);
    g_ptr_array_unref(f->options);
    g_free(f);
}

static void form_free(gpointer data)
{
    Form *form = data;
    g_ptr_array_unref(form->fields);
    g_free(form);
}

static char *form_key(const char *account, const char *room)
{
    return g_strdup_printf("%s\n%s", account, room);
}

void muc_config_shutdown(void)
{
    g_clear_pointer(&forms, g_hash_table_unref);
}

static Form *parse_form(xmpp_stanza_t *x)
{
    Form *form = g_new0(Form, 1);
    form->fields = g_ptr_array_new_with_free_func(field_free);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(x); c;
         c = xmpp_stanza_get_next(c)) {
        const char *var = xmpp_stanza_get_attribute(c, "var");
        if (g_strcmp0(xmpp_stanza_get_name(c), "field") != 0 || !var)
            continue;
        Field *f = g_new0(Field, 1);
        f->var = g_strdup(var);
        f->type = g_strdup(xmpp_stanza_get_type(c));
        f->label = g_strdup(xmpp_stanza_get_attribute(c, "label"));
        f->values = g_ptr_array_new_with_free_func(g_free);
        f->options = g_ptr_array_new_with_free_func(g_free);
        for (xmpp_stanza_t *v = xmpp_stanza_get_children(c); v;
             v = xmpp_stanza_get_next(v)) {
            const char *name = xmpp_stanza_get_name(v);
            if (g_strcmp0(name, "value") == 0) {
                char *text = xmpp_stanza_get_text(v);
                g_ptr_array_add(f->values, g_strdup(text ? text : ""));
                if (text)
                    xmpp_free(xmpp_stanza_get_context(v), text);
            } else if (g_strcmp0(name, "option") == 0) {
                char *value = stanza_child_text(v, "value", NULL);
                if (value)
                    g_ptr_array_add(f->options, value);
            }
        }
        g_ptr_array_add(form->fields, f);
    }
    return form;
}

static void show_form(Buffer *b, const char *room, Form *form)
{
    buffer_appendf(b, LINE_INFO,
                   "Configuration of %s (/room set FIELD VALUE, /room "
                   "submit, /room cancel):",
                   room);
    for (guint i = 0; i < form->fields->len; i++) {
        Field *f = g_ptr_array_index(form->fields, i);
        if (g_strcmp0(f->type, "hidden") == 0 ||
            g_strcmp0(f->type, "fixed") == 0)
            continue;
        g_autofree char *values = NULL;
        if (g_strcmp0(f->type, "boolean") == 0) {
            /* XEP-0004 3.3: no value is false. */
            const char *v =
                f->values->len ? g_ptr_array_index(f->values, 0) : "0";
            values = g_strdup(
                g_strcmp0(v, "1") == 0 || g_strcmp0(v, "true") == 0 ? "on"
                                                                    : "off");
        } else {
            g_ptr_array_add(f->values, NULL);
            values = g_strjoinv(", ", (char **)f->values->pdata);
            g_ptr_array_remove_index(f->values, f->values->len - 1);
        }
        g_autofree char *options = NULL;
        if (f->options->len) {
            g_ptr_array_add(f->options, NULL);
            options = g_strjoinv("|", (char **)f->options->pdata);
            g_ptr_array_remove_index(f->options, f->options->len - 1);
        }
        buffer_appendf(b, LINE_INFO, "  %s = %s%s%s%s%s%s%s", f->var, values,
                       f->changed ? " (changed)" : "", f->label ? "  (" : "",
                       f->label ? f->label : "", f->label ? ")" : "",
                       options ? "  one of: " : "", options ? options : "");
    }
}

static void on_form(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *room = data; /* freed by iq_send */
    if (!result)
        return;
    Room *r = room_find(s->account, room);
    Buffer *b = r ? muc_room_buffer(r) : buffer_account_console(s->account);
    xmpp_stanza_t *query = iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name_and_ns(
                                     result, "query", NS_MUC_OWNER)
                               : NULL;
    xmpp_stanza_t *x =
        query ? xmpp_stanza_get_child_by_name_and_ns(query, "x", NS_DATA)
              : NULL;
    if (!x) {
        g_autofree char *why = iq_is_result(result)
                                   ? g_strdup("the answer has no form")
                                   : stanza_error_describe(result);
        buffer_appendf(b, LINE_ERROR, "Cannot configure %s: %s", room, why);
        return;
    }
    if (!forms)
        forms =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, form_free);
    Form *form = parse_form(x);
    g_hash_table_replace(forms, form_key(s->account, room), form);
    show_form(b, room, form);
}

static Room *owner_room(const char *account, const char *room, Session **s,
                        GError **error)
{
    *s = session_online(account, error);
    if (!*s)
        return NULL;
    return muc_joined_room(account, room, error);
}

gboolean muc_config_fetch(const char *account, const char *room, GError **error)
{
    Session *s = NULL;
    Room *r = owner_room(account, room, &s, error);
    if (!r)
        return FALSE;
    xmpp_stanza_t *iq = iq_new(s, "get", r->jid, "query", NS_MUC_OWNER, NULL);
    iq_send(s, iq, on_form, g_strdup(r->jid), g_free);
    xmpp_stanza_release(iq);
    return TRUE;
}

static Form *form_of(const char *account, const char *room, GError **error)
{
    g_autofree char *key = form_key(account, room);
    Form *form = forms ? g_hash_table_lookup(forms, key) : NULL;
    if (!form)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no configuration form of %s is open (/room config)", room);
    return form;
}

/* VALUE as the form wants it for a field of TYPE; NULL with ERROR set. */
static GPtrArray *parse_value(const Field *f, const char *value, GError **error)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    if (g_strcmp0(f->type, "boolean") == 0) {
        gboolean on =
            g_strcmp0(value, "on") == 0 || g_strcmp0(value, "1") == 0 ||
            g_strcmp0(value, "true") == 0 || g_strcmp0(value, "yes") == 0;
        gboolean off =
            g_strcmp0(value, "off") == 0 || g_strcmp0(value, "0") == 0 ||
            g_strcmp0(value, "false") == 0 || g_strcmp0(value, "no") == 0;
        if (!on && !off) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s is on or off, not '%s'", f->var, value);
            g_ptr_array_unref(out);
            return NULL;
        }
        g_ptr_array_add(out, g_strdup(on ? "1" : "0"));
        return out;
    }
    if (g_str_has_suffix(f->type ? f->type : "", "-multi")) {
        g_auto(GStrv) parts = g_strsplit(value, ",", -1);
        for (guint i = 0; parts[i]; i++) {
            g_strstrip(parts[i]);
            if (*parts[i])
                g_ptr_array_add(out, g_strdup(parts[i]));
        }
        return out;
    }
    if (f->options->len) {
        gboolean ok = FALSE;
        for (guint i = 0; i < f->options->len; i++)
            ok |= g_strcmp0(g_ptr_array_index(f->options, i), value) == 0;
        if (!ok) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "'%s' is not one of the choices of %s", value, f->var);
            g_ptr_array_unref(out);
            return NULL;
        }
    }
    g_ptr_array_add(out, g_strdup(value));
    return out;
}

gboolean muc_config_set(const char *account, const char *room,
                        const char *field, const char *value, GError **error)
{
    Form *form = form_of(account, room, error);
    if (!form)
        return FALSE;
    for (guint i = 0; i < form->fields->len; i++) {
        Field *f = g_ptr_array_index(form->fields, i);
        if (strcmp(f->var, field) != 0 || g_strcmp0(f->type, "fixed") == 0)
            continue;
        GPtrArray *values = parse_value(f, value, error);
        if (!values)
            return FALSE;
        g_ptr_array_unref(f->values);
        f->values = values;
        f->changed = TRUE;
        return TRUE;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                "the form of %s has no field %s", room, field);
    return FALSE;
}

static void on_submitted(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *room = data; /* freed by iq_send */
    if (!result)
        return;
    Room *r = room_find(s->account, room);
    Buffer *b = r ? muc_room_buffer(r) : buffer_account_console(s->account);
    if (iq_is_result(result)) {
        buffer_appendf(b, LINE_INFO, "The configuration of %s is saved.", room);
        return;
    }
    g_autofree char *why = stanza_error_describe(result);
    buffer_appendf(b, LINE_ERROR, "The configuration of %s was refused: %s",
                   room, why);
}

gboolean muc_config_submit(const char *account, const char *room,
                           gboolean cancel, GError **error)
{
    Session *s = NULL;
    Room *r = owner_room(account, room, &s, error);
    if (!r)
        return FALSE;
    Form *form = form_of(account, r->jid, error);
    if (!form)
        return FALSE;
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", r->jid, "query", NS_MUC_OWNER, &query);
    xmpp_stanza_t *x = stanza_add_child_ns(query, "x", NS_DATA);
    xmpp_stanza_set_type(x, cancel ? "cancel" : "submit");
    for (guint i = 0; !cancel && i < form->fields->len; i++) {
        Field *f = g_ptr_array_index(form->fields, i);
        if (g_strcmp0(f->type, "fixed") == 0)
            continue;
        xmpp_stanza_t *field = stanza_add_child_ns(x, "field", NULL);
        xmpp_stanza_set_attribute(field, "var", f->var);
        for (guint v = 0; v < f->values->len; v++)
            stanza_add_text_child(field, "value",
                                  g_ptr_array_index(f->values, v));
    }
    iq_send(s, iq, cancel ? NULL : on_submitted, g_strdup(r->jid), g_free);
    xmpp_stanza_release(iq);
    g_autofree char *key = form_key(account, r->jid);
    g_hash_table_remove(forms, key);
    if (cancel)
        buffer_appendf(muc_room_buffer(r), LINE_INFO,
                       "The configuration of %s is left as it was.", r->jid);
    return TRUE;
}
