/* test_message_parse.c: unit tests for src/xmpp/message_parse.c: stanzas
 * written as XML strings, parsed into Messages: chats, rooms, private
 * messages, carbons, archived messages, corrections, replies, reactions,
 * retractions, receipts, chat states, invitations, errors, and hostile
 * input. */
#include "../unit.h"

#include <string.h>

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

/* room@muc.x is the only room this account is in. */
static gboolean is_room(const char *bare, gpointer data)
{
    return strcmp(bare, "room@muc.x") == 0;
}

/* XML parsed with ORIGIN (ARCHIVE_ID for archived ones); must succeed. */
static Message *parse_as(const char *xml, MessageOrigin origin,
                         const char *archive_id)
{
    xmpp_stanza_t *stanza = xmpp_stanza_new_from_string(ctx, xml);
    assert_non_null(stanza);
    MessageParseContext c = {.account = "work",
                             .own_bare = "me@x",
                             .origin = origin,
                             .archive_id = archive_id,
                             .is_room = is_room};
    g_autoptr(GError) error = NULL;
    Message *m = message_parse(stanza, &c, &error);
    xmpp_stanza_release(stanza);
    if (!m)
        fail_msg("%s: %s", xml, error->message);
    return m;
}

static Message *parse(const char *xml)
{
    return parse_as(xml, MESSAGE_LIVE, NULL);
}

static void test_chat(void **state)
{
    g_autoptr(Message) m =
        parse("<message type='chat' from='Bob@X/phone' to='me@x/n' id='m1'>"
              "<body>hello</body><origin-id xmlns='urn:xmpp:sid:0' id='o1'/>"
              "<stanza-id xmlns='urn:xmpp:sid:0' by='me@x' id='s1'/>"
              "<stanza-id xmlns='urn:xmpp:sid:0' by='bob@x' id='forged'/>"
              "<request xmlns='urn:xmpp:receipts'/>"
              "<markable xmlns='urn:xmpp:chat-markers:0'/>"
              "<active xmlns='http://jabber.org/protocol/chatstates'/>"
              "<delay xmlns='urn:xmpp:delay' stamp='2026-10-01T12:00:00Z'/>"
              "</message>");
    assert_string_equal(m->account, "work");
    assert_int_equal(m->kind, MESSAGE_CHAT);
    assert_int_equal(m->origin, MESSAGE_LIVE);
    assert_int_equal(m->direction, MESSAGE_IN);
    assert_int_equal(m->state, MESSAGE_RECEIVED);
    assert_string_equal(m->peer, "bob@x");
    assert_string_equal(m->from, "bob@x/phone");
    assert_string_equal(m->nick, "bob@x");
    assert_string_equal(m->body, "hello");
    assert_string_equal(m->message_id, "m1");
    assert_string_equal(m->origin_id, "o1");
    /* Only our own server's stanza-id counts. */
    assert_string_equal(m->stanza_id, "s1");
    assert_true(m->receipt_requested);
    assert_true(m->markable);
    assert_int_equal(m->chat_state, CHAT_STATE_ACTIVE);
    g_autoptr(GDateTime) t = g_date_time_new_utc(2026, 10, 1, 12, 0, 0);
    assert_int_equal(m->time, g_date_time_to_unix(t) * G_USEC_PER_SEC);
    assert_null(m->acks);
    assert_null(m->error);
}

static void test_groupchat(void **state)
{
    g_autoptr(Message) m =
        parse("<message type='groupchat' from='room@muc.x/ann' id='g1'>"
              "<body>hi all</body>"
              "<stanza-id xmlns='urn:xmpp:sid:0' by='room@muc.x' id='rs1'/>"
              "<stanza-id xmlns='urn:xmpp:sid:0' by='me@x' id='ours'/>"
              "</message>");
    assert_int_equal(m->kind, MESSAGE_GROUPCHAT);
    assert_string_equal(m->peer, "room@muc.x");
    assert_string_equal(m->from, "room@muc.x/ann");
    assert_string_equal(m->nick, "ann");
    /* In a room the room's stanza-id is the one to point at. */
    assert_string_equal(m->stanza_id, "rs1");

    g_autoptr(Message) subject =
        parse("<message type='groupchat' from='room@muc.x/ann'>"
              "<subject>Tea</subject></message>");
    assert_string_equal(subject->subject, "Tea");
    assert_null(subject->body);
    g_autoptr(Message) cleared = parse(
        "<message type='groupchat' from='room@muc.x'><subject/></message>");
    assert_string_equal(cleared->subject, "");
    assert_null(cleared->nick);
}

static void test_private_messages(void **state)
{
    /* From an occupant of a room we are in. */
    g_autoptr(Message) in =
        parse("<message type='chat' from='room@muc.x/ann'><body>psst</body>"
              "</message>");
    assert_int_equal(in->kind, MESSAGE_PRIVATE);
    assert_string_equal(in->peer, "room@muc.x/ann");
    assert_string_equal(in->nick, "ann");
    /* From a room we are not in, known by the muc#user mark: still
     * private to that occupant, never a chat with the room. */
    g_autoptr(Message) marked =
        parse("<message type='chat' from='other@muc.x/bo'><body>hey</body>"
              "<x xmlns='http://jabber.org/protocol/muc#user'/></message>");
    assert_int_equal(marked->kind, MESSAGE_PRIVATE);
    assert_string_equal(marked->peer, "other@muc.x/bo");
    /* Our own, from our archive after a reconnect. */
    g_autoptr(Message) ours =
        parse_as("<message type='chat' from='me@x/n' to='room@muc.x/ann'>"
                 "<body>back</body>"
                 "<x xmlns='http://jabber.org/protocol/muc#user'/></message>",
                 MESSAGE_ARCHIVED, "a9");
    assert_int_equal(ours->kind, MESSAGE_PRIVATE);
    assert_int_equal(ours->direction, MESSAGE_OUT);
    assert_string_equal(ours->peer, "room@muc.x/ann");
    assert_string_equal(ours->stanza_id, "a9");
}

static void test_carbons_and_archive(void **state)
{
    g_autoptr(Message) sent = parse_as(
        "<message type='chat' from='me@x/phone' to='bob@x'><body>from my "
        "phone</body></message>",
        MESSAGE_CARBON_SENT, NULL);
    assert_int_equal(sent->direction, MESSAGE_OUT);
    assert_int_equal(sent->state, MESSAGE_SENT);
    assert_string_equal(sent->peer, "bob@x");
    assert_string_equal(sent->nick, "me");
    g_autoptr(Message) received = parse_as(
        "<message type='chat' from='bob@x/pc' to='me@x/phone'><body>to my "
        "phone</body></message>",
        MESSAGE_CARBON_RECEIVED, NULL);
    assert_int_equal(received->direction, MESSAGE_IN);
    assert_string_equal(received->peer, "bob@x");
    g_autoptr(Message) archived =
        parse_as("<message type='chat' from='bob@x/pc' to='me@x'>"
                 "<body>old</body><stanza-id xmlns='urn:xmpp:sid:0' "
                 "by='me@x' id='live-id'/></message>",
                 MESSAGE_ARCHIVED, "arch-1");
    assert_int_equal(archived->origin, MESSAGE_ARCHIVED);
    assert_string_equal(archived->stanza_id, "arch-1");
    g_autoptr(Message) own_archived = parse_as(
        "<message type='chat' from='me@x/n' to='bob@x'><body>mine</body>"
        "</message>",
        MESSAGE_ARCHIVED, "arch-2");
    assert_int_equal(own_archived->direction, MESSAGE_OUT);
    assert_string_equal(own_archived->peer, "bob@x");
}

static void test_amendments(void **state)
{
    g_autoptr(Message) correction = parse(
        "<message type='chat' from='bob@x/pc'><body>fixed</body>"
        "<replace xmlns='urn:xmpp:message-correct:0' id='m1'/></message>");
    assert_string_equal(correction->replaces_id, "m1");
    assert_string_equal(correction->body, "fixed");
    g_autoptr(Message) retraction = parse(
        "<message type='chat' from='bob@x/pc'><body>fallback</body>"
        "<retract xmlns='urn:xmpp:message-retract:1' id='m2'/></message>");
    assert_string_equal(retraction->retracts_id, "m2");
    assert_null(retraction->body); /* only the fallback text */
    g_autoptr(Message) fastened =
        parse("<message type='chat' from='bob@x/pc'>"
              "<apply-to xmlns='urn:xmpp:fasten:0' id='m3'>"
              "<retract xmlns='urn:xmpp:message-retract:0'/></apply-to>"
              "</message>");
    assert_string_equal(fastened->retracts_id, "m3");
    /* One sender's set: each emoji once; blanks and long texts dropped. */
    g_autoptr(Message) reactions =
        parse("<message type='chat' from='bob@x/pc'>"
              "<reactions xmlns='urn:xmpp:reactions:0' id='m4'>"
              "<reaction>\xF0\x9F\x91\x8D</reaction>"
              "<reaction>\xF0\x9F\x91\x8D</reaction>"
              "<reaction>two words</reaction><reaction></reaction>"
              "<reaction>\xE2\x9D\xA4</reaction>"
              "<reaction>0123456789012345678901234567890123</reaction>"
              "</reactions></message>");
    assert_string_equal(reactions->reactions_to, "m4");
    assert_string_equal(reactions->reactions, "\xF0\x9F\x91\x8D \xE2\x9D\xA4");
    g_autoptr(Message) none =
        parse("<message type='chat' from='bob@x/pc'>"
              "<reactions xmlns='urn:xmpp:reactions:0' id='m4'/></message>");
    assert_string_equal(none->reactions, "");
}

static void test_reply_and_fallback(void **state)
{
    g_autoptr(Message) m =
        parse("<message type='chat' from='bob@x/pc'>"
              "<body>&gt; Ann: lunch?\nyes, at one</body>"
              "<reply xmlns='urn:xmpp:reply:0' id='q1' to='ann@x'/>"
              "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'>"
              "<body start='0' end='14'/></fallback></message>");
    assert_string_equal(m->reply_to, "q1");
    assert_string_equal(m->reply_to_jid, "ann@x");
    assert_string_equal(m->body, "yes, at one");
    /* A range past the end keeps the whole text. */
    g_autoptr(Message) bad =
        parse("<message type='chat' from='bob@x/pc'><body>short</body>"
              "<reply xmlns='urn:xmpp:reply:0' id='q1'/>"
              "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'>"
              "<body start='0' end='900'/></fallback></message>");
    assert_string_equal(bad->body, "short");
}

static void test_acks_and_states(void **state)
{
    g_autoptr(Message) m =
        parse("<message from='bob@x/pc'>"
              "<received xmlns='urn:xmpp:receipts' id='r1'/>"
              "<displayed xmlns='urn:xmpp:chat-markers:0' id='r2'/>"
              "<composing xmlns='http://jabber.org/protocol/chatstates'/>"
              "</message>");
    assert_null(m->body);
    assert_false(message_has_content(m));
    assert_non_null(m->acks);
    assert_int_equal(m->acks->len, 2);
    const MessageAck *a = g_ptr_array_index(m->acks, 0);
    assert_string_equal(a->id, "r1");
    assert_int_equal(a->state, MESSAGE_DELIVERED);
    a = g_ptr_array_index(m->acks, 1);
    assert_string_equal(a->id, "r2");
    assert_int_equal(a->state, MESSAGE_READ);
    assert_int_equal(m->chat_state, CHAT_STATE_COMPOSING);
}

static void test_invitations(void **state)
{
    g_autoptr(Message) direct =
        parse("<message from='bob@x/pc'><x xmlns='jabber:x:conference' "
              "jid='Party@Muc.X' reason='cake' password='pw'/></message>");
    assert_non_null(direct->invite);
    assert_string_equal(direct->invite->room, "party@muc.x");
    assert_string_equal(direct->invite->inviter, "bob@x");
    assert_string_equal(direct->invite->reason, "cake");
    assert_string_equal(direct->invite->password, "pw");
    /* A room that mediates and adds the direct form: the real inviter. */
    g_autoptr(Message) mediated =
        parse("<message from='room@muc.x'><x "
              "xmlns='http://jabber.org/protocol/muc#user'><invite "
              "from='ann@x/pc'><reason>tea</reason></invite></x>"
              "<x xmlns='jabber:x:conference' jid='room@muc.x'/></message>");
    assert_string_equal(mediated->invite->room, "room@muc.x");
    assert_string_equal(mediated->invite->inviter, "ann@x/pc");
    assert_string_equal(mediated->invite->reason, "tea");
    /* An occupant cannot mediate. */
    g_autoptr(Message) occupant =
        parse("<message from='room@muc.x/ann'><x "
              "xmlns='http://jabber.org/protocol/muc#user'><invite/></x>"
              "</message>");
    assert_null(occupant->invite);
    g_autoptr(Message) bad_room =
        parse("<message from='bob@x'><x xmlns='jabber:x:conference' jid='@@'/>"
              "</message>");
    assert_null(bad_room->invite->room);
}

static void test_errors_headlines_and_files(void **state)
{
    g_autoptr(Message) error = parse(
        "<message type='error' from='bob@x' id='o5'><body>mine</body>"
        "<error type='cancel'><service-unavailable "
        "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
    assert_string_equal(error->error, "service-unavailable");
    assert_string_equal(error->peer, "bob@x");
    assert_string_equal(error->message_id, "o5");
    assert_null(error->body);
    g_autoptr(Message) headline =
        parse("<message type='headline' from='x'><body>maintenance</body>"
              "</message>");
    assert_int_equal(headline->kind, MESSAGE_HEADLINE);
    g_autoptr(Message) server =
        parse("<message><body>from the server</body></message>");
    assert_null(server->peer);
    /* An announcement's subject heads its body; alone, it is the body. */
    g_autoptr(Message) announced =
        parse("<message from='x'><subject> Maintenance </subject>"
              "<body>Back soon.</body></message>");
    assert_string_equal(announced->body, "Subject: Maintenance\nBack soon.");
    assert_null(announced->subject);
    g_autoptr(Message) only_subject =
        parse("<message type='chat' from='bob@x'><subject>Tea?</subject>"
              "</message>");
    assert_string_equal(only_subject->body, "Subject: Tea?");
    g_autoptr(Message) blank =
        parse("<message type='chat' from='bob@x'><subject> </subject><body>hi"
              "</body></message>");
    assert_string_equal(blank->body, "hi");
    g_autoptr(Message) file = parse(
        "<message type='chat' from='bob@x/pc'><body>https://u.x/a.png</body>"
        "<x xmlns='jabber:x:oob'><url>https://u.x/a.png</url></x>"
        "<x xmlns='jabber:x:oob'><url></url></x></message>");
    assert_non_null(file->attachments);
    assert_int_equal(file->attachments->len, 1);
    const MessageAttachment *a = g_ptr_array_index(file->attachments, 0);
    assert_string_equal(a->url, "https://u.x/a.png");
    assert_int_equal(a->size, -1);
}

static void test_hostile_input(void **state)
{
    MessageParseContext c = {.account = "work", .own_bare = "me@x"};
    static const char *const refused[] = {
        "<message type='chat' from='a@@b'><body>x</body></message>",
        "<message type='groupchat'><body>no sender</body></message>",
        "<message type='chat' from='me@x/n' to='@bad'><body>x</body>"
        "</message>",
    };
    for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
        xmpp_stanza_t *stanza = xmpp_stanza_new_from_string(ctx, refused[i]);
        c.origin = i == 2 ? MESSAGE_CARBON_SENT : MESSAGE_LIVE;
        g_autoptr(GError) error = NULL;
        Message *m = message_parse(stanza, &c, &error);
        xmpp_stanza_release(stanza);
        if (m)
            fail_msg("parsed: %s", refused[i]);
        assert_non_null(error);
    }
    /* Without the context's rooms, a room's occupant without the mark is
     * a chat with its bare address; empty ids are no ids. */
    xmpp_stanza_t *stanza = xmpp_stanza_new_from_string(
        ctx, "<message type='chat' from='room@muc.x/ann' id=''>"
             "<body>x</body><origin-id xmlns='urn:xmpp:sid:0' id=''/>"
             "<replace xmlns='urn:xmpp:message-correct:0'/></message>");
    c.origin = MESSAGE_LIVE;
    g_autoptr(Message) m = message_parse(stanza, &c, NULL);
    xmpp_stanza_release(stanza);
    assert_int_equal(m->kind, MESSAGE_CHAT);
    assert_string_equal(m->peer, "room@muc.x");
    assert_null(m->origin_id);
    assert_null(m->replaces_id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groupchat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_private_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_carbons_and_archive, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_amendments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_and_fallback, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_acks_and_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invitations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_headlines_and_files, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hostile_input, setup, teardown),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("message_parse", tests, NULL, NULL));
}
