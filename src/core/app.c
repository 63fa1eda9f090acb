/* app.c: see app.h. */
#include "core/app.h"

static AppQuitHandler quit_handler;
static gboolean quitting;
static gint64 last_activity;

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
    last_activity = g_get_monotonic_time();
}

gint64 app_last_activity(void)
{
    if (!last_activity)
        last_activity = g_get_monotonic_time();
    return last_activity;
}
