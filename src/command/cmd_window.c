/* cmd_window.c: moving between windows (buffers) and tidying them. */
#include <string.h>

#include "command/families.h"
#include "util/error.h"

static Buffer *neighbour(Buffer *from, int step)
{
    const GPtrArray *list = buffers_list();
    guint index = 0;
    g_ptr_array_find((GPtrArray *)list, from, &index);
    index = (index + list->len + step) % list->len;
    return g_ptr_array_index(list, index);
}

static gboolean cmd_win(const CommandCall *call, GError **error)
{
    const char *arg = call->argv[0];
    Buffer *target = NULL;
    if (strcmp(arg, "next") == 0) {
        target = neighbour(buffer_current(), 1);
    } else if (strcmp(arg, "prev") == 0) {
        target = neighbour(buffer_current(), -1);
    } else {
        guint64 n = 0;
        if (!g_ascii_string_to_unsigned(arg, 10, 1, G_MAXUINT, &n, NULL)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "'%s' is not a window number, next or prev", arg);
            return FALSE;
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
    buffer_append(call->buffer, LINE_INFO, NULL, "Windows:");
    for (guint i = 0; i < list->len; i++) {
        Buffer *b = g_ptr_array_index(list, i);
        g_autofree char *id = buffer_id(b);
        if (b->unread)
            buffer_appendf(call->buffer, LINE_INFO, "  %2u  %s (%u unread)",
                           b->number, id, b->unread);
        else
            buffer_appendf(call->buffer, LINE_INFO, "  %2u  %s", b->number, id);
    }
    return TRUE;
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
        .synopsis = (const char *const[]){"/win NUMBER", "/win next",
                                          "/win prev", NULL},
        .summary = "go to another window",
        .description = "Shows the window with the given number, or the next "
                       "or previous one. Window numbers stay the same while "
                       "a window is open.",
        .args = (const CommandArg[]){{"NUMBER", "a window number (/wins)"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/win 2", "/win next", NULL},
        .min_args = 1,
        .max_args = 1,
        .func = cmd_win,
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
