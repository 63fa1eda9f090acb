/* blockwords.c: a natter plugin that refuses received messages containing
 * any of the words of the setting blockwords.words (separated by commas;
 * case-insensitive for ASCII letters): they are neither stored nor shown,
 * and a line in the account's window says so. Your own messages, from
 * this or another client, are never refused. /blockwords shows the words
 * and how many messages were refused as they came (copies from the
 * archive are refused but not counted). */
#include <natter/plugin.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static unsigned refused;

/* Whether TEXT contains the N bytes of WORD, ignoring ASCII case. */
static int contains(const char *text, const char *word, size_t n)
{
    for (const char *p = text; *p; p++)
        if (strncasecmp(p, word, n) == 0)
            return 1;
    return 0;
}

static NatterStageVerdict check(NatterPlugin *plugin, NatterMessage *message,
                                void *data)
{
    (void)plugin;
    (void)data;
    const char *words = natter_setting_get_string("blockwords.words");
    const char *body = natter_message_body(message);
    if (!words || !body || natter_message_outgoing(message))
        return NATTER_STAGE_CONTINUE;
    for (const char *w = words; *w;) {
        w += strspn(w, ", ");
        size_t n = strcspn(w, ",");
        while (n && w[n - 1] == ' ')
            n--;
        if (n && contains(body, w, n)) {
            char reason[256];
            snprintf(reason, sizeof reason,
                     "a message from %s contained "
                     "\"%.*s\"",
                     natter_message_peer(message) ? natter_message_peer(message)
                                                  : "the server",
                     (int)(n > 64 ? 64 : n), w);
            natter_message_refuse(message, reason);
            /* Its copy from the archive, at the next login, is refused
             * again (it was never stored) but not counted twice. */
            if (strcmp(natter_message_origin(message), "archived") != 0)
                refused++;
            return NATTER_STAGE_REFUSE;
        }
        w += strcspn(w, ",");
    }
    return NATTER_STAGE_CONTINUE;
}

static int cmd_blockwords(NatterCall *call, int argc, const char *const *argv,
                          void *data)
{
    (void)argc;
    (void)argv;
    (void)data;
    const char *words = natter_setting_get_string("blockwords.words");
    char line[512];
    snprintf(line, sizeof line, "Blocked words: %s; %u message%s refused.",
             words && *words ? words : "none (/set blockwords.words ...)",
             refused, refused == 1 ? "" : "s");
    natter_call_print(call, line);
    return 1;
}

static int init(NatterPlugin *plugin)
{
    static const char *const synopsis[] = {"/blockwords", NULL};
    const NatterCommandSpec show = {
        .name = "blockwords",
        .synopsis = synopsis,
        .summary = "show the words whose messages are refused",
        .description = "Shows the words of the setting blockwords.words and "
                       "how many received messages were refused for "
                       "containing one since the plugin was loaded.",
        .min_args = 0,
        .max_args = 0,
        .func = cmd_blockwords,
    };
    refused = 0;
    if (!natter_setting_register(plugin, "words", NATTER_SETTING_STRING, "",
                                 "words, separated by commas: a received "
                                 "message containing one is refused",
                                 0, 0, NULL) ||
        !natter_command_register(plugin, &show, NULL) ||
        !natter_stage_add(plugin, NATTER_STAGE_IN, "block", check, NULL)) {
        natter_plugin_fail(plugin, "%s", natter_plugin_error(plugin));
        return 0;
    }
    return 1;
}

NATTER_PLUGIN_DEFINE("blockwords", "1.0",
                     "refuses received messages containing given words", init,
                     NULL);
