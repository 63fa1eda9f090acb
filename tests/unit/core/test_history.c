/* test_history.c: unit tests for src/core/history.c on a real SQLite file
 * in a temporary data directory: storing, de-duplication by stanza-id and
 * origin-id, delivery states, paging, pending messages, search, values,
 * batches, the WAL's checkpoints, schema upgrades and reopening. */
#include "../unit.h"

#include <sqlite3.h>
#include <glib/gstdio.h>
#include <string.h>

#include "core/history.h"
#include "core/paths.h"
#include "util/error.h"

static char *tmpdir;
static History *h;

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-history-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    h = history_open("work", NULL);
    return h ? 0 : -1;
}

static int teardown(void **state)
{
    g_clear_pointer(&h, history_close);
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    return 0;
}

static Message *make(const char *peer, MessageDirection dir, const char *body,
                     const char *origin_id, const char *stanza_id)
{
    Message *m = message_new();
    m->peer = g_strdup(peer);
    m->from = g_strdup(dir == MESSAGE_IN ? peer : "me@example.org/natter");
    m->direction = dir;
    m->time = g_get_real_time();
    m->body = g_strdup(body);
    m->origin_id = g_strdup(origin_id);
    m->stanza_id = g_strdup(stanza_id);
    m->state = dir == MESSAGE_IN ? MESSAGE_RECEIVED : MESSAGE_SENT;
    return m;
}

/* Stores a message; returns whether it was a duplicate. */
static gboolean add(const char *peer, MessageDirection dir, const char *body,
                    const char *origin_id, const char *stanza_id, gint64 *id)
{
    g_autoptr(Message) m = make(peer, dir, body, origin_id, stanza_id);
    gboolean duplicate = TRUE;
    g_autoptr(GError) error = NULL;
    if (!history_add(h, m, &duplicate, &error))
        fail_msg("history_add: %s\n", error->message);
    assert_true(m->id > 0);
    if (id)
        *id = m->id;
    return duplicate;
}

static char *bodies(GPtrArray *list)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < list->len; i++) {
        Message *m = g_ptr_array_index(list, i);
        g_string_append_printf(out, "%s%s", i ? "|" : "", m->body);
    }
    return g_string_free(out, FALSE);
}

static void test_store_and_read_back(void **state)
{
    assert_false(add("bob@x", MESSAGE_IN, "hello", "o1", "s1", NULL));
    assert_false(add("bob@x", MESSAGE_OUT, "hi bob", "o2", NULL, NULL));
    assert_false(add("carol@x", MESSAGE_IN, "other chat", NULL, NULL, NULL));
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 10, 0);
    g_autofree char *text = bodies(list);
    assert_string_equal(text, "hello|hi bob");
    Message *first = g_ptr_array_index(list, 0);
    assert_string_equal(first->origin_id, "o1");
    assert_string_equal(first->stanza_id, "s1");
    assert_int_equal(first->direction, MESSAGE_IN);
    Message *second = g_ptr_array_index(list, 1);
    assert_null(second->stanza_id);
    assert_int_equal(second->state, MESSAGE_SENT);
}

static void test_same_stanza_id_is_stored_once(void **state)
{
    gint64 first = 0, again = 0;
    assert_false(add("bob@x", MESSAGE_IN, "once", NULL, "s1", &first));
    /* The archive delivers it again, with or without an origin-id. */
    assert_true(add("bob@x", MESSAGE_IN, "once", "o9", "s1", &again));
    assert_int_equal(first, again);
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 10, 0);
    assert_int_equal(list->len, 1);
}

static void test_own_message_from_the_archive_learns_its_id(void **state)
{
    gint64 sent = 0, echoed = 0;
    assert_false(add("bob@x", MESSAGE_OUT, "mine", "o1", NULL, &sent));
    assert_true(add("bob@x", MESSAGE_OUT, "mine", "o1", "arch-7", &echoed));
    assert_int_equal(sent, echoed);
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 10, 0);
    assert_int_equal(list->len, 1);
    Message *m = g_ptr_array_index(list, 0);
    assert_string_equal(m->stanza_id, "arch-7");
}

static void test_origin_id_is_per_conversation_and_direction(void **state)
{
    /* Another sender may pick the same origin-id: not a duplicate. */
    assert_false(add("bob@x", MESSAGE_IN, "from bob", "same", NULL, NULL));
    assert_false(add("carol@x", MESSAGE_IN, "from carol", "same", NULL, NULL));
    assert_false(add("bob@x", MESSAGE_OUT, "to bob", "same", NULL, NULL));
    assert_true(add("bob@x", MESSAGE_IN, "from bob", "same", NULL, NULL));
}

static void test_messages_without_ids_are_all_kept(void **state)
{
    assert_false(add("bob@x", MESSAGE_IN, "same text", NULL, NULL, NULL));
    assert_false(add("bob@x", MESSAGE_IN, "same text", NULL, NULL, NULL));
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 10, 0);
    assert_int_equal(list->len, 2);
}

static void test_delivery_state_only_moves_forward(void **state)
{
    add("bob@x", MESSAGE_OUT, "tracked", "o1", NULL, NULL);
    assert_true(history_set_state(h, "bob@x", "o1", MESSAGE_READ));
    /* A late receipt does not undo "read". */
    assert_false(history_set_state(h, "bob@x", "o1", MESSAGE_DELIVERED));
    assert_false(history_set_state(h, "bob@x", "nosuch", MESSAGE_READ));
    assert_false(history_set_state(h, "carol@x", "o1", MESSAGE_READ));
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 1, 0);
    assert_int_equal(((Message *)g_ptr_array_index(list, 0))->state,
                     MESSAGE_READ);
    assert_true(history_set_state(h, "bob@x", "o1", MESSAGE_FAILED));
}

static void test_pending_messages(void **state)
{
    g_autoptr(Message) m = make("bob@x", MESSAGE_OUT, "later", "p1", NULL);
    m->state = MESSAGE_PENDING;
    assert_true(history_add(h, m, NULL, NULL));
    add("bob@x", MESSAGE_OUT, "already sent", "p2", NULL, NULL);
    g_autoptr(GPtrArray) pending = history_pending(h);
    g_autofree char *text = bodies(pending);
    assert_string_equal(text, "later");
    assert_true(history_set_state(h, "bob@x", "p1", MESSAGE_SENT));
    g_autoptr(GPtrArray) none = history_pending(h);
    assert_int_equal(none->len, 0);
}

static void test_paging_back(void **state)
{
    for (int i = 1; i <= 25; i++) {
        g_autofree char *body = g_strdup_printf("m%d", i);
        add("bob@x", MESSAGE_IN, body, NULL, NULL, NULL);
    }
    g_autoptr(GPtrArray) last = history_last(h, "bob@x", 10, 0);
    g_autofree char *a = bodies(last);
    assert_string_equal(a, "m16|m17|m18|m19|m20|m21|m22|m23|m24|m25");
    gint64 oldest = ((Message *)g_ptr_array_index(last, 0))->id;
    g_autoptr(GPtrArray) before = history_last(h, "bob@x", 10, oldest);
    g_autofree char *b = bodies(before);
    assert_string_equal(b, "m6|m7|m8|m9|m10|m11|m12|m13|m14|m15");
    gint64 older = ((Message *)g_ptr_array_index(before, 0))->id;
    g_autoptr(GPtrArray) first = history_last(h, "bob@x", 10, older);
    g_autofree char *c = bodies(first);
    assert_string_equal(c, "m1|m2|m3|m4|m5");
}

static void test_search_pages_phrases_and_one_peer(void **state)
{
    add("bob@x", MESSAGE_IN, "see you soon", NULL, NULL, NULL);
    add("bob@x", MESSAGE_OUT, "soon, see you", NULL, NULL, NULL);
    add("carol@x", MESSAGE_IN, "see you soon then", NULL, NULL, NULL);
    add("bob@x", MESSAGE_IN, "you see it soon", NULL, NULL, NULL);
    guint total = 0;
    HistoryQuery q = {.query = "see you soon", .limit = 2};
    g_autoptr(GPtrArray) first = history_search_page(h, &q, &total, NULL);
    assert_int_equal(total, 4);
    g_autofree char *a = bodies(first);
    assert_string_equal(a, "you see it soon|see you soon then");
    q.offset = 2;
    g_autoptr(GPtrArray) second = history_search_page(h, &q, &total, NULL);
    g_autofree char *b = bodies(second);
    assert_string_equal(b, "soon, see you|see you soon");
    q.offset = 4;
    g_autoptr(GPtrArray) none = history_search_page(h, &q, &total, NULL);
    assert_int_equal(none->len, 0);
    assert_int_equal(total, 4);
    /* A phrase is found only as it stands. */
    HistoryQuery phrase = {.query = "\"see you soon\"", .limit = 10};
    g_autoptr(GPtrArray) p = history_search_page(h, &phrase, &total, NULL);
    g_autofree char *c = bodies(p);
    assert_string_equal(c, "see you soon then|see you soon");
    assert_int_equal(total, 2);
    HistoryQuery mixed = {.query = "then \"you soon\"", .limit = 10};
    g_autoptr(GPtrArray) m = history_search_page(h, &mixed, &total, NULL);
    assert_int_equal(m->len, 1);
    assert_int_equal(total, 1);
    /* One conversation. */
    HistoryQuery bob = {.query = "soon", .peer = "bob@x", .limit = 10};
    g_autoptr(GPtrArray) only = history_search_page(h, &bob, &total, NULL);
    assert_int_equal(total, 3);
    assert_int_equal(only->len, 3);
    for (guint i = 0; i < only->len; i++)
        assert_string_equal(((Message *)g_ptr_array_index(only, i))->peer,
                            "bob@x");
}

static void test_search_words_not_syntax(void **state)
{
    add("bob@x", MESSAGE_IN, "the quick brown fox", NULL, NULL, NULL);
    add("carol@x", MESSAGE_OUT, "a lazy dog", NULL, NULL, NULL);
    add("bob@x", MESSAGE_IN, "Quick thinking", NULL, NULL, NULL);
    g_autoptr(GPtrArray) quick = history_search(h, "quick", 10, NULL);
    g_autofree char *a = bodies(quick);
    assert_string_equal(a, "Quick thinking|the quick brown fox");
    g_autoptr(GPtrArray) both = history_search(h, "brown  quick", 10, NULL);
    assert_int_equal(both->len, 1);
    /* FTS operators and quotes are plain text to the user. */
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) odd =
        history_search(h, "dog\" OR body:fox NEAR(", 10, &error);
    assert_non_null(odd);
    assert_int_equal(odd->len, 0);
    g_autoptr(GPtrArray) empty = history_search(h, "   ", 10, &error);
    assert_null(empty);
    assert_non_null(strstr(error->message, "search for what?"));
}

static void test_values(void **state)
{
    assert_null(history_get_value(h, "mam_last"));
    assert_true(history_set_value(h, "mam_last", "abc", NULL));
    assert_true(history_set_value(h, "mam_last", "def", NULL));
    g_autofree char *v = history_get_value(h, "mam_last");
    assert_string_equal(v, "def");
}

static void test_survives_reopening(void **state)
{
    add("bob@x", MESSAGE_IN, "kept", "o1", "s1", NULL);
    history_close(h);
    h = history_open("work", NULL);
    assert_non_null(h);
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 10, 0);
    assert_int_equal(list->len, 1);
    /* Still de-duplicated after reopening. */
    assert_true(add("bob@x", MESSAGE_IN, "kept", "o1", "s1", NULL));
}

/* A second connection to the same file, as another process would see it:
 * only what is committed. */
static sqlite3 *reader(void)
{
    g_autofree char *path =
        g_build_filename(tmpdir, "work", "history.db", NULL);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

static int count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The full-text index holds exactly the stored texts (FTS5's own check). */
static void assert_index_matches(void)
{
    sqlite3 *db = reader();
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO messages_text(messages_text) "
                                  "VALUES ('integrity-check')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
}

static void test_batch_is_committed_at_its_end(void **state)
{
    sqlite3 *db = reader();
    history_batch_begin(h);
    add("bob@x", MESSAGE_IN, "one", NULL, "s1", NULL);
    add("bob@x", MESSAGE_IN, "two", NULL, "s2", NULL);
    assert_true(history_set_value(h, "mam_last", "s2", NULL));
    /* Inside the batch: ours to read, nobody else's yet. */
    assert_true(add("bob@x", MESSAGE_IN, "one", NULL, "s1", NULL));
    g_autoptr(GPtrArray) mine = history_last(h, "bob@x", 10, 0);
    assert_int_equal(mine->len, 2);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM messages"), 0);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM vals"), 0);
    g_autoptr(GError) error = NULL;
    assert_true(history_batch_end(h, &error));
    assert_int_equal(count_rows(db, "SELECT count(*) FROM messages"), 2);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM vals"), 1);
    /* After the batch, each write commits at once again. */
    add("bob@x", MESSAGE_IN, "three", NULL, "s3", NULL);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM messages"), 3);
    /* A commit within a batch: what came before is visible, the batch
     * goes on. */
    history_batch_begin(h);
    add("bob@x", MESSAGE_IN, "four", NULL, "s4", NULL);
    assert_true(history_batch_commit(h, NULL));
    assert_int_equal(count_rows(db, "SELECT count(*) FROM messages"), 4);
    add("bob@x", MESSAGE_IN, "five", NULL, "s5", NULL);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM messages"), 4);
    assert_true(history_batch_end(h, NULL));
    assert_int_equal(count_rows(db, "SELECT count(*) FROM messages"), 5);
    /* An empty batch, and an end without a batch, change nothing. */
    history_batch_begin(h);
    assert_true(history_batch_end(h, NULL));
    assert_true(history_batch_end(h, NULL));
    sqlite3_close(db);
    g_autoptr(GPtrArray) two = history_search(h, "two", 10, NULL);
    assert_int_equal(two->len, 1);
    assert_index_matches();
}

static void test_close_commits_an_open_batch(void **state)
{
    history_batch_begin(h);
    add("bob@x", MESSAGE_IN, "last words", NULL, "s1", NULL);
    history_close(h);
    h = history_open("work", NULL);
    assert_non_null(h);
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 10, 0);
    assert_int_equal(list->len, 1);
}

/* SQLite's own checkpoints are replaced by a thread's: the WAL still goes
 * back into the database while the history is open (with no checkpoint at
 * all, the database file would keep its first size until closed). */
static void test_wal_goes_back_into_the_database_while_open(void **state)
{
    g_autofree char *dir = paths_account_dir("work", NULL);
    g_autofree char *path = g_build_filename(dir, "history.db", NULL);
    GStatBuf st;
    assert_int_equal(g_stat(path, &st), 0);
    goffset first = st.st_size;
    /* About 2,500 pages of 4 KiB: past the WAL's limit of 1,000 twice. */
    g_autofree char *body = g_strnfill(4000, 'x');
    for (int batch = 0; batch < 10; batch++) {
        history_batch_begin(h);
        for (int i = 0; i < 250; i++) {
            g_autofree char *id = g_strdup_printf("s%d-%d", batch, i);
            add("bob@x", MESSAGE_IN, body, NULL, id, NULL);
        }
        assert_true(history_batch_end(h, NULL));
    }
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (g_stat(path, &st) == 0 && st.st_size < first + 4 * 1024 * 1024 &&
           g_get_monotonic_time() < deadline)
        g_usleep(10000);
    assert_true(st.st_size >= first + 4 * 1024 * 1024);
    g_autoptr(GPtrArray) list = history_last(h, "bob@x", 5000, 0);
    assert_int_equal(list->len, 2500);
}

static void test_search_follows_corrections_and_retractions(void **state)
{
    gint64 id = 0;
    add("bob@x", MESSAGE_OUT, "see you at noon", "o1", NULL, &id);
    assert_true(history_correct(h, id, "see you at midnight"));
    g_autoptr(GPtrArray) noon = history_search(h, "noon", 10, NULL);
    assert_int_equal(noon->len, 0);
    g_autoptr(GPtrArray) midnight = history_search(h, "midnight", 10, NULL);
    assert_int_equal(midnight->len, 1);
    assert_index_matches();
    assert_true(history_retract(h, id, NULL));
    g_autoptr(GPtrArray) gone = history_search(h, "midnight", 10, NULL);
    assert_int_equal(gone->len, 0);
    assert_index_matches();
}

/* Schema 2 indexed new rows with a trigger; 3 does it in history_add. A
 * history of schema 2 loses the trigger on opening, so that no text is
 * indexed twice. */
static void test_upgrade_from_schema_2_indexes_once(void **state)
{
    add("bob@x", MESSAGE_IN, "older text", NULL, "s1", NULL);
    history_close(h);
    h = NULL;
    sqlite3 *db = reader();
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TRIGGER messages_text_add AFTER INSERT ON "
                     "messages BEGIN INSERT INTO messages_text(rowid, body) "
                     "VALUES (new.id, new.body); END;"
                     /* Schema 4's additions, undone. */
                     "DROP TABLE attachments;"
                     "ALTER TABLE messages DROP COLUMN kind;"
                     "ALTER TABLE messages DROP COLUMN security;"
                     "ALTER TABLE messages DROP COLUMN trust;"
                     "ALTER TABLE messages DROP COLUMN attachments;"
                     "PRAGMA user_version = 2;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    h = history_open("work", NULL);
    assert_non_null(h);
    add("bob@x", MESSAGE_IN, "newer text", NULL, "s2", NULL);
    g_autoptr(GPtrArray) text = history_search(h, "text", 10, NULL);
    g_autofree char *found = bodies(text);
    assert_string_equal(found, "newer text|older text");
    assert_index_matches();
    db = reader();
    assert_int_equal(count_rows(db, "PRAGMA user_version"), 4);
    sqlite3_close(db);
}

/* Schema 4: a message's kind, security, trust and attachments come back
 * as stored; a pending room message is still a room message. */
static void test_kind_security_and_attachments_round_trip(void **state)
{
    g_autoptr(Message) m =
        make("room@muc.x", MESSAGE_OUT, "see the file", "o1", NULL);
    m->kind = MESSAGE_GROUPCHAT;
    m->security = MESSAGE_OMEMO;
    m->trust = MESSAGE_TRUST_VERIFIED;
    m->state = MESSAGE_PENDING;
    message_add_attachment(m, "https://up.x/a.png", "image/png", 1234);
    MessageAttachment *second =
        message_add_attachment(m, "https://up.x/b.txt", NULL, -1);
    second->name = g_strdup("b.txt");
    second->key = g_strdup("00ff");
    assert_true(history_add(h, m, NULL, NULL));
    add("bob@x", MESSAGE_IN, "plain", NULL, NULL, NULL);

    g_autoptr(GPtrArray) pending = history_pending(h);
    assert_int_equal(pending->len, 1);
    const Message *back = g_ptr_array_index(pending, 0);
    assert_int_equal(back->kind, MESSAGE_GROUPCHAT);
    assert_int_equal(back->security, MESSAGE_OMEMO);
    assert_int_equal(back->trust, MESSAGE_TRUST_VERIFIED);
    assert_non_null(back->attachments);
    assert_int_equal(back->attachments->len, 2);
    const MessageAttachment *a = g_ptr_array_index(back->attachments, 0);
    assert_string_equal(a->url, "https://up.x/a.png");
    assert_string_equal(a->media_type, "image/png");
    assert_int_equal(a->size, 1234);
    assert_null(a->name);
    a = g_ptr_array_index(back->attachments, 1);
    assert_string_equal(a->url, "https://up.x/b.txt");
    assert_null(a->media_type);
    assert_int_equal(a->size, -1);
    assert_string_equal(a->name, "b.txt");
    assert_string_equal(a->key, "00ff");

    /* It left with OMEMO:2 after all: the row learns it. */
    assert_true(history_set_security(h, m->id, MESSAGE_OMEMO2));
    g_autoptr(Message) again = history_get(h, m->id);
    assert_int_equal(again->security, MESSAGE_OMEMO2);
    assert_false(history_set_security(h, 999999, MESSAGE_OMEMO2));

    g_autoptr(GPtrArray) plain = history_last(h, "bob@x", 10, 0);
    const Message *p = g_ptr_array_index(plain, 0);
    assert_int_equal(p->kind, MESSAGE_CHAT);
    assert_int_equal(p->security, MESSAGE_PLAIN);
    assert_null(p->attachments);
}

static void test_newer_schema_is_refused_and_kept(void **state)
{
    history_close(h);
    h = NULL;
    g_autofree char *path =
        g_build_filename(tmpdir, "work", "history.db", NULL);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    g_autoptr(GError) error = NULL;
    assert_null(history_open("work", &error));
    assert_non_null(strstr(error->message, "newer natter"));
}

static void test_unopenable_file_is_an_error(void **state)
{
    g_autofree char *dir = g_build_filename(tmpdir, "broken", NULL);
    g_mkdir_with_parents(dir, 0700);
    g_autofree char *path = g_build_filename(dir, "history.db", NULL);
    assert_true(g_file_set_contents(path, "this is not a database", -1, NULL));
    g_autoptr(GError) error = NULL;
    assert_null(history_open("broken", &error));
    assert_non_null(strstr(error->message, "history"));
    /* The file is left as it was. */
    g_autofree char *text = NULL;
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "this is not a database");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_and_read_back),
        T(test_same_stanza_id_is_stored_once),
        T(test_own_message_from_the_archive_learns_its_id),
        T(test_origin_id_is_per_conversation_and_direction),
        T(test_messages_without_ids_are_all_kept),
        T(test_delivery_state_only_moves_forward),
        T(test_pending_messages),
        T(test_paging_back),
        T(test_search_words_not_syntax),
        T(test_search_pages_phrases_and_one_peer),
        T(test_values),
        T(test_survives_reopening),
        T(test_batch_is_committed_at_its_end),
        T(test_close_commits_an_open_batch),
        T(test_wal_goes_back_into_the_database_while_open),
        T(test_search_follows_corrections_and_retractions),
        T(test_upgrade_from_schema_2_indexes_once),
        T(test_kind_security_and_attachments_round_trip),
        T(test_newer_schema_is_refused_and_kept),
        T(test_unopenable_file_is_an_error),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("history", tests, NULL, NULL));
}
