#!/usr/bin/python3
# The account settings nick and status: kept in the accounts file, shown by
# /account show, and the status goes out with our presence at login.
import re

from natter_test import tap, util
from natter_test.headless import Headless, account_settings


def presence_status(p, full_jid):
    """The status text of FULL_JID's presence as the server holds it."""
    text = p.shell(">local s = prosody.full_sessions[%s]; return s and "
                   "s.presence and s.presence:get_child_text('status') or "
                   "'(none)'" % ('"%s"' % full_jid))
    return text.split("Result: ", 1)[-1].strip()


def test_status_goes_out_with_the_presence_and_nick_is_kept():
    p = tap.shared_prosody()
    local, jid, password = tap.new_account(p, "fields")
    accounts = {local: account_settings(p, local, password, resource="desk",
                                        status="at the office")}
    with Headless(["-a", local], accounts=accounts) as n:
        n.expect_buffer(local, r"Connected as %s/desk" % re.escape(jid))
        util.wait_until(lambda: presence_status(p, jid + "/desk") ==
                        "at the office", 10, "the status in our presence")
        n.send("/account set %s nick Alice W." % local)
        n.expect_buffer(local, r"%s: nick = Alice W\.$" % re.escape(local))
        n.send("/account set %s nick    " % local)
        n.expect_buffer(local, r"!! usage: /account ")
        n.send("/account show %s" % local)
        n.expect_buffer(local, r"  nick\s+Alice W\.$")
        n.expect_buffer(local, r"  status\s+at the office$")
        n.send("/quit")
        assert n.wait_exit(10) == 0
        with open(n.config_dir + "/accounts") as f:
            saved = f.read()
    assert "nick=Alice W." in saved, saved
    assert "status=at the office" in saved, saved


if __name__ == "__main__":
    tap.main(globals())
