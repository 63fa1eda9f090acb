#!/usr/bin/python3
# OMEMO:2 (urn:xmpp:omemo:2) against an implementation that shares no code
# with natter's libomemo-c: python-omemo with its twomemo backend
# (tests/bots/omemo_bot.py --omemo2), both ways, each side starting the key
# exchange once; the XEP-0420 envelope it makes read by natter and ours by
# it. A malformed OMEMO:2 message, and one whose envelope names another
# sender, are said as such and natter goes on. A contact with an OMEMO:2
# device and a device that only speaks 0.3 gets both versions in one
# message, each device its own. natter to natter over OMEMO:2 and the
# 0.3-only peer getting 0.3 are in test_omemo.py.
import json
import re

from natter_test import tap
from natter_test.bots import Bot

from test_omemo import (OMEMO2_LINE, OMEMO_LINE, devices_published,
                        omemo_bot, omemo_natter, own_device)
from natter_test.headless import Headless, account_settings


def omemo2_bot(p, prefix="twomemo"):
    """The python-omemo OMEMO:2 peer, started: (bot, jid, device id)."""
    local, jid, password = tap.new_account(p, prefix)
    bot = Bot("omemo_bot.py",
              Bot.connection_args(p, local, password) + ["--omemo2"],
              name="omemo2_bot(%s)" % local, commands=True)
    bot.start(timeout=30)
    device = bot.lines_matching(r"^DEVICE \d+$")[0].split()[1]
    bot.fingerprint = bot.lines_matching(r"^FINGERPRINT ")[0].split(" ", 1)[1]
    return bot, jid, device


def expect_decrypted(bot, jid, text):
    frm, body = bot.expect_line(r"^(?:DECRYPTED|UNDECRYPTABLE) (\S+) (.*)$",
                                timeout=20).groups()
    assert frm == jid and json.loads(body) == text, body


@tap.both_servers
def test_python_twomemo_starts_and_natter_answers():
    p = tap.shared_server()
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid, bot_dev = omemo2_bot(p)
    with n, bot:
        chat = "%s/%s" % (local, bot_jid)
        # The peer's key exchange first, then a message of the session.
        for text in ("hello over OMEMO:2", "and <a second> & one"):
            bot.send_json({"to": jid, "body": text})
            bot.expect_line(r"^ENCRYPTED %s 1$" % re.escape(jid), timeout=20)
            n.expect_buffer(chat, OMEMO2_LINE % (re.escape(bot_jid),
                                                 re.escape(text)))
        n.send("/msg %s" % bot_jid)
        n.send("/omemo on")
        n.expect_buffer(chat, r"OMEMO: %s has 1 device, 1 with a session "
                        r"\(OMEMO:2\)$" % re.escape(bot_jid))
        for text in ("natter answers", "über <xml> & more"):
            n.send(text)
            expect_decrypted(bot, jid, text)
        n.expect_buffer(chat, r"\(sent\) \{omemo2 trusted\} <%s> über "
                        % re.escape(local))
        # The peer's device, with the fingerprint python-omemo shows for
        # its own key: what a user compares.
        n.send("/omemo fingerprints %s" % bot_jid)
        n.expect_buffer(chat, r"%s device %s: %s, trusted blindly "
                        r"\(not verified\) \(OMEMO:2\)$"
                        % (re.escape(bot_jid), bot_dev,
                           re.escape(bot.fingerprint)))
        assert not n.lines_matching(r"could not be decrypted"), \
            n.transcript()


@tap.both_servers
def test_natter_starts_with_python_twomemo():
    p = tap.shared_server()
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid, bot_dev = omemo2_bot(p)
    with n, bot:
        chat = "%s/%s" % (local, bot_jid)
        # natter builds the session from the peer's OMEMO:2 bundle.
        n.send("/msg %s" % bot_jid)
        n.send("/omemo on")
        n.expect_buffer(chat, r"OMEMO: %s has 1 device, 1 with a session "
                        r"\(OMEMO:2\)$" % re.escape(bot_jid))
        for text in ("natter speaks first", "natter again"):
            n.send(text)
            expect_decrypted(bot, jid, text)
        bot.send_json({"to": jid, "body": "twomemo answers"})
        n.expect_buffer(chat, OMEMO2_LINE % (re.escape(bot_jid),
                                             "twomemo answers"), timeout=20)
        # Nothing undecryptable on either side: empty key exchanges and
        # heartbeats are taken silently.
        assert not n.lines_matching(r"could not be decrypted"), \
            n.transcript()
        assert not bot.lines_matching(r"^UNDECRYPTABLE")


@tap.both_servers
def test_contact_with_an_omemo2_and_an_old_device_gets_both():
    p = tap.shared_server()
    a, a_local, a_jid = omemo_natter(p, "alice")
    # Bob: natter (OMEMO:2 and 0.3) first, then python-omemo with 0.3
    # only on the same account, which adds itself to Bob's 0.3 list.
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    b = Headless(["-a", b_local],
                 accounts={b_local: account_settings(p, b_local, b_pw)})
    with a, b:
        devices_published(b, b_local)
        bot = Bot("omemo_bot.py", Bot.connection_args(p, b_local, b_pw,
                                                      resource="old"),
                  name="omemo_bot(%s/old)" % b_local, commands=True)
        bot.start(timeout=30)
        with bot:
            a_chat = "%s/%s" % (a_local, b_jid)
            a.send("/msg %s" % b_jid)
            a.send("/omemo on")
            a.expect_buffer(a_chat, r"OMEMO: %s has 1 device, 1 with a "
                            r"session \(OMEMO:2\), and 1 with 0\.3 only$"
                            % re.escape(b_jid))
            a.send("to both of bob's devices")
            b.expect_buffer("%s/%s" % (b_local, a_jid),
                            OMEMO2_LINE % (re.escape(a_jid),
                                           "to both of bob's devices"))
            expect_decrypted(bot, a_jid, "to both of bob's devices")
            # The old device answers with 0.3: read too.
            bot.send_json({"to": a_jid, "body": "from the old phone"})
            a.expect_buffer(a_chat, OMEMO_LINE % (re.escape(b_jid),
                                                  "from the old phone"))
            assert not a.lines_matching(r"could not be decrypted"), \
                a.transcript()
            assert not b.lines_matching(r"could not be decrypted"), \
                b.transcript()


@tap.both_servers
def test_malformed_omemo2_is_reported_and_natter_goes_on():
    p = tap.shared_server()
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid, bot_dev = omemo2_bot(p, "mallory")
    with n, bot:
        chat = "%s/%s" % (local, bot_jid)
        dev = own_device(n, local).group(1)
        ns = "urn:xmpp:omemo:2"
        for raw, why in (
                ("<encrypted xmlns='%s'/>" % ns,
                 r"it has no valid header \(sid\)"),
                ("<encrypted xmlns='%s'><header sid='12'><keys jid='%s'>"
                 "<key rid='1'>AAAA</key></keys></header><payload>AAAA"
                 "</payload></encrypted>" % (ns, jid),
                 r"it was not encrypted for this device \(%s\)" % dev),
                ("<encrypted xmlns='%s'><header sid='12'><keys jid='%s'>"
                 "<key rid='%s' kex='true'>bm90IGEga2V5</key></keys>"
                 "</header><payload>AAAA</payload></encrypted>"
                 % (ns, jid, dev),
                 r"its key could not be decrypted")):
            bot.send_json({"raw": "<message to='%s' type='chat'><body>"
                                  "fallback</body>%s</message>" % (jid, raw)})
            n.expect_buffer(chat, r"<%s> \[an OMEMO:2 message that could not "
                            r"be decrypted: %s" % (re.escape(bot_jid), why))
        # Well encrypted, but its envelope says another wrote it.
        bot.send_json({"to": jid, "body": "I am the boss",
                       "from": "boss@example.org"})
        n.expect_buffer(chat, r"<%s> \[an OMEMO:2 message that could not be "
                        r"decrypted: its envelope says it is from "
                        r"boss@example\.org, not %s\]$"
                        % (re.escape(bot_jid), re.escape(bot_jid)))
        assert not n.lines_matching(r"I am the boss")
        # And natter goes on: the next one is read.
        bot.send_json({"to": jid, "body": "still here"})
        n.expect_buffer(chat, OMEMO2_LINE % (re.escape(bot_jid),
                                             "still here"))
        n.check_no_crash()


if __name__ == "__main__":
    tap.main(globals())
