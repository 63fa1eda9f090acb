#!/usr/bin/python3
# A 40x10 terminal stays usable, and wide characters (CJK, emoji) and
# combining marks keep the cursor where the text ends, also when the input
# line scrolls sideways; a terminal too small to lay out says so and comes
# back when it grows; a terminal that cannot move the cursor (TERM=dumb)
# is refused with a clear message.
import os
import pty
import re
import select
import tempfile
import time
import unicodedata

from natter_test import tap, util
from natter_test.headless import natter_path

from tuifixtures import TuiNatter

PROMPT = "[natter] "


def wait_cursor(t, want):
    util.wait_until(lambda: t.cursor() == want, 10,
                    "cursor at %s (now %s)\n%s" % (want, t.cursor(),
                                                   t.screen()))


def test_forty_by_ten_is_usable():
    with TuiNatter(width=40, height=10) as t:
        t.wait_for(r"/help lists the")
        t.wait_for(r"^ \[1\] natter")
        t.command_line("/wins")
        t.wait_for(r"Windows:")
        t.wait_for(r"-- +1  natter")
        # Long output wraps under the text; every row fits the width.
        t.command_line("/help win")
        t.wait_for(r"/win move 5")
        for line in t.lines():
            assert len(line.rstrip()) <= 40, t.screen()
        assert re.match(r"^ \[\d\d:\d\d\]", t.lines()[-2]), t.screen()
        # The input line scrolls sideways with the cursor in view.
        t.type("x" * 60)
        util.wait_until(lambda: t.lines()[-1].rstrip().endswith("x" * 20),
                        10, "the end of the typed text in view")
        y, x = t.cursor()
        assert y == 9 and x < 40, (y, x)
        t.send_keys("C-a")
        wait_cursor(t, (9, len(PROMPT)))


def test_wide_and_combining_characters_keep_the_cursor_right():
    with TuiNatter(width=40, height=10) as t:
        t.wait_for(r"/help lists the")
        wait_cursor(t, (9, len(PROMPT)))
        t.type("\u65e5\u672c")  # two CJK characters, two columns each
        wait_cursor(t, (9, len(PROMPT) + 4))
        t.type("e\u0301")  # e and a combining acute: one column
        wait_cursor(t, (9, len(PROMPT) + 5))
        t.type("\U0001f600")  # an emoji: two columns
        wait_cursor(t, (9, len(PROMPT) + 7))
        t.wait_for(r"\u65e5\u672c")
        row = unicodedata.normalize("NFC", t.lines()[-1])
        assert "\u65e5\u672c\u00e9\U0001f600" in row, row
        # Left steps over the emoji, then over e + its mark together.
        t.send_keys("Left")
        wait_cursor(t, (9, len(PROMPT) + 5))
        t.send_keys("Left")
        wait_cursor(t, (9, len(PROMPT) + 4))
        # Many wide characters: the line scrolls, the cursor stays on
        # screen and never in the middle of a character.
        t.send_keys("End")
        t.type("\u6f22" * 30)
        y, x = t.cursor()
        assert y == 9 and x <= 39, (y, x)
        t.send_keys("Enter")  # not a conversation: refused, not lost
        t.wait_for(r"!! this window is not a")


def run_in_pty(argv, env, timeout=10):
    """Runs ARGV on a terminal of its own (a pty) until it exits; returns
    (exit status, what it wrote). For a program that exits at once, whose
    last words a tmux pane may not show."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if not ready:
            break
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the program's side is closed
            break
        if not data:
            break
        out += data
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_a_terminal_that_cannot_move_the_cursor_is_refused():
    with tempfile.TemporaryDirectory() as d:
        env = {"TERM": "dumb", "HOME": d, "LANG": "C.UTF-8",
               "PATH": "/usr/bin:/bin"}
        status, out = run_in_pty([natter_path(), "--config-dir", d,
                                  "--data-dir", d], env)
    assert status == 1, (status, out)
    assert "the terminal (TERM=dumb) cannot move the cursor" in out, out
    assert "--headless" in out, out


def test_too_small_then_back():
    with TuiNatter(width=40, height=10) as t:
        t.wait_for(r"/help lists the")
        t.resize(8, 2)
        t.wait_for(r"natter")
        t.resize(40, 10)
        t.wait_for(r"^ \[1\] natter")
        t.wait_for(r"/help lists the")
        t.command_line("/wins")
        t.wait_for(r"Windows:")


if __name__ == "__main__":
    tap.main(globals())
