/* cmd_form.c: /form, the commands of a form window (core/form.h): list
 * the form, set, add to or clear a field, submit it or give it up. */
#include <string.h>

#include "command/families.h"
#include "core/form.h"
#include "util/error.h"

static gboolean cmd_form(const CommandCall *call, GError **error)
{
    FormWindow *w = form_window_of(call->buffer);
    if (!w) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "/form works in a form window (/room config opens one)");
        return FALSE;
    }
    const char *what = call->argc ? call->argv[0] : "show";
    int argc = call->argc;
    if (strcmp(what, "show") == 0 && argc <= 1) {
        form_window_show(w);
        return TRUE;
    }
    if (strcmp(what, "set") == 0 && argc == 3)
        return form_window_set(w, call->argv[1], call->argv[2], error);
    if (strcmp(what, "add") == 0 && argc == 3)
        return form_window_add(w, call->argv[1], call->argv[2], error);
    if (strcmp(what, "clear") == 0 && argc == 2)
        return form_window_clear(w, call->argv[1], error);
    if (strcmp(what, "submit") == 0 && argc == 1)
        return form_window_submit(w, error);
    if ((strcmp(what, "prev") == 0 || strcmp(what, "next") == 0 ||
         strcmp(what, "complete") == 0) &&
        argc == 1)
        return form_window_step(w, what, error);
    if (strcmp(what, "cancel") == 0 && argc == 1) {
        form_window_cancel(w);
        return TRUE;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /form [show] | set FIELD VALUE | add FIELD VALUE | "
                "clear FIELD | submit | prev | next | complete | cancel");
    return FALSE;
}

/* VALUE of /form set|add FIELD: what FIELD can take, when it says so (a
 * yes-or-no field, the choices of a list). */
static void complete_value(const DataFormField *f, GPtrArray *out)
{
    if (f->type == DATAFORM_BOOLEAN) {
        g_ptr_array_add(out, g_strdup("on"));
        g_ptr_array_add(out, g_strdup("off"));
    } else if (f->type == DATAFORM_LIST_SINGLE ||
               f->type == DATAFORM_LIST_MULTI) {
        for (guint i = 0; i < f->options->len; i++) {
            const DataFormOption *o = g_ptr_array_index(f->options, i);
            g_ptr_array_add(out, g_strdup(o->value));
        }
    }
}

/* FIELD: the fields of the form in BUFFER that may be changed; then VALUE
 * for set and add. */
static void complete_form(const Buffer *buffer, const char *const *args,
                          guint position, GPtrArray *out)
{
    FormWindow *w = form_window_of(buffer);
    if (!w)
        return;
    if (position == 2 &&
        (strcmp(args[0], "set") == 0 || strcmp(args[0], "add") == 0)) {
        const DataFormField *f = dataform_find(w->form, args[1]);
        if (f)
            complete_value(f, out);
        return;
    }
    if (position != 1)
        return;
    for (guint i = 0; i < w->form->fields->len; i++) {
        const DataFormField *f = g_ptr_array_index(w->form->fields, i);
        if (f->var && f->type != DATAFORM_HIDDEN && f->type != DATAFORM_FIXED)
            g_ptr_array_add(out, g_strdup(f->var));
    }
}

const CommandDef cmd_form_commands[] = {
    {
        .name = "form",
        .synopsis =
            (const char *const[]){"/form", "/form show",
                                  "/form set FIELD VALUE",
                                  "/form add FIELD VALUE", "/form clear FIELD",
                                  "/form submit", "/form prev", "/form next",
                                  "/form complete", "/form cancel", NULL},
        .summary = "fill in the form of a form window",
        .description =
            "Works in a form window, which natter opens when a data form "
            "(XEP-0004) is to be filled in, e.g. by /room config. /form "
            "(or /form show) lists the form again: each field's name, "
            "value, label and type, its choices and help, and * for a "
            "required field; hidden fields are not listed but are sent "
            "back as they came. /form set FIELD VALUE gives a field its "
            "value: on or off (true/false, yes/no, 1/0) for a yes-or-no "
            "field, one of the listed choices for a list, an address for "
            "a JID field (blanks around these do not count); VALUE is "
            "the rest of the line, as typed. A field that takes several values "
            "(a list, "
            "several addresses, several lines of text) is set to one "
            "value by /form set, gets more "
            "with /form add FIELD VALUE, one at a time, and is emptied by "
            "/form clear FIELD. /form submit sends the form: once it is "
            "accepted the window closes and the result is said in the "
            "room's window; if it is refused, the reason is shown and the "
            "form stays open to be changed and sent again. A form of "
            "several stages (an ad-hoc command, /cmd run) also goes to "
            "the stage /form prev, /form next or /form complete names, "
            "when it offers that; /form submit then does what the command "
            "calls its next step. /form cancel, "
            "or closing the window with /close, gives the form up and tells "
            "the other side so. Tab completes field names, and the values of "
            "yes-or-no fields and of lists.",
        .args = (const CommandArg[]){{"FIELD", "a field's name, as /form "
                                               "lists it"},
                                     {"VALUE", "its new value"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/form set muc#roomconfig_roomname Book club",
                                  "/form set muc#roomconfig_membersonly on",
                                  "/form add muc#roomconfig_presencebroadcast "
                                  "visitor",
                                  "/form submit", NULL},
        .min_args = 0,
        .max_args = 3,
        .rest = TRUE,
        .func = cmd_form,
        .complete = complete_form,
    },
    {NULL},
};
