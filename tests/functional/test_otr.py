#!/usr/bin/python3
# OTR (libotr) in one-to-one chats on the real server: two natters start
# a private session (version 3), talk both ways and end it; the same with
# python3-potr, an OTR implementation that shares no code with libotr
# (version 2; tests/bots/otr_bot.py), started from either side, with SMP;
# nothing is sent in the clear while the user wants the conversation
# private; a malformed OTR message gets a clear line and natter goes on.
import json
import os
import re

from natter_test import tap
from natter_test.bots import Bot

from fixtures import echo_bot, online_natter


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
        # Our own line says it went private too.
        a.expect_buffer(chat_a, r"\{otr undecided\} <[^>]+> first secret "
                        r"words$")
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
        # A reaction carries no text OTR could encrypt: it does not leave.
        a.send("/react \U0001F44D")
        a.expect_buffer(chat_a, r"!! Not sent: OTR carries only text: this "
                        r"would go to %s in the clear" % re.escape(b_jid))
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


# ---- interop with python3-potr ------------------------------------------


def potr_peer(p, natter_jid):
    """A fresh account with the potr bot logged in: (bot, jid, fingerprint
    without spaces)."""
    local, jid, password = tap.new_account(p, "potr")
    bot = Bot("otr_bot.py", Bot.connection_args(p, local, password),
              name="otr_bot(%s)" % local, commands=True)
    bot.start()
    # Printed before READY, which start() waited for.
    line, = bot.lines_matching(r"^FINGERPRINT [0-9A-Fa-f]{40}$")
    return bot, jid, line.split()[1].upper()


def natter_and_potr(p):
    n, local, jid = online_natter(p, "otrn")
    bot, bot_jid, bot_fp = potr_peer(p, jid)
    return n, local, jid, bot, bot_jid, bot_fp, "%s/%s" % (local, bot_jid)


def messages_both_ways(n, chat, jid, bot, bot_jid):
    bot.send_json({"send": jid, "body": "from potr, privately"})
    n.expect_buffer(chat, r"\{otr undecided\} <[^>]+> from potr, privately$")
    n.send("/msg %s" % bot_jid)
    n.send("from natter, privately")
    got = bot.expect_line(r"^(OTR_RECV|PLAIN_RECV) (\S+) (.*)$")
    assert got.group(1) == "OTR_RECV", got.group(0)
    assert json.loads(got.group(3)) == "from natter, privately"
    # Nothing but OTR crossed the server.
    raw = [body for _, body in bot.received()]
    assert raw and all(r.startswith("?OTR") for r in raw), raw


def test_potr_starts_the_session():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_jid, bot_fp, chat = natter_and_potr(p)
    with n, bot:
        bot.send_json({"start": jid})
        # natter has no key yet: it makes one, then answers.
        n.expect_buffer(local, r"-- OTR key of %s made" % re.escape(local),
                        timeout=30)
        n.expect_buffer(chat, r"-- OTR: the conversation with %s is "
                        r"private, not verified" % re.escape(bot_jid),
                        timeout=30)
        bot.expect_line(r"^STATE %s encrypted$" % re.escape(jid))
        messages_both_ways(n, chat, jid, bot, bot_jid)
        n.send("/otr fingerprint")
        fp = n.expect_buffer(chat, r"-- %s: ([0-9A-F ]{44}) \(not verified, "
                             r"in use\)" % re.escape(bot_jid)).group(1)
        assert fp.replace(" ", "") == bot_fp, (fp, bot_fp)
        # The key and fingerprints are the user's alone.
        for name in ("otr.private_key", "otr.fingerprints",
                     "otr.instance_tags"):
            mode = os.stat(os.path.join(n.data_dir, local, name)).st_mode
            assert mode & 0o777 == 0o600, (name, oct(mode))


def test_natter_starts_smp_and_the_peer_ends():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_jid, bot_fp, chat = natter_and_potr(p)
    with n, bot:
        n.send("/msg %s" % bot_jid)
        n.send("/otr start")
        n.expect_buffer(chat, r"-- OTR: the conversation with %s is "
                        r"private, not verified" % re.escape(bot_jid),
                        timeout=30)
        bot.expect_line(r"^STATE %s encrypted$" % re.escape(jid))
        messages_both_ways(n, chat, jid, bot, bot_jid)
        # SMP asked by natter: a wrong answer, then the right one.
        n.send("/otr question \"Where did we meet?\" Lisbon")
        asked = bot.expect_line(r"^SMP_ASKED \S+ (.*)$").group(1)
        assert json.loads(asked) == "Where did we meet?", asked
        bot.send_json({"answer": jid, "secret": "Porto"})
        # potr tells a failure by aborting.
        n.expect_buffer(chat, r"OTR: (verification of %s failed|%s stopped "
                        r"the verification)" % (re.escape(bot_jid),
                                                re.escape(bot_jid)))
        bot.expect_line(r"^SMP \S+ failed$")
        n.send("/otr question \"Where did we meet?\" Lisbon")
        bot.expect_line(r"^SMP_ASKED ")
        bot.send_json({"answer": jid, "secret": "Lisbon"})
        n.expect_buffer(chat, r"-- OTR: %s is verified" % re.escape(bot_jid))
        bot.expect_line(r"^SMP \S+ succeeded$")
        # SMP asked by potr, answered in natter.
        bot.send_json({"smp": jid, "secret": "blue whale"})
        n.expect_buffer(chat, r"-- OTR: %s wants to check that you share a "
                        r"secret" % re.escape(bot_jid))
        n.send("/otr secret blue whale")
        bot.expect_line(r"^SMP \S+ succeeded$")
        # The peer ends the session: nothing more leaves in the clear.
        bot.send_json({"end": jid})
        n.expect_buffer(chat, r"-- OTR: %s has ended the private session"
                        % re.escape(bot_jid))
        n.send("after the end")
        n.expect_buffer(chat, r"!! Not sent: %s has ended the OTR session"
                        % re.escape(bot_jid))
        n.send("/otr end")
        n.send("now in the clear")
        got = bot.expect_line(r"^(OTR_RECV|PLAIN_RECV) (\S+) (.*)$")
        assert got.group(1) == "PLAIN_RECV", got.group(0)
        assert json.loads(got.group(3)) == "now in the clear"
        assert not [b for _, b in bot.received() if "after the end" in b]
        # Nothing natter sent of the OTR exchange is in the server's
        # archive (no-store); the plain message after /otr end is.
        bot.send_json({"archive": True})
        bot.expect_line(r"^ARCHIVE_END$")
        ours = [json.loads(line.split(" ", 2)[2])
                for line in bot.lines_matching(r"^ARCHIVED %s/"
                                               % re.escape(jid))]
        assert ours == ["now in the clear"], ours
        # The verified fingerprint survives a restart.
        n.stop()
        n.start()
        n.expect_buffer(local, r"Connected as")
        n.send("/otr fingerprint %s" % bot_jid)
        n.expect(r"-- %s: [0-9A-F ]{44} \(verified\)$" % re.escape(bot_jid))


def test_policy_always_refuses_plain_text_and_asks_for_a_session():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_jid, bot_fp, chat = natter_and_potr(p)
    with n, bot:
        n.send("/set otr_policy always")
        n.send("/msg %s hello in the clear?" % bot_jid)
        n.expect_buffer(chat, r"!! Not sent: the conversation with %s is not "
                        r"private yet" % re.escape(bot_jid))
        n.expect_buffer(chat, r"-- OTR: the conversation with %s is "
                        r"private, not verified" % re.escape(bot_jid),
                        timeout=30)
        bot.expect_line(r"^STATE %s encrypted$" % re.escape(jid))
        n.send("now privately")
        got = bot.expect_line(r"^(OTR_RECV|PLAIN_RECV) (\S+) (.*)$")
        assert got.group(1) == "OTR_RECV", got.group(0)
        assert json.loads(got.group(3)) == "now privately"
        assert not [b for _, b in bot.received() if "clear?" in b]


def test_policy_of_one_contact_is_kept_and_applies_to_them_alone():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_jid, bot_fp, chat = natter_and_potr(p)
    echo, echo_jid = echo_bot(p)
    with n, bot, echo:
        n.send("/msg %s" % bot_jid)
        n.send("/otr policy")
        n.expect_buffer(chat, r"-- OTR policy for %s: manual \(the "
                        r"otr_policy setting\)$" % re.escape(bot_jid))
        n.send("/otr policy sometimes")
        n.expect_buffer(chat, r"!! 'sometimes' is not a policy")
        n.send("/otr policy always")
        n.expect_buffer(chat, r"-- OTR policy for %s: always$"
                        % re.escape(bot_jid))
        n.send("hello in the clear?")
        n.expect_buffer(chat, r"!! Not sent: the conversation with %s is not "
                        r"private yet" % re.escape(bot_jid))
        n.expect_buffer(chat, r"-- OTR: the conversation with %s is "
                        r"private" % re.escape(bot_jid), timeout=30)
        assert not [b for _, b in bot.received() if "clear?" in b]
        # Another contact still gets plain messages.
        n.send("/msg %s plain for you" % echo_jid)
        n.expect_buffer("%s/%s" % (local, echo_jid), r"<[^>]+> echo: plain "
                        r"for you$")
        path = os.path.join(n.data_dir, local, "otr.policies")
        assert os.stat(path).st_mode & 0o777 == 0o600
        # Kept across a restart.
        n.stop()
        n.start()
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s" % bot_jid)
        n.send("/otr policy")
        n.expect_buffer(chat, r"-- OTR policy for %s: always$"
                        % re.escape(bot_jid))
        n.send("/otr policy default")
        n.expect_buffer(chat, r"-- OTR policy for %s: manual \(the "
                        r"otr_policy setting\)$" % re.escape(bot_jid))


def test_policy_opportunistic_starts_a_session_from_a_plain_message():
    p = tap.shared_prosody()
    a, b, chat_a, chat_b, a_jid, b_jid = two_natters(p)
    with a, b:
        # Each natter has taken the setting before the first message: B's
        # could otherwise come after A's tagged message under load.
        for n in (a, b):
            n.send("/set otr_policy opportunistic")
            n.expect(r"\] -- otr_policy = opportunistic$")
        a.send("/msg %s hello, do you speak OTR?" % b_jid)
        # B reads it without OTR's whitespace tag, then both go private.
        line = b.expect_buffer(chat_b, r"<[^>]+> hello, do you speak "
                               r"OTR\?$").group(0)
        assert "{otr" not in line and "\t" not in line, line
        a.expect_buffer(chat_a, r"-- OTR: the conversation with %s is "
                        r"private" % re.escape(b_jid), timeout=30)
        b.expect_buffer(chat_b, r"-- OTR: the conversation with %s is "
                        r"private" % re.escape(a_jid), timeout=30)
        a.send("and now privately")
        b.expect_buffer(chat_b, r"\{otr undecided\} <[^>]+> and now "
                        r"privately$")


if __name__ == "__main__":
    tap.main(globals())
