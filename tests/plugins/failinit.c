/* failinit.c: a plugin whose init registers a command and a setting and
 * then fails (tests/functional/test_plugins.py: the failure is reported
 * with its reason, natter goes on, and nothing it registered is left). */
#include <natter/plugin.h>

static int cmd(NatterCall *call, int argc, const char *const *argv, void *data)
{
    (void)argc;
    (void)argv;
    (void)data;
    natter_call_print(call, "failinit: still here");
    return 1;
}

static int init(NatterPlugin *plugin)
{
    static const char *const synopsis[] = {"/failinit", NULL};
    const NatterCommandSpec spec = {.name = "failinit",
                                    .synopsis = synopsis,
                                    .summary = "should not remain",
                                    .max_args = 0,
                                    .func = cmd};
    natter_command_register(plugin, &spec, NULL);
    natter_setting_register(plugin, "left", NATTER_SETTING_BOOL, "on",
                            "should not remain", 0, 0, NULL);
    natter_plugin_fail(plugin, "no configuration found (on purpose)");
    return 0;
}

NATTER_PLUGIN_DEFINE("failinit", "1", "fails to start", init, NULL);
