# Drives a program in a real terminal as a person does: a private tmux server
# (own socket, no config) with one fixed-size session running the program in
# a clean environment; keys go in with send-keys, the screen comes out with
# capture-pane. The pane stays after the program exits, so a crash is seen.
#
#   with Tmux([natter, "--config-dir", d1, "--data-dir", d2]) as t:
#       t.wait_for(r"natter")
#       t.type("/help"); t.send_keys("Enter")
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from . import util

TERMINFO_DIRS = ("/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo")


def default_term():
    for term in ("tmux-256color", "screen-256color"):
        if any(os.path.exists(os.path.join(d, term[0], term))
               for d in TERMINFO_DIRS):
            return term
    return "screen"


class Tmux:
    def __init__(self, command, width=100, height=30, env=None, cwd=None,
                 term=None, home=None, name="tmux"):
        """command: argv list (run directly) or a string (run by /bin/sh).
        env: variables added to the clean environment (HOME, TERM, LANG,
        PATH). home: HOME for the program (default: a fresh temp dir)."""
        self.command = command
        self.width, self.height = width, height
        self.term = term or default_term()
        self.name = name
        self.tmp = tempfile.mkdtemp(prefix="natter-tmux-")
        self.socket = os.path.join(self.tmp, "tmux.sock")
        self.home = home or os.path.join(self.tmp, "home")
        os.makedirs(self.home, exist_ok=True)
        self.cwd = cwd or self.home
        self.extra_env = dict(env or {})
        self.target = "main"
        self.started = False
        self._pane_pid = None
        self._last_screen = ""
        self._token = util.on_cleanup(name + " " + self.tmp, self.close)

    # -- tmux plumbing --

    def tmux(self, *args, check=True):
        """Run a tmux command on our private server; returns stdout."""
        env = {k: v for k, v in os.environ.items() if k != "TMUX"}
        r = subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null",
                            *args], capture_output=True, text=True, env=env,
                           stdin=subprocess.DEVNULL)
        if check and r.returncode != 0:
            raise RuntimeError("tmux %s failed: %s" % (" ".join(args),
                                                       r.stderr.strip()))
        return r.stdout

    def _env_argv(self):
        env = {"HOME": self.home, "TERM": self.term, "LANG": "C.UTF-8",
               "PATH": "/usr/local/bin:/usr/bin:/bin"}
        for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if key in os.environ:
                env[key] = os.environ[key]
        env.update(self.extra_env)
        return ["/usr/bin/env", "-i"] + ["%s=%s" % kv for kv in env.items()]

    def start(self):
        if isinstance(self.command, str):
            argv = ["/bin/sh", "-c", self.command]
        else:
            argv = list(self.command)
        # One tmux invocation: the options hold before the program starts,
        # so even an instant exit leaves a dead pane to look at.
        self.tmux("start-server", ";",
                  "set-option", "-g", "remain-on-exit", "on", ";",
                  "set-option", "-g", "status", "off", ";",
                  "set-option", "-g", "escape-time", "0", ";",
                  "set-option", "-g", "default-terminal", self.term, ";",
                  "set-option", "-g", "history-limit", "5000", ";",
                  "new-session", "-d", "-s", self.target,
                  "-x", str(self.width), "-y", str(self.height),
                  "-c", self.cwd, "--", *(self._env_argv() + argv))
        self.started = True
        self._pane_pid = self.pane_pid()
        self.server_pid = int(self.display("#{pid}"))
        return self

    def __enter__(self):
        if not self.started:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and not issubclass(exc_type, SystemExit):
            self.dump()
        self.close()
        return False

    def display(self, fmt):
        return self.tmux("display-message", "-p", "-t", self.target,
                         fmt).rstrip("\n")

    # -- input --

    def send_keys(self, *keys):
        """tmux key names: "Enter", "C-a", "M-1", "PageUp", "Escape"..."""
        self.tmux("send-keys", "-t", self.target, *keys)

    def type(self, text):
        """Literal text, as typed (no key-name interpretation)."""
        self.tmux("send-keys", "-t", self.target, "-l", "--", text)

    # -- output --

    def screen(self, escapes=False):
        """The visible pane as text, one line per row (trailing blanks
        trimmed); escapes=True keeps colour/attribute sequences."""
        args = ["capture-pane", "-p", "-t", self.target]
        if escapes:
            args.append("-e")
        text = self.tmux(*args)
        if not escapes:
            self._last_screen = text
        return text

    def lines(self):
        return self.screen().split("\n")[:self.height]

    def wait_for(self, regex, timeout=10.0):
        """Poll the screen until regex matches; returns the re.Match."""
        rx = re.compile(regex, re.MULTILINE)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.screen())
            if m:
                return m
            if time.monotonic() >= deadline:
                raise AssertionError("%s: %r not on screen after %.1f s\n%s"
                                     % (self.name, regex, timeout,
                                        self.framed()))
            time.sleep(util.POLL_INTERVAL)

    def wait_gone(self, regex, timeout=10.0):
        """Poll the screen until regex no longer matches."""
        rx = re.compile(regex, re.MULTILINE)
        util.wait_until(lambda: not rx.search(self.screen()), timeout,
                        "%r to leave the screen" % regex,
                        on_timeout=self.framed)

    def cursor(self):
        """(row, col) of the cursor, 0-based."""
        y, x = self.display("#{cursor_y} #{cursor_x}").split()
        return int(y), int(x)

    def size(self):
        w, h = self.display("#{pane_width} #{pane_height}").split()
        return int(w), int(h)

    def resize(self, width, height):
        """Resize the terminal (the program gets SIGWINCH)."""
        self.tmux("resize-window", "-t", self.target, "-x", str(width),
                  "-y", str(height))
        self.width, self.height = width, height

    # -- the program --

    def pane_pid(self):
        return int(self.display("#{pane_pid}"))

    def pane_dead(self):
        return self.display("#{pane_dead}") == "1"

    def exit_status(self):
        """(status, signal) of the exited program; None while it runs or
        while tmux has not collected its status yet (the pane can be dead,
        its terminal closed, a moment before)."""
        fields = self.display("#{pane_dead}:#{pane_dead_status}:"
                              "#{pane_dead_signal}").split(":")
        if fields[0] != "1" or fields[1:] == ["", ""]:
            return None
        return (int(fields[1]) if fields[1] else None,
                int(fields[2]) if fields[2] else None)

    def wait_exit(self, timeout=10.0):
        """Wait for the program to exit; returns (status, signal)."""
        def exited():
            status = self.exit_status()
            if status is None and self.pane_dead():
                # tmux 3.3a sometimes misses the SIGCHLD of a pane's
                # program (about 1 exit in 10 here): the pane is dead, the
                # child a zombie, the status never collected. Another
                # SIGCHLD makes the server reap it; a spare one is harmless.
                try:
                    os.kill(self.server_pid, signal.SIGCHLD)
                except ProcessLookupError:
                    pass
            return status
        return util.wait_until(exited, timeout, "the program to exit",
                               on_timeout=self.framed)

    # -- diagnostics and cleanup --

    def framed(self):
        text = self._last_screen
        if self.started:
            try:
                text = self.screen()
            except RuntimeError:
                pass
        rows = text.split("\n")[:self.height]
        border = "+" + "-" * self.width + "+"
        return "\n".join([border] + ["|" + r.ljust(self.width) + "|"
                                     for r in rows] + [border])

    def dump(self):
        util.diag("--- %s screen (%dx%d) ---\n%s" % (self.name, self.width,
                                                    self.height,
                                                    self.framed()))

    def close(self):
        if self.started:
            self.started = False
            self.tmux("kill-server", check=False)
            # The pane's program gets SIGHUP from tmux; make sure it went.
            pid = self._pane_pid
            if pid:
                try:
                    util.wait_until(lambda: not util.pid_alive(pid), 3.0,
                                    "pane process to end")
                except TimeoutError:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        util.cancel_cleanup(self._token)
        shutil.rmtree(self.tmp, ignore_errors=True)
