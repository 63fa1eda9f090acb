# A tiny TAP runner for natter's test files, plus the fixtures they share.
#
#   from natter_test import tap
#   def test_something():
#       p = tap.shared_prosody()
#       local, jid, password = tap.new_account(p, "alice")
#       ...
#   if __name__ == "__main__":
#       tap.main(globals())
#
# Every test_* function runs in source order; `not ok` carries the traceback
# as "# " lines. Only raise tap.Skip for something genuinely unavailable on
# the machine, never to hide a failure. Each test has a time limit (default
# 60 s, $NATTER_TEST_TIMEOUT, or @tap.timeout(N)) so a hang fails instead of
# stalling the suite. Arguments on the command line select tests by name.
#
# The server: `--server ejabberd` (or NATTER_TEST_SERVER=ejabberd) runs only
# the tests marked @tap.both_servers (or @tap.on_servers("ejabberd")),
# against ejabberd; without it every test not marked otherwise runs against
# Prosody. A marked test takes its server from
# shared_server() or new_server(), never names one, and says what a server
# lacks with require(), which skips with the reason.
import itertools
import os
import secrets
import signal
import sys
import time
import traceback

from . import util


class Skip(Exception):
    """Raise to report a test as skipped: only for missing facilities."""


class TestTimeout(Exception):
    pass


def timeout(seconds):
    """Decorator: this test's time limit in seconds."""
    def mark(func):
        func.tap_timeout = seconds
        return func
    return mark


def _alarm(signum, frame):
    raise TestTimeout("test timed out")


SERVERS = ("prosody", "ejabberd")
_server = None  # the server kind this run uses, set by main()


def on_servers(*kinds):
    """Decorator: this test runs against these server kinds only."""
    def mark(func):
        func.tap_servers = kinds
        return func
    return mark


# Decorator: this test runs against ejabberd as well as Prosody.
both_servers = on_servers(*SERVERS)


def _collect(namespace, selected):
    module = namespace.get("__name__")
    tests = [f for name, f in namespace.items()
             if name.startswith("test_") and callable(f)
             and getattr(f, "__module__", module) == module
             and server_kind() in getattr(f, "tap_servers", ("prosody",))]
    tests.sort(key=lambda f: f.__code__.co_firstlineno)
    if selected:
        tests = [f for f in tests if f.__name__ in selected]
        missing = set(selected) - {f.__name__ for f in tests}
        if missing:
            sys.exit("no such test: " + ", ".join(sorted(missing)))
    return tests


def _out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(namespace, argv=None):
    """Run the test_* functions of `namespace` (a module's globals())."""
    global _server
    argv = list(sys.argv[1:] if argv is None else argv)
    _server = os.environ.get("NATTER_TEST_SERVER") or "prosody"
    if "--server" in argv:
        i = argv.index("--server")
        _server = argv[i + 1] if i + 1 < len(argv) else ""
        del argv[i:i + 2]
    if _server not in SERVERS:
        sys.exit("--server must be one of: " + ", ".join(SERVERS))
    tests = _collect(namespace, argv)
    default_limit = float(os.environ.get("NATTER_TEST_TIMEOUT", "60"))
    signal.signal(signal.SIGALRM, _alarm)
    _out("1..%d" % len(tests))
    _out("# server: %s" % _server)
    passed = failed = skipped = 0
    for n, func in enumerate(tests, 1):
        name = func.__name__
        limit = getattr(func, "tap_timeout", default_limit)
        start = time.monotonic()
        status, detail = "ok", ""
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                func()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except Skip as exc:
            status, detail = "skip", str(exc)
        except TestTimeout:
            status = "not ok"
            detail = "timed out after %g s\n%s" % (limit,
                                                   traceback.format_exc())
        except Exception:
            status, detail = "not ok", traceback.format_exc()
        elapsed = time.monotonic() - start
        if status == "ok":
            passed += 1
            _out("ok %d - %s" % (n, name))
        elif status == "skip":
            skipped += 1
            _out("ok %d - %s # SKIP %s" % (n, name, detail))
        else:
            failed += 1
            _out("not ok %d - %s" % (n, name))
            for line in detail.rstrip().splitlines():
                _out("# " + line)
        _out("# %s: %.2f s" % (name, elapsed))
    # A comment, so that only the suite's own summary reads as a total.
    _out("# %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    sys.exit(0 if failed == 0 else 1)


# --- fixtures -------------------------------------------------------------------

_shared = None
_serial = itertools.count(1)


def server_kind():
    """"prosody" or "ejabberd": the server this run tests against."""
    return _server or os.environ.get("NATTER_TEST_SERVER") or "prosody"


def server_class(kind=None):
    """The harness class of a server kind (default: this run's)."""
    kind = kind or server_kind()
    if kind == "ejabberd":
        from .ejabberd import Ejabberd
        return Ejabberd
    from .prosody import Prosody
    return Prosody


def new_server(**options):
    """A new server of this run's kind, not started (use it in a `with`).
    options: those both servers take (see server.Server)."""
    return server_class()(**options)


def shared_server(**options):
    """One server of this run's kind for the whole test file, started on
    first use and stopped at exit. Restarted (same ports, same data) if a
    test left it stopped. Tests give it their own accounts (new_account)."""
    global _shared
    if _shared is None:
        _shared = new_server(**options)
        _shared.start()
    elif not _shared.running():
        _shared.restart()
    return _shared


def shared_prosody(**options):
    """shared_server() for a test that needs Prosody itself (its admin
    console, its plugins): only in tests not marked for both servers."""
    if server_kind() != "prosody":
        raise RuntimeError("a test run against %s asked for Prosody: mark "
                           "it for Prosody only, or use shared_server()"
                           % server_kind())
    return shared_server(**options)


def require(server, what):
    """Skip the running test, with the reason, if SERVER lacks WHAT."""
    reason = lacks(server, what)
    if reason:
        raise Skip(reason)


def lacks(server, what):
    """Why SERVER lacks WHAT (a key of its module's LACKS table, which
    says why in words naming the server), or None if it has it."""
    return getattr(sys.modules[type(server).__module__], "LACKS",
                   {}).get(what)


def new_account(prosody, prefix="user"):
    """Create a fresh account; returns (localpart, jid, password)."""
    localpart = "%s%d-%s" % (prefix, next(_serial), secrets.token_hex(2))
    password = "pw-" + secrets.token_hex(6)
    jid = prosody.create_user(localpart, password)
    return localpart, jid, password


def diag(text):
    """Print text as TAP diagnostics on stdout."""
    util.diag(text, sys.stdout)
