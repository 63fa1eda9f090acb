#!/usr/bin/python3
# Presence on the real server: our /status and /priority seen by a contact,
# a contact's presence changes seen by natter (console and open chat),
# subscription requests from others listed and answered with /sub, and
# auto-away after the idle time with the previous presence restored.
import json
import re

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import online_natter


def mutual_sender(p, natter_local):
    """A sender bot (JSON commands) that is a mutual contact of
    NATTER_LOCAL: (bot, bot_jid)."""
    local, jid, pw = tap.new_account(p, "buddy")
    p.make_mutual(natter_local, local)
    return Bot.sender(p, local, pw, commands=True), jid


def show_line(bot, jid, show, timeout=10):
    """The bot's SHOW line for JID's presence with SHOW: (priority, status)."""
    m = bot.expect_line(r"^SHOW %s/\S+ %s (-?\d+) (.*)$"
                        % (re.escape(jid), show), timeout)
    return int(m.group(1)), json.loads(m.group(2))


@tap.both_servers
def test_status_and_priority_are_seen_by_a_contact():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    bot_local, bot_jid, bot_pw = tap.new_account(p, "watcher")
    p.make_mutual(local, bot_local)
    with Bot.echo(p, bot_local, bot_pw) as bot, \
            Headless(["-a", local], accounts={
                local: account_settings(p, local, pw)}) as n:
        assert show_line(bot, jid, "online") == (0, "")
        n.send("/status away gone for lunch")
        n.expect_buffer(local, r"-- %s is now away: gone for lunch\.$"
                        % re.escape(local))
        assert show_line(bot, jid, "away") == (0, "gone for lunch")
        n.send("/priority 7")
        n.expect_buffer(local, r"-- %s: priority 7$" % re.escape(local))
        # Saved with the account.
        with open(n.config_dir + "/accounts") as f:
            assert re.search(r"^priority=7$", f.read(), re.M)
        # The presence is sent again with the new priority, same status.
        assert show_line(bot, jid, "away") == (7, "gone for lunch")
        n.send("/status dnd")
        assert show_line(bot, jid, "dnd") == (7, "")
        n.send("/status all xa  gone  home")
        n.expect_buffer(local, r"-- %s is now xa: gone  home\.$"
                        % re.escape(local))
        assert show_line(bot, jid, "xa") == (7, "gone  home")
        n.send("/status online")
        assert show_line(bot, jid, "online") == (7, "")
        n.send("/status")
        n.expect_buffer(local, r"-- %s: online, priority 7$"
                        % re.escape(local))


def test_bad_status_and_priority_are_refused():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/status sleepy")
        n.expect_buffer(local, r"!! unknown status 'sleepy': online, chat, "
                        r"away, xa or dnd")
        n.send("/priority 500")
        n.expect_buffer(local, r"!! priority must be a whole number from "
                        r"-128 to 127, not '500'")
        n.send("/priority")
        n.expect_buffer(local, r"-- %s: priority 0$" % re.escape(local))


@tap.both_servers
def test_contact_presence_changes_are_shown():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    bot, bot_jid = mutual_sender(p, local)
    with bot, Headless(["-a", local], accounts={
            local: account_settings(p, local, pw)}) as n:
        n.expect_buffer(local, r"-- %s is online$" % re.escape(bot_jid))
        # The chat is open once the bot has natter's message.
        n.send("/msg %s hi" % bot_jid)
        bot.expect_line(r'^RECV %s/\S+ "hi"$' % re.escape(jid))
        chat = "%s/%s" % (local, bot_jid)
        bot.send({"presence": {"show": "away", "status": "lunch"}})
        n.expect_buffer(local, r"-- %s is away: lunch$" % re.escape(bot_jid))
        # The open chat with the contact says it too.
        n.expect_buffer(chat, r"-- %s is away: lunch$" % re.escape(bot_jid))
        # Prosody ends a stream with ESC in it; C1 CSI (U+009B) passes.
        bot.send({"presence": {"show": "dnd", "status": "\u009b2Jmeeting"}})
        # Network text is sanitised before it is shown.
        m = n.expect_buffer(local, r"-- %s is dnd: (.*)$" % re.escape(bot_jid))
        assert m.group(1) == "\ufffd2Jmeeting", ascii(m.group(1))
        n.send("/roster")
        n.expect_buffer(chat, r"%s - dnd: .*meeting \[both\]$"
                        % re.escape(bot_jid))
        bot.send_json({"quit": True})
        n.expect_buffer(local, r"-- %s is offline$" % re.escape(bot_jid))


@tap.both_servers
def test_subscription_request_is_listed_and_allowed():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "asker")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as bot:
        n.send("/sub pending")
        n.expect_buffer(local, r"-- %s: no subscription requests waiting"
                        % re.escape(local))
        bot.send({"presence": {"to": jid, "type": "subscribe"}})
        n.expect_buffer(local, r"-- %s asks to see your presence: /sub allow "
                        % re.escape(s_jid))
        n.send("/sub pending")
        n.expect_buffer(local, r"-- %s: subscription requests waiting"
                        % re.escape(local))
        n.expect_buffer(local, r"--   %s$" % re.escape(s_jid))
        n.send("/sub allow %s" % s_jid)
        n.expect_buffer(local, r"-- %s: may now see your presence\.$"
                        % re.escape(s_jid))
        bot.expect_line(r"^PRESENCE %s subscribed$" % re.escape(jid))
        n.expect_buffer(local, r"-- Roster: subscription with %s is now "
                        r"from\.$" % re.escape(s_jid))
        # Now allowed, the asker gets natter's presence.
        bot.expect_line(r"^PRESENCE %s/\S+ available$" % re.escape(jid))
        n.send("/sub show")
        n.expect_buffer(local, r"-- %s: no subscription requests waiting"
                        % re.escape(local))
        n.send("/sub show %s" % s_jid)
        n.expect_buffer(local, r"-- %s: subscription from$"
                        % re.escape(s_jid))


@tap.both_servers
def test_subscription_request_can_be_denied():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "pest")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as bot:
        bot.send({"presence": {"to": jid, "type": "subscribe"}})
        n.expect_buffer(local, r"-- %s asks to see your presence"
                        % re.escape(s_jid))
        n.send("/sub deny %s" % s_jid)
        bot.expect_line(r"^PRESENCE %s unsubscribed$" % re.escape(jid))
        n.send("/sub pending")
        n.expect_buffer(local, r"-- %s: no subscription requests waiting"
                        % re.escape(local))
        n.send("/sub frobnicate %s" % s_jid)
        n.expect_buffer(local, r"!! unknown /sub action 'frobnicate'")


def test_auto_away_and_back():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "idler")
    bot_local, bot_jid, bot_pw = tap.new_account(p, "watcher")
    p.make_mutual(local, bot_local)
    with Bot.echo(p, bot_local, bot_pw) as bot, \
            Headless(["-a", local], accounts={
                local: account_settings(p, local, pw)}) as n:
        show_line(bot, jid, "online")
        n.send("/status online working")
        assert show_line(bot, jid, "online") == (0, "working")
        n.send("/set autoaway_message not here")
        n.send("/set autoaway_status xa")
        n.send("/set autoaway_minutes 0")
        n.send("/set autoaway_seconds 1")
        # One second after the last line typed, the account goes xa.
        n.expect_buffer(local, r"-- Auto-away: xa after 1 seconds without "
                        r"a key press\.$")
        assert show_line(bot, jid, "xa") == (0, "not here")
        # The next line typed brings the previous presence back.
        n.send("/status")
        n.expect_buffer(local, r"-- Auto-away ended: online again\.$")
        assert show_line(bot, jid, "online") == (0, "working")
        # And the idle timer runs again for the next time.
        n.expect_buffer(local, r"-- Auto-away: xa after 1 seconds")
        assert show_line(bot, jid, "xa") == (0, "not here")
        # A status chosen while away is kept: the key press that typed it
        # restores first, then the new status is set.
        n.send("/status dnd busy")
        assert show_line(bot, jid, "online") == (0, "working")
        assert show_line(bot, jid, "dnd") == (0, "busy")
        n.send("/set autoaway_seconds 0")
        n.send("/status")
        n.expect_buffer(local, r"-- %s: dnd: busy, priority 0$"
                        % re.escape(local))


if __name__ == "__main__":
    tap.main(globals())
