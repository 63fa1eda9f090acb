/* form.c: see form.h. The windows are kept by buffer; closing a form's
 * buffer (/close, /form cancel, or the module finishing) drops its state,
 * and tells the module unless the form was finished. */
#include "core/form.h"

#include <string.h>

#include "util/error.h"
#include "util/sanitize.h"

static GHashTable *windows; /* Buffer * -> FormWindow * */
static guint close_subscription;

static void window_free(gpointer data)
{
    FormWindow *w = data;
    if (w->free_data)
        w->free_data(w->data);
    dataform_free(w->form);
    g_free(w->account);
    g_free(w->peer);
    g_free(w->what);
    g_strfreev(w->steps);
    g_free(w);
}

/* A form's buffer is going: the user gave up, unless the module said the
 * form is done (it then took the window out of the table first). */
static EventResult on_buffer_closed(Buffer *buffer, gpointer data)
{
    (void)data;
    FormWindow *w = windows ? g_hash_table_lookup(windows, buffer) : NULL;
    if (!w)
        return EVENT_CONTINUE;
    g_hash_table_steal(windows, buffer);
    w->buffer = NULL;
    if (w->ops && w->ops->cancel)
        w->ops->cancel(w);
    window_free(w);
    return EVENT_CONTINUE;
}

FormWindow *form_window_open(const char *account, const char *peer,
                             const char *name, const char *what, DataForm *form,
                             const FormWindowOps *ops, gpointer data,
                             GDestroyNotify free_data)
{
    if (!windows) {
        windows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        window_free);
        close_subscription = event_on_buffer(
            EVENT_BUFFER_CLOSED, EVENT_PRIORITY_MODEL, on_buffer_closed, NULL);
    }
    Buffer *b = buffer_open(BUFFER_FORM, account, peer);
    g_autofree char *safe =
        name ? text_sanitize(name, -1, SANITIZE_LINE) : NULL;
    if (safe && g_strcmp0(b->name, safe) != 0) {
        g_free(b->name);
        b->name = g_steal_pointer(&safe);
        event_emit_buffer(EVENT_BUFFER_CHANGED, b);
    }
    FormWindow *w = g_new0(FormWindow, 1);
    w->buffer = b;
    /* A window already open for PEER takes the new form. */
    g_hash_table_remove(windows, b);
    w->account = g_strdup(account);
    w->peer = g_strdup(peer);
    w->what = g_strdup(what);
    w->form = form;
    w->ops = ops;
    w->data = data;
    w->free_data = free_data;
    g_hash_table_replace(windows, b, w);
    buffer_switch(b);
    form_window_show(w);
    return w;
}

FormWindow *form_window_of(const Buffer *buffer)
{
    return windows && buffer ? g_hash_table_lookup(windows, buffer) : NULL;
}

FormWindow *form_window_find(const char *account, const char *peer)
{
    return form_window_of(buffer_find(BUFFER_FORM, account, peer));
}

static void show_field(Buffer *b, const DataFormField *f)
{
    if (f->type == DATAFORM_HIDDEN)
        return;
    if (f->type == DATAFORM_FIXED) {
        g_autofree char *text = dataform_field_value_text(f);
        buffer_appendf(b, LINE_INFO, "  %s%s%s", f->label ? f->label : "",
                       f->label && f->values->len ? ": " : "",
                       f->values->len ? text : "");
        return;
    }
    g_autofree char *value = dataform_field_value_text(f);
    buffer_appendf(b, LINE_INFO, "  %s %s = %s  (%s%s%s%s)",
                   f->required ? "*" : " ", f->var, value,
                   f->label ? f->label : "", f->label ? "; " : "", f->type_name,
                   f->changed ? ", changed" : "");
    if (f->options->len) {
        g_autofree char *choices = dataform_field_choices_text(f, TRUE);
        buffer_appendf(b, LINE_INFO, "      choices: %s", choices);
    }
    if (f->desc && *f->desc)
        buffer_appendf(b, LINE_INFO, "      %s", f->desc);
}

void form_window_show(FormWindow *window)
{
    Buffer *b = window->buffer;
    const DataForm *form = window->form;
    buffer_appendf(b, LINE_INFO, "Form: %s%s%s%s", window->what,
                   form->title ? " (\"" : "", form->title ? form->title : "",
                   form->title ? "\")" : "");
    if (form->instructions && *form->instructions)
        buffer_append(b, LINE_INFO, NULL, form->instructions);
    buffer_append(b, LINE_INFO, NULL,
                  "Fields (* required); /form set FIELD VALUE changes one, "
                  "/form add FIELD VALUE and /form clear FIELD edit a list, "
                  "/form submit sends the form, /form cancel gives up:");
    for (guint i = 0; i < form->fields->len; i++)
        show_field(b, g_ptr_array_index(form->fields, i));
}

/* After a change of VAR (CHANGED: it went through), the field as it now
 * is. */
static gboolean show_changed(FormWindow *window, const char *var,
                             gboolean changed)
{
    if (!changed)
        return FALSE;
    const DataFormField *f = dataform_find(window->form, var);
    g_autofree char *value = dataform_field_value_text(f);
    buffer_appendf(window->buffer, LINE_INFO,
                   "%s = %s (/form submit sends the form)", f->var, value);
    return TRUE;
}

static gboolean editable(FormWindow *window, GError **error)
{
    if (!window->pending)
        return TRUE;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                "the form was sent; wait for the answer");
    return FALSE;
}

gboolean form_window_set(FormWindow *window, const char *var, const char *value,
                         GError **error)
{
    return editable(window, error) &&
           show_changed(window, var,
                        dataform_set(window->form, var, value, error));
}

gboolean form_window_add(FormWindow *window, const char *var, const char *value,
                         GError **error)
{
    return editable(window, error) &&
           show_changed(window, var,
                        dataform_add(window->form, var, value, error));
}

gboolean form_window_clear(FormWindow *window, const char *var, GError **error)
{
    return editable(window, error) &&
           show_changed(window, var, dataform_clear(window->form, var, error));
}

gboolean form_window_submit(FormWindow *window, GError **error)
{
    if (!editable(window, error) ||
        !dataform_check_required(window->form, error))
        return FALSE;
    if (!window->ops->submit(window, error))
        return FALSE;
    window->pending = TRUE;
    buffer_appendf(window->buffer, LINE_INFO, "Sending the %s...",
                   window->what);
    return TRUE;
}

gboolean form_window_step(FormWindow *window, const char *action,
                          GError **error)
{
    if (!window->steps ||
        !g_strv_contains((const char *const *)window->steps, action)) {
        g_autofree char *offered = window->steps && window->steps[0]
                                       ? g_strjoinv(", ", window->steps)
                                       : g_strdup("none, only submit");
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "this form cannot go to '%s' (it offers: %s)", action,
                    offered);
        return FALSE;
    }
    /* Back needs no filled-in form; forward does. */
    if (!editable(window, error) ||
        (strcmp(action, "prev") != 0 &&
         !dataform_check_required(window->form, error)) ||
        !window->ops->step(window, action, error))
        return FALSE;
    window->pending = TRUE;
    buffer_appendf(window->buffer, LINE_INFO, "Sending the %s (%s)...",
                   window->what, action);
    return TRUE;
}

void form_window_cancel(FormWindow *window)
{
    buffer_close(window->buffer); /* on_buffer_closed tells the module */
}

void form_window_failed(FormWindow *window, const char *why)
{
    window->pending = FALSE;
    buffer_appendf(window->buffer, LINE_ERROR,
                   "The %s was refused: %s (change the form and /form submit "
                   "again, or /form cancel)",
                   window->what, why);
}

void form_window_finish(FormWindow *window)
{
    Buffer *b = window->buffer;
    g_hash_table_remove(windows, b); /* no cancel: the form is done */
    buffer_close(b);
}

void forms_shutdown(void)
{
    if (close_subscription)
        event_unsubscribe(close_subscription);
    close_subscription = 0;
    g_clear_pointer(&windows, g_hash_table_unref);
}
