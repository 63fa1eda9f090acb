#!/usr/bin/python3
# Notifications through the terminal: the bell on a private message, the
# unread count in the terminal title, desktop notifications (OSC 9 and
# OSC 777, wrapped for tmux inside tmux) with text that cannot escape the
# sequence. What natter writes is read raw with tmux's pipe-pane.
import os
import re

from natter_test import tap, util
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account


class Raw:
    """Everything the program writes to its terminal from now on."""

    def __init__(self, t):
        self.path = os.path.join(t.dirs, "raw-output")
        open(self.path, "wb").close()
        t.tmux("pipe-pane", "-o", "-t", t.target, "cat >> %s" % self.path)
        self.mark = 0

    def new(self):
        """What arrived since the last call."""
        with open(self.path, "rb") as f:
            f.seek(self.mark)
            data = f.read()
        self.mark += len(data)
        return data

    def wait(self, pattern, what):
        got = b""

        def seen():
            nonlocal got
            got += self.new()
            return re.search(pattern, got, re.S)
        try:
            util.wait_until(seen, 10, what)
        except TimeoutError as e:
            raise AssertionError("%s; the output was %r" % (e, got[-2000:]))
        return got


def pane_title(t):
    return t.display("#{pane_title}")


def test_bell_and_title():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    with TuiNatter(accounts, args=["-a", local]) as t, \
            Bot.sender(p, s_local, s_pw, commands=True) as sender:
        t.wait_for(r"Connected as")
        raw = Raw(t)
        sender.send({"to": jid, "body": "ring ring"})
        t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
        raw.wait(rb"\x07", "the bell")
        util.wait_until(lambda: pane_title(t) ==
                        "natter (1 unread in 1 window)", 10, "the title")
        sender.send({"to": jid, "body": "again"})
        util.wait_until(lambda: pane_title(t) ==
                        "natter (2 unread in 1 window)", 10, "the title")
        t.send_keys("M-3")
        t.wait_for(r"again")
        util.wait_until(lambda: pane_title(t) == "natter", 10, "the title")
        # Bell off: a message arrives, the title counts it, nothing rings.
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        t.command_line("/set bell_private off")
        t.wait_for(r"bell_private = off")
        raw.new()
        sender.send({"to": jid, "body": "quietly"})
        util.wait_until(lambda: pane_title(t) ==
                        "natter (1 unread in 1 window)", 10, "the title")
        assert b"\x07" not in raw.new()
        # Title off: back to what it was before natter.
        t.command_line("/set title_unread off")
        raw.wait(rb"\x1b\[23;0t", "the title restored")


def test_desktop_notifications_are_sanitised():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    with TuiNatter(accounts, args=["-a", local]) as t, \
            Bot.sender(p, s_local, s_pw, commands=True) as sender:
        t.wait_for(r"Connected as")
        raw = Raw(t)
        sender.send({"to": jid, "body": "off by default"})
        t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
        got = raw.wait(rb"\x07", "the bell")
        assert b"\x1b]9;" not in got and b"\x1b]777;" not in got, got
        t.command_line("/set notify_desktop osc777")
        t.wait_for(r"notify_desktop = osc777")
        # XML carries no C0 controls but C1 ones (CSI is U+009B), bidi
        # overrides, ';' and line breaks, which must not shape the sequence.
        sender.send({"to": jid,
                     "body": "hi; \u009b2;owned \u202eevil\nline two"})
        got = raw.wait(rb"\x1b\]777;notify;[^\x1b\x07]*\x1b\\",
                       "an OSC 777 notification")
        m = re.search(rb"\x1b\]777;notify;([^;]*);([^\x1b\x07]*)\x1b\\",
                      got)
        assert m.group(1).decode() == s_jid, got
        body = m.group(2).decode()
        assert body.startswith("hi, "), body
        assert "owned" in body, body
        assert "\u202e" not in body and "\u009b" not in body, body
        assert "line two" in body, body
        t.command_line("/set notify_desktop osc9")
        t.wait_for(r"notify_desktop = osc9")
        sender.send({"to": jid, "body": "nine"})
        raw.wait(rb"\x1b\]9;%s: nine\x1b\\" % re.escape(s_jid.encode()),
                 "an OSC 9 notification")


def test_inside_tmux_notifications_use_the_passthrough():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    with TuiNatter(accounts, args=["-a", local],
                   env={"TMUX": "/tmp/outer-tmux,1,0"}) as t, \
            Bot.sender(p, s_local, s_pw, commands=True) as sender:
        t.wait_for(r"Connected as")
        t.command_line("/set notify_desktop osc9")
        t.wait_for(r"notify_desktop = osc9")
        raw = Raw(t)
        sender.send({"to": jid, "body": "through"})
        raw.wait(rb"\x1bPtmux;\x1b\x1b\]9;%s: through\x1b\x1b\\\x1b\\"
                 % re.escape(s_jid.encode()), "a wrapped OSC 9")


if __name__ == "__main__":
    tap.main(globals())
