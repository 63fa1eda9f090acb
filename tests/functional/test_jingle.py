#!/usr/bin/python3
# Jingle file transfer (XEP-0234 over XEP-0261 in-band bytestreams)
# between natter and a peer that is not natter: jingle_bot.py, a small
# Jingle layer of its own over slixmpp's in-band bytestreams (XEP-0047),
# and once between two natters. Files go both ways with their bytes
# compared; an offer is declined both ways; a hostile file name stays in
# the download directory; a file whose hash, size or blocks lie is
# refused and deleted; a stray or spoofed bytestream stanza gets an error
# and a line.
import hashlib
import os
import re
import tempfile

from natter_test import tap, util
from natter_test.bots import Bot

from fixtures import echo_bot, natter_as, online_natter


def jingle_bot(p, natter_local, *extra, commands=False, mutual=True):
    """A jingle bot, mutual contact of NATTER_LOCAL unless MUTUAL is
    false: (bot, its JID)."""
    local, jid, password = tap.new_account(p, "jbot")
    if mutual:
        p.make_mutual(natter_local, local)
    bot = Bot("jingle_bot.py", Bot.connection_args(p, local, password) +
              list(extra) + (["--commands"] if commands else []),
              name="jingle_bot(%s)" % local, commands=commands)
    bot.start()
    return bot, jid


def peer_jid(bot, jid):
    """The full JID of JID whose presence BOT has seen."""
    pattern = r"^PRESENCE (%s/\S+) available$" % re.escape(jid)
    util.wait_until(lambda: bot.lines_matching(pattern), 10,
                    "the presence of %s at the bot" % jid)
    return re.match(pattern, bot.lines_matching(pattern)[-1]).group(1)


def wait_online(n, local, contact):
    """Waits until natter has CONTACT's presence (a resource to send to)."""
    n.expect_buffer(local, r"%s is online" % re.escape(contact), timeout=15)


def write(d, name, data):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


@tap.both_servers
def test_natter_sends_a_file_and_the_bot_gets_the_same_bytes():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = jingle_bot(p, local)
    with n, bot, tempfile.TemporaryDirectory() as d:
        data = os.urandom(1024 * 1024 + 4321)
        path = write(d, "one meg.bin", data)
        chat = "%s/%s" % (local, bot_jid)
        wait_online(n, local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/sendfile -jingle %s" % path)
        frm, sid, name, size, digest = bot.expect_line(
            r'^OFFER (\S+) (\S+) (".*") (\d+) (\S+)$', timeout=15).groups()
        assert frm.startswith(jid + "/"), frm
        assert name == '"one meg.bin"', name
        assert int(size) == len(data)
        import base64
        assert base64.b64decode(digest) == hashlib.sha256(data).digest()
        n.expect_buffer(chat, r"Jingle transfer of one meg\.bin: %s/\S+ accepted"
                        % re.escape(bot_jid))
        n.expect_buffer(chat, r"Jingle transfer of one meg\.bin: \d+% \(")
        n.expect_buffer(chat, r"Jingle transfer of one meg\.bin done "
                        r"\(1\.0 MiB\) to %s/" % re.escape(bot_jid),
                        timeout=60)
        got, length = bot.expect_line(r"^RECEIVED %s (\S+) (\d+)$" % sid,
                                      timeout=10).groups()
        assert int(length) == len(data)
        assert got == hashlib.sha256(data).hexdigest()
        bot.expect_line(r"^TERMINATED \S+ %s success$" % sid)
        n.send("/files")
        n.expect_buffer(chat, r"1\. upload of one meg\.bin to %s: done"
                        % re.escape(bot_jid))


@tap.both_servers
def test_the_bot_sends_a_file_and_natter_saves_the_same_bytes():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = jingle_bot(p, local, commands=True)
    with n, bot, tempfile.TemporaryDirectory() as d:
        downloads = os.path.join(d, "dl")
        n.send("/set download_dir %s" % downloads)
        data = os.urandom(1024 * 1024 + 99)
        path = write(d, "report.pdf", data)
        os.makedirs(downloads)
        write(downloads, "report.pdf", b"already here")
        full = peer_jid(bot, jid)
        bot.send_json({"offer": {"to": full, "path": path}})
        bot.expect_line(r"^OFFERED ")
        chat = "%s/%s" % (local, bot_jid)
        number = n.expect_buffer(
            chat, r"%s/\S+ offers the file report\.pdf \(1\.0 MiB\): "
            r"/files accept (\d+) or /files decline \d+$"
            % re.escape(bot_jid)).group(1)
        n.send("/files")
        n.expect_buffer(local, r"offer %s\. report\.pdf \(1\.0 MiB\) from %s/"
                        % (number, re.escape(bot_jid)))
        n.send("/files accept %s" % number)
        saved = n.expect_buffer(
            local, r"Jingle transfer of report-1\.pdf from \S+ done "
            r"\(1\.0 MiB, sha-256 checked\): saved as (.*)$",
            timeout=60).group(1)
        assert saved == os.path.join(downloads, "report-1.pdf"), saved
        with open(saved, "rb") as f:
            assert f.read() == data
        with open(os.path.join(downloads, "report.pdf"), "rb") as f:
            assert f.read() == b"already here"  # never overwritten
        bot.expect_line(r"^SENT-ALL ")
        assert not bot.lines_matching(r"^SEND-FAILED")
        assert sorted(os.listdir(downloads)) == ["report-1.pdf", "report.pdf"]


class Offered:
    """A fresh natter and a jingle bot that offers it DATA as OFFER says
    (jingle_bot's offer command; "to" and "path" are filled in)."""

    def __init__(self, data, **offer):
        self.p = tap.shared_server()
        self.n, self.local, self.jid = online_natter(self.p)
        self.bot, self.bot_jid = jingle_bot(self.p, self.local, commands=True)
        self.tmp = tempfile.TemporaryDirectory()
        self.downloads = os.path.join(self.tmp.name, "dl")
        self.n.send("/set download_dir %s" % self.downloads)
        self.n.expect_buffer(self.local, r"download_dir = ")
        path = write(self.tmp.name, "offered.bin", data)
        offer.update(to=peer_jid(self.bot, self.jid), path=path)
        self.bot.send_json({"offer": offer})
        self.sid = self.bot.expect_line(r"^OFFERED (\S+)$").group(1)
        self.chat = "%s/%s" % (self.local, self.bot_jid)
        m = self.n.expect_buffer(
            self.chat, r"offers the file (.*) \(.*\): /files accept (\d+) ")
        self.offered_name, self.number = m.groups()
        # Answers to the commands typed go to the current window.
        self.n.send("/msg %s" % self.bot_jid)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.bot.__exit__(*exc)
        self.n.__exit__(*exc)
        self.tmp.cleanup()

    def files(self):
        if not os.path.isdir(self.downloads):
            return []
        return sorted(os.listdir(self.downloads))


def natter_jid(n, jid):
    """natter's full JID, from its login line."""
    pattern = r"Connected as (%s/\S+) \(" % re.escape(jid)
    return re.search(pattern, n.lines_matching(pattern)[0]).group(1)


@tap.both_servers
def test_an_offer_from_a_stranger_waits_and_a_flood_is_bounded():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = jingle_bot(p, local, commands=True, mutual=False)
    with n, bot, tempfile.TemporaryDirectory() as d:
        path = write(d, "gift.exe", b"MZ")
        me = natter_jid(n, jid)
        chat = "%s/%s" % (local, bot_jid)
        bot.send_json({"offer": {"to": me, "path": path}})
        n.expect_buffer(chat, r"%s/\S+ offers the file gift\.exe \(2 bytes\)"
                        r" - not in your roster: /files accept 1 "
                        % re.escape(bot_jid))
        for _ in range(20):
            bot.send_json({"offer": {"to": me, "path": path}})
        n.expect_buffer(local, r"!! Declined a file from %s/\S+: 20 offers "
                        r"already wait" % re.escape(bot_jid))
        bot.expect_line(r"^TERMINATED \S+ \S+ decline$")
        n.send("/files")
        n.expect_buffer(local, r"offer 20\. gift\.exe \(2 bytes\) from "
                        r"%s/\S+ \(not in your roster\)$" % re.escape(bot_jid))
        # Nothing was saved without being asked.
        assert not n.lines_matching(r"Jingle transfer of gift")


@tap.both_servers
def test_another_entity_cannot_end_or_feed_a_session():
    data = os.urandom(100000)
    with Offered(data, pause=True) as o:
        ibb = o.bot.expect_line(r"^BYTESTREAM %s (\S+)$" % o.sid).group(1)
        mallory, m_jid = jingle_bot(o.p, o.local, commands=True)
        with mallory:
            me = peer_jid(mallory, o.jid)
            o.n.send("/files accept %s" % o.number)
            o.bot.expect_line(r"^PAUSED ", timeout=20)
            # The open bytestream's id, the next block number: not from
            # its peer, refused.
            for seq in range(0, 30):
                mallory.send_json({"raw": "<iq type='set' to='%s' "
                                   "id='feed%d'><data xmlns='http://jabber"
                                   ".org/protocol/ibb' sid='%s' seq='%d'>"
                                   "AAAA</data></iq>" % (me, seq, ibb, seq)})
            mallory.expect_line(r"^IQERROR \S+ feed0 item-not-found$")
            mallory.expect_line(r"^IQERROR \S+ feed29 item-not-found$")
            o.n.expect_buffer(o.local, r"!! Refused in-band data from "
                              r"%s/\S+: no open bytestream" % re.escape(m_jid))
            # Nor can it end the session.
            mallory.send_json({"raw": "<iq type='set' to='%s' id='spoof1'>"
                               "<jingle xmlns='urn:xmpp:jingle:1' "
                               "action='session-terminate' sid='%s'><reason>"
                               "<decline/></reason></jingle></iq>"
                               % (me, o.sid)})
            mallory.expect_line(r"^IQERROR \S+ spoof1 item-not-found$")
            o.n.expect_buffer(o.local, r"!! Refused Jingle session-terminate "
                              r"from %s/\S+: no session" % re.escape(m_jid))
            o.bot.send_json({"resume": o.sid})
            saved = o.n.expect_buffer(
                o.chat, r"done \(97\.7 KiB, sha-256 checked\): saved as "
                r"(.*)$", timeout=20).group(1)
            with open(saved, "rb") as f:
                assert f.read() == data


@tap.both_servers
def test_a_sender_that_ends_without_closing_the_bytestream():
    data = os.urandom(30000)
    with Offered(data, noclose=True) as o:
        o.n.send("/files accept %s" % o.number)
        saved = o.n.expect_buffer(
            o.chat, r"done \(29\.3 KiB, sha-256 checked\): saved as (.*)$",
            timeout=20).group(1)
        with open(saved, "rb") as f:
            assert f.read() == data


@tap.both_servers
def test_an_empty_file_with_a_name_of_two_lines():
    with Offered(b"", name="two\nlines.txt") as o:
        # One line in the window: the name cannot draw lines of its own.
        assert o.offered_name == "two lines.txt", o.offered_name
        o.n.send("/files accept %s" % o.number)
        saved = o.n.expect_buffer(
            o.chat, r"done \(0 bytes, sha-256 checked\): saved as (.*)$",
            timeout=20).group(1)
        assert saved == os.path.join(o.downloads, "two lines.txt"), saved
        assert os.path.getsize(saved) == 0
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = jingle_bot(p, local)
    with n, bot, tempfile.TemporaryDirectory() as d:
        path = write(d, "empty", b"")
        wait_online(n, local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/sendfile -jingle %s" % path)
        bot.expect_line(r"^RECEIVED \S+ %s 0$" % hashlib.sha256().hexdigest(),
                        timeout=20)
        n.expect_buffer("%s/%s" % (local, bot_jid),
                        r"Jingle transfer of empty done \(0 bytes\)")


@tap.both_servers
def test_quitting_in_the_middle_leaves_no_partial_file():
    with Offered(os.urandom(200000), pause=True) as o:
        o.n.send("/files accept %s" % o.number)
        o.bot.expect_line(r"^PAUSED ", timeout=20)
        o.n.expect_buffer(o.chat, r"Jingle transfer of offered\.bin from "
                          r"\S+: \d+% \(")
        assert o.files() == ["offered.bin"]  # written as it comes
        o.n.send("/quit")
        assert o.n.wait_exit() == 0
        assert o.files() == []


@tap.both_servers
def test_natter_declines_an_offer():
    with Offered(b"not wanted") as o:
        o.n.send("/files decline %s" % o.number)
        o.n.expect_buffer(o.chat, r"Declined the file offered\.bin from %s/"
                          % re.escape(o.bot_jid))
        o.bot.expect_line(r"^TERMINATED %s/\S+ %s decline$"
                          % (re.escape(o.jid), o.sid))
        o.n.send("/files accept %s" % o.number)
        o.n.expect_buffer(o.chat, r"no file offer %s waits for an answer"
                          % o.number)
        assert o.files() == []


@tap.both_servers
def test_the_bot_declines_natters_offer():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = jingle_bot(p, local, "--on-offer", "decline")
    with n, bot, tempfile.TemporaryDirectory() as d:
        path = write(d, "unwanted.txt", b"hello")
        chat = "%s/%s" % (local, bot_jid)
        wait_online(n, local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/sendfile -jingle %s" % path)
        bot.expect_line(r"^DECLINED ")
        n.expect_buffer(chat, r"!! Jingle transfer of unwanted\.txt failed: "
                        r"%s/\S+ declined it$" % re.escape(bot_jid))


@tap.both_servers
def test_a_hostile_file_name_is_made_safe():
    data = b"export EVIL=1\n"
    with Offered(data, name="../../.bashrc") as o:
        assert o.offered_name == "../../.bashrc", o.offered_name
        o.n.send("/files accept %s" % o.number)
        saved = o.n.expect_buffer(
            o.chat, r"done \(14 bytes, sha-256 checked\): saved as (.*)$",
            timeout=20).group(1)
        assert saved == os.path.join(o.downloads, "bashrc"), saved
        assert o.files() == ["bashrc"]
        with open(saved, "rb") as f:
            assert f.read() == data
        assert not os.path.exists(os.path.join(o.tmp.name, ".bashrc"))


@tap.both_servers
def test_a_file_whose_hash_lies_is_deleted():
    with Offered(os.urandom(50000), hash="lie") as o:
        o.n.send("/files accept %s" % o.number)
        o.n.expect_buffer(o.chat, r"!! Jingle transfer of offered\.bin from "
                          r"\S+ failed: its sha-256 does not match the one "
                          r"offered; the partial file is deleted$",
                          timeout=20)
        o.bot.expect_line(r"^TERMINATED \S+ %s media-error$" % o.sid)
        assert o.files() == []


@tap.both_servers
def test_a_size_lie_a_sequence_gap_and_an_oversize_block_are_refused():
    cases = [
        (dict(size=1000), "not-acceptable",
         r"the sender sent more than the 1000 bytes offered"),
        (dict(gap=True), "unexpected-request",
         r"block 2 came where block 1 was due"),
        (dict(oversize=True), "bad-request",
         r"a block larger than the 4096 bytes agreed"),
    ]
    for offer, condition, why in cases:
        with Offered(os.urandom(20000), **offer) as o:
            o.n.send("/files accept %s" % o.number)
            o.n.expect_buffer(o.chat, r"!! Jingle transfer of offered\.bin "
                              r"from \S+ failed: %s; the partial file is "
                              r"deleted$" % why, timeout=20)
            o.bot.expect_line(r"^SEND-FAILED %s %s$" % (o.sid, condition))
            assert o.files() == [], (offer, o.files())
            o.n.send("/files")
            o.n.expect_buffer(o.chat, r"1\. download of offered\.bin from "
                              r"\S+: failed: ")


@tap.both_servers
def test_stray_and_spoofed_stanzas_get_errors():
    with Offered(b"x" * 10) as o:
        me = peer_jid(o.bot, o.jid)
        # Data and a close for a bytestream that does not exist.
        o.bot.send_json({"raw": "<iq type='set' to='%s' id='stray1'>"
                         "<data xmlns='http://jabber.org/protocol/ibb' "
                         "sid='nope' seq='0'>AAAA</data></iq>" % me})
        o.bot.expect_line(r"^IQERROR \S+ stray1 item-not-found$")
        o.n.expect_buffer(o.local, r"!! Refused in-band data from %s/\S+: "
                          r"no open bytestream nope" % re.escape(o.bot_jid))
        # A Jingle action about a session that is not there.
        o.bot.send_json({"raw": "<iq type='set' to='%s' id='stray2'>"
                         "<jingle xmlns='urn:xmpp:jingle:1' "
                         "action='session-accept' sid='other'/></iq>" % me})
        o.bot.expect_line(r"^IQERROR \S+ stray2 item-not-found$")
        o.n.expect_buffer(o.local, r"!! Refused Jingle session-accept from "
                          r"\S+: no session other")
        # The offer's own session id, before it is accepted: no data yet.
        o.bot.send_json({"raw": "<iq type='set' to='%s' id='stray3'>"
                         "<jingle xmlns='urn:xmpp:jingle:1' "
                         "action='bogus' sid='%s'/></iq>" % (me, o.sid)})
        o.bot.expect_line(r"^IQERROR \S+ stray3 feature-not-implemented$")
        # A malformed one.
        o.bot.send_json({"raw": "<iq type='set' to='%s' id='stray4'>"
                         "<jingle xmlns='urn:xmpp:jingle:1'/></iq>" % me})
        o.bot.expect_line(r"^IQERROR \S+ stray4 bad-request$")
        # natter goes on: the offer is still there and can be taken.
        o.n.send("/files accept %s" % o.number)
        o.n.expect_buffer(o.chat, r"done \(10 bytes, sha-256 checked\)",
                          timeout=20)


@tap.both_servers
def test_no_resource_that_takes_jingle_files():
    p = tap.shared_server()
    bot, bot_jid = echo_bot(p)
    n, local, jid = online_natter(p, contacts=[bot_jid])
    with n, bot, tempfile.TemporaryDirectory() as d:
        path = write(d, "x.txt", b"x")
        chat = "%s/%s" % (local, bot_jid)
        wait_online(n, local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/sendfile -jingle %s" % path)
        n.expect_buffer(chat, r"!! Jingle transfer of x\.txt failed: no "
                        r"resource of %s online takes Jingle file transfer"
                        % re.escape(bot_jid))
        n.send("/msg nobody-%s@%s" % (local, p.domain))
        n.send("/sendfile -jingle %s" % path)
        n.expect_buffer("%s/nobody-%s@%s" % (local, local, p.domain),
                        r"!! .*has no resource online")


@tap.both_servers
def test_a_cancelled_transfer_tells_the_peer():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    bot, bot_jid = jingle_bot(p, local)
    with n, bot, tempfile.TemporaryDirectory() as d:
        path = write(d, "big.bin", os.urandom(16 * 1024 * 1024))
        chat = "%s/%s" % (local, bot_jid)
        wait_online(n, local, bot_jid)
        n.send("/msg %s" % bot_jid)
        n.send("/sendfile -jingle %s" % path)
        n.expect_buffer(chat, r"Jingle transfer of big\.bin: sending ",
                        timeout=20)
        n.send("/sendfile -cancel")
        n.expect_buffer(chat, r"!! Jingle transfer of big\.bin cancelled$")
        bot.expect_line(r"^TERMINATED \S+ \S+ cancel$")
        # What the bot got before the close is not the whole file.
        for line in bot.lines_matching(r"^RECEIVED "):
            assert int(line.split()[3]) < 16 * 1024 * 1024, line


@tap.both_servers
def test_natter_to_natter():
    p = tap.shared_server()
    a, a_local, a_jid = online_natter(p, prefix="ann")
    b_local, b_jid, b_pw = tap.new_account(p, "ben")
    p.make_mutual(a_local, b_local)
    b = natter_as(p, b_local, b_pw)
    with a, b, tempfile.TemporaryDirectory() as d:
        downloads = os.path.join(d, "dl")
        b.send("/set download_dir %s" % downloads)
        data = os.urandom(300 * 1024 + 1)
        path = write(d, "between natters.dat", data)
        a.expect_buffer(a_local, r"%s is online" % re.escape(b_jid),
                        timeout=15)
        a.send("/msg %s" % b_jid)
        a.send("/sendfile -jingle %s" % path)
        number = b.expect_buffer(
            "%s/%s" % (b_local, a_jid),
            r"offers the file between natters\.dat \(300\.0 KiB\): "
            r"/files accept (\d+)", timeout=15).group(1)
        b.send("/files accept %s" % number)
        saved = b.expect_buffer(
            b_local, r"done \(300\.0 KiB, sha-256 checked\): saved as (.*)$",
            timeout=30).group(1)
        with open(saved, "rb") as f:
            assert f.read() == data
        a.expect_buffer("%s/%s" % (a_local, b_jid),
                        r"Jingle transfer of between natters\.dat done")


if __name__ == "__main__":
    tap.main(globals())
