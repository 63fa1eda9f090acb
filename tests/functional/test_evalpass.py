#!/usr/bin/python3
# eval_password: natter runs the account's command (no shell) without
# blocking, and logs in with the first line it prints; a failing command or
# one that prints nothing is a clear error.
import os
import re
import stat

from natter_test import tap
from natter_test.headless import Headless, account_settings, write_keyfile


def script(n, name, body):
    """An executable shell script in natter's home (the test's, not the
    user's): natter runs it directly, without a shell of its own."""
    path = os.path.join(n.home, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, stat.S_IRWXU)
    return path


def natter_with(p, prefix, command_for):
    local, jid, password = tap.new_account(p, prefix)
    n = Headless(["-a", local])
    command = command_for(n, password)
    settings = account_settings(p, local, password, eval_password=command)
    del settings["password"]
    n.write_accounts({local: settings})
    return n, local, jid, password


def test_eval_password_logs_in_with_the_first_line():
    p = tap.shared_prosody()
    n, local, jid, password = natter_with(
        p, "evalok", lambda n, pw: "%s 'first arg' second" % script(
            n, "pw.sh", 'test "$1" = "first arg" || exit 3\n'
            'printf "%%s\\nsecond line\\n" %s\n' % pw))
    with n:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
        assert not n.lines_matching(r"(?i)password for"), n.transcript()
        assert not n.lines_matching(re.escape(password)), n.transcript()


def test_failing_command_is_a_clear_error():
    p = tap.shared_prosody()
    n, local, jid, password = natter_with(
        p, "evalfail", lambda n, pw: script(
            n, "fail.sh", "echo 'vault is locked' >&2\nexit 2\n"))
    with n:
        n.expect_buffer(local, r"!! Could not connect: eval_password: "
                        r"'\S*fail\.sh' failed \(exit status 2\): vault is "
                        r"locked")
        n.send("/account show %s" % local)
        n.expect_buffer(local, r"Account %s \(offline: eval_password"
                        % re.escape(local))
    assert not p.log_lines_matching(r"Authenticated as %s" % re.escape(jid))


def test_command_printing_nothing_or_missing():
    p = tap.shared_prosody()
    n, local, jid, password = natter_with(
        p, "evalempty", lambda n, pw: script(n, "empty.sh", "exit 0\n"))
    with n:
        n.expect_buffer(local, r"!! Could not connect: eval_password: "
                        r"'\S*empty\.sh' printed no password")
        n.send("/account set %s eval_password /nonexistent/pass-tool show"
               % local)
        n.send("/connect %s" % local)
        n.expect_buffer(local, r"!! eval_password: cannot run "
                        r"'/nonexistent/pass-tool'")
        n.send("/account set %s eval_password 'unbalanced" % local)
        n.send("/connect %s" % local)
        n.expect_buffer(local, r"!! eval_password: cannot split")


def test_hanging_command_is_stopped_after_the_timeout():
    p = tap.shared_prosody()
    n, local, jid, password = natter_with(
        p, "evalhang", lambda n, pw: script(
            n, "hang.sh", "sleep 60 &\nwait\n"))
    write_keyfile(os.path.join(n.config_dir, "natterrc"),
                  {"settings": {"eval_password_timeout": 1}})
    with n:
        n.expect_buffer(local, r"!! Could not connect: eval_password: "
                        r"'\S*hang\.sh' failed \(no answer within 1 s\)",
                        timeout=15)
        n.send("/account show %s" % local)
        n.expect_buffer(local, r"Account %s \(offline: eval_password"
                        % re.escape(local))


if __name__ == "__main__":
    tap.main(globals())
