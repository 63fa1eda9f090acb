/* search.h: /search in a window: the lines of a buffer that contain a
 * text, moved through from the newest to the oldest and back; in a chat
 * or room, the search goes on into the history not loaded yet, whose
 * lines are then loaded up to the one found. The text and the line found
 * are the buffer's (Buffer.search, Buffer.search_match); the terminal UI
 * brings the line into view and marks the text. */
#pragma once

#include <glib.h>

#include "core/buffer.h"

/* Whether TEXT has NEEDLE at or after byte FROM, letters compared
 * without regard to case; *START and *END (may be NULL) get the bytes
 * of the first occurrence. */
gboolean search_text_find(const char *text, const char *needle, gsize from,
                          gsize *start, gsize *end);

/* Searches BUFFER for TEXT (NULL or "": the search ends); nothing is
 * found yet. Emits EVENT_BUFFER_CHANGED. */
void search_set(Buffer *buffer, const char *text);

/* Moves to the next line with the search's text: older (DIRECTION -1,
 * from the newest line at first) or newer (1). FALSE when there is none
 * that way (the line found stays). Emits EVENT_BUFFER_CHANGED. */
gboolean search_step(Buffer *buffer, int direction);
