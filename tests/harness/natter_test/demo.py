# The demo behind ./demo: a private Prosody on loopback with alice and a
# friendly echo bot, and natter logged in as alice on the user's terminal.
# Run: PYTHONPATH=tests/harness /usr/bin/python3 -m natter_test.demo \
#          --natter src/natter
# Everything lives in ${XDG_RUNTIME_DIR:-/tmp}/natter-demo, made afresh on
# each run and left in place afterwards so its logs can be read.
# Without a terminal (stdin or stdout not a tty), natter runs --headless:
# it reads its commands from our stdin, after the login, and ends with it;
# the demo then fails unless alice came online.
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys

from . import util
from .bots import Bot
from .headless import account_settings, natter_path, write_keyfile
from .prosody import Prosody

BOT_GREETING = "Hi! I am the demo bot."
ONLINE = re.compile(r"^\[alice\] -- Connected as alice@localhost/")


def demo_dir():
    base = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return os.path.join(base, "natter-demo")


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _stop_pid_file(path, must_contain):
    """Stop the process a pid file names, if it is still ours (its command
    line mentions must_contain: a reused pid is left alone)."""
    try:
        with open(path) as f:
            pid = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if not util.pid_alive(pid) or must_contain not in _cmdline(pid):
        return
    print("natter demo: stopping the previous demo's process %d" % pid)
    os.kill(pid, signal.SIGTERM)
    try:
        util.wait_until(lambda: not util.pid_alive(pid), 10,
                        "process %d to stop" % pid)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        util.wait_until(lambda: not util.pid_alive(pid), 5,
                        "process %d to die" % pid)


def clear_previous(directory):
    server_dir = os.path.join(directory, "server")
    _stop_pid_file(os.path.join(server_dir, "prosody.pid"), server_dir)
    _stop_pid_file(os.path.join(directory, "bot.pid"), "echo_bot.py")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, mode=0o700)


def explain(prosody, directory, natter, headless):
    if headless:
        print("""
natter demo, without a terminal
-------------------------------
A Prosody server for "localhost" on 127.0.0.1 port %d, the account
alice@localhost, which natter uses, and bot@localhost, an echo bot.
natter runs --headless: once alice is online and in a chat with the bot,
each line of standard input is a message to the bot or a command; the end
of the input quits. Files and logs: %s
Starting %s ...
""" % (prosody.port, directory, natter))
        sys.stdout.flush()
        return
    print("""
natter demo
-----------
Running on this machine only (127.0.0.1):
  * a Prosody XMPP server for "localhost" (port %d, its own test CA),
  * the account alice@localhost (password: alice), which natter uses,
  * bot@localhost, an echo bot: say hello to it, it answers.

natter starts in a chat with the bot. Type a message and press Enter.
Quit with /quit (the server and the bot stop with natter).
Files and logs: %s
Starting %s ...
""" % (prosody.port, directory, natter))
    sys.stdout.flush()


def run_natter(argv, headless):
    """natter in the foreground on this terminal; returns its exit status
    and, headless, whether alice came online (its output passes through
    us to tell).

    While it runs, Ctrl-C belongs to natter (the terminal sends it to both
    of us; we ignore it). SIGTERM/SIGHUP to us are passed on to natter."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE if headless
                            else None)

    def forward(signum, _frame):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    old = {sig: signal.signal(sig, h) for sig, h in (
        (signal.SIGINT, signal.SIG_IGN), (signal.SIGTERM, forward),
        (signal.SIGHUP, forward))}
    online = False
    try:
        if headless:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace")
                online = online or bool(ONLINE.match(line))
                sys.stdout.write(line)
                sys.stdout.flush()
        return proc.wait(), online
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            util.terminate(proc, 5)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="natter_test.demo",
                                 description="Run natter against a private "
                                             "Prosody with an echo bot.")
    ap.add_argument("--natter", help="natter binary (default: src/natter)")
    ap.add_argument("--dir", default=None,
                    help="demo directory (default: %s)" % demo_dir())
    ap.add_argument("--headless", action="store_true",
                    help="run natter without its terminal interface, "
                         "reading stdin (the default without a terminal)")
    args = ap.parse_args(argv)
    headless = args.headless or not (sys.stdin.isatty() and
                                     sys.stdout.isatty())

    natter = os.path.abspath(args.natter) if args.natter else natter_path()
    if not os.access(natter, os.X_OK):
        sys.exit("natter demo: %s is not an executable; build natter first"
                 % natter)
    directory = os.path.abspath(args.dir or demo_dir())
    clear_previous(directory)

    prosody = Prosody(directory=os.path.join(directory, "server"))
    bot = None
    try:
        print("natter demo: starting Prosody ...")
        prosody.start()
        prosody.create_user("alice", "alice")
        bot_password = "bot"
        prosody.create_user("bot", bot_password)
        # Contacts of each other, so natter shows the bot and its presence.
        prosody.make_mutual("alice", "bot", a_name="Alice",
                            b_name="Demo bot")

        bot = Bot.echo(prosody, "bot", bot_password, prefix="",
                       greeting=BOT_GREETING)
        with open(os.path.join(directory, "bot.pid"), "w") as f:
            f.write("%d\n" % bot.proc.pid)

        config_dir = os.path.join(directory, "config")
        data_dir = os.path.join(directory, "data")
        os.makedirs(config_dir, mode=0o700)
        os.makedirs(data_dir, mode=0o700)
        write_keyfile(os.path.join(config_dir, "accounts"), {
            "alice": account_settings(prosody, "alice", "alice")})

        explain(prosody, directory, natter, headless)
        code, online = run_natter(
            [natter, "--config-dir", config_dir, "--data-dir", data_dir,
             "-a", "alice", "-e", "/msg bot@localhost"]
            + (["--headless"] if headless else []), headless)
        if headless and not online:
            print("natter demo: alice never came online (the server's log "
                  "is in %s)" % os.path.join(directory, "server"))
            return code or 1
        if code < 0:
            print("natter demo: natter was ended by signal %d" % -code)
            return 128 - code
        if code != 0:
            print("natter demo: natter exited with status %d" % code)
        return code
    finally:
        print("natter demo: stopping the bot and Prosody ...")
        if bot is not None:
            bot.stop()
        prosody.close()
        try:
            os.unlink(os.path.join(directory, "bot.pid"))
        except OSError:
            pass
        print("natter demo: done (logs kept in %s)" % directory)


if __name__ == "__main__":
    sys.exit(main())
