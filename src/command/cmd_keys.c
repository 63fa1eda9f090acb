/* cmd_keys.c: /bind and /unbind: change what a key does (command/keymap.h
 * holds the bindings; the terminal UI looks keys up there). */
#include <string.h>

#include "command/families.h"
#include "command/keymap.h"
#include "util/error.h"

static gboolean cmd_bind(const CommandCall *call, GError **error)
{
    if (call->argc == 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /bind KEY ACTION (/help keys lists the keys)");
        return FALSE;
    }
    const char *key = call->argv[0];
    if (call->argc == 1) {
        if (!keymap_key_valid(key)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "'%s' is not a key natter can bind (/help keys)", key);
            return FALSE;
        }
        const char *action = keymap_lookup(key);
        command_printf(call, LINE_INFO, "%s: %s", key,
                       action ? action : "not bound");
        return TRUE;
    }
    const char *action = call->argv[1];
    if (!keymap_bind(key, action, error))
        return FALSE;
    command_printf(call, LINE_INFO, "%s now does %s", key, action);
    return TRUE;
}

static gboolean cmd_unbind(const CommandCall *call, GError **error)
{
    gboolean restored = FALSE;
    if (!keymap_unbind(call->argv[0], &restored, error))
        return FALSE;
    const char *action = keymap_lookup(call->argv[0]);
    if (restored)
        command_printf(call, LINE_INFO, "%s is back to %s", call->argv[0],
                       action);
    else
        command_printf(call, LINE_INFO, "%s does nothing now", call->argv[0]);
    return TRUE;
}

const CommandDef cmd_keys_commands[] = {
    {
        .name = "bind",
        .synopsis =
            (const char *const[]){"/bind KEY ACTION", "/bind KEY", NULL},
        .summary = "change what a key does",
        .description =
            "Binds KEY to ACTION: a command line (starting with /, to the "
            "end of the line) or one of the built-in actions /help keys "
            "lists (input.home, history.prev ...). With KEY alone, shows "
            "what it does. Keys are named ctrl-LETTER, meta-KEY (Alt, or "
            "Esc then the key) or by name (enter, tab, up, pageup, f1 ...). "
            "Bindings are saved in the config directory's file keys and "
            "take effect at once.",
        .args =
            (const CommandArg[]){{"KEY", "a key name (/help keys)"},
                                 {"ACTION", "a command line or an action name"},
                                 {NULL, NULL}},
        .examples = (const char *const[]){"/bind meta-x /win 10",
                                          "/bind ctrl-o /roster show",
                                          "/bind ctrl-p history.prev", NULL},
        .min_args = 0,
        .max_args = 2,
        .rest = TRUE,
        .func = cmd_bind,
    },
    {
        .name = "unbind",
        .synopsis = (const char *const[]){"/unbind KEY", NULL},
        .summary = "undo a key binding",
        .description = "Takes away your binding of KEY, so it does what it "
                       "does by default again; a key you did not bind loses "
                       "its default binding and does nothing (/bind it to "
                       "have it back).",
        .args = (const CommandArg[]){{"KEY", "a key name (/help keys)"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/unbind ctrl-t", NULL},
        .min_args = 1,
        .max_args = 1,
        .func = cmd_unbind,
    },
    {NULL},
};
