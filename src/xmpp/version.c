/* version.c: software version (XEP-0092): /software asks, and natter
 * answers others with its name and version, the operating system only
 * when answer_version_os allows, nothing at all when answer_version is off
 * (service-unavailable, as if unsupported). */
#include <sys/utsname.h>

#include "config.h"
#include "core/settings.h"
#include "xmpp/authority.h"
#include "xmpp/feature.h"
#include "xmpp/info.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

static void answer(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    if (!settings_get_bool("answer_version") ||
        !authority_may_see_presence(s, xmpp_stanza_get_from(iq))) {
        iq_reply_error(s, iq, "cancel", "service-unavailable");
        return;
    }
    xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
    xmpp_stanza_set_type(reply, "result");
    xmpp_stanza_t *query = stanza_add_child_ns(reply, "query", NS_VERSION);
    stanza_add_text_child(query, "name", PACKAGE_NAME);
    stanza_add_text_child(query, "version", PACKAGE_VERSION);
    struct utsname u;
    if (settings_get_bool("answer_version_os") && uname(&u) == 0) {
        g_autofree char *os = g_strdup_printf("%s %s", u.sysname, u.release);
        stanza_add_text_child(query, "os", os);
    }
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

void version_register(Session *s)
{
    iq_handle(s, "get", NS_VERSION, answer);
}

static void on_answer(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (request_failed(r, result, "Software version"))
        return;
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_VERSION);
    g_autofree char *name =
        query ? stanza_child_text(query, "name", NULL) : NULL;
    g_autofree char *version =
        query ? stanza_child_text(query, "version", NULL) : NULL;
    g_autofree char *os = query ? stanza_child_text(query, "os", NULL) : NULL;
    Sink *out = request_out(r);
    if (!name) {
        sink_printf(out, LINE_ERROR,
                    "%s answered the software version request without a "
                    "name.",
                    request_target(r));
        return;
    }
    sink_printf(out, LINE_INFO, "%s runs %s%s%s%s%s.", request_target(r), name,
                version ? " " : "", version ? version : "", os ? " on " : "",
                os ? os : "");
}

gboolean version_query(const char *account, const char *to, Sink *out,
                       GError **error)
{
    return request_send(account, to, "query", NS_VERSION, out, on_answer,
                        error);
}

static const char *const version_disco[] = {NS_VERSION, NULL};

static gboolean version_advertised(void)
{
    return settings_get_bool("answer_version");
}

const Feature feature_version = {
    .name = "version",
    .disco = version_disco,
    .advertised = version_advertised,
    .attach = version_register,
};
