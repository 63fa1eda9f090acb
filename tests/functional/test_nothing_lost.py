#!/usr/bin/python3
# Nothing received is lost: natter killed with SIGKILL in the middle of a
# burst, then started again, has every message in history exactly once
# (what reached it before the kill from its own writes, the rest from the
# server's archive); and no delivery receipt leaves before the message
# it names is stored.
import os
import re
import signal
import sqlite3

from natter_test import tap, util
from natter_test.bots import Bot
from natter_test.headless import Headless, account_settings


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


@tap.timeout(180)
def test_no_receipt_goes_out_before_its_message_is_stored():
    # natter stores the messages of one read in one transaction, and a
    # receipt it sends must still never name a message that is not
    # committed. A backlog keeps it busy (thousands of messages waiting
    # in offline storage, all asking for receipts); killed as the first
    # receipts come, every message the sender got a receipt for is in
    # the database as natter left it, once.
    p = tap.shared_prosody()
    local, jid, pw = tap.new_account(p, "receiver")
    s_local, s_jid, s_pw = tap.new_account(p, "asker")
    count = 3000
    accounts = {local: account_settings(p, local, pw)}
    receipt = re.compile(r"^RECEIPT \S+ n(\d+)$")
    with Bot.sender(p, s_local, s_pw, to=jid, count=count,
                    text="asked {i}", extra_args=["--receipts"],
                    timeout=30) as sender:
        sender.expect_line(r"^DONE$", timeout=60)
        with Headless(["-a", local], accounts=accounts) as n:
            db_path = os.path.join(n.data_dir, local, "history.db")
            util.wait_until(lambda: sender.lines_matching(receipt.pattern),
                            60, "the first receipts")
            n.proc.send_signal(signal.SIGKILL)
            n.proc.wait(10)
            n._stopped_by_us = True
            # Receipts reaching the sender later also left before the
            # kill: any subset of them must name stored messages.
            receipted = {int(receipt.match(line).group(1))
                         for line in sender.lines_matching(receipt.pattern)}
            db = sqlite3.connect(db_path)
            stored = [int(b.split()[1]) for (b,) in db.execute(
                "SELECT body FROM messages WHERE peer = ?", (s_jid,))]
            db.close()
    assert receipted
    assert len(stored) == len(set(stored)), "a message stored twice"
    missing = sorted(receipted - set(stored))
    assert not missing, "receipts sent for %d unstored messages: %s" % (
        len(missing), missing[:10])


if __name__ == "__main__":
    tap.main(globals())
