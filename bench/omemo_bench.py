#!/usr/bin/python3
# bench/omemo_bench.py: what OMEMO costs natter, beside the same work in plain
# text, on one private Prosody in the same run.
#
#   bench/omemo_bench.py [--runs 3] [--messages 2000] [--natter PATH]
#                        [--scenarios incoming,outgoing,first] [--omemo2]
#
# - in:    a burst of N chat messages received (decrypted, stored, drawn
#          in the open chat window), built beforehand by the peer
#          (bench/omemo_burst_bot.py: python-omemo, not natter's code)
#          and routed by the server while natter is stopped (SIGSTOP), so
#          that natter meets the whole burst at once in both modes;
# - out:   N lines typed into the chat window and sent, until the peer has
#          them all;
# - first: the time from Enter to the peer reading the first message to a
#          contact natter has never talked to (device list and bundle
#          fetched, key exchange), beside a plain first message.
# natter runs in a pseudo-terminal (bench/ptyterm.py) with its own HOME;
# its CPU time comes from /proc. Each run makes new accounts and devices.
# Figures only: nothing here passes or fails.
import argparse
import os
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run import ROOT, Natter, pair_table  # noqa: E402
from run import Bench as RunBench  # noqa: E402
from natter_test.bots import Bot  # noqa: E402
from natter_test.prosody import Prosody  # noqa: E402
from ptyterm import proc_counters  # noqa: E402

DEVICE_TEXT = "is in our device list"


class OmemoBench(RunBench):
    def peer(self, botname):
        bot = Bot(os.path.join(HERE, "omemo_burst_bot.py"),
                  Bot.connection_args(self.p, botname, "pw")
                  + (["--omemo2"] if self.args.omemo2 else []),
                  name="omemo_burst_bot(%s)" % botname, commands=True)
        return bot.start(timeout=60)

    def chat(self, client, mode):
        """natter logged in with its OMEMO device published, a peer, and
        their chat open (OMEMO on for mode omemo)."""
        local, botname = self.fresh_account()
        term = self.session(client, local)
        term.wait_for(DEVICE_TEXT, timeout=30)
        bot = self.peer(botname)
        client.open_chat(term, "%s@%s" % (botname, self.p.domain))
        if mode == "omemo":
            term.type("/omemo on\r")
            term.wait_for("OMEMO on:")
        return term, bot, "%s@%s" % (local, self.p.domain)

    def incoming(self, client, mode):
        n = self.args.messages
        term, bot, me = self.chat(client, mode)
        try:
            # A message first: the key exchange is not part of the burst,
            bot.send_json({"prepare": me, "prefix": "warm", "count": 1,
                           "plain": mode == "plain"})
            bot.expect_line(r"^PREPARED 1$", timeout=60)
            bot.send_json({"go": True})
            term.wait_for("warm-1", timeout=30)
            # and one back: until the peer hears from natter, OMEMO has it
            # send key exchange messages, which a conversation soon stops.
            term.type("warm-back\r")
            bot.expect_line(r'^%s \S+ "warm-back"$'
                            % ("DECRYPTED" if mode == "omemo" else "RECV"),
                            timeout=60)
            prefix = "in%s" % me.split("@")[0]
            bot.send_json({"prepare": me, "prefix": prefix, "count": n,
                           "plain": mode == "plain"})
            bot.expect_line(r"^PREPARED %d$" % n, timeout=600)
            term.drain(0.5)
            # natter is stopped while the burst crosses the server, so
            # that it meets all of it at once whatever the peer's pace.
            os.kill(term.pid, signal.SIGSTOP)
            try:
                bot.send_json({"go": True})
                bot.expect_line(r"^ROUTED$", timeout=600)
            finally:
                os.kill(term.pid, signal.SIGCONT)
            c0 = proc_counters(term.pid)[1]
            t0 = time.monotonic_ns()
            done = term.wait_for("%s-%d" % (prefix, n), timeout=600)
            c1 = proc_counters(term.pid)[1]
        finally:
            bot.stop()
            term.close()
        self.record("in", "CPU ms", mode, (c1 - c0) * 1000)
        self.record("in", "wall ms", mode, (done - t0) / 1e6)

    def outgoing(self, client, mode):
        n = self.args.messages
        term, bot, _ = self.chat(client, mode)
        got = "DECRYPTED" if mode == "omemo" else "RECV"
        try:
            term.type("warm\r")
            bot.expect_line(r'^%s \S+ "warm"$' % got, timeout=60)
            c0 = proc_counters(term.pid)[1]
            t0 = time.monotonic()
            for i in range(1, n + 1):
                term.type("out-%d\r" % i)
                term.pump(0)  # natter never blocks on its own output
            # The peer's Python may decrypt more slowly than natter sends:
            # natter's CPU is read once the last line has left natter's
            # input, which its echo on screen shows.
            term.wait_for("out-%d" % n, timeout=600)
            bot.expect_line(r'^%s \S+ "out-%d"$' % (got, n), timeout=900)
            wall = time.monotonic() - t0
            c1 = proc_counters(term.pid)[1]
        finally:
            bot.stop()
            term.close()
        self.record("out", "CPU ms", mode, (c1 - c0) * 1000)
        self.record("out", "wall ms (peer has all)", mode, wall * 1000)

    def first(self, client, mode):
        term, bot, _ = self.chat(client, mode)
        got = "DECRYPTED" if mode == "omemo" else "RECV"
        try:
            t0 = time.monotonic()
            term.type("first\r")
            bot.expect_line(r'^%s \S+ "first"$' % got, timeout=60)
            wall = time.monotonic() - t0
        finally:
            bot.stop()
            term.close()
        self.record("first message", "ms to the peer", mode, wall * 1000)



def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--scenarios", default="incoming,outgoing,first")
    ap.add_argument("--omemo2", action="store_true",
                    help="the peer speaks OMEMO:2 (twomemo), and so natter "
                    "does; by default OMEMO 0.3 (oldmemo)")
    ap.add_argument("--natter", default=os.path.join(
        ROOT, "_build", "default", "src", "natter"))
    args = ap.parse_args()
    natter = Natter(args.natter)
    print("natter %s, %s, %d messages, %d runs, %d cores"
          % (natter.version(), "OMEMO:2" if args.omemo2 else "OMEMO 0.3",
             args.messages, args.runs, os.cpu_count()), flush=True)
    with Prosody() as p:
        bench = OmemoBench(p, args)
        for run in range(1, args.runs + 1):
            modes = ("plain", "omemo") if run % 2 else ("omemo", "plain")
            for scenario in args.scenarios.split(","):
                for mode in modes:
                    t = time.monotonic()
                    getattr(bench, scenario)(natter, mode)
                    print("run %d %s %s: %.1f s" % (run, scenario, mode,
                                                    time.monotonic() - t),
                          flush=True)
        print()
        print(pair_table(bench.results, "scenario", "omemo", "plain"))


if __name__ == "__main__":
    main()
