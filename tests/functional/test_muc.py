#!/usr/bin/python3
# Group chat (XEP-0045) on the real server's MUC component: natter joins
# rooms with slixmpp bots (sender bots in commands mode, speaking raw MUC),
# talks both ways, sees joins, leaves and nick changes, moderates, uses a
# password-protected room, invitations, bookmarks with autojoin across a
# restart, stores room history once, and refuses spoofed room messages.
import itertools
import json
import os
import re

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import online_natter

_serial = itertools.count(1)


def room_jid(p, prefix="room"):
    return "%s%d-%s@%s" % (prefix, next(_serial), os.urandom(3).hex(),
                           p.muc_domain)


def muc_bot(p, prefix="bot"):
    local, jid, pw = tap.new_account(p, prefix)
    return Bot.sender(p, local, pw, commands=True), jid


def bot_join(bot, room, nick, password=None, extra=""):
    """The bot joins ROOM as NICK and waits for its own presence."""
    pw = "<password>%s</password>" % password if password else ""
    bot.send({"raw": "<presence to='%s/%s'><x xmlns='http://jabber.org/"
              "protocol/muc'>%s<history maxstanzas='0'/></x>%s</presence>"
              % (room, nick, pw, extra)})
    bot.expect_line(r"^PRESENCE %s available$" % re.escape(room + "/" + nick))


def bot_configure(bot, room, fields, iq_id):
    """The bot, owner of ROOM, submits its configuration form with FIELDS
    ({var without the muc#roomconfig_ prefix: value}) and waits for the
    room's answer."""
    values = "".join("<field var='muc#roomconfig_%s'><value>%s</value>"
                     "</field>" % (var, value) for var, value in fields.items())
    bot.send({"raw": "<iq type='set' id='%s' to='%s'><query xmlns='http://"
              "jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
              "type='submit'><field var='FORM_TYPE'><value>http://jabber.org"
              "/protocol/muc#roomconfig</value></field>%s</x></query></iq>"
              % (iq_id, room, values)})
    bot.expect_line(r"^IQ %s result$" % iq_id)


def bot_say(bot, room, text):
    bot.send({"to": room, "type": "groupchat", "body": text})


def natter_join(n, local, room, nick=None, extra=""):
    n.send("/join %s%s%s" % (room, " nick " + nick if nick else "", extra))
    buf = "%s/%s" % (local, room)
    n.expect_buffer(buf, r"-- You joined %s as %s" % (
        re.escape(room), re.escape(nick or local)))
    return buf


@tap.both_servers
def test_join_talk_and_see_others():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p)
    with n, bot:
        buf = natter_join(n, local, room)
        n.expect_buffer(buf, r"-- 1 occupant: %s$" % re.escape(local))
        bot_join(bot, room, "robot")
        n.expect_buffer(buf, r"-- robot joined\.$")
        # Theirs to us.
        bot_say(bot, room, "hello room")
        n.expect_buffer(buf, r"<robot> hello room$")
        # Ours to them: shown once (the reflection is not a second line).
        n.send("hi robot")
        n.expect_buffer(buf, r"<%s> hi robot$" % re.escape(local))
        m = bot.expect_line(r"^RECV (\S+) \"hi robot\"$")
        assert m.group(1) == "%s/%s" % (room, local), m.group(1)
        # The room's reflection marks it delivered; it is not a new line.
        n.expect_buffer(buf, r"\(delivered\) <%s> hi robot$"
                        % re.escape(local))
        bot_say(bot, room, "after")
        n.expect_buffer(buf, r"<robot> after$")
        assert len(n.lines_matching(r"^\[%s\] <%s> hi robot$"
                                    % (re.escape(buf), re.escape(local)))) == 1
        # Nick change and leaving.
        bot.send({"raw": "<presence to='%s/droid'/>" % room})
        n.expect_buffer(buf, r"-- robot is now known as droid\.$")
        n.send("/occupants")
        n.expect_buffer(buf, r"-- 2 occupants of %s:$" % re.escape(room))
        n.expect_buffer(buf, r"--   droid \(participant, none, online\)")
        bot.send({"raw": "<presence type='unavailable' to='%s/droid'>"
                  "<status>bye all</status></presence>" % room})
        n.expect_buffer(buf, r"-- droid left \(bye all\)\.$")
        # Nothing the room sent was taken for a mistake (ejabberd's room
        # sends a presence of its own, with its caps, on a join).
        assert not n.lines_matching(r"^\[%s\] !! " % re.escape(buf)), \
            n.lines_matching(r"!! ")


@tap.both_servers
def test_joins_and_leaves_can_be_hidden():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "silent")
    with n, bot:
        buf = natter_join(n, local, room)
        n.send("/set room_show_joins off")
        n.expect(r"room_show_joins = off")
        bot_join(bot, room, "ghost")
        bot_say(bot, room, "boo")
        n.expect_buffer(buf, r"<ghost> boo$")
        bot.send({"raw": "<presence to='%s/ghost2'/>" % room})
        bot.expect_line(r"^PRESENCE %s/ghost2 available$" % re.escape(room))
        bot_say(bot, room, "renamed")
        n.expect_buffer(buf, r"<ghost2> renamed$")
        n.send("/occupants")
        n.expect_buffer(buf, r"--   ghost2 \(participant")
        assert not n.lines_matching(r"ghost joined|known as ghost2")


@tap.both_servers
def test_closing_the_window_leaves_the_room():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "stayer")
    with n, bot:
        bot_join(bot, room, "stayer")
        buf = natter_join(n, local, room)
        bot.expect_line(r"^PRESENCE %s available$"
                        % re.escape(room + "/" + local))
        n.send("/close")
        n.expect_buffer(local, r"-- Left %s \(its window was closed\)\.$"
                        % re.escape(room))
        bot.expect_line(r"^PRESENCE %s unavailable$"
                        % re.escape(room + "/" + local))
        # The room's messages no longer open its window.
        bot_say(bot, room, "anyone?")
        n.send("/join %s" % room)
        n.expect_buffer(buf, r"-- You joined ")
        assert not n.lines_matching(r"Refused a group chat message")


def test_self_ping_notices_a_silent_drop_and_rejoins():
    p = tap.shared_prosody()
    room = room_jid(p, "flaky")
    n, local, jid = online_natter(p)
    with n:
        n.send("/set muc_self_ping 1")
        n.expect(r"muc_self_ping = 1")
        buf = natter_join(n, local, room)
        # The room forgets us without telling (as after a restart of its
        # service without persistence).
        occupant = "%s/%s" % (room, local)
        p.shell(">local r = prosody.hosts[%r].modules.muc.get_room_from_jid("
                "%r); local o = r:get_occupant_by_nick(%r); for j in "
                "o:each_session() do r._jid_nick[j] = nil end; "
                "r._occupants[%r] = nil" % (p.muc_domain, room, occupant,
                                              occupant))
        n.expect_buffer(buf, r"!! %s no longer counts you as present \(it did"
                        r" not say so\): joining again\.$" % re.escape(room),
                        timeout=15)
        n.expect_buffer(buf, r"-- You joined %s as %s " % (re.escape(room),
                                                           re.escape(local)))


@tap.both_servers
def test_our_nick_change_and_topic():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p)
    with n, bot:
        buf = natter_join(n, local, room)
        bot_join(bot, room, "watcher")
        n.expect_buffer(buf, r"-- watcher joined\.$")
        n.send("/nick Zed")
        n.expect_buffer(buf, r"-- You are now known as Zed\.$")
        n.send("/topic Release on Friday")
        n.expect_buffer(buf, r"-- Zed changed the topic to: Release on "
                        r"Friday$")
        n.send("/topic")
        n.expect_buffer(buf, r"-- Topic of %s: Release on Friday$"
                        % re.escape(room))
        n.send("now as Zed")
        bot.expect_line(r"^RECV %s \"now as Zed\"$"
                        % re.escape(room + "/Zed"))


@tap.both_servers
def test_nick_conflict_retries_with_a_suffix():
    p = tap.shared_server()
    room = room_jid(p)
    bot, bot_jid = muc_bot(p)
    n, local, jid = online_natter(p)
    with n, bot:
        bot_join(bot, room, local)
        buf = "%s/%s" % (local, room)
        n.send("/join %s" % room)
        n.expect_buffer(buf, r"!! The nick %s is taken in %s: trying %s_ "
                        r"instead\.$" % (re.escape(local), re.escape(room),
                                         re.escape(local)))
        n.expect_buffer(buf, r"-- You joined %s as %s_ "
                        % (re.escape(room), re.escape(local)))


@tap.both_servers
def test_kick_and_ban_as_owner():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot1, jid1 = muc_bot(p, "kickme")
    bot2, jid2 = muc_bot(p, "banme")
    with n, bot1, bot2:
        buf = natter_join(n, local, room)  # created: we are its owner
        bot_join(bot1, room, "one")
        bot_join(bot2, room, "two")
        n.expect_buffer(buf, r"-- two joined\.$")
        n.send("/kick one be nice")
        n.expect_buffer(buf, r"-- one was kicked by %s \(be nice\)\.$"
                        % re.escape(local))
        bot1.expect_line(r"^PRESENCE %s unavailable$"
                         % re.escape(room + "/one"))
        n.send("/ban %s spam" % jid2)
        n.expect_buffer(buf, r"-- two was banned by %s \(spam\)\.$"
                        % re.escape(local))
        # The banned one cannot come back.
        bot2.send({"raw": "<presence to='%s/two'><x xmlns='http://jabber."
                   "org/protocol/muc'/></presence>" % room})
        bot2.expect_line(r"^PRESENCE %s error$" % re.escape(room + "/two"))
        # Kicking someone who is not there is refused before asking.
        n.send("/kick nobody")
        n.expect_buffer(buf, r"!! nobody is called nobody in ")


@tap.both_servers
def test_kicks_and_bans_can_be_hidden():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot1, jid1 = muc_bot(p, "quietkick")
    bot2, jid2 = muc_bot(p, "quietban")
    with n, bot1, bot2:
        buf = natter_join(n, local, room)
        n.send("/set room_show_kicks off")
        n.expect(r"room_show_kicks = off")
        bot_join(bot1, room, "one")
        bot_join(bot2, room, "two")
        n.expect_buffer(buf, r"-- two joined\.$")
        n.send("/kick one shh")
        n.expect_buffer(buf, r"-- Done: kick one from %s" % re.escape(room))
        bot1.expect_line(r"^PRESENCE %s unavailable$"
                         % re.escape(room + "/one"))
        n.send("/ban %s shh" % jid2)
        n.expect_buffer(buf, r"-- Done: ban %s from %s"
                        % (re.escape(jid2), re.escape(room)))
        bot2.expect_line(r"^PRESENCE %s unavailable$"
                         % re.escape(room + "/two"))
        # Both are gone from the list, and nothing said they were removed;
        # joins are still shown (a separate setting).
        n.send("/occupants")
        n.expect_buffer(buf, r"-- 1 occupant of %s:$" % re.escape(room))
        assert not n.lines_matching(r"was (kicked|banned)")
        n.send("/set room_show_kicks on")
        n.expect(r"room_show_kicks = on")
        bot_join(bot1, room, "one")
        n.expect_buffer(buf, r"-- one joined\.$")
        n.send("/kick one again")
        n.expect_buffer(buf, r"-- one was kicked by %s \(again\)\.$"
                        % re.escape(local))


@tap.both_servers
def test_roles_affiliations_instant_config_and_destroy():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "helper")
    with n, bot:
        buf = natter_join(n, local, room)
        n.send("/room instant")
        n.expect_buffer(buf, r"-- Done: keep the default configuration of %s"
                        % re.escape(room))
        bot_join(bot, room, "helper")
        n.expect_buffer(buf, r"-- helper joined\.$")
        n.send("/op helper")
        n.expect_buffer(buf, r"-- Done: make helper a moderator of ")
        n.send("/occupants")
        n.expect_buffer(buf, r"--   helper \(moderator, none, online\)")
        n.send("/devoice helper")
        n.expect_buffer(buf, r"-- Done: make helper a visitor of ")
        n.send("/affiliation %s member" % bot_jid)
        n.expect_buffer(buf, r"-- Done: make %s member of "
                        % re.escape(bot_jid))
        # (A new member gets a voice again: Prosody makes them a
        # participant.)
        n.send("/occupants")
        n.expect_buffer(buf, r"--   helper \(participant, member, online\) "
                        r"%s/" % re.escape(bot_jid))
        n.send("/role helper king")
        n.expect_buffer(buf, r"!! unknown role 'king'")
        n.send("/room destroy closing time")
        n.expect_buffer(buf, r"!! You were removed \(the room was destroyed\)"
                        r" from %s" % re.escape(room))
        bot.expect_line(r"^PRESENCE %s unavailable$"
                        % re.escape(room + "/helper"))
        n.send("still here?")
        n.expect_buffer(buf, r"!! not sent, you are not in the room ")


def form_buffer(local, room):
    return "%s/config:%s" % (local, room)


def bot_disco_info(bot, room, iq_id):
    """The room's disco#info answer, as XML text, asked by BOT."""
    bot.send({"raw": "<iq type='get' id='%s' to='%s'><query xmlns='http://"
              "jabber.org/protocol/disco#info'/></iq>" % (iq_id, room)})
    bot.expect_line(r"^IQ %s result$" % iq_id)
    return json.loads(bot.expect_line(r"^IQXML %s (.*)$" % iq_id).group(1))


@tap.both_servers
def test_room_configuration_form():
    p = tap.shared_server()
    room = room_jid(p, "config")
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "outsider")
    with n, bot:
        buf = natter_join(n, local, room)
        fbuf = form_buffer(local, room)
        n.send("/form set muc#roomconfig_roomname x")
        n.expect_buffer(buf, r"!! /form works in a form window \(/room "
                        r"config opens one\)$")
        # /room set is gone: it says where the form is now.
        n.send("/room set muc#roomconfig_roomname x")
        n.expect_buffer(buf, r"!! /room config opens the form in a window of "
                        r"its own, where /form set works$")
        n.send("/room config")
        n.expect_buffer(fbuf, r"-- Form: configuration of %s \(\"" %
                        re.escape(room))
        n.expect_buffer(buf, r"-- The configuration form of %s is open in "
                        r"window \d+ \(config:%s\)\.$"
                        % (re.escape(room), re.escape(room)))
        # The fields come in the server's order.
        for field in (r"muc#roomconfig_membersonly = off  \(.+; boolean\)",
                      r"muc#roomconfig_persistentroom = off  \(.+; "
                      r"boolean\)",
                      r"muc#roomconfig_whois = moderators  \(.+; "
                      r"list-single\)",
                      r"choices: moderators\b.*, anyone\b.*"):
            assert n.lines_matching(r"^\[%s\] --\s+%s$"
                                    % (re.escape(fbuf), field)), field
        # Hidden fields are kept, not listed.
        assert not n.lines_matching(r"^\[%s\] --\s+FORM_TYPE = "
                                    % re.escape(fbuf))
        # Bad values and unknown fields: clear errors, in the form window.
        n.send("/form set muc#roomconfig_membersonly maybe")
        n.expect_buffer(fbuf, r"!! muc#roomconfig_membersonly is on or off "
                        r"\(true/false, 1/0\), not 'maybe'$")
        n.send("/form set muc#roomconfig_whois everybody")
        n.expect_buffer(fbuf, r"!! 'everybody' is not one of the choices of "
                        r"muc#roomconfig_whois: moderators, anyone$")
        n.send("/form set no#such field")
        n.expect_buffer(fbuf, r"!! the form has no field 'no#such' \(/form "
                        r"lists them\)$")
        n.send("/form set FORM_TYPE other")
        n.expect_buffer(fbuf, r"!! the form has no field 'FORM_TYPE'")
        n.send("/form add muc#roomconfig_roomname second")
        n.expect_buffer(fbuf, r"!! muc#roomconfig_roomname \(text-single\) "
                        r"takes one value: /form set ")
        n.send("plain words")
        n.expect_buffer(fbuf, r"!! this window is a form: /form set FIELD "
                        r"VALUE changes a field, /form submit sends it")
        n.send("/form bogus")
        n.expect_buffer(fbuf, r"!! usage: /form \[show\] \| set FIELD ")
        # A password is set, and not shown.
        n.send("/form set muc#roomconfig_roomsecret open sesame")
        n.expect_buffer(fbuf, r"-- muc#roomconfig_roomsecret = \(set, "
                        r"hidden\) \(/form submit sends the form\)$")
        # ejabberd has password protection in a field of its own; Prosody
        # protects a room that has a password.
        if n.lines_matching(r"^\[%s\] --\s+muc#roomconfig_passwordprotected"
                            r"room = " % re.escape(fbuf)):
            n.send("/form set muc#roomconfig_passwordprotectedroom on")
            n.expect_buffer(fbuf, r"-- muc#roomconfig_passwordprotectedroom "
                            r"= on ")
        n.send("/form set muc#roomconfig_persistentroom true")
        n.expect_buffer(fbuf, r"-- muc#roomconfig_persistentroom = on ")
        n.send("/form")
        n.expect_buffer(fbuf, r"--\s+muc#roomconfig_persistentroom = "
                        r"on  \(.+; boolean, changed\)$")
        n.send("/form submit")
        n.expect_buffer(fbuf, r"-- Sending the configuration of %s\.\.\.$"
                        % re.escape(room))
        n.expect_buffer(buf, r"-- The configuration of %s is saved\.$"
                        % re.escape(room))
        assert not n.lines_matching(r"open sesame")
        # Without the password, the room now says no.
        bot.send({"raw": "<presence to='%s/outsider'><x xmlns='http://"
                  "jabber.org/protocol/muc'/></presence>" % room})
        bot.expect_line(r"^PRESENCE %s error$"
                        % re.escape(room + "/outsider"))
        bot_join(bot, room, "outsider", password="open sesame")
        # The form window went with the submit; the room window is current.
        n.send("/form")
        n.expect_buffer(buf, r"!! /form works in a form window")
        # Cancel: the form goes, and the room says the cancel is taken.
        n.send("/room config")
        n.expect_buffer(fbuf, r"--\s+muc#roomconfig_persistentroom = "
                        r"on  ")
        n.send("/form cancel")
        n.expect_buffer(buf, r"-- Configuration cancelled: %s is left as it "
                        r"was\.$" % re.escape(room))
        # Closing the form window is a cancel too.
        n.send("/room config")
        n.expect_buffer(fbuf, r"-- Form: configuration of ")
        n.send("/close")
        n.expect_buffer(buf, r"-- Configuration cancelled: %s is left as it "
                        r"was\.$" % re.escape(room))
        n.send("/form submit")
        n.expect(r"!! /form works in a form window")


@tap.both_servers
def test_room_create_instant_and_configured():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "creator")
    with n, bot:
        # Instant: created and its defaults accepted, from the console.
        quick = room_jid(p, "quick")
        n.send("/room create %s" % quick)
        qbuf = "%s/%s" % (local, quick)
        n.expect_buffer(qbuf, r"-- The room %s was created for you; "
                        r"accepting its default configuration\.\.\.$"
                        % re.escape(quick))
        n.expect_buffer(qbuf, r"-- You joined %s as %s \(moderator, owner\)"
                        % (re.escape(quick), re.escape(local)))
        n.expect_buffer(qbuf, r"-- Done: keep the default configuration of "
                        r"%s" % re.escape(quick))
        # Configured, by name only (the account's conference service): the
        # form opens in a form window, is set, and submitted.
        name = room_jid(p, "shaped").split("@")[0]
        shaped = "%s@%s" % (name, p.muc_domain)
        n.send("/room create %s configured" % name)
        sbuf = "%s/%s" % (local, shaped)
        fbuf = form_buffer(local, shaped)
        n.expect_buffer(sbuf, r"-- The room %s was created for you: fetching "
                        r"its configuration form\.\.\.$" % re.escape(shaped))
        n.expect_buffer(fbuf, r"-- Form: configuration of %s " %
                        re.escape(shaped))
        n.expect_buffer(fbuf, r"--\s+muc#roomconfig_membersonly = off  ")
        n.send("/form set muc#roomconfig_roomname Book club")
        n.expect_buffer(fbuf, r"-- muc#roomconfig_roomname = Book club "
                        r"\(/form submit sends the form\)$")
        n.send("/form set muc#roomconfig_membersonly on")
        n.expect_buffer(fbuf, r"-- muc#roomconfig_membersonly = on ")
        n.send("/form submit")
        n.expect_buffer(sbuf, r"-- The configuration of %s is saved\.$"
                        % re.escape(shaped))
        # Seen from another client: the room's name and members-only.
        info = bot_disco_info(bot, shaped, "info1")
        assert re.search(r"""<identity[^>]* name=["']Book club["']""",
                         info), info
        assert "muc_membersonly" in info, info
        # The room is really members-only now: the bot is refused.
        bot.send({"raw": "<presence to='%s/outsider'><x xmlns='http://"
                  "jabber.org/protocol/muc'/></presence>" % shaped})
        bot.expect_line(r"^PRESENCE %s error$"
                        % re.escape(shaped + "/outsider"))
        # A room that exists is joined, not created, and that is said.
        taken = room_jid(p, "taken")
        bot_join(bot, taken, "first")
        n.send("/room create %s configured" % taken)
        tbuf = "%s/%s" % (local, taken)
        n.expect_buffer(tbuf, r"!! %s already existed: it was not created, "
                        r"you joined it as it is\.$" % re.escape(taken))
        n.expect_buffer(tbuf, r"-- You joined %s as %s \(participant, none\)"
                        % (re.escape(taken), re.escape(local)))
        n.send("/room create %s" % taken)
        n.expect_buffer(tbuf, r"!! %s already exists: you are in it"
                        % re.escape(taken))
        n.send("/room create %s later" % taken)
        n.expect_buffer(tbuf, r"!! usage: /room create ROOM "
                        r"\[instant\|configured\]")
        assert not n.lines_matching(r"Form: configuration of %s"
                                    % re.escape(taken))


@tap.both_servers
def test_cancelling_a_new_configured_room():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "latecomer")
    with n, bot:
        room = room_jid(p, "undecided")
        n.send("/room create %s configured" % room)
        buf = "%s/%s" % (local, room)
        fbuf = form_buffer(local, room)
        n.expect_buffer(fbuf, r"-- Form: configuration of %s " %
                        re.escape(room))
        n.send("/form set muc#roomconfig_membersonly on")
        n.expect_buffer(fbuf, r"-- muc#roomconfig_membersonly = on ")
        n.send("/form cancel")
        # XEP-0045 10.1.3: the cancel is sent; Prosody answers it and
        # (its rooms are not locked here) keeps the room as it was made,
        # with the default configuration: not members-only.
        n.expect_buffer(buf, r"-- Configuration cancelled: %s is left as it "
                        r"was\.$" % re.escape(room))
        info = bot_disco_info(bot, room, "info2")
        assert "muc_membersonly" not in info, info
        assert "muc_open" in info, info
        bot_join(bot, room, "latecomer")
        n.expect_buffer(buf, r"-- latecomer joined\.$")
        assert not n.lines_matching(r"^\[%s\] .*configuration of %s is saved"
                                    % (re.escape(buf), re.escape(room)))


@tap.both_servers
def test_a_refused_submit_keeps_the_form():
    p = tap.shared_server()
    room = room_jid(p, "demoted")
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "coowner")
    with n, bot:
        buf = natter_join(n, local, room)
        fbuf = form_buffer(local, room)
        n.send("/affiliation %s owner" % bot_jid)
        n.expect_buffer(buf, r"-- Done: make %s owner of " % re.escape(bot_jid))
        n.send("/room config")
        n.expect_buffer(fbuf, r"-- Form: configuration of %s " %
                        re.escape(room))
        # While the form is open, the other owner takes ours away.
        bot.send({"raw": "<iq type='set' id='demote' to='%s'><query xmlns='"
                  "http://jabber.org/protocol/muc#admin'><item jid='%s' "
                  "affiliation='member'/></query></iq>" % (room, jid)})
        bot.expect_line(r"^IQ demote result$")
        n.send("/form set muc#roomconfig_roomname Mine")
        n.expect_buffer(fbuf, r"-- muc#roomconfig_roomname = Mine ")
        n.send("/form submit")
        # The server's reason, in words (each server has its own), in
        # both windows; the form stays.
        why = n.expect_buffer(buf, r"!! The configuration of %s was refused:"
                              r" (forbidden: .*(owner|Owner).*)$"
                              % re.escape(room)).group(1)
        n.expect_buffer(fbuf, r"!! The configuration of %s was refused: "
                        r"%s \(change the form and /form submit again, or "
                        r"/form cancel\)$" % (re.escape(room), re.escape(why)))
        n.send("/form")
        n.expect_buffer(fbuf, r"--\s+muc#roomconfig_roomname = Mine  "
                        r"\(.+; text-single, changed\)$")
        info = bot_disco_info(bot, room, "info3")
        assert "Mine" not in info, info


@tap.both_servers
def test_moderation_refused_for_a_participant():
    p = tap.shared_server()
    room = room_jid(p)
    bot, bot_jid = muc_bot(p, "owner")
    n, local, jid = online_natter(p)
    with n, bot:
        bot_join(bot, room, "boss")  # the bot created it and owns it
        buf = natter_join(n, local, room)
        n.send("/kick boss")
        n.expect_buffer(buf, r"!! Refused: kick boss from %s: "
                        % re.escape(room))


@tap.both_servers
def test_password_protected_room():
    p = tap.shared_server()
    room = room_jid(p, "secret")
    bot, bot_jid = muc_bot(p, "keeper")
    n, local, jid = online_natter(p)
    with n, bot:
        bot_join(bot, room, "keeper")
        # Make it password-protected through the owner's configuration form.
        bot_configure(bot, room, {"passwordprotectedroom": "1",
                                  "roomsecret": "hunter2"}, "cfg1")
        buf = "%s/%s" % (local, room)
        n.send("/join %s" % room)
        n.expect_buffer(buf, r"!! Cannot join %s: the room needs a password"
                        % re.escape(room))
        n.send("/join %s password wrong" % room)
        n.expect_buffer(buf, r"!! Cannot join %s: the room needs a password, "
                        r"or the one given is wrong" % re.escape(room))
        n.send("/join %s password hunter2" % room)
        n.expect_buffer(buf, r"-- You joined %s as " % re.escape(room))


@tap.both_servers
def test_members_only_refusal():
    p = tap.shared_server()
    room = room_jid(p, "club")
    bot, bot_jid = muc_bot(p, "host")
    n, local, jid = online_natter(p)
    with n, bot:
        bot_join(bot, room, "host")
        bot_configure(bot, room, {"membersonly": "1"}, "cfg2")
        buf = "%s/%s" % (local, room)
        n.send("/join %s" % room)
        n.expect_buffer(buf, r"!! Cannot join %s: the room is members-only "
                        r"and you are not a member" % re.escape(room))


@tap.both_servers
def test_private_messages_with_an_occupant():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p)
    with n, bot:
        buf = natter_join(n, local, room)
        bot_join(bot, room, "pm")
        n.expect_buffer(buf, r"-- pm joined\.$")
        n.send("/msg pm just between us")
        priv = "%s/%s/pm" % (local, room)
        n.expect_buffer(priv, r"<%s> just between us$" % re.escape(local))
        m = bot.expect_line(r"^RECV (\S+) \"just between us\"$")
        assert m.group(1) == "%s/%s" % (room, local), m.group(1)
        bot.send({"to": "%s/%s" % (room, local), "type": "chat",
                  "body": "sure"})
        n.expect_buffer(priv, r"<pm> sure$")
        # /query is the same, from the room's window.
        n.send("/join %s" % room)  # back to the room's window
        n.send("/query pm again")
        n.expect_buffer(priv, r"<%s> again$" % re.escape(local))
        bot.expect_line(r'^RECV %s "again"$'
                        % re.escape("%s/%s" % (room, local)))


@tap.both_servers
def test_invitations_direct_and_mediated():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "guest")
    with n, bot:
        buf = natter_join(n, local, room)
        n.send("/invite %s come along" % bot_jid)
        n.expect_buffer(buf, r"-- Invited %s to %s\.$"
                        % (re.escape(bot_jid), re.escape(room)))
        # The bot sees natter's XEP-0249 invitation (no body: it is in the
        # server's log of what it routed... so ask the bot to join instead,
        # which proves the address and password-less room are right).
        bot_join(bot, room, "guest")
        n.expect_buffer(buf, r"-- guest joined\.$")
        # ejabberd's rooms let only their admins and owners invite.
        n.send("/affiliation %s admin" % bot_jid)
        n.expect_buffer(buf, r"-- Done: make %s admin of " % re.escape(bot_jid))
        # Incoming: a direct invitation and a mediated one.
        other = room_jid(p, "party")
        bot.send({"raw": "<message to='%s'><x xmlns='jabber:x:conference' "
                  "jid='%s' reason='cake'/></message>" % (jid, other)})
        n.expect_buffer(local, r"-- %s invites you to the room %s: cake\. "
                        r"Accept with: /join %s$"
                        % (re.escape(bot_jid), re.escape(other),
                           re.escape(other)))
        bot.send({"raw": "<message to='%s'><x xmlns='http://jabber.org/"
                  "protocol/muc#user'><invite to='%s'><reason>tea</reason>"
                  "</invite></x></message>" % (room, jid)})
        n.expect_buffer(local, r"-- %s/\S+ invites you to the room %s: tea\. "
                        r"Accept with: /join %s$"
                        % (re.escape(bot_jid), re.escape(room),
                           re.escape(room)))


@tap.both_servers
def test_mediated_invitation_sent_through_the_room():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "mediated")
    with n, bot:
        buf = natter_join(n, local, room)
        n.send("/invite -m %s free cake" % bot_jid)
        n.expect_buffer(buf, r"-- Asked %s to invite %s\.$"
                        % (re.escape(room), re.escape(bot_jid)))
        # The room passes it on, from its own address, naming natter (by
        # its nick in the room with Prosody, its address with ejabberd) as
        # the inviter and carrying the reason (both add a body for clients
        # that do not know invitations).
        m = bot.expect_line(r"^RECV %s \"(.*)\"$" % re.escape(room))
        assert "%s/%s" % (room, local) in m.group(1) or \
            jid + "/" in m.group(1), m.group(1)
        assert "(free cake)" in m.group(1), m.group(1)
        n.send("/invite -m")
        n.expect_buffer(buf, r"!! usage: /invite \[-m\] JID \[REASON\]")


@tap.both_servers
def test_spoofed_groupchat_is_refused_and_reported():
    p = tap.shared_server()
    room = room_jid(p)
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "forger")
    with n, bot:
        buf = natter_join(n, local, room)
        # A groupchat message straight from a user, not from the room (to
        # the full JID: the server drops groupchat sent to a bare JID).
        full = n.lines_matching(r"Connected as (\S+) ")[0].split()[-2]
        bot.send({"to": full, "type": "groupchat", "body": "I am the room"})
        n.expect_buffer(local, r"!! Refused a group chat message from %s/\S+"
                        r": not a room you are in" % re.escape(bot_jid))
        assert not n.lines_matching(r"I am the room")
        # An occupant presence from a room we are not in.
        bot.send({"raw": "<presence to='%s'><x xmlns='http://jabber.org/"
                  "protocol/muc#user'><item role='moderator' affiliation="
                  "'owner'/></x></presence>" % full})
        n.expect_buffer(local, r"!! Ignored an occupant presence from %s/"
                        % re.escape(bot_jid))


@tap.both_servers
def test_room_history_is_stored_once_after_a_rejoin():
    p = tap.shared_server()
    room = room_jid(p)
    bot, bot_jid = muc_bot(p, "talker")
    local, jid, pw = tap.new_account(p, "hist")
    acct = {local: account_settings(p, local, pw)}
    with bot:
        bot_join(bot, room, "talker")
        for i in range(3):
            bot_say(bot, room, "old news %d" % i)
            bot.expect_line(r"^RECV \S+ \"old news %d\"$" % i)
        with Headless(["-a", local], accounts=acct) as n:
            n.expect_buffer(local, r"Connected as ")
            buf = natter_join(n, local, room, extra="")
            # The join history arrives before our own presence... or after:
            # wait for the last line either way.
            n.expect_buffer(buf, r"<talker> old news 2$")
            n.send("/part")
            n.expect_buffer(buf, r"-- You left ")
            n.send("/join %s" % room)
            n.expect_buffer(buf, r"-- You joined ")
            bot_say(bot, room, "fresh")
            n.expect_buffer(buf, r"<talker> fresh$")
            for i in range(3):
                shown = n.lines_matching(r"^\[%s\] <talker> old news %d$"
                                         % (re.escape(buf), i))
                assert len(shown) == 1, (i, shown)
            # natter again on the same data: the room's window opens with
            # the stored lines, and the room's history adds none of them.
            n.stop()
            n.start()
            n.expect_buffer(local, r"Connected as ")
            n.send("/join %s" % room)
            n.expect_buffer(buf, r"\(history\) <talker> fresh$")
            n.expect_buffer(buf, r"-- You joined ")
            bot_say(bot, room, "again")
            n.expect_buffer(buf, r"<talker> again$")
            for text in ("old news 0", "old news 1", "old news 2", "fresh"):
                stored = n.lines_matching(r"^\[%s\] \(history\) <talker> "
                                          r"%s$" % (re.escape(buf), text))
                assert len(stored) == 1, (text, stored)
                again = n.lines_matching(r"^\[%s\] <talker> %s$"
                                         % (re.escape(buf), text))
                assert not again, (text, again)


@tap.both_servers
def test_room_archive_brings_what_was_missed_in_order():
    p = tap.shared_server()
    room = room_jid(p, "archive")
    bot, bot_jid = muc_bot(p, "chatter")
    local, jid, pw = tap.new_account(p, "catchup")
    acct = {local: account_settings(p, local, pw)}
    with bot, Headless(["-a", local], accounts=acct) as n:
        bot_join(bot, room, "chatter")
        bot_say(bot, room, "before we met")
        bot.expect_line(r"^RECV \S+ \"before we met\"$")
        n.expect_buffer(local, r"Connected as ")
        buf = natter_join(n, local, room)
        # The room keeps an archive: its newest messages come from there.
        n.expect_buffer(buf, r"<chatter> before we met$")
        n.expect_buffer(buf, r"-- 1 message from the room's archive\.$")
        bot_say(bot, room, "live one")
        n.expect_buffer(buf, r"<chatter> live one$")
        n.stop()
        for i in range(1, 4):
            bot_say(bot, room, "missed %d" % i)
            bot.expect_line(r"^RECV \S+ \"missed %d\"$" % i)
        n.start()
        n.expect_buffer(local, r"Connected as ")
        n.send("/join %s" % room)
        n.expect_buffer(buf, r"\(history\) <chatter> live one$")
        n.expect_buffer(buf, r"-- You joined ")
        for i in range(1, 4):
            n.expect_buffer(buf, r"<chatter> missed %d$" % i)
        n.expect_buffer(buf, r"-- 3 messages from the room's archive\.$")
        assert not n.lines_matching(r"^\[%s\] <chatter> (live one|before "
                                    r"we met)$" % re.escape(buf))


@tap.both_servers
def test_bookmark_autojoin_across_a_restart():
    p = tap.shared_server()
    room = room_jid(p, "fav")
    local, jid, pw = tap.new_account(p, "marks")
    acct = {local: account_settings(p, local, pw)}
    with Headless(["-a", local], accounts=acct) as n:
        n.expect_buffer(local, r"Connected as ")
        buf = natter_join(n, local, room, nick="Marker")
        n.send("/bookmark add")
        # Said where it was typed: the room's window.
        n.expect_buffer(buf, r"-- Bookmarked %s \(autojoin\)\.$"
                        % re.escape(room))
        n.send("/bookmark list")
        n.expect_buffer(buf, r"--   %s \(autojoin\) nick Marker$"
                        % re.escape(room))
    with Headless(["-a", local], accounts=acct) as n:
        n.expect_buffer(local, r"Joining 1 bookmarked room \(autojoin\)\.$")
        n.expect_buffer("%s/%s" % (local, room),
                        r"-- You joined %s as Marker " % re.escape(room))
        n.send("/bookmark remove %s" % room)
        n.expect_buffer(local, r"-- Bookmark of %s removed\.$"
                        % re.escape(room))
        n.send("/bookmark list")
        n.expect(r"\] -- %s: 0 bookmarks\.$" % re.escape(local))
        # The fallback was used where, and only where, the server has no
        # PEP bookmarks (ejabberd 23.01).
        fallback = n.lines_matching(r"private storage")
        assert bool(fallback) == bool(tap.lacks(p, "pep-bookmarks")), \
            fallback


@tap.both_servers
def test_bookmarks_in_private_storage_without_xep_0402():
    # A server without PEP bookmarks announces no XEP-0402: bookmarks live
    # in private XML storage (XEP-0048 through XEP-0049, mod_private).
    with tap.new_server(pep_bookmarks=False) as p:
        room = room_jid(p, "old")
        second = room_jid(p, "older")
        local, jid, pw = tap.new_account(p, "legacy")
        acct = {local: account_settings(p, local, pw)}
        # Another client of the same account stored a bookmark there.
        other = Bot.sender(p, local, pw, commands=True)
        with other:
            other.send({"raw": "<iq type='set' id='seed'><query xmlns="
                        "'jabber:iq:private'><storage xmlns='storage:"
                        "bookmarks'><conference jid='%s' autojoin='true'>"
                        "<nick>Oldie</nick></conference></storage></query>"
                        "</iq>" % room})
            other.expect_line(r"^IQ seed result$")
        with Headless(["-a", local], accounts=acct) as n:
            n.expect_buffer(local, r"-- The server of %s has no PEP "
                            r"bookmarks \(XEP-0402\): bookmarks are kept in "
                            r"its private storage" % re.escape(local))
            n.expect_buffer(local, r"Joining 1 bookmarked room \(autojoin\)"
                            r"\.$")
            n.expect_buffer("%s/%s" % (local, room),
                            r"-- You joined %s as Oldie " % re.escape(room))
            n.send("/bookmark add %s autojoin on nick Second" % second)
            n.expect_buffer(local, r"-- Bookmarked %s \(autojoin\)\.$"
                            % re.escape(second))
            n.send("/bookmark remove %s" % room)
            n.expect_buffer(local, r"-- Bookmark of %s removed\.$"
                            % re.escape(room))
        # What was written is what the next login reads from the storage.
        with Headless(["-a", local], accounts=acct) as n:
            n.expect_buffer(local, r"Joining 1 bookmarked room \(autojoin\)"
                            r"\.$")
            n.expect_buffer("%s/%s" % (local, second),
                            r"-- You joined %s as Second "
                            % re.escape(second))
            n.send("/bookmark list")
            n.expect_buffer(local, r"-- %s: 1 bookmark:$" % re.escape(local))
            n.expect_buffer(local, r"--   %s \(autojoin\) nick Second$"
                            % re.escape(second))
            assert not n.lines_matching(r"You joined %s" % re.escape(room))


@tap.both_servers
def test_commands_outside_a_room_say_where_they_work():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    with n:
        n.send("/kick someone")
        n.expect_buffer(local, r"!! /kick works in a room's window")
        n.send("/topic")
        n.expect_buffer(local, r"!! /topic works in a room's window")
        n.send("/join room@%s/nick" % p.muc_domain)
        n.expect_buffer(local, r"!! a room address has no /nick part")
        n.send("/join room@%s nick" % p.muc_domain)
        n.expect_buffer(local, r"!! ")
        # A bare name: the service the server lists is found, then used.
        name = "plain%s" % os.urandom(3).hex()
        n.send("/join %s" % name)
        n.expect_buffer(local, r"-- Group chat service: %s \(/join NAME "
                        r"joins NAME@%s\)\.$" % (re.escape(p.muc_domain),
                                                  re.escape(p.muc_domain)))
        n.expect_buffer("%s/%s@%s" % (local, name, p.muc_domain),
                        r"-- You joined %s@%s as " % (name, p.muc_domain))


@tap.both_servers
def test_rooms_lists_the_service_and_forged_bookmarks_are_refused():
    p = tap.shared_server()
    room = room_jid(p, "listed")
    n, local, jid = online_natter(p)
    bot, bot_jid = muc_bot(p, "meddler")
    with n, bot:
        bot_join(bot, room, "lister")
        bot_configure(bot, room, {"publicroom": "1",
                                  "roomname": "The List"}, "pub1")
        n.send("/rooms")
        n.expect_buffer(local, r"-- \d+ rooms? on %s:$" % re.escape(p.muc_domain))
        # (ejabberd adds the number of occupants to the name.)
        n.expect_buffer(local, r"--   %s \(The List( \(1\))?\)$"
                        % re.escape(room))
        n.send("/rooms nosuchservice.invalid")
        n.expect_buffer(local, r"!! Cannot list the rooms of "
                        r"nosuchservice\.invalid: ")
        # Someone else claims to change our bookmarks.
        full = n.lines_matching(r"Connected as (\S+) ")[0].split()[-2]
        bot.send({"raw": "<message to='%s'><event xmlns='http://jabber.org/"
                  "protocol/pubsub#event'><items node='urn:xmpp:bookmarks:1'>"
                  "<item id='%s'><conference xmlns='urn:xmpp:bookmarks:1' "
                  "autojoin='true'/></item></items></event></message>"
                  % (full, room_jid(p, "trap"))})
        n.expect_buffer(local, r"!! Refused a bookmarks notification from "
                        r"%s/\S+: only your own account" % re.escape(bot_jid))
        n.send("/bookmark list")
        n.expect(r"-- %s: 0 bookmarks\.$" % re.escape(local))



def test_moderation_both_ways():
    p = tap.shared_prosody()
    room = room_jid(p, "moderated")
    mine = room_jid(p, "mine")
    bot, bot_jid = muc_bot(p, "owner")
    n, local, jid = online_natter(p)
    with n, bot:
        # The bot's room: natter is a participant; its message removed.
        bot_join(bot, room, "owner")
        buf = natter_join(n, local, room)
        n.send("oops, wrong room")
        bot.expect_line(r"^RECV %s/%s \"oops, wrong room\"$"
                        % (re.escape(room), re.escape(local)))
        n.expect_buffer(buf, r"\(delivered\) <%s> oops" % re.escape(local))
        db_id = stanza_id_of(n, local, room, "oops, wrong room")
        bot.send({"raw": "<iq type='set' id='mod1' to='%s'><apply-to "
                  "xmlns='urn:xmpp:fasten:0' id='%s'><moderate xmlns='urn:"
                  "xmpp:message-moderate:0'><retract xmlns='urn:xmpp:message-"
                  "retract:0'/><reason>rule 3</reason></moderate></apply-to>"
                  "</iq>" % (room, db_id)})
        bot.expect_line(r"^IQ mod1 result$")
        n.expect_buffer(buf, r"\(retracted\) <%s> removed by owner: rule 3$"
                        % re.escape(local))
        # A participant may not; the room says no.
        bot_say(bot, room, "mine to keep")
        n.expect_buffer(buf, r"<owner> mine to keep$")
        n.send("/moderate")
        n.expect_buffer(buf, r"!! Refused: removal of a message from %s: "
                        % re.escape(room))
        # An occupant cannot pass a moderation off as the room's.
        bot.send({"raw": "<message to='%s' type='groupchat'><apply-to "
                  "xmlns='urn:xmpp:fasten:0' id='%s'><moderated xmlns='urn:"
                  "xmpp:message-moderate:0' by='%s/owner'><retract xmlns="
                  "'urn:xmpp:message-retract:0'/></moderated></apply-to>"
                  "</message>" % (room, stanza_id_of(n, local, room,
                                                     "mine to keep"), room)})
        n.expect_buffer(buf, r"!! Ignored a moderation from %s/owner"
                        % re.escape(room))
        # natter's own room: natter moderates the bot's message.
        mbuf = natter_join(n, local, mine)
        bot_join(bot, mine, "guest")
        bot_say(bot, mine, "buy cheap pills")
        n.expect_buffer(mbuf, r"<guest> buy cheap pills$")
        n.send("/moderate spam")
        n.expect_buffer(mbuf, r"\(retracted\) <guest> removed by %s: spam$"
                        % re.escape(local))
        n.expect_buffer(mbuf, r"-- Done: removal of a message from %s\.$"
                        % re.escape(mine))
        assert not n.lines_matching(r"oops, wrong room.*removed")


def stanza_id_of(n, local, room, body):
    """The room's id for the message BODY, from natter's history, once it
    is there: the line on screen may come before the history's commit."""
    import sqlite3

    def stored():
        db = sqlite3.connect(os.path.join(n.data_dir, local, "history.db"))
        try:
            row = db.execute("SELECT stanza_id FROM messages WHERE peer = ? "
                             "AND body = ?", (room, body)).fetchone()
            return row[0] if row else None
        finally:
            db.close()
    return util.wait_until(stored, 10, "the room's id of %r stored" % body)

if __name__ == "__main__":
    tap.main(globals())
