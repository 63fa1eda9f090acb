#!/usr/bin/python3
# Cards (/vcard) on the real server: our own card changed a field at a
# time and read back by another client in the older vcard-temp form (which
# the server answers for the account, converting where it keeps vCard4);
# what another client wrote into the card kept; a contact's card shown in
# its window; a card that does not exist and a field that does not exist;
# the nickname a contact publishes over PEP (XEP-0172) shown for it.
import json
import re
import xml.etree.ElementTree as ET

from natter_test import tap, util
from natter_test.bots import Bot

from fixtures import natter_as

VT = "{vcard-temp}"


def said(n, local, regex):
    """A line of LOCAL's console or of one of its windows (an answer opens
    the card's window, where the next commands are then typed)."""
    return n.expect(r"^\[%s(?:/[^\]]*)?\] (?:.*?)(?:%s)" % (re.escape(local),
                                                        regex))


def vcard_temp_of(probe, jid, iq_id):
    """The vcard-temp card of JID as another client asks for it."""
    probe.send_json({"iq": "<vCard xmlns='vcard-temp'/>", "to": jid,
                     "id": iq_id})
    m = probe.expect_line(r"^ANSWER %s (\S+) (.*)$" % re.escape(iq_id))
    assert m.group(1) == "result", m.group(0)
    iq = ET.fromstring(json.loads(m.group(2)))
    card = iq.find(VT + "vCard")
    assert card is not None, m.group(2)
    return card


@tap.both_servers
def test_own_card_set_and_read_by_another_client():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    b_local, b_jid, b_pw = tap.new_account(p, "probe")
    n = natter_as(p, local, pw)
    with n, Bot.probe(p, b_local, b_pw) as probe:
        n.send("/vcard")
        n.expect_buffer("%s/vcard:%s" % (local, jid),
                        r"%s has no card\.$" % re.escape(jid))
        n.send("/vcard set fn Alice Liddell")
        said(n, local, r"-- Your card's Name is now Alice Liddell\.$")
        n.send("/vcard set email alice@wonderland.example")
        said(n, local, r"-- Your card's Email is now "
                        r"alice@wonderland\.example\.$")
        card = vcard_temp_of(probe, jid, "v1")
        assert card.findtext(VT + "FN") == "Alice Liddell", ET.tostring(card)
        assert card.findtext(VT + "EMAIL/" + VT + "USERID") == \
            "alice@wonderland.example", ET.tostring(card)
        # Removing a field removes only it.
        n.send("/vcard set email")
        said(n, local, r"-- Removed Email from your card\.$")
        card = vcard_temp_of(probe, jid, "v2")
        assert card.find(VT + "EMAIL") is None, ET.tostring(card)
        assert card.findtext(VT + "FN") == "Alice Liddell"
        # natter shows it too, in the card's window.
        n.send("/vcard %s" % jid)
        view = "%s/vcard:%s" % (local, jid)
        n.expect_buffer(view, r"Name +Alice Liddell$")


@tap.both_servers
def test_a_change_keeps_what_another_client_wrote():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    b_local, b_jid, b_pw = tap.new_account(p, "probe")
    n = natter_as(p, local, pw)
    other = ("<iq type='set' id='w1'><vCard xmlns='vcard-temp'>"
             "<FN>Old Name</FN><TITLE>Queen</TITLE>"
             "<DESC>written elsewhere</DESC></vCard></iq>")
    with n, Bot.sender(p, local, pw, commands=True) as phone, \
            Bot.probe(p, b_local, b_pw) as probe:
        phone.send({"raw": other})
        phone.expect_line(r"^IQ w1 result$")
        n.send("/vcard set fn New Name")
        said(n, local, r"-- Your card's Name is now New Name\.$")
        card = vcard_temp_of(probe, jid, "k1")
        assert card.findtext(VT + "FN") == "New Name", ET.tostring(card)
        assert card.findtext(VT + "TITLE") == "Queen", ET.tostring(card)
        # vcard-temp names the note DESC; Prosody, converting from the vCard4
        # it keeps, calls it NOTE.
        note = card.findtext(VT + "DESC") or card.findtext(VT + "NOTE")
        assert note == "written elsewhere", ET.tostring(card)


@tap.both_servers
def test_a_contacts_card_and_bad_requests():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    c_local, c_jid, c_pw = tap.new_account(p, "carol")
    n = natter_as(p, local, pw)
    card = ("<iq type='set' id='c1'><vCard xmlns='vcard-temp'>"
            "<FN>Carol Red</FN><NICKNAME>caz</NICKNAME>"
            "<TEL><VOICE/><NUMBER>+44 1865 000000</NUMBER></TEL>"
            "</vCard></iq>")
    with n, Bot.sender(p, c_local, c_pw, commands=True) as carol:
        carol.send({"raw": card})
        carol.expect_line(r"^IQ c1 result$")
        n.send("/vcard %s" % c_jid)
        view = "%s/vcard:%s" % (local, c_jid)
        n.expect_buffer(view, r"Name +Carol Red$")
        n.expect_buffer(view, r"Nickname +caz$")
        n.expect_buffer(view, r"Phone +\+44 1865 000000$")
        n.expect_buffer(local, r"The card of %s is in window \d+"
                        % re.escape(c_jid))
        # A field that no card has, and words that are no address.
        n.send("/vcard set shoesize 42")
        # (typed in the card's window, which the answer opened)
        n.expect_buffer(view, r"!! a card has no field 'shoesize'; the "
                        r"fields are: fn, given, surname")
        n.send("/vcard not a jid")
        n.expect_buffer(view, r"!! usage: /vcard \[JID\]")
        n.send("/vcard")
        n.expect_buffer("%s/vcard:%s" % (local, jid), r"has no card\.$")


@tap.both_servers
def test_own_card_edited_in_a_form_window():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    b_local, b_jid, b_pw = tap.new_account(p, "probe")
    n = natter_as(p, local, pw)
    with n, Bot.probe(p, b_local, b_pw) as probe:
        n.send("/vcard set title Queen")
        said(n, local, r"-- Your card's Title is now Queen\.$")
        n.send("/vcard edit")
        said(n, local, r"--     title = Queen  \(Title; text-single\)$")
        said(n, local, r"-- Your card is in window \d+: /form set FIELD "
             r"VALUE, then /form submit\.$")
        n.send("/form set fn Alice Liddell")
        n.send("/form add email alice@wonderland.example")
        n.send("/form add email alice@looking-glass.example")
        n.send("/form submit")
        said(n, local, r"-- Your card is saved\.$")
        card = vcard_temp_of(probe, jid, "e1")
        assert card.findtext(VT + "FN") == "Alice Liddell", ET.tostring(card)
        emails = sorted(e.findtext(VT + "USERID")
                        for e in card.findall(VT + "EMAIL"))
        assert emails == ["alice@looking-glass.example",
                          "alice@wonderland.example"], ET.tostring(card)
        assert card.findtext(VT + "TITLE") == "Queen", ET.tostring(card)
        # Nothing changed: said, and the window stays to be filled.
        n.send("/vcard edit")
        said(n, local, r"-- Your card is in window \d+")
        n.send("/form submit")
        said(n, local, r"!! nothing was changed: /form set FIELD VALUE first")
        n.send("/form cancel")
        said(n, local, r"-- Your card is left as it was\.$")


def test_a_contacts_published_nickname_is_shown():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    p.make_mutual(local, b_local)
    n = natter_as(p, local, pw)
    publish = ("<iq type='set' id='n1'><pubsub xmlns='http://jabber.org/"
               "protocol/pubsub'><publish node='http://jabber.org/protocol/"
               "nick'><item><nick xmlns='http://jabber.org/protocol/nick'>"
               "Bobby Tables</nick></item></publish></pubsub></iq>")
    with n, Bot.sender(p, b_local, b_pw, commands=True) as bob:
        bob.send({"raw": publish})
        bob.expect_line(r"^IQ n1 result$")

        def shown():
            n.send("/roster")
            n.expect_buffer(local, r"contact", timeout=5)
            return n.lines_matching(r"%s.*calls itself Bobby Tables"
                                    % re.escape(b_jid))
        util.wait_until(shown, 10, "the nick in /roster")


if __name__ == "__main__":
    tap.main(globals())
