#!/usr/bin/python3
# /search in a window: the newest line with the text comes into view with
# the text marked, also from the history not loaded yet; Ctrl-R goes to
# older lines, Alt-R back to newer ones; Ctrl-R searches for what is on
# the input line; /search alone ends it.
import re

from natter_test import tap, util

from tuifixtures import TuiNatter, reversed_parts, stored_chat, styled


def reversed_text(t, row_text):
    """The reversed parts of the screen row that shows ROW_TEXT."""
    for row in t.screen(escapes=True).splitlines():
        if row_text in "".join(ch for ch, _ in styled(row)):
            return reversed_parts(row)
    raise AssertionError("no row with %r\n%s" % (row_text, t.screen()))


def row_of(t, text):
    return [r for r in t.lines() if r.rstrip().endswith(text)]


def test_search_the_window_and_its_history():
    p = tap.shared_prosody()
    local, s_jid, dirs = stored_chat(p, 120, "old note {i}", height=20)
    with TuiNatter(args=("-a", local), height=20, dirs=dirs) as t:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s" % s_jid)
        t.wait_for(r"old note 120$")
        # Only in the history: notes 1 to 70 are not loaded.
        assert not row_of(t, "old note 39"), t.screen()
        t.command_line("/search note 3")
        t.wait_for(r"old note 39$")
        t.wait_for(r"\[search: note 3; Ctrl-R older\]")
        t.wait_for(r"-- more below --")
        assert "note 3" in reversed_text(t, "old note 39"), \
            t.screen(escapes=True)
        t.send_keys("C-r")
        util.wait_until(lambda: "note 3" in reversed_text(t, "old note 38")
                        and re.search(r"\d\d:\d\d", "".join(
                            reversed_text(t, "old note 38"))), 10,
                        "note 38 the line found\n" + t.screen(escapes=True))
        t.send_keys("M-r")
        util.wait_until(lambda: re.search(r"\d\d:\d\d", "".join(
            reversed_text(t, "old note 39"))), 10,
            "back to note 39\n" + t.screen(escapes=True))
        # Ended (the command brings the view back to the newest line).
        t.command_line("/search")
        t.wait_gone(r"\[search: ")
        t.wait_for(r"Search for 'note 3' ended")
        assert reversed_text(t, "old note 113") == [], t.screen(escapes=True)

        # Ctrl-R with the text on the input line.
        t.send_keys("M-End")
        t.type("note 11")
        t.send_keys("C-r")
        t.wait_for(r"\[search: note 11; Ctrl-R older\]")
        assert "note 11" in reversed_text(t, "old note 119")
        t.command_line("/search zebra")
        t.wait_for(r"!! no line of this window has 'zebra'")
        t.wait_gone(r"\[search: ")


if __name__ == "__main__":
    tap.main(globals())
