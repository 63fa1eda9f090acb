/* plugin_internal.h: a loaded plugin as the host keeps it, shared by the
 * host (host.c: loading, unloading) and the API (api*.c: what a plugin
 * calls). Not for use outside src/plugin/. */
#pragma once

#include <gmodule.h>

#include "natter/plugin.h"

/* Everything a plugin registered, so that unloading takes it all away. */
struct NatterPlugin {
    char *name;
    char *path;
    GModule *module;
    const NatterPluginInfo *info;
    char *error;          /* why its last call failed; "" when none did */
    char *fail;           /* why its init failed, or NULL */
    char *data_dir;       /* made on first request */
    GPtrArray *commands;  /* PluginCommand * */
    GPtrArray *settings;  /* PluginSetting * */
    GHashTable *events;   /* event id -> PluginEvent * */
    GHashTable *stages;   /* pipeline id -> PluginStage * */
    GHashTable *timers;   /* source id -> PluginTimer * */
    GHashTable *disco;    /* namespace -> extend id */
    GPtrArray *actions;   /* PluginAction * */
    GPtrArray *questions; /* PluginQuestion *, owned by the prompt */
};

/* Records why a call of PLUGIN failed (for natter_plugin_error()), or
 * clears it (MESSAGE NULL). */
void plugin_set_error(NatterPlugin *plugin, const char *message);

/* The registries of a new plugin, and their removal: everything PLUGIN
 * registered goes (api.c, api_message.c). */
void plugin_registries_new(NatterPlugin *plugin);
void plugin_registries_clear(NatterPlugin *plugin);

/* The key actions and questions of PLUGIN (api_ui.c): made and taken
 * away with the other registries; a question still open when the plugin
 * goes is answered to nobody. */
void plugin_ui_registries_new(NatterPlugin *plugin);
void plugin_ui_registries_clear(NatterPlugin *plugin);
char *plugin_ui_registries_describe(const NatterPlugin *plugin);

/* A line "N commands (/a, /b), ..." describing what PLUGIN registered,
 * for /plugin info. Caller frees. */
char *plugin_registries_describe(const NatterPlugin *plugin);
