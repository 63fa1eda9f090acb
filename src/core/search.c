/* search.c: see search.h. */
#include "core/search.h"

#include <string.h>

#include "core/conversation.h"

/* The length in bytes of NEEDLE matched at P, or 0. */
static gsize match_at(const char *p, const char *needle)
{
    const char *start = p;
    for (const char *n = needle; *n; n = g_utf8_next_char(n)) {
        if (!*p || g_unichar_tolower(g_utf8_get_char(p)) !=
                       g_unichar_tolower(g_utf8_get_char(n)))
            return 0;
        p = g_utf8_next_char(p);
    }
    return p - start;
}

gboolean search_text_find(const char *text, const char *needle, gsize from,
                          gsize *start, gsize *end)
{
    if (!needle || !*needle)
        return FALSE;
    for (const char *p = text + from; *p; p = g_utf8_next_char(p)) {
        gsize len = match_at(p, needle);
        if (len) {
            if (start)
                *start = p - text;
            if (end)
                *end = (p - text) + len;
            return TRUE;
        }
    }
    return FALSE;
}

void search_set(Buffer *buffer, const char *text)
{
    g_free(buffer->search);
    buffer->search = text && *text ? g_strdup(text) : NULL;
    buffer->search_match = -1;
    event_emit_buffer(EVENT_BUFFER_CHANGED, buffer);
}

static gboolean line_has(const Buffer *buffer, guint index)
{
    const BufferLine *line = g_ptr_array_index(buffer->lines, index);
    return search_text_find(line->text, buffer->search, 0, NULL, NULL) ||
           (line->nick &&
            search_text_find(line->nick, buffer->search, 0, NULL, NULL));
}

/* The index of the nearest loaded line with the text, from FROM (an
 * index, may be one past either end) in DIRECTION; -1 when none. */
static gint64 find_loaded(const Buffer *buffer, gint64 from, int direction)
{
    for (gint64 i = from; i >= 0 && i < (gint64)buffer->lines->len;
         i += direction) {
        if (line_has(buffer, (guint)i))
            return i;
    }
    return -1;
}

/* Older lines from the history, up to the newest one with the text;
 * FALSE when the history has none. */
static gboolean load_older_match(Buffer *buffer)
{
    History *h = buffer->account ? conversation_history(buffer->account) : NULL;
    if (!h || buffer->history_complete || !buffer->history_oldest ||
        !buffer->peer)
        return FALSE;
    gint64 id = history_find_text(h, buffer->peer, buffer->search,
                                  buffer->history_oldest);
    if (!id)
        return FALSE;
    while (!buffer_line_by_history_id(buffer, id))
        if (conversation_load_older(buffer, CONVERSATION_BACKLOG) == 0)
            return FALSE;
    return TRUE;
}

gboolean search_step(Buffer *buffer, int direction)
{
    if (!buffer->search)
        return FALSE;
    gint64 current = buffer->search_match - (gint64)buffer->lines_dropped;
    gint64 from;
    if (buffer->search_match < 0 || current < 0 ||
        current >= (gint64)buffer->lines->len)
        from = direction < 0 ? (gint64)buffer->lines->len - 1 : -1;
    else
        from = current + direction;
    if (from < 0 && direction > 0)
        return FALSE; /* nothing found yet: nothing newer */
    gint64 found = find_loaded(buffer, from, direction);
    if (found < 0 && direction < 0) {
        /* Loading puts lines above: where to look from moves down. */
        guint before = buffer->lines->len;
        if (load_older_match(buffer))
            found = find_loaded(
                buffer, from + (gint64)(buffer->lines->len - before), -1);
    }
    if (found < 0)
        return FALSE;
    buffer->search_match = (gint64)buffer->lines_dropped + found;
    event_emit_buffer(EVENT_BUFFER_CHANGED, buffer);
    return TRUE;
}
