/* history_checkpoint.c: see history_checkpoint.h.
 *
 * The main connection's WAL hook, called after each of its commits with
 * the WAL's length, wakes the thread once the WAL holds CHECKPOINT_PAGES.
 * The thread's checkpoint is PASSIVE: it copies what no reader still needs
 * and never waits for the writer nor makes it wait, so a commit on the
 * main thread costs only its own pages. SQLite starts the WAL over at
 * the first commit after a checkpoint that copied every page: messages
 * come with pauses between them (the archive's pages, a chat), so it stays
 * near its usual size; writes without any pause would make it longer. */
#include "core/history_checkpoint.h"

/* SQLite's own default (SQLITE_DEFAULT_WAL_AUTOCHECKPOINT): the WAL file
 * stays as large as it was. */
#define CHECKPOINT_PAGES 1000

struct HistoryCheckpoint {
    sqlite3 *writer; /* the main connection, whose hook this is */
    sqlite3 *db;     /* the thread's own connection */
    GThread *thread;
    GMutex lock;
    GCond wake;
    gboolean wanted;   /* under lock */
    gboolean stopping; /* under lock */
};

static gpointer run(gpointer data)
{
    HistoryCheckpoint *c = data;
    g_mutex_lock(&c->lock);
    for (;;) {
        while (!c->wanted && !c->stopping)
            g_cond_wait(&c->wake, &c->lock);
        if (c->stopping)
            break;
        c->wanted = FALSE;
        g_mutex_unlock(&c->lock);
        /* A failure (the disk is full, another process holds the
         * checkpoint) only leaves the WAL longer: the next commit's hook
         * asks again, and closing the database checkpoints too. */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                  NULL);
        g_mutex_lock(&c->lock);
    }
    g_mutex_unlock(&c->lock);
    return NULL;
}

static int on_commit(void *data, sqlite3 *db, const char *name, int pages)
{
    HistoryCheckpoint *c = data;
    if (pages >= CHECKPOINT_PAGES) {
        g_mutex_lock(&c->lock);
        c->wanted = TRUE;
        g_cond_signal(&c->wake);
        g_mutex_unlock(&c->lock);
    }
    return SQLITE_OK;
}

HistoryCheckpoint *history_checkpoint_start(sqlite3 *db, const char *path)
{
    sqlite3 *own = NULL;
    if (sqlite3_open_v2(path, &own, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(own);
        return NULL;
    }
    sqlite3_busy_timeout(own, 2000);
    /* A connection opens the WAL at its first read: before it, its
     * checkpoints do nothing (SQLite 3.40). */
    if (sqlite3_exec(own, "SELECT count(*) FROM sqlite_master", NULL, NULL,
                     NULL) != SQLITE_OK) {
        sqlite3_close(own);
        return NULL;
    }
    HistoryCheckpoint *c = g_new0(HistoryCheckpoint, 1);
    c->writer = db;
    c->db = own;
    g_mutex_init(&c->lock);
    g_cond_init(&c->wake);
    c->thread = g_thread_new("history-checkpoint", run, c);
    /* This replaces SQLite's automatic checkpoints, which are a WAL hook
     * of their own (sqlite3_wal_autocheckpoint). */
    sqlite3_wal_hook(db, on_commit, c);
    return c;
}

void history_checkpoint_stop(HistoryCheckpoint *c)
{
    if (!c)
        return;
    sqlite3_wal_autocheckpoint(c->writer, CHECKPOINT_PAGES);
    g_mutex_lock(&c->lock);
    c->stopping = TRUE;
    g_cond_signal(&c->wake);
    g_mutex_unlock(&c->lock);
    g_thread_join(c->thread);
    sqlite3_close(c->db);
    g_mutex_clear(&c->lock);
    g_cond_clear(&c->wake);
    g_free(c);
}
