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
import socket
import subprocess
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape as xml_escape

from . import tap, util
from .certs import has_starttls, make_cert
from .server import S2S_PORT, Server

DEFAULT_MODULES = [
    "roster", "saslauth", "tls", "dialback", "disco", "carbons", "pep",
    "private", "blocklist", "vcard4", "vcard_legacy", "version", "uptime",
    "time", "ping", "register", "mam", "smacks", "bookmarks", "csi_simple",
    # Not client features: posix writes the pid file; admin_shell gives the
    # admin socket that create_user() talks to.
    "posix", "admin_shell",
]
MODULE_DIR = "/usr/lib/prosody/modules"


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


# --- admin socket client ------------------------------------------------------

class AdminShell:
    """Prosody's admin console (mod_admin_shell) over its unix socket.

    The same protocol `prosodyctl shell` speaks: an XML stream in namespace
    xmpp:prosody.im/admin carrying <repl-input/> and <repl-result/>. One
    connection serves many commands, so creating an account costs about a
    millisecond instead of a prosodyctl start (~0.3 s).
    """

    # Generous: one line may route a crowd's hundreds of thousands of
    # stanzas (natter_test.crowd), which on a loaded machine under the
    # sanitizers took more than 10 s.
    def __init__(self, path, timeout=120.0):
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

class Prosody(Server):
    """One Prosody server. Use as a context manager or call start()/stop().

    Attributes once started: host ("127.0.0.1"), domain ("localhost"),
    muc_domain, upload_domain, crowd_domain, port (c2s STARTTLS), tls_port
    (c2s direct TLS), http_port, cafile (CA that signed the server
    certificate), other_cafile (an unrelated CA), certfile/keyfile, dir,
    config_path, log_path, pid. The rest is in server.Server.
    """

    name = "prosody"

    def __init__(self, allow_registration=False, debug=None, directory=None,
                 extra_config="", extra_host_config="", modules=None,
                 cert_names=None, stanza_size_limit=None, tls=True,
                 domain=None, federation=None, pep_bookmarks=True,
                 admins=(), https_upload=False):
        """directory, cert_names, domain, federation: see server.Server.
        pep_bookmarks=False: no mod_bookmarks, so no XEP-0402 announced.
        extra_config / extra_host_config: Lua lines appended to the global
        section / the VirtualHost section.
        stanza_size_limit: c2s_stanza_size_limit in bytes (Prosody's
        default, 256 KiB, closes the stream of a client sending more).
        tls=False: a server without any TLS: no STARTTLS offered, no direct
        TLS port (tls_port is unused), encryption not required; SCRAM is
        still offered, PLAIN is not (Prosody refuses it unencrypted).
        admins: localparts that administer the server, with its
        administration commands (XEP-0133) and announcements.
        https_upload: HTTP is served over TLS too (https_port, a
        certificate for the loopback address), so the upload service's
        slots are https URLs, as on a real server."""
        super().__init__(debug=debug, directory=directory,
                         cert_names=cert_names, domain=domain,
                         federation=federation)
        self.tls = tls
        self.https_upload = https_upload and tls
        self.https_port = None
        if self.https_upload:
            self.n_ports = 4  # port, tls_port, http_port, https_port
        self.allow_registration = allow_registration
        self.stanza_size_limit = stanza_size_limit
        if admins:
            extra_config += "\nadmins = { %s }" % ", ".join(
                '"%s@%s"' % (a, self.domain) for a in admins)
            modules = (modules or DEFAULT_MODULES) + ["admin_adhoc",
                                                      "announce"]
        self.extra_config = extra_config
        self.extra_host_config = extra_host_config
        self.crowd_domain = "crowd." + self.domain
        self.modules = [m for m in (modules or DEFAULT_MODULES)
                        if _module_exists(m) and (tls or m != "tls")
                        and (pep_bookmarks or m != "bookmarks")]
        self._admin = None

    def start(self):
        # A marked test that names Prosody would pass on Prosody in the
        # ejabberd run, unnoticed.
        if tap.server_kind() != "prosody" and self.federation is None:
            raise RuntimeError("a test run against %s started a Prosody: "
                               "use tap.new_server()" % tap.server_kind())
        ensure_installed()
        super().start()

    def _make_certs(self, subdir="certs"):
        super()._make_certs(subdir)
        if self.https_upload:
            # Slot URLs name the loopback address, not a domain.
            certs = os.path.join(self.dir, subdir)
            self.https_certfile, self.https_keyfile = make_cert(
                certs, "https", (self.cafile, os.path.join(certs, "ca.key")),
                self.cert_names, ips=[self.host])

    def _https_config(self):
        if not self.https_upload:
            return "https_ports = { }"
        (self.https_port,) = self._extra_ports
        return ("https_ports = {{ {port} }}\nhttps_interfaces = {{ {host} }}\n"
                "https_ssl = {{ certificate = {cert}; key = {key}; }}"
                .format(port=self.https_port, host=lua_str(self.host),
                        cert=lua_str(self.https_certfile),
                        key=lua_str(self.https_keyfile)))

    def _prepare(self):
        self.data_dir = os.path.join(self.dir, "data")
        os.makedirs(self.data_dir, exist_ok=True)
        self.config_path = os.path.join(self.dir, "prosody.cfg.lua")
        self.log_path = os.path.join(self.dir, "prosody.log")
        self.pidfile = os.path.join(self.dir, "prosody.pid")
        if not self.tls:
            os.makedirs(os.path.join(self.dir, "no-certificates"),
                        exist_ok=True)

    def _federation_config(self):
        """s2s on port 5269 of our own address, peers found through the
        network's hosts file (lua-unbound reads it), and dialback, since
        no server trusts another's private CA."""
        if self.federation is None:
            return ('s2s_ports = { }\n'
                    'modules_disabled = { "s2s" } -- no federation in tests')
        return """s2s_ports = {{ {port} }}
s2s_interfaces = {{ {host} }}
s2s_secure_auth = false
s2s_require_encryption = false
unbound = {{ hoststxt = {hosts}; resolvconf = false }}""".format(
            port=S2S_PORT, host=lua_str(self.host),
            hosts=lua_str(self.federation.hosts_file))

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

interfaces = {{ {host} }}
local_interfaces = {{ {host} }}
c2s_ports = {{ {port} }}
c2s_direct_tls_ports = {direct_tls}
http_ports = {{ {http_port} }}
http_interfaces = {{ {host} }}
{https}
{federation}
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
    -- muc_moderation (XEP-0425) is from Debian's prosody-modules.
    modules_enabled = {{ "muc_mam", "muc_moderation" }}
    muc_room_locking = false -- new rooms are usable at once by all
    ssl = {ssl}

Component "{upload}" "http_file_share"
    http_host = {host} -- slot URLs point at the loopback http port
    ssl = {ssl}

Component "{crowd}" "natter_crowd"

Component "{pubsub}" "pubsub"
    ssl = {ssl}
""".format(pidfile=q(self.pidfile), host=q(self.host),
           https=self._https_config(),
           federation=self._federation_config(), data=q(self.data_dir),
           level=q(level),
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
           crowd=self.crowd_domain, pubsub=self.pubsub_domain,
           plugins=q(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  "prosody_plugins")))
        with open(self.config_path, "w") as f:
            f.write(cfg)

    def _command(self):
        return ["prosody", "-F", "--config", self.config_path], None

    def _port_taken(self):
        return re.search(r"Failed to open server port|Error binding "
                         r"encrypted", self._log_since_launch()) is not None

    def _ready(self):
        # A TCP accept alone only proves the port is bound; stream features
        # for our domain prove the event loop runs with the host loaded.
        if not self.tls:
            return has_starttls(self.host, self.port, self.domain,
                                want=False)
        return (has_starttls(self.host, self.port, self.domain)
                and util.port_open(self.host, self.tls_port)
                and util.port_open(self.host, self.http_port)
                and (not self.https_upload
                     or util.port_open(self.host, self.https_port)))

    def _before_stop(self):
        if self._admin is not None:
            try:
                self._admin.close()
            except OSError:
                pass
            self._admin = None

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

    def prosodyctl(self, *args, check=True):
        """Run prosodyctl against this server's config."""
        return subprocess.run(["prosodyctl", "--config", self.config_path,
                               *args], capture_output=True, text=True,
                              check=check, stdin=subprocess.DEVNULL)

    # -- diagnostics --

    def logins(self, jid):
        return self.log_lines_matching(r"Authenticated as %s$"
                                       % re.escape(jid))

    def resumptions(self, jid):
        # "c2s55 debug mod_smacks session resumed from c2s66..." names the
        # session, not the JID: each session's login line does.
        sessions = {line.split()[3] for line in self.logins(jid)}
        return [line for line in self.log_lines_matching(
            r"mod_smacks session resumed from ")
            if line.split()[3] in sessions]

    closed_by_client = "connection closed"

    def _session_ends(self, jid):
        # "c2s5581 info Authenticated as JID", then, for that session,
        # "c2s5581 info Client disconnected: REASON".
        auth = re.compile(r"^\S+ \S+ \S+ (c2s\w+)\s+info\s+Authenticated "
                          r"as %s$" % re.escape(jid))
        ends = []
        for line in self.logins(jid):
            m = auth.match(line.rstrip("\n"))
            if not m:
                continue
            ended = self.log_lines_matching(r"%s\s+info\s+Client "
                                            r"disconnected: " % m.group(1))
            if ended:
                ends.append(ended[-1].split("Client disconnected: ",
                                            1)[1].strip())
        return ends
