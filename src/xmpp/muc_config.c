/* muc_config.c: a room's configuration form (XEP-0045 10.1.3 and 10.2,
 * XEP-0004). /room config (and /room create ROOM configured) fetches the
 * form and opens it in a form window (core/form.h), where /form set,
 * add and clear change it; /form submit sends it back here, and /form
 * cancel or closing the window sends the XEP-0045 cancel. Answers are
 * shown in the form window and in the room's window. */
#include <string.h>

#include "core/buffer.h"
#include "core/form.h"
#include "util/error.h"
#include "xmpp/dataform_xml.h"
#include "xmpp/iq.h"
#include "xmpp/muc.h"
#include "xmpp/muc_internal.h"
#include "xmpp/stanza.h"

/* Where news of ROOM's configuration goes besides the form window: the
 * room's window, or the account's console once we left the room. */
static Buffer *room_news(const char *account, const char *room)
{
    Room *r = room_find(account, room);
    return r ? muc_room_buffer(r) : buffer_account_console(account);
}

/* Sends FORM to ROOM's owner namespace as filled in, or its cancel; FUNC
 * gets the answer with the room's JID. */
static void send_form(Session *s, const char *room, const DataForm *form,
                      gboolean cancel, IqResultFunc func)
{
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", room, "query", NS_MUC_OWNER, &query);
    xmpp_stanza_t *x = dataform_xml_build(s->ctx, form, cancel);
    xmpp_stanza_add_child_ex(query, x, 0); /* query takes it over */
    iq_send(s, iq, func, g_strdup(room), g_free);
    xmpp_stanza_release(iq);
}

static void on_submitted(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *room = data; /* freed by iq_send */
    FormWindow *w = form_window_find(s->account, room);
    Buffer *news = room_news(s->account, room);
    if (result && iq_is_result(result)) {
        buffer_appendf(news, LINE_INFO, "The configuration of %s is saved.",
                       room);
        if (!w)
            return;
        /* Like a dialog's OK: the form goes, the room is shown. */
        if (buffer_current() == w->buffer)
            buffer_switch(news);
        form_window_finish(w);
        return;
    }
    g_autofree char *why =
        result ? stanza_error_describe(result)
               : g_strdup("the connection ended before the answer came");
    buffer_appendf(news, LINE_ERROR, "The configuration of %s was refused: %s",
                   room, why);
    if (w)
        form_window_failed(w, why);
}

static gboolean config_submit(FormWindow *w, GError **error)
{
    Session *s = session_online(w->account, error);
    Room *r = s ? muc_joined_room(w->account, w->peer, error) : NULL;
    if (!r)
        return FALSE;
    send_form(s, r->jid, w->form, FALSE, on_submitted);
    return TRUE;
}

static void on_cancelled(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *room = data; /* freed by iq_send */
    if (!result)
        return; /* the connection went: nothing was changed either way */
    Buffer *news = room_news(s->account, room);
    if (iq_is_result(result)) {
        buffer_appendf(news, LINE_INFO,
                       "Configuration cancelled: %s is left as it was.", room);
        return;
    }
    g_autofree char *why = stanza_error_describe(result);
    buffer_appendf(news, LINE_ERROR,
                   "The room %s refused the cancel of its configuration: %s",
                   room, why);
}

/* XEP-0045 wants the owner to say so when they give up the form, of a
 * new room (10.1.3: a server that locks it may destroy it) as of an
 * existing one (10.2: its configuration stays as it was). */
static void config_cancel(FormWindow *w)
{
    g_autoptr(GError) error = NULL;
    Session *s = session_online(w->account, &error);
    if (!s) {
        buffer_appendf(room_news(w->account, w->peer), LINE_INFO,
                       "Configuration of %s given up; nothing was sent (%s).",
                       w->peer, error->message);
        return;
    }
    send_form(s, w->peer, w->form, TRUE, on_cancelled);
}

static const FormWindowOps config_ops = {
    .submit = config_submit,
    .cancel = config_cancel,
};

static void on_form(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *room = data; /* freed by iq_send */
    if (!result)
        return;
    Buffer *news = room_news(s->account, room);
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
        buffer_appendf(news, LINE_ERROR, "Cannot configure %s: %s", room, why);
        return;
    }
    g_autofree char *name = g_strdup_printf("config:%s", room);
    g_autofree char *what = g_strdup_printf("configuration of %s", room);
    FormWindow *w =
        form_window_open(s->account, room, name, what, dataform_xml_parse(x),
                         &config_ops, NULL, NULL);
    buffer_appendf(news, LINE_INFO,
                   "The configuration form of %s is open in window %u (%s).",
                   room, w->buffer->number, w->buffer->name);
}

gboolean muc_config_fetch(const char *account, const char *room, GError **error)
{
    Session *s = session_online(account, error);
    Room *r = s ? muc_joined_room(account, room, error) : NULL;
    if (!r)
        return FALSE;
    xmpp_stanza_t *iq = iq_new(s, "get", r->jid, "query", NS_MUC_OWNER, NULL);
    iq_send(s, iq, on_form, g_strdup(r->jid), g_free);
    xmpp_stanza_release(iq);
    return TRUE;
}
