/* entitytime.c: entity time (XEP-0202): /time asks another entity for its
 * local time, and natter tells its own (UTC and offset) unless answer_time
 * is off (then service-unavailable, as if unsupported). */
#include <string.h>

#include "core/settings.h"
#include "xmpp/authority.h"
#include "xmpp/feature.h"
#include "xmpp/info.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

static void answer(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    if (!settings_get_bool("answer_time") ||
        !authority_may_see_presence(s, xmpp_stanza_get_from(iq))) {
        iq_reply_error(s, iq, "cancel", "service-unavailable");
        return;
    }
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autoptr(GDateTime) utc = g_date_time_to_utc(now);
    gint64 offset_min = g_date_time_get_utc_offset(now) / G_TIME_SPAN_MINUTE;
    g_autofree char *tzo = g_strdup_printf(
        "%c%02d:%02d", offset_min < 0 ? '-' : '+', (int)(ABS(offset_min) / 60),
        (int)(ABS(offset_min) % 60));
    g_autofree char *stamp = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");

    xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
    xmpp_stanza_set_type(reply, "result");
    xmpp_stanza_t *time = stanza_add_child_ns(reply, "time", NS_TIME);
    stanza_add_text_child(time, "tzo", tzo);
    stanza_add_text_child(time, "utc", stamp);
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

void entitytime_register(Session *s)
{
    iq_handle(s, "get", NS_TIME, answer);
}

/* TZO as XEP-0082 writes it ("+hh:mm", "-hh:mm" or "Z"), or NULL. */
static GTimeZone *parse_tzo(const char *tzo)
{
    if (!tzo)
        return NULL;
    if (strcmp(tzo, "Z") == 0)
        return g_time_zone_new_utc();
    if (strlen(tzo) != 6 || (tzo[0] != '+' && tzo[0] != '-') ||
        !g_ascii_isdigit(tzo[1]) || !g_ascii_isdigit(tzo[2]) || tzo[3] != ':' ||
        !g_ascii_isdigit(tzo[4]) || !g_ascii_isdigit(tzo[5]))
        return NULL;
    return g_time_zone_new_identifier(tzo);
}

static void on_answer(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    if (request_failed(r, result, "Time"))
        return;
    xmpp_stanza_t *time =
        xmpp_stanza_get_child_by_name_and_ns(result, "time", NS_TIME);
    g_autofree char *utc = time ? stanza_child_text(time, "utc", NULL) : NULL;
    g_autofree char *tzo = time ? stanza_child_text(time, "tzo", NULL) : NULL;
    g_autoptr(GDateTime) when =
        utc ? g_date_time_new_from_iso8601(utc, NULL) : NULL;
    g_autoptr(GTimeZone) zone = parse_tzo(tzo);
    Sink *out = request_out(r);
    if (!when || !zone) {
        sink_printf(out, LINE_ERROR,
                    "%s sent a time that cannot be read (utc '%s', tzo "
                    "'%s').",
                    request_target(r), utc ? utc : "", tzo ? tzo : "");
        return;
    }
    g_autoptr(GDateTime) local = g_date_time_to_timezone(when, zone);
    g_autofree char *shown = g_date_time_format(local, "%Y-%m-%d %H:%M:%S");
    g_autofree char *in_utc = g_date_time_format(when, "%H:%M:%S");
    sink_printf(out, LINE_INFO, "Time of %s: %s (UTC%s; %s UTC).",
                request_target(r), shown, tzo, in_utc);
}

gboolean entitytime_query(const char *account, const char *to, Sink *out,
                          GError **error)
{
    return request_send(account, to, "time", NS_TIME, out, on_answer, error);
}

static const char *const time_disco[] = {NS_TIME, NULL};

static gboolean time_advertised(void)
{
    return settings_get_bool("answer_time");
}

const Feature feature_time = {
    .name = "time",
    .disco = time_disco,
    .advertised = time_advertised,
    .attach = entitytime_register,
};
