/* cmd_theme.c: /theme: list the theme files, use one, show the looks in
 * use. Loading goes through core/themes.h, whose loader the terminal UI
 * registers, so this file stays below the UI. */
#include <string.h>

#include "command/families.h"
#include "core/settings.h"
#include "core/themes.h"
#include "util/error.h"

static gboolean theme_list(const CommandCall *call)
{
    g_autoptr(GPtrArray) user = NULL;
    g_autoptr(GPtrArray) names = themes_list(&user);
    const char *in_use = settings_get_string("theme");
    command_printf(call, LINE_INFO, "Themes (%u):", names->len);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        command_printf(call, LINE_INFO, "  %s%s%s", name,
                       g_ptr_array_index(user, i) ? " (yours)" : "",
                       strcmp(name, in_use) == 0 ? " - in use" : "");
    }
    if (names->len == 0)
        command_print(call, LINE_INFO,
                      "  none found; natter uses its built-in looks");
    return TRUE;
}

static gboolean theme_show(const CommandCall *call, GError **error)
{
    g_autofree char *name = NULL;
    g_autofree char *file = NULL;
    g_autoptr(GPtrArray) lines = themes_describe(&name, &file, error);
    if (!lines)
        return FALSE;
    command_printf(call, LINE_INFO, "Theme %s (%s):", name,
                   file ? file : "built in");
    for (guint i = 0; i < lines->len; i++)
        command_printf(call, LINE_INFO, "  %s",
                       (const char *)g_ptr_array_index(lines, i));
    return TRUE;
}

static gboolean theme_load(const CommandCall *call, GError **error)
{
    const char *name = call->argv[1];
    if (!themes_load(name, error))
        return FALSE;
    /* Remembered only once it worked, so natter starts with it. */
    if (!settings_set("theme", name, error))
        return FALSE;
    command_printf(call, LINE_INFO, "Theme %s in use", name);
    return TRUE;
}

static gboolean cmd_theme(const CommandCall *call, GError **error)
{
    const char *sub = call->argc ? call->argv[0] : "show";
    if (strcmp(sub, "list") == 0 && call->argc == 1)
        return theme_list(call);
    if (strcmp(sub, "show") == 0 && call->argc <= 1)
        return theme_show(call, error);
    if (strcmp(sub, "load") == 0 && call->argc == 2)
        return theme_load(call, error);
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /theme list | load THEME | show");
    return FALSE;
}

const CommandDef cmd_theme_commands[] = {
    {
        .name = "theme",
        .synopsis =
            (const char *const[]){"/theme", "/theme list", "/theme load THEME",
                                  "/theme show", NULL},
        .summary = "choose the terminal's colours",
        .description =
            "list shows the themes natter finds: NAME.theme files in the "
            "themes/ directory of the config dir (yours) and the shipped "
            "ones (default, light, mono, irssi); yours win over a shipped "
            "theme of the same name. load uses a theme at once and saves "
            "it as the setting theme, so natter starts with it; a theme "
            "file with an error is not used at all and the error names the "
            "file and "
            "style. show (also /theme alone) prints the theme in use, style "
            "by style, in the form a theme file takes, then its formats (the "
            "[formats] group: time, time.dated for a line older than the "
            "lines before it, day.change for the row above the first line "
            "of a day): copy a shipped theme to ~/.config/natter/themes/ to "
            "change it.",
        .args = (const CommandArg[]){{"THEME", "a theme name (/theme list)"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/theme list", "/theme load light",
                                          "/theme show", NULL},
        .min_args = 0,
        .max_args = 2,
        .func = cmd_theme,
    },
    {NULL},
};
