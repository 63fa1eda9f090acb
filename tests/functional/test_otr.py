#!/usr/bin/python3
# OTR (version 3, libotr) in one-to-one chats on the real server: two
# natters start a private session, talk both ways and end it; nothing is
# sent in the clear while the user wants the conversation private; a
# malformed OTR message gets a clear line and natter goes on.
import re

from natter_test import tap
from natter_test.bots import Bot

from fixtures import online_natter


def two_natters(p):
    """Two natters, A and B: (a, b, chat_a, chat_b, a_jid, b_jid), both
    entered."""
    a, a_local, a_jid = online_natter(p, "otra")
    b, b_local, b_jid = online_natter(p, "otrb")
    return a, b, "%s/%s" % (a_local, b_jid), "%s/%s" % (b_local, a_jid), \
        a_jid, b_jid


def start_private(a, b, chat_a, chat_b, a_jid, b_jid):
    """A starts a private OTR session with B, neither having a key yet."""
    a_local = chat_a.split("/")[0]
    a.send("/msg %s" % b_jid)
    a.send("/otr start")
    a.expect_buffer(chat_a, r"-- OTR: %s will be asked once your key is made"
                    % re.escape(b_jid))
    # Typed before the session is private: refused, never sent in the clear.
    a.send("too early")
    a.expect_buffer(chat_a, r"!! Not sent: the conversation with %s is not "
                    r"private yet" % re.escape(b_jid))
    a.expect_buffer(a_local, r"-- OTR key of %s made: [0-9A-F ]{44}$"
                    % re.escape(a_local), timeout=30)
    a.expect_buffer(chat_a, r"-- OTR: the conversation with %s is private, "
                    r"not verified" % re.escape(b_jid), timeout=30)
    b.expect_buffer(chat_b, r"-- OTR: the conversation with %s is private, "
                    r"not verified" % re.escape(a_jid), timeout=30)


def test_natter_to_natter_session_both_ways_and_end():
    p = tap.shared_prosody()
    a, b, chat_a, chat_b, a_jid, b_jid = two_natters(p)
    with a, b:
        start_private(a, b, chat_a, chat_b, a_jid, b_jid)
        a.send("first secret words")
        b.expect_buffer(chat_b, r"\{otr undecided\} <[^>]+> first secret "
                        r"words$")
        b.send("/msg %s" % a_jid)
        b.send("and back again")
        a.expect_buffer(chat_a, r"\{otr undecided\} <[^>]+> and back again$")
        # The too-early message never reached B, neither did any OTR
        # protocol message show as text.
        assert not b.lines_matching(r"too early"), b.transcript()
        assert not b.lines_matching(r"\?OTR"), b.transcript()
        assert not a.lines_matching(r"<[^>]+> \?OTR"), a.transcript()
        # Fingerprints: A sees its own and B's, the same B shows as its own.
        a.send("/otr fingerprint")
        fa = a.expect_buffer(chat_a, r"-- %s: ([0-9A-F ]{44}) \(not verified,"
                             r" in use\)" % re.escape(b_jid)).group(1)
        b.send("/otr fingerprint")
        fb = b.expect_buffer(chat_b, r"-- Your OTR fingerprint \(\S+\): "
                             r"([0-9A-F ]{44})$").group(1)
        assert fa == fb, (fa, fb)
        # A ends the session: B is told and refuses to send in the clear.
        a.send("/otr end")
        a.expect_buffer(chat_a, r"-- OTR session with %s ended"
                        % re.escape(b_jid))
        b.expect_buffer(chat_b, r"-- OTR: %s has ended the private session"
                        % re.escape(a_jid))
        b.send("still private?")
        b.expect_buffer(chat_b, r"!! Not sent: %s has ended the OTR session"
                        % re.escape(a_jid))
        b.send("/otr end")
        b.expect_buffer(chat_b, r"-- OTR session with %s ended"
                        % re.escape(a_jid))
        b.send("in the clear now")
        line = a.expect_buffer(chat_a, r"<[^>]+> in the clear now$").group(0)
        assert "{otr" not in line, line
        assert not a.lines_matching(r"still private\?"), a.transcript()


def test_trust_and_smp_between_natters():
    p = tap.shared_prosody()
    a, b, chat_a, chat_b, a_jid, b_jid = two_natters(p)
    with a, b:
        start_private(a, b, chat_a, chat_b, a_jid, b_jid)
        # A wrong answer fails on both sides.
        a.send("/otr question \"Where did we meet?\" Lisbon")
        b.expect_buffer(chat_b, r"-- OTR: %s asks you: Where did we meet\?"
                        % re.escape(a_jid))
        b.send("/msg %s" % a_jid)
        b.send("/otr secret Porto")
        a.expect_buffer(chat_a, r"!! OTR: verification of %s failed"
                        % re.escape(b_jid))
        # The right one verifies B for A.
        a.send("/otr question \"Where did we meet?\" Lisbon")
        b.expect_buffer(chat_b, r"-- OTR: %s asks you: Where did we meet\?"
                        % re.escape(a_jid))
        b.send("/otr secret Lisbon")
        a.expect_buffer(chat_a, r"-- OTR: %s is verified" % re.escape(b_jid))
        a.send("/otr fingerprint")
        a.expect_buffer(chat_a, r"-- %s: [0-9A-F ]{44} \(verified, in use\)"
                        % re.escape(b_jid))
        b.send("now you know")
        a.expect_buffer(chat_a, r"\{otr verified\} <[^>]+> now you know$")
        # B trusts A by hand, and takes it back.
        b.send("/otr trust")
        b.expect_buffer(chat_b, r"-- OTR: the fingerprint of %s, [0-9A-F ]+, "
                        r"is verified" % re.escape(a_jid))
        b.send("/otr distrust")
        b.expect_buffer(chat_b, r"is no longer verified")


def test_malformed_otr_message_is_reported_and_natter_goes_on():
    p = tap.shared_prosody()
    a, b, chat_a, chat_b, a_jid, b_jid = two_natters(p)
    s_local, s_jid, s_pw = tap.new_account(p, "forger")
    with a, b:
        start_private(a, b, chat_a, chat_b, a_jid, b_jid)
        # Broken OTR data from a third party, and from B's address.
        with Bot.sender(p, s_local, s_pw, to=a_jid, count=1,
                        text="?OTR:AAMD!!!not base64 at all.") as sender:
            sender.expect_line(r"^DONE$")
        chat_s = "%s/%s" % (chat_a.split("/")[0], s_jid)
        a.expect_buffer(chat_s, r"!! OTR: ")
        assert not a.lines_matching(r"<[^>]+> \?OTR"), a.transcript()
        # The private session is untouched.
        b.send("/msg %s" % a_jid)
        b.send("still here")
        a.expect_buffer(chat_a, r"\{otr undecided\} <[^>]+> still here$")


def test_otr_outside_a_chat_says_why():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/otr start")
        n.expect(r"!! OTR is for one-to-one chats")
        n.send("/otr nonsense")
        n.expect(r"!! usage: /otr start")
        n.send("/otr fingerprint")
        n.expect(r"-- Your OTR fingerprint \(%s\): none yet" % re.escape(local))


if __name__ == "__main__":
    tap.main(globals())
