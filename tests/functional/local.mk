# Functional tests: the headless natter against a real Prosody that the
# harness (tests/harness) starts for each test file. They run after the
# build, in parallel with each other (each file has its own server).
functional_tests = \
	tests/harness/selftest.py \
	tests/functional/test_accounts.py \
	tests/functional/test_amend.py \
	tests/functional/test_connect.py \
	tests/functional/test_carbons.py \
	tests/functional/test_chat.py \
	tests/functional/test_caps.py \
	tests/functional/test_headless.py \
	tests/functional/test_history.py \
	tests/functional/test_info.py \
	tests/functional/test_loop.py \
	tests/functional/test_account_fields.py \
	tests/functional/test_blocking.py \
	tests/functional/test_evalpass.py \
	tests/functional/test_mam.py \
	tests/functional/test_muc.py \
	tests/functional/test_muc_big.py \
	tests/functional/test_nothing_lost.py \
	tests/functional/test_presence.py \
	tests/functional/test_privacy.py \
	tests/functional/test_quit.py \
	tests/functional/test_receipts.py \
	tests/functional/test_reconnect.py \
	tests/functional/test_register.py \
	tests/functional/test_roster.py \
	tests/functional/test_spine.py \
	tests/functional/test_tls.py \
	tests/functional/test_xmlconsole.py \
	tests/functional/test_valgrind.py
TESTS += $(functional_tests)

EXTRA_DIST += $(functional_tests) \
	tests/functional/fixtures.py \
	tests/harness/NOTES.md \
	tests/harness/natter_test/__init__.py \
	tests/harness/natter_test/bots.py \
	tests/harness/natter_test/crowd.py \
	tests/harness/natter_test/demo.py \
	tests/harness/natter_test/headless.py \
	tests/harness/natter_test/prosody.py \
	tests/harness/natter_test/prosody_plugins/mod_natter_crowd.lua \
	tests/harness/natter_test/tap.py \
	tests/harness/natter_test/tmux.py \
	tests/harness/natter_test/util.py \
	tests/bots/botlib.py \
	tests/bots/echo_bot.py \
	tests/bots/probe_bot.py \
	tests/bots/sender_bot.py
