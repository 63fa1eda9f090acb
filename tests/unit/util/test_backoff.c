/* test_backoff.c: unit tests for src/util/backoff.c (reconnect delays). */
#include "../unit.h"

#include "util/backoff.h"

static void test_doubles_from_the_base(void **state)
{
    assert_int_equal(backoff_delay(5, 300, 0), 5);
    assert_int_equal(backoff_delay(5, 300, 1), 10);
    assert_int_equal(backoff_delay(5, 300, 2), 20);
    assert_int_equal(backoff_delay(5, 300, 5), 160);
}

static void test_stops_at_the_ceiling(void **state)
{
    assert_int_equal(backoff_delay(5, 300, 6), 300);
    assert_int_equal(backoff_delay(30, 45, 1), 45);
    assert_int_equal(backoff_delay(5, 300, 1000000), 300);
    assert_int_equal(backoff_delay(3600, 86400, G_MAXUINT), 86400);
    /* A ceiling above half of G_MAXUINT cannot overflow either. */
    assert_int_equal(backoff_delay(G_MAXUINT / 2 + 7, G_MAXUINT, 3), G_MAXUINT);
}

static void test_zero_base_means_never(void **state)
{
    assert_int_equal(backoff_delay(0, 300, 0), 0);
    assert_int_equal(backoff_delay(0, 300, 4), 0);
}

static void test_ceiling_below_base_is_the_base(void **state)
{
    assert_int_equal(backoff_delay(10, 1, 0), 10);
    assert_int_equal(backoff_delay(10, 1, 3), 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubles_from_the_base),
        cmocka_unit_test(test_stops_at_the_ceiling),
        cmocka_unit_test(test_zero_base_means_never),
        cmocka_unit_test(test_ceiling_below_base_is_the_base),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("backoff", tests, NULL, NULL));
}
