#!/usr/bin/python3
# OMEMO on screen: a message that came encrypted is marked [OMEMO] after
# the nick, and one from a device the user distrusts [OMEMO UNTRUSTED].
import re

from natter_test import tap
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account


def test_encrypted_lines_are_marked():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "pyomemo")
    bot = Bot("omemo_bot.py", Bot.connection_args(p, b_local, b_pw),
              name="omemo_bot(%s)" % b_local, commands=True)
    # Wide enough for a fingerprint line on one row.
    with TuiNatter(accounts, args=["-a", local], width=160) as t:
        t.wait_for(r"OMEMO: this device \(\d+\) is in our device list")
        bot.start(timeout=30)
        with bot:
            bot.send_json({"to": jid, "body": "secret words"})
            window = t.wait_for(r"\[Act: (\d+)\]").group(1)
            t.send_keys("M-" + window)
            t.wait_for(r"<%s> \[OMEMO\] secret words" % re.escape(b_jid))
            # The title says whether what is typed here leaves encrypted.
            assert "[OMEMO]" not in t.lines()[0], t.screen()
            t.command_line("/omemo on")
            t.wait_for(r"^ \[\d+\] %s .*\[OMEMO\]" % re.escape(b_jid))
            t.command_line("/omemo fingerprints %s" % b_jid)
            fp = t.wait_for(r"device \d+: ((?:[0-9a-f]{8} ){7}[0-9a-f]{8}),"
                            ).group(1)
            t.command_line("/omemo distrust %s %s" % (b_jid, fp))
            t.wait_for(r"is distrusted")
            bot.send_json({"to": jid, "body": "from a distrusted device"})
            t.wait_for(r"<%s> \[OMEMO UNTRUSTED\] from a distrusted device"
                       % re.escape(b_jid))


if __name__ == "__main__":
    tap.main(globals())
