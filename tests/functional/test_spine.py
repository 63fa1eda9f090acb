#!/usr/bin/python3
# The message-and-feature spine against the real server: what natter
# announces is the union of its features (a bookmarks "+notify" among
# them), so a bookmark another client of ours adds arrives live; rooms use
# the same message path as chats (a room message typed while out of the
# room is kept and sent after the rejoin; /me, /correct, /react, /reply
# and /retract work there with the ids the XEPs want; an occupant's
# corrections apply, another's are refused); a private message from a room
# stays private after an archive catch-up; a removed account leaves
# nothing behind.
import json
import re

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import online_natter
from test_muc import bot_join, bot_say, muc_bot, natter_join, room_jid
from test_tls import untrusted_account

NS_BOOKMARKS = "urn:xmpp:bookmarks:1"


def own_full_jid(n):
    return n.lines_matching(r"Connected as (\S+)[ .]")[-1].split()[-2] \
        .rstrip(".")


def disco_features(bot, to, iq_id):
    """The features TO announces, asked by BOT."""
    bot.send({"raw": "<iq type='get' id='%s' to='%s'><query xmlns='http://"
              "jabber.org/protocol/disco#info'/></iq>" % (iq_id, to)})
    bot.expect_line(r"^IQ %s result$" % iq_id)
    xml = json.loads(bot.expect_line(r"^IQXML %s (.*)$" % iq_id).group(1))
    return set(re.findall(r"<feature var=\"([^\"]+)\"", xml))


def test_caps_are_the_union_of_the_features():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "asker")
    with n, bot:
        full = own_full_jid(n)
        features = disco_features(bot, full, "d1")
        for needed in (NS_BOOKMARKS + "+notify",  # pushes of our bookmarks
                       "urn:xmpp:message-correct:0",
                       "urn:xmpp:message-retract:1",
                       "urn:xmpp:reactions:0", "urn:xmpp:reply:0",
                       "urn:xmpp:sid:0", "urn:xmpp:chat-markers:0",
                       "urn:xmpp:receipts", "jabber:x:conference",
                       "http://jabber.org/protocol/muc",
                       "http://jabber.org/protocol/caps",
                       "http://jabber.org/protocol/disco#info",
                       "urn:xmpp:ping"):
            assert needed in features, (needed, sorted(features))
        # A feature a privacy setting turns off is not announced.
        n.send("/set send_receipts off")
        n.expect(r"send_receipts = off")
        assert "urn:xmpp:receipts" not in disco_features(bot, full, "d2")


def publish_bookmark(bot, room, name, iq_id):
    bot.send({"raw": "<iq type='set' id='%s'><pubsub xmlns='http://jabber."
              "org/protocol/pubsub'><publish node='%s'><item id='%s'>"
              "<conference xmlns='%s' name='%s' autojoin='false'/></item>"
              "</publish><publish-options><x xmlns='jabber:x:data' "
              "type='submit'><field var='FORM_TYPE' type='hidden'><value>"
              "http://jabber.org/protocol/pubsub#publish-options</value>"
              "</field><field var='pubsub#persist_items'><value>true</value>"
              "</field><field var='pubsub#access_model'><value>whitelist"
              "</value></field></x></publish-options></pubsub></iq>"
              % (iq_id, NS_BOOKMARKS, room, NS_BOOKMARKS, name)})
    bot.expect_line(r"^IQ %s result$" % iq_id)


def bookmark_count(n, local):
    """/bookmark list's count, or None while they are being fetched."""
    n.send("/bookmark list")
    m = n.expect(r"(?:-- %s: (\d+) bookmarks?|!! the bookmarks of %s "
                 r"are still on their way)" % (re.escape(local),
                                               re.escape(local)))
    return int(m.group(1)) if m.group(1) else None


def test_a_bookmark_added_by_another_client_arrives_live():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "marks")
    room = room_jid(p, "marked")
    with Headless(["-a", local],
                  accounts={local: account_settings(p, local, pw)}) as n, \
            Bot.sender(p, local, pw, commands=True) as phone:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
        # The list comes from the server a moment after the login.
        util.wait_until(lambda: bookmark_count(n, local) == 0, 10,
                        "the bookmarks fetched")
        # Our other client (same account) adds one; natter is told at once
        # because its caps ask for the node's notifications.
        publish_bookmark(phone, room, "Live one", "pub1")

        util.wait_until(lambda: bookmark_count(n, local) == 1, 10,
                        "the new bookmark in /bookmark list")
        n.expect(r"--   %s" % re.escape(room))
        # Still the first login: nothing was fetched again.
        assert len(n.lines_matching(r"Connected as ")) == 1


def test_room_message_typed_while_out_is_sent_after_the_rejoin():
    p = tap.shared_prosody()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "witness")
    with n, bot:
        buf = natter_join(n, local, room)
        bot_join(bot, room, "witness")
        n.expect_buffer(buf, r"-- witness joined\.$")
        n.send("/disconnect")
        n.expect_buffer(local, r"-- Disconnected\.$")
        n.send("said while away")
        n.expect_buffer(buf, r"<%s> said while away$" % re.escape(local))
        n.expect_buffer(buf, r"-- %s is not online: the message is kept"
                        % re.escape(local))
        n.send("/connect %s" % local)
        n.expect_buffer(buf, r"-- You joined %s" % re.escape(room))
        m = bot.expect_line(r"^RECV (\S+) \"said while away\"$")
        assert m.group(1) == "%s/%s" % (room, local), m.group(1)
        n.expect_buffer(buf, r"-- Sent 1 message typed while offline\.$")
        n.expect_buffer(buf, r"\(delivered\) <%s> said while away$"
                        % re.escape(local))
        # Once: the reflection is not a second line, nothing is resent.
        assert len(n.lines_matching(r"^\[%s\] <%s> said while away$"
                                    % (re.escape(buf), re.escape(local)))) == 1


def test_amendments_in_a_room():
    p = tap.shared_prosody()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "ann")
    other, other_jid = muc_bot(p, "eve")
    with n, bot, other:
        buf = natter_join(n, local, room)
        bot_join(bot, room, "ann")
        bot_join(other, room, "eve")
        n.expect_buffer(buf, r"-- eve joined\.$")
        # Ours, corrected: XEP-0308 points at the message's own id.
        n.send("helo all")
        n.expect_buffer(buf, r"\(delivered\) <%s> helo all$"
                        % re.escape(local))
        sent = bot.expect_line(r"^IDS %s/%s (\S+) - -$"
                               % (re.escape(room), re.escape(local)))
        n.send("/correct hello all")
        bot.expect_line(r"^RECV %s/%s \"hello all\"$"
                        % (re.escape(room), re.escape(local)))
        bot.expect_line(r"^IDS \S+ \S+ %s -$" % re.escape(sent.group(1)))
        n.expect_buffer(buf, r"\(delivered, edited\) <%s> hello all$"
                        % re.escape(local))
        n.send("/me waves")
        bot.expect_line(r"^RECV \S+ \"/me waves\"$")
        # Theirs: replies and reactions name the room's stanza-id.
        bot_say(bot, room, "lunch?")
        n.expect_buffer(buf, r"<ann> lunch\?$")
        n.send("/react \U0001F44D")
        react = bot.expect_line(r"^REACTIONS %s/%s (\S+) "
                                % (re.escape(room), re.escape(local)))
        n.send("/reply yes")
        reply = bot.expect_line(r"^IDS %s/%s \S+ - (\S+)$"
                                % (re.escape(room), re.escape(local)))
        assert reply.group(1) == react.group(1), (reply.group(1),
                                                  react.group(1))
        assert reply.group(1) != sent.group(1)
        n.expect_buffer(buf, r"\U0001F44D")
        # Our retraction of ours (the reply, once the room has it): the
        # room's id of it, not ours.
        n.expect_buffer(buf, r"\(delivered\) <%s> yes$" % re.escape(local))
        n.send("/retract")
        retract = bot.expect_line(r"^RETRACT %s/%s (\S+)$"
                                  % (re.escape(room), re.escape(local)))
        assert retract.group(1) not in (sent.group(1), "-")
        # Another occupant cannot change ann's message.
        ann_id = "ann-1"
        bot.send({"raw": "<message to='%s' type='groupchat' id='%s'><body>"
                  "the plan</body></message>" % (room, ann_id)})
        n.expect_buffer(buf, r"<ann> the plan$")
        other.send({"raw": "<message to='%s' type='groupchat'><body>forged"
                    "</body><replace xmlns='urn:xmpp:message-correct:0' "
                    "id='%s'/></message>" % (room, ann_id)})
        n.expect_buffer(buf, r"!! Ignored a correction from %s/eve"
                        % re.escape(room))
        # ann herself may.
        bot.send({"raw": "<message to='%s' type='groupchat'><body>the new "
                  "plan</body><replace xmlns='urn:xmpp:message-correct:0' "
                  "id='%s'/></message>" % (room, ann_id)})
        n.expect_buffer(buf, r"\(received, edited\) <ann> the new plan$")
        assert not n.lines_matching(r"forged")
        # Another's retraction of it is refused, hers is applied.
        other.send({"raw": "<message to='%s' type='groupchat'><retract "
                    "xmlns='urn:xmpp:message-retract:1' id='%s'/></message>"
                    % (room, ann_id)})
        n.expect_buffer(buf, r"!! Ignored a retraction from %s/eve"
                        % re.escape(room))
        bot.send({"raw": "<message to='%s' type='groupchat' id='ann-2'>"
                  "<body>the agenda</body></message>" % room})
        n.expect_buffer(buf, r"<ann> the agenda$")
        bot.send({"raw": "<message to='%s' type='groupchat'><retract "
                  "xmlns='urn:xmpp:message-retract:1' id='%s'/></message>"
                  % (room, ann_id)})
        n.expect_buffer(buf, r"\(retracted\) <ann> $")
        # ann leaves; eve takes her nick: what ann wrote is not eve's.
        bot.send({"raw": "<presence type='unavailable' to='%s/ann'/>" % room})
        n.expect_buffer(buf, r"-- ann left\.$")
        other.send({"raw": "<presence to='%s/ann'/>" % room})
        n.expect_buffer(buf, r"-- eve is now known as ann\.$")
        other.send({"raw": "<message to='%s' type='groupchat'><body>not "
                    "hers</body><replace xmlns='urn:xmpp:message-correct:0' "
                    "id='ann-2'/></message>" % room})
        n.expect_buffer(buf, r"!! Ignored a correction from %s/ann"
                        % re.escape(room))
        assert not n.lines_matching(r"not hers")
        # Our reaction, reflected by the room, is still ours: counted once.
        assert n.lines_matching(r"reactions: \U0001F44D\) <ann> lunch")
        assert not n.lines_matching(r"reactions: \U0001F44D 2")


def test_a_private_message_stays_private_after_a_reconnect():
    p = tap.shared_prosody()
    room = room_jid(p, "lounge")
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "pm")
    with n, bot:
        buf = natter_join(n, local, room)
        bot_join(bot, room, "whisperer")
        bot.send({"raw": "<message to='%s/%s' type='chat'><body>just "
                  "between us</body><x xmlns='http://jabber.org/protocol/"
                  "muc#user'/></message>" % (room, local)})
        private = "%s/%s/whisperer" % (local, room)
        n.expect_buffer(private, r"<whisperer> just between us$")
        n.send("/msg whisperer sure")
        bot.expect_line(r"^RECV %s/%s \"sure\"$"
                        % (re.escape(room), re.escape(local)))
        n.send("/disconnect")
        n.expect_buffer(local, r"-- Disconnected\.$")
        n.send("/connect %s" % local)
        # The archive catch-up starts before the rooms are joined again
        # (xmpp/feature.c): its results come before the join's answer.
        n.expect_buffer(buf, r"-- You joined %s" % re.escape(room), 20)
        bot_say(bot, room, "marker after the catch-up")
        n.expect_buffer(buf, r"<whisperer> marker after the catch-up$")
        # Nothing of the private chat in the room's window, in any form.
        assert not n.lines_matching(r"^\[%s\] .*(just between us|sure)"
                                    % re.escape(buf)), \
            n.lines_matching(r"just between us|sure")
        # Nor in what natter stored: the room's window opens after a
        # restart with its history, the private chat's with its own.
        n.stop()
        n.start()
        n.expect_buffer(local, r"Connected as")
        n.send("/join %s" % room)
        n.expect_buffer(buf, r"\(history\) <whisperer> marker after")
        n.send("/msg whisperer")
        n.expect_buffer(private, r"\(history\) <whisperer> just between "
                        r"us$")
        assert not n.lines_matching(r"^\[%s\] .*(just between us|sure)"
                                    % re.escape(buf))


def test_a_removed_account_leaves_nothing_behind():
    p = tap.shared_prosody()
    local, jid, accounts = untrusted_account(p, "gone")
    other_local, other_jid, other_pw = tap.new_account(p, "newcomer")
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"-- Trust this certificate\? /tls allow")
        n.send("/account remove %s" % local)
        n.expect(r"-- Account %s removed\.$" % re.escape(local))
        # The same name, another address, no password.
        n.send("/account add %s" % local)
        n.send("/account set %s jid %s" % (local, other_jid))
        n.send("/tls allow %s" % local)
        n.expect(r"!! account '%s' has no certificate question open"
                 % re.escape(local))
        n.send("/quit")
        assert n.wait_exit(10) == 0
    # The removed account's address never logged in, nor did the new one
    # with the old one's password.
    assert not p.log_lines_matching(r"Authenticated as %s" % re.escape(jid))
    assert not p.log_lines_matching(r"Authenticated as %s"
                                    % re.escape(other_jid))


if __name__ == "__main__":
    tap.main(globals())
