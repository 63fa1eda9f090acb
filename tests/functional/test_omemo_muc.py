#!/usr/bin/python3
# OMEMO in rooms on the real server: /omemo on is refused in a room that
# is open or semi-anonymous, with the reason; in a members-only
# non-anonymous room of two natters and the python-omemo peer
# (tests/bots/omemo_bot.py, oldmemo: an implementation that shares no code
# with natter's) each reads each message (OMEMO 0.3, encrypted to every
# member's devices), the server archives no plaintext, a member without OMEMO makes a send refuse (nothing in the
# clear), and a room that turns semi-anonymous stops OMEMO sends.
import json
import os
import re

from natter_test import tap, util
from natter_test.bots import Bot

from test_muc import bot_join, natter_join, room_jid
from test_omemo import omemo_bot, omemo_natter

LINE = r"\{omemo (trusted|verified|undecided)\} <%s> %s$"


def configure(n, local, room, **fields):
    """Opens ROOM's configuration form in N, sets FIELDS (without the
    muc#roomconfig_ prefix) and submits it."""
    fbuf = "%s/config:%s" % (local, room)
    n.send("/room config")
    n.expect_buffer(fbuf, r"-- Form: configuration of %s " % re.escape(room))
    for var, value in fields.items():
        n.send("/form set muc#roomconfig_%s %s" % (var, value))
        n.expect_buffer(fbuf, r"-- muc#roomconfig_%s = %s " % (var, value))
    n.send("/form submit")
    # The form window goes: the room's window is current again.
    n.expect_buffer("%s/%s" % (local, room),
                    r"-- The configuration of %s is saved\.$"
                    % re.escape(room))


def seen(n, buf, regex):
    """Waits for a line of BUF matching REGEX, whenever it came (a room
    may tell of its new configuration before or after the answer to the
    form)."""
    util.wait_until(lambda: n.lines_matching(r"^\[%s\] %s"
                                             % (re.escape(buf), regex)),
                    10, regex)


def server_files_with(p, needle):
    """The files of the server's data directory that hold NEEDLE: only
    Prosody's (plain files); ejabberd's Mnesia is not read, and this is
    an empty list there."""
    found = []
    if tap.server_kind() != "prosody":
        return found
    for top, _dirs, files in os.walk(p.data_dir):
        for name in files:
            path = os.path.join(top, name)
            if not os.path.isfile(path):
                continue  # the admin socket
            with open(path, "rb") as f:
                if needle in f.read():
                    found.append(path)
    return found


def room_archive(p, room):
    """What Prosody's file storage keeps of ROOM's archive (on ejabberd,
    None: its archive is in Mnesia)."""
    if tap.server_kind() != "prosody":
        return None
    # (Its file names escape every non-word character.)
    node = re.sub(r"\W", lambda m: "%%%02x" % ord(m.group()),
                  room.split("@")[0])
    path = os.path.join(p.data_dir, re.sub(r"\.", "%2e", p.muc_domain),
                        "muc_log", node + ".list")
    with open(path, "rb") as f:
        return f.read()


@tap.both_servers
def test_unsuitable_rooms_are_refused():
    p = tap.shared_server()
    n, local, jid = omemo_natter(p, "owner")
    with n:
        # Open and semi-anonymous (Prosody's defaults).
        open_room = room_jid(p, "open")
        n.send("/room create %s" % open_room)
        obuf = "%s/%s" % (local, open_room)
        n.expect_buffer(obuf, r"-- Done: keep the default configuration")
        n.send("/omemo on")
        n.expect_buffer(obuf, r"!! OMEMO needs a non-anonymous, members-only "
                        r"room: %s is not suitable: it is neither "
                        r"non-anonymous .* nor members-only"
                        % re.escape(open_room))
        # Members-only but semi-anonymous.
        semi = room_jid(p, "semi")
        n.send("/room create %s" % semi)
        sbuf = "%s/%s" % (local, semi)
        n.expect_buffer(sbuf, r"-- Done: keep the default configuration")
        configure(n, local, semi, membersonly="on")
        seen(n, sbuf, r"-- %s is now members-only\.$" % re.escape(semi))
        n.send("/omemo on")
        n.expect_buffer(sbuf, r"!! OMEMO needs a non-anonymous, members-only "
                        r"room: %s is not suitable: it is not non-anonymous: "
                        r"it does not show its occupants' real JIDs"
                        % re.escape(semi))
        # Non-anonymous but open.
        configure(n, local, semi, membersonly="off", whois="anyone")
        seen(n, sbuf, r"-- This room now shows your real address to "
             r"everyone\.$")
        seen(n, sbuf, r"-- %s is no longer members-only\.$"
             % re.escape(semi))
        n.send("/omemo on")
        n.expect_buffer(sbuf, r"!! OMEMO needs a non-anonymous, members-only "
                        r"room: %s is not suitable: it is not members-only"
                        % re.escape(semi))
        # Nothing was turned on: the room's messages leave in the clear.
        n.send("in the clear")
        n.expect_buffer(sbuf, r"\(delivered\) <%s> in the clear$"
                        % re.escape(local))
        n.check_no_crash()


@tap.both_servers
def test_three_members_read_each_other_and_the_server_does_not():
    p = tap.shared_server()
    a, a_local, a_jid = omemo_natter(p, "alice")
    b, b_local, b_jid = omemo_natter(p, "bob")
    py, py_jid, _py_dev = omemo_bot(p)
    plain_local, plain_jid, plain_pw = tap.new_account(p, "plain")
    room = room_jid(p, "secret")
    with a, b, py, Bot.sender(p, plain_local, plain_pw, commands=True) as bot:
        a.send("/room create %s" % room)
        abuf = "%s/%s" % (a_local, room)
        a.expect_buffer(abuf, r"-- Done: keep the default configuration")
        configure(a, a_local, room, membersonly="on", whois="anyone")
        seen(a, abuf, r"-- %s is now members-only\.$" % re.escape(room))
        for jid in (b_jid, py_jid):
            a.send("/affiliation %s member" % jid)
            a.expect_buffer(abuf, r"-- Done: make %s member of "
                            % re.escape(jid))
        a.send("/omemo on")
        a.expect_buffer(abuf, r"-- OMEMO on: messages to %s are encrypted to "
                        r"every member's devices" % re.escape(room))
        # The members who are not there yet count: their keys are fetched.
        a.expect_buffer(abuf, r"-- OMEMO: %s has 2 other members with 2 "
                        r"devices \(OMEMO 0\.3\), each with a session$"
                        % re.escape(room), timeout=20)
        bbuf = natter_join(b, b_local, room)
        b.expect_buffer(bbuf, r"-- This room shows your real address to "
                        r"everyone\.$")
        py.send_json({"join": room, "nick": "pyomemo"})
        py.expect_line(r"^JOINED %s$" % re.escape(room))
        a.expect_buffer(abuf, r"-- pyomemo joined\.$")
        b.expect_buffer(bbuf, r"-- pyomemo joined\.$")

        said = []

        def say(sender, nick, text):
            said.append((sender, nick, text))
            if sender is py:
                py.send_json({"room": room, "body": text,
                              "members": [a_jid, b_jid]})
                py.expect_line(r"^ENCRYPTED %s \d+$" % re.escape(room),
                               timeout=20)
            else:
                sender.send(text)
                frm, body = py.expect_line(
                    r"^(?:DECRYPTED|UNDECRYPTABLE) (\S+) (.*)$",
                    timeout=20).groups()
                assert frm == "%s/%s" % (room, nick), frm
                assert json.loads(body) == text, body
            for n, buf in ((a, abuf), (b, bbuf)):
                n.expect_buffer(buf, LINE % (re.escape(nick),
                                             re.escape(text)), timeout=20)

        say(a, a_local, "alice first secret")
        # Bob takes python-omemo's keys only now. python-omemo deletes a
        # prekey once used and publishes a new bundle: had bob fetched the
        # bundle alice did, he could have picked the prekey she used (one
        # chance in a hundred), and his key exchange would not decrypt.
        b.send("/omemo on")
        b.expect_buffer(bbuf, r"-- OMEMO on: messages to %s are encrypted"
                        % re.escape(room))
        say(b, b_local, "bob answers")
        say(py, "pyomemo", "python-omemo speaks")
        say(a, a_local, "alice again")
        # Our own line is ours, once, and delivered (the reflection).
        a.expect_buffer(abuf, r"\(delivered\) \{omemo trusted\} <%s> alice "
                        r"again$" % re.escape(a_local))
        for n, buf in ((a, abuf), (b, bbuf)):
            assert not n.lines_matching(r"could not be decrypted"), \
                n.transcript()
            # (Lines that change state are printed again with the state.)
            assert len(n.lines_matching(
                r"^\[%s\] \{omemo trusted\} <%s> alice first secret$"
                % (re.escape(buf), re.escape(a_local)))) == 1, n.transcript()

        # Bob away: what is said meanwhile comes from the room's archive
        # when he is back, decrypted (he is a member: encrypted to him).
        b.send("/part")
        b.expect_buffer(bbuf, r"-- You left %s\.$" % re.escape(room))
        a.expect_buffer(abuf, r"-- %s left" % re.escape(b_local))
        a.send("while bob was out")
        py.expect_line(r"^DECRYPTED %s/%s \"while bob was out\"$"
                       % (re.escape(room), re.escape(a_local)), timeout=20)
        py.send_json({"room": room, "body": "python while bob was out",
                      "members": [a_jid, b_jid]})
        a.expect_buffer(abuf, LINE % ("pyomemo", "python while bob was out"),
                        timeout=20)
        natter_join(b, b_local, room)
        for nick, text in ((a_local, "while bob was out"),
                           ("pyomemo", "python while bob was out")):
            b.expect_buffer(bbuf, LINE % (re.escape(nick), text), timeout=20)
        said += ((a, a_local, "while bob was out"),
                 (py, "pyomemo", "python while bob was out"))
        assert not b.lines_matching(r"could not be decrypted"), \
            b.transcript()

        # The server archived the room's messages, encrypted only (the
        # texts have no quote the archive's format would escape).
        for _sender, _nick, text in said:
            assert not server_files_with(p, text.encode()), text
        archive = room_archive(p, room)
        if archive is not None:
            assert archive.count(b"eu.siacs.conversations.axolotl") \
                >= len(said)
            assert archive.count(b"payload") >= len(said), archive

        # A member without OMEMO: the next message is refused, not sent.
        a.send("/affiliation %s member" % plain_jid)
        a.expect_buffer(abuf, r"-- Done: make %s member of "
                        % re.escape(plain_jid))
        bot_join(bot, room, "plain")
        a.expect_buffer(abuf, r"-- plain joined\.$")
        a.send("/omemo on")
        a.expect_buffer(abuf, r"!! OMEMO: messages to %s would be refused "
                        r"now: %s has no OMEMO device$"
                        % (re.escape(room), re.escape(plain_jid)), timeout=20)
        a.send("not for plain eyes")
        a.expect_buffer(abuf, r"!! Not sent: OMEMO is on for %s but %s has "
                        r"no OMEMO device" % (re.escape(room),
                                              re.escape(plain_jid)))
        # Bob's too: every member counts, present or not.
        bot.send({"raw": "<presence type='unavailable' to='%s/plain'/>"
                  % room})
        b.expect_buffer(bbuf, r"-- plain left")
        b.send("now that plain left")
        b.expect_buffer(bbuf, r"!! Not sent: OMEMO is on for %s but %s has "
                        r"no OMEMO device" % (re.escape(room),
                                              re.escape(plain_jid)))
        assert not server_files_with(p, b"now that plain left")
        assert not server_files_with(p, b"not for plain eyes")
        # A device of a member whose keys cannot be had (it announces a
        # device and publishes no bundle): refused too, with the reason.
        bot.send({"raw": "<iq type='set' id='devs'><pubsub xmlns='http://"
                  "jabber.org/protocol/pubsub'><publish node='eu.siacs."
                  "conversations.axolotl.devicelist'><item id='current'>"
                  "<list xmlns='eu.siacs.conversations.axolotl'><device "
                  "id='4242'/></list></item></publish><publish-options><x "
                  "xmlns='jabber:x:data' type='submit'><field var="
                  "'FORM_TYPE' type='hidden'><value>http://jabber.org/"
                  "protocol/pubsub#publish-options</value></field><field "
                  "var='pubsub#access_model'><value>open</value></field>"
                  "</x></publish-options></pubsub></iq>"})
        bot.expect_line(r"^IQ devs result$")
        a.send("no keys no message")
        a.expect_buffer(abuf, r"!! Not sent: OMEMO is on for %s but the keys "
                        r"of device 4242 of %s could not be fetched"
                        % (re.escape(room), re.escape(plain_jid)),
                        timeout=20)
        assert not server_files_with(p, b"no keys no message")

        # The room turns semi-anonymous: said, and sends are refused.
        configure(a, a_local, room, whois="moderators")
        seen(a, abuf, r"!! OMEMO: %s is no longer suitable for encryption: "
             r"it is not non-anonymous" % re.escape(room))
        a.send("after the change")
        a.expect_buffer(abuf, r"!! Not sent: OMEMO is on for %s, which is "
                        r"not suitable: it is not non-anonymous"
                        % re.escape(room))
        assert not server_files_with(p, b"after the change")
        for n in (a, b):
            n.check_no_crash()


@tap.both_servers
def test_a_room_of_natters_speaks_omemo2():
    p = tap.shared_server()
    a, a_local, a_jid = omemo_natter(p, "alice")
    b, b_local, b_jid = omemo_natter(p, "bob")
    room = room_jid(p, "modern")
    with a, b:
        a.send("/room create %s" % room)
        abuf = "%s/%s" % (a_local, room)
        a.expect_buffer(abuf, r"-- Done: keep the default configuration")
        configure(a, a_local, room, membersonly="on", whois="anyone")
        seen(a, abuf, r"-- %s is now members-only\.$" % re.escape(room))
        a.send("/affiliation %s member" % b_jid)
        a.expect_buffer(abuf, r"-- Done: make %s member of " % re.escape(b_jid))
        a.send("/omemo on")
        a.expect_buffer(abuf, r"-- OMEMO on: ")
        a.expect_buffer(abuf, r"-- OMEMO: %s has 1 other member with 1 device "
                        r"\(OMEMO:2\), each with a session$"
                        % re.escape(room), timeout=20)
        bbuf = natter_join(b, b_local, room)
        b.send("/omemo on")
        b.expect_buffer(bbuf, r"-- OMEMO on: ")
        # Every device of every member announces OMEMO:2: that is spoken.
        for sender, nick, text in ((a, a_local, "first in the new way"),
                                   (b, b_local, "and the answer"),
                                   (a, a_local, "once more")):
            sender.send(text)
            for n, buf in ((a, abuf), (b, bbuf)):
                n.expect_buffer(buf, r"\{omemo2 trusted\} <%s> %s$"
                                % (re.escape(nick), text), timeout=20)
        a.expect_buffer(abuf, r"\(delivered\) \{omemo2 trusted\} <%s> once "
                        r"more$" % re.escape(a_local))
        for n in (a, b):
            assert not n.lines_matching(r"could not be decrypted"), \
                n.transcript()
        # Our line said OMEMO:2 from the start: the keys were known.
        assert a.lines_matching(r"^\[%s\] \{omemo2 trusted\} <%s> first in "
                                r"the new way$"
                                % (re.escape(abuf), re.escape(a_local))), \
            a.transcript()
        assert not server_files_with(p, b"first in the new way")
        archive = room_archive(p, room)
        if archive is not None:
            assert archive.count(b"urn:xmpp:omemo:2") >= 3, archive


def test_the_room_title_says_omemo_in_the_terminal():
    import shutil
    import tempfile
    from natter_test.headless import (account_settings, natter_path,
                                      write_keyfile)
    from natter_test.tmux import Tmux
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    dirs = tempfile.mkdtemp(prefix="natter-omemo-muc-tui-")
    util.on_cleanup("omemo muc tui dirs", lambda: shutil.rmtree(
        dirs, ignore_errors=True))
    config, data = os.path.join(dirs, "config"), os.path.join(dirs, "data")
    os.makedirs(config)
    write_keyfile(os.path.join(config, "accounts"),
                  {local: account_settings(p, local, pw)})
    room = room_jid(p, "titled")
    with Tmux([natter_path(), "--config-dir", config, "--data-dir", data,
               "-a", local], width=160, height=30, name="natter") as t:
        t.wait_for(r"OMEMO:2: this device \(\d+\) is in our device list")
        t.type("/room create %s\r" % room)
        t.wait_for(r"Done: keep the default configuration")
        t.type("/room config\r")
        t.wait_for(r"\(a form: /form set")
        t.type("/form set muc#roomconfig_membersonly on\r")
        t.type("/form set muc#roomconfig_whois anyone\r")
        t.wait_for(r"muc#roomconfig_whois = anyone \(/form submit")
        t.type("/form submit\r")
        t.wait_for(r"is now members-only\.")
        t.wait_for(r"now shows your real address")
        # Not yet: the title says nothing of OMEMO.
        title = t.lines()[0]
        assert room in title and "OMEMO" not in title, title
        t.type("/omemo on\r")
        t.wait_for(r"OMEMO on: messages to ")
        # Alone, with this device only (which announces OMEMO:2).
        util.wait_until(lambda: "[OMEMO:2]" in t.lines()[0], 10,
                        "the title says [OMEMO:2]", on_timeout=t.screen)
        t.type("/omemo off\r")
        util.wait_until(lambda: "OMEMO" not in t.lines()[0], 10,
                        "the title says no more", on_timeout=t.screen)


if __name__ == "__main__":
    tap.main(globals())
