#!/usr/bin/python3
# What natter tells people who may not see its presence (strangers: not
# subscribed to it): nothing. No delivery receipt, no read marker, and no
# answer about us (last activity, software version, time) even with our
# full address in hand; a contact subscribed to our presence still gets
# them all, and answer_strangers on gives them to anyone.
import re

from natter_test import tap
from natter_test.bots import Bot

from fixtures import online_natter


def own_full_jid(n):
    return n.lines_matching(r"Connected as (\S+) ")[-1].split()[-2]


def ask_about(bot, full, iq_id):
    """BOT asks FULL its last activity, version and time; the answers'
    types, in that order."""
    answers = []
    for i, (name, ns) in enumerate([("query", "jabber:iq:last"),
                                    ("query", "jabber:iq:version"),
                                    ("time", "urn:xmpp:time")]):
        qid = "%s-%d" % (iq_id, i)
        bot.send({"raw": "<iq type='get' id='%s' to='%s'><%s xmlns='%s'/>"
                  "</iq>" % (qid, full, name, ns)})
        answers.append(bot.expect_line(r"^IQ %s (\S+)$" % qid).group(1))
    return answers


def markable(bot, to, msg_id, text):
    bot.send({"raw": "<message type='chat' to='%s' id='%s'><body>%s</body>"
              "<request xmlns='urn:xmpp:receipts'/>"
              "<markable xmlns='urn:xmpp:chat-markers:0'/></message>"
              % (to, msg_id, text)})


def test_strangers_learn_nothing_contacts_everything():
    p = tap.shared_prosody()
    f_local, f_jid, f_pw = tap.new_account(p, "friend")
    s_local, s_jid, s_pw = tap.new_account(p, "stranger")
    n, local, jid = online_natter(p, contacts=[f_local])
    with n, Bot.sender(p, f_local, f_pw, commands=True,
                       extra_args=["--receipts"]) as friend, \
            Bot.sender(p, s_local, s_pw, commands=True,
                       extra_args=["--receipts"]) as stranger:
        full = own_full_jid(n)
        # Both write; natter shows both, with the chat of each on screen.
        markable(stranger, full, "s1", "hello, who are you?")
        n.expect_buffer("%s/%s" % (local, s_jid), r"who are you\?$")
        n.send("/msg %s seen" % s_jid)
        markable(friend, full, "f1", "lunch?")
        n.expect_buffer("%s/%s" % (local, f_jid), r"lunch\?$")
        n.send("/msg %s yes" % f_jid)
        friend.expect_line(r"^RECEIPT %s \S+$" % re.escape(full))
        friend.expect_line(r"^MARKER %s displayed f1$" % re.escape(full))
        friend.expect_line(r'^RECV %s "yes"$' % re.escape(full))
        assert ask_about(friend, full, "f") == ["result"] * 3
        # The stranger got our answer only (it was typed), nothing about us.
        stranger.expect_line(r'^RECV %s "seen"$' % re.escape(full))
        assert ask_about(stranger, full, "s") == ["error"] * 3
        assert not stranger.lines_matching(r"^(RECEIPT|MARKER) ")

        # Asked for: strangers are answered too.
        n.send("/set answer_strangers on")
        n.expect(r"answer_strangers = on")
        markable(stranger, full, "s2", "and now?")
        stranger.expect_line(r"^RECEIPT %s \S+$" % re.escape(full))
        assert ask_about(stranger, full, "t") == ["result"] * 3


if __name__ == "__main__":
    tap.main(globals())
