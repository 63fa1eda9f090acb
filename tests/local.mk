# Tests. Every test program and script speaks TAP; `make check` runs them
# all and the harness counts each TAP result. See HACKING.
AM_TESTS_ENVIRONMENT = \
	NATTER='$(abs_top_builddir)/src/natter'; export NATTER; \
	NATTER_SRCDIR='$(abs_top_srcdir)'; export NATTER_SRCDIR; \
	NATTER_BUILDDIR='$(abs_top_builddir)'; export NATTER_BUILDDIR; \
	PYTHONPATH='$(abs_top_srcdir)/tests/harness'; export PYTHONPATH; \
	PYTHONDONTWRITEBYTECODE=1; export PYTHONDONTWRITEBYTECODE; \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT;
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .py .sh
PY_LOG_DRIVER = $(LOG_DRIVER)
PY_LOG_COMPILER = $(PYTHON3)
# A failing test file exits 1 after its "not ok" lines; counting the exit
# status too would count each failure twice. A file that dies early still
# fails: its plan is not complete.
AM_PY_LOG_DRIVER_FLAGS = --ignore-exit
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)

# --- static checks ---------------------------------------------------------
TESTS += tests/check-layers.sh tests/check-format.sh tests/check-install-deps.sh
EXTRA_DIST += tests/valgrind.supp tests/check-layers.sh tests/check-format.sh \
	tests/check-install-deps.sh

# --- unit tests (cmocka), one per module -----------------------------------
# cmocka 1.1.5 prints TAP when CMOCKA_MESSAGE_OUTPUT=TAP (set above). Each
# program runs exactly one group (every group prints its own plan), never
# calls skip() (cmocka prints "not ok # SKIP", a failure to the driver), and
# ends with unit_exit_status() from tests/unit/unit.h, so that a failed test
# is counted once as FAIL and the exit status only reports crashes outside
# a test and sanitizer reports at exit.
EXTRA_DIST += tests/unit/unit.h
UNIT_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
UNIT_LIBS = $(CMOCKA_LIBS) $(GLIB_LIBS)
if HAVE_CMOCKA
unit_tests = \
	tests/unit/util/test_capsver \
	tests/unit/util/test_dataform \
	tests/unit/util/test_jid \
	tests/unit/util/test_redact \
	tests/unit/util/test_sanitize \
	tests/unit/util/test_nickcolour \
	tests/unit/util/test_styling \
	tests/unit/util/test_textwidth \
	tests/unit/util/test_backoff \
	tests/unit/util/test_xmppuri \
	tests/unit/core/test_event \
	tests/unit/core/test_buffer \
	tests/unit/core/test_search \
	tests/unit/core/test_account \
	tests/unit/core/test_prompt \
	tests/unit/core/test_history \
	tests/unit/core/test_settings \
	tests/unit/core/test_roster \
	tests/unit/core/test_tlspins \
	tests/unit/core/test_room \
	tests/unit/xmpp/test_dataform_xml \
	tests/unit/xmpp/test_files \
	tests/unit/xmpp/test_message_parse \
	tests/unit/xmpp/test_message_build \
	tests/unit/xmpp/test_vcard_xml \
	tests/unit/core/test_pipeline \
	tests/unit/core/test_transfers \
	tests/unit/command/test_parse \
	tests/unit/command/test_command \
	tests/unit/command/test_complete \
	tests/unit/command/test_control \
	tests/unit/plugin/test_host \
	tests/unit/ui/test_inputline \
	tests/unit/ui/test_theme
if BUILD_OMEMO
unit_tests += tests/unit/xmpp/test_omemo_crypto
endif
check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)
endif

tests_unit_util_test_capsver_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_capsver_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_dataform_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_dataform_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_redact_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_redact_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_jid_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_jid_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_sanitize_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_sanitize_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_nickcolour_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_nickcolour_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_styling_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_styling_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_textwidth_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_textwidth_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_backoff_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_backoff_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_xmppuri_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_xmppuri_LDADD = src/util/libutil.a $(UNIT_LIBS)

CORE_LIBS = src/core/libcore.a src/util/libutil.a $(SQLITE_LIBS) $(UNIT_LIBS)
tests_unit_core_test_event_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_event_LDADD = $(CORE_LIBS)
tests_unit_core_test_search_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_search_LDADD = $(CORE_LIBS)
tests_unit_core_test_buffer_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_buffer_LDADD = $(CORE_LIBS)
tests_unit_core_test_account_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_account_LDADD = $(CORE_LIBS)
tests_unit_core_test_prompt_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_prompt_LDADD = $(CORE_LIBS)
tests_unit_core_test_history_CPPFLAGS = $(UNIT_CPPFLAGS) $(SQLITE_CFLAGS)
tests_unit_core_test_history_LDADD = $(CORE_LIBS)
tests_unit_core_test_pipeline_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_pipeline_LDADD = $(CORE_LIBS)
tests_unit_core_test_transfers_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_transfers_LDADD = $(CORE_LIBS)
tests_unit_core_test_settings_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_settings_LDADD = $(CORE_LIBS)
tests_unit_core_test_roster_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_roster_LDADD = $(CORE_LIBS)
tests_unit_core_test_tlspins_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_tlspins_LDADD = $(CORE_LIBS)
tests_unit_core_test_room_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_room_LDADD = $(CORE_LIBS)

# The command layer links core and xmpp, and no curses.
COMMAND_LIBS = src/command/libcommand.a $(CRYPTO_OTR_LIBS) src/xmpp/libxmpp.a $(CORE_LIBS) \
	$(STROPHE_LIBS) $(SOUP_LIBS) $(OMEMO_LIBS) $(GCRYPT_LIBS)
tests_unit_xmpp_test_dataform_xml_CPPFLAGS = $(UNIT_CPPFLAGS) $(STROPHE_CFLAGS)
tests_unit_xmpp_test_dataform_xml_LDADD = $(COMMAND_LIBS)
tests_unit_xmpp_test_files_LDADD = $(COMMAND_LIBS)
tests_unit_xmpp_test_message_parse_CPPFLAGS = $(UNIT_CPPFLAGS) $(STROPHE_CFLAGS)
tests_unit_xmpp_test_message_parse_LDADD = $(COMMAND_LIBS)
tests_unit_xmpp_test_message_build_CPPFLAGS = $(UNIT_CPPFLAGS) $(STROPHE_CFLAGS)
tests_unit_xmpp_test_message_build_LDADD = $(COMMAND_LIBS)
tests_unit_xmpp_test_omemo_crypto_CPPFLAGS = $(UNIT_CPPFLAGS) $(OMEMO_CFLAGS) \
	$(GCRYPT_CFLAGS)
tests_unit_xmpp_test_omemo_crypto_LDADD = $(COMMAND_LIBS)
tests_unit_xmpp_test_vcard_xml_CPPFLAGS = $(UNIT_CPPFLAGS) $(STROPHE_CFLAGS)
tests_unit_xmpp_test_vcard_xml_LDADD = $(COMMAND_LIBS)
tests_unit_command_test_parse_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_command_test_parse_LDADD = $(COMMAND_LIBS)
tests_unit_command_test_command_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_command_test_command_LDADD = $(COMMAND_LIBS)
tests_unit_command_test_complete_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_command_test_complete_LDADD = $(COMMAND_LIBS)
tests_unit_command_test_control_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_command_test_control_LDADD = $(COMMAND_LIBS)
# The plugin host loads the plugins of the build tree: it exports the API
# as natter does, and needs them built first.
tests_unit_plugin_test_host_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/include
tests_unit_plugin_test_host_LDADD = src/plugin/libplugin.a $(COMMAND_LIBS) \
	$(PYTHON_EMBED_LIBS) $(GMODULE_LIBS)
tests_unit_plugin_test_host_LDFLAGS = \
	-Wl,--dynamic-list=$(top_srcdir)/src/plugin/natter.sym
EXTRA_tests_unit_plugin_test_host_DEPENDENCIES = plugins/wordfilter.so \
	plugins/blockwords.so tests/plugins/badversion.so \
	tests/plugins/failinit.so

# The input line model is pure: tested without starting curses.
tests_unit_ui_test_inputline_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_ui_test_inputline_SOURCES = tests/unit/ui/test_inputline.c \
	src/ui/inputline.c
tests_unit_ui_test_inputline_LDADD = src/util/libutil.a $(UNIT_LIBS)

# Theme parsing is pure too; curses only for the colour numbers.
tests_unit_ui_test_theme_CPPFLAGS = $(UNIT_CPPFLAGS) $(NCURSES_CFLAGS)
tests_unit_ui_test_theme_SOURCES = tests/unit/ui/test_theme.c src/ui/theme.c
tests_unit_ui_test_theme_LDADD = $(CORE_LIBS)

# --- fuzzing (configure --enable-fuzzing) -----------------------------------
# libFuzzer harnesses, built by `make fuzz` with clang ($(FUZZ_CC)) and run
# briefly by `make check` (and `make fuzz-short`) through
# tests/fuzz/run-fuzzers.sh: a fixed number of runs with a fixed seed from
# the seed corpus tests/fuzz/corpus/NAME/, one TAP line per harness. The
# convenience libraries are built by $(CC) without sanitizer coverage, so
# each harness compiles the few sources it needs itself.
#
# A long run by hand, in the build directory (new inputs go to the first
# directory; copy the interesting ones into the seed corpus):
#   make fuzz
#   mkdir -p /tmp/corpus-jid
#   tests/fuzz/fuzz_jid -max_total_time=3600 -jobs=4 -workers=4 \
#       /tmp/corpus-jid $(top_srcdir)/tests/fuzz/corpus/jid
# A crash is written as ./crash-SHA1 (tests/fuzz/crash-NAME-* from the short
# run); replay it with: tests/fuzz/fuzz_jid crash-FILE
# Other lengths of the short run: make fuzz-short FUZZ_RUNS=200000
EXTRA_DIST += tests/fuzz/run-fuzzers.sh tests/fuzz/corpus \
	tests/fuzz/fuzz_sanitize.c tests/fuzz/fuzz_jid.c \
	tests/fuzz/fuzz_command_split.c tests/fuzz/fuzz_inputline.c \
	tests/fuzz/fuzz_styling.c tests/fuzz/fuzz_message_parse.c

if ENABLE_FUZZING
FUZZ_CFLAGS = -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1
FUZZ_BUILD = $(AM_V_at)$(MKDIR_P) tests/fuzz && \
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN_CFLAGS) $(AM_CPPFLAGS) $(CPPFLAGS) -o $@
fuzzers = \
	tests/fuzz/fuzz_sanitize$(EXEEXT) \
	tests/fuzz/fuzz_jid$(EXEEXT) \
	tests/fuzz/fuzz_command_split$(EXEEXT) \
	tests/fuzz/fuzz_inputline$(EXEEXT) \
	tests/fuzz/fuzz_styling$(EXEEXT) \
	tests/fuzz/fuzz_message_parse$(EXEEXT)
check_SCRIPTS = $(fuzzers)
TESTS += tests/fuzz/run-fuzzers.sh
CLEANFILES += $(fuzzers) tests/fuzz/fuzz_*.out

fuzz_sanitize_src = $(srcdir)/tests/fuzz/fuzz_sanitize.c \
	$(srcdir)/src/util/sanitize.c
tests/fuzz/fuzz_sanitize$(EXEEXT): $(fuzz_sanitize_src) \
		$(srcdir)/src/util/sanitize.h
	@echo "  FUZZCC   $@"
	$(FUZZ_BUILD) $(fuzz_sanitize_src) $(GLIB_LIBS)

fuzz_jid_src = $(srcdir)/tests/fuzz/fuzz_jid.c $(srcdir)/src/util/jid.c \
	$(srcdir)/src/util/error.c
tests/fuzz/fuzz_jid$(EXEEXT): $(fuzz_jid_src) $(srcdir)/src/util/jid.h \
		$(srcdir)/src/util/error.h
	@echo "  FUZZCC   $@"
	$(FUZZ_BUILD) $(fuzz_jid_src) $(GLIB_LIBS)

fuzz_command_split_src = $(srcdir)/tests/fuzz/fuzz_command_split.c \
	$(srcdir)/src/command/parse.c $(srcdir)/src/util/error.c
tests/fuzz/fuzz_command_split$(EXEEXT): $(fuzz_command_split_src) \
		$(srcdir)/src/command/command.h $(srcdir)/src/util/error.h
	@echo "  FUZZCC   $@"
	$(FUZZ_BUILD) $(fuzz_command_split_src) $(GLIB_LIBS)

fuzz_inputline_src = $(srcdir)/tests/fuzz/fuzz_inputline.c \
	$(srcdir)/src/ui/inputline.c $(srcdir)/src/util/textwidth.c
tests/fuzz/fuzz_inputline$(EXEEXT): $(fuzz_inputline_src) \
		$(srcdir)/src/ui/inputline.h $(srcdir)/src/util/textwidth.h
	@echo "  FUZZCC   $@"
	$(FUZZ_BUILD) $(fuzz_inputline_src) $(GLIB_LIBS)

fuzz_styling_src = $(srcdir)/tests/fuzz/fuzz_styling.c \
	$(srcdir)/src/util/styling.c
tests/fuzz/fuzz_styling$(EXEEXT): $(fuzz_styling_src) \
		$(srcdir)/src/util/styling.h
	@echo "  FUZZCC   $@"
	$(FUZZ_BUILD) $(fuzz_styling_src) $(GLIB_LIBS)

fuzz_message_parse_src = $(srcdir)/tests/fuzz/fuzz_message_parse.c \
	$(srcdir)/src/xmpp/message_parse.c $(srcdir)/src/xmpp/message_build.c \
	$(srcdir)/src/xmpp/stanza.c $(srcdir)/src/core/message.c \
	$(srcdir)/src/util/jid.c $(srcdir)/src/util/error.c
tests/fuzz/fuzz_message_parse$(EXEEXT): $(fuzz_message_parse_src) \
		$(srcdir)/src/xmpp/message_parse.h $(srcdir)/src/xmpp/message_build.h \
		$(srcdir)/src/core/message.h $(srcdir)/src/xmpp/ns.h
	@echo "  FUZZCC   $@"
	$(FUZZ_BUILD) $(STROPHE_CFLAGS) $(fuzz_message_parse_src) \
		$(STROPHE_LIBS) $(OMEMO_LIBS) $(GCRYPT_LIBS) $(GLIB_LIBS)

fuzz: $(fuzzers)
fuzz-short: $(fuzzers)
	@NATTER_SRCDIR='$(abs_top_srcdir)' NATTER_BUILDDIR='$(abs_top_builddir)' \
	FUZZ_RUNS='$(FUZZ_RUNS)' $(SHELL) $(top_srcdir)/tests/fuzz/run-fuzzers.sh
else
fuzz fuzz-short:
	@echo "natter was configured without --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzz fuzz-short
