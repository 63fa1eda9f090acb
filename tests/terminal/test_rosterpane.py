#!/usr/bin/python3
# The roster pane: /roster show|hide, contacts by group with a presence
# sign, offline contacts toggled by roster_offline, its width from
# roster_width, and giving way on a narrow terminal.
import re

from natter_test import tap, util
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account


def pane_column(t):
    """The column of the pane's separator on the first view row, or None."""
    row = t.lines()[1]
    i = row.find("\u2502")
    return i if i >= 0 else None


def pane_text(t):
    """The pane's rows (right of the separator), stripped."""
    col = pane_column(t)
    assert col is not None, t.screen()
    return [l[col + 1:].strip() for l in t.lines()[1:-2]]


def test_roster_pane_groups_presence_and_settings():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    p.add_contacts(local, {b_jid: {"name": "Bobby", "groups": ["Friends"]},
                           "carol@%s" % p.domain: {"name": "Carol",
                                                   "groups": ["Work"]},
                           "dave@%s" % p.domain: {"subscription": "to"}})
    p.add_contacts(b_local, {jid: {}})
    with Bot.sender(p, b_local, b_pw, commands=True) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"%s is online" % re.escape(b_jid))
        assert pane_column(t) is None, t.screen()
        t.command_line("/roster show")
        t.wait_for(r"Roster pane shown \(roster_width 24 columns")
        t.wait_for(r"\+ Bobby")
        assert pane_column(t) == 100 - 25, t.screen()
        rows = pane_text(t)
        assert rows[0] == "%s (1/3)" % local, rows
        # Groups sorted, contacts without one last, each under its group.
        assert rows[1:7] == ["Friends", "+ Bobby", "Work", "Carol",
                             "(no group)", "dave@localhost"], rows
        bot.send({"presence": {"show": "dnd", "status": "busy"}})
        t.wait_for(r"! Bobby")
        # Offline contacts hidden: only Bobby's group remains.
        t.command_line("/set roster_offline off")
        t.wait_gone(r"Carol")
        rows = pane_text(t)
        assert rows[1:3] == ["Friends", "! Bobby"], rows
        assert "Work" not in rows and "(no group)" not in rows, rows
        t.command_line("/set roster_width 30")
        t.wait_for(r"! Bobby")
        util.wait_until(lambda: pane_column(t) == 100 - 31, 10,
                        "the pane 30 columns wide")
        # The view wraps at the pane: no text crosses into it.
        t.command_line("/roster " + "x" * 150)
        t.wait_for(r"usage: /roster")
        for line in t.lines()[1:-2]:
            assert "\u2502" in line, t.screen()
        t.command_line("/roster hide")
        t.wait_for(r"Roster pane hidden")
        t.wait_gone(r"! Bobby")
        assert pane_column(t) is None, t.screen()


def test_roster_pane_gives_way_on_a_narrow_terminal():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    p.add_contacts(local, {"erin@%s" % p.domain: {"name": "Erin"}})
    # Narrow, but tall enough that the login's late lines (OMEMO's) do
    # not scroll the answers away.
    with TuiNatter(accounts, args=["-a", local], width=40, height=24) as t:
        # The status bar: the "Connected" line may already have scrolled
        # away under what the login printed after it.
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/roster show")
        t.wait_for(r"Roster pane shown")
        assert pane_column(t) is None, t.screen()
        t.resize(80, 20)
        t.wait_for(r"  Erin")
        assert pane_column(t) == 80 - 25, t.screen()
        t.resize(40, 10)
        t.wait_gone(r"Erin")
        t.wait_for(r"^\[%s\]" % re.escape(local))


if __name__ == "__main__":
    tap.main(globals())
