/* python.h: Python plugins (configure finds python3-embed; HAVE_PYTHON).
 * A file NAME.py in a plugin directory is a plugin like NAME.so: the host
 * asks this loader to open it, and the plugin is then loaded, listed and
 * unloaded by the host like any other. Its code runs in CPython, embedded
 * in natter and started at the first Python plugin's load, and reaches
 * natter through the module `natter` (python_module.c), the API of
 * include/natter/plugin.h. */
#pragma once

#include <glib.h>

typedef struct NatterPlugin NatterPlugin;

/* TRUE when PATH names a Python plugin (ends in ".py"). */
gboolean python_plugin_path(const char *path);

/* Makes the plugin of the file PATH (named after the file, without .py),
 * ready for the host to run its init, which runs the file. NULL with
 * ERROR when the name is not a plugin name or is taken. */
NatterPlugin *python_plugin_open(const char *path, GError **error);

/* "CPython 3.11.2", the version built in. */
const char *python_version_name(void);
