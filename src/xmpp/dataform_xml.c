/* dataform_xml.c: see dataform_xml.h. */
#include "xmpp/dataform_xml.h"

#include <string.h>

#include "xmpp/stanza.h"

static gboolean named(xmpp_stanza_t *s, const char *name)
{
    return g_strcmp0(xmpp_stanza_get_name(s), name) == 0;
}

static void parse_field(DataForm *form, xmpp_stanza_t *c)
{
    const char *var = xmpp_stanza_get_attribute(c, "var");
    const char *type = xmpp_stanza_get_type(c);
    /* XEP-0004 3.2: every field but a fixed one has a var; one without is
     * of no use to fill in. */
    if (!var && g_strcmp0(type, "fixed") != 0)
        return;
    DataFormField *f = dataform_add_field(
        form, var, type, xmpp_stanza_get_attribute(c, "label"));
    for (xmpp_stanza_t *v = xmpp_stanza_get_children(c); v;
         v = xmpp_stanza_get_next(v)) {
        if (named(v, "value")) {
            g_autofree char *text = stanza_text(v);
            dataform_field_add_value(f, text);
        } else if (named(v, "option")) {
            g_autofree char *value = stanza_child_text(v, "value", NULL);
            if (value)
                dataform_field_add_option(
                    f, value, xmpp_stanza_get_attribute(v, "label"));
        } else if (named(v, "desc") && !f->desc) {
            f->desc = stanza_text(v);
        } else if (named(v, "required")) {
            f->required = TRUE;
        }
    }
}

DataForm *dataform_xml_parse(xmpp_stanza_t *x)
{
    DataForm *form = dataform_new(xmpp_stanza_get_type(x));
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(x); c;
         c = xmpp_stanza_get_next(c)) {
        if (named(c, "field")) {
            parse_field(form, c);
        } else if (named(c, "title") && !form->title) {
            form->title = stanza_text(c);
        } else if (named(c, "instructions")) {
            /* Several <instructions/> are lines of one text. */
            g_autofree char *line = stanza_text(c);
            char *joined = form->instructions ? g_strconcat(form->instructions,
                                                            "\n", line, NULL)
                                              : g_strdup(line);
            g_free(form->instructions);
            form->instructions = joined;
        }
    }
    return form;
}

xmpp_stanza_t *dataform_xml_build(xmpp_ctx_t *ctx, const DataForm *form,
                                  gboolean cancel)
{
    xmpp_stanza_t *x = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(x, "x");
    xmpp_stanza_set_ns(x, NS_DATA);
    xmpp_stanza_set_type(x, cancel ? "cancel" : "submit");
    for (guint i = 0; !cancel && i < form->fields->len; i++) {
        const DataFormField *f = g_ptr_array_index(form->fields, i);
        if (f->type == DATAFORM_FIXED || !f->var)
            continue;
        xmpp_stanza_t *field = stanza_add_child_ns(x, "field", NULL);
        xmpp_stanza_set_attribute(field, "var", f->var);
        /* Said for secrets, so that the XML console hides their value
         * (util/redact.c) on the way out too. */
        if (f->type == DATAFORM_TEXT_PRIVATE)
            xmpp_stanza_set_attribute(field, "type", "text-private");
        for (guint v = 0; v < f->values->len; v++)
            stanza_add_text_child(field, "value",
                                  g_ptr_array_index(f->values, v));
    }
    return x;
}
