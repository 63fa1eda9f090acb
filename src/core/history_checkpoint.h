/* history_checkpoint.h: the WAL checkpoints of a history database, on a
 * thread of their own. Internal to core/history.c.
 *
 * SQLite checkpoints inside the commit that takes the WAL past its limit:
 * it copies the WAL's pages into the database and syncs the file, on the
 * caller's thread. During a catch-up from the archive that was every other
 * page of 250 messages, 25-45 ms each on the main thread, where a key
 * waits for it (bench/RESULTS.md, 2026-12-04). Here the commit only
 * appends to the WAL, and a second connection on its own thread copies
 * it back. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

typedef struct HistoryCheckpoint HistoryCheckpoint;

/* Takes over the checkpoints of DB, the connection to the database at
 * PATH. NULL when the second connection cannot be opened: DB then keeps
 * SQLite's own checkpoints, in its commits. */
HistoryCheckpoint *history_checkpoint_start(sqlite3 *db, const char *path);
/* Waits for a checkpoint under way, closes the second connection and
 * gives the checkpoints back to DB. Call it before closing DB. */
void history_checkpoint_stop(HistoryCheckpoint *checkpoint);
