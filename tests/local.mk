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
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)

# --- static checks ---------------------------------------------------------
TESTS += tests/check-layers.sh
EXTRA_DIST += tests/check-layers.sh

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
	tests/unit/util/test_jid \
	tests/unit/util/test_sanitize \
	tests/unit/util/test_textwidth \
	tests/unit/core/test_event \
	tests/unit/core/test_buffer \
	tests/unit/core/test_account \
	tests/unit/core/test_prompt \
	tests/unit/command/test_parse \
	tests/unit/command/test_command \
	tests/unit/ui/test_inputline
check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)
endif

tests_unit_util_test_jid_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_jid_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_sanitize_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_sanitize_LDADD = src/util/libutil.a $(UNIT_LIBS)
tests_unit_util_test_textwidth_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_util_test_textwidth_LDADD = src/util/libutil.a $(UNIT_LIBS)

CORE_LIBS = src/core/libcore.a src/util/libutil.a $(UNIT_LIBS)
tests_unit_core_test_event_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_event_LDADD = $(CORE_LIBS)
tests_unit_core_test_buffer_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_buffer_LDADD = $(CORE_LIBS)
tests_unit_core_test_account_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_account_LDADD = $(CORE_LIBS)
tests_unit_core_test_prompt_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_core_test_prompt_LDADD = $(CORE_LIBS)

# The command layer links core and xmpp, and no curses.
COMMAND_LIBS = src/command/libcommand.a src/xmpp/libxmpp.a $(CORE_LIBS) \
	$(STROPHE_LIBS)
tests_unit_command_test_parse_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_command_test_parse_LDADD = $(COMMAND_LIBS)
tests_unit_command_test_command_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_command_test_command_LDADD = $(COMMAND_LIBS)

# The input line model is pure: tested without starting curses.
tests_unit_ui_test_inputline_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_ui_test_inputline_SOURCES = tests/unit/ui/test_inputline.c \
	src/ui/inputline.c
tests_unit_ui_test_inputline_LDADD = src/util/libutil.a $(UNIT_LIBS)
