# A private Prosody 0.12 for tests: own temp dir, own CA and certificate,
# loopback-only ports, accounts created through Prosody's admin socket.
#
#   with Prosody() as p:
#       p.create_user("alice", "pw")
#       ... connect to p.host:p.port (STARTTLS) or p.tls_port (direct TLS),
#           trusting p.cafile; p.other_cafile is a CA that did NOT sign the
#           server certificate, for tests where the client must refuse it.
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape as xml_escape

from . import util

DEFAULT_MODULES = [
    "roster", "saslauth", "tls", "dialback", "disco", "carbons", "pep",
    "private", "blocklist", "vcard4", "vcard_legacy", "version", "uptime",
    "time", "ping", "register", "mam", "smacks", "bookmarks", "csi_simple",
    # Not client features: posix writes the pid file; admin_shell gives the
    # admin socket that create_user() talks to.
    "posix", "admin_shell",
]
MODULE_DIR = "/usr/lib/prosody/modules"
START_TIMEOUT = 20.0


def _module_exists(name):
    return (os.path.exists(os.path.join(MODULE_DIR, "mod_%s.lua" % name))
            or os.path.exists(os.path.join(MODULE_DIR, "mod_" + name,
                                           "mod_%s.lua" % name)))


def lua_str(s):
    """A Lua string literal for s."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32:
            out.append("\\%03d" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def ensure_installed():
    """Install Prosody with the project's script if the machine lacks it."""
    if shutil.which("prosody") and shutil.which("prosodyctl"):
        return
    script = os.path.join(util.REPO_DIR, "tools", "install-deps")
    subprocess.run([script, "test"], check=True)
    if not shutil.which("prosody"):
        raise RuntimeError("prosody is still missing after tools/install-deps")


# --- certificates -------------------------------------------------------------

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


def make_cert(directory, name, ca, names):
    """A leaf certificate for DNS names `names`, signed by ca=(cert, key)."""
    cert = os.path.join(directory, name + ".crt")
    key = os.path.join(directory, name + ".key")
    # OpenSSL 3's `req -x509 -CA` signs with another key in one call.
    _openssl("req", "-x509", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", key, "-out", cert, "-days", "30",
             "-subj", "/CN=" + names[0], "-CA", ca[0], "-CAkey", ca[1],
             "-addext", "subjectAltName=" + ",".join("DNS:" + n for n in names),
             "-addext", "basicConstraints=critical,CA:FALSE",
             "-addext", "keyUsage=critical,digitalSignature",
             "-addext", "extendedKeyUsage=serverAuth,clientAuth", cwd=directory)
    return cert, key


# --- admin socket client ------------------------------------------------------

class AdminShell:
    """Prosody's admin console (mod_admin_shell) over its unix socket.

    The same protocol `prosodyctl shell` speaks: an XML stream in namespace
    xmpp:prosody.im/admin carrying <repl-input/> and <repl-result/>. One
    connection serves many commands, so creating an account costs about a
    millisecond instead of a prosodyctl start (~0.3 s).
    """

    def __init__(self, path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.parser = ET.XMLPullParser(("start", "end"))
        self.depth = 0
        self.pending = []
        self.sock.sendall(b"<?xml version='1.0'?><stream:stream "
                          b"xmlns='xmpp:prosody.im/admin' "
                          b"xmlns:stream='http://etherx.jabber.org/streams'>")

    def _next_stanza(self):
        while not self.pending:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("Prosody closed the admin socket")
            self.parser.feed(data)
            for event, elem in self.parser.read_events():
                if event == "start":
                    self.depth += 1
                else:
                    self.depth -= 1
                    if self.depth == 1:
                        self.pending.append(elem)
        return self.pending.pop(0)

    def execute(self, line):
        """Run one console line; returns (ok, text of result and output)."""
        self.sock.sendall(("<repl-input>%s</repl-input>"
                           % xml_escape(line)).encode())
        output = []
        while True:
            elem = self._next_stanza()
            tag = elem.tag.split("}")[-1]
            if tag == "repl-output":
                output.append(elem.text or "")
            elif tag == "repl-result":
                output.append(elem.text or "")
                return elem.get("type") != "error", "\n".join(output)

    def close(self):
        try:
            self.sock.sendall(b"</stream:stream>")
        except OSError:
            pass
        self.sock.close()


# --- the server ---------------------------------------------------------------

class PortInUse(RuntimeError):
    pass


class Prosody:
    """One Prosody server. Use as a context manager or call start()/stop().

    Attributes once started: host ("127.0.0.1"), domain ("localhost"),
    muc_domain, upload_domain, port (c2s STARTTLS), tls_port (c2s direct
    TLS), http_port, cafile (CA that signed the server certificate),
    other_cafile (an unrelated CA), certfile/keyfile, dir, config_path,
    log_path, pid.
    """

    host = "127.0.0.1"
    domain = "localhost"
    muc_domain = "conference.localhost"
    upload_domain = "upload.localhost"
    crowd_domain = "crowd.localhost"

    def __init__(self, allow_registration=False, debug=None, directory=None,
                 extra_config="", extra_host_config="", modules=None,
                 cert_names=None, stanza_size_limit=None, tls=True):
        """directory: a fixed dir to use (created/emptied by the caller's
        choice; kept after stop) instead of a fresh temp dir that is removed.
        extra_config / extra_host_config: Lua lines appended to the global
        section / the VirtualHost section.
        cert_names: DNS names for the server certificate (default: the
        three domains served); give others to test hostname checking.
        stanza_size_limit: c2s_stanza_size_limit in bytes (Prosody's
        default, 256 KiB, closes the stream of a client sending more).
        tls=False: a server without any TLS: no STARTTLS offered, no direct
        TLS port (tls_port is unused), encryption not required; SCRAM is
        still offered, PLAIN is not (Prosody refuses it unencrypted)."""
        self.tls = tls
        self.allow_registration = allow_registration
        if debug is None:
            debug = os.environ.get("NATTER_TEST_PROSODY_DEBUG") == "1"
        self.debug = debug
        self._fixed_dir = directory
        self.stanza_size_limit = stanza_size_limit
        self.extra_config = extra_config
        self.extra_host_config = extra_host_config
        self.cert_names = cert_names or [self.domain, self.muc_domain,
                                         self.upload_domain]
        self.modules = [m for m in (modules or DEFAULT_MODULES)
                        if _module_exists(m) and (tls or m != "tls")]
        self.dir = None
        self.proc = None
        self.pid = None
        self.port = self.tls_port = self.http_port = None
        self._cleanup_token = None
        self._admin = None
        self._out = None

    # -- lifecycle --

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start(self):
        ensure_installed()
        if self.dir is None:
            if self._fixed_dir:
                self.dir = self._fixed_dir
                os.makedirs(self.dir, exist_ok=True)
            else:
                self.dir = tempfile.mkdtemp(prefix="natter-prosody-")
            self._cleanup_token = util.on_cleanup("prosody " + self.dir,
                                                  self.close)
            self.data_dir = os.path.join(self.dir, "data")
            os.makedirs(self.data_dir, exist_ok=True)
            self.config_path = os.path.join(self.dir, "prosody.cfg.lua")
            self.log_path = os.path.join(self.dir, "prosody.log")
            self.out_path = os.path.join(self.dir, "prosody.out")
            self.pidfile = os.path.join(self.dir, "prosody.pid")
            self._make_certs()
            if not self.tls:
                os.makedirs(os.path.join(self.dir, "no-certificates"),
                            exist_ok=True)
            # Another process may take a port between our probe and
            # Prosody's bind: then try again with other ports.
            for attempt in range(3):
                self.port, self.tls_port, self.http_port = util.free_ports(3)
                self._write_config()
                try:
                    self._launch()
                    return
                except PortInUse:
                    if attempt == 2:
                        raise
        else:
            self._write_config()
            self._launch()

    def _make_certs(self, subdir="certs"):
        certs = os.path.join(self.dir, subdir)
        os.makedirs(certs, exist_ok=True)
        ca = make_ca(certs, "ca", "natter test CA")
        self.cafile = ca[0]
        self.other_cafile = make_ca(certs, "other-ca",
                                    "natter unrelated CA")[0]
        self.certfile, self.keyfile = make_cert(certs, "server", ca,
                                                self.cert_names)

    def replace_certificate(self):
        """A new CA and a new server certificate for the same names (a
        changed certificate, as a client that pinned the old one sees it);
        takes effect at the next start() or restart()."""
        self._cert_generation = getattr(self, "_cert_generation", 0) + 1
        self._make_certs("certs%d" % self._cert_generation)

    def _write_config(self):
        q = lua_str
        level = "debug" if self.debug else "info"
        modules = ", ".join(q(m) for m in self.modules)
        if self.tls:
            ssl = "{ certificate = %s; key = %s; }" % (q(self.certfile),
                                                        q(self.keyfile))
            direct_tls = "{ %d }" % self.tls_port
        else:
            # No certificate anywhere (not even looked up in the default
            # "certs" dir), so there is nothing to offer STARTTLS with.
            ssl = "nil"
            direct_tls = "{ }"
        cfg = """-- Written by natter_test.prosody for one test run.
run_as_root = true -- the test machines run as root
daemonize = false
pidfile = {pidfile}
data_path = {data}
log = {{ {{ levels = {{ min = {level} }}, to = "file", filename = {log} }} }}

interfaces = {{ "127.0.0.1" }}
local_interfaces = {{ "127.0.0.1" }}
c2s_ports = {{ {port} }}
c2s_direct_tls_ports = {direct_tls}
http_ports = {{ {http_port} }}
http_interfaces = {{ "127.0.0.1" }}
https_ports = {{ }}
s2s_ports = {{ }}
modules_disabled = {{ "s2s" }} -- no federation in tests
admin_socket = {admin}

c2s_require_encryption = {require_encryption}
certificates = {certificates}
authentication = "internal_hashed"
storage = "internal"
allow_registration = {allow_registration}
ssl = {ssl}

-- History and burst tests need more than the defaults (10,000 items, 50 per
-- query); nothing expires during a run.
storage_archive_item_limit = 1000000
max_archive_query_results = 1000
archive_expires_after = "never"
muc_log_expires_after = "never"

modules_enabled = {{ {modules} }}
plugin_paths = {{ {plugins} }} -- mod_natter_crowd (see crowd.py)
{size_limit}
{extra}

VirtualHost "{domain}"
    ssl = {ssl}
{extra_host}

Component "{muc}" "muc"
    modules_enabled = {{ "muc_mam" }}
    muc_room_locking = false -- new rooms are usable at once by all
    ssl = {ssl}

Component "{upload}" "http_file_share"
    http_host = "127.0.0.1" -- slot URLs point at the loopback http port
    ssl = {ssl}

Component "{crowd}" "natter_crowd"
""".format(pidfile=q(self.pidfile), data=q(self.data_dir), level=q(level),
           log=q(self.log_path), port=self.port, direct_tls=direct_tls,
           require_encryption="true" if self.tls else "false",
           certificates=q(self.dir + "/certs") if self.tls
           else q(self.dir + "/no-certificates"),
           http_port=self.http_port,
           admin=q(os.path.join(self.data_dir, "prosody.sock")),
           allow_registration="true" if self.allow_registration else "false",
           ssl=ssl, modules=modules, extra=self.extra_config,
           size_limit=("c2s_stanza_size_limit = %d" % self.stanza_size_limit
                       if self.stanza_size_limit else ""),
           domain=self.domain, extra_host=self.extra_host_config,
           muc=self.muc_domain, upload=self.upload_domain,
           crowd=self.crowd_domain,
           plugins=q(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  "prosody_plugins")))
        with open(self.config_path, "w") as f:
            f.write(cfg)

    def _launch(self):
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("Prosody is already running")
        try:
            self._log_offset = os.path.getsize(self.log_path)
        except OSError:
            self._log_offset = 0
        self._out = open(self.out_path, "ab")
        self.proc = util.popen(
            ["prosody", "-F", "--config", self.config_path],
            stdin=subprocess.DEVNULL, stdout=self._out,
            stderr=subprocess.STDOUT, cwd=self.dir)
        self.pid = self.proc.pid
        try:
            util.wait_until(self._ready, START_TIMEOUT, "Prosody to serve c2s",
                            on_timeout=lambda: self.log_tail(30))
        except BaseException:
            self._terminate()
            raise

    def _ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError("Prosody exited with status %s at start\n%s"
                               % (self.proc.returncode, self.log_tail(30)))
        if re.search(r"Failed to open server port|Error binding encrypted",
                     self._log_since_launch()):
            # Prosody runs on without the port; our probe might even reach
            # whoever holds it.
            raise PortInUse("Prosody could not bind its ports\n"
                            + self.log_tail(30))
        # A TCP accept alone only proves the port is bound; stream features
        # for our domain prove the event loop runs with the host loaded.
        if not self.tls:
            return _has_starttls(self.host, self.port, self.domain,
                                 want=False)
        return (_has_starttls(self.host, self.port, self.domain)
                and util.port_open(self.host, self.tls_port)
                and util.port_open(self.host, self.http_port))

    def _terminate(self, timeout=10.0, sig=signal.SIGTERM):
        if self._admin is not None:
            try:
                self._admin.close()
            except OSError:
                pass
            self._admin = None
        code = None
        if self.proc is not None:
            code = util.terminate(self.proc, timeout, sig)
        if self._out is not None:
            self._out.close()
            self._out = None
        return code

    def stop(self, timeout=10.0):
        """SIGTERM, wait up to timeout, then SIGKILL. Data is kept."""
        return self._terminate(timeout)

    def kill(self):
        """SIGKILL at once (a crash, as far as clients can tell)."""
        return self._terminate(0, signal.SIGKILL)

    def restart(self):
        """Stop and start again on the same ports with the same data."""
        self.stop()
        self._write_config()
        self._launch()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def close(self):
        """Stop the server and remove its temp dir (a fixed dir is kept)."""
        self.stop()
        if self._cleanup_token is not None:
            util.cancel_cleanup(self._cleanup_token)
            self._cleanup_token = None
        if self.dir and not self._fixed_dir and os.path.isdir(self.dir):
            if os.environ.get("NATTER_TEST_KEEP"):
                util.diag("kept Prosody dir %s" % self.dir)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)

    # -- accounts and console --

    def shell(self, line):
        """Run one line in Prosody's admin console; returns its text.
        Raises RuntimeError if the console reports an error."""
        if self._admin is None:
            self._admin = AdminShell(os.path.join(self.data_dir,
                                                  "prosody.sock"))
        ok, text = self._admin.execute(line)
        if not ok:
            raise RuntimeError("prosody shell %r: %s" % (line, text))
        return text

    def create_user(self, localpart, password):
        """Create localpart@domain; returns the bare JID."""
        jid = "%s@%s" % (localpart, self.domain)
        self.shell("user:create(%s, %s)" % (lua_str(jid), lua_str(password)))
        return jid

    def delete_user(self, localpart):
        self.shell("user:delete(%s)" % lua_str("%s@%s" % (localpart,
                                                           self.domain)))

    def user_exists(self, localpart):
        # user_exists() returns nil plus an error for a missing user, which
        # the console would report as a failure: turn it into a string.
        text = self.shell(">require'core.usermanager'.user_exists(%s, %s) "
                          "and 'yes' or 'no'"
                          % (lua_str(localpart), lua_str(self.domain)))
        return text.strip().endswith("yes")

    def sessions(self, localpart):
        """The server's client sessions of localpart@domain, as
        {full_jid: "online" | "hibernating"} (a stream that went away
        without closing, kept for XEP-0198 resumption)."""
        text = self.shell(
            ">local out = {}; for full, s in pairs(prosody.full_sessions) do "
            "if s.username == %s and s.host == %s then "
            "out[#out + 1] = full .. '=' .. (s.hibernating and 'hibernating'"
            " or 'online') end end; return 'sessions:' .. "
            "table.concat(out, ' ')" % (lua_str(localpart),
                                        lua_str(self.domain)))
        listed = text.rsplit("sessions:", 1)[1].split()
        return dict(item.rsplit("=", 1) for item in listed)

    def add_contacts(self, localpart, contacts):
        """Put contacts straight into localpart's stored roster.

        contacts: {jid: {"name": str, "groups": [str], "subscription":
        "both"|"to"|"from"|"none"}} (every key optional; subscription
        defaults to "both"), or a list of JIDs. Meant for accounts that are
        not logged in: an online session gets no roster push. One console
        call for any number of contacts (2,000 is fine)."""
        if not isinstance(contacts, dict):
            contacts = {jid: {} for jid in contacts}
        items = []
        for jid, item in contacts.items():
            fields = ["subscription=%s" % lua_str(item.get("subscription",
                                                           "both"))]
            if item.get("name"):
                fields.append("name=%s" % lua_str(item["name"]))
            groups = ",".join("[%s]=true" % lua_str(g)
                              for g in item.get("groups", ()))
            fields.append("groups={%s}" % groups)
            items.append("[%s]={%s}" % (lua_str(jid), ",".join(fields)))
        text = self.shell(
            ">local rm = require'core.rostermanager'; "
            "local u, h = %s, %s; local r = rm.load_roster(u, h); "
            "for j, i in pairs({%s}) do r[j] = i end; "
            "return rm.save_roster(u, h, r) and 'saved' or 'failed'"
            % (lua_str(localpart), lua_str(self.domain), ",".join(items)))
        if not text.strip().endswith("saved"):
            raise RuntimeError("roster of %s not saved: %s" % (localpart,
                                                              text))

    def make_mutual(self, a, b, a_name=None, b_name=None):
        """Make localparts a and b contacts of each other (subscription
        both); a_name is how b's roster names a, and the other way."""
        self.add_contacts(a, {"%s@%s" % (b, self.domain): {"name": b_name}})
        self.add_contacts(b, {"%s@%s" % (a, self.domain): {"name": a_name}})

    def prosodyctl(self, *args, check=True):
        """Run prosodyctl against this server's config."""
        return subprocess.run(["prosodyctl", "--config", self.config_path,
                               *args], capture_output=True, text=True,
                              check=check, stdin=subprocess.DEVNULL)

    # -- diagnostics --

    def log_tail(self, n=40):
        text = util.tail(self.log_path, n)
        out = util.tail(getattr(self, "out_path", ""), 10)
        if out:
            text += "\n--- prosody stdout/stderr ---\n" + out
        return text

    def _log_since_launch(self):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self._log_offset)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_lines_matching(self, regex):
        """Lines of the Prosody log matching regex (for absence checks)."""
        rx = re.compile(regex)
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return [line for line in f if rx.search(line)]
        except FileNotFoundError:
            return []


def _has_starttls(host, port, domain, timeout=2.0, want=True):
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
