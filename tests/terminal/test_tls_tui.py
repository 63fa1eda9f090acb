#!/usr/bin/python3
# The certificate question on the screen: the details of a refused
# certificate and the choice, answered with /tls allow while the terminal
# stays responsive.
import re
import subprocess

from natter_test import tap
from natter_test.headless import account_settings

from tuifixtures import TuiNatter


def fingerprint(certfile):
    out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint",
                          "-sha256", "-in", certfile], check=True,
                         capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1].upper()


def test_certificate_question_is_shown_and_answered():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "tlstui")
    accounts = {local: account_settings(p, local, pw, cafile=p.other_cafile)}
    with TuiNatter(accounts, args=["-a", local], width=160, height=40) as t:
        t.wait_for(r"Could not connect: the server's certificate is not "
                   r"trusted")
        t.wait_for(r"issuer: .*natter test CA")
        t.wait_for(r"SHA-256: %s" % re.escape(fingerprint(p.certfile)))
        t.wait_for(r"Trust this certificate\? /tls allow")
        # The loop did not wait for the answer: the input line works.
        t.command_line("/tls trusted")
        t.wait_for(r"No certificate pinned for %s\." % re.escape(local))
        t.command_line("/tls allow")
        t.wait_for(r"accepted until natter quits")
        t.wait_for(r"Connected as %s/\S+ \(TLS\)" % re.escape(jid))
        t.wait_for(r"\[%s: online\]" % re.escape(local))


if __name__ == "__main__":
    tap.main(globals())
