# crypto/otr: Off-the-Record messaging on libotr (configure --without-otr
# leaves it out). Above xmpp/, below command/: it sends through xmpp's
# public inject.h and registers pipeline stages; it may include strophe.h
# to rewrite the body of the stanza being sent.
if BUILD_OTR
noinst_LIBRARIES += src/crypto/otr/libcryptootr.a
src_crypto_otr_libcryptootr_a_CPPFLAGS = $(AM_CPPFLAGS) $(STROPHE_CFLAGS) \
	$(OTR_CFLAGS) $(GCRYPT_CFLAGS)
src_crypto_otr_libcryptootr_a_SOURCES = \
	src/crypto/otr/otr.c src/crypto/otr/otr.h \
	src/crypto/otr/otr_internal.h \
	src/crypto/otr/otr_stages.c
CRYPTO_OTR_LIBS = src/crypto/otr/libcryptootr.a $(OTR_LIBS) $(GCRYPT_LIBS)
else
CRYPTO_OTR_LIBS =
endif
