#!/usr/bin/python3
# A room of 2,000 occupants on the real server's MUC: natter joins it, gets
# the whole list, follows the crowd's comings and goings one by one, and
# talks there. The crowd is seated through the MUC's own occupant API and
# answered for by the crowd component (natter_test/crowd.py says why);
# everything natter receives is the real MUC's.
import re

from natter_test import tap
from natter_test.crowd import Crowd

from fixtures import online_natter
from test_muc import natter_join, room_jid

CROWD = 2000


def occupants_listed(n, buf):
    """Runs /occupants and returns {nick: (role, show)} from its listing."""
    n.send("/occupants")
    head = n.expect_buffer(buf, r"-- (\d+) occupants of ")
    total = int(head.group(1))
    rx = re.compile(r"^\[%s\] --   (\S+) \((\w+), \w+, (\w+)\)"
                    % re.escape(buf))
    listed = {}
    while len(listed) < total:
        m = n.expect(rx)
        listed[m.group(1)] = (m.group(2), m.group(3))
    return listed


@tap.timeout(240)
def test_join_a_room_of_two_thousand():
    p = tap.shared_prosody()
    room = room_jid(p, "crowded")
    crowd = Crowd(p, room)
    assert crowd.seat(CROWD) == CROWD
    n, local, jid = online_natter(p)
    with n:
        buf = natter_join(n, local, room)
        n.expect_buffer(buf, r"-- %d occupants: " % (CROWD + 1))
        listed = occupants_listed(n, buf)
        assert len(listed) == CROWD + 1, len(listed)
        for i in (0, 1, 999, CROWD - 1):
            assert listed[crowd.nick(i)] == ("participant", "online"), \
                (crowd.nick(i), listed.get(crowd.nick(i)))
        assert crowd.count() == CROWD + 1

        # One at a time, as they happen.
        crowd.leave(5, "off to lunch")
        n.expect_buffer(buf, r"-- %s left \(off to lunch\)\.$"
                        % crowd.nick(5))
        crowd.join(CROWD)
        n.expect_buffer(buf, r"-- %s joined\.$" % crowd.nick(CROWD))
        crowd.show(7, "away")
        crowd.say(CROWD - 1, "hello from the back row")
        n.expect_buffer(buf, r"<%s> hello from the back row$"
                        % crowd.nick(CROWD - 1))
        listed = occupants_listed(n, buf)
        assert len(listed) == CROWD + 1, len(listed)
        assert crowd.nick(5) not in listed
        assert listed[crowd.nick(CROWD)] == ("participant", "online")
        assert listed[crowd.nick(7)] == ("participant", "away")

        # Ours reaches the room: its reflection marks it delivered.
        n.send("hi everyone")
        n.expect_buffer(buf, r"\(delivered\) <%s> hi everyone$"
                        % re.escape(local))

        # A burst from the crowd: every line once, in order.
        crowd.say_many(200, "wave %d", first_member=100, members=50)
        n.expect_buffer(buf, r"> wave 200$")
        waves = [int(m.group(1)) for m in (
            re.search(r"> wave (\d+)$", line)
            for line in n.lines_matching(r"^\[%s\] <crowd\d+> wave \d+$"
                                         % re.escape(buf)))]
        assert waves == list(range(1, 201)), waves[:10]


if __name__ == "__main__":
    tap.main(globals())
