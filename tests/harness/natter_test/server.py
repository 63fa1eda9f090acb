# What the test servers (prosody.Prosody, ejabberd.Ejabberd) have in
# common: a temp dir of their own, a CA and a server certificate, free
# loopback ports (tried again if another process takes one first), a
# process started in the foreground and stopped by its pid (also when a
# test fails), and their log. A subclass writes its config, names its
# command, says when it is ready and manages accounts its own way.
#
# The same names on both: domain, muc_domain, upload_domain, pubsub_domain,
# host, port (c2s STARTTLS), tls_port (c2s direct TLS), http_port, cafile,
# other_cafile, certfile, keyfile, dir, log_path, pid; start() stop() kill()
# restart() close() running(), create_user() delete_user() user_exists()
# add_contacts() make_mutual(), logins(jid), resumptions(jid),
# session_end(jid), log_tail(), log_lines_matching().
import os
import re
import shutil
import signal
import subprocess
import tempfile

from . import util
from .certs import make_ca, make_cert

S2S_PORT = 5269  # what a server dials when DNS gives it no SRV record


class PortInUse(RuntimeError):
    pass


class Server:
    name = "server"          # "prosody", "ejabberd": what tests select on
    host = "127.0.0.1"
    domain = "localhost"
    n_ports = 3              # port, tls_port, http_port
    start_timeout = 20.0     # seconds: a hang detector, not a figure

    def __init__(self, debug=None, directory=None, cert_names=None,
                 domain=None, federation=None):
        """directory: a fixed dir to use (kept after stop) instead of a
        fresh temp dir that is removed. cert_names: DNS names for the
        server certificate (default: the domains served). domain: the
        domain served (default localhost). federation: a
        federation.Network this server joins: it then listens on its own
        loopback address, with s2s on port 5269, and finds the other
        servers through the network's name map."""
        if debug is None:
            debug = os.environ.get("NATTER_TEST_%s_DEBUG"
                                   % self.name.upper()) == "1"
        self.debug = debug
        self._fixed_dir = directory
        self.federation = federation
        if domain:
            self.domain = domain
        self.muc_domain = "conference." + self.domain
        self.upload_domain = "upload." + self.domain
        self.pubsub_domain = "pubsub." + self.domain
        self.cert_names = cert_names or self.served_domains()
        if federation is not None:
            self.host = federation.add(self)
        self.dir = None
        self.proc = None
        self.pid = None
        self.port = self.tls_port = self.http_port = None
        self._cleanup_token = None
        self._out = None
        self._log_offset = self._out_offset = 0

    def served_domains(self):
        """Every domain this server answers for (its certificate's names,
        and what federation must resolve to it)."""
        return [self.domain, self.muc_domain, self.upload_domain,
                self.pubsub_domain]

    # -- what a subclass provides --

    def _prepare(self):
        """Once, in the new dir: paths and directories of the server."""

    def _write_config(self):
        raise NotImplementedError

    def _command(self):
        """(argv, env or None) that run the server in the foreground."""
        raise NotImplementedError

    def _ready(self):
        """True once the server serves its domain."""
        raise NotImplementedError

    def _port_taken(self):
        """True if the log since the launch says a port was taken."""
        raise NotImplementedError

    def _before_stop(self):
        """Close what talks to the running server (admin connections)."""

    # -- lifecycle --

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start(self):
        if self.dir is not None:
            self._write_config()
            self._launch()
            return
        if self._fixed_dir:
            self.dir = self._fixed_dir
            os.makedirs(self.dir, exist_ok=True)
        else:
            self.dir = tempfile.mkdtemp(prefix="natter-%s-" % self.name)
        self._cleanup_token = util.on_cleanup("%s %s" % (self.name, self.dir),
                                              self.close)
        self.out_path = os.path.join(self.dir, self.name + ".out")
        self._make_certs()
        self._prepare()
        # Another process may take a port between our probe and the
        # server's bind: then try again with other ports.
        for attempt in range(3):
            ports = util.free_ports(self.n_ports, self.host)
            self.port, self.tls_port, self.http_port = ports[:3]
            self._extra_ports = ports[3:]
            self._write_config()
            try:
                self._launch()
                return
            except PortInUse:
                if attempt == 2:
                    raise

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

    def _launch(self):
        if self.running():
            raise RuntimeError("%s is already running" % self.name)
        self._log_offset = _size(self.log_path)
        self._out_offset = _size(self.out_path)
        self._out = open(self.out_path, "ab")
        argv, env = self._command()
        self.proc = util.popen(argv, stdin=subprocess.DEVNULL,
                               stdout=self._out, stderr=subprocess.STDOUT,
                               cwd=self.dir, env=env)
        self.pid = self.proc.pid
        try:
            util.wait_until(self._ready_or_dead, self.start_timeout,
                            "%s to serve c2s" % self.name,
                            on_timeout=lambda: self.log_tail(30))
        except BaseException:
            self._terminate()
            raise

    def _ready_or_dead(self):
        # Prosody runs on without a port it could not bind (our probe
        # might even reach whoever holds it); ejabberd exits.
        if self._port_taken():
            raise PortInUse("%s could not bind its ports\n%s"
                            % (self.name, self.log_tail(30)))
        if self.proc.poll() is not None:
            raise RuntimeError("%s exited with status %s at start\n%s"
                               % (self.name, self.proc.returncode,
                                  self.log_tail(30)))
        return self._ready()

    def _terminate(self, timeout=10.0, sig=signal.SIGTERM):
        self._before_stop()
        code = None
        if self.proc is not None:
            code = util.terminate(self.proc, timeout, sig)
            # What the server started (Erlang's helpers) goes with it.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
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
        self.start()

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
                util.diag("kept %s dir %s" % (self.name, self.dir))
            else:
                shutil.rmtree(self.dir, ignore_errors=True)

    # -- accounts --

    def make_mutual(self, a, b, a_name=None, b_name=None):
        """Make localparts a and b contacts of each other (subscription
        both); a_name is how b's roster names a, and the other way."""
        self.add_contacts(a, {"%s@%s" % (b, self.domain): {"name": b_name}})
        self.add_contacts(b, {"%s@%s" % (a, self.domain): {"name": a_name}})

    # -- diagnostics --

    def logins(self, jid):
        """The log lines of every successful login of bare JID so far."""
        raise NotImplementedError

    def resumptions(self, jid):
        """The log lines of every stream management resumption (XEP-0198)
        of a session of bare JID (Prosody: only with debug on)."""
        raise NotImplementedError

    # The server's words for a session whose client closed its stream.
    closed_by_client = None

    def _session_ends(self, jid):
        """The server's words for each ended c2s session of bare JID."""
        raise NotImplementedError

    def session_end(self, jid, timeout=10.0):
        """How the server saw the last c2s session of bare JID end:
        "closed" when the client closed its stream (</stream:stream>),
        else the server's own words (a client that just went away).
        Waits for the log line, which the server writes asynchronously."""
        ends = util.wait_until(lambda: self._session_ends(jid), timeout,
                               "the end of %s's session in the %s log"
                               % (jid, self.name),
                               on_timeout=lambda: self.log_tail(20))
        return "closed" if ends[-1] == self.closed_by_client else ends[-1]

    def log_tail(self, n=40):
        text = util.tail(self.log_path, n)
        out = util.tail(getattr(self, "out_path", ""), 10)
        if out:
            text += "\n--- %s stdout/stderr ---\n%s" % (self.name, out)
        return text

    def _log_since_launch(self):
        """What the server logged since the last launch, and printed."""
        return (_read_from(self.log_path, self._log_offset) +
                _read_from(self.out_path, self._out_offset))

    def log_lines_matching(self, regex):
        """Lines of the server's log matching regex (for absence checks)."""
        rx = re.compile(regex)
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return [line for line in f if rx.search(line)]
        except FileNotFoundError:
            return []


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _read_from(path, offset):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""
