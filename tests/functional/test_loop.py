#!/usr/bin/python3
# The event loop: an idle connected natter sleeps (no polling timers), and
# it still reacts at once when something arrives.
import os
import time

from natter_test import tap
from natter_test.bots import Bot

from fixtures import online_natter


def wakeups(pid):
    """Voluntary context switches of every thread of PID so far."""
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
            for line in f:
                if line.startswith("voluntary_ctxt_switches:"):
                    total += int(line.split()[1])
    return total


def test_idle_natter_does_not_wake_up():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        # A command round trip: everything from the login is handled.
        n.send("/wins")
        n.expect_buffer(local, r"-- Windows:")
        before = wakeups(n.proc.pid)
        # Not a sleep standing in for a condition: the condition *is* that
        # nothing happens during this time. A 10 ms poll would show
        # hundreds of wakeups; natter must show none.
        time.sleep(3.0)
        after = wakeups(n.proc.pid)
        assert after - before <= 2, "%d wakeups in 3 s" % (after - before)


def test_idle_natter_still_reacts_to_a_message():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "waker")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        sender.send({"to": jid, "body": "wake up"})
        n.expect_buffer("%s/%s" % (local, s_jid), r"<\S+> wake up$")


if __name__ == "__main__":
    tap.main(globals())
