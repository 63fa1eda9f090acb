# A private ejabberd 23.01 for tests, the second server beside Prosody:
# own temp dir, config, Mnesia spool, CA and certificate, loopback-only
# ports, accounts made through its HTTP API (mod_http_api on a loopback
# listener, a few milliseconds a call, where each ejabberdctl call starts
# an Erlang node of its own).
#
#   with Ejabberd() as e:
#       e.create_user("alice", "pw")
#       ... the same attributes and methods as prosody.Prosody (server.py)
#
# The Erlang VM is started directly, not through ejabberdctl: ejabberdctl
# runs only as root or as the user ejabberd (switching to it with su), reads
# the system's ejabberdctl.cfg, and lets the node register with epmd, the
# machine-wide port mapper. Here the node has its own name and listens for
# Erlang distribution on a port of its own (-erl_epmd_port), so no epmd is
# started or asked, and nothing of the system's ejabberd is used but its
# code. See tests/harness/NOTES.md.
import glob
import http.client
import json
import os
import re
import secrets
import subprocess

from . import util
from .certs import has_starttls
from .server import S2S_PORT, Server

# What this ejabberd does not do like Prosody, for tests to skip with the
# reason (tap.require()). Keys are the names tests use.
LACKS = {
    "pep-bookmarks": "ejabberd 23.01 has no PEP bookmarks (XEP-0402 came "
                     "in 23.10): natter keeps them in private storage",
    "blocking-presence": "ejabberd 23.01 sends a contact we block no "
                         "unavailable presence (XEP-0191 asks for one)",
}


def ensure_installed():
    """Install ejabberd with the project's script if the machine lacks it."""
    if ebin_root():
        return
    script = os.path.join(util.REPO_DIR, "tools", "install-deps")
    subprocess.run([script, "test"], check=True)
    if not ebin_root():
        raise RuntimeError("ejabberd is still missing after "
                           "tools/install-deps")


def ebin_root():
    """The directory holding ejabberd-VERSION/ebin (Debian puts it under
    the multiarch lib dir), or None."""
    for ebin in glob.glob("/usr/lib/*/ejabberd-*/ebin/ejabberd.beam") + \
            glob.glob("/usr/lib/erlang/lib/ejabberd-*/ebin/ejabberd.beam"):
        return os.path.dirname(os.path.dirname(os.path.dirname(ebin)))
    return None


class Ejabberd(Server):
    """One ejabberd server. Use as a context manager or call start()/stop().

    Attributes as Prosody's (server.Server), plus node (the Erlang node
    name), dist_port (its distribution port), config_path, spool_dir.
    """

    name = "ejabberd"
    n_ports = 4  # port, tls_port, http_port, Erlang distribution
    # 2 s of CPU to start: on a busy machine (two test runs at once, one
    # under ASan) it has taken 8 s.
    start_timeout = 40.0

    def __init__(self, debug=None, directory=None, cert_names=None,
                 domain=None, federation=None, allow_registration=False,
                 pep_bookmarks=False, admins=()):
        """As Prosody's. pep_bookmarks: this version has none to offer
        (LACKS), whatever is asked."""
        super().__init__(debug=debug, directory=directory,
                         cert_names=cert_names, domain=domain,
                         federation=federation)
        self.allow_registration = allow_registration
        self.admins = admins
        self.node = "natter-%s@localhost" % secrets.token_hex(4)
        self._http = None

    def start(self):
        ensure_installed()
        super().start()

    def _prepare(self):
        self.config_path = os.path.join(self.dir, "ejabberd.yml")
        self.log_path = os.path.join(self.dir, "ejabberd.log")
        self.spool_dir = os.path.join(self.dir, "spool")
        self.upload_dir = os.path.join(self.dir, "upload")
        self.inetrc_path = os.path.join(self.dir, "inetrc")
        for d in (self.spool_dir, self.upload_dir):
            os.makedirs(d, exist_ok=True)
        # ejabberd reads certificate and key from one file.
        self.pemfile = os.path.join(self.dir, "certs", "server-and-key.pem")
        self._write_pem()
        self.cookie = secrets.token_hex(16)

    def _write_pem(self):
        with open(self.pemfile, "w") as out:
            for path in (self.certfile, self.keyfile):
                with open(path) as f:
                    out.write(f.read())

    def replace_certificate(self):
        super().replace_certificate()
        self._write_pem()

    # -- config --

    def _config(self):
        """The config as a dict; written as JSON, which ejabberd's YAML
        reader takes as it is."""
        listen = [
            {"port": self.port, "ip": self.host, "module": "ejabberd_c2s",
             "starttls_required": True, "max_stanza_size": 262144},
            {"port": self.tls_port, "ip": self.host,
             "module": "ejabberd_c2s", "tls": True,
             "max_stanza_size": 262144},
            {"port": self.http_port, "ip": self.host,
             "module": "ejabberd_http",
             "request_handlers": {"/api": "mod_http_api",
                                  "/upload": "mod_http_upload"}},
        ]
        modules = {
            "mod_adhoc": {}, "mod_admin_extra": {}, "mod_blocking": {},
            "mod_caps": {}, "mod_carboncopy": {}, "mod_client_state": {},
            "mod_disco": {}, "mod_http_api": {}, "mod_last": {},
            # Archive everything, as Prosody does by default (ejabberd's
            # default is to archive nothing until the client asks).
            "mod_mam": {"default": "always"},
            "mod_muc": {"host": self.muc_domain,
                        "access_mam": ["allow"],
                        "default_room_options": {"mam": True}},
            "mod_muc_admin": {},
            # Messages to an offline user wait for the next login, as with
            # Prosody (whose mod_offline is always loaded).
            "mod_offline": {}, "mod_ping": {}, "mod_privacy": {},
            "mod_private": {},
            "mod_pubsub": {"host": self.pubsub_domain,
                           "plugins": ["flat", "pep"]},
            "mod_roster": {"versioning": True},
            "mod_stream_mgmt": {}, "mod_time": {}, "mod_vcard": {},
            "mod_version": {},
            "mod_http_upload": {
                "host": self.upload_domain, "docroot": self.upload_dir,
                "put_url": "http://%s:%d/upload" % (self.host,
                                                   self.http_port)},
        }
        if self.allow_registration:
            modules["mod_register"] = {"ip_access": "all"}
        acl = {"loopback": {"ip": ["127.0.0.0/8"]}}
        access_rules = {}
        if self.admins:
            # The administration commands (XEP-0133) and announcements.
            acl["admin"] = {"user": ["%s@%s" % (a, self.domain)
                                     for a in self.admins]}
            access_rules["configure"] = {"allow": "admin"}
            access_rules["announce"] = {"allow": "admin"}
            modules["mod_configure"] = {}
            modules["mod_announce"] = {"access": "announce"}
        config = {
            "hosts": [self.domain],
            "loglevel": "debug" if self.debug else "info",
            "log_rotate_count": 0,
            "hide_sensitive_log_data": False,
            "certfiles": [self.pemfile],
            "listen": listen,
            "auth_password_format": "scram",
            "acl": acl,
            # The harness's own calls over the loopback HTTP API.
            "api_permissions": {"natter harness": {
                "from": ["mod_http_api"], "who": {"acl": "loopback"},
                "what": "*"}},
            "shaper_rules": {"max_user_sessions": 100,
                             "max_user_offline_messages": 100000},
            "modules": modules,
        }
        if access_rules:
            config["access_rules"] = access_rules
        if self.federation is not None:
            listen.append({"port": S2S_PORT, "ip": self.host,
                           "module": "ejabberd_s2s_in"})
            # No server trusts another's private CA: TLS without
            # authentication, then dialback.
            config["s2s_use_starttls"] = "optional"
            modules["mod_s2s_dialback"] = {}
        else:
            config["s2s_access"] = "none"
        return config

    def _write_config(self):
        with open(self.config_path, "w") as f:
            json.dump(self._config(), f, indent=1)
        # Erlang's own resolver asks no DNS server (an SRV lookup of a
        # federation test would otherwise wait for the machine's).
        with open(self.inetrc_path, "w") as f:
            f.write("{resolv_conf, \"\"}.\n")

    def _command(self):
        (dist_port,) = self._extra_ports
        self.dist_port = dist_port
        argv = ["erl", "-sname", self.node, "-setcookie", self.cookie,
                # Distribution on a port of our own: no epmd.
                "-erl_epmd_port", str(dist_port), "-start_epmd", "false",
                "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
                "-noinput", "+K", "true", "+P", "250000",
                "-mnesia", "dir", '"%s"' % self.spool_dir, "-s", "ejabberd"]
        if self.federation is not None:
            # ejabberd finds its peers with getaddrinfo(): give it the
            # federation's map as /etc/hosts, in a mount namespace of its
            # own (private propagation: the machine's file is untouched).
            argv = ["unshare", "--mount", "--propagation", "private",
                    "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"',
                    self.federation.hosts_file] + argv
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            # Erlang writes a cookie file into HOME when it has none.
            "HOME": self.dir, "LANG": "C.UTF-8",
            "EJABBERD_CONFIG_PATH": self.config_path,
            "EJABBERD_LOG_PATH": self.log_path,
            "ERL_LIBS": ebin_root(),
            "ERL_INETRC": self.inetrc_path,
            "ERL_CRASH_DUMP": os.path.join(self.dir, "erl_crash.dump"),
            "ERL_CRASH_DUMP_BYTES": "0",
            "CONTRIB_MODULES_PATH": os.path.join(self.dir, "contrib"),
        }
        return argv, env

    def _port_taken(self):
        # The listener's start fails with eaddrinuse, and ejabberd exits.
        return "eaddrinuse" in self._log_since_launch()

    def _ready(self):
        if not re.search(r"ejabberd \S+ is started in the node",
                         self._log_since_launch()):
            return False
        return (has_starttls(self.host, self.port, self.domain)
                and util.port_open(self.host, self.tls_port)
                and util.port_open(self.host, self.http_port))

    def close(self):
        # Its orderly shutdown takes a second or two, for data about to be
        # removed: kill it, unless the dir is kept.
        if not (self._fixed_dir or os.environ.get("NATTER_TEST_KEEP")):
            self.kill()
        super().close()

    def _before_stop(self):
        if self._http is not None:
            self._http.close()
            self._http = None

    # -- accounts, through the HTTP API (mod_admin_extra's commands) --

    def api(self, command, **args):
        """Call one API command; returns its decoded JSON answer. Raises
        RuntimeError when ejabberd refuses it."""
        body = json.dumps(args).encode()
        for attempt in (1, 2):
            if self._http is None:
                self._http = http.client.HTTPConnection(self.host,
                                                        self.http_port,
                                                        timeout=10)
            try:
                self._http.request("POST", "/api/" + command, body,
                                   {"Content-Type": "application/json"})
                r = self._http.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed an idle keep-alive connection.
                self._http.close()
                self._http = None
                if attempt == 2:
                    raise
        text = data.decode("utf-8", "replace")
        if r.status != 200:
            raise RuntimeError("ejabberd API %s %r: %d %s"
                               % (command, args, r.status, text))
        return json.loads(text) if text else None

    def create_user(self, localpart, password):
        """Create localpart@domain; returns the bare JID."""
        self.api("register", user=localpart, host=self.domain,
                 password=password)
        return "%s@%s" % (localpart, self.domain)

    def delete_user(self, localpart):
        self.api("unregister", user=localpart, host=self.domain)

    def user_exists(self, localpart):
        return self.api("check_account", user=localpart,
                        host=self.domain) == 0

    def add_contacts(self, localpart, contacts):
        """As Prosody.add_contacts(), one API call per contact; a contact
        has at most one group here (the API takes one)."""
        if not isinstance(contacts, dict):
            contacts = {jid: {} for jid in contacts}
        for jid, item in contacts.items():
            groups = list(item.get("groups", ()))
            if len(groups) > 1:
                raise ValueError("ejabberd's add_rosteritem takes one group")
            user, host = jid.split("@", 1)
            self.api("add_rosteritem", localuser=localpart,
                     localhost=self.domain, user=user, host=host,
                     nick=item.get("name") or "",
                     group=groups[0] if groups else "",
                     subs=item.get("subscription", "both"))

    def logins(self, jid):
        return self.log_lines_matching(r"Accepted c2s \S+ authentication "
                                       r"for %s " % re.escape(jid))

    def resumptions(self, jid):
        return self.log_lines_matching(r"Resumed session for %s/"
                                       % re.escape(jid))

    # A stream end is, to ejabberd, a stream "reset"; a client that went
    # away is "Connection failed: connection closed".
    closed_by_client = "Stream reset by peer"

    def _session_ends(self, jid):
        rx = re.compile(r"Closing c2s session for %s/\S+: (.*)$"
                        % re.escape(jid))
        return [rx.search(line.rstrip("\n")).group(1)
                for line in self.log_lines_matching(rx.pattern)]
