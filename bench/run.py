#!/usr/bin/python3
# bench/run.py: natter side by side with Profanity (and a bare libstrophe
# receiver as the floor) on one private Prosody, in the same run.
#
#   bench/run.py [--scenarios idle,latency,burst,backlog,...] [--runs 3]
#                [--natter PATH] [--profanity PATH] [--messages 5000]
#                [--idle-seconds 60] [--latency-count 50]
#                [--occupants 1000] [--room-messages 1000]
#                [--history-messages 1000000] [--long-windows 1]
#                [--long-reconnect-every 10000]
#                [--week-messages 50000] [--week-peers 200]
#
# Each client runs in its own pseudo-terminal of 100x30 (bench/ptyterm.py:
# a VT emulator reads what it writes, no tmux in between) with its own HOME
# and XDG directories, logged in to a fresh account per run, so no run sees
# another's history. The clients alternate within each run (natter,
# Profanity, floor, natter, ...). The process itself is measured from
# outside: /proc/PID/status (voluntary context switches, VmHWM) and
# /proc/PID/stat (CPU time). One table at the end: median and min-max per
# client and the ratio natter/Profanity. Figures only: nothing here passes
# or fails, and none of it is part of `make check`.
import argparse
import os
import random
import sqlite3
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))

from natter_test import profanity, util  # noqa: E402
from natter_test.bots import Bot, publish_bookmarks  # noqa: E402
from natter_test.crowd import Crowd  # noqa: E402
from natter_test.headless import account_settings, write_keyfile  # noqa
from natter_test.prosody import (DEFAULT_MODULES, AdminShell,  # noqa
                                 Prosody, lua_str)

from ptyterm import PtyTerm, proc_counters  # noqa: E402

SCENARIOS = ["idle", "latency", "burst", "backlog", "roster", "bigroom",
             "history", "long", "autojoin", "coldstart", "week"]
FLOOR_SCENARIOS = {"burst", "backlog", "bigroom", "roster", "autojoin",
                   "week"}


def vm_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def vm_hwm_kib(pid):
    return vm_kib(pid, "VmHWM")


def base_env(home):
    return {"HOME": home, "TERM": "xterm-256color", "LANG": "C.UTF-8",
            "PATH": "/usr/bin:/bin",
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
            "XDG_RUNTIME_DIR": os.path.join(home, "run")}


class Natter:
    name = "natter"
    online_text = "Connected as"
    joined_text = "You joined "

    def __init__(self, path):
        self.path = os.path.abspath(path)

    def version(self):
        try:
            return subprocess.run(["git", "-C", ROOT, "describe", "--always",
                                   "--dirty", "--tags"], capture_output=True,
                                  text=True).stdout.strip()
        except OSError:
            return "?"

    def start(self, p, local, pw, home, quick_reconnect=False):
        config = os.path.join(home, "natter-config")
        os.makedirs(config)
        write_keyfile(os.path.join(config, "accounts"),
                      {local: account_settings(p, local, pw)})
        if quick_reconnect:  # a second after a lost connection, not 5
            write_keyfile(os.path.join(config, "natterrc"),
                          {"settings": {"reconnect_delay": "1"}})
        return self.start_in(p, local, pw, home)

    def start_in(self, p, local, pw, home):
        """Starts again with what an earlier start() left in HOME."""
        return PtyTerm([self.path, "--config-dir",
                        os.path.join(home, "natter-config"), "--data-dir",
                        os.path.join(home, "natter-data"), "-a", local],
                       env=base_env(home))

    def open_chat(self, term, jid):
        term.type("/msg %s\r" % jid)
        term.wait_for("] %s" % jid)  # the window's title: "[3] bot@..."

    def show_roster(self, term):
        term.type("/roster show\r")

    def roster_text(self, local, n):
        # The pane's head, online/total: the contacts, and the bot of the
        # account (offline).
        return "%s (%d/%d)" % (local, n, n + 1)


class Profanity:
    """Profanity, configured without any question asked
    (natter_test.profanity)."""
    name = "profanity"
    online_text = "logged in successfully"
    joined_text = "You have joined the room"

    def __init__(self, path):
        self.path = path

    def version(self):
        return dpkg_version("profanity")

    def start(self, p, local, pw, home, quick_reconnect=False):
        # roster.count=items: its panel's group heads count contacts
        # ("Online (N)") instead of unread messages.
        rc = "[ui]\nroster.count=items\n"
        if quick_reconnect:  # a second after a lost connection, not 30
            rc += "[connection]\nreconnect=1\n"
        profanity.write_home(home, p, "%s@%s" % (local, p.domain), pw,
                             resource="bench", profrc=rc)
        return self.start_in(p, local, pw, home)

    def start_in(self, p, local, pw, home):
        """Starts again with what an earlier start() left in HOME."""
        return PtyTerm([self.path, "-a", "%s@%s" % (local, p.domain)],
                       env=base_env(home))

    def open_chat(self, term, jid):
        term.type("/msg %s\r" % jid)
        term.wait_for("%s [" % jid)  # the title bar: "bot@... [online]"

    def show_roster(self, term):
        pass  # its roster panel is on by default

    def roster_text(self, local, n):
        return "Online (%d)" % n  # its panel's head of online contacts


class Floor:
    """bench/strophe_count: login, presence, count messages."""
    name = "libstrophe"

    def __init__(self, path):
        self.path = path

    def start(self, p, local, pw, count, *room_nick):
        proc = util.popen([self.path, "%s@%s" % (local, p.domain), pw,
                           p.host, str(p.port), p.cafile, str(count)]
                          + list(room_nick),
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        out = util.LineLog(proc.stdout, "strophe_count")
        return proc, out


def event_ns(out, event, timeout=300):
    """The time (monotonic ns) strophe_count gives on its next EVENT line."""
    return int(out.expect(r"^%s (\d+)\b" % event, timeout=timeout).group(1))


class JoinWatch(threading.Thread):
    """Asks the server, every few milliseconds and on an admin connection
    of its own, how many of ROOMS count NICK among their occupants; .at is
    the time (monotonic ns) it first saw all of them. The same measure of
    "all joined" for every client, taken apart from the client: a check
    made between the key probes came up to 0.4 s late."""

    def __init__(self, p, rooms, nick):
        super().__init__(daemon=True)
        self.shell = AdminShell(os.path.join(p.data_dir, "prosody.sock"))
        self.lua = ("> local muc = prosody.hosts[%s].modules.muc; "
                    "local n = 0; for _, j in ipairs({%s}) do "
                    "local r = muc.get_room_from_jid(j); "
                    "if r and r:get_occupant_by_nick(j .. '/' .. %s) then "
                    "n = n + 1 end end; return n"
                    % (lua_str(p.muc_domain),
                       ", ".join(lua_str(r) for r in rooms), lua_str(nick)))
        self.want = len(rooms)
        self.at = None
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(0.005):
            ok, text = self.shell.execute(self.lua)
            if ok and int(text.split("Result:", 1)[-1].strip()) == self.want:
                self.at = time.monotonic_ns()
                return

    def stop(self):
        self.stopping.set()
        self.join()
        self.shell.close()


def dpkg_version(pkg):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                          capture_output=True, text=True).stdout.strip()


class Bench:
    def __init__(self, p, args):
        self.p = p
        self.args = args
        self.serial = 0
        self.floor_path = os.path.join(HERE, "strophe_count")
        # results[scenario][measure][client] = [value per run]
        self.results = {}

    def record(self, scenario, measure, client, value):
        (self.results.setdefault((scenario, measure), {})
         .setdefault(client, []).append(value))
        # As it comes, too: a long run cut short keeps what it measured.
        print("  %s | %s | %s: %s" % (scenario, measure, client,
                                      fmt([value])), flush=True)

    def fresh_account(self):
        """A new user and a bot in each other's roster."""
        self.serial += 1
        local, bot = "u%d" % self.serial, "b%d" % self.serial
        self.p.create_user(local, "pw")
        self.p.create_user(bot, "pw")
        self.p.make_mutual(local, bot)
        return local, bot

    def home(self, client, local):
        home = os.path.join(self.p.dir, "home-%s-%s" % (client.name, local))
        os.makedirs(os.path.join(home, "run"), mode=0o700)
        return home

    def session(self, client, local, **start):
        term = client.start(self.p, local, "pw", self.home(client, local),
                            **start)
        try:
            term.wait_for(client.online_text, timeout=30)
        except Exception:
            term.close()
            raise
        return term

    # -- scenarios: each runs one client once --

    def idle(self, client):
        local, botname = self.fresh_account()
        term = self.session(client, local)
        try:
            with Bot.sender(self.p, botname, "pw", commands=True):
                client.open_chat(term, "%s@%s" % (botname, self.p.domain))
                term.drain(2.0)  # login traffic settles
                s0, c0 = proc_counters(term.pid)
                term.drain(self.args.idle_seconds)
                s1, c1 = proc_counters(term.pid)
        finally:
            term.close()
        secs = self.args.idle_seconds
        self.record("idle", "wakeups/s", client.name, (s1 - s0) / secs)
        self.record("idle", "CPU ms/min", client.name,
                    (c1 - c0) * 1000 * 60 / secs)

    def latency(self, client):
        local, botname = self.fresh_account()
        me = "%s@%s" % (local, self.p.domain)
        term = self.session(client, local)
        delays = []
        try:
            with Bot.sender(self.p, botname, "pw", commands=True) as bot:
                client.open_chat(term, "%s@%s" % (botname, self.p.domain))
                term.drain(1.0)
                for i in range(1, self.args.latency_count + 1):
                    marker = "lat-%s-%03d" % (local, i)
                    bot.send_json({"to": me, "body": marker, "stamp": True})
                    sent = int(bot.expect_line(r"^STAMP \S+ (\d+)$")
                               .group(1))
                    shown = term.wait_for(marker)
                    delays.append((shown - sent) / 1e6)
                    term.drain(0.2)
        finally:
            term.close()
        delays.sort()
        self.record("latency", "median ms", client.name,
                    statistics.median(delays))
        self.record("latency", "p90 ms", client.name,
                    delays[int(len(delays) * 0.9) - 1])

    def sender(self, botname, to, prefix, n):
        """bench/strophe_count as the sender, logged in and waiting."""
        proc = util.popen([self.floor_path, "%s@%s" % (botname, self.p.domain),
                           "pw", self.p.host, str(self.p.port), self.p.cafile,
                           str(n), to, prefix],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        out = util.LineLog(proc.stdout, "sender")
        out.expect(r"^READY ", timeout=30)
        return proc, out

    @staticmethod
    def blast(sender):
        """Sends them all; (first send, server has routed all), in ns."""
        proc, out = sender
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
        first = event_ns(out, "FIRST")
        synced = event_ns(out, "SYNCED")
        return first, synced

    @staticmethod
    def stop(proc):
        proc.stdin.close()
        util.terminate(proc, 5)

    def burst(self, client):
        n = self.args.messages
        local, botname = self.fresh_account()
        me = "%s@%s" % (local, self.p.domain)
        prefix = "burst%s" % local
        last_text = "%s-%d" % (prefix, n)
        if isinstance(client, Floor):
            proc, out = client.start(self.p, local, "pw", n)
            sender = None
            try:
                out.expect(r"^READY ", timeout=30)
                sender = self.sender(botname, me, prefix, n)
                c0 = proc_counters(proc.pid)[1]
                first, last = self.blast(sender)
                done = event_ns(out, "DONE")
                c1 = proc_counters(proc.pid)[1]
                hwm = vm_hwm_kib(proc.pid)
            finally:
                self.stop(proc)
                if sender:
                    self.stop(sender[0])
        else:
            term = self.session(client, local)
            sender = None
            try:
                sender = self.sender(botname, me, prefix, n)
                client.open_chat(term, "%s@%s" % (botname, self.p.domain))
                term.drain(1.0)
                c0 = proc_counters(term.pid)[1]
                first, last = self.blast(sender)
                done = term.wait_for(last_text, timeout=600)
                c1 = proc_counters(term.pid)[1]
                hwm = vm_hwm_kib(term.pid)
            finally:
                term.close()
                if sender:
                    self.stop(sender[0])
        self.record("burst", "s to last on screen", client.name,
                    (done - first) / 1e9)
        self.record("burst", "s screen trails server", client.name,
                    max(0, done - last) / 1e9)
        self.record("burst", "CPU s", client.name, c1 - c0)
        self.record("burst", "peak RSS MiB", client.name, hwm / 1024)

    def backlog(self, client):
        n = self.args.messages
        local, botname = self.fresh_account()
        me = "%s@%s" % (local, self.p.domain)
        botjid = "%s@%s" % (botname, self.p.domain)
        prefix = "backlog%s" % local
        last_text = "%s-%d" % (prefix, n)
        sender = self.sender(botname, me, prefix, n)
        try:
            self.blast(sender)  # returns once the server stored them all
        finally:
            self.stop(sender[0])
        if isinstance(client, Floor):
            t0 = time.monotonic_ns()
            proc, out = client.start(self.p, local, "pw", n)
            try:
                done = event_ns(out, "DONE")
                cpu = proc_counters(proc.pid)[1]
                hwm = vm_hwm_kib(proc.pid)
            finally:
                self.stop(proc)
        else:
            home = self.home(client, local)
            t0 = time.monotonic_ns()
            term = client.start(self.p, local, "pw", home)
            try:
                term.wait_for(client.online_text, timeout=300)
                client.open_chat(term, botjid)
                done = term.wait_for(last_text, timeout=600)
                cpu = proc_counters(term.pid)[1]
                hwm = vm_hwm_kib(term.pid)
            finally:
                term.close()
        self.record("backlog", "s start to last on screen", client.name,
                    (done - t0) / 1e9)
        self.record("backlog", "CPU s", client.name, cpu)
        self.record("backlog", "peak RSS MiB", client.name, hwm / 1024)


    def roster(self, client):
        """A roster of --contacts contacts, all online (members of the
        harness's crowd component, which answers the server's presence
        probes at login: a presence each right behind the roster; no PEP),
        first login and second login (the same HOME, so any roster cache
        is used): time from the start until the roster pane shows them all
        online; CPU; peak RSS. The floor asks for the roster, sends its
        presence and counts the contacts' presences (first login only: it
        keeps no cache)."""
        n = self.args.contacts
        local, _ = self.fresh_account()
        self.p.add_contacts(local, {
            "member%d@%s" % (i, self.p.crowd_domain): {
                "name": "Contact %d" % i, "groups": ["G%d" % (i % 20)]}
            for i in range(n)})
        if isinstance(client, Floor):
            t0 = time.monotonic_ns()
            proc, out = client.start(self.p, local, "pw", n, "roster")
            try:
                done = event_ns(out, "DONE")
                cpu = proc_counters(proc.pid)[1]
                hwm = vm_hwm_kib(proc.pid)
            finally:
                self.stop(proc)
            self.record("roster", "first login: s to roster shown",
                        client.name, (done - t0) / 1e9)
            self.record("roster", "first login: CPU s", client.name, cpu)
            self.record("roster", "first login: peak RSS MiB", client.name,
                        hwm / 1024)
            return
        home = self.home(client, local)
        for which in ("first", "second"):
            t0 = time.monotonic_ns()
            term = client.start_in(self.p, local, "pw", home) \
                if which == "second" else client.start(self.p, local, "pw",
                                                       home)
            try:
                client.show_roster(term)
                done = term.wait_for(client.roster_text(local, n),
                                     timeout=300)
                cpu = proc_counters(term.pid)[1]
                hwm = vm_hwm_kib(term.pid)
            finally:
                term.close()
            self.record("roster", "%s login: s to roster shown" % which,
                        client.name, (done - t0) / 1e9)
            self.record("roster", "%s login: CPU s" % which, client.name,
                        cpu)
            self.record("roster", "%s login: peak RSS MiB" % which,
                        client.name, hwm / 1024)

    def bigroom(self, client):
        """A room of --occupants occupants (natter_test.crowd: seated
        through the MUC's occupant API, answered for by the crowd
        component): time from /join to the client saying it joined (the
        room sends our own presence after everyone else's), CPU; then
        --room-messages messages from the crowd, posted in the server as
        fast as it routes them: time to the last on screen, how far the
        screen trails the server, CPU; peak RSS."""
        local, _ = self.fresh_account()
        room = "bigroom%d@%s" % (self.serial, self.p.muc_domain)
        crowd = Crowd(self.p, room)
        crowd.seat(self.args.occupants)
        n = self.args.room_messages
        text = "bigroom%s-%%d" % local
        last_text = text % n
        speakers = min(50, self.args.occupants)
        if isinstance(client, Floor):
            proc, out = client.start(self.p, local, "pw", n,
                                     "%s/%s" % (room, local))
            try:
                out.expect(r"^READY ", timeout=30)
                c0 = proc_counters(proc.pid)[1]
                t0 = time.monotonic_ns()
                proc.stdin.write(b"go\n")
                proc.stdin.flush()
                joined = event_ns(out, "JOINED")
                c1 = proc_counters(proc.pid)[1]
                t1 = time.monotonic_ns()
                crowd.say_many(n, text, members=speakers)
                synced = time.monotonic_ns()
                done = event_ns(out, "DONE", 600)
                c2 = proc_counters(proc.pid)[1]
                hwm = vm_hwm_kib(proc.pid)
            finally:
                self.stop(proc)
        else:
            term = self.session(client, local)
            try:
                term.drain(1.0)
                c0 = proc_counters(term.pid)[1]
                t0 = time.monotonic_ns()
                term.type("/join %s\r" % room)
                joined = term.wait_for(client.joined_text, timeout=300)
                c1 = proc_counters(term.pid)[1]
                term.drain(1.0)
                t1 = time.monotonic_ns()
                crowd.say_many(n, text, members=speakers)
                synced = time.monotonic_ns()
                done = term.wait_for(last_text, timeout=600)
                c2 = proc_counters(term.pid)[1]
                hwm = vm_hwm_kib(term.pid)
            finally:
                term.close()
        self.record("bigroom", "join: s to joined", client.name,
                    (joined - t0) / 1e9)
        self.record("bigroom", "join: CPU s", client.name, c1 - c0)
        self.record("bigroom", "messages: s to last on screen", client.name,
                    (done - t1) / 1e9)
        self.record("bigroom", "messages: s screen trails server",
                    client.name, max(0, done - synced) / 1e9)
        self.record("bigroom", "messages: CPU s", client.name, c2 - c1)
        self.record("bigroom", "peak RSS MiB", client.name, hwm / 1024)

    @staticmethod
    def stored_count(db, rooms):
        """Messages of ROOMS in natter's history database DB (read-only,
        beside natter's writes: WAL)."""
        if not os.path.exists(db):
            return 0
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=1)
        try:
            return con.execute(
                "SELECT count(*) FROM messages WHERE peer IN (%s)"
                % ",".join("?" * len(rooms)), rooms).fetchone()[0]
        except sqlite3.OperationalError:
            return 0  # not made yet
        finally:
            con.close()

    def floor_archives(self, floor, local, total, *mode):
        """strophe_count paging archives (MODE: rooms FILE START, or
        archive START) until each said it is complete: (ns when done,
        CPU s, peak RSS KiB)."""
        proc, out = floor.start(self.p, local, "pw", total, *mode)
        try:
            m = out.expect(r"^DONE (\d+) (\d+)$", timeout=900)
            done, seen = int(m.group(1)), int(m.group(2))
            cpu = proc_counters(proc.pid)[1]
            hwm = vm_hwm_kib(proc.pid)
        finally:
            self.stop(proc)
        if seen != total:
            print("floor: %d results, not %d" % (seen, total))
        return done, cpu, hwm

    def autojoin(self, client):
        """--autojoin-rooms bookmarked rooms with autojoin, each with
        --autojoin-occupants occupants (the crowd) and
        --autojoin-messages messages said since the client's last visit:
        from launch until every room is joined (the server counts the
        client among its occupants, asked every 5 ms by JoinWatch: the
        same measure for all three) and,
        for natter and the floor, caught up from the room's archive
        (natter: every message in its history database; the floor: every
        archive said its last page was sent). Profanity 0.13 asks rooms
        for no archive (it takes what the join sends), so only its joins
        compare. While natter and Profanity join, a probe is typed into
        the input line again and again: the time until it shows is how
        long the screen keeps a key waiting (the largest of them). CPU,
        peak RSS."""
        a = self.args
        local, _ = self.fresh_account()
        nick = local
        rooms = ["aj%d-%d@%s" % (self.serial, i, self.p.muc_domain)
                 for i in range(a.autojoin_rooms)]
        speakers = min(50, a.autojoin_occupants)
        before = 5
        for room in rooms:
            crowd = Crowd(self.p, room)
            crowd.seat(a.autojoin_occupants)
            crowd.say_many(before, "before %d", members=speakers)
        publish_bookmarks(self.p, local, "pw", rooms, nick)
        home = self.home(client, local)
        if isinstance(client, Natter):
            # The first visit, which the next catches up from.
            db = os.path.join(home, "natter-data", local, "history.db")
            term = client.start(self.p, local, "pw", home)
            try:
                deadline = time.monotonic() + 300
                while self.stored_count(db, rooms) < before * len(rooms):
                    if time.monotonic() > deadline:
                        raise TimeoutError("natter's first visit")
                    term.drain(0.2)
            finally:
                term.close()
        # Said while away: after a second boundary the floor can ask from.
        time.sleep(1.0 - time.time() % 1.0 + 0.01)
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        time.sleep(1.0)
        for room in rooms:
            Crowd(self.p, room).say_many(a.autojoin_messages, "away %d",
                                         members=speakers)
        total = a.autojoin_messages * len(rooms)
        watch = JoinWatch(self.p, rooms, nick)
        if isinstance(client, Floor):
            path = os.path.join(home, "rooms")
            with open(path, "w") as f:
                f.write("".join("%s/%s\n" % (r, nick) for r in rooms))
            t0 = time.monotonic_ns()
            watch.start()
            try:
                done, cpu, hwm = self.floor_archives(
                    client, local, total, "rooms", path, since)
            finally:
                watch.stop()
        else:
            natter = isinstance(client, Natter)
            db = os.path.join(home, "natter-data", local, "history.db")
            want = (before + a.autojoin_messages) * len(rooms)
            t0 = time.monotonic_ns()
            watch.start()
            term = client.start_in(self.p, local, "pw", home) if natter \
                else client.start(self.p, local, "pw", home)
            done = None
            worst_key = 0
            try:
                term.wait_for(client.online_text, timeout=60)
                probe = 0
                deadline = time.monotonic() + 900
                while watch.at is None or (natter and done is None):
                    if time.monotonic() > deadline:
                        raise TimeoutError("%s: rooms not all joined"
                                           % client.name)
                    probe += 1
                    text = "zq%dq" % probe
                    typed = time.monotonic_ns()
                    term.type(text)
                    shown = term.wait_for(text, timeout=60)
                    worst_key = max(worst_key, shown - typed)
                    term.type("\x15")  # Ctrl-U: the line is empty again
                    term.drain(0.05)
                    if natter and done is None and \
                            self.stored_count(db, rooms) >= want:
                        done = time.monotonic_ns()
                cpu = proc_counters(term.pid)[1]
                hwm = vm_hwm_kib(term.pid)
            finally:
                watch.stop()
                term.close()
            self.record("autojoin", "key waits at most ms", client.name,
                        worst_key / 1e6)
        if watch.at is None:
            raise RuntimeError("%s: rooms not all joined" % client.name)
        self.record("autojoin", "s to all joined", client.name,
                    (watch.at - t0) / 1e9)
        if done is not None:
            self.record("autojoin", "s to all caught up", client.name,
                        (done - t0) / 1e9)
        self.record("autojoin", "CPU s", client.name, cpu)
        self.record("autojoin", "peak RSS MiB", client.name, hwm / 1024)

    def cold_db(self, path, n, peers):
        """Fills natter's history database at PATH with N messages over
        PEERS peers (peer0@... to peerPEERS-1@...), bodies ending in
        " #I"; filled once per size and copied for each run."""
        cache = os.path.join(self.p.dir, "cold-%d-%d.db" % (n, peers))
        if not os.path.exists(cache):
            shutil.copy(path, cache)
            rng = random.Random(11)
            words = ("the a to and of dinner friday meeting coffee train "
                     "code review lunch tomorrow weekend").split()
            t0 = 1700000000 * 1000000
            db = sqlite3.connect(cache)
            with db:
                db.executemany(
                    "INSERT INTO messages (peer, sender, direction, time, "
                    "body, origin_id, stanza_id, state, message_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                    (("peer%d@%s" % (i % peers, self.p.domain), None, i % 2,
                      t0 + i * 1000000,
                      " ".join(rng.choice(words) for _ in range(8))
                      + " #%d" % i, "o%d" % i, "s%d" % i, "m%d" % i)
                     for i in range(n)))
            db.close()
        shutil.copy(cache, path)
        # The copy on its way to disk would slow whatever comes next.
        os.sync()

    def coldstart(self, client):
        """natter only (Profanity reopens no windows): a history of
        --history-messages messages over --cold-windows peers, and the
        last session's windows file listing a chat with each of them.
        From exec: to the first bytes on the terminal, to the current
        window showing its peer's last message (the restored windows
        drawn), to a key typed at once showing in the input line; then
        RSS once settled. The same with a history of 1,000 messages, so
        the memory can be compared across history sizes."""
        if not isinstance(client, Natter):
            return
        peers = self.args.cold_windows
        for size in (1000, self.args.history_messages):
            local, _ = self.fresh_account()
            home = self.home(client, local)
            term = client.start(self.p, local, "pw", home)
            try:
                term.wait_for(client.online_text, timeout=30)
            finally:
                term.close()
            data = os.path.join(home, "natter-data")
            self.cold_db(os.path.join(data, local, "history.db"), size,
                         peers)
            last = size - 1
            current = last % peers
            with open(os.path.join(data, "windows"), "w") as f:
                f.write("account\t%s\n" % local)
                for i in range(peers):
                    f.write("%schat\t%s\tpeer%d@%s\n"
                            % ("*" if i == current else "", local, i,
                               self.p.domain))
            t0 = time.monotonic_ns()
            term = client.start_in(self.p, local, "pw", home)
            try:
                term.type("zq1q")
                first = None
                while first is None:
                    first = term.pump(30)
                shown = term.wait_for(" #%d" % last, timeout=60)
                typed = term.wait_for("zq1q", timeout=60)
                term.drain(2.0)
                rss = vm_kib(term.pid, "VmRSS")
                hwm = vm_hwm_kib(term.pid)
            finally:
                term.close()
            label = "%d msgs" % size
            self.record("coldstart", "%s: ms to first output" % label,
                        client.name, (first - t0) / 1e6)
            self.record("coldstart", "%s: ms to windows drawn" % label,
                        client.name, (shown - t0) / 1e6)
            self.record("coldstart", "%s: ms to key shown" % label,
                        client.name, (typed - t0) / 1e6)
            self.record("coldstart", "%s: RSS MiB" % label, client.name,
                        rss / 1024)
            self.record("coldstart", "%s: peak RSS MiB" % label,
                        client.name, hwm / 1024)

    @staticmethod
    def peer_count(db, like):
        """Messages in natter's history database DB whose peer is LIKE
        (an SQL pattern), read beside natter's writes."""
        if not os.path.exists(db):
            return 0
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM messages WHERE peer "
                               "LIKE ?", (like,)).fetchone()[0]
        except sqlite3.OperationalError:
            return 0
        finally:
            con.close()

    def week(self, client):
        """A week away: --week-messages chat messages from --week-peers
        contacts came while the client was off and another device of
        the account (a phone: a bare libstrophe receiver) was online, so
        they are in the account's archive (XEP-0313) and nowhere else.
        From launch until caught up: natter, every message in its
        history database (each once; the count is checked); the floor,
        its own archive paged through from the time it left (250 a page,
        as natter) to the last page. Profanity 0.13 does not catch up
        from the archive at login (it asks a chat's archive only when its
        window opens), so it has no figure here. While natter catches up
        a probe is typed into the input line again and again, as in
        autojoin. CPU (and the server's), peak RSS."""
        if isinstance(client, Profanity):
            return
        a = self.args
        local, _ = self.fresh_account()
        me = "%s@%s" % (local, self.p.domain)
        crowd = Crowd(self.p)
        home = self.home(client, local)
        db = os.path.join(home, "natter-data", local, "history.db")
        member_like = "member%%@%s" % self.p.crowd_domain
        if isinstance(client, Natter):
            # The last visit, which this one catches up from: one message
            # in the archive, so natter keeps where the archive ended.
            crowd.tell_many(me, 1, "last visit %d", members=1)
            term = client.start(self.p, local, "pw", home)
            try:
                deadline = time.monotonic() + 60
                while self.peer_count(db, member_like) < 1:
                    if time.monotonic() > deadline:
                        raise TimeoutError("natter's last visit")
                    term.drain(0.2)
            finally:
                term.close()
        time.sleep(1.0 - time.time() % 1.0 + 0.01)
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        time.sleep(1.0)
        total = a.week_messages
        phone, phone_out = Floor(self.floor_path).start(
            self.p, local, "pw", total)
        try:
            event_ns(phone_out, "READY", 60)
            crowd.tell_many(me, total, "away %d", members=a.week_peers)
            event_ns(phone_out, "DONE", 600)
        finally:
            self.stop(phone)
        # The server wrote the archive as the messages came; its pages
        # still going to disk would slow whichever catch-up comes next.
        os.sync()
        server_cpu0 = proc_counters(self.p.pid)[1]
        if isinstance(client, Floor):
            t0 = time.monotonic_ns()
            done, cpu, hwm = self.floor_archives(client, local, total,
                                                 "archive", since)
        else:
            want = total + 1
            t0 = time.monotonic_ns()
            term = client.start_in(self.p, local, "pw", home)
            worst_key = 0
            done = None
            try:
                term.wait_for(client.online_text, timeout=60)
                probe = 0
                deadline = time.monotonic() + 900
                while done is None:
                    if time.monotonic() > deadline:
                        raise TimeoutError("natter: not caught up")
                    probe += 1
                    text = "zq%dq" % probe
                    typed = time.monotonic_ns()
                    term.type(text)
                    shown = term.wait_for(text, timeout=60)
                    worst_key = max(worst_key, shown - typed)
                    term.type("\x15")  # Ctrl-U: the line is empty again
                    term.drain(0.05)
                    if self.peer_count(db, member_like) >= want:
                        done = time.monotonic_ns()
                cpu = proc_counters(term.pid)[1]
                hwm = vm_hwm_kib(term.pid)
                term.drain(1.0)  # anything stored twice would come now
            finally:
                term.close()
            stored = self.peer_count(db, member_like)
            if stored != want:
                print("natter: %d messages stored, not %d" % (stored, want))
            self.record("week", "key waits at most ms", client.name,
                        worst_key / 1e6)
        self.record("week", "s to caught up", client.name, (done - t0) / 1e9)
        self.record("week", "CPU s", client.name, cpu)
        # What the server spent answering: its pages cost the same for
        # every client, so a gap here is in the queries.
        self.record("week", "server CPU s", client.name,
                    proc_counters(self.p.pid)[1] - server_cpu0)
        self.record("week", "peak RSS MiB", client.name, hwm / 1024)

    HISTORY_PEERS = 20
    NEEDLES = 25  # messages with the rare word

    def history_db(self, path):
        """Fills natter's history database at PATH (made by natter, so its
        own schema) with --history-messages messages over HISTORY_PEERS
        peers, as a long-used account has: words from a small vocabulary,
        NEEDLES of them holding a rare word. Filled once per bench run and
        copied for each run, through SQLite as natter would write them (the
        full-text index is kept by natter's triggers)."""
        cache = os.path.join(self.p.dir, "history-%d.db"
                             % self.args.history_messages)
        if not os.path.exists(cache):
            self.oldest_needle = None
            shutil.copy(path, cache)
            words = ("the a to and of dinner friday meeting coffee train "
                     "code review lunch tomorrow weekend build release "
                     "server client window message room later").split()
            rng = random.Random(7)
            n = self.args.history_messages
            needles = set(rng.sample(range(n), self.NEEDLES))
            # The oldest result is printed last: the one to wait for.
            self.oldest_needle = min(needles)
            t0 = 1700000000 * 1000000
            db = sqlite3.connect(cache)
            with db:
                db.executemany(
                    "INSERT INTO messages (peer, sender, direction, time, "
                    "body, origin_id, stanza_id, state, message_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                    (("peer%d@%s" % (i % self.HISTORY_PEERS, self.p.domain),
                      None, i % 2, t0 + i * 1000000,
                      "msg " + " ".join(rng.choice(words) for _ in range(8))
                      + (" zanzibar" if i in needles else "")
                      + " #%d" % i,
                      "o%d" % i, "s%d" % i, "m%d" % i)
                     for i in range(n)))
            db.close()
        shutil.copy(cache, path)

    def history(self, client):
        """--history-messages in natter's history database: time from
        typing `/history search` to the result on screen, for a rare word
        and for a word in every message; time from `/msg PEER` to the
        window showing PEER's last message (of 1/HISTORY_PEERS of them).
        natter only: Profanity has no history search, and its history
        database has another shape."""
        if not isinstance(client, Natter):
            return
        local, _ = self.fresh_account()
        home = self.home(client, local)
        term = client.start(self.p, local, "pw", home)
        db = os.path.join(home, "natter-data", local, "history.db")
        try:
            term.wait_for(client.online_text, timeout=30)
        finally:
            term.close()
        self.history_db(db)
        n = self.args.history_messages
        term = client.start_in(self.p, local, "pw", home)
        try:
            term.wait_for(client.online_text, timeout=60)
            # Results come newest first: the last line printed is the
            # oldest match (natter shows the newest SEARCH_LIMIT = 50).
            for what, word, shown in (
                    ("rare word", "zanzibar", " #%d " % self.oldest_needle),
                    ("word in all", "msg", " #%d " % (n - 50))):
                term.drain(0.5)
                t0 = time.monotonic_ns()
                term.type("/history search %s\r" % word)
                done = term.wait_for(shown, timeout=60)
                self.record("history", "search %s: ms" % what, client.name,
                            (done - t0) / 1e6)
            term.drain(0.5)
            last = n - 1
            peer = "peer%d@%s" % (last % self.HISTORY_PEERS, self.p.domain)
            t0 = time.monotonic_ns()
            term.type("/msg %s\r" % peer)
            done = term.wait_for(" #%d " % last, timeout=60)
            self.record("history", "open window: ms", client.name,
                        (done - t0) / 1e6)
            self.record("history", "peak RSS MiB", client.name,
                        vm_hwm_kib(term.pid) / 1024)
        finally:
            term.close()

    def long(self, client):
        """--long-messages in one session, sent in chunks, from
        --long-windows peers (each its own chat window), the server
        closing the client's stream every --long-reconnect-every messages
        (a stream error, so a new login, as after a server restart; both
        clients set to reconnect a second later): resident memory
        (VmRSS) and open file descriptors once 10 %, 50 % and 100 % of
        them are in, and the wakeups a second of the idle client before
        the first message and after the last (a timer left behind by a
        reconnect would add to them). With one peer the last of each
        chunk is waited for on the screen; with several, the open
        window's peer sends a marker once the server has routed the
        chunk, and the marker on the screen means the client has read
        everything before it."""
        if isinstance(client, Floor):
            return
        total = self.args.long_messages
        windows = self.args.long_windows
        every = self.args.long_reconnect_every
        marks = [total // 10, total // 2, total]
        local, botname = self.fresh_account()
        me = "%s@%s" % (local, self.p.domain)
        bots = [botname]
        for i in range(1, windows):
            other = "%s-w%d" % (botname, i)
            self.p.create_user(other, "pw")
            self.p.make_mutual(local, other)
            bots.append(other)
        label = "" if windows == 1 else " (%d windows)" % windows
        if every:
            label += " (reconnect every %d)" % every
        term = self.session(client, local, quick_reconnect=bool(every))
        try:
            client.open_chat(term, "%s@%s" % (botname, self.p.domain))
            self.record("long", "wakeups/s idle before%s" % label,
                        client.name, self.idle_wakeups(term))
            self.record("long", "fds at start%s" % label, client.name,
                        len(os.listdir("/proc/%d/fd" % term.pid)))
            sent = 0
            for mark in marks:
                while sent < mark:
                    chunk = min(5000, mark - sent)
                    if every:
                        chunk = min(chunk, every - sent % every)
                    prefix = "long%s-%d" % (local, sent)
                    self.long_chunk(term, bots, me, prefix, chunk)
                    sent += chunk
                    if every and sent % every == 0 and sent < total:
                        self.drop_stream(term, local)
                self.record("long", "RSS MiB at %d msgs%s" % (mark, label),
                            client.name, vm_kib(term.pid, "VmRSS") / 1024)
                self.record("long", "fds at %d msgs%s" % (mark, label),
                            client.name,
                            len(os.listdir("/proc/%d/fd" % term.pid)))
            self.record("long", "wakeups/s idle after%s" % label,
                        client.name, self.idle_wakeups(term))
        finally:
            term.close()

    @staticmethod
    def idle_wakeups(term, seconds=10.0):
        term.drain(2.0)  # what the last step started settles
        s0, _ = proc_counters(term.pid)
        term.drain(seconds)
        s1, _ = proc_counters(term.pid)
        return (s1 - s0) / seconds

    def drop_stream(self, term, local):
        """The server ends the client's stream with an error; returns once
        the client has logged in again and bound a resource."""
        jid = "%s@%s" % (local, self.p.domain)
        before = len(self.p.logins(jid))
        self.p.shell("c2s:close(%s, %s, %s)" % (lua_str(jid),
                                                lua_str("bench"),
                                                lua_str("system-shutdown")))
        deadline = time.monotonic() + 120
        while not (len(self.p.logins(jid)) > before and
                   "online" in self.p.sessions(local).values()):
            if time.monotonic() > deadline:
                raise TimeoutError("%s did not log in again" % jid)
            term.drain(0.1)

    def long_chunk(self, term, bots, me, prefix, chunk):
        """CHUNK messages from BOTS (shared out), then waits until the
        client has them all."""
        share = chunk // len(bots)
        for i, bot in enumerate(bots):
            n = share if i else chunk - share * (len(bots) - 1)
            sender = self.sender(bot, me, "%s-%d" % (prefix, i), n)
            try:
                self.blast(sender)
            finally:
                self.stop(sender[0])
        if len(bots) == 1:
            term.wait_for("%s-0-%d" % (prefix, chunk), timeout=900)
            return
        marker = self.sender(bots[0], me, "%s-marker" % prefix, 1)
        try:
            self.blast(marker)
            term.wait_for("%s-marker-1" % prefix, timeout=900)
        finally:
            self.stop(marker[0])


def fmt(values):
    if not values:
        return "-"
    med = statistics.median(values)
    return "%.3g (%.3g-%.3g)" % (med, min(values), max(values))


def pair_table(results, first, left, right):
    """A markdown table of RESULTS (as Bench.record keeps them) with two
    columns, LEFT and RIGHT (medians, min-max), and their ratio LEFT/RIGHT;
    FIRST names the first column (the scenario)."""
    head = [first, "measure", left, right, "%s/%s" % (left, right)]
    out = ["| " + " | ".join(head) + " |",
           "| " + " | ".join("---" for _ in head) + " |"]
    for (scenario, measure), per in results.items():
        a, b = per.get(left, []), per.get(right, [])
        ratio = "-"
        if a and b and statistics.median(b):
            ratio = "%.3g" % (statistics.median(a) / statistics.median(b))
        out.append("| %s | %s | %s | %s | %s |"
                   % (scenario, measure, fmt(a), fmt(b), ratio))
    return "\n".join(out)


def table(results, clients):
    names = [c.name for c in clients]
    head = ["scenario", "measure"] + names + ["natter/profanity",
                                              "natter/floor"]
    rows = []
    for (scenario, measure), per in results.items():
        row = [scenario, measure] + [fmt(per.get(n, [])) for n in names]
        nat = per.get("natter")
        for other in ("profanity", "libstrophe"):
            them = per.get(other)
            if nat and them and statistics.median(them) != 0:
                row.append("%.3g" % (statistics.median(nat)
                                     / statistics.median(them)))
            else:
                row.append("-")
        rows.append(row)
    out = ["| " + " | ".join(head) + " |",
           "| " + " | ".join("---" for _ in head) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--natter", default=os.path.join(
        ROOT, "_build", "default", "src", "natter"))
    ap.add_argument("--profanity", default=shutil.which("profanity")
                    or "/usr/bin/profanity")
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--idle-seconds", type=float, default=60.0)
    ap.add_argument("--latency-count", type=int, default=50)
    ap.add_argument("--contacts", type=int, default=2000)
    ap.add_argument("--occupants", type=int, default=1000)
    ap.add_argument("--room-messages", type=int, default=1000)
    ap.add_argument("--history-messages", type=int, default=1000000)
    ap.add_argument("--long-messages", type=int, default=100000)
    ap.add_argument("--long-windows", type=int, default=1)
    ap.add_argument("--long-reconnect-every", type=int, default=10000,
                    help="the server ends the stream after every N "
                    "messages of the long session (0: never)")
    ap.add_argument("--cold-windows", type=int, default=50)
    ap.add_argument("--autojoin-rooms", type=int, default=50)
    ap.add_argument("--autojoin-occupants", type=int, default=300)
    ap.add_argument("--autojoin-messages", type=int, default=200)
    ap.add_argument("--week-messages", type=int, default=50000)
    ap.add_argument("--week-peers", type=int, default=200)
    ap.add_argument("--archive-store", choices=("internal", "sql"),
                    default="sql", help="where Prosody keeps archives: "
                    "its internal store reads a user's whole archive for "
                    "every query, so a catch-up of a big one measures "
                    "Prosody alone; SQLite is what a server of any size "
                    "uses (lua-dbi-sqlite3)")
    ap.add_argument("--clients", default="natter,profanity,libstrophe",
                    help="which of them to run (e.g. natter alone, under "
                    "a profiler given as --natter WRAPPER)")
    args = ap.parse_args()
    scenarios = [s for s in args.scenarios.split(",") if s]
    for s in scenarios:
        if s not in SCENARIOS:
            ap.error("unknown scenario %r (known: %s)"
                     % (s, ", ".join(SCENARIOS)))
    if not os.access(args.profanity, os.X_OK):
        sys.exit("bench: no Profanity at %s (tools/install-deps bench)"
                 % args.profanity)
    subprocess.run(["make", "-s", "-C", HERE, "strophe_count"], check=True)

    natter, prof = Natter(args.natter), Profanity(args.profanity)
    floor = Floor(os.path.join(HERE, "strophe_count"))
    print("natter %s, profanity %s, prosody %s (archives: %s), libstrophe "
          "%s, %d cores"
          % (natter.version(), prof.version(), dpkg_version("prosody"),
             args.archive_store, dpkg_version("libstrophe0"),
             os.cpu_count()), flush=True)

    # mod_offline on top of the harness's modules: the backlog waits there.
    store = ""
    if args.archive_store == "sql":
        store = ('storage = { archive = "sql", muc_log = "sql" }\n'
                 'sql = { driver = "SQLite3", database = "archive.sqlite" }')
    with Prosody(modules=DEFAULT_MODULES + ["offline"],
                 extra_config=store) as p:
        bench = Bench(p, args)
        for run in range(1, args.runs + 1):
            for s in scenarios:
                clients = [c for c in (natter, prof, floor)
                           if c.name in args.clients.split(",")
                           and (c is not floor or s in FLOOR_SCENARIOS)]
                if run % 2 == 0:  # alternate who goes first
                    clients = clients[1:] + clients[:1]
                for c in clients:
                    t = time.monotonic()
                    getattr(bench, s)(c)
                    print("run %d %s %s: %.1f s" % (run, s, c.name,
                                                    time.monotonic() - t),
                          flush=True)
        print()
        print(table(bench.results, [natter, prof, floor]))


if __name__ == "__main__":
    main()
