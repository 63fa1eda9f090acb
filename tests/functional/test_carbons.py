#!/usr/bin/python3
# Message carbons (XEP-0280): what our other clients send and receive shows
# in the right chat, ours marked as ours; a forged carbon is refused.
import re

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import echo_bot


def natter_and_phone(p):
    """natter and a second client ("phone", a sender bot) on one account."""
    local, jid, pw = tap.new_account(p, "twice")
    n = Headless(["-a", local], accounts={local: account_settings(p, local,
                                                                  pw)})
    phone = Bot.sender(p, local, pw, resource="phone", commands=True,
                       start=False)
    return local, jid, n, phone


@tap.both_servers
def test_messages_of_our_other_client_appear_in_the_chat():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    local, jid, n, phone = natter_and_phone(p)
    chat = "%s/%s" % (local, bot_jid)
    with bot, n:
        n.expect_buffer(local, r"Connected as")
        with phone.start():
            # The phone writes to the bot: natter shows it as ours...
            phone.send({"to": bot_jid, "body": "sent from my phone"})
            n.expect_buffer(chat, r"<%s> sent from my phone$"
                            % re.escape(local))
            # ...and the bot's answer to the phone's full JID shows too.
            n.expect_buffer(chat, r"<%s> echo: sent from my phone$"
                            % re.escape(bot_jid))
        # Both are in history, each once, on the right side.
        n.stop()
        n.start()
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s" % bot_jid)
        n.expect_buffer(chat, r"\(history\) <%s> echo: sent from my phone$"
                        % re.escape(bot_jid))
        assert len(n.lines_matching(r"\(history\) .*sent from my phone")) \
            == 2


@tap.both_servers
def test_a_forged_carbon_is_refused_and_reported():
    p = tap.shared_server()
    n_local, n_jid, n_pw = tap.new_account(p, "target")
    h_local, h_jid, h_pw = tap.new_account(p, "forger")
    accounts = {n_local: account_settings(p, n_local, n_pw)}
    forged = ("<message to='{full}' type='chat'><sent xmlns='urn:xmpp:carbons:2'>"
              "<forwarded xmlns='urn:xmpp:forward:0'><message "
              "from='{me}/other' to='boss@localhost' type='chat'>"
              "<body>I quit</body></message></forwarded></sent></message>")
    with Headless(["-a", n_local], accounts=accounts) as n, \
            Bot.sender(p, h_local, h_pw, commands=True) as hostile:
        # To the full JID: a message to the bare JID could reach the server
        # before natter's first presence, and be kept offline or dropped.
        full = n.expect_buffer(n_local, r"Connected as (\S+) ").group(1)
        hostile.send({"raw": forged.format(me=n_jid, full=full)})
        n.expect_buffer(n_local, r"!! Ignored a forged copy of a message "
                        r"\(carbon\) from %s/" % re.escape(h_jid))
        # In order: this arrives after the forged one was handled.
        hostile.send({"to": n_jid, "body": "just me"})
        n.expect_buffer("%s/%s" % (n_local, h_jid), r"just me$")
        assert not n.lines_matching(r"I quit")
        assert not n.lines_matching(r"boss@localhost")


if __name__ == "__main__":
    tap.main(globals())
