/* cmd_chat.c: one-to-one conversations. */
#include <string.h>

#include "command/families.h"
#include "core/conversation.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/message.h"
#include "xmpp/muc.h"

static const char *arg_text(const CommandCall *call)
{
    return call->argc > 1 ? call->argv[1] : NULL;
}

static gboolean cmd_msg(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    /* In a room's window, a nick is one of its occupants (xmpp/muc.h). */
    Buffer *in = call->buffer;
    if ((in->kind == BUFFER_ROOM || in->kind == BUFFER_PRIVATE) &&
        !strchr(call->argv[0], '@')) {
        g_autofree char *room = jid_bare(in->peer);
        g_autofree char *occupant =
            g_strdup_printf("%s/%s", room, call->argv[0]);
        return muc_send_private(call->account, occupant, arg_text(call), error);
    }
    g_autoptr(Jid) jid = jid_parse(call->argv[0], error);
    if (!jid)
        return FALSE;
    Buffer *chat = conversation_open(call->account, jid->bare);
    buffer_switch(chat);
    if (call->argc < 2)
        return TRUE;
    g_autoptr(GError) cause = NULL;
    if (message_send_chat(call->account, jid->full, call->argv[1], &cause))
        return TRUE;
    /* The chat is open: say it there, with the text, so nothing is lost. */
    buffer_appendf(chat, LINE_ERROR, "not sent, %s: %s", cause->message,
                   call->argv[1]);
    return TRUE;
}

const CommandDef cmd_chat_commands[] = {
    {
        .name = "msg",
        .synopsis = (const char *const[]){"/msg JID", "/msg JID TEXT",
                                          "/msg NICK", "/msg NICK TEXT", NULL},
        .summary = "open a chat, and send a message",
        .description = "Opens the chat window with JID (or goes to it) for "
                       "the current window's account, and sends TEXT if "
                       "given. In a chat window, text typed without a "
                       "leading slash is sent to its contact; start a line "
                       "with // to send a line that begins with a slash. "
                       "In a room's window, /msg NICK opens a private chat "
                       "with that occupant.",
        .args = (const CommandArg[]){{"JID", "the contact's address"},
                                     {"NICK", "an occupant of the room"},
                                     {"TEXT", "the message, to the end of "
                                              "the line"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/msg bob@example.org",
                                  "/msg bob@example.org Hi Bob!",
                                  "/msg -a work boss@example.com Late", NULL},
        .min_args = 1,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_msg,
    },
    {NULL},
};
