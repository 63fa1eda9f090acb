/* app.c: see app.h. */
#include "core/app.h"

#include "core/event.h"

static AppQuitHandler quit_handler;
static gboolean quitting;
static gint64 last_active;

void app_set_quit_handler(AppQuitHandler handler)
{
    quit_handler = handler;
}

void app_quit(void)
{
    if (quitting)
        return;
    quitting = TRUE;
    if (quit_handler)
        quit_handler();
}

gboolean app_quitting(void)
{
    return quitting;
}

void app_user_active(void)
{
    last_active = g_get_monotonic_time();
    event_emit_user_active();
}

gint64 app_last_active(void)
{
    if (!last_active)
        last_active = g_get_monotonic_time();
    return last_active;
}
