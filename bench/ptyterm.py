# A terminal for benchmarks: runs a program in a pseudo-terminal of a fixed
# size and feeds everything it writes to a VT emulator (python3-pyte), so
# that "the text is on the screen" can be timed to the moment the program
# wrote the bytes that put it there. No tmux in between: what is measured
# is the program alone.
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time

import pyte


class PtyTerm:
    def __init__(self, argv, width=100, height=30, env=None):
        self.width, self.height = width, height
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.execve(argv[0], argv, env or os.environ)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", height, width, 0, 0))
        os.kill(pid, signal.SIGWINCH)

    def display(self):
        return "\n".join(self.screen.display)

    def pump(self, timeout):
        """Reads what the program wrote within TIMEOUT seconds; returns the
        monotonic time (ns) the last chunk was read, or None."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            raise EOFError("the program closed its terminal")
        stamp = time.monotonic_ns()
        if not data:
            raise EOFError("the program closed its terminal")
        self.stream.feed(data)
        return stamp

    def wait_for(self, text, timeout=10.0):
        """Monotonic ns when TEXT first appeared on the screen."""
        deadline = time.monotonic() + timeout
        while text not in self.display():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("%r not on screen:\n%s"
                                   % (text, self.display()))
            stamp = self.pump(left)
            if stamp is not None and text in self.display():
                return stamp
        return time.monotonic_ns()

    def drain(self, seconds):
        """Keeps reading (so the program never blocks on output)."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.pump(left)

    def type(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                self.pump(0.05)
            except EOFError:
                break
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def proc_counters(pid):
    """(voluntary context switches, CPU seconds) of PID, all threads.
    CPU from each thread's schedstat (nanoseconds), not /proc/PID/stat:
    its clock ticks of 10 ms were a fifth of a 2,000-message burst's
    plain-text cost. A thread that has ended no longer counts, unlike in
    /proc/PID/stat; natter's work in these benches is its main thread."""
    switches = 0
    ns = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        switches += int(line.split()[1])
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                ns += int(f.read().split()[0])
        except FileNotFoundError:
            pass  # the thread ended meanwhile
    return switches, ns / 1e9
