/* paths.h: where natter keeps the user's files. Honours --config-dir and
 * --data-dir, then $XDG_CONFIG_HOME / $XDG_DATA_HOME, so tests never touch
 * a real home. */
#pragma once

#include <glib.h>

/* CONFIG_DIR and DATA_DIR override the XDG locations (NULL: use XDG). */
void paths_init(const char *config_dir, const char *data_dir);
void paths_shutdown(void);

const char *paths_config_dir(void);
const char *paths_data_dir(void);

/* NAME inside the config dir. Caller frees. */
char *paths_config_file(const char *name);

/* The data directory of ACCOUNT, created with mode 0700 if missing.
 * Caller frees; NULL with ERROR set if it cannot be created. */
char *paths_account_dir(const char *account, GError **error);

/* Creates the config and data dirs (mode 0700) if missing. */
gboolean paths_ensure(GError **error);
