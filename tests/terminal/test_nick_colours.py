#!/usr/bin/python3
# Nicks in a room: each in its own colour (XEP-0392), the same on every
# line, off with the setting nick_colours or NO_COLOR; a message that
# mentions us is marked in the room itself.
import contextlib
import os
import re

from natter_test import tap, util
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account, bot_join, reverse_on, styled

def nick_sgr(t, nick, body):
    """The SGR of NICK on the row of its message BODY."""
    for row in t.screen(escapes=True).splitlines():
        chars = styled(row)
        text = "".join(ch for ch, _ in chars)
        if body in text and nick in text:
            return chars[text.index(nick)][1]
    raise AssertionError("no row with <%s> %s\n%s" % (nick, body,
                                                      t.screen()))


def colour_of(codes):
    """The foreground colour SGR CODES leave: "38;5;N", "3N" or None."""
    colour, i = None, 0
    while i < len(codes):
        c = codes[i]
        if c == "38" and codes[i + 1:i + 2] == ["5"]:
            colour = "38;5;" + codes[i + 2]
            i += 3
            continue
        if c == "39":
            colour = None
        elif len(c) == 2 and c[0] == "3":
            colour = c
        i += 1
    return colour


@contextlib.contextmanager
def room_with_two(prefix, env=None):
    """natter in a room with Romeo and Board (two bots): yields (t, local,
    room, romeo, board)."""
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, prefix)
    r_local, r_jid, r_pw = tap.new_account(p, "romeo")
    b_local, b_jid, b_pw = tap.new_account(p, "board")
    room = "colours-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    with Bot.sender(p, r_local, r_pw, commands=True) as romeo, \
            Bot.sender(p, b_local, b_pw, commands=True) as board, \
            TuiNatter(accounts, args=["-a", local], env=env) as t:
        t.wait_for(r"Connected as")
        t.command_line("/join %s" % room)
        t.wait_for(r"You joined %s" % re.escape(room))
        bot_join(romeo, room, "Romeo")
        bot_join(board, room, "Board")
        t.wait_for(r"Board joined\.")
        yield t, local, room, romeo, board


def test_each_nick_its_colour_and_mentions_marked():
    with room_with_two("colours") as (t, local, room, romeo, board):
        romeo.send({"to": room, "type": "groupchat", "body": "first words"})
        t.wait_for(r"<Romeo> first words")
        board.send({"to": room, "type": "groupchat", "body": "a reply"})
        t.wait_for(r"<Board> a reply")
        romeo.send({"to": room, "type": "groupchat", "body": "more words"})
        t.wait_for(r"<Romeo> more words")
        romeo1 = colour_of(nick_sgr(t, "Romeo", "first words"))
        romeo2 = colour_of(nick_sgr(t, "Romeo", "more words"))
        board1 = colour_of(nick_sgr(t, "Board", "a reply"))
        # XEP-0392 puts Romeo at a hue of 327 degrees, Board at 171: two
        # colours, and the same one for the same nick.
        assert romeo1 and board1, (romeo1, board1)
        assert romeo1 == romeo2, (romeo1, romeo2)
        assert romeo1 != board1, (romeo1, board1)

        # A mention: the nick stands out (reverse video) and the text is
        # bold, in the room's own window.
        board.send({"to": room, "type": "groupchat",
                    "body": "%s: look here" % local})
        t.wait_for(r"<Board> %s: look here" % re.escape(local))
        mention = nick_sgr(t, "Board", "look here")
        assert reverse_on(mention), mention
        assert not reverse_on(nick_sgr(t, "Board", "a reply"))

        # Off: every nick has the theme's nick.peer (yellow, bold).
        t.command_line("/set nick_colours off")
        t.wait_for(r"nick_colours = off")
        util.wait_until(
            lambda: colour_of(nick_sgr(t, "Romeo", "first words")) ==
            colour_of(nick_sgr(t, "Board", "a reply")) == "33", 10,
            "nick.peer for both nicks\n" + t.screen(escapes=True))
        t.command_line("/set nick_colours blue")
        t.wait_for(r"nick_colours = blue")
        util.wait_until(
            lambda: colour_of(nick_sgr(t, "Romeo", "first words")) not in
            (None, "33"), 10, "colours again\n" + t.screen(escapes=True))


def test_a_theme_palette_gives_nicks_its_colours():
    with room_with_two("palette") as (t, local, room, romeo, board):
        themes = os.path.join(t.config_dir, "themes")
        os.makedirs(themes, exist_ok=True)
        with open(os.path.join(themes, "pair.theme"), "w") as f:
            f.write("[nicks]\npalette=red,blue\n")
        t.command_line("/theme load pair")
        t.wait_for(r"pair")
        romeo.send({"to": room, "type": "groupchat", "body": "first words"})
        t.wait_for(r"<Romeo> first words")
        board.send({"to": room, "type": "groupchat", "body": "a reply"})
        t.wait_for(r"<Board> a reply")
        # Romeo's hue (327 degrees) is nearest red's, Board's (171) blue's:
        # only the theme's two colours are used.
        assert colour_of(nick_sgr(t, "Romeo", "first words")) == "31", \
            t.screen(escapes=True)
        assert colour_of(nick_sgr(t, "Board", "a reply")) == "34", \
            t.screen(escapes=True)
        # A palette that is no list of colours is refused; the looks stay.
        with open(os.path.join(themes, "bad.theme"), "w") as f:
            f.write("[nicks]\npalette=red,plaid\n")
        t.command_line("/theme load bad")
        t.wait_for(r"bad\.theme: \[nicks\]")
        t.wait_for(r"'plaid' is not a colour")
        assert colour_of(nick_sgr(t, "Board", "a reply")) == "34"


def test_no_color_means_no_nick_colours():
    with room_with_two("nocolour", {"NO_COLOR": "1"}) as \
            (t, local, room, romeo, board):
        romeo.send({"to": room, "type": "groupchat", "body": "first words"})
        board.send({"to": room, "type": "groupchat",
                    "body": "%s: plain" % local})
        t.wait_for(r"<Board> %s: plain" % re.escape(local))
        t.wait_for(r"<Romeo> first words")
        assert colour_of(nick_sgr(t, "Romeo", "first words")) is None
        # The mention is still marked, without colours.
        assert reverse_on(nick_sgr(t, "Board", "plain"))


if __name__ == "__main__":
    tap.main(globals())
