/* test_buffer.c: unit tests for src/core/buffer.c, the conversation model. */
#include "../unit.h"

#include <string.h>

#include "core/buffer.h"
#include "core/event.h"

#define P_ESC "\xe2\x90\x9b" /* U+241B, what ESC is shown as */

/* Events seen, as "type:buffer-name" words separated by spaces. */
static GString *events;
static const BufferLine *last_line;

static EventResult on_event(const Event *event, gpointer data)
{
    if (events->len)
        g_string_append_c(events, ' ');
    g_string_append_printf(events, "%s:%s", event_type_name(event->type),
                           event->buffer.buffer ? event->buffer.buffer->name
                                                : "-");
    if (event->type == EVENT_BUFFER_LINE)
        last_line = event->buffer.line;
    return EVENT_CONTINUE;
}

static int setup(void **state)
{
    event_init();
    buffers_init();
    events = g_string_new(NULL);
    last_line = NULL;
    for (int t = 0; t < EVENT_COUNT; t++)
        event_subscribe(t, 0, on_event, NULL);
    return 0;
}

static int teardown(void **state)
{
    buffers_shutdown();
    buffers_set_scrollback(5000);
    event_shutdown();
    g_string_free(events, TRUE);
    return 0;
}

static void check_numbers(const char *expected)
{
    GString *s = g_string_new(NULL);
    const GPtrArray *list = buffers_list();
    for (guint i = 0; i < list->len; i++) {
        Buffer *b = g_ptr_array_index(list, i);
        g_string_append_printf(s, "%s%u", i ? " " : "", b->number);
    }
    assert_string_equal(s->str, expected);
    g_string_free(s, TRUE);
}

static void test_console(void **state)
{
    Buffer *console = buffer_console();
    assert_non_null(console);
    assert_int_equal(console->number, 1);
    assert_int_equal(console->kind, BUFFER_CONSOLE);
    assert_string_equal(console->name, "natter");
    assert_null(console->account);
    assert_null(console->peer);
    assert_int_equal(console->lines->len, 0);
    assert_ptr_equal(buffer_current(), console);
    assert_ptr_equal(buffer_by_number(1), console);
    assert_ptr_equal(buffer_open(BUFFER_CONSOLE, NULL, NULL), console);
    assert_int_equal(buffers_list()->len, 1);
    g_autofree char *id = buffer_id(console);
    assert_string_equal(id, "natter");
}

static void test_open_and_find(void **state)
{
    Buffer *acc = buffer_account_console("work");
    assert_int_equal(acc->number, 2);
    assert_int_equal(acc->kind, BUFFER_ACCOUNT);
    assert_string_equal(acc->account, "work");
    assert_string_equal(acc->name, "work");
    assert_null(acc->peer);

    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "Bob@Example.org/phone");
    assert_int_equal(chat->number, 3);
    assert_string_equal(chat->peer, "bob@example.org");
    assert_string_equal(chat->name, "bob@example.org");
    assert_string_equal(events->str,
                        "buffer-opened:work buffer-opened:bob@example.org");

    /* The peer is compared as a bare JID; opening again finds it. */
    assert_ptr_equal(buffer_find(BUFFER_CHAT, "work", "BOB@example.ORG/tab"),
                     chat);
    assert_ptr_equal(buffer_open(BUFFER_CHAT, "work", "bob@example.org"), chat);
    assert_ptr_equal(buffer_account_console("work"), acc);
    assert_int_equal(buffers_list()->len, 3);
    /* No second buffer-opened event. */
    assert_string_equal(events->str,
                        "buffer-opened:work buffer-opened:bob@example.org");

    /* Another account, another kind: other buffers. */
    assert_null(buffer_find(BUFFER_CHAT, "home", "bob@example.org"));
    assert_null(buffer_find(BUFFER_ACCOUNT, "work", "bob@example.org"));
    assert_null(buffer_find(BUFFER_CHAT, "work", "carol@example.org"));
    Buffer *home = buffer_open(BUFFER_CHAT, "home", "bob@example.org");
    assert_ptr_not_equal(home, chat);
    assert_int_equal(home->number, 4);
    /* Opening does not switch. */
    assert_ptr_equal(buffer_current(), buffer_console());
}

static void test_buffer_ids(void **state)
{
    Buffer *acc = buffer_account_console("work");
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "Bob@Example.org/x");
    g_autofree char *id_acc = buffer_id(acc);
    g_autofree char *id_chat = buffer_id(chat);
    assert_string_equal(id_acc, "work");
    assert_string_equal(id_chat, "work/bob@example.org");
}

static void test_peer_not_a_jid_is_sanitised(void **state)
{
    Buffer *b = buffer_open(BUFFER_CHAT, "work", "bad\x1bpeer");
    assert_string_equal(b->peer, "bad" P_ESC "peer");
    assert_string_equal(b->name, "bad" P_ESC "peer");
    Buffer *acc = buffer_account_console("we\x1bird");
    assert_string_equal(acc->name, "we" P_ESC "ird");
}

static void test_numbers_stable_and_lowest_free(void **state)
{
    Buffer *b2 = buffer_account_console("a");
    Buffer *b3 = buffer_account_console("b");
    Buffer *b4 = buffer_account_console("c");
    Buffer *b5 = buffer_account_console("d");
    check_numbers("1 2 3 4 5");
    assert_true(buffer_close(b3));
    /* The others keep their numbers. */
    assert_int_equal(b2->number, 2);
    assert_int_equal(b4->number, 4);
    assert_int_equal(b5->number, 5);
    assert_null(buffer_by_number(3));
    check_numbers("1 2 4 5");
    assert_true(buffer_close(b4));
    check_numbers("1 2 5");

    /* New buffers take the lowest free numbers, then the next ones. */
    Buffer *n1 = buffer_account_console("e");
    assert_int_equal(n1->number, 3);
    Buffer *n2 = buffer_account_console("f");
    assert_int_equal(n2->number, 4);
    Buffer *n3 = buffer_account_console("g");
    assert_int_equal(n3->number, 6);
    check_numbers("1 2 3 4 5 6");
    assert_ptr_equal(buffer_by_number(4), n2);
    assert_ptr_equal(buffer_by_number(5), b5);
    assert_null(buffer_by_number(7));
    assert_null(buffer_by_number(0));
}

static void test_console_cannot_be_closed(void **state)
{
    Buffer *console = buffer_console();
    g_string_truncate(events, 0);
    assert_false(buffer_close(console));
    assert_ptr_equal(buffer_console(), console);
    assert_ptr_equal(buffer_by_number(1), console);
    assert_ptr_equal(buffer_current(), console);
    assert_string_equal(events->str, "");
}

static void test_close_current_switches_to_previous(void **state)
{
    Buffer *b2 = buffer_account_console("a");
    Buffer *b3 = buffer_account_console("b");
    buffer_account_console("c");
    buffer_switch(b3);
    g_string_truncate(events, 0);
    assert_true(buffer_close(b3));
    assert_ptr_equal(buffer_current(), b2);
    assert_string_equal(events->str, "buffer-switched:a buffer-closed:b");
    g_string_truncate(events, 0);
    assert_true(buffer_close(b2));
    assert_ptr_equal(buffer_current(), buffer_console());
    assert_string_equal(events->str, "buffer-switched:natter buffer-closed:a");
}

static void test_close_other_keeps_current(void **state)
{
    Buffer *b2 = buffer_account_console("a");
    Buffer *b3 = buffer_account_console("b");
    buffer_switch(b2);
    g_string_truncate(events, 0);
    assert_true(buffer_close(b3));
    assert_ptr_equal(buffer_current(), b2);
    assert_string_equal(events->str, "buffer-closed:b");
}

static void test_switch_clears_unread(void **state)
{
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    buffer_append(chat, LINE_IN, "bob", "one");
    buffer_append(chat, LINE_IN, "bob", "two");
    assert_int_equal(chat->unread, 2);
    g_string_truncate(events, 0);
    buffer_switch(chat);
    assert_ptr_equal(buffer_current(), chat);
    assert_int_equal(chat->unread, 0);
    assert_int_equal(chat->activity, ACTIVITY_NONE);
    assert_string_equal(events->str, "buffer-switched:bob@example.org");
}

static void test_unread_and_activity(void **state)
{
    Buffer *console = buffer_console();
    Buffer *acc = buffer_account_console("work");
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");

    /* The current buffer never counts. */
    buffer_append(console, LINE_IN, "x", "hello");
    buffer_append(console, LINE_ERROR, NULL, "oops");
    assert_int_equal(console->unread, 0);
    assert_int_equal(console->activity, ACTIVITY_NONE);

    /* Info and errors: activity, no unread messages. */
    buffer_append(acc, LINE_INFO, NULL, "connecting");
    assert_int_equal(acc->unread, 0);
    assert_int_equal(acc->activity, ACTIVITY_EVENT);
    buffer_append(acc, LINE_ERROR, NULL, "failed");
    assert_int_equal(acc->unread, 0);
    assert_int_equal(acc->activity, ACTIVITY_EVENT);
    /* A message in an account console is a message. */
    buffer_append(acc, LINE_IN, "server", "motd");
    assert_int_equal(acc->unread, 1);
    assert_int_equal(acc->activity, ACTIVITY_MESSAGE);

    /* What we sent is no activity. */
    buffer_append(chat, LINE_OUT, "me", "hi");
    assert_int_equal(chat->unread, 0);
    assert_int_equal(chat->activity, ACTIVITY_NONE);
    /* A private message highlights. */
    buffer_append(chat, LINE_IN, "bob", "hi yourself");
    assert_int_equal(chat->unread, 1);
    assert_int_equal(chat->activity, ACTIVITY_HIGHLIGHT);
    /* Activity never goes down until the user looks. */
    buffer_append(chat, LINE_INFO, NULL, "bob is away");
    assert_int_equal(chat->activity, ACTIVITY_HIGHLIGHT);
    assert_int_equal(chat->unread, 1);
    buffer_append(chat, LINE_IN, "bob", "again");
    assert_int_equal(chat->unread, 2);

    buffer_switch(chat);
    assert_int_equal(chat->unread, 0);
    buffer_append(chat, LINE_IN, "bob", "seen");
    assert_int_equal(chat->unread, 0);
    assert_int_equal(chat->activity, ACTIVITY_NONE);
    /* The console is no longer current: it counts now. */
    buffer_append(console, LINE_INFO, NULL, "note");
    assert_int_equal(console->activity, ACTIVITY_EVENT);
}

static void test_append_sanitises(void **state)
{
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    g_string_truncate(events, 0);
    const BufferLine *line = buffer_append(chat, LINE_IN, "ev\x1bil\nnick\r",
                                           "a\r\nb\x1b[2J\tc\xff\xe2\x80\xae");
    assert_non_null(line);
    assert_int_equal(line->kind, LINE_IN);
    /* The nick is one line; the text keeps its line structure. */
    assert_string_equal(line->nick, "ev" P_ESC "il nick ");
    assert_string_equal(line->text,
                        "a\nb" P_ESC "[2J    c\xef\xbf\xbd\xef\xbf\xbd");
    assert_int_equal(chat->lines->len, 1);
    assert_ptr_equal(g_ptr_array_index(chat->lines, 0), line);
    assert_ptr_equal(last_line, line);
    assert_string_equal(events->str, "buffer-line:bob@example.org");

    gint64 now = g_get_real_time();
    assert_true(line->time <= now && line->time > now - 60 * G_USEC_PER_SEC);

    const BufferLine *info = buffer_append(chat, LINE_INFO, NULL, NULL);
    assert_null(info->nick);
    assert_string_equal(info->text, "");
}

static void test_appendf(void **state)
{
    Buffer *console = buffer_console();
    const BufferLine *line =
        buffer_appendf(console, LINE_ERROR, "%d %s\x1b", 42, "things");
    assert_int_equal(line->kind, LINE_ERROR);
    assert_null(line->nick);
    assert_string_equal(line->text, "42 things" P_ESC);
}

static void test_scrollback_trims_oldest(void **state)
{
    Buffer *b = buffer_account_console("work");
    /* The limit cannot go below 100 lines. */
    buffers_set_scrollback(10);
    for (int i = 0; i < 125; i++)
        buffer_appendf(b, LINE_INFO, "line %d", i);
    /* Trimming happens in batches, once a quarter over the limit. */
    assert_int_equal(b->lines->len, 125);
    assert_int_equal(b->lines_dropped, 0);
    buffer_appendf(b, LINE_INFO, "line %d", 125);
    assert_int_equal(b->lines->len, 100);
    assert_int_equal(b->lines_dropped, 26);
    const BufferLine *first = g_ptr_array_index(b->lines, 0);
    const BufferLine *last = g_ptr_array_index(b->lines, b->lines->len - 1);
    assert_string_equal(first->text, "line 26");
    assert_string_equal(last->text, "line 125");

    /* Over many more lines: never more than the limit plus a quarter,
     * the newest always kept, the lines consecutive, the count exact. */
    for (int i = 126; i < 1000; i++) {
        const BufferLine *added = buffer_appendf(b, LINE_INFO, "line %d", i);
        assert_true(b->lines->len <= 125);
        assert_true(b->lines->len >= 100);
        assert_int_equal(b->lines_dropped + b->lines->len, (guint64)i + 1);
        assert_ptr_equal(g_ptr_array_index(b->lines, b->lines->len - 1), added);
    }
    for (guint i = 0; i < b->lines->len; i++) {
        const BufferLine *l = g_ptr_array_index(b->lines, i);
        g_autofree char *want =
            g_strdup_printf("line %" G_GUINT64_FORMAT, b->lines_dropped + i);
        assert_string_equal(l->text, want);
    }
}

static void test_trimmed_messages_can_be_loaded_again(void **state)
{
    Buffer *b = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    buffers_set_scrollback(100);
    b->history_complete = TRUE; /* opened on an empty history */
    for (int i = 1; i <= 125; i++) {
        g_autofree char *text = g_strdup_printf("msg %d", i);
        BufferLineSpec spec = {
            .kind = LINE_IN, .nick = "bob", .text = text, .history_id = i};
        buffer_add(b, &spec);
    }
    assert_true(b->history_complete);
    assert_int_equal(b->history_oldest, 1);
    BufferLineSpec spec = {
        .kind = LINE_IN, .nick = "bob", .text = "msg 126", .history_id = 126};
    buffer_add(b, &spec);
    /* 26 dropped: the history has them, from before the oldest kept. */
    assert_int_equal(b->lines_dropped, 26);
    assert_false(b->history_complete);
    assert_int_equal(b->history_oldest, 27);

    /* Lines that are not messages dropping change nothing of that. */
    Buffer *console = buffer_account_console("work");
    console->history_complete = TRUE;
    for (int i = 0; i < 130; i++)
        buffer_appendf(console, LINE_INFO, "line %d", i);
    assert_true(console->history_complete);
    assert_int_equal(console->history_oldest, 0);
}

static void test_a_hidden_conversation_keeps_less(void **state)
{
    Buffer *chat = buffer_open(BUFFER_CHAT, "work", "bob@example.org");
    Buffer *room = buffer_open(BUFFER_ROOM, "work", "room@example.org");
    buffers_set_scrollback(2000);
    chat->history_complete = TRUE;
    buffer_switch(room);
    for (int i = 1; i <= 1000; i++) {
        g_autofree char *text = g_strdup_printf("msg %d", i);
        BufferLineSpec spec = {
            .kind = LINE_IN, .nick = "bob", .text = text, .history_id = i};
        buffer_add(chat, &spec);
        buffer_add(room, &spec);
    }
    /* Not shown: a screen or two of lines, the rest in the history. */
    assert_true(chat->lines->len <= 250);
    assert_true(chat->lines->len >= 200);
    assert_false(chat->history_complete);
    const BufferLine *oldest = g_ptr_array_index(chat->lines, 0);
    assert_int_equal(chat->history_oldest, oldest->history_id);
    assert_int_equal(chat->lines_dropped + chat->lines->len, 1000);
    /* Shown: the whole scrollback. */
    assert_int_equal(room->lines->len, 1000);
    assert_int_equal(room->lines_dropped, 0);
    /* A console keeps its scrollback, shown or not: nothing brings its
     * lines back. */
    Buffer *console = buffer_account_console("work");
    for (int i = 0; i < 1000; i++)
        buffer_appendf(console, LINE_INFO, "line %d", i);
    assert_int_equal(console->lines->len, 1000);
}

static void test_scrollback_is_per_buffer(void **state)
{
    Buffer *a = buffer_account_console("a");
    Buffer *b = buffer_account_console("b");
    buffers_set_scrollback(100);
    for (int i = 0; i < 200; i++)
        buffer_appendf(a, LINE_INFO, "%d", i);
    buffer_append(b, LINE_INFO, NULL, "only");
    assert_int_equal(b->lines->len, 1);
    assert_int_equal(b->lines_dropped, 0);
    assert_true(a->lines_dropped > 0);
}

static void test_clear(void **state)
{
    Buffer *b = buffer_account_console("work");
    for (int i = 0; i < 7; i++)
        buffer_appendf(b, LINE_INFO, "%d", i);
    g_string_truncate(events, 0);
    buffer_clear(b);
    assert_int_equal(b->lines->len, 0);
    assert_int_equal(b->lines_dropped, 7);
    assert_string_equal(events->str, "buffer-changed:work");
    buffer_append(b, LINE_INFO, NULL, "after");
    assert_int_equal(b->lines->len, 1);
}

static void test_views(void **state)
{
    Buffer *v = buffer_view("work", "vcard:Bob@X.org");
    assert_int_equal(v->kind, BUFFER_VIEW);
    /* A key, kept as it is (a JID would be folded). */
    assert_string_equal(v->peer, "vcard:Bob@X.org");
    assert_string_equal(v->name, "vcard:Bob@X.org");
    g_autofree char *id = buffer_id(v);
    assert_string_equal(id, "work/vcard:Bob@X.org");
    assert_null(buffer_find(BUFFER_VIEW, "work", "vcard:bob@x.org"));
    buffer_append(v, LINE_INFO, NULL, "old card");
    /* Shown again: the same window, emptied. */
    assert_ptr_equal(buffer_view("work", "vcard:Bob@X.org"), v);
    assert_int_equal(v->lines->len, 0);
    Buffer *hostile = buffer_view("work", "disco:\x1b[2Jx");
    assert_null(strchr(hostile->name, '\x1b'));
}

static void test_shutdown_and_init_again(void **state)
{
    buffer_account_console("a");
    buffer_account_console("b");
    buffers_shutdown();
    buffers_init();
    assert_int_equal(buffers_list()->len, 1);
    assert_int_equal(buffer_console()->number, 1);
    assert_ptr_equal(buffer_current(), buffer_console());
    assert_int_equal(buffer_account_console("c")->number, 2);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_console),
        T(test_open_and_find),
        T(test_buffer_ids),
        T(test_peer_not_a_jid_is_sanitised),
        T(test_numbers_stable_and_lowest_free),
        T(test_console_cannot_be_closed),
        T(test_close_current_switches_to_previous),
        T(test_close_other_keeps_current),
        T(test_switch_clears_unread),
        T(test_unread_and_activity),
        T(test_append_sanitises),
        T(test_appendf),
        T(test_scrollback_trims_oldest),
        T(test_trimmed_messages_can_be_loaded_again),
        T(test_scrollback_is_per_buffer),
        T(test_a_hidden_conversation_keeps_less),
        T(test_clear),
        T(test_views),
        T(test_shutdown_and_init_again),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("buffer", tests, NULL, NULL));
}
