#!/usr/bin/python3
# The roster and presence in the terminal: /roster draws the contacts by
# group with their presence, a chat goes by its contact's roster name, our
# own presence shows in the bars, and a key press ends auto-away.
import re

from natter_test import tap
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account


def test_roster_is_drawn_by_group_with_presence():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    p.add_contacts(local, {b_jid: {"name": "Bobby", "groups": ["Friends"]},
                           "carol@%s" % p.domain: {"subscription": "to"}})
    p.add_contacts(b_local, {jid: {}})
    with Bot.sender(p, b_local, b_pw, commands=True) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"%s is online" % re.escape(b_jid))
        bot.send({"presence": {"show": "away", "status": "having lunch"}})
        t.wait_for(r"%s is away: having lunch" % re.escape(b_jid))
        t.command_line("/roster")
        t.wait_for(r"Roster of %s \(2 contacts\):" % re.escape(local))
        screen = t.screen()
        lines = screen.splitlines()
        friends = [i for i, l in enumerate(lines) if l.rstrip().endswith(
            "Friends:")]
        assert friends, screen
        assert re.search(r"%s \(Bobby\) - away: having lunch \[both\]"
                         % re.escape(b_jid), lines[friends[-1] + 1]), screen
        assert re.search(r"\(no group\):", screen), screen
        assert re.search(r"carol@localhost - offline \[to\]", screen), screen


def test_chat_window_goes_by_the_roster_name():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    p.make_mutual(local, b_local)
    with Bot.sender(p, b_local, b_pw, commands=True) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"%s is online" % re.escape(b_jid))
        bot.send({"to": jid, "body": "before the name"})
        t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
        t.send_keys("M-3")
        t.wait_for(r"<%s> before the name" % re.escape(b_jid))
        t.command_line("/roster nick %s Bobby" % b_jid)
        # Title, input prompt and the contact's lines, old and new.
        t.wait_for(r"^ \[3\] Bobby \(%s, account %s\)"
                   % (re.escape(b_jid), re.escape(local)))
        t.wait_for(r"^\[Bobby\]")
        t.wait_for(r"\d <Bobby> before the name$")
        bot.send({"to": jid, "body": "after the name"})
        t.wait_for(r"\d <Bobby> after the name$")
        assert "<%s>" % b_jid not in t.screen(), t.screen()
        t.type("hello Bobby")
        t.send_keys("Enter")
        t.wait_for(r"<%s> hello Bobby" % re.escape(local))


def test_own_presence_in_the_status_bar_and_the_account_title():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    with TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.wait_for(r"^ \[2\] %s: online\s*$" % re.escape(local))
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/status away out for lunch")
        t.wait_for(r"^ \[2\] %s: away: out for lunch\s*$" % re.escape(local))
        t.wait_for(r"\[%s: away\]" % re.escape(local))
        t.command_line("/status dnd")
        t.wait_for(r"^ \[2\] %s: dnd\s*$" % re.escape(local))
        t.wait_for(r"\[%s: dnd\]" % re.escape(local))
        t.command_line("/status online")
        t.wait_for(r"^ \[2\] %s: online\s*$" % re.escape(local))
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/disconnect")
        t.wait_for(r"\[%s: offline\]" % re.escape(local))


def test_a_key_press_ends_auto_away():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    with TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.command_line("/set autoaway_minutes 0")
        t.command_line("/set autoaway_seconds 1")
        t.wait_for(r"Auto-away: away after 1 seconds without a key press")
        t.type("x")  # any key, not a line
        t.wait_for(r"Auto-away ended: online again\.")


if __name__ == "__main__":
    tap.main(globals())
