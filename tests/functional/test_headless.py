#!/usr/bin/python3
# The program around the protocol: command-line options, startup commands,
# the headless front end, the accounts file, bad input and clean exits.
import os
import re
import signal
import stat
import subprocess

from natter_test import tap
from natter_test.headless import Headless, account_settings, natter_path

from fixtures import echo_bot


def run_natter(*args):
    return subprocess.run([natter_path(), *args], capture_output=True,
                          text=True, timeout=10)


def test_version_names_the_libraries_and_features():
    r = run_natter("--version")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"natter \d+\.\d+\.\d+", lines[0]), lines
    assert re.search(r"GLib 2\.\d+\.\d+, libstrophe 0\.\d+", lines[1]), lines
    assert re.search(r"ncurses \d", lines[1]), lines
    assert lines[2].startswith("features: "), lines


def test_help_lists_every_option():
    r = run_natter("--help")
    assert r.returncode == 0, r.stderr
    for option in ("--version", "--config-dir", "--data-dir", "--headless",
                   "--account", "--cmd"):
        assert option in r.stdout, (option, r.stdout)


def test_unknown_option_is_an_error():
    r = run_natter("--frobnicate")
    assert r.returncode == 2
    assert "Unknown option --frobnicate" in r.stderr, r.stderr


def test_account_and_commands_given_at_start():
    p = tap.shared_prosody()
    bot, bot_jid = echo_bot(p)
    local, jid, password = tap.new_account(p, "startup")
    accounts = {local: account_settings(p, local, password)}
    with bot, Headless(["-a", local, "-e", "/msg %s from the command line"
                        % bot_jid], accounts=accounts) as n:
        n.expect_buffer("%s/%s" % (local, bot_jid),
                        r"<\S+> echo: from the command line$")


def test_end_of_input_quits_cleanly():
    p = tap.shared_prosody()
    local, jid, password = tap.new_account(p, "eof")
    accounts = {local: account_settings(p, local, password)}
    n = Headless(["-a", local], accounts=accounts)
    with n:
        n.expect_buffer(local, r"Connected as")
        n.proc.stdin.close()
        assert n.wait_exit(10) == 0
    assert p.session_end(jid) == "closed"


def test_sigterm_quits_cleanly():
    p = tap.shared_prosody()
    local, jid, password = tap.new_account(p, "term")
    accounts = {local: account_settings(p, local, password)}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        n.proc.send_signal(signal.SIGTERM)
        assert n.wait_exit(10) == 0
    assert p.session_end(jid) == "closed"


def test_a_second_natter_on_one_data_directory_is_refused():
    first = Headless()
    with first:
        first.expect_buffer("natter", r"-- natter \S+\. /help")
        second = Headless(natter=first.natter, name="second natter")
        second.data_dir = first.data_dir
        with second:
            assert second.wait_exit(10) == 1
            err = second.stderr()
        assert re.search(r"natter: another natter \(pid %d\) is already "
                         r"running with the data directory %s: "
                         % (first.proc.pid, re.escape(first.data_dir)),
                         err), err
        assert not second.transcript(), second.transcript()
        # The first goes on as if nothing happened.
        first.send("/help quit")
        first.expect_buffer("natter", r"-- /quit - ")
        first.send("/quit")
        assert first.wait_exit(10) == 0
    # Once it has gone, the directory is free again, also after a kill.
    for end in ("quit", "kill", None):
        again = Headless(natter=first.natter, name="natter after %s" % end)
        again.data_dir = first.data_dir
        with again:
            again.expect_buffer("natter", r"-- natter \S+\. /help")
            if end == "quit":
                again.send("/quit")
                assert again.wait_exit(10) == 0
            elif end == "kill":
                assert again.kill() == -signal.SIGKILL


def test_bad_commands_are_explained():
    with Headless() as n:
        n.send("/frobnicate now")
        n.expect_buffer("natter", r"!! unknown command /frobnicate \(try "
                        r"/help\)$")
        n.send("/win")
        n.expect_buffer("natter", r"!! usage: /win NUMBER$")
        n.send("/win 42")
        n.expect_buffer("natter", r"!! there is no window 42")
        n.send('/msg "unterminated')
        n.expect_buffer("natter", r"!! a quote is not closed$")
        n.send("/close")
        n.expect_buffer("natter", r"!! window 1 \(natter's console\) cannot "
                        r"be closed$")
        # After all that, natter still answers.
        n.send("/help quit")
        n.expect_buffer("natter", r"-- /quit - ")


def test_help_comes_from_the_command_table_like_the_man_page():
    with Headless() as n:
        n.send("/help")
        n.expect_buffer("natter", r"-- Commands \(/help COMMAND for details\):")
        n.expect_buffer("natter", r"--   /connect\s+connect an account$")
        n.send("/help connect")
        n.expect_buffer("natter", r"-- Usage:$")
        usage = n.expect_buffer("natter", r"--   (/connect JID .*)$").group(1)
    man = os.path.join(os.environ.get("NATTER_BUILDDIR", "."), "man",
                       "natter.1")
    with open(man) as f:
        page = f.read().replace("\\-", "-")
    assert usage in page, (usage, man)


def test_accounts_file_is_private_and_survives_a_restart():
    with Headless() as n:
        n.send("/account add work")
        n.send("/account set work jid me@example.org")
        n.send("/account set work password s3cret")
        n.send("/account set work port 5999")
        n.expect_buffer("natter", r"-- work: port = 5999$")
        n.send("/quit")
        assert n.wait_exit(10) == 0
        path = os.path.join(n.config_dir, "accounts")
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        second = Headless(natter=n.natter)
        second.config_dir = n.config_dir
        with second:
            second.send("/account show work")
            second.expect_buffer("natter", r"--   jid\s+me@example\.org$")
            second.expect_buffer("natter", r"--   password\s+\(set\)$")
            second.expect_buffer("natter", r"--   port\s+5999$")
            assert not second.lines_matching("s3cret")


def test_settings_are_checked_saved_and_reloaded():
    with Headless() as n:
        n.send("/set ping_interval 120")
        n.expect_buffer("natter", r"-- ping_interval = 120$")
        n.send("/set ping_interval soon")
        n.expect_buffer("natter", r"!! ping_interval is a number from 0 to "
                        r"3600, not 'soon'$")
        n.send("/set autoaway_message out for lunch")
        n.expect_buffer("natter", r"-- autoaway_message = out for lunch$")
        n.send("/quit")
        assert n.wait_exit(10) == 0
        second = Headless(natter=n.natter)
        second.config_dir = n.config_dir
        with second:
            second.send("/set ping")
            second.expect_buffer("natter", r"--   ping_interval\s+120$")
            second.expect_buffer("natter",
                                 r"--   ping_timeout\s+30  \(default\)$")
            second.send("/unset ping_interval")
            second.expect_buffer("natter",
                                 r"-- ping_interval = 60 \(default\)$")
            second.send("/set autoaway_message")
            second.expect_buffer("natter",
                                 r"--   autoaway_message\s+out for lunch$")


def test_help_search_finds_commands_and_settings():
    with Headless() as n:
        n.send("/help search AWAY")
        n.expect_buffer("natter", r'-- Help about "AWAY":')
        n.expect_buffer("natter", r"--   /status ")
        n.expect_buffer("natter", r"--   setting autoaway_minutes ")
        n.send("/help search zzyzx")
        n.expect_buffer("natter", r'!! no command or setting mentions "zzyzx"')
        n.send("/help find away")
        n.expect_buffer("natter", r"!! usage: /help search WORD")


def test_broken_accounts_file_is_reported_and_kept():
    with Headless() as n:
        pass
    broken = "[work]\njid=me@example.org\nport=not-a-number\n# mine\n"
    n = Headless()
    path = os.path.join(n.config_dir, "accounts")
    with open(path, "w") as f:
        f.write(broken)
    with n:
        n.expect_buffer("natter", r"!! accounts file, account \[work\], "
                        r"port: 'not-a-number' is not a number")
        n.send("/account add other")
        n.expect_buffer("natter", r"!! not saving accounts: the file could "
                        r"not be loaded")
        n.send("/quit")
        assert n.wait_exit(10) == 0
        with open(path) as f:
            assert f.read() == broken


if __name__ == "__main__":
    tap.main(globals())
