/* cmd_plugin.c: /plugin, loading, unloading and describing plugins
 * (plugin/host.h). Registered into the command table at start, like a
 * plugin's own commands: /help, completion and the man page read it
 * there. */
#include "config.h"

#include "command/command.h"
#include "plugin/host.h"
#include "plugin/plugin_internal.h"
#include "util/error.h"

static const char *version_of(const NatterPlugin *p)
{
    return p->info->version ? p->info->version : "";
}

static gboolean plugin_list(const CommandCall *call)
{
    const GPtrArray *loaded = plugins_loaded();
    if (!loaded->len)
        command_print(call, LINE_INFO, "No plugins loaded.");
    else
        command_print(call, LINE_INFO, "Plugins loaded:");
    for (guint i = 0; i < loaded->len; i++) {
        const NatterPlugin *p = g_ptr_array_index(loaded, i);
        command_printf(call, LINE_INFO, "  %s %s: %s", p->name, version_of(p),
                       p->info->description ? p->info->description : "");
    }
    g_auto(GStrv) available = plugins_available();
    g_autoptr(GString) others = g_string_new(NULL);
    for (char **n = available; *n; n++)
        if (!plugin_find(*n))
            g_string_append_printf(others, " %s", *n);
    g_auto(GStrv) dirs = plugin_dirs();
    g_autofree char *where = g_strjoinv(", ", dirs);
    if (others->len)
        command_printf(call, LINE_INFO, "Not loaded (in %s):%s", where,
                       others->str);
    else
        command_printf(call, LINE_INFO, "No other plugins in %s.", where);
    return TRUE;
}

static gboolean plugin_info(const CommandCall *call, const char *name,
                            GError **error)
{
    const NatterPlugin *p = plugin_find(name);
    if (!p) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no plugin named %s is loaded", name);
        return FALSE;
    }
    g_autofree char *what = plugin_registries_describe(p);
    command_printf(call, LINE_INFO, "Plugin %s %s: %s", p->name, version_of(p),
                   p->info->description ? p->info->description : "");
    command_printf(call, LINE_INFO, "  file: %s (plugin API version %d)",
                   p->path, p->info->api_version);
    command_printf(call, LINE_INFO, "  %s", what);
    return TRUE;
}

static gboolean load(const CommandCall *call, const char *name, GError **error)
{
    NatterPlugin *p = plugin_load(name, error);
    if (!p)
        return FALSE;
    command_printf(call, LINE_INFO, "Plugin %s %s loaded from %s", p->name,
                   version_of(p), p->path);
    return TRUE;
}

static gboolean plugin_cmd(const CommandCall *call, GError **error)
{
    const char *sub = call->argc ? call->argv[0] : "list";
    if (g_str_equal(sub, "list") && call->argc <= 1)
        return plugin_list(call);
    if (call->argc != 2) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /plugin list|load NAME|unload NAME|reload "
                    "NAME|info NAME");
        return FALSE;
    }
    const char *name = call->argv[1];
    if (g_str_equal(sub, "load"))
        return load(call, name, error);
    if (g_str_equal(sub, "info"))
        return plugin_info(call, name, error);
    if (g_str_equal(sub, "unload") || g_str_equal(sub, "reload")) {
        NatterPlugin *p = plugin_find(name);
        g_autofree char *path = p ? g_strdup(p->path) : NULL;
        if (!plugin_unload(name, error))
            return FALSE;
        if (g_str_equal(sub, "reload"))
            return load(call, path, error);
        command_printf(call, LINE_INFO, "Plugin %s unloaded", name);
        return TRUE;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "no /plugin %s: list, load, unload, reload or info", sub);
    return FALSE;
}

/* Plugin names: the loaded ones to unload, reload or describe, the
 * available ones to load. */
static void complete_plugin(const Buffer *buffer, const char *const *args,
                            guint position, GPtrArray *out)
{
    (void)buffer;
    if (position != 1)
        return;
    if (g_str_equal(args[0], "load")) {
        g_auto(GStrv) available = plugins_available();
        for (char **n = available; *n; n++)
            if (!plugin_find(*n))
                g_ptr_array_add(out, g_strdup(*n));
        return;
    }
    if (!g_str_equal(args[0], "unload") && !g_str_equal(args[0], "reload") &&
        !g_str_equal(args[0], "info"))
        return;
    const GPtrArray *loaded = plugins_loaded();
    for (guint i = 0; i < loaded->len; i++)
        g_ptr_array_add(
            out,
            g_strdup(
                ((const NatterPlugin *)g_ptr_array_index(loaded, i))->name));
}

static const CommandDef plugin_def = {
    .name = "plugin",
    .synopsis =
        (const char *const[]){"/plugin [list]", "/plugin load NAME",
                              "/plugin unload NAME", "/plugin reload NAME",
                              "/plugin info NAME", NULL},
    .summary = "load, unload and list plugins",
    .description =
        "Plugins are shared objects built against natter's plugin.h (see "
        "PLUGINS in natter(1) and HACKING). /plugin load finds NAME.so in "
        "the plugins directory of the data directory "
        "($XDG_DATA_HOME/natter/plugins), then in the system's; NAME may "
        "also be the path of a file. "
#ifdef HAVE_PYTHON
        "A file NAME.py (taken after a directory's NAME.so) is a Python "
        "plugin, run by the Python built into natter (see PYTHON PLUGINS in "
        "natter(1)). "
#endif
        "A plugin built for another plugin API "
        "version, or whose init fails, is refused with the reason, and "
        "natter goes on. /plugin unload takes away everything the plugin "
        "added: its commands, settings, event subscriptions, message "
        "stages, timers and disco features. /plugin reload unloads and "
        "loads it again from its file; /plugin info shows what it added. "
        "The setting plugins_autoload names the plugins loaded at start.",
    .args =
        (const CommandArg[]){
            {"NAME", "a plugin's name, or (load) a file's path"}, {NULL, NULL}},
    .examples =
        (const char *const[]){"/plugin load urlgrab", "/plugin info urlgrab",
                              "/set plugins_autoload urlgrab,wordfilter", NULL},
    .min_args = 0,
    .max_args = 2,
    .func = plugin_cmd,
    .complete = complete_plugin,
};

void plugins_register_commands(void)
{
    if (!command_find(plugin_def.name))
        command_register(&plugin_def, NULL);
}
