#!/usr/bin/python3
# Days on screen: a day row above the first line of each day (the
# window's first line too when it is not today), the full date on a line
# older than the lines before it (a delayed message), the same for
# history loaded from the database after a restart, and the formats a
# theme gives.
import os
import re
import time

from natter_test import tap
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account

ENV = {"TZ": "UTC"}


def delayed(to, body, stamp):
    return {"raw": "<message to='%s' type='chat' id='%s'><body>%s</body>"
                   "<delay xmlns='urn:xmpp:delay' stamp='%s'/></message>"
                   % (to, body.replace(" ", "-"), body, stamp)}


def view(t):
    """The rows of the view, right blanks stripped."""
    return [line.rstrip() for line in t.lines()[1:-2]]


def rows_from(t, first):
    """The view's rows from the one matching FIRST on."""
    rows = view(t)
    for i, row in enumerate(rows):
        if re.search(first, row):
            return rows[i:]
    raise AssertionError("no row matches %r\n%s" % (first, t.screen()))


def today_row():
    return "Day changed to " + time.strftime("%A %d %B %Y", time.gmtime())


def check_window(t, s_jid):
    """The three lines with their day rows, as the bot sent them."""
    nick = re.escape(s_jid)
    rows = rows_from(t, r"Day changed to Thursday 04 March 2021")
    assert rows[0] == "Day changed to Thursday 04 March 2021", t.screen()
    assert re.match(r"10:15 <%s> old news$" % nick, rows[1]), t.screen()
    assert rows[2] == today_row(), t.screen()
    assert re.match(r"\d\d:\d\d <%s> fresh news$" % nick, rows[3]), \
        t.screen()
    # Older than the line before it: its own date, and no day row.
    assert re.match(r"2021-03-05 10:20 <%s> late news$" % nick, rows[4]), \
        t.screen()
    assert len([r for r in rows if r.startswith("Day changed")]) == 2, \
        t.screen()


def test_day_rows_and_dates_live_from_history_and_themed():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    t = TuiNatter(accounts, args=["-a", local], env=ENV)
    dirs = t.keep_dirs()
    with Bot.sender(p, s_local, s_pw, commands=True) as sender:
        with t:
            t.wait_for(r"Connected as")
            sender.send(delayed(jid, "old news", "2021-03-04T10:15:00Z"))
            t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
            t.send_keys("M-3")
            t.wait_for(r"old news")
            sender.send({"to": jid, "body": "fresh news"})
            t.wait_for(r"fresh news")
            sender.send(delayed(jid, "late news", "2021-03-05T10:20:00Z"))
            t.wait_for(r"late news")
            check_window(t, s_jid)

        # From the database after a restart: the same rows.
        with TuiNatter(accounts, args=["-a", local], env=ENV,
                       dirs=dirs) as t:
            t.wait_for(r"Connected as")
            t.command_line("/msg %s" % s_jid)
            t.wait_for(r"late news")
            check_window(t, s_jid)

            # The theme's formats.
            themes = os.path.join(t.config_dir, "themes")
            os.makedirs(themes, exist_ok=True)
            with open(os.path.join(themes, "dated.theme"), "w") as f:
                f.write("[formats]\ntime=%H.%M\ntime.dated=%d/%m/%y %H.%M\n"
                        "day.change=== %Y-%m-%d ==\n")
            t.command_line("/theme load dated")
            t.wait_for(r"^== 2021-03-04 ==$")
            rows = rows_from(t, r"^== 2021-03-04 ==$")
            nick = re.escape(s_jid)
            assert re.match(r"10\.15 <%s> old news$" % nick, rows[1]), \
                t.screen()
            assert rows[2] == time.strftime("== %Y-%m-%d ==", time.gmtime()), \
                t.screen()
            assert re.match(r"05/03/21 10\.20 <%s> late news$" % nick,
                            rows[4]), t.screen()
            t.command_line("/theme show")
            t.wait_for(r"format day\.change = == %Y-%m-%d ==")


if __name__ == "__main__":
    tap.main(globals())
