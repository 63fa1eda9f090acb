/* account.c: see account.h. The loaded GKeyFile is kept and updated in
 * place, so comments and keys natter does not know survive a save. */
#include "core/account.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/paths.h"
#include "util/error.h"
#include "util/jid.h"

static GPtrArray *accounts; /* Account *, sorted by name */
static GKeyFile *keyfile;
static char *load_error; /* set when the file could not be loaded */

static const AccountField fields[] = {
    {"jid", "JID", "the address to log in as, e.g. alice@example.org"},
    {"password", "PASSWORD", "the password; unset means natter asks"},
    {"eval_password", "COMMAND",
     "a command (no shell) whose first output line is the password"},
    {"server", "HOST", "host to connect to instead of the JID's domain"},
    {"port", "NUMBER",
     "port to connect to (default 5222, 5223 for direct TLS)"},
    {"tls", "starttls|direct|disable",
     "how to secure the connection; disable is refused unless set here"},
    {"cafile", "FILE", "PEM file of CA certificates to trust for this account"},
    {"resource", "NAME", "resource to bind (default: natter-RANDOM)"},
    {"priority", "NUMBER", "presence priority, -128..127"},
    {"nick", "NICK", "nickname in rooms (default: the JID's local part)"},
    {"status", "TEXT", "status message sent with our presence when connecting"},
    {"enabled", "on|off", "connect when natter starts"},
    {NULL, NULL, NULL},
};

static const char *const tls_names[] = {
    [TLS_STARTTLS] = "starttls",
    [TLS_DIRECT] = "direct",
    [TLS_DISABLE] = "disable",
};

static const char *const state_names[] = {
    [ACCOUNT_OFFLINE] = "offline",
    [ACCOUNT_CONNECTING] = "connecting",
    [ACCOUNT_ONLINE] = "online",
    [ACCOUNT_DISCONNECTING] = "disconnecting",
};

const char *tls_mode_name(TlsMode mode)
{
    return tls_names[mode];
}

gboolean tls_mode_parse(const char *name, TlsMode *mode)
{
    for (guint i = 0; i < G_N_ELEMENTS(tls_names); i++) {
        if (g_strcmp0(name, tls_names[i]) == 0) {
            *mode = i;
            return TRUE;
        }
    }
    return FALSE;
}

const char *account_state_name(AccountState state)
{
    return state_names[state];
}

static void account_free(Account *a)
{
    g_datalist_clear(&a->data);
    g_free(a->name);
    g_free(a->jid);
    if (a->password)
        memset(a->password, 0, strlen(a->password));
    g_free(a->password);
    g_free(a->eval_password);
    g_free(a->server);
    g_free(a->cafile);
    g_free(a->resource);
    g_free(a->nick);
    g_free(a->status);
    g_free(a->state_reason);
    g_free(a);
}

static gint compare_names(gconstpointer pa, gconstpointer pb)
{
    const Account *a = *(Account *const *)pa;
    const Account *b = *(Account *const *)pb;
    return strcmp(a->name, b->name);
}

static gboolean valid_name(const char *name)
{
    if (!name || !*name || strlen(name) > 64)
        return FALSE;
    for (const char *p = name; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("._-@", *p))
            return FALSE;
    }
    return TRUE;
}

static gboolean parse_int(const char *value, int min, int max, int *out,
                          GError **error)
{
    gint64 n;
    if (!g_ascii_string_to_signed(value, 10, min, max, &n, NULL)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a number from %d to %d", value, min, max);
        return FALSE;
    }
    *out = (int)n;
    return TRUE;
}

static gboolean parse_bool(const char *value, gboolean *out, GError **error)
{
    static const char *const on[] = {"on", "true", "yes", "1"};
    static const char *const off[] = {"off", "false", "no", "0"};
    for (guint i = 0; i < G_N_ELEMENTS(on); i++) {
        if (g_ascii_strcasecmp(value, on[i]) == 0) {
            *out = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp(value, off[i]) == 0) {
            *out = FALSE;
            return TRUE;
        }
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "'%s' is not on or off", value);
    return FALSE;
}

static void replace(char **slot, const char *value)
{
    if (*slot)
        memset(*slot, 0, strlen(*slot)); /* passwords do not linger */
    g_free(*slot);
    *slot = g_strdup(value);
}

/* Sets KEY from VALUE (NULL clears it). Validation only; no saving. */
static gboolean apply(Account *a, const char *key, const char *value,
                      GError **error)
{
    if (strcmp(key, "jid") == 0) {
        if (!value) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "an account needs a JID");
            return FALSE;
        }
        g_autoptr(Jid) jid = jid_parse(value, error);
        if (!jid)
            return FALSE;
        if (!jid->local) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "'%s' has no user part (user@domain)", value);
            return FALSE;
        }
        replace(&a->jid, jid->full);
    } else if (strcmp(key, "password") == 0) {
        replace(&a->password, value);
    } else if (strcmp(key, "eval_password") == 0) {
        replace(&a->eval_password, value);
    } else if (strcmp(key, "server") == 0) {
        replace(&a->server, value);
    } else if (strcmp(key, "port") == 0) {
        int port = 0;
        if (value && !parse_int(value, 1, 65535, &port, error))
            return FALSE;
        a->port = port;
    } else if (strcmp(key, "tls") == 0) {
        TlsMode mode = TLS_STARTTLS;
        if (value && !tls_mode_parse(value, &mode)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "tls must be starttls, direct or disable, not '%s'",
                        value);
            return FALSE;
        }
        a->tls = mode;
    } else if (strcmp(key, "cafile") == 0) {
        if (value && !g_file_test(value, G_FILE_TEST_IS_REGULAR)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "cafile '%s' is not a readable file", value);
            return FALSE;
        }
        g_autofree char *abs =
            value ? g_canonicalize_filename(value, NULL) : NULL;
        replace(&a->cafile, abs);
    } else if (strcmp(key, "resource") == 0) {
        if (value && !*value) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "a resource cannot be empty");
            return FALSE;
        }
        replace(&a->resource, value);
    } else if (strcmp(key, "priority") == 0) {
        int prio = 0;
        if (value && !parse_int(value, -128, 127, &prio, error))
            return FALSE;
        a->priority = prio;
    } else if (strcmp(key, "nick") == 0) {
        g_autofree char *stripped = value ? g_strstrip(g_strdup(value)) : NULL;
        if (stripped && !*stripped) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "a nick cannot be empty");
            return FALSE;
        }
        replace(&a->nick, value);
    } else if (strcmp(key, "status") == 0) {
        replace(&a->status, value);
    } else if (strcmp(key, "enabled") == 0) {
        gboolean on = FALSE;
        if (value && !parse_bool(value, &on, error))
            return FALSE;
        a->enabled = on;
    } else {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "accounts have no setting '%s'", key);
        return FALSE;
    }
    return TRUE;
}

char *account_get_display(const Account *a, const char *key)
{
    if (strcmp(key, "jid") == 0)
        return g_strdup(a->jid);
    if (strcmp(key, "password") == 0)
        return a->password ? g_strdup("(set)") : NULL;
    if (strcmp(key, "eval_password") == 0)
        return g_strdup(a->eval_password);
    if (strcmp(key, "server") == 0)
        return g_strdup(a->server);
    if (strcmp(key, "port") == 0)
        return a->port ? g_strdup_printf("%d", a->port) : NULL;
    if (strcmp(key, "tls") == 0)
        return g_strdup(tls_mode_name(a->tls));
    if (strcmp(key, "cafile") == 0)
        return g_strdup(a->cafile);
    if (strcmp(key, "resource") == 0)
        return g_strdup(a->resource);
    if (strcmp(key, "priority") == 0)
        return g_strdup_printf("%d", a->priority);
    if (strcmp(key, "nick") == 0)
        return g_strdup(a->nick);
    if (strcmp(key, "status") == 0)
        return g_strdup(a->status);
    if (strcmp(key, "enabled") == 0)
        return g_strdup(a->enabled ? "on" : "off");
    return NULL;
}

/* The value to write to the file for KEY, or NULL to remove the key. */
static char *file_value(const Account *a, const char *key)
{
    if (strcmp(key, "password") == 0)
        return g_strdup(a->password);
    if (strcmp(key, "tls") == 0 && a->tls == TLS_STARTTLS)
        return NULL;
    if (strcmp(key, "priority") == 0 && a->priority == 0)
        return NULL;
    if (strcmp(key, "enabled") == 0)
        return a->enabled ? g_strdup("true") : NULL;
    return account_get_display(a, key);
}

static void report(GError **error, const char *name, const char *key,
                   GError *cause)
{
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "accounts file, account [%s], %s: %s", name, key,
                cause->message);
}

static gboolean load_group(const char *name, GError **error)
{
    if (!valid_name(name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "accounts file: '%s' is not a valid account name", name);
        return FALSE;
    }
    Account *a = g_new0(Account, 1);
    a->name = g_strdup(name);
    g_ptr_array_add(accounts, a);
    for (const AccountField *f = fields; f->key; f++) {
        g_autofree char *value =
            g_key_file_get_string(keyfile, name, f->key, NULL);
        if (!value)
            continue;
        g_autoptr(GError) cause = NULL;
        if (!apply(a, f->key, value, &cause)) {
            report(error, name, f->key, cause);
            return FALSE;
        }
    }
    if (!a->jid) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "accounts file, account [%s]: no jid", name);
        return FALSE;
    }
    return TRUE;
}

gboolean accounts_init(GError **error)
{
    accounts_shutdown();
    accounts = g_ptr_array_new_with_free_func((GDestroyNotify)account_free);
    keyfile = g_key_file_new();

    g_autofree char *path = paths_config_file("accounts");
    g_autoptr(GError) cause = NULL;
    if (!g_key_file_load_from_file(keyfile, path, G_KEY_FILE_KEEP_COMMENTS,
                                   &cause)) {
        if (g_error_matches(cause, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return TRUE;
        load_error = g_strdup_printf("%s: %s", path, cause->message);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "%s (the file is left as it is; fix it and restart)",
                    load_error);
        return FALSE;
    }

    gsize n = 0;
    g_auto(GStrv) groups = g_key_file_get_groups(keyfile, &n);
    for (gsize i = 0; i < n; i++) {
        if (!load_group(groups[i], &cause)) {
            load_error = g_strdup_printf("%s: %s", path, cause->message);
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s (the file is left as it is; fix it and restart)",
                        cause->message);
            g_ptr_array_set_size(accounts, 0);
            return FALSE;
        }
    }
    g_ptr_array_sort(accounts, compare_names);
    return TRUE;
}

void accounts_shutdown(void)
{
    g_clear_pointer(&accounts, g_ptr_array_unref);
    g_clear_pointer(&keyfile, g_key_file_unref);
    g_clear_pointer(&load_error, g_free);
}

gboolean accounts_save(GError **error)
{
    if (load_error) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "not saving accounts: the file could not be loaded (%s)",
                    load_error);
        return FALSE;
    }
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        for (const AccountField *f = fields; f->key; f++) {
            g_autofree char *value = file_value(a, f->key);
            if (value)
                g_key_file_set_string(keyfile, a->name, f->key, value);
            else
                g_key_file_remove_key(keyfile, a->name, f->key, NULL);
        }
    }

    g_autoptr(GError) cause = NULL;
    if (!paths_ensure(&cause)) {
        g_propagate_error(error, g_steal_pointer(&cause));
        return FALSE;
    }
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(keyfile, &len, NULL);
    g_autofree char *path = paths_config_file("accounts");
    /* Written to a temporary file created 0600, then renamed: the
     * passwords are never readable by others, not even briefly. */
    if (!g_file_set_contents_full(
            path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot save accounts: %s", cause->message);
        return FALSE;
    }
    return TRUE;
}

const GPtrArray *accounts_list(void)
{
    return accounts;
}

Account *account_find(const char *name)
{
    for (guint i = 0; name && accounts && i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        if (strcmp(a->name, name) == 0)
            return a;
    }
    return NULL;
}

Account *account_find_by_jid(const char *jid)
{
    for (guint i = 0; jid && accounts && i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        if (jid_bare_equal(a->jid, jid))
            return a;
    }
    return NULL;
}

Account *account_add(const char *name, GError **error)
{
    if (!valid_name(name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a valid account name (letters, digits and "
                    ". _ - @ only)",
                    name ? name : "");
        return NULL;
    }
    if (account_find(name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_EXISTS,
                    "there is already an account named '%s'", name);
        return NULL;
    }
    Account *a = g_new0(Account, 1);
    a->name = g_strdup(name);
    g_ptr_array_add(accounts, a);
    g_ptr_array_sort(accounts, compare_names);
    event_emit_account(EVENT_ACCOUNT_CHANGED, a);
    return a;
}

gboolean account_remove(const char *name, GError **error)
{
    Account *a = account_find(name);
    if (!a) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no account named '%s'", name);
        return FALSE;
    }
    if (a->state != ACCOUNT_OFFLINE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "account '%s' is %s; disconnect it first", name,
                    account_state_name(a->state));
        return FALSE;
    }
    /* Everyone lets go of it first; its own data goes with it. */
    event_emit_account(EVENT_ACCOUNT_REMOVED, a);
    g_key_file_remove_group(keyfile, name, NULL);
    g_ptr_array_remove(accounts, a);
    event_emit_account(EVENT_ACCOUNT_CHANGED, NULL);
    return TRUE;
}

void account_set_data(Account *a, const char *key, gpointer data,
                      GDestroyNotify destroy)
{
    g_datalist_set_data_full(&a->data, key, data, destroy);
}

gpointer account_get_data(const Account *a, const char *key)
{
    return g_datalist_get_data((GData **)&a->data, key);
}

gpointer account_data(const char *name, const char *key)
{
    Account *a = name ? account_find(name) : NULL;
    return a ? account_get_data(a, key) : NULL;
}

void accounts_clear_data(const char *key)
{
    for (guint i = 0; accounts && i < accounts->len; i++)
        g_datalist_remove_data(
            &((Account *)g_ptr_array_index(accounts, i))->data, key);
}

const AccountField *account_fields(void)
{
    return fields;
}

gboolean account_set(Account *account, const char *key, const char *value,
                     GError **error)
{
    if (!apply(account, key, value, error))
        return FALSE;
    event_emit_account(EVENT_ACCOUNT_CHANGED, account);
    return TRUE;
}

gboolean account_clear(Account *account, const char *key, GError **error)
{
    return account_set(account, key, NULL, error);
}

void account_set_state(Account *account, AccountState state, const char *reason)
{
    account->state = state;
    g_free(account->state_reason);
    account->state_reason = g_strdup(reason);
    event_emit_account(EVENT_ACCOUNT_STATE, account);
}

int account_effective_port(const Account *account)
{
    if (account->port)
        return account->port;
    return account->tls == TLS_DIRECT ? 5223 : 5222;
}
