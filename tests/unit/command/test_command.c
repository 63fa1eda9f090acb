/* test_command.c: unit tests for src/command/command.c and the commands
 * that need no server: the table, running a typed line, argument counts,
 * text typed outside a conversation, /help, /win, /wins, /close, /clear,
 * /account, and the offline paths of /msg, /connect and /disconnect. What
 * needs a server is covered by tests/functional. Every test runs with its
 * own temporary config and data directory. */
#include "../unit.h"

#include <string.h>

#include "command/command.h"
#include "command/keymap.h"
#include "core/account.h"
#include "core/app.h"
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/pipeline.h"
#include "core/prompt.h"
#include "util/error.h"
#include "xmpp/session.h"

static char *tmpdir;

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-command-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    event_init();
    buffers_init();
    conversation_init();
    commands_init();
    sessions_init();
    return accounts_init(NULL) ? 0 : -1;
}

static int teardown(void **state)
{
    sessions_shutdown();
    conversations_shutdown();
    pipeline_shutdown();
    accounts_shutdown();
    commands_shutdown();
    buffers_shutdown();
    event_shutdown();
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    return 0;
}

static void run_ok(Buffer *buffer, const char *line)
{
    g_autoptr(GError) error = NULL;
    if (!command_execute(buffer, line, &error))
        fail_msg("'%s' failed: %s\n", line, error->message);
    assert_null(error);
}

/* LINE must fail with exactly MESSAGE, and add no line to BUFFER. */
static void run_fails(Buffer *buffer, const char *line, const char *message)
{
    guint before = buffer->lines->len;
    g_autoptr(GError) error = NULL;
    if (command_execute(buffer, line, &error))
        fail_msg("'%s' should have failed\n", line);
    assert_non_null(error);
    assert_true(error->domain == NATTER_ERROR);
    if (strcmp(error->message, message) != 0)
        fail_msg("'%s' failed with '%s', expected '%s'\n", line, error->message,
                 message);
    assert_int_equal(buffer->lines->len, before);
}

/* The texts of BUFFER's lines from FIRST on, one per line. */
static char *texts_from(const Buffer *buffer, guint first)
{
    GString *s = g_string_new(NULL);
    for (guint i = first; i < buffer->lines->len; i++) {
        const BufferLine *line = g_ptr_array_index(buffer->lines, i);
        g_string_append_printf(s, "%s\n", line->text);
    }
    return g_string_free(s, FALSE);
}

static const BufferLine *last_line(const Buffer *buffer)
{
    assert_true(buffer->lines->len > 0);
    return g_ptr_array_index(buffer->lines, buffer->lines->len - 1);
}

static char *read_accounts_file(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "accounts", NULL);
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return g_strdup("");
    return text;
}

static void test_table(void **state)
{
    const GPtrArray *list = commands_list();
    assert_true(list->len >= 10);
    static const char *const expected[] = {
        "account", "clear", "close", "connect", "disconnect",
        "help",    "msg",   "quit",  "win",     "wins",
    };
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
        assert_non_null(command_find(expected[i]));
    for (guint i = 0; i < list->len; i++) {
        const CommandDef *def = g_ptr_array_index(list, i);
        if (i > 0) {
            const CommandDef *prev = g_ptr_array_index(list, i - 1);
            assert_true(strcmp(prev->name, def->name) < 0);
        }
        assert_ptr_equal(command_find(def->name), def);
        assert_true(def->name[0] != '\0' && def->name[0] != '/');
        assert_non_null(def->synopsis);
        assert_non_null(def->synopsis[0]);
        g_autofree char *slash = g_strconcat("/", def->name, NULL);
        for (const char *const *s = def->synopsis; *s; s++)
            assert_true(g_str_has_prefix(*s, slash));
        assert_non_null(def->summary);
        assert_non_null(def->description);
        assert_non_null(def->func);
        assert_true(def->min_args >= 0);
        assert_true(def->max_args == -1 || def->max_args >= def->min_args);
        if (def->rest)
            assert_true(def->max_args > 0);
    }
    assert_null(command_find("nosuch"));
    assert_null(command_find(""));
    assert_null(command_find("/help"));
}

static void test_unknown_command(void **state)
{
    Buffer *console = buffer_console();
    run_fails(console, "/nosuch arg", "unknown command /nosuch (try /help)");
    run_fails(console, "/", "unknown command / (try /help)");
    run_fails(console, "/\thelp", "unknown command / (try /help)");
    g_autoptr(GError) error = NULL;
    assert_false(command_execute(console, "/x", &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND));
}

static void test_argument_counts(void **state)
{
    Buffer *console = buffer_console();
    run_fails(console, "/win", "usage: /win NUMBER");
    run_fails(console, "/win 1 2",
              "usage: /win NUMBER|NAME|next|prev|active, /win move NUMBER");
    run_fails(console, "/quit now", "usage: /quit");
    run_fails(console, "/close 1 2", "usage: /close");
    run_fails(console, "/help a b c", "usage: /help");
    run_fails(console, "/help a b", "usage: /help search WORD");
    run_fails(console, "/wins x", "usage: /wins");
    run_fails(console, "/msg", "usage: /msg JID");
    run_fails(console, "/connect", "usage: /connect ACCOUNT");
    run_fails(console, "/disconnect a b", "usage: /disconnect");
    /* Quoting makes one argument of several words. */
    run_fails(console, "/help \"a b\" c d", "usage: /help");
    run_fails(console, "/win \"2", "a quote is not closed");
}

static void test_text_in_console(void **state)
{
    Buffer *console = buffer_console();
    const char *msg = "this window is not a conversation; commands start with "
                      "'/' (try /help), /msg JID opens a chat";
    run_fails(console, "hello there", msg);
    run_fails(console, "//not a command", msg);
    Buffer *acc = buffer_account_console("work");
    run_fails(acc, "hello", msg);

    /* command_run shows the error where the line was typed. */
    command_run(console, "hello there");
    const BufferLine *line = last_line(console);
    assert_int_equal(line->kind, LINE_ERROR);
    assert_string_equal(line->text, msg);
    assert_non_null(strstr(line->text, "/help"));
}

static void test_double_slash_sends_slash_text(void **state)
{
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    /* The chat's account is gone: sending fails, and the error shows the
     * text that would have been sent: with one slash, not two, and not
     * run as /me. */
    run_fails(chat, "//me waves",
              "not sent, no account named 'work': /me waves");
    run_fails(chat, "plain text",
              "not sent, no account named 'work': "
              "plain text");
    g_autoptr(GError) error = NULL;
    assert_false(command_execute(chat, "hi", &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND));
    /* command_run keeps the text visible in the chat. */
    command_run(chat, "//help me");
    assert_string_equal(last_line(chat)->text,
                        "not sent, no account named 'work': /help me");
    assert_int_equal(last_line(chat)->kind, LINE_ERROR);
    /* With the account (offline), "//me" is kept as the text "/me". */
    run_ok(buffer_console(), "/account add work");
    run_ok(chat, "//me waves");
    const BufferLine *kept =
        g_ptr_array_index(chat->lines, chat->lines->len - 2);
    assert_string_equal(kept->text, "/me waves");
    assert_int_equal(kept->kind, LINE_OUT);
}

static void test_help_lists_commands(void **state)
{
    Buffer *console = buffer_console();
    run_ok(console, "/help");
    const GPtrArray *list = commands_list();
    assert_int_equal(console->lines->len, list->len + 1);
    const BufferLine *first = g_ptr_array_index(console->lines, 0);
    assert_string_equal(first->text, "Commands (/help COMMAND for details):");
    assert_int_equal(first->kind, LINE_INFO);
    for (guint i = 0; i < list->len; i++) {
        const CommandDef *def = g_ptr_array_index(list, i);
        const BufferLine *line = g_ptr_array_index(console->lines, i + 1);
        g_autofree char *start = g_strconcat("  /", def->name, " ", NULL);
        assert_true(g_str_has_prefix(line->text, start));
        assert_true(g_str_has_suffix(line->text, def->summary));
    }
    /* The layout of one line, exactly: the summaries in one column, after
     * the longest name (/changepassword). */
    gboolean found = FALSE;
    for (guint i = 1; i < console->lines->len; i++) {
        const BufferLine *line = g_ptr_array_index(console->lines, i);
        if (g_str_has_prefix(line->text, "  /win ")) {
            assert_string_equal(line->text,
                                "  /win            go to another window");
            found = TRUE;
        }
        if (g_str_has_prefix(line->text, "  /changepassword"))
            assert_string_equal(line->text + strlen("  /changepassword"),
                                " change the current account's password on "
                                "the server");
    }
    assert_true(found);
}

static void test_help_command(void **state)
{
    static const char *const expected =
        "/win - go to another window\n"
        "Usage:\n"
        "  /win NUMBER\n"
        "  /win NAME\n"
        "  /win next\n"
        "  /win prev\n"
        "  /win active\n"
        "  /win move NUMBER\n"
        "Shows the window with the given number, or the next or previous "
        "one. NAME is part of a window's name or of what /wins lists (a "
        "contact's roster name, an address, a room), in any case: the "
        "window whose name it is, or the only one that has it; when several "
        "have it, they are listed. active goes to the window first in the "
        "status bar's [Act: "
        "...] list: the most urgent activity (private messages and "
        "highlights, then messages, then events), lowest number first; "
        "Alt-A does the same. move gives the current window another "
        "number; a window that had it takes the old number. Window "
        "numbers stay the same while a window is open; window 1 is always "
        "natter's console.\n"
        "Arguments:\n"
        "  NUMBER                 a window number (/wins)\n"
        "  NAME                   part of a window's name\n"
        "Examples:\n"
        "  /win 2\n"
        "  /win bob\n"
        "  /win next\n"
        "  /win active\n"
        "  /win move 5\n";
    Buffer *console = buffer_console();
    run_ok(console, "/help win");
    g_autofree char *plain = texts_from(console, 0);
    assert_string_equal(plain, expected);
    /* With the slash, or quoted: the same. */
    guint n = console->lines->len;
    run_ok(console, "/help /win");
    g_autofree char *slash = texts_from(console, n);
    assert_string_equal(slash, expected);
    n = console->lines->len;
    run_ok(console, "/help \"win\"");
    g_autofree char *quoted = texts_from(console, n);
    assert_string_equal(quoted, expected);

    /* A command without arguments or examples has no such sections. */
    n = console->lines->len;
    run_ok(console, "/help quit");
    g_autofree char *quit = texts_from(console, n);
    assert_null(strstr(quit, "Arguments:"));
    assert_null(strstr(quit, "Examples:"));
    assert_true(g_str_has_prefix(quit, "/quit - disconnect every account"));

    run_fails(console, "/help nosuch",
              "no command /nosuch (/help lists them "
              "all)");
}

static void test_help_every_command(void **state)
{
    /* /help works for every command of the table. */
    Buffer *console = buffer_console();
    const GPtrArray *list = commands_list();
    for (guint i = 0; i < list->len; i++) {
        const CommandDef *def = g_ptr_array_index(list, i);
        guint n = console->lines->len;
        g_autofree char *line = g_strconcat("/help ", def->name, NULL);
        run_ok(console, line);
        assert_true(console->lines->len > n + 3);
        const BufferLine *head = g_ptr_array_index(console->lines, n);
        g_autofree char *want =
            g_strdup_printf("/%s - %s", def->name, def->summary);
        assert_string_equal(head->text, want);
    }
}

static void test_win(void **state)
{
    Buffer *console = buffer_console();
    Buffer *acc = buffer_account_console("work");
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    run_ok(console, "/win 2");
    assert_ptr_equal(buffer_current(), acc);
    run_ok(acc, "/win next");
    assert_ptr_equal(buffer_current(), chat);
    /* Wraps around both ways. */
    run_ok(chat, "/win next");
    assert_ptr_equal(buffer_current(), console);
    run_ok(console, "/win prev");
    assert_ptr_equal(buffer_current(), chat);
    run_ok(chat, "/win prev");
    assert_ptr_equal(buffer_current(), acc);
    run_ok(acc, "/win 1");
    assert_ptr_equal(buffer_current(), console);
    /* Switching clears the unread count. */
    buffer_append(chat, LINE_IN, "bob", "hi");
    assert_int_equal(chat->unread, 1);
    run_ok(console, "/win 3");
    assert_int_equal(chat->unread, 0);

    run_fails(chat, "/win 0", "'0' is not a window number (/wins lists them)");
    run_fails(chat, "/win -1",
              "'-1' is not a window number (/wins lists them)");
    run_fails(chat, "/win two", "no window is called 'two' (/wins lists them)");
    /* By name: part of it, in any case, or all of an id. */
    run_ok(chat, "/win natter");
    assert_ptr_equal(buffer_current(), console);
    run_ok(console, "/win BOB@");
    assert_ptr_equal(buffer_current(), chat);
    run_ok(chat, "/win work");
    assert_ptr_equal(buffer_current(), acc);
    run_fails(acc, "/win r",
              "3 windows match 'r' (1 natter, 2 work, 3 bob@example.org): "
              "type more of the name, or the number");
    run_ok(acc, "/win bob");
    run_fails(chat, "/win 4", "there is no window 4 (/wins lists them)");
    assert_ptr_equal(buffer_current(), chat);
}

static void test_win_active_and_move(void **state)
{
    Buffer *console = buffer_console();
    Buffer *acc = buffer_account_console("work");
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    Buffer *other = buffer_open(BUFFER_CHAT, "work", "carol@example.org");
    run_fails(console, "/win active", "no window has new activity");
    /* An event in 2, a message in 3 and 4: the private ones first, the
     * lowest number among equals. */
    buffer_append(acc, LINE_INFO, NULL, "bob is online");
    buffer_append(other, LINE_IN, "carol", "hello");
    buffer_append(chat, LINE_IN, "bob", "hi");
    run_ok(console, "/win active");
    assert_ptr_equal(buffer_current(), chat);
    run_ok(chat, "/win active");
    assert_ptr_equal(buffer_current(), other);
    run_ok(other, "/win active");
    assert_ptr_equal(buffer_current(), acc);

    /* 4 takes 2: they swap, the others keep theirs. */
    run_ok(other, "/win move 2");
    assert_int_equal(other->number, 2);
    assert_int_equal(acc->number, 4);
    assert_int_equal(chat->number, 3);
    assert_ptr_equal(buffer_by_number(4), acc);
    /* A free number: just taken. */
    run_ok(other, "/win move 7");
    assert_int_equal(other->number, 7);
    assert_null(buffer_by_number(2));
    run_fails(other, "/win move 1",
              "window 1 is natter's console: it cannot move, and no other "
              "window can take its place");
    run_fails(console, "/win move 5",
              "window 1 is natter's console: it cannot move, and no other "
              "window can take its place");
    run_fails(other, "/win move x", "'x' is not a window number");
    run_fails(other, "/win move", "usage: /win move NUMBER");
    assert_int_equal(console->number, 1);
}

static void test_win_numbers_after_close(void **state)
{
    Buffer *console = buffer_console();
    buffer_account_console("a");
    buffer_account_console("b");
    Buffer *c = buffer_account_console("c");
    run_ok(console, "/close 3");
    /* Numbers stay: 4 is still 4, 3 is gone. */
    run_fails(console, "/win 3", "there is no window 3 (/wins lists them)");
    run_ok(console, "/win 4");
    assert_ptr_equal(buffer_current(), c);
}

static void test_wins(void **state)
{
    Buffer *console = buffer_console();
    buffer_account_console("work");
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "Bob@Example.org");
    buffer_append(chat, LINE_IN, "bob", "one");
    buffer_append(chat, LINE_IN, "bob", "two");
    run_ok(console, "/wins");
    g_autofree char *text = texts_from(console, 0);
    assert_string_equal(text, "Windows:\n"
                              "   1  natter\n"
                              "   2  work\n"
                              "   3  work/bob@example.org (2 unread)\n");
}

static void test_close(void **state)
{
    Buffer *console = buffer_console();
    Buffer *acc = buffer_account_console("work");
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    buffer_switch(chat);
    /* /close without a number closes the window it is typed in. */
    run_ok(chat, "/close");
    assert_null(buffer_by_number(3));
    assert_ptr_equal(buffer_current(), acc);
    assert_int_equal(buffers_list()->len, 2);

    const char *console_msg = "window 1 (natter's console) cannot be closed";
    run_fails(acc, "/close 1", console_msg);
    run_fails(console, "/close", console_msg);
    run_fails(acc, "/close 7", "there is no window 7 (/wins lists them)");
    run_fails(acc, "/close x", "there is no window x (/wins lists them)");
    run_fails(acc, "/close 0", "there is no window 0 (/wins lists them)");
    assert_int_equal(buffers_list()->len, 2);

    /* Closing another window keeps the current one. */
    Buffer *other = buffer_account_console("home");
    assert_int_equal(other->number, 3);
    run_ok(acc, "/close 3");
    assert_ptr_equal(buffer_current(), acc);
    assert_null(buffer_by_number(3));
}

static void test_clear(void **state)
{
    Buffer *acc = buffer_account_console("work");
    buffer_append(acc, LINE_INFO, NULL, "one");
    buffer_append(acc, LINE_INFO, NULL, "two");
    run_ok(acc, "/clear");
    assert_int_equal(acc->lines->len, 0);
    assert_int_equal(acc->lines_dropped, 2);
    run_fails(acc, "/clear all", "usage: /clear");
}

static void test_account_list_empty(void **state)
{
    Buffer *console = buffer_console();
    run_ok(console, "/account");
    assert_string_equal(last_line(console)->text,
                        "No accounts yet: /account add ACCOUNT, or /connect "
                        "JID.");
    run_ok(console, "/account list");
    assert_int_equal(console->lines->len, 2);
}

static void test_account_extra_words_are_refused(void **state)
{
    Buffer *console = buffer_console();
    const char *usage = "usage: /account list|show|add|set|clear|remove|"
                        "enable|disable ... (/help account)";
    run_fails(console, "/account add bad name", usage);
    assert_null(account_find("bad"));
    run_ok(console, "/account add work");
    run_fails(console, "/account show work now", usage);
    run_fails(console, "/account remove work please", usage);
    run_fails(console, "/account clear work port now", usage);
    run_fails(console, "/account frobnicate work", usage);
    assert_non_null(account_find("work"));
}

static void test_account_add_set_show(void **state)
{
    Buffer *console = buffer_console();
    run_ok(console, "/account add work");
    assert_string_equal(last_line(console)->text,
                        "Account work added. Set its address: /account set "
                        "ACCOUNT jid JID");
    Account *a = account_find("work");
    assert_non_null(a);
    assert_null(a->jid);

    run_ok(console, "/account set work jid Bob@Example.org");
    assert_string_equal(last_line(console)->text,
                        "work: jid = bob@example.org");
    assert_string_equal(a->jid, "bob@example.org");

    /* The value is the rest of the line, spaces included. */
    run_ok(console, "/account set work password correct horse  battery");
    assert_string_equal(a->password, "correct horse  battery");
    assert_string_equal(last_line(console)->text, "work: password = (set)");
    run_ok(console, "/account set work port 5223");
    assert_int_equal(a->port, 5223);

    guint n = console->lines->len;
    run_ok(console, "/account show work");
    g_autofree char *shown = texts_from(console, n);
    assert_string_equal(shown, "Account work (offline):\n"
                               "  jid            bob@example.org\n"
                               "  password       (set)\n"
                               "  port           5223\n"
                               "  tls            starttls\n"
                               "  priority       0\n"
                               "  enabled        off\n");
    /* The password itself is never shown. */
    g_autofree char *all = texts_from(console, 0);
    assert_null(strstr(all, "horse"));

    /* Saved at once, mode 0600, password included. */
    g_autofree char *file = read_accounts_file();
    assert_non_null(strstr(file, "[work]"));
    assert_non_null(strstr(file, "jid=bob@example.org"));
    assert_non_null(strstr(file, "password=correct horse  battery"));
    assert_non_null(strstr(file, "port=5223"));
    g_autofree char *path = g_build_filename(tmpdir, "accounts", NULL);
    GStatBuf st;
    assert_int_equal(g_stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_account_add_jid_name(void **state)
{
    Buffer *console = buffer_console();
    run_ok(console, "/account add alice@example.org");
    assert_string_equal(last_line(console)->text,
                        "Account alice@example.org added.");
    Account *a = account_find("alice@example.org");
    assert_non_null(a);
    assert_string_equal(a->jid, "alice@example.org");
    /* A name without '@' is not taken as an address. */
    run_ok(console, "/account add example.org");
    assert_null(account_find("example.org")->jid);
}

static void test_account_errors(void **state)
{
    Buffer *console = buffer_console();
    const char *usage = "usage: /account list|show|add|set|clear|remove|"
                        "enable|disable ... (/help account)";
    run_fails(console, "/account add", usage);
    run_fails(console, "/account show", usage);
    run_fails(console, "/account add \"bad name\"",
              "'bad name' is not a valid account name (letters, digits and "
              ". _ - @ only)");
    run_ok(console, "/account add work");
    run_fails(console, "/account add work",
              "there is already an account named 'work'");
    run_fails(console, "/account show nosuch",
              "no account named 'nosuch' (/account list)");
    run_fails(console, "/account set nosuch jid a@b",
              "no account named 'nosuch' (/account list)");
    run_fails(console, "/account set work", usage);
    run_fails(console, "/account set work port", usage);
    run_fails(console, "/account clear work", usage);
    run_fails(console, "/account bogus work", usage);
    run_fails(console, "/account set work port abc",
              "'abc' is not a number from 1 to 65535");
    run_fails(console, "/account set work colour blue",
              "accounts have no setting 'colour'");
    run_fails(console, "/account set work jid example.org",
              "'example.org' has no user part (user@domain)");
    run_fails(console, "/account clear work jid", "an account needs a JID");
    assert_int_equal(account_find("work")->port, 0);
}

static void test_account_tls_disable_warns(void **state)
{
    Buffer *console = buffer_console();
    run_ok(console, "/account add work");
    run_ok(console, "/account set work tls disable");
    const BufferLine *info =
        g_ptr_array_index(console->lines, console->lines->len - 2);
    assert_string_equal(info->text, "work: tls = disable");
    assert_int_equal(last_line(console)->kind, LINE_ERROR);
    assert_true(g_str_has_prefix(last_line(console)->text, "WARNING"));
    /* direct gives no warning. */
    guint n = console->lines->len;
    run_ok(console, "/account set work tls direct");
    assert_int_equal(console->lines->len, n + 1);
    assert_int_equal(last_line(console)->kind, LINE_INFO);
}

static void test_account_clear_enable_remove(void **state)
{
    Buffer *console = buffer_console();
    run_ok(console, "/account add work");
    run_ok(console, "/account set work jid a@b");
    run_ok(console, "/account set work server xmpp.b");
    run_ok(console, "/account clear work server");
    assert_string_equal(last_line(console)->text, "work: server cleared");
    assert_null(account_find("work")->server);

    run_ok(console, "/account enable work");
    assert_string_equal(last_line(console)->text, "Account work enabled.");
    assert_true(account_find("work")->enabled);
    g_autofree char *on = read_accounts_file();
    assert_non_null(strstr(on, "enabled=true"));
    run_ok(console, "/account disable work");
    assert_string_equal(last_line(console)->text, "Account work disabled.");
    assert_false(account_find("work")->enabled);

    run_ok(console, "/account add home");
    run_ok(console, "/account set home jid c@d");
    guint n = console->lines->len;
    run_ok(console, "/account list");
    g_autofree char *list = texts_from(console, n);
    assert_string_equal(list, "Accounts:\n"
                              "  home             c@d                      "
                              "offline\n"
                              "  work             a@b                      "
                              "offline\n");

    run_ok(console, "/account remove work");
    assert_string_equal(last_line(console)->text, "Account work removed.");
    assert_null(account_find("work"));
    g_autofree char *file = read_accounts_file();
    assert_null(strstr(file, "[work]"));
    assert_non_null(strstr(file, "[home]"));
    run_fails(console, "/account remove work",
              "no account named 'work' (/account list)");
}

static void test_account_persists_across_restart(void **state)
{
    Buffer *console = buffer_console();
    run_ok(console, "/account add work");
    run_ok(console, "/account set work jid a@b");
    run_ok(console, "/account set work priority 5");
    accounts_shutdown();
    assert_true(accounts_init(NULL));
    Account *a = account_find("work");
    assert_non_null(a);
    assert_string_equal(a->jid, "a@b");
    assert_int_equal(a->priority, 5);
}

static void test_msg_offline(void **state)
{
    Buffer *console = buffer_console();
    const char *which = "which account? Type the command in that account's "
                        "window (/wins), or add -a ACCOUNT";
    /* No account at all. */
    run_fails(console, "/msg bob@example.org", which);

    run_ok(console, "/account add work");
    run_ok(console, "/account set work jid alice@example.org");
    /* The only account is the one meant; the chat opens and is shown. */
    run_ok(console, "/msg Bob@Example.org/phone");
    Buffer *chat = buffer_find(BUFFER_CHAT, "work", "bob@example.org");
    assert_non_null(chat);
    assert_ptr_equal(buffer_current(), chat);
    assert_int_equal(chat->lines->len, 0);

    /* Offline, the message is kept as pending, and says so. */
    run_ok(console, "/msg bob@example.org Hi  there \"Bob\"");
    const BufferLine *kept = g_ptr_array_index(chat->lines, 0);
    assert_string_equal(kept->text, "Hi  there \"Bob\"");
    assert_int_equal(kept->kind, LINE_OUT);
    assert_int_equal(kept->state, MESSAGE_PENDING);
    assert_true(kept->history_id > 0);
    assert_string_equal(last_line(chat)->text,
                        "work is not online: the message is kept and will be "
                        "sent when it connects");

    run_fails(console, "/msg bob@ hi",
              "'bob@' is not a valid XMPP address: the domain is empty");

    /* With two accounts, the console does not know which one... */
    run_ok(console, "/account add home");
    run_fails(console, "/msg bob@example.org", which);
    /* ...an account's window does. */
    Buffer *home = buffer_account_console("home");
    run_ok(home, "/msg carol@example.org");
    assert_non_null(buffer_find(BUFFER_CHAT, "home", "carol@example.org"));
    /* -a names the account anywhere, and wins over the window's. */
    run_ok(console, "/msg -a work dave@example.org");
    assert_non_null(buffer_find(BUFFER_CHAT, "work", "dave@example.org"));
    run_ok(home, "/msg\t-a\twork erin@example.org");
    assert_non_null(buffer_find(BUFFER_CHAT, "work", "erin@example.org"));
    assert_null(buffer_find(BUFFER_CHAT, "home", "erin@example.org"));
    run_fails(console, "/msg -a nosuch bob@example.org",
              "no account 'nosuch' (/account list)");
    run_fails(console, "/msg -a", "-a needs an account name");
    /* "-ahome@x" is not the option but a (strange) address. */
    run_ok(home, "/msg -ahome@example.org");
    assert_non_null(buffer_find(BUFFER_CHAT, "home", "-ahome@example.org"));
    /* A bare word that is no contact is asked about, not opened. */
    run_ok(home, "/msg nobody hello");
    assert_true(prompt_active());
    assert_null(buffer_find(BUFFER_CHAT, "home", "nobody"));
    prompt_cancel_all();
}

static void test_connect_and_disconnect_errors(void **state)
{
    Buffer *console = buffer_console();
    run_fails(console, "/connect nosuch",
              "'nosuch' is neither an account nor a JID (user@domain)");
    run_fails(console, "/connect a@b colour blue",
              "unknown option 'colour' (expected one of: server, port, tls)");
    run_fails(console, "/connect a@b port", "option 'port' needs a value");
    /* Nothing was created by the failed attempts. */
    assert_int_equal(accounts_list()->len, 0);
    run_fails(console, "/disconnect", "which account? /disconnect ACCOUNT");
    run_fails(console, "/disconnect nosuch",
              "no account named 'nosuch' (/account list)");
}

static guint quit_calls;

static void on_quit(void)
{
    quit_calls++;
}

static void collect(LineKind kind, const char *text, gpointer data)
{
    g_string_append_printf(data, "%c %s\n", kind == LINE_ERROR ? 'E' : 'I',
                           text);
}

/* A command run with another sink prints there, not in the window it
 * acts for: how the control socket and plugins get a command's output. */
static void test_output_goes_to_the_sink(void **state)
{
    Buffer *console = buffer_console();
    guint before = console->lines->len;
    GString *got = g_string_new(NULL);
    g_autoptr(Sink) out = sink_new(collect, got, NULL);
    g_autoptr(GError) error = NULL;
    assert_true(command_execute_to(console, out, "/account add work", &error));
    assert_true(command_execute_to(console, out, "/account list", &error));
    assert_string_equal(got->str, "I Account work added. Set its address: "
                                  "/account set ACCOUNT jid JID\n"
                                  "I Accounts:\n"
                                  "I   work             (no jid)"
                                  "                 offline\n");
    assert_int_equal(console->lines->len, before);
    /* Errors are returned, as with command_execute(). */
    assert_false(command_execute_to(console, out, "/nosuch", &error));
    assert_string_equal(error->message, "unknown command /nosuch (try /help)");
    g_string_free(got, TRUE);
}

/* A buffer sink whose window was closed prints in the account's console:
 * a late answer is never lost. Once the account is removed, its console
 * is not opened again: natter's console has it. */
static void test_buffer_sink_outlives_its_window(void **state)
{
    run_ok(buffer_console(), "/account add work");
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    g_autoptr(Sink) out = sink_for_buffer(chat);
    sink_printf(out, LINE_INFO, "first %d", 1);
    assert_string_equal(last_line(chat)->text, "first 1");
    assert_ptr_equal(sink_buffer(out), chat);
    assert_true(buffer_close(chat));
    sink_print(out, LINE_ERROR, "late answer");
    Buffer *console = buffer_account_console("work");
    assert_ptr_equal(sink_buffer(out), console);
    assert_string_equal(last_line(console)->text, "late answer");
    assert_int_equal(last_line(console)->kind, LINE_ERROR);

    run_ok(buffer_console(), "/account remove work");
    /* The account's windows went with it. */
    assert_null(buffer_find(BUFFER_ACCOUNT, "work", NULL));
    sink_print(out, LINE_INFO, "later still");
    assert_null(buffer_find(BUFFER_ACCOUNT, "work", NULL));
    assert_string_equal(last_line(buffer_console())->text, "later still");
}

static gboolean cmd_hello(const CommandCall *call, GError **error)
{
    command_printf(call, LINE_INFO, "hello %s", call->argv[0]);
    return TRUE;
}

static const CommandDef hello_def = {
    .name = "hello",
    .synopsis = (const char *const[]){"/hello NAME", NULL},
    .summary = "say hello (a plugin's command)",
    .description = "Says hello to NAME.",
    .min_args = 1,
    .max_args = 1,
    .func = cmd_hello,
};

/* A command registered at run time (a plugin's) runs, is in /help, and
 * goes away again. */
static void test_registered_command(void **state)
{
    Buffer *console = buffer_console();
    g_autoptr(GError) error = NULL;
    assert_true(command_register(&hello_def, &error));
    assert_false(command_register(&hello_def, &error));
    assert_string_equal(error->message, "there is already a command /hello");
    run_ok(console, "/hello world");
    assert_string_equal(last_line(console)->text, "hello world");
    run_ok(console, "/help hello");
    assert_string_equal(last_line(console)->text, "Says hello to NAME.");
    command_unregister(&hello_def);
    run_fails(console, "/hello world", "unknown command /hello (try /help)");
}

static void count_action(gpointer data)
{
    (*(int *)data)++;
}

/* A key action registered at run time: in /help keys, bindable, run. */
static void test_registered_key_action(void **state)
{
    int runs = 0;
    g_autoptr(GError) error = NULL;
    assert_true(keymap_register_action("weather.now", "show the weather",
                                       count_action, &runs, &error));
    assert_false(keymap_register_action("weather.now", "again", count_action,
                                        &runs, NULL));
    assert_false(keymap_register_action("input.home", "taken", count_action,
                                        &runs, NULL));
    run_ok(buffer_console(), "/bind meta-w weather.now");
    assert_string_equal(keymap_lookup("meta-w"), "weather.now");
    assert_true(keymap_run_registered(keymap_lookup("meta-w")));
    assert_int_equal(runs, 1);
    assert_false(keymap_run_registered("input.home")); /* the UI's own */
    gboolean listed = FALSE;
    for (const KeyAction *a = keymap_actions(); a->name; a++)
        listed |= strcmp(a->name, "weather.now") == 0;
    assert_true(listed);
    keymap_unregister_action("weather.now");
    assert_false(keymap_run_registered("weather.now"));
}

static void test_quit(void **state)
{
    app_set_quit_handler(on_quit);
    assert_false(app_quitting());
    run_ok(buffer_console(), "/quit");
    assert_true(app_quitting());
    assert_int_equal(quit_calls, 1);
    /* Asking again does not run the handler twice. */
    run_ok(buffer_console(), "/quit");
    assert_int_equal(quit_calls, 1);
    app_set_quit_handler(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_table),
        T(test_unknown_command),
        T(test_argument_counts),
        T(test_text_in_console),
        T(test_double_slash_sends_slash_text),
        T(test_help_lists_commands),
        T(test_help_command),
        T(test_help_every_command),
        T(test_win),
        T(test_win_active_and_move),
        T(test_win_numbers_after_close),
        T(test_wins),
        T(test_close),
        T(test_clear),
        T(test_account_list_empty),
        T(test_account_extra_words_are_refused),
        T(test_account_add_set_show),
        T(test_account_add_jid_name),
        T(test_account_errors),
        T(test_account_tls_disable_warns),
        T(test_account_clear_enable_remove),
        T(test_account_persists_across_restart),
        T(test_msg_offline),
        T(test_connect_and_disconnect_errors),
        T(test_output_goes_to_the_sink),
        T(test_buffer_sink_outlives_its_window),
        T(test_registered_command),
        T(test_registered_key_action),
        /* Last: quitting cannot be undone in a process. */
        T(test_quit),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("command", tests, NULL, NULL));
}
