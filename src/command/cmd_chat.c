/* cmd_chat.c: conversations: /msg, /me, and what refers to an earlier
 * message: /reply, /react, /correct, /retract. All but /msg work the
 * same in a chat, a room and a private chat in a room. */
#include <string.h>

#include "command/families.h"
#include "core/conversation.h"
#include "core/prompt.h"
#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"
#include "util/xmppuri.h"
#include "xmpp/message.h"
#include "xmpp/muc.h"

static const char *arg_text(const CommandCall *call)
{
    return call->argc > 1 ? call->argv[1] : NULL;
}

/* Opens the chat of ACCOUNT with ADDRESS and sends TEXT (NULL: none). */
static gboolean open_chat(const char *account, const char *address,
                          const char *text, GError **error)
{
    g_autoptr(Jid) jid = jid_parse(address, error);
    if (!jid)
        return FALSE;
    Buffer *chat = conversation_open(account, jid->bare);
    buffer_switch(chat);
    if (!text)
        return TRUE;
    g_autoptr(GError) cause = NULL;
    if (message_send_chat(account, jid->full, text, &cause))
        return TRUE;
    /* The chat is open: say it there, with the text, so nothing is lost. */
    buffer_appendf(chat, LINE_ERROR, "not sent, %s: %s", cause->message, text);
    return TRUE;
}

/* /msg WORD, WORD neither an address nor a contact: asked first. */
typedef struct {
    char *account;
    char *address;
    char *text;
    Sink *out;
} AskedChat;

static void asked_free(gpointer data)
{
    AskedChat *a = data;
    g_free(a->account);
    g_free(a->address);
    g_free(a->text);
    sink_unref(a->out);
    g_free(a);
}

static void on_asked(const char *answer, gpointer data)
{
    AskedChat *a = data;
    if (answer && (g_ascii_strcasecmp(answer, "y") == 0 ||
                   g_ascii_strcasecmp(answer, "yes") == 0)) {
        g_autoptr(GError) error = NULL;
        if (!open_chat(a->account, a->address, a->text, &error))
            sink_print(a->out, LINE_ERROR, error->message);
        return;
    }
    if (a->text)
        sink_printf(a->out, LINE_INFO, "No chat opened, not sent: %s", a->text);
    else
        sink_print(a->out, LINE_INFO, "No chat opened");
}

/* The address /msg WORD means on ACCOUNT: WORD itself when it has an '@'
 * or is a contact's address, else the one contact called WORD (by roster
 * name, or by the local part of its address). NULL with ERROR when
 * several are; NULL without when none is. Caller frees. */
static char *msg_address(const char *account, const char *word, GError **error)
{
    if (strchr(word, '@') || roster_find_contact(account, word))
        return g_strdup(word);
    g_autoptr(GPtrArray) found = roster_find_by_name(account, word);
    if (found->len == 1)
        return g_strdup(((RosterContact *)g_ptr_array_index(found, 0))->jid);
    if (found->len == 0)
        return NULL;
    g_autoptr(GString) list = g_string_new(NULL);
    for (guint i = 0; i < found->len; i++)
        g_string_append_printf(
            list, "%s%s", i ? ", " : "",
            ((RosterContact *)g_ptr_array_index(found, i))->jid);
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "%u contacts of %s are called '%s' (%s): give the address",
                found->len, account, word, list->str);
    return NULL;
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
    if (xmpp_uri_is(call->argv[0])) {
        /* xmpp:bob@example.org?message;body=... (RFC 5122, XEP-0147): the
         * text typed after it wins over the link's body. */
        g_autoptr(XmppUri) uri = xmpp_uri_parse(call->argv[0], error);
        if (!uri)
            return FALSE;
        if (uri->action && strcmp(uri->action, "message") != 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s asks to %s, not to write a message", call->argv[0],
                        uri->action);
            return FALSE;
        }
        const char *text = arg_text(call);
        return open_chat(call->account, uri->jid,
                         text ? text : xmpp_uri_param(uri, "body"), error);
    }
    g_autoptr(GError) cause = NULL;
    g_autofree char *address =
        msg_address(call->account, call->argv[0], &cause);
    if (address)
        return open_chat(call->account, address, arg_text(call), error);
    if (cause) {
        g_propagate_error(error, g_steal_pointer(&cause));
        return FALSE;
    }
    /* A bare word that is no contact may be a server's address, or a
     * typo: asked, not guessed. */
    g_autoptr(Jid) jid = jid_parse(call->argv[0], error);
    if (!jid)
        return FALSE;
    AskedChat *a = g_new0(AskedChat, 1);
    a->account = g_strdup(call->account);
    a->address = g_strdup(jid->full);
    a->text = g_strdup(arg_text(call));
    a->out = sink_ref(call->out);
    g_autofree char *question =
        g_strdup_printf("No contact of %s is called '%s'. Open a chat with "
                        "the server %s? (yes/no) ",
                        call->account, call->argv[0], jid->full);
    prompt_ask(question, FALSE, on_asked, a, asked_free);
    return TRUE;
}

/* The conversation the command was typed in, or NULL with ERROR set. */
static Buffer *chat_of(const CommandCall *call, GError **error)
{
    BufferKind kind = call->buffer->kind;
    if (kind == BUFFER_CHAT || kind == BUFFER_ROOM || kind == BUFFER_PRIVATE)
        return call->buffer;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "/%s works in a chat window, a room or a private chat (/msg "
                "JID opens a chat)",
                call->def->name);
    return NULL;
}

static MessageKind kind_of(const Buffer *chat)
{
    return conversation_message_kind(chat->kind);
}

typedef enum { TARGET_OURS, TARGET_THEIRS, TARGET_ANY } Target;

static gboolean fits(const BufferLine *line, Target target)
{
    if (!line->history_id || line->retracted)
        return FALSE;
    switch (target) {
    case TARGET_OURS:
        return line->kind == LINE_OUT;
    case TARGET_THEIRS:
        return line->kind == LINE_IN;
    case TARGET_ANY:
        break;
    }
    return line->kind == LINE_IN || line->kind == LINE_OUT;
}

/* The message a command acts on: the selected one (Alt-Up/Down) if it
 * fits, else the newest that does; NULL with ERROR set when none. */
static const BufferLine *target_of(const Buffer *chat, Target target,
                                   GError **error)
{
    const BufferLine *selected =
        buffer_line_by_history_id(chat, chat->selected);
    if (selected && fits(selected, target))
        return selected;
    for (guint i = chat->lines->len; i-- > 0;) {
        const BufferLine *line = g_ptr_array_index(chat->lines, i);
        if (fits(line, target))
            return line;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                target == TARGET_OURS ? "no message of yours here to change"
                                      : "no message here to answer");
    return NULL;
}

static gboolean cmd_correct(const CommandCall *call, GError **error)
{
    Buffer *chat = chat_of(call, error);
    const BufferLine *line = chat ? target_of(chat, TARGET_OURS, error) : NULL;
    if (!line ||
        !message_send_correction(chat->account, kind_of(chat), chat->peer,
                                 line->history_id, call->argv[0], error))
        return FALSE;
    buffer_unselect(chat); /* done with it */
    return TRUE;
}

static gboolean cmd_retract(const CommandCall *call, GError **error)
{
    Buffer *chat = chat_of(call, error);
    const BufferLine *line = chat ? target_of(chat, TARGET_OURS, error) : NULL;
    if (!line || !message_send_retraction(chat->account, kind_of(chat),
                                          chat->peer, line->history_id, error))
        return FALSE;
    buffer_unselect(chat); /* done with it */
    return TRUE;
}

/* A moderator removes someone's message from a room for everyone. */
static gboolean cmd_moderate(const CommandCall *call, GError **error)
{
    Buffer *room = call->buffer;
    if (room->kind != BUFFER_ROOM) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/moderate works in a room's window");
        return FALSE;
    }
    const BufferLine *line = target_of(room, TARGET_ANY, error);
    History *h = line ? conversation_history(room->account) : NULL;
    g_autoptr(Message) m = h ? history_get(h, line->history_id) : NULL;
    if (line && (!m || !m->stanza_id)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "the room gave that message no id: it cannot be "
                    "removed");
        return FALSE;
    }
    if (!m || !muc_moderate(room->account, room->peer, m->stanza_id,
                            call->argc ? call->argv[0] : NULL, error))
        return FALSE;
    buffer_unselect(room); /* done with it */
    return TRUE;
}

static gboolean cmd_react(const CommandCall *call, GError **error)
{
    Buffer *chat = chat_of(call, error);
    const BufferLine *line = chat ? target_of(chat, TARGET_ANY, error) : NULL;
    /* "/react -" takes ours back. */
    const char *emojis = strcmp(call->argv[0], "-") == 0 ? "" : call->argv[0];
    if (!line ||
        !message_send_reactions(chat->account, kind_of(chat), chat->peer,
                                line->history_id, emojis, error))
        return FALSE;
    buffer_unselect(chat); /* done with it */
    return TRUE;
}

static gboolean cmd_reply(const CommandCall *call, GError **error)
{
    Buffer *chat = chat_of(call, error);
    const BufferLine *line =
        chat ? target_of(chat, TARGET_THEIRS, error) : NULL;
    if (!line)
        return FALSE;
    gint64 row = line->history_id;
    buffer_unselect(chat); /* done with it */
    g_autoptr(GError) cause = NULL;
    if (message_send(chat->account, kind_of(chat), chat->peer, call->argv[0],
                     row, &cause))
        return TRUE;
    g_set_error(error, NATTER_ERROR, cause->code, "not sent, %s: %s",
                cause->message, call->argv[0]);
    return FALSE;
}

/* "/correct " then Tab: the text it would replace comes back to edit. */
static void complete_correct(const Buffer *chat, const char *const *args,
                             guint position, GPtrArray *out)
{
    if (position != 0 ||
        (chat->kind != BUFFER_CHAT && chat->kind != BUFFER_ROOM &&
         chat->kind != BUFFER_PRIVATE))
        return;
    const BufferLine *line = target_of(chat, TARGET_OURS, NULL);
    if (line)
        g_ptr_array_add(out, g_strdup(line->text));
}

static gboolean cmd_me(const CommandCall *call, GError **error)
{
    Buffer *chat = chat_of(call, error);
    if (!chat)
        return FALSE;
    g_autofree char *body = g_strconcat("/me ", call->argv[0], NULL);
    g_autoptr(GError) cause = NULL;
    if (message_send(chat->account, kind_of(chat), chat->peer, body, 0, &cause))
        return TRUE;
    g_set_error(error, NATTER_ERROR, cause->code, "not sent, %s: %s",
                cause->message, body);
    return FALSE;
}

const CommandDef cmd_chat_commands[] = {
    {
        .name = "msg",
        .synopsis = (const char *const[]){"/msg JID", "/msg JID TEXT",
                                          "/msg NICK", "/msg NICK TEXT", NULL},
        .summary = "open a chat, and send a message",
        .description = "Opens the chat window with JID (or goes to it) for "
                       "the current window's account, and sends TEXT if "
                       "given. Instead of an address, a contact's roster "
                       "name (or the part of its address before the @) "
                       "does; when several contacts have it, natter names "
                       "them and sends nothing; a word that is no contact "
                       "is taken as a server's address only once you say "
                       "yes. In a chat window, text typed without a "
                       "leading slash is sent to its contact; start a line "
                       "with // to send a line that begins with a slash. "
                       "In a room's window, /msg NICK opens a private chat "
                       "with that occupant. JID may be an xmpp: link "
                       "(xmpp:bob@example.org?message;body=Hi): its body "
                       "is sent when no TEXT is typed.",
        .args = (const CommandArg[]){{"JID", "the contact's address or "
                                             "roster name"},
                                     {"NICK", "an occupant of the room"},
                                     {"TEXT", "the message, to the end of "
                                              "the line"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/msg bob@example.org",
                                  "/msg bob@example.org Hi Bob!",
                                  "/msg Bobby see you at 8",
                                  "/msg -a work boss@example.com Late", NULL},
        .min_args = 1,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_msg,
    },
    {
        .name = "query",
        .synopsis =
            (const char *const[]){"/query NICK", "/query NICK TEXT",
                                  "/query JID", "/query JID TEXT", NULL},
        .summary = "open a private chat (the same as /msg)",
        .description = "The same as /msg, for those used to it: in a room's "
                       "window, opens a private chat with the occupant NICK; "
                       "elsewhere, the chat with JID.",
        .args = (const CommandArg[]){{"NICK", "an occupant of the room"},
                                     {"JID", "the contact's address"},
                                     {"TEXT", "the message, to the end of "
                                              "the line"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/query alice", NULL},
        .min_args = 1,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_msg,
    },
    {
        .name = "correct",
        .synopsis = (const char *const[]){"/correct TEXT", NULL},
        .summary = "correct your last message",
        .description =
            "Replaces the text of your selected message (Alt-Up), or of your "
            "newest one, in this chat, for you and for the contact "
            "(XEP-0308). The message is shown as edited. Type /correct and "
            "a space, then Tab: the text to correct comes back to edit.",
        .args =
            (const CommandArg[]){{"TEXT", "the corrected text"}, {NULL, NULL}},
        .examples = (const char *const[]){"/correct see you at 8", NULL},
        .min_args = 1,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_correct,
        .complete = complete_correct,
    },
    {
        .name = "me",
        .synopsis = (const char *const[]){"/me TEXT", NULL},
        .summary = "say what you are doing",
        .description = "Sends \"/me TEXT\", which clients show as an action: "
                       "* nick TEXT (XEP-0245).",
        .args = (const CommandArg[]){{"TEXT", "the action"}, {NULL, NULL}},
        .examples = (const char *const[]){"/me waves", NULL},
        .min_args = 1,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_me,
    },
    {
        .name = "moderate",
        .synopsis = (const char *const[]){"/moderate [REASON]", NULL},
        .summary = "remove a message from a room for everyone",
        .description =
            "For a room's moderators: asks the room to remove the selected "
            "message (Alt-Up), or the newest one, for every occupant, with "
            "an optional REASON (XEP-0425). Everyone's clients show it as "
            "removed, with who did it and why; rooms that do not support "
            "it say so.",
        .args = (const CommandArg[]){{"REASON", "why, shown to everyone"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/moderate spam", NULL},
        .min_args = 0,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_moderate,
    },
    {
        .name = "react",
        .synopsis = (const char *const[]){"/react EMOJI", "/react -", NULL},
        .summary = "react to a message with emojis",
        .description =
            "Sends your reactions (XEP-0444) to the selected message "
            "(Alt-Up), or the newest one, in this chat: one or more emojis "
            "separated by spaces. They replace the reactions you sent to it "
            "before; \"-\" takes them back. Reactions show under the "
            "message.",
        .args =
            (const CommandArg[]){{"EMOJI", "one or more emojis"}, {NULL, NULL}},
        .examples =
            (const char *const[]){"/react \U0001F44D", "/react -", NULL},
        .min_args = 1,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_react,
    },
    {
        .name = "reply",
        .synopsis = (const char *const[]){"/reply TEXT", NULL},
        .summary = "answer a particular message",
        .description =
            "Sends TEXT as a reply (XEP-0461) to the selected message "
            "(Alt-Up), or to the contact's newest one. Clients without "
            "replies see the answered text quoted above yours.",
        .args = (const CommandArg[]){{"TEXT", "your answer"}, {NULL, NULL}},
        .examples = (const char *const[]){"/reply yes, Friday is fine", NULL},
        .min_args = 1,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_reply,
    },
    {
        .name = "retract",
        .synopsis = (const char *const[]){"/retract", NULL},
        .summary = "withdraw a message you sent",
        .description =
            "Asks the contact's client to remove your selected message "
            "(Alt-Up), or your newest one, in this chat (XEP-0424); its "
            "text is removed from your history too. What the contact "
            "already read cannot be unread.",
        .min_args = 0,
        .max_args = 0,
        .func = cmd_retract,
    },
    {NULL},
};
