/* reconnect.c: connecting again after the connection was lost. One GLib
 * timeout per waiting session, armed for the next attempt; the delay
 * doubles after each failed attempt (settings reconnect_delay and
 * reconnect_max_delay). Only connections the network broke come here:
 * session.c does not retry a refused password, certificate or missing
 * TLS, nor after /disconnect. */
#include "core/buffer.h"
#include "core/settings.h"
#include "util/backoff.h"
#include "util/error.h"
#include "xmpp/session.h"
#include "xmpp/session_internal.h"

static gboolean on_reconnect_timer(gpointer data)
{
    Session *s = data;
    s->reconnect_timer = 0;
    s->reconnect_due = 0;
    Account *a = session_account(s);
    if (!a)
        return G_SOURCE_REMOVE;
    s->reconnect_attempt++;
    g_autoptr(GError) error = NULL;
    if (!session_start(s, a, &error)) {
        /* Could not even start (no address, say): wait and try again. */
        Buffer *console = buffer_account_console(s->account);
        guint delay = reconnect_schedule(s);
        buffer_appendf(console, LINE_ERROR, "%s%s", error->message,
                       delay ? "; trying again later" : "");
    }
    return G_SOURCE_REMOVE;
}

guint reconnect_schedule(Session *s)
{
    reconnect_cancel(s);
    guint delay = backoff_delay(settings_get_int("reconnect_delay"),
                                settings_get_int("reconnect_max_delay"),
                                s->reconnect_attempt);
    if (delay == 0 || !s->password)
        return 0;
    s->reconnect_due = g_get_monotonic_time() + (gint64)delay * G_USEC_PER_SEC;
    s->reconnect_timer = g_timeout_add_seconds(delay, on_reconnect_timer, s);
    return delay;
}

void reconnect_cancel(Session *s)
{
    g_clear_handle_id(&s->reconnect_timer, g_source_remove);
    s->reconnect_due = 0;
}

char *session_reconnect_status(const Account *account)
{
    Session *s = session_find(account->name);
    if (!s || !s->reconnect_timer)
        return NULL;
    gint64 left = s->reconnect_due - g_get_monotonic_time();
    return g_strdup_printf("next attempt in %" G_GINT64_FORMAT " s (attempt "
                           "%u)",
                           MAX(left, 0) / G_USEC_PER_SEC + (left > 0 ? 1 : 0),
                           s->reconnect_attempt + 1);
}

gboolean session_reconnect_now(Account *account, GError **error)
{
    Session *s = session_find(account->name);
    if (!s || !s->reconnect_timer) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' is not waiting to reconnect (it is %s; "
                    "/connect %s)",
                    account->name, account_state_name(account->state),
                    account->name);
        return FALSE;
    }
    reconnect_cancel(s);
    on_reconnect_timer(s);
    return TRUE;
}
