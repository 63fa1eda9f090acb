/* test_prompt.c: unit tests for src/core/prompt.c, questions asked without
 * blocking the loop. */
#include "../unit.h"

#include <string.h>

#include "core/prompt.h"

/* Everything that happens, in order, as "word;" entries: the provider's
 * ask/dismiss, callbacks with their answers, and destroy notifies. */
static GString *log_;

static void provider_ask(const char *question, gboolean secret)
{
    g_string_append_printf(log_, "ask(%s%s);", question,
                           secret ? ",secret" : "");
}

static void provider_dismiss(void)
{
    g_string_append(log_, "dismiss;");
}

static const PromptProvider provider = {provider_ask, provider_dismiss};

static void on_answer(const char *answer, gpointer data)
{
    g_string_append_printf(log_, "%s=%s;", (const char *)data,
                           answer ? answer : "NULL");
}

static void on_destroy(gpointer data)
{
    g_string_append_printf(log_, "free(%s);", (const char *)data);
}

static int setup(void **state)
{
    log_ = g_string_new(NULL);
    prompt_set_provider(&provider);
    return 0;
}

static int teardown(void **state)
{
    prompt_set_provider(NULL);
    prompt_cancel_all();
    g_string_free(log_, TRUE);
    log_ = NULL;
    return 0;
}

static void check_log(const char *expected)
{
    assert_string_equal(log_->str, expected);
    g_string_truncate(log_, 0);
}

static void test_ask_and_answer(void **state)
{
    assert_false(prompt_active());
    prompt_ask("Password for a@b: ", TRUE, on_answer, "q1", NULL);
    check_log("ask(Password for a@b: ,secret);");
    assert_true(prompt_active());
    assert_true(prompt_is_secret());
    prompt_answer("hunter2");
    check_log("dismiss;q1=hunter2;");
    assert_false(prompt_active());
    assert_false(prompt_is_secret());
}

static void test_queue_in_order(void **state)
{
    prompt_ask("first?", FALSE, on_answer, "q1", NULL);
    prompt_ask("second?", TRUE, on_answer, "q2", NULL);
    prompt_ask("third?", FALSE, on_answer, "q3", NULL);
    /* Only the first question is shown; the others wait. */
    check_log("ask(first?);");
    assert_false(prompt_is_secret());
    prompt_answer("one");
    check_log("dismiss;q1=one;ask(second?,secret);");
    assert_true(prompt_is_secret());
    prompt_answer("two");
    check_log("dismiss;q2=two;ask(third?);");
    assert_false(prompt_is_secret());
    prompt_answer("three");
    check_log("dismiss;q3=three;");
    assert_false(prompt_active());
}

static void test_destroy_after_callback(void **state)
{
    prompt_ask("q?", FALSE, on_answer, "q1", on_destroy);
    prompt_answer("yes");
    check_log("ask(q?);dismiss;q1=yes;free(q1);");
}

static void test_cancel_gives_null(void **state)
{
    prompt_ask("q?", TRUE, on_answer, "q1", on_destroy);
    prompt_answer(NULL);
    check_log("ask(q?,secret);dismiss;q1=NULL;free(q1);");
    assert_false(prompt_active());
}

static void test_empty_answer_is_not_cancel(void **state)
{
    prompt_ask("q?", FALSE, on_answer, "q1", NULL);
    prompt_answer("");
    check_log("ask(q?);dismiss;q1=;");
}

static void test_cancel_all(void **state)
{
    prompt_ask("a?", FALSE, on_answer, "q1", on_destroy);
    prompt_ask("b?", TRUE, on_answer, "q2", on_destroy);
    prompt_ask("c?", FALSE, on_answer, "q3", NULL);
    g_string_truncate(log_, 0);
    prompt_cancel_all();
    assert_false(prompt_active());
    /* Every callback got NULL, in the order asked; every destroy ran
     * after its own callback; the provider ends with nothing shown. */
    assert_non_null(strstr(log_->str, "q1=NULL;free(q1);"));
    assert_non_null(strstr(log_->str, "q2=NULL;free(q2);"));
    assert_non_null(strstr(log_->str, "q3=NULL;"));
    assert_true(strstr(log_->str, "q1=") < strstr(log_->str, "q2="));
    assert_true(strstr(log_->str, "q2=") < strstr(log_->str, "q3="));
    assert_true(g_str_has_prefix(log_->str, "dismiss;q1=NULL;"));
    assert_true(g_str_has_suffix(log_->str, "dismiss;q3=NULL;"));
    /* As many dismisses as asks: nothing is left on screen. */
    guint asks = 0, dismisses = 0;
    for (const char *p = log_->str; (p = strstr(p, "ask(")); p++)
        asks++;
    for (const char *p = log_->str; (p = strstr(p, "dismiss;")); p++)
        dismisses++;
    assert_int_equal(dismisses, asks + 1);
    g_string_truncate(log_, 0);
    /* Nothing left: cancelling again does nothing. */
    prompt_cancel_all();
    check_log("");
}

static void test_answer_without_question(void **state)
{
    prompt_answer("stray");
    prompt_answer(NULL);
    check_log("");
    assert_false(prompt_active());
}

static void test_no_provider_until_set(void **state)
{
    prompt_set_provider(NULL);
    prompt_ask("later?", TRUE, on_answer, "q1", NULL);
    /* The question waits; nobody shows it yet. */
    check_log("");
    assert_true(prompt_active());
    assert_true(prompt_is_secret());
    prompt_set_provider(&provider);
    check_log("ask(later?,secret);");
    prompt_answer("now");
    check_log("dismiss;q1=now;");
}

static void test_new_provider_shows_open_question(void **state)
{
    prompt_ask("q?", FALSE, on_answer, "q1", NULL);
    check_log("ask(q?);");
    /* A front end taking over (e.g. the UI after headless start-up) gets
     * the open question again. */
    prompt_set_provider(&provider);
    check_log("ask(q?);");
    prompt_answer("x");
    check_log("dismiss;q1=x;");
}

static void ask_again(const char *answer, gpointer data)
{
    g_string_append_printf(log_, "%s=%s;", (const char *)data,
                           answer ? answer : "NULL");
    if (answer && strcmp(answer, "wrong") == 0)
        prompt_ask("retry?", TRUE, on_answer, "retry", NULL);
}

static void test_callback_asks_again(void **state)
{
    prompt_ask("pw?", TRUE, ask_again, "q1", NULL);
    prompt_ask("other?", FALSE, on_answer, "q2", NULL);
    prompt_answer("wrong");
    /* The retry goes to the end of the line, after q2; the provider sees
     * q2 once, not twice. */
    check_log("ask(pw?,secret);dismiss;q1=wrong;ask(other?);");
    prompt_answer("o");
    check_log("dismiss;q2=o;ask(retry?,secret);");
    prompt_answer("right");
    check_log("dismiss;retry=right;");
}

static void ask_when_alone(const char *answer, gpointer data)
{
    g_string_append_printf(log_, "%s=%s;", (const char *)data,
                           answer ? answer : "NULL");
    prompt_ask("follow-up?", FALSE, on_answer, "q2", NULL);
}

static void test_callback_asks_when_queue_empty(void **state)
{
    prompt_ask("pw?", FALSE, ask_when_alone, "q1", NULL);
    prompt_answer("a");
    /* The follow-up is shown exactly once. */
    check_log("ask(pw?);dismiss;q1=a;ask(follow-up?);");
    prompt_answer("b");
    check_log("dismiss;q2=b;");
}

static const char *answer_seen;
static char answer_copy[32];

static void keep_pointer(const char *answer, gpointer data)
{
    answer_seen = answer;
    g_strlcpy(answer_copy, answer, sizeof answer_copy);
}

static void test_answer_is_a_copy(void **state)
{
    char typed[] = "secret";
    prompt_ask("pw?", TRUE, keep_pointer, NULL, NULL);
    prompt_answer(typed);
    /* The callback got the text in a buffer of the prompt's own (wiped
     * and freed afterwards), not the caller's. */
    assert_string_equal(answer_copy, "secret");
    assert_ptr_not_equal(answer_seen, typed);
    assert_string_equal(typed, "secret");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ask_and_answer),
        T(test_queue_in_order),
        T(test_destroy_after_callback),
        T(test_cancel_gives_null),
        T(test_empty_answer_is_not_cancel),
        T(test_cancel_all),
        T(test_answer_without_question),
        T(test_no_provider_until_set),
        T(test_new_provider_shows_open_question),
        T(test_callback_asks_again),
        T(test_callback_asks_when_queue_empty),
        T(test_answer_is_a_copy),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("prompt", tests, NULL, NULL));
}
