#!/usr/bin/python3
# One-to-one chat on the real server: /msg opens a chat and sends, replies
# and new conversations land in the right window, errors are shown where the
# conversation is, hostile text is made safe, nothing typed is lost.
import json
import re

from natter_test import tap
from natter_test.bots import Bot

from fixtures import echo_bot, online_natter


@tap.both_servers
def test_msg_opens_chat_and_the_reply_appears_there():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter(p)
    with bot, n:
        n.send("/msg %s hello there" % bot_jid)
        chat = "%s/%s" % (local, bot_jid)
        n.expect_buffer(chat, r"<%s> hello there$" % re.escape(local))
        n.expect_buffer(chat, r"<%s> echo: hello there$" % re.escape(bot_jid))
        # What arrived is exactly what was typed.
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert frm.startswith(jid + "/"), frm
        assert json.loads(body) == "hello there"


@tap.both_servers
def test_text_without_slash_goes_to_the_current_chat():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter(p)
    with bot, n:
        n.send("/msg %s" % bot_jid)
        n.send("just words, no command")
        n.send("//slash at the start")
        chat = "%s/%s" % (local, bot_jid)
        n.expect_buffer(chat, r"echo: just words, no command$")
        n.expect_buffer(chat, r"echo: /slash at the start$")
        # The bot's lines are read as they come: its last one first.
        bot.expect_line(r"^RECV \S+ \"/slash at the start\"$")
        bodies = [json.loads(m.group(1)) for m in
                  map(re.compile(r"^RECV \S+ (.*)$").match,
                      bot.lines_matching(r"^RECV "))]
        assert bodies == ["just words, no command", "/slash at the start"]


def test_text_in_the_console_is_not_sent_and_says_why():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("hello console")
        n.expect_buffer(local, r"!! this window is not a conversation; "
                        r"commands start with '/' \(try /help\)")


@tap.both_servers
def test_incoming_message_opens_a_new_window():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    with n, Bot.sender(p, s_local, s_pw, to=jid, count=3,
                       text="note {i}") as sender:
        sender.expect_line(r"^DONE$")
        chat = "%s/%s" % (local, s_jid)
        for i in (1, 2, 3):
            n.expect_buffer(chat, r"<%s> note %d$" % (re.escape(s_jid), i))


@tap.both_servers
def test_hostile_text_is_made_safe():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "hostile")
    # Prosody ends the stream of a client sending ESC or other C0 bytes, so
    # the dangerous things that do get through are C1 controls (U+009B is
    # CSI for many terminals), DEL, bidi overrides and isolates.
    body = "a\u009b2Jb\u007fc\u202eevil\u2066x\u2069 end"
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        sender.send({"to": jid, "body": body})
        m = n.expect_buffer("%s/%s" % (local, s_jid), r"<\S+> (a.* end)$")
        shown = m.group(1)
        assert shown == "a\ufffd2Jb\u2421c\ufffdevil\ufffdx\ufffd end", \
            ascii(shown)


@tap.both_servers
def test_message_to_an_unknown_user_shows_the_error_in_its_chat():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    with n:
        n.send("/msg nobody-here@%s are you there?" % p.domain)
        n.expect_buffer("%s/nobody-here@%s" % (local, p.domain),
                        r"!! Message to nobody-here@%s was not delivered: "
                        r"service-unavailable" % re.escape(p.domain))


def test_invalid_address_is_refused():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/msg bad@ hello")
        n.expect_buffer(local, r"!! 'bad@' is not a valid XMPP address: "
                        r"the domain is empty")


@tap.both_servers
def test_text_typed_offline_is_kept_and_sent_later():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter(p)
    chat = "%s/%s" % (local, bot_jid)
    with bot, n:
        n.send("/msg %s" % bot_jid)
        n.send("/disconnect %s" % local)
        n.expect_buffer(local, r"-- Disconnected\.")
        n.send("/win 3")
        n.send("this must not vanish")
        n.expect_buffer(chat, r"<%s> this must not vanish$"
                        % re.escape(local))
        n.expect_buffer(chat, r"-- %s is not online: the message is kept"
                        % re.escape(local))
        n.send("/connect %s" % local)
        n.expect_buffer(chat, r"echo: this must not vanish$")


@tap.timeout(120)
def test_a_burst_arrives_complete_and_in_order():
    # Many messages back to back fill TLS records beyond libstrophe's 4 KiB
    # reads: data the TLS library already decrypted must still be read
    # without waiting for more network traffic.
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "burst")
    count = 2000
    text = "burst {i} " + "x" * 180
    with n, Bot.sender(p, s_local, s_pw, to=jid, count=count,
                       text=text, timeout=30) as sender:
        sender.expect_line(r"^DONE$", timeout=60)
        chat = "%s/%s" % (local, s_jid)
        n.expect_buffer(chat, r"<\S+> burst %d x+$" % count, timeout=60)
        got = [int(m) for m in re.findall(
            r"^\[%s\] <\S+> burst (\d+) " % re.escape(chat),
            n.transcript(), re.M)]
        assert got == list(range(1, count + 1)), \
            "missing or out of order: %r" % sorted(
                set(range(1, count + 1)) - set(got))[:20]


def test_incoming_message_can_stay_out_of_a_new_window():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "quiet")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        n.send("/set open_chat_on_message off")
        n.expect_buffer(local, r"-- open_chat_on_message = off$")
        sender.send({"to": jid, "body": "no window please"})
        n.expect_buffer(local, r"<%s \(/msg %s\)> no window please$"
                        % (re.escape(s_jid), re.escape(s_jid)))
        n.send("/wins")
        n.expect_buffer(local, r"-- Windows:")
        n.send("/help msg")  # a marker after the list
        n.expect_buffer(local, r"-- /msg - ")
        assert not n.lines_matching(r"--\s+\d+\s+%s/%s$"
                                    % (re.escape(local), re.escape(s_jid)))
        n.send("/msg %s" % s_jid)
        # Opened by hand, the chat has it from history.
        n.expect_buffer("%s/%s" % (local, s_jid),
                        r"\(history\) <%s> no window please$"
                        % re.escape(s_jid))


if __name__ == "__main__":
    tap.main(globals())
