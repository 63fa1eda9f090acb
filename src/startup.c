/* startup.c: see startup.h. */
#include "startup.h"

#include <string.h>

#include "command/command.h"
#include "core/account.h"
#include "core/app.h"
#include "core/buffer.h"
#include "core/event.h"
#include "frontend.h"

static char **commands;
static gboolean holding;       /* the headless input is held back */
static GPtrArray *waiting;     /* names of the accounts not ready yet */
static guint subscriptions[2]; /* account state, account ready */

static void unsubscribe(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(subscriptions); i++) {
        if (subscriptions[i])
            event_unsubscribe(subscriptions[i]);
        subscriptions[i] = 0;
    }
}

/* Every account is ready or failed: the -e commands run, then what stdin
 * said meanwhile. Nothing runs once natter is quitting. */
static void finish(void)
{
    unsubscribe();
    if (app_quitting())
        return;
    for (char **cmd = commands; cmd && *cmd; cmd++)
        command_run(buffer_current(), *cmd);
    if (holding) {
        holding = FALSE;
        headless_hold_input(FALSE);
    }
}

static void done_with(const Account *a)
{
    for (guint i = 0; i < waiting->len; i++) {
        if (strcmp(g_ptr_array_index(waiting, i), a->name) == 0) {
            g_ptr_array_remove_index(waiting, i);
            if (waiting->len == 0)
                finish();
            return;
        }
    }
}

static EventResult on_ready(Account *a, gpointer data)
{
    done_with(a);
    return EVENT_CONTINUE;
}

/* An account that went offline failed (waiting to retry, or for the
 * answer to a certificate question, or for good); one going offline
 * because natter quits ends the wait too. */
static EventResult on_state(Account *a, gpointer data)
{
    if (a->state == ACCOUNT_OFFLINE || app_quitting())
        done_with(a);
    return EVENT_CONTINUE;
}

/* The accounts to connect at start: those of -a, or else the enabled ones
 * (/account enable). Caller frees. */
static GStrv startup_accounts(char **named)
{
    if (named)
        return g_strdupv(named);
    g_autoptr(GStrvBuilder) names = g_strv_builder_new();
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        if (a->enabled)
            g_strv_builder_add(names, a->name);
    }
    return g_strv_builder_end(names);
}

void startup_run(char **accounts, char **cmds, gboolean headless)
{
    commands = cmds;
    waiting = g_ptr_array_new_with_free_func(g_free);
    subscriptions[0] = event_on_account(EVENT_ACCOUNT_STATE,
                                        EVENT_PRIORITY_DEFAULT, on_state, NULL);
    subscriptions[1] = event_on_account(EVENT_ACCOUNT_READY,
                                        EVENT_PRIORITY_DEFAULT, on_ready, NULL);
    if (headless) {
        holding = TRUE;
        headless_hold_input(TRUE);
    }
    g_auto(GStrv) names = startup_accounts(accounts);
    for (char **name = names; *name; name++) {
        g_autofree char *line = g_strdup_printf("/connect %s", *name);
        command_run(buffer_current(), line);
        /* Connecting, or asking for the password: wait for it. */
        Account *a = account_find(*name);
        if (a && a->state == ACCOUNT_CONNECTING)
            g_ptr_array_add(waiting, g_strdup(a->name));
    }
    if (waiting->len == 0)
        finish();
}

void startup_shutdown(void)
{
    unsubscribe();
    g_clear_pointer(&waiting, g_ptr_array_unref);
    commands = NULL;
}
