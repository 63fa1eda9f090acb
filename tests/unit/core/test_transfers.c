/* test_transfers.c: unit tests for src/core/transfers.c: transfers are
 * numbered in order and found by number; how far one is; a change the
 * user can see (start, a new percentage, the end) emits
 * EVENT_TRANSFER_CHANGED, the chunks in between do not. */
#include "../unit.h"

#include "core/event.h"
#include "core/transfers.h"

static guint changes;

static EventResult on_change(gpointer data)
{
    (void)data;
    changes++;
    return EVENT_CONTINUE;
}

static int setup(void **state)
{
    (void)state;
    event_init();
    event_on_signal(EVENT_TRANSFER_CHANGED, EVENT_PRIORITY_DEFAULT, on_change,
                    NULL);
    changes = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    transfers_clear();
    event_shutdown();
    return 0;
}

static void test_numbers_and_lookup(void **state)
{
    (void)state;
    assert_int_equal(transfers_list()->len, 0);
    TransferInfo *a =
        transfers_add(TRUE, "work", "a.jpg", "bob@example.org", "/tmp/a.jpg");
    TransferInfo *b = transfers_add(FALSE, "work", "b.pdf",
                                    "https://example.org/b.pdf", "/dl/b.pdf");
    assert_int_equal(a->number, 1);
    assert_int_equal(b->number, 2);
    assert_ptr_equal(transfers_find(2), b);
    assert_null(transfers_find(3));
    assert_int_equal(transfers_list()->len, 2);
    assert_int_equal(a->state, TRANSFER_RUNNING);
    transfers_clear();
    assert_int_equal(transfers_list()->len, 0);
    TransferInfo *c = transfers_add(TRUE, "work", "c", "x", NULL);
    assert_int_equal(c->number, 1);
}

static void test_progress_and_events(void **state)
{
    (void)state;
    TransferInfo *t = transfers_add(FALSE, "work", "f", "u", "/dl/f");
    assert_int_equal(changes, 1);
    assert_int_equal(transfers_percent(t), -1);
    transfers_progress(t, 10, -1); /* size unknown: nothing to show */
    assert_int_equal(changes, 1);
    transfers_progress(t, 10, 1000); /* 1% */
    assert_int_equal(changes, 2);
    transfers_progress(t, 15, 1000); /* still 1% */
    assert_int_equal(changes, 2);
    assert_int_equal(transfers_percent(t), 1);
    transfers_progress(t, 500, 1000);
    assert_int_equal(changes, 3);
    assert_int_equal(transfers_percent(t), 50);
    transfers_end(t, FALSE, "/dl/f-1", NULL);
    assert_int_equal(changes, 4);
    assert_int_equal(t->state, TRANSFER_DONE);
    assert_int_equal(transfers_percent(t), 100);
    assert_string_equal(t->path, "/dl/f-1");

    TransferInfo *bad = transfers_add(TRUE, "work", "g", "bob", "/tmp/g");
    transfers_end(bad, TRUE, NULL, "cancelled");
    assert_int_equal(bad->state, TRANSFER_FAILED);
    assert_string_equal(bad->reason, "cancelled");
    assert_string_equal(bad->path, "/tmp/g"); /* kept */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_numbers_and_lookup),
        T(test_progress_and_events),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("transfers", tests, NULL, NULL));
}
