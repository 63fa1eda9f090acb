# Shared pieces of the terminal tests: the real natter in tmux with its own
# config and data dirs, and an account on the test server.
import os
import re
import shutil
import tempfile

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import account_settings, natter_path, write_keyfile
from natter_test.tmux import Tmux


class TuiNatter(Tmux):
    """natter in a tmux pane; config and data dirs are removed on close."""

    def __init__(self, accounts=None, args=(), width=100, height=30,
                 env=None, dirs=None, restore=False):
        """dirs: the config and data of an earlier TuiNatter(keep=True) to
        start again with (its .dirs). restore: reopen the windows of the
        last session (natter's default; --no-restore unless asked)."""
        if not restore:
            args = ["--no-restore", *args]
        self.keep = dirs is not None
        self.dirs = dirs or tempfile.mkdtemp(prefix="natter-tui-")
        self.config_dir = os.path.join(self.dirs, "config")
        self.data_dir = os.path.join(self.dirs, "data")
        os.makedirs(self.config_dir, mode=0o700, exist_ok=True)
        if accounts:
            write_keyfile(os.path.join(self.config_dir, "accounts"), accounts)
        # The shipped themes of the source tree, as if installed.
        env = dict(env or {})
        if os.environ.get("NATTER_SRCDIR"):
            env.setdefault("NATTER_DATADIR",
                           os.path.realpath(os.environ["NATTER_SRCDIR"]))
        super().__init__([natter_path(), "--config-dir", self.config_dir,
                          "--data-dir", self.data_dir, *args],
                         width=width, height=height, env=env, name="natter")

    def command_line(self, text):
        """Type TEXT and press Enter, as a person would."""
        self.type(text)
        self.send_keys("Enter")

    def close(self):
        super().close()
        if not self.keep:
            shutil.rmtree(self.dirs, ignore_errors=True)

    def keep_dirs(self):
        """Leave the dirs at close, for a next TuiNatter(dirs=...); the
        caller removes them (util.on_cleanup)."""
        self.keep = True
        util.on_cleanup("tui dirs " + self.dirs,
                        lambda: shutil.rmtree(self.dirs, ignore_errors=True))
        return self.dirs


def account(prosody, prefix="alice", password=True):
    """A fresh account; returns (local, jid, password, accounts-file dict).
    With password=False the file has no password, so natter asks."""
    local, jid, pw = tap.new_account(prosody, prefix)
    settings = account_settings(prosody, local, pw if password else None)
    return local, jid, pw, {local: settings}


def stored_chat(prosody, count, text, height=30):
    """A fresh account whose history holds COUNT messages (TEXT with {i})
    from a contact, received by natter and stored; natter is stopped.
    Returns (local, contact's jid, dirs for TuiNatter(dirs=...))."""
    local, jid, pw, accounts = account(prosody)
    s_local, s_jid, s_pw = tap.new_account(prosody, "talker")
    # They wait in the server's offline storage until natter logs in.
    with Bot.sender(prosody, s_local, s_pw, to=jid, count=count,
                    text=text) as sender:
        sender.expect_line(r"^DONE$", timeout=30)
    t = TuiNatter(accounts, args=("-a", local), height=height)
    dirs = t.keep_dirs()
    with t:
        t.wait_for(r"\[Act: ")
        t.command_line("/msg %s" % s_jid)
        t.wait_for(re.escape(text.format(i=count)) + "$")
        t.command_line("/quit")
        t.wait_exit(10)
    return local, s_jid, dirs


def bot_join(bot, room, nick):
    """BOT (a sender bot with commands) joins ROOM as NICK, without the
    room's history; returns once the room has it."""
    bot.send({"raw": "<presence to='%s/%s'><x xmlns='http://jabber.org/"
              "protocol/muc'><history maxstanzas='0'/></x></presence>"
              % (room, nick)})
    bot.expect_line(r"^PRESENCE %s available$" % re.escape(room + "/" + nick))


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def styled(row):
    """The characters of ROW (a screen row with escapes) each with the SGR
    parameters in force for it: [(char, [code, ...]), ...]."""
    out, codes, i = [], [], 0
    while i < len(row):
        m = SGR.match(row, i)
        if m:
            codes = [] if m.group(1) in ("", "0") else \
                codes + m.group(1).split(";")
            i = m.end()
            continue
        out.append((row[i], codes))
        i += 1
    return out


def reverse_on(codes):
    """Whether SGR CODES leave reverse video on."""
    on = False
    for c in codes:
        on = True if c == "7" else False if c == "27" else on
    return on


def reversed_parts(row):
    """The runs of ROW (with escapes) drawn in reverse video."""
    parts, last = [], False
    for ch, codes in styled(row):
        on = reverse_on(codes)
        if on and not last:
            parts.append("")
        if on:
            parts[-1] += ch
        last = on
    return parts
