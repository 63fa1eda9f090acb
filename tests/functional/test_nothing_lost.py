#!/usr/bin/python3
# Nothing received is lost: natter killed with SIGKILL in the middle of a
# burst, then started again, has every message in history exactly once
# (what reached it before the kill from its own writes, the rest from the
# server's archive); and no delivery receipt, nor stream management
# ack, leaves before the message it names is stored.
import os
import re
import signal
import sqlite3

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings
from natter_test.prosody import lua_str


@tap.timeout(180)
def test_sigkill_mid_burst_then_restart_loses_nothing():
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "victim")
    s_local, s_jid, s_pw = tap.new_account(p, "flood")
    count = 600
    accounts = {local: account_settings(p, local, pw)}
    chat = "%s/%s" % (local, s_jid)
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as")
        with Bot.sender(p, s_local, s_pw, to=jid, count=count,
                        text="burst {i}", timeout=30) as sender:
            # Killed once a good part has arrived, while more is coming.
            util.wait_until(lambda: len(n.lines_matching(r"<\S+> burst "))
                            >= count // 4, 60, "a quarter of the burst")
            n.proc.send_signal(signal.SIGKILL)
            n.proc.wait(10)
            n._stopped_by_us = True
            sender.expect_line(r"^DONE$", timeout=60)
        before = len(n.lines_matching(r"<\S+> burst "))
        assert before < count, "the whole burst arrived before the kill"
        n.start()
        n.expect_buffer(local, r"\d+ messages? from the server's archive\.",
                        timeout=60)
        db = sqlite3.connect(os.path.join(n.data_dir, local, "history.db"))
        rows = db.execute("SELECT body FROM messages WHERE peer = ?",
                          (s_jid,)).fetchall()
        db.close()
        bodies = sorted(int(b.split()[1]) for (b,) in rows)
        assert bodies == list(range(1, count + 1)), \
            "missing %s, %d rows" % (sorted(set(range(1, count + 1)) -
                                            set(bodies))[:10], len(bodies))
        # And the chat shows the last one (it came before the summary).
        assert n.lines_matching(r"^\[%s\] <\S+> burst %d$"
                                % (re.escape(chat), count))


# Lua run in the server. When LOCAL's backlog (offline storage) is about to
# go out, it follows what goes out to the client and what comes back. At
# the first answer that names a message of the backlog ("burst N"), it
# freezes the client (PID) on the spot, before it runs on, and notes the
# highest N that answer vouches for: for ANSWER 'ack', a stream management
# ack (XEP-0198) counting the message, asked for (<r/>) just before
# "burst ASK_AT" so that it comes in the middle of one long pump; for
# 'receipt', a delivery receipt (XEP-0184) naming the message's id "nN".
# natter takes the backlog in order, so by then every message up to N
# must be stored.
FREEZE_ON_ANSWER = """
prosody.natter_answered = nil
local host = prosody.hosts[%(domain)s]
local st = require'util.stanza'
local filters = require'util.filters'
local function freeze(top)
  os.execute('kill -STOP %(pid)d')
  prosody.natter_answered = top
end
local function on_backlog(e)
  local s = e.origin
  if s.username ~= %(local)s then return end
  host.events.remove_handler('message/offline/broadcast', on_backlog)
  local q = s.outgoing_stanza_queue
  local before = q:count_acked() + q:count_unacked()
  local sent = {}
  filters.add_filter(s, 'stanzas/out', function(stanza)
    if st.is_stanza(stanza) and not stanza.name:find(':') and
       (stanza.attr.xmlns or 'jabber:client') == 'jabber:client' then
      local n = stanza.name == 'message' and
        tonumber((stanza:get_child_text('body') or ''):match('^burst (%%d+)$'))
      sent[#sent + 1] = n or 0
      if %(answer)s == 'ack' and n == %(ask_at)d then
        s.send(st.stanza('r', { xmlns = 'urn:xmpp:sm:3' }))
      end
    end
    return stanza
  end, 1000)
  local function on_ack(a)
    if a.origin ~= s or prosody.natter_answered then return end
    local top = 0
    local h = (tonumber(a.stanza.attr.h) or 0) - before
    for i = 1, math.min(h, #sent) do top = math.max(top, sent[i]) end
    if top > 0 then
      host.events.remove_handler('stanza/urn:xmpp:sm:3:a', on_ack)
      freeze(top)
    end
  end
  if %(answer)s == 'ack' then
    host.events.add_handler('stanza/urn:xmpp:sm:3:a', on_ack, 10)
  end
  filters.add_filter(s, 'stanzas/in', function(stanza)
    local r = %(answer)s == 'receipt' and not prosody.natter_answered and
      st.is_stanza(stanza) and stanza.name == 'message' and
      stanza:get_child('received', 'urn:xmpp:receipts')
    local n = r and tonumber((r.attr.id or ''):match('^n(%%d+)$'))
    if n then freeze(n) end
    return stanza
  end, 1000)
end
host.events.add_handler('message/offline/broadcast', on_backlog, 10)
"""


def answered_before_stored(answer, bot_args=()):
    """Leaves a backlog for a new account, logs natter in to receive it,
    and has the server freeze natter at its first ANSWER (see
    FREEZE_ON_ANSWER). Returns the messages up to the one that answer
    vouched for that were not in the database at that moment."""
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "answering")
    s_local, s_jid, s_pw = tap.new_account(p, "asking")
    # A contact: receipts go only to those who may see our presence.
    p.make_mutual(local, s_local)
    count = 400
    with Bot.sender(p, s_local, s_pw, to=jid, count=count,
                    text="burst {i}", extra_args=list(bot_args),
                    timeout=30) as sender:
        sender.expect_line(r"^DONE$", timeout=60)
    accounts = {local: account_settings(p, local, pw)}
    with Headless(accounts=accounts) as n:
        db_path = os.path.join(n.data_dir, local, "history.db")
        p.shell("> " + " ".join((FREEZE_ON_ANSWER % {
            "domain": lua_str(p.domain), "local": lua_str(local),
            "answer": lua_str(answer), "ask_at": count // 4,
            "pid": n.proc.pid}).split()))
        n.send("/connect " + local)
        top = util.wait_until(lambda: answered(p), 60,
                              "natter's first %s" % answer)
        db = sqlite3.connect(db_path)
        stored = [int(b.split()[1]) for (b,) in db.execute(
            "SELECT body FROM messages WHERE peer = ?", (s_jid,))]
        db.close()
        n.proc.send_signal(signal.SIGKILL)
        n.proc.wait(10)
        n._stopped_by_us = True
    assert len(stored) == len(set(stored)), "a message stored twice"
    return sorted(set(range(1, top + 1)) - set(stored))


def answered(p):
    """The highest message FREEZE_ON_ANSWER saw answered, or None."""
    text = p.shell("> return prosody.natter_answered")
    text = text.split("Result:", 1)[-1].strip()
    return int(text) if text.isdigit() else None


@tap.timeout(180)
def test_no_receipt_goes_out_before_its_message_is_stored():
    # natter commits what one pump stored once, not per message, and
    # commits earlier only when something queued would answer it: a
    # receipt must never name a message that is not committed.
    missing = answered_before_stored("receipt", ["--receipts"])
    assert not missing, "receipts sent for %d unstored messages: %s" % (
        len(missing), missing[:10])


@tap.timeout(180)
def test_no_stream_management_ack_goes_out_before_its_message_is_stored():
    # The same for the ack the server asks for (XEP-0198), which
    # libstrophe queues where natter cannot see it.
    missing = answered_before_stored("ack")
    assert not missing, "acknowledged %d unstored messages: %s" % (
        len(missing), missing[:10])


if __name__ == "__main__":
    tap.main(globals())
