#!/usr/bin/python3
# File transfers on the screen: while a download runs, the status bar
# shows it with its percentage, also from another window; it goes when
# the transfer ends, for a Jingle transfer too. Tab completes the PATH of /sendfile from the file
# system, going into directories.
import http.server
import os
import re
import tempfile
import threading

from natter_test import tap, util
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account

STATUS_ROW = -2  # the status bar is the second line from the bottom


class Stalling(http.server.BaseHTTPRequestHandler):
    """Sends half of a file, waits until RELEASE is set, sends the rest."""
    release = None

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(2 * 1024 * 1024))
        self.end_headers()
        self.wfile.write(b"x" * 1024 * 1024)
        self.wfile.flush()
        self.release.wait(30)
        self.wfile.write(b"y" * 1024 * 1024)

    def log_message(self, *args):
        pass


def test_a_running_download_shows_in_the_status_bar():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    release = threading.Event()
    handler = type("Handler", (Stalling,), {"release": release})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever)
    thread.start()
    try:
        with TuiNatter(accounts, args=["-a", local]) as t, \
                tempfile.TemporaryDirectory() as d:
            t.wait_for(r"Connected as")
            t.command_line("/set download_dir %s" % d)
            url = "http://127.0.0.1:%d/half.bin" % httpd.server_address[1]
            t.command_line("/download %s" % url)
            t.wait_for(r"\[down half\.bin 50%\]")
            assert re.search(r"\[down half\.bin 50%\]",
                             t.lines()[STATUS_ROW]), t.screen()
            # Another window: still there.
            t.send_keys("M-1")
            t.wait_for(r"^ \[1\] natter")
            assert re.search(r"\[down half\.bin 50%\]",
                             t.lines()[STATUS_ROW]), t.screen()
            release.set()
            t.wait_gone(r"\[down half\.bin")
            t.command_line("/files")
            t.wait_for(r"1\. download of half\.bin from \S+: done "
                       r"\(2\.0 MiB\)")
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_a_jingle_transfer_shows_in_the_status_bar():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "jbot")
    p.make_mutual(local, b_local)
    with TuiNatter(accounts, args=["-a", local]) as t, \
            Bot("jingle_bot.py", Bot.connection_args(p, b_local, b_pw) +
                ["--commands"], commands=True) as bot, \
            tempfile.TemporaryDirectory() as d:
        t.wait_for(r"Connected as")
        t.command_line("/set download_dir %s" % d)
        pattern = r"^PRESENCE (%s/\S+) available$" % re.escape(jid)
        util.wait_until(lambda: bot.lines_matching(pattern), 15,
                        "natter's presence at the bot")
        me = re.match(pattern, bot.lines_matching(pattern)[-1]).group(1)
        path = os.path.join(d, "src.bin")
        with open(path, "wb") as f:
            f.write(os.urandom(256 * 1024))
        bot.send_json({"offer": {"to": me, "path": path, "name": "half.bin",
                                 "pause": True}})
        t.command_line("/msg %s" % b_jid)
        t.wait_for(r"offers the file half\.bin \(256\.0 KiB\)")
        t.command_line("/files accept 1")
        sid = bot.expect_line(r"^PAUSED (\S+)$", timeout=20).group(1)
        t.wait_for(r"\[down half\.bin 50%\]")
        assert re.search(r"\[down half\.bin 50%\]",
                         t.lines()[STATUS_ROW]), t.screen()
        bot.send_json({"resume": sid})
        t.wait_gone(r"\[down half\.bin", timeout=20)
        t.wait_for(r"done \(256\.0 KiB,")


def test_tab_completes_paths_after_sendfile():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    with TuiNatter(accounts, args=["-a", local]) as t, \
            tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "photos"))
        for name in ("photo.jpg", "photos/cat.png"):
            with open(os.path.join(d, name), "w") as f:
                f.write("x")
        t.wait_for(r"Connected as")
        t.type("/sendfile %s/pho" % d)
        t.wait_for(r"/sendfile %s/pho$" % re.escape(d))  # typed, then Tab
        t.send_keys("Tab")
        # Two candidates: cycled, all shown in the status bar.
        t.wait_for(r"\[Tab: \S*/photo\.jpg \S*/photos/\]")
        t.send_keys("Tab")
        t.wait_for(r"\] /sendfile %s/photos/$" % re.escape(d))
        # A directory is not final: the next Tab goes into it.
        t.send_keys("C-u")
        t.wait_for(r"^\[%s\]\s*$" % re.escape(local))
        t.type("/sendfile %s/photos" % d)
        t.wait_for(r"\] /sendfile %s/photos$" % re.escape(d))
        t.send_keys("Tab")
        t.wait_for(r"/sendfile %s/photos/$" % re.escape(d))
        t.send_keys("Tab")
        # The only entry, a file: final, a space after it.
        t.type("X")
        t.wait_for(r"/sendfile %s/photos/cat\.png X$" % re.escape(d))


if __name__ == "__main__":
    tap.main(globals())
