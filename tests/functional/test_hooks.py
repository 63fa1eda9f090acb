#!/usr/bin/python3
# Event hooks: programs run on events with the event's fields in their
# environment and the body on stdin, never in an argument or a shell
# string (a hostile body runs nothing), failing and hanging hooks reported
# and killed, hooks beyond hook_max_running dropped, /hook add, list, del
# and test, the hooks file.
import glob
import json
import os
import re
import sys
import tempfile

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings, write_keyfile

# Writes what a hook got (its NATTER_ variables, argv and stdin) to
# DIR/<pid>.json, the file complete when it appears.
RECORDER = r"""
import json, os, sys
d = sys.argv[1]
rec = {"env": {k: v for k, v in os.environ.items() if k.startswith("NATTER_")},
       "argv": sys.argv[1:],
       "stdin": sys.stdin.buffer.read().decode("utf-8", "surrogateescape")}
tmp = os.path.join(d, ".%d" % os.getpid())
with open(tmp, "w") as f:
    json.dump(rec, f)
os.rename(tmp, os.path.join(d, "%d.json" % os.getpid()))
"""


class Recorder:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="natter-hooks-")
        self.script = os.path.join(self.dir, "record.py")
        with open(self.script, "w") as f:
            f.write(RECORDER)
        self.out = os.path.join(self.dir, "out")
        os.mkdir(self.out)

    def command(self):
        return "%s %s %s" % (sys.executable, self.script, self.out)

    def records(self):
        result = []
        for path in glob.glob(os.path.join(self.out, "*.json")):
            with open(path) as f:
                result.append(json.load(f))
        return result

    def wait(self, event, timeout=10.0, **env):
        """The first record of EVENT whose variables include ENV."""
        def find():
            for r in self.records():
                if r["env"].get("NATTER_EVENT") == event and all(
                        r["env"].get(k) == v for k, v in env.items()):
                    return r
            return None
        return util.wait_until(find, timeout, "a %s hook run" % event)


def natter_with_hooks(p, hooks, prefix="alice", **settings):
    """A headless natter whose hooks file holds HOOKS ({name: {key: value}})
    from the start, logged in: (natter, localpart, jid)."""
    local, jid, password = tap.new_account(p, prefix)
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, password)})
    write_keyfile(os.path.join(n.config_dir, "hooks"), hooks)
    if settings:
        write_keyfile(os.path.join(n.config_dir, "natterrc"),
                      {"settings": settings})
    n.__enter__()
    try:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
    except BaseException:
        n.__exit__(AssertionError, None, None)
        raise
    return n, local, jid


def test_message_received_gives_fields_in_env_and_body_on_stdin():
    p = tap.shared_prosody()
    rec = Recorder()
    n, local, jid = natter_with_hooks(p, {"rec": {
        "event": "message-received", "command": rec.command()}})
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    victim = os.path.join(rec.dir, "victim")
    open(victim, "w").close()
    made = os.path.join(rec.dir, "made")
    # Shell syntax of every kind, a newline, C1 controls and bidi.
    body = ("$(touch %s) `touch %s`; rm %s | x && y\n'\"\\ $HOME "
            "\u009b2J\u202eend" % (made, made, victim))
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        sender.send({"to": jid, "body": body})
        r = rec.wait("message-received")
        env = r["env"]
        assert env["NATTER_ACCOUNT"] == local, env
        assert env["NATTER_FROM"].startswith(s_jid + "/"), env
        assert env["NATTER_PEER"] == s_jid, env
        assert env["NATTER_KIND"] == "chat", env
        assert env["NATTER_ENCRYPTED"] == "no", env
        assert env["NATTER_ORIGIN"] == "live", env
        assert env["NATTER_BODY"] == body, ascii(env["NATTER_BODY"])
        assert r["stdin"] == body, ascii(r["stdin"])
        # The arguments are the hook's own, nothing of the message.
        assert r["argv"] == [rec.out], r["argv"]
        # natter went on and showed the message.
        n.expect_buffer("%s/%s" % (local, s_jid), r"<\S+> \$\(touch")
    assert not os.path.exists(made)
    assert os.path.exists(victim)


def test_message_sent_subscription_and_account_events():
    p = tap.shared_prosody()
    rec = Recorder()
    hooks = {e: {"event": e, "command": rec.command()}
             for e in ("message-sent", "subscription-request",
                       "account-online", "account-offline")}
    n, local, jid = natter_with_hooks(p, hooks)
    s_local, s_jid, s_pw = tap.new_account(p, "asker")
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        r = rec.wait("account-online")
        assert r["env"]["NATTER_ACCOUNT"] == local, r
        n.send("/msg %s hi `there`" % s_jid)
        r = rec.wait("message-sent")
        assert r["env"]["NATTER_PEER"] == s_jid, r
        assert r["stdin"] == "hi `there`", r
        sender.send({"presence": {"to": jid, "type": "subscribe",
                                  "status": "let me in $(id)"}})
        r = rec.wait("subscription-request")
        assert r["env"]["NATTER_FROM"] == s_jid, r
        assert r["env"]["NATTER_STATUS"] == "let me in $(id)", r
        assert r["stdin"] == "let me in $(id)", r
        n.send("/disconnect")
        r = rec.wait("account-offline")
        assert r["env"]["NATTER_ACCOUNT"] == local, r


def test_filters_limit_a_hook_to_a_peer():
    p = tap.shared_prosody()
    rec = Recorder()
    a_local, a_jid, a_pw = tap.new_account(p, "anna")
    b_local, b_jid, b_pw = tap.new_account(p, "bert")
    n, local, jid = natter_with_hooks(p, {"anna": {
        "event": "message-received", "command": rec.command(),
        "peer": a_jid}})
    with n, Bot.sender(p, a_local, a_pw, commands=True) as anna, \
            Bot.sender(p, b_local, b_pw, commands=True) as bert:
        bert.send({"to": jid, "body": "from bert"})
        n.expect_buffer("%s/%s" % (local, b_jid), r"from bert$")
        anna.send({"to": jid, "body": "from anna"})
        rec.wait("message-received", NATTER_PEER=a_jid)
        n.expect_buffer("%s/%s" % (local, a_jid), r"from anna$")
        peers = [r["env"]["NATTER_PEER"] for r in rec.records()]
        assert peers == [a_jid], peers


def test_not_current_skips_the_window_being_read():
    p = tap.shared_prosody()
    rec = Recorder()
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    n, local, jid = natter_with_hooks(p, {"away": {
        "event": "message-received", "command": rec.command(),
        "not_current": "true"}})
    chat = "%s/%s" % (local, s_jid)
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        n.send("/hook list")
        n.expect_buffer(local, r"--   away  on message-received not-current: ")
        n.send("/msg %s" % s_jid)  # its window is now the one shown
        sender.send({"to": jid, "body": "while reading"})
        n.expect_buffer(chat, r"<\S+> while reading$")
        n.send("/win 1")
        # Commands run in order: once this answers in window 1, the chat
        # is no longer the one shown (the bot's message could otherwise
        # overtake the /win).
        n.send("/hook list")
        n.expect(r"^\[natter\] --   away  on message-received not-current: ")
        sender.send({"to": jid, "body": "while away"})
        r = rec.wait("message-received")
        assert r["stdin"] == "while away", r
        n.expect_buffer(chat, r"<\S+> while away$")
        bodies = [x["stdin"] for x in rec.records()]
        assert bodies == ["while away"], bodies


def test_failing_and_hanging_hooks_are_reported_and_killed():
    p = tap.shared_prosody()
    n, local, jid = natter_with_hooks(p, {
        "fails": {"event": "message-sent",
                  "command": "sh -c 'echo oops >&2; exit 2'"},
        "hangs": {"event": "message-sent", "command": "sleep 600",
                  "timeout": "1"},
        "missing": {"event": "message-sent",
                    "command": "/nonexistent/program"}})
    with n:
        n.send("/msg nobody@%s hello" % p.domain)
        n.expect(r"^\[natter\] !! hook fails \(message-sent\) exited with "
                 r"status 2: oops$")
        n.expect(r"^\[natter\] !! hook hangs \(message-sent\) was killed "
                 r"after 1 s$", timeout=15)
        assert n.lines_matching(r"!! hook missing \(message-sent\): cannot "
                                r"run /nonexistent/program: ")
        # natter goes on.
        n.send("/hook list")
        n.expect_buffer("%s/nobody@%s" % (local, p.domain),
                        r"--   missing  on message-sent: ")


def test_hooks_beyond_the_limit_are_dropped():
    p = tap.shared_prosody()
    n, local, jid = natter_with_hooks(
        p, {"slow": {"event": "message-sent", "command": "sleep 600",
                     "timeout": "2"}}, hook_max_running="1")
    with n:
        n.send("/msg nobody@%s one" % p.domain)
        n.send("two")
        n.send("three")
        n.expect(r"^\[natter\] !! hook slow: 1 hooks are running already "
                 r"\(hook_max_running\), message-sent dropped")
        n.expect(r"^\[natter\] !! hook slow \(message-sent\) was killed",
                 timeout=15)
        # One line for the burst, not one per event.
        assert len(n.lines_matching(r"running already")) == 1


def test_hook_commands_and_the_file():
    p = tap.shared_prosody()
    rec = Recorder()
    n, local, jid = natter_with_hooks(p, {})
    with n:
        n.send("/hook")
        n.expect_buffer(local, r"-- No hooks")
        n.send("/hook add t message-received -peer x@example.org "
               "-not-current -timeout 5 %s" % rec.command())
        n.expect_buffer(local, r"-- Hook t added: on message-received, ")
        n.send("/hook list")
        n.expect_buffer(local, r"--   t  on message-received peer "
                        r"x@example.org not-current timeout 5 s: %s$"
                        % re.escape(rec.command()))
        with open(os.path.join(n.config_dir, "hooks")) as f:
            text = f.read()
        assert "[t]" in text and "peer=x@example.org" in text, text
        assert "not_current=true" in text, text
        assert os.stat(os.path.join(n.config_dir, "hooks")).st_mode \
            & 0o777 == 0o600
        n.send("/hook test t")
        r = rec.wait("message-received", NATTER_TEST="1")
        assert r["stdin"] == "natter hook test", r
        n.expect(r"^\[natter\] -- hook t \(message-received\) exited with "
                 r"status 0$")
        n.send("/hook add bad no-such-event true")
        n.expect_buffer(local, r"!! no event 'no-such-event'; hooks can be "
                        r"for message-received, ")
        n.send("/hook add q message-sent echo 'unclosed")
        n.expect_buffer(local, r"!! cannot split the command: ")
        n.send("/hook del t")
        n.expect_buffer(local, r"-- Hook t removed\.$")
        n.send("/hook del t")
        n.expect_buffer(local, r"!! no hook 't' \(/hook list\)$")


def test_a_broken_hooks_file_is_reported_and_kept():
    p = tap.shared_prosody()
    local, jid, password = tap.new_account(p, "alice")
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, password)})
    path = os.path.join(n.config_dir, "hooks")
    with open(path, "w") as f:
        f.write("[ok]\nevent=message-sent\ncommand=true\n"
                "[bad]\nevent=nothing\ncommand=true\n")
    with n:
        n.expect(r"^\[natter\] !! hooks skipped: .*\[bad\] needs a known "
                 r"event and a command$")
        n.send("/hook list")
        n.expect(r"--   ok  on message-sent: true$")
        n.send("/hook add x message-sent true")
        n.expect(r"!! the hooks file is not saved until it is fixed")
        with open(path) as f:
            assert "[bad]" in f.read()


if __name__ == "__main__":
    tap.main(globals())
