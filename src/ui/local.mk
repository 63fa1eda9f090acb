# ui: the ncurses terminal UI. Only this layer includes curses.
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_CPPFLAGS = $(AM_CPPFLAGS) $(NCURSES_CFLAGS)
src_ui_libui_a_SOURCES = \
	src/ui/completion.c src/ui/completion.h \
	src/ui/draw.c \
	src/ui/editor.c src/ui/editor.h \
	src/ui/inputline.c src/ui/inputline.h \
	src/ui/keys.c \
	src/ui/notify.c src/ui/notify.h \
	src/ui/pane.c src/ui/pane.h \
	src/ui/occupantpane.c src/ui/occupantpane.h \
	src/ui/rosterpane.c src/ui/rosterpane.h \
	src/ui/stamp.c src/ui/stamp.h \
	src/ui/style.c src/ui/style.h \
	src/ui/termcheck.c \
	src/ui/theme.c src/ui/theme.h \
	src/ui/ui.c src/ui/ui.h src/ui/ui_internal.h
