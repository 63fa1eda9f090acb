#!/usr/bin/python3
# The side panes from the keyboard: F2 (or Alt-P) gives them the keys;
# the arrows, Page Up/Down, Home and End move a selection and scroll the
# pane ("(N above)", "(+N more)"), a letter jumps to the next name with
# it, Enter opens the chat (a private chat from the occupant pane), Esc
# gives the keys back; a terminal too narrow for a pane says so.
import os
import re

from natter_test import tap, util
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account, bot_join, reversed_parts

def pane_rows(t):
    """The pane's rows (right of the separator), stripped."""
    out = []
    for line in t.lines()[1:-2]:
        i = line.find("\u2502")
        out.append(line[i + 1:].strip() if i >= 0 else None)
    return out


def selected(t):
    """The text of the pane row drawn in reverse video, or None."""
    for row in t.screen(escapes=True).splitlines()[1:-2]:
        i = row.find("\u2502")
        parts = reversed_parts(row[i + 1:]) if i >= 0 else []
        if parts and parts[0].strip():
            return parts[0].strip()
    return None


def wait_selected(t, want):
    util.wait_until(lambda: selected(t) == want, 10,
                    "%r selected (now %r)\n%s" % (want, selected(t),
                                                  t.screen()))


def test_roster_pane_from_the_keyboard():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    contacts = {"crowd%02d@%s" % (i, p.domain): {"name": "Crowd %02d" % i,
                                                 "groups": ["Many"]}
                for i in range(40)}
    contacts["bob@%s" % p.domain] = {"name": "Bob", "groups": ["Few"]}
    contacts["amy@%s" % p.domain] = {"name": "Amy", "groups": ["Few"]}
    p.add_contacts(local, contacts)
    with TuiNatter(accounts, args=["-a", local], width=80, height=20) as t:
        t.wait_for(r"Roster received: 42 contacts")
        t.command_line("/roster show")
        t.wait_for(r"\+\d+ more\)")
        t.send_keys("F2")
        t.wait_for(r"\[pane: ")
        wait_selected(t, "%s (0/42)" % local)
        t.send_keys("Down", "Down")
        wait_selected(t, "Amy")
        # To the end: the pane scrolls, and says what is above.
        t.send_keys("End")
        t.wait_for(r"Crowd 39\s*$")
        t.wait_for(r"\(\d+ above\)")
        wait_selected(t, "Crowd 39")
        assert not any(r and "more)" in r for r in pane_rows(t)), t.screen()
        t.send_keys("PageUp")
        util.wait_until(lambda: (selected(t) or "").startswith("Crowd 2"),
                        10, "a page up\n" + t.screen())
        t.send_keys("Home")
        wait_selected(t, "%s (0/42)" % local)
        t.wait_gone(r"above\)")
        # A letter: the next name with it.
        t.send_keys("b")
        wait_selected(t, "Bob")
        t.send_keys("c")
        wait_selected(t, "Crowd 00")
        t.send_keys("c")
        wait_selected(t, "Crowd 01")
        # Enter opens the chat; the keys are back on the input line.
        t.send_keys("b", "Enter")
        t.wait_for(r"^ \[3\] Bob \(bob@%s, account" % re.escape(p.domain))
        t.wait_gone(r"\[pane: ")
        t.type("typed")
        t.wait_for(r"^\[Bob\] typed\s*$")
        t.send_keys("C-u")
        # Esc gives the keys back without opening anything.
        t.send_keys("M-p")
        t.wait_for(r"\[pane: ")
        t.send_keys("Escape")
        t.wait_gone(r"\[pane: ")
        t.type("x")
        t.wait_for(r"^\[Bob\] x\s*$")


def test_occupant_pane_opens_a_private_chat():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "panes")
    r_local, r_jid, r_pw = tap.new_account(p, "roomie")
    room = "panes-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    with Bot.sender(p, r_local, r_pw, commands=True) as roomie, \
            TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.command_line("/join %s" % room)
        t.wait_for(r"You joined %s" % re.escape(room))
        bot_join(roomie, room, "roomie")
        t.wait_for(r"\+ roomie\s*$")
        t.send_keys("F2")
        t.send_keys("r")
        wait_selected(t, "+ roomie")
        t.send_keys("Enter")
        t.wait_for(r"^ \[\d+\] %s/roomie \(private, in the room\)"
                   % re.escape(room))
        t.type("psst")
        t.send_keys("Enter")
        roomie.expect_line(r'^RECV %s/%s "psst"$'
                           % (re.escape(room), re.escape(local)))


def test_no_pane_on_a_narrow_terminal():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    # Narrow, but tall enough that the login's late lines (OMEMO's) do
    # not scroll the answers away.
    with TuiNatter(accounts, args=["-a", local], width=40, height=24) as t:
        # The status bar: the "Connected" line may already have scrolled
        # away under what the login printed after it.
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/roster show")
        t.wait_for(r"Roster pane shown")
        t.send_keys("F2")
        t.wait_for(r"No side pane here")
        t.type("still typing")
        t.wait_for(r"still typing\s*$")


if __name__ == "__main__":
    tap.main(globals())
