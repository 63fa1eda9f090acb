/* badversion.c: a plugin declaring an API version natter does not have
 * (tests/functional/test_plugins.py: it must be refused, with a clear
 * message, and its init never run). */
#include <natter/plugin.h>

static int init(NatterPlugin *plugin)
{
    natter_print(plugin, NULL, NULL, "badversion: init ran");
    return 1;
}

__attribute__((visibility("default"))) const NatterPluginInfo natter_plugin = {
    NATTER_PLUGIN_API_VERSION + 41, "badversion", "1",
    "built for the future",         init,         NULL};
