/* disco.c: service discovery (XEP-0030). We answer disco#info about
 * ourselves (identity client/console and what the registered features
 * announce, xmpp/feature.h: a feature a privacy setting switches off is
 * not advertised), and /disco asks others. disco#info answers are also what
 * caps.c verifies. */
#include <string.h>

#include "config.h"
#include "core/settings.h"
#include "util/error.h"
#include "xmpp/feature.h"
#include "xmpp/info.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

CapsInfo *disco_own_info(void)
{
    CapsInfo *info = caps_info_new();
    caps_info_add_identity(info, "client", "console", NULL, PACKAGE_NAME);
    features_add_disco(info);
    return info;
}

static void answer_info(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    /* Asked about a node: only "CAPS_NODE#ver" of our current ver is ours
     * (XEP-0115 6.2); any other node does not exist here. */
    const char *node = xmpp_stanza_get_attribute(child, "node");
    g_autofree char *ver = caps_own_ver();
    g_autofree char *own_node = g_strdup_printf("%s#%s", CAPS_NODE, ver);
    if (node && strcmp(node, own_node) != 0) {
        iq_reply_error(s, iq, "cancel", "item-not-found");
        return;
    }
    g_autoptr(CapsInfo) info = disco_own_info();
    xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
    xmpp_stanza_set_type(reply, "result");
    xmpp_stanza_t *query = stanza_add_child_ns(reply, "query", NS_DISCO_INFO);
    if (node)
        xmpp_stanza_set_attribute(query, "node", node);
    for (guint i = 0; i < info->identities->len; i++) {
        CapsIdentity *id = g_ptr_array_index(info->identities, i);
        xmpp_stanza_t *e = stanza_add_child_ns(query, "identity", NULL);
        xmpp_stanza_set_attribute(e, "category", id->category);
        xmpp_stanza_set_attribute(e, "type", id->type);
        xmpp_stanza_set_attribute(e, "name", id->name);
    }
    for (guint i = 0; i < info->features->len; i++) {
        xmpp_stanza_t *e = stanza_add_child_ns(query, "feature", NULL);
        xmpp_stanza_set_attribute(e, "var",
                                  g_ptr_array_index(info->features, i));
    }
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

void disco_register(Session *s)
{
    iq_handle(s, "get", NS_DISCO_INFO, answer_info);
}

static gboolean is_element(xmpp_stanza_t *e, const char *name)
{
    return xmpp_stanza_is_tag(e) &&
           g_strcmp0(xmpp_stanza_get_name(e), name) == 0;
}

/* An extended form (XEP-0128) into INFO; a form without a hidden
 * FORM_TYPE does not count (XEP-0115 5.4). */
static gboolean parse_form(CapsInfo *info, xmpp_stanza_t *x, GError **error)
{
    xmpp_stanza_t *type_field = NULL;
    for (xmpp_stanza_t *f = xmpp_stanza_get_children(x); f;
         f = xmpp_stanza_get_next(f)) {
        if (!is_element(f, "field") ||
            g_strcmp0(xmpp_stanza_get_attribute(f, "var"), "FORM_TYPE") != 0)
            continue;
        if (type_field) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                        "a form has two FORM_TYPE fields");
            return FALSE;
        }
        type_field = f;
    }
    if (!type_field || g_strcmp0(xmpp_stanza_get_type(type_field), "hidden"))
        return TRUE;
    g_autofree char *form_type = stanza_child_text(type_field, "value", NULL);
    if (!form_type) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                    "a FORM_TYPE field has no value");
        return FALSE;
    }
    CapsForm *form = caps_info_add_form(info, form_type);
    for (xmpp_stanza_t *f = xmpp_stanza_get_children(x); f;
         f = xmpp_stanza_get_next(f)) {
        const char *var = xmpp_stanza_get_attribute(f, "var");
        if (!is_element(f, "field") || !var || f == type_field)
            continue;
        CapsField *field = caps_form_add_field(form, var);
        for (xmpp_stanza_t *v = xmpp_stanza_get_children(f); v;
             v = xmpp_stanza_get_next(v)) {
            if (!is_element(v, "value"))
                continue;
            g_ptr_array_add(field->values, stanza_text(v));
        }
    }
    return TRUE;
}

static int cmp_string(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

CapsInfo *disco_parse_info(xmpp_stanza_t *query, GError **error)
{
    g_autoptr(CapsInfo) info = caps_info_new();
    for (xmpp_stanza_t *e = xmpp_stanza_get_children(query); e;
         e = xmpp_stanza_get_next(e)) {
        if (is_element(e, "identity")) {
            const char *category = xmpp_stanza_get_attribute(e, "category");
            const char *type = xmpp_stanza_get_attribute(e, "type");
            if (!category || !type) {
                g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                            "an identity without category or type");
                return NULL;
            }
            caps_info_add_identity(info, category, type,
                                   xmpp_stanza_get_attribute(e, "xml:lang"),
                                   xmpp_stanza_get_attribute(e, "name"));
        } else if (is_element(e, "feature")) {
            const char *var = xmpp_stanza_get_attribute(e, "var");
            if (!var) {
                g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                            "a feature without var");
                return NULL;
            }
            caps_info_add_feature(info, var);
        } else if (is_element(e, "x") &&
                   g_strcmp0(xmpp_stanza_get_ns(e), NS_DATA) == 0) {
            if (!parse_form(info, e, error))
                return NULL;
        }
    }
    return g_steal_pointer(&info);
}

static void on_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (request_failed(r, result, "Service discovery"))
        return;
    Sink *out = request_out(r);
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_DISCO_INFO);
    g_autoptr(GError) error = NULL;
    g_autoptr(CapsInfo) info = query ? disco_parse_info(query, &error) : NULL;
    if (!info) {
        sink_printf(out, LINE_ERROR, "%s sent an unreadable disco#info: %s",
                    request_target(r),
                    error ? error->message : "no query element");
        return;
    }
    GString *text = g_string_new(NULL);
    g_string_append_printf(text, "Service discovery of %s:", request_target(r));
    for (guint i = 0; i < info->identities->len; i++) {
        CapsIdentity *id = g_ptr_array_index(info->identities, i);
        g_string_append_printf(text, "\n  identity %s/%s%s%s%s%s", id->category,
                               id->type, *id->name ? " \"" : "", id->name,
                               *id->name ? "\"" : "", *id->lang ? " (" : "");
        if (*id->lang)
            g_string_append_printf(text, "%s)", id->lang);
    }
    g_ptr_array_sort(info->features, cmp_string);
    for (guint i = 0; i < info->features->len; i++)
        g_string_append_printf(text, "\n  feature %s",
                               (char *)g_ptr_array_index(info->features, i));
    for (guint i = 0; i < info->forms->len; i++) {
        CapsForm *form = g_ptr_array_index(info->forms, i);
        g_string_append_printf(text, "\n  form %s", form->form_type);
        for (guint f = 0; f < form->fields->len; f++) {
            CapsField *field = g_ptr_array_index(form->fields, f);
            g_string_append_printf(text, "\n    %s:", field->var);
            for (guint v = 0; v < field->values->len; v++)
                g_string_append_printf(
                    text, "%s %s", v ? "," : "",
                    (char *)g_ptr_array_index(field->values, v));
        }
    }
    sink_print(out, LINE_INFO, text->str);
    g_string_free(text, TRUE);
}

static void on_items(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (request_failed(r, result, "Service discovery (items)"))
        return;
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_DISCO_ITEMS);
    GString *text = g_string_new(NULL);
    g_string_append_printf(text, "Items of %s:", request_target(r));
    guint count = 0;
    for (xmpp_stanza_t *e = query ? xmpp_stanza_get_children(query) : NULL; e;
         e = xmpp_stanza_get_next(e)) {
        const char *jid = xmpp_stanza_get_attribute(e, "jid");
        if (!is_element(e, "item") || !jid)
            continue;
        const char *node = xmpp_stanza_get_attribute(e, "node");
        const char *name = xmpp_stanza_get_attribute(e, "name");
        g_string_append_printf(text, "\n  %s%s%s%s%s%s", jid,
                               node ? " node " : "", node ? node : "",
                               name ? " \"" : "", name ? name : "",
                               name ? "\"" : "");
        count++;
    }
    if (!count)
        g_string_append(text, " none");
    sink_print(request_out(r), LINE_INFO, text->str);
    g_string_free(text, TRUE);
}

static gboolean query(const char *account, const char *to, const char *node,
                      const char *ns, IqResultFunc func, Sink *out,
                      GError **error)
{
    Session *s = request_session(account, to, error);
    if (!s)
        return FALSE;
    xmpp_stanza_t *child = NULL;
    /* No address: our server, by its domain. */
    g_autofree char *domain = NULL;
    if (!to && s->bound_jid) {
        const char *at = strchr(s->bound_jid, '@');
        domain = g_strdup(at ? at + 1 : s->bound_jid);
        char *slash = strchr(domain, '/');
        if (slash)
            *slash = '\0';
    }
    xmpp_stanza_t *iq = iq_new(s, "get", to ? to : domain, "query", ns, &child);
    if (node)
        xmpp_stanza_set_attribute(child, "node", node);
    return request_send_iq(s, iq, out, func, NULL, NULL);
}

gboolean disco_query_info(const char *account, const char *to, const char *node,
                          Sink *out, GError **error)
{
    return query(account, to, node, NS_DISCO_INFO, on_info, out, error);
}

gboolean disco_query_items(const char *account, const char *to,
                           const char *node, Sink *out, GError **error)
{
    return query(account, to, node, NS_DISCO_ITEMS, on_items, out, error);
}

static const char *const disco_disco[] = {NS_DISCO_INFO, NULL};

const Feature feature_disco = {
    .name = "disco",
    .disco = disco_disco,
    .attach = disco_register,
};
