#!/usr/bin/python3
# Moving through a window's scrollback: Meta-Home jumps to the oldest line
# (a chat's history loaded first), Meta-End back to the newest, Shift-Up
# and Shift-Down move one row, and sending or running a command while
# scrolled up brings the view back to the bottom (the scroll_on_input
# setting; off, the view stays where it is).
import re

from natter_test import tap, util

from tuifixtures import TuiNatter, stored_chat

MORE = r"-- more below --"


def view(t):
    return [row.rstrip() for row in t.lines()[1:-2]]


def test_jump_line_scroll_and_back_on_input():
    p = tap.shared_prosody()
    # The chat shows the newest 50 of its 120 messages from the history;
    # the rest stay in the database.
    local, s_jid, dirs = stored_chat(p, 120, "old note {i}", height=20)
    with TuiNatter(args=("-a", local), height=20, dirs=dirs) as t:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s" % s_jid)
        t.wait_for(r"old note 120$")
        assert not re.search(r"old note 1$", t.screen(), re.M), t.screen()

        # To the top: the oldest message, loaded from the history.
        t.send_keys("M-Home")
        t.wait_for(r"old note 1$")
        t.wait_for(MORE)
        assert re.search(r"old note 1$", view(t)[0]), t.screen()
        # And back to the newest.
        t.send_keys("M-End")
        t.wait_for(r"old note 120$")
        t.wait_gone(MORE)

        # One row at a time.
        before = view(t)
        t.send_keys("S-Up")
        t.wait_for(MORE)
        util.wait_until(lambda: view(t) == [""] + before[:-1] or
                        view(t)[1:] == before[:-1], 10,
                        "the view one row lower\n" + t.screen())
        t.send_keys("S-Up")
        util.wait_until(lambda: view(t)[-1] == before[-3], 10,
                        "two rows up\n" + t.screen())
        t.send_keys("S-Down")
        util.wait_until(lambda: view(t)[-1] == before[-2], 10,
                        "one row up\n" + t.screen())
        t.send_keys("S-Down")
        t.wait_gone(MORE)
        assert view(t) == before, t.screen()

        # Scrolled up, a command's output would land out of sight: the
        # view comes back to the bottom.
        for _ in range(3):
            t.send_keys("PageUp")
        t.wait_for(MORE)
        t.command_line("/wins")
        t.wait_for(r"Windows:")
        t.wait_gone(MORE)
        # With the setting off, the view stays; the status bar says so.
        t.command_line("/set scroll_on_input off")
        t.wait_for(r"scroll_on_input = off")
        t.send_keys("PageUp")
        t.wait_for(MORE)
        t.command_line("/set scroll_on_input")
        t.wait_for(MORE)
        t.send_keys("M-End")
        t.wait_gone(MORE)
        t.wait_for(r"scroll_on_input = off\s*$")


def test_keys_are_listed_and_bindable():
    with TuiNatter() as t:
        t.wait_for(r"/help lists the commands")
        for key, action in (("meta-home", "scroll.top"),
                            ("meta-end", "scroll.bottom"),
                            ("shift-up", "scroll.line_up"),
                            ("shift-down", "scroll.line_down")):
            t.command_line("/bind " + key)
            t.wait_for(r"-- %s: %s" % (key, re.escape(action)))
        t.command_line("/bind ctrl-g scroll.top")
        t.wait_for(r"ctrl-g now does scroll.top")
        t.command_line("/help keys")
        t.wait_for(r"message\.select_next")
        t.send_keys("C-g")
        t.wait_for(MORE)
        assert "/help lists the commands" in view(t)[0], t.screen()
        t.send_keys("M-End")
        t.wait_gone(MORE)


if __name__ == "__main__":
    tap.main(globals())
