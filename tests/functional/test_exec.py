#!/usr/bin/python3
# /exec: a program run without a shell (hostile arguments stay text), -sh
# only when asked, output in the window line by line with the exit status,
# -o sending the output to the conversation through the send path, a
# failing command's output kept back, -timeout killing the child, output
# bounded, -list and -kill (by number or -name), and -i with -in writing
# to a program's standard input.
import json
import os
import re
import tempfile

from natter_test import tap, util

from fixtures import echo_bot, online_natter


def test_output_and_status_in_the_current_window():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/exec printf \"one\\ntwo\\n\"")
        n.expect_buffer(local, r"-- one$")
        n.expect_buffer(local, r"-- two$")
        n.expect_buffer(local, r"-- \[exec 1\] 'printf .*' exited with "
                        r"status 0$")


def test_hostile_arguments_are_not_interpreted():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    d = tempfile.mkdtemp(prefix="natter-exec-")
    victim = os.path.join(d, "victim")
    open(victim, "w").close()
    made = os.path.join(d, "made")
    with n:
        n.send("/exec echo \"$(touch %s)\" `touch %s` ; rm %s | x"
               % (made, made, victim))
        m = n.expect_buffer(local, r"-- (\$\(touch .*)$")
        assert m.group(1) == "$(touch %s) `touch %s` ; rm %s | x" \
            % (made, made, victim), m.group(1)
        n.expect_buffer(local, r"\[exec 1\] .* exited with status 0$")
    assert not os.path.exists(made)
    assert os.path.exists(victim)


def test_sh_runs_a_shell_only_when_asked():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/exec echo $((6*7))")
        n.expect_buffer(local, r"-- \$\(\(6\*7\)\)$")
        n.send("/exec -sh echo $((6*7))")
        n.expect_buffer(local, r"-- 42$")


def test_failing_command_shows_its_status():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/exec -sh echo broken >&2; exit 3")
        n.expect_buffer(local, r"-- broken$")
        n.expect_buffer(local, r"!! \[exec 1\] .* exited with status 3$")
        n.send("/exec no-such-program-here")
        n.expect_buffer(local, r"!! cannot run no-such-program-here: ")
        # natter goes on.
        n.send("/exec echo still here")
        n.expect_buffer(local, r"-- still here$")


def test_o_sends_the_output_to_the_chat():
    p = tap.shared_prosody()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter(p)
    chat = "%s/%s" % (local, bot_jid)
    with bot, n:
        n.send("/msg %s" % bot_jid)
        n.send("/exec -o printf \"/line one\\n$HOME `x`\\n\"")
        n.expect_buffer(chat, r"\[exec 1\] .* exited with status 0$")
        frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
        assert frm.startswith(jid + "/"), frm
        assert json.loads(body) == "/line one\n$HOME `x`", body
        n.expect_buffer(chat, r"<%s> echo: /line one" % re.escape(bot_jid))
        # A failing command's output stays here.
        n.send("/exec -o -sh echo secret; exit 1")
        n.expect_buffer(chat, r"-- secret$")
        n.expect_buffer(chat, r"!! \[exec 2\] output not sent: the command "
                        r"failed$")
        n.send("/exec -o echo marker")
        bot.expect_line(r"^RECV \S+ \"marker\"$")
        bodies = [json.loads(b) for b in
                  re.findall(r"^RECV \S+ (.*)$",
                             "\n".join(bot.lines_matching(r"^RECV ")),
                             re.M)]
        assert "secret" not in bodies, bodies


def test_n_opens_a_window_and_bg_shows_only_the_status():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/exec -n printf \"a\\nb\\n\"")
        n.expect_buffer("%s/exec:1" % local, r"-- a$")
        n.expect_buffer("%s/exec:1" % local, r"-- b$")
        n.expect_buffer("%s/exec:1" % local, r"\[exec 1\] .* exited with "
                        r"status 0$")
        n.send("/exec -bg echo hidden-words")
        n.expect_buffer(local, r"-- \[exec 2\] 'echo hidden-words' exited "
                        r"with status 0$")
        assert not n.lines_matching(r"-- hidden-words$")
        n.send("/exec -o -bg echo x")
        n.expect_buffer(local, r"!! -o, -n and -bg each say where the output "
                        r"goes: one of them at most$")


def test_o_needs_a_conversation():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/exec -o echo hi")
        n.expect_buffer(local, r"!! -o sends the output to the conversation "
                        r"of this window, and this window is not one$")


def test_timeout_kills_and_list_and_kill():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/exec -timeout 1 sleep 600")
        n.send("/exec sleep 601")
        n.send("/exec -list")
        n.expect_buffer(local, r"--   1  'sleep 600'$")
        n.expect_buffer(local, r"--   2  'sleep 601'$")
        n.expect_buffer(local, r"!! \[exec 1\] 'sleep 600' was killed after "
                        r"its timeout$")
        n.send("/exec -kill 2")
        n.expect_buffer(local, r"!! \[exec 2\] 'sleep 601' was killed by "
                        r"signal 9$")
        n.send("/exec -kill 2")
        n.expect_buffer(local, r"!! no running command 2 \(/exec -list\)$")
        n.send("/exec -list")
        n.expect_buffer(local, r"-- No commands running\.$")


def test_input_to_a_named_command():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    upper = ("import sys; [print(line.upper(), end='', flush=True) "
             "for line in sys.stdin]")
    with n:
        n.send("/exec -i -name up /usr/bin/python3 -u -c \"%s\"" % upper)
        n.send("/exec -list")
        n.expect_buffer(local, r"--   1  \(up\) '/usr/bin/python3 ")
        n.send("/exec -in up hello there")
        n.expect_buffer(local, r"-- HELLO THERE$")
        # By number too, and text that would be shell stays text.
        n.send("/exec -in 1 $(id) ; `x`")
        n.expect_buffer(local, r"-- \$\(ID\) ; `X`$")
        # Without TEXT the input ends, and the program with it.
        n.send("/exec -in up")
        n.expect_buffer(local, r"-- \[exec 1\] input ended$")
        n.expect_buffer(local, r"-- \[exec 1\] '.*' exited with status 0$")
        n.send("/exec -in up more")
        n.expect_buffer(local, r"!! no running command up \(/exec -list\)$")
        # A command without -i takes no input; names are checked.
        n.send("/exec -name sleeper sleep 30")
        n.send("/exec -in sleeper hi")
        n.expect_buffer(local, r"!! \[exec 2\] takes no input: it was not "
                        r"started with -i$")
        n.send("/exec -name sleeper true")
        n.expect_buffer(local, r"!! -name sleeper: a running command has "
                        r"that name$")
        n.send("/exec -name 9lives true")
        n.expect_buffer(local, r"!! -name 9lives: a name must not start "
                        r"with a digit$")
        n.send("/exec -kill sleeper")
        n.expect_buffer(local, r"-- \[exec 2\] killing 'sleep 30'$")


def running(pid):
    """pid is a live process (not gone, not a zombie)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_children_are_killed_at_quit():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/exec -sh echo $$; exec sleep 600")
        pid = int(n.expect_buffer(local, r"-- (\d+)$").group(1))
        assert running(pid)
        n.send("/quit")
        n.wait_exit(15)
    util.wait_until(lambda: not running(pid), 10, "the child killed")


def test_output_is_bounded():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        # 64 MiB in one line: only 256 KiB of it is kept.
        n.send("/exec -sh head -c 67108864 /dev/zero | tr '\\0' a")
        m = n.expect_buffer(local, r"-- (a+)$", timeout=30)
        assert len(m.group(1)) == 256 * 1024, len(m.group(1))
        n.expect_buffer(local, r"!! \[exec 1\] output past 256 KiB was "
                        r"dropped$", timeout=30)
        n.expect_buffer(local, r"\[exec 1\] .* exited with status 0$")


if __name__ == "__main__":
    tap.main(globals())
