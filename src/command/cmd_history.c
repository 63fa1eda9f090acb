/* cmd_history.c: /history, searching an account's message history: a
 * page of results at a time with their total, in one conversation or
 * all, by words or phrases; /history more shows the next page. */
#include <string.h>

#include "command/families.h"
#include "core/conversation.h"
#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"

#define PAGE 20

/* The last search, for /history more. */
static struct {
    char *account;
    char *query;
    char *peer; /* NULL: every conversation */
    guint offset;
} last;

static void forget_last(void)
{
    g_clear_pointer(&last.account, g_free);
    g_clear_pointer(&last.query, g_free);
    g_clear_pointer(&last.peer, g_free);
    last.offset = 0;
}

/* The conversation -with names: an address, or a contact's roster name. */
static char *with_peer(const char *account, const char *word, GError **error)
{
    if (!strchr(word, '@')) {
        g_autoptr(GPtrArray) found = roster_find_by_name(account, word);
        if (found->len == 1)
            return g_strdup(
                ((RosterContact *)g_ptr_array_index(found, 0))->jid);
    }
    g_autoptr(Jid) jid = jid_parse(word, error);
    return jid ? g_strdup(jid->bare) : NULL;
}

/* One result: date, conversation, direction or, in a room, the nick. */
static void print_result(Sink *out, const Message *m)
{
    g_autoptr(GDateTime) when =
        g_date_time_new_from_unix_local(m->time / G_USEC_PER_SEC);
    g_autofree char *stamp =
        when ? g_date_time_format(when, "%Y-%m-%d %H:%M") : g_strdup("?");
    g_autoptr(Jid) from = m->kind == MESSAGE_GROUPCHAT && m->from
                              ? jid_parse(m->from, NULL)
                              : NULL;
    if (from && from->resource)
        sink_printf(out, LINE_INFO, "  %s %s <%s> %s", stamp, m->peer,
                    from->resource, m->body);
    else
        sink_printf(out, LINE_INFO, "  %s %s %s %s", stamp, m->peer,
                    m->direction == MESSAGE_OUT ? "<-" : "->", m->body);
}

/* Prints the page of the last search that begins at last.offset. */
static gboolean show_page(Sink *out, GError **error)
{
    History *h = conversation_history(last.account);
    if (!h) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' has no history (its console says why)",
                    last.account);
        return FALSE;
    }
    HistoryQuery q = {last.query, last.peer, last.offset, PAGE};
    guint total = 0;
    g_autoptr(GPtrArray) found = history_search_page(h, &q, &total, error);
    if (!found)
        return FALSE;
    g_autofree char *where =
        last.peer ? g_strdup_printf(" with %s", last.peer) : g_strdup("");
    if (total == 0) {
        sink_printf(out, LINE_INFO, "No message of %s%s has: %s", last.account,
                    where, last.query);
        return TRUE;
    }
    if (found->len == 0) {
        sink_printf(out, LINE_INFO,
                    "No more messages of %s%s with: %s (all %u shown)",
                    last.account, where, last.query, total);
        return TRUE;
    }
    guint first = last.offset + 1;
    guint end = last.offset + found->len;
    sink_printf(out, LINE_INFO, "%u message%s of %s%s with: %s (%u-%u%s)",
                total, total == 1 ? "" : "s", last.account, where, last.query,
                first, end,
                end < total ? "; /history more shows the next ones" : "");
    /* Newest first, as search results usually are. */
    for (guint i = 0; i < found->len; i++)
        print_result(out, g_ptr_array_index(found, i));
    last.offset = end;
    return TRUE;
}

static gboolean history_more(const CommandCall *call, GError **error)
{
    if (!last.query) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no search to go on with (/history search WORDS)");
        return FALSE;
    }
    return show_page(call->out, error);
}

static gboolean cmd_history(const CommandCall *call, GError **error)
{
    const char *sub = call->argc ? call->argv[0] : "";
    if (strcmp(sub, "more") == 0 && call->argc == 1)
        return history_more(call, error);
    if (strcmp(sub, "search") != 0 || call->argc < 2) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /history search [-with JID] WORDS, "
                    "/history more");
        return FALSE;
    }
    if (!command_need_account(call, error))
        return FALSE;
    /* "-with JID" before the words: one conversation. */
    const char *words = call->argv[1];
    g_autofree char *peer = NULL;
    if (strcmp(words, "-with") == 0 || g_str_has_prefix(words, "-with ")) {
        g_auto(GStrv) split = command_split(words, 3, TRUE, error);
        if (!split)
            return FALSE;
        if (g_strv_length(split) < 3) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "usage: /history search -with JID WORDS");
            return FALSE;
        }
        peer = with_peer(call->account, split[1], error);
        if (!peer)
            return FALSE;
        words += strlen(words) - strlen(split[2]);
    }
    forget_last();
    last.account = g_strdup(call->account);
    last.query = g_strdup(words);
    last.peer = g_steal_pointer(&peer);
    return show_page(call->out, error);
}

const CommandDef cmd_history_commands[] = {
    {
        .name = "history",
        .synopsis = (const char *const[]){"/history search WORDS",
                                          "/history search -with JID WORDS",
                                          "/history more", NULL},
        .summary = "search the message history",
        .description =
            "Lists the messages of the account (all its conversations, or "
            "with -with only the one with JID, an address or a contact's "
            "roster name) that contain every one of WORDS, newest first, "
            "with their date, the conversation and the direction (-> "
            "received, <- sent) or, in a room, the nick of who wrote it. "
            "Words are matched whole and without regard to case; words in "
            "double quotes are a phrase, found only as they stand. It says "
            "how many messages match and shows 20 at a time: /history more "
            "shows the next ones. Every message is kept in the account's "
            "history database; a chat shows its last lines when it opens, "
            "and older ones when you scroll up (/search finds text in the "
            "window and its history).",
        .args = (const CommandArg[]){{"WORDS", "what to look for; \"a "
                                               "phrase\" in double quotes"},
                                     {"JID", "the conversation: an address "
                                             "or a roster name"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/history search dinner friday",
                                  "/history search \"see you soon\"",
                                  "/history search -with bob@example.org "
                                  "invoice",
                                  "/history -a work search invoice",
                                  "/history more", NULL},
        .min_args = 1,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_history,
    },
    {NULL},
};
