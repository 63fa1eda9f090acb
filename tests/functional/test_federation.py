#!/usr/bin/python3
# Federation: alice@a.test (natter) and bob@b.test (a bot) on two servers
# that know each other only over s2s (dialback; see natter_test/federation
# and tests/harness/NOTES.md). For each pair of servers (Prosody and
# Prosody, Prosody and ejabberd both ways round): a chat both ways, a
# presence subscription, a room on b.test, and the catch-up from alice's
# archive after she was offline.
import re

from natter_test import federation, tap, util
from natter_test.bots import Bot
from natter_test.federation import Network
from natter_test.headless import Headless, account_settings

PAIRS = [("prosody", "prosody"), ("prosody", "ejabberd"),
         ("ejabberd", "prosody")]
# The first stanza to another domain waits for the s2s link (DNS map,
# TLS, dialback both ways): about a second, more on a loaded machine.
S2S = 20

_pair = {}  # (a kind, b kind) -> (network, a server, b server): one pair


def servers(a_kind, b_kind):
    """Servers for a.test and b.test of these kinds, started on first use
    and kept for the tests of the pair; another pair's are stopped."""
    key = (a_kind, b_kind)
    if key not in _pair:
        for net, *old in _pair.values():
            for server in old:
                server.close()
            net.close()
        _pair.clear()
        net = Network()
        if "ejabberd" in key and not (net.isolated and
                                      federation.private_mounts()):
            raise tap.Skip("ejabberd federates here only in a network and "
                           "mount namespace of its own (as root, and not "
                           "in a chroot)")
        a = tap.server_class(a_kind)(domain="a.test", federation=net)
        b = tap.server_class(b_kind)(domain="b.test", federation=net)
        a.start()
        b.start()
        _pair[key] = (net, a, b)
    return _pair[key][1:]


def alice_and_bob(a, b):
    """Fresh accounts alice on A and bob on B, and a headless natter for
    alice (not started): (natter, alice's localpart, jid and password,
    bob's localpart, jid and password)."""
    local, jid, pw = tap.new_account(a, "alice")
    n = Headless(["-a", local], accounts={local: account_settings(
        a, local, pw)})
    return (n, local, jid, pw) + tap.new_account(b, "bob")


def chat(a, b):
    n, local, jid, pw, b_local, b_jid, b_pw = alice_and_bob(a, b)
    with Bot.echo(b, b_local, b_pw) as bot, n:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
        n.send("/msg %s hello from a.test" % b_jid)
        m = bot.expect_line(r'^RECV (\S+) "hello from a\.test"$', S2S)
        assert m.group(1).startswith(jid + "/"), m.group(1)
        n.expect_buffer("%s/%s" % (local, b_jid),
                        r"<%s> echo: hello from a\.test$" % re.escape(b_jid),
                        S2S)


def presence(a, b):
    n, local, jid, pw, b_local, b_jid, b_pw = alice_and_bob(a, b)
    # The echo bot allows a subscription request and asks back.
    with Bot.echo(b, b_local, b_pw) as bot, n:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
        n.send("/roster add %s Bob" % b_jid)
        n.expect_buffer(local, r"-- Roster: added %s\.$" % re.escape(b_jid))
        n.send("/sub request %s" % b_jid)
        n.expect_buffer(local, r"-- %s allowed you to see their presence\.$"
                        % re.escape(b_jid), S2S)
        n.expect_buffer(local, r"-- %s asks to see your presence"
                        % re.escape(b_jid), S2S)
        n.send("/sub allow %s" % b_jid)
        n.expect_buffer(local, r"-- Roster: subscription with %s is now "
                        r"both\.$" % re.escape(b_jid), S2S)
        bot.expect_line(r"^PRESENCE %s/\S+ available$" % re.escape(jid), S2S)
        util.wait_until(lambda: n.lines_matching(
            r"^\[%s\] -- %s is online$" % (re.escape(local),
                                           re.escape(b_jid))),
            S2S, "natter sees bob online")


def room(a, b):
    n, local, jid, pw, b_local, b_jid, b_pw = alice_and_bob(a, b)
    room = "room-%s@%s" % (local, b.muc_domain)
    with Bot.sender(b, b_local, b_pw, commands=True) as bot, n:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
        n.send("/join %s" % room)
        buf = "%s/%s" % (local, room)
        n.expect_buffer(buf, r"-- You joined %s as %s" % (re.escape(room),
                                                           re.escape(local)),
                        S2S)
        bot.send({"raw": "<presence to='%s/bob'><x xmlns='http://jabber.org/"
                  "protocol/muc'><history maxstanzas='0'/></x></presence>"
                  % room})
        bot.expect_line(r"^PRESENCE %s/bob available$" % re.escape(room))
        n.expect_buffer(buf, r"-- bob joined\.$", S2S)
        bot.send({"to": room, "type": "groupchat", "body": "hi from b.test"})
        n.expect_buffer(buf, r"<bob> hi from b\.test$", S2S)
        n.send("hi from a.test")
        bot.expect_line(r'^RECV %s "hi from a\.test"$'
                        % re.escape("%s/%s" % (room, local)), S2S)
        # The room's reflection came back over s2s too.
        n.expect_buffer(buf, r"\(delivered\) <%s> hi from a\.test$"
                        % re.escape(local), S2S)


def catch_up(a, b):
    n, local, jid, pw, b_local, b_jid, b_pw = alice_and_bob(a, b)
    chat_buf = "%s/%s" % (local, b_jid)
    with Bot.sender(b, b_local, b_pw, commands=True) as bot, n:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
        bot.send({"to": jid, "body": "before the break"})
        n.expect_buffer(chat_buf, r"<%s> before the break$"
                        % re.escape(b_jid), S2S)
        n.stop()
        # natter is not running; alice's phone is, so what bob says is
        # delivered there (not kept for her next login) and archived on
        # a.test: only the archive brings it to natter.
        with Bot.sender(a, local, pw, resource="phone",
                        commands=True) as phone:
            for i in (1, 2, 3):
                bot.send({"to": jid, "body": "while you were out %d" % i})
                phone.expect_line(r'^RECV %s/\S+ "while you were out %d"$'
                                  % (re.escape(b_jid), i), S2S)
        n.start()
        n.expect_buffer(local, r"-- 3 messages from the server's archive\.",
                        S2S)
        for i in (1, 2, 3):
            shown = n.lines_matching(r"^\[%s\] <%s> while you were out %d$"
                                     % (re.escape(chat_buf),
                                        re.escape(b_jid), i))
            assert len(shown) == 1, (i, n.lines_matching(r"were out"))
        # What natter had stored is not shown again as new.
        assert not n.lines_matching(r"\] <\S+> before the break$"), \
            n.lines_matching(r"before the break")


def _test(aspect, a_kind, b_kind):
    def test():
        aspect(*servers(a_kind, b_kind))
    test.__name__ = "test_%s_%s_to_%s" % (aspect.__name__, a_kind, b_kind)
    return test


for _a, _b in PAIRS:
    for _aspect in (chat, presence, room, catch_up):
        _t = _test(_aspect, _a, _b)
        globals()[_t.__name__] = _t


if __name__ == "__main__":
    tap.main(globals())
