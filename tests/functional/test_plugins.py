#!/usr/bin/python3
# C plugins (include/natter/plugin.h) in the real binary against the real
# server: the plugins of the tree (urlgrab, wordfilter, blockwords) loaded,
# used and unloaded; the test plugins of tests/plugins (probe: events and
# the rest of the API; badversion: another API version; failinit: an init
# that fails) refused or reported while natter goes on; unloading leaves no
# command, setting or subscription; completion and /help in the terminal;
# and a plugin built against the header and pkg-config file that
# `make install` puts in a DESTDIR loads.
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

from test_ctl import client

DISCO = "http://jabber.org/protocol/disco#info"
BUILD_DIR = os.path.dirname(os.path.dirname(natter_path()))


def built(path):
    """A plugin of the build tree, e.g. "plugins/urlgrab.so"."""
    full = os.path.join(BUILD_DIR, path)
    assert os.path.exists(full), "not built: %s" % full
    return full


def link_plugins(data_dir, *paths):
    """The user's plugin directory of DATA_DIR, holding links to PATHS."""
    d = os.path.join(data_dir, "plugins")
    os.makedirs(d, exist_ok=True)
    for path in paths:
        os.symlink(built(path), os.path.join(d, os.path.basename(path)))
    return d


def natter(p, plugins=(), contact=None, **settings):
    """A headless natter of a fresh account with PLUGINS in its plugin
    directory and SETTINGS in natterrc, logged in; CONTACT (a localpart)
    is made a mutual contact first. (natter, localpart, jid)."""
    local, jid, pw = tap.new_account(p, "alice")
    if contact:
        p.make_mutual(local, contact)
    n = Headless(["-a", local], accounts={local: account_settings(
        p, local, pw, resource="nat")})
    link_plugins(n.data_dir, *plugins)
    if settings:
        write_keyfile(os.path.join(n.config_dir, "natterrc"),
                      {"settings": settings})
    return n, local, jid


def sync(n):
    """Waits until every line before now is printed: a command's answer
    comes after what earlier events printed (events are synchronous)."""
    n.send("/plugin list")
    n.expect(r"^\[\S+\] -- (?:Plugins loaded:|No plugins loaded\.)")


def test_urlgrab_load_use_unload():
    p = tap.shared_prosody()
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    n, local, jid = natter(p, ["plugins/urlgrab.so"])
    chat = "%s/%s" % (local, s_jid)
    with n, Bot.sender(p, s_local, s_pw, commands=True) as sender:
        n.expect_buffer(local, r"Connected as ")
        n.send("/plugin list")
        n.expect(r"^\[\S+\] -- No plugins loaded\.$")
        n.expect(r"^\[\S+\] -- Not loaded \(in .*\): urlgrab$")
        n.send("/plugin load urlgrab")
        n.expect(r"^\[\S+\] -- Plugin urlgrab 1\.0 loaded from .*"
                 r"/plugins/urlgrab\.so$")
        n.send("/plugin load urlgrab")
        n.expect(r"^\[\S+\] !! a plugin named urlgrab is already loaded$")
        # Its command is in /help's list and has its own page.
        n.send("/help")
        n.expect(r"^\[\S+\] -- .*/urls\b.*list the links said in this "
                 r"conversation \(plugin urlgrab\)")
        n.send("/help urls")
        n.expect(r"^\[\S+\] --   /urls clear$")
        n.send("/set urlgrab.max")
        n.expect(r"^\[\S+\] --   urlgrab\.max\s+20\b")
        sender.send({"to": jid, "body": "see https://example.org/a?b=1. "
                     "and (xmpp:room@muc.example.org?join) xhttp://no"})
        n.expect_buffer(chat, r"see https://example\.org/a")
        n.send("/msg %s look at ftp://files.example.org/x" % s_jid)
        n.expect_buffer(chat, r"look at ftp://")
        n.send("/urls")
        n.expect_buffer(chat, r"-- Links in %s:$" % re.escape(s_jid))
        n.expect_buffer(chat, r"--   1\. https://example\.org/a\?b=1 \(")
        n.expect_buffer(chat, r"--   2\. xmpp:room@muc\.example\.org\?join \(")
        n.expect_buffer(chat, r"--   3\. ftp://files\.example\.org/x \(")
        sync(n)
        assert not n.lines_matching(r"--   4\. "), n.transcript()
        # In natter's console there is no conversation.
        n.send("/win 1")
        n.send("/urls")
        n.expect(r"^\[\S+\] !! /urls works in a chat or room window$")
        n.send("/plugin info urlgrab")
        n.expect(r"^\[\S+\] --   commands: /urls; settings: urlgrab\.max; "
                 r"events: message-(?:received|sent) message-(?:received|"
                 r"sent); stages: none; timers: 0; disco features: none; "
                 r"key actions: none$")
        n.send("/plugin unload urlgrab")
        n.expect(r"^\[\S+\] -- Plugin urlgrab unloaded$")
        # Nothing of it is left: command, help, setting.
        n.send("/urls")
        n.expect(r"^\[\S+\] !! unknown command /urls")
        n.send("/help urls")
        n.expect(r"^\[\S+\] !! ")
        n.send("/set urlgrab.max")
        n.expect(r"^\[\S+\] !! no setting matches 'urlgrab\.max'")
        # Loaded again, it starts from nothing (its subscriptions were
        # gone meanwhile: this link is not kept).
        sender.send({"to": jid, "body": "meanwhile https://example.org/gone"})
        n.expect_buffer(chat, r"meanwhile https://")
        n.send("/plugin load urlgrab")
        n.expect(r"^\[\S+\] -- Plugin urlgrab 1\.0 loaded")
        n.send("/msg %s" % s_jid)
        n.send("/urls")
        n.expect_buffer(chat, r"-- No links in %s yet\.$" % re.escape(s_jid))


def test_wordfilter_changes_what_the_peer_receives():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "peer")
    n, local, jid = natter(p, ["plugins/wordfilter.so"],
                           plugins_autoload="wordfilter")
    chat = "%s/%s" % (local, b_jid)
    with n, Bot.sender(p, b_local, b_pw, commands=True) as peer:
        n.expect(r"^\[natter\] -- Plugin wordfilter 1\.0 loaded$")
        n.expect_buffer(local, r"Connected as ")
        n.send("/set wordfilter.words teh=the, recieve=receive")
        n.send("/msg %s teh cat will recieve tehx (teh)" % b_jid)
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "the cat will receive tehx (the)", \
            m.group(0)
        # What is shown and kept is what was sent.
        n.expect_buffer(chat, r"<[^>]+> the cat will receive tehx \(the\)$")
        n.send("/wordfilter")
        n.expect_buffer(chat, r"-- teh=the, recieve=receive$")
        n.send("/plugin unload wordfilter")
        n.expect(r"-- Plugin wordfilter unloaded$")
        n.send("/msg %s teh end" % b_jid)
        m = peer.expect_line(r"^RECV %s/nat (.*)$" % re.escape(jid))
        assert json.loads(m.group(1)) == "teh end", m.group(0)
        n.send("/set wordfilter.words")
        n.expect(r"!! no setting matches 'wordfilter\.words'")


def test_blockwords_refuses_an_inbound_message():
    p = tap.shared_prosody()
    s_local, s_jid, s_pw = tap.new_account(p, "spammer")
    n, local, jid = natter(p, ["plugins/blockwords.so"],
                           plugins_autoload="blockwords",
                           **{"blockwords.words": "casino, free money"})
    chat = "%s/%s" % (local, s_jid)
    with n, Bot.sender(p, s_local, s_pw, commands=True) as spammer:
        n.expect(r"^\[natter\] -- Plugin blockwords 1\.0 loaded$")
        n.expect_buffer(local, r"Connected as ")
        spammer.send({"to": jid, "body": "Win at the CASINO tonight"})
        n.expect_buffer(local, r"!! refused by plugin blockwords: a message "
                        r"from %s contained \"casino\"$" % re.escape(s_jid))
        spammer.send({"to": jid, "body": "an honest hello"})
        n.expect_buffer(chat, r"<[^>]+> an honest hello$")
        assert not n.lines_matching(r"CASINO"), n.transcript()
        n.send("/blockwords")
        n.expect(r"-- Blocked words: casino, free money; 1 message refused\.$")
        n.send("/plugin unload blockwords")
        n.expect(r"-- Plugin blockwords unloaded$")
        spammer.send({"to": jid, "body": "casino again"})
        n.expect_buffer(chat, r"<[^>]+> casino again$")
        # The refused one was not stored either: the history has only the
        # one that came after the unload.
        n.send("/history search casino")
        n.expect(r"-- 1 message of %s with: casino \(1-1\)$"
                 % re.escape(local))


def test_probe_gets_events_and_uses_the_api():
    p = tap.shared_prosody()
    b_local, b_jid, b_pw = tap.new_account(p, "probe")
    bot = Bot.probe(p, b_local, b_pw, resource="probe")
    n, local, jid = natter(p, ["tests/plugins/probe.so"], contact=b_local,
                           plugins_autoload="probe")
    bot_full = b_jid + "/probe"
    chat = "%s/%s" % (local, b_jid)
    with bot, n:
        n.expect(r"^\[natter\] -- probe: init done$")
        n.expect(r"^\[natter\] -- probe: account-state account=%s jid=- "
                 % re.escape(local))
        n.expect(r"^\[natter\] -- probe: account-ready account=%s "
                 % re.escape(local))
        n.expect(r"^\[natter\] -- probe: presence-changed account=%s jid=%s "
                 % (re.escape(local), re.escape(b_jid)))
        ver = bot.expect_line(r"^CAPS %s/nat sha-1 \S+ (\S+)$"
                              % re.escape(jid)).group(1)
        n.send("/msg %s hello bot" % b_jid)
        n.expect(r"^\[natter\] -- probe: message-sent account=%s jid=%s "
                 r"detail=- body=hello bot$" % (re.escape(local),
                                               re.escape(b_jid)))
        n.send("/probe where")
        n.expect_buffer(chat, r"-- probe: account=%s peer=%s$"
                        % (re.escape(local), re.escape(b_jid)))
        # A raw stanza reaches the peer as written.
        n.send("/probe stanza <message to='%s' type='chat'><body>raw "
               "&amp; written</body></message>" % bot_full)
        n.expect_buffer(chat, r"-- probe: stanza sent$")
        bot.expect_line(r'^RECV %s/nat "raw & written"$' % re.escape(jid))
        n.send("/probe stanza <message><unclosed>")
        n.expect_buffer(chat, r"!! probe: not a well-formed message, "
                        r"presence or iq element$")
        # natter_send_message takes the typed path: the event, the view.
        n.send("/probe send %s via the api" % b_jid)
        n.expect(r"^\[natter\] -- probe: message-sent .* body=via the api$")
        # The timer ticks three times, then stops.
        n.send("/probe timer 3")
        for i in (3, 2, 1):
            n.expect(r"^\[natter\] -- probe: tick %d$" % i)
        # The data directory.
        n.send("/probe datadir")
        m = n.expect(r"-- probe: wrote (\S+)$")
        path = m.group(1)
        assert path == os.path.join(n.data_dir, "plugin-data", "probe",
                                    "note.txt"), path
        with open(path) as f:
            assert f.read() == "written by probe\n"
        assert os.stat(os.path.dirname(path)).st_mode & 0o777 == 0o700
        # A disco feature: announced in new caps and in disco#info.
        n.send("/probe feature urn:example:probe:0")
        n.expect_buffer(chat, r"-- probe: feature added$")
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
        assert "urn:example:probe:0" in vars_, vars_
        n.send("/set probe.flag on")
        n.expect(r"^\[natter\] -- probe: setting-changed account=- jid=- "
                 r"detail=probe\.flag$")
        # A timer that is still running when it is unloaded.
        n.send("/probe spin")
        n.expect_buffer(chat, r"-- probe: spinning$")
        n.send("/plugin info probe")
        n.expect(r"--   commands: /probe; settings: probe\.flag; events: .*; "
                 r"stages: none; timers: 1; disco features: "
                 r"urn:example:probe:0; key actions: none$")
        # Unloaded: deinit runs, the timer and the feature go (caps back to
        # the old ver), no more events; natter survives the unmapping of
        # the plugin's code (the timer ran every millisecond).
        n.send("/plugin unload probe")
        n.expect(r"^\[natter\] -- probe: deinit$")
        bot.expect_line(r"^CAPS %s/nat sha-1 \S+ %s$"
                        % (re.escape(jid), re.escape(ver)))
        before = len(n.lines_matching(r"probe: "))
        n.send("/msg %s after unload" % b_jid)
        n.expect_buffer(chat, r"<[^>]+> after unload$")
        sync(n)
        assert len(n.lines_matching(r"probe: ")) == before, n.transcript()
        n.send("/probe where")
        n.expect(r"!! unknown command /probe")
        n.send("/set probe.flag")
        n.expect(r"!! no setting matches 'probe\.flag'")


def test_version_mismatch_and_failing_init_are_reported():
    p = tap.shared_prosody()
    n, local, jid = natter(p, ["tests/plugins/failinit.so"],
                           plugins_autoload="failinit nosuchplugin")
    with n:
        # At start: the autoloaded ones are reported and natter goes on.
        n.expect(r"^\[natter\] !! plugin failinit failed to start: no "
                 r"configuration found \(on purpose\)$")
        n.expect(r"^\[natter\] !! no plugin nosuchplugin: nosuchplugin\.so "
                 r"is not in ")
        n.expect_buffer(local, r"Connected as ")
        n.send("/plugin load %s" % built("tests/plugins/badversion.so"))
        n.expect(r"^\[\S+\] !! plugin \S+/badversion\.so was built for "
                 r"plugin API version 42, but this natter has version 1: "
                 r"rebuild it against this natter's plugin\.h$")
        n.send("/plugin load failinit")
        n.expect(r"^\[\S+\] !! plugin failinit failed to start: no "
                 r"configuration found \(on purpose\)$")
        n.send("/plugin load %s" % natter_path())
        n.expect(r"^\[\S+\] !! (?:cannot load plugin|\S+ is not a natter "
                 r"plugin)")
        n.send("/plugin load no/such/file.so")
        n.expect(r"^\[\S+\] !! no plugin file no/such/file\.so$")
        n.send("/plugin load bad*name")
        n.expect(r"^\[\S+\] !! 'bad\*name' is not a plugin name")
        n.send("/plugin unload failinit")
        n.expect(r"^\[\S+\] !! no plugin named failinit is loaded$")
        # What failinit registered before failing is gone.
        n.send("/failinit")
        n.expect(r"^\[\S+\] !! unknown command /failinit")
        n.send("/set failinit.left")
        n.expect(r"^\[\S+\] !! no setting matches 'failinit\.left'")
        n.send("/plugin list")
        n.expect(r"^\[\S+\] -- No plugins loaded\.$")
        assert not n.lines_matching(r"badversion: init ran"), n.transcript()
        # natter still works.
        n.send("/msg %s still alive" % jid)
        n.expect_buffer("%s/%s" % (local, jid), r"still alive$")


def tui_natter(p, plugin, width=100):
    """natter in tmux, of a fresh account, with PLUGIN (a path of the
    build tree) in its plugin directory."""
    local, jid, pw = tap.new_account(p, "alice")
    dirs = tempfile.mkdtemp(prefix="natter-plugins-tui-")
    util.on_cleanup("plugin tui dirs", lambda: shutil.rmtree(
        dirs, ignore_errors=True))
    config, data = os.path.join(dirs, "config"), os.path.join(dirs, "data")
    os.makedirs(config)
    write_keyfile(os.path.join(config, "accounts"),
                  {local: account_settings(p, local, pw)})
    link_plugins(data, plugin)
    return Tmux([natter_path(), "--config-dir", config, "--data-dir", data,
                 "-a", local], width=width, height=30, name="natter")


def test_plugin_command_completes_and_helps_in_the_terminal():
    p = tap.shared_prosody()
    t = tui_natter(p, "plugins/urlgrab.so")
    with t:
        t.wait_for(r"Connected as ")
        t.type("/plugin lo")
        t.send_keys("Tab")
        t.wait_for(r"/plugin load\s*$")
        t.type("url")
        t.send_keys("Tab")
        t.wait_for(r"/plugin load urlgrab\s*$")
        t.send_keys("Enter")
        t.wait_for(r"Plugin urlgrab 1\.0 loaded from ")
        t.type("/ur")
        t.send_keys("Tab")
        t.wait_for(r"/urls\s*$")
        t.type("cl")
        t.send_keys("Tab")
        t.wait_for(r"/urls clear\s*$")
        t.send_keys("C-u")
        t.type("/help urls")
        t.send_keys("Enter")
        t.wait_for(r"/urls - list the links said in this conversation "
                   r"\(plugin urlgrab\)")
        t.type("/plugin unload urlgrab")
        t.send_keys("Enter")
        t.wait_for(r"Plugin urlgrab unloaded")
        t.type("/ur")
        t.send_keys("Tab")
        t.send_keys("Enter")
        # Nothing completed it to /urls any more: /ur itself ran.
        t.wait_for(r"unknown command /ur \(try /help\)")


def test_probe_key_action_question_and_window_in_the_terminal():
    p = tap.shared_prosody()
    t = tui_natter(p, "tests/plugins/probe.so", width=120)
    with t:
        t.wait_for(r"Connected as ")
        # In natter's console, where the probe prints.
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        t.type("/plugin load probe")
        t.send_keys("Enter")
        t.wait_for(r"probe: init done")
        # A key action of the plugin's, bound by the user and pressed.
        t.type("/probe key")
        t.send_keys("Enter")
        t.wait_for(r"probe: key action added")
        t.type("/bind meta-k probe.hello")
        t.send_keys("Enter")
        t.wait_for(r"meta-k now does probe\.hello")
        t.type("/help keys")
        t.send_keys("Enter")
        t.wait_for(r"probe\.hello +the probe's key action")
        t.send_keys("M-k")
        t.wait_for(r"probe: key action ran")
        # A question on the input line, answered there.
        t.type("/probe ask Which colour?")
        t.send_keys("Enter")
        t.wait_for(r"Which colour\?")
        t.type("blue")
        t.send_keys("Enter")
        t.wait_for(r"probe: answer blue")
        # A window opened and shown.
        t.type("/probe open bob@%s" % p.domain)
        t.send_keys("Enter")
        t.wait_for(r"^ \[\d+\] bob@%s" % re.escape(p.domain))
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        # A question cancelled; the plugin unloaded: its action is gone
        # (the key is bound to nothing natter knows).
        t.type("/probe ask Still there?")
        t.send_keys("Enter")
        t.wait_for(r"Still there\?")
        t.send_keys("C-c")
        t.wait_for(r"probe: answer \(cancelled\)")
        t.type("/plugin info probe")
        t.send_keys("Enter")
        t.wait_for(r"key actions: probe\.hello")
        natter_pid = t.pane_pid()
        t.type("/plugin unload probe")
        t.send_keys("Enter")
        t.wait_for(r"Plugin probe unloaded")
        t.type("/plugin info probe")
        t.send_keys("Enter")
        t.wait_for(r"no plugin named probe is loaded")
        t.send_keys("M-k")
        t.type("/help keys")
        t.send_keys("Enter")
        t.wait_for(r"message\.select_next +select the next message")
        assert "probe.hello" not in t.screen(), t.screen()
        assert not t.pane_dead() and t.pane_pid() == natter_pid


def test_a_question_open_at_unload_is_answered_to_nobody():
    p = tap.shared_prosody()
    n, local, jid = natter(p, plugins=("tests/plugins/probe.so",),
                           control_socket="on")
    with n:
        n.expect(r"^\[natter\] -- Control socket: \S+$")
        n.expect_buffer(local, r"Connected as ")
        n.send("/plugin load probe")
        n.expect(r"probe: init done")
        n.send("/probe ask Which colour?")
        n.expect(r"Which colour\?")
        # While the question waits for standard input, the plugin goes
        # through the control socket.
        r = client(n, "--ctl", "/plugin unload probe")
        assert r.returncode == 0 and "Plugin probe unloaded" in r.stdout, r
        n.expect(r"probe: deinit")
        n.send("blue")
        sync(n)
        assert not n.lines_matching(r"probe: answer"), n.transcript()
        n.send("/plugin info probe")
        n.expect(r"no plugin named probe is loaded")
        n.send("/quit")
        assert n.wait_exit(10) == 0


def test_plugin_built_against_the_installed_header_loads():
    destdir = tempfile.mkdtemp(prefix="natter-destdir-")
    util.on_cleanup("destdir", lambda: shutil.rmtree(destdir,
                                                     ignore_errors=True))
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    # What `make install` installs for plugin authors: the header and
    # the pkg-config file.
    subprocess.run(["make", "-s", "-C", BUILD_DIR,
                    "install-natterincludeHEADERS", "install-pkgconfigDATA",
                    "DESTDIR=" + destdir], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    pcs = [os.path.join(r, f) for r, _, fs in os.walk(destdir) for f in fs
           if f == "natter-plugin.pc"]
    assert len(pcs) == 1, pcs
    env.update(PKG_CONFIG_PATH=os.path.dirname(pcs[0]),
               PKG_CONFIG_SYSROOT_DIR=destdir)
    cflags = subprocess.run(["pkg-config", "--cflags", "natter-plugin"],
                            check=True, env=env, capture_output=True,
                            text=True).stdout.split()
    assert any(f.startswith("-I" + destdir) for f in cflags), cflags
    source = os.path.join(destdir, "hello.c")
    with open(source, "w") as f:
        f.write(HELLO_PLUGIN)
    so = os.path.join(destdir, "hello.so")
    subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", "-shared",
                    "-fvisibility=hidden", *cflags, "-o", so, source],
                   check=True, env=env)
    p = tap.shared_prosody()
    n, local, jid = natter(p)
    with n:
        n.expect_buffer(local, r"Connected as ")
        n.send("/plugin load %s" % so)
        n.expect(r"^\[\S+\] -- Plugin hello 2\.0 loaded from ")
        n.send("/hello world")
        n.expect(r"^\[\S+\] -- hello, world, from the installed header$")


HELLO_PLUGIN = r"""
#include <natter/plugin.h>
#include <stdio.h>

static int hello(NatterCall *call, int argc, const char *const *argv,
                 void *data)
{
    char line[256];
    (void)argc;
    (void)data;
    snprintf(line, sizeof line, "hello, %s, from the installed header",
             argv[0]);
    natter_call_print(call, line);
    return 1;
}

static int init(NatterPlugin *plugin)
{
    static const char *const synopsis[] = {"/hello NAME", NULL};
    const NatterCommandSpec spec = {"hello", synopsis, "say hello",
                                    "Says hello.", 1, 1, 0, hello};
    return natter_command_register(plugin, &spec, NULL);
}

NATTER_PLUGIN_DEFINE("hello", "2.0", "built outside the tree", init, NULL);
"""


if __name__ == "__main__":
    tap.main(globals())
