# Terminal tests: the real natter in tmux, keys in, screen out.
terminal_tests = \
	tests/terminal/test_days.py \
	tests/terminal/test_demo.py \
	tests/terminal/test_files_tui.py \
	tests/terminal/test_input.py \
	tests/terminal/test_keys.py \
	tests/terminal/test_muc_tui.py \
	tests/terminal/test_nick_colours.py \
	tests/terminal/test_notify.py \
	tests/terminal/test_omemo_tui.py \
	tests/terminal/test_otr_tui.py \
	tests/terminal/test_panes.py \
	tests/terminal/test_roster.py \
	tests/terminal/test_rosterpane.py \
	tests/terminal/test_scrollback.py \
	tests/terminal/test_search.py \
	tests/terminal/test_small.py \
	tests/terminal/test_themes.py \
	tests/terminal/test_tls_tui.py \
	tests/terminal/test_tui.py \
	tests/terminal/test_windows.py \
	tests/terminal/test_wrap.py \
	tests/terminal/test_xmlconsole_tui.py
TESTS += $(terminal_tests)
EXTRA_DIST += $(terminal_tests) tests/terminal/tuifixtures.py
