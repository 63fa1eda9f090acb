# xmpp: one session per account (libstrophe driven by the GLib loop) and one
# file per protocol feature. Only this layer includes strophe.h.
noinst_LIBRARIES += src/xmpp/libxmpp.a
src_xmpp_libxmpp_a_CPPFLAGS = $(AM_CPPFLAGS) $(STROPHE_CFLAGS)
src_xmpp_libxmpp_a_SOURCES = \
	src/xmpp/authority.c src/xmpp/authority.h \
	src/xmpp/autoaway.c src/xmpp/autoaway.h \
	src/xmpp/blocking.c src/xmpp/blocking.h \
	src/xmpp/connloop.c src/xmpp/connloop.h \
	src/xmpp/iq.c src/xmpp/iq.h \
	src/xmpp/message.c src/xmpp/message.h \
	src/xmpp/presence.c src/xmpp/presence.h \
	src/xmpp/roster.c src/xmpp/roster.h \
	src/xmpp/session.c src/xmpp/session.h src/xmpp/session_internal.h \
	src/xmpp/stanza.c src/xmpp/stanza.h
