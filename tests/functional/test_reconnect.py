#!/usr/bin/python3
# Staying connected: automatic reconnect with backoff after a lost
# connection (server restart, server down), resumption with stream
# management, keepalive pings that notice a frozen server, /reconnect; and
# the cases that must not reconnect (wrong password, /disconnect).
import os
import re
import signal
import socket
import threading
import time

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings, write_keyfile
from natter_test.prosody import Prosody


def natter(p, settings, prefix="re", password=None, **account):
    """A headless natter with one account on P and global SETTINGS in
    natterrc, connecting at start: (natter, localpart, jid)."""
    local, jid, pw = tap.new_account(p, prefix)
    n = Headless(["-a", local], accounts={local: account_settings(
        p, local, password or pw, **account)})
    write_keyfile(os.path.join(n.config_dir, "natterrc"),
                  {"settings": settings})
    return n, local, jid


def test_wrong_password_is_one_clear_error_without_reconnect():
    with Prosody() as p:
        wrong_password(p)


def wrong_password(p):
    n, local, jid = natter(p, {"reconnect_delay": 1}, prefix="wrongpw",
                           password="not-the-password")
    with n:
        n.expect_buffer(local, r"!! Could not connect: authentication "
                        r"failed: wrong password or user\?")
        # The decision is taken when the login fails: nothing is scheduled.
        n.send("/reconnect")
        n.expect_buffer(local, r"--   %s\s+offline: authentication failed"
                        % re.escape(local))
        n.send("/reconnect now %s" % local)
        n.expect_buffer(local, r"!! account '%s' is not waiting to "
                        r"reconnect" % re.escape(local))
        assert len(n.lines_matching(r"Connecting to")) == 1, n.transcript()
        assert not n.lines_matching(r"Reconnecting in"), n.transcript()
    # One attempt reached the server (the harness's own readiness probe
    # never starts TLS).
    attempts = p.log_lines_matching(r"Stream encrypted")
    assert len(attempts) == 1, attempts


@tap.both_servers
def test_reconnect_after_server_restart_and_messages_work_again():
    with tap.new_server() as p:
        n, local, jid = natter(p, {"reconnect_delay": 1})
        b_local, b_jid, b_pw = tap.new_account(p, "echo")
        with n, Bot.echo(p, b_local, b_pw,
                         extra_args=["--reconnect"]) as bot:
            n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
            p.restart()
            n.expect_buffer(local, r"!! Connection lost: ", timeout=15)
            n.expect_buffer(local, r"-- Reconnecting in 1 s")
            # The server forgot the stream: a fresh session, not a resumed
            # one.
            first = n.lines_matching(r"Connected as %s/" % re.escape(jid))
            m = n.expect_buffer(local, r"-- Connected as %s/\S+ \(TLS\)"
                                r"(\.|: session resumed)" % re.escape(jid),
                                timeout=20)
            assert m.group(1) == ".", m.group(0)
            # The same resource comes back.
            address = re.compile(r"Connected as (\S+) ")
            assert first and address.search(first[0]).group(1) == \
                address.search(m.group(0)).group(1), (first, m.group(0))
            bot.expect_line(r"^READY", timeout=20)
            n.send("/msg %s back again" % b_jid)
            n.expect_buffer("%s/%s" % (local, b_jid),
                            r"<%s> echo: back again$" % re.escape(b_jid),
                            timeout=15)


@tap.both_servers
def test_keepalive_notices_a_frozen_server_and_the_session_resumes():
    with tap.new_server(debug=True) as p:
        interval, timeout = 1, 5
        n, local, jid = natter(p, {"ping_interval": interval,
                                   "ping_timeout": timeout,
                                   "reconnect_delay": 1})
        b_local, b_jid, b_pw = tap.new_account(p, "watcher")
        p.make_mutual(local, b_local)
        with Bot.echo(p, b_local, b_pw) as bot, n:
            n.expect_buffer(local, r"Connected as %s/\S+ \(TLS\)\.$"
                            % re.escape(jid))
            # libstrophe reports the login before the server has enabled
            # stream management; our presence reaching the bot proves the
            # server handled the <enable/> sent before it.
            bot.expect_line(r"^PRESENCE %s/\S+ available" % re.escape(jid))
            os.kill(p.pid, signal.SIGSTOP)
            try:
                frozen = time.monotonic()
                n.expect_buffer(local, r"!! Connection lost: no answer from "
                                r"the server for \d+ s \(keepalive ping "
                                r"unanswered after 5 s\)", timeout=20)
                noticed = time.monotonic() - frozen
                # Within interval + timeout, plus scheduling slack.
                assert noticed < interval + timeout + 3, noticed
                n.expect_buffer(local, r"-- Reconnecting in 1 s")
            finally:
                os.kill(p.pid, signal.SIGCONT)
            # The server kept the stream for resumption (XEP-0198).
            n.expect_buffer(local, r"-- Connected as %s/\S+ \(TLS\): "
                            r"session resumed" % re.escape(jid), timeout=30)
            # Prosody, woken up, can still end the resumed stream as it
            # catches up with the frozen one ("undefined-condition", seen
            # once in a chroot); natter then logs in again by itself.
            # Either way it is online again within the reconnect delay.

            def online():
                n.send("/reconnect")
                return n.expect_buffer(local, r"--   %s\s+(\S+)"
                                       % re.escape(local),
                                       timeout=30).group(1) == "online"
            util.wait_until(online, 60, "natter online again", interval=1.0,
                            on_timeout=n.transcript)
        assert p.resumptions(jid)


@tap.both_servers
def test_backoff_reconnect_now_and_disconnect_while_waiting():
    with tap.new_server() as p:
        n, local, jid = natter(p, {"reconnect_delay": 30,
                                   "reconnect_max_delay": 45})
        with n:
            n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
            p.stop()
            # Said in words, not as a stray OpenSSL code read as an errno.
            n.expect_buffer(local, r"!! Connection lost: (the server closed "
                            r"the connection|stream error: system-shutdown|"
                            r"the connection broke)")
            n.expect_buffer(local, r"-- Reconnecting in 30 s")
            n.send("/reconnect")
            n.expect_buffer(local, r"Reconnect: first after 30 s, doubling "
                            r"up to 45 s")
            n.expect_buffer(local, r"--   %s\s+waiting to reconnect: next "
                            r"attempt in \d+ s \(attempt 1\)"
                            % re.escape(local))
            # The server is still down: the attempt fails, and the next
            # wait is doubled, within the ceiling.
            n.send("/reconnect now %s" % local)
            n.expect_buffer(local, r"!! Could not connect: cannot reach the "
                            r"server")
            n.expect_buffer(local, r"-- Reconnecting in 45 s")
            p.start()
            n.send("/reconnect now")
            n.expect_buffer(local, r"-- Connected as %s/" % re.escape(jid),
                            timeout=15)
            # /disconnect while waiting stops the reconnecting.
            p.stop()
            n.expect_buffer(local, r"-- Reconnecting in 30 s")
            n.send("/disconnect")
            n.expect_buffer(local, r"-- Reconnecting stopped\.")
            n.send("/reconnect now")
            n.expect_buffer(local, r"!! account '%s' is not waiting to "
                            r"reconnect" % re.escape(local))


class SilentServer:
    """A TCP server on loopback that accepts every connection and never
    says a word, as a stuck server does."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def test_a_server_that_never_answers_times_out_and_is_retried():
    silent = SilentServer()
    try:
        local = "stuck"
        n = Headless(accounts={local: {
            "jid": "stuck@localhost", "password": "pw",
            "server": "127.0.0.1", "port": silent.port}})
        with n:
            n.send("/set connect_timeout 1")
            n.expect_buffer("natter", r"-- connect_timeout = 1$")
            n.send("/set reconnect_delay 1")
            n.send("/connect %s" % local)
            n.expect_buffer(local, r"!! Could not connect: the server did "
                            r"not complete the login within 1 s "
                            r"\(connect_timeout\)$")
            n.expect_buffer(local, r"-- Reconnecting in 1 s")
            # It tries again, with the backoff, and gives up again.
            n.expect_buffer(local, r"-- Connecting to 127\.0\.0\.1 port %d"
                            % silent.port)
            n.expect_buffer(local, r"!! Could not connect: the server did "
                            r"not complete the login within 1 s")
            n.expect_buffer(local, r"-- Reconnecting in 2 s")
            assert len(silent.accepted) == 2, len(silent.accepted)
            n.send("/disconnect %s" % local)
            n.expect_buffer(local, r"-- Reconnecting stopped\.")
    finally:
        silent.close()


@tap.both_servers
def test_a_crashed_server_is_said_in_words():
    # A server killed outright closes its sockets without ending TLS: the
    # kernel resets a connection with unread data in it (Prosody's, here),
    # or ends it (ejabberd's), which OpenSSL 3 reports as an "unexpected
    # eof", a protocol error to libstrophe. Either is said as what it is.
    with tap.new_server() as p:
        n, local, jid = natter(p, {"reconnect_delay": 30})
        with n:
            n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
            p.kill()
            n.expect_buffer(local, r"!! Connection lost: (the server closed "
                            r"the connection without ending TLS|the "
                            r"connection broke)$")
            n.expect_buffer(local, r"-- Reconnecting in 30 s")


@tap.both_servers
def test_disconnect_does_not_reconnect():
    p = tap.shared_server()
    n, local, jid = natter(p, {"reconnect_delay": 1})
    with n:
        n.expect_buffer(local, r"Connected as")
        n.send("/disconnect")
        n.expect_buffer(local, r"-- Disconnected\.")
        n.send("/reconnect")
        n.expect_buffer(local, r"--   %s\s+offline$" % re.escape(local))


@tap.both_servers
def test_message_typed_while_the_server_is_down_is_sent_after():
    with tap.new_server() as p:
        n, local, jid = natter(p, {"reconnect_delay": 1})
        b_local, b_jid, b_pw = tap.new_account(p, "echo")
        chat = "%s/%s" % (local, b_jid)
        with n, Bot.echo(p, b_local, b_pw,
                         extra_args=["--reconnect"]) as bot:
            n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
            p.stop()
            n.expect_buffer(local, r"!! Connection lost: ", timeout=15)
            n.send("/msg %s typed during the outage" % b_jid)
            n.expect_buffer(chat, r"-- %s is not online: the message is kept"
                            % re.escape(local))
            p.start()
            n.expect_buffer(local, r"Sent 1 message typed while offline\.",
                            timeout=30)
            bot.expect_line(r"^READY", timeout=20)
            n.expect_buffer(chat, r"<%s> echo: typed during the outage$"
                            % re.escape(b_jid), timeout=15)
            # Sent once: a second copy would reach the bot before a message
            # typed after it (one stream, in order). The bot's lines are
            # read as they come, so wait for that later one before counting.
            n.send("/msg %s after the outage" % b_jid)
            bot.expect_line(r"^RECV \S+ \"after the outage\"$", timeout=15)
            assert len(bot.lines_matching(r"typed during the outage")) == 1


if __name__ == "__main__":
    tap.main(globals())
