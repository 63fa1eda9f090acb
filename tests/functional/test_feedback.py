#!/usr/bin/python3
# What a command asks the server is answered where the command was typed:
# /block, /unblock, /roster add and nick, /bookmark add and remove, /rooms
# typed in a chat window answer there, not in the account's console.
import os
import re

from natter_test import tap

from fixtures import online_natter


def test_answers_come_back_to_the_window_of_the_command():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    spam = "spam@%s" % p.domain
    carol = "carol@%s" % p.domain
    room = "feedback-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    with n:
        n.expect_buffer(local, r"Roster received")
        n.send("/msg friend@%s" % p.domain)
        chat = "%s/friend@%s" % (local, p.domain)
        n.send("/block %s" % spam)
        n.expect_buffer(chat, r"-- Blocked %s\.$" % re.escape(spam))
        n.send("/unblock %s" % spam)
        n.expect_buffer(chat, r"-- Unblocked %s\.$" % re.escape(spam))
        n.send("/roster add %s" % carol)
        n.expect_buffer(chat, r"-- Roster: added %s\.$" % re.escape(carol))
        n.send("/roster nick %s Caro" % carol)
        n.expect_buffer(chat, r"-- Roster: updated %s\.$" % re.escape(carol))
        n.send("/bookmark add %s autojoin off" % room)
        n.expect_buffer(chat, r"-- Bookmarked %s\.$" % re.escape(room))
        n.send("/bookmark remove %s" % room)
        n.expect_buffer(chat, r"-- Bookmark of %s removed\.$"
                        % re.escape(room))
        n.send("/rooms")
        n.expect_buffer(chat, r"-- \d+ rooms? on %s" % re.escape(p.muc_domain))
        for answer in ("Blocked", "Unblocked", "Roster: added",
                       "Roster: updated", "Bookmarked", "Bookmark of",
                       "rooms? on"):
            assert not n.lines_matching(r"^\[%s\] -- %s" % (re.escape(local),
                                                            answer)), answer


if __name__ == "__main__":
    tap.main(globals())
