#!/usr/bin/python3
# /xmlconsole on the real server: the raw traffic of one account, in and
# out, with the SASL exchange and passwords redacted; nothing is recorded
# once the window is closed.
import base64
import re

from natter_test import tap
from natter_test.headless import Headless, account_settings


def test_login_traffic_shown_without_secrets():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "alice")
    n = Headless(accounts={local: account_settings(p, local, pw)})
    with n:
        n.send("/xmlconsole %s" % local)
        xml = "xml:%s" % local
        n.expect_buffer(xml, r"-- Raw traffic of account %s" % re.escape(local))
        n.send("/connect %s" % local)
        n.expect_buffer(xml, r"-- SENT <auth [^>]*mechanism=[^>]*>"
                        r"\[redacted\]</auth>")
        n.expect_buffer(xml, r"-- RECV <success [^>]*>\[redacted\]</success>")
        n.expect_buffer(xml, r"-- SENT <iq [^>]*><bind ")
        n.expect_buffer(local, r"Connected as ")
        n.expect_buffer(xml, r"-- SENT <presence")
        n.send("/ping")
        n.expect_buffer(xml, r"-- RECV <iq [^>]*type=.result")
        n.expect_buffer(local, r"-- Pong from ")
        out = n.transcript()
        secrets = [pw, base64.b64encode(pw.encode()).decode(),
                   base64.b64encode(("\0%s\0%s" % (local, pw)).encode())
                   .decode()]
        for secret in secrets:
            assert secret not in out, "secret %r in the transcript" % secret
        # SCRAM's own messages are hidden too.
        assert not re.search(r"<(response|challenge)[^>]*>[^\[<]", out), out


def test_a_room_password_in_a_form_is_hidden_both_ways():
    from fixtures import online_natter
    from test_muc import form_buffer, natter_join, room_jid
    p = tap.shared_prosody()
    room = room_jid(p, "secret")
    n, local, jid = online_natter(p)
    with n:
        n.send("/xmlconsole %s" % local)
        xml = "xml:%s" % local
        n.expect_buffer(xml, r"-- Raw traffic of account %s" % re.escape(local))
        buf = natter_join(n, local, room)  # its window is the current one
        fbuf = form_buffer(local, room)
        n.send("/room config")
        n.expect_buffer(fbuf, r"-- Form: configuration of ")
        n.send("/form set muc#roomconfig_roomsecret open sesame")
        n.send("/form submit")
        n.expect_buffer(xml, r"-- SENT <iq .*roomconfig_roomsecret.*"
                        r"\[redacted\]")
        n.expect_buffer(buf, r"-- The configuration of %s is saved\.$"
                        % re.escape(room))
        # The room's form now holds the password: it comes back hidden.
        n.send("/room config")
        n.expect_buffer(xml, r"-- RECV <iq .*roomconfig_roomsecret.*"
                        r"\[redacted\]")
        n.expect_buffer(fbuf, r"muc#roomconfig_roomsecret = \(set, hidden\)")
        assert "open sesame" not in n.transcript()


def test_closed_console_records_nothing():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "alice")
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    with n:
        n.expect_buffer(local, r"Connected as ")
        n.send("/xmlconsole")
        xml = "xml:%s" % local
        n.expect_buffer(xml, r"-- Raw traffic of account")
        n.send("/ping")
        n.expect_buffer(xml, r"-- SENT <iq [^>]*><ping ")
        n.expect_buffer(xml, r"-- Pong from ")  # typed there, shown there
        n.send("/close")
        n.send("/ping")
        n.expect(r"-- Pong from ")
        lines = [l for l in n.transcript().splitlines()
                 if l.startswith("[%s]" % xml)]
        pings = [l for l in lines if "<ping " in l]
        assert len(pings) == 1, pings


def test_xmlconsole_needs_an_account():
    p = tap.shared_prosody()
    n = Headless()
    with n:
        n.send("/xmlconsole nosuch")
        n.expect(r"\[natter\] !! which account\?")


tap.main(globals())
