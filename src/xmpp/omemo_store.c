/* omemo_store.c: the OMEMO state of one account in SQLite, and the
 * libomemo-c stores over it (omemo_store.h). Records libomemo-c hands us
 * are opaque blobs: one table each. */
#include "xmpp/omemo_store.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "core/settings.h"
#include "util/error.h"

struct OmemoStore {
    sqlite3 *db;
    /* Prepared statements by their SQL: OMEMO reads and writes a few rows
     * for every message, and compiling the SQL each time cost more than
     * running it. */
    GHashTable *stmts;
    /* In a batch (omemo_store_batch), the first statement opens one
     * transaction and the end of the batch commits it. */
    gboolean batch;
    /* In a batch, the session records libomemo-c stores ("jid\ndevice"
     * -> Kept): it loads and stores a device's record for every
     * message, and a burst from one device would write it to SQLite
     * hundreds of times. Only the last is written, when the batch ends:
     * in the same transaction, so nothing changes for a crash. */
    GHashTable *sessions;
};

static const char schema[] =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS prekeys (id INTEGER PRIMARY KEY, "
    "  rec BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS signed_prekeys (id INTEGER PRIMARY KEY, "
    "  rec BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sessions (jid TEXT NOT NULL, "
    "  device INTEGER NOT NULL, rec BLOB NOT NULL, "
    "  PRIMARY KEY (jid, device));"
    "CREATE TABLE IF NOT EXISTS identities (jid TEXT NOT NULL, "
    "  device INTEGER NOT NULL, key BLOB NOT NULL, "
    "  trust INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (jid, device));"
    "CREATE TABLE IF NOT EXISTS devices (jid TEXT NOT NULL, "
    "  device INTEGER NOT NULL, PRIMARY KEY (jid, device));"
    "CREATE TABLE IF NOT EXISTS device_lists (jid TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS chats (jid TEXT PRIMARY KEY, "
    "  enabled INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS unanswered (jid TEXT NOT NULL, "
    "  device INTEGER NOT NULL, sent INTEGER NOT NULL, "
    "  PRIMARY KEY (jid, device));";

static void finalize(gpointer stmt)
{
    sqlite3_finalize(stmt);
}

/* A session record kept during a batch, and whose it is. */
typedef struct {
    char *jid;
    guint32 device;
    GBytes *record;
} Kept;

static void kept_free(gpointer data)
{
    Kept *k = data;
    g_free(k->jid);
    g_bytes_unref(k->record);
    g_free(k);
}

OmemoStore *omemo_store_open(const char *dir, GError **error)
{
    g_autofree char *path = g_build_filename(dir, "omemo.db", NULL);
    sqlite3 *db = NULL;
    /* Private keys: nobody else reads this file. */
    int fd = g_open(path, O_CREAT | O_WRONLY, 0600);
    if (fd >= 0)
        close(fd);
    g_chmod(path, 0600);
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot open the OMEMO store %s: %s", path,
                    db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    OmemoStore *s = g_new0(OmemoStore, 1);
    s->db = db;
    s->stmts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, finalize);
    s->sessions =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, kept_free);
    return s;
}

void omemo_store_begin(OmemoStore *store)
{
    sqlite3_exec(store->db, "BEGIN", NULL, NULL, NULL);
}

void omemo_store_commit(OmemoStore *store)
{
    sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
}

static void flush_sessions(OmemoStore *s);

void omemo_store_batch(OmemoStore *store, gboolean on)
{
    if (!on)
        flush_sessions(store); /* in the batch's transaction */
    store->batch = on;
    if (!on && !sqlite3_get_autocommit(store->db) &&
        sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        g_warning("omemo store: COMMIT: %s", sqlite3_errmsg(store->db));
}

void omemo_store_close(OmemoStore *store)
{
    if (!store)
        return;
    omemo_store_batch(store, FALSE);
    g_hash_table_destroy(store->sessions);
    g_hash_table_destroy(store->stmts);
    sqlite3_close(store->db);
    g_free(store);
}

/* The statement for SQL, compiled once and kept; release() it after use. */
static sqlite3_stmt *prep(OmemoStore *s, const char *sql)
{
    if (s->batch && sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *st = g_hash_table_lookup(s->stmts, sql);
    if (st)
        return st;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK) {
        g_warning("omemo store: %s: %s", sql, sqlite3_errmsg(s->db));
        return NULL;
    }
    g_hash_table_insert(s->stmts, g_strdup(sql), st);
    return st;
}

/* Makes a statement from prep() ready for its next use. */
static void release(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Runs a statement without results; TRUE when it changed a row. */
static gboolean run(sqlite3_stmt *st, sqlite3 *db)
{
    if (!st)
        return FALSE;
    gboolean ok = sqlite3_step(st) == SQLITE_DONE;
    release(st);
    return ok && sqlite3_changes(db) > 0;
}

static GBytes *column_bytes(sqlite3_stmt *st, int col)
{
    return g_bytes_new(sqlite3_column_blob(st, col),
                       sqlite3_column_bytes(st, col));
}

/* The first column of the one row of ST, as bytes, or NULL. */
static GBytes *one_blob(sqlite3_stmt *st)
{
    GBytes *b = NULL;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        b = column_bytes(st, 0);
    release(st);
    return b;
}

GBytes *omemo_store_get(OmemoStore *s, const char *key)
{
    sqlite3_stmt *st = prep(s, "SELECT v FROM kv WHERE k = ?");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return one_blob(st);
}

void omemo_store_put(OmemoStore *s, const char *key, const void *data,
                     gsize len)
{
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO kv VALUES (?, ?)");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, data, (int)len, SQLITE_STATIC);
    run(st, s->db);
}

guint32 omemo_store_get_u32(OmemoStore *s, const char *key, guint32 dflt)
{
    g_autoptr(GBytes) b = omemo_store_get(s, key);
    gsize len = 0;
    const guint8 *d = b ? g_bytes_get_data(b, &len) : NULL;
    if (len != 4)
        return dflt;
    return (guint32)d[0] << 24 | (guint32)d[1] << 16 | (guint32)d[2] << 8 |
           d[3];
}

void omemo_store_put_u32(OmemoStore *s, const char *key, guint32 v)
{
    guint8 d[4] = {v >> 24, v >> 16, v >> 8, v};
    omemo_store_put(s, key, d, 4);
}

GHashTable *omemo_store_prekeys(OmemoStore *s)
{
    GHashTable *t =
        g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_bytes_unref);
    sqlite3_stmt *st = prep(s, "SELECT id, rec FROM prekeys");
    while (st && sqlite3_step(st) == SQLITE_ROW)
        g_hash_table_insert(t, GUINT_TO_POINTER(sqlite3_column_int64(st, 0)),
                            column_bytes(st, 1));
    release(st);
    return t;
}

guint omemo_store_prekey_count(OmemoStore *s)
{
    sqlite3_stmt *st = prep(s, "SELECT count(*) FROM prekeys");
    guint n = st && sqlite3_step(st) == SQLITE_ROW
                  ? (guint)sqlite3_column_int(st, 0)
                  : 0;
    release(st);
    return n;
}

void omemo_store_put_prekey(OmemoStore *s, guint32 id, const void *rec,
                            gsize len)
{
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO prekeys VALUES (?, ?)");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, rec, (int)len, SQLITE_STATIC);
    run(st, s->db);
}

GBytes *omemo_store_get_signed_prekey(OmemoStore *s, guint32 id)
{
    sqlite3_stmt *st = prep(s, "SELECT rec FROM signed_prekeys WHERE id = ?");
    sqlite3_bind_int64(st, 1, id);
    return one_blob(st);
}

GArray *omemo_store_devices(OmemoStore *s, const char *jid, gboolean *fetched)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(guint32));
    sqlite3_stmt *st = prep(s, "SELECT device FROM devices WHERE jid = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        guint32 d = (guint32)sqlite3_column_int64(st, 0);
        g_array_append_val(a, d);
    }
    release(st);
    if (fetched) {
        st = prep(s, "SELECT 1 FROM device_lists WHERE jid = ?");
        sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
        *fetched = st && sqlite3_step(st) == SQLITE_ROW;
        release(st);
    }
    return a;
}

void omemo_store_set_devices(OmemoStore *s, const char *jid,
                             const GArray *devices)
{
    sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *st = prep(s, "DELETE FROM devices WHERE jid = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    run(st, s->db);
    for (guint i = 0; i < devices->len; i++) {
        st = prep(s, "INSERT OR IGNORE INTO devices VALUES (?, ?)");
        sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, g_array_index(devices, guint32, i));
        run(st, s->db);
    }
    st = prep(s, "INSERT OR IGNORE INTO device_lists VALUES (?)");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    run(st, s->db);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

GBytes *omemo_store_identity(OmemoStore *s, const char *jid, guint32 device,
                             OmemoTrust *trust)
{
    sqlite3_stmt *st = prep(s, "SELECT key, trust FROM identities "
                               "WHERE jid = ? AND device = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    GBytes *b = NULL;
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        b = column_bytes(st, 0);
        if (trust)
            *trust = sqlite3_column_int(st, 1);
    }
    release(st);
    return b;
}

gboolean omemo_store_set_trust_by_key(OmemoStore *s, const char *jid,
                                      GBytes *key, OmemoTrust trust)
{
    sqlite3_stmt *st = prep(s, "UPDATE identities SET trust = ? "
                               "WHERE jid = ? AND key = ?");
    sqlite3_bind_int(st, 1, trust);
    sqlite3_bind_text(st, 2, jid, -1, SQLITE_STATIC);
    gsize len = 0;
    const void *d = g_bytes_get_data(key, &len);
    sqlite3_bind_blob(st, 3, d, (int)len, SQLITE_STATIC);
    return run(st, s->db);
}

static void identity_free(gpointer p)
{
    OmemoIdentity *i = p;
    g_bytes_unref(i->key);
    g_free(i);
}

GPtrArray *omemo_store_identities(OmemoStore *s, const char *jid)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(identity_free);
    sqlite3_stmt *st = prep(s, "SELECT device, key, trust FROM identities "
                               "WHERE jid = ? ORDER BY device");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        OmemoIdentity *i = g_new0(OmemoIdentity, 1);
        i->device = (guint32)sqlite3_column_int64(st, 0);
        i->key = column_bytes(st, 1);
        i->trust = sqlite3_column_int(st, 2);
        g_ptr_array_add(a, i);
    }
    release(st);
    return a;
}

static char *session_key(const char *jid, guint32 device)
{
    return g_strdup_printf("%s\n%u", jid, (guint)device);
}

static gboolean write_session(OmemoStore *s, const char *jid, guint32 device,
                              const guint8 *record, gsize len)
{
    sqlite3_stmt *st =
        prep(s, "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    sqlite3_bind_blob(st, 3, record, (int)len, SQLITE_STATIC);
    return run(st, s->db);
}

/* The session records kept during a batch, into the table. */
static void flush_sessions(OmemoStore *s)
{
    GHashTableIter iter;
    gpointer v;
    g_hash_table_iter_init(&iter, s->sessions);
    while (g_hash_table_iter_next(&iter, NULL, &v)) {
        Kept *k = v;
        gsize len = 0;
        const guint8 *d = g_bytes_get_data(k->record, &len);
        if (!write_session(s, k->jid, k->device, d, len))
            g_warning("omemo store: a session of %s was not saved: %s", k->jid,
                      sqlite3_errmsg(s->db));
    }
    g_hash_table_remove_all(s->sessions);
}

gboolean omemo_store_has_session(OmemoStore *s, const char *jid, guint32 device)
{
    g_autofree char *key = session_key(jid, device);
    if (g_hash_table_contains(s->sessions, key))
        return TRUE;
    sqlite3_stmt *st =
        prep(s, "SELECT 1 FROM sessions WHERE jid = ? AND device = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    gboolean has = st && sqlite3_step(st) == SQLITE_ROW;
    release(st);
    return has;
}

gboolean omemo_store_chat_enabled(OmemoStore *s, const char *jid)
{
    sqlite3_stmt *st = prep(s, "SELECT enabled FROM chats WHERE jid = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    gboolean on =
        st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    release(st);
    return on;
}

gboolean omemo_store_chat_choice(OmemoStore *s, const char *jid, gboolean *on)
{
    sqlite3_stmt *st = prep(s, "SELECT enabled FROM chats WHERE jid = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    gboolean chosen = st && sqlite3_step(st) == SQLITE_ROW;
    *on = chosen && sqlite3_column_int(st, 0);
    release(st);
    return chosen;
}

void omemo_store_set_chat_enabled(OmemoStore *s, const char *jid, gboolean on)
{
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO chats VALUES (?, ?)");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, on);
    run(st, s->db);
}

guint omemo_store_unanswered(OmemoStore *s, const char *jid, guint32 device)
{
    sqlite3_stmt *st =
        prep(s, "SELECT sent FROM unanswered WHERE jid = ? AND device = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    guint n = st && sqlite3_step(st) == SQLITE_ROW
                  ? (guint)sqlite3_column_int64(st, 0)
                  : 0;
    release(st);
    return n;
}

guint omemo_store_note_sent(OmemoStore *s, const char *jid, guint32 device)
{
    guint n = omemo_store_unanswered(s, jid, device) + 1;
    sqlite3_stmt *st =
        prep(s, "INSERT OR REPLACE INTO unanswered VALUES (?, ?, ?)");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    sqlite3_bind_int64(st, 3, n);
    run(st, s->db);
    return n;
}

void omemo_store_note_heard(OmemoStore *s, const char *jid, guint32 device)
{
    sqlite3_stmt *st =
        prep(s, "DELETE FROM unanswered WHERE jid = ? AND device = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    run(st, s->db);
}

/* ---- the libomemo-c stores ---------------------------------------------- */

static char *addr_name(const signal_protocol_address *a)
{
    return g_strndup(a->name, a->name_len);
}

/* The JID whose identity an address names: OMEMO:2's sessions are kept
 * under "2:JID" (omemo_store.h), but a device has one identity key and
 * one trust whichever version it speaks. */
static char *identity_jid(const signal_protocol_address *a)
{
    g_autofree char *name = addr_name(a);
    if (g_str_has_prefix(name, OMEMO_STORE_V2_PREFIX))
        return g_strdup(name + strlen(OMEMO_STORE_V2_PREFIX));
    return g_steal_pointer(&name);
}

/* A device's session record, from what the batch keeps or the table. */
static GBytes *record_of(OmemoStore *s, const char *jid, guint32 device)
{
    g_autofree char *key = session_key(jid, device);
    Kept *kept = g_hash_table_lookup(s->sessions, key);
    if (kept)
        return g_bytes_ref(kept->record);
    sqlite3_stmt *st =
        prep(s, "SELECT rec FROM sessions WHERE jid = ? AND device = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    return one_blob(st);
}

static int load_session(signal_buffer **record, signal_buffer **user_record,
                        const signal_protocol_address *a, void *data)
{
    g_autofree char *jid = addr_name(a);
    g_autoptr(GBytes) b = record_of(data, jid, (guint32)a->device_id);
    if (!b)
        return 0;
    gsize len = 0;
    const guint8 *d = g_bytes_get_data(b, &len);
    *record = signal_buffer_create(d, len);
    return 1;
}

static int sub_device_sessions(signal_int_list **sessions, const char *name,
                               size_t name_len, void *data)
{
    OmemoStore *s = data;
    g_autofree char *jid = g_strndup(name, name_len);
    flush_sessions(s); /* rare: the table answers, with what is kept */
    signal_int_list *l = signal_int_list_alloc();
    sqlite3_stmt *st = prep(s, "SELECT device FROM sessions WHERE jid = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    int n = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        signal_int_list_push_back(l, sqlite3_column_int(st, 0));
        n++;
    }
    release(st);
    *sessions = l;
    return n;
}

static int store_session(const signal_protocol_address *a, uint8_t *record,
                         size_t record_len, uint8_t *user_record,
                         size_t user_record_len, void *data)
{
    OmemoStore *s = data;
    g_autofree char *jid = addr_name(a);
    if (s->batch) {
        Kept *k = g_new0(Kept, 1);
        k->jid = g_steal_pointer(&jid);
        k->device = (guint32)a->device_id;
        k->record = g_bytes_new(record, record_len);
        g_hash_table_insert(s->sessions, session_key(k->jid, k->device), k);
        return SG_SUCCESS;
    }
    return write_session(s, jid, (guint32)a->device_id, record, record_len)
               ? SG_SUCCESS
               : SG_ERR_UNKNOWN;
}

static int contains_session(const signal_protocol_address *a, void *data)
{
    g_autofree char *jid = addr_name(a);
    return omemo_store_has_session(data, jid, (guint32)a->device_id);
}

static int delete_session(const signal_protocol_address *a, void *data)
{
    OmemoStore *s = data;
    g_autofree char *jid = addr_name(a);
    flush_sessions(s); /* then the table holds them all */
    sqlite3_stmt *st =
        prep(s, "DELETE FROM sessions WHERE jid = ? AND device = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (guint32)a->device_id);
    return run(st, s->db);
}

static int delete_all_sessions(const char *name, size_t name_len, void *data)
{
    OmemoStore *s = data;
    g_autofree char *jid = g_strndup(name, name_len);
    flush_sessions(s);
    sqlite3_stmt *st = prep(s, "DELETE FROM sessions WHERE jid = ?");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    run(st, s->db);
    return sqlite3_changes(s->db);
}

/* Prekeys and signed prekeys: the same shape, two tables. */
static int load_key(OmemoStore *s, const char *table, signal_buffer **record,
                    uint32_t id)
{
    g_autofree char *sql =
        g_strdup_printf("SELECT rec FROM %s WHERE id = ?", table);
    sqlite3_stmt *st = prep(s, sql);
    sqlite3_bind_int64(st, 1, id);
    g_autoptr(GBytes) b = one_blob(st);
    if (!b)
        return SG_ERR_INVALID_KEY_ID;
    gsize len = 0;
    const guint8 *d = g_bytes_get_data(b, &len);
    *record = signal_buffer_create(d, len);
    return SG_SUCCESS;
}

static int store_key(OmemoStore *s, const char *table, uint32_t id,
                     uint8_t *record, size_t len)
{
    g_autofree char *sql =
        g_strdup_printf("INSERT OR REPLACE INTO %s VALUES (?, ?)", table);
    sqlite3_stmt *st = prep(s, sql);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, record, (int)len, SQLITE_STATIC);
    return run(st, s->db) ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

static int contains_key(OmemoStore *s, const char *table, uint32_t id)
{
    g_autofree char *sql =
        g_strdup_printf("SELECT 1 FROM %s WHERE id = ?", table);
    sqlite3_stmt *st = prep(s, sql);
    sqlite3_bind_int64(st, 1, id);
    int has = st && sqlite3_step(st) == SQLITE_ROW;
    release(st);
    return has;
}

static int remove_key(OmemoStore *s, const char *table, uint32_t id)
{
    g_autofree char *sql =
        g_strdup_printf("DELETE FROM %s WHERE id = ?", table);
    sqlite3_stmt *st = prep(s, sql);
    sqlite3_bind_int64(st, 1, id);
    run(st, s->db);
    return SG_SUCCESS;
}

static int load_pre_key(signal_buffer **r, uint32_t id, void *d)
{
    return load_key(d, "prekeys", r, id);
}
static int store_pre_key(uint32_t id, uint8_t *r, size_t l, void *d)
{
    return store_key(d, "prekeys", id, r, l);
}
static int contains_pre_key(uint32_t id, void *d)
{
    return contains_key(d, "prekeys", id);
}
static int remove_pre_key(uint32_t id, void *d)
{
    return remove_key(d, "prekeys", id);
}
static int load_spk(signal_buffer **r, uint32_t id, void *d)
{
    return load_key(d, "signed_prekeys", r, id);
}
static int store_spk(uint32_t id, uint8_t *r, size_t l, void *d)
{
    return store_key(d, "signed_prekeys", id, r, l);
}
static int contains_spk(uint32_t id, void *d)
{
    return contains_key(d, "signed_prekeys", id);
}
static int remove_spk(uint32_t id, void *d)
{
    return remove_key(d, "signed_prekeys", id);
}

static int get_identity_key_pair(signal_buffer **public_data,
                                 signal_buffer **private_data, void *data)
{
    OmemoStore *s = data;
    g_autoptr(GBytes) pub = omemo_store_get(s, "identity_public");
    g_autoptr(GBytes) priv = omemo_store_get(s, "identity_private");
    if (!pub || !priv)
        return SG_ERR_UNKNOWN;
    gsize len = 0;
    const guint8 *d = g_bytes_get_data(pub, &len);
    *public_data = signal_buffer_create(d, len);
    d = g_bytes_get_data(priv, &len);
    *private_data = signal_buffer_create(d, len);
    return SG_SUCCESS;
}

static int get_local_registration_id(void *data, uint32_t *id)
{
    *id = omemo_store_get_u32(data, "device_id", 0);
    return *id ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

/* A new key for a device we know replaces the old one, untrusted: the
 * device was reinstalled, or someone pretends to be it. A device first
 * seen is trusted blindly, or waits for the user (omemo_trust). */
static int save_identity(const signal_protocol_address *a, uint8_t *key,
                         size_t key_len, void *data)
{
    OmemoStore *s = data;
    g_autofree char *jid = identity_jid(a);
    OmemoTrust trust = OMEMO_TRUST_BLIND;
    g_autoptr(GBytes) old =
        omemo_store_identity(s, jid, (guint32)a->device_id, &trust);
    g_autoptr(GBytes) now = g_bytes_new(key, key_len);
    if (old && g_bytes_equal(old, now))
        return SG_SUCCESS;
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO identities "
                               "VALUES (?, ?, ?, ?)");
    sqlite3_bind_text(st, 1, jid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (guint32)a->device_id);
    sqlite3_bind_blob(st, 3, key, (int)key_len, SQLITE_STATIC);
    OmemoTrust first =
        g_strcmp0(settings_get_string("omemo_trust"), "manual") == 0
            ? OMEMO_TRUST_PENDING
            : OMEMO_TRUST_BLIND;
    sqlite3_bind_int(st, 4, old ? OMEMO_TRUST_DISTRUSTED : first);
    return run(st, s->db) ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

static int is_trusted_identity(const signal_protocol_address *a, uint8_t *key,
                               size_t key_len, void *data)
{
    OmemoStore *s = data;
    g_autofree char *jid = identity_jid(a);
    OmemoTrust trust = OMEMO_TRUST_BLIND;
    g_autoptr(GBytes) old =
        omemo_store_identity(s, jid, (guint32)a->device_id, &trust);
    if (!old)
        return 1; /* blind trust before verification */
    /* A distrusted device's messages are still read (and marked); what
     * natter refuses is to encrypt to it (omemo.c). A different key for a
     * device we know is not accepted. */
    g_autoptr(GBytes) now = g_bytes_new(key, key_len);
    return g_bytes_equal(old, now);
}

void omemo_store_attach(OmemoStore *s, signal_protocol_store_context *ctx)
{
    signal_protocol_session_store sessions = {
        .load_session_func = load_session,
        .get_sub_device_sessions_func = sub_device_sessions,
        .store_session_func = store_session,
        .contains_session_func = contains_session,
        .delete_session_func = delete_session,
        .delete_all_sessions_func = delete_all_sessions,
        .user_data = s,
    };
    signal_protocol_pre_key_store prekeys = {
        .load_pre_key = load_pre_key,
        .store_pre_key = store_pre_key,
        .contains_pre_key = contains_pre_key,
        .remove_pre_key = remove_pre_key,
        .user_data = s,
    };
    signal_protocol_signed_pre_key_store spks = {
        .load_signed_pre_key = load_spk,
        .store_signed_pre_key = store_spk,
        .contains_signed_pre_key = contains_spk,
        .remove_signed_pre_key = remove_spk,
        .user_data = s,
    };
    signal_protocol_identity_key_store ids = {
        .get_identity_key_pair = get_identity_key_pair,
        .get_local_registration_id = get_local_registration_id,
        .save_identity = save_identity,
        .is_trusted_identity = is_trusted_identity,
        .user_data = s,
    };
    signal_protocol_store_context_set_session_store(ctx, &sessions);
    signal_protocol_store_context_set_pre_key_store(ctx, &prekeys);
    signal_protocol_store_context_set_signed_pre_key_store(ctx, &spks);
    signal_protocol_store_context_set_identity_key_store(ctx, &ids);
}
