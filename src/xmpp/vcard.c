/* vcard.c: a person's card. /vcard reads it as vCard4 from the person's
 * PEP node (XEP-0292) or, when there is none there, as vcard-temp
 * (XEP-0054), and shows it in a view window "vcard:JID". Our own card is
 * changed a field at a time: read first, the field replaced, and written
 * back in the form it was read (vCard4 published over PEP, or vcard-temp
 * set), so what natter does not know of the card (a photo, a street)
 * stays. Also the nicknames contacts publish over PEP (XEP-0172), kept
 * beside the roster for contacts without a roster name. */
#include <string.h>

#include "core/buffer.h"
#include "core/form.h"
#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/feature.h"
#include "xmpp/info.h"
#include "xmpp/pep.h"
#include "xmpp/request.h"
#include "xmpp/stanza.h"
#include "xmpp/vcard_xml.h"

/* What a /vcard does with the card it read. */
typedef enum {
    VCARD_SHOW,  /* into the card's window */
    VCARD_WRITE, /* our own, with changes */
    VCARD_EDIT,  /* our own, into a form window */
} VcardAim;

/* One /vcard: whose card, and for a change what to change. */
typedef struct {
    VcardAim aim;
    char *jid;           /* bare; NULL: our own */
    GHashTable *changes; /* key -> GPtrArray of values (VCARD_WRITE) */
} VcardJob;

static void job_free(gpointer p)
{
    VcardJob *job = p;
    g_free(job->jid);
    if (job->changes)
        g_hash_table_unref(job->changes);
    g_free(job);
}

static void ask_temp(Session *s, Request *r);
static void write_card(Session *s, Request *r, xmpp_stanza_t *old,
                       const char *ns);
static void open_editor(Session *s, Request *r, xmpp_stanza_t *old,
                        const char *ns);
static void show_card(Session *s, Request *r, const VCard *card,
                      const char *form);

/* The card ELEMENT (NULL: there is none) was read in the form NS. */
static void card_read(Session *s, Request *r, xmpp_stanza_t *element,
                      const char *ns)
{
    VcardJob *job = r->data;
    switch (job->aim) {
    case VCARD_WRITE:
        write_card(s, r, element, ns);
        break;
    case VCARD_EDIT:
        open_editor(s, r, element, ns);
        break;
    case VCARD_SHOW: {
        g_autoptr(VCard) card = element ? vcard_read(element) : NULL;
        show_card(s, r, card,
                  g_strcmp0(ns, NS_VCARD4) == 0 ? "vCard4" : "vcard-temp");
        break;
    }
    }
}

/* The window's key and title: whose card it is. */
static char *view_key(Session *s, const VcardJob *job)
{
    return g_strdup_printf("vcard:%s", job->jid ? job->jid : s->own_bare);
}

static void show_card(Session *s, Request *r, const VCard *card,
                      const char *form)
{
    VcardJob *job = r->data;
    g_autofree char *key = view_key(s, job);
    Buffer *view = buffer_view(s->account, key);
    const char *whose = job->jid ? job->jid : s->own_bare;
    if (!card || vcard_is_empty(card)) {
        buffer_appendf(view, LINE_INFO, "%s has no card.", whose);
    } else {
        buffer_appendf(view, LINE_INFO, "The card of %s (%s):", whose, form);
        guint n;
        const VcardFieldInfo *fields = vcard_fields(&n);
        for (guint i = 0; i < n; i++) {
            const GPtrArray *values = vcard_values(card, fields[i].key);
            for (guint j = 0; values && j < values->len; j++)
                buffer_appendf(view, LINE_INFO, "%-13s %s", fields[i].label,
                               (const char *)g_ptr_array_index(values, j));
        }
        if (card->photo)
            buffer_appendf(view, LINE_INFO, "%-13s %s", "Photo", card->photo);
    }
    request_show_view(r, view);
    sink_printf(request_out(r), LINE_INFO,
                "The card of %s is in window %u (%s).", whose, view->number,
                view->name);
}

/* The <vcard/> of a PEP items result, or NULL. */
static xmpp_stanza_t *v4_card_of(xmpp_stanza_t *result)
{
    xmpp_stanza_t *pubsub =
        xmpp_stanza_get_child_by_name_and_ns(result, "pubsub", NS_PUBSUB);
    xmpp_stanza_t *items =
        pubsub ? xmpp_stanza_get_child_by_name(pubsub, "items") : NULL;
    xmpp_stanza_t *item =
        items ? xmpp_stanza_get_child_by_name(items, "item") : NULL;
    return item ? xmpp_stanza_get_child_by_name_and_ns(item, "vcard", NS_VCARD4)
                : NULL;
}

static void on_v4(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (!result) {
        request_failed(r, result, "The card");
        return;
    }
    xmpp_stanza_t *element = iq_is_result(result) ? v4_card_of(result) : NULL;
    if (!element) {
        /* No vCard4 (none published, or a server without it): the older
         * form. */
        ask_temp(s, r);
        return;
    }
    card_read(s, r, element, NS_VCARD4);
}

static void on_temp(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    xmpp_stanza_t *element = result ? xmpp_stanza_get_child_by_name_and_ns(
                                          result, "vCard", NS_VCARD_TEMP)
                                    : NULL;
    /* No card at all is an answer too: item-not-found, or an empty result
     * (servers differ). */
    xmpp_stanza_t *error =
        result ? xmpp_stanza_get_child_by_name(result, "error") : NULL;
    gboolean none = result && !iq_is_result(result) && error &&
                    xmpp_stanza_get_child_by_name_and_ns(
                        error, "item-not-found", NS_STANZAS);
    if (!none && request_failed(r, result, "The card"))
        return;
    card_read(s, r, element, NS_VCARD_TEMP);
}

static void ask_temp(Session *s, Request *r)
{
    VcardJob *job = r->data;
    xmpp_stanza_t *iq =
        iq_new(s, "get", job->jid, "vCard", NS_VCARD_TEMP, NULL);
    request_send_iq(s, iq, request_out(r), on_temp, request_take_data(r),
                    job_free);
}

static void on_written(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (request_failed(r, result, "Changing the card"))
        return;
    VcardJob *job = r->data;
    GHashTableIter it;
    gpointer key, values;
    g_hash_table_iter_init(&it, job->changes);
    while (g_hash_table_iter_next(&it, &key, &values)) {
        const VcardFieldInfo *f = vcard_field_find(key);
        GPtrArray *v = values;
        if (v->len == 0)
            sink_printf(request_out(r), LINE_INFO, "Removed %s from your card.",
                        f->label);
        else
            sink_printf(request_out(r), LINE_INFO, "Your card's %s is now %s.",
                        f->label, (const char *)g_ptr_array_index(v, 0));
    }
}

/* The IQ that stores our card: OLD (may be NULL: none yet) with CHANGES,
 * in the form NS of the card read (vCard4 over PEP, or vcard-temp). */
static xmpp_stanza_t *card_iq(Session *s, xmpp_stanza_t *old, const char *ns,
                              GHashTable *changes)
{
    xmpp_stanza_t *card = vcard_write(s->ctx, old, ns, changes);
    xmpp_stanza_t *iq;
    if (g_strcmp0(ns, NS_VCARD4) == 0) {
        xmpp_stanza_t *pubsub;
        iq = iq_new(s, "set", NULL, "pubsub", NS_PUBSUB, &pubsub);
        xmpp_stanza_t *publish = stanza_add_child_ns(pubsub, "publish", NULL);
        xmpp_stanza_set_attribute(publish, "node", NS_VCARD4_PEP);
        xmpp_stanza_t *item = stanza_add_child_ns(publish, "item", NULL);
        xmpp_stanza_set_id(item, "current");
        xmpp_stanza_add_child_ex(item, card, 0);
    } else {
        g_autofree char *id = session_new_id(s);
        iq = xmpp_iq_new(s->ctx, "set", id);
        xmpp_stanza_add_child_ex(iq, card, 0);
    }
    return iq;
}

static void write_card(Session *s, Request *r, xmpp_stanza_t *old,
                       const char *ns)
{
    VcardJob *job = r->data;
    xmpp_stanza_t *iq = card_iq(s, old, ns, job->changes);
    request_send_iq(s, iq, request_out(r), on_written, request_take_data(r),
                    job_free);
}

/* ---- the editor: our card in a form window ---------------------------- */

/* What the form window keeps: the card as read, to write it back with
 * only the changed fields replaced. */
typedef struct {
    xmpp_stanza_t *old; /* a copy, or NULL: there was none */
    char *ns;
} VcardEdit;

static void edit_free(gpointer p)
{
    VcardEdit *e = p;
    if (e->old)
        xmpp_stanza_release(e->old);
    g_free(e->ns);
    g_free(e);
}

static void on_edit_saved(Session *s, xmpp_stanza_t *result, gpointer data)
{
    (void)data;
    FormWindow *w = form_window_find(s->account, s->own_bare);
    if (!w || !w->pending)
        return; /* closed meanwhile: the answer is the server's business */
    if (!result || !iq_is_result(result)) {
        g_autofree char *why =
            result ? stanza_error_describe(result) : g_strdup("no answer");
        form_window_failed(w, why);
        return;
    }
    buffer_append(buffer_account_console(s->account), LINE_INFO, NULL,
                  "Your card is saved.");
    form_window_finish(w);
}

/* The values of a field of the form as the card takes them: each line a
 * value of a field of several values, the lines one value of a note. */
static GPtrArray *field_values(const VcardFieldInfo *info,
                               const DataFormField *field)
{
    GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) note = g_string_new(NULL);
    for (guint i = 0; i < field->values->len; i++) {
        const char *v = g_ptr_array_index(field->values, i);
        if (info->lines) {
            g_string_append_printf(note, "%s%s", note->len ? "\n" : "", v);
            continue;
        }
        g_autofree char *stripped = g_strstrip(g_strdup(v));
        if (*stripped)
            g_ptr_array_add(values, g_steal_pointer(&stripped));
        if (!info->multi)
            break;
    }
    g_autofree char *text =
        g_strstrip(g_string_free(g_steal_pointer(&note), FALSE));
    if (info->lines && *text)
        g_ptr_array_add(values, g_steal_pointer(&text));
    return values;
}

static gboolean edit_submit(FormWindow *w, GError **error)
{
    Session *s = session_online(w->account, error);
    if (!s)
        return FALSE;
    VcardEdit *e = w->data;
    g_autoptr(GHashTable) changes = g_hash_table_new_full(
        g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; i < w->form->fields->len; i++) {
        const DataFormField *field = g_ptr_array_index(w->form->fields, i);
        const VcardFieldInfo *info =
            field->var ? vcard_field_find(field->var) : NULL;
        if (info && field->changed)
            g_hash_table_insert(changes, (gpointer)info->key,
                                field_values(info, field));
    }
    if (g_hash_table_size(changes) == 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "nothing was changed: /form set FIELD VALUE first, or "
                    "/form cancel");
        return FALSE;
    }
    xmpp_stanza_t *iq = card_iq(s, e->old, e->ns, changes);
    iq_send(s, iq, on_edit_saved, NULL, NULL);
    xmpp_stanza_release(iq);
    return TRUE;
}

static void edit_cancel(FormWindow *w)
{
    buffer_append(buffer_account_console(w->account), LINE_INFO, NULL,
                  "Your card is left as it was.");
}

static const FormWindowOps edit_ops = {
    .submit = edit_submit,
    .cancel = edit_cancel,
};

static void open_editor(Session *s, Request *r, xmpp_stanza_t *old,
                        const char *ns)
{
    g_autoptr(VCard) card = old ? vcard_read(old) : NULL;
    DataForm *form = dataform_new("form");
    form->title = g_strdup("Your card");
    form->instructions = g_strdup(
        "Fields of several values (email, tel, impp, url) take one value "
        "per /form add; the rest of your card is kept as it is.");
    guint n;
    const VcardFieldInfo *fields = vcard_fields(&n);
    for (guint i = 0; i < n; i++) {
        DataFormField *field = dataform_add_field(
            form, fields[i].key,
            fields[i].multi || fields[i].lines ? "text-multi" : "text-single",
            fields[i].label);
        const GPtrArray *values =
            card ? vcard_values(card, fields[i].key) : NULL;
        for (guint j = 0; values && j < values->len; j++)
            dataform_field_add_value(field, g_ptr_array_index(values, j));
    }
    VcardEdit *e = g_new0(VcardEdit, 1);
    e->old = old ? xmpp_stanza_copy(old) : NULL;
    e->ns = g_strdup(ns);
    FormWindow *w =
        form_window_open(s->account, s->own_bare, "vcard:edit", "your card",
                         form, &edit_ops, e, edit_free);
    sink_printf(request_out(r), LINE_INFO,
                "Your card is in window %u: /form set FIELD VALUE, then "
                "/form submit.",
                w->buffer->number);
}

static gboolean start(const char *account, VcardAim aim, const char *jid,
                      GHashTable *changes, Sink *out, GError **error)
{
    Session *s = request_session(account, jid, error);
    if (!s)
        return FALSE;
    VcardJob *job = g_new0(VcardJob, 1);
    job->aim = aim;
    g_autoptr(Jid) parsed = jid ? jid_parse(jid, NULL) : NULL;
    /* Our own address is our own card, asked of our account. */
    if (parsed && g_strcmp0(parsed->bare, s->own_bare) != 0)
        job->jid = g_strdup(parsed->bare);
    job->changes = changes ? g_hash_table_ref(changes) : NULL;
    xmpp_stanza_t *pubsub;
    xmpp_stanza_t *iq =
        iq_new(s, "get", job->jid, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *items = stanza_add_child_ns(pubsub, "items", NULL);
    xmpp_stanza_set_attribute(items, "node", NS_VCARD4_PEP);
    xmpp_stanza_set_attribute(items, "max_items", "1");
    return request_send_iq(s, iq, out, on_v4, job, job_free);
}

gboolean vcard_show(const char *account, const char *jid, Sink *out,
                    GError **error)
{
    return start(account, VCARD_SHOW, jid, NULL, out, error);
}

gboolean vcard_set(const char *account, const char *field, const char *value,
                   Sink *out, GError **error)
{
    const VcardFieldInfo *f = vcard_field_find(field);
    if (!f) {
        g_autoptr(GString) known = g_string_new(NULL);
        guint n;
        const VcardFieldInfo *fields = vcard_fields(&n);
        for (guint i = 0; i < n; i++)
            g_string_append_printf(known, "%s%s", i ? ", " : "", fields[i].key);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "a card has no field '%s'; the fields are: %s", field,
                    known->str);
        return FALSE;
    }
    g_autoptr(GHashTable) changes = g_hash_table_new_full(
        g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *stripped = g_strstrip(g_strdup(value ? value : ""));
    if (*stripped)
        g_ptr_array_add(values, g_steal_pointer(&stripped));
    g_hash_table_insert(changes, (gpointer)f->key, values);
    return start(account, VCARD_WRITE, NULL, changes, out, error);
}

gboolean vcard_edit(const char *account, Sink *out, GError **error)
{
    return start(account, VCARD_EDIT, NULL, NULL, out, error);
}

/* A contact's nickname (XEP-0172), published over PEP. */
static void on_nick(Session *s, const char *from, xmpp_stanza_t *items,
                    gpointer data)
{
    (void)data;
    xmpp_stanza_t *item = xmpp_stanza_get_child_by_name(items, "item");
    xmpp_stanza_t *nick =
        item ? xmpp_stanza_get_child_by_name_and_ns(item, "nick", NS_NICK)
             : NULL;
    g_autofree char *text = nick ? stanza_text(nick) : NULL;
    /* No item (a retraction) or an empty nick: they go by none now. */
    roster_set_nick(s->account, from, text && *text ? text : NULL);
}

static void vcard_init(void)
{
    pep_register_node(NS_NICK, "nickname", FALSE, on_nick, NULL);
}

static void vcard_shutdown(void)
{
    pep_unregister_node(NS_NICK);
}

static const char *const vcard_disco[] = {NS_NICK "+notify", NULL};

const Feature feature_vcard = {
    .name = "vcard",
    .disco = vcard_disco,
    .init = vcard_init,
    .shutdown = vcard_shutdown,
};
