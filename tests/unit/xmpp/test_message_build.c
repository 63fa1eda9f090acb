/* test_message_build.c: unit tests for src/xmpp/message_build.c: Messages
 * of ours built into stanzas: chat, room and private messages, replies
 * with their fallback, corrections, retractions, reactions, files,
 * receipts and markers. Each is also parsed back (message_parse.c) to
 * show the two agree. Stanzas are checked element by element: libstrophe
 * writes attributes in no fixed order. */
#include "../unit.h"

#include <string.h>

#include "xmpp/message_build.h"
#include "xmpp/message_parse.h"

static xmpp_ctx_t *ctx;

static int setup(void **state)
{
    xmpp_initialize();
    ctx = xmpp_ctx_new(NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    xmpp_ctx_free(ctx);
    xmpp_shutdown();
    return 0;
}

static Message *ours(MessageKind kind, const char *peer, const char *body)
{
    Message *m = message_new();
    m->kind = kind;
    m->direction = MESSAGE_OUT;
    m->peer = g_strdup(peer);
    m->body = g_strdup(body);
    m->origin_id = g_strdup("o1");
    m->message_id = g_strdup("o1");
    return m;
}

/* The child NAME in NS of PARENT; it must be there. */
static xmpp_stanza_t *need(xmpp_stanza_t *parent, const char *name,
                           const char *ns)
{
    xmpp_stanza_t *c = xmpp_stanza_get_child_by_name_and_ns(parent, name, ns);
    if (!c)
        fail_msg("no <%s xmlns='%s'/>", name, ns);
    return c;
}

static void assert_attr(xmpp_stanza_t *e, const char *attr, const char *value)
{
    const char *got = xmpp_stanza_get_attribute(e, attr);
    if (g_strcmp0(got, value) != 0)
        fail_msg("%s='%s', expected '%s'", attr, got ? got : "(none)",
                 value ? value : "(none)");
}

static char *body_of(xmpp_stanza_t *msg)
{
    char *text = xmpp_message_get_body(msg);
    char *copy = g_strdup(text);
    xmpp_free(ctx, text);
    return copy;
}

static guint count_children(xmpp_stanza_t *e)
{
    guint n = 0;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(e); c;
         c = xmpp_stanza_get_next(c))
        n += xmpp_stanza_is_tag(c);
    return n;
}

/* What the receiving side of M's stanza parses, as a copy of ours (a
 * sent carbon). */
static Message *round_trip(const Message *m)
{
    xmpp_stanza_t *stanza = message_build(ctx, m);
    xmpp_stanza_set_from(stanza, "me@x/n");
    MessageParseContext c = {
        .account = "work", .own_bare = "me@x", .origin = MESSAGE_CARBON_SENT};
    Message *back = message_parse(stanza, &c, NULL);
    xmpp_stanza_release(stanza);
    assert_non_null(back);
    return back;
}

static void test_chat(void **state)
{
    g_autoptr(Message) m = ours(MESSAGE_CHAT, "bob@x", "a <b> & c");
    xmpp_stanza_t *msg = message_build(ctx, m);
    assert_attr(msg, "type", "chat");
    assert_attr(msg, "to", "bob@x");
    assert_attr(msg, "id", "o1");
    g_autofree char *body = body_of(msg);
    assert_string_equal(body, "a <b> & c");
    assert_attr(need(msg, "origin-id", "urn:xmpp:sid:0"), "id", "o1");
    /* Receipt requests, markers and chat states are the decorate stage's,
     * not the builder's. */
    assert_int_equal(count_children(msg), 2);
    xmpp_stanza_release(msg);
    g_autoptr(Message) back = round_trip(m);
    assert_string_equal(back->body, "a <b> & c");
    assert_string_equal(back->origin_id, "o1");
    assert_string_equal(back->peer, "bob@x");
}

static void test_room_and_private(void **state)
{
    g_autoptr(Message) room = ours(MESSAGE_GROUPCHAT, "room@muc.x", "hi");
    xmpp_stanza_t *msg = message_build(ctx, room);
    assert_attr(msg, "type", "groupchat");
    assert_attr(msg, "to", "room@muc.x");
    assert_null(xmpp_stanza_get_child_by_name_and_ns(
        msg, "x", "http://jabber.org/protocol/muc#user"));
    xmpp_stanza_release(msg);
    g_autoptr(Message) pm = ours(MESSAGE_PRIVATE, "room@muc.x/ann", "psst");
    msg = message_build(ctx, pm);
    assert_attr(msg, "type", "chat");
    assert_attr(msg, "to", "room@muc.x/ann");
    need(msg, "x", "http://jabber.org/protocol/muc#user");
    xmpp_stanza_release(msg);
    g_autoptr(Message) back = round_trip(pm);
    assert_int_equal(back->kind, MESSAGE_PRIVATE);
    assert_string_equal(back->peer, "room@muc.x/ann");
    assert_string_equal(back->body, "psst");
}

static void test_reply(void **state)
{
    g_autoptr(Message) m = ours(MESSAGE_CHAT, "bob@x", "yes");
    m->reply_to = g_strdup("q1");
    m->reply_to_jid = g_strdup("bob@x");
    m->reply_quote = g_strdup("> l\xC3\xBCnch?\n");
    xmpp_stanza_t *msg = message_build(ctx, m);
    g_autofree char *body = body_of(msg);
    assert_string_equal(body, "> l\xC3\xBCnch?\nyes");
    xmpp_stanza_t *reply = need(msg, "reply", "urn:xmpp:reply:0");
    assert_attr(reply, "id", "q1");
    assert_attr(reply, "to", "bob@x");
    xmpp_stanza_t *fallback = need(msg, "fallback", "urn:xmpp:fallback:0");
    assert_attr(fallback, "for", "urn:xmpp:reply:0");
    /* The range counts code points: "> lünch?\n" is 9. */
    xmpp_stanza_t *range = xmpp_stanza_get_child_by_name(fallback, "body");
    assert_attr(range, "start", "0");
    assert_attr(range, "end", "9");
    xmpp_stanza_release(msg);
    g_autoptr(Message) back = round_trip(m);
    assert_string_equal(back->body, "yes");
    assert_string_equal(back->reply_to, "q1");
}

static void test_correction_retraction_reactions(void **state)
{
    g_autoptr(Message) c = ours(MESSAGE_CHAT, "bob@x", "fixed");
    c->replaces_id = g_strdup("m1");
    g_autoptr(Message) c2 = round_trip(c);
    assert_string_equal(c2->replaces_id, "m1");
    assert_string_equal(c2->body, "fixed");

    g_autoptr(Message) r = ours(MESSAGE_GROUPCHAT, "room@muc.x", NULL);
    r->retracts_id = g_strdup("rs1");
    xmpp_stanza_t *msg = message_build(ctx, r);
    assert_attr(need(msg, "retract", "urn:xmpp:message-retract:1"), "id",
                "rs1");
    xmpp_stanza_t *apply = need(msg, "apply-to", "urn:xmpp:fasten:0");
    assert_attr(apply, "id", "rs1");
    need(apply, "retract", "urn:xmpp:message-retract:0");
    need(msg, "store", "urn:xmpp:hints");
    assert_attr(need(msg, "fallback", "urn:xmpp:fallback:0"), "for",
                "urn:xmpp:message-retract:1");
    xmpp_stanza_release(msg);
    g_autoptr(Message) r2 = round_trip(r);
    assert_string_equal(r2->retracts_id, "rs1");
    assert_null(r2->body); /* the fallback text is not a message */

    g_autoptr(Message) e = ours(MESSAGE_CHAT, "bob@x", NULL);
    e->reactions_to = g_strdup("m2");
    e->reactions = g_strdup("\xF0\x9F\x91\x8D  \xE2\x9D\xA4");
    g_autoptr(Message) e2 = round_trip(e);
    assert_string_equal(e2->reactions_to, "m2");
    assert_string_equal(e2->reactions, "\xF0\x9F\x91\x8D \xE2\x9D\xA4");
    assert_null(e2->body);
}

static void test_files_receipts_markers(void **state)
{
    g_autoptr(Message) m = ours(MESSAGE_CHAT, "bob@x", "https://u.x/a");
    message_add_attachment(m, "https://u.x/a", "image/png", 3);
    g_autoptr(Message) back = round_trip(m);
    assert_int_equal(back->attachments->len, 1);
    const MessageAttachment *a = g_ptr_array_index(back->attachments, 0);
    assert_string_equal(a->url, "https://u.x/a");

    xmpp_stanza_t *receipt =
        message_build_receipt(ctx, "bob@x/pc", NULL, "m1", "r1");
    assert_attr(receipt, "to", "bob@x/pc");
    assert_attr(receipt, "id", "r1");
    assert_attr(receipt, "type", NULL);
    assert_attr(need(receipt, "received", "urn:xmpp:receipts"), "id", "m1");
    xmpp_stanza_release(receipt);
    xmpp_stanza_t *marker =
        message_build_marker(ctx, "bob@x", "chat", "displayed", "m1", "k1");
    assert_attr(marker, "type", "chat");
    assert_attr(need(marker, "displayed", "urn:xmpp:chat-markers:0"), "id",
                "m1");
    need(marker, "store", "urn:xmpp:hints");
    xmpp_stanza_release(marker);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_room_and_private, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_retraction_reactions,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_receipts_markers, setup,
                                        teardown),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("message_build", tests, NULL, NULL));
}
