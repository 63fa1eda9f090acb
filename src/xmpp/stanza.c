/* stanza.c: see stanza.h. */
#include "xmpp/stanza.h"

#include <string.h>
#include "xmpp/ns.h"

char *stanza_text(xmpp_stanza_t *stanza)
{
    char *text = xmpp_stanza_get_text(stanza); /* libstrophe's memory */
    char *copy = g_strdup(text ? text : "");
    if (text)
        xmpp_free(xmpp_stanza_get_context(stanza), text);
    return copy;
}

char *stanza_child_text(xmpp_stanza_t *stanza, const char *name, const char *ns)
{
    xmpp_stanza_t *child =
        ns ? xmpp_stanza_get_child_by_name_and_ns(stanza, name, ns)
           : xmpp_stanza_get_child_by_name(stanza, name);
    return child ? stanza_text(child) : NULL;
}

char *stanza_error_describe(xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *error = xmpp_stanza_get_child_by_name(stanza, "error");
    if (!error)
        return g_strdup("unknown error");
    const char *condition = NULL;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(error); c;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (xmpp_stanza_is_tag(c) && name && strcmp(name, "text") != 0 &&
            g_strcmp0(xmpp_stanza_get_ns(c), NS_STANZAS) == 0) {
            condition = name;
            break;
        }
    }
    g_autofree char *text = stanza_child_text(error, "text", NS_STANZAS);
    if (!condition)
        condition = "undefined-condition";
    if (text && *text)
        return g_strdup_printf("%s: %s", condition, text);
    return g_strdup(condition);
}

xmpp_stanza_t *stanza_add_child_ns(xmpp_stanza_t *parent, const char *name,
                                   const char *ns)
{
    xmpp_stanza_t *child = xmpp_stanza_new(xmpp_stanza_get_context(parent));
    xmpp_stanza_set_name(child, name);
    if (ns)
        xmpp_stanza_set_ns(child, ns);
    xmpp_stanza_add_child_ex(parent, child, 0); /* parent takes it over */
    return child;
}

xmpp_stanza_t *stanza_add_text_child(xmpp_stanza_t *parent, const char *name,
                                     const char *text)
{
    xmpp_stanza_t *child = stanza_add_child_ns(parent, name, NULL);
    xmpp_stanza_t *node = xmpp_stanza_new(xmpp_stanza_get_context(parent));
    xmpp_stanza_set_text(node, text);
    xmpp_stanza_add_child_ex(child, node, 0);
    return child;
}

gint64 stanza_delay_time(xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *delay =
        xmpp_stanza_get_child_by_name_and_ns(stanza, "delay", "urn:xmpp:delay");
    const char *stamp =
        delay ? xmpp_stanza_get_attribute(delay, "stamp") : NULL;
    g_autoptr(GDateTime) when =
        stamp ? g_date_time_new_from_iso8601(stamp, NULL) : NULL;
    if (!when)
        return 0;
    return g_date_time_to_unix(when) * G_USEC_PER_SEC +
           g_date_time_get_microsecond(when);
}
