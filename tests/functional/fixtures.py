# Shared pieces of the functional tests: a headless natter with one account
# on the test server, connected and ready.
import re

from natter_test import tap
from natter_test.headless import Headless, account_settings


def online_natter(prosody, prefix="alice", args=(), contacts=(), **settings):
    """A fresh account on PROSODY and a headless natter logged in as it,
    the mutual contact of each of CONTACTS (JIDs or localparts) from the
    start. Returns (natter, localpart, jid); natter is already entered:
    close it with `with natter:` or natter.__exit__."""
    local, jid, password = tap.new_account(prosody, prefix)
    for contact in contacts:
        prosody.make_mutual(local, contact.split("@")[0])
    n = Headless(["-a", local] + list(args),
                 accounts={local: account_settings(prosody, local, password,
                                                   **settings)})
    n.__enter__()
    try:
        n.expect_buffer(local, r"Connected as %s/" % re.escape(jid))
    except BaseException:
        n.__exit__(AssertionError, None, None)
        raise
    return n, local, jid


def natter_as(server, local, password):
    """A headless natter logged in as the existing account LOCAL, entered,
    once its roster is known (contacts are answered and shown only then)."""
    n = Headless(["-a", local],
                 accounts={local: account_settings(server, local, password)})
    n.__enter__()
    try:
        n.expect_buffer(local, r"Connected as ")
        n.expect_buffer(local, r"Roster (received|unchanged)")
    except BaseException:
        n.__exit__(AssertionError, None, None)
        raise
    return n


def echo_bot(prosody, prefix="bot", **options):
    """A fresh account with the echo bot logged in as it: (bot, jid)."""
    from natter_test.bots import Bot
    local, jid, password = tap.new_account(prosody, prefix)
    bot = Bot.echo(prosody, local, password, **options)
    return bot, jid
