# Functional tests: the headless natter against a real Prosody that the
# harness (tests/harness) starts for each test file. They run after the
# build, in parallel with each other (each file has its own server).
functional_tests = \
	tests/harness/selftest.py \
	tests/functional/test_accounts.py \
	tests/functional/test_adhoc.py \
	tests/functional/test_amend.py \
	tests/functional/test_connect.py \
	tests/functional/test_ctl.py \
	tests/functional/test_carbons.py \
	tests/functional/test_chat.py \
	tests/functional/test_omemo.py \
	tests/functional/test_interop_profanity.py \
	tests/functional/test_omemo2.py \
	tests/functional/test_omemo_muc.py \
	tests/functional/test_otr.py \
	tests/functional/test_caps.py \
	tests/functional/test_feedback.py \
	tests/functional/test_files.py \
	tests/functional/test_files_aesgcm.py \
	tests/functional/test_jingle.py \
	tests/functional/test_headless.py \
	tests/functional/test_history.py \
	tests/functional/test_hooks.py \
	tests/functional/test_info.py \
	tests/functional/test_loop.py \
	tests/functional/test_account_fields.py \
	tests/functional/test_autojoin.py \
	tests/functional/test_blocking.py \
	tests/functional/test_browse.py \
	tests/functional/test_evalpass.py \
	tests/functional/test_exec.py \
	tests/functional/test_federation.py \
	tests/functional/test_mam.py \
	tests/functional/test_msg_names.py \
	tests/functional/test_muc.py \
	tests/functional/test_muc_big.py \
	tests/functional/test_nothing_lost.py \
	tests/functional/test_plugins.py \
	tests/functional/test_presence.py \
	tests/functional/test_privacy.py \
	tests/functional/test_pubsub.py \
	tests/functional/test_quit.py \
	tests/functional/test_receipts.py \
	tests/functional/test_reconnect.py \
	tests/functional/test_restore.py \
	tests/functional/test_register.py \
	tests/functional/test_roster.py \
	tests/functional/test_spine.py \
	tests/functional/test_uris.py \
	tests/functional/test_vcard.py \
	tests/functional/test_tls.py \
	tests/functional/test_xmlconsole.py \
	tests/functional/test_valgrind.py
TESTS += $(functional_tests)

# The second server: the files below hold tests marked @tap.both_servers,
# which run once more against ejabberd as the test
# tests/functional/test_x.ejabberd, a small script made from test_x.py
# that runs it with --server ejabberd (the tests are not copied). It has no
# test extension of its own, so that its log (test_x.ejabberd.log) is not
# test_x.py's; it runs as a program, and turns the file's exit status 1
# (some test failed, which its "not ok" lines count already) into 0.
both_servers_tests = \
	tests/harness/selftest.py \
	tests/functional/test_adhoc.py \
	tests/functional/test_amend.py \
	tests/functional/test_blocking.py \
	tests/functional/test_browse.py \
	tests/functional/test_carbons.py \
	tests/functional/test_chat.py \
	tests/functional/test_omemo.py \
	tests/functional/test_omemo2.py \
	tests/functional/test_omemo_muc.py \
	tests/functional/test_connect.py \
	tests/functional/test_ctl.py \
	tests/functional/test_history.py \
	tests/functional/test_hooks.py \
	tests/functional/test_jingle.py \
	tests/functional/test_mam.py \
	tests/functional/test_muc.py \
	tests/functional/test_presence.py \
	tests/functional/test_pubsub.py \
	tests/functional/test_receipts.py \
	tests/functional/test_reconnect.py \
	tests/functional/test_restore.py \
	tests/functional/test_roster.py \
	tests/functional/test_tls.py \
	tests/functional/test_vcard.py
ejabberd_tests = $(both_servers_tests:.py=.ejabberd)
TESTS += $(ejabberd_tests)
CLEANFILES += $(ejabberd_tests)
.py.ejabberd:
	$(AM_V_GEN)$(MKDIR_P) $(@D) && case '$<' in \
	/*) src='$<' ;; *) src='$(abs_builddir)/$<' ;; esac && \
	{ echo '#!/bin/sh'; \
	  echo "'$(PYTHON3)' '$$src' --server ejabberd \"\$$@\""; \
	  echo 'status=$$?; [ $$status -eq 1 ] && exit 0; exit $$status'; \
	} >$@ && chmod +x $@

EXTRA_DIST += $(functional_tests) \
	tests/functional/fixtures.py \
	tests/harness/NOTES.md \
	tests/harness/natter_test/__init__.py \
	tests/harness/natter_test/bots.py \
	tests/harness/natter_test/certs.py \
	tests/harness/natter_test/crowd.py \
	tests/harness/natter_test/demo.py \
	tests/harness/natter_test/ejabberd.py \
	tests/harness/natter_test/federation.py \
	tests/harness/natter_test/headless.py \
	tests/harness/natter_test/profanity.py \
	tests/harness/natter_test/prosody.py \
	tests/harness/natter_test/prosody_plugins/mod_natter_crowd.lua \
	tests/harness/natter_test/server.py \
	tests/harness/natter_test/tap.py \
	tests/harness/natter_test/tmux.py \
	tests/harness/natter_test/util.py \
	tests/bots/botlib.py \
	tests/bots/echo_bot.py \
	tests/bots/file_bot.py \
	tests/bots/jingle_bot.py \
	tests/bots/omemo_bot.py \
	tests/bots/otr_bot.py \
	tests/bots/probe_bot.py \
	tests/bots/sender_bot.py

# Python plugins (src/plugin/python*.c); skipped by a natter built
# --without-python.
TESTS += tests/functional/test_python_plugins.py
EXTRA_DIST += tests/functional/test_python_plugins.py
