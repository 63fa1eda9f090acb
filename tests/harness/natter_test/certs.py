# What every test server needs from the outside: certificates made with the
# openssl CLI (a CA, leaf certificates it signs) and a probe that opens a
# client stream and reads the stream features, which proves a server is
# serving a domain (a TCP accept alone does not).
import os
import socket
import subprocess
import time


def _openssl(*args, cwd):
    r = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed:\n%s" % (" ".join(args),
                                                       r.stderr))


def make_ca(directory, name, cn):
    """A self-signed EC P-256 CA: returns (cert_path, key_path)."""
    cert = os.path.join(directory, name + ".pem")
    key = os.path.join(directory, name + ".key")
    _openssl("req", "-x509", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=" + cn,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)
    return cert, key


def make_cert(directory, name, ca, names, ips=()):
    """A leaf certificate for DNS names `names` (and IP addresses `ips`),
    signed by ca=(cert, key)."""
    cert = os.path.join(directory, name + ".crt")
    key = os.path.join(directory, name + ".key")
    # OpenSSL 3's `req -x509 -CA` signs with another key in one call.
    _openssl("req", "-x509", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", key, "-out", cert, "-days", "30",
             "-subj", "/CN=" + names[0], "-CA", ca[0], "-CAkey", ca[1],
             "-addext", "subjectAltName=" + ",".join(
                 ["DNS:" + n for n in names] + ["IP:" + i for i in ips]),
             "-addext", "basicConstraints=critical,CA:FALSE",
             "-addext", "keyUsage=critical,digitalSignature",
             "-addext", "extendedKeyUsage=serverAuth,clientAuth", cwd=directory)
    return cert, key


def has_starttls(host, port, domain, timeout=2.0, want=True):
    """Open a c2s stream and check the features offer STARTTLS (or, with
    want=False, that features come and offer no STARTTLS)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(("<?xml version='1.0'?><stream:stream to='%s' "
                       "xmlns='jabber:client' xmlns:stream="
                       "'http://etherx.jabber.org/streams' version='1.0'>"
                       % domain).encode())
            data = b""
            deadline = time.monotonic() + timeout
            while b"</stream:features>" not in data:
                if b"stream:error" in data or time.monotonic() > deadline:
                    return False
                chunk = s.recv(4096)
                if not chunk:
                    return False
                data += chunk
            s.sendall(b"</stream:stream>")
            return (b"urn:ietf:params:xml:ns:xmpp-tls" in data) == want
    except OSError:
        return False
