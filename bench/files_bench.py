#!/usr/bin/python3
# bench/files_bench.py: natter's HTTP upload and download beside curl
# doing the same transfer, on one private Prosody (mod_http_file_share on
# loopback) in the same run, and how fast natter's screen answers keys
# while a transfer runs.
#
#   bench/files_bench.py [--runs 3] [--mib 20] [--natter PATH]
#
# natter: /sendfile in a chat (from Enter to "Upload of ... done" on the
# screen: slot request, PUT, the link sent) and /download of the link
# (to "Download of ... done"). curl: a PUT to a slot the bench asks for
# itself (tests/bots/probe_bot.py), and a GET of the same link, each timed
# from exec to exit. While natter transfers, a key is typed every 20 ms
# and the time until it shows on the input line is kept: the longest is
# the figure. Every downloaded copy is compared with the file. Figures
# only: nothing here passes or fails.
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from xml.etree import ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run import ROOT, Natter, base_env, pair_table  # noqa: E402
from run import Bench as RunBench  # noqa: E402
from natter_test.bots import Bot  # noqa: E402
from natter_test.prosody import Prosody  # noqa: E402
from ptyterm import PtyTerm  # noqa: E402

NS_UPLOAD = "urn:xmpp:http:upload:0"
MIB = 1024 * 1024


class WideNatter(Natter):
    """natter in a terminal wide enough for an upload's link on one row."""

    def start_in(self, p, local, pw, home):
        return PtyTerm([self.path, "--config-dir",
                        os.path.join(home, "natter-config"), "--data-dir",
                        os.path.join(home, "natter-data"), "-a", local],
                       width=240, env=base_env(home))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MIB), b""):
            h.update(block)
    return h.hexdigest()


class FilesBench(RunBench):
    def __init__(self, p, args, path):
        super().__init__(p, args)
        self.path = path
        self.digest = sha256(path)
        self.name = os.path.basename(path)

    def typing(self, term, done_text):
        """Types a key every 20 ms until DONE_TEXT is on the screen; the
        monotonic ns DONE_TEXT appeared, and the longest time a key took to
        show on the input line (ms)."""
        worst, typed = 0.0, 0
        while done_text not in term.display():
            if typed == 40:  # keep the input line short: erase it
                term.type("\x15")
                typed = 0
                while "q" in term.screen.display[-1]:
                    term.pump(0.05)
            t0 = time.monotonic()
            term.type("q")
            typed += 1
            while (term.screen.display[-1].count("q") < typed
                   and done_text not in term.display()):
                term.pump(0.05)
            worst = max(worst, (time.monotonic() - t0) * 1000)
            end = time.monotonic() + 0.02
            while (left := end - time.monotonic()) > 0:
                term.pump(left)
        stamp = time.monotonic_ns()
        term.type("\x15")
        return stamp, worst

    def natter(self, client):
        local, botname = self.fresh_account()
        home = self.home(client, local)
        downloads = os.path.join(home, "downloads")
        os.makedirs(downloads)
        term = client.start(self.p, local, "pw", home)
        try:
            term.wait_for(client.online_text, timeout=30)
            client.open_chat(term, "%s@%s" % (botname, self.p.domain))
            term.type("/set download_dir %s\r" % downloads)
            term.wait_for("download_dir = ")
            t0 = time.monotonic_ns()
            term.type("/sendfile %s\r" % self.path)
            up_done, up_keys = self.typing(term, "Upload of %s done"
                                           % self.name)
            url = re.search(r"Upload of %s done \([^)]*\): (\S+)"
                            % re.escape(self.name),
                            term.display()).group(1)
            t1 = time.monotonic_ns()
            term.type("/download %s\r" % url)
            down_done, down_keys = self.typing(term, ": saved as ")
            saved = os.path.join(downloads, os.listdir(downloads)[0])
        finally:
            term.close()
        assert sha256(saved) == self.digest, "natter's download differs"
        self.record("upload", "s", "natter", (up_done - t0) / 1e9)
        self.record("download", "s", "natter", (down_done - t1) / 1e9)
        self.record("upload", "slowest key ms", "natter", up_keys)
        self.record("download", "slowest key ms", "natter", down_keys)

    def curl(self):
        local, _ = self.fresh_account()
        with Bot.probe(self.p, local, "pw") as bot:
            size = os.path.getsize(self.path)
            bot.send_json({"id": "slot", "to": self.p.upload_domain, "iq":
                           "<request xmlns='%s' filename='%s' size='%d' "
                           "content-type='application/octet-stream'/>"
                           % (NS_UPLOAD, self.name, size)})
            kind, xml = bot.expect_line(r"^ANSWER slot (\S+) (.*)$").groups()
        slot = ET.fromstring(json.loads(xml))
        put = slot.find(".//{%s}put" % NS_UPLOAD)
        get = slot.find(".//{%s}get" % NS_UPLOAD)
        headers = []
        for h in put.findall("{%s}header" % NS_UPLOAD):
            headers += ["-H", "%s: %s" % (h.get("name"), h.text)]
        t0 = time.monotonic()
        subprocess.run(["curl", "-sS", "--fail", "-T", self.path, "-H",
                        "Content-Type: application/octet-stream"] + headers
                       + [put.get("url")], check=True,
                       stdout=subprocess.DEVNULL)
        t1 = time.monotonic()
        out = os.path.join(self.p.dir, "curl-%s" % local)
        subprocess.run(["curl", "-sS", "--fail", "-o", out, get.get("url")],
                       check=True)
        t2 = time.monotonic()
        assert sha256(out) == self.digest, "curl's download differs"
        os.unlink(out)
        self.record("upload", "s", "curl", t1 - t0)
        self.record("download", "s", "curl", t2 - t1)



def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mib", type=int, default=20)
    ap.add_argument("--natter", default=os.path.join(
        ROOT, "_build", "default", "src", "natter"))
    args = ap.parse_args()
    natter = WideNatter(args.natter)
    curl = " ".join(subprocess.run(["curl", "--version"],
                                   capture_output=True,
                                   text=True).stdout.split()[:2])
    print("natter %s, %s, %d MiB, %d runs, %d cores"
          % (natter.version(), curl, args.mib, args.runs, os.cpu_count()),
          flush=True)
    limit = "%d * 1024 * 1024" % (args.mib * 2)
    with Prosody(extra_config="http_file_share_size_limit = %s\n"
                 "http_file_share_daily_quota = 100 * %s\n"
                 % (limit, limit)) as p:
        path = os.path.join(p.dir, "bench.bin")
        with open(path, "wb") as f:
            for _ in range(args.mib):
                f.write(os.urandom(MIB))
        bench = FilesBench(p, args, path)
        for run in range(1, args.runs + 1):
            for who in (("natter", "curl") if run % 2 else
                        ("curl", "natter")):
                t = time.monotonic()
                if who == "natter":
                    bench.natter(natter)
                else:
                    bench.curl()
                print("run %d %s: %.1f s" % (run, who,
                                             time.monotonic() - t),
                      flush=True)
        print()
        print(pair_table(bench.results, "transfer", "natter", "curl"))


if __name__ == "__main__":
    main()
