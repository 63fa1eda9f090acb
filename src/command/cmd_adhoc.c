/* cmd_adhoc.c: /cmd, the ad-hoc commands (XEP-0050) of servers and
 * contacts: the administration commands of a server for its admins, a
 * bot's or a gateway's commands. */
#include <string.h>

#include "command/families.h"
#include "util/error.h"
#include "xmpp/adhoc.h"

static gboolean cmd_cmd(const CommandCall *call, GError **error)
{
    const char *what = call->argv[0];
    if (strcmp(what, "list") == 0 && call->argc <= 2)
        return command_need_account(call, error) &&
               adhoc_list(call->account, call->argc > 1 ? call->argv[1] : NULL,
                          call->out, error);
    if (strcmp(what, "run") == 0 && call->argc == 3)
        return command_need_account(call, error) &&
               adhoc_run(call->account, call->argv[1], call->argv[2], call->out,
                         error);
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /cmd list [JID] | run JID NODE");
    return FALSE;
}

const CommandDef cmd_adhoc_commands[] = {
    {
        .name = "cmd",
        .synopsis =
            (const char *const[]){"/cmd list [JID]", "/cmd run JID NODE", NULL},
        .summary = "ad-hoc commands of a server or a contact",
        .description =
            "/cmd list asks JID (a server, a bot, a gateway; without JID "
            "the account's own server) which ad-hoc commands it offers you "
            "(XEP-0050); /cmd run JID NODE runs one. A command that needs "
            "input sends a form, which opens in a form window: /form set "
            "fills it in, /form submit sends it, and a command of several "
            "stages also takes /form prev, /form next and /form complete; "
            "/form cancel gives up. Its notes and result are shown where "
            "/cmd was typed. An account that administers its server finds "
            "the server's administration commands there (add a user, send "
            "an announcement, list who is online).",
        .args = (const CommandArg[]){{"JID", "who offers the commands"},
                                     {"NODE", "the command, as /cmd list "
                                              "names it"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/cmd list",
                                  "/cmd run example.org "
                                  "http://jabber.org/protocol/admin#add-user",
                                  NULL},
        .min_args = 1,
        .max_args = 3,
        .per_account = TRUE,
        .func = cmd_cmd,
    },
    {NULL},
};
