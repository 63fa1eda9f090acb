# core: the model (buffers, accounts, settings, history), the event bus,
# paths and prompts.
noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS)
src_core_libcore_a_SOURCES = \
	src/core/account.c src/core/account.h \
	src/core/app.c src/core/app.h \
	src/core/buffer.c src/core/buffer.h \
	src/core/conversation.c src/core/conversation.h \
	src/core/event.c src/core/event.h \
	src/core/history.c src/core/history.h \
	src/core/paths.c src/core/paths.h \
	src/core/prompt.c src/core/prompt.h \
	src/core/room.c src/core/room.h \
	src/core/roster.c src/core/roster.h \
	src/core/settings.c src/core/settings.h
