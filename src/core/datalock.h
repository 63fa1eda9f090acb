/* datalock.h: one natter per data directory. Two processes on one history
 * would each skip, as duplicates, messages the other stored first, so the
 * second is refused: a lock (fcntl) on the file ".lock" in the data
 * directory, held until the process ends, however it ends. */
#pragma once

#include <glib.h>

/* Takes the lock of the data directory (paths_data_dir(), created if
 * missing). FALSE with ERROR naming the directory, and the process that
 * holds it, when another natter has it. */
gboolean datalock_take(GError **error);

/* Releases the lock (the end of the process does too). */
void datalock_release(void);
