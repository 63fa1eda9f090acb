#!/usr/bin/python3
# Starting a script and leaving: -e commands run once the -a accounts are
# really online (roster received, initial presence sent), also when stdin
# is already at its end, and every way of quitting ends the stream cleanly:
# contacts see us go at once, and the server keeps no session to resume
# (XEP-0198) that would look online and answer for us later.
import re
import signal
import socket

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings


def natter_and_contact(p, prefix):
    """A fresh account with an echo bot among its contacts (both ways):
    (local, jid, accounts, bot, bot_jid)."""
    local, jid, password = tap.new_account(p, prefix)
    bot_local, bot_jid, bot_password = tap.new_account(p, prefix + "-bot")
    p.make_mutual(local, bot_local)
    bot = Bot.echo(p, bot_local, bot_password)
    return local, jid, {local: account_settings(p, local, password)}, bot, \
        bot_jid


def assert_left_cleanly(p, local, jid, bot):
    """The contact saw our unavailable presence, and the server has no
    session of ours left, hibernating or not."""
    bot.expect_line(r"^PRESENCE %s/\S+ unavailable$" % re.escape(jid))
    util.wait_until(lambda: p.sessions(local) == {}, 10,
                    "no session of %s on the server" % jid)


def test_startup_commands_run_after_login_with_stdin_at_its_end():
    p = tap.shared_prosody()
    local, jid, accounts, bot, bot_jid = natter_and_contact(p, "script")
    with bot:
        n = Headless(["-a", local, "-e", "/msg %s from the script" % bot_jid,
                      "-e", "/quit"], accounts=accounts)
        with n:
            n.proc.stdin.close()  # as with </dev/null
            assert n.wait_exit(20) == 0
        # Our presence reached the contact before the message did.
        seen = bot.expect_line(r"^(PRESENCE %s/\S+ available|RECV %s/\S+ )"
                               % (re.escape(jid), re.escape(jid)))
        assert seen.group(0).startswith("PRESENCE"), seen.group(0)
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert frm.startswith(jid + "/") and body == '"from the script"', \
            (frm, body)
        out = n.transcript()
        assert out.index("Roster received") < out.index("from the script"), \
            out
        assert not re.search(r"not online|kept and will be sent", out), out
        assert_left_cleanly(p, local, jid, bot)


def test_stdin_waits_for_the_login_and_answers_the_password():
    p = tap.shared_prosody()
    local, jid, accounts, bot, bot_jid = natter_and_contact(p, "stdin")
    password = accounts[local].pop("password")
    with bot:
        n = Headless(["-a", local, "-e", "/msg %s first" % bot_jid],
                     accounts=accounts)
        with n:
            # All typed at once, before natter is online, as a pipe would.
            for line in (password, "/msg %s second" % bot_jid, "/quit"):
                n.send(line)
            n.proc.stdin.close()
            assert n.wait_exit(20) == 0
        for text in ("first", "second"):
            frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
            assert body == '"%s"' % text, (frm, body)
        assert not re.search(r"not online|kept and will be sent",
                             n.transcript()), n.transcript()
        assert_left_cleanly(p, local, jid, bot)


def test_end_of_input_cancels_the_password_question_at_start():
    p = tap.shared_prosody()
    local, jid, password = tap.new_account(p, "nopw")
    accounts = {local: account_settings(p, local, None)}
    with Headless(["-a", local, "-e", "/account show %s" % local],
                  accounts=accounts) as n:
        n.expect(r"\?\? Password for %s" % re.escape(jid))
        n.proc.stdin.close()
        assert n.wait_exit(10) == 0
    out = n.transcript()
    assert re.search(r"Connecting cancelled", out), out
    # The -e command still ran, once the account had given up.
    assert re.search(r"Account %s \(offline" % re.escape(local), out), out


def test_every_way_of_quitting_closes_the_stream():
    p = tap.shared_prosody()
    ways = {
        "/quit": lambda n: n.send("/quit"),
        "end of input": lambda n: n.proc.stdin.close(),
        "SIGTERM": lambda n: n.proc.send_signal(signal.SIGTERM),
        "SIGINT": lambda n: n.proc.send_signal(signal.SIGINT),
        "SIGHUP": lambda n: n.proc.send_signal(signal.SIGHUP),
    }
    for way, leave in ways.items():
        tap.diag("quitting with %s" % way)
        local, jid, accounts, bot, bot_jid = natter_and_contact(p, "quit")
        with bot, Headless(["-a", local], accounts=accounts) as n:
            # Online for the contact: the stream management session is
            # enabled by then (tests/harness/NOTES.md).
            bot.expect_line(r"^PRESENCE %s/\S+ available$" % re.escape(jid))
            leave(n)
            assert n.wait_exit(10) == 0, way
            assert_left_cleanly(p, local, jid, bot)


def test_quitting_while_connecting_leaves_nothing_behind():
    p = tap.shared_prosody()
    local, jid, accounts, bot, bot_jid = natter_and_contact(p, "early")
    with bot, Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"-- Connecting to ")
        n.proc.send_signal(signal.SIGTERM)
        assert n.wait_exit(10) == 0
    util.wait_until(lambda: p.sessions(local) == {}, 10,
                    "no session of %s on the server" % jid)


def test_disconnect_and_quit_while_tcp_connects():
    # A listener whose backlog is full: the kernel drops further SYNs, so
    # natter's TCP connect stays pending.
    full = socket.create_server(("127.0.0.1", 0), backlog=0)
    fillers = [socket.socket() for _ in range(3)]
    try:
        for f in fillers:
            f.setblocking(False)
            f.connect_ex(full.getsockname())
        n = Headless(accounts={"slow": {
            "jid": "slow@localhost", "password": "pw", "server": "127.0.0.1",
            "port": full.getsockname()[1]}})
        with n:
            for leave in ("/disconnect slow", "/quit"):
                n.send("/connect slow")
                n.expect_buffer("slow", r"-- Connecting to 127\.0\.0\.1 ")
                n.send(leave)
                n.expect_buffer("slow", r"-- Disconnected\.$")
            assert n.wait_exit(10) == 0
    finally:
        for f in fillers:
            f.close()
        full.close()


if __name__ == "__main__":
    tap.main(globals())
