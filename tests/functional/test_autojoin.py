#!/usr/bin/python3
# Fifty bookmarked rooms with autojoin, each with occupants and messages
# said while natter was away: at login every room is joined and caught up
# from its archive (XEP-0313 on the room), every message is stored once in
# the history database and shown once, also a message said live while the
# joins and catch-ups are under way. The rooms' occupants and messages come
# from the harness's crowd (natter_test/crowd.py): what natter receives is
# the real MUC's.
import os
import re
import sqlite3

from natter_test import tap, util
from natter_test.bots import publish_bookmarks
from natter_test.crowd import Crowd
from natter_test.headless import Headless, account_settings

from test_muc import room_jid

ROOMS = 50
OCCUPANTS = 8
BEFORE = 3       # said in each room before natter's first visit
AWAY = 12        # said in each room while natter was away
PAGED = (7, 31)  # rooms where more than a page (100) was said
JOIN_WINDOW = 16  # joins under way at once (muc_pace.c)


def say(crowd, count, label):
    crowd.say_many(count, label + " %d", members=OCCUPANTS)


def stored(n, local):
    """{room: [body, ...]} of natter's history database, in id order."""
    db = sqlite3.connect(os.path.join(n.data_dir, local, "history.db"))
    try:
        rows = db.execute("SELECT peer, body FROM messages ORDER BY id")
        out = {}
        for peer, body in rows:
            out.setdefault(peer, []).append(body)
        return out
    finally:
        db.close()


def away_count(i):
    return AWAY + (150 if i in PAGED else 0)


def expect_all_joined(n, local, rooms, nick, counts):
    """Every room joined as NICK, and its catch-up reported with a number
    of messages in the set COUNTS(i) (in whatever order the rooms
    finish), each once and after its join. The joins and the catch-ups
    are paced, each in a line of its own, and the catch-ups start only
    once every join is out (muc_pace.c): so no room is caught up before
    all but JOIN_WINDOW rooms are joined. (The bench's autojoin scenario
    shows what that does to the times.)"""
    joined, caught = set(), set()
    rx = re.compile(r"^\[%s/([^\]]+)\] -- (?:You joined \S+ as %s |"
                    r"(\d+) messages? from the room's archive\.$)"
                    % (re.escape(local), re.escape(nick)))
    index = {room: i for i, room in enumerate(rooms)}
    while len(joined) < len(rooms) or len(caught) < len(rooms):
        m = n.expect(rx, timeout=60)
        room = m.group(1)
        assert room in index, room
        if m.group(2) is None:
            assert room not in joined, "joined %s twice" % room
            joined.add(room)
        else:
            assert room in joined, "caught up %s before joining" % room
            assert len(joined) >= len(rooms) - JOIN_WINDOW, \
                "caught up %s with only %d rooms joined" % (room, len(joined))
            assert int(m.group(2)) in counts(index[room]), m.group(0)
            assert room not in caught, "caught up %s twice" % room
            caught.add(room)


@tap.timeout(600)
def test_fifty_rooms_autojoin_and_catch_up_once():
    p = tap.shared_prosody()
    rooms = [room_jid(p, "busy") for _ in range(ROOMS)]
    crowds = [Crowd(p, room) for room in rooms]
    for crowd in crowds:
        assert crowd.seat(OCCUPANTS) == OCCUPANTS
        say(crowd, BEFORE, "before")
    local, jid, pw = tap.new_account(p, "heavy")
    nick = "Heavy"
    publish_bookmarks(p, local, pw, rooms, nick)
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    with n:
        # The first visit: each room's newest messages (all there are).
        n.expect_buffer(local, r"-- Joining %d bookmarked rooms "
                        r"\(autojoin\)\.$" % ROOMS, timeout=30)
        expect_all_joined(n, local, rooms, nick, lambda i: {BEFORE})
        for i in range(ROOMS):
            assert crowds[i].count() == OCCUPANTS + 1
        n.stop()

        # A week away: each room talked on, two of them for pages.
        for i, crowd in enumerate(crowds):
            say(crowd, away_count(i), "away")

        n.start()
        n.expect_buffer(local, r"-- Joining %d bookmarked rooms "
                        r"\(autojoin\)\.$" % ROOMS, timeout=30)
        # Said while the joins and catch-ups go on: live or archived,
        # it arrives once.
        live = rooms[ROOMS - 1]
        crowds[ROOMS - 1].say(1, "live while joining")
        # (The live one counts as archived only if it came before the join.)
        expect_all_joined(n, local, rooms, nick,
                          lambda i: {away_count(i), away_count(i)
                                     + (i == ROOMS - 1)})
        # Every room's messages, each once, in the order they were said.
        db = util.wait_until(
            lambda: (lambda s: s if all(
                len(s.get(room, [])) >= BEFORE + away_count(i)
                + (room == live) for i, room in enumerate(rooms)) else None)(
                    stored(n, local)),
            20, "every room's messages stored")
        for i, room in enumerate(rooms):
            want = (["before %d" % k for k in range(1, BEFORE + 1)]
                    + ["away %d" % k for k in range(1, away_count(i) + 1)])
            got = [b for b in db[room] if b != "live while joining"]
            assert got == want, (room, got[:5], len(got), len(want))
            if room == live:
                assert db[room].count("live while joining") == 1, db[room]
        # Shown once: no message line twice in a room's window, and none
        # of this visit's as history.
        for i, room in enumerate(rooms):
            buf = re.escape("%s/%s" % (local, room))
            lines = n.lines_matching(r"^\[%s\] .*?<crowd\d+> " % buf)
            texts = [line.split("> ", 1)[1] for line in lines]
            dups = sorted({t for t in texts if texts.count(t) > 1})
            assert not dups, (room, dups[:5])
            fresh = [t for t, line in zip(texts, lines)
                     if "(history)" not in line]
            assert len(fresh) == away_count(i) + (room == live), \
                (room, len(fresh))
            assert not [line for line in lines if "(history)" in line
                        and "> away " in line], room


if __name__ == "__main__":
    tap.main(globals())
