#!/usr/bin/python3
# History that loses nothing: every message in and out is stored, a chat
# opens with its last lines, and a message typed while offline is kept
# and sent when the account connects.
import json
import re

import os

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import echo_bot


def restart(n):
    """Stops natter and starts it again on the same config and data."""
    n.stop()
    n.start()


@tap.both_servers
def test_history_survives_a_restart():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    local, jid, pw = tap.new_account(p, "keeper")
    accounts = {local: account_settings(p, local, pw)}
    chat = "%s/%s" % (local, bot_jid)
    with bot, Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s first words" % bot_jid)
        n.expect_buffer(chat, r"<%s> echo: first words$" % re.escape(bot_jid))
        restart(n)
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s" % bot_jid)
        # The chat opens with what was said before, in order, once.
        n.expect_buffer(chat, r"\(history\) <%s> first words$"
                        % re.escape(local))
        n.expect_buffer(chat, r"\(history\) <%s> echo: first words$"
                        % re.escape(bot_jid))
        assert len(n.lines_matching(r"\(history\) .*first words")) == 2


@tap.both_servers
def test_message_typed_offline_is_sent_on_connect():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    local, jid, pw = tap.new_account(p, "later")
    accounts = {local: account_settings(p, local, pw)}
    chat = "%s/%s" % (local, bot_jid)
    with bot, Headless(accounts=accounts) as n:
        n.send("/msg -a %s %s written offline" % (local, bot_jid))
        n.expect_buffer(chat, r"<%s> written offline$" % re.escape(local))
        n.expect_buffer(chat, r"-- %s is not online: the message is kept"
                        % re.escape(local))
        assert bot.lines_matching(r"^RECV ") == []
        n.send("/connect %s" % local)
        n.expect_buffer(local, r"Sent 1 message typed while offline\.")
        n.expect_buffer(chat, r"<%s> echo: written offline$"
                        % re.escape(bot_jid))
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert frm.startswith(jid + "/") and json.loads(body) == \
            "written offline"
        # Sent once: a second connection does not send it again.
        n.send("/disconnect %s" % local)
        n.expect_buffer(local, r"Disconnected\.")
        n.send("/connect %s" % local)
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s after" % bot_jid)
        n.expect_buffer(chat, r"echo: after$")
        assert len(bot.lines_matching(r"^RECV .*written offline")) == 1


@tap.both_servers
def test_messages_from_offline_storage_are_stored_once_in_order():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "away")
    s_local, s_jid, s_pw = tap.new_account(p, "early")
    from natter_test.bots import Bot
    with Bot.sender(p, s_local, s_pw, to=jid, count=3,
                    text="while you were out {i}") as sender:
        sender.expect_line(r"^DONE$")
    accounts = {local: account_settings(p, local, pw)}
    with Headless(["-a", local], accounts=accounts) as n:
        chat = "%s/%s" % (local, s_jid)
        for i in (1, 2, 3):
            n.expect_buffer(chat, r"<%s> while you were out %d$"
                            % (re.escape(s_jid), i))
        restart(n)
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s" % s_jid)
        n.expect_buffer(chat, r"\(history\) <%s> while you were out 3$"
                        % re.escape(s_jid))
        # After the restart: each once, in order, from history.
        lines = n.lines_matching(r"while you were out")
        assert [re.search(r"(\(history\)).* (\d)$", l).groups()
                for l in lines] == [("(history)", "1"), ("(history)", "2"),
                                    ("(history)", "3")], lines


@tap.both_servers
def test_history_search_finds_words_across_conversations():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    local, jid, pw = tap.new_account(p, "seeker")
    accounts = {local: account_settings(p, local, pw)}
    with bot, Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        n.send("/msg %s dinner on Friday?" % bot_jid)
        n.expect_buffer("%s/%s" % (local, bot_jid), r"echo: dinner on Friday")
        n.send("/msg %s lunch maybe" % bot_jid)
        n.expect_buffer("%s/%s" % (local, bot_jid), r"echo: lunch maybe")
        restart(n)
        n.expect_buffer(local, r"Connected as")
        n.send("/history -a %s search friday DINNER" % local)
        n.expect_buffer(local, r"-- 2 messages of %s with: friday DINNER"
                        % re.escape(local))
        n.expect_buffer(local, r"--   \S+ \S+ %s -> echo: dinner on "
                        r"Friday\?$" % re.escape(bot_jid))
        n.expect_buffer(local, r"--   \S+ \S+ %s <- dinner on Friday\?$"
                        % re.escape(bot_jid))
        n.send("/history -a %s search \"OR NEAR(" % local)
        n.expect_buffer(local, r"-- No message of %s has: "
                        % re.escape(local))
        n.send("/history search")
        n.expect_buffer(local, r"!! usage: /history search \[-with JID\] "
                        r"WORDS, /history more")


def test_history_search_pages_totals_one_conversation_phrases_nicks():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "pager")
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    c_local, c_jid, c_pw = tap.new_account(p, "carol")
    p.add_contacts(local, {b_jid: {"name": "Bobby"}})
    room = "reports-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    accounts = {local: account_settings(p, local, pw)}
    with Headless(["-a", local], accounts=accounts) as n, \
            Bot.sender(p, c_local, c_pw, commands=True) as carol:
        n.expect_buffer(local, r"Roster received: 1 contact[,.]")
        with Bot.sender(p, b_local, b_pw, to=jid, count=25,
                        text="report {i} ready") as bob:
            bob.expect_line(r"^DONE$", timeout=30)
        n.expect(r"report 25 ready$")
        n.send("/join %s" % room)
        n.expect(r"You joined %s" % re.escape(room))
        carol.send({"raw": "<presence to='%s/carol'><x xmlns='http://jabber"
                    ".org/protocol/muc'/></presence>" % room})
        carol.expect_line(r"^PRESENCE %s/carol available$" % re.escape(room))
        carol.send({"to": room, "type": "groupchat",
                    "body": "the room report is late"})
        n.expect(r"<carol> the room report is late$")

        # A page at a time, with the total; the newest first.
        n.send("/history search report")
        n.expect(r"-- 26 messages of %s with: report \(1-20; /history more "
                 r"shows the next ones\)$" % re.escape(local))
        n.expect(r"--   \S+ \S+ %s <carol> the room report is late$"
                 % re.escape(room))
        n.expect(r"--   \S+ \S+ %s -> report 25 ready$" % re.escape(b_jid))
        n.expect(r"--   \S+ \S+ %s -> report 7 ready$" % re.escape(b_jid))
        n.send("/history more")
        n.expect(r"-- 26 messages of %s with: report \(21-26\)$"
                 % re.escape(local))
        n.expect(r"--   \S+ \S+ %s -> report 6 ready$" % re.escape(b_jid))
        n.expect(r"--   \S+ \S+ %s -> report 1 ready$" % re.escape(b_jid))
        n.send("/history more")
        n.expect(r"-- No more messages of %s with: report \(all 26 shown\)$"
                 % re.escape(local))
        assert len(n.lines_matching(r"--   \S+ \S+ \S+ -> report 6 ready$")) \
            == 1, "a result shown twice"

        # One conversation, by roster name; a phrase.
        n.send("/history search -with Bobby report")
        n.expect(r"-- 25 messages of %s with %s with: report \(1-20;"
                 % (re.escape(local), re.escape(b_jid)))
        n.send("/history search -with %s late" % room)
        n.expect(r"-- 1 message of %s with %s with: late \(1-1\)$"
                 % (re.escape(local), re.escape(room)))
        n.send('/history search "report 3 ready"')
        n.expect(r'-- 1 message of %s with: "report 3 ready" \(1-1\)$'
                 % re.escape(local))
        n.expect(r"--   \S+ \S+ %s -> report 3 ready$" % re.escape(b_jid))
        n.send('/history search "ready report"')
        n.expect(r'-- No message of %s has: "ready report"$'
                 % re.escape(local))
        n.send("/history search -with")
        n.expect(r"!! usage: /history search -with JID WORDS")


if __name__ == "__main__":
    tap.main(globals())
