#!/usr/bin/python3
# The event loop: an idle connected natter sleeps (no polling timers), and
# it still reacts at once when something arrives.
import os
import time

from natter_test import tap
from natter_test.bots import Bot

from fixtures import online_natter


def wakeups(pid):
    """Voluntary context switches of each thread of PID so far, by
    "tid/name"."""
    counts = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        base = "/proc/%d/task/%s/" % (pid, tid)
        with open(base + "comm") as f:
            name = f.read().strip()
        with open(base + "status") as f:
            for line in f:
                if line.startswith("voluntary_ctxt_switches:"):
                    counts["%s/%s" % (tid, name)] = int(line.split()[1])
    return counts


def woken(before, after):
    """Wakeups per thread between two wakeups() readings."""
    return {t: after[t] - before.get(t, 0) for t in after
            if after[t] != before.get(t, 0)}


def wait_until_quiet(pid, window=0.5, timeout=15.0):
    """Wait until PID has a WINDOW-long stretch with no wakeup at all: the
    tail of the login (our presence coming back from the server, say) may
    still be arriving on a slow machine. A polling natter never gets
    there and the test fails."""
    deadline = time.monotonic() + timeout
    last = wakeups(pid)
    while True:
        time.sleep(window)
        now = wakeups(pid)
        if not woken(last, now):
            return
        assert time.monotonic() < deadline, \
            "never quiet for %.1f s: %r" % (window, woken(last, now))
        last = now


def test_idle_natter_does_not_wake_up():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        # A command round trip: everything from the login is handled.
        n.send("/wins")
        n.expect_buffer(local, r"-- Windows:")
        wait_until_quiet(n.proc.pid)
        before = wakeups(n.proc.pid)
        # Not a sleep standing in for a condition: the condition *is* that
        # nothing happens during this time. A 10 ms poll would show
        # hundreds of wakeups, a 1 s one five; natter must show none.
        time.sleep(5.0)
        diff = woken(before, wakeups(n.proc.pid))
        assert sum(diff.values()) <= 2, "wakeups in 5 s: %r" % diff


def test_keepalive_wakes_only_for_its_pings():
    # With a short ping_interval an idle natter wakes for each ping and its
    # answer, and for nothing else: one timer armed for the next deadline,
    # not a poll.
    import re
    from natter_test.headless import Headless, account_settings, \
        write_keyfile
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "pinger")
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    interval, window = 2, 6.0
    write_keyfile(os.path.join(n.config_dir, "natterrc"),
                  {"settings": {"ping_interval": interval}})
    with n:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
        n.send("/wins")
        n.expect_buffer(local, r"-- Windows:")
        wait_until_quiet(n.proc.pid)
        before = wakeups(n.proc.pid)
        # The condition is what happens during this time, as above.
        time.sleep(window)
        diff = woken(before, wakeups(n.proc.pid))
        pings = window / interval
        # About two wakeups per ping (the timer, the answer); a 10 ms poll
        # would show hundreds. At least one ping must have gone out.
        assert 2 <= sum(diff.values()) <= 4 * (pings + 1), \
            "wakeups in %.0f s with ping_interval %d: %r" % (
                window, interval, diff)


def test_idle_natter_still_reacts_to_a_message():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "waker")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        sender.send({"to": jid, "body": "wake up"})
        n.expect_buffer("%s/%s" % (local, s_jid), r"<\S+> wake up$")


if __name__ == "__main__":
    tap.main(globals())
