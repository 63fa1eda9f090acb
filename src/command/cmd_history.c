/* cmd_history.c: /history, searching an account's message history. */
#include "command/families.h"
#include "core/conversation.h"
#include "util/error.h"

#define SEARCH_LIMIT 50

static gboolean cmd_history(const CommandCall *call, GError **error)
{
    if (g_strcmp0(call->argv[0], "search") != 0 || call->argc < 2) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /history search WORDS");
        return FALSE;
    }
    if (!command_need_account(call, error))
        return FALSE;
    History *h = conversation_history(call->account);
    if (!h) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' has no history (its console says why)",
                    call->account);
        return FALSE;
    }
    g_autoptr(GPtrArray) found =
        history_search(h, call->argv[1], SEARCH_LIMIT, error);
    if (!found)
        return FALSE;
    Sink *out = call->out;
    if (found->len == 0) {
        sink_printf(out, LINE_INFO, "No message of %s has: %s", call->account,
                    call->argv[1]);
        return TRUE;
    }
    sink_printf(out, LINE_INFO, "%u message%s of %s with: %s%s", found->len,
                found->len == 1 ? "" : "s", call->account, call->argv[1],
                found->len == SEARCH_LIMIT ? " (the newest shown)" : "");
    /* Newest first, as search results usually are. */
    for (guint i = 0; i < found->len; i++) {
        const Message *m = g_ptr_array_index(found, i);
        g_autoptr(GDateTime) when =
            g_date_time_new_from_unix_local(m->time / G_USEC_PER_SEC);
        g_autofree char *stamp =
            when ? g_date_time_format(when, "%Y-%m-%d %H:%M") : g_strdup("?");
        sink_printf(out, LINE_INFO, "  %s %s %s %s", stamp, m->peer,
                    m->direction == MESSAGE_OUT ? "<-" : "->", m->body);
    }
    return TRUE;
}

const CommandDef cmd_history_commands[] = {
    {
        .name = "history",
        .synopsis = (const char *const[]){"/history search WORDS", NULL},
        .summary = "search the message history",
        .description =
            "Lists the messages of the account (all its conversations) that "
            "contain every one of WORDS, newest first, with their date, the "
            "contact, and the direction (-> received, <- sent). Words are "
            "matched whole and without regard to case. Every message is kept "
            "in the account's history database; a chat shows its last lines "
            "when it opens, and older ones when you scroll up.",
        .args =
            (const CommandArg[]){{"WORDS", "what to look for"}, {NULL, NULL}},
        .examples =
            (const char *const[]){"/history search dinner friday",
                                  "/history -a work search invoice", NULL},
        .min_args = 1,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_history,
    },
    {NULL},
};
