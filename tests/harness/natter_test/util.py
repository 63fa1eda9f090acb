# Shared plumbing for the natter test harness: one cleanup registry run on
# exit or on a fatal signal, condition polling with a deadline, free loopback
# ports, and child-process helpers.
import atexit
import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

# Debian's interpreter: it has python3-slixmpp; the pyenv one in PATH does not.
PYTHON = "/usr/bin/python3"

HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS_DIR = os.path.dirname(HARNESS_DIR)
REPO_DIR = os.path.dirname(TESTS_DIR)
BOTS_DIR = os.path.join(TESTS_DIR, "bots")

POLL_INTERVAL = 0.02


# --- cleanup registry -------------------------------------------------------

_lock = threading.RLock()
_cleanups = {}  # token -> (description, fn); run newest first
_next_token = 0
_installed = False


def _run_cleanups():
    with _lock:
        items = sorted(_cleanups.items(), reverse=True)
        _cleanups.clear()
    for _token, (what, fn) in items:
        try:
            fn()
        except BaseException as exc:  # cleanup must go on whatever happens
            sys.stderr.write("# cleanup of %s failed: %r\n" % (what, exc))


def _on_signal(signum, _frame):
    # Turning the signal into SystemExit unwinds `with` blocks and finally
    # clauses first; atexit then runs whatever is still registered.
    raise SystemExit(128 + signum)


def _install():
    global _installed
    if _installed:
        return
    _installed = True
    atexit.register(_run_cleanups)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # Leave alone a handler the program chose itself.
            if signal.getsignal(sig) == signal.SIG_DFL:
                signal.signal(sig, _on_signal)
        # SIGINT already raises KeyboardInterrupt unless someone changed it.


def on_cleanup(what, fn):
    """Register fn to run at exit (or fatal signal); returns a token."""
    global _next_token
    with _lock:
        _install()
        _next_token += 1
        _cleanups[_next_token] = (what, fn)
        return _next_token


def cancel_cleanup(token):
    with _lock:
        _cleanups.pop(token, None)


# --- waiting ----------------------------------------------------------------

def wait_until(cond, timeout, what="condition", interval=POLL_INTERVAL,
               on_timeout=None):
    """Poll cond() until it returns a true value, which is returned.

    Raises TimeoutError after `timeout` seconds; on_timeout() (if given)
    supplies extra text for the error, e.g. a log tail.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() >= deadline:
            extra = ""
            if on_timeout is not None:
                extra = "\n" + str(on_timeout())
            raise TimeoutError("timed out after %.1f s waiting for %s%s"
                               % (timeout, what, extra))
        time.sleep(interval)


# --- network ----------------------------------------------------------------

def free_ports(n, host="127.0.0.1"):
    """n distinct TCP ports nobody listens on right now (bind 0, read,
    close). All are held open until all are read: the kernel readily hands
    out a just-closed port again."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(s)
            s.bind((host, 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port(host="127.0.0.1"):
    return free_ports(1, host)[0]


def port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# --- processes --------------------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _child_setup(parent_pid):
    # If the test process is SIGKILLed, no cleanup code runs: have the kernel
    # send SIGTERM to the child instead. Only used for children started from
    # the main thread (the signal fires when the *thread* that forked dies).
    def setup():
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:
            os._exit(1)
    return setup


def popen(args, **kw):
    """subprocess.Popen in its own session, killed if we die uncleanly."""
    kw.setdefault("start_new_session", True)
    if threading.current_thread() is threading.main_thread():
        kw.setdefault("preexec_fn", _child_setup(os.getpid()))
    return subprocess.Popen(args, **kw)


def pid_alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def terminate(proc, timeout=5.0, sig=signal.SIGTERM):
    """Stop a Popen: sig, wait up to timeout, then SIGKILL. Returns code."""
    if proc.poll() is not None:
        return proc.returncode
    try:
        proc.send_signal(sig)
    except ProcessLookupError:
        pass
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def tail(path, n=40):
    """Last n lines of a text file ('' if it does not exist)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 256 * 1024))
            data = f.read()
    except OSError:
        return ""
    lines = data.decode("utf-8", "replace").splitlines()
    return "\n".join(lines[-n:])


def diag(text, stream=None):
    """Write text as TAP diagnostics (every line prefixed with '# ')."""
    stream = stream or sys.stderr
    for line in str(text).splitlines() or [""]:
        stream.write("# " + line + "\n")
    stream.flush()


# --- line-oriented output of a child ------------------------------------------

class LineLog:
    """Lines read from a pipe by a background thread, kept as a transcript.

    expect() consumes lines in order: it returns the match in the first line
    after the previous expect()'s line, so a test reads output like a story.
    lines_matching() looks at the whole transcript, for checks of absence
    made after a positive synchronisation point.
    """

    def __init__(self, pipe, name, decode=True):
        self.name = name
        self.lines = []
        self.pos = 0
        self.eof = False
        self.cond = threading.Condition()
        self._decode = decode
        self.thread = threading.Thread(target=self._read, args=(pipe,),
                                       name="reader-" + name, daemon=True)
        self.thread.start()

    def _read(self, pipe):
        try:
            for raw in iter(pipe.readline, b""):
                line = raw.rstrip(b"\n")
                if line.endswith(b"\r"):
                    line = line[:-1]
                if self._decode:
                    line = line.decode("utf-8", "surrogateescape")
                with self.cond:
                    self.lines.append(line)
                    self.cond.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self.cond:
                self.eof = True
                self.cond.notify_all()

    def expect(self, regex, timeout=10.0, alive=None):
        """re.Match of the first new line matching regex.

        Raises AssertionError on timeout or when output ends first; alive()
        returning False also ends the wait early (the child died).
        """
        rx = re.compile(regex)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                while self.pos < len(self.lines):
                    line = self.lines[self.pos]
                    self.pos += 1
                    m = rx.search(line)
                    if m:
                        return m
                if self.eof:
                    why = "its output ended"
                    break
                if alive is not None and not alive():
                    # The child died: give the reader thread a moment to
                    # hand over what was still in the pipe.
                    self.cond.wait_for(lambda: self.eof or
                                       self.pos < len(self.lines), 0.5)
                    if self.pos < len(self.lines):
                        continue
                    why = "the process exited"
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    why = "%.1f s passed" % timeout
                    break
                # Woken by each new line; with alive(), also every 0.2 s so
                # a death is noticed even if a grandchild keeps the pipe.
                self.cond.wait(min(left, 0.2) if alive else left)
        raise AssertionError("%s: no line matching %r: %s\nlast lines:\n%s"
                             % (self.name, regex, why, self.tail(15)))

    def lines_matching(self, regex):
        rx = re.compile(regex)
        with self.cond:
            return [line for line in self.lines if rx.search(line)]

    def wait_eof(self, timeout):
        with self.cond:
            return self.cond.wait_for(lambda: self.eof, timeout)

    def tail(self, n=20):
        with self.cond:
            return "\n".join(str(line) for line in self.lines[-n:])

    def transcript(self):
        with self.cond:
            return "\n".join(str(line) for line in self.lines)
