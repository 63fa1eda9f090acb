#!/usr/bin/python3
# Connecting an account: the password prompt, STARTTLS and direct TLS with
# the certificate checked against the account's CA, and the clear refusals:
# an untrusted certificate, a wrong password, a closed port. Clean /quit.
import os
import re
import signal
import subprocess

from natter_test import tap
from natter_test.headless import Headless, account_settings


def fingerprint(certfile):
    out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint",
                          "-sha256", "-in", certfile], check=True,
                         capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1]


@tap.both_servers
def test_connect_asks_password_and_uses_account_cafile():
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "alice")
    with Headless() as n:
        n.send("/account add %s" % jid)
        n.send("/account set %s cafile %s" % (jid, p.cafile))
        n.send("/connect %s server %s port %d" % (jid, p.host, p.port))
        prompt = n.answer_password(password)
        assert prompt.group(1) == jid, prompt.group(0)
        n.expect_buffer(jid, r"Connected as %s/natter\.\w+ \(TLS\)\."
                        % re.escape(jid))
        # The password typed at the prompt is never printed back.
        assert not n.lines_matching(re.escape(password)), n.transcript()
        n.send("/quit")
        assert n.wait_exit(10) == 0


@tap.both_servers
def test_connect_saves_server_and_port_in_the_account():
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "saved")
    with Headless() as n:
        n.send("/account add %s" % jid)
        n.send("/account set %s cafile %s" % (jid, p.cafile))
        n.send("/account set %s password %s" % (jid, password))
        n.send("/connect %s server %s port %d" % (jid, p.host, p.port))
        n.expect_buffer(jid, r"Connected as")
        n.send("/quit")
        assert n.wait_exit(10) == 0
        with open(n.config_dir + "/accounts") as f:
            saved = f.read()
    assert "server=%s" % p.host in saved, saved
    assert "port=%d" % p.port in saved, saved


@tap.both_servers
def test_direct_tls():
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "direct")
    accounts = {local: account_settings(p, local, password, tls="direct")}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connecting to %s port %d"
                        % (re.escape(p.host), p.tls_port))
        n.expect_buffer(local, r"Connected as %s/\S+ \(TLS\)\."
                        % re.escape(jid))


@tap.both_servers
def test_certificate_of_another_ca_is_refused_with_details():
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "wrongca")
    accounts = {local: account_settings(p, local, password,
                                        cafile=p.other_cafile)}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"!! Could not connect: the server's "
                        r"certificate is not trusted")
        n.expect_buffer(local, r"subject: .*CN ?= ?localhost")
        n.expect_buffer(local, r"issuer: .*natter test CA")
        n.expect_buffer(local, r"valid: .+ to .+")
        fp = n.expect_buffer(local, r"SHA-256: (\S+)").group(1)
        assert fp.replace(":", "").upper() == \
            fingerprint(p.certfile).replace(":", "").upper()
        n.send("/account show %s" % local)
        n.expect_buffer(local, r"Account %s \(offline: the server's "
                        r"certificate is not trusted" % re.escape(local))
    # Refused before authenticating: the server never saw a login.
    assert not p.logins(jid)


@tap.both_servers
def test_system_cas_do_not_trust_a_private_ca():
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "nocafile")
    accounts = {local: account_settings(p, local, password, cafile=None)}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"!! Could not connect: the server's "
                        r"certificate is not trusted")


@tap.both_servers
def test_wrong_password_is_a_clear_error_without_retry():
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "wrongpw")
    accounts = {local: account_settings(p, local, "not-" + password)}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"!! Could not connect: authentication "
                        r"failed: wrong password or user\?")
        # A command round trip is the synchronisation point: by now a
        # retry would have started.
        n.send("/account show %s" % local)
        n.expect_buffer(local, r"Account %s \(offline" % re.escape(local))
        assert len(n.lines_matching(r"Connecting to")) == 1, n.transcript()


@tap.both_servers
def test_closed_port_is_a_clear_error():
    p = tap.shared_server()
    from natter_test import util
    (port,) = util.free_ports(1)
    local, jid, password = tap.new_account(p, "closed")
    accounts = {local: account_settings(p, local, password, port=port)}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"!! Could not connect: .*(refused|reach)")


def test_bad_options_of_connect_are_explained():
    with Headless() as n:
        n.send("/connect someone@example.org colour blue")
        n.expect_buffer("natter", r"!! unknown option 'colour'")
        n.send("/connect someone@example.org port")
        n.expect_buffer("natter", r"!! option 'port' needs a value")
        n.send("/connect someone@example.org port 99999")
        n.expect_buffer("natter", r"!! '99999' is not a number from 1 to "
                        r"65535")
        n.send("/connect not-an-address")
        n.expect_buffer("natter", r"!! 'not-an-address' is neither an "
                        r"account nor a JID")


@tap.both_servers
def test_quit_closes_the_stream_cleanly():
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "bye")
    accounts = {local: account_settings(p, local, password)}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        n.send("/quit")
        n.expect_buffer(local, r"-- Disconnected\.")
        assert n.wait_exit(10) == 0
    # natter said goodbye with </stream:stream>; a client that just went
    # away shows as "unexpected eof while reading".
    assert p.session_end(jid) == "closed"



@tap.both_servers
def test_quit_with_a_frozen_server_still_exits():
    # The server stops answering: /quit waits a little for the goodbye,
    # then drops the connection and exits normally, without a crash.
    p = tap.shared_server()
    local, jid, password = tap.new_account(p, "frozen")
    accounts = {local: account_settings(p, local, password)}
    with Headless(["-a", local], accounts=accounts) as n:
        # Logged in: until then (or connect_timeout), input waits.
        n.expect_buffer(local, r"Roster received")
        os.kill(p.pid, signal.SIGSTOP)
        try:
            n.send("/quit")
            assert n.wait_exit(15) == 0
        finally:
            os.kill(p.pid, signal.SIGCONT)
        n.check_no_crash()

if __name__ == "__main__":
    tap.main(globals())
