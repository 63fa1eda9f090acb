#!/usr/bin/python3
# The demo of the README's quick start, as a new user runs it: natter comes
# up connected as alice in a chat with the bot, `hello` gets an answer,
# /quit stops the server and the bot, and running it a second time works.
import os
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


@tap.timeout(120)
def test_demo_twice():
    runtime = tempfile.mkdtemp(prefix="natter-demo-test-")
    demo_dir = os.path.join(runtime, "natter-demo")
    harness = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                           "harness")
    for run in (1, 2):
        with Tmux([sys.executable, "-m", "natter_test.demo",
                   "--natter", natter_path()],
                  env={"PYTHONPATH": os.path.abspath(harness),
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
        util.wait_until(lambda: not running("prosody", demo_dir), 10,
                        "the demo's Prosody to stop")
        util.wait_until(lambda: not running("echo_bot.py", demo_dir), 10,
                        "the demo's bot to stop")


if __name__ == "__main__":
    tap.main(globals())
