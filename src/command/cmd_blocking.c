/* cmd_blocking.c: /block, /unblock and /blocked (XEP-0191). */
#include "command/families.h"
#include "core/roster.h"
#include "util/error.h"
#include "xmpp/blocking.h"

static gboolean cmd_block(const CommandCall *call, GError **error)
{
    const char *report = NULL;
    const char *jid = call->argv[0];
    if (g_strcmp0(call->argv[0], "-report") == 0) {
        if (call->argc != 3) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "usage: %s",
                        call->def->synopsis[1]);
            return FALSE;
        }
        report = call->argv[1];
        jid = call->argv[2];
    } else if (call->argc != 1) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "usage: %s",
                    call->def->synopsis[0]);
        return FALSE;
    }
    return command_need_account(call, error) &&
           blocking_send(call->account, jid, TRUE, report, call->out, error);
}

static gboolean cmd_unblock(const CommandCall *call, GError **error)
{
    return command_need_account(call, error) &&
           blocking_send(call->account, call->argv[0], FALSE, NULL, call->out,
                         error);
}

static gboolean cmd_blocked(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    if (!roster_blocklist_known(call->account)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "the block list of %s is not known (offline, or the "
                    "server does not support blocking)",
                    call->account);
        return FALSE;
    }
    g_autoptr(GPtrArray) list = roster_blocked(call->account);
    if (list->len == 0) {
        command_printf(call, LINE_INFO, "%s: nobody is blocked.",
                       call->account);
        return TRUE;
    }
    command_printf(call, LINE_INFO, "%s: blocked (%u):", call->account,
                   list->len);
    for (guint i = 0; i < list->len; i++)
        command_printf(call, LINE_INFO, "  %s",
                       (const char *)g_ptr_array_index(list, i));
    return TRUE;
}

const CommandDef cmd_blocking_commands[] = {
    {
        .name = "block",
        .synopsis =
            (const char *const[]){"/block JID", "/block -report spam|abuse JID",
                                  NULL},
        .summary = "block all communication with an address",
        .description =
            "Asks the server of the current window's account to block JID "
            "(XEP-0191): nothing from JID reaches you, nothing of yours "
            "reaches JID, and JID sees you offline. JID may be a bare "
            "address, a full one or a domain. With -report, JID is also "
            "reported to the server's operators as sending spam or abuse "
            "(XEP-0377); servers that do not take reports still block.",
        .args =
            (const CommandArg[]){{"JID", "the address to block"}, {NULL, NULL}},
        .examples = (const char *const[]){"/block spam@example.org",
                                          "/block -report spam "
                                          "pills@example.net",
                                          NULL},
        .min_args = 1,
        .max_args = 3,
        .per_account = TRUE,
        .func = cmd_block,
    },
    {
        .name = "blocked",
        .synopsis = (const char *const[]){"/blocked", NULL},
        .summary = "list the blocked addresses",
        .description = "Lists the addresses the current window's account "
                       "blocks, as the server told at login and since.",
        .min_args = 0,
        .max_args = 0,
        .per_account = TRUE,
        .func = cmd_blocked,
    },
    {
        .name = "unblock",
        .synopsis = (const char *const[]){"/unblock JID", NULL},
        .summary = "unblock an address",
        .description = "Asks the server to stop blocking JID (see /block).",
        .args =
            (const CommandArg[]){{"JID", "a blocked address"}, {NULL, NULL}},
        .examples = (const char *const[]){"/unblock spam@example.org", NULL},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_unblock,
    },
    {NULL},
};
