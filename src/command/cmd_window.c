/* cmd_window.c: moving between windows (buffers) and tidying them. */
#include <string.h>

#include "command/families.h"
#include "core/search.h"
#include "util/error.h"

static Buffer *neighbour(Buffer *from, int step)
{
    const GPtrArray *list = buffers_list();
    guint index = 0;
    g_ptr_array_find((GPtrArray *)list, from, &index);
    index = (index + list->len + step) % list->len;
    return g_ptr_array_index(list, index);
}

/* The window the hotlist shows first: the highest activity, and among
 * equals the lowest number. NULL when no window has activity. */
static Buffer *most_urgent(void)
{
    const GPtrArray *list = buffers_list();
    Buffer *best = NULL;
    for (guint i = 0; i < list->len; i++) {
        Buffer *b = g_ptr_array_index(list, i);
        if (b->activity > ACTIVITY_NONE &&
            (!best || b->activity > best->activity))
            best = b;
    }
    return best;
}

static gboolean parse_number(const char *arg, guint *out, GError **error)
{
    guint64 n = 0;
    if (!g_ascii_string_to_unsigned(arg, 10, 1, G_MAXUINT, &n, NULL)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a window number", arg);
        return FALSE;
    }
    *out = (guint)n;
    return TRUE;
}

static gboolean win_move(const CommandCall *call, GError **error)
{
    guint n;
    if (call->argc != 2) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /win move NUMBER");
        return FALSE;
    }
    if (!parse_number(call->argv[1], &n, error))
        return FALSE;
    guint from = call->buffer->number;
    if (!buffer_move(call->buffer, n)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "window 1 is natter's console: it cannot move, and no "
                    "other window can take its place");
        return FALSE;
    }
    command_printf(call, LINE_INFO, "Moved window %u to %u", from, n);
    return TRUE;
}

/* Whether HAYSTACK contains NEEDLE, ignoring case. */
static gboolean contains_folded(const char *haystack, const char *needle)
{
    g_autofree char *h = g_utf8_casefold(haystack, -1);
    g_autofree char *n = g_utf8_casefold(needle, -1);
    return strstr(h, n) != NULL;
}

/* The window NAME means: the one whose name or id (/wins) is NAME, else
 * the only one with NAME in its name or id, ignoring case. NULL with
 * ERROR naming the candidates when several have it, or when none has. */
static Buffer *window_named(const char *name, GError **error)
{
    const GPtrArray *list = buffers_list();
    g_autoptr(GPtrArray) found = g_ptr_array_new();
    for (guint i = 0; i < list->len; i++) {
        Buffer *b = g_ptr_array_index(list, i);
        g_autofree char *id = buffer_id(b);
        if (g_utf8_collate(b->name, name) == 0 || strcmp(id, name) == 0)
            return b;
        if (contains_folded(b->name, name) || contains_folded(id, name))
            g_ptr_array_add(found, b);
    }
    if (found->len == 1)
        return g_ptr_array_index(found, 0);
    if (found->len == 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no window is called '%s' (/wins lists them)", name);
        return NULL;
    }
    g_autoptr(GString) list_text = g_string_new(NULL);
    for (guint i = 0; i < found->len; i++) {
        Buffer *b = g_ptr_array_index(found, i);
        g_string_append_printf(list_text, "%s%u %s", i ? ", " : "", b->number,
                               b->name);
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "%u windows match '%s' (%s): type more of the name, or the "
                "number",
                found->len, name, list_text->str);
    return NULL;
}

static gboolean cmd_win(const CommandCall *call, GError **error)
{
    const char *arg = call->argv[0];
    Buffer *target = NULL;
    if (strcmp(arg, "move") == 0)
        return win_move(call, error);
    if (call->argc > 1) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /win NUMBER|NAME|next|prev|active, /win move "
                    "NUMBER");
        return FALSE;
    }
    if (strcmp(arg, "active") == 0) {
        target = most_urgent();
        if (!target) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "no window has new activity");
            return FALSE;
        }
    } else if (strcmp(arg, "next") == 0) {
        target = neighbour(buffer_current(), 1);
    } else if (strcmp(arg, "prev") == 0) {
        target = neighbour(buffer_current(), -1);
    } else {
        guint64 n = 0;
        gboolean numeric = g_ascii_isdigit(arg[0]) ||
                           (arg[0] == '-' && g_ascii_isdigit(arg[1]));
        if (!g_ascii_string_to_unsigned(arg, 10, 1, G_MAXUINT, &n, NULL) &&
            numeric) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "'%s' is not a window number (/wins lists them)", arg);
            return FALSE;
        }
        if (!numeric) {
            target = window_named(arg, error);
            if (!target)
                return FALSE;
            buffer_switch(target);
            return TRUE;
        }
        target = buffer_by_number((guint)n);
        if (!target) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "there is no window %s (/wins lists them)", arg);
            return FALSE;
        }
    }
    buffer_switch(target);
    return TRUE;
}

static gboolean cmd_wins(const CommandCall *call, GError **error)
{
    const GPtrArray *list = buffers_list();
    command_print(call, LINE_INFO, "Windows:");
    for (guint i = 0; i < list->len; i++) {
        Buffer *b = g_ptr_array_index(list, i);
        g_autofree char *id = buffer_id(b);
        /* A chat called by its contact's roster name says it. */
        g_autofree char *name =
            b->kind == BUFFER_CHAT && g_strcmp0(b->name, b->peer) != 0
                ? g_strdup_printf(" (%s)", b->name)
                : g_strdup("");
        if (b->unread)
            command_printf(call, LINE_INFO, "  %2u  %s%s (%u unread)",
                           b->number, id, name, b->unread);
        else
            command_printf(call, LINE_INFO, "  %2u  %s%s", b->number, id, name);
    }
    return TRUE;
}

static gboolean cmd_search(const CommandCall *call, GError **error)
{
    Buffer *b = call->buffer;
    if (call->argc == 0) {
        if (b->search)
            command_printf(call, LINE_INFO, "Search for '%s' ended", b->search);
        search_set(b, NULL);
        return TRUE;
    }
    search_set(b, call->argv[0]);
    if (search_step(b, -1))
        return TRUE;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                "no line of this window has '%s'", call->argv[0]);
    search_set(b, NULL);
    return FALSE;
}

static gboolean cmd_close(const CommandCall *call, GError **error)
{
    Buffer *target = call->buffer;
    if (call->argc == 1) {
        guint64 n = 0;
        if (!g_ascii_string_to_unsigned(call->argv[0], 10, 1, G_MAXUINT, &n,
                                        NULL) ||
            !(target = buffer_by_number((guint)n))) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "there is no window %s (/wins lists them)",
                        call->argv[0]);
            return FALSE;
        }
    }
    if (!buffer_close(target)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "window 1 (natter's console) cannot be closed");
        return FALSE;
    }
    return TRUE;
}

static gboolean cmd_clear(const CommandCall *call, GError **error)
{
    buffer_clear(call->buffer);
    return TRUE;
}

const CommandDef cmd_window_commands[] = {
    {
        .name = "win",
        .synopsis =
            (const char *const[]){"/win NUMBER", "/win NAME", "/win next",
                                  "/win prev", "/win active",
                                  "/win move NUMBER", NULL},
        .summary = "go to another window",
        .description =
            "Shows the window with the given number, or the next or "
            "previous one. NAME is part of a window's name or of what /wins "
            "lists (a contact's roster name, an address, a room), in any "
            "case: the window whose name it is, or the only one that has "
            "it; when several have it, they are listed. active goes to the "
            "window first in the status "
            "bar's [Act: ...] list: the most urgent activity (private "
            "messages and highlights, then messages, then events), lowest "
            "number first; Alt-A does the same. move gives the current "
            "window another number; a window that had it takes the old "
            "number. Window numbers stay the same while a window is open; "
            "window 1 is always natter's console.",
        .args = (const CommandArg[]){{"NUMBER", "a window number (/wins)"},
                                     {"NAME", "part of a window's name"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/win 2", "/win bob", "/win next",
                                          "/win active", "/win move 5", NULL},
        .min_args = 1,
        .max_args = 2,
        .func = cmd_win,
    },
    {
        .name = "search",
        .synopsis = (const char *const[]){"/search", "/search TEXT", NULL},
        .summary = "find text in the window",
        .description =
            "Finds the newest line of the window that has TEXT (letters in "
            "any case), brings it into view and marks TEXT in every line "
            "shown; in a chat or room the search goes on into its history, "
            "older lines than the window holds. Ctrl-R goes to the next "
            "older line with it, Alt-R back to newer ones; Ctrl-R with no "
            "search going on searches for what is typed on the input line. "
            "/search alone ends the search.",
        .args = (const CommandArg[]){{"TEXT", "what to find, to the end of "
                                              "the line"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/search dinner", "/search", NULL},
        .min_args = 0,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_search,
    },
    {
        .name = "wins",
        .synopsis = (const char *const[]){"/wins", NULL},
        .summary = "list the open windows",
        .description = "Lists every window with its number, what it shows "
                       "and its unread messages.",
        .min_args = 0,
        .max_args = 0,
        .func = cmd_wins,
    },
    {
        .name = "close",
        .synopsis = (const char *const[]){"/close", "/close NUMBER", NULL},
        .summary = "close a window",
        .description = "Closes the current window, or the one with the given "
                       "number. natter's console (window 1) stays open.",
        .args = (const CommandArg[]){{"NUMBER", "a window number (/wins)"},
                                     {NULL, NULL}},
        .min_args = 0,
        .max_args = 1,
        .func = cmd_close,
    },
    {
        .name = "clear",
        .synopsis = (const char *const[]){"/clear", NULL},
        .summary = "clear the current window",
        .description = "Removes every line shown in the current window.",
        .min_args = 0,
        .max_args = 0,
        .func = cmd_clear,
    },
    {NULL},
};
