# xmpp: one session per account (libstrophe driven by the GLib loop) and one
# file per protocol feature. Only this layer includes strophe.h.
noinst_LIBRARIES += src/xmpp/libxmpp.a
src_xmpp_libxmpp_a_CPPFLAGS = $(AM_CPPFLAGS) $(STROPHE_CFLAGS)
src_xmpp_libxmpp_a_SOURCES = \
	src/xmpp/connloop.c src/xmpp/connloop.h \
	src/xmpp/iq.c src/xmpp/iq.h \
	src/xmpp/keepalive.c \
	src/xmpp/message.c src/xmpp/message.h \
	src/xmpp/presence.c \
	src/xmpp/reconnect.c \
	src/xmpp/session.c src/xmpp/session.h src/xmpp/session_internal.h \
	src/xmpp/stanza.c src/xmpp/stanza.h \
	src/xmpp/tlstrust.c
