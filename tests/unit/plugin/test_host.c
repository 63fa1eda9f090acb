/* test_host.c: the plugin host (src/plugin/host.h) with the plugins of the
 * build tree: what a plugin registers is in the built-in registries while
 * it is loaded (its stage in the pipeline, changing or refusing messages)
 * and nowhere after it is unloaded; a plugin built for another API
 * version, or whose init fails, is refused with the reason and leaves
 * nothing behind. This program exports the API like natter (the dynamic
 * list src/plugin/natter.sym), so the plugins bind to it. */
#include "../unit.h"

#include <string.h>

#include "command/command.h"
#include "core/account.h"
#include "core/buffer.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/pipeline.h"
#include "core/settings.h"
#include "plugin/host.h"
#include "util/error.h"

static char *tmpdir;

/* A plugin of the build tree (make check runs in it). */
static char *built(const char *path)
{
    const char *dir = g_getenv("NATTER_BUILDDIR");
    return g_build_filename(dir ? dir : ".", path, NULL);
}

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-host-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    event_init();
    pipeline_init();
    buffers_init();
    commands_init();
    if (!settings_init(NULL))
        return -1;
    plugins_register_commands();
    return 0;
}

static int teardown(void **state)
{
    plugins_shutdown();
    settings_shutdown();
    commands_shutdown();
    buffers_shutdown();
    pipeline_shutdown();
    event_shutdown();
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    return 0;
}

static NatterPlugin *load(const char *path)
{
    g_autofree char *file = built(path);
    g_autoptr(GError) error = NULL;
    NatterPlugin *p = plugin_load(file, &error);
    if (!p)
        fail_msg("loading %s: %s", file, error->message);
    return p;
}

static gboolean describes(PipelineKind kind, const char *stage)
{
    g_autofree char *stages = pipeline_describe(kind);
    return strstr(stages, stage) != NULL;
}

/* wordfilter's stage changes an outgoing body; unloaded, its command,
 * setting and stage are gone. */
static void test_outgoing_stage_and_unload(void **state)
{
    load("plugins/wordfilter.so");
    assert_non_null(plugin_find("wordfilter"));
    assert_non_null(command_find("wordfilter"));
    assert_non_null(settings_find("wordfilter.words"));
    assert_true(describes(PIPELINE_OUT, "wordfilter:replace"));
    assert_true(settings_set("wordfilter.words", "teh=the", NULL));

    g_autoptr(Message) m = message_new();
    m->direction = MESSAGE_OUT;
    m->body = g_strdup("teh cat, tehx teh");
    PipelineItem item = {.message = m};
    assert_int_equal(pipeline_run(PIPELINE_OUT, &item), STAGE_CONTINUE);
    pipeline_item_clear(&item);
    assert_string_equal(m->body, "the cat, tehx the");

    g_autoptr(GError) error = NULL;
    assert_true(plugin_unload("wordfilter", &error));
    assert_null(plugin_find("wordfilter"));
    assert_null(command_find("wordfilter"));
    assert_null(settings_find("wordfilter.words"));
    assert_false(describes(PIPELINE_OUT, "wordfilter:"));
    g_free(m->body);
    m->body = g_strdup("teh end");
    assert_int_equal(pipeline_run(PIPELINE_OUT, &item), STAGE_CONTINUE);
    pipeline_item_clear(&item);
    assert_string_equal(m->body, "teh end");
    assert_false(plugin_unload("wordfilter", &error));
}

/* blockwords' stage refuses an incoming message, with the reason. */
static void test_incoming_stage_refuses(void **state)
{
    load("plugins/blockwords.so");
    assert_true(settings_set("blockwords.words", "casino", NULL));
    g_autoptr(Message) m = message_new();
    m->account = g_strdup("work");
    m->peer = g_strdup("spam@example.org");
    m->body = g_strdup("Visit our CASINO");
    PipelineItem item = {.message = m};
    assert_int_equal(pipeline_run(PIPELINE_IN, &item), STAGE_REFUSED);
    assert_string_equal(item.reason,
                        "refused by plugin blockwords: a message from "
                        "spam@example.org contained \"casino\"");
    pipeline_item_clear(&item);
    g_free(m->body);
    m->body = g_strdup("hello");
    assert_int_equal(pipeline_run(PIPELINE_IN, &item), STAGE_CONTINUE);
    pipeline_item_clear(&item);
    assert_true(plugin_unload("blockwords", NULL));
    assert_false(describes(PIPELINE_IN, "blockwords:"));
}

/* Another API version is refused before its init runs; a failing init is
 * reported with its reason and what it registered is gone. */
static void test_refused_plugins_leave_nothing(void **state)
{
    g_autofree char *bad = built("tests/plugins/badversion.so");
    g_autoptr(GError) error = NULL;
    assert_null(plugin_load(bad, &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_UNSUPPORTED));
    assert_non_null(strstr(error->message, "was built for plugin API "
                                           "version 42, but this natter has "
                                           "version 1"));
    assert_null(plugin_find("badversion"));
    g_clear_error(&error);

    g_autofree char *failing = built("tests/plugins/failinit.so");
    assert_null(plugin_load(failing, &error));
    assert_string_equal(error->message,
                        "plugin failinit failed to start: no configuration "
                        "found (on purpose)");
    assert_null(plugin_find("failinit"));
    assert_null(command_find("failinit"));
    assert_null(settings_find("failinit.left"));
    assert_int_equal(plugins_loaded()->len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_outgoing_stage_and_unload, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_incoming_stage_refuses, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refused_plugins_leave_nothing,
                                        setup, teardown),
    };
    return unit_exit_status(cmocka_run_group_tests(tests, NULL, NULL));
}
