/* probe.c: a plugin for tests/functional/test_plugins.py that shows what
 * natter gives a plugin: each event it receives is a line "probe: EVENT
 * account=A jid=J detail=D body=B" in natter's console, and /probe uses
 * the rest of the API (raw stanzas, sending, disco features, timers, the
 * data directory, printing, key actions, questions, opening windows). */
#include <natter/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const events[] = {
    "message-received", "message-sent",     "presence-changed",
    "room-changed",     "account-ready",    "account-state",
    "setting-changed",  "occupant-changed", NULL};

static unsigned ticks_left;

static void on_event(NatterPlugin *plugin, const NatterEvent *event, void *data)
{
    (void)data;
    const NatterMessage *m = natter_event_message(event);
    const char *detail = natter_event_detail(event);
    /* Our own lines would be events again only through buffers: none. */
    if (detail && strncmp(detail, "probe.", 6) != 0 &&
        strcmp(natter_event_name(event), "setting-changed") == 0)
        return;
    char line[2048];
    snprintf(line, sizeof line, "probe: %s account=%s jid=%s detail=%s%s%s",
             natter_event_name(event),
             natter_event_account(event) ? natter_event_account(event) : "-",
             natter_event_jid(event) ? natter_event_jid(event) : "-",
             detail ? detail : "-", m ? " body=" : "",
             m && natter_message_body(m) ? natter_message_body(m) : "");
    natter_print(plugin, NULL, NULL, line);
}

static int tick(NatterPlugin *plugin, void *data)
{
    (void)data;
    char line[64];
    snprintf(line, sizeof line, "probe: tick %u", ticks_left);
    natter_print(plugin, NULL, NULL, line);
    return --ticks_left > 0;
}

/* Runs every millisecond until the plugin is unloaded: were it left
 * behind, it would run in unmapped code at once. */
static int spin(NatterPlugin *plugin, void *data)
{
    (void)plugin;
    (*(unsigned *)data)++;
    return 1;
}

static void on_key(NatterPlugin *plugin, void *data)
{
    (void)data;
    natter_print_current(plugin, "probe: key action ran");
}

static void on_answer(NatterPlugin *plugin, const char *answer, void *data)
{
    (void)data;
    char line[1024];
    snprintf(line, sizeof line, "probe: answer %s",
             answer ? answer : "(cancelled)");
    natter_print(plugin, NULL, NULL, line);
}

static int fail_with(NatterCall *call, NatterPlugin *plugin)
{
    natter_call_fail(call, "probe: %s", natter_plugin_error(plugin));
    return 0;
}

static int cmd_probe(NatterCall *call, int argc, const char *const *argv,
                     void *data)
{
    NatterPlugin *plugin = data;
    const char *what = argv[0];
    char line[1024];
    if (strcmp(what, "stanza") == 0 && argc == 2) {
        if (!natter_send_stanza(plugin, natter_call_account(call), argv[1]))
            return fail_with(call, plugin);
        natter_call_print(call, "probe: stanza sent");
    } else if (strcmp(what, "send") == 0 && argc == 2 && strchr(argv[1], ' ')) {
        /* "JID TEXT": the rest of the line is one argument. */
        snprintf(line, sizeof line, "%s", argv[1]);
        char *text = strchr(line, ' ');
        *text++ = '\0';
        if (!natter_send_message(plugin, natter_call_account(call), line, text))
            return fail_with(call, plugin);
    } else if (strcmp(what, "feature") == 0 && argc == 2) {
        if (!natter_disco_feature_add(plugin, argv[1]))
            return fail_with(call, plugin);
        natter_call_print(call, "probe: feature added");
    } else if (strcmp(what, "unfeature") == 0 && argc == 2) {
        natter_disco_feature_remove(plugin, argv[1]);
        natter_call_print(call, "probe: feature removed");
    } else if (strcmp(what, "timer") == 0 && argc == 2) {
        ticks_left = (unsigned)strtoul(argv[1], NULL, 10);
        if (!ticks_left || !natter_timer_add(plugin, 20, tick, NULL))
            return fail_with(call, plugin);
    } else if (strcmp(what, "spin") == 0 && argc == 1) {
        static unsigned spins;
        if (!natter_timer_add(plugin, 1, spin, &spins))
            return fail_with(call, plugin);
        natter_call_print(call, "probe: spinning");
    } else if (strcmp(what, "datadir") == 0 && argc == 1) {
        const char *dir = natter_plugin_data_dir(plugin);
        if (!dir)
            return fail_with(call, plugin);
        snprintf(line, sizeof line, "%s/note.txt", dir);
        FILE *f = fopen(line, "w");
        if (!f || fputs("written by probe\n", f) < 0 || fclose(f) != 0) {
            natter_call_fail(call, "probe: cannot write %s", line);
            return 0;
        }
        snprintf(line, sizeof line, "probe: wrote %s/note.txt", dir);
        natter_call_print(call, line);
    } else if (strcmp(what, "key") == 0 && argc == 1) {
        if (!natter_key_action_add(plugin, "hello", "the probe's key action",
                                   on_key, NULL))
            return fail_with(call, plugin);
        natter_call_print(call, "probe: key action added");
    } else if (strcmp(what, "unkey") == 0 && argc == 1) {
        natter_key_action_remove(plugin, "hello");
        natter_call_print(call, "probe: key action removed");
    } else if (strcmp(what, "ask") == 0 && argc == 2) {
        natter_ask(plugin, argv[1], on_answer, NULL);
    } else if (strcmp(what, "open") == 0 && argc == 2) {
        if (!natter_window_open(plugin, natter_call_account(call), argv[1]))
            return fail_with(call, plugin);
    } else if (strcmp(what, "here") == 0 && argc == 2) {
        natter_print_current(plugin, argv[1]);
    } else if (strcmp(what, "where") == 0 && argc == 1) {
        snprintf(line, sizeof line, "probe: account=%s peer=%s",
                 natter_call_account(call) ? natter_call_account(call) : "-",
                 natter_call_peer(call) ? natter_call_peer(call) : "-");
        natter_call_print(call, line);
    } else {
        natter_call_fail(call, "probe: what?");
        return 0;
    }
    return 1;
}

static int init(NatterPlugin *plugin)
{
    static const char *const synopsis[] = {"/probe stanza XML",
                                           "/probe send JID TEXT",
                                           "/probe feature NAME",
                                           "/probe unfeature NAME",
                                           "/probe timer COUNT",
                                           "/probe datadir",
                                           "/probe here TEXT",
                                           "/probe where",
                                           "/probe key",
                                           "/probe unkey",
                                           "/probe ask QUESTION",
                                           "/probe open JID",
                                           NULL};
    const NatterCommandSpec probe = {
        .name = "probe",
        .synopsis = synopsis,
        .summary = "exercise the plugin API",
        .description = "The test plugin's command.",
        .min_args = 1,
        .max_args = 2,
        .rest = 1,
        .func = cmd_probe,
    };
    if (!natter_command_register(plugin, &probe, plugin) ||
        !natter_setting_register(plugin, "flag", NATTER_SETTING_BOOL, "off",
                                 "a setting of the test plugin", 0, 0, NULL)) {
        natter_plugin_fail(plugin, "%s", natter_plugin_error(plugin));
        return 0;
    }
    for (int i = 0; events[i]; i++)
        if (!natter_event_subscribe(plugin, events[i], on_event, NULL))
            return 0;
    /* An unknown event is refused. */
    if (natter_event_subscribe(plugin, "no-such-event", on_event, NULL)) {
        natter_plugin_fail(plugin, "an unknown event was accepted");
        return 0;
    }
    natter_print(plugin, NULL, NULL, "probe: init done");
    return 1;
}

static void deinit(NatterPlugin *plugin)
{
    natter_print(plugin, NULL, NULL, "probe: deinit");
}

NATTER_PLUGIN_DEFINE("probe", "0.1", "the test suite's probe", init, deinit);
