# The plugins of the tree (C shared objects on include/natter/plugin.h),
# installed to $(libdir)/natter/plugins, natter's system plugin directory.
# Built as programs linked -shared (the tree has no libtool).
plugindir = $(libdir)/natter/plugins
PLUGIN_INCLUDES = -I$(top_srcdir)/include
PLUGIN_C_FLAGS = $(WARN_CFLAGS) -fPIC -fvisibility=hidden
SHARED_OBJECT_FLAGS = -shared

plugin_PROGRAMS = plugins/urlgrab.so plugins/wordfilter.so \
	plugins/blockwords.so
plugins_urlgrab_so_SOURCES = plugins/urlgrab.c
plugins_urlgrab_so_CPPFLAGS = $(PLUGIN_INCLUDES)
plugins_urlgrab_so_CFLAGS = $(PLUGIN_C_FLAGS)
plugins_urlgrab_so_LDFLAGS = $(SHARED_OBJECT_FLAGS)
plugins_wordfilter_so_SOURCES = plugins/wordfilter.c
plugins_wordfilter_so_CPPFLAGS = $(PLUGIN_INCLUDES)
plugins_wordfilter_so_CFLAGS = $(PLUGIN_C_FLAGS)
plugins_wordfilter_so_LDFLAGS = $(SHARED_OBJECT_FLAGS)
plugins_blockwords_so_SOURCES = plugins/blockwords.c
plugins_blockwords_so_CPPFLAGS = $(PLUGIN_INCLUDES)
plugins_blockwords_so_CFLAGS = $(PLUGIN_C_FLAGS)
plugins_blockwords_so_LDFLAGS = $(SHARED_OBJECT_FLAGS)

# The test suite's plugins (tests/functional/test_plugins.py), not
# installed: one that uses the whole API, one built for another API
# version, one whose init fails.
noinst_PROGRAMS += tests/plugins/probe.so tests/plugins/badversion.so \
	tests/plugins/failinit.so
tests_plugins_probe_so_SOURCES = tests/plugins/probe.c
tests_plugins_probe_so_CPPFLAGS = $(PLUGIN_INCLUDES)
tests_plugins_probe_so_CFLAGS = $(PLUGIN_C_FLAGS)
tests_plugins_probe_so_LDFLAGS = $(SHARED_OBJECT_FLAGS)
tests_plugins_badversion_so_SOURCES = tests/plugins/badversion.c
tests_plugins_badversion_so_CPPFLAGS = $(PLUGIN_INCLUDES)
tests_plugins_badversion_so_CFLAGS = $(PLUGIN_C_FLAGS)
tests_plugins_badversion_so_LDFLAGS = $(SHARED_OBJECT_FLAGS)
tests_plugins_failinit_so_SOURCES = tests/plugins/failinit.c
tests_plugins_failinit_so_CPPFLAGS = $(PLUGIN_INCLUDES)
tests_plugins_failinit_so_CFLAGS = $(PLUGIN_C_FLAGS)
tests_plugins_failinit_so_LDFLAGS = $(SHARED_OBJECT_FLAGS)

# The Python plugins of the tree, installed beside the C ones when natter
# has Python (configure: python3-embed), and the test suite's
# (tests/functional/test_python_plugins.py).
if BUILD_PYTHON
plugin_DATA = plugins/autoreply.py plugins/forward.py \
	plugins/highlight_log.py
endif
EXTRA_DIST += plugins/autoreply.py plugins/forward.py \
	plugins/highlight_log.py \
	tests/plugins/pyprobe.py tests/plugins/pyraise.py
