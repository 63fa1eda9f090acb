#!/usr/bin/python3
# Files over HTTP against the real server's upload service (Prosody's
# mod_http_file_share): /sendfile uploads and sends the link with
# out-of-band data, which a bot of ours fetches and compares; a file over
# the server's limit is refused before anything is sent; /download fetches
# a link a bot sent, and a hostile file name stays inside the download
# directory.
import hashlib
import http.server
import json
import os
import re
import tempfile
import threading
import urllib.parse

from natter_test import tap, util
from natter_test.bots import Bot

from fixtures import online_natter


def file_bot(p, room=None):
    local, jid, password = tap.new_account(p, "files")
    bot = Bot("file_bot.py", Bot.connection_args(p, local, password) +
              (["--join", room] if room else []),
              name="file_bot(%s)" % local)
    bot.start()
    return bot, jid


def test_sendfile_uploads_and_the_bot_fetches_the_same_bytes():
    p = tap.shared_prosody()
    bot, bot_jid = file_bot(p)
    n, local, jid = online_natter(p)
    with bot, n, tempfile.TemporaryDirectory() as d:
        data = os.urandom(3 * 1024 * 1024 + 12345)
        path = os.path.join(d, "three megs.bin")
        with open(path, "wb") as f:
            f.write(data)
        chat = "%s/%s" % (local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/sendfile %s" % path)
        n.expect_buffer(chat, r"Upload of three megs\.bin: sending 3\.0 MiB")
        n.expect_buffer(chat, r"Upload of three megs\.bin: \d+% \(")
        url = n.expect_buffer(
            chat, r"Upload of three megs\.bin done \(3\.0 MiB\): (\S+)$",
            timeout=30).group(1)
        assert url.startswith("http://%s:%d/" % (p.host, p.http_port)), url
        # The body is the link too, for clients without out-of-band data.
        bot.expect_line(r'^RECV \S+ "%s"$' % re.escape(url))
        frm, oob = bot.expect_line(r"^OOB (\S+) (.*)$").groups()
        assert frm.startswith(jid + "/"), frm
        assert oob == '"%s"' % url, (oob, url)
        digest, length = bot.expect_line(
            r"^FETCHED (\S+) (\d+)$", timeout=30).groups()
        assert int(length) == len(data), length
        assert digest == hashlib.sha256(data).hexdigest()
        n.send("/files")
        n.expect_buffer(chat, r"-- 1\. upload of three megs\.bin to %s: "
                        r"done \(3\.0 MiB\), from %s$"
                        % (re.escape(bot_jid), re.escape(path)))


def test_sendfile_in_a_room():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    room = "files-%s@%s" % (local, p.muc_domain)
    with n:
        n.send("/join %s" % room)
        buf = "%s/%s" % (local, room)
        n.expect_buffer(buf, r"-- You joined %s as " % re.escape(room))
        bot, bot_jid = file_bot(p, room)
        with bot, tempfile.TemporaryDirectory() as d:
            data = os.urandom(100 * 1024)
            path = os.path.join(d, "room.txt")
            with open(path, "wb") as f:
                f.write(data)
            n.send("/sendfile %s" % path)
            url = n.expect_buffer(
                buf, r"Upload of room\.txt done \(100\.0 KiB\): (\S+)$",
                timeout=30).group(1)
            frm, oob = bot.expect_line(r"^OOB (\S+) (.*)$").groups()
            assert frm == "%s/%s" % (room, local), frm
            assert oob == '"%s"' % url, (oob, url)
            digest, length = bot.expect_line(
                r"^FETCHED (\S+) (\d+)$", timeout=30).groups()
            assert digest == hashlib.sha256(data).hexdigest()


def test_a_file_over_the_limit_is_refused_before_upload():
    p = tap.shared_prosody()
    bot, bot_jid = file_bot(p)
    n, local, jid = online_natter(p)
    with bot, n, tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "huge.bin")
        with open(path, "wb") as f:
            f.truncate(10 * 1024 * 1024 + 1)  # Prosody's default: 10 MiB
        chat = "%s/%s" % (local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/sendfile %s" % path)
        n.expect_buffer(chat, r"!! Upload of huge\.bin failed: the file is "
                        r"10\.0 MiB, larger than the 10\.0 MiB \S+ takes: "
                        r"nothing was sent")
        assert not n.lines_matching(r"Upload of huge\.bin: sending")
        n.send("/sendfile -cancel")
        n.expect_buffer(chat, r"No upload of this window to cancel")
        # Nothing reached the bot: a later plain message is its first.
        n.send("after")
        assert bot.expect_line(r"^RECV \S+ (.*)$").group(1) == '"after"'


def test_a_cancelled_upload_sends_nothing():
    p = tap.shared_prosody()
    bot, bot_jid = file_bot(p)
    n, local, jid = online_natter(p)
    with bot, n, tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "never.bin")
        with open(path, "wb") as f:
            f.write(os.urandom(1024 * 1024))
        chat = "%s/%s" % (local, bot_jid)
        n.send("/msg %s" % bot_jid)
        # One write: natter reads both lines before any answer of the
        # server, so the upload is cancelled while it looks for the
        # service.
        n.proc.stdin.write(("/sendfile %s\n/sendfile -cancel\n" % path)
                           .encode())
        n.proc.stdin.flush()
        n.expect_buffer(chat, r"-- Cancelling 1 upload$")
        n.expect_buffer(chat, r"!! Upload of never\.bin cancelled$")
        assert not n.lines_matching(r"Upload of never\.bin: sending")
        n.send("after")
        assert bot.expect_line(r"^RECV \S+ (.*)$").group(1) == '"after"'


def test_an_encrypted_file_needs_an_https_upload_service():
    # This server's upload service gives http links; an aesgcm:// link is
    # fetched over https (XEP-0454), so an encrypted file is not sent.
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "plain")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as bot, \
            tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "secret.txt")
        with open(path, "wb") as f:
            f.write(b"secret")
        chat = "%s/%s" % (local, s_jid)
        n.send("/msg %s" % s_jid)
        n.send("/omemo on")
        n.send("/sendfile %s" % path)
        n.expect_buffer(chat, r"!! Upload of secret\.txt failed: the upload "
                        r"service gives http links, and an encrypted file's "
                        r"aesgcm:// link is fetched over https: nothing was "
                        r"sent$")
        assert not n.lines_matching(r"Upload of secret\.txt: sending")
        n.send("/omemo off")
        n.send("after")
        assert bot.expect_line(r"^RECV \S+ (.*)$").group(1) == '"after"'


class Files(http.server.BaseHTTPRequestHandler):
    """Serves CONTENT at any path."""
    content = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.content)))
        self.end_headers()
        self.wfile.write(self.content)

    def log_message(self, *args):
        pass


class HttpServer:
    def __init__(self, content):
        handler = type("Handler", (Files,), {"content": content})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def download_from_bot(path_in_url, data):
    """natter downloads the link a bot sent; returns (download dir, the
    path natter says it saved, natter's transcript)."""
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    with n, HttpServer(data) as web, tempfile.TemporaryDirectory() as d:
        downloads = os.path.join(d, "dl")
        n.send("/set download_dir %s" % downloads)
        url = "http://127.0.0.1:%d%s" % (web.port, path_in_url)
        with Bot.sender(p, s_local, s_pw, to=jid, count=1,
                        text="here: %s." % url) as sender:
            sender.expect_line(r"^DONE$")
            chat = "%s/%s" % (local, s_jid)
            n.expect_buffer(chat, r"here: ")
            n.send("/msg %s" % s_jid)
            n.send("/download")
            saved = n.expect_buffer(
                chat, r"Download of %s done \(\S+ \S+\): saved as (.*)$"
                % re.escape(url), timeout=30).group(1)
            with open(saved, "rb") as f:
                got = f.read()
            listing = os.listdir(downloads)
            # A second download never overwrites the first.
            n.send("/download 1")
            second = n.expect_buffer(
                chat, r"Download of %s done \(\S+ \S+\): saved as (.*)$"
                % re.escape(url), timeout=30).group(1)
        return downloads, saved, got, listing, second


def test_download_of_a_link_a_bot_sent():
    data = os.urandom(2 * 1024 * 1024 + 7)
    downloads, saved, got, listing, second = download_from_bot(
        "/files/report.pdf", data)
    assert got == data
    assert saved == os.path.join(downloads, "report.pdf"), saved
    assert listing == ["report.pdf"], listing
    assert second == os.path.join(downloads, "report-1.pdf"), second


def test_a_hostile_file_name_is_made_safe():
    data = b"export EVIL=1\n"
    downloads, saved, got, listing, second = download_from_bot(
        "/x/..%2F..%2F.bashrc", data)
    assert got == data
    assert os.path.dirname(saved) == downloads, saved
    assert listing == ["bashrc"], listing


class Stalling(http.server.BaseHTTPRequestHandler):
    """Sends half of a file, then waits until RELEASE is set."""
    release = None

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(2 * 1024 * 1024))
        self.end_headers()
        self.wfile.write(b"x" * 1024 * 1024)
        self.wfile.flush()
        self.release.wait(30)

    def log_message(self, *args):
        pass


def test_a_cancelled_download_leaves_no_file():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    release = threading.Event()
    handler = type("Handler", (Stalling,), {"release": release})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever)
    thread.start()
    try:
        with n, tempfile.TemporaryDirectory() as d:
            n.send("/set download_dir %s" % d)
            url = "http://127.0.0.1:%d/half.bin" % httpd.server_address[1]
            n.send("/download %s" % url)
            n.expect_buffer(local, r"Download of %s: \d+%% \(" %
                            re.escape(url))
            assert os.listdir(d) == ["half.bin"]
            # Half of it came and the rest waits: /files says how far.
            n.send("/files")
            n.expect_buffer(local, r"-- 1\. download of half\.bin from %s: "
                            r"50%% \(1\.0 MiB of 2\.0 MiB\)$"
                            % re.escape(url))
            n.send("/download -cancel")
            n.expect_buffer(local, r"Cancelling 1 download$")
            n.expect_buffer(local, r"!! Download of %s cancelled$" %
                            re.escape(url))
            assert os.listdir(d) == []
            n.send("/download -cancel")
            n.expect_buffer(local, r"No download of this window to cancel")
            n.send("/files")
            n.expect_buffer(local, r"!! 1\. download of half\.bin from %s: "
                            r"failed: cancelled$" % re.escape(url))
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


OPENER = """#!/usr/bin/python3
import json, sys
with open(sys.argv[1], "a") as f:
    f.write(json.dumps(sys.argv[2:]) + "\\n")
"""


def test_files_and_open_without_a_shell():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    name = "a;b$(touch pwned)`id`'q'.txt"
    data = b"opened\n"
    with n, HttpServer(data) as web, tempfile.TemporaryDirectory() as d:
        n.send("/files")
        n.expect_buffer(local, r"-- No file transfers in this session$")
        n.send("/set download_dir %s" % d)
        url = "http://127.0.0.1:%d/%s" % (web.port, urllib.parse.quote(name))
        n.send("/download %s" % url)
        saved = n.expect_buffer(local, r"Download of \S+ done \(7 bytes\): "
                                r"saved as (.*)$").group(1)
        assert saved == os.path.join(d, name), saved
        # A second one fails: nothing listens there any more.
        with HttpServer(b"") as gone:
            dead = "http://127.0.0.1:%d/nothing.bin" % gone.port
        n.send("/download %s" % dead)
        n.expect_buffer(local, r"!! Download of %s failed" % re.escape(dead))
        n.send("/files")
        n.expect_buffer(local, r"-- File transfers of this session \(2\):$")
        n.expect_buffer(local, r"-- 1\. download of %s from %s: done "
                        r"\(7 bytes\), saved as %s$"
                        % (re.escape(name), re.escape(url), re.escape(saved)))
        n.expect_buffer(local, r"!! 2\. download of nothing\.bin from %s: "
                        r"failed: \S" % re.escape(dead))
        # The opener gets the file and the link as one argument each,
        # exactly: no shell ever sees them.
        opener = os.path.join(d, "opener")
        with open(opener, "w") as f:
            f.write(OPENER)
        os.chmod(opener, 0o755)
        record = os.path.join(d, "opened.json")
        n.send('/set open_command %s "%s"' % (opener, record))
        n.send("/open 1")
        n.expect_buffer(local, r"-- Opening %s with %s$"
                        % (re.escape(saved), re.escape(opener)))
        link = "https://example.org/x;$(touch pwned)?a=`id`&b='c'"
        n.send("/open %s" % link)

        def both():
            try:
                with open(record) as f:
                    return len(f.readlines()) == 2
            except FileNotFoundError:
                return False
        util.wait_until(both, 10, "the opener to run twice")
        with open(record) as f:
            runs = [json.loads(line) for line in f]
        assert sorted(runs) == sorted([[saved], [link]]), runs
        assert not os.path.exists(os.path.join(d, "pwned"))
        assert not os.path.exists("pwned")
        n.send("/open 2")
        n.expect_buffer(local, r"!! transfer 2 of nothing\.bin is a failed "
                        r"one$")
        n.send("/open 7")
        n.expect_buffer(local, r"!! no transfer 7 in this session \(/files "
                        r"lists them\)$")
        n.send("/open aesgcm://h.example/f#00")
        n.expect_buffer(local, r"!! an aesgcm:// link is an encrypted file")
        n.send("/open -rf")
        n.expect_buffer(local, r"!! /open takes a transfer's number")
        n.send("/set open_command false")
        n.send("/open 1")
        n.expect_buffer(local, r"!! /open: false exited with status 1$")
        n.send("/set open_command %s" % os.path.join(d, "no-such-opener"))
        n.send("/open 1")
        n.expect_buffer(local, r"!! .*no-such-opener.*No such file")


if __name__ == "__main__":
    tap.main(globals())
