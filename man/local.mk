# The man page: prose in natter.1.in, commands and settings generated from
# the tables by natter-docgen.
man_MANS = man/natter.1
EXTRA_DIST += man/natter.1.in
CLEANFILES += man/natter.1
man/natter.1: $(srcdir)/man/natter.1.in src/natter-docgen$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) man && \
	src/natter-docgen $(srcdir)/man/natter.1.in | \
	sed -e 's|[@]VERSION[@]|$(VERSION)|g' -e 's|[@]DATE[@]|$(NATTER_DATE)|g' \
	    -e 's|[@]DATADIR[@]|$(datadir)|g' >$@.tmp && \
	mv $@.tmp $@
