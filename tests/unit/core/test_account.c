/* test_account.c: unit tests for src/core/account.c: settings, validation
 * and the accounts file. Every test runs in its own temporary config
 * directory. */
#include "../unit.h"

#include <string.h>
#include <sys/stat.h>

#include "core/account.h"
#include "core/event.h"
#include "core/paths.h"
#include "util/error.h"

static char *tmpdir;
static char *accounts_path;
static guint changed_events;

static EventResult on_changed(const Event *event, gpointer data)
{
    changed_events++;
    return EVENT_CONTINUE;
}

static int setup(void **state)
{
    tmpdir = g_dir_make_tmp("natter-test-account-XXXXXX", NULL);
    if (!tmpdir)
        return -1;
    paths_init(tmpdir, tmpdir);
    accounts_path = g_build_filename(tmpdir, "accounts", NULL);
    event_init();
    changed_events = 0;
    event_subscribe(EVENT_ACCOUNT_CHANGED, 0, on_changed, NULL);
    g_autoptr(GError) error = NULL;
    if (!accounts_init(&error))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    accounts_shutdown();
    event_shutdown();
    paths_shutdown();
    unit_remove_tree(tmpdir);
    g_clear_pointer(&tmpdir, g_free);
    g_clear_pointer(&accounts_path, g_free);
    return 0;
}

static char *read_file(const char *path)
{
    char *data = NULL;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(path, &data, NULL, &error))
        fail_msg("cannot read %s: %s\n", path, error->message);
    return data;
}

static void write_file(const char *path, const char *text)
{
    g_autoptr(GError) error = NULL;
    if (!g_file_set_contents(path, text, -1, &error))
        fail_msg("cannot write %s: %s\n", path, error->message);
}

/* Reloads the accounts file, which must load. */
static void reload(void)
{
    g_autoptr(GError) error = NULL;
    accounts_shutdown();
    if (!accounts_init(&error))
        fail_msg("reloading failed: %s\n", error->message);
}

static Account *add(const char *name)
{
    g_autoptr(GError) error = NULL;
    Account *a = account_add(name, &error);
    if (!a)
        fail_msg("cannot add '%s': %s\n", name, error->message);
    return a;
}

static void set_ok(Account *a, const char *key, const char *value)
{
    g_autoptr(GError) error = NULL;
    if (!account_set(a, key, value, &error))
        fail_msg("set %s '%s' failed: %s\n", key, value, error->message);
}

/* Setting KEY to VALUE must fail with an error mentioning WHY, and leave
 * the displayed value as it was. */
static void set_fails(Account *a, const char *key, const char *value,
                      const char *why)
{
    g_autofree char *before = account_get_display(a, key);
    guint events_before = changed_events;
    g_autoptr(GError) error = NULL;
    if (account_set(a, key, value, &error))
        fail_msg("set %s '%s' was accepted\n", key, value);
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));
    if (!strstr(error->message, why))
        fail_msg("set %s '%s': error '%s' does not mention '%s'\n", key, value,
                 error->message, why);
    g_autofree char *after = account_get_display(a, key);
    assert_true(g_strcmp0(before, after) == 0);
    assert_int_equal(changed_events, events_before);
}

static void assert_display(const Account *a, const char *key,
                           const char *expected)
{
    g_autofree char *value = account_get_display(a, key);
    if (expected)
        assert_string_equal(value, expected);
    else
        assert_null(value);
}

static void test_empty_start(void **state)
{
    assert_int_equal(accounts_list()->len, 0);
    assert_null(account_find("work"));
    assert_null(account_find(NULL));
    assert_false(g_file_test(accounts_path, G_FILE_TEST_EXISTS));
}

static void test_add_find_sorted(void **state)
{
    Account *z = add("zed");
    Account *a = add("alpha");
    Account *m = add("mid");
    assert_int_equal(changed_events, 3);
    const GPtrArray *list = accounts_list();
    assert_int_equal(list->len, 3);
    assert_ptr_equal(g_ptr_array_index(list, 0), a);
    assert_ptr_equal(g_ptr_array_index(list, 1), m);
    assert_ptr_equal(g_ptr_array_index(list, 2), z);
    assert_ptr_equal(account_find("mid"), m);
    assert_null(account_find("MID"));
    /* Defaults of a new account. */
    assert_string_equal(m->name, "mid");
    assert_null(m->jid);
    assert_null(m->password);
    assert_int_equal(m->port, 0);
    assert_int_equal(m->tls, TLS_STARTTLS);
    assert_int_equal(m->priority, 0);
    assert_false(m->enabled);
    assert_int_equal(m->state, ACCOUNT_OFFLINE);
}

static void test_add_duplicate(void **state)
{
    add("work");
    g_autoptr(GError) error = NULL;
    assert_null(account_add("work", &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_EXISTS));
    assert_int_equal(accounts_list()->len, 1);
}

static void test_names_validated(void **state)
{
    static const char *const bad[] = {
        "",         "has space", "semi;colon", "sl/ash", "br[ack]et",
        "\xc3\xbc", "tab\there", "new\nline",  "eq=ual", "#hash",
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        assert_null(account_add(bad[i], &error));
        assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));
        assert_non_null(strstr(error->message, "not a valid account name"));
    }
    g_autoptr(GError) error = NULL;
    assert_null(account_add(NULL, &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));

    g_autofree char *n64 = g_strnfill(64, 'n');
    g_autofree char *n65 = g_strnfill(65, 'n');
    add(n64);
    g_clear_error(&error);
    assert_null(account_add(n65, &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));
    add("a.b_c-d@e.org");
    add("Work2");
    assert_int_equal(accounts_list()->len, 3);
    assert_int_equal(changed_events, 3);
}

static void test_set_jid(void **state)
{
    Account *a = add("work");
    changed_events = 0;
    set_ok(a, "jid", "Alice@Example.ORG");
    assert_string_equal(a->jid, "alice@example.org");
    assert_int_equal(changed_events, 1);
    set_ok(a, "jid", "alice@example.org/Home");
    assert_string_equal(a->jid, "alice@example.org/Home");
    set_fails(a, "jid", "example.org", "no user part");
    set_fails(a, "jid", "alice@", "domain is empty");
    set_fails(a, "jid", "a b@c", "forbidden character");
    g_autoptr(GError) error = NULL;
    assert_false(account_clear(a, "jid", &error));
    assert_non_null(strstr(error->message, "needs a JID"));
    assert_string_equal(a->jid, "alice@example.org/Home");
}

static void test_set_password_and_friends(void **state)
{
    Account *a = add("work");
    assert_display(a, "password", NULL);
    set_ok(a, "password", "s3cret word");
    assert_string_equal(a->password, "s3cret word");
    /* Never displayed. */
    assert_display(a, "password", "(set)");
    g_autoptr(GError) error = NULL;
    assert_true(account_clear(a, "password", &error));
    assert_null(a->password);
    assert_display(a, "password", NULL);

    set_ok(a, "eval_password", "pass show xmpp/work");
    assert_display(a, "eval_password", "pass show xmpp/work");
    set_ok(a, "server", "xmpp.example.org");
    assert_display(a, "server", "xmpp.example.org");
    assert_true(account_clear(a, "server", &error));
    assert_null(a->server);
}

static void test_set_port(void **state)
{
    Account *a = add("work");
    assert_display(a, "port", NULL);
    assert_int_equal(account_effective_port(a), 5222);
    set_ok(a, "port", "5223");
    assert_int_equal(a->port, 5223);
    assert_display(a, "port", "5223");
    assert_int_equal(account_effective_port(a), 5223);
    set_ok(a, "port", "1");
    set_ok(a, "port", "65535");
    set_fails(a, "port", "0", "not a number from 1 to 65535");
    set_fails(a, "port", "65536", "not a number from 1 to 65535");
    set_fails(a, "port", "-1", "not a number");
    set_fails(a, "port", "abc", "not a number");
    set_fails(a, "port", "52 22", "not a number");
    set_fails(a, "port", "", "not a number");
    assert_int_equal(a->port, 65535);
    g_autoptr(GError) error = NULL;
    assert_true(account_clear(a, "port", &error));
    assert_int_equal(a->port, 0);
    assert_display(a, "port", NULL);
}

static void test_set_tls(void **state)
{
    Account *a = add("work");
    assert_display(a, "tls", "starttls");
    set_ok(a, "tls", "direct");
    assert_int_equal(a->tls, TLS_DIRECT);
    /* Direct TLS has its own default port; an explicit port wins. */
    assert_int_equal(account_effective_port(a), 5223);
    set_ok(a, "port", "443");
    assert_int_equal(account_effective_port(a), 443);
    set_ok(a, "tls", "disable");
    assert_int_equal(a->tls, TLS_DISABLE);
    assert_display(a, "tls", "disable");
    set_fails(a, "tls", "ssl", "tls must be starttls, direct or disable");
    set_fails(a, "tls", "STARTTLS", "tls must be");
    set_fails(a, "tls", "", "tls must be");
    g_autoptr(GError) error = NULL;
    assert_true(account_clear(a, "tls", &error));
    assert_int_equal(a->tls, TLS_STARTTLS);

    TlsMode mode = TLS_DISABLE;
    assert_true(tls_mode_parse("starttls", &mode));
    assert_int_equal(mode, TLS_STARTTLS);
    assert_false(tls_mode_parse("tls", &mode));
    assert_false(tls_mode_parse(NULL, &mode));
    assert_string_equal(tls_mode_name(TLS_DIRECT), "direct");
}

static void test_set_cafile(void **state)
{
    Account *a = add("work");
    g_autofree char *missing = g_build_filename(tmpdir, "nope.pem", NULL);
    set_fails(a, "cafile", missing, "is not a readable file");
    set_fails(a, "cafile", tmpdir, "is not a readable file");

    g_autofree char *pem = g_build_filename(tmpdir, "ca.pem", NULL);
    write_file(pem, "-----BEGIN CERTIFICATE-----\n");
    /* A relative path is stored as an absolute one. */
    g_autofree char *cwd = g_get_current_dir();
    assert_int_equal(g_chdir(tmpdir), 0);
    set_ok(a, "cafile", "./ca.pem");
    assert_int_equal(g_chdir(cwd), 0);
    assert_string_equal(a->cafile, pem);
    assert_display(a, "cafile", pem);
    g_autoptr(GError) error = NULL;
    assert_true(account_clear(a, "cafile", &error));
    assert_null(a->cafile);
}

static void test_set_resource_priority_enabled(void **state)
{
    Account *a = add("work");
    set_ok(a, "resource", "laptop");
    assert_display(a, "resource", "laptop");
    set_fails(a, "resource", "", "cannot be empty");

    assert_display(a, "priority", "0");
    set_ok(a, "priority", "-128");
    assert_int_equal(a->priority, -128);
    set_ok(a, "priority", "127");
    assert_display(a, "priority", "127");
    set_fails(a, "priority", "128", "not a number from -128 to 127");
    set_fails(a, "priority", "-129", "not a number from -128 to 127");
    set_fails(a, "priority", "high", "not a number");

    static const char *const on[] = {"on", "true", "yes", "1", "ON", "Yes"};
    static const char *const off[] = {"off", "false", "no", "0", "OFF"};
    for (guint i = 0; i < G_N_ELEMENTS(on); i++) {
        set_ok(a, "enabled", "off");
        set_ok(a, "enabled", on[i]);
        assert_true(a->enabled);
        assert_display(a, "enabled", "on");
    }
    for (guint i = 0; i < G_N_ELEMENTS(off); i++) {
        set_ok(a, "enabled", "on");
        set_ok(a, "enabled", off[i]);
        assert_false(a->enabled);
        assert_display(a, "enabled", "off");
    }
    set_fails(a, "enabled", "maybe", "is not on or off");
    set_fails(a, "enabled", "", "is not on or off");
}

static void test_unknown_setting(void **state)
{
    Account *a = add("work");
    set_fails(a, "colour", "blue", "accounts have no setting 'colour'");
    g_autoptr(GError) error = NULL;
    assert_false(account_clear(a, "colour", &error));
    assert_null(account_get_display(a, "colour"));
    /* name and state are not settings either. */
    set_fails(a, "name", "other", "no setting");
    set_fails(a, "state", "online", "no setting");
}

static void test_fields_table(void **state)
{
    /* Every field of the table can be displayed and cleared, except the
     * jid which is required. */
    const AccountField *f = account_fields();
    guint n = 0;
    Account *a = add("work");
    set_ok(a, "jid", "a@b");
    for (; f->key; f++, n++) {
        assert_non_null(f->value_hint);
        assert_non_null(f->help);
        g_autoptr(GError) error = NULL;
        gboolean cleared = account_clear(a, f->key, &error);
        assert_int_equal(cleared, strcmp(f->key, "jid") != 0);
    }
    assert_int_equal(n, 12);
}

static void test_nick_and_status(void **state)
{
    Account *a = add("work");
    set_ok(a, "nick", "Alice W.");
    assert_display(a, "nick", "Alice W.");
    set_ok(a, "status", "at the office");
    assert_display(a, "status", "at the office");
    g_autoptr(GError) error = NULL;
    assert_false(account_set(a, "nick", "  ", &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_INVALID));
    assert_display(a, "nick", "Alice W.");
    assert_true(account_clear(a, "status", NULL));
    g_autofree char *none = account_get_display(a, "status");
    assert_null(none);
}

static void test_remove(void **state)
{
    add("one");
    Account *two = add("two");
    g_autoptr(GError) error = NULL;
    assert_false(account_remove("three", &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND));
    g_clear_error(&error);

    account_set_state(two, ACCOUNT_ONLINE, NULL);
    assert_false(account_remove("two", &error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_STATE));
    assert_non_null(strstr(error->message, "online"));
    g_clear_error(&error);

    account_set_state(two, ACCOUNT_OFFLINE, "bye");
    changed_events = 0;
    assert_true(account_remove("two", &error));
    assert_null(account_find("two"));
    assert_int_equal(accounts_list()->len, 1);
    assert_int_equal(changed_events, 1);
}

static void test_state(void **state)
{
    Account *a = add("work");
    account_set_state(a, ACCOUNT_CONNECTING, "resolving");
    assert_int_equal(a->state, ACCOUNT_CONNECTING);
    assert_string_equal(a->state_reason, "resolving");
    account_set_state(a, ACCOUNT_OFFLINE, NULL);
    assert_null(a->state_reason);
    assert_string_equal(account_state_name(ACCOUNT_ONLINE), "online");
    assert_string_equal(account_state_name(ACCOUNT_DISCONNECTING),
                        "disconnecting");
}

static void test_find_by_jid(void **state)
{
    Account *a = add("work");
    Account *b = add("home");
    set_ok(a, "jid", "alice@work.example");
    set_ok(b, "jid", "alice@home.example/Res");
    assert_ptr_equal(account_find_by_jid("ALICE@work.example/phone"), a);
    assert_ptr_equal(account_find_by_jid("alice@home.example"), b);
    assert_null(account_find_by_jid("bob@work.example"));
    assert_null(account_find_by_jid("not a jid"));
    assert_null(account_find_by_jid(NULL));
}

static void test_save_mode_and_reload(void **state)
{
    Account *a = add("work");
    set_ok(a, "jid", "alice@example.org/Desk");
    /* Spaces at both ends, '=', '#', ';' and '\\' must survive the
     * key file's escaping. */
    set_ok(a, "password", "  pa ss=word#1;\\x ");
    set_ok(a, "eval_password", "pass show work");
    set_ok(a, "server", "xmpp.example.org");
    set_ok(a, "port", "5223");
    set_ok(a, "tls", "direct");
    set_ok(a, "resource", "desk");
    set_ok(a, "priority", "-5");
    set_ok(a, "enabled", "on");
    Account *b = add("home");
    set_ok(b, "jid", "bob@home.example");

    g_autoptr(GError) error = NULL;
    if (!accounts_save(&error))
        fail_msg("save failed: %s\n", error->message);
    GStatBuf st;
    assert_int_equal(g_stat(accounts_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    reload();
    assert_int_equal(accounts_list()->len, 2);
    a = account_find("work");
    assert_non_null(a);
    assert_string_equal(a->jid, "alice@example.org/Desk");
    assert_string_equal(a->password, "  pa ss=word#1;\\x ");
    assert_string_equal(a->eval_password, "pass show work");
    assert_string_equal(a->server, "xmpp.example.org");
    assert_int_equal(a->port, 5223);
    assert_int_equal(a->tls, TLS_DIRECT);
    assert_null(a->cafile);
    assert_string_equal(a->resource, "desk");
    assert_int_equal(a->priority, -5);
    assert_true(a->enabled);
    b = account_find("home");
    assert_non_null(b);
    assert_string_equal(b->jid, "bob@home.example");
    assert_null(b->password);
    assert_null(b->server);
    assert_int_equal(b->port, 0);
    assert_int_equal(b->tls, TLS_STARTTLS);
    assert_int_equal(b->priority, 0);
    assert_false(b->enabled);
    /* Sorted after loading too. */
    assert_string_equal(
        ((Account *)g_ptr_array_index(accounts_list(), 0))->name, "home");

    /* Saving what was loaded gives the same file. */
    g_autofree char *first = read_file(accounts_path);
    assert_true(accounts_save(&error));
    g_autofree char *second = read_file(accounts_path);
    assert_string_equal(first, second);
}

static void test_save_tightens_existing_mode(void **state)
{
    write_file(accounts_path, "[work]\njid=a@b\n");
    assert_int_equal(g_chmod(accounts_path, 0644), 0);
    reload();
    set_ok(account_find("work"), "password", "secret");
    g_autoptr(GError) error = NULL;
    assert_true(accounts_save(&error));
    GStatBuf st;
    assert_int_equal(g_stat(accounts_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_save_creates_config_dir(void **state)
{
    g_autofree char *sub = g_build_filename(tmpdir, "deeper", "natter", NULL);
    paths_init(sub, sub);
    Account *a = add("work");
    set_ok(a, "jid", "a@b");
    g_autoptr(GError) error = NULL;
    assert_true(accounts_save(&error));
    g_autofree char *path = g_build_filename(sub, "accounts", NULL);
    assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
    GStatBuf st;
    assert_int_equal(g_stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
}

static void test_cleared_values_leave_the_file(void **state)
{
    Account *a = add("work");
    set_ok(a, "jid", "a@b");
    set_ok(a, "password", "secret");
    set_ok(a, "port", "5300");
    g_autoptr(GError) error = NULL;
    assert_true(accounts_save(&error));
    g_autofree char *before = read_file(accounts_path);
    assert_non_null(strstr(before, "password=secret"));
    assert_non_null(strstr(before, "port=5300"));

    assert_true(account_clear(a, "password", &error));
    assert_true(account_clear(a, "port", &error));
    assert_true(accounts_save(&error));
    g_autofree char *after = read_file(accounts_path);
    assert_null(strstr(after, "password"));
    assert_null(strstr(after, "port"));
    assert_non_null(strstr(after, "jid=a@b"));
}

static void test_removed_account_leaves_the_file(void **state)
{
    write_file(accounts_path, "[one]\njid=a@b\n\n[two]\njid=c@d\n");
    reload();
    g_autoptr(GError) error = NULL;
    assert_true(account_remove("one", &error));
    assert_true(accounts_save(&error));
    reload();
    assert_int_equal(accounts_list()->len, 1);
    assert_non_null(account_find("two"));
    g_autofree char *text = read_file(accounts_path);
    assert_null(strstr(text, "[one]"));
}

static void test_unknown_keys_and_comments_survive(void **state)
{
    write_file(accounts_path, "# my accounts, hand-written\n"
                              "[work]\n"
                              "# the office server\n"
                              "jid=alice@example.org\n"
                              "colour=blue\n"
                              "x-future-setting=42\n");
    reload();
    Account *a = account_find("work");
    assert_non_null(a);
    assert_string_equal(a->jid, "alice@example.org");
    set_ok(a, "port", "5300");
    g_autoptr(GError) error = NULL;
    assert_true(accounts_save(&error));

    g_autofree char *text = read_file(accounts_path);
    assert_non_null(strstr(text, "# my accounts, hand-written"));
    assert_non_null(strstr(text, "# the office server"));
    assert_non_null(strstr(text, "colour=blue"));
    assert_non_null(strstr(text, "x-future-setting=42"));
    assert_non_null(strstr(text, "port=5300"));
    reload();
    assert_int_equal(account_find("work")->port, 5300);
}

/* A file that does not load is reported, and never overwritten. */
static void check_broken_file(const char *content, const char *why)
{
    write_file(accounts_path, content);
    accounts_shutdown();
    g_autoptr(GError) error = NULL;
    assert_false(accounts_init(&error));
    assert_non_null(error);
    if (!strstr(error->message, why))
        fail_msg("error '%s' does not mention '%s'\n", error->message, why);
    assert_non_null(strstr(error->message, "left as it is"));
    /* Nothing of a broken file is half-loaded. */
    assert_int_equal(accounts_list()->len, 0);

    /* Changes are possible in memory, but saving is refused. */
    Account *a = add("new");
    set_ok(a, "jid", "new@example.org");
    g_clear_error(&error);
    assert_false(accounts_save(&error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_STATE));
    assert_non_null(strstr(error->message, "not saving"));
    g_autofree char *after = read_file(accounts_path);
    assert_string_equal(after, content);
}

static void test_broken_syntax(void **state)
{
    check_broken_file("[work\njid=a@b\n", "accounts");
}

static void test_broken_value(void **state)
{
    check_broken_file("[work]\njid=a@b\nport=lots\n",
                      "account [work], port: 'lots' is not a number");
}

static void test_broken_jid(void **state)
{
    check_broken_file("[ok]\njid=x@y\n[work]\njid=not a jid@b\n",
                      "account [work], jid:");
}

static void test_broken_missing_jid(void **state)
{
    check_broken_file("[work]\nserver=example.org\n", "[work]: no jid");
}

static void test_broken_group_name(void **state)
{
    check_broken_file("[my work]\njid=a@b\n",
                      "'my work' is not a valid account name");
}

static void test_unreadable_file(void **state)
{
    /* A directory where the file should be cannot be read. */
    assert_int_equal(g_mkdir(accounts_path, 0700), 0);
    accounts_shutdown();
    g_autoptr(GError) error = NULL;
    assert_false(accounts_init(&error));
    assert_true(g_error_matches(error, NATTER_ERROR, NATTER_ERROR_IO));
    g_clear_error(&error);
    assert_false(accounts_save(&error));
    assert_true(g_file_test(accounts_path, G_FILE_TEST_IS_DIR));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty_start),
        T(test_add_find_sorted),
        T(test_add_duplicate),
        T(test_names_validated),
        T(test_set_jid),
        T(test_set_password_and_friends),
        T(test_set_port),
        T(test_set_tls),
        T(test_set_cafile),
        T(test_set_resource_priority_enabled),
        T(test_unknown_setting),
        T(test_fields_table),
        T(test_nick_and_status),
        T(test_remove),
        T(test_state),
        T(test_find_by_jid),
        T(test_save_mode_and_reload),
        T(test_save_tightens_existing_mode),
        T(test_save_creates_config_dir),
        T(test_cleared_values_leave_the_file),
        T(test_removed_account_leaves_the_file),
        T(test_unknown_keys_and_comments_survive),
        T(test_broken_syntax),
        T(test_broken_value),
        T(test_broken_jid),
        T(test_broken_missing_jid),
        T(test_broken_group_name),
        T(test_unreadable_file),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("account", tests, NULL, NULL));
}
