/* cmd_core.c: /help and /quit. */
#include <string.h>

#include "command/families.h"
#include "command/help.h"
#include "core/app.h"
#include "core/settings.h"
#include "util/error.h"

static gboolean contains(const char *text, const char *word)
{
    g_autofree char *t = g_utf8_casefold(text, -1);
    g_autofree char *w = g_utf8_casefold(word, -1);
    return strstr(t, w) != NULL;
}

/* The width of the longest command name: the column of the summaries. */
static int name_column(void)
{
    const GPtrArray *commands = commands_list();
    int width = 0;
    for (guint i = 0; i < commands->len; i++)
        width = MAX(
            width,
            (int)strlen(
                ((const CommandDef *)g_ptr_array_index(commands, i))->name));
    return width;
}

/* "  /NAME  SUMMARY", the summaries in one column. */
static void print_summary(Sink *out, const CommandDef *def)
{
    sink_printf(out, LINE_INFO, "  /%-*s %s", name_column(), def->name,
                def->summary);
}

/* /help search WORD: the commands and settings whose name or text has
 * WORD, whatever its case. */
static gboolean help_search(Sink *out, const char *word, GError **error)
{
    guint found = 0;
    const GPtrArray *commands = commands_list();
    for (guint i = 0; i < commands->len; i++) {
        const CommandDef *def = g_ptr_array_index(commands, i);
        if (!contains(def->name, word) && !contains(def->summary, word) &&
            !contains(def->description, word))
            continue;
        if (!found++)
            sink_printf(out, LINE_INFO, "Help about \"%s\":", word);
        print_summary(out, def);
    }
    for (const SettingSpec *s = settings_specs(); s->name; s++) {
        if (!contains(s->name, word) && !contains(s->description, word))
            continue;
        if (!found++)
            sink_printf(out, LINE_INFO, "Help about \"%s\":", word);
        sink_printf(out, LINE_INFO, "  setting %-20s %s", s->name,
                    s->description);
    }
    if (!found) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no command or setting mentions \"%s\"", word);
        return FALSE;
    }
    return TRUE;
}

static gboolean cmd_help(const CommandCall *call, GError **error)
{
    Sink *out = call->out;
    if (call->argc == 2) {
        if (strcmp(call->argv[0], "search") != 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "usage: /help search WORD");
            return FALSE;
        }
        return help_search(out, call->argv[1], error);
    }
    if (call->argc == 0) {
        sink_print(out, LINE_INFO, "Commands (/help COMMAND for details):");
        const GPtrArray *commands = commands_list();
        for (guint i = 0; i < commands->len; i++) {
            print_summary(out, g_ptr_array_index(commands, i));
        }
        return TRUE;
    }
    const char *name =
        call->argv[0][0] == '/' ? call->argv[0] + 1 : call->argv[0];
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    if (strcmp(call->argv[0], "keys") == 0) {
        help_keys_lines(lines);
        for (guint i = 0; i < lines->len; i++)
            sink_print(out, LINE_INFO, g_ptr_array_index(lines, i));
        return TRUE;
    }
    const CommandDef *def = command_find(name);
    if (!def) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no command /%s (/help lists them all)", name);
        return FALSE;
    }
    help_command_lines(def, lines);
    for (guint i = 0; i < lines->len; i++)
        sink_print(out, LINE_INFO, g_ptr_array_index(lines, i));
    return TRUE;
}

static gboolean cmd_quit(const CommandCall *call, GError **error)
{
    app_quit();
    return TRUE;
}

const CommandDef cmd_core_commands[] = {
    {
        .name = "help",
        .synopsis =
            (const char *const[]){"/help", "/help COMMAND", "/help keys",
                                  "/help search WORD", NULL},
        .summary = "list commands, or explain one",
        .description = "Without an argument, lists every command with a "
                       "one-line summary. With a command name (with or "
                       "without the slash), shows its usage, arguments and "
                       "examples: the same text as the man page. keys "
                       "lists every key binding, yours included, and the "
                       "actions keys can be bound to. search lists the "
                       "commands and settings whose name or description "
                       "has WORD.",
        .args = (const CommandArg[]){{"COMMAND", "a command name"},
                                     {"WORD", "what to look for"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/help", "/help connect", "/help keys",
                                  "/help search away", NULL},
        .min_args = 0,
        .max_args = 2,
        .func = cmd_help,
    },
    {
        .name = "quit",
        .synopsis = (const char *const[]){"/quit", NULL},
        .summary = "disconnect every account and leave natter",
        .description =
            "Closes every connection cleanly and exits: contacts get our "
            "unavailable presence, and each stream is ended, so the server "
            "keeps no session to resume (XEP-0198) that would look online "
            "and take messages. A connection still being made is dropped. "
            "The end of input in --headless and the signals TERM, INT and "
            "HUP quit the same way.",
        .min_args = 0,
        .max_args = 0,
        .func = cmd_quit,
    },
    {NULL},
};
