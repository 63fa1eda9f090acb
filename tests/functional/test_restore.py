#!/usr/bin/python3
# The windows of the last session: natter quits with chats and rooms open,
# and the next start reopens them in the same order, with the same window
# current, and joins the rooms again; restore_windows off forgets them;
# a damaged windows file is reported and what can be read is reopened.
import os
import re

from natter_test import tap
from natter_test.headless import Headless, account_settings

from test_muc import natter_join, room_jid


def windows(n, buf):
    """/wins typed in the current window BUF: the ids listed, in order."""
    n.send("/wins")
    n.expect_buffer(buf, r"-- Windows:$")
    # A setting shown after the list marks its end.
    n.send("/set restore_windows")
    listed = []
    while True:
        m = n.expect(r"^\[%s\] --\s+(?:(\d+)  (\S+)|restore_windows )"
                     % re.escape(buf))
        if not m.group(1):
            return listed
        listed.append(m.group(2))


def start_with(p, local, pw, restore=True):
    return Headless(["-a", local], restore=restore,
                    accounts={local: account_settings(p, local, pw)})


def test_quit_with_windows_open_and_find_them_again():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "restorer")
    bob = "bob-%s@%s" % (os.urandom(2).hex(), p.domain)
    carol = "carol-%s@%s" % (os.urandom(2).hex(), p.domain)
    first, second = room_jid(p, "kept"), room_jid(p, "kept")
    n = start_with(p, local, pw)
    with n:
        n.expect_buffer(local, r"Connected as ")
        n.send("/msg %s" % bob)
        rbuf = natter_join(n, local, first)
        n.send("/msg %s" % carol)
        cbuf = "%s/%s" % (local, carol)
        n.send("a line to remember")
        n.expect_buffer(cbuf, r"<%s> a line to remember$" % re.escape(local))
        natter_join(n, local, second, nick="Other")
        n.send("/win %s" % first)
        want = ["natter", local, "%s/%s" % (local, bob), rbuf,
                "%s/%s" % (local, carol), "%s/%s" % (local, second)]
        assert windows(n, rbuf) == want
        n.send("/quit")
        n.wait_exit()
        assert os.path.exists(os.path.join(n.data_dir, "windows"))

        n.start()
        # The rooms are joined again at login, with the nick they had.
        n.expect_buffer(rbuf, r"-- You joined %s as %s " % (
            re.escape(first), re.escape(local)))
        n.expect_buffer("%s/%s" % (local, second), r"-- You joined %s as "
                        r"Other " % re.escape(second))
        # Same windows, same order, the same one current.
        assert windows(n, rbuf) == want
        # A window's history is read when it is first shown, not at start.
        assert not n.lines_matching(r"^\[%s\] \(history\)"
                                    % re.escape(cbuf)), n.transcript()
        n.send("/win %s" % carol)
        n.expect_buffer(cbuf, r"\(history\) .*<%s> a line to remember$"
                        % re.escape(local))
        n.send("/win %s" % first)

        # Off: nothing is kept at quit, nothing reopened.
        n.send("/set restore_windows off")
        n.expect(r"-- restore_windows = off$")
        n.send("/quit")
        n.wait_exit()
        assert not os.path.exists(os.path.join(n.data_dir, "windows"))
        n.start()
        n.expect_buffer(local, r"Connected as ")
        assert windows(n, local) == ["natter", local]
        assert not n.lines_matching(r"You joined")


def test_a_damaged_windows_file_is_reported_and_the_rest_reopened():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "damaged")
    dave = "dave@%s" % p.domain
    n = start_with(p, local, pw)
    os.makedirs(n.data_dir, exist_ok=True)
    with open(os.path.join(n.data_dir, "windows"), "wb") as f:
        f.write(("# by hand\n"
                "account\t%s\n"
                "chat\tnobody-here\tx@%s\n"          # no such account
                "chat\t%s\tnot an address@@\n"       # not a JID
                "room\t%s\troom@%s\n"                # no nick
                "teleport\t%s\tx@y\n"                # no such kind
                "%%s\n"                              # not even a line
                "*chat\t%s\t%s\n"
                % (local, p.domain, local, local, p.muc_domain, local,
                   local, dave)).encode() % b"\x1b[2J\xc3\x28garbage")
    with n:
        n.expect(r"^\[natter\] !! 5 windows of the last session not "
                 r"reopened: unknown accounts or unreadable lines in ")
        n.expect_buffer(local, r"Connected as ")
        buf = "%s/%s" % (local, dave)
        assert windows(n, buf) == ["natter", local, buf]


if __name__ == "__main__":
    tap.main(globals())
