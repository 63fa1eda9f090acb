#!/usr/bin/python3
# Windows in the terminal: the hotlist ([Act: ...]) ordered and coloured by
# urgency, Alt-A and /win active, /win move, and the unread marker.
import re

from natter_test import tap
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def hotlist_colours(screen_with_escapes):
    """{window number: the SGR in force where it is drawn} for the numbers
    of the [Act: ...] list on the status bar (second row from the bottom)."""
    row = screen_with_escapes.splitlines()[-2]
    start = row.index("[Act: ") + len("[Act: ")
    sgr, colours, number, number_sgr = (), {}, "", ()
    i = start
    while i < len(row) and row[i] != "]":
        m = SGR.match(row, i)
        if m:
            codes = m.group(1)
            sgr = () if codes in ("", "0") else sgr + (codes,)
            i = m.end()
            continue
        if row[i].isdigit():
            if not number:
                number_sgr = sgr
            number += row[i]
        else:
            if number:
                colours[int(number)] = number_sgr
            number = ""
        i += 1
    if number:
        colours[int(number)] = number_sgr
    return colours


def test_hotlist_most_urgent_first_and_alt_a_jumps_there():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    p.add_contacts(local, {b_jid: {"name": "Bob"}})
    p.add_contacts(b_local, {jid: {}})
    with TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        with Bot.sender(p, b_local, b_pw, commands=True) as bot:
            # Bob's presence is an event in the account's console (2).
            t.wait_for(r"\[Act: 2\]")
            # His message is private: window 3, more urgent, listed first.
            bot.send({"to": jid, "body": "are you there?"})
            t.wait_for(r"\[Act: 3,2\]")
            colours = hotlist_colours(t.screen(escapes=True))
            assert colours[3] != colours[2], colours
            t.send_keys("M-a")
            t.wait_for(r"^ \[3\] Bob \(%s," % re.escape(b_jid))
            t.wait_for(r"are you there\?")
            t.wait_for(r"\[Act: 2\]")
            t.command_line("/win active")
            t.wait_for(r"^ \[2\] %s: online" % re.escape(local))
            t.wait_gone(r"\[Act: ")
            t.command_line("/win active")
            t.wait_for(r"no window has new activity")


def test_win_move_swaps_numbers_and_protects_the_console():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    with TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.command_line("/msg first@%s" % p.domain)
        t.wait_for(r"^ \[3\] first@localhost")
        t.command_line("/msg second@%s" % p.domain)
        t.wait_for(r"^ \[4\] second@localhost")
        t.command_line("/win move 3")
        t.wait_for(r"^ \[3\] second@localhost")
        t.wait_for(r"Moved window 4 to 3")
        t.command_line("/wins")
        t.wait_for(r"Windows:")
        t.wait_for(r"^\d\d:\d\d -- +3  %s/second@localhost" % re.escape(local))
        t.wait_for(r"^\d\d:\d\d -- +4  %s/first@localhost" % re.escape(local))
        # A number nobody has: the window just takes it; others keep theirs.
        t.command_line("/win move 9")
        t.wait_for(r"^ \[9\] second@localhost")
        t.send_keys("M-4")
        t.wait_for(r"^ \[4\] first@localhost")
        t.command_line("/win move 1")
        t.wait_for(r"window 1 is natter's console")
        t.command_line("/win move x")
        t.wait_for(r"'x' is not a window number")
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")


def test_unread_marker_shows_where_new_text_begins():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    with TuiNatter(accounts, args=["-a", local]) as t, \
            Bot.sender(p, s_local, s_pw, commands=True) as sender:
        t.wait_for(r"Connected as")
        sender.send({"to": jid, "body": "first, already read"})
        t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
        t.send_keys("M-3")
        t.wait_for(r"first, already read")
        # Leaving it marks everything in it as read.
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        sender.send({"to": jid, "body": "second, new"})
        sender.send({"to": jid, "body": "third, new"})
        t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
        t.send_keys("M-3")
        t.wait_for(r"third, new")
        lines = t.lines()
        marker = [i for i, l in enumerate(lines) if re.search(r"unread", l)]
        assert len(marker) == 1, t.screen()
        m = marker[0]
        assert "first, already read" in lines[m - 1], t.screen()
        assert "second, new" in lines[m + 1], t.screen()
        # Leaving and coming back with nothing new: no marker.
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        t.send_keys("M-3")
        t.wait_for(r"^ \[3\] ")
        assert not re.search(r"unread", t.screen()), t.screen()


if __name__ == "__main__":
    tap.main(globals())
