/* host.h: the plugin host. Plugins are shared objects loaded with
 * GModule from the user's plugin directory (the data directory's
 * plugins/, i.e. $XDG_DATA_HOME/natter/plugins) and then the system one
 * ($(libdir)/natter/plugins); they use the API of include/natter/
 * plugin.h, whose registries are the built-in ones (commands, settings,
 * events, pipeline stages, disco features). The plugins_autoload
 * setting names those loaded at start. */
#pragma once

#include <glib.h>

typedef struct NatterPlugin NatterPlugin;

/* Registers /plugin (also for natter-docgen, which loads nothing). */
void plugins_register_commands(void);

/* Registers /plugin and loads the plugins of plugins_autoload; a plugin
 * that cannot be loaded is reported in natter's console. */
void plugins_init(void);
/* Unloads every plugin (deinit, then what it registered goes). */
void plugins_shutdown(void);

/* Loads the plugin NAME (found in the plugin directories as NAME.so) or
 * the file PATH (when it contains a '/'). FALSE with ERROR when it cannot
 * be opened, is not a natter plugin, was built for another API version,
 * has the name of a loaded one, or its init failed. */
NatterPlugin *plugin_load(const char *name_or_path, GError **error);
/* Unloads the plugin NAME. */
gboolean plugin_unload(const char *name, GError **error);

/* The loaded plugins in load order (borrowed). */
const GPtrArray *plugins_loaded(void);
NatterPlugin *plugin_find(const char *name);

/* The plugin directories, the user's first. Caller frees. */
char **plugin_dirs(void);
/* Names of the plugins found in the directories (without .so), sorted,
 * each once. Caller frees. */
char **plugins_available(void);
