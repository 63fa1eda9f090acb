#!/usr/bin/python3
# OMEMO in one-to-one chats on the real server: natter to natter both
# ways (key exchange, then later messages; OMEMO:2, which both announce),
# interop with python-omemo/oldmemo (OMEMO 0.3 only, an implementation
# that shares no code with libomemo-c) both ways, refusal to send in the
# clear, and a malformed <encrypted/> shown as such. On Prosody and
# ejabberd. OMEMO:2 against python-omemo/twomemo is in test_omemo2.py.
import json
import re

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import natter_as, online_natter

# A line that came with OMEMO 0.3, and one with OMEMO:2.
OMEMO_LINE = r"\{omemo (trusted|verified|undecided)\} <%s> %s$"
OMEMO2_LINE = r"\{omemo2 (trusted|verified|undecided)\} <%s> %s$"


def devices_published(n, local):
    """Waits for natter to be in both of its account's device lists."""
    for version in ("OMEMO", "OMEMO:2"):
        n.expect_buffer(local, r"%s: this device \(\d+\) is in our device "
                        r"list$" % version)


def omemo_natter(p, prefix):
    """A headless natter whose new OMEMO device is published."""
    n, local, jid = online_natter(p, prefix)
    devices_published(n, local)
    return n, local, jid


def own_device(n, local):
    n.send("/omemo fingerprints")
    return n.expect_buffer(local, r"-- this device \((\d+)\): ([0-9a-f ]+)$")


def test_version_names_omemo():
    import subprocess
    from natter_test.headless import natter_path
    out = subprocess.run([natter_path(), "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert re.search(r"^features: .*\bomemo-0\.3 omemo-2\b", out, re.M), out


@tap.both_servers
def test_natter_to_natter_both_ways():
    p = tap.shared_server()
    a, a_local, a_jid = omemo_natter(p, "alice")
    b, b_local, b_jid = omemo_natter(p, "bob")
    with a, b:
        a_dev = own_device(a, a_local).group(1)
        b_dev = own_device(b, b_local).group(1)
        a.send("/msg %s" % b_jid)
        a.send("/omemo on")
        a_chat = "%s/%s" % (a_local, b_jid)
        # Both announce OMEMO:2: that is what they speak.
        a.expect_buffer(a_chat, r"OMEMO: %s has 1 device, 1 with a session "
                        r"\(OMEMO:2\)$" % re.escape(b_jid))
        a.send("first secret")
        b_chat = "%s/%s" % (b_local, a_jid)
        b.expect_buffer(b_chat, OMEMO2_LINE % (re.escape(a_jid),
                                               "first secret"))
        a.expect_buffer(a_chat, r"\{omemo2 trusted\} <%s> first secret$"
                        % re.escape(a_local))
        a.send("second secret")
        b.expect_buffer(b_chat, OMEMO2_LINE % (re.escape(a_jid),
                                               "second secret"))
        # Bob answers encrypted: his session came from Alice's key exchange.
        b.send("/msg %s" % a_jid)
        b.send("/omemo on")
        b.send("the answer")
        a.expect_buffer(a_chat, OMEMO2_LINE % (re.escape(b_jid),
                                               "the answer"))
        # Each side knows the other's device and fingerprint.
        b.send("/omemo fingerprints %s" % a_jid)
        b.expect_buffer(b_chat, r"%s device %s: [0-9a-f ]+, trusted blindly "
                        r"\(not verified\) \(OMEMO:2 and 0\.3\)$"
                        % (re.escape(a_jid), a_dev))
        a.send("/omemo fingerprints %s" % b_jid)
        a.expect_buffer(a_chat, r"%s device %s: [0-9a-f ]+, trusted blindly"
                        % (re.escape(b_jid), b_dev))
        # Nothing was readable on the way: the server stored ciphertext.
        assert not [l for l in b.lines_matching(r"first secret")
                    if "omemo" not in l], b.transcript()


@tap.both_servers
def test_no_device_refuses_and_sends_nothing():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "plain")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as bot:
        n.send("/msg %s" % s_jid)
        n.send("/omemo on")
        chat = "%s/%s" % (local, s_jid)
        n.send("not for the server")
        n.expect_buffer(chat, r"!! Not sent: OMEMO is on for %s but there "
                        r"is no device of theirs to encrypt to"
                        % re.escape(s_jid))
        # Off again: in the clear, and the bot gets that one only.
        n.send("/omemo off")
        n.send("plain now")
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert json.loads(body) == "plain now", body


@tap.both_servers
def test_malformed_encrypted_is_shown_and_natter_goes_on():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "mallory")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as bot:
        chat = "%s/%s" % (local, s_jid)
        for raw, why in (
                ("<encrypted xmlns='eu.siacs.conversations.axolotl'/>",
                 r"it has no valid header \(sid\)"),
                ("<encrypted xmlns='eu.siacs.conversations.axolotl'>"
                 "<header sid='12'><key rid='1'>!!</key><iv>AAAA</iv>"
                 "</header><payload>AAAA</payload></encrypted>",
                 r"it was not encrypted for this device \(\d+\)")):
            bot.send({"raw": "<message to='%s' type='chat'><body>fallback"
                             "</body>%s</message>" % (jid, raw)})
            n.expect_buffer(chat, r"<%s> \[an OMEMO message that could not "
                            r"be decrypted: %s\]$" % (re.escape(s_jid), why))
        dev = own_device(n, local).group(1)
        bot.send({"raw": "<message to='%s' type='chat'><body>x</body>"
                         "<encrypted xmlns='eu.siacs.conversations.axolotl'>"
                         "<header sid='12'><key rid='%s'>bm90IGEga2V5</key>"
                         "<iv>AAAAAAAAAAAAAAAA</iv></header><payload>AAAA"
                         "</payload></encrypted></message>" % (jid, dev)})
        n.expect_buffer(chat, r"could not be decrypted: (its key could not "
                        r"be decrypted|there is no session)")
        bot.send({"to": jid, "body": "still here"})
        n.expect_buffer(chat, r"<%s> still here$" % re.escape(s_jid))
        n.check_no_crash()


@tap.both_servers
def test_trust_distrust_and_verify():
    p = tap.shared_server()
    a, a_local, a_jid = omemo_natter(p, "alice")
    b, b_local, b_jid = omemo_natter(p, "bob")
    with a, b:
        a_chat = "%s/%s" % (a_local, b_jid)
        b_chat = "%s/%s" % (b_local, a_jid)
        b.send("/msg %s" % a_jid)
        b.send("/omemo on")
        b.send("hi alice")
        a.expect_buffer(a_chat, r"\{omemo2 trusted\} <%s> hi alice$"
                        % re.escape(b_jid))
        a.send("/msg %s" % b_jid)
        a.send("/omemo fingerprints %s" % b_jid)
        dev, fp = a.expect_buffer(a_chat, r"%s device (\d+): ([0-9a-f ]+), "
                                  r"trusted blindly" % re.escape(b_jid)
                                  ).groups()
        a.send("/omemo untrust %s 0000" % b_jid)  # distrust's other name
        a.expect_buffer(a_chat, r"!! no device of %s has the fingerprint 0000"
                        % re.escape(b_jid))
        a.send("/omemo distrust %s %s" % (b_jid, fp))
        a.expect_buffer(a_chat, r"that device of %s is distrusted"
                        % re.escape(b_jid))
        # Nothing is encrypted to a distrusted device: refused, not sent.
        a.send("/omemo on")
        a.send("not to that device")
        a.expect_buffer(a_chat, r"!! Not sent: OMEMO is on for %s but there "
                        r"is no device of theirs to encrypt to with OMEMO:2: "
                        r"skipped "
                        r"%s/%s \(distrusted\)" % (re.escape(b_jid),
                                                    re.escape(b_jid), dev))
        # Its messages still show, marked.
        b.send("still me")
        a.expect_buffer(a_chat, r"\{omemo2 untrusted\} <%s> still me$"
                        % re.escape(b_jid))
        a.send("/omemo trust %s %s" % (b_jid, fp.replace(" ", "").upper()))
        a.expect_buffer(a_chat, r"that device of %s is verified"
                        % re.escape(b_jid))
        a.send("now verified")
        b.expect_buffer(b_chat, r"<%s> now verified$" % re.escape(a_jid))
        b.send("and back")
        a.expect_buffer(a_chat, r"\{omemo2 verified\} <%s> and back$"
                        % re.escape(b_jid))


@tap.both_servers
def test_automatic_policy_encrypts_where_the_contact_can_read_it():
    p = tap.shared_server()
    a, a_local, a_jid = omemo_natter(p, "alice")
    b, b_local, b_jid = omemo_natter(p, "bob")
    d, d_local, d_jid = omemo_natter(p, "dave")
    s_local, s_jid, s_pw = tap.new_account(p, "plain")
    with a, b, d, Bot.sender(p, s_local, s_pw, commands=True) as bot:
        a.send("/set omemo_policy automatic")
        a.expect_buffer(a_local, r"omemo_policy = automatic")
        # Bob writes encrypted: Alice's chat answers in kind.
        b.send("/msg %s" % a_jid)
        b.send("/omemo on")
        b.send("psst")
        a_bob = "%s/%s" % (a_local, b_jid)
        a.expect_buffer(a_bob, r"-- OMEMO on for %s, who has OMEMO devices "
                        r"\(omemo_policy automatic" % re.escape(b_jid))
        a.expect_buffer(a_bob, OMEMO2_LINE % (re.escape(b_jid), "psst"))
        a.send("/msg %s" % b_jid)
        a.send("answer in kind")
        b_alice = "%s/%s" % (b_local, a_jid)
        b.expect_buffer(b_alice, OMEMO2_LINE % (re.escape(a_jid),
                                                "answer in kind"))
        # A first message to Dave waits for his devices, then leaves
        # encrypted: he has some.
        a.send("/msg %s" % d_jid)
        a.send("first words to dave")
        a.expect_buffer("%s/%s" % (a_local, d_jid), r"-- OMEMO on for %s"
                        % re.escape(d_jid))
        d.expect_buffer("%s/%s" % (d_local, a_jid),
                        OMEMO2_LINE % (re.escape(a_jid),
                                       "first words to dave"))
        # A contact without OMEMO: in the clear, as before.
        a.send("/msg %s" % s_jid)
        a.send("plain is fine here")
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert json.loads(body) == "plain is fine here", body
        assert not a.lines_matching(r"OMEMO on for %s" % re.escape(s_jid))
        # The user's /omemo off wins over the policy.
        a.send("/msg %s" % b_jid)
        a.send("/omemo off")
        a.send("now in the clear")
        line = b.expect_buffer(b_alice, r"<%s> now in the clear$"
                               % re.escape(a_jid)).group(0)
        assert "{omemo" not in line, line


@tap.both_servers
def test_manual_trust_a_new_device_flagged_and_our_link():
    p = tap.shared_server()
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    b = natter_as(p, b_local, b_pw)
    devices_published(b, b_local)
    # Contacts from the start: Bob's server sends Alice his device list's
    # changes (PEP) once it has had her presence.
    a, a_local, a_jid = online_natter(p, "alice", contacts=(b_local,))
    devices_published(a, a_local)
    with a, b:
        a_chat = "%s/%s" % (a_local, b_jid)
        b_chat = "%s/%s" % (b_local, a_jid)
        a.send("/set omemo_trust manual")
        a.expect_buffer(a_local, r"omemo_trust = manual")
        # A device first seen is not encrypted to until it is trusted.
        a.send("/msg %s" % b_jid)
        a.send("/omemo on")
        a.send("held back")
        a.expect_buffer(a_chat, r"!! Not sent: OMEMO is on for %s but there "
                        r"is no device of theirs to encrypt to with OMEMO:2: "
                        r"skipped %s/\d+ \(not trusted yet: /omemo trust\)"
                        % (re.escape(b_jid), re.escape(b_jid)))
        # Its messages show, marked.
        b.send("/msg %s" % a_jid)
        b.send("/omemo on")
        b.send("hi alice")
        a.expect_buffer(a_chat, r"\{omemo2 untrusted\} <%s> hi alice$"
                        % re.escape(b_jid))
        a.send("/omemo fingerprints %s" % b_jid)
        fp = a.expect_buffer(a_chat, r"%s device \d+: ([0-9a-f ]+), not "
                             r"trusted yet" % re.escape(b_jid)).group(1)
        a.send("/omemo trust %s %s" % (b_jid, fp))
        a.expect_buffer(a_chat, r"that device of %s is verified"
                        % re.escape(b_jid))
        a.send("now trusted")
        b.expect_buffer(b_chat, OMEMO2_LINE % (re.escape(a_jid),
                                               "now trusted"))
        # Our own fingerprint also as the link other clients scan.
        a.send("/omemo fingerprints")
        dev, own_fp = a.expect_buffer(a_chat, r"-- this device \((\d+)\): "
                                      r"([0-9a-f ]+)$").groups()
        a.expect_buffer(a_chat, r"-- as a link: xmpp:%s\?omemo-sid-%s=%s$"
                        % (re.escape(a_jid), dev, own_fp.replace(" ", "")))
        # Bob's second device: Alice verified one of his, so she hears of
        # it loudly.
        b2 = natter_as(p, b_local, b_pw)
        with b2:
            devices_published(b2, b_local)
            b2_dev = own_device(b2, b_local).group(1)
            a.expect_buffer(a_chat, r"!! %s has a new OMEMO device \(%s\) "
                            r"that you have not verified"
                            % (re.escape(b_jid), b2_dev))


@tap.both_servers
def test_our_other_device_and_both_devices_of_a_contact():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    devices = []
    for _ in range(2):
        # One after the other: each adds itself to the account's list.
        d = Headless(["-a", local],
                     accounts={local: account_settings(p, local, pw)})
        d.__enter__()
        devices.append(d)
        devices_published(d, local)
    a1, a2 = devices
    b, b_local, b_jid = omemo_natter(p, "bob")
    with a1, a2, b:
        a1.send("/msg %s" % b_jid)
        a1.send("/omemo on")
        a1.send("for bob and my other device")
        b_chat = "%s/%s" % (b_local, jid)
        b.expect_buffer(b_chat, OMEMO2_LINE % (re.escape(jid),
                                               "for bob and my other device"))
        # The copy our server sends our other device (a carbon) is read
        # there: it was encrypted to it too.
        a_chat = "%s/%s" % (local, b_jid)
        a2.expect_buffer(a_chat, r"\{omemo2 trusted\} <[^>]+> for bob and my "
                         r"other device$")
        # Bob answers: both of Alice's devices read it.
        b.send("/msg %s" % jid)
        b.send("/omemo on")
        b.expect_buffer(b_chat, r"OMEMO: %s has 2 devices, 2 with a session "
                        r"\(OMEMO:2\)" % re.escape(jid))
        b.send("to both of you")
        for d in (a1, a2):
            d.expect_buffer(a_chat, OMEMO2_LINE % (re.escape(b_jid),
                                                   "to both of you"))


@tap.both_servers
def test_messages_while_away_are_decrypted_at_login():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "returner")
    b, b_local, b_jid = omemo_natter(p, "bob")
    a = Headless(["-a", local], accounts={local: account_settings(p, local,
                                                                  pw)})
    with a, b:
        devices_published(a, local)
        before = own_device(a, local).groups()
        a.stop()
        # natter is not running: its keys on the server are enough.
        b.send("/msg %s" % jid)
        b.send("/omemo on")
        b_chat = "%s/%s" % (b_local, jid)
        for i in (1, 2):
            b.send("while you were away %d" % i)
            b.expect_buffer(b_chat, r"\(sent\) \{omemo2 trusted\} <%s> while "
                            r"you were away %d$" % (re.escape(b_local), i))
        a.start()
        chat = "%s/%s" % (local, b_jid)
        for i in (1, 2):
            a.expect_buffer(chat, OMEMO2_LINE % (re.escape(b_jid),
                                                 "while you were away %d" % i))
        # The same keys after the restart: no new device was made.
        a.send("/msg %s back again" % b_jid)
        b.expect_buffer(b_chat, r"<%s> back again$" % re.escape(jid))
        assert not a.lines_matching(r"could not be decrypted"), \
            a.transcript()
        assert own_device(a, chat).groups() == before


def omemo_bot(p, prefix="pyomemo"):
    """The python-omemo peer (tests/bots/omemo_bot.py), started: (bot,
    jid, device id)."""
    local, jid, password = tap.new_account(p, prefix)
    bot = Bot("omemo_bot.py", Bot.connection_args(p, local, password),
              name="omemo_bot(%s)" % local, commands=True)
    bot.start(timeout=30)
    # DEVICE comes before READY, which start() waited for.
    device = bot.lines_matching(r"^DEVICE \d+$")[0].split()[1]
    bot.fingerprint = bot.lines_matching(r"^FINGERPRINT ")[0].split(" ", 1)[1]
    return bot, jid, device


@tap.both_servers
def test_python_omemo_interop_both_ways():
    p = tap.shared_server()
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid, bot_dev = omemo_bot(p)
    with n, bot:
        chat = "%s/%s" % (local, bot_jid)
        # The peer starts: its key exchange (a prekey message) first.
        for text in ("hello from python-omemo", "and a second one"):
            bot.send_json({"to": jid, "body": text})
            bot.expect_line(r"^ENCRYPTED %s 1$" % re.escape(jid), timeout=20)
            n.expect_buffer(chat, OMEMO_LINE % (re.escape(bot_jid),
                                                re.escape(text)))
        # natter answers over the session the peer built...
        n.send("/msg %s" % bot_jid)
        n.send("/omemo on")
        # A peer with OMEMO 0.3 only gets 0.3.
        n.expect_buffer(chat, r"OMEMO: %s has 1 device, 1 with a session "
                        r"\(OMEMO 0\.3\)$" % re.escape(bot_jid))
        for text in ("hello from natter", "natter again"):
            n.send(text)
            frm, body = bot.expect_line(r"^(?:DECRYPTED|UNDECRYPTABLE) "
                                        r"(\S+) (.*)$", timeout=20).groups()
            assert frm == jid and json.loads(body) == text, body
        n.send("/omemo fingerprints %s" % bot_jid)
        # The fingerprint python-omemo shows for its own key.
        n.expect_buffer(chat, r"%s device %s: %s, trusted blindly "
                        r"\(not verified\) \(OMEMO 0\.3\)$"
                        % (re.escape(bot_jid), bot_dev,
                           re.escape(bot.fingerprint)))
        assert not n.lines_matching(r"could not be decrypted"), \
            n.transcript()


@tap.both_servers
def test_heartbeats_answer_a_key_exchange_and_the_53rd_message():
    p = tap.shared_server()
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid, bot_dev = omemo_bot(p)
    with n, bot:
        chat = "%s/%s" % (local, bot_jid)
        # A key exchange from the peer: natter answers it with an empty
        # message at once, though its user says nothing.
        bot.send_json({"to": jid, "body": "a first word"})
        n.expect_buffer(chat, OMEMO_LINE % (re.escape(bot_jid),
                                            "a first word"))
        bot.expect_line(r"^EMPTY %s$" % re.escape(jid), timeout=20)
        # Then 60 more from one chain (counters 0 to 59): the 53rd is
        # answered, once.
        for i in range(60):
            bot.send_json({"to": jid, "body": "chain %d" % i})
        n.expect_buffer(chat, OMEMO_LINE % (re.escape(bot_jid), "chain 59"),
                        timeout=60)
        bot.expect_line(r"^EMPTY %s$" % re.escape(jid), timeout=20)
        # Nothing more: a ping through the peer's stream comes back
        # before any third one could.
        bot.send_json({"to": jid, "body": "after the burst"})
        n.expect_buffer(chat, OMEMO_LINE % (re.escape(bot_jid),
                                            "after the burst"))
        n.send("/msg %s" % bot_jid)
        n.send("/omemo on")
        n.send("a real answer")
        bot.expect_line(r"^DECRYPTED %s \"a real answer\"$" % re.escape(jid),
                        timeout=20)
        assert len(bot.lines_matching(r"^EMPTY ")) == 2, bot.lines_matching(
            r"^(EMPTY|DECRYPTED) ")
        # The heartbeats showed nowhere, and natter read everything.
        assert not n.lines_matching(r"could not be decrypted"), \
            n.transcript()


@tap.both_servers
def test_a_device_that_never_answers_goes_stale():
    p = tap.shared_server()
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    # Bob's old phone: it publishes its keys, then is not seen for long.
    old = natter_as(p, b_local, b_pw)
    devices_published(old, b_local)
    old_dev = own_device(old, b_local).group(1)
    old.stop()
    b = natter_as(p, b_local, b_pw)
    devices_published(b, b_local)
    a, a_local, a_jid = omemo_natter(p, "alice")
    with a, b:
        a_chat = "%s/%s" % (a_local, b_jid)
        b_chat = "%s/%s" % (b_local, a_jid)
        a.send("/msg %s" % b_jid)
        a.send("/omemo on")
        a.expect_buffer(a_chat, r"OMEMO: %s has 2 devices, 2 with a session"
                        % re.escape(b_jid))
        # The live device answers (heartbeats); the old one never does.
        for i in range(1, 101):
            a.send("note %d" % i)
        b.expect_buffer(b_chat, r"<%s> note 100$" % re.escape(a_jid),
                        timeout=60)
        assert not a.lines_matching(r"has not answered"), a.transcript()
        a.send("note 101")
        a.expect_buffer(a_chat, r"-- OMEMO: device %s of %s has not answered "
                        r"the last 100 messages encrypted to it: natter "
                        r"leaves it out until it writes again$"
                        % (old_dev, re.escape(b_jid)))
        b.expect_buffer(b_chat, r"<%s> note 101$" % re.escape(a_jid))
        a.send("/omemo fingerprints %s" % b_jid)
        a.expect_buffer(a_chat, r"%s device %s: .*, stale \(no answer"
                        % (re.escape(b_jid), old_dev))
        # Said once, not for every message left out.
        a.send("note 102")
        b.expect_buffer(b_chat, r"<%s> note 102$" % re.escape(a_jid))
        assert len(a.lines_matching(r"has not answered")) == 1
        # The old phone back (the same device: its data kept): writing
        # makes it live again.
        old.start()
        with old:
            old.expect_buffer(b_local, r"Connected as ")
            old.send("/msg %s" % a_jid)
            old.send("/omemo on")
            old.send("I am back")
            a.expect_buffer(a_chat, r"<%s> I am back$" % re.escape(b_jid))
            a.send("/omemo fingerprints %s" % b_jid)
            line = a.expect_buffer(a_chat, r"%s device %s: .*$"
                                   % (re.escape(b_jid), old_dev)).group(0)
            assert "stale" not in line, line


@tap.both_servers
def test_natter_starts_with_python_omemo():
    p = tap.shared_server()
    n, local, jid = omemo_natter(p, "alice")
    bot, bot_jid, bot_dev = omemo_bot(p)
    with n, bot:
        chat = "%s/%s" % (local, bot_jid)
        # natter builds the session from the peer's bundle (key exchange).
        n.send("/msg %s" % bot_jid)
        n.send("/omemo on")
        for text in ("natter speaks first", "natter again"):
            n.send(text)
            frm, body = bot.expect_line(r"^(?:DECRYPTED|UNDECRYPTABLE) "
                                        r"(\S+) (.*)$", timeout=20).groups()
            assert frm == jid and json.loads(body) == text, body
        bot.send_json({"to": jid, "body": "python answers"})
        n.expect_buffer(chat, OMEMO_LINE % (re.escape(bot_jid),
                                            "python answers"), timeout=20)
        # Its key transports (empty messages that complete a key
        # exchange) are taken silently: no line for them.
        assert not n.lines_matching(r"could not be decrypted"), \
            n.transcript()
        assert not n.lines_matching(r"OMEMO encrypted message"), \
            n.transcript()


if __name__ == "__main__":
    tap.main(globals())
