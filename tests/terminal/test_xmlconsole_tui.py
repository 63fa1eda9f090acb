#!/usr/bin/python3
# /xmlconsole in the real terminal UI: its own window with a title, the
# login traffic of the account with the SASL exchange shown as [redacted],
# and the password nowhere on the screen.
import base64
import re

from natter_test import tap

from tuifixtures import TuiNatter, account


def test_xmlconsole_window_shows_login_without_the_password():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    secrets = [pw, base64.b64encode(("\0%s\0%s" % (local, pw)).encode())
               .decode()]
    with TuiNatter(accounts, width=160, height=100) as t:
        t.command_line("/xmlconsole %s" % local)
        t.wait_for(r"^ \[2\] XML console of account %s \(passwords hidden\)"
                   % re.escape(local))
        t.wait_for(r"-- Raw traffic of account %s" % re.escape(local))
        t.command_line("/connect %s" % local)
        t.wait_for(r"Connected as %s/" % re.escape(jid))
        t.send_keys("M-2")
        t.wait_for(r"^ \[2\] XML console")
        # What follows the login (OMEMO's keys published, the roster...)
        # may fill more than a screen: the SASL exchange is read from the
        # top of the window (Meta-Home), our presence found by /search.
        t.send_keys("M-Home")
        screen = t.wait_for(r"SENT <auth [^\n]*>\[redacted\]</auth>").string
        t.wait_for(r"RECV <success [^\n]*>\[redacted\]</success>")
        t.command_line("/search SENT <presence")
        t.wait_for(r"SENT <presence")
        for s in (screen, t.screen()):
            for secret in secrets:
                assert secret not in s, s


tap.main(globals())
