#!/usr/bin/python3
# The everyday questions in both directions, on the real server: /software,
# /ping, /time, /lastactivity and /disco asked of a client (the probe bot)
# and of the server; natter answering a client that asks it, and refusing
# (service-unavailable, not advertised) when the privacy settings say so.
import datetime
import json
import re
import xml.etree.ElementTree as ET

from natter_test import tap
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import online_natter

NS = {"v": "jabber:iq:version", "t": "urn:xmpp:time", "l": "jabber:iq:last",
      "d": "http://jabber.org/protocol/disco#info",
      "s": "urn:ietf:params:xml:ns:xmpp-stanzas"}


def probe_and_natter(p, **natter_settings):
    """A natter and a probe bot that are mutual contacts; returns
    (natter, local, jid, bot, bot_full_jid). Both are entered."""
    b_local, b_jid, b_pw = tap.new_account(p, "probe")
    local, jid, pw = tap.new_account(p, "alice")
    p.make_mutual(local, b_local)
    bot = Bot.probe(p, b_local, b_pw, resource="probe")
    n = natter_for(p, local, pw, **natter_settings)
    return n, local, jid, bot, b_jid + "/probe"


def natter_for(p, local, pw, args=(), data_dir=None, **settings):
    """A headless natter logged in as LOCAL (entered)."""
    settings.setdefault("resource", "nat")
    n = Headless(["-a", local] + list(args),
                 accounts={local: account_settings(p, local, pw, **settings)})
    n.__enter__()
    n.expect_buffer(local, r"Connected as ")
    # Contacts are told about us once natter knows them from its roster.
    n.expect_buffer(local, r"Roster (received|unchanged)")
    return n


def natter_full_jid(n, local, jid):
    return jid + "/nat"


def ask(bot, to, payload, iq_id):
    """The probe bot sends natter an IQ get; returns (type, Element)."""
    bot.send_json({"iq": payload, "to": to, "id": iq_id})
    m = bot.expect_line(r"^ANSWER %s (\S+) (.*)$" % re.escape(iq_id))
    return m.group(1), ET.fromstring(json.loads(m.group(2)))


def test_software_of_a_client_and_of_the_server():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = probe_and_natter(p)
    with n, bot:
        n.send("/software %s" % bot_full)
        n.expect_buffer(local, r"-- %s runs probebot 4\.2" % re.escape(bot_full))
        n.send("/software %s" % p.domain)
        m = n.expect_buffer(local, r"-- %s runs (.*)\.$" % re.escape(p.domain))
        assert m.group(1).startswith("Prosody"), m.group(1)
        # An account that is offline cannot answer: the error is shown.
        n.send("/software %s/nobody" % jid)
        n.expect_buffer(local, r"!! Software version of %s/nobody failed: "
                        r"service-unavailable" % re.escape(jid))


def test_ping_shows_round_trip_or_error():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = probe_and_natter(p)
    with n, bot:
        n.send("/ping")
        n.expect_buffer(local, r"-- Pong from %s in \d+\.\d ms\.$"
                        % re.escape(p.domain))
        n.send("/ping %s" % bot_full)
        n.expect_buffer(local, r"-- Pong from %s in \d+\.\d ms\.$"
                        % re.escape(bot_full))
        # The bot's own line for it may still be on its way to us.
        bot.expect_line(r"^IQ-GET \S+ urn:xmpp:ping -$")
        n.send("/ping %s/gone" % bot_full.split("/")[0])
        n.expect_buffer(local, r"!! Ping of \S+/gone failed: "
                        r"service-unavailable")
        n.send("/ping not a jid")
        n.expect_buffer(local, r"!! ")


def test_time_of_a_client_and_of_the_server():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = probe_and_natter(p)
    with n, bot:
        n.send("/time %s" % bot_full)
        # The probe's zone is +05:30: its local time is shown in it.
        m = n.expect_buffer(local, r"-- Time of %s: (\d{4}-\d\d-\d\d "
                            r"\d\d:\d\d:\d\d) \(UTC\+05:30; "
                            r"(\d\d:\d\d:\d\d) UTC\)\.$" % re.escape(bot_full))
        shown = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
        now = datetime.datetime.utcnow() + datetime.timedelta(hours=5,
                                                              minutes=30)
        assert abs((now - shown).total_seconds()) < 120, (m.group(1), now)
        assert m.group(2) == (shown - datetime.timedelta(
            hours=5, minutes=30)).strftime("%H:%M:%S")
        n.send("/time %s" % p.domain)
        n.expect_buffer(local, r"-- Time of %s: " % re.escape(p.domain))


def test_last_activity_of_client_account_and_server():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = probe_and_natter(p)
    with n, bot:
        # The probe says it has been idle for an hour.
        n.send("/lastactivity %s" % bot_full)
        n.expect_buffer(local, r"-- %s has been idle for 1 hour"
                        r"( \d+ seconds?)?\.$" % re.escape(bot_full))
        n.send("/lastactivity")
        n.expect_buffer(local, r"-- %s has been up for \d+ \w+"
                        % re.escape(p.domain))
        # An account that has never been online: the server says so.
        o_local, o_jid, _ = tap.new_account(p, "offline")
        n.send("/lastactivity %s" % o_jid)
        n.expect_buffer(local, r"(!! Last activity of %s failed: \S+|"
                        r"-- %s was last active .* ago)"
                        % (re.escape(o_jid), re.escape(o_jid)))


def test_disco_info_and_items():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = probe_and_natter(p)
    with n, bot:
        n.send("/disco info")
        m = n.expect_buffer(local, r"-- Service discovery of %s:"
                            % re.escape(p.domain))
        n.expect_buffer(local, r"--   identity server/im")
        n.expect_buffer(local, r"--   feature urn:xmpp:ping$")
        n.send("/disco info %s" % bot_full)
        n.expect_buffer(local, r"-- Service discovery of %s:"
                        % re.escape(bot_full))
        n.expect_buffer(local, r"--   feature jabber:iq:version$")
        n.send("/disco items")
        n.expect_buffer(local, r"-- Items of %s:" % re.escape(p.domain))
        n.send("/disco nonsense")
        n.expect_buffer(local, r"!! usage: /disco info\|items")


def test_natter_answers_a_client_that_asks():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = probe_and_natter(p)
    with n, bot:
        me = natter_full_jid(n, local, jid)
        kind, iq = ask(bot, me, "<query xmlns='jabber:iq:version'/>", "v1")
        assert kind == "result", ET.tostring(iq)
        assert iq.find("v:query/v:name", NS).text == "natter"
        assert re.match(r"^\d+\.\d+", iq.find("v:query/v:version", NS).text)
        # The operating system is told only when the user allows it.
        assert iq.find("v:query/v:os", NS) is None
        n.send("/set answer_version_os on")
        n.expect(r"answer_version_os = on")
        kind, iq = ask(bot, me, "<query xmlns='jabber:iq:version'/>", "v2")
        assert iq.find("v:query/v:os", NS).text.strip(), ET.tostring(iq)

        kind, iq = ask(bot, me, "<time xmlns='urn:xmpp:time'/>", "t1")
        assert kind == "result"
        utc = iq.find("t:time/t:utc", NS).text
        tzo = iq.find("t:time/t:tzo", NS).text
        assert re.match(r"^[+-]\d\d:\d\d$", tzo), tzo
        stamp = datetime.datetime.strptime(utc, "%Y-%m-%dT%H:%M:%SZ")
        assert abs((datetime.datetime.utcnow() - stamp).total_seconds()) < 120

        n.send("/set autoaway_minutes 15")  # a typed line is activity
        n.expect(r"autoaway_minutes = 15")
        kind, iq = ask(bot, me, "<query xmlns='jabber:iq:last'/>", "l1")
        assert kind == "result"
        seconds = int(iq.find("l:query", NS).get("seconds"))
        assert 0 <= seconds < 60, seconds

        kind, iq = ask(bot, me, "<query xmlns='%s'/>" % NS["d"], "d1")
        assert kind == "result"
        features = {f.get("var") for f in iq.findall("d:query/d:feature", NS)}
        for f in ("jabber:iq:version", "urn:xmpp:time", "jabber:iq:last",
                  "urn:xmpp:ping", NS["d"]):
            assert f in features, features
        ident = iq.find("d:query/d:identity", NS)
        assert (ident.get("category"), ident.get("type")) == ("client",
                                                              "console")


def test_privacy_settings_refuse_and_hide():
    p = tap.shared_prosody()
    n, local, jid, bot, bot_full = probe_and_natter(p)
    with n, bot:
        me = natter_full_jid(n, local, jid)
        for setting in ("answer_version", "answer_time",
                        "answer_last_activity"):
            n.send("/set %s off" % setting)
            n.expect(r"%s.*off" % setting)
        for i, payload in enumerate(("<query xmlns='jabber:iq:version'/>",
                                     "<time xmlns='urn:xmpp:time'/>",
                                     "<query xmlns='jabber:iq:last'/>")):
            kind, iq = ask(bot, me, payload, "p%d" % i)
            assert kind == "error", ET.tostring(iq)
            assert iq.find("error/s:service-unavailable", NS) is not None or \
                iq.find("{jabber:client}error/s:service-unavailable",
                        NS) is not None, ET.tostring(iq)
        kind, iq = ask(bot, me, "<query xmlns='%s'/>" % NS["d"], "d2")
        features = {f.get("var") for f in iq.findall("d:query/d:feature", NS)}
        assert "urn:xmpp:ping" in features, features
        for f in ("jabber:iq:version", "urn:xmpp:time", "jabber:iq:last"):
            assert f not in features, features
        # Back on: answered again.
        n.send("/set answer_time on")
        n.expect(r"answer_time.*on")
        kind, iq = ask(bot, me, "<time xmlns='urn:xmpp:time'/>", "t9")
        assert kind == "result", ET.tostring(iq)


def test_offline_and_bad_addresses_are_refused_with_a_reason():
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    with n:
        n.send("/software bad@@address")
        n.expect_buffer(local, r"!! 'bad@@address' is not a valid address")
        n.send("/disconnect")
        n.expect_buffer(local, r"Disconnected\.")
        n.send("/ping")
        n.expect_buffer(local, r"!! account '%s' is not online"
                        % re.escape(local))


def test_an_answer_from_someone_else_is_refused():
    # IQ answers count only from who was asked (RFC 6120 10.1): a forged
    # result with the right id is reported and ignored, and the real one
    # is still taken.
    p = tap.shared_prosody()
    n, local, jid = online_natter(p)
    a_local, a_jid, a_pw = tap.new_account(p, "asked")
    m_local, m_jid, m_pw = tap.new_account(p, "forger")
    version = ("<iq type='result' to='{to}' id='{id}'><query xmlns="
               "'jabber:iq:version'><name>{name}</name><version>1</version>"
               "</query></iq>")
    with n, Bot.sender(p, a_local, a_pw, commands=True, resource="r",
                       extra_args=["--hold-iqs"]) as asked, \
            Bot.sender(p, m_local, m_pw, commands=True) as forger:
        n.send("/software %s/r" % a_jid)
        frm, iq_id = asked.expect_line(
            r"^IQ (\S+) (\S+) get jabber:iq:version$").groups()
        forger.send({"raw": version.format(to=frm, id=iq_id, name="forged")})
        n.expect_buffer(local, r"!! Ignored an answer from %s/\S+ to a "
                        r"request sent to %s/r" % (re.escape(m_jid),
                                                   re.escape(a_jid)))
        asked.send({"raw": version.format(to=frm, id=iq_id, name="genuine")})
        n.expect_buffer(local, r"runs genuine 1")
        assert not n.lines_matching(r"runs forged")


tap.main(globals())
