# Shipped themes, installed to $(datadir)/natter/themes.
themesdir = $(datadir)/natter/themes
dist_themes_DATA = themes/default.theme
