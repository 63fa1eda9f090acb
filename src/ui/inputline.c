/* inputline.c: see inputline.h. Lines are short, so every edit may copy;
 * clarity wins over cleverness here. */
#include "ui/inputline.h"

#include <string.h>

#include "util/textwidth.h"

#define HISTORY_MAX 500

struct InputLine {
    GString *text;
    gsize cursor;
    char *kill;          /* the last killed text, for yank */
    GPtrArray *history;  /* char *, oldest first: every line typed */
    GHashTable *scoped;  /* scope -> GPtrArray of the lines typed there */
    char *scope;         /* the window typed in, or NULL */
    GPtrArray *browsing; /* the history Up/Down walk now, or NULL */
    guint history_pos;   /* index into browsing */
    char *draft;         /* the line being edited before browsing */
};

static void wipe(char *s)
{
    if (s)
        memset(s, 0, strlen(s));
}

static void wipe_free(gpointer s)
{
    wipe(s);
    g_free(s);
}

InputLine *inputline_new(void)
{
    InputLine *input = g_new0(InputLine, 1);
    input->text = g_string_new(NULL);
    input->history = g_ptr_array_new_with_free_func(wipe_free);
    input->scoped = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)g_ptr_array_unref);
    return input;
}

void inputline_free(InputLine *input)
{
    if (!input)
        return;
    inputline_clear(input);
    g_string_free(input->text, TRUE);
    wipe_free(input->kill);
    wipe_free(input->draft);
    g_ptr_array_unref(input->history);
    g_hash_table_unref(input->scoped);
    g_free(input->scope);
    g_free(input);
}

const char *inputline_text(const InputLine *input)
{
    return input->text->str;
}

gsize inputline_cursor(const InputLine *input)
{
    return input->cursor;
}

gsize inputline_cursor_column(const InputLine *input)
{
    return text_width(input->text->str, input->cursor);
}

static gboolean is_mark(const char *p)
{
    return *p && text_char_width(g_utf8_get_char(p)) == 0;
}

/* The start of the character before POS, with its combining marks. */
static gsize prev_pos(const InputLine *input, gsize pos)
{
    const char *s = input->text->str;
    const char *p = s + pos;
    while (p > s) {
        p = g_utf8_prev_char(p);
        if (!is_mark(p))
            break;
    }
    return p - s;
}

/* The end of the character at POS, with its combining marks. */
static gsize next_pos(const InputLine *input, gsize pos)
{
    const char *p = input->text->str + pos;
    if (!*p)
        return pos;
    p = g_utf8_next_char(p);
    while (is_mark(p))
        p = g_utf8_next_char(p);
    return p - input->text->str;
}

static gboolean is_space_at(const InputLine *input, gsize pos)
{
    return g_unichar_isspace(g_utf8_get_char(input->text->str + pos));
}

static gsize word_start_before(const InputLine *input, gsize pos)
{
    while (pos > 0 && is_space_at(input, prev_pos(input, pos)))
        pos = prev_pos(input, pos);
    while (pos > 0 && !is_space_at(input, prev_pos(input, pos)))
        pos = prev_pos(input, pos);
    return pos;
}

static gsize word_end_after(const InputLine *input, gsize pos)
{
    gsize len = input->text->len;
    while (pos < len && is_space_at(input, pos))
        pos = next_pos(input, pos);
    while (pos < len && !is_space_at(input, pos))
        pos = next_pos(input, pos);
    return pos;
}

void inputline_insert(InputLine *input, const char *text)
{
    if (!*text || !g_utf8_validate(text, -1, NULL))
        return;
    g_string_insert(input->text, input->cursor, text);
    input->cursor += strlen(text);
    /* Marks that followed the cursor (a line may start with one) now
     * belong to the inserted character: the cursor goes past them. */
    while (is_mark(input->text->str + input->cursor))
        input->cursor = g_utf8_next_char(input->text->str + input->cursor) -
                        input->text->str;
}

void inputline_set_text(InputLine *input, const char *text)
{
    inputline_clear(input);
    inputline_insert(input, text);
}

void inputline_replace_before_cursor(InputLine *input, gsize from,
                                     const char *text)
{
    if (from > input->cursor || !g_utf8_validate(text, -1, NULL))
        return;
    g_string_erase(input->text, from, input->cursor - from);
    input->cursor = from;
    inputline_insert(input, text);
}

/* Removes [FROM, TO) and returns it when KEEP (for the kill buffer). */
static void cut(InputLine *input, gsize from, gsize to, gboolean keep)
{
    if (to <= from)
        return;
    if (keep) {
        wipe_free(input->kill);
        input->kill = g_strndup(input->text->str + from, to - from);
    }
    g_string_erase(input->text, from, to - from);
    input->cursor = from;
}

void inputline_delete_back(InputLine *input)
{
    cut(input, prev_pos(input, input->cursor), input->cursor, FALSE);
}

void inputline_delete_forward(InputLine *input)
{
    cut(input, input->cursor, next_pos(input, input->cursor), FALSE);
}

void inputline_left(InputLine *input)
{
    input->cursor = prev_pos(input, input->cursor);
}

void inputline_right(InputLine *input)
{
    input->cursor = next_pos(input, input->cursor);
}

void inputline_home(InputLine *input)
{
    input->cursor = 0;
}

void inputline_end(InputLine *input)
{
    input->cursor = input->text->len;
}

void inputline_word_left(InputLine *input)
{
    input->cursor = word_start_before(input, input->cursor);
}

void inputline_word_right(InputLine *input)
{
    input->cursor = word_end_after(input, input->cursor);
}

void inputline_kill_to_end(InputLine *input)
{
    cut(input, input->cursor, input->text->len, TRUE);
}

void inputline_kill_to_start(InputLine *input)
{
    cut(input, 0, input->cursor, TRUE);
}

void inputline_kill_word_back(InputLine *input)
{
    cut(input, word_start_before(input, input->cursor), input->cursor, TRUE);
}

void inputline_kill_word_forward(InputLine *input)
{
    cut(input, input->cursor, word_end_after(input, input->cursor), TRUE);
}

void inputline_yank(InputLine *input)
{
    if (input->kill)
        inputline_insert(input, input->kill);
}

void inputline_transpose(InputLine *input)
{
    /* Swap the characters before and at the cursor; at the end of the
     * line, the last two (as Emacs and readline do). */
    gsize len = input->text->len;
    if (len == 0 || input->cursor == 0)
        return;
    gsize mid = input->cursor == len ? prev_pos(input, len) : input->cursor;
    if (mid == 0)
        return;
    gsize start = prev_pos(input, mid);
    gsize end = next_pos(input, mid);
    g_autofree char *first = g_strndup(input->text->str + start, mid - start);
    g_autofree char *second = g_strndup(input->text->str + mid, end - mid);
    g_string_erase(input->text, start, end - start);
    g_string_insert(input->text, start, first);
    g_string_insert(input->text, start, second);
    input->cursor = end;
}

void inputline_clear(InputLine *input)
{
    memset(input->text->str, 0, input->text->len);
    g_string_truncate(input->text, 0);
    input->cursor = 0;
}

static void remember_in(GPtrArray *history, const char *text)
{
    guint n = history->len;
    /* Typing the same line twice keeps one entry. */
    if (n == 0 || strcmp(g_ptr_array_index(history, n - 1), text) != 0)
        g_ptr_array_add(history, g_strdup(text));
    if (history->len > HISTORY_MAX)
        g_ptr_array_remove_index(history, 0);
}

static GPtrArray *scope_history(InputLine *input, gboolean create)
{
    if (!input->scope)
        return input->history;
    GPtrArray *h = g_hash_table_lookup(input->scoped, input->scope);
    if (!h && create) {
        h = g_ptr_array_new_with_free_func(wipe_free);
        g_hash_table_insert(input->scoped, g_strdup(input->scope), h);
    }
    return h;
}

char *inputline_take(InputLine *input, gboolean remember)
{
    char *text = g_strdup(input->text->str);
    inputline_clear(input);
    g_clear_pointer(&input->draft, wipe_free);
    if (remember && *text) {
        remember_in(input->history, text);
        if (input->scope)
            remember_in(scope_history(input, TRUE), text);
    }
    input->browsing = NULL;
    return text;
}

void inputline_set_scope(InputLine *input, const char *scope)
{
    if (g_strcmp0(scope, input->scope) == 0)
        return;
    g_free(input->scope);
    input->scope = g_strdup(scope);
    /* What is on the line stays; browsing starts afresh. */
    input->browsing = NULL;
    g_clear_pointer(&input->draft, wipe_free);
}

static void step(InputLine *input, GPtrArray *history, int direction)
{
    if (!history)
        return; /* nothing typed in this scope yet */
    if (input->browsing != history) {
        if (direction > 0 || history->len == 0)
            return;
        /* The draft is what was typed before any browsing. */
        if (!input->browsing) {
            wipe_free(input->draft);
            input->draft = g_strdup(input->text->str);
        }
        input->browsing = history;
        input->history_pos = history->len;
    }
    if (direction < 0) {
        if (input->history_pos == 0)
            return;
        input->history_pos--;
    } else {
        input->history_pos++;
    }
    if (input->history_pos >= history->len) {
        input->browsing = NULL;
        g_autofree char *draft = g_steal_pointer(&input->draft);
        inputline_set_text(input, draft ? draft : "");
        wipe(draft);
    } else {
        inputline_set_text(input,
                           g_ptr_array_index(history, input->history_pos));
    }
}

void inputline_history_prev(InputLine *input)
{
    step(input, scope_history(input, FALSE), -1);
}

void inputline_history_next(InputLine *input)
{
    step(input, scope_history(input, FALSE), 1);
}

void inputline_global_prev(InputLine *input)
{
    step(input, input->history, -1);
}

void inputline_global_next(InputLine *input)
{
    step(input, input->history, 1);
}
