#!/usr/bin/python3
# Key bindings: /bind and /unbind change what keys do at once and for the
# next start, bad keys and actions are refused, and /help keys lists the
# same default bindings as the man page's KEYS section.
import os
import re

from natter_test import tap
from natter_test.headless import Headless

from tuifixtures import TuiNatter


def test_bind_and_unbind_in_the_terminal():
    t = TuiNatter()
    dirs = t.keep_dirs()
    with t:
        t.wait_for(r"/help lists the commands")
        t.command_line("/wins")
        t.wait_for(r"Windows:")
        t.command_line("/bind meta-x /theme show")
        t.wait_for(r"meta-x now does /theme show")
        t.send_keys("M-x")
        t.wait_for(r"Theme default( |$)")
        # An action rather than a command: Ctrl-P recalls the last line.
        t.command_line("/bind ctrl-p history.prev")
        t.wait_for(r"ctrl-p now does history.prev")
        t.send_keys("C-p")
        t.wait_for(r"^\[natter\] /bind ctrl-p history\.prev\s*$")
        t.send_keys("C-u")
        t.wait_for(r"^\[natter\]\s*$")
        # A default binding taken away: Ctrl-A no longer goes home.
        t.command_line("/unbind ctrl-a")
        t.wait_for(r"ctrl-a does nothing now")
        t.type("abc")
        t.send_keys("C-a")
        t.type("d")
        t.wait_for(r"^\[natter\] abcd\s*$")
        t.send_keys("C-u")
        t.command_line("/bind ctrl-a input.home")
        t.wait_for(r"ctrl-a now does input.home")
        t.command_line("/unbind ctrl-a")
        t.wait_for(r"ctrl-a is back to input.home")
        t.command_line("/bind meta-x")
        t.wait_for(r"-- meta-x: /theme show")
        # Refused, with reasons.
        t.command_line("/bind x /quit")
        t.wait_for(r"'x' is not a key natter can bind")
        t.command_line("/bind ctrl-p frobnicate")
        t.wait_for(r"'frobnicate' is neither a command")
        t.command_line("/unbind meta-q")
        t.wait_for(r"'meta-q' is not bound")
        t.command_line("/quit")
        t.wait_exit()
    with open(os.path.join(dirs, "config", "keys")) as f:
        saved = f.read()
    assert re.search(r"^meta-x=/theme show$", saved, re.M), saved
    with TuiNatter(dirs=dirs) as t:
        t.wait_for(r"/help lists the commands")
        t.send_keys("Escape", "x")  # Esc then x is meta-x too
        t.wait_for(r"Theme default( |$)")
        t.command_line("/help keys")
        t.wait_for(r"screen\.redraw +redraw the screen")
        t.send_keys("PPage", "PPage")
        t.wait_for(r"meta-x +runs /theme show \[yours\]")


def man_keys():
    """{key: action} of the man page's KEYS section."""
    page = os.path.join(os.environ["NATTER_BUILDDIR"], "man", "natter.1")
    with open(page) as f:
        text = f.read()
    section = text.split(".SH KEYS\n", 1)[1].split(".SH ", 1)[0]
    # The bindings: from the first entry to the list of actions.
    section = section.split(".TP\n", 1)[1].split(".PP\n", 1)[0]
    keys = {}
    for names, desc in re.findall(r"^\.B (.*)\n(.*)$", section, re.M):
        action = re.search(r"\(([^()]*)\)\.$", desc).group(1)
        for name in names.split(", "):
            keys[name.replace("\\-", "-")] = action.replace("\\-", "-")
    return keys


def test_help_keys_matches_the_man_page():
    with Headless() as n:
        n.send("/help keys")
        n.expect(r"Actions for /bind:")
        n.expect(r"screen\.redraw")
        listed = {}
        for line in n.transcript().splitlines():
            m = re.match(r"^\[natter\] -- {3}(\S+) +(.*)$", line)
            if not m or m.group(1).count(".") == 1:
                continue  # the actions' list
            what = re.search(r"\(([^()]*)\)$|^runs (.*)$", m.group(2))
            listed[m.group(1)] = what.group(1) or what.group(2)
    man = man_keys()
    assert man, "no keys in the man page"
    assert listed == man, (sorted(set(listed.items()) ^ set(man.items())))
    for key in ("enter", "meta-a", "meta-1", "meta-0", "ctrl-up", "tab",
                "meta-enter", "pageup", "ctrl-l", "meta-e"):
        assert key in listed, key


if __name__ == "__main__":
    tap.main(globals())
