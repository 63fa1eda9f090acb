# core: the model (buffers, accounts, settings, history), the event bus,
# paths and prompts.
noinst_LIBRARIES += src/core/libcore.a
# Where the shipped themes are installed (themes/local.mk): a make
# variable, so it is expanded, unlike $datadir in configure. Until they
# are installed, natter finds them in the source tree it was built from.
src_core_libcore_a_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) \
	-DNATTER_DATADIR='"$(datadir)/natter"' \
	-DNATTER_SOURCE_DIR='"$(abs_top_srcdir)"'
src_core_libcore_a_SOURCES = \
	src/core/account.c src/core/account.h \
	src/core/app.c src/core/app.h \
	src/core/buffer.c src/core/buffer.h \
	src/core/compose.c src/core/compose.h \
	src/core/conversation.c src/core/conversation.h \
	src/core/datalock.c src/core/datalock.h \
	src/core/event.c src/core/event.h \
	src/core/evalpass.c src/core/evalpass.h \
	src/core/form.c src/core/form.h \
	src/core/history.c src/core/history.h \
	src/core/history_checkpoint.c src/core/history_checkpoint.h \
	src/core/message.c src/core/message.h \
	src/core/paths.c src/core/paths.h \
	src/core/pipeline.c src/core/pipeline.h \
	src/core/prompt.c src/core/prompt.h \
	src/core/restore.c src/core/restore.h \
	src/core/room.c src/core/room.h \
	src/core/roster.c src/core/roster.h \
	src/core/search.c src/core/search.h \
	src/core/hooks.c src/core/hooks.h \
	src/core/settings.c src/core/settings.h \
	src/core/sink.c src/core/sink.h \
	src/core/transfers.c src/core/transfers.h \
	src/core/themes.c src/core/themes.h \
	src/core/tlspins.c src/core/tlspins.h
