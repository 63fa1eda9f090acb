/* keepalive.c: the login timeout, and XEP-0199 pings that notice a dead
 * connection (a server that froze, a network that dropped us without a
 * word). A login that takes longer than connect_timeout (a server that
 * accepts the connection and says nothing, or stops halfway) is given up
 * like a connection that died. Once online, one timer per
 * session, armed for the next deadline only. Received stanzas merely note
 * the time (session.c); when the timer fires and something arrived within
 * ping_interval, it is re-armed from that time, so an idle natter wakes
 * once per interval and a busy one pings never. No answer within
 * ping_timeout: the connection counts as lost and the reconnect logic
 * takes over. */
#include "core/settings.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/session_internal.h"
#include "xmpp/ns.h"

static gboolean on_ping_timer(gpointer data);

static void arm(Session *s, gint64 due)
{
    g_clear_handle_id(&s->ping_timer, g_source_remove);
    gint64 now = g_get_monotonic_time();
    guint ms = due > now ? (guint)((due - now + 999) / 1000) : 0;
    s->ping_timer = g_timeout_add(ms, on_ping_timer, s);
}

static void on_pong(Session *s, xmpp_stanza_t *result, gpointer data)
{
    /* Any answer, an error too, proves the server alive. NULL: the
     * connection ended first, nothing to do. */
    if (!result || !s->ping_sent)
        return;
    s->ping_sent = 0;
    gint64 interval =
        (gint64)settings_get_int("ping_interval") * G_USEC_PER_SEC;
    if (interval > 0)
        arm(s, s->last_rx + interval);
}

static void send_ping(Session *s)
{
    Account *a = session_account(s);
    g_autoptr(Jid) jid = jid_parse(a->jid, NULL);
    xmpp_stanza_t *iq =
        iq_new(s, "get", jid ? jid->domain : NULL, "ping", NS_PING, NULL);
    s->ping_sent = g_get_monotonic_time();
    iq_send(s, iq, on_pong, NULL, NULL);
    xmpp_stanza_release(iq);
}

static gboolean on_ping_timer(gpointer data)
{
    Session *s = data;
    s->ping_timer = 0;
    gint64 interval =
        (gint64)settings_get_int("ping_interval") * G_USEC_PER_SEC;
    gint64 timeout = (gint64)settings_get_int("ping_timeout") * G_USEC_PER_SEC;
    gint64 now = g_get_monotonic_time();
    if (s->ping_sent) {
        if (s->last_rx >= s->ping_sent) {
            /* Traffic came meanwhile: alive, whatever the ping does. */
            s->ping_sent = 0;
        } else {
            g_autofree char *why = g_strdup_printf(
                "no answer from the server for %" G_GINT64_FORMAT
                " s (keepalive ping unanswered after %" G_GINT64_FORMAT " s)",
                (now - s->last_rx) / G_USEC_PER_SEC, timeout / G_USEC_PER_SEC);
            s->ping_sent = 0;
            session_connection_dead(s, why);
            return G_SOURCE_REMOVE;
        }
    }
    if (interval <= 0)
        return G_SOURCE_REMOVE; /* turned off meanwhile */
    if (now - s->last_rx < interval) {
        arm(s, s->last_rx + interval);
        return G_SOURCE_REMOVE;
    }
    send_ping(s);
    arm(s, now + timeout);
    return G_SOURCE_REMOVE;
}

static gboolean on_login_timeout(gpointer data)
{
    Session *s = data;
    s->ping_timer = 0;
    g_autofree char *why =
        g_strdup_printf("the server did not complete the login within %d s "
                        "(connect_timeout)",
                        settings_get_int("connect_timeout"));
    session_connection_dead(s, why);
    return G_SOURCE_REMOVE;
}

void keepalive_login_started(Session *s)
{
    keepalive_stop(s);
    s->ping_timer = g_timeout_add_seconds(
        (guint)settings_get_int("connect_timeout"), on_login_timeout, s);
}

void keepalive_start(Session *s)
{
    keepalive_stop(s);
    s->last_rx = g_get_monotonic_time();
    gint64 interval =
        (gint64)settings_get_int("ping_interval") * G_USEC_PER_SEC;
    if (interval > 0)
        arm(s, s->last_rx + interval);
}

void keepalive_stop(Session *s)
{
    g_clear_handle_id(&s->ping_timer, g_source_remove);
    s->ping_sent = 0;
}
