#!/usr/bin/python3
# The demo of the README's quick start, as a new user runs it: natter comes
# up connected as alice in a chat with the bot, `hello` gets an answer,
# /quit stops the server and the bot, and running it a second time works.
# Without a terminal (a pipe, a script, a bare machine's check) natter runs
# headless on the demo's stdin and stdout.
import os
import subprocess
import sys
import tempfile

from natter_test import tap, util
from natter_test.headless import natter_path
from natter_test.tmux import Tmux


def running(program, directory):
    """Is a process of PROGRAM with DIRECTORY on its command line alive?"""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        if program in cmd and directory in cmd:
            return True
    return False


def demo_places():
    """(runtime dir, the demo's directory in it, the harness) of a new run."""
    runtime = tempfile.mkdtemp(prefix="natter-demo-test-")
    harness = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                           "harness")
    return runtime, os.path.join(runtime, "natter-demo"), \
        os.path.abspath(harness)


def wait_stopped(demo_dir):
    """The demo's Prosody and bot stop with it."""
    util.wait_until(lambda: not running("prosody", demo_dir), 10,
                    "the demo's Prosody to stop")
    util.wait_until(lambda: not running("echo_bot.py", demo_dir), 10,
                    "the demo's bot to stop")


@tap.timeout(120)
def test_demo_twice():
    runtime, demo_dir, harness = demo_places()
    for run in (1, 2):
        with Tmux([sys.executable, "-m", "natter_test.demo",
                   "--natter", natter_path()],
                  env={"PYTHONPATH": harness,
                       "XDG_RUNTIME_DIR": runtime},
                  name="demo run %d" % run) as t:
            # The chat goes by the bot's roster name once the roster is in.
            t.wait_for(r"\[\d+\] Demo bot \(bot@localhost, account alice\)",
                       30)
            t.wait_for(r"\[alice: online\]")
            t.type("hello")
            t.send_keys("Enter")
            t.wait_for(r"<Demo bot> Hi! I am the demo bot\. You said: hello")
            assert running("prosody", demo_dir)
            assert running("echo_bot.py", demo_dir)
            t.type("/quit")
            t.send_keys("Enter")
            status, signal = t.wait_exit(30)
            assert (status, signal) == (0, None), t.screen()
        wait_stopped(demo_dir)


@tap.timeout(120)
def test_demo_without_a_terminal():
    runtime, demo_dir, harness = demo_places()
    proc = util.popen([sys.executable, "-m", "natter_test.demo",
                       "--natter", natter_path()],
                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                      stderr=subprocess.STDOUT,
                      env=dict(os.environ, PYTHONPATH=harness,
                               XDG_RUNTIME_DIR=runtime))
    out = util.LineLog(proc.stdout, "demo")
    try:
        # Typed at once, as a pipe does: natter takes it after the login.
        proc.stdin.write(b"hello\n")
        proc.stdin.flush()
        out.expect(r"^natter demo, without a terminal$", 30)
        out.expect(r"^\[alice\] -- Connected as alice@localhost/", 30)
        out.expect(r"^\[alice/bot@localhost\] <bot@localhost> Hi! I am the "
                   r"demo bot\. You said: hello$", 30)
        proc.stdin.close()
        assert proc.wait(30) == 0, out.transcript()
        out.expect(r"^natter demo: done")
    finally:
        if proc.poll() is None:
            util.terminate(proc)
    wait_stopped(demo_dir)


if __name__ == "__main__":
    tap.main(globals())
