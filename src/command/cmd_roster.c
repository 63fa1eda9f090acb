/* cmd_roster.c: /roster: the contact list of the current window's account,
 * and changes to it on the server. */
#include <string.h>

#include "command/families.h"
#include "core/roster.h"
#include "core/settings.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/roster.h"

/* "bob@example.org (Bob) - away: lunch [both, asked]" and, for a contact
 * online with several resources, one line per resource below it. */
static void show_contact(Sink *out, const char *account, const RosterContact *c)
{
    g_autoptr(GPtrArray) resources = roster_resources(account, c->jid);
    const RosterResource *best =
        resources->len ? g_ptr_array_index(resources, 0) : NULL;
    const char *nick = roster_nick(account, c->jid);
    g_autofree char *name = c->name ? g_strdup_printf(" (%s)", c->name)
                            : nick ? g_strdup_printf(" (calls itself %s)", nick)
                                   : g_strdup("");
    sink_printf(out, LINE_INFO, "    %s%s - %s%s%s [%s%s]", c->jid, name,
                presence_show_name(best ? best->show : PRESENCE_OFFLINE),
                best && best->status ? ": " : "",
                best && best->status ? best->status : "",
                subscription_name(c->subscription), c->ask ? ", asked" : "");
    for (guint i = 0; resources->len > 1 && i < resources->len; i++) {
        const RosterResource *r = g_ptr_array_index(resources, i);
        sink_printf(out, LINE_INFO, "      /%s: %s%s%s, priority %d",
                    r->resource, presence_show_name(r->show),
                    r->status ? ": " : "", r->status ? r->status : "",
                    r->priority);
    }
}

static void add_to_group(GHashTable *groups, const char *group,
                         const RosterContact *c)
{
    GPtrArray *members = g_hash_table_lookup(groups, group);
    if (!members) {
        members = g_ptr_array_new();
        g_hash_table_insert(groups, (gpointer)group, members);
    }
    g_ptr_array_add(members, (gpointer)c);
}

static int compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static gboolean roster_list(const CommandCall *call)
{
    Sink *out = call->out;
    const char *account = call->account;
    g_autoptr(GPtrArray) contacts = roster_contacts(account);
    if (contacts->len == 0) {
        sink_printf(out, LINE_INFO, "Roster of %s: %s", account,
                    roster_received(account)
                        ? "no contacts (/roster add JID)"
                        : "not received (is the account online?)");
        return TRUE;
    }
    /* Contacts without a group come last, under "(no group)". */
    static const char *const no_group = "(no group)";
    g_autoptr(GHashTable) groups = g_hash_table_new_full(
        g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; i < contacts->len; i++) {
        const RosterContact *c = g_ptr_array_index(contacts, i);
        for (guint g = 0; g < c->groups->len; g++)
            add_to_group(groups, g_ptr_array_index(c->groups, g), c);
        if (c->groups->len == 0)
            add_to_group(groups, no_group, c);
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, groups);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        if (key != no_group)
            g_ptr_array_add(names, key);
    }
    g_ptr_array_sort(names, compare_names);
    if (g_hash_table_contains(groups, no_group))
        g_ptr_array_add(names, (gpointer)no_group);

    sink_printf(out, LINE_INFO, "Roster of %s (%u contact%s%s):", account,
                contacts->len, contacts->len == 1 ? "" : "s",
                roster_received(account) ? "" : ", from the cache");
    for (guint i = 0; i < names->len; i++) {
        const char *group = g_ptr_array_index(names, i);
        sink_printf(out, LINE_INFO, "  %s:", group);
        GPtrArray *members = g_hash_table_lookup(groups, group);
        for (guint m = 0; m < members->len; m++)
            show_contact(out, account, g_ptr_array_index(members, m));
    }
    return TRUE;
}

/* The contact JID of ACCOUNT's roster, or NULL with ERROR set. */
static const RosterContact *need_contact(const char *account, const char *jid,
                                         GError **error)
{
    g_autoptr(Jid) parsed = jid_parse(jid, error);
    if (!parsed)
        return NULL;
    const RosterContact *c = roster_find_contact(account, parsed->bare);
    if (!c)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "%s is not in the roster of %s (/roster add %s)",
                    parsed->bare, account, parsed->bare);
    return c;
}

static gboolean roster_group(const CommandCall *call, GError **error)
{
    /* argv[2] holds "GROUP JID"; quotes group a name with spaces. */
    g_auto(GStrv) words =
        call->argc == 3 ? command_split(call->argv[2], 2, FALSE, error) : NULL;
    if (call->argc == 3 && !words)
        return FALSE;
    gboolean add = g_strcmp0(call->argv[1], "add") == 0;
    if (!words || g_strv_length(words) != 2 ||
        (!add && g_strcmp0(call->argv[1], "remove") != 0)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /roster group add|remove GROUP JID");
        return FALSE;
    }
    const char *group = words[0];
    const RosterContact *c = need_contact(call->account, words[1], error);
    if (!c)
        return FALSE;
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
    gboolean member = FALSE;
    for (guint i = 0; i < c->groups->len; i++) {
        const char *g = g_ptr_array_index(c->groups, i);
        if (strcmp(g, group) == 0)
            member = TRUE;
        else
            g_strv_builder_add(builder, g);
    }
    if (member == add) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is %s in group '%s'", c->jid, add ? "already" : "not",
                    group);
        return FALSE;
    }
    if (add)
        g_strv_builder_add(builder, group);
    g_auto(GStrv) groups = g_strv_builder_end(builder);
    return roster_send_set(call->account, c->jid, NULL,
                           (const char *const *)groups, call->out, error);
}

/* The pane is the terminal UI's; the setting it reads is core's, so this
 * stays below the UI and also works from natterrc and /set. */
static gboolean roster_pane(const CommandCall *call, gboolean show,
                            GError **error)
{
    if (!settings_set("roster_pane", show ? "on" : "off", error))
        return FALSE;
    if (show)
        command_printf(call, LINE_INFO,
                       "Roster pane shown (roster_width %d columns, offline "
                       "contacts %s)",
                       settings_get_int("roster_width"),
                       settings_get_bool("roster_offline") ? "listed"
                                                           : "hidden");
    else
        command_print(call, LINE_INFO, "Roster pane hidden");
    return TRUE;
}

static gboolean cmd_roster(const CommandCall *call, GError **error)
{
    const char *sub = call->argc ? call->argv[0] : "list";
    if ((strcmp(sub, "show") == 0 || strcmp(sub, "hide") == 0) &&
        call->argc == 1)
        return roster_pane(call, sub[0] == 's', error);
    if (!command_need_account(call, error))
        return FALSE;
    if (strcmp(sub, "list") == 0 && call->argc <= 1)
        return roster_list(call);
    if (strcmp(sub, "add") == 0 && call->argc >= 2)
        return roster_send_set(call->account, call->argv[1],
                               call->argc == 3 ? call->argv[2] : NULL, NULL,
                               call->out, error);
    if (strcmp(sub, "remove") == 0 && call->argc == 2)
        return roster_send_remove(call->account, call->argv[1], call->out,
                                  error);
    if (strcmp(sub, "nick") == 0 && call->argc == 3) {
        const RosterContact *c =
            need_contact(call->account, call->argv[1], error);
        return c && roster_send_set(call->account, c->jid, call->argv[2], NULL,
                                    call->out, error);
    }
    if (strcmp(sub, "group") == 0 && call->argc >= 2)
        return roster_group(call, error);
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /roster [list] | show | hide | add JID [NICK] | "
                "remove JID | nick JID NICK | group add|remove GROUP JID");
    return FALSE;
}

const CommandDef cmd_roster_commands[] = {
    {
        .name = "roster",
        .synopsis =
            (const char *const[]){"/roster", "/roster show", "/roster hide",
                                  "/roster add JID [NICK]",
                                  "/roster remove JID", "/roster nick JID NICK",
                                  "/roster group add GROUP JID",
                                  "/roster group remove GROUP JID", NULL},
        .summary = "show and change the contact list",
        .description =
            "Without arguments, lists the roster of the current window's "
            "account by group, with each contact's presence and status, "
            "and the subscription: [both], [to] (you see them), [from] (they "
            "see you), [none], with 'asked' while your request is pending. "
            "show and hide put the roster in a pane at the right of the "
            "window, by group, a sign for each contact's presence (+ online, "
            "* chat, - away, = xa, ! dnd, blank offline); the settings "
            "roster_width and roster_offline set its width and whether "
            "offline contacts are listed. "
            "add puts JID in the roster (use /sub request JID to see its "
            "presence), remove takes it out and cancels the subscriptions "
            "both ways, nick names it, group add and group remove change "
            "its groups (quote a group name with spaces). The roster is "
            "cached in the account's data directory; with roster versioning "
            "a login downloads only what changed.",
        .args = (const CommandArg[]){{"JID", "the contact's address"},
                                     {"NICK", "a name for the contact, to "
                                              "the end of the line"},
                                     {"GROUP", "a group name"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/roster", "/roster add bob@example.org Bob",
                                  "/roster nick bob@example.org Bobby",
                                  "/roster group add \"Old friends\" "
                                  "bob@example.org",
                                  NULL},
        .min_args = 0,
        .max_args = 3,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_roster,
    },
    {NULL},
};
