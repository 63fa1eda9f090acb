# Shared pieces of the terminal tests: the real natter in tmux with its own
# config and data dirs, and an account on the test server.
import os
import shutil
import tempfile

from natter_test import tap, util
from natter_test.headless import account_settings, natter_path, write_keyfile
from natter_test.tmux import Tmux


class TuiNatter(Tmux):
    """natter in a tmux pane; config and data dirs are removed on close."""

    def __init__(self, accounts=None, args=(), width=100, height=30,
                 env=None, dirs=None):
        """dirs: the config and data of an earlier TuiNatter(keep=True) to
        start again with (its .dirs)."""
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
