/* wordfilter.c: a natter plugin that replaces words in the messages you
 * send, before they are stored, shown and sent: the setting
 * wordfilter.words holds FROM=TO pairs separated by commas or spaces
 * ("teh=the, recieve=receive"). Only whole words are replaced (a letter,
 * digit or '_' next to FROM keeps it). /wordfilter shows the pairs. */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <natter/plugin.h>
#include <stdlib.h>
#include <string.h>

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* Appends N bytes of S to the growing string *OUT (length *LEN). */
static int append(char **out, size_t *len, const char *s, size_t n)
{
    char *grown = realloc(*out, *len + n + 1);
    if (!grown)
        return 0;
    memcpy(grown + *len, s, n);
    *len += n;
    grown[*len] = '\0';
    *out = grown;
    return 1;
}

/* BODY with every whole word FROM (N bytes) replaced by TO (M bytes).
 * Caller frees; NULL when nothing changed or memory ran out. */
static char *replace_word(const char *body, const char *from, size_t n,
                          const char *to, size_t m)
{
    char *out = NULL;
    size_t len = 0;
    int changed = 0;
    const char *p = body;
    for (const char *q = strstr(p, from); q; q = strstr(q + 1, from)) {
        if ((q > body && word_char(q[-1])) || word_char(q[n]) || q < p)
            continue;
        if (!append(&out, &len, p, (size_t)(q - p)) ||
            !append(&out, &len, to, m))
            goto fail;
        p = q + n;
        changed = 1;
    }
    if (!changed || !append(&out, &len, p, strlen(p)))
        goto fail;
    return out;
fail:
    free(out);
    return NULL;
}

static NatterStageVerdict filter(NatterPlugin *plugin, NatterMessage *message,
                                 void *data)
{
    (void)plugin;
    (void)data;
    const char *words = natter_setting_get_string("wordfilter.words");
    const char *body = natter_message_body(message);
    if (!words || !body)
        return NATTER_STAGE_CONTINUE;
    char *text = NULL;
    for (const char *w = words; *w;) {
        w += strspn(w, ", ");
        size_t pair = strcspn(w, ", ");
        const char *eq = memchr(w, '=', pair);
        if (eq && eq > w) {
            /* FROM and TO as strings of their own (strstr needs them). */
            char *from = strndup(w, (size_t)(eq - w));
            char *to = strndup(eq + 1, pair - (size_t)(eq - w) - 1);
            char *next = from && to ? replace_word(text ? text : body, from,
                                                   strlen(from), to, strlen(to))
                                    : NULL;
            free(from);
            free(to);
            if (next) {
                free(text);
                text = next;
            }
        }
        w += pair;
    }
    if (text)
        natter_message_set_body(message, text);
    free(text);
    return NATTER_STAGE_CONTINUE;
}

static int cmd_wordfilter(NatterCall *call, int argc, const char *const *argv,
                          void *data)
{
    (void)argc;
    (void)argv;
    (void)data;
    const char *words = natter_setting_get_string("wordfilter.words");
    natter_call_print(
        call, words && *words ? "Replaced in what you send (wordfilter.words):"
                              : "No words to replace: /set wordfilter.words "
                                "FROM=TO,...");
    if (words && *words)
        natter_call_print(call, words);
    return 1;
}

static int init(NatterPlugin *plugin)
{
    static const char *const synopsis[] = {"/wordfilter", NULL};
    const NatterCommandSpec show = {
        .name = "wordfilter",
        .synopsis = synopsis,
        .summary = "show the words replaced in what you send",
        .description = "Shows the FROM=TO pairs of the setting "
                       "wordfilter.words: in each message you send, every "
                       "whole word FROM becomes TO before the message is "
                       "stored, shown and sent.",
        .min_args = 0,
        .max_args = 0,
        .func = cmd_wordfilter,
    };
    if (!natter_setting_register(plugin, "words", NATTER_SETTING_STRING, "",
                                 "FROM=TO pairs, separated by commas or "
                                 "spaces, replaced in messages you send",
                                 0, 0, NULL) ||
        !natter_command_register(plugin, &show, NULL) ||
        !natter_stage_add(plugin, NATTER_STAGE_OUT, "replace", filter, NULL)) {
        natter_plugin_fail(plugin, "%s", natter_plugin_error(plugin));
        return 0;
    }
    return 1;
}

NATTER_PLUGIN_DEFINE("wordfilter", "1.0",
                     "replaces words in the messages you send", init, NULL);
