# The natter program, and natter-docgen, which writes the parts of the man
# page that come from the command table. natter-docgen links every layer
# but ui/, and no curses: the build itself proves the layering.
bin_PROGRAMS += src/natter
src_natter_SOURCES = src/main.c src/headless.c src/frontend.h \
	src/lsan_suppressions.c \
	src/startup.c src/startup.h \
	src/ctlclient.c src/ctlclient.h \
	src/sendonce.c src/sendonce.h
src_natter_LDADD = \
	src/ui/libui.a src/plugin/libplugin.a src/command/libcommand.a \
	$(CRYPTO_OTR_LIBS) src/xmpp/libxmpp.a \
	src/core/libcore.a src/util/libutil.a \
	$(NCURSES_LIBS) $(STROPHE_LIBS) $(SOUP_LIBS) $(OMEMO_LIBS) \
	$(GCRYPT_LIBS) $(SQLITE_LIBS) $(PYTHON_EMBED_LIBS) $(GMODULE_LIBS) $(GLIB_LIBS)
# Plugins call natter: export the names of plugin.h, and only those.
src_natter_LDFLAGS = -Wl,--dynamic-list=$(top_srcdir)/src/plugin/natter.sym
EXTRA_src_natter_DEPENDENCIES = $(top_srcdir)/src/plugin/natter.sym

noinst_PROGRAMS += src/natter-docgen
src_natter_docgen_SOURCES = src/docgen.c
src_natter_docgen_LDADD = \
	src/plugin/libplugin.a src/command/libcommand.a $(CRYPTO_OTR_LIBS) \
	src/xmpp/libxmpp.a src/core/libcore.a \
	src/util/libutil.a $(STROPHE_LIBS) $(SOUP_LIBS) $(OMEMO_LIBS) $(GCRYPT_LIBS) \
	$(SQLITE_LIBS) $(PYTHON_EMBED_LIBS) $(GMODULE_LIBS) $(GLIB_LIBS)
