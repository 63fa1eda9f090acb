/* cmd_set.c: /set and /unset, the global settings of core/settings.h. */
#include <string.h>

#include "command/families.h"
#include "core/settings.h"
#include "util/error.h"

static void show_setting(Sink *out, const SettingSpec *spec)
{
    const char *value = settings_get_string(spec->name);
    sink_printf(out, LINE_INFO, "  %-22s %s%s", spec->name,
                *value ? value : "(empty)",
                settings_is_set(spec->name) ? "" : "  (default)");
}

static gboolean cmd_set(const CommandCall *call, GError **error)
{
    Sink *out = call->out;
    if (call->argc == 2) {
        if (!settings_set(call->argv[0], call->argv[1], error))
            return FALSE;
        sink_printf(out, LINE_INFO, "%s = %s", call->argv[0],
                    settings_get_string(call->argv[0]));
        return TRUE;
    }
    /* No argument lists everything; an exact name shows that setting with
     * its description; anything else is a pattern (* and ? wildcards,
     * or a plain substring). */
    const char *pattern = call->argc ? call->argv[0] : "*";
    const SettingSpec *exact = settings_find(pattern);
    if (exact) {
        show_setting(out, exact);
        sink_printf(out, LINE_INFO, "    %s (%s; default: %s)",
                    exact->description, setting_type_hint(exact),
                    *exact->default_value ? exact->default_value : "empty");
        return TRUE;
    }
    g_autofree char *glob = strpbrk(pattern, "*?")
                                ? g_strdup(pattern)
                                : g_strdup_printf("*%s*", pattern);
    g_autoptr(GPatternSpec) match = g_pattern_spec_new(glob);
    guint shown = 0;
    for (const SettingSpec *spec = settings_specs(); spec->name; spec++) {
        if (!g_pattern_spec_match_string(match, spec->name))
            continue;
        if (!shown++)
            sink_print(out, LINE_INFO,
                       "Settings (/set SETTING for its description):");
        show_setting(out, spec);
    }
    if (!shown) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no setting matches '%s' (/set lists them)", pattern);
        return FALSE;
    }
    return TRUE;
}

static gboolean cmd_unset(const CommandCall *call, GError **error)
{
    if (!settings_unset(call->argv[0], error))
        return FALSE;
    command_printf(call, LINE_INFO, "%s = %s (default)", call->argv[0],
                   settings_get_string(call->argv[0]));
    return TRUE;
}

const CommandDef cmd_set_commands[] = {
    {
        .name = "set",
        .synopsis = (const char *const[]){"/set", "/set PATTERN",
                                          "/set SETTING VALUE", NULL},
        .summary = "show or change settings",
        .description =
            "Without an argument, lists every setting and its value. With "
            "a setting's name, shows its value, description and default; "
            "with a pattern (* and ? wildcards, or part of a name), the "
            "settings that match. With a value, changes the setting and "
            "saves it in natterrc. The SETTINGS section of the man page "
            "lists them all.",
        .args =
            (const CommandArg[]){
                {"SETTING", "a setting's name"},
                {"VALUE", "on|off, a number or text, as the setting needs; "
                          "the rest of the line, spaces included"},
                {NULL, NULL}},
        .examples =
            (const char *const[]){"/set", "/set reconnect",
                                  "/set autoaway_minutes 10",
                                  "/set autoaway_message at lunch", NULL},
        .min_args = 0,
        .max_args = 2,
        .rest = TRUE,
        .func = cmd_set,
    },
    {
        .name = "unset",
        .synopsis = (const char *const[]){"/unset SETTING", NULL},
        .summary = "put a setting back to its default",
        .description = "Forgets the value given with /set, so the default "
                       "applies again, and saves natterrc.",
        .args =
            (const CommandArg[]){{"SETTING", "a setting's name"}, {NULL, NULL}},
        .examples = (const char *const[]){"/unset autoaway_minutes", NULL},
        .min_args = 1,
        .max_args = 1,
        .func = cmd_unset,
    },
    {NULL},
};
