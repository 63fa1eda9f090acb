#!/usr/bin/python3
# Wrapping a message under its nick loses nothing: with a nick wider than
# half the text area (a long address beside the roster pane, or a narrow
# terminal) every word of the message is on the screen, in order, and no
# row crosses into the pane.
import re

from natter_test import tap
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account

TEXT = ("The quick brown fox jumps over the lazy dog while the cat "
        "watches from the wall and the bird sings")


def view_text(t):
    """The view's rows left of the pane, joined with blanks collapsed."""
    rows = [line.split("\u2502")[0] for line in t.lines()[1:-2]]
    return " ".join(" ".join(rows).split())


def check_size(width, height, pane):
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "bartholomewlongname")
    with TuiNatter(accounts, args=["-a", local], width=width,
                   height=height) as t, \
            Bot.sender(p, s_local, s_pw, commands=True) as sender:
        t.wait_for(r"Connected as")
        if pane:
            t.command_line("/roster show")
            t.wait_for(r"Roster pane shown")
        sender.send({"to": jid, "body": TEXT})
        t.wait_for(r"\[Act:")
        t.send_keys("M-3")
        t.wait_for(r"^ \[3\] bartholomew")
        t.wait_for(r"sings")
        assert ("\u2502" in t.lines()[1]) == pane, t.screen()
        for line in t.lines():
            assert len(line.rstrip()) <= width, t.screen()
        shown = view_text(t)
        assert re.search(r"\d\d:\d\d <%s" % re.escape(s_local[:10]),
                         shown), t.screen()
        assert TEXT in shown, t.screen()


def test_long_nick_beside_the_roster_pane():
    check_size(80, 24, pane=True)


def test_long_nick_on_a_small_terminal_with_the_pane():
    check_size(60, 15, pane=True)


def test_long_nick_wider_than_a_narrow_terminal():
    check_size(36, 15, pane=False)


if __name__ == "__main__":
    tap.main(globals())
