#!/usr/bin/python3
# Several accounts online at once: each has its own console and chats,
# commands act for the current window's account or the one named with
# -a, and one account going offline leaves the other alone.
import json
import re

from natter_test import tap, util
from natter_test.headless import Headless, account_settings

from fixtures import echo_bot


def two_accounts(p):
    """Two fresh accounts: [(local, jid, password), ...] and the accounts
    file for both."""
    accounts = [tap.new_account(p, prefix) for prefix in ("work", "home")]
    settings = {local: account_settings(p, local, pw)
                for local, jid, pw in accounts}
    return accounts, settings


def wait_online(n, *locals):
    """Waits until every account in LOCALS has said it is connected, in
    whatever order they did."""
    for local in locals:
        util.wait_until(lambda: n.lines_matching(
            r"^\[%s\] -- Connected as " % re.escape(local)), 10,
            "%s online" % local)


def sender_of(bot):
    frm, body = bot.expect_line(r"^RECV (\S+) (.*)$").groups()
    return frm, json.loads(body)


def test_two_accounts_each_talk_to_their_own_bot():
    p = tap.shared_prosody()
    accounts, settings = two_accounts(p)
    (work, work_jid, _), (home, home_jid, _) = accounts
    bot1, bot1_jid = echo_bot(p, "bot-w")
    bot2, bot2_jid = echo_bot(p, "bot-h")
    with bot1, bot2, Headless(["-a", work, "-a", home],
                              accounts=settings) as n:
        wait_online(n, work, home)

        # The main console (window 1) belongs to no account: with two
        # online it cannot guess, and says how to choose.
        n.send("/win 1")
        n.send("/msg %s hi" % bot1_jid)
        n.expect_buffer("natter", r"!! which account\? .* add -a ACCOUNT")

        n.send("/msg -a %s %s for the work bot" % (work, bot1_jid))
        n.expect_buffer("%s/%s" % (work, bot1_jid),
                        r"<%s> echo: for the work bot$" % re.escape(bot1_jid))
        n.send("/msg -a %s %s for the home bot" % (home, bot2_jid))
        n.expect_buffer("%s/%s" % (home, bot2_jid),
                        r"<%s> echo: for the home bot$" % re.escape(bot2_jid))

        # Each bot heard its own account, and only that.
        frm, body = sender_of(bot1)
        assert frm.startswith(work_jid + "/") and body == "for the work bot"
        frm, body = sender_of(bot2)
        assert frm.startswith(home_jid + "/") and body == "for the home bot"

        # Text typed in a chat goes out from that chat's account: the last
        # /msg left home's chat current.
        n.send("plain text in home's chat")
        n.expect_buffer("%s/%s" % (home, bot2_jid),
                        r"echo: plain text in home's chat$")
        assert bot1.lines_matching(r"plain text") == []


def test_one_account_going_offline_leaves_the_other_online():
    p = tap.shared_prosody()
    accounts, settings = two_accounts(p)
    (work, work_jid, _), (home, home_jid, _) = accounts
    bot, bot_jid = echo_bot(p)
    with bot, Headless(["-a", work, "-a", home], accounts=settings) as n:
        wait_online(n, work, home)
        n.send("/disconnect %s" % work)
        n.expect_buffer(work, r"-- Disconnected\.")
        # home still talks...
        n.send("/msg -a %s %s still here" % (home, bot_jid))
        n.expect_buffer("%s/%s" % (home, bot_jid), r"echo: still here$")
        # ...and work keeps the message until it is online again.
        n.send("/msg -a %s %s lost?" % (work, bot_jid))
        n.expect_buffer("%s/%s" % (work, bot_jid),
                        r"-- %s is not online: the message is kept"
                        % re.escape(work))
        assert bot.lines_matching(r"lost\?") == []
        n.send("/win 1")
        n.send("/account list")
        for local, state in ((work, "offline"), (home, "online")):
            util.wait_until(lambda: n.lines_matching(
                r"^\[natter\] --   %s .* %s$" % (re.escape(local), state)),
                10, "%s listed as %s" % (local, state))


def test_enabled_accounts_connect_at_start():
    p = tap.shared_prosody()
    accounts, settings = two_accounts(p)
    (work, work_jid, _), (home, home_jid, _) = accounts
    # One accounts file for every natter of the test: that of a natter
    # that never runs, whose directory lives until the test ends.
    files = Headless(accounts=settings, name="accounts file")

    def natter(*args):
        n = Headless(list(args))
        n.config_dir = files.config_dir
        return n

    def listed(n, local, state):
        util.wait_until(lambda: n.lines_matching(
            r"^\[natter\] --   %s .* %s$" % (re.escape(local), state)),
            10, "%s listed as %s" % (local, state))

    def only_online(n, local, other):
        """LOCAL comes online by itself; OTHER was never started."""
        n.expect_buffer(local, r"-- Connected as ")
        n.send("/win 1")
        n.send("/account list")
        listed(n, local, "online")
        listed(n, other, "offline")
        assert p.sessions(other.split("@")[0]) == {}
        assert not n.lines_matching(r"^\[%s\]" % re.escape(other))

    def set_enabled(n, verb):
        """/account VERB work (enable or disable), then quit."""
        n.send("/account %s %s" % (verb, work))
        n.expect_buffer("natter", r"-- Account %s %sd\.$"
                        % (re.escape(work), verb))
        n.send("/quit")
        assert n.wait_exit(10) == 0

    with natter() as n:
        set_enabled(n, "enable")
    with natter() as n:
        only_online(n, work, home)
    # -a names the accounts instead of the enabled ones.
    with natter("-a", home) as n:
        only_online(n, home, work)
    with natter() as n:
        n.expect_buffer(work, r"-- Connected as ")
        n.send("/win 1")
        set_enabled(n, "disable")
    with natter() as n:
        n.send("/account list")
        listed(n, work, "offline")
        listed(n, home, "offline")
        assert not n.lines_matching(r"^\[%s\]" % re.escape(work))
    assert p.sessions(work) == {}
    files.close()


if __name__ == "__main__":
    tap.main(globals())
