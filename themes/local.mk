# Shipped themes, installed to $(datadir)/natter/themes.
themesdir = $(datadir)/natter/themes
dist_themes_DATA = themes/default.theme themes/irssi.theme \
	themes/light.theme themes/mono.theme
