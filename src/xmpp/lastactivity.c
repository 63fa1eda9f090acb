/* lastactivity.c: last activity (XEP-0012): /lastactivity asks a client
 * (idle time), an account (time since it went offline) or a server
 * (uptime); natter answers with the seconds since the user's last key
 * press unless answer_last_activity is off (then service-unavailable). */
#include "core/app.h"
#include "core/settings.h"
#include "util/jid.h"
#include "xmpp/authority.h"
#include "xmpp/feature.h"
#include "xmpp/info.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

static void answer(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    if (!settings_get_bool("answer_last_activity") ||
        !authority_may_see_presence(s, xmpp_stanza_get_from(iq))) {
        iq_reply_error(s, iq, "cancel", "service-unavailable");
        return;
    }
    gint64 idle =
        (g_get_monotonic_time() - app_last_active()) / G_TIME_SPAN_SECOND;
    g_autofree char *seconds =
        g_strdup_printf("%" G_GINT64_FORMAT, MAX(idle, 0));
    xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
    xmpp_stanza_set_type(reply, "result");
    xmpp_stanza_t *query = stanza_add_child_ns(reply, "query", NS_LAST);
    xmpp_stanza_set_attribute(query, "seconds", seconds);
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

void lastactivity_register(Session *s)
{
    iq_handle(s, "get", NS_LAST, answer);
}

char *info_format_duration(gint64 seconds)
{
    static const struct {
        const char *unit;
        gint64 size;
    } units[] = {{"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1}};
    GString *s = g_string_new(NULL);
    int shown = 0;
    for (guint i = 0; i < G_N_ELEMENTS(units) && shown < 2; i++) {
        gint64 n = seconds / units[i].size;
        seconds %= units[i].size;
        if (n == 0 && !(shown == 0 && units[i].size == 1))
            continue;
        g_string_append_printf(s, "%s%" G_GINT64_FORMAT " %s%s",
                               s->len ? " " : "", n, units[i].unit,
                               n == 1 ? "" : "s");
        shown++;
    }
    return g_string_free(s, FALSE);
}

static void on_answer(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (request_failed(r, result, "Last activity"))
        return;
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_LAST);
    const char *value =
        query ? xmpp_stanza_get_attribute(query, "seconds") : NULL;
    guint64 seconds;
    Sink *out = request_out(r);
    if (!value ||
        !g_ascii_string_to_unsigned(value, 10, 0, G_MAXINT64, &seconds, NULL)) {
        sink_printf(out, LINE_ERROR,
                    "%s sent a last activity that cannot be read ('%s').",
                    request_target(r), value ? value : "");
        return;
    }
    g_autofree char *status = stanza_text(query);
    if (!*status)
        g_clear_pointer(&status, g_free);
    g_autofree char *duration = info_format_duration((gint64)seconds);
    g_autoptr(Jid) who = r->to ? jid_parse(r->to, NULL) : NULL;
    if (!who || !who->local)
        sink_printf(out, LINE_INFO, "%s has been up for %s.", request_target(r),
                    duration);
    else if (who->resource)
        sink_printf(out, LINE_INFO, "%s has been idle for %s.",
                    request_target(r), duration);
    else
        sink_printf(out, LINE_INFO, "%s was last active %s ago%s%s%s.",
                    request_target(r), duration, status ? " (" : "",
                    status ? status : "", status ? ")" : "");
}

gboolean lastactivity_query(const char *account, const char *to, Sink *out,
                            GError **error)
{
    Session *s = request_session(account, to, error);
    if (!s)
        return FALSE;
    /* No address: our server's uptime. */
    g_autoptr(Jid) own = to ? NULL : jid_parse(s->bound_jid, NULL);
    if (own)
        to = own->domain;
    xmpp_stanza_t *iq = iq_new(s, "get", to, "query", NS_LAST, NULL);
    return request_send_iq(s, iq, out, on_answer, NULL, NULL);
}

static const char *const last_disco[] = {NS_LAST, NULL};

static gboolean last_advertised(void)
{
    return settings_get_bool("answer_last_activity");
}

const Feature feature_last = {
    .name = "last",
    .disco = last_disco,
    .advertised = last_advertised,
    .attach = lastactivity_register,
};
