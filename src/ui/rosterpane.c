/* rosterpane.c: the roster as a side pane (/roster show|hide): the
 * contacts of the current window's account (the first account's in
 * windows without one), by roster group, each with a presence sign and
 * its presence's style; offline contacts only when roster_offline is on.
 * Settings: roster_pane, roster_width, roster_offline. */
#include "ui/rosterpane.h"

#include <string.h>

#include "core/account.h"
#include "core/roster.h"
#include "core/settings.h"
#include "ui/pane.h"

static gboolean roster_visible(const Buffer *buffer, int *width)
{
    *width = settings_get_int("roster_width");
    return settings_get_bool("roster_pane");
}

static const char *pane_account(const Buffer *buffer)
{
    if (buffer->account)
        return buffer->account;
    const GPtrArray *accounts = accounts_list();
    return accounts->len ? ((Account *)g_ptr_array_index(accounts, 0))->name
                         : NULL;
}

static Style presence_style(PresenceShow show)
{
    switch (show) {
    case PRESENCE_ONLINE:
    case PRESENCE_CHAT:
        return STYLE_ROSTER_ONLINE;
    case PRESENCE_AWAY:
    case PRESENCE_XA:
        return STYLE_ROSTER_AWAY;
    case PRESENCE_DND:
        return STYLE_ROSTER_DND;
    case PRESENCE_OFFLINE:
        break;
    }
    return STYLE_ROSTER_OFFLINE;
}

/* One character per presence, so the pane reads without colours too. */
static char presence_sign(PresenceShow show)
{
    switch (show) {
    case PRESENCE_ONLINE:
        return '+';
    case PRESENCE_CHAT:
        return '*';
    case PRESENCE_AWAY:
        return '-';
    case PRESENCE_XA:
        return '=';
    case PRESENCE_DND:
        return '!';
    case PRESENCE_OFFLINE:
        break;
    }
    return ' ';
}

static int compare_groups(gconstpointer a, gconstpointer b)
{
    const char *ga = *(const char *const *)a;
    const char *gb = *(const char *const *)b;
    /* Contacts without a group come last. */
    if (!*ga || !*gb)
        return !*ga - !*gb;
    return g_utf8_collate(ga, gb);
}

static void roster_rows(const Buffer *buffer, PaneRows *rows)
{
    const char *account = pane_account(buffer);
    if (!account) {
        pane_add_row(rows, "no account", STYLE_INFO, 0);
        return;
    }
    gboolean offline = settings_get_bool("roster_offline");
    g_autoptr(GPtrArray) contacts = roster_contacts(account);
    /* group name ("" for none) -> contacts shown in it */
    g_autoptr(GHashTable) groups = g_hash_table_new_full(
        g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    guint online = 0;
    for (guint i = 0; i < contacts->len; i++) {
        const RosterContact *c = g_ptr_array_index(contacts, i);
        gboolean here = roster_best_resource(account, c->jid) != NULL;
        online += here;
        if (!here && !offline)
            continue;
        guint n = c->groups && c->groups->len ? c->groups->len : 1;
        for (guint g = 0; g < n; g++) {
            const char *group = c->groups && c->groups->len
                                    ? g_ptr_array_index(c->groups, g)
                                    : "";
            GPtrArray *members = g_hash_table_lookup(groups, group);
            if (!members) {
                members = g_ptr_array_new();
                g_hash_table_insert(groups, (gpointer)group, members);
            }
            g_ptr_array_add(members, (gpointer)c);
        }
    }
    g_autofree char *title =
        g_strdup_printf("%s (%u/%u)", account, online, contacts->len);
    pane_add_row(rows, title, STYLE_ROSTER_GROUP, 0);

    g_autoptr(GPtrArray) names = g_ptr_array_new();
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, groups);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_ptr_array_add(names, key);
    g_ptr_array_sort(names, compare_groups);
    for (guint i = 0; i < names->len; i++) {
        const char *group = g_ptr_array_index(names, i);
        pane_add_row(rows, *group ? group : "(no group)", STYLE_ROSTER_GROUP,
                     0);
        GPtrArray *members = g_hash_table_lookup(groups, group);
        for (guint m = 0; m < members->len; m++) {
            guint skip = pane_to_skip(rows);
            if (skip || pane_full(rows)) {
                guint n = skip ? MIN(skip, members->len - m) : members->len - m;
                pane_skip_rows(rows, n);
                m += n - 1;
                continue;
            }
            const RosterContact *c = g_ptr_array_index(members, m);
            const RosterResource *best = roster_best_resource(account, c->jid);
            PresenceShow show = best ? best->show : PRESENCE_OFFLINE;
            g_autofree char *name = roster_display_name(account, c->jid);
            g_autofree char *text = g_strdup_printf(
                "%c %s", presence_sign(show), name ? name : c->jid);
            /* Enter opens the chat. */
            g_autofree char *command =
                g_strdup_printf("/msg -a %s %s", account, c->jid);
            pane_add_item(rows, text, presence_style(show), 1, command);
        }
    }
}

static const PaneSource roster_pane = {"roster", roster_visible, roster_rows};

void rosterpane_init(void)
{
    pane_register(&roster_pane);
}
