#!/usr/bin/python3
# OTR on the screen: the chat's title and each message say whether the
# conversation is private (OTR) and verified, against python3-potr
# (tests/bots/otr_bot.py).
import json
import re

from natter_test import tap
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account


def test_title_says_otr_and_verified():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "otrtui")
    b_local, b_jid, b_pw = tap.new_account(p, "potr")
    bot = Bot("otr_bot.py", Bot.connection_args(p, b_local, b_pw),
              name="otr_bot(%s)" % b_local, commands=True)
    with bot, TuiNatter(accounts, args=["-a", local], width=160) as t:
        t.wait_for(r"Connected as %s/" % re.escape(jid))
        t.command_line("/msg %s" % b_jid)
        t.wait_for(r"^ \[\d+\] %s \(account %s\)" % (re.escape(b_jid),
                                                      re.escape(local)))
        assert "[OTR" not in t.lines()[0], t.lines()[0]
        t.command_line("/otr start")
        t.wait_for(r"^ \[\d+\] %s .*\[OTR\]\s*$" % re.escape(b_jid),
                   timeout=30)
        bot.expect_line(r"^STATE %s encrypted$" % re.escape(jid))
        bot.send_json({"send": jid, "body": "psst"})
        t.wait_for(r"<%s> \[OTR\] psst$" % re.escape(b_jid))
        t.command_line("/otr question \"Our town?\" Lisbon")
        asked = bot.expect_line(r"^SMP_ASKED \S+ (.*)$").group(1)
        assert json.loads(asked) == "Our town?", asked
        bot.send_json({"answer": jid, "secret": "Lisbon"})
        t.wait_for(r"^ \[\d+\] %s .*\[OTR verified\]\s*$" % re.escape(b_jid))
        t.command_line("verified now")
        t.wait_for(r"<%s> \[OTR verified\] \S* ?verified now$"
                   % re.escape(local))
        t.command_line("/otr end")
        t.wait_for(r"OTR session with %s ended" % re.escape(b_jid))
        t.wait_gone(r"^ \[\d+\] .*\[OTR")


if __name__ == "__main__":
    tap.main(globals())
