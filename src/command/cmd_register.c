/* cmd_register.c: /register (a new account on a server, XEP-0077) and
 * /changepassword. Both ask the password twice, without echo, and go on
 * in callbacks: nothing waits. */
#include <string.h>

#include "command/families.h"
#include "core/account.h"
#include "core/prompt.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/register.h"

typedef struct {
    char *jid;
    char *server;
    int port;
    char *cafile;
    char *account; /* /changepassword: the account */
    char *first;   /* the first answer, wiped when freed */
} Pending;

static void wipe(char *secret)
{
    if (secret)
        memset(secret, 0, strlen(secret));
    g_free(secret);
}

static void pending_free(gpointer p)
{
    Pending *pending = p;
    g_free(pending->jid);
    g_free(pending->server);
    g_free(pending->cafile);
    g_free(pending->account);
    wipe(pending->first);
    g_free(pending);
}

static Buffer *where(const Pending *p)
{
    return p->account ? buffer_account_console(p->account) : buffer_console();
}

/* The server has the account: natter gets it too, ready for /connect. */
static void on_registered(gboolean ok, const char *message, gpointer data)
{
    Pending *p = data;
    Buffer *b = where(p);
    if (!ok) {
        buffer_append(b, LINE_ERROR, NULL, message);
        return;
    }
    buffer_append(b, LINE_INFO, NULL, message);
    g_autoptr(GError) error = NULL;
    Account *a = account_find_by_jid(p->jid);
    if (!a)
        a = account_add(p->jid, &error);
    g_autofree char *port = p->port ? g_strdup_printf("%d", p->port) : NULL;
    if (!a || !account_set(a, "jid", p->jid, &error) ||
        (p->server && !account_set(a, "server", p->server, &error)) ||
        (port && !account_set(a, "port", port, &error)) ||
        (p->cafile && !account_set(a, "cafile", p->cafile, &error)) ||
        !accounts_save(&error)) {
        buffer_appendf(b, LINE_ERROR, "but natter could not add it: %s",
                       error->message);
        return;
    }
    buffer_appendf(b, LINE_INFO,
                   "Account %s added to natter (the password is not "
                   "stored): /connect %s",
                   a->name, a->name);
}

static void on_second(const char *answer, gpointer data)
{
    Pending *p = data;
    if (!answer) {
        buffer_append(where(p), LINE_INFO, NULL, "Cancelled.");
        return;
    }
    if (strcmp(answer, p->first) != 0) {
        buffer_append(where(p), LINE_ERROR, NULL,
                      "The two passwords differ; nothing was changed.");
        return;
    }
    g_autoptr(GError) error = NULL;
    if (p->account) {
        g_autoptr(Sink) out = sink_for_buffer(where(p));
        if (!register_change_password(p->account, answer, out, &error))
            buffer_append(where(p), LINE_ERROR, NULL, error->message);
        return;
    }
    /* The registration owns a copy of P from here on. */
    Pending *copy = g_new0(Pending, 1);
    copy->jid = g_strdup(p->jid);
    copy->server = g_strdup(p->server);
    copy->port = p->port;
    copy->cafile = g_strdup(p->cafile);
    buffer_appendf(where(p), LINE_INFO, "Registering %s...", p->jid);
    if (!register_account(p->jid, p->server, p->port, p->cafile, answer,
                          on_registered, copy, pending_free, &error)) {
        buffer_append(where(p), LINE_ERROR, NULL, error->message);
        pending_free(copy);
    }
}

static void on_first(const char *answer, gpointer data)
{
    Pending *p = data;
    if (!answer || !*answer) {
        buffer_append(where(p), LINE_INFO, NULL,
                      answer ? "An empty password is not allowed; cancelled."
                             : "Cancelled.");
        pending_free(p);
        return;
    }
    p->first = g_strdup(answer);
    prompt_ask("Repeat the password: ", TRUE, on_second, p, pending_free);
}

static void ask_twice(Pending *p, const char *what)
{
    g_autofree char *question = g_strdup_printf("New password for %s: ", what);
    prompt_ask(question, TRUE, on_first, p, NULL);
}

static gboolean cmd_register(const CommandCall *call, GError **error)
{
    static const char *const keys[] = {"server", "port", "cafile", NULL};
    g_autoptr(GHashTable) options =
        command_parse_options(call->argv + 1, call->argc - 1, keys, error);
    if (!options)
        return FALSE;
    g_autoptr(Jid) jid = jid_parse(call->argv[0], error);
    if (!jid)
        return FALSE;
    if (!jid->local || jid->resource) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "register an address of the form user@domain");
        return FALSE;
    }
    gint64 port = 0;
    const char *port_text = g_hash_table_lookup(options, "port");
    if (port_text &&
        !g_ascii_string_to_signed(port_text, 10, 1, 65535, &port, NULL)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "port is a number from 1 to 65535, not '%s'", port_text);
        return FALSE;
    }
    Pending *p = g_new0(Pending, 1);
    p->jid = g_strdup(jid->bare);
    p->server = g_strdup(g_hash_table_lookup(options, "server"));
    p->port = (int)port;
    p->cafile = g_strdup(g_hash_table_lookup(options, "cafile"));
    ask_twice(p, p->jid);
    return TRUE;
}

static gboolean cmd_changepassword(const CommandCall *call, GError **error)
{
    Account *a = call->account ? account_find(call->account) : NULL;
    if (!a || a->state != ACCOUNT_ONLINE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "use /changepassword in the window of an account that "
                    "is online");
        return FALSE;
    }
    Pending *p = g_new0(Pending, 1);
    p->account = g_strdup(a->name);
    ask_twice(p, a->jid);
    return TRUE;
}

const CommandDef cmd_register_commands[] = {
    {
        .name = "changepassword",
        .synopsis = (const char *const[]){"/changepassword", NULL},
        .summary = "change the current account's password on the server",
        .description =
            "Asks for the new password twice (not shown) and changes it on "
            "the server of the current window's account (XEP-0077). If the "
            "account stores its password, the stored one is updated too.",
        .min_args = 0,
        .max_args = 0,
        .per_account = TRUE,
        .func = cmd_changepassword,
    },
    {
        .name = "register",
        .synopsis = (const char *const[]){"/register JID [server HOST] "
                                          "[port N] [cafile FILE]",
                                          NULL},
        .summary = "create an account on a server",
        .description =
            "Creates the account JID on its server with in-band "
            "registration (XEP-0077), if the server allows it. natter asks "
            "for the password twice (not shown), connects with TLS "
            "(required before the password is sent), and adds the account "
            "to its own accounts without storing the password.",
        .args = (const CommandArg[]){{"JID", "the new address, user@domain"},
                                     {"server HOST", "host to connect to"},
                                     {"port N", "port to connect to"},
                                     {"cafile FILE", "CA certificates to "
                                                     "check the server with"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/register me@example.org",
                                          "/register me@localhost server "
                                          "127.0.0.1 port 5222",
                                          NULL},
        .min_args = 1,
        .max_args = 7,
        .func = cmd_register,
    },
    {NULL},
};
