/* history.c: the SQLite side of history.h. One database per account,
 * WAL mode: a killed natter loses no committed message, and readers never
 * wait for the writer. The schema version is PRAGMA user_version; each
 * step in `migrations` upgrades by one. */
#include "core/history.h"

#include <sqlite3.h>
#include <string.h>

#include "core/history_checkpoint.h"
#include "core/paths.h"
#include "util/error.h"

struct History {
    sqlite3 *db;
    char *path;
    GHashTable *statements; /* SQL text (a literal) -> its prepared form */
    gboolean batch;         /* writes join one transaction (batch_begin) */
    HistoryCheckpoint *checkpoint; /* the WAL copied back off this thread */
};

static const char *const migrations[] = {
    /* 1: messages, their full-text index, and named values. */
    "CREATE TABLE messages ("
    "  id INTEGER PRIMARY KEY,"
    "  peer TEXT NOT NULL,"
    "  sender TEXT,"
    "  direction INTEGER NOT NULL,"
    "  time INTEGER NOT NULL,"
    "  body TEXT NOT NULL,"
    "  origin_id TEXT,"
    "  stanza_id TEXT,"
    "  state INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX messages_by_stanza_id ON messages(stanza_id)"
    "  WHERE stanza_id IS NOT NULL;"
    "CREATE UNIQUE INDEX messages_by_origin_id"
    "  ON messages(peer, direction, origin_id) WHERE origin_id IS NOT NULL;"
    "CREATE INDEX messages_by_peer ON messages(peer, id);"
    "CREATE INDEX messages_by_state ON messages(state) WHERE state = 1;"
    "CREATE VIRTUAL TABLE messages_text USING fts5("
    "  body, content='messages', content_rowid='id');"
    "CREATE TRIGGER messages_text_add AFTER INSERT ON messages BEGIN"
    "  INSERT INTO messages_text(rowid, body) VALUES (new.id, new.body);"
    "END;"
    "CREATE TRIGGER messages_text_remove AFTER DELETE ON messages BEGIN"
    "  INSERT INTO messages_text(messages_text, rowid, body)"
    "  VALUES ('delete', old.id, old.body);"
    "END;"
    "CREATE TRIGGER messages_text_change AFTER UPDATE OF body ON messages "
    "BEGIN"
    "  INSERT INTO messages_text(messages_text, rowid, body)"
    "  VALUES ('delete', old.id, old.body);"
    "  INSERT INTO messages_text(rowid, body) VALUES (new.id, new.body);"
    "END;"
    "CREATE TABLE vals (key TEXT PRIMARY KEY, value TEXT);",
    /* 2: what corrections, replies, reactions and retractions point at
     * (the stanza's id), and what happened to a message since. */
    "ALTER TABLE messages ADD COLUMN message_id TEXT;"
    "ALTER TABLE messages ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE messages ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE messages ADD COLUMN reply_to TEXT;"
    "CREATE INDEX messages_by_message_id ON messages(peer, message_id);"
    "CREATE TABLE reactions ("
    "  peer TEXT NOT NULL, message_id TEXT NOT NULL, sender TEXT NOT NULL,"
    "  emojis TEXT NOT NULL, PRIMARY KEY (peer, message_id, sender));",
    /* 3: history_add() indexes a new message's text itself. With the
     * trigger, every INSERT was a statement of two writes, which inside a
     * transaction (a batch) takes a savepoint, and FTS5 writes its
     * pending index out at each one: a segment per message. */
    "DROP TRIGGER messages_text_add;",
    /* 4: what kind of message it is (chat, room, private: pending room
     * messages are sent again as such), how it was secured, and the
     * files it carries (counted in the row, listed in attachments). */
    "ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE messages ADD COLUMN security INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE messages ADD COLUMN trust INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE messages ADD COLUMN attachments INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE attachments ("
    "  message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL, url TEXT NOT NULL, media_type TEXT,"
    "  size INTEGER NOT NULL DEFAULT -1, name TEXT, key TEXT,"
    "  PRIMARY KEY (message, position));",
};

/* SQL's statement, prepared once and kept: messages come in bursts, and
 * parsing the same SQL again for each one was a large part of the work
 * (bench/RESULTS.md, 2026-11-24). SQL must be a string literal. NULL when
 * it cannot be prepared (the error is then in sqlite3_errmsg). */
static sqlite3_stmt *statement(History *h, const char *sql)
{
    sqlite3_stmt *st = g_hash_table_lookup(h->statements, sql);
    if (!st && sqlite3_prepare_v3(h->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                  &st, NULL) == SQLITE_OK)
        g_hash_table_insert(h->statements, (gpointer)sql, st);
    return st;
}

static void finalize(gpointer st)
{
    sqlite3_finalize(st);
}

/* Ready for the next use of a kept statement. */
static void done(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Every write starts with this: in a batch, the first write opens its
 * transaction (a batch with no write costs nothing). */
static void writing(History *h)
{
    if (!h->batch || !sqlite3_get_autocommit(h->db))
        return;
    sqlite3_stmt *st = statement(h, "BEGIN");
    if (st)
        sqlite3_step(st);
    done(st);
}

void history_batch_begin(History *h)
{
    h->batch = TRUE;
}

gboolean history_batch_end(History *h, GError **error)
{
    h->batch = FALSE;
    return history_batch_commit(h, error);
}

gboolean history_batch_commit(History *h, GError **error)
{
    if (sqlite3_get_autocommit(h->db))
        return TRUE; /* nothing was written */
    sqlite3_stmt *st = statement(h, "COMMIT");
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    done(st);
    if (rc == SQLITE_DONE)
        return TRUE;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "history %s: %s: %s",
                h->path, "cannot commit", sqlite3_errmsg(h->db));
    /* Never leave it open: later writes would pile up in it unseen. */
    if (!sqlite3_get_autocommit(h->db))
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return FALSE;
}

static gboolean fail(History *h, GError **error, const char *what)
{
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "history %s: %s: %s",
                h->path, what, sqlite3_errmsg(h->db));
    return FALSE;
}

static gboolean exec(History *h, const char *sql, GError **error)
{
    char *message = NULL;
    if (sqlite3_exec(h->db, sql, NULL, NULL, &message) == SQLITE_OK)
        return TRUE;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "history %s: %s", h->path,
                message ? message : "error");
    sqlite3_free(message);
    return FALSE;
}

static int user_version(History *h)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(h->db, "PRAGMA user_version", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

static gboolean migrate(History *h, GError **error)
{
    int version = user_version(h);
    if (version < 0)
        return fail(h, error, "cannot read the schema version");
    if (version > (int)G_N_ELEMENTS(migrations)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "history %s was written by a newer natter (schema %d); "
                    "it is left untouched",
                    h->path, version);
        return FALSE;
    }
    for (int v = version; v < (int)G_N_ELEMENTS(migrations); v++) {
        g_autofree char *sql =
            g_strdup_printf("BEGIN; %s PRAGMA user_version = %d; COMMIT;",
                            migrations[v], v + 1);
        if (!exec(h, sql, error)) {
            exec(h, "ROLLBACK", NULL);
            return FALSE;
        }
    }
    return TRUE;
}

History *history_open(const char *account, GError **error)
{
    g_autofree char *dir = paths_account_dir(account, error);
    if (!dir)
        return NULL;
    History *h = g_new0(History, 1);
    h->path = g_build_filename(dir, "history.db", NULL);
    h->statements =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, finalize);
    if (sqlite3_open_v2(h->path, &h->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        fail(h, error, "cannot open");
        history_close(h);
        return NULL;
    }
    /* WAL: a commit is safe once written, even if natter is killed the
     * next instant; NORMAL sync is enough for that (only a power cut can
     * lose the last commits). */
    if (!exec(h,
              "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
              "PRAGMA foreign_keys = ON;",
              error) ||
        !migrate(h, error)) {
        history_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h->db, 2000);
    h->checkpoint = history_checkpoint_start(h->db, h->path);
    return h;
}

void history_close(History *h)
{
    if (!h)
        return;
    if (h->db)
        history_batch_end(h, NULL);
    g_clear_pointer(&h->checkpoint, history_checkpoint_stop);
    g_clear_pointer(&h->statements, g_hash_table_unref);
    sqlite3_close(h->db);
    g_free(h->path);
    g_free(h);
}

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static gint64 find_duplicate(History *h, const Message *m)
{
    sqlite3_stmt *st = NULL;
    gint64 id = 0;
    st = statement(h, "SELECT id FROM messages WHERE stanza_id = ?1 OR "
                      "(peer = ?2 AND direction = ?3 AND origin_id = ?4)");
    bind_text(st, 1, m->stanza_id);
    bind_text(st, 2, m->peer);
    sqlite3_bind_int(st, 3, m->direction);
    bind_text(st, 4, m->origin_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    done(st);
    return id;
}

/* Adds the new row M to the full-text index (schema 3). Should that
 * fail, the message stays stored (unsearchable) and the caller is told. */
static gboolean index_text(History *h, const Message *m, GError **error)
{
    sqlite3_stmt *st = NULL;
    st = statement(h, "INSERT INTO messages_text(rowid, body) VALUES (?, ?)");
    if (!st)
        return fail(h, error, "stored a message but cannot index it");
    sqlite3_bind_int64(st, 1, m->id);
    bind_text(st, 2, m->body ? m->body : "");
    int rc = sqlite3_step(st);
    done(st);
    return rc == SQLITE_DONE ||
           fail(h, error, "stored a message but cannot index it");
}

/* The attachments of the new row M, in order. */
static gboolean store_attachments(History *h, const Message *m, GError **error)
{
    for (guint i = 0; m->attachments && i < m->attachments->len; i++) {
        const MessageAttachment *a = g_ptr_array_index(m->attachments, i);
        sqlite3_stmt *st = statement(
            h, "INSERT INTO attachments (message, position, url, media_type, "
               "size, name, key) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!st)
            return fail(h, error, "cannot store a message's attachment");
        sqlite3_bind_int64(st, 1, m->id);
        sqlite3_bind_int(st, 2, (int)i);
        bind_text(st, 3, a->url);
        bind_text(st, 4, a->media_type);
        sqlite3_bind_int64(st, 5, a->size);
        bind_text(st, 6, a->name);
        bind_text(st, 7, a->key);
        int rc = sqlite3_step(st);
        done(st);
        if (rc != SQLITE_DONE)
            return fail(h, error, "cannot store a message's attachment");
    }
    return TRUE;
}

gboolean history_add(History *h, Message *m, gboolean *duplicate,
                     GError **error)
{
    writing(h);
    if (duplicate)
        *duplicate = FALSE;
    sqlite3_stmt *st = NULL;
    if (!(st = statement(h, "INSERT OR IGNORE INTO messages (peer, sender, "
                            "direction, time, body, origin_id, stanza_id, "
                            "state, message_id, reply_to, kind, security, "
                            "trust, attachments) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                            "?)")))
        return fail(h, error, "cannot store a message");
    bind_text(st, 1, m->peer);
    bind_text(st, 2, m->from);
    sqlite3_bind_int(st, 3, m->direction);
    sqlite3_bind_int64(st, 4, m->time);
    bind_text(st, 5, m->body ? m->body : "");
    bind_text(st, 6, m->origin_id);
    bind_text(st, 7, m->stanza_id);
    sqlite3_bind_int(st, 8, m->state);
    bind_text(st, 9, m->message_id);
    bind_text(st, 10, m->reply_to);
    sqlite3_bind_int(st, 11, m->kind);
    sqlite3_bind_int(st, 12, m->security);
    sqlite3_bind_int(st, 13, m->trust);
    sqlite3_bind_int(st, 14, m->attachments ? (int)m->attachments->len : 0);
    int rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(h, error, "cannot store a message");
    if (sqlite3_changes(h->db) == 1) {
        m->id = sqlite3_last_insert_rowid(h->db);
        return store_attachments(h, m, error) && index_text(h, m, error);
    }
    /* Already there: the stored copy may learn the archive's id. */
    m->id = find_duplicate(h, m);
    if (duplicate)
        *duplicate = TRUE;
    if (m->stanza_id && m->id) {
        st = statement(h, "UPDATE OR IGNORE messages SET stanza_id = ?1 "
                          "WHERE id = ?2 AND stanza_id IS NULL");
        bind_text(st, 1, m->stanza_id);
        sqlite3_bind_int64(st, 2, m->id);
        sqlite3_step(st);
        done(st);
    }
    return TRUE;
}

gboolean history_set_state(History *h, const char *peer, const char *origin_id,
                           MessageState state)
{
    writing(h);
    sqlite3_stmt *st = NULL;
    /* RECEIVED (0) is not a state of ours; FAILED may replace any. The
     * others only move forward: PENDING < SENT < DELIVERED < READ. */
    st = statement(h, "UPDATE messages SET state = ?1 WHERE peer = ?2 AND "
                      "direction = 1 AND origin_id = ?3 AND "
                      "(?1 = 5 OR (state < ?1 AND state != 5))");
    sqlite3_bind_int(st, 1, state);
    bind_text(st, 2, peer);
    bind_text(st, 3, origin_id);
    gboolean ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(h->db);
    done(st);
    return ok;
}

gboolean history_set_security(History *h, gint64 id, MessageSecurity security)
{
    writing(h);
    sqlite3_stmt *st =
        statement(h, "UPDATE messages SET security = ?1 WHERE id = ?2");
    sqlite3_bind_int(st, 1, security);
    sqlite3_bind_int64(st, 2, id);
    gboolean ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(h->db);
    done(st);
    return ok;
}

gint64 history_find_origin(History *h, const char *peer, const char *origin_id)
{
    sqlite3_stmt *st = NULL;
    gint64 id = 0;
    st = statement(h, "SELECT id FROM messages WHERE peer = ?1 AND "
                      "direction = 1 AND origin_id = ?2");
    bind_text(st, 1, peer);
    bind_text(st, 2, origin_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    done(st);
    return id;
}

static void read_attachments(History *h, Message *m)
{
    sqlite3_stmt *st = statement(h, "SELECT url, media_type, size, name, key "
                                    "FROM attachments WHERE message = ? "
                                    "ORDER BY position");
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, m->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        MessageAttachment *a =
            message_add_attachment(m, (const char *)sqlite3_column_text(st, 0),
                                   (const char *)sqlite3_column_text(st, 1),
                                   sqlite3_column_int64(st, 2));
        a->name = g_strdup((const char *)sqlite3_column_text(st, 3));
        a->key = g_strdup((const char *)sqlite3_column_text(st, 4));
    }
    done(st);
}

/* The row ST is on (COLUMNS). Attachments come from their own table,
 * read only for rows that have some. */
static Message *read_row(History *h, sqlite3_stmt *st)
{
    Message *m = message_new();
    m->id = sqlite3_column_int64(st, 0);
    m->peer = g_strdup((const char *)sqlite3_column_text(st, 1));
    m->from = g_strdup((const char *)sqlite3_column_text(st, 2));
    m->direction = sqlite3_column_int(st, 3);
    m->time = sqlite3_column_int64(st, 4);
    m->body = g_strdup((const char *)sqlite3_column_text(st, 5));
    m->origin_id = g_strdup((const char *)sqlite3_column_text(st, 6));
    m->stanza_id = g_strdup((const char *)sqlite3_column_text(st, 7));
    m->state = sqlite3_column_int(st, 8);
    m->message_id = g_strdup((const char *)sqlite3_column_text(st, 9));
    m->edited = sqlite3_column_int(st, 10);
    m->retracted = sqlite3_column_int(st, 11);
    m->reply_to = g_strdup((const char *)sqlite3_column_text(st, 12));
    m->kind = sqlite3_column_int(st, 13);
    m->security = sqlite3_column_int(st, 14);
    m->trust = sqlite3_column_int(st, 15);
    m->origin = MESSAGE_ARCHIVED;
    if (sqlite3_column_int(st, 16) > 0)
        read_attachments(h, m);
    return m;
}

#define COLUMNS                                                                \
    "m.id, m.peer, m.sender, m.direction, m.time, m.body, m.origin_id, "       \
    "m.stanza_id, m.state, m.message_id, m.edited, m.retracted, "              \
    "m.reply_to, m.kind, m.security, m.trust, m.attachments"

static GPtrArray *read_rows(History *h, sqlite3_stmt *st)
{
    GPtrArray *out =
        g_ptr_array_new_with_free_func((GDestroyNotify)message_unref);
    while (sqlite3_step(st) == SQLITE_ROW)
        g_ptr_array_add(out, read_row(h, st));
    done(st);
    return out;
}

GPtrArray *history_last(History *h, const char *peer, guint limit,
                        gint64 before_id)
{
    sqlite3_stmt *st = NULL;
    st = statement(h, "SELECT * FROM (SELECT " COLUMNS " FROM messages m "
                      "WHERE m.peer = ?1 AND (?2 = 0 OR m.id < ?2) "
                      "ORDER BY m.id DESC LIMIT ?3) ORDER BY id");
    bind_text(st, 1, peer);
    sqlite3_bind_int64(st, 2, before_id);
    sqlite3_bind_int(st, 3, (int)MIN(limit, G_MAXINT));
    return read_rows(h, st);
}

GPtrArray *history_pending(History *h)
{
    sqlite3_stmt *st = NULL;
    st = statement(h, "SELECT " COLUMNS " FROM messages m WHERE m.state = 1 "
                      "ORDER BY m.id");
    return read_rows(h, st);
}

/* One word or phrase as an FTS5 string: quoted, its quotes doubled. */
static void append_fts_string(GString *out, const char *text, gsize len)
{
    g_autoptr(GString) w = g_string_new_len(text, (gssize)len);
    g_string_replace(w, "\"", "\"\"", 0);
    g_string_append_printf(out, "%s\"%s\"", out->len ? " " : "", w->str);
}

static void append_fts_words(GString *out, const char *text, gsize len)
{
    g_autofree char *part = g_strndup(text, len);
    g_auto(GStrv) words = g_strsplit_set(part, " \t\n", -1);
    for (guint i = 0; words[i]; i++)
        if (*words[i])
            append_fts_string(out, words[i], strlen(words[i]));
}

/* QUERY as FTS5 input: every word a quoted string, so that what the user
 * types is never taken for FTS syntax (AND, NEAR, column filters...);
 * with balanced double quotes, what stands between them is one string,
 * which FTS5 finds as a phrase. */
static char *fts_words(const char *query)
{
    GString *out = g_string_new(NULL);
    guint quotes = 0;
    for (const char *p = query; *p; p++)
        quotes += *p == '"';
    if (quotes == 0 || quotes % 2) {
        append_fts_words(out, query, strlen(query));
        return g_string_free(out, FALSE);
    }
    gboolean phrase = FALSE;
    for (const char *p = query;;) {
        const char *q = strchr(p, '"');
        gsize len = q ? (gsize)(q - p) : strlen(p);
        g_autofree char *part = g_strstrip(g_strndup(p, len));
        if (phrase && *part)
            append_fts_string(out, part, strlen(part));
        else if (!phrase)
            append_fts_words(out, p, len);
        if (!q)
            break;
        phrase = !phrase;
        p = q + 1;
    }
    return g_string_free(out, FALSE);
}

GPtrArray *history_search(History *h, const char *query, guint limit,
                          GError **error)
{
    HistoryQuery q = {.query = query, .limit = limit};
    return history_search_page(h, &q, NULL, error);
}

GPtrArray *history_search_page(History *h, const HistoryQuery *q, guint *total,
                               GError **error)
{
    g_autofree char *match = fts_words(q->query);
    if (!*match) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "search for what? Give one or more words");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (total) {
        if (!(st = statement(h, "SELECT count(*) FROM messages_text t "
                                "JOIN messages m ON m.id = t.rowid "
                                "WHERE messages_text MATCH ?1 "
                                "AND (?2 IS NULL OR m.peer = ?2)"))) {
            fail(h, error, "cannot search");
            return NULL;
        }
        bind_text(st, 1, match);
        bind_text(st, 2, q->peer);
        *total = sqlite3_step(st) == SQLITE_ROW
                     ? (guint)sqlite3_column_int64(st, 0)
                     : 0;
        done(st);
    }
    /* Ordered by the index's own rowid (the message's id), which FTS5
     * walks newest first and stops at the limit; ordering by m.id made
     * SQLite fetch and sort every match of a common word first (900 ms
     * over a million messages, bench/RESULTS.md). */
    if (!(st = statement(h, "SELECT " COLUMNS " FROM messages_text t "
                            "JOIN messages m ON m.id = t.rowid "
                            "WHERE messages_text MATCH ?1 "
                            "AND (?2 IS NULL OR m.peer = ?2) "
                            "ORDER BY t.rowid DESC LIMIT ?3 OFFSET ?4"))) {
        fail(h, error, "cannot search");
        return NULL;
    }
    bind_text(st, 1, match);
    bind_text(st, 2, q->peer);
    sqlite3_bind_int(st, 3, (int)MIN(q->limit, G_MAXINT));
    sqlite3_bind_int(st, 4, (int)MIN(q->offset, G_MAXINT));
    return read_rows(h, st);
}

gint64 history_find_text(History *h, const char *peer, const char *text,
                         gint64 before_id)
{
    /* LIKE's wildcards in TEXT are taken as themselves. */
    g_autoptr(GString) pattern = g_string_new("%");
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c(pattern, '\\');
        g_string_append_c(pattern, *p);
    }
    g_string_append_c(pattern, '%');
    sqlite3_stmt *st = NULL;
    st = statement(h, "SELECT m.id FROM messages m WHERE m.peer = ?1 "
                      "AND (?2 = 0 OR m.id < ?2) AND m.body LIKE ?3 "
                      "ESCAPE '\\' ORDER BY m.id DESC LIMIT 1");
    if (!st)
        return 0;
    bind_text(st, 1, peer);
    sqlite3_bind_int64(st, 2, before_id);
    bind_text(st, 3, pattern->str);
    gint64 id =
        sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st);
    return id;
}

gboolean history_set_value(History *h, const char *key, const char *value,
                           GError **error)
{
    writing(h);
    sqlite3_stmt *st = NULL;
    if (!(st = statement(h, "INSERT OR REPLACE INTO vals (key, value) "
                            "VALUES (?, ?)")))
        return fail(h, error, "cannot store a value");
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    done(st);
    return rc == SQLITE_DONE || fail(h, error, "cannot store a value");
}

char *history_get_value(History *h, const char *key)
{
    sqlite3_stmt *st = NULL;
    char *value = NULL;
    st = statement(h, "SELECT value FROM vals WHERE key = ?");
    bind_text(st, 1, key);
    if (sqlite3_step(st) == SQLITE_ROW)
        value = g_strdup((const char *)sqlite3_column_text(st, 0));
    done(st);
    return value;
}

Message *history_find_message(History *h, const char *peer,
                              const char *message_id)
{
    sqlite3_stmt *st = NULL;
    /* The newest wins should a sender have reused an id. */
    st = statement(h, "SELECT " COLUMNS " FROM messages m WHERE m.peer = ?1 "
                      "AND (m.message_id = ?2 OR m.origin_id = ?2 OR "
                      "m.stanza_id = ?2) ORDER BY m.id DESC LIMIT 1");
    bind_text(st, 1, peer);
    bind_text(st, 2, message_id);
    Message *m = sqlite3_step(st) == SQLITE_ROW ? read_row(h, st) : NULL;
    done(st);
    return m;
}

Message *history_get(History *h, gint64 id)
{
    sqlite3_stmt *st =
        statement(h, "SELECT " COLUMNS " FROM messages m WHERE m.id = ?1");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    Message *m = sqlite3_step(st) == SQLITE_ROW ? read_row(h, st) : NULL;
    done(st);
    return m;
}

gboolean history_correct(History *h, gint64 id, const char *body)
{
    writing(h);
    sqlite3_stmt *st = NULL;
    st = statement(h, "UPDATE messages SET body = ?1, edited = 1 "
                      "WHERE id = ?2 AND retracted = 0");
    bind_text(st, 1, body);
    sqlite3_bind_int64(st, 2, id);
    gboolean ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(h->db);
    done(st);
    return ok;
}

gboolean history_retract(History *h, gint64 id, const char *note)
{
    writing(h);
    sqlite3_stmt *st = NULL;
    /* The text goes: that is what a retraction asks of us. */
    st = statement(h, "UPDATE messages SET body = ?2, retracted = 1 "
                      "WHERE id = ?1");
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, note ? note : "");
    gboolean ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(h->db);
    done(st);
    return ok;
}

void history_set_reactions(History *h, const char *peer, const char *message_id,
                           const char *sender, const char *emojis)
{
    writing(h);
    sqlite3_stmt *st = NULL;
    st = statement(h, *emojis ? "INSERT OR REPLACE INTO reactions (peer, "
                                "message_id, sender, emojis) VALUES (?1, "
                                "?2, ?3, ?4)"
                              : "DELETE FROM reactions WHERE peer = ?1 AND "
                                "message_id = ?2 AND sender = ?3");
    bind_text(st, 1, peer);
    bind_text(st, 2, message_id);
    bind_text(st, 3, sender);
    if (*emojis)
        bind_text(st, 4, emojis);
    sqlite3_step(st);
    done(st);
}

char *history_reactions(History *h, const char *peer, const char *message_id)
{
    sqlite3_stmt *st = NULL;
    st = statement(h, "SELECT emojis FROM reactions WHERE peer = ?1 AND "
                      "message_id = ?2 ORDER BY sender");
    bind_text(st, 1, peer);
    bind_text(st, 2, message_id);
    /* Each emoji once, with how many people sent it, in first-seen order. */
    g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) counts = g_hash_table_new(g_str_hash, g_str_equal);
    while (sqlite3_step(st) == SQLITE_ROW) {
        g_auto(GStrv) emojis =
            g_strsplit((const char *)sqlite3_column_text(st, 0), " ", -1);
        for (guint i = 0; emojis[i]; i++) {
            /* Each sender counts once per emoji, however often it is in
             * the set it sent. */
            gboolean again = FALSE;
            for (guint j = 0; j < i && !again; j++)
                again = strcmp(emojis[j], emojis[i]) == 0;
            if (!*emojis[i] || again)
                continue;
            gpointer n = g_hash_table_lookup(counts, emojis[i]);
            if (!n) {
                g_ptr_array_add(order, g_strdup(emojis[i]));
                g_hash_table_insert(counts,
                                    g_ptr_array_index(order, order->len - 1),
                                    GUINT_TO_POINTER(1));
            } else {
                g_hash_table_insert(counts, emojis[i],
                                    GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
            }
        }
    }
    done(st);
    if (order->len == 0)
        return NULL;
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < order->len; i++) {
        const char *e = g_ptr_array_index(order, i);
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, e));
        g_string_append_printf(out, "%s%s", out->len ? " " : "", e);
        if (n > 1)
            g_string_append_printf(out, " %u", n);
    }
    return g_string_free(out, FALSE);
}
