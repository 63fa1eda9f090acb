#!/usr/bin/python3
# Delivery receipts (XEP-0184) and chat markers (XEP-0333): our messages
# ask for both, and move to delivered and read when the peer answers; we
# answer the receipt requests of others (unless turned off).
import os
import re
import sqlite3

from natter_test import tap
from natter_test.bots import Bot

from fixtures import echo_bot, online_natter


@tap.both_servers
def test_sent_message_becomes_delivered():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p, extra_args=["--receipts"])
    n, local, jid = online_natter(p)
    chat = "%s/%s" % (local, bot_jid)
    with bot, n:
        n.send("/msg %s did you get this?" % bot_jid)
        n.expect_buffer(chat, r"\(delivered\) <%s> did you get this\?$"
                        % re.escape(local))


@tap.both_servers
def test_read_marker_makes_it_read_and_a_late_receipt_does_not_undo_it():
    p = tap.shared_server()
    # This bot sends its displayed marker before its receipt.
    bot, bot_jid = echo_bot(p, extra_args=["--receipts", "--markers"])
    n, local, jid = online_natter(p)
    chat = "%s/%s" % (local, bot_jid)
    with bot, n:
        n.send("/msg %s seen?" % bot_jid)
        n.expect_buffer(chat, r"\(read\) <%s> seen\?$" % re.escape(local))
        n.send("/msg %s again" % bot_jid)
        n.expect_buffer(chat, r"\(read\) <%s> again$" % re.escape(local))
        assert not n.lines_matching(r"\(delivered\) .*seen")


@tap.both_servers
def test_without_answers_the_message_stays_sent():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter(p)
    chat = "%s/%s" % (local, bot_jid)
    with bot, n:
        n.send("/msg %s hello" % bot_jid)
        n.expect_buffer(chat, r"\(sent\) <%s> hello$" % re.escape(local))
        n.expect_buffer(chat, r"echo: hello$")
        # The echo came back after any receipt would have: none came.
        assert not n.lines_matching(r"\((delivered|read)\)")


@tap.both_servers
def test_we_answer_receipt_requests_unless_turned_off():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p, extra_args=["--receipts"])
    n, local, jid = online_natter(p, contacts=[bot_jid])
    with bot, n:
        # The bot asks for a receipt with its echo; natter answers it.
        n.send("/msg %s one" % bot_jid)
        bot.expect_line(r"^RECEIPT %s/\S+ \S+$" % re.escape(jid))
        n.send("/set send_receipts off")
        n.send("/msg %s two" % bot_jid)
        n.expect_buffer("%s/%s" % (local, bot_jid), r"echo: two$")
        n.send("/msg %s three" % bot_jid)
        n.expect_buffer("%s/%s" % (local, bot_jid), r"echo: three$")
        assert len(bot.lines_matching(r"^RECEIPT ")) == 1


@tap.both_servers
def test_a_third_party_cannot_mark_our_messages():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter(p)
    h_local, h_jid, h_pw = tap.new_account(p, "meddler")
    chat = "%s/%s" % (local, bot_jid)
    with bot, n, Bot.sender(p, h_local, h_pw, commands=True) as hostile:
        n.send("/msg %s private" % bot_jid)
        n.expect_buffer(chat, r"echo: private$")
        # The meddler somehow knows the message's id (the test reads it
        # from natter's history): its receipt and marker still do nothing,
        # since only the conversation's peer may mark it.
        db = sqlite3.connect(os.path.join(n.data_dir, local, "history.db"))
        (origin,) = db.execute("SELECT origin_id FROM messages WHERE "
                               "body = 'private'").fetchone()
        db.close()
        hostile.send({"raw": "<message to='%s'><received xmlns="
                             "'urn:xmpp:receipts' id='%s'/><displayed "
                             "xmlns='urn:xmpp:chat-markers:0' id='%s'/>"
                             "</message>" % (jid, origin, origin)})
        # Stanzas from one sender arrive in order: once this is shown, the
        # forged acks were handled.
        hostile.send({"to": jid, "body": "done meddling"})
        n.expect_buffer("%s/%s" % (local, h_jid), r"done meddling$")
        assert not n.lines_matching(r"\((delivered|read)\)")


def markable(bot, to, msg_id, text):
    bot.send({"raw": "<message type='chat' to='%s' id='%s'><body>%s</body>"
              "<markable xmlns='urn:xmpp:chat-markers:0'/></message>"
              % (to, msg_id, text)})


@tap.both_servers
def test_we_mark_as_read_what_was_really_seen():
    p = tap.shared_server()
    s_local, s_jid, s_pw = tap.new_account(p, "reader")
    n, local, jid = online_natter(p, contacts=[s_local])
    chat = "%s/%s" % (local, s_jid)
    with Bot.sender(p, s_local, s_pw, commands=True) as bot, n:
        # It arrives while natter's console is the window shown: not read.
        markable(bot, jid, "m1", "first")
        n.expect_buffer(chat, r"<%s> first$" % re.escape(s_jid))
        markable(bot, jid, "m2", "second")
        n.expect_buffer(chat, r"<%s> second$" % re.escape(s_jid))
        n.send("/msg %s ok" % s_jid)  # shows the chat, then answers
        # Shown: one marker, for the newest (it covers the first).
        bot.expect_line(r"^MARKER %s/\S+ displayed m2$" % re.escape(jid))
        bot.expect_line(r"^RECV %s/\S+ \"ok\"$" % re.escape(jid))
        # In the window shown, while typing: read at once.
        markable(bot, jid, "m3", "third")
        bot.expect_line(r"^MARKER %s/\S+ displayed m3$" % re.escape(jid))
        # Turned off: none.
        n.send("/set send_read_markers off")
        n.expect(r"send_read_markers = off")
        markable(bot, jid, "m4", "fourth")
        n.expect_buffer(chat, r"<%s> fourth$" % re.escape(s_jid))
        n.send("after")
        bot.expect_line(r"^RECV %s/\S+ \"after\"$" % re.escape(jid))
        assert not bot.lines_matching(r"^MARKER .* m1$")
        assert not bot.lines_matching(r"^MARKER .* m4$")


if __name__ == "__main__":
    tap.main(globals())
