#!/usr/bin/python3
# Python plugins (src/plugin/python*.c, `import natter`) in the real binary
# against the real server: the test plugin tests/plugins/pyprobe.py loaded,
# used and unloaded (its command in /help, its outbound stage changing
# what the peer receives, its inbound stage refusing a message, its event
# handler and timer called); a plugin raising at load and in a callback
# reported with its name while natter goes on; nothing it registered left
# after unloading; and the Python plugins of the tree (autoreply,
# forward, highlight_log) doing their job against the server.
import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import (Headless, account_settings, natter_path,
                                  write_keyfile)
from natter_test.tmux import Tmux

DISCO = "http://jabber.org/protocol/disco#info"
SRC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def has_python():
    out = subprocess.run([natter_path(), "--version"], capture_output=True,
                         text=True, check=True).stdout
    return re.search(r"^features: .*\bpython-plugins\b", out, re.M)


def require_python():
    if not has_python():
        raise tap.Skip("natter is built --without-python")


def source(path):
    """A file of the source tree, e.g. "plugins/autoreply.py"."""
    full = os.path.normpath(os.path.join(SRC_DIR, path))
    assert os.path.exists(full), full
    return full


def natter(p, plugins=(), contact=None, **settings):
    """A headless natter of a fresh account with PLUGINS (source paths)
    linked in its plugin directory and SETTINGS in natterrc; CONTACT (a
    localpart) is made a mutual contact first. (natter, localpart, jid)."""
    require_python()
    local, jid, pw = tap.new_account(p, "alice")
    if contact:
        p.make_mutual(local, contact)
    n = Headless(["-a", local], accounts={local: account_settings(
        p, local, pw, resource="nat")})
    d = os.path.join(n.data_dir, "plugins")
    os.makedirs(d)
    for path in plugins:
        os.symlink(source(path), os.path.join(d, os.path.basename(path)))
    if settings:
        write_keyfile(os.path.join(n.config_dir, "natterrc"),
                      {"settings": settings})
    return n, local, jid


def sync(n):
    """Every line before now is printed once /plugin list has answered."""
    n.send("/plugin list")
    n.expect(r"^\[\S+\] -- (?:Plugins loaded:|No plugins loaded\.)")


def test_built_with_python():
    require_python()
    out = subprocess.run([natter_path(), "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert re.search(r"^Python plugins: CPython 3\.\d+\.\d+ embedded$", out,
                     re.M), out


def test_without_python_a_python_plugin_is_refused_with_the_reason():
    if has_python():
        raise tap.Skip("natter is built with Python")
    n = Headless()
    d = os.path.join(n.data_dir, "plugins")
    os.makedirs(d)
    os.symlink(source("plugins/autoreply.py"), os.path.join(d, "autoreply.py"))
    with n:
        n.send("/plugin load autoreply")
        n.expect(r"!! \S+/plugins/autoreply\.py is a Python plugin, and this "
                 r"natter is built without Python$")
        n.send("/quit")
        n.wait_exit()


def test_load_use_unload():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "peer")
    n, local, jid = natter(p, ["tests/plugins/pyprobe.py"])
    chat = "%s/%s" % (local, b_jid)
    with n, Bot.sender(p, b_local, b_pw, commands=True) as peer:
        n.expect_buffer(local, r"Connected as ")
        n.send("/plugin list")
        n.expect(r"^\[\S+\] -- Not loaded \(in .*\): pyprobe$")
        n.send("/help plugin")
        n.expect(r"^\[\S+\] -- .*A file NAME\.py \(taken after a "
                 r"directory's NAME\.so\) is a Python plugin")
        n.send("/plugin load pyprobe")
        # What the file's top level prints goes to the console, named.
        n.expect(r"^\[natter\] -- \[pyprobe\] pyprobe: loaded, API version 1$")
        n.expect(r"^\[\S+\] -- Plugin pyprobe 0\.3 loaded from .*"
                 r"/plugins/pyprobe\.py$")
        n.send("/plugin list")
        n.expect(r"^\[\S+\] --   pyprobe 0\.3: Test plugin: the Python API "
                 r"of natter, for test_python_plugins\.$")
        # Its command: in /help's list and with its own page.
        n.send("/help")
        n.expect(r"^\[\S+\] -- .*/pyprobe\b.*probe the Python plugin API "
                 r"\(plugin pyprobe\)")
        n.send("/help pyprobe")
        n.expect(r"^\[\S+\] --   /pyprobe send JID TEXT$")
        n.expect(r"^\[\S+\] -- Answers with what the Python API gives it\.$")
        # Its setting, read back through the API.
        n.send("/set pyprobe.mark <<")
        n.send("/pyprobe setting")
        n.expect(r"-- pyprobe: mark is <<$")
        # The command knows where it was typed.
        n.send("/msg %s" % b_jid)
        n.send("/pyprobe")
        n.expect_buffer(chat, r"-- pyprobe: hello from pyprobe, account %s, "
                        r"peer %s$" % (re.escape(local), re.escape(b_jid)))
        n.send("/pyprobe dir")
        n.expect_buffer(chat, r"-- pyprobe: data dir %s$" % re.escape(
            os.path.join(n.data_dir, "plugin-data", "pyprobe")))
        assert os.path.isdir(os.path.join(n.data_dir, "plugin-data",
                                          "pyprobe"))
        # The outbound stage changes what the peer receives.
        n.send("my secret plan")
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "my [hidden] plan", m.group(1)
        n.expect_buffer(chat, r"<%s> my \[hidden\] plan$" % re.escape(local))
        # natter.send_message takes the same path.
        n.send("/pyprobe send %s a secret sent by the plugin" % b_jid)
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "a [hidden] sent by the plugin"
        # The inbound stage refuses spam: the next message shows, the spam
        # before it does not; the event handler saw only the one let in.
        peer.send({"to": jid, "body": "buy spam now"})
        peer.send({"to": jid, "body": "hello again"})
        n.expect_buffer(chat, r"<%s> hello again$" % re.escape(b_jid))
        n.expect(r"^\[natter\] -- pyprobe: message-received from %s on %s: "
                 r"hello again \(chat, live\)$" % (re.escape(b_jid),
                                                   re.escape(local)))
        sync(n)
        assert not n.lines_matching(r"buy spam now"), n.transcript()
        # A handler that unsubscribes itself runs once.
        n.send("/pyprobe once")
        # Subscribed before the messages come: the command and the peer's
        # messages reach natter by different ways.
        sync(n)
        peer.send({"to": jid, "body": "first"})
        peer.send({"to": jid, "body": "second"})
        n.expect(r"^\[natter\] -- pyprobe: once first$")
        n.expect(r"^\[natter\] -- pyprobe: message-received from .*: "
                 r"second \(chat, live\)$")
        sync(n)
        assert not n.lines_matching(r"pyprobe: once second"), n.transcript()
        # A timer: three ticks, then it stops itself.
        n.send("/pyprobe timer")
        for i in (1, 2, 3):
            n.expect(r"^\[natter\] -- pyprobe: tick %d$" % i)
        n.send("/plugin info pyprobe")
        n.expect(r"^\[\S+\] --   commands: /pyprobe; settings: pyprobe\.mark;"
                 r" events: (?:message-received setting-changed|setting-changed "
                 r"message-received); stages: pyprobe:\S+ "
                 r"pyprobe:\S+; timers: 0; disco features: none; "
                 r"key actions: none$")
        n.send("/plugin unload pyprobe")
        n.expect(r"^\[natter\] -- \[pyprobe\] pyprobe: deinit$")
        n.expect(r"^\[\S+\] -- Plugin pyprobe unloaded$")
        sync(n)
        assert not n.lines_matching(r"pyprobe: tick 4"), n.transcript()
        # Nothing of it is left: command, help, setting, stages, handler.
        n.send("/pyprobe")
        n.expect(r"^\[\S+\] !! unknown command /pyprobe")
        n.send("/help pyprobe")
        n.expect(r"^\[\S+\] !! ")
        n.send("/set pyprobe.mark")
        n.expect(r"^\[\S+\] !! no setting matches 'pyprobe\.mark'")
        n.send("/plugin info pyprobe")
        n.expect(r"^\[\S+\] !! no plugin named pyprobe is loaded$")
        n.send("another secret")
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "another secret", m.group(1)
        peer.send({"to": jid, "body": "more spam"})
        n.expect_buffer(chat, r"<%s> more spam$" % re.escape(b_jid))
        sync(n)
        assert not n.lines_matching(r"pyprobe: message-received from .*"
                                    r"more spam"), n.transcript()
        # Loaded again, it works again.
        n.send("/plugin load pyprobe")
        n.expect(r"^\[\S+\] -- Plugin pyprobe 0\.3 loaded")
        n.send("one more secret")
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "one more [hidden]", m.group(1)


def test_exceptions_are_reported_and_natter_goes_on():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "peer")
    n, local, jid = natter(p, ["tests/plugins/pyprobe.py",
                               "tests/plugins/pyraise.py"],
                           plugins_autoload="pyprobe")
    chat = "%s/%s" % (local, b_jid)
    with n, Bot.sender(p, b_local, b_pw, commands=True) as peer:
        n.expect(r"^\[natter\] -- Plugin pyprobe 0\.3 loaded$")
        n.expect_buffer(local, r"Connected as ")
        # Raising at load: refused with the exception and where it was.
        n.send("/plugin load pyraise")
        n.expect(r"^\[\S+\] !! plugin pyraise failed to start: ValueError: "
                 r"pyraise will not load \(at pyraise\.py:11 in <module>\)$")
        # What it registered before it raised is gone.
        n.send("/pyraise")
        n.expect(r"^\[\S+\] !! unknown command /pyraise")
        n.send("/plugin list")
        n.expect(r"^\[\S+\] -- Not loaded \(in .*\): pyraise$")
        # Raising in a command: a console line naming the plugin, and the
        # command fails.
        n.send("/pyprobe boom")
        n.expect(r"^\[natter\] !! Python plugin pyprobe: in command /pyprobe:"
                 r" KeyError: 'boom' \(at pyprobe\.py:\d+ in probe\)$")
        n.expect(r"!! plugin pyprobe raised KeyError: 'boom' "
                 r"\(at pyprobe\.py:\d+ in probe\)$")
        # natter.Error is the command's own failure, not a crash.
        n.send("/pyprobe fail")
        n.expect(r"!! pyprobe was asked to fail$")
        # Raising in an event handler: reported, the message still shown.
        peer.send({"to": jid, "body": "raise"})
        n.expect(r"^\[natter\] !! Python plugin pyprobe: in a handler of "
                 r"message-received: KeyError: 'raised in a handler' "
                 r"\(at pyprobe\.py:\d+ in on_received\)$")
        sync(n)
        assert n.lines_matching(r"^\[%s\] .*<%s> raise$" % (
            re.escape(chat), re.escape(b_jid))), n.transcript()
        # A handle kept past its callback raises when used.
        n.send("/pyprobe stale")
        n.expect(r"^\[natter\] !! Python plugin pyprobe: in a timer: "
                 r"RuntimeError: natter's handle is used after its callback "
                 r"returned")
        # natter goes on: the plugin too.
        peer.send({"to": jid, "body": "still here"})
        n.expect(r"^\[natter\] -- pyprobe: message-received from %s on %s: "
                 r"still here" % (re.escape(b_jid), re.escape(local)))
        n.send("/msg %s it is a secret" % b_jid)
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "it is a [hidden]", m.group(1)
        n.send("/quit")
        n.wait_exit()
        assert n.returncode == 0, n.returncode


def test_stanza_feature_and_setting_event():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "probe")
    bot = Bot.probe(p, b_local, b_pw, resource="probe")
    n, local, jid = natter(p, ["tests/plugins/pyprobe.py"], contact=b_local,
                           plugins_autoload="pyprobe")
    chat = "%s/%s" % (local, b_jid)
    with bot, n:
        n.expect(r"^\[natter\] -- Plugin pyprobe 0\.3 loaded$")
        ver = bot.expect_line(r"^CAPS %s/nat sha-1 \S+ (\S+)$"
                              % re.escape(jid)).group(1)
        n.send("/msg %s" % b_jid)
        # A raw stanza reaches the peer as written.
        n.send("/pyprobe stanza <message to='%s/probe' type='chat'><body>raw "
               "&amp; written</body></message>" % b_jid)
        n.expect_buffer(chat, r"-- pyprobe: stanza sent$")
        bot.expect_line(r'^RECV %s/nat "raw & written"$' % re.escape(jid))
        # One natter will not send is natter.Error in the command.
        n.send("/pyprobe stanza <message><unclosed>")
        n.expect_buffer(chat, r"!! not a well-formed")
        # A disco feature: in new caps and in disco#info.
        n.send("/pyprobe feature urn:example:pyprobe:0")
        n.expect_buffer(chat, r"-- pyprobe: feature added$")
        # (Lines with the old ver, from presence sent before, are skipped.)
        bot.expect_line(r"^CAPS %s/nat sha-1 \S+ (?!%s$)\S+$"
                        % (re.escape(jid), re.escape(ver)))
        bot.send_json({"iq": "<query xmlns='%s'/>" % DISCO,
                       "to": jid + "/nat", "id": "d1"})
        a = bot.expect_line(r"^ANSWER d1 (\S+) (.*)$")
        assert a.group(1) == "result", a.group(2)
        query = ET.fromstring(json.loads(a.group(2))).find(
            "{%s}query" % DISCO)
        vars_ = [f.get("var") for f in query.findall("{%s}feature" % DISCO)]
        assert "urn:example:pyprobe:0" in vars_, vars_
        # An event that is not a message's.
        n.send("/set pyprobe.mark !")
        n.expect(r"^\[natter\] -- pyprobe: setting-changed pyprobe\.mark$")
        # Unloaded, the feature goes: caps back to what they were.
        n.send("/plugin unload pyprobe")
        bot.expect_line(r"^CAPS %s/nat sha-1 \S+ %s$"
                        % (re.escape(jid), re.escape(ver)))


def test_autoreply_answers_once_while_away():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "peer")
    n, local, jid = natter(p, ["plugins/autoreply.py"],
                           plugins_autoload="autoreply")
    chat = "%s/%s" % (local, b_jid)
    with n, Bot.sender(p, b_local, b_pw, commands=True) as peer:
        n.expect(r"^\[natter\] -- Plugin autoreply 1\.0 loaded$")
        n.expect_buffer(local, r"Connected as ")
        # Not away: no answer.
        peer.send({"to": jid, "body": "are you there?"})
        n.expect_buffer(chat, r"<%s> are you there\?$" % re.escape(b_jid))
        n.send("/autoreply on Back at five.")
        n.expect(r"-- Auto-reply on: Back at five\.$")
        peer.send({"to": jid, "body": "ping 1"})
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "[auto-reply] Back at five.", \
            m.group(1)
        # Once per contact: the second message gets no answer, which the
        # third, after the prefix changed, would show.
        peer.send({"to": jid, "body": "ping 2"})
        n.expect_buffer(chat, r"<%s> ping 2$" % re.escape(b_jid))
        n.send("/autoreply")
        n.expect(r"--   %s \(%s\): 2 messages$" % (re.escape(b_jid),
                                                  re.escape(local)))
        n.send("/autoreply off")
        n.expect(r"-- Auto-reply off\. While you were away:$")
        n.expect(r"--   %s \(%s\): 2 messages$" % (re.escape(b_jid),
                                                  re.escape(local)))
        peer.send({"to": jid, "body": "ping 3"})
        n.expect_buffer(chat, r"<%s> ping 3$" % re.escape(b_jid))
        # The only message the peer got was the one answer (the bot prints
        # what arrives in order; ours would have come before ping 3 shows).
        n.send("/msg %s marker" % b_jid)
        peer.expect_line(r"^RECV %s/nat \"marker\"$" % re.escape(jid))
        got = peer.lines_matching(r"^RECV ")
        assert len(got) == 2, got
        n.send("/autoreply off")
        n.expect(r"!! auto-reply is not on$")


def test_forward_relays_to_another_address_and_back():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "peer")
    f_local, f_jid, f_pw = tap.new_account(p, "phone")
    n, local, jid = natter(p, ["plugins/forward.py"],
                           plugins_autoload="forward")
    chat = "%s/%s" % (local, b_jid)
    with n, Bot.sender(p, b_local, b_pw, commands=True) as peer, \
            Bot.sender(p, f_local, f_pw, commands=True) as phone:
        n.expect(r"^\[natter\] -- Plugin forward 1\.0 loaded$")
        n.expect_buffer(local, r"Connected as ")
        n.send("/forward")
        n.expect(r"-- Forwarding is off")
        # Off: nothing goes on.
        peer.send({"to": jid, "body": "before"})
        n.expect_buffer(chat, r"<%s> before$" % re.escape(b_jid))
        n.send("/set forward.to %s" % f_jid)
        n.send("/forward")
        n.expect(r"-- Chat messages go on to %s\.$" % re.escape(f_jid))
        peer.send({"to": jid, "body": "are you coming?"})
        m = phone.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "%s: are you coming?" % b_jid, \
            m.group(1)
        # The answer from the phone goes to the contact, from natter.
        phone.send({"to": jid, "body": "yes, in ten minutes"})
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "yes, in ten minutes", m.group(1)
        n.expect_buffer(chat, r"<%s> yes, in ten minutes$"
                        % re.escape(local))
        # "@JID text" names the contact; the phone's own messages are
        # never forwarded back to it.
        phone.send({"to": jid, "body": "@%s see you" % b_jid})
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "see you", m.group(1)
        n.send("/msg %s marker" % f_jid)
        phone.expect_line(r'^RECV %s/nat "marker"$' % re.escape(jid))
        got = [json.loads(line.split(" ", 2)[2])
               for line in phone.lines_matching(r"^RECV ")]
        assert got == ["%s: are you coming?" % b_jid, "marker"], got
        # Off again: nothing more goes on.
        n.send("/set forward.to off")
        n.send("/forward")
        n.expect(r"-- Forwarding is off")
        peer.send({"to": jid, "body": "after"})
        n.expect_buffer(chat, r"<%s> after$" % re.escape(b_jid))
        n.send("/msg %s marker2" % f_jid)
        phone.expect_line(r'^RECV %s/nat "marker2"$' % re.escape(jid))
        assert len(phone.lines_matching(r"^RECV ")) == 3


def test_highlight_log_keeps_mentions_in_a_file():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "peer")
    n, local, jid = natter(p, ["plugins/highlight_log.py"])
    chat = "%s/%s" % (local, b_jid)
    log = os.path.join(n.data_dir, "plugin-data", "highlight_log",
                       "highlights.log")
    with n, Bot.sender(p, b_local, b_pw, commands=True) as peer:
        n.expect_buffer(local, r"Connected as ")
        n.send("/plugin load highlight_log")
        n.expect(r"-- Plugin highlight_log 1\.0 loaded")
        n.send("/set highlight_log.words deploy, Release")
        peer.send({"to": jid, "body": "lunch?"})
        peer.send({"to": jid, "body": "the RELEASE is out\nplease check"})
        n.expect_buffer(chat, r"<%s> lunch\?$" % re.escape(b_jid))
        n.expect_buffer(chat, r"please check$")
        n.send("/highlights")
        n.expect(r"-- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d %s %s <[^>]+> the "
                 r"RELEASE is out please check$" % (re.escape(local),
                                                    re.escape(b_jid)))
        with open(log, encoding="utf-8") as f:
            lines = f.read().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].endswith("%s %s <%s> the RELEASE is out please check"
                                 % (local, b_jid, b_local)) or \
            lines[0].endswith("the RELEASE is out please check"), lines
        # Unloaded, it keeps nothing more; the file stays.
        n.send("/plugin unload highlight_log")
        n.expect(r"-- Plugin highlight_log unloaded$")
        peer.send({"to": jid, "body": "deploy now"})
        n.expect_buffer(chat, r"<%s> deploy now$" % re.escape(b_jid))
        with open(log, encoding="utf-8") as f:
            assert len(f.read().splitlines()) == 1
        n.send("/plugin load highlight_log")
        n.expect(r"-- Plugin highlight_log 1\.0 loaded")
        n.send("/highlights clear")
        n.expect(r"-- Highlights cleared\.$")
        n.send("/highlights")
        n.expect(r"-- No highlights kept\.$")


def test_python_plugin_in_the_terminal():
    require_python()
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "alice")
    dirs = tempfile.mkdtemp(prefix="natter-pyplugins-tui-")
    util.on_cleanup("python plugin tui dirs", lambda: shutil.rmtree(
        dirs, ignore_errors=True))
    config, data = os.path.join(dirs, "config"), os.path.join(dirs, "data")
    os.makedirs(config)
    os.makedirs(os.path.join(data, "plugins"))
    write_keyfile(os.path.join(config, "accounts"),
                  {local: account_settings(p, local, pw)})
    for path in ("plugins/autoreply.py", "tests/plugins/pyprobe.py"):
        os.symlink(source(path), os.path.join(data, "plugins",
                                              os.path.basename(path)))
    t = Tmux([natter_path(), "--config-dir", config, "--data-dir", data,
              "-a", local], width=100, height=30, name="natter")
    with t:
        t.wait_for(r"Connected as ")
        t.type("/plugin load auto")
        t.send_keys("Tab")
        t.wait_for(r"/plugin load autoreply\s*$")
        t.send_keys("Enter")
        t.wait_for(r"Plugin autoreply 1\.0 loaded from")
        # Its command completes from its synopsis, and /help shows it.
        t.type("/autor")
        t.send_keys("Tab")
        t.wait_for(r"/autoreply\s*$")
        t.type("of")
        t.send_keys("Tab")
        t.wait_for(r"/autoreply off\s*$")
        t.send_keys("C-u")
        t.type("/help autoreply")
        t.send_keys("Enter")
        t.wait_for(r"/autoreply - answer chat messages while you are away "
                   r"\(plugin autoreply\)")
        t.type("/autoreply on lunch")
        t.send_keys("Enter")
        t.wait_for(r"Auto-reply on: lunch")
        # An exception in a Python callback is a line; the screen goes on.
        t.type("/plugin load pyprobe")
        t.send_keys("Enter")
        t.wait_for(r"Plugin pyprobe 0\.3 loaded from")
        t.type("/pyprobe boom")
        t.send_keys("Enter")
        t.wait_for(r"!! plugin pyprobe raised KeyError: 'boom' \(at "
                   r"pyprobe\.py:\d+ in probe\)")
        # And in natter's console, with the others.
        t.type("/win 1")
        t.send_keys("Enter")
        t.wait_for(r"!! Python plugin pyprobe: in command /pyprobe: "
                   r"KeyError: 'boom'")
        # A key action, a question and a window, from Python.
        t.type("/pyprobe key")
        t.send_keys("Enter")
        t.wait_for(r"pyprobe: key action added")
        t.type("/bind meta-w pyprobe.wave")
        t.send_keys("Enter")
        t.wait_for(r"meta-w now does pyprobe\.wave")
        t.send_keys("M-w")
        t.wait_for(r"pyprobe: waved")
        t.type("/pyprobe ask Tea or coffee?")
        t.send_keys("Enter")
        t.wait_for(r"Tea or coffee\?")
        t.type("tea")
        t.send_keys("Enter")
        t.wait_for(r"pyprobe: answer tea")
        t.type("/pyprobe ask Sugar?")
        t.send_keys("Enter")
        t.wait_for(r"Sugar\?")
        t.send_keys("C-c")
        t.wait_for(r"pyprobe: answer None")
        t.type("/pyprobe open bob@%s" % p.domain)
        t.send_keys("Enter")
        t.wait_for(r"^ \[\d+\] bob@%s" % re.escape(p.domain))
        t.type("/win 2")
        t.send_keys("Enter")
        t.type("/plugin unload autoreply")
        t.send_keys("Enter")
        t.wait_for(r"Plugin autoreply unloaded")
        t.type("/autor")
        t.send_keys("Tab")
        t.send_keys("Enter")
        # Nothing completed it to /autoreply any more: /autor itself ran.
        t.wait_for(r"unknown command /autor \(try /help\)")


if __name__ == "__main__":
    tap.main(globals())
