#!/usr/bin/python3
# The roster on the real server: add, subscribe both ways, see each other's
# presence, nick and groups, remove; roster versioning with the cache file;
# roster pushes from anyone but our own account refused and reported.
import os
import re

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings

from fixtures import online_natter


@tap.both_servers
def test_add_subscribe_both_ways_and_remove():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    b_local, b_jid, b_pw = tap.new_account(p, "bob")
    # The echo bot (slixmpp) accepts a subscription request and asks back.
    with n, Bot.echo(p, b_local, b_pw) as bot:
        n.send("/roster")
        n.expect_buffer(local, r"-- Roster of %s: no contacts"
                        % re.escape(local))
        n.send("/roster add %s Bob the Bot" % b_jid)
        n.expect_buffer(local, r"-- Roster: added %s\.$" % re.escape(b_jid))
        n.send("/sub request %s" % b_jid)
        # Bob allows, and asks for ours in turn.
        n.expect_buffer(local, r"-- %s allowed you to see their presence\.$"
                        % re.escape(b_jid))
        n.expect_buffer(local, r"-- %s asks to see your presence"
                        % re.escape(b_jid))
        n.send("/sub allow %s" % b_jid)
        n.expect_buffer(local, r"-- Roster: subscription with %s is now both\.$"
                        % re.escape(b_jid))
        # Both see each other's presence now. Bob's may have come before
        # or after his request, so it is looked for among all lines.
        bot.expect_line(r"^PRESENCE %s/\S+ available$" % re.escape(jid))
        util.wait_until(lambda: n.lines_matching(
            r"^\[%s\] -- %s is online$" % (re.escape(local),
                                           re.escape(b_jid))),
            10, "natter sees Bob online")
        n.send("/roster")
        n.expect_buffer(local, r"-- Roster of %s \(1 contact\):$"
                        % re.escape(local))
        n.expect_buffer(local, r"--   \(no group\):$")
        n.expect_buffer(local, r"--     %s \(Bob the Bot\) - online \[both\]$"
                        % re.escape(b_jid))
        n.send("/roster remove %s" % b_jid)
        n.expect_buffer(local, r"-- Roster: removed %s\.$" % re.escape(b_jid))
        # Removing cancels both subscriptions: Bob hears natter leave.
        bot.expect_line(r"^PRESENCE %s/\S+ unavailable$" % re.escape(jid))
        n.send("/roster")
        n.expect_buffer(local, r"-- Roster of %s: no contacts"
                        % re.escape(local))
        n.send("/roster remove %s" % b_jid)
        n.expect_buffer(local, r"!! %s is not in the roster of %s"
                        % (re.escape(b_jid), re.escape(local)))


@tap.both_servers
def test_nick_and_groups():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    accounts = {local: account_settings(p, local, pw)}
    c_jid = "carol@" + p.domain
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"-- Roster received: 0 contacts")
        n.send("/roster add %s" % c_jid)
        n.expect_buffer(local, r"-- Roster: added %s\.$" % re.escape(c_jid))
        n.send("/roster nick %s Carol C." % c_jid)
        n.expect_buffer(local, r"-- Roster: updated %s\.$" % re.escape(c_jid))
        n.send('/roster group add "Old friends" %s' % c_jid)
        n.expect_buffer(local, r"-- Roster: updated %s\.$" % re.escape(c_jid))
        n.send("/roster group add Work %s" % c_jid)
        n.expect_buffer(local, r"-- Roster: updated %s\.$" % re.escape(c_jid))
        n.send("/roster group remove Work %s" % c_jid)
        n.expect_buffer(local, r"-- Roster: updated %s\.$" % re.escape(c_jid))
        n.send("/roster group remove Work %s" % c_jid)
        n.expect_buffer(local, r"!! %s is not in group 'Work'"
                        % re.escape(c_jid))
        n.send("/roster nick nobody@%s X" % p.domain)
        n.expect_buffer(local, r"!! nobody@%s is not in the roster"
                        % re.escape(p.domain))
    # What the server stored, seen by a fresh login without a cache.
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"-- Roster received: 1 contact[,.]")
        n.send("/roster")
        n.expect_buffer(local, r"--   Old friends:$")
        n.expect_buffer(local, r"--     %s \(Carol C\.\) - offline \[none\]$"
                        % re.escape(c_jid))
        assert not n.lines_matching(r"Work:")


@tap.both_servers
def test_second_login_uses_the_cached_roster():
    p = tap.shared_server()
    local, jid, pw = tap.new_account(p, "alice")
    contacts = {"c%d@%s" % (i, p.domain): {"name": "C %d" % i,
                                           "groups": ["G"]}
                for i in range(50)}
    p.add_contacts(local, contacts)
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    with n:
        m = n.expect_buffer(local, r"-- Roster received: 50 contacts, "
                            r"version (\S+)\.$")
        version = m.group(1)
        n.stop()
        cache = os.path.join(n.data_dir, local, "roster.cache")
        with open(cache) as f:
            text = f.read()
        assert "[contact c7@%s]" % p.domain in text, text[:500]
        # A contact only the cache knows: it survives the next login only
        # if the server answers "unchanged" with no items (XEP-0237).
        with open(cache, "a") as f:
            f.write("\n[contact onlycached@%s]\nsubscription=both\n"
                    % p.domain)
        n.start()
        n.expect_buffer(local, r"-- Roster unchanged since version %s: 51 "
                        r"contacts from the cache\.$" % re.escape(version))
        n.send("/roster")
        n.expect_buffer(local, r"--     c9@%s \(C 9\) - offline \[both\]$"
                        % re.escape(p.domain))
        n.expect_buffer(local, r"--     onlycached@%s - offline \[both\]$"
                        % re.escape(p.domain))
        n.stop()
        # A change on the server gives a new version: the whole roster
        # comes, and the cache-only contact is gone.
        p.add_contacts(local, {"new@%s" % p.domain: {}})
        n.start()
        m = n.expect_buffer(local, r"-- Roster received: 51 contacts, "
                            r"version (\S+)\.$")
        assert m.group(1) != version
        n.send("/roster")
        n.expect_buffer(local, r"--     new@%s - offline \[both\]$"
                        % re.escape(p.domain))
        assert not n.lines_matching(r"onlycached@")


def online_in_roster(n, local):
    """Runs /roster; returns the set of contacts it lists as online."""
    n.send("/roster")
    total = int(n.expect_buffer(local, r"-- Roster of \S+ \((\d+) contacts")
                .group(1))
    online = set()
    for _ in range(total):
        m = n.expect_buffer(local, r"--     (\S+) .*- (\w+) \[")
        if m.group(2) == "online":
            online.add(m.group(1))
    return online


@tap.timeout(120)
def test_two_thousand_contacts_online_at_login():
    # The crowd component's members answer the server's presence probes:
    # at login 2,000 presences arrive right behind the roster.
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "popular")
    contacts = ["member%d@%s" % (i, p.crowd_domain) for i in range(2000)]
    p.add_contacts(local, contacts)
    n = Headless(["-a", local],
                 accounts={local: account_settings(p, local, pw)})
    with n:
        n.expect_buffer(local, r"-- Roster received: 2000 contacts")
        # Each /roster lists them all: ask again while some are missing.
        util.wait_until(lambda: online_in_roster(n, local) == set(contacts),
                        60, "all 2,000 contacts online", interval=0.5)


@tap.both_servers
def test_spoofed_roster_push_is_refused_and_reported():
    p = tap.shared_server()
    n, local, jid = online_natter(p)
    m = re.search(r"Connected as (\S+) ", n.transcript())
    full = m.group(1)
    h_local, h_jid, h_pw = tap.new_account(p, "hostile")
    with n, Bot.sender(p, h_local, h_pw, commands=True) as bot:
        bot.send({"raw": "<iq type='set' id='spoof1' to='%s'>"
                         "<query xmlns='jabber:iq:roster'>"
                         "<item jid='evil@%s' name='Trust me' "
                         "subscription='both'/></query></iq>"
                         % (full, p.domain)})
        n.expect_buffer(local, r"!! Ignored a roster push from %s/\S+: only "
                        r"our own account may send one"
                        % re.escape(h_jid))
        n.send("/roster")
        n.expect_buffer(local, r"-- Roster of %s: no contacts"
                        % re.escape(local))
        assert not n.lines_matching(r"evil@")


if __name__ == "__main__":
    tap.main(globals())
