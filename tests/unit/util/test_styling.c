/* test_styling.c: unit tests for src/util/styling.c (XEP-0393 spans and
 * blocks, links). */
#include "../unit.h"

#include <string.h>

#include "util/styling.h"

/* The runs of TEXT as "flags:text|flags:text", flags as letters
 * s(trong) e(mphasis) p(re) x (strike) q(uote) u(rl), "-" for none. */
static char *describe(const char *text)
{
    g_autoptr(GArray) runs = styling_parse(text, -1);
    GString *out = g_string_new(NULL);
    gsize at = 0;
    for (guint i = 0; i < runs->len; i++) {
        StylingRun *r = &g_array_index(runs, StylingRun, i);
        assert_int_equal(r->start, at); /* contiguous */
        at = r->end;
        GString *f = g_string_new(NULL);
        if (r->flags & STYLING_STRONG)
            g_string_append_c(f, 's');
        if (r->flags & STYLING_EMPHASIS)
            g_string_append_c(f, 'e');
        if (r->flags & STYLING_PRE)
            g_string_append_c(f, 'p');
        if (r->flags & STYLING_STRIKE)
            g_string_append_c(f, 'x');
        if (r->flags & STYLING_QUOTE)
            g_string_append_c(f, 'q');
        if (r->flags & STYLING_URL)
            g_string_append_c(f, 'u');
        if (!f->len)
            g_string_append_c(f, '-');
        g_string_append_printf(out, "%s%s:%.*s", i ? "|" : "", f->str,
                               (int)(r->end - r->start), text + r->start);
        g_string_free(f, TRUE);
    }
    assert_int_equal(at, strlen(text)); /* complete */
    return g_string_free(out, FALSE);
}

static void check(const char *text, const char *expected)
{
    g_autofree char *got = describe(text);
    assert_string_equal(got, expected);
}

static void test_spans(void **state)
{
    check("a *bold* word", "-:a |s:*bold*|-: word");
    check("_it_ and ~gone~", "e:_it_|-: and |x:~gone~");
    check("`*not bold*`", "p:`*not bold*`");
    check("*bold _and it_*", "s:*bold |se:_and it_|s:*");
}

static void test_what_is_not_a_span(void **state)
{
    check("2 * 3 * 4", "-:2 * 3 * 4");         /* spaces around */
    check("a**b", "-:a**b");                   /* not after whitespace */
    check("**", "-:**");                       /* nothing inside */
    check("*open\nclose*", "-:*open\nclose*"); /* spans stay in a line */
    check("snake_case_name", "-:snake_case_name");
}

static void test_blocks(void **state)
{
    check("> quoted *text*\nplain", "q:> quoted |sq:*text*|-:\nplain");
    check("```\n*code*\n```\nafter", "p:```|-:\n|p:*code*|-:\n|p:```|-:\n"
                                     "after");
    /* A fence without an end is plain text. */
    check("```\nno end", "p:```|-:\nno end");
}

static void test_urls(void **state)
{
    check("see https://example.org/a?b=c.", "-:see |u:https://example.org/"
                                            "a?b=c|-:.");
    check("(xmpp:room@conf.example?join)", "-:(|u:xmpp:room@conf.example?"
                                           "join|-:)");
    check("nohttp://x", "-:nohttp://x");
    check("http://", "-:http://");
}

static void test_empty(void **state)
{
    g_autoptr(GArray) runs = styling_parse("", -1);
    assert_int_equal(runs->len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_what_is_not_a_span),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_empty),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("styling", tests, NULL, NULL));
}
