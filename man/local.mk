# The man page: prose in natter.1.in, commands and settings generated from
# the tables by natter-docgen, the plugin API from include/natter/plugin.h
# by plugin-api.awk.
man_MANS = man/natter.1
EXTRA_DIST += man/natter.1.in man/plugin-api.awk
CLEANFILES += man/natter.1
man/natter.1: $(srcdir)/man/natter.1.in src/natter-docgen$(EXEEXT) \
		$(srcdir)/man/plugin-api.awk $(srcdir)/include/natter/plugin.h
	$(AM_V_GEN)$(MKDIR_P) man && \
	$(AWK) -f $(srcdir)/man/plugin-api.awk \
	    $(srcdir)/include/natter/plugin.h >$@.api && \
	src/natter-docgen $(srcdir)/man/natter.1.in | \
	sed -e 's|[@]VERSION[@]|$(VERSION)|g' -e 's|[@]DATE[@]|$(NATTER_DATE)|g' \
	    -e 's|[@]DATADIR[@]|$(datadir)|g' \
	    -e 's|[@]PLUGINDIR[@]|$(plugindir)|g' \
	    -e '/^[@]PLUGIN_API[@]$$/{r $@.api' -e 'd;}' >$@.tmp && \
	rm -f $@.api && mv $@.tmp $@
