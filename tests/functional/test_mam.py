#!/usr/bin/python3
# Catching up from the server's archive (XEP-0313): what happened while
# natter was not running shows up at the next login, each message once;
# results that do not come from our own archive are refused.
import re

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import echo_bot


@tap.both_servers
def test_messages_while_natter_was_away_come_from_the_archive_once():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    local, jid, pw = tap.new_account(p, "returner")
    accounts = {local: account_settings(p, local, pw)}
    chat = "%s/%s" % (local, bot_jid)
    with bot, Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s before" % bot_jid)
        n.expect_buffer(chat, r"echo: before$")
        n.stop()
        # natter is not running: our phone talks to the bot. Neither the
        # phone's messages nor the bot's answers to the phone reach any
        # natter now; only the archive has them.
        with Bot.sender(p, local, pw, resource="phone",
                        commands=True) as phone:
            for i in (1, 2, 3):
                phone.send({"to": bot_jid, "body": "from the phone %d" % i})
                bot.expect_line(r"^RECV \S+ \"from the phone %d\"$" % i)
        n.start()
        n.expect_buffer(local, r"-- \d messages? from the server's archive\.")
        # All six, each once. (The bot's last answer may come first: sent
        # to the phone as it left, the server kept it for the next login.)
        wanted = ["<%s> from the phone %d" % (local, i) for i in (1, 2, 3)]
        wanted += ["<%s> echo: from the phone %d" % (bot_jid, i)
                   for i in (1, 2, 3)]
        for text in wanted:
            found = n.lines_matching(r"^\[%s\] %s$" % (re.escape(chat),
                                                         re.escape(text)))
            assert len(found) == 1, (text, n.lines_matching(r"phone"))
        # What was already known came again from the archive, but is not
        # shown twice.
        assert not n.lines_matching(r"\] <\S+> (echo: )?before$"), \
            n.lines_matching(r"before")
        # A restart brings nothing new.
        n.stop()
        n.start()
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s" % bot_jid)
        n.expect_buffer(chat, r"\(history\) <%s> echo: from the phone 3$"
                        % re.escape(bot_jid))
        # The chat opened with its history: six lines, read as they come.
        util.wait_until(lambda: len(n.lines_matching(
            r"\(history\) .*from the phone")) >= 6, 10, "six lines")
        history = n.lines_matching(r"from the phone")
        assert len(history) == 6, history
        assert not n.lines_matching(r"from the server's archive")


@tap.both_servers
def test_archive_results_not_asked_for_are_refused():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "victim")
    h_local, h_jid, h_pw = tap.new_account(p, "faker")
    accounts = {local: account_settings(p, local, pw)}
    fake = ("<message to='{me}'><result xmlns='urn:xmpp:mam:2' queryid='q1' "
            "id='fake-1'><forwarded xmlns='urn:xmpp:forward:0'><message "
            "from='boss@localhost' to='{me}' type='chat'><body>you are "
            "fired</body></message></forwarded></result></message>")
    with Headless(["-a", local], accounts=accounts) as n, \
            Bot.sender(p, h_local, h_pw, commands=True) as hostile:
        # To the full JID: a message to the bare JID could reach the server
        # before natter's first presence, and be kept offline or dropped.
        full = n.expect_buffer(local, r"Connected as (\S+) ").group(1)
        hostile.send({"raw": fake.format(me=full)})
        n.expect_buffer(local, r"!! Ignored archive results from %s/\S+: "
                        r"only your own archive is asked\." % re.escape(h_jid))
        hostile.send({"to": jid, "body": "nothing to see"})
        n.expect_buffer("%s/%s" % (local, h_jid), r"nothing to see$")
        assert not n.lines_matching(r"fired")


if __name__ == "__main__":
    tap.main(globals())
