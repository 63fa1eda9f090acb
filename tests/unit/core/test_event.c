/* test_event.c: unit tests for src/core/event.c, the core event bus. */
#include "../unit.h"

#include <string.h>

#include "core/event.h"

/* Every handler appends its tag to this log, so the tests can compare the
 * order of calls as a string. */
static GString *calls;

typedef struct {
    const char *tag;
    EventResult result;
    /* Optional action run from inside the handler. */
    void (*action)(gpointer arg);
    gpointer arg;
    Event last; /* copy of the last event seen */
} Handler;

static EventResult record(const Event *event, gpointer data)
{
    Handler *h = data;
    g_string_append(calls, h->tag);
    h->last = *event;
    if (h->action)
        h->action(h->arg);
    return h->result;
}

static Handler *handler_new(const char *tag)
{
    Handler *h = g_new0(Handler, 1);
    h->tag = tag;
    h->result = EVENT_CONTINUE;
    return h;
}

static int setup(void **state)
{
    event_init();
    calls = g_string_new(NULL);
    return 0;
}

static int teardown(void **state)
{
    event_shutdown();
    g_string_free(calls, TRUE);
    calls = NULL;
    return 0;
}

static void emit_opened(void)
{
    event_emit_buffer(EVENT_BUFFER_OPENED, NULL);
}

static void test_priority_order(void **state)
{
    g_autofree Handler *late = handler_new("L");
    g_autofree Handler *model = handler_new("M");
    g_autofree Handler *d1 = handler_new("1");
    g_autofree Handler *d2 = handler_new("2");
    g_autofree Handler *d3 = handler_new("3");
    event_subscribe(EVENT_BUFFER_OPENED, 10, record, late);
    event_subscribe(EVENT_BUFFER_OPENED, EVENT_PRIORITY_DEFAULT, record, d1);
    event_subscribe(EVENT_BUFFER_OPENED, EVENT_PRIORITY_MODEL, record, model);
    event_subscribe(EVENT_BUFFER_OPENED, EVENT_PRIORITY_DEFAULT, record, d2);
    event_subscribe(EVENT_BUFFER_OPENED, EVENT_PRIORITY_DEFAULT, record, d3);
    emit_opened();
    /* Lower numbers first; equal priorities in subscription order. */
    assert_string_equal(calls->str, "M123L");
    emit_opened();
    assert_string_equal(calls->str, "M123LM123L");
}

static void test_only_subscribed_type(void **state)
{
    g_autofree Handler *h = handler_new("x");
    event_subscribe(EVENT_BUFFER_LINE, 0, record, h);
    emit_opened();
    event_emit_quit();
    event_emit_account(EVENT_ACCOUNT_STATE, NULL);
    assert_string_equal(calls->str, "");
    event_emit_buffer_line(NULL, NULL);
    assert_string_equal(calls->str, "x");
}

static void test_event_fields(void **state)
{
    g_autofree Handler *line = handler_new("l");
    g_autofree Handler *acc = handler_new("a");
    g_autofree Handler *quit = handler_new("q");
    g_autofree Handler *sw = handler_new("s");
    event_subscribe(EVENT_BUFFER_LINE, 0, record, line);
    event_subscribe(EVENT_ACCOUNT_CHANGED, 0, record, acc);
    event_subscribe(EVENT_QUIT, 0, record, quit);
    event_subscribe(EVENT_BUFFER_SWITCHED, 0, record, sw);

    /* Stand-ins: the bus only passes the pointers on. */
    int b, l, a;
    event_emit_buffer_line((Buffer *)&b, (const BufferLine *)&l);
    assert_int_equal(line->last.type, EVENT_BUFFER_LINE);
    assert_ptr_equal(line->last.buffer.buffer, &b);
    assert_ptr_equal(line->last.buffer.line, &l);

    event_emit_account(EVENT_ACCOUNT_CHANGED, (Account *)&a);
    assert_int_equal(acc->last.type, EVENT_ACCOUNT_CHANGED);
    assert_ptr_equal(acc->last.account, &a);

    event_emit_buffer(EVENT_BUFFER_SWITCHED, (Buffer *)&b);
    assert_int_equal(sw->last.type, EVENT_BUFFER_SWITCHED);
    assert_ptr_equal(sw->last.buffer.buffer, &b);
    assert_null(sw->last.buffer.line);

    event_emit_quit();
    assert_int_equal(quit->last.type, EVENT_QUIT);
    assert_string_equal(calls->str, "lasq");
}

/* The typed helpers hand each family's payload over as arguments. */
static GString *typed_log;

static EventResult typed_line(Buffer *b, const BufferLine *l, gpointer data)
{
    g_string_append_printf(typed_log, "line:%s:%p:%p ", (char *)data, (void *)b,
                           (void *)l);
    return EVENT_CONTINUE;
}

static EventResult typed_setting(const char *name, gpointer data)
{
    g_string_append_printf(typed_log, "setting:%s ", name);
    return EVENT_CONTINUE;
}

static EventResult typed_room(Account *a, const char *room, const char *nick,
                              gpointer data)
{
    g_string_append_printf(typed_log, "room:%s/%s ", room, nick ? nick : "-");
    return EVENT_CONTINUE;
}

static EventResult typed_message(const Message *m, gpointer data)
{
    g_string_append_printf(typed_log, "message:%s:%s ", (char *)data, m->body);
    return EVENT_CONTINUE;
}

static EventResult typed_kick(const EventKick *kick, gpointer data)
{
    g_string_append_printf(typed_log, "kick:%s:%s:%s ", kick->room, kick->how,
                           kick->actor);
    return EVENT_CONTINUE;
}

static EventResult typed_signal(gpointer data)
{
    g_string_append_printf(typed_log, "signal:%s ", (char *)data);
    return EVENT_CONTINUE;
}

static void test_typed_subscriptions(void **state)
{
    typed_log = g_string_new(NULL);
    int b, l;
    guint line_id =
        event_on_line(EVENT_BUFFER_LINE_CHANGED, 0, typed_line, "changed");
    event_on_setting(0, typed_setting, NULL);
    event_on_room(EVENT_OCCUPANT_CHANGED, 0, typed_room, NULL);
    event_on_message(EVENT_MESSAGE_SENT, 0, typed_message, "sent");
    event_on_message(EVENT_MESSAGE_RECEIVED, 0, typed_message, "in");
    event_on_kick(0, typed_kick, NULL);
    event_on_signal(EVENT_USER_ACTIVE, 0, typed_signal, "active");

    event_emit_buffer_line_changed((Buffer *)&b, (const BufferLine *)&l);
    event_emit_buffer_line((Buffer *)&b, (const BufferLine *)&l); /* none */
    event_emit_setting("theme");
    event_emit_room(EVENT_OCCUPANT_CHANGED, NULL, "r@muc", "ann");
    event_emit_room(EVENT_ROOM_CHANGED, NULL, "r@muc", NULL); /* none */
    g_autoptr(Message) m = message_new();
    m->body = g_strdup("hi");
    event_emit_message(EVENT_MESSAGE_RECEIVED, m);
    EventKick kick = {.room = "r@muc", .how = "banned", .actor = "mod"};
    event_emit_kick(&kick);
    event_emit_user_active();
    event_unsubscribe(line_id);
    event_emit_buffer_line_changed((Buffer *)&b, (const BufferLine *)&l);

    g_autofree char *want = g_strdup_printf(
        "line:changed:%p:%p setting:theme room:r@muc/ann message:in:hi "
        "kick:r@muc:banned:mod signal:active ",
        (void *)&b, (void *)&l);
    assert_string_equal(typed_log->str, want);
    g_string_free(typed_log, TRUE);
}

static void test_user_data_passed(void **state)
{
    g_autofree Handler *h1 = handler_new("a");
    g_autofree Handler *h2 = handler_new("b");
    /* The same function with two user_data values: two subscriptions. */
    event_subscribe(EVENT_QUIT, 0, record, h1);
    event_subscribe(EVENT_QUIT, 0, record, h2);
    event_emit_quit();
    assert_string_equal(calls->str, "ab");
}

static void test_stop(void **state)
{
    g_autofree Handler *first = handler_new("F");
    g_autofree Handler *stopper = handler_new("S");
    g_autofree Handler *after = handler_new("A");
    stopper->result = EVENT_STOP;
    event_subscribe(EVENT_BUFFER_OPENED, 5, record, after);
    event_subscribe(EVENT_BUFFER_OPENED, 0, record, stopper);
    event_subscribe(EVENT_BUFFER_OPENED, -5, record, first);
    emit_opened();
    assert_string_equal(calls->str, "FS");
    /* STOP holds for one emit only. */
    stopper->result = EVENT_CONTINUE;
    emit_opened();
    assert_string_equal(calls->str, "FSFSA");
}

static void test_ids_and_unsubscribe(void **state)
{
    g_autofree Handler *a = handler_new("a");
    g_autofree Handler *b = handler_new("b");
    guint ia = event_subscribe(EVENT_QUIT, 0, record, a);
    guint ib = event_subscribe(EVENT_QUIT, 0, record, b);
    assert_int_not_equal(ia, 0);
    assert_int_not_equal(ib, 0);
    assert_int_not_equal(ia, ib);
    event_unsubscribe(ia);
    event_emit_quit();
    assert_string_equal(calls->str, "b");
    /* Unsubscribing twice, or an id that never existed, is harmless. */
    event_unsubscribe(ia);
    event_unsubscribe(ib + 1000);
    event_emit_quit();
    assert_string_equal(calls->str, "bb");
    event_unsubscribe(ib);
    event_emit_quit();
    assert_string_equal(calls->str, "bb");
}

static void unsubscribe_action(gpointer arg)
{
    event_unsubscribe(*(guint *)arg);
}

static void test_unsubscribe_later_during_emit(void **state)
{
    g_autofree Handler *a = handler_new("a");
    g_autofree Handler *b = handler_new("b");
    g_autofree Handler *c = handler_new("c");
    guint ib = 0;
    a->action = unsubscribe_action;
    a->arg = &ib;
    event_subscribe(EVENT_BUFFER_OPENED, 0, record, a);
    ib = event_subscribe(EVENT_BUFFER_OPENED, 1, record, b);
    event_subscribe(EVENT_BUFFER_OPENED, 2, record, c);
    emit_opened();
    /* b was removed before its turn; c still runs. */
    assert_string_equal(calls->str, "ac");
    a->action = NULL;
    emit_opened();
    assert_string_equal(calls->str, "acac");
}

static void test_unsubscribe_self_during_emit(void **state)
{
    g_autofree Handler *a = handler_new("a");
    g_autofree Handler *b = handler_new("b");
    guint ia = 0;
    a->action = unsubscribe_action;
    a->arg = &ia;
    ia = event_subscribe(EVENT_BUFFER_OPENED, 0, record, a);
    event_subscribe(EVENT_BUFFER_OPENED, 0, record, b);
    emit_opened();
    emit_opened();
    assert_string_equal(calls->str, "abb");
}

typedef struct {
    Handler *handler;
    int priority;
    guint id;
} SubscribeArg;

static void subscribe_action(gpointer arg)
{
    SubscribeArg *s = arg;
    s->id =
        event_subscribe(EVENT_BUFFER_OPENED, s->priority, record, s->handler);
}

static void test_subscribe_during_emit(void **state)
{
    g_autofree Handler *a = handler_new("a");
    g_autofree Handler *late = handler_new("L");
    g_autofree Handler *early = handler_new("E");
    g_autofree Handler *z = handler_new("z");
    SubscribeArg sub_late = {late, 5, 0};
    SubscribeArg sub_early = {early, -5, 0};
    a->action = subscribe_action;
    a->arg = &sub_late;
    event_subscribe(EVENT_BUFFER_OPENED, 0, record, a);
    event_subscribe(EVENT_BUFFER_OPENED, 10, record, z);
    emit_opened();
    /* L would sort after a, but it is not called for this event. */
    assert_string_equal(calls->str, "az");
    assert_int_not_equal(sub_late.id, 0);

    a->arg = &sub_early;
    emit_opened();
    assert_string_equal(calls->str, "azaLz");

    a->action = NULL;
    emit_opened();
    /* Both newcomers are in their priority places from now on. */
    assert_string_equal(calls->str, "azaLzEaLz");
}

static void subscribe_then_unsubscribe_action(gpointer arg)
{
    SubscribeArg *s = arg;
    subscribe_action(s);
    event_unsubscribe(s->id);
}

static void test_subscribe_and_unsubscribe_during_emit(void **state)
{
    g_autofree Handler *a = handler_new("a");
    g_autofree Handler *gone = handler_new("G");
    SubscribeArg sub = {gone, 5, 0};
    a->action = subscribe_then_unsubscribe_action;
    a->arg = &sub;
    event_subscribe(EVENT_BUFFER_OPENED, 0, record, a);
    emit_opened();
    a->action = NULL;
    emit_opened();
    assert_string_equal(calls->str, "aa");
}

static void nested_emit_action(gpointer arg)
{
    event_emit_quit();
}

static void test_nested_emit(void **state)
{
    g_autofree Handler *a = handler_new("a");
    g_autofree Handler *b = handler_new("b");
    g_autofree Handler *q = handler_new("q");
    g_autofree Handler *newq = handler_new("N");
    SubscribeArg sub = {newq, 0, 0};
    a->action = nested_emit_action;
    q->action = subscribe_action; /* subscribes N to BUFFER_OPENED */
    q->arg = &sub;
    event_subscribe(EVENT_BUFFER_OPENED, 0, record, a);
    event_subscribe(EVENT_BUFFER_OPENED, 1, record, b);
    event_subscribe(EVENT_QUIT, 0, record, q);
    emit_opened();
    /* The nested emit runs inside a; N waits for the outer emit to end. */
    assert_string_equal(calls->str, "aqb");
    a->action = NULL;
    q->action = NULL;
    emit_opened();
    /* N has priority 0 like a, subscribed later: between a and b. */
    assert_string_equal(calls->str, "aqbaNb");
}

static void test_type_names(void **state)
{
    assert_string_equal(event_type_name(EVENT_BUFFER_OPENED), "buffer-opened");
    assert_string_equal(event_type_name(EVENT_BUFFER_CLOSED), "buffer-closed");
    assert_string_equal(event_type_name(EVENT_BUFFER_LINE), "buffer-line");
    assert_string_equal(event_type_name(EVENT_BUFFER_CHANGED),
                        "buffer-changed");
    assert_string_equal(event_type_name(EVENT_BUFFER_SWITCHED),
                        "buffer-switched");
    assert_string_equal(event_type_name(EVENT_ACCOUNT_STATE), "account-state");
    assert_string_equal(event_type_name(EVENT_ACCOUNT_READY), "account-ready");
    assert_string_equal(event_type_name(EVENT_ACCOUNT_CHANGED),
                        "account-changed");
    assert_string_equal(event_type_name(EVENT_QUIT), "quit");
    assert_string_equal(event_type_name(EVENT_COUNT), "unknown");
    /* Every type has a name. */
    for (int t = 0; t < EVENT_COUNT; t++)
        assert_non_null(event_type_name(t));
}

static void test_shutdown_and_init_again(void **state)
{
    g_autofree Handler *a = handler_new("a");
    event_subscribe(EVENT_QUIT, 0, record, a);
    event_shutdown();
    event_init();
    /* Subscribers do not survive a shutdown. */
    event_emit_quit();
    assert_string_equal(calls->str, "");
    event_subscribe(EVENT_QUIT, 0, record, a);
    event_emit_quit();
    assert_string_equal(calls->str, "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_priority_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_subscribed_type, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_event_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_typed_subscriptions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_user_data_passed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_and_unsubscribe, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unsubscribe_later_during_emit,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsubscribe_self_during_emit,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_subscribe_during_emit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_subscribe_and_unsubscribe_during_emit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_emit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shutdown_and_init_again, setup,
                                        teardown),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("event", tests, NULL, NULL));
}
