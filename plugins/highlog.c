/* highlog.c: a natter plugin that writes the room messages mentioning you
 * (and, with highlog.chats on, every one-to-one message you receive) to
 * highlights.log in its data directory, one line each: time, account,
 * conversation, nick, text (control characters made spaces), so that
 * nothing said to you while you were away is missed. /highlights shows
 * the last lines (/highlights N: N of them). */
#define _POSIX_C_SOURCE 200809L /* localtime_r */
#include <natter/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char log_path[4096];

/* S with every control character (tab, newline, escape...) a space. */
static void put_clean(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
}

static void on_message(NatterPlugin *plugin, const NatterEvent *event,
                       void *data)
{
    (void)data;
    const NatterMessage *m = natter_event_message(event);
    if (!m || natter_message_outgoing(m) || !natter_message_body(m))
        return;
    const char *kind = natter_message_kind(m);
    int chat = strcmp(kind, "chat") == 0 || strcmp(kind, "private") == 0;
    if (!natter_message_highlight(m) &&
        !(chat && natter_setting_get_bool("highlog.chats")))
        return;
    FILE *f = fopen(log_path, "a");
    if (!f) {
        natter_print(plugin, NULL, NULL, "highlog: cannot write the log");
        return;
    }
    time_t when = (time_t)(natter_message_time(m) / 1000000);
    struct tm tm;
    char stamp[32] = "";
    if (localtime_r(&when, &tm))
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(f, "%s ", stamp);
    put_clean(f, natter_message_account(m));
    fputc(' ', f);
    put_clean(f, natter_message_peer(m) ? natter_message_peer(m) : "-");
    fputs(" <", f);
    put_clean(f, natter_message_nick(m));
    fputs("> ", f);
    put_clean(f, natter_message_body(m));
    fputc('\n', f);
    fclose(f);
}

static int cmd_highlights(NatterCall *call, int argc, const char *const *argv,
                          void *data)
{
    (void)data;
    long want = argc ? strtol(argv[0], NULL, 10) : 10;
    if (want < 1 || want > 1000) {
        natter_call_fail(call, "/highlights N: N from 1 to 1000");
        return 0;
    }
    FILE *f = fopen(log_path, "r");
    if (!f) {
        natter_call_print(call, "No highlights logged yet.");
        return 1;
    }
    /* Two passes: count the lines, then print the last WANT. */
    long total = 0;
    char line[4096];
    while (fgets(line, sizeof line, f))
        total += strchr(line, '\n') != NULL;
    rewind(f);
    char head[4200];
    snprintf(head, sizeof head, "Last highlights (%s):", log_path);
    natter_call_print(call, head);
    for (long n = 0; fgets(line, sizeof line, f);) {
        char *end = strchr(line, '\n');
        if (!end)
            continue;
        *end = '\0';
        if (n++ >= total - want)
            natter_call_print(call, line);
    }
    fclose(f);
    return 1;
}

static int init(NatterPlugin *plugin)
{
    static const char *const synopsis[] = {"/highlights [COUNT]", NULL};
    const NatterCommandSpec show = {
        .name = "highlights",
        .synopsis = synopsis,
        .summary = "show the last messages that mentioned you",
        .description = "Shows the last COUNT lines (10 when not given) of "
                       "highlights.log in highlog's data directory: the "
                       "room messages that mentioned you and, with "
                       "highlog.chats on, the one-to-one messages you "
                       "received.",
        .min_args = 0,
        .max_args = 1,
        .func = cmd_highlights,
    };
    const char *dir = natter_plugin_data_dir(plugin);
    if (!dir) {
        natter_plugin_fail(plugin, "%s", natter_plugin_error(plugin));
        return 0;
    }
    snprintf(log_path, sizeof log_path, "%s/highlights.log", dir);
    if (!natter_setting_register(plugin, "chats", NATTER_SETTING_BOOL, "off",
                                 "also log the one-to-one messages you "
                                 "receive",
                                 0, 0, NULL) ||
        !natter_command_register(plugin, &show, NULL) ||
        !natter_event_subscribe(plugin, "message-received", on_message, NULL)) {
        natter_plugin_fail(plugin, "%s", natter_plugin_error(plugin));
        return 0;
    }
    return 1;
}

NATTER_PLUGIN_DEFINE("highlog", "1.0",
                     "logs the messages that mention you to a file", init,
                     NULL);
