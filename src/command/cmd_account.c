/* cmd_account.c: /account, /connect and /disconnect. */
#include <string.h>

#include "command/families.h"
#include "core/account.h"
#include "core/evalpass.h"
#include "core/prompt.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/session.h"

/* Saves the accounts file; a failure is reported where the user typed, as
 * the change itself already took effect. */
static void save(Sink *out)
{
    g_autoptr(GError) error = NULL;
    if (!accounts_save(&error))
        sink_printf(out, LINE_ERROR, "%s", error->message);
}

static Account *need_account(const char *name, GError **error)
{
    Account *a = account_find(name);
    if (!a)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no account named '%s' (/account list)", name);
    return a;
}

static void show_account(Sink *out, const Account *a)
{
    sink_printf(out, LINE_INFO, "Account %s (%s%s%s):", a->name,
                account_state_name(a->state), a->state_reason ? ": " : "",
                a->state_reason ? a->state_reason : "");
    for (const AccountField *f = account_fields(); f->key; f++) {
        g_autofree char *value = account_get_display(a, f->key);
        if (value)
            sink_printf(out, LINE_INFO, "  %-14s %s", f->key, value);
    }
}

static gboolean account_list(Sink *out)
{
    const GPtrArray *list = accounts_list();
    if (list->len == 0) {
        sink_print(out, LINE_INFO,
                   "No accounts yet: /account add ACCOUNT, or /connect JID.");
        return TRUE;
    }
    sink_print(out, LINE_INFO, "Accounts:");
    for (guint i = 0; i < list->len; i++) {
        Account *a = g_ptr_array_index(list, i);
        sink_printf(out, LINE_INFO, "  %-16s %-24s %s", a->name,
                    a->jid ? a->jid : "(no jid)", account_state_name(a->state));
    }
    return TRUE;
}

static gboolean usage(GError **error)
{
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /account list|show|add|set|clear|remove|enable|"
                "disable ... (/help account)");
    return FALSE;
}

static gboolean cmd_account(const CommandCall *call, GError **error)
{
    Sink *out = call->out;
    const char *sub = call->argc > 0 ? call->argv[0] : "list";
    const char *name = call->argc > 1 ? call->argv[1] : NULL;

    /* Words each subcommand takes, itself included; "set" takes the rest
     * of the line as its value. */
    static const struct {
        const char *name;
        int words;
    } subs[] = {{"list", 1},   {"show", 2},    {"add", 2}, {"remove", 2},
                {"enable", 2}, {"disable", 2}, {"set", 4}, {"clear", 3}};
    gboolean known = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(subs); i++) {
        if (strcmp(sub, subs[i].name) == 0) {
            known = TRUE;
            if (call->argc != 0 && call->argc != subs[i].words)
                return usage(error);
        }
    }
    if (!known)
        return usage(error);
    if (strcmp(sub, "list") == 0)
        return account_list(out);

    if (strcmp(sub, "add") == 0) {
        Account *a = account_add(name, error);
        if (!a)
            return FALSE;
        /* A name that is a JID is taken as the account's address. */
        if (jid_is_valid(name) && strchr(name, '@'))
            account_set(a, "jid", name, NULL);
        sink_printf(out, LINE_INFO, "Account %s added.%s", name,
                    a->jid ? ""
                           : " Set its address: /account set ACCOUNT jid JID");
        save(out);
        return TRUE;
    }

    Account *a = need_account(name, error);
    if (!a)
        return FALSE;
    if (strcmp(sub, "show") == 0) {
        show_account(out, a);
        return TRUE;
    }
    if (strcmp(sub, "remove") == 0) {
        if (!account_remove(name, error))
            return FALSE;
        sink_printf(out, LINE_INFO, "Account %s removed.", name);
        save(out);
        return TRUE;
    }
    if (strcmp(sub, "enable") == 0 || strcmp(sub, "disable") == 0) {
        if (!account_set(a, "enabled", sub[0] == 'e' ? "on" : "off", error))
            return FALSE;
        sink_printf(out, LINE_INFO, "Account %s %sd.", name, sub);
        save(out);
        return TRUE;
    }
    if (strcmp(sub, "set") == 0) {
        if (!account_set(a, call->argv[2], call->argv[3], error))
            return FALSE;
        g_autofree char *shown = account_get_display(a, call->argv[2]);
        sink_printf(out, LINE_INFO, "%s: %s = %s", name, call->argv[2],
                    shown ? shown : "");
        if (strcmp(call->argv[2], "tls") == 0 && a->tls == TLS_DISABLE)
            sink_print(out, LINE_ERROR,
                       "WARNING: with tls disabled, the password and "
                       "every message cross the network unencrypted.");
        save(out);
        return TRUE;
    }
    if (strcmp(sub, "clear") == 0) {
        if (!account_clear(a, call->argv[2], error))
            return FALSE;
        sink_printf(out, LINE_INFO, "%s: %s cleared", name, call->argv[2]);
        save(out);
        return TRUE;
    }
    return usage(error);
}

/* The password prompt's answer arrives here; the account is looked up again
 * by name because it may have changed while the question was open. */
static void on_password(const char *password, gpointer data)
{
    const char *name = data;
    Account *a = account_find(name);
    if (!a)
        return;
    Buffer *console = buffer_account_console(name);
    if (!password) {
        buffer_append(console, LINE_INFO, NULL, "Connecting cancelled.");
        account_set_state(a, ACCOUNT_OFFLINE, "cancelled");
        return;
    }
    g_autoptr(GError) error = NULL;
    if (!session_connect(a, password, &error))
        buffer_appendf(console, LINE_ERROR, "%s", error->message);
}

/* eval_password's output arrives here (or why there is none). */
static void on_eval_password(const char *password, const GError *error,
                             gpointer data)
{
    const char *name = data;
    Account *a = account_find(name);
    if (!a)
        return;
    Buffer *console = buffer_account_console(name);
    if (!password) {
        buffer_appendf(console, LINE_ERROR, "Could not connect: %s",
                       error->message);
        account_set_state(a, ACCOUNT_OFFLINE, error->message);
        return;
    }
    g_autoptr(GError) cause = NULL;
    if (!session_connect(a, password, &cause))
        buffer_appendf(console, LINE_ERROR, "%s", cause->message);
}

/* The account /connect means: one by that name, one with that JID, or a
 * new one named after the JID. */
static Account *connect_target(const char *arg, Sink *out, GError **error)
{
    Account *a = account_find(arg);
    if (a)
        return a;
    g_autoptr(Jid) jid = jid_parse(arg, NULL);
    if (!jid || !jid->local) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "'%s' is neither an account nor a JID (user@domain)", arg);
        return NULL;
    }
    a = account_find_by_jid(jid->bare);
    if (a)
        return a;
    a = account_add(jid->bare, error);
    if (!a || !account_set(a, "jid", arg, error))
        return NULL;
    sink_printf(out, LINE_INFO, "Account %s created.", a->name);
    return a;
}

static gboolean cmd_connect(const CommandCall *call, GError **error)
{
    static const char *const keys[] = {"server", "port", "tls", NULL};
    g_autoptr(GHashTable) options =
        command_parse_options(call->argv + 1, call->argc - 1, keys, error);
    if (!options)
        return FALSE;
    Account *a = connect_target(call->argv[0], call->out, error);
    if (!a)
        return FALSE;
    if (a->state != ACCOUNT_OFFLINE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' is already %s", a->name,
                    account_state_name(a->state));
        return FALSE;
    }

    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, options);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        if (!account_set(a, key, value, error))
            return FALSE;
    }
    save(call->out);

    Buffer *console = buffer_account_console(a->name);
    buffer_switch(console);
    if (a->password)
        return session_connect(a, NULL, error);
    if (a->eval_password) {
        /* Running the command is part of connecting. */
        if (!evalpass_run(a->eval_password, on_eval_password, g_strdup(a->name),
                          g_free, error))
            return FALSE;
        account_set_state(a, ACCOUNT_CONNECTING, "running eval_password");
        return TRUE;
    }

    /* Waiting for the password is part of connecting. */
    account_set_state(a, ACCOUNT_CONNECTING, "waiting for the password");
    g_autofree char *question = g_strdup_printf("Password for %s: ", a->jid);
    prompt_ask(question, TRUE, on_password, g_strdup(a->name), g_free);
    return TRUE;
}

static gboolean cmd_disconnect(const CommandCall *call, GError **error)
{
    const char *name = call->argc ? call->argv[0] : call->account;
    if (!name) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "which account? /disconnect ACCOUNT");
        return FALSE;
    }
    Account *a = need_account(name, error);
    return a && session_disconnect(a, error);
}

const CommandDef cmd_account_commands[] = {
    {
        .name = "account",
        .synopsis =
            (const char *const[]){
                "/account list", "/account show ACCOUNT",
                "/account add ACCOUNT", "/account set ACCOUNT FIELD VALUE",
                "/account clear ACCOUNT FIELD", "/account remove ACCOUNT",
                "/account enable ACCOUNT", "/account disable ACCOUNT", NULL},
        .summary = "manage accounts",
        .description =
            "Accounts are kept in the accounts file of the config directory "
            "(mode 0600). A name that is a JID (user@domain) becomes the "
            "account's address. The settings are listed under ACCOUNT "
            "SETTINGS in the man page and by /account show. enable makes "
            "natter connect the account when it starts (unless natter is "
            "started with -a, which names the accounts to connect); disable "
            "stops that.",
        .args =
            (const CommandArg[]){{"ACCOUNT", "the account's name"},
                                 {"FIELD", "an account setting: jid, password, "
                                           "server, port, tls, cafile, ..."},
                                 {"VALUE", "the new value (the rest of "
                                           "the line)"},
                                 {NULL, NULL}},
        .examples =
            (const char *const[]){"/account add work",
                                  "/account set work jid me@example.org",
                                  "/account set work cafile /etc/my-ca.pem",
                                  "/account clear work password", NULL},
        .min_args = 0,
        .max_args = 4,
        .rest = TRUE,
        .func = cmd_account,
    },
    {
        .name = "connect",
        .synopsis = (const char *const[]){"/connect ACCOUNT",
                                          "/connect JID [server HOST] "
                                          "[port N] [tls MODE]",
                                          NULL},
        .summary = "connect an account",
        .description =
            "Connects the account named ACCOUNT, or the account with address "
            "JID (one "
            "is created if there is none). server, port and tls are saved in "
            "the account. Without a stored password natter runs the "
            "account's eval_password command if it has one, or asks; what "
            "you type is not shown. TLS is required: a server that does not "
            "offer it is refused, and a certificate that is not trusted is "
            "refused with a question (/tls allow, /tls always). A lost "
            "connection is retried by itself (/reconnect).",
        .args = (const CommandArg[]){{"ACCOUNT", "an account name"},
                                     {"JID", "an address, user@domain"},
                                     {"server HOST", "host to connect to"},
                                     {"port N", "port to connect to"},
                                     {"tls MODE", "starttls (default), direct "
                                                  "or disable"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/connect work",
                                  "/connect alice@localhost server 127.0.0.1 "
                                  "port 5222",
                                  NULL},
        .min_args = 1,
        .max_args = 7,
        .func = cmd_connect,
    },
    {
        .name = "disconnect",
        .synopsis =
            (const char *const[]){"/disconnect", "/disconnect ACCOUNT", NULL},
        .summary = "disconnect an account",
        .description = "Closes the connection of ACCOUNT, or of the "
                       "current window's account, cleanly, as /quit does.",
        .args =
            (const CommandArg[]){{"ACCOUNT", "an account name"}, {NULL, NULL}},
        .min_args = 0,
        .max_args = 1,
        .func = cmd_disconnect,
    },
    {NULL},
};
