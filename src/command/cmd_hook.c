/* cmd_hook.c: /hook, the event hooks of core/hooks.h: listing, adding,
 * removing, testing and reloading them. */
#include <string.h>

#include "command/families.h"
#include "core/hooks.h"
#include "util/error.h"

static gboolean hook_list(const CommandCall *call)
{
    const GPtrArray *hooks = hooks_list();
    if (!hooks->len) {
        command_print(call, LINE_INFO,
                      "No hooks (/hook add, or the hooks file; /help hook).");
        return TRUE;
    }
    command_print(call, LINE_INFO, "Hooks:");
    for (guint i = 0; i < hooks->len; i++) {
        const Hook *hook = g_ptr_array_index(hooks, i);
        g_autofree char *timeout =
            hook->timeout ? g_strdup_printf(" timeout %u s", hook->timeout)
                          : g_strdup("");
        command_printf(
            call, LINE_INFO, "  %s  on %s%s%s%s%s%s%s: %s", hook->name,
            hook->event, hook->account ? " account " : "",
            hook->account ? hook->account : "", hook->peer ? " peer " : "",
            hook->peer ? hook->peer : "",
            hook->not_current ? " not-current" : "", timeout, hook->command);
    }
    return TRUE;
}

/* "add NAME EVENT [-account A] [-peer JID] [-not-current] [-timeout S]
 * PROGRAM [ARGS...]":
 * REST is everything after "add", the program's part kept as typed. */
static gboolean hook_add(const CommandCall *call, const char *rest,
                         GError **error)
{
    g_auto(GStrv) head = command_split(rest, 3, TRUE, error);
    if (!head)
        return FALSE;
    if (g_strv_length(head) < 3) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "usage: %s",
                    call->def->synopsis[1]);
        return FALSE;
    }
    Hook hook = {.name = head[0], .event = head[1]};
    g_autofree char *account = NULL, *peer = NULL;
    const char *p = head[2];
    for (;;) {
        p += strspn(p, " \t");
        gsize len = strcspn(p, " \t");
        const char *value = p + len + strspn(p + len, " \t");
        gsize vlen = strcspn(value, " \t");
        char **slot = NULL;
        if (len == 8 && !strncmp(p, "-account", 8))
            slot = &account;
        else if (len == 5 && !strncmp(p, "-peer", 5))
            slot = &peer;
        else if (len == 12 && !strncmp(p, "-not-current", 12)) {
            hook.not_current = TRUE;
            p += len;
            continue;
        } else if (len == 8 && !strncmp(p, "-timeout", 8)) {
            g_autofree char *text = g_strndup(value, vlen);
            char *end;
            guint64 seconds = g_ascii_strtoull(text, &end, 10);
            if (!*text || *end || !seconds || seconds > 3600) {
                g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                            "-timeout takes seconds from 1 to 3600, not '%s'",
                            text);
                return FALSE;
            }
            hook.timeout = (guint)seconds;
        } else
            break;
        if (slot) {
            g_free(*slot);
            *slot = g_strndup(value, vlen);
        }
        p = value + vlen;
    }
    if (!*p) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "which program? usage: %s", call->def->synopsis[1]);
        return FALSE;
    }
    hook.account = account;
    hook.peer = peer;
    hook.command = (char *)p;
    if (!hooks_add(&hook, error))
        return FALSE;
    command_printf(call, LINE_INFO, "Hook %s added: on %s, %s", hook.name,
                   hook.event, hook.command);
    return TRUE;
}

static gboolean cmd_hook(const CommandCall *call, GError **error)
{
    const char *line = call->argc ? call->argv[0] : "list";
    g_auto(GStrv) words = command_split(line, 2, TRUE, error);
    if (!words)
        return FALSE;
    const char *verb = words[0] ? words[0] : "list";
    const char *rest = words[0] && words[1] ? words[1] : "";
    if (!strcmp(verb, "list") && !*rest)
        return hook_list(call);
    if (!strcmp(verb, "add"))
        return hook_add(call, rest, error);
    if (!strcmp(verb, "reload") && !*rest) {
        if (!hooks_reload(error))
            return FALSE;
        command_printf(call, LINE_INFO, "%u hooks loaded.", hooks_list()->len);
        return TRUE;
    }
    if ((!strcmp(verb, "del") || !strcmp(verb, "test")) && *rest &&
        !strpbrk(rest, " \t")) {
        if (!strcmp(verb, "test"))
            return hooks_test(rest, error);
        if (!hooks_remove(rest, error))
            return FALSE;
        command_printf(call, LINE_INFO, "Hook %s removed.", rest);
        return TRUE;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /hook list|add|del|test|reload (/help hook)");
    return FALSE;
}

const CommandDef cmd_hook_commands[] = {
    {
        .name = "hook",
        .synopsis =
            (const char *const[]){
                "/hook [list]",
                "/hook add NAME EVENT [-account ACCOUNT] [-peer JID] "
                "[-not-current] [-timeout SECONDS] PROGRAM [ARGS...]",
                "/hook del NAME", "/hook test NAME", "/hook reload", NULL},
        .summary = "run programs when something happens",
        .description =
            "A hook runs PROGRAM with ARGS when EVENT happens: "
            "message-received, message-sent, presence-changed, "
            "subscription-request, room-invitation, room-kicked, "
            "account-online, account-offline or pubsub-item. Hooks are kept "
            "in the file \"hooks\" of the config directory, one [NAME] group "
            "each with the keys event, command, and optionally account, "
            "peer, not_current and timeout; /hook add and del change it, /hook "
            "reload "
            "reads it again after you edit it. The command is split with "
            "the shell's quoting rules ('single' and \"double\" quotes) but "
            "never run by a shell: nothing in it is expanded. What the "
            "event says reaches the program only in its environment, never "
            "in its arguments: NATTER_EVENT, NATTER_ACCOUNT, NATTER_FROM "
            "(the sender), NATTER_PEER (the conversation: a contact or "
            "room), and as the event has them NATTER_NICK, NATTER_KIND "
            "(chat, groupchat, private, headline), NATTER_ENCRYPTED (no, "
            "otr, omemo), NATTER_ORIGIN (live, carbon, archive, local), "
            "NATTER_HIGHLIGHT (1 when a room message mentions you), "
            "NATTER_ID, NATTER_SHOW and NATTER_STATUS (presence), "
            "NATTER_ROOM, NATTER_REASON, NATTER_HOW (kicks), NATTER_NODE "
            "(pubsub) and NATTER_BODY (up to 64 KiB); the body or status "
            "text is also its standard input, whole. A program that treats "
            "them as data (and does not eval them) cannot be made to run "
            "anything by what a stranger writes. -account and -peer limit a "
            "hook to one account or one contact or room; with -not-current "
            "it does not run for the conversation whose window is the one "
            "shown (no notification for what you are reading). A hook that "
            "fails "
            "is reported in the console with the start of its standard "
            "error; its output is discarded. One that runs past its timeout "
            "(-timeout, else the hook_timeout setting) is killed. At most "
            "hook_max_running hooks run at once: an event that would start "
            "another is dropped, with a line in the console. /hook test "
            "runs a hook once with NATTER_TEST=1 and reports how it ended.",
        .args =
            (const CommandArg[]){
                {"NAME", "the hook's name"},
                {"EVENT", "what it runs on (see above)"},
                {"-account ACCOUNT", "only this account's events"},
                {"-peer JID", "only events of this contact or room"},
                {"-not-current", "not while its window is the one shown"},
                {"-timeout SECONDS", "kill it after SECONDS"},
                {"PROGRAM", "the program to run, with its ARGS"},
                {NULL, NULL}},
        .examples =
            (const char *const[]){
                "/hook add ping message-received notify-send natter "
                "\"new message\"",
                "/hook add log message-received sh -c 'cat >> "
                "\"$HOME/natter-$NATTER_ACCOUNT.log\"'",
                "/hook add phone message-received -peer boss@example.org "
                "curl -s -T - https://ntfy.example.org/me",
                "/hook test ping", "/hook del ping", NULL},
        .min_args = 0,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_hook,
    },
    {NULL},
};
