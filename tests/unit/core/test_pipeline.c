/* test_pipeline.c: unit tests for src/core/pipeline.c: stages run in the
 * order of their priorities; one that consumes a message or refuses it
 * stops the run and says why; stages added or removed while a message
 * passes do not disturb it. */
#include "../unit.h"

#include <string.h>

#include "core/pipeline.h"

static GString *trail; /* the names of the stages that ran */

typedef struct {
    const char *name;
    StageVerdict verdict;
    guint remove; /* a stage to remove while running, or 0 */
} Spec;

static StageVerdict run(PipelineItem *item, gpointer data)
{
    Spec *spec = data;
    g_string_append_printf(trail, "%s ", spec->name);
    if (spec->remove)
        pipeline_remove(spec->remove);
    if (spec->verdict == STAGE_REFUSED)
        return pipeline_refuse(item, "refused by %s", spec->name);
    /* A stage may change the message for those after it. */
    g_free(item->message->body);
    item->message->body = g_strdup(spec->name);
    return spec->verdict;
}

static int setup(void **state)
{
    pipeline_init();
    trail = g_string_new(NULL);
    return 0;
}

static int teardown(void **state)
{
    pipeline_shutdown();
    g_string_free(trail, TRUE);
    return 0;
}

static StageVerdict pass(const char *expect_trail, const char *expect_stage,
                         PipelineKind kind)
{
    g_string_truncate(trail, 0);
    g_autoptr(Message) m = message_new();
    PipelineItem item = {.message = m};
    StageVerdict verdict = pipeline_run(kind, &item);
    assert_string_equal(trail->str, expect_trail);
    if (expect_stage)
        assert_string_equal(item.stage, expect_stage);
    else
        assert_null(item.stage);
    pipeline_item_clear(&item);
    return verdict;
}

static void test_order_and_verdicts(void **state)
{
    Spec store = {"store", STAGE_CONTINUE, 0},
         auth = {"auth", STAGE_CONTINUE, 0},
         deliver = {"deliver", STAGE_CONTINUE, 0},
         late = {"late", STAGE_CONTINUE, 0};
    pipeline_add(PIPELINE_IN, STAGE_STORE, "store", run, &store, NULL);
    pipeline_add(PIPELINE_IN, STAGE_DELIVER, "deliver", run, &deliver, NULL);
    pipeline_add(PIPELINE_IN, STAGE_AUTHORITY, "auth", run, &auth, NULL);
    pipeline_add(PIPELINE_IN, STAGE_DELIVER, "late", run, &late, NULL);
    assert_int_equal(pass("auth store deliver late ", NULL, PIPELINE_IN),
                     STAGE_CONTINUE);
    g_autofree char *names = pipeline_describe(PIPELINE_IN);
    assert_string_equal(names, "auth, store, deliver, late");
    /* Other pipelines have their own stages. */
    assert_int_equal(pass("", NULL, PIPELINE_SEND), STAGE_CONTINUE);

    /* A decrypt stage that consumes (a key exchange, say): nothing after
     * it sees the message. */
    Spec otr = {"otr", STAGE_CONSUMED, 0};
    guint id = pipeline_add(PIPELINE_IN, STAGE_DECRYPT, "otr", run, &otr, NULL);
    assert_int_equal(pass("auth otr ", "otr", PIPELINE_IN), STAGE_CONSUMED);
    pipeline_remove(id);

    /* One that refuses says why. */
    Spec spam = {"spam", STAGE_REFUSED, 0};
    pipeline_add(PIPELINE_IN, STAGE_SIGNALS, "spam", run, &spam, NULL);
    g_autoptr(Message) m = message_new();
    PipelineItem item = {.message = m};
    g_string_truncate(trail, 0);
    assert_int_equal(pipeline_run(PIPELINE_IN, &item), STAGE_REFUSED);
    assert_string_equal(trail->str, "auth spam ");
    assert_string_equal(item.reason, "refused by spam");
    assert_string_equal(item.stage, "spam");
    assert_string_equal(m->body, "auth");
    pipeline_item_clear(&item);
    assert_null(item.reason);
}

static void destroy_spec(gpointer data)
{
    g_string_append_printf(trail, "freed:%s ", ((Spec *)data)->name);
}

static void test_changes_during_a_run(void **state)
{
    Spec a = {"a", STAGE_CONTINUE, 0}, b = {"b", STAGE_CONTINUE, 0},
         c = {"c", STAGE_CONTINUE, 0};
    pipeline_add(PIPELINE_OUT, 1, "a", run, &a, NULL);
    guint bid = pipeline_add(PIPELINE_OUT, 2, "b", run, &b, destroy_spec);
    pipeline_add(PIPELINE_OUT, 3, "c", run, &c, NULL);
    a.remove = bid; /* "a" removes "b" while the message passes */
    g_string_truncate(trail, 0);
    g_autoptr(Message) m = message_new();
    PipelineItem item = {.message = m};
    pipeline_run(PIPELINE_OUT, &item);
    /* "b" was removed before its turn: it does not run, and is freed once
     * the run is over. */
    assert_string_equal(trail->str, "a c freed:b ");
    g_autofree char *names = pipeline_describe(PIPELINE_OUT);
    assert_string_equal(names, "a, c");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_order_and_verdicts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_changes_during_a_run, setup,
                                        teardown),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("pipeline", tests, NULL, NULL));
}
