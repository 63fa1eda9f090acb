#!/usr/bin/python3
# Interop with Profanity, the terminal client natter's users most often
# come from: Debian's profanity (0.13, OMEMO on libsignal-protocol-c, a
# library natter does not use) runs in tmux as a person would use it, on
# the same Prosody as a headless natter, and the two talk OMEMO 0.3 both
# ways. Each side shows the other's identity key with the same fingerprint.
import os
import re

from natter_test import profanity, tap, util
from natter_test.bots import Bot
from natter_test.tmux import Tmux

from fixtures import online_natter

OMEMO_NS = "eu.siacs.conversations.axolotl"


def seed_device_list(p, local, jid, password):
    """Publishes an empty OMEMO device list, open to all as OMEMO clients
    make it, for Profanity's account, as an account that used OMEMO before
    has. Profanity 0.13 adds itself to the list it finds, but on a new
    account (no node yet: item-not-found) it logs "can't get OMEMO device
    list" and never publishes one."""
    with Bot.probe(p, local, password) as bot:
        bot.send_json({"type": "set", "to": jid, "id": "seed", "iq":
                       "<pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                       "<publish node='%s.devicelist'><item id='current'>"
                       "<list xmlns='%s'/></item></publish>"
                       "<publish-options><x xmlns='jabber:x:data' "
                       "type='submit'><field var='FORM_TYPE' type='hidden'>"
                       "<value>http://jabber.org/protocol/pubsub#"
                       "publish-options</value></field>"
                       "<field var='pubsub#access_model'><value>open</value>"
                       "</field></x></publish-options></pubsub>"
                       % (OMEMO_NS, OMEMO_NS)})
        assert bot.expect_line(r"^ANSWER seed (\S+) ").group(1) == "result"


def fingerprint(text):
    """A fingerprint as 64 lower-case hex digits, whatever the grouping."""
    return re.sub(r"[^0-9a-f]", "", text.lower())


@tap.timeout(180)
def test_omemo_both_ways_with_profanity():
    p = tap.shared_prosody()
    prof_local, prof_jid, prof_pw = tap.new_account(p, "prof")
    n, local, jid = online_natter(p, "natter", contacts=[prof_jid])
    with n:
        n.expect_buffer(local, r"OMEMO: this device \(\d+\) is in our "
                        r"device list$")
        n.send("/omemo fingerprints")
        ours = fingerprint(n.expect_buffer(
            local, r"-- this device \(\d+\): ([0-9a-f ]+)$").group(1))
        seed_device_list(p, prof_local, prof_jid, prof_pw)
        home = os.path.join(p.dir, "profanity-" + prof_local)
        profanity.write_home(home, p, prof_jid, prof_pw)
        with Tmux(["profanity", "-a", prof_jid], width=200, height=40,
                  home=home, name="profanity") as t:
            t.wait_for(r"logged in successfully", timeout=30)
            t.type("/omemo gen\r")
            prof_device = t.wait_for(r"Your Device ID is (\d+)",
                                     timeout=60).group(1)
            # natter hears of Profanity's device from its PEP notification.
            chat = "%s/%s" % (local, prof_jid)
            n.send("/msg %s" % prof_jid)
            n.send("/omemo on")
            n.expect_buffer(chat, r"OMEMO on: ")

            # Profanity shows natter's key as natter does; trusting it
            # there is the user's comparison of the two screens.
            t.type("/msg %s\r" % jid)
            t.wait_for(r"%s \[online\]" % re.escape(jid))
            t.type("/omemo start\r")
            # Profanity fetches natter's bundle in the background and
            # says "no known fingerprints" until it has: ask again until
            # it shows the key.
            key = r"%s's OMEMO fingerprint: ([0-9a-f-]+)" % re.escape(jid)

            def key_shown():
                t.type("/omemo fingerprint %s\r" % jid)
                return t.wait_for(r"%s|There is no known fingerprints for"
                                  % key).group(1)
            shown = util.wait_until(key_shown, 30, "Profanity shows "
                                    "natter's key", interval=0.5,
                                    on_timeout=t.screen)
            assert fingerprint(shown) == ours, (shown, ours)
            t.type("/omemo trust %s\r" % shown)
            t.wait_for(r"%s's OMEMO fingerprint: [0-9a-f-]+ \(trusted\)"
                       % re.escape(jid))
            t.wait_for(r"%s \[online\] \[OMEMO\]" % re.escape(jid))

            # Profanity builds its session with natter's device only once
            # the key is trusted, from a bundle it fetches again then; a
            # message typed before that is refused on its side ("cannot
            # be decrypted for any recipient") and not sent. A person
            # types it again: so does the test, until its own line shows
            # it went out encrypted (~).
            refusal = "cannot be decrypted for any recipient"

            def profanity_sent():
                refused = t.screen().count(refusal)
                t.type("hello from profanity\r")

                def outcome():
                    text = t.screen()
                    if "~ me: hello from profanity" in text:
                        return "sent"
                    return "refused" if text.count(refusal) > refused \
                        else None
                return util.wait_until(outcome, 30, "Profanity sends or "
                                       "refuses", on_timeout=t.screen) \
                    == "sent"
            util.wait_until(profanity_sent, 60, "Profanity sends the "
                            "message", interval=1.0, on_timeout=t.screen)
            n.expect_buffer(chat, r"\{omemo trusted\} <%s> hello from "
                            r"profanity$" % re.escape(prof_jid), timeout=30)

            # natter shows Profanity's device and key as Profanity does.
            n.send("/omemo fingerprints %s" % prof_jid)
            theirs = n.expect_buffer(chat, r"device %s: ([0-9a-f ]+)"
                                     % prof_device).group(1)
            t.type("/win 1\r")  # its own key is shown in its console
            t.type("/omemo fingerprint\r")
            own = t.wait_for(r"Your OMEMO fingerprint: ([0-9a-f-]+)"
                             ).group(1)
            t.type("/win 2\r")
            assert fingerprint(own) == fingerprint(theirs), (own, theirs)

            n.send("hello from natter")
            n.expect_buffer(chat, r"\{omemo trusted\} <%s> hello from "
                            r"natter$" % re.escape(local))
            # Profanity marks a line it decrypted with its OMEMO sign, ~.
            t.wait_for(r"~ %s(/\S+)?: hello from natter" % re.escape(jid),
                       timeout=20)
            t.type("/quit\r")
            t.wait_exit(10)
        # natter refused nothing on the way.
        assert not n.lines_matching(r"Not sent|\(failed\)"), n.transcript()


if __name__ == "__main__":
    tap.main(globals())
