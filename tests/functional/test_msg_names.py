#!/usr/bin/python3
# /msg NAME: a contact by its roster name (any case, also right after
# /roster nick) or by the local part of its address; a name several
# contacts share is refused with their addresses; a bare word that is no
# contact is a server's address only once the user says yes.
import re

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings


def test_msg_resolves_roster_names_and_asks_for_the_rest():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "alice")
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    carols = ["carol1@%s" % p.domain, "carol2@%s" % p.domain]
    p.add_contacts(local, {carols[0]: {"name": "Carol"},
                           carols[1]: {"name": "Carol"}})
    p.make_mutual(local, b_local, None, None)
    accounts = {local: account_settings(p, local, pw)}
    with Bot.echo(p, b_local, b_pw) as bot, \
            Headless(["-a", local], accounts=accounts) as n:
        bot.expect_line(r"^PRESENCE %s/\S+ available$" % re.escape(jid))
        n.expect_buffer(local, r"-- Roster received: 3 contacts")
        # The name given with /roster nick, in another case.
        n.send("/roster nick %s Bobby" % b_jid)
        n.expect_buffer(local, r"-- Roster: updated %s\.$" % re.escape(b_jid))
        n.send("/msg bobby hello Bobby")
        n.expect_buffer("%s/%s" % (local, b_jid), r"echo: hello Bobby$")
        # The local part of a contact's address.
        n.send("/msg %s hello local part" % b_local)
        n.expect_buffer("%s/%s" % (local, b_jid), r"echo: hello local part$")
        assert not n.lines_matching(r"^\[%s/bobby\]" % re.escape(local))

        # Two contacts called Carol: neither is chosen.
        n.send("/msg carol hi")
        n.expect(r"!! 2 contacts of %s are called 'carol' \(%s, %s\): give "
                 r"the address$" % (re.escape(local), re.escape(carols[0]),
                                    re.escape(carols[1])))

        # Not a contact: asked, and nothing happens on no.
        n.send("/msg not a jid hello")
        n.expect(r"\?\? No contact of %s is called 'not'\. Open a chat with "
                 r"the server not\? \(yes/no\)" % re.escape(local))
        n.send("no")
        n.expect(r"-- No chat opened, not sent: a jid hello$")
        # On yes, the server's chat opens.
        n.send("/msg %s" % p.domain)
        n.expect(r"\?\? No contact of %s is called '%s'"
                 % (re.escape(local), re.escape(p.domain)))
        n.send("yes")
        n.send("/wins")
        n.expect(r"-- +\d+ +%s/%s$" % (re.escape(local), re.escape(p.domain)))
        n.send("/wins")
        n.expect(r"Windows:")
        n.expect(r"-- +\d+ +%s/%s \(Bobby\)$" % (re.escape(local),
                                                  re.escape(b_jid)))
        assert not n.lines_matching(r"%s/not\b" % re.escape(local))
        assert not n.lines_matching(r"\] -- +\d+ +%s/carol" % re.escape(local))


if __name__ == "__main__":
    tap.main(globals())
