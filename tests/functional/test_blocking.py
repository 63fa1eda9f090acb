#!/usr/bin/python3
# Blocking (XEP-0191) on the real server: /block stops a contact's
# messages, /blocked lists it, /unblock lets messages through again; the
# block list survives a new login; bad input is refused with a message.
import re

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings


def natter_and_contact(p, prefix):
    """natter's account and a contact (a sender bot) that are each other's
    contacts, neither started: (n, local, jid, bot, contact's jid)."""
    local, jid, pw = tap.new_account(p, "alice")
    s_local, s_jid, s_pw = tap.new_account(p, prefix)
    p.make_mutual(local, s_local)
    n = Headless(["-a", local], accounts={local: account_settings(p, local,
                                                                  pw)})
    return n, local, jid, Bot.sender(p, s_local, s_pw, commands=True,
                                     start=False), s_jid


@tap.both_servers
def test_block_list_and_unblock():
    p = tap.shared_server()
    n, local, jid, bot, s_jid = natter_and_contact(p, "spammer")
    with bot.start(), n:
        n.expect_buffer(local, r"-- %s is online$" % re.escape(s_jid))
        n.send("/blocked")
        n.expect_buffer(local, r"-- %s: nobody is blocked\.$"
                        % re.escape(local))
        n.send("/block %s" % s_jid)
        n.expect_buffer(local, r"-- Blocked %s\.$" % re.escape(s_jid))
        n.send("/blocked")
        n.expect_buffer(local, r"-- %s: blocked \(1\):$" % re.escape(local))
        n.expect_buffer(local, r"--   %s$" % re.escape(s_jid))
        # The server handles one client's stanzas in order: once the bot
        # gets its note to itself back, the message before it was handled
        # (and dropped), before the unblock below.
        bot.send({"to": jid, "body": "while blocked"})
        bot.send({"to": s_jid, "body": "note to self"})
        bot.expect_line(r'^RECV %s/\S+ "note to self"$' % re.escape(s_jid))
        n.send("/unblock %s" % s_jid)
        n.expect_buffer(local, r"-- Unblocked %s\.$" % re.escape(s_jid))
        bot.send({"to": jid, "body": "after unblock"})
        n.expect_buffer("%s/%s" % (local, s_jid),
                        r"<%s> after unblock$" % re.escape(s_jid))
        assert not n.lines_matching(r"while blocked")
        n.send("/blocked")
        n.expect_buffer(local, r"-- %s: nobody is blocked\.$"
                        % re.escape(local))


@tap.both_servers
def test_a_blocked_contact_sees_us_go_offline():
    p = tap.shared_server()
    tap.require(p, "blocking-presence")
    n, local, jid, bot, s_jid = natter_and_contact(p, "watched")
    with bot.start(), n:
        n.expect_buffer(local, r"-- %s is online$" % re.escape(s_jid))
        bot.expect_line(r"^PRESENCE %s/\S+ available$" % re.escape(jid))
        n.send("/block %s" % s_jid)
        n.expect_buffer(local, r"-- Blocked %s\.$" % re.escape(s_jid))
        bot.expect_line(r"^PRESENCE %s/\S+ unavailable$" % re.escape(jid))


@tap.both_servers
def test_block_list_is_fetched_at_login():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    accounts = {local: account_settings(p, local, pw)}
    blocked = "pest@" + p.domain
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        n.send("/block %s" % blocked)
        n.expect_buffer(local, r"-- Blocked %s\.$" % re.escape(blocked))
        n.send("/block not a jid@@")
        n.expect_buffer(local, r"!! usage: /block JID")
        n.send("/block @@")
        n.expect_buffer(local, r"!! .*")
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        n.expect_buffer(local, r"-- Blocking 1 address \(/blocked lists "
                        r"them\)\.$")
        n.send("/blocked")
        n.expect_buffer(local, r"--   %s$" % re.escape(blocked))



@tap.both_servers
def test_block_with_a_spam_report():
    p = tap.shared_server()
    n, local, jid, bot, s_jid = natter_and_contact(p, "pills")
    with bot.start(), n:
        n.expect_buffer(local, r"-- %s is online$" % re.escape(s_jid))
        n.send("/xmlconsole")
        xml = "xml:%s" % local
        n.expect_buffer(xml, r"-- Raw traffic")
        n.send("/block -report rude %s" % s_jid)
        n.expect(r"!! a report is spam or abuse, and goes with a block")
        n.send("/block -report spam %s" % s_jid)
        # XEP-0377: the report rides in the block's item.
        n.expect_buffer(xml, r"-- SENT <iq .*<block [^>]*><item [^>]*"
                        r"jid=.%s.[^>]*><report [^>]*reason=.urn:xmpp:"
                        r"reporting:spam." % re.escape(s_jid))
        n.expect_buffer(xml, r"-- Blocked %s\.$" % re.escape(s_jid))
        n.send("/blocked")
        n.expect(r"--   %s$" % re.escape(s_jid))

if __name__ == "__main__":
    tap.main(globals())
