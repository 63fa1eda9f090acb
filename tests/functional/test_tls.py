#!/usr/bin/python3
# Secure login: the certificate question (/tls allow for this run, /tls
# always pins, /tls deny), a pinned certificate that changes, a certificate
# for another name, /tls trusted and /tls revoke; a server without TLS is
# refused; tls disable still works, with its warning.
import os
import re
import stat
import subprocess
import tempfile

from natter_test import tap, util
from natter_test.headless import Headless, account_settings, write_keyfile
from natter_test.prosody import Prosody


def fingerprint(certfile):
    out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint",
                          "-sha256", "-in", certfile], check=True,
                         capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1].upper()


class Dirs:
    """Config and data dirs that outlive one natter run, so that a second
    run sees what the first one saved (pins) or must not see (/tls allow)."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="natter-tls-")
        token = util.on_cleanup("dirs " + self.tmp, self.remove)
        self.config = os.path.join(self.tmp, "config")
        self.data = os.path.join(self.tmp, "data")
        os.makedirs(self.config, mode=0o700)
        os.makedirs(self.data, mode=0o700)

    def remove(self):
        import shutil
        shutil.rmtree(self.tmp, ignore_errors=True)

    def natter(self, accounts, args=()):
        n = Headless(list(args))
        n.config_dir, n.data_dir = self.config, self.data
        write_keyfile(os.path.join(self.config, "accounts"), accounts)
        return n


def untrusted_account(p, prefix):
    """An account whose cafile did not sign the server's certificate."""
    local, jid, password = tap.new_account(p, prefix)
    accounts = {local: account_settings(p, local, password,
                                        cafile=p.other_cafile)}
    return local, jid, accounts


def expect_question(n, local, certfile):
    n.expect_buffer(local, r"!! Could not connect: the server's "
                    r"certificate is not trusted")
    fp = n.expect_buffer(local, r"SHA-256: (\S+)").group(1)
    assert fp == fingerprint(certfile), (fp, fingerprint(certfile))
    n.expect_buffer(local, r"-- Trust this certificate\? /tls allow .*"
                    r"/tls always \(pin it for account %s\), /tls deny"
                    % re.escape(local))
    return fp


@tap.both_servers
def test_allow_accepts_the_certificate_for_this_run_only():
    p = tap.shared_server()
    local, jid, accounts = untrusted_account(p, "allow")
    dirs = Dirs()
    with dirs.natter(accounts, ["-a", local]) as n:
        fp = expect_question(n, local, p.certfile)
        n.send("/tls allow")
        n.expect_buffer(local, r"Certificate %s accepted until natter "
                        r"quits\." % re.escape(fp))
        n.expect_buffer(local, r"Connected as %s/\S+ \(TLS\)\."
                        % re.escape(jid))
        n.send("/tls trusted %s" % local)
        n.expect_buffer(local, r"No certificate pinned for %s\."
                        % re.escape(local))
        n.send("/quit")
        assert n.wait_exit(10) == 0
    # The next run of natter asks again.
    with dirs.natter(accounts, ["-a", local]) as n:
        expect_question(n, local, p.certfile)
    assert not os.path.exists(os.path.join(dirs.data, local, "tls-pins"))


@tap.both_servers
def test_always_pins_the_certificate_and_revoke_removes_it():
    p = tap.shared_server()
    local, jid, accounts = untrusted_account(p, "always")
    dirs = Dirs()
    with dirs.natter(accounts, ["-a", local]) as n:
        fp = expect_question(n, local, p.certfile)
        n.send("/tls always %s" % local)
        n.expect_buffer(local, r"Certificate %s pinned for account %s"
                        % (re.escape(fp), re.escape(local)))
        n.expect_buffer(local, r"Connected as %s/\S+ \(TLS\)\."
                        % re.escape(jid))
        n.send("/quit")
        assert n.wait_exit(10) == 0
    pins = os.path.join(dirs.data, local, "tls-pins")
    assert stat.S_IMODE(os.stat(pins).st_mode) == 0o600, oct(
        os.stat(pins).st_mode)
    with open(pins) as f:
        assert fp in f.read()
    # A restart connects without asking.
    with dirs.natter(accounts, ["-a", local]) as n:
        n.expect_buffer(local, r"Connected as %s/\S+ \(TLS\)\."
                        % re.escape(jid))
        assert not n.lines_matching(r"Trust this certificate"), \
            n.transcript()
        n.send("/tls trusted")
        n.expect_buffer(local, r"Certificates pinned for %s:"
                        % re.escape(local))
        n.expect_buffer(local, r"--   %s  .*CN ?= ?localhost"
                        % re.escape(fp))
        n.send("/tls revoke 00:11 %s" % local)
        n.expect_buffer(local, r"!! '00:11' is not a SHA-256 fingerprint|"
                        r"!! 00:11 is not pinned")
        # Lower case without colons is the same fingerprint.
        n.send("/tls revoke %s %s" % (fp.replace(":", "").lower(), local))
        n.expect_buffer(local, r"is no longer trusted for %s\."
                        % re.escape(local))
        n.send("/tls trusted %s" % local)
        n.expect_buffer(local, r"No certificate pinned for %s\."
                        % re.escape(local))
        n.send("/disconnect %s" % local)
        n.expect_buffer(local, r"-- Disconnected\.")
        n.send("/connect %s" % local)
        expect_question(n, local, p.certfile)


@tap.both_servers
def test_deny_closes_the_question():
    p = tap.shared_server()
    local, jid, accounts = untrusted_account(p, "deny")
    with Headless(["-a", local], accounts=accounts) as n:
        fp = expect_question(n, local, p.certfile)
        n.send("/tls deny")
        n.expect_buffer(local, r"Certificate %s refused; account %s stays "
                        r"offline\." % (re.escape(fp), re.escape(local)))
        n.send("/tls allow %s" % local)
        n.expect_buffer(local, r"!! account '%s' has no certificate "
                        r"question open" % re.escape(local))
        n.send("/tls sometimes")
        n.expect_buffer(local, r"!! usage: /tls allow\|always\|deny")
    assert not p.logins(jid)


@tap.both_servers
def test_a_changed_pinned_certificate_is_refused_loudly():
    with tap.new_server() as p:
        local, jid, accounts = untrusted_account(p, "changed")
        dirs = Dirs()
        with dirs.natter(accounts, ["-a", local]) as n:
            old = expect_question(n, local, p.certfile)
            n.send("/tls always")
            n.expect_buffer(local, r"Connected as")
            n.send("/quit")
            assert n.wait_exit(10) == 0
        p.replace_certificate()
        p.restart()
        new = fingerprint(p.certfile)
        assert new != old
        with dirs.natter(accounts, ["-a", local]) as n:
            n.expect_buffer(local, r"!! Could not connect: the server's "
                            r"certificate is not trusted")
            n.expect_buffer(local, r"!! WARNING: THE SERVER'S CERTIFICATE "
                            r"HAS CHANGED\. Pinned for this account: %s; "
                            r"offered now: %s\." % (re.escape(old),
                                                   re.escape(new)))
            n.expect_buffer(local, r"Trust this certificate\?")
        assert len(p.logins(jid)) == 1


@tap.both_servers
def test_certificate_for_another_name_is_asked_about():
    # Signed by the CA natter trusts, but not for the JID's domain.
    with tap.new_server(cert_names=["elsewhere.example"]) as p:
        local, jid, password = tap.new_account(p, "name")
        accounts = {local: account_settings(p, local, password)}
        with Headless(["-a", local], accounts=accounts) as n:
            n.expect_buffer(local, r"!! Could not connect: the server's "
                            r"certificate is not trusted: hostname mismatch")
            n.expect_buffer(local, r"subject: .*elsewhere\.example")
            n.expect_buffer(local, r"Trust this certificate\?")
            n.send("/tls allow")
            n.expect_buffer(local, r"Connected as %s/\S+ \(TLS\)\."
                            % re.escape(jid))


def test_server_without_tls_is_refused():
    with Prosody(tls=False) as p:
        local, jid, password = tap.new_account(p, "notls")
        accounts = {local: account_settings(p, local, password)}
        with Headless(["-a", local], accounts=accounts) as n:
            n.expect_buffer(local, r"!! Could not connect: the server does "
                            r"not offer TLS \(no STARTTLS\), so natter "
                            r"refuses to log in")
            n.send("/reconnect")
            n.expect_buffer(local, r"%s\s+offline: the server "
                            r"does not offer TLS" % re.escape(local))
            assert len(n.lines_matching(r"Connecting to")) == 1, \
                n.transcript()
        assert not p.log_lines_matching(r"Authenticated as")


def test_tls_disable_warns_and_connects_unencrypted():
    with Prosody(tls=False) as p:
        local, jid, password = tap.new_account(p, "plain")
        accounts = {local: account_settings(p, local, password,
                                            tls="disable")}
        with Headless(["-a", local], accounts=accounts) as n:
            n.expect_buffer(local, r"!! WARNING: tls is set to 'disable' "
                            r"for this account")
            n.expect_buffer(local, r"Connected as %s/\S+ WITHOUT "
                            r"ENCRYPTION\." % re.escape(jid))
            n.send("/account set %s tls disable" % local)
            n.expect_buffer(local, r"!! WARNING: with tls disabled")
        # The password did not cross in clear: Prosody offers only SCRAM
        # without TLS, and libstrophe took it.
        assert p.log_lines_matching(r"Authenticated as %s" % re.escape(jid))


def test_no_password_in_clear_without_scram():
    # A server without TLS that would take the password in clear (PLAIN)
    # and offers nothing else: natter does not send it.
    with Prosody(tls=False, extra_config="allow_unencrypted_plain_auth = "
                 "true\ndisable_sasl_mechanisms = { \"SCRAM-SHA-1\", "
                 "\"DIGEST-MD5\" }") as p:
        local, jid, password = tap.new_account(p, "plainonly")
        accounts = {local: account_settings(p, local, password,
                                            tls="disable")}
        with Headless(["-a", local], accounts=accounts) as n:
            n.expect_buffer(local, r"!! Could not connect: the server offers "
                            r"no SCRAM authentication on this unencrypted "
                            r"connection")
            n.send("/reconnect")
            n.expect_buffer(local, r"%s\s+offline: the server offers no "
                            r"SCRAM" % re.escape(local))
        assert not p.log_lines_matching(r"Authenticated as")


if __name__ == "__main__":
    tap.main(globals())
