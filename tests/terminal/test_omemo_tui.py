#!/usr/bin/python3
# OMEMO on screen: a message that came encrypted is marked [OMEMO] (0.3)
# or [OMEMO:2] after the nick, and one from a device the user distrusts
# [OMEMO UNTRUSTED] or [OMEMO:2 UNTRUSTED]; the title says which version
# what is typed leaves with.
import re

from natter_test import tap
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account


def lines_are_marked(mark, bot_args):
    """A python-omemo peer (omemo_bot.py BOT_ARGS) writes; its lines are
    marked [MARK]."""
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "pyomemo")
    bot = Bot("omemo_bot.py", Bot.connection_args(p, b_local, b_pw) + bot_args,
              name="omemo_bot(%s)" % b_local, commands=True)
    m = re.escape(mark)
    # Wide enough for a fingerprint line on one row.
    with TuiNatter(accounts, args=["-a", local], width=160) as t:
        t.wait_for(r"OMEMO:2: this device \(\d+\) is in our device list")
        bot.start(timeout=30)
        with bot:
            bot.send_json({"to": jid, "body": "secret words"})
            window = t.wait_for(r"\[Act: (\d+)[,\]]").group(1)
            t.send_keys("M-" + window)
            t.wait_for(r"<%s> \[%s\] secret words" % (re.escape(b_jid), m))
            # The title says whether what is typed here leaves encrypted,
            # and with which version.
            assert "[OMEMO" not in t.lines()[0], t.screen()
            t.command_line("/omemo on")
            t.wait_for(r"^ \[\d+\] %s .*\[%s\]" % (re.escape(b_jid), m))
            t.command_line("/omemo fingerprints %s" % b_jid)
            fp = t.wait_for(r"device \d+: ((?:[0-9a-f]{8} ){7}[0-9a-f]{8}),"
                            ).group(1)
            t.command_line("/omemo distrust %s %s" % (b_jid, fp))
            t.wait_for(r"is distrusted")
            bot.send_json({"to": jid, "body": "from a distrusted device"})
            t.wait_for(r"<%s> \[%s UNTRUSTED\] from a distrusted device"
                       % (re.escape(b_jid), m))


def test_encrypted_lines_are_marked():
    lines_are_marked("OMEMO", [])


def test_omemo2_lines_are_marked():
    lines_are_marked("OMEMO:2", ["--omemo2"])


if __name__ == "__main__":
    tap.main(globals())
