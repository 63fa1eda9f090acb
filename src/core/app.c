/* app.c: see app.h. */
#include "core/app.h"

static AppQuitHandler quit_handler;
static gboolean quitting;

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
