#!/usr/bin/python3
# The service discovery browser (/browse) walked on the real server: the
# server, one level down to its conference service (found by its number in
# the listing), and one more to a public room a bot made; an entity that does
# not exist and a number that is not in the listing are said, and natter
# goes on.
import re

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from test_muc import bot_configure, bot_join


def item_number(n, view, jid):
    """The number the listing in VIEW gives JID."""
    m = n.expect_buffer(view, r"-- +(\d+)  %s(?: |$)" % re.escape(jid))
    return int(m.group(1))


@tap.both_servers
def test_walk_server_service_room():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    b_local, b_jid, b_pw = tap.new_account(p, "host")
    room = "browsed-%s@%s" % (local, p.muc_domain)
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    with n, Bot.sender(p, b_local, b_pw, commands=True) as host:
        bot_join(host, room, "host")
        bot_configure(host, room, {"publicroom": "1"}, "pub1")
        n.expect_buffer(local, r"Connected as ")
        n.send("/browse")
        top = "%s/browse:%s" % (local, p.domain)
        n.expect_buffer(top, r"-- Is: server/im")
        n.expect_buffer(top, r"-- Does \(\d+\): .*http://jabber\.org/"
                        r"protocol/disco#info")
        number = item_number(n, top, p.muc_domain)
        n.expect_buffer(top, r"-- \d+ items?: /browse N opens item N\.$")
        n.send("/browse %d" % number)
        service = "%s/browse:%s" % (local, p.muc_domain)
        n.expect_buffer(service, r"-- Is: conference/text")
        number = item_number(n, service, room)
        n.send("/browse %d" % number)
        room_view = "%s/browse:%s" % (local, room)
        n.expect_buffer(room_view, r"-- Is: conference/text")
        n.expect_buffer(room_view, r"-- Does \(\d+\): .*"
                        r"http://jabber\.org/protocol/muc")


@tap.both_servers
def test_what_cannot_be_browsed_is_said():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    with n:
        n.expect_buffer(local, r"Connected as ")
        n.send("/browse 3")
        util.wait_until(lambda: n.lines_matching(
            r"!! nothing browsed yet: /browse \[JID \[NODE\]\] first"), 10,
            "nothing browsed yet")
        n.send("/browse nowhere.invalid")
        view = "%s/browse:nowhere.invalid" % local
        n.expect_buffer(view, r"!! What it is: not said \(\S+")
        n.expect_buffer(view, r"!! Items: not said \(\S+")
        n.send("/browse 7")
        util.wait_until(lambda: n.lines_matching(
            r"!! the last listing has items 1 to 0"), 10, "out of range")
        n.send("/browse not a jid")
        util.wait_until(lambda: n.lines_matching(r"!! .*(usage|arguments|"
                                                 r"not a valid)"), 10,
                        "the bad address")


if __name__ == "__main__":
    tap.main(globals())
