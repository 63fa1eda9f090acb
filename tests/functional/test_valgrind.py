#!/usr/bin/python3
# The smallest real path (connect, chat, quit) under valgrind: no memory
# errors and no definite leaks but the libraries' own (tests/valgrind.supp).
# The ASan build is checked by its own sanitizers instead (valgrind cannot
# run an ASan binary).
import os
import re
import subprocess
import tempfile

from natter_test import tap
from natter_test.headless import Headless, account_settings, natter_path

from fixtures import echo_bot


def sanitized(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True)
    return "libasan" in out.stdout


@tap.timeout(180)
def test_connect_chat_quit_under_valgrind():
    if sanitized(natter_path()):
        raise tap.Skip("this natter is built with AddressSanitizer")
    p = tap.shared_prosody()
    bot, bot_jid = echo_bot(p)
    local, jid, password = tap.new_account(p, "valgrind")
    log = tempfile.NamedTemporaryFile(prefix="natter-valgrind-",
                                      suffix=".log", delete=False)
    log.close()
    suppressions = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "valgrind.supp")
    os.environ["NATTER_WRAPPER"] = (
        "valgrind --leak-check=full --errors-for-leak-kinds=definite "
        "--suppressions=%s --error-exitcode=99 --log-file=%s"
        % (suppressions, log.name))
    try:
        # No stored password: the prompt is part of the path.
        n = Headless(accounts={local: account_settings(p, local, None)})
        with bot, n:
            n.send("/connect %s" % local)
            n.answer_password(password, timeout=60)
            n.expect_buffer(local, r"Connected as", timeout=60)
            n.send("/msg %s under valgrind" % bot_jid)
            n.expect_buffer("%s/%s" % (local, bot_jid),
                            r"echo: under valgrind$", timeout=60)
            n.send("/quit")
            code = n.wait_exit(60)
        with open(log.name) as f:
            report = f.read()
    finally:
        del os.environ["NATTER_WRAPPER"]
        os.unlink(log.name)
    summary = re.search(r"ERROR SUMMARY: (\d+) errors", report)
    assert summary, report[-2000:]
    assert code == 0 and summary.group(1) == "0", report[-4000:]
    definite = re.search(r"definitely lost: ([\d,]+) bytes", report)
    assert definite is None or definite.group(1) == "0", report[-4000:]


if __name__ == "__main__":
    tap.main(globals())
