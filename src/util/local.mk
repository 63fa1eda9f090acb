# util: pure functions over GLib (JIDs, the sanitiser, text widths).
noinst_LIBRARIES += src/util/libutil.a
src_util_libutil_a_SOURCES = \
	src/util/backoff.c src/util/backoff.h \
	src/util/capsver.c src/util/capsver.h \
	src/util/dataform.c src/util/dataform.h \
	src/util/error.c src/util/error.h \
	src/util/jid.c src/util/jid.h \
	src/util/nickcolour.c src/util/nickcolour.h \
	src/util/redact.c src/util/redact.h \
	src/util/sanitize.c src/util/sanitize.h \
	src/util/styling.c src/util/styling.h \
	src/util/textwidth.c src/util/textwidth.h \
	src/util/xmppuri.c src/util/xmppuri.h
