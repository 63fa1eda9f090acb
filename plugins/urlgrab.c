/* urlgrab.c: a natter plugin that remembers the links (http, https, ftp,
 * xmpp and geo URIs) said in each conversation, received or sent, and
 * lists them with /urls in the conversation's window: the last
 * urlgrab.max of each, newest last, numbered so you can copy one. Plain
 * C on natter's plugin API only: also the example of the tutorial in
 * HACKING. */
#include <natter/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One remembered link. */
typedef struct Link {
    char *account;
    char *peer;
    char *url;
    char *nick;
    struct Link *next;
} Link;

static Link *links; /* oldest first */

static char *copy(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void link_free(Link *l)
{
    free(l->account);
    free(l->peer);
    free(l->url);
    free(l->nick);
    free(l);
}

/* Keeps at most MAX links of the conversation: the oldest go. */
static void trim(const char *account, const char *peer, int max)
{
    int count = 0;
    for (Link *l = links; l; l = l->next)
        count += same(l->account, account) && same(l->peer, peer);
    for (Link **p = &links; *p && count > max;) {
        Link *l = *p;
        if (same(l->account, account) && same(l->peer, peer)) {
            *p = l->next;
            link_free(l);
            count--;
        } else {
            p = &l->next;
        }
    }
}

static void remember(const char *account, const char *peer, const char *nick,
                     const char *url, size_t len)
{
    Link *l = calloc(1, sizeof *l);
    if (!l)
        return;
    l->account = copy(account, strlen(account));
    l->peer = copy(peer, strlen(peer));
    l->nick = copy(nick ? nick : "", nick ? strlen(nick) : 0);
    l->url = copy(url, len);
    Link **end = &links;
    while (*end)
        end = &(*end)->next;
    *end = l;
}

static const char *const schemes[] = {"https://", "http://", "ftp://",
                                      "xmpp:",    "geo:",    NULL};

/* Where a URL starts in TEXT at or after P, or NULL. */
static const char *find_url(const char *p)
{
    const char *best = NULL;
    for (int i = 0; schemes[i]; i++) {
        const char *q = p;
        while ((q = strstr(q, schemes[i]))) {
            /* At a word's start only ("xhttp://" is not a link). */
            if (q == p || !strchr("abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                                  q[-1]))
                break;
            q++;
        }
        if (q && (!best || q < best))
            best = q;
    }
    return best;
}

static void on_message(NatterPlugin *plugin, const NatterEvent *event,
                       void *data)
{
    (void)plugin;
    (void)data;
    const NatterMessage *m = natter_event_message(event);
    const char *body = m ? natter_message_body(m) : NULL;
    const char *account = m ? natter_message_account(m) : NULL;
    const char *peer = m ? natter_message_peer(m) : NULL;
    if (!body || !account || !peer)
        return;
    for (const char *u = find_url(body); u; u = find_url(u)) {
        size_t len = strcspn(u, " \t\r\n<>\"");
        /* A sentence's full stop or a closing bracket is not the link's. */
        while (len && strchr(".,;:!?)]'", u[len - 1]))
            len--;
        remember(account, peer, natter_message_nick(m), u, len);
        u += len ? len : 1;
    }
    trim(account, peer, natter_setting_get_int("urlgrab.max"));
}

static int cmd_urls(NatterCall *call, int argc, const char *const *argv,
                    void *data)
{
    (void)data;
    const char *account = natter_call_account(call);
    const char *peer = natter_call_peer(call);
    if (!account || !peer) {
        natter_call_fail(call, "/urls works in a chat or room window");
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "clear") == 0) {
        trim(account, peer, 0);
        natter_call_print(call, "Links forgotten.");
        return 1;
    }
    if (argc) {
        natter_call_fail(call, "usage: /urls [clear]");
        return 0;
    }
    int n = 0;
    char line[4096];
    for (Link *l = links; l; l = l->next) {
        if (!same(l->account, account) || !same(l->peer, peer))
            continue;
        if (!n++) {
            snprintf(line, sizeof line, "Links in %s:", peer);
            natter_call_print(call, line);
        }
        snprintf(line, sizeof line, "  %d. %s (%s)", n, l->url, l->nick);
        natter_call_print(call, line);
    }
    if (!n) {
        snprintf(line, sizeof line, "No links in %s yet.", peer);
        natter_call_print(call, line);
    }
    return 1;
}

static int init(NatterPlugin *plugin)
{
    static const char *const synopsis[] = {"/urls", "/urls clear", NULL};
    const NatterCommandSpec urls = {
        .name = "urls",
        .synopsis = synopsis,
        .summary = "list the links said in this conversation",
        .description = "Lists the links (http, https, ftp, xmpp and geo) "
                       "said in the conversation of the window, received "
                       "or sent since the plugin was loaded, the newest "
                       "last (at most urlgrab.max). /urls clear forgets "
                       "them.",
        .min_args = 0,
        .max_args = 1,
        .func = cmd_urls,
    };
    if (!natter_setting_register(plugin, "max", NATTER_SETTING_INT, "20",
                                 "links /urls keeps per conversation", 1, 1000,
                                 NULL) ||
        !natter_command_register(plugin, &urls, NULL) ||
        !natter_event_subscribe(plugin, "message-received", on_message, NULL) ||
        !natter_event_subscribe(plugin, "message-sent", on_message, NULL)) {
        natter_plugin_fail(plugin, "%s", natter_plugin_error(plugin));
        return 0;
    }
    return 1;
}

static void deinit(NatterPlugin *plugin)
{
    (void)plugin;
    while (links) {
        Link *l = links;
        links = l->next;
        link_free(l);
    }
}

NATTER_PLUGIN_DEFINE("urlgrab", "1.0",
                     "/urls lists the links said in a conversation", init,
                     deinit);
