#!/usr/bin/python3
# The terminal UI as a person uses it: the real natter in tmux, keys typed,
# the screen read back.
import re

from natter_test import tap, util
from natter_test.bots import Bot

from tuifixtures import TuiNatter, account, stored_chat

STATUS_ROW = -2  # the status bar is the second line from the bottom
INPUT_ROW = -1


def echo(prosody):
    local, jid, pw = tap.new_account(prosody, "bot")
    return Bot.echo(prosody, local, pw), jid


def test_password_is_not_echoed_and_chat_works():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, password=False)
    bot, bot_jid = echo(p)
    with bot, TuiNatter(accounts) as t:
        t.wait_for(r"natter 0\.\d+\.\d+\. /help lists the commands")
        t.command_line("/connect %s" % local)
        t.wait_for(r"Password for %s:" % re.escape(jid))
        t.type(pw)
        # Typed, not yet submitted: nowhere on the screen.
        assert pw not in t.screen(), t.screen()
        t.send_keys("Enter")
        t.wait_for(r"Connected as %s/natter\.\w+ \(TLS\)" % re.escape(jid))
        assert pw not in t.screen()
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s hi from the terminal" % bot_jid)
        t.wait_for(r"<%s> echo: hi from the terminal" % re.escape(bot_jid))
        assert re.search(r"^ \[3\] %s \(account %s\)" % (
            re.escape(bot_jid), re.escape(local)), t.screen(), re.M), \
            t.screen()
        t.type("typed in the chat window")
        t.send_keys("Enter")
        t.wait_for(r"echo: typed in the chat window")


def test_windows_switch_with_alt_digits_and_escape_digit():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    with TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.command_line("/msg friend@%s" % p.domain)
        t.wait_for(r"^ \[3\] friend@localhost", )
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        t.send_keys("M-2")
        t.wait_for(r"^ \[2\] %s: online" % re.escape(local))
        # Terminals without a Meta key send Esc, then the digit.
        t.send_keys("Escape", "3")
        t.wait_for(r"^ \[3\] friend@localhost")
        t.command_line("/win prev")
        t.wait_for(r"^ \[2\] ")
        t.command_line("/close 3")
        t.command_line("/wins")
        t.wait_for(r"Windows:")
        assert "friend@localhost" not in t.screen(), t.screen()


def test_activity_shows_in_the_status_bar_until_visited():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "sender")
    with TuiNatter(accounts, args=["-a", local]) as t, \
            Bot.sender(p, s_local, s_pw, commands=True) as sender:
        t.wait_for(r"Connected as")
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        sender.send({"to": jid, "body": "knock knock"})
        # Window 3 (the new chat) is listed; the account's console (2) may
        # be too, for a line of the login that came after Alt-1.
        t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
        t.send_keys("M-3")
        t.wait_for(r"knock knock")
        t.wait_gone(r"\[Act: (?:\d+,)*3\b")


def test_hostile_text_is_drawn_safely():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "hostile")
    with TuiNatter(accounts, args=["-a", local]) as t, \
            Bot.sender(p, s_local, s_pw, commands=True) as sender:
        t.wait_for(r"Connected as")
        # U+009B is CSI to many terminals: "CSI 2J" would clear the screen,
        # U+202E would mirror the rest of the line.
        sender.send({"to": jid, "body": "before\u009b2J\u202eafter"})
        t.wait_for(r"\[Act: (?:\d+,)*3(?:,\d+)*\]")
        t.send_keys("M-3")
        t.wait_for("before\ufffd2J\ufffdafter")
        # The screen was not cleared: the title and status are still there.
        assert re.search(r"^ \[3\] ", t.screen(), re.M), t.screen()


def test_input_line_editing_keys():
    with TuiNatter() as t:
        t.wait_for(r"/help lists the commands")
        t.type("hello world")
        t.send_keys("C-a")
        t.type(">")
        t.wait_for(r"^\[natter\] >hello world$")
        t.send_keys("C-e", "C-w")
        # (the screen's trailing blanks are trimmed)
        t.wait_for(r"^\[natter\] >hello$")
        assert t.cursor()[1] == len("[natter] >hello "), t.cursor()
        t.send_keys("C-y")
        t.wait_for(r"^\[natter\] >hello world$")
        t.send_keys("M-b", "C-k")
        t.wait_for(r"^\[natter\] >hello$")
        t.send_keys("C-u")
        t.wait_for(r"^\[natter\]$")
        # Wide characters keep the cursor where it belongs.
        t.type("日本")
        t.wait_for(r"^\[natter\] 日本$")
        row, col = t.cursor()
        assert col == len("[natter] ") + 4, (row, col)
        t.send_keys("BSpace")
        t.wait_for(r"^\[natter\] 日$")
        t.send_keys("C-u")
        t.command_line("/help quit")
        t.wait_for(r"/quit - disconnect every account")
        t.send_keys("Up")
        t.wait_for(r"^\[natter\] /help quit$")


# The last row /help prints: the command that sorts last.
# The last row of the output below: /wins ends the screenful, so new
# commands in /help do not move it.
LAST_ROW = r"--\s+1  natter$"


def test_page_up_shows_more_below_and_page_down_returns():
    with TuiNatter(height=15) as t:
        t.wait_for(r"/help lists the commands")
        # More lines than the view has rows.
        t.command_line("/help")
        t.command_line("/help")
        t.command_line("/wins")
        t.wait_for(LAST_ROW)

        def last_view_row():
            return t.lines()[STATUS_ROW - 1]

        assert re.search(LAST_ROW, last_view_row())
        before = t.lines()
        t.send_keys("PageUp")
        t.wait_for(r"-- more below --")
        # Half a view (6 of 12 rows) up: the newest rows are hidden and the
        # row that was 6 above the bottom is at the bottom now.
        def untimed(row):
            return re.sub(r"^\d\d:\d\d ", "", row)
        assert untimed(last_view_row()) == \
            untimed(before[STATUS_ROW - 1 - 6]), t.screen()
        t.send_keys("PageDown", "PageDown")
        t.wait_gone(r"-- more below --")
        assert re.search(LAST_ROW, last_view_row())


def test_resize_redraws_the_layout():
    with TuiNatter(width=100, height=30) as t:
        t.wait_for(r"/help lists the commands")
        for width, height in ((60, 15), (40, 10), (100, 30)):
            t.resize(width, height)
            # Redrawn for the new size: the status bar and the input line
            # on the last rows, all seen in one capture (a resize may clear
            # the screen just before it is drawn again).
            def laid_out():
                lines = t.lines()
                return (len(lines) == height and
                        re.match(r"^ \[\d\d:\d\d\]", lines[STATUS_ROW]) and
                        lines[INPUT_ROW].startswith("[natter]"))
            util.wait_until(laid_out, 10, "the layout of %dx%d" % (width,
                                                                   height))


def test_ctrl_c_cancels_the_password_question():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, password=False)
    with TuiNatter(accounts) as t:
        t.command_line("/connect %s" % local)
        t.wait_for(r"Password for")
        t.send_keys("C-c")
        t.wait_for(r"Connecting cancelled\.")
        t.wait_for(r"^\[%s\]$" % re.escape(local))


def test_quit_exits_with_status_zero():
    with TuiNatter() as t:
        t.wait_for(r"/help lists the commands")
        t.command_line("/quit")
        assert t.wait_exit(10) == (0, None)


def test_two_accounts_online_at_once():
    p = tap.shared_prosody()
    work, work_jid, _, accounts = account(p, "work")
    home, home_jid, _, more = account(p, "home")
    accounts.update(more)
    bot, bot_jid = echo(p)
    with bot, TuiNatter(accounts, args=("-a", work, "-a", home)) as t:
        # The status bar shows each account's state.
        t.wait_for(r"\[%s: online\]" % re.escape(work))
        t.wait_for(r"\[%s: online\]" % re.escape(home))
        # Each account's console is a window of its own, titled with it.
        t.command_line("/wins")
        t.wait_for(r"-- +2  %s$" % re.escape(work))
        t.wait_for(r"-- +3  %s$" % re.escape(home))
        t.send_keys("M-1")
        t.wait_for(r"^ \[1\] natter")
        t.command_line("/msg -a %s %s from work" % (work, bot_jid))
        t.wait_for(r"<%s> echo: from work" % re.escape(bot_jid))
        title = t.lines()[0]
        assert re.match(r"^ \[\d+\] %s \(account %s\)" % (
            re.escape(bot_jid), re.escape(work)), title), t.screen()
        # The same contact through the other account is another window.
        t.command_line("/msg -a %s %s from home" % (home, bot_jid))
        t.wait_for(r"<%s> echo: from home" % re.escape(bot_jid))
        assert re.match(r"^ \[\d+\] %s \(account %s\)" % (
            re.escape(bot_jid), re.escape(home)), t.lines()[0]), t.screen()
        assert "from work" not in t.screen()
        # The bot's line for it may still be on its way to us.
        bot.expect_line(r'^RECV \S+ "from home"$')
        frm = [line.split()[1] for line in bot.lines_matching(r"^RECV ")]
        assert [f.split("/")[0] for f in frm] == [work_jid, home_jid], frm


def test_tab_completes_and_cycles():
    with TuiNatter() as t:
        t.wait_for(r"/help lists the commands")
        t.type("/acc")
        t.send_keys("Tab")
        # One candidate: completed, with a space for the next word (the
        # screen has no trailing blanks: the cursor shows it).
        t.wait_for(r"^\[natter\] /account$")
        util.wait_until(lambda: t.cursor()[1] == len("[natter] /account "),
                        5, "the cursor after '/account '")
        t.type("s")
        t.send_keys("Tab")
        t.wait_for(r"^\[natter\] /account set$")
        t.send_keys("Tab")
        t.wait_for(r"^\[natter\] /account show$")
        t.send_keys("BTab")
        t.wait_for(r"^\[natter\] /account set$")
        t.send_keys("C-u")
        t.type("/set autoaway_st")
        t.send_keys("Tab")
        t.wait_for(r"^\[natter\] /set autoaway_status$")
        t.send_keys("Tab")
        t.wait_for(r"^\[natter\] /set autoaway_status away$")
        t.send_keys("Tab")
        t.wait_for(r"^\[natter\] /set autoaway_status xa$")
        t.send_keys("Enter")
        t.wait_for(r"-- autoaway_status = xa$")


def test_pending_message_is_marked_until_sent():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    bot, bot_jid = echo(p)
    with bot, TuiNatter(accounts) as t:
        t.wait_for(r"/help lists the commands")
        t.command_line("/msg %s typed before connecting" % bot_jid)
        t.wait_for(r"<%s> \(pending\) typed before connecting"
                   % re.escape(local))
        t.command_line("/connect %s" % local)
        t.wait_for(r"Sent 1 message typed while offline")
        t.command_line("/msg %s" % bot_jid)
        t.wait_for(r"<%s> echo: typed before connecting" % re.escape(bot_jid))
        # Sent: the mark is gone, the line stays.
        t.wait_gone(r"\(pending\)")
        assert re.search(r"<%s> typed before connecting" % re.escape(local),
                         t.screen())


def scroll_up_to(t, text, pages):
    """PageUp, at most PAGES times, until a message whose whole text is
    TEXT is on the screen."""
    def visible():
        return text in [re.sub(r"^\d\d:\d\d <\S+> ", "", row).strip()
                        for row in t.lines()]
    for _ in range(pages):
        if visible():
            break
        t.send_keys("PageUp")
        t.wait_for(r"-- more below --")
    assert visible(), t.screen()


def test_chat_opens_with_history_and_page_up_loads_older():
    p = tap.shared_prosody()
    local, s_jid, dirs = stored_chat(p, 120, "old note {i}", height=20)
    with TuiNatter(args=("-a", local), height=20, dirs=dirs) as t:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s" % s_jid)
        # The newest lines come from history at once...
        t.wait_for(r"old note 120$")
        assert "old note 1\n" not in t.screen() + "\n"
        # ...and older ones as the view goes up, back to the first.
        scroll_up_to(t, "old note 1", 40)


def test_lines_beyond_the_scrollback_come_back_from_history():
    # The scrollback setting caps what a window keeps in memory; a chat's
    # older lines are still in the history, and scrolling up finds them.
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "chatty")
    with TuiNatter(accounts, args=("-a", local), height=20) as t:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/set scrollback 100")
        t.wait_for(r"scrollback = 100")
        t.command_line("/msg %s" % s_jid)
        with Bot.sender(p, s_local, s_pw, to=jid, count=300,
                        text="live note {i}") as sender:
            sender.expect_line(r"^DONE$", timeout=30)
        t.wait_for(r"live note 300$")
        scroll_up_to(t, "live note 1", 60)


def test_typing_is_shown_both_ways():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "typist")
    p.make_mutual(local, b_local)  # chat states go only to contacts
    with TuiNatter(accounts, args=("-a", local)) as t, \
            Bot.sender(p, b_local, b_pw, commands=True) as bot:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s" % b_jid)
        t.wait_for(r"^ \[\d+\] %s \(account" % re.escape(b_jid))
        # The contact starts typing, stops, then sends.
        state = "<message to='%s' type='chat'><%s xmlns='http://jabber.org/" \
                "protocol/chatstates'/></message>"
        bot.send({"raw": state % (jid, "composing")})
        t.wait_for(r"^ \[\d+\] %s \(account \S+\)( \[\w+\])? - "
                   r"typing\.\.\.$" % re.escape(b_jid))
        bot.send({"raw": state % (jid, "paused")})
        t.wait_for(r"- stopped typing$")
        bot.send({"to": jid, "body": "there you go"})
        t.wait_for(r"there you go$")
        t.wait_gone(r"stopped typing")
        # We type: the contact hears "composing" once, then our message
        # comes with "active".
        t.type("half a thou")
        bot.expect_line(r"^STATE %s/\S+ composing$" % re.escape(jid))
        t.type("ght")
        t.send_keys("Enter")
        bot.expect_line(r"^RECV %s/\S+ \"half a thought\"$" % re.escape(jid))
        assert len(bot.lines_matching(r"^STATE .* composing$")) == 1
        # With the setting off, typing is not told.
        t.command_line("/set send_chat_states off")
        t.type("secret")
        t.send_keys("Enter")
        bot.expect_line(r"^RECV %s/\S+ \"secret\"$" % re.escape(jid))
        assert len(bot.lines_matching(r"^STATE .* composing$")) == 1


def test_select_an_earlier_message_and_react_to_it():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "chatty")
    with TuiNatter(accounts, args=("-a", local)) as t, \
            Bot.sender(p, b_local, b_pw, commands=True) as bot:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s" % b_jid)
        bot.send({"to": jid, "body": "first thing", "id": "f1"})
        bot.send({"to": jid, "body": "second thing", "id": "s1"})
        t.wait_for(r"second thing$")
        # Alt-Up twice: the older message is the one reacted to.
        t.send_keys("M-Up")
        t.send_keys("M-Up")
        t.command_line("/react \U0001F44D")
        bot.expect_line(r'^REACTIONS \S+ f1 \["\\ud83d\\udc4d"\]$')
        # Shown under the message it answers.
        util.wait_until(lambda: any("[\U0001F44D]" in l for l in t.lines()),
                        10, "the reaction under the message")
        lines = t.lines()
        first = next(i for i, l in enumerate(lines) if "first thing" in l)
        assert "[\U0001F44D]" in lines[first + 1], t.screen()
        # The contact corrects its second message: shown as edited.
        bot.send({"raw": "<message to='%s' type='chat'><body>2nd thing"
                         "</body><replace xmlns='urn:xmpp:message-correct:0'"
                         " id='s1'/></message>" % jid})
        t.wait_for(r"<%s> \(edited\) 2nd thing$" % re.escape(b_jid))
        # /correct and Tab bring back our last text to edit.
        t.command_line("i will be thre")
        t.wait_for(r"<%s> i will be thre$" % re.escape(local))
        t.type("/correct ")
        t.send_keys("Tab")
        t.wait_for(r"^\[%s\] /correct i will be thre$" % re.escape(b_jid))
        t.send_keys("BSpace", "BSpace", "BSpace")
        t.type("ere")
        t.send_keys("Enter")
        t.wait_for(r"<%s> (\S+ )?\(edited\) i will be there$"
                   % re.escape(local))
        bot.expect_line(r'^RECV \S+ "i will be there"$')
        # An action is drawn as one.
        bot.send({"to": jid, "body": "/me waves"})
        t.wait_for(r"^\d\d:\d\d \* %s waves$" % re.escape(b_jid))


def test_message_styling_and_links_are_drawn():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "stylist")
    with TuiNatter(accounts, args=("-a", local)) as t, \
            Bot.sender(p, b_local, b_pw, commands=True) as bot:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s" % b_jid)
        bot.send({"to": jid, "body": "look *here* at https://example.org/x"
                                     " now"})
        t.wait_for(r"look \*here\* at https://example\.org/x now$")
        screen = t.screen(escapes=True)
        row = next(l for l in screen.splitlines() if "example.org" in l)
        # Bold on the span (directives included), underline on the link;
        # the attributes are reset before the plain word after each.
        reset = r"\x1b\[0?m(\x1b\[[0-9;]*m)*"
        assert re.search(r"\x1b\[1m\*here\*%s at " % reset, row), repr(row)
        assert re.search(r"\x1b\[4mhttps://example\.org/x%s now" % reset,
                         row), repr(row)


def test_chat_title_shows_the_contacts_presence():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    b_local, b_jid, b_pw = tap.new_account(p, "friend")
    p.make_mutual(local, b_local)
    with TuiNatter(accounts, args=("-a", local)) as t, \
            Bot.sender(p, b_local, b_pw, commands=True) as bot:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        t.command_line("/msg %s" % b_jid)
        t.wait_for(r"^ \[\d+\] %s \(account \S+\) \[online\]$"
                   % re.escape(b_jid))
        # The status text is network text: a bidi override in it is shown
        # as a replacement mark, not obeyed.
        bot.send({"presence": {"show": "away", "status": "lunch\u202e!"}})
        t.wait_for(r"^ \[\d+\] %s \(account \S+\) \[away: lunch\ufffd!\]$"
                   % re.escape(b_jid))


@tap.timeout(120)
def test_typing_during_a_burst_is_not_lost():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p)
    s_local, s_jid, s_pw = tap.new_account(p, "torrent")
    count = 2000
    with TuiNatter(accounts, args=("-a", local)) as t:
        t.wait_for(r"\[%s: online\]" % re.escape(local))
        with Bot.sender(p, s_local, s_pw, to=jid, count=count,
                        text="flood {i}", timeout=30) as sender:
            # Typed while the messages pour in: every key lands in order.
            t.type("typed during the flood")
            t.wait_for(r"^\[%s\] typed during the flood$" % re.escape(local))
            sender.expect_line(r"^DONE$", timeout=60)
        t.send_keys("C-u")
        t.command_line("/msg %s" % s_jid)
        t.wait_for(r"flood %d$" % count, timeout=30)


if __name__ == "__main__":
    tap.main(globals())
