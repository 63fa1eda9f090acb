/* compose.h: composing a message in the user's editor ($VISUAL, $EDITOR),
 * for /editor. Only the terminal UI can do it (it lends the terminal to
 * the editor), so it registers the provider and the command asks through
 * here, staying below the UI (as with core/prompt.h). */
#pragma once

#include <glib.h>

#include "core/buffer.h"

/* Starts the editor for a message in BUFFER; it returns at once, and the
 * text arrives later (the UI puts it on the input line). FALSE with ERROR
 * when the editor cannot be started. */
typedef gboolean (*ComposeProvider)(Buffer *buffer, GError **error);

void compose_set_provider(ComposeProvider provider);

/* FALSE with ERROR without a terminal or when the editor did not start. */
gboolean compose_in_editor(Buffer *buffer, GError **error);
