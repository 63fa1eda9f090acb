#!/usr/bin/python3
# Messages that change earlier ones, both ways, with a bot: corrections
# (XEP-0308), reactions (XEP-0444), retractions (XEP-0424) and replies
# (XEP-0461). Only a message's author may correct or retract it.
import json
import re

from natter_test import tap
from natter_test.bots import Bot

from fixtures import online_natter

NS = {"correct": "urn:xmpp:message-correct:0",
      "reactions": "urn:xmpp:reactions:0",
      "retract": "urn:xmpp:message-retract:1",
      "reply": "urn:xmpp:reply:0", "fallback": "urn:xmpp:fallback:0"}


def talk(p):
    """natter online, and a bot it talks to: (n, local, jid, bot, bot_jid,
    chat)."""
    n, local, jid = online_natter(p)
    b_local, b_jid, b_pw = tap.new_account(p, "peer")
    bot = Bot.sender(p, b_local, b_pw, commands=True)
    return n, local, jid, bot, b_jid, "%s/%s" % (local, b_jid)


def natter_said(n, bot, chat, text):
    """natter sends TEXT to the bot; returns the message's id as the bot
    saw it."""
    n.send("/msg %s %s" % (chat.split("/", 1)[1], text))
    bot.expect_line(r"^RECV \S+ %s$" % re.escape(json.dumps(text)))
    return bot.expect_line(r"^IDS \S+ (\S+) ").group(1)


@tap.both_servers
def test_incoming_correction_and_a_forged_one():
    p = tap.shared_server()
    n, local, jid, bot, b_jid, chat = talk(p)
    m_local, m_jid, m_pw = tap.new_account(p, "mallory")
    with n, bot, Bot.sender(p, m_local, m_pw, commands=True) as mallory:
        bot.send({"to": jid, "body": "see you at 7", "id": "m1"})
        n.expect_buffer(chat, r"<%s> see you at 7$" % re.escape(b_jid))
        bot.send({"raw": "<message to='%s' type='chat' id='m2'><body>see "
                         "you at 8</body><replace xmlns='%s' id='m1'/>"
                         "</message>" % (jid, NS["correct"])})
        n.expect_buffer(chat, r"\(received, edited\) <%s> see you at 8$"
                        % re.escape(b_jid))
        # Someone else cannot correct bob's message.
        mallory.send({"raw": "<message to='%s' type='chat'><body>cancelled"
                             "</body><replace xmlns='%s' id='m1'/></message>"
                             % (jid, NS["correct"])})
        n.expect_buffer(local, r"!! Ignored a correction from %s/"
                        % re.escape(m_jid))
        assert not n.lines_matching(r"cancelled")


@tap.both_servers
def test_our_correction_reaches_the_contact():
    p = tap.shared_server()
    n, local, jid, bot, b_jid, chat = talk(p)
    with n, bot:
        first = natter_said(n, bot, chat, "teh cat")
        n.send("/correct the cat")
        n.expect_buffer(chat, r"\(sent, edited\) <%s> the cat$"
                        % re.escape(local))
        bot.expect_line(r'^RECV \S+ "the cat"$')
        bot.expect_line(r"^IDS \S+ \S+ %s -$" % re.escape(first))


@tap.both_servers
def test_reactions_both_ways():
    p = tap.shared_server()
    n, local, jid, bot, b_jid, chat = talk(p)
    with n, bot:
        ours = natter_said(n, bot, chat, "pizza tonight?")
        bot.send({"raw": "<message to='%s' type='chat'><reactions xmlns='%s'"
                         " id='%s'><reaction>\U0001F44D</reaction>"
                         "</reactions></message>"
                         % (jid, NS["reactions"], ours)})
        n.expect_buffer(chat, "reactions: \U0001F44D\\) <%s> pizza tonight"
                        % re.escape(local))
        bot.send({"to": jid, "body": "with olives", "id": "b1"})
        n.expect_buffer(chat, r"<%s> with olives$" % re.escape(b_jid))
        n.send("/react \u2764")
        bot.expect_line(r'^REACTIONS \S+ b1 \["\\u2764"\]$')
        n.expect_buffer(chat, "reactions: \u2764\\) <%s> with olives"
                        % re.escape(b_jid))


@tap.both_servers
def test_a_senders_reactions_are_a_set():
    p = tap.shared_server()
    n, local, jid, bot, b_jid, chat = talk(p)
    with n, bot:
        ours = natter_said(n, bot, chat, "cake?")

        def react(*emojis):
            bot.send({"raw": "<message to='%s' type='chat'><reactions xmlns="
                      "'%s' id='%s'>%s</reactions></message>"
                      % (jid, NS["reactions"], ours,
                         "".join("<reaction>%s</reaction>" % e
                                 for e in emojis))})
        # 300 times the same from one sender: one reaction, counted once.
        react(*["\U0001F44D"] * 300)
        n.expect_buffer(chat, "reactions: \U0001F44D\\) <%s> cake\\?"
                        % re.escape(local))
        # Ours too: two senders.
        n.send("/react \U0001F44D")
        n.expect_buffer(chat, "reactions: \U0001F44D 2\\) <%s> cake\\?"
                        % re.escape(local))
        # A new set from the same sender replaces the old one.
        react("\u2764", "\u2764")
        n.expect_buffer(chat, "reactions: \U0001F44D \u2764\\) <%s> cake"
                        % re.escape(local))
        assert not n.lines_matching("\U0001F44D [3-9]|\U0001F44D \\d\\d")


@tap.both_servers
def test_retractions_both_ways():
    p = tap.shared_server()
    n, local, jid, bot, b_jid, chat = talk(p)
    with n, bot:
        bot.send({"to": jid, "body": "oops, wrong chat", "id": "r1"})
        n.expect_buffer(chat, r"<%s> oops, wrong chat$" % re.escape(b_jid))
        bot.send({"raw": "<message to='%s' type='chat'><retract xmlns='%s' "
                         "id='r1'/></message>" % (jid, NS["retract"])})
        n.expect_buffer(chat, r"\(retracted\) <%s> $" % re.escape(b_jid))
        ours = natter_said(n, bot, chat, "my secret")
        n.send("/retract")
        bot.expect_line(r"^RETRACT \S+ %s$" % re.escape(ours))
        n.expect_buffer(chat, r"\(retracted\) <%s> $" % re.escape(local))
        # The text is gone from history too.
        n.send("/history search secret")
        n.expect_buffer(chat, r"-- No message of %s has: secret"
                        % re.escape(local))


@tap.both_servers
def test_replies_both_ways():
    p = tap.shared_server()
    n, local, jid, bot, b_jid, chat = talk(p)
    with n, bot:
        ours = natter_said(n, bot, chat, "lunch at noon?")
        quote = "> lunch at noon?\n"
        bot.send({"raw": "<message to='%s' type='chat' id='a1'><body>%syes!"
                         "</body><reply xmlns='%s' to='%s' id='%s'/>"
                         "<fallback xmlns='%s' for='%s'><body start='0' "
                         "end='%d'/></fallback></message>"
                         % (jid, quote, NS["reply"], jid, ours,
                            NS["fallback"], NS["reply"], len(quote))})
        # The quote is shown from our history, the fallback text cut.
        n.expect_buffer(chat, r"\(reply to %s: lunch at noon\?\) <%s> yes!$"
                        % (re.escape(local), re.escape(b_jid)))
        n.send("/reply great")
        bot.expect_line(r'^RECV \S+ "> yes!\\ngreat"$')
        bot.expect_line(r"^IDS \S+ \S+ - a1$")


def test_me_and_commands_outside_a_chat():
    p = tap.shared_prosody()
    n, local, jid, bot, b_jid, chat = talk(p)
    with n, bot:
        n.send("/correct nothing")
        n.expect_buffer(local, r"!! /correct works in a chat window")
        n.send("/msg %s" % b_jid)
        n.send("/retract")
        n.expect_buffer(chat, r"!! no message of yours here to change")
        n.send("/me waves")
        bot.expect_line(r'^RECV \S+ "/me waves"$')


if __name__ == "__main__":
    tap.main(globals())
