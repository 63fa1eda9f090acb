#!/usr/bin/python3
# Group chat in the terminal: a room's window with its title (occupants,
# our nick, topic), messages, Tab completion of nicks, a mention that
# puts the room first in the activity list (a highlight), and the occupant
# pane, in a small room and in one of 2,000.
import os
import re

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.crowd import Crowd

from tuifixtures import TuiNatter, account, bot_join


def window_number(t, room):
    """The number of the current window, from the title (first row)."""
    m = t.wait_for(r"^ \[(\d+)\] %s " % re.escape(room))
    return int(m.group(1))


def test_room_window_title_messages_and_highlight():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "tuimuc")
    b_local, b_jid, b_pw = tap.new_account(p, "roomie")
    tag = os.urandom(3).hex()
    quiet = "quiet-%s@%s" % (tag, p.muc_domain)
    busy = "busy-%s@%s" % (tag, p.muc_domain)
    with Bot.sender(p, b_local, b_pw, commands=True) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.command_line("/join %s" % quiet)
        t.wait_for(r"You joined %s as %s" % (re.escape(quiet),
                                             re.escape(local)))
        n_quiet = window_number(t, quiet)
        t.command_line("/join %s" % busy)
        t.wait_for(r"You joined %s as %s" % (re.escape(busy),
                                             re.escape(local)))
        n_busy = window_number(t, busy)
        assert n_busy > n_quiet
        t.wait_for(r"^ \[%d\] %s \(1 occupant, you are %s\)"
                   % (n_busy, re.escape(busy), re.escape(local)))

        bot_join(bot, quiet, "roomie")
        bot_join(bot, busy, "roomie")
        t.wait_for(r"roomie joined\.")
        t.wait_for(r"^ \[%d\] %s \(2 occupants, you are %s\)$"
                   % (n_busy, re.escape(busy), re.escape(local)))
        t.command_line("/topic Plans for Friday")
        t.wait_for(r"%s changed the topic to: Plans for Friday"
                   % re.escape(local))
        t.wait_for(r"^ \[%d\] %s \(2 occupants, you are %s\) - Plans for "
                   r"Friday$" % (n_busy, re.escape(busy), re.escape(local)))

        # Our message, and Tab completing an occupant's nick.
        t.command_line("hello everyone")
        t.wait_for(r"<%s> .*hello everyone" % re.escape(local))
        bot.expect_line(r"^RECV %s \"hello everyone\"$"
                        % re.escape(busy + "/" + local))
        t.type("/kick roo")
        t.send_keys("Tab")
        t.wait_for(r"/kick roomie\s*$")
        t.send_keys("C-u")

        # Away from both rooms: a plain message in the lower-numbered room,
        # then a mention in the other: the mention comes first in [Act: ]
        # (the account's console may follow, with events).
        t.command_line("/win 1")
        t.wait_for(r"^ \[1\] natter")
        bot.send({"to": quiet, "type": "groupchat", "body": "just chatting"})
        t.wait_for(r"\[Act: [0-9,]*%d" % n_quiet)
        bot.send({"to": busy, "type": "groupchat",
                  "body": "%s: are you there?" % local})
        t.wait_for(r"\[Act: %d,%d[,\]]" % (n_busy, n_quiet))

        t.command_line("/win %d" % n_busy)
        t.wait_for(r"<roomie> %s: are you there\?" % re.escape(local))
        t.command_line("/win %d" % n_quiet)
        t.wait_for(r"^ \[%d\] %s " % (n_quiet, re.escape(quiet)))

        # A word of highlight_words counts like our nick.
        t.command_line("/set highlight_words release, deploy")
        t.command_line("/win 1")
        t.wait_for(r"^ \[1\] natter")
        bot.send({"to": quiet, "type": "groupchat", "body": "more chat"})
        t.wait_for(r"\[Act: %d[,\]]" % n_quiet)
        bot.send({"to": busy, "type": "groupchat", "body": "Deploy at 5"})
        t.wait_for(r"\[Act: %d,%d[,\]]" % (n_busy, n_quiet))


def test_occupant_pane_lists_the_room_by_role():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "panemuc")
    b_local, b_jid, b_pw = tap.new_account(p, "guest")
    room = "pane-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    with Bot.sender(p, b_local, b_pw, commands=True) as bot, \
            TuiNatter(accounts, args=["-a", local], width=100) as t:
        t.wait_for(r"Connected as")
        t.command_line("/join %s" % room)
        t.wait_for(r"You joined %s" % re.escape(room))
        # We created the room: a moderator, listed at the right.
        t.wait_for(r"\|? ?1 in the room\s*$")
        t.wait_for(r"Moderators\s*$")
        t.wait_for(r"\+ ~%s\s*$" % re.escape(local))
        bot_join(bot, room, "guest")
        t.wait_for(r"2 in the room\s*$")
        t.wait_for(r"Participants\s*$")
        t.wait_for(r"\+ guest\s*$")
        # Tab at the start of a line addresses an occupant.
        t.type("gu")
        t.send_keys("Tab")
        t.wait_for(r"guest: *$")
        t.type("hello")
        t.send_keys("Enter")
        bot.expect_line(r'^RECV %s/%s "guest: hello"$'
                        % (re.escape(room), re.escape(local)))
        # Off, the room's text takes the whole width again.
        t.command_line("/set occupants_pane off")
        t.wait_gone(r"in the room\s*$")


def test_nicks_complete_anywhere_who_and_win_by_name():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "nicks")
    r_local, r_jid, r_pw = tap.new_account(p, "roomie")
    b_local, b_jid, b_pw = tap.new_account(p, "robin")
    room = "nicks-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    with Bot.sender(p, r_local, r_pw, commands=True) as roomie, \
            Bot.sender(p, b_local, b_pw, commands=True) as robin, \
            TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.command_line("/join %s" % room)
        t.wait_for(r"You joined %s" % re.escape(room))
        bot_join(roomie, room, "roomie")
        bot_join(robin, room, "robin")
        t.wait_for(r"robin joined\.")
        # Further on the line: the nick alone; the candidates show in the
        # status bar while Tab goes through them.
        t.type("ask ro")
        t.send_keys("Tab")
        t.wait_for(r"ask robin\s*$")
        t.wait_for(r"\[Tab: robin roomie\]")
        t.send_keys("Tab")
        t.wait_for(r"ask roomie\s*$")
        t.type(" about it")
        t.wait_gone(r"\[Tab: ")
        t.send_keys("Enter")
        roomie.expect_line(r'^RECV %s/%s "ask roomie about it"$'
                           % (re.escape(room), re.escape(local)))
        # /who, as irssi and Profanity users type it.
        t.command_line("/who")
        t.wait_for(r"3 occupants of %s:" % re.escape(room))
        t.wait_for(r"--   robin \(")
        # /win by part of a name, in any case.
        t.command_line("/win 1")
        t.wait_for(r"^ \[1\] natter")
        t.command_line("/win NICKS-")
        t.wait_for(r"^ \[\d+\] %s " % re.escape(room))
        t.command_line("/win %s" % local[:3])
        t.wait_for(r"!! 2 windows match '%s' \(2 %s, \d+"
                   % (re.escape(local[:3]), re.escape(local)))
        t.command_line("/win nowhere")
        t.wait_for(r"no window is called 'nowhere'")


def pane_rows(t):
    """The occupant pane's rows (text right of the separator), from its
    head row to its "(+N more)" row."""
    rows = []
    for line in t.lines():
        m = re.search(r"\u2502 ?(\S.*?)\s*$|\| ?(\S.*?)\s*$", line)
        if not m:
            continue
        text = m.group(1) or m.group(2)
        if rows or re.match(r"\d+ in the room$", text):
            rows.append(text)
    return rows


@tap.timeout(120)
def test_occupant_pane_of_a_big_room():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "bigpane")
    room = "big-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    crowd = Crowd(p, room)
    crowd.seat(2000)
    with TuiNatter(accounts, args=["-a", local], width=100) as t:
        t.wait_for(r"Connected as")
        t.command_line("/join %s" % room)
        t.wait_for(r"You joined %s" % re.escape(room))
        t.wait_for(r"2001 in the room\s*$")
        # As many rows as fit, by nick; the last says how many more: the
        # head, "Participants" and 2,001 occupants in all.
        m = t.wait_for(r"\(\+(\d+) more\)\s*$")
        rows = pane_rows(t)
        assert rows[:2] == ["2001 in the room", "Participants"], rows[:3]
        assert rows[2] == "+ %s" % local, rows[2]
        assert rows[3:6] == ["+ crowd0000", "+ crowd0001", "+ crowd0002"], \
            rows[3:6]
        assert rows[-1] == "(+%s more)" % m.group(1), rows[-1]
        assert int(m.group(1)) == 2003 - len(rows) + 1, (m.group(1), len(rows))
        # One leaves, one goes away: the pane follows.
        crowd.leave(0)
        t.wait_for(r"2000 in the room\s*$")
        t.wait_for(r"\(\+%d more\)\s*$" % (int(m.group(1)) - 1))
        t.wait_gone(r"\+ crowd0000\s*$")
        crowd.show(1, "away")
        t.wait_for(r"- crowd0001\s*$")


def test_room_configuration_in_a_form_window():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "tuiform")
    b_local, b_jid, b_pw = tap.new_account(p, "asker")
    room = "form-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    # Big enough for the whole form of Prosody's room configuration, one
    # field a line.
    with Bot.sender(p, b_local, b_pw, commands=True) as bot, \
            TuiNatter(accounts, args=["-a", local], width=160,
                      height=60) as t:
        t.wait_for(r"Connected as")
        t.command_line("/room create %s configured" % room)
        # The form has a window of its own, current, that lists the fields.
        m = t.wait_for(r"^ \[(\d+)\] config:%s \(a form: /form set, /form "
                       r"submit, /form cancel\)$"
                       % re.escape(room))
        n_form = int(m.group(1))
        t.wait_for(r"Form: configuration of %s" % re.escape(room))
        t.wait_for(r"muc#roomconfig_roomname = \(empty\)  \(Title; "
                   r"text-single\)")
        t.wait_for(r"muc#roomconfig_membersonly = off  \(.+; boolean\)")
        t.wait_for(r"muc#roomconfig_whois = moderators  \(.+; list-single\)")
        t.wait_for(r"choices: moderators \(Moderators only\), anyone")
        # Field names complete with Tab.
        t.type("/form set muc#roomconfig_roomn")
        t.send_keys("Tab")
        t.wait_for(r"/form set muc#roomconfig_roomname\s*$")
        t.type(" Tea room")
        t.send_keys("Enter")
        t.wait_for(r"muc#roomconfig_roomname = Tea room \(/form submit "
                   r"sends the form\)")
        t.command_line("/form set muc#roomconfig_whois all")
        t.wait_for(r"'all' is not one of the choices of muc#roomconfig_whois: "
                   r"moderators, anyone")
        # So do the choices of a list, and on/off.
        t.type("/form set muc#roomconfig_whois any")
        t.send_keys("Tab")
        t.wait_for(r"/form set muc#roomconfig_whois anyone\s*$")
        t.send_keys("Enter")
        t.wait_for(r"muc#roomconfig_whois = anyone \(/form submit sends the "
                   r"form\)")
        t.type("/form set muc#roomconfig_membersonly o")
        t.send_keys("Tab")
        t.wait_for(r"/form set muc#roomconfig_membersonly off\s*$")
        t.send_keys("Tab")  # the next choice
        t.wait_for(r"/form set muc#roomconfig_membersonly on\s*$")
        t.send_keys("C-u")
        t.command_line("/form submit")
        # Done: the form window closed, the room's window says so.
        t.wait_for(r"^ \[\d+\] %s \(1 occupant, you are %s\)"
                   % (re.escape(room), re.escape(local)))
        t.wait_for(r"The configuration of %s is saved\." % re.escape(room))
        t.command_line("/wins")
        t.wait_for(r"-- +\d+  %s/%s " % (re.escape(local), re.escape(room)))
        assert not re.search(r"-- +%d  " % n_form, t.screen()), t.screen()
        bot.send({"raw": "<iq type='get' id='tuiinfo' to='%s'><query xmlns="
                  "'http://jabber.org/protocol/disco#info'/></iq>" % room})
        info = bot.expect_line(r"^IQXML tuiinfo (.*)$").group(1)
        assert "Tea room" in info, info
        assert "muc_nonanonymous" in info, info  # whois: anyone
        assert n_form > 1


def test_select_a_room_message_and_react_correct_retract():
    p = tap.shared_prosody()
    local, jid, pw, accounts = account(p, "tuiamend")
    b_local, b_jid, b_pw = tap.new_account(p, "roomie")
    room = "amend-%s@%s" % (os.urandom(3).hex(), p.muc_domain)
    with Bot.sender(p, b_local, b_pw, commands=True) as bot, \
            TuiNatter(accounts, args=["-a", local]) as t:
        t.wait_for(r"Connected as")
        t.command_line("/join %s" % room)
        t.wait_for(r"You joined %s" % re.escape(room))
        bot_join(bot, room, "roomie")
        bot.send({"to": room, "type": "groupchat", "body": "first thing"})
        bot.send({"to": room, "type": "groupchat", "body": "second thing"})
        t.wait_for(r"<roomie> second thing")
        # Alt-Up twice selects the older room message; the reaction names
        # it by the room's id for it (XEP-0444 in a room).
        t.send_keys("M-Up")
        t.send_keys("M-Up")
        t.command_line("/react \U0001F44D")
        m = bot.expect_line(r'^REACTIONS %s/%s (\S+) \["\\ud83d\\udc4d"\]$'
                            % (re.escape(room), re.escape(local)))
        assert m.group(1) != "-"
        util.wait_until(lambda: any("[\U0001F44D]" in l for l in t.lines()),
                        10, "the reaction under the message",
                        on_timeout=t.screen)
        lines = t.lines()
        first = next(i for i, l in enumerate(lines) if "first thing" in l)
        assert "[\U0001F44D]" in lines[first + 1], t.screen()
        # Ours, corrected, then withdrawn, in the room.
        t.command_line("meet at noom")
        t.wait_for(r"<%s> (\S+ )?meet at noom" % re.escape(local))
        t.command_line("/correct meet at noon")
        t.wait_for(r"<%s> (\S+ )?\(edited\) meet at noon" % re.escape(local))
        bot.expect_line(r'^RECV \S+ "meet at noon"$')
        t.command_line("/me waves")
        # Withdrawn once the room has echoed it (the check mark): the
        # retraction names the id the room gave it.
        t.wait_for(r"\* %s \u2713 waves" % re.escape(local))
        t.command_line("/retract")
        bot.expect_line(r"^RETRACT %s/%s \S+$"
                        % (re.escape(room), re.escape(local)))


if __name__ == "__main__":
    tap.main(globals())
