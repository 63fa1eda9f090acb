#!/usr/bin/python3
# Proves the test harness against the real Prosody and tmux, without natter:
# server start, accounts, bots talking through the server, certificate
# checking, restart, the tmux driver, and cleanup. The tests marked for both
# servers prove the ejabberd harness too (selftest.ejabberd), and that it
# leaves no Erlang port mapper behind.
# Run: PYTHONPATH=tests/harness /usr/bin/python3 tests/harness/selftest.py
import json
import os
import re
import subprocess
import time

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import (Headless, account_settings,
                                  keyfile_value, natter_path, write_keyfile)
from natter_test.prosody import Prosody
from natter_test.tmux import Tmux


@tap.both_servers
def test_server_starts():
    t = time.monotonic()
    p = tap.shared_server()
    tap.diag("shared %s start: %.3f s" % (p.name, time.monotonic() - t))
    assert p.running()
    assert len({p.port, p.tls_port, p.http_port}) == 3
    for port in (p.port, p.tls_port, p.http_port):
        assert util.port_open("127.0.0.1", port)
    # The certificate names every domain the server serves and chains to
    # cafile, not to other_cafile.
    text = subprocess.run(["openssl", "x509", "-in", p.certfile, "-noout",
                           "-ext", "subjectAltName"], capture_output=True,
                          text=True, check=True).stdout
    for name in ("localhost", "conference.localhost", "upload.localhost"):
        assert "DNS:" + name in text, text
    ok = subprocess.run(["openssl", "verify", "-CAfile", p.cafile,
                         p.certfile], capture_output=True)
    bad = subprocess.run(["openssl", "verify", "-CAfile", p.other_cafile,
                          p.certfile], capture_output=True)
    assert ok.returncode == 0 and bad.returncode != 0


@tap.both_servers
def test_accounts():
    p = tap.shared_server()
    t = time.monotonic()
    a = tap.new_account(p, "alice")
    tap.diag("first account (opens admin socket): %.4f s"
             % (time.monotonic() - t))
    t = time.monotonic()
    accounts = [tap.new_account(p, "user") for _ in range(20)]
    tap.diag("account creation: %.4f s each"
             % ((time.monotonic() - t) / 20))
    for local, jid, _pw in [a] + accounts:
        assert jid == local + "@localhost"
        assert p.user_exists(local)
    assert not p.user_exists("nobody-here")
    try:
        p.create_user(a[0], "again")
    except RuntimeError as exc:
        assert re.search(r"exists|already registered", str(exc)), exc
    else:
        raise AssertionError("creating an existing account did not fail")


@tap.both_servers
def test_echo_round_trip():
    p = tap.shared_server()
    bot, bot_jid, bot_pw = tap.new_account(p, "echo")
    user, user_jid, user_pw = tap.new_account(p, "sender")
    text = "héllo {i} \u202e<&>"
    with Bot.echo(p, bot, bot_pw) as echo, \
            Bot.sender(p, user, user_pw, to=bot_jid, count=3,
                       text=text) as sender:
        sender.expect_line(r"^DONE$")
        for i in range(1, 4):
            m = echo.expect_line(r"^RECV (\S+) (.*)$")
            assert m.group(1).startswith(user_jid + "/"), m.group(0)
            assert json.loads(m.group(2)) == text.format(i=i)
        for i in range(1, 4):
            m = sender.expect_line(r"^RECV (\S+) (.*)$")
            assert m.group(1).startswith(bot_jid + "/"), m.group(0)
            assert json.loads(m.group(2)) == "echo: " + text.format(i=i)
    assert echo.proc.returncode == 0 and sender.proc.returncode == 0


def test_command_mode_and_raw_xml():
    p = tap.shared_prosody()
    bot, bot_jid, bot_pw = tap.new_account(p, "echo")
    user, _, user_pw = tap.new_account(p, "cmd")
    with Bot.echo(p, bot, bot_pw, prefix="") as echo, \
            Bot.sender(p, user, user_pw, commands=True) as sender:
        assert sender.send({"to": bot_jid, "body": "one", "id": "m1"}) == "m1"
        assert echo.expect_line(r"^RECV \S+ (.*)$").group(1) == '"one"'
        sender.send({"raw": "<message to='%s' type='normal'><body>two"
                            "</body><x xmlns='urn:example:odd'/></message>"
                            % bot_jid})
        assert echo.expect_line(r"^RECV \S+ (.*)$").group(1) == '"two"'
        # The echo keeps the type, and the sender sees both answers. (The
        # first may come before "SENT raw-1", which send() waits for, so
        # the answers are read from all lines, not the unread ones.)
        sender.expect_line(r'^RECV \S+ "two"$')
        answers = [line.split(" ", 2)[2]
                   for line in sender.lines_matching(r"^RECV ")]
        assert answers == ['"one"', '"two"'], answers


def test_greeting():
    p = tap.shared_prosody()
    bot, bot_jid, bot_pw = tap.new_account(p, "demo")
    user, _, user_pw = tap.new_account(p, "visitor")
    with Bot.echo(p, bot, bot_pw, prefix="",
                  greeting="Hi! I am the demo bot.") as echo, \
            Bot.sender(p, user, user_pw, commands=True) as sender:
        sender.send({"to": bot_jid, "body": "hello"})
        sender.send({"to": bot_jid, "body": "again"})
        # An answer may come before "SENT msg-2", which send() waits for:
        # read both from all lines, not only the unread ones.
        util.wait_until(lambda: len(sender.lines_matching(r"^RECV ")) >= 2,
                        10, "two answers")
        got = [json.loads(line.split(" ", 2)[2])
               for line in sender.lines_matching(r"^RECV ")]
        assert got == ["Hi! I am the demo bot. You said: hello", "again"], got
        echo.expect_line(r"^RECV .*again")


def test_mutual_contacts():
    p = tap.shared_prosody()
    a, a_jid, a_pw = tap.new_account(p, "friend")
    b, b_jid, b_pw = tap.new_account(p, "friend")
    p.make_mutual(a, b, a_name="Friend A", b_name="Friend B")
    t = time.monotonic()
    many = {"c%d@localhost" % i: {"name": "C %d" % i, "groups": ["Many"]}
            for i in range(2000)}
    p.add_contacts(a, many)
    tap.diag("2,000 roster items in one call: %.3f s"
             % (time.monotonic() - t))
    with Bot.echo(p, a, a_pw) as bot_a:
        with Bot.echo(p, b, b_pw):
            # Only a subscription lets B's presence reach A.
            bot_a.expect_line(r"^PRESENCE %s/\S+ available$" % b_jid)


def test_upload_service():
    # XEP-0363 through the upload component and the loopback http port.
    # (slixmpp 1.8.3's upload_file() breaks on Python 3.11: ask for the slot
    # and PUT by hand.)
    import asyncio
    import urllib.request
    import slixmpp
    p = tap.shared_prosody()
    user, jid, pw = tap.new_account(p, "upload")
    asyncio.set_event_loop(asyncio.new_event_loop())
    x = slixmpp.ClientXMPP(jid, pw)
    x.default_domain, x.ca_certs = p.domain, p.cafile

    async def records(domain, port=None):
        return [(domain, p.host, p.port)]
    x.get_dns_records = records
    x.register_plugin("xep_0363")
    result = x.loop.create_future()

    async def start(_event):
        try:
            slot = await x["xep_0363"].request_slot(
                p.upload_domain, "hi.txt", 5, "text/plain", timeout=10)
            put = slot["http_upload_slot"]["put"]["url"]
            get = slot["http_upload_slot"]["get"]["url"]
            headers = {h.get("name"): h.text for h in slot.xml.iter(
                "{urn:xmpp:http:upload:0}header")}
            headers["Content-Type"] = "text/plain"
            req = urllib.request.Request(put, data=b"hello", method="PUT",
                                         headers=headers)
            await x.loop.run_in_executor(None, urllib.request.urlopen, req)
            body = await x.loop.run_in_executor(
                None, lambda: urllib.request.urlopen(get).read())
            result.set_result((get, body))
        except Exception as exc:
            result.set_exception(exc)
        x.disconnect()
    x.add_event_handler("session_start", start)
    x.connect(address=(p.host, p.port))
    try:
        get, body = x.loop.run_until_complete(asyncio.wait_for(result, 20))
        x.loop.run_until_complete(asyncio.wait_for(x.disconnected, 5))
    finally:
        x.abort()
        tasks = asyncio.all_tasks(x.loop)
        for task in tasks:
            task.cancel()
        x.loop.run_until_complete(asyncio.gather(*tasks,
                                                 return_exceptions=True))
        x.loop.close()
    assert get.startswith("http://127.0.0.1:%d/" % p.http_port), get
    assert body == b"hello"


@tap.both_servers
def test_wrong_ca_is_refused():
    p = tap.shared_server()
    user, _, pw = tap.new_account(p, "tls")
    for direct in (False, True):
        bot = Bot.echo(p, user, pw, cafile=p.other_cafile, direct_tls=direct,
                       start=False)
        bot.start(wait_ready=False)
        try:
            code = bot.wait_exit(15)
            assert code == 4, (code, bot.out.transcript(), bot.stderr())
            assert bot.lines_matching(r"^TLS-FAILED .*CERTIFICATE_VERIFY")
            assert not bot.lines_matching(r"^READY")
        finally:
            bot.stop()
        # The same account with the right CA gets in.
        with Bot.echo(p, user, pw, direct_tls=direct) as good:
            assert good.lines_matching(r"^READY$")


def test_wrong_hostname_is_refused():
    # A certificate from the trusted CA, but for another name.
    with Prosody(cert_names=["elsewhere.test"]) as p:
        p.create_user("u", "pw")
        bot = Bot.echo(p, "u", "pw", start=False)
        bot.start(wait_ready=False)
        try:
            assert bot.wait_exit(15) == 4, bot.out.transcript()
            assert bot.lines_matching(r"^TLS-FAILED .*[Hh]ostname")
        finally:
            bot.stop()


@tap.both_servers
def test_wrong_password_is_refused():
    p = tap.shared_server()
    user, _, _pw = tap.new_account(p, "auth")
    bot = Bot.echo(p, user, "not-the-password", start=False)
    bot.start(wait_ready=False)
    try:
        assert bot.wait_exit(15) == 2
        assert bot.lines_matching(r"^AUTH-FAILED not-authorized$")
    finally:
        bot.stop()


@tap.both_servers
def test_restart_keeps_accounts():
    with tap.new_server() as p:
        p.create_user("keeper", "pw1")
        ports = (p.port, p.tls_port, p.http_port)
        old_pid = p.pid
        t = time.monotonic()
        p.restart()
        tap.diag("%s restart: %.3f s" % (p.name, time.monotonic() - t))
        assert (p.port, p.tls_port, p.http_port) == ports
        assert p.pid != old_pid and not util.pid_alive(old_pid)
        assert p.user_exists("keeper")
        with Bot.echo(p, "keeper", "pw1"):
            pass
        p.kill()
        assert not p.running()
        p.restart()
        with Bot.echo(p, "keeper", "pw1"):
            pass


def test_bot_reconnects_after_server_restart():
    with Prosody() as p:
        p.create_user("bot", "pw")
        p.create_user("user", "pw")
        with Bot.echo(p, "bot", "pw", extra_args=["--reconnect"]) as echo:
            p.restart()
            echo.expect_line(r"^DISCONNECTED ")
            echo.expect_line(r"^READY$", timeout=20)
            with Bot.sender(p, "user", "pw", to="bot@localhost") as s:
                assert s.expect_line(r"^RECV \S+ (.*)$").group(1) == \
                    '"echo: msg 1"'


def test_tmux_shell():
    with Tmux("/bin/sh", width=80, height=24) as t:
        t.type("echo hi-$((1+2))")
        t.send_keys("Enter")
        t.wait_for(r"^hi-3$")
        # The environment is the clean one the driver promises.
        t.type("echo T=$TERM L=$LANG H=$HOME")
        t.send_keys("Enter")
        m = t.wait_for(r"^T=(\S+) L=(\S+) H=(\S+)$")
        assert m.group(1) in ("tmux-256color", "screen-256color")
        assert m.group(2) == "C.UTF-8" and m.group(3) == t.home
        assert t.size() == (80, 24)
        t.resize(60, 20)
        assert t.size() == (60, 20)
        row, col = t.cursor()
        assert 0 <= row < 20 and 0 <= col < 60
        pid = t.pane_pid()
        t.type("exit 3")
        t.send_keys("Enter")
        assert t.wait_exit(5) == (3, None)
        assert not util.pid_alive(pid)
    assert not os.path.exists(t.socket)


def _natter():
    try:
        return natter_path()
    except FileNotFoundError:
        raise tap.Skip("no natter binary built (set NATTER)")


def test_headless_driver_with_natter():
    natter = _natter()
    p = tap.shared_prosody()
    user, jid, pw = tap.new_account(p, "alice")
    bot, bot_jid, bot_pw = tap.new_account(p, "bot")
    # Contacts, so that the bot sees natter's presence: the sign that
    # natter's session is up, whatever natter prints.
    p.make_mutual(user, bot)
    online = r"^PRESENCE %s/\S+ available$" % jid
    with Bot.echo(p, bot, bot_pw) as echo:
        acc = {"alice": account_settings(p, user, pw)}
        with Headless(["-a", "alice", "-e", "/msg " + bot_jid],
                      accounts=acc, natter=natter) as n:
            echo.expect_line(online)
            n.send("hello from headless")
            n.expect_buffer("alice/" + bot_jid, r"echo: hello from headless")
            echo.expect_line(r'^RECV %s/\S+ "hello from headless"$' % jid)
            n.send("/quit")
            assert n.wait_exit(10) == 0
        # No password in the file: natter asks for it.
        acc["alice"].pop("password")
        with Headless(["-a", "alice", "-e", "/msg " + bot_jid],
                      accounts=acc, natter=natter) as n:
            assert n.answer_password(pw).group(1) == jid
            echo.expect_line(online)
            n.send("second")
            n.expect_buffer("alice/" + bot_jid, r"echo: second")
        assert n.returncode == 0  # stdin closed: natter quits


def test_tmux_driver_with_natter():
    natter = _natter()
    p = tap.shared_prosody()
    user, jid, pw = tap.new_account(p, "alice")
    bot, bot_jid, bot_pw = tap.new_account(p, "bot")
    p.make_mutual(user, bot)  # as above: presence says natter is online
    t = Tmux([natter, "--config-dir", "config", "--data-dir", "data",
              "-a", "alice", "-e", "/msg " + bot_jid])
    os.makedirs(os.path.join(t.home, "config"))
    write_keyfile(os.path.join(t.home, "config", "accounts"),
                  {"alice": account_settings(p, user, pw)})
    with Bot.echo(p, bot, bot_pw) as echo, t:
        echo.expect_line(r"^PRESENCE %s/\S+ available$" % jid)
        t.type("hello from tmux")
        t.send_keys("Enter")
        t.wait_for(r"echo: hello from tmux")
        t.type("/quit")
        t.send_keys("Enter")
        assert t.wait_exit(10) == (0, None)


def _server_in_child():
    """A Python child that starts a server of this run's kind and prints
    its pid and dir."""
    code = ("import sys\n"
            "from natter_test import tap\n"
            "p = tap.server_class(%r)(); p.start()\n"
            "print(p.pid, p.dir, flush=True)\n"
            "sys.stdin.read()\n" % tap.server_kind())
    env = dict(os.environ, PYTHONPATH=util.HARNESS_DIR)
    child = subprocess.Popen([util.PYTHON, "-c", code], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    pid, directory = child.stdout.readline().split()
    return child, int(pid), directory


@tap.both_servers
def test_cleanup_leaves_no_server():
    # Normal end: stop() by pid, and the temp dir goes.
    with tap.new_server() as p:
        pid, directory = p.pid, p.dir
        assert util.pid_alive(pid)
    assert not util.pid_alive(pid) and not os.path.exists(directory)
    # The test process is sent SIGTERM: its handlers stop the server.
    # (The waits only catch a hang: a busy machine has needed over 15 s.)
    child, pid, directory = _server_in_child()
    child.terminate()
    child.wait(60)
    assert not util.pid_alive(pid), "server %d survived SIGTERM" % pid
    assert not os.path.exists(directory)
    # The test process is SIGKILLed: no code of ours runs, the kernel's
    # parent-death signal still ends the server.
    child, pid, directory = _server_in_child()
    child.kill()
    child.wait(60)
    util.wait_until(lambda: not util.pid_alive(pid), 30,
                    "server %d to die with its parent" % pid)
    subprocess.run(["rm", "-rf", directory], check=True)


@tap.on_servers("ejabberd")
def test_ejabberd_needs_no_epmd():
    # Its own Erlang distribution port: no port mapper is started or asked,
    # and nothing listens on epmd's port 4369.
    p = tap.shared_server()
    assert p.dist_port and util.port_open("127.0.0.1", p.dist_port)
    comms = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/comm" % pid) as f:
                comms.append(f.read().strip())
        except (OSError, ValueError):
            pass
    assert "epmd" not in comms, "an epmd runs"
    assert not util.port_open("127.0.0.1", 4369)


def test_keyfile_escaping():
    assert keyfile_value(" lead") == "\\slead"
    assert keyfile_value("a\\b\nc\td") == "a\\\\b\\nc\\td"
    assert keyfile_value(True) == "true" and keyfile_value(5222) == "5222"


if __name__ == "__main__":
    tap.main(globals())
