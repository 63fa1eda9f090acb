# plugin: the plugin host (GModule) and the API of include/natter/plugin.h,
# between command/ and ui/: ui -> plugin -> command. Plugins see only the
# names listed in natter.sym (the natter binary exports nothing else).
noinst_LIBRARIES += src/plugin/libplugin.a
src_plugin_libplugin_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/include \
	$(GMODULE_CFLAGS) -DNATTER_PLUGINDIR='"$(libdir)/natter/plugins"'
src_plugin_libplugin_a_SOURCES = \
	src/plugin/api.c src/plugin/api_internal.h \
	src/plugin/api_message.c \
	src/plugin/api_ui.c \
	src/plugin/cmd_plugin.c \
	src/plugin/host.c src/plugin/host.h \
	src/plugin/plugin_internal.h
EXTRA_DIST += src/plugin/natter.sym

# Python plugins (configure finds python3-embed; --without-python).
if BUILD_PYTHON
src_plugin_libplugin_a_CPPFLAGS += $(PYTHON_EMBED_CFLAGS)
src_plugin_libplugin_a_SOURCES += \
	src/plugin/python.c src/plugin/python.h \
	src/plugin/python_internal.h \
	src/plugin/python_module.c
endif
