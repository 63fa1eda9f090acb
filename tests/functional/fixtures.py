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


def echo_bot(prosody, prefix="bot", **options):
    """A fresh account with the echo bot logged in as it: (bot, jid)."""
    from natter_test.bots import Bot
    local, jid, password = tap.new_account(prosody, prefix)
    bot = Bot.echo(prosody, local, password, **options)
    return bot, jid


def disconnect_reason(prosody, jid, timeout=10.0):
    """How Prosody saw the c2s session of JID end ("connection closed" when
    the client closed its stream, "unexpected eof ..." when it just went
    away). Waits for the log line, which Prosody writes asynchronously."""
    import time
    deadline = time.monotonic() + timeout
    auth = re.compile(r"^\S+ \S+ \S+ (c2s\w+)\s+info\s+Authenticated as %s$"
                      % re.escape(jid))
    while True:
        sessions = [m.group(1) for line in prosody.log_lines_matching(
            r"Authenticated as %s$" % re.escape(jid))
            if (m := auth.match(line.rstrip("\n")))]
        for sid in sessions:
            ended = prosody.log_lines_matching(
                r"%s\s+info\s+Client disconnected: " % sid)
            if ended:
                return ended[-1].split("Client disconnected: ", 1)[1].strip()
        if time.monotonic() > deadline:
            raise AssertionError("no end of %s's session in the Prosody log"
                                 " (sessions: %r)" % (jid, sessions))
        time.sleep(0.02)
