#!/usr/bin/python3
# The input line beyond editing keys: bracketed paste (one message, with a
# question above paste_confirm_lines), Alt-Enter, per-window and global
# history, and /editor.
import os
import re
import stat

from natter_test import tap, util
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account

RETURN_SIGN = "\u21b5"


def chat_with_echo(p, t, bot_jid):
    t.wait_for(r"Connected as")
    t.command_line("/msg %s" % bot_jid)
    t.wait_for(r"^ \[3\] %s" % re.escape(bot_jid))


def paste(t, text):
    """Paste TEXT as a terminal does when the program asked for bracketed
    paste (tmux turns newlines into CR)."""
    t.tmux("set-buffer", "--", text)
    t.tmux("paste-buffer", "-p", "-t", t.target)


def input_row(t):
    return t.lines()[-1]


def test_bracketed_paste_is_one_message():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "echo")
    with Bot.echo(p, b_local, b_pw) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        chat_with_echo(p, t, b_jid)
        paste(t, "one\ntwo\nthree\n")
        t.wait_for(r"one%stwo%sthree\s*$" % (RETURN_SIGN, RETURN_SIGN))
        assert not bot.received(), bot.received()
        t.send_keys("Enter")
        t.wait_for(r"echo: one")
        bot.expect_line(r"^RECV ")
        assert [body for _, body in bot.received()] == ["one\ntwo\nthree"], \
            bot.received()
        # Alt-Enter breaks the line without sending.
        t.type("first")
        t.send_keys("M-Enter")
        t.type("second")
        t.wait_for(r"first%ssecond\s*$" % RETURN_SIGN)
        t.send_keys("Enter")
        util.wait_until(lambda: len(bot.received()) == 2, 10, "second message")
        assert bot.received()[1][1] == "first\nsecond", bot.received()


def test_long_paste_asks_before_sending():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "echo")
    with Bot.echo(p, b_local, b_pw) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        chat_with_echo(p, t, b_jid)
        t.command_line("/set paste_confirm_lines 2")
        t.wait_for(r"paste_confirm_lines")
        paste(t, "a\nb\nc")
        t.wait_for(r"a%sb%sc\s*$" % (RETURN_SIGN, RETURN_SIGN))
        t.send_keys("Enter")
        t.wait_for(r"^Send 3 lines as one message\? \(yes/no\)")
        t.command_line("no")
        t.wait_for(r"Not sent; the text is back on the input line")
        t.wait_for(r"a%sb%sc\s*$" % (RETURN_SIGN, RETURN_SIGN))
        assert not bot.received(), bot.received()
        t.send_keys("Enter")
        t.wait_for(r"Send 3 lines")
        t.command_line("yes")
        bot.expect_line(r"^RECV ")
        assert [body for _, body in bot.received()] == ["a\nb\nc"]
        # Two lines are under the limit: no question.
        paste(t, "x\ny")
        t.wait_for(r"x%sy\s*$" % RETURN_SIGN)
        t.send_keys("Enter")
        util.wait_until(lambda: len(bot.received()) == 2, 10, "second message")


def test_a_pasted_block_with_a_slash_is_not_a_command():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "echo")
    with Bot.echo(p, b_local, b_pw) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        chat_with_echo(p, t, b_jid)
        paste(t, "/etc/hosts says\n127.0.0.1 localhost\n")
        t.wait_for(r"/etc/hosts says%s127\.0\.0\.1 localhost\s*$"
                   % RETURN_SIGN)
        t.send_keys("Enter")
        t.wait_for(r"2 lines are not a command: the text stays on the input "
                   r"line")
        # Nothing run, nothing lost: the whole paste is still there.
        assert "no command" not in t.screen(), t.screen()
        t.wait_for(r"/etc/hosts says%s127\.0\.0\.1 localhost\s*$"
                   % RETURN_SIGN)
        assert not bot.received(), bot.received()
        # With // it goes as a message, its slash kept.
        t.send_keys("Home")
        t.type("/")
        t.send_keys("Enter")
        bot.expect_line(r"^RECV ")
        assert [body for _, body in bot.received()] == \
            ["/etc/hosts says\n127.0.0.1 localhost"], bot.received()
        # One line with a slash is still a command.
        t.command_line("/wins")
        t.wait_for(r"Windows:")


def test_history_per_window_and_global():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    with TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        t.command_line("/wins")
        t.wait_for(r"Windows:")
        t.send_keys("M-2")
        t.wait_for(r"^ \[2\] %s" % re.escape(local))
        t.command_line("/set paste_confirm_lines")
        t.wait_for(r"paste_confirm_lines")
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        t.send_keys("Up")
        t.wait_for(r"^\[natter\] /wins\s*$")
        t.send_keys("Up")  # nothing older here
        t.wait_for(r"^\[natter\] /wins\s*$")
        t.send_keys("Down")
        t.wait_for(r"^\[natter\]\s*$")
        t.send_keys("C-Up")
        t.wait_for(r"^\[natter\] /set paste_confirm_lines\s*$")
        t.send_keys("C-Up")
        t.wait_for(r"^\[natter\] /wins\s*$")


def write_script(dirs, name, body):
    path = os.path.join(dirs, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, stat.S_IRWXU)
    return path


def test_editor_composes_and_hands_the_terminal_over():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "echo")
    t = TuiNatter(accounts, args=["-a", local])
    # The "editor" shows it has the terminal and reads a line from it.
    editor = write_script(t.dirs, "editor.sh",
                          'printf "EDITING %s\\n" "$1"\n'
                          'read line\n'
                          'printf "%s\\nsecond line\\n" "$line" >> "$1"\n')
    t.extra_env["EDITOR"] = editor
    with Bot.echo(p, b_local, b_pw) as bot, t:
        chat_with_echo(p, t, b_jid)
        t.command_line("/editor")
        m = t.wait_for(r"EDITING (/\S*natter-\w+\.txt)")
        draft = m.group(1)
        assert os.path.exists(draft)
        t.type("typed in the editor")
        t.send_keys("Enter")
        t.wait_for(r"^\[%s\] typed in the editor%ssecond line\s*$"
                   % (re.escape(b_jid), RETURN_SIGN))
        t.wait_for(r"^ \[3\] %s" % re.escape(b_jid))  # redrawn
        t.send_keys("Enter")
        bot.expect_line(r"^RECV ")
        assert [body for _, body in bot.received()] == \
            ["typed in the editor\nsecond line"], bot.received()
        assert not os.path.exists(draft)  # the temporary file is gone


def test_failing_editor_leaves_the_input_line():
    t = TuiNatter()
    t.extra_env["EDITOR"] = write_script(t.dirs, "fail.sh", "exit 3\n")
    with t:
        t.wait_for(r"/help lists the commands")
        t.command_line("/editor")
        t.wait_for(r"editor: .*3; the input line is unchanged")
        t.wait_for(r"^ \[1\] natter")


if __name__ == "__main__":
    tap.main(globals())
