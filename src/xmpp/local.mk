# xmpp: one session per account (libstrophe driven by the GLib loop) and one
# file per protocol feature. Only this layer includes strophe.h.
noinst_LIBRARIES += src/xmpp/libxmpp.a
src_xmpp_libxmpp_a_CPPFLAGS = $(AM_CPPFLAGS) $(STROPHE_CFLAGS) $(SOUP_CFLAGS) \
	$(OMEMO_CFLAGS) $(GCRYPT_CFLAGS)
src_xmpp_libxmpp_a_SOURCES = \
	src/xmpp/adhoc.c src/xmpp/adhoc.h \
	src/xmpp/amend.c src/xmpp/amend.h \
	src/xmpp/authority.c src/xmpp/authority.h \
	src/xmpp/autoaway.c src/xmpp/autoaway.h \
	src/xmpp/blocking.c src/xmpp/blocking.h \
	src/xmpp/bookmarks.c src/xmpp/bookmarks_internal.h \
	src/xmpp/bookmarks_private.c \
	src/xmpp/caps.c \
	src/xmpp/carbons.c src/xmpp/carbons.h \
	src/xmpp/chatstates.c src/xmpp/chatstates.h \
	src/xmpp/connloop.c src/xmpp/connloop.h \
	src/xmpp/dataform_xml.c src/xmpp/dataform_xml.h \
	src/xmpp/disco.c \
	src/xmpp/entitytime.c \
	src/xmpp/extend.c src/xmpp/extend.h \
	src/xmpp/feature.c src/xmpp/feature.h \
	src/xmpp/files.h src/xmpp/files_internal.h \
	src/xmpp/files_aesgcm.c src/xmpp/files_aesgcm.h \
	src/xmpp/files_download.c src/xmpp/files_transfer.c \
	src/xmpp/files_upload.c \
	src/xmpp/info.h \
	src/xmpp/inject.c src/xmpp/inject.h \
	src/xmpp/iq.c src/xmpp/iq.h \
	src/xmpp/jingle.c src/xmpp/jingle_internal.h src/xmpp/jingle_send.c \
	src/xmpp/keepalive.c \
	src/xmpp/lastactivity.c \
	src/xmpp/mam.c src/xmpp/mam.h \
	src/xmpp/markers.c \
	src/xmpp/message.h src/xmpp/message_internal.h \
	src/xmpp/message_build.c src/xmpp/message_build.h \
	src/xmpp/message_in.c src/xmpp/message_out.c \
	src/xmpp/message_parse.c src/xmpp/message_parse.h \
	src/xmpp/muc.c src/xmpp/muc.h src/xmpp/muc_internal.h \
	src/xmpp/muc_admin.c \
	src/xmpp/muc_config.c \
	src/xmpp/muc_mam.c \
	src/xmpp/muc_pace.c \
	src/xmpp/muc_message.c \
	src/xmpp/muc_ping.c \
	src/xmpp/muc_send.c \
	src/xmpp/muc_service.c \
	src/xmpp/ns.h \
	src/xmpp/pep.c src/xmpp/pep.h \
	src/xmpp/ping.c \
	src/xmpp/presence.c src/xmpp/presence.h \
	src/xmpp/reconnect.c \
	src/xmpp/register.c src/xmpp/register.h \
	src/xmpp/request.c src/xmpp/request.h \
	src/xmpp/roster.c src/xmpp/roster.h \
	src/xmpp/services.h \
	src/xmpp/session.c src/xmpp/session.h src/xmpp/session_internal.h \
	src/xmpp/stanza.c src/xmpp/stanza.h \
	src/xmpp/tlstrust.c \
	src/xmpp/browse.c \
	src/xmpp/pubsub.c src/xmpp/pubsub.h \
	src/xmpp/vcard.c src/xmpp/vcard_xml.c src/xmpp/vcard_xml.h \
	src/xmpp/version.c \
	src/xmpp/xmlconsole.c src/xmpp/xmlconsole.h

# OMEMO (configure --without-omemo leaves it out).
if BUILD_OMEMO
src_xmpp_libxmpp_a_SOURCES += \
	src/xmpp/omemo.c src/xmpp/omemo.h \
	src/xmpp/omemo_crypto.c src/xmpp/omemo_crypto.h \
	src/xmpp/omemo_decrypt.c src/xmpp/omemo_internal.h src/xmpp/omemo2.c \
	src/xmpp/omemo_trust.c src/xmpp/omemo_muc.c src/xmpp/omemo_heartbeat.c \
	src/xmpp/omemo_policy.c \
	src/xmpp/omemo_store.c src/xmpp/omemo_store.h
endif
