#!/usr/bin/python3
# In-band registration (XEP-0077) on the real server: /register creates an
# account (natter then logs in with it), a server that does not allow it
# and a name that is taken are refused with a clear reason, and
# /changepassword changes the password on the server and in the accounts
# file.
import re
import secrets

from natter_test import tap
from natter_test.headless import Headless, account_settings
from natter_test.prosody import Prosody

_open = None


def open_prosody():
    """A second server for this file, one that allows registration."""
    global _open
    if _open is None:
        _open = Prosody(allow_registration=True)
        _open.start()
    return _open


def register(n, p, local, pw, repeat=None):
    n.send("/register %s@%s server %s port %d cafile %s"
           % (local, p.domain, p.host, p.port, p.cafile))
    n.answer_password(pw)
    n.expect(r"\?\? Repeat the password")
    n.send(repeat if repeat is not None else pw)


def test_register_then_log_in():
    p = open_prosody()
    local = "new%s" % secrets.token_hex(3)
    pw = "pw-" + secrets.token_hex(6)
    n = Headless()
    with n:
        register(n, p, local, pw)
        jid = "%s@%s" % (local, p.domain)
        n.expect(r"\[natter\] -- Account %s created on the server\."
                 % re.escape(jid))
        n.expect(r"\[natter\] -- Account (\S+) added to natter")
        assert p.user_exists(local)
        n.send("/connect %s" % jid)
        n.answer_password(pw)
        n.expect(r"-- Connected as %s/" % re.escape(jid))
        assert pw not in n.transcript()


def test_register_refusals_are_clear():
    p = open_prosody()
    n = Headless()
    with n:
        taken, jid, pw = tap.new_account(p, "taken")
        register(n, p, taken, "other-password")
        n.expect(r"!! Registration of %s failed: the name %s is taken "
                 r"\(conflict" % (re.escape(jid), re.escape(taken)))
        register(n, p, "nobody1", "one", repeat="two")
        n.expect(r"!! The two passwords differ; nothing was changed\.")
        assert not p.user_exists("nobody1")
        n.send("/register not-a-jid")
        n.expect(r"!! register an address of the form user@domain")

    closed = tap.shared_prosody()  # allow_registration=False
    n = Headless()
    with n:
        register(n, closed, "wannabe", "pw-xyz")
        n.expect(r"!! Registration of wannabe@%s failed: the server does "
                 r"not allow in-band registration" % re.escape(closed.domain))
        assert not closed.user_exists("wannabe")


def test_register_without_trusting_the_certificate_sends_nothing():
    p = open_prosody()
    n = Headless()
    with n:
        n.send("/register cert%s@%s server %s port %d cafile %s"
               % (secrets.token_hex(2), p.domain, p.host, p.port,
                  p.other_cafile))
        n.answer_password("pw-secret")
        n.expect(r"\?\? Repeat the password")
        n.send("pw-secret")
        n.expect(r"!! Registration of \S+ failed: (the server's certificate "
                 r"is not trusted|the TLS handshake failed)")


def test_changepassword_then_log_in_with_the_new_one():
    p = open_prosody()
    local, jid, pw = tap.new_account(p, "changer")
    new_pw = "new-" + secrets.token_hex(6)
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    with n:
        n.expect_buffer(local, r"Connected as ")
        n.send("/changepassword")
        n.answer_password(new_pw)
        n.expect(r"\?\? Repeat the password")
        n.send(new_pw)
        n.expect_buffer(local, r"-- Password of %s changed on the server and "
                        r"in the accounts file\." % re.escape(local))
        with open("%s/accounts" % n.config_dir) as f:
            assert new_pw in f.read()
    # A fresh natter logs in with the new password, the old one fails.
    n2 = Headless(["-a", local],
                  accounts={local: account_settings(p, local, new_pw)})
    with n2:
        n2.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
    n3 = Headless(["-a", local],
                  accounts={local: account_settings(p, local, pw)})
    with n3:
        n3.expect_buffer(local, r"!! Could not connect: authentication failed")


tap.main(globals())
