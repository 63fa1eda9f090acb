#!/usr/bin/python3
# Themes in the terminal: /theme list|load|show, the shipped themes, the
# theme remembered across starts, a user's theme over a shipped one, and
# broken or missing themes refused with the old looks kept.
import os
import re

from natter_test import tap, util

from tuifixtures import TuiNatter

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def status_sgr(t):
    """The SGR parameters in force at the first character of the status
    bar (the second row from the bottom)."""
    row = t.screen(escapes=True).splitlines()[-2]
    codes, i = [], 0
    while True:
        m = SGR.match(row, i)
        if not m:
            return codes
        codes = [] if m.group(1) in ("", "0") else \
            codes + m.group(1).split(";")
        i = m.end()


def wait_status(t, want, unwanted=()):
    """Wait until the status bar's SGR has every code of WANT."""
    util.wait_until(lambda: set(want) <= set(status_sgr(t)) and
                    not set(unwanted) & set(status_sgr(t)), 10,
                    "status bar SGR %s (now %s)" % (want, status_sgr(t)))


def test_shipped_themes_found_from_the_build_tree():
    # As a newcomer runs it: not installed, no NATTER_DATADIR.
    with TuiNatter(env={"NATTER_DATADIR": ""}) as t:
        t.wait_for(r"/help lists the commands")
        t.command_line("/theme list")
        t.wait_for(r"Themes \(4\):")
        t.wait_for(r"-- +mono$")
        t.command_line("/theme load irssi")
        t.wait_for(r"Theme irssi in use")


def test_shipped_themes_load_show_and_persist():
    t = TuiNatter()
    dirs = t.keep_dirs()
    with t:
        t.wait_for(r"/help lists the commands")
        wait_status(t, ["37", "44"])  # default: white on blue
        t.command_line("/theme list")
        t.wait_for(r"Themes \(\d+\):")
        for name in ("default", "irssi", "light", "mono"):
            t.wait_for(r"-- +%s" % name)
        t.wait_for(r"-- +default - in use")
        # Completion knows the names.
        t.type("/theme load li")
        t.send_keys("Tab")
        t.wait_for(r"\] /theme load light\s*$")
        t.send_keys("Enter")
        t.wait_for(r"Theme light in use")
        wait_status(t, ["30", "46"], ["44"])  # black on cyan
        t.command_line("/theme show")
        # The header names the file; a deep source tree may wrap it onto
        # the next screen line, so its end is matched on its own.
        t.wait_for(r"Theme light\s*(\(|$)")
        t.wait_for(r"themes/light\.theme\):")
        t.wait_for(r"-- +status = black,cyan")
        t.wait_for(r"-- +nick\.peer = magenta,default,bold")
        t.command_line("/quit")
        t.wait_exit()
    with TuiNatter(dirs=dirs) as t:
        t.wait_for(r"/help lists the commands")
        wait_status(t, ["30", "46"], ["44"])
        # /set theme does what /theme load does.
        t.command_line("/set theme mono")
        wait_status(t, ["7"], ["44", "46"])
        t.command_line("/theme")
        t.wait_for(r"Theme mono ")
        t.wait_for(r"-- +title = default,default,reverse")


def test_user_theme_wins_and_bad_themes_are_refused():
    t = TuiNatter()
    themes = os.path.join(t.config_dir, "themes")
    os.makedirs(themes)
    with open(os.path.join(themes, "light.theme"), "w") as f:
        f.write("[styles]\nstatus=yellow,green\n")
    with open(os.path.join(themes, "broken.theme"), "w") as f:
        f.write("[styles]\nstatus=white,blue\ntitle=plaid\n")
    with t:
        t.wait_for(r"/help lists the commands")
        t.command_line("/theme list")
        t.wait_for(r"-- +light \(yours\)")
        t.wait_for(r"-- +broken \(yours\)")
        t.wait_for(r"-- +mono$")
        t.command_line("/theme load light")
        t.wait_for(r"Theme light in use")
        wait_status(t, ["33", "42"], ["44"])
        # A broken theme changes nothing, not even its good lines.
        t.command_line("/theme load broken")
        t.wait_for(r"broken\.theme: title: 'plaid' is not a colour")
        wait_status(t, ["33", "42"], ["44"])
        t.command_line("/theme load nosuch")
        t.wait_for(r"there is no theme 'nosuch'")
        t.command_line("/theme load ../themes/light")
        t.wait_for(r"there is no theme '\.\./themes/light'")
        t.command_line("/set theme")
        t.wait_for(r"theme\s*=?\s*light")
        t.command_line("/theme frobnicate")
        t.wait_for(r"usage: /theme list \| load THEME \| show")


if __name__ == "__main__":
    tap.main(globals())
