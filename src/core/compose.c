/* compose.c: see compose.h. */
#include "core/compose.h"

#include "util/error.h"

static ComposeProvider provider;

void compose_set_provider(ComposeProvider p)
{
    provider = p;
}

gboolean compose_in_editor(Buffer *buffer, GError **error)
{
    if (!provider) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "/editor needs the terminal UI (natter runs --headless)");
        return FALSE;
    }
    return provider(buffer, error);
}
