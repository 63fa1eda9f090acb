/* sendonce.c: natter --send without a running natter (sendonce.h). There
 * is no front end: errors shown in any window go to stderr (sanitised), a
 * question (a password not in the accounts file) is refused, and the
 * whole attempt has a deadline. */
#include "sendonce.h"

#include <stdio.h>
#include <string.h>

#include "core/account.h"
#include "core/app.h"
#include "core/buffer.h"
#include "core/event.h"
#include "core/prompt.h"
#include "util/error.h"
#include "util/sanitize.h"
#include "xmpp/message.h"

#define SENDONCE_DEADLINE 60 /* seconds for login, sending and goodbye */

static char *account, *jid, *text;
static char *message_id;
static gboolean sent, failed, done;
static gboolean sending; /* within message_send_chat() */
static char *why;        /* why it failed, or NULL */
static guint subs[5], deadline;

static guint quit_source;

static gboolean quit_now(gpointer data)
{
    (void)data;
    quit_source = 0;
    app_quit();
    return G_SOURCE_REMOVE;
}

/* Quits from the loop, not from inside the handler of an event (the
 * session may be in the middle of sending). */
static void quit_soon(void)
{
    if (!quit_source)
        quit_source = g_idle_add(quit_now, NULL);
}

static void fail(const char *reason)
{
    if (!why)
        why = g_strdup(reason);
    failed = TRUE;
    quit_soon();
}

static void ask(const char *question, gboolean secret)
{
    (void)question, (void)secret;
    fail("natter would have to ask (a password?), and --send cannot: "
         "keep the password in the accounts file, or start natter with "
         "the control_socket setting on");
    prompt_answer(NULL);
}

static void dismiss(void)
{
}

static const PromptProvider provider = {ask, dismiss};

static EventResult on_line(Buffer *buffer, const BufferLine *line,
                           gpointer data)
{
    (void)buffer, (void)data;
    if (line->kind == LINE_ERROR) {
        g_autofree char *safe =
            text_sanitize(line->text, -1, SANITIZE_MULTILINE);
        fprintf(stderr, "natter: %s\n", safe);
    }
    return EVENT_CONTINUE;
}

static EventResult on_sent(const Message *message, gpointer data)
{
    (void)data;
    if (sending && !message_id && !g_strcmp0(message->account, account))
        message_id = g_strdup(message->message_id);
    return EVENT_CONTINUE;
}

static EventResult on_state(const Message *message, gpointer data)
{
    (void)data;
    if (!message_id || g_strcmp0(message->message_id, message_id) ||
        g_strcmp0(message->account, account))
        return EVENT_CONTINUE;
    if (message->state == MESSAGE_FAILED)
        fail("the server returned an error for the message");
    else if (message->state >= MESSAGE_SENT && !sent) {
        sent = TRUE;
        /* Saying goodbye: the server closes the stream once it has
         * handled everything before, our message included. */
        quit_soon();
    }
    return EVENT_CONTINUE;
}

static EventResult on_account(Account *a, gpointer data)
{
    (void)data;
    if (!strcmp(a->name, account) && a->state == ACCOUNT_OFFLINE && !sent)
        fail("the account did not come online");
    return EVENT_CONTINUE;
}

/* Logged in, roster and presence done: send. */
static EventResult on_ready(Account *a, gpointer data)
{
    (void)data;
    if (strcmp(a->name, account) || done)
        return EVENT_CONTINUE;
    done = TRUE;
    g_autoptr(GError) error = NULL;
    /* on_sent was subscribed at init: one subscribed now, within the
     * emission of EVENT_ACCOUNT_READY, would only see later events. */
    sending = TRUE;
    gboolean ok = message_send_chat(account, jid, text, &error);
    sending = FALSE;
    if (!ok)
        fail(error->message);
    return EVENT_CONTINUE;
}

static gboolean on_deadline(gpointer data)
{
    (void)data;
    deadline = 0;
    fail("no answer from the server in time");
    return G_SOURCE_REMOVE;
}

gboolean sendonce_init(const char *name, const char *to, const char *body,
                       GError **error)
{
    const GPtrArray *accounts = accounts_list();
    const Account *chosen = NULL;
    if (name)
        chosen = account_find(name);
    else if (accounts->len == 1)
        chosen = g_ptr_array_index(accounts, 0);
    else {
        for (guint i = 0; i < accounts->len; i++) {
            const Account *a = g_ptr_array_index(accounts, i);
            if (a->enabled) {
                if (chosen) {
                    chosen = NULL;
                    break;
                }
                chosen = a;
            }
        }
    }
    if (!chosen) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    name ? "no account '%s'"
                         : "which account? Add -a ACCOUNT%s",
                    name ? name : "");
        return FALSE;
    }
    account = g_strdup(chosen->name);
    jid = g_strdup(to);
    text = g_strdup(body);
    prompt_set_provider(&provider);
    subs[0] =
        event_on_line(EVENT_BUFFER_LINE, EVENT_PRIORITY_DEFAULT, on_line, NULL);
    subs[1] = event_on_message(EVENT_MESSAGE_STATE, EVENT_PRIORITY_DEFAULT,
                               on_state, NULL);
    subs[2] = event_on_account(EVENT_ACCOUNT_READY, EVENT_PRIORITY_DEFAULT,
                               on_ready, NULL);
    subs[3] = event_on_account(EVENT_ACCOUNT_STATE, EVENT_PRIORITY_DEFAULT,
                               on_account, NULL);
    subs[4] = event_on_message(EVENT_MESSAGE_SENT, EVENT_PRIORITY_MODEL,
                               on_sent, NULL);
    deadline = g_timeout_add_seconds(SENDONCE_DEADLINE, on_deadline, NULL);
    return TRUE;
}

const char *sendonce_account(void)
{
    return account;
}

int sendonce_finish(void)
{
    const Account *a = account_find(account);
    if (!failed && sent && a && a->state != ACCOUNT_OFFLINE)
        why = g_strdup("the server did not close the stream after the "
                       "message: it may not have it");
    if (failed || !sent || why) {
        fprintf(stderr, "natter: not sent: %s\n",
                why ? why : "the account did not come online");
        return 1;
    }
    return 0;
}

void sendonce_shutdown(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(subs); i++)
        if (subs[i])
            event_unsubscribe(subs[i]);
    memset(subs, 0, sizeof subs);
    if (deadline)
        g_source_remove(deadline);
    deadline = 0;
    if (quit_source)
        g_source_remove(quit_source);
    quit_source = 0;
    prompt_set_provider(NULL);
    g_clear_pointer(&account, g_free);
    g_clear_pointer(&jid, g_free);
    g_clear_pointer(&text, g_free);
    g_clear_pointer(&message_id, g_free);
    g_clear_pointer(&why, g_free);
}
