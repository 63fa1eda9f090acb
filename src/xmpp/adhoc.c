/* adhoc.c: ad-hoc commands (XEP-0050), asked of a server or a contact.
 * /cmd list asks for the commands (disco#items of the commands node);
 * /cmd run executes one: a command that wants input sends a data form,
 * which opens in a form window (core/form.h) where /form fills it in and
 * /form submit, prev, next or complete go on; notes and the result (a
 * form of type result, or nothing) are printed where the command was
 * typed. One command runs per account and entity at a time: a new run
 * replaces the form window of the last. */
#include <string.h>

#include "core/buffer.h"
#include "core/form.h"
#include "util/dataform.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/adhoc.h"
#include "xmpp/dataform_xml.h"
#include "xmpp/iq.h"
#include "xmpp/ns.h"
#include "xmpp/request.h"
#include "xmpp/stanza.h"

/* One command being run: what the next request needs. */
typedef struct {
    char *account;
    char *jid;
    char *node;
    char *sessionid;
    char *execute; /* the action a plain submit means ("next"...), or NULL */
    Sink *out;     /* where notes and results go */
} Run;

static void run_free(gpointer data)
{
    Run *run = data;
    g_free(run->account);
    g_free(run->jid);
    g_free(run->node);
    g_free(run->sessionid);
    g_free(run->execute);
    sink_unref(run->out);
    g_free(run);
}

static Run *run_copy(const Run *r)
{
    Run *run = g_new0(Run, 1);
    run->account = g_strdup(r->account);
    run->jid = g_strdup(r->jid);
    run->node = g_strdup(r->node);
    run->sessionid = g_strdup(r->sessionid);
    run->execute = g_strdup(r->execute);
    run->out = sink_ref(r->out);
    return run;
}

static void send_step(Session *s, const Run *run, const char *action,
                      const DataForm *form);

static gboolean adhoc_submit(FormWindow *w, GError **error)
{
    const Run *run = w->data;
    Session *s = session_online(run->account, error);
    if (!s)
        return FALSE;
    send_step(s, run, run->execute ? run->execute : "execute", w->form);
    return TRUE;
}

static gboolean adhoc_step(FormWindow *w, const char *action, GError **error)
{
    const Run *run = w->data;
    Session *s = session_online(run->account, error);
    if (!s)
        return FALSE;
    send_step(s, run, action, strcmp(action, "prev") == 0 ? NULL : w->form);
    return TRUE;
}

/* Given up: the entity is told, so it can end the session. */
static void adhoc_cancel(FormWindow *w)
{
    const Run *run = w->data;
    Session *s = session_online(run->account, NULL);
    if (s && run->sessionid)
        send_step(s, run, "cancel", NULL);
}

static const FormWindowOps adhoc_ops = {
    .submit = adhoc_submit,
    .cancel = adhoc_cancel,
    .step = adhoc_step,
};

/* The lines of a result form: its title, instructions and each field as
 * "label: values" (hidden ones left out). */
static void print_result(Sink *out, const DataForm *form)
{
    if (form->title)
        sink_print(out, LINE_INFO, form->title);
    if (form->instructions)
        sink_print(out, LINE_INFO, form->instructions);
    for (guint i = 0; i < form->fields->len; i++) {
        const DataFormField *f = g_ptr_array_index(form->fields, i);
        if (f->type == DATAFORM_HIDDEN)
            continue;
        g_autofree char *value = dataform_field_value_text(f);
        const char *label = f->label ? f->label : f->var;
        sink_printf(out, LINE_INFO, "  %s%s%s", label ? label : "",
                    label ? ": " : "", value);
    }
}

static void print_notes(Sink *out, xmpp_stanza_t *command)
{
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(command); c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "note") != 0)
            continue;
        const char *type = xmpp_stanza_get_type(c);
        g_autofree char *text = stanza_text(c);
        gboolean bad =
            g_strcmp0(type, "error") == 0 || g_strcmp0(type, "warn") == 0;
        sink_printf(out, bad ? LINE_ERROR : LINE_INFO, "%s", text);
    }
}

/* The actions the stage offers besides a plain submit, and which of them
 * a plain submit means. */
static GStrv stage_actions(xmpp_stanza_t *command, char **execute)
{
    xmpp_stanza_t *actions = xmpp_stanza_get_child_by_name(command, "actions");
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (xmpp_stanza_t *c = actions ? xmpp_stanza_get_children(actions) : NULL;
         c; c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (xmpp_stanza_is_tag(c) &&
            (g_strcmp0(name, "prev") == 0 || g_strcmp0(name, "next") == 0 ||
             g_strcmp0(name, "complete") == 0))
            g_ptr_array_add(names, g_strdup(name));
    }
    const char *exec =
        actions ? xmpp_stanza_get_attribute(actions, "execute") : NULL;
    *execute = g_strdup(exec);
    g_ptr_array_add(names, NULL);
    return (GStrv)g_ptr_array_steal(names, NULL);
}

static void on_stage(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const Run *run = data;
    FormWindow *w = form_window_find(run->account, run->jid);
    if (!result) {
        sink_printf(run->out, LINE_ERROR,
                    "Command %s of %s: no answer, the connection ended.",
                    run->node, run->jid);
        return;
    }
    xmpp_stanza_t *command =
        xmpp_stanza_get_child_by_name_and_ns(result, "command", NS_COMMANDS);
    if (!iq_is_result(result) || !command) {
        g_autofree char *why = iq_is_result(result)
                                   ? g_strdup("the answer has no command")
                                   : stanza_error_describe(result);
        if (w)
            form_window_failed(w, why);
        else
            sink_printf(run->out, LINE_ERROR, "Command %s of %s failed: %s",
                        run->node, run->jid, why);
        return;
    }
    print_notes(run->out, command);
    const char *status = xmpp_stanza_get_attribute(command, "status");
    xmpp_stanza_t *x =
        xmpp_stanza_get_child_by_name_and_ns(command, "x", NS_DATA);
    g_autoptr(DataForm) form = x ? dataform_xml_parse(x) : NULL;
    if (g_strcmp0(status, "executing") == 0 && form &&
        g_strcmp0(form->type, "form") == 0) {
        Run *next = run_copy(run);
        g_free(next->sessionid);
        next->sessionid =
            g_strdup(xmpp_stanza_get_attribute(command, "sessionid"));
        g_free(next->execute);
        GStrv steps = stage_actions(command, &next->execute);
        g_autofree char *name = g_strdup_printf("cmd:%s", run->node);
        g_autofree char *what =
            g_strdup_printf("command %s of %s", run->node, run->jid);
        w = form_window_open(run->account, run->jid, name, what,
                             g_steal_pointer(&form), &adhoc_ops, next,
                             run_free);
        w->steps = steps;
        if (steps && steps[0]) {
            g_autofree char *list = g_strjoinv(", /form ", steps);
            buffer_appendf(w->buffer, LINE_INFO,
                           "This command has stages: /form %s (/form "
                           "submit: %s).",
                           list, next->execute ? next->execute : "execute");
        }
        return;
    }
    if (form)
        print_result(run->out, form);
    if (w)
        form_window_finish(w);
    sink_printf(run->out, LINE_INFO, "Command %s of %s: %s.", run->node,
                run->jid,
                g_strcmp0(status, "canceled") == 0 ? "cancelled" : "done");
}

static void send_step(Session *s, const Run *run, const char *action,
                      const DataForm *form)
{
    xmpp_stanza_t *command = NULL;
    xmpp_stanza_t *iq =
        iq_new(s, "set", run->jid, "command", NS_COMMANDS, &command);
    xmpp_stanza_set_attribute(command, "node", run->node);
    xmpp_stanza_set_attribute(command, "action", action);
    if (run->sessionid)
        xmpp_stanza_set_attribute(command, "sessionid", run->sessionid);
    if (form)
        xmpp_stanza_add_child_ex(command,
                                 dataform_xml_build(s->ctx, form, FALSE), 0);
    iq_send(s, iq, on_stage, run_copy(run), run_free);
    xmpp_stanza_release(iq);
}

/* No address: the account's own server. Caller frees; NULL with ERROR. */
static char *target(Session *s, const char *jid, GError **error)
{
    if (jid) {
        g_autoptr(Jid) parsed = jid_parse(jid, error);
        return parsed ? g_strdup(parsed->full) : NULL;
    }
    g_autoptr(Jid) own = jid_parse(s->bound_jid, error);
    return own ? g_strdup(own->domain) : NULL;
}

gboolean adhoc_run(const char *account, const char *jid, const char *node,
                   Sink *out, GError **error)
{
    Session *s = session_online(account, error);
    g_autofree char *to = s ? target(s, jid, error) : NULL;
    if (!to)
        return FALSE;
    Run run = {.account = (char *)account,
               .jid = to,
               .node = (char *)node,
               .out = out};
    send_step(s, &run, "execute", NULL);
    return TRUE;
}

static void on_list(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (request_failed(r, result, "The list of commands"))
        return;
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_DISCO_ITEMS);
    Sink *out = request_out(r);
    guint n = 0;
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *node = xmpp_stanza_get_attribute(c, "node");
        if (g_strcmp0(xmpp_stanza_get_name(c), "item") != 0 || !node)
            continue;
        if (n++ == 0)
            sink_printf(out, LINE_INFO,
                        "Commands of %s (/cmd run %s NODE):", request_target(r),
                        request_target(r));
        const char *name = xmpp_stanza_get_attribute(c, "name");
        /* A command may live at another address (a cluster node's). */
        const char *at = xmpp_stanza_get_attribute(c, "jid");
        gboolean elsewhere = at && g_strcmp0(at, request_target(r)) != 0;
        sink_printf(out, LINE_INFO, "  %s%s%s%s%s%s", node, name ? "  " : "",
                    name ? name : "", elsewhere ? " (at " : "",
                    elsewhere ? at : "", elsewhere ? ")" : "");
    }
    if (!n)
        sink_printf(out, LINE_INFO, "%s offers no commands to you.",
                    request_target(r));
}

gboolean adhoc_list(const char *account, const char *jid, Sink *out,
                    GError **error)
{
    Session *s = request_session(account, jid, error);
    g_autofree char *to = s ? target(s, jid, error) : NULL;
    if (!to)
        return FALSE;
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", to, "query", NS_DISCO_ITEMS, &query);
    xmpp_stanza_set_attribute(query, "node", NS_COMMANDS);
    return request_send_iq(s, iq, out, on_list, NULL, NULL);
}
