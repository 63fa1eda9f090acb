# Drives `natter --headless` through its stdin/stdout: each output line is
# "[BUFFER] TEXT" (BUFFER: "natter" for the global console, the account name
# for an account's console, "ACCOUNT/PEER" for a chat); each input line is
# what a person would type at the prompt.
#
#   with Headless(["-a", "alice"], accounts={"alice": account_settings(
#           prosody, "alice", "pw")}) as n:
#       n.expect_buffer("alice", r"connected")
#       n.send("/msg bot@localhost hello")
#       n.expect_buffer("alice/bot@localhost", r"echo: hello")
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile

from . import util

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "ERROR SUMMARY: [1-9]")


def natter_path():
    """The binary under test: $NATTER, else src/natter in the build dir
    ($NATTER_BUILDDIR, else the current directory, else the source tree,
    else run-tests' _build/default)."""
    path = os.environ.get("NATTER")
    if path:
        return os.path.abspath(path)
    for base in (os.environ.get("NATTER_BUILDDIR"), os.getcwd(),
                 util.REPO_DIR, os.path.join(util.REPO_DIR, "_build",
                                             "default")):
        if base and os.path.exists(os.path.join(base, "src", "natter")):
            return os.path.abspath(os.path.join(base, "src", "natter"))
    raise FileNotFoundError("natter binary not found: build it or set NATTER")


def account_settings(prosody, localpart, password, tls="starttls",
                     resource=None, **extra):
    """Settings for one [account] group of natter's accounts file, pointing
    at `prosody` and trusting its CA. extra: more keys (or overrides; a value
    of None drops the key)."""
    jid = localpart if "@" in localpart else "%s@%s" % (localpart,
                                                        prosody.domain)
    s = {"jid": jid, "password": password, "server": prosody.host,
         "port": prosody.tls_port if tls == "direct" else prosody.port,
         "tls": tls, "cafile": prosody.cafile}
    if resource:
        s["resource"] = resource
    s.update(extra)
    return {k: v for k, v in s.items() if v is not None}


def keyfile_value(value):
    """A value escaped for GKeyFile (g_key_file_get_string reverses it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    s = str(value)
    s = (s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
         .replace("\r", "\\r"))
    if s.startswith(" "):
        s = "\\s" + s[1:]
    return s


def write_keyfile(path, groups):
    """Write {group: {key: value}} as a GKeyFile, mode 0600."""
    lines = ["# Written by natter_test for one test."]
    for name, keys in groups.items():
        if not name or any(c in name for c in "[]\n"):
            raise ValueError("bad group name %r" % name)
        lines.append("")
        lines.append("[%s]" % name)
        for key, value in keys.items():
            lines.append("%s=%s" % (key, keyfile_value(value)))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)  # also when the file existed with other bits


def clean_env(home, extra=None):
    """A small, predictable environment: nothing of the user's leaks in."""
    env = {"HOME": home, "LANG": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin",
           "XDG_CONFIG_HOME": os.path.join(home, ".config"),
           "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
           "XDG_CACHE_HOME": os.path.join(home, ".cache"),
           "XDG_RUNTIME_DIR": os.path.join(home, "run")}
    for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
                "G_DEBUG", "G_SLICE", "NATTER_DEBUG"):
        if key in os.environ:
            env[key] = os.environ[key]
    if extra:
        env.update(extra)
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    return env


class Headless:
    def __init__(self, args=(), accounts=None, natter=None, env=None,
                 name="natter", start_timeout=None, restore=False):
        """args: extra arguments (e.g. ["-a", "alice", "-e", "/cmd"]).
        accounts: written with write_accounts() before start.
        restore: reopen the windows of the last session at each start
        (natter's default); tests that restart natter start from the
        same windows each time unless they ask for it (--no-restore)."""
        self.natter = natter or natter_path()
        self.args = ([] if restore else ["--no-restore"]) + list(args)
        self.name = name
        self.tmp = tempfile.mkdtemp(prefix="natter-headless-")
        self._token = util.on_cleanup(name + " " + self.tmp, self.close)
        self.config_dir = os.path.join(self.tmp, "config")
        self.data_dir = os.path.join(self.tmp, "data")
        self.home = os.path.join(self.tmp, "home")
        for d in (self.config_dir, self.data_dir, self.home):
            os.makedirs(d, mode=0o700)
        self.env = clean_env(self.home, env)
        self.proc = None
        self.out = None
        self._err = None
        self._stopped_by_us = False
        self.returncode = None
        if accounts:
            self.write_accounts(accounts)

    # -- setup --

    def write_accounts(self, accounts):
        """accounts: {name: {jid, password, server, port, tls, cafile,
        resource, ...}} -> <config-dir>/accounts, mode 0600."""
        write_keyfile(os.path.join(self.config_dir, "accounts"), accounts)

    def command(self):
        # $NATTER_WRAPPER runs natter under e.g. "valgrind -q --error-exitcode=99".
        wrapper = shlex.split(os.environ.get("NATTER_WRAPPER", ""))
        return wrapper + [self.natter, "--headless",
                          "--config-dir", self.config_dir,
                          "--data-dir", self.data_dir] + self.args

    def start(self):
        self._err = tempfile.TemporaryFile()
        self.proc = util.popen(self.command(), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=self._err,
                               cwd=self.home, env=self.env)
        self.out = util.LineLog(self.proc.stdout, self.name)
        return self

    # -- context manager --

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        failed = exc_type is not None and not issubclass(exc_type, SystemExit)
        try:
            self.stop()
            if not failed:
                self.check_no_crash()
        except BaseException:
            failed = True
            raise
        finally:
            if failed:
                self.dump()
            self.close()
        return False

    # -- input and output --

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def send(self, line):
        """Type one line (a command or a message, or a password)."""
        if "\n" in line:
            raise ValueError("one line at a time")
        try:
            self.proc.stdin.write(line.encode("utf-8", "surrogateescape")
                                  + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise AssertionError("%s: cannot send %r: natter has exited "
                                 "(status %s)" % (self.name, line,
                                                  self.proc.poll())) from None

    def expect(self, regex, timeout=10.0):
        """re.Match of the first new output line matching regex; lines
        before it are consumed (they stay in the transcript)."""
        return self.out.expect(regex, timeout, alive=self.alive)

    def expect_buffer(self, buffer, regex, timeout=10.0):
        """Like expect(), for a line of BUFFER whose text matches regex."""
        return self.expect(r"^\[%s\] (?:.*?)(?:%s)" % (re.escape(buffer),
                                                       regex), timeout)

    def answer_password(self, password, timeout=10.0):
        """Wait for natter's password prompt and type the password."""
        m = self.expect(r"(?i)password for ([^\s:]+)", timeout)
        self.send(password)
        return m

    def lines_matching(self, regex):
        """All output lines so far matching regex (for absence checks made
        after a positive synchronisation point)."""
        return self.out.lines_matching(regex)

    def transcript(self):
        return self.out.transcript() if self.out else ""

    def stderr(self):
        if self._err is None:
            return ""
        try:
            fd = self._err.fileno()
            return os.pread(fd, os.fstat(fd).st_size, 0).decode(
                "utf-8", "replace")
        except (OSError, ValueError):
            return ""

    # -- ending --

    def wait_exit(self, timeout=10.0):
        """Wait for natter to exit by itself (e.g. after /quit)."""
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("%s still running after %.1f s"
                                 % (self.name, timeout)) from None
        self.out.wait_eof(2.0)
        return self.returncode

    def stop(self, timeout=5.0):
        """End natter if still running: EOF on stdin first (as a person
        closing the input would), then SIGTERM, then SIGKILL."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self._stopped_by_us = True
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                util.terminate(self.proc, timeout)
        self.returncode = self.proc.returncode
        self.out.wait_eof(2.0)
        return self.returncode

    def kill(self):
        """SIGKILL natter, as the OOM killer would (not counted as a
        crash); returns its exit status."""
        self._stopped_by_us = True
        self.proc.kill()
        return self.wait_exit(10)

    def check_no_crash(self):
        """Fail if natter died of a signal we did not send, or a sanitizer
        or valgrind reported an error."""
        code = self.returncode
        if code is not None and code < 0 and not (
                self._stopped_by_us and -code in (signal.SIGTERM,
                                                  signal.SIGKILL)):
            raise AssertionError("%s died of signal %d" % (self.name, -code))
        err = self.stderr()
        for mark in SANITIZER_MARKS:
            if re.search(mark, err):
                raise AssertionError("%s: %s in stderr" % (self.name, mark))

    def dump(self):
        util.diag("--- %s transcript ---\n%s\n--- %s stderr ---\n%s"
                  % (self.name, self.transcript(), self.name, self.stderr()))

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            util.terminate(self.proc, 2.0)
        for f in (self.proc.stdin if self.proc else None,
                  self.proc.stdout if self.proc else None):
            if f:
                try:
                    f.close()
                except OSError:
                    pass
        util.cancel_cleanup(self._token)
        if os.environ.get("NATTER_TEST_KEEP"):
            util.diag("kept %s dir %s" % (self.name, self.tmp))
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
