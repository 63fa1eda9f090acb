#!/usr/bin/python3
# bench/idle_latency.py: what a connected natter costs while idle, and how
# fast a message reaches the screen.
#
#   bench/idle_latency.py [--natter PATH] [--idle-seconds 60] [--count 50]
#
# One private Prosody on loopback (the test harness's), natter's real
# terminal UI in a pseudo-terminal of 100x30, a sender bot.
#  - idle: voluntary context switches (wakeups) and CPU time of natter over
#    --idle-seconds with nothing happening. Goal: at most 1 wakeup/s.
#  - latency: the bot sends --count messages 200 ms apart; each is timed
#    from the bot's send (time.monotonic_ns() just before it, printed by
#    the bot) to the moment natter wrote the bytes that put the text on the
#    screen (monotonic clocks are shared by all processes). Goal: < 10 ms.
# Figures are printed, never compared against a threshold: this is not a
# test.
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "harness"))

from natter_test.bots import Bot  # noqa: E402
from natter_test.headless import account_settings, write_keyfile  # noqa
from natter_test.prosody import Prosody  # noqa: E402

from ptyterm import PtyTerm, proc_counters  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--natter", default=os.path.join(
        HERE, "..", "_build", "default", "src", "natter"))
    ap.add_argument("--idle-seconds", type=float, default=60.0)
    ap.add_argument("--count", type=int, default=50)
    args = ap.parse_args()

    with Prosody() as p:
        p.create_user("user", "userpw")
        p.create_user("bot", "botpw")
        p.make_mutual("user", "bot")
        config = os.path.join(p.dir, "natter-config")
        os.makedirs(config)
        write_keyfile(os.path.join(config, "accounts"),
                      {"user": account_settings(p, "user", "userpw")})
        env = {"HOME": p.dir, "TERM": "xterm-256color", "LANG": "C.UTF-8",
               "PATH": "/usr/bin:/bin"}
        term = PtyTerm([os.path.abspath(args.natter), "--config-dir", config,
                        "--data-dir", os.path.join(p.dir, "natter-data"),
                        "-a", "user"], env=env)
        try:
            term.wait_for("Connected as")
            # Look at the chat the messages will arrive in.
            term.type("/msg bot@localhost\r")
            term.wait_for("[3] bot@localhost")
            with Bot.sender(p, "bot", "botpw", commands=True) as bot:
                term.drain(1.0)  # let the login traffic settle
                idle(term, args.idle_seconds)
                latency(term, bot, args.count)
        finally:
            term.close()


def idle(term, seconds):
    switches0, cpu0 = proc_counters(term.pid)
    term.drain(seconds)
    switches1, cpu1 = proc_counters(term.pid)
    wakeups = switches1 - switches0
    print("idle: %d wakeups in %.0f s (%.2f/s, goal <= 1/s); CPU %.1f ms"
          % (wakeups, seconds, wakeups / seconds, (cpu1 - cpu0) * 1000))


def latency(term, bot, count):
    delays = []
    for i in range(1, count + 1):
        marker = "latency-probe-%03d" % i
        bot.send_json({"to": "user@localhost", "body": marker,
                       "stamp": True})
        sent = int(bot.expect_line(r"^STAMP \S+ (\d+)$").group(1))
        shown = term.wait_for(marker)
        delays.append((shown - sent) / 1e6)
        term.drain(0.2)
    delays.sort()
    print("latency: %d messages, send to screen: median %.2f ms, "
          "p90 %.2f ms, min %.2f ms, max %.2f ms (goal < 10 ms)"
          % (len(delays), statistics.median(delays),
             delays[int(len(delays) * 0.9) - 1], delays[0], delays[-1]))


if __name__ == "__main__":
    main()
