/* message.c: see message.h. Every received message with a body ends up in a
 * buffer: a chat, or the account's console when it has no usable sender;
 * errors about messages we sent are shown where the conversation is. */
#include "xmpp/message.h"

#include <string.h>

#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/session_internal.h"
#include "xmpp/stanza.h"

#define NS_SID "urn:xmpp:sid:0"

/* The nick shown for our own lines: the local part of the account's JID. */
static char *own_nick(Account *account)
{
    g_autoptr(Jid) jid = jid_parse(account->jid, NULL);
    return g_strdup(jid && jid->local ? jid->local : account->name);
}

static void show_error(Session *s, const char *from, xmpp_stanza_t *stanza)
{
    g_autofree char *why = stanza_error_describe(stanza);
    Buffer *b = from ? buffer_find(BUFFER_CHAT, s->account, from) : NULL;
    if (!b)
        b = buffer_account_console(s->account);
    buffer_appendf(b, LINE_ERROR, "Message to %s was not delivered: %s",
                   from ? from : "the server", why);
}

static int on_message(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Session *s = data;
    const char *type = xmpp_stanza_get_type(stanza);
    const char *from = xmpp_stanza_get_from(stanza);

    if (g_strcmp0(type, "groupchat") == 0)
        return 1; /* rooms are not handled yet */

    g_autoptr(Jid) sender = from ? jid_parse(from, NULL) : NULL;
    if (from && !sender) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Ignored a message from an invalid address: %s", from);
        return 1;
    }
    if (g_strcmp0(type, "error") == 0) {
        show_error(s, sender ? sender->bare : NULL, stanza);
        return 1;
    }

    g_autofree char *body = stanza_child_text(stanza, "body", NULL);
    if (!body)
        return 1; /* no text to show (chat states and such come later) */

    Buffer *b;
    if (!sender || g_strcmp0(type, "headline") == 0) {
        /* No sender means the server itself (RFC 6120 8.1.2.1). */
        b = buffer_account_console(s->account);
    } else {
        b = buffer_open(BUFFER_CHAT, s->account, sender->bare);
    }
    buffer_append(b, LINE_IN, sender ? sender->bare : "server", body);
    return 1;
}

void message_register(Session *s)
{
    xmpp_handler_add(s->conn, on_message, NULL, "message", NULL, s);
}

gboolean message_send_chat(const char *account, const char *to,
                           const char *body, GError **error)
{
    g_autoptr(Jid) jid = jid_parse(to, error);
    if (!jid)
        return FALSE;
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;

    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, "chat", jid->full, id);
    xmpp_message_set_body(msg, body);
    /* XEP-0359: a stable id the recipient's server keeps. */
    xmpp_stanza_t *origin = stanza_add_child_ns(msg, "origin-id", NS_SID);
    xmpp_stanza_set_id(origin, id);
    session_send(s, msg);
    xmpp_stanza_release(msg);

    g_autofree char *nick = own_nick(session_account(s));
    Buffer *b = buffer_open(BUFFER_CHAT, account, jid->bare);
    buffer_append(b, LINE_OUT, nick, body);
    return TRUE;
}
