/* command.c: see command.h. Collects the tables of every family, finds the
 * command of a typed line, checks its argument count and runs it. */
#include "command/command.h"

#include <string.h>

#include "command/families.h"
#include "command/keymap.h"
#include "config.h"
#include "core/account.h"
#include "util/error.h"
#include "xmpp/message.h"
#include "xmpp/muc.h"

/* One family a line keeps merges simple. */
// clang-format off
static const CommandDef *const families[] = {
    cmd_adhoc_commands,
    cmd_core_commands,
    cmd_editor_commands,
    cmd_exec_commands,
    cmd_form_commands,
    cmd_account_commands,
    cmd_blocking_commands,
    cmd_chat_commands,
    cmd_history_commands,
    cmd_hook_commands,
    cmd_info_commands,
    cmd_keys_commands,
    cmd_muc_commands,
#ifdef HAVE_OTR
    cmd_otr_commands,
#endif
    cmd_presence_commands,
    cmd_pubsub_commands,
    cmd_files_commands,
#ifdef HAVE_OMEMO
    cmd_omemo_commands,
#endif
    cmd_register_commands,
    cmd_roster_commands,
    cmd_set_commands,
    cmd_theme_commands,
    cmd_tls_commands,
    cmd_window_commands,
    cmd_xmlconsole_commands,
};
// clang-format on

static GPtrArray *commands; /* const CommandDef *, sorted by name */

static gint compare_defs(gconstpointer a, gconstpointer b)
{
    const CommandDef *da = *(const CommandDef *const *)a;
    const CommandDef *db = *(const CommandDef *const *)b;
    return strcmp(da->name, db->name);
}

void commands_init(void)
{
    if (commands)
        return;
    commands = g_ptr_array_new();
    for (guint f = 0; f < G_N_ELEMENTS(families); f++) {
        for (const CommandDef *def = families[f]; def->name; def++)
            g_ptr_array_add(commands, (gpointer)def);
    }
    g_ptr_array_sort(commands, compare_defs);
    cmd_muc_init();
}

void commands_shutdown(void)
{
    g_clear_pointer(&commands, g_ptr_array_unref);
    keymap_shutdown();
}

gboolean command_register(const CommandDef *def, GError **error)
{
    if (!def->name || !*def->name || strpbrk(def->name, " \t/") ||
        !def->synopsis || !def->synopsis[0] || !def->func) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "a command needs a name (no blanks or slashes), a "
                    "synopsis and a handler");
        return FALSE;
    }
    if (command_find(def->name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "there is already a command /%s", def->name);
        return FALSE;
    }
    g_ptr_array_add(commands, (gpointer)def);
    g_ptr_array_sort(commands, compare_defs);
    return TRUE;
}

void command_unregister(const CommandDef *def)
{
    g_ptr_array_remove(commands, (gpointer)def);
}

const GPtrArray *commands_list(void)
{
    return commands;
}

const CommandDef *command_find(const char *name)
{
    for (guint i = 0; i < commands->len; i++) {
        const CommandDef *def = g_ptr_array_index(commands, i);
        if (strcmp(def->name, name) == 0)
            return def;
    }
    return NULL;
}

/* The account a command typed in BUFFER acts for: the buffer's own, else
 * the only online account, else the only account there is. */
static const char *account_for(const Buffer *buffer)
{
    if (buffer->account)
        return buffer->account;
    const GPtrArray *accounts = accounts_list();
    const char *online = NULL;
    guint n_online = 0;
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        if (a->state != ACCOUNT_OFFLINE) {
            online = a->name;
            n_online++;
        }
    }
    if (n_online == 1)
        return online;
    if (n_online == 0 && accounts->len == 1)
        return ((Account *)g_ptr_array_index(accounts, 0))->name;
    return NULL;
}

static gboolean send_text(Buffer *buffer, const char *text, GError **error)
{
    g_autoptr(GError) cause = NULL;
    gboolean sent;
    switch (buffer->kind) {
    case BUFFER_ROOM:
        sent = muc_send(buffer->account, buffer->peer, text, &cause);
        break;
    case BUFFER_PRIVATE:
        sent = muc_send_private(buffer->account, buffer->peer, text, &cause);
        break;
    case BUFFER_CHAT:
        sent = message_send_chat(buffer->account, buffer->peer, text, &cause);
        break;
    case BUFFER_FORM:
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "this window is a form: /form set FIELD VALUE changes a "
                    "field, /form submit sends it (/help form)");
        return FALSE;
    case BUFFER_VIEW:
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "this window only shows %s: it takes commands, and "
                    "/close closes it",
                    buffer->name);
        return FALSE;
    default:
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "this window is not a conversation; commands start with "
                    "'/' (try /help), /msg JID opens a chat");
        return FALSE;
    }
    if (sent)
        return TRUE;
    /* Show what was typed, so that it is not lost with the input line. */
    g_set_error(error, NATTER_ERROR, cause->code, "not sent, %s: %s",
                cause->message, text);
    return FALSE;
}

gboolean command_need_account(const CommandCall *call, GError **error)
{
    if (call->account)
        return TRUE;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                "which account? Type the command in that account's window "
                "(/wins), or add -a ACCOUNT");
    return FALSE;
}

/* A leading "-a ACCOUNT" in ARGS names the account a command acts for.
 * Returns ARGS after the option (or ARGS itself when there is none), or
 * NULL with ERROR set. */
static const char *peel_account_option(const char *args, const char **account,
                                       GError **error)
{
    const char *p = args + strspn(args, " \t");
    if (strncmp(p, "-a", 2) != 0 || (p[2] && !strchr(" \t", p[2])))
        return args;
    p += 2;
    p += strspn(p, " \t");
    gsize len = strcspn(p, " \t");
    g_autofree char *name = g_strndup(p, len);
    const Account *a = account_find(name);
    if (!a) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    *name ? "no account '%s' (/account list)"
                          : "-a needs an account name%s",
                    name);
        return NULL;
    }
    *account = a->name;
    return p + len;
}

void command_print(const CommandCall *call, LineKind kind, const char *text)
{
    sink_print(call->out, kind, text);
}

void command_printf(const CommandCall *call, LineKind kind, const char *format,
                    ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *text = g_strdup_vprintf(format, args);
    va_end(args);
    sink_print(call->out, kind, text);
}

gboolean command_execute(Buffer *buffer, const char *line, GError **error)
{
    g_autoptr(Sink) out = sink_for_buffer(buffer);
    return command_execute_to(buffer, out, line, error);
}

gboolean command_execute_to(Buffer *buffer, Sink *out, const char *line,
                            GError **error)
{
    if (line[0] != '/' || line[1] == '/')
        return send_text(buffer, line[0] == '/' ? line + 1 : line, error);

    const char *name_start = line + 1;
    const char *name_end = name_start + strcspn(name_start, " \t");
    g_autofree char *name = g_strndup(name_start, name_end - name_start);
    const CommandDef *def = command_find(name);
    if (!def) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "unknown command /%s (try /help)", name);
        return FALSE;
    }

    const char *args = name_end;
    const char *account = account_for(buffer);
    if (def->per_account &&
        !(args = peel_account_option(args, &account, error)))
        return FALSE;
    g_auto(GStrv) argv = command_split(args, def->max_args, def->rest, error);
    if (!argv)
        return FALSE;
    int argc = (int)g_strv_length(argv);
    if (argc < def->min_args || (def->max_args >= 0 && argc > def->max_args)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "usage: %s",
                    def->synopsis[0]);
        return FALSE;
    }

    CommandCall call = {
        .def = def,
        .buffer = buffer,
        .out = out,
        .account = account,
        .argc = argc,
        .argv = argv,
    };
    return def->func(&call, error);
}

void command_run(Buffer *buffer, const char *line)
{
    g_autoptr(GError) error = NULL;
    if (!command_execute(buffer, line, &error))
        buffer_appendf(buffer, LINE_ERROR, "%s", error->message);
}
