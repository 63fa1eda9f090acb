#!/usr/bin/python3
# The control socket: where it is and its permissions, connections from
# another uid refused, commands and events over the line protocol, natter
# --send (delivery confirmed, hostile text sent as it is), --ctl, --events,
# and what happens when no natter listens.
import json
import os
import re
import socket
import stat
import subprocess
import sys

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import (Headless, account_settings, natter_path,
                                  write_keyfile)

from fixtures import echo_bot
from fixtures import online_natter as online_natter_plain


def ctl_natter(p, prefix="alice"):
    """A logged-in headless natter with control_socket on from the start:
    (natter, localpart, jid, socket path)."""
    local, jid, password = tap.new_account(p, prefix)
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, password)})
    write_keyfile(os.path.join(n.config_dir, "natterrc"),
                  {"settings": {"control_socket": "on"}})
    n.__enter__()
    try:
        path = n.expect(r"^\[natter\] -- Control socket: (\S+)$").group(1)
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
    except BaseException:
        n.__exit__(AssertionError, None, None)
        raise
    return n, local, jid, path


def client(n, *args, stdin=None):
    """Runs `natter ARGS` as a client of N: CompletedProcess (text)."""
    return subprocess.run([natter_path(), "--config-dir", n.config_dir,
                           "--data-dir", n.data_dir] + list(args),
                          input=stdin, capture_output=True, text=True,
                          env=n.env, cwd=n.home, timeout=60)


class Conn:
    """A raw connection speaking the line protocol."""
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb")

    def send(self, line):
        self.file.write(line.encode() + b"\n")
        self.file.flush()

    def line(self):
        data = self.file.readline()
        assert data, "the connection ended"
        return data.decode().rstrip("\n")

    def until_status(self):
        """(output lines, status line)."""
        lines = []
        while True:
            line = self.line()
            if line.split(" ", 1)[0] in ("ok", "fail"):
                return lines, line
            lines.append(line)

    def close(self):
        self.file.close()
        self.sock.close()


def test_socket_is_private_and_named_by_the_data_dir():
    p = tap.shared_prosody()
    n, local, jid, path = ctl_natter(p)
    with n:
        run = n.env["XDG_RUNTIME_DIR"]
        assert os.path.dirname(path) == os.path.join(run, "natter"), path
        assert re.match(r"ctl-[0-9a-f]{12}$", os.path.basename(path)), path
        d = os.stat(os.path.dirname(path))
        s = os.stat(path)
        assert stat.S_ISSOCK(s.st_mode)
        assert stat.S_IMODE(d.st_mode) == 0o700, oct(d.st_mode)
        assert stat.S_IMODE(s.st_mode) == 0o600, oct(s.st_mode)
        assert s.st_uid == os.getuid() and d.st_uid == os.getuid()
        # Off closes it and removes the socket.
        n.send("/set control_socket off")
        n.expect(r"^\[natter\] -- Control socket closed\.$")
        assert not os.path.exists(path)
        r = client(n, "--ctl", "/help")
        assert r.returncode == 3, r
        assert "no natter listens on %s" % path in r.stderr, r.stderr


def test_another_uid_is_refused():
    if os.getuid() != 0:
        raise tap.Skip("needs root to connect as another user (setpriv)")
    p = tap.shared_prosody()
    n, local, jid, path = ctl_natter(p)
    probe = ("import socket,sys\n"
             "s=socket.socket(socket.AF_UNIX)\n"
             "try:\n s.connect(sys.argv[1])\n"
             "except OSError as e:\n print('ERR', e.errno); sys.exit()\n"
             "print(s.makefile().readline().strip())\n"
             "try:\n s.sendall(b'cmd /quit\\n')\n"
             "except OSError:\n pass\n")
    # Debian's python3: one under root's home (pyenv) is not for nobody.
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534",
                 "--clear-groups", "/usr/bin/python3", "-c", probe, path]
    with n:
        # The directory alone keeps other users out...
        r = subprocess.run(as_nobody, capture_output=True, text=True,
                           timeout=20)
        assert r.stdout.strip() == "ERR 13", r
        # ... and with it and the socket opened up, natter refuses them by
        # their credentials.
        d = os.path.dirname(path)
        while d != os.path.dirname(n.tmp):
            os.chmod(d, 0o711)
            d = os.path.dirname(d)
        os.chmod(path, 0o666)
        r = subprocess.run(as_nobody, capture_output=True, text=True,
                           timeout=20)
        assert r.stdout.strip() == "fail refused: not your natter", r
        n.expect(r"^\[natter\] !! control socket: refused a connection "
                 r"from uid 65534$")
        # The /quit it sent did nothing: natter still answers.
        r = client(n, "--ctl", "/set control_socket")
        assert r.returncode == 0 and "control_socket" in r.stdout, r


def test_commands_over_the_socket():
    p = tap.shared_prosody()
    n, local, jid, path = ctl_natter(p)
    with n:
        c = Conn(path)
        c.send("cmd /set hook_timeout")
        lines, status = c.until_status()
        assert status == "ok", (lines, status)
        assert any(re.match(r"info +hook_timeout +10 ", l) for l in lines), \
            lines
        c.send("cmd /nonsense")
        assert c.until_status() == ([], "fail unknown command /nonsense "
                                        "(try /help)")
        c.send("what")
        assert c.line().startswith("fail unknown request 'what': ")
        # Output that comes later (/exec) comes before the status.
        c.send("cmd /exec -sh printf 'a\\nb\\n'")
        lines, status = c.until_status()
        assert status == "ok", status
        assert lines[:2] == ["info a", "info b"], lines
        c.close()
        r = client(n, "--ctl", "/exec echo \"$(id)\" `id`")
        assert r.returncode == 0, r
        assert r.stdout.splitlines()[0] == "$(id) `id`", r.stdout
        # Output is sanitised before it reaches the terminal: a C1 CSI
        # and ESC as the printable replacements natter's windows show.
        r = client(n, "--ctl", "/exec printf \"a\\302\\2332J\\033[1mb\"")
        assert r.returncode == 0, r
        assert r.stdout.splitlines()[0] == "a\ufffd2J\u241b[1mb", \
            ascii(r.stdout)
        r = client(n, "--ctl", "/nonsense")
        assert r.returncode == 1, r
        assert "unknown command /nonsense" in r.stderr, r.stderr


def test_send_with_a_running_natter_is_confirmed():
    p = tap.shared_prosody()
    bot, bot_jid = echo_bot(p)
    n, local, jid, path = ctl_natter(p)
    hostile = "$(touch /tmp/natter-pwned) `id`; rm -rf x \\n \\ end"
    with bot, n:
        r = client(n, "--send", bot_jid, hostile)
        assert r.returncode == 0, r
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert frm.startswith(jid + "/"), frm
        assert json.loads(body) == hostile, body
        # The same message, shown in its chat like a typed one.
        n.expect_buffer("%s/%s" % (local, bot_jid),
                        r"<%s> \$\(touch" % re.escape(local))
        r = client(n, "-a", local, "--send", bot_jid, "-",
                   stdin="two\nlines\n")
        assert r.returncode == 0, r
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert json.loads(body) == "two\nlines", body
        r = client(n, "-a", "nobody", "--send", bot_jid, "x")
        assert r.returncode == 1 and "no account 'nobody'" in r.stderr, r
        r = client(n, "--send", "bad@", "x")
        assert r.returncode == 1, r
        assert "not a valid XMPP address" in r.stderr, r.stderr
    assert not os.path.exists("/tmp/natter-pwned")


def test_send_without_a_running_natter_sends_by_itself():
    p = tap.shared_prosody()
    bot, bot_jid = echo_bot(p)
    local, jid, password = tap.new_account(p, "alone")
    n = Headless(accounts={local: account_settings(p, local, password)})
    hostile = "no natter `id` $(id)\nsecond line"
    with bot:
        r = client(n, "--send", bot_jid, "-", stdin=hostile)
        assert r.returncode == 0, r
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert frm.startswith(jid + "/"), frm
        assert json.loads(body) == hostile, body
        r = client(n, "-a", "nobody", "--send", bot_jid, "x")
        assert r.returncode == 1, r
        assert "no account 'nobody'" in r.stderr, r.stderr
        r = client(n, "--send", "bad@", "x")
        assert r.returncode == 1, r
        assert "not a valid XMPP address" in r.stderr, r.stderr
    # A wrong password: the login fails, and so does --send.
    m = Headless(accounts={local: account_settings(p, local, "wrong")})
    r = client(m, "--send", bot_jid, "x")
    assert r.returncode == 1, r
    assert "not sent: the account did not come online" in r.stderr, r.stderr
    # No password in the accounts file: natter would have to ask.
    q = Headless(accounts={local: account_settings(p, local, None)})
    r = client(q, "--send", bot_jid, "x")
    assert r.returncode == 1, r
    assert "natter would have to ask (a password?)" in r.stderr, r.stderr
    q.close()
    # No account at all.
    e = Headless()
    r = client(e, "--send", "bob@example.org", "hello")
    assert r.returncode == 1, r
    assert "which account? Add -a ACCOUNT" in r.stderr, r.stderr
    for h in (n, m, e):
        h.close()


def test_send_with_a_natter_that_does_not_listen_is_refused():
    p = tap.shared_prosody()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter_plain(p)
    with bot, n:
        r = client(n, "--send", bot_jid, "x")
        assert r.returncode == 1, r
        assert re.search(r"natter: .*(already|in use|running)", r.stderr), \
            r.stderr
        n.send("/set control_socket")
        n.expect_buffer(local, r"control_socket +off")


def test_events_stream_json():
    p = tap.shared_prosody()
    n, local, jid, path = ctl_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    body = "hi \"there\"\n\\ $(x) \u009b"
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        plain = Conn(path)
        plain.send("events")
        assert plain.line() == "ok events follow"
        full = subprocess.Popen(
            [natter_path(), "--config-dir", n.config_dir, "--data-dir",
             n.data_dir, "--events", "--bodies"], stdout=subprocess.PIPE,
            env=n.env)
        try:
            log = util.LineLog(full.stdout, "events")
            # The stream is live from its first line.
            log.expect(r'^\{"event":"ready"\}$', 10,
                       alive=lambda: full.poll() is None)
            sender.send({"to": jid, "body": body})
            m = log.expect(r'"event":"message-received"', 10,
                           alive=lambda: full.poll() is None)
            # The line itself holds no control character a terminal
            # would act on: they are \u escapes.
            assert "\u009b" not in m.string and "\\u009b" in m.string, \
                ascii(m.string)
            event = json.loads(m.string)
            assert event["account"] == local, event
            assert event["peer"] == s_jid, event
            assert event["body"] == body, ascii(event["body"])
            assert event["direction"] == "in", event
            while True:
                line = plain.line()
                assert line.startswith("event "), line
                event = json.loads(line[len("event "):])
                if event["event"] == "message-received":
                    break
            assert "body" not in event, event
            assert event["peer"] == s_jid, event
        finally:
            full.terminate()
            full.wait(10)
            plain.close()


def test_the_example_echo_bot():
    p = tap.shared_prosody()
    n, local, jid, path = ctl_natter(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    example = os.path.join(util.REPO_DIR, "examples", "echo-bot.py")
    body = "hi $(touch /tmp/natter-pwned) `id` \"quoted\""
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        bot = subprocess.Popen(
            [sys.executable, example, "--natter", natter_path(),
             "--config-dir", n.config_dir, "--data-dir", n.data_dir],
            env=n.env, stdout=subprocess.PIPE)
        try:
            util.LineLog(bot.stdout, "echo-bot").expect(
                r"^echo-bot: ready$", 10, alive=lambda: bot.poll() is None)
            sender.send({"to": jid, "body": body})
            m = sender.expect_line(r"^RECV \S+ (.*)$")
            assert json.loads(m.group(1)) == "echo: " + body, m.group(1)
        finally:
            bot.terminate()
            bot.wait(10)
    assert not os.path.exists("/tmp/natter-pwned")


if __name__ == "__main__":
    tap.main(globals())
