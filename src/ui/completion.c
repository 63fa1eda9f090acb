/* completion.c: cycling through completion candidates. The candidates are
 * computed once, on the first Tab; as long as the line is exactly what
 * the last step left, the next Tab replaces the word with the next one. */
#include "ui/completion.h"

#include <string.h>

#include "command/complete.h"
#include "ui/ui_internal.h"
#include "util/sanitize.h"

static struct {
    GPtrArray *candidates;
    gsize word_start;
    guint index;
    char *left; /* the line as the last step left it */
} cycle;

void completion_reset(void)
{
    if (cycle.candidates)
        ui_mark_dirty(DIRTY_STATUS);
    g_clear_pointer(&cycle.candidates, g_ptr_array_unref);
    g_clear_pointer(&cycle.left, g_free);
}

const GPtrArray *completion_candidates(guint *current)
{
    *current = cycle.index;
    return cycle.candidates;
}

gboolean completion_step(InputLine *input, const Buffer *buffer, int direction)
{
    const char *text = inputline_text(input);
    if (!cycle.candidates || g_strcmp0(cycle.left, text) != 0) {
        completion_reset();
        cycle.candidates = complete_line(text, inputline_cursor(input), buffer,
                                         &cycle.word_start);
        /* Candidates may come from the network (nicks, contacts): one the
         * terminal would obey (controls, bidi overrides) is not typed in
         * for the user, as the input line is drawn as it is. */
        for (guint i = cycle.candidates->len; i-- > 0;) {
            const char *c = g_ptr_array_index(cycle.candidates, i);
            if (!text_is_safe(c, -1, SANITIZE_LINE))
                g_ptr_array_remove_index(cycle.candidates, i);
        }
        if (cycle.candidates->len == 0) {
            completion_reset();
            return FALSE;
        }
        cycle.index = direction > 0 ? 0 : cycle.candidates->len - 1;
    } else {
        guint n = cycle.candidates->len;
        cycle.index = (cycle.index + n + (direction > 0 ? 1 : -1)) % n;
    }
    const char *word = g_ptr_array_index(cycle.candidates, cycle.index);
    /* A single candidate is final: a space lets the next word start;
     * but a directory (a PATH ending in "/") goes on with its entries. */
    gboolean final = cycle.candidates->len == 1 && !g_str_has_suffix(word, "/");
    g_autofree char *replacement =
        final ? g_strconcat(word, " ", NULL) : g_strdup(word);
    inputline_replace_before_cursor(input, cycle.word_start, replacement);
    if (cycle.candidates->len == 1) {
        completion_reset(); /* the next Tab completes the next word */
        return TRUE;
    }
    g_free(cycle.left);
    cycle.left = g_strdup(inputline_text(input));
    ui_mark_dirty(DIRTY_STATUS);
    return TRUE;
}
