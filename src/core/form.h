/* form.h: form windows. A protocol module that has a data form for the
 * user to fill in (a room's configuration first) opens a window of kind
 * BUFFER_FORM for it; the window lists the fields, /form set|add|clear
 * change them, /form submit and /form cancel hand the form back to the
 * module through its FormWindowOps. Closing the window (/close) is a
 * cancel. One form window per account and peer.
 *
 * Everything from the network (labels, values, descriptions) reaches the
 * screen through buffer_append, which sanitises it. */
#pragma once

#include <glib.h>

#include "core/buffer.h"
#include "util/dataform.h"

typedef struct FormWindow FormWindow;

typedef struct {
    /* Sends the form as filled in. The module reports the answer later
     * with form_window_failed() or form_window_finish(). FALSE with ERROR
     * when it cannot even be sent. */
    gboolean (*submit)(FormWindow *window, GError **error);
    /* The user gave up (/form cancel or the window was closed); the
     * window closes after this returns. */
    void (*cancel)(FormWindow *window);
    /* Optional, for a form of several stages (an ad-hoc command): goes
     * to the stage ACTION ("prev", "next", "complete") names, one of
     * FormWindow.steps. Like submit, the answer comes later. */
    gboolean (*step)(FormWindow *window, const char *action, GError **error);
} FormWindowOps;

struct FormWindow {
    Buffer *buffer;
    char *account;
    char *peer; /* whom the form is for, e.g. the room's JID */
    char *what; /* what it is, for the user: "configuration of ROOM" */
    DataForm *form;
    gboolean pending; /* submitted, no answer yet */
    const FormWindowOps *ops;
    gpointer data; /* the module's, freed with FREE_DATA */
    GDestroyNotify free_data;
    /* The stages this form may go to besides submit ("prev", "next",
     * "complete"), set by the module; NULL: none. */
    GStrv steps;
};

/* Opens (and makes current) the form window of ACCOUNT for PEER, named
 * NAME (e.g. "config:room@service"), holding FORM (taken over) and listing
 * it. WHAT says what the form is. A window already open for ACCOUNT and
 * PEER is given the new form (its old one is dropped without a cancel). */
FormWindow *form_window_open(const char *account, const char *peer,
                             const char *name, const char *what, DataForm *form,
                             const FormWindowOps *ops, gpointer data,
                             GDestroyNotify free_data);

/* The form window shown in BUFFER, or NULL. */
FormWindow *form_window_of(const Buffer *buffer);
/* The form window of ACCOUNT for PEER, or NULL. */
FormWindow *form_window_find(const char *account, const char *peer);

/* Lists the form in its window: title, instructions and each field with
 * its label, name, type, value(s), choices, required marker and help. */
void form_window_show(FormWindow *window);

/* /form set, add, clear: changes a field and shows its new value. */
gboolean form_window_set(FormWindow *window, const char *var, const char *value,
                         GError **error);
gboolean form_window_add(FormWindow *window, const char *var, const char *value,
                         GError **error);
gboolean form_window_clear(FormWindow *window, const char *var, GError **error);

/* /form prev|next|complete: the module goes to that stage, if the form
 * offers it (FormWindow.steps). */
gboolean form_window_step(FormWindow *window, const char *action,
                          GError **error);

/* /form submit: checks required fields, then the module sends the form. */
gboolean form_window_submit(FormWindow *window, GError **error);
/* /form cancel: the module is told, and the window closes. */
void form_window_cancel(FormWindow *window);

/* The module's answer to a submit: refused (WHY shown in the window, the
 * form stays open to be changed and sent again), or done: the window
 * closes without a cancel. */
void form_window_failed(FormWindow *window, const char *why);
void form_window_finish(FormWindow *window);

/* Frees every form window's state (at exit; no cancel is sent). */
void forms_shutdown(void);
