/* account.h: the user's accounts: their settings (saved in the accounts file,
 * mode 0600) and their connection state at run time. Several accounts can
 * be online at once; everything per account is keyed by Account.name. */
#pragma once

#include <glib.h>

#include "core/event.h"

typedef enum {
    TLS_STARTTLS, /* plain connect, then STARTTLS; refused without it */
    TLS_DIRECT,   /* TLS from the first byte (XEP-0368) */
    TLS_DISABLE,  /* no TLS at all: only when set explicitly, with a warning */
} TlsMode;

typedef enum {
    ACCOUNT_OFFLINE,
    ACCOUNT_CONNECTING,
    ACCOUNT_ONLINE,
    ACCOUNT_DISCONNECTING,
} AccountState;

struct Account {
    /* Saved settings; change them with account_set(). */
    char *name;
    char *jid;           /* the address to log in as */
    char *password;      /* NULL: ask when connecting */
    char *eval_password; /* a command whose first output line is the password */
    char *server;        /* host to connect to; NULL: the JID's domain */
    int port;            /* 0: the default for the TLS mode */
    TlsMode tls;
    char *cafile;   /* CA certificates to trust instead of the system's */
    char *resource; /* NULL: natter picks one */
    int priority;
    char *nick;       /* nickname in rooms; NULL: the JID's local part */
    char *status;     /* status message of our presence, or NULL */
    gboolean enabled; /* connect when natter starts */

    /* Run-time state; change it with account_set_state(). */
    AccountState state;
    char *state_reason; /* why the last state change happened, or NULL */

    /* What the rest of the program keeps for the account (its session,
     * history, roster, rooms, caps, questions...), by key: owned by the
     * account and freed with it, so nothing of a removed account can
     * outlive it. Use account_set_data(). */
    GData *data;
};

/* A setting of an account, as /account set and the man page know it. */
typedef struct {
    const char *key;
    const char *value_hint; /* "JID", "NUMBER", "starttls|direct|disable" */
    const char *help;
} AccountField;

/* The state a module keeps for ACCOUNT under KEY (a string literal, one
 * per module: "session", "history"...): DATA is freed with DESTROY when it
 * is replaced, when the account is removed, or at accounts_shutdown().
 * NULL DATA removes it. */
void account_set_data(Account *account, const char *key, gpointer data,
                      GDestroyNotify destroy);
gpointer account_get_data(const Account *account, const char *key);
/* The data of the account named NAME, or NULL (no such account, or no
 * data). */
gpointer account_data(const char *name, const char *key);
/* Frees KEY's data of every account (a module shutting down). */
void accounts_clear_data(const char *key);

/* Loads the accounts file. A file that cannot be read or parsed is left
 * untouched: the error says why, and saving is refused until it is fixed,
 * so nothing the user wrote is lost. */
gboolean accounts_init(GError **error);
void accounts_shutdown(void);

/* Writes the accounts file atomically with mode 0600. */
gboolean accounts_save(GError **error);

/* Sorted by name (borrowed). */
const GPtrArray *accounts_list(void);
Account *account_find(const char *name);
/* The account whose JID has the bare address of JID. */
Account *account_find_by_jid(const char *jid);

/* Names are what users type: letters, digits and . _ - @ only. */
Account *account_add(const char *name, GError **error);
/* Removes the account: EVENT_ACCOUNT_REMOVED first, then everything it
 * owns is freed. Only an offline account can be removed. */
gboolean account_remove(const char *name, GError **error);

/* The settings /account set understands, NULL-terminated by key. */
const AccountField *account_fields(void);
gboolean account_set(Account *account, const char *key, const char *value,
                     GError **error);
gboolean account_clear(Account *account, const char *key, GError **error);
/* The value of KEY for display ("(set)" for a password), or NULL when
 * unset. Caller frees. */
char *account_get_display(const Account *account, const char *key);

void account_set_state(Account *account, AccountState state,
                       const char *reason);
const char *account_state_name(AccountState state);

const char *tls_mode_name(TlsMode mode);
gboolean tls_mode_parse(const char *name, TlsMode *mode);

/* The port to use: the account's, or 5222 (STARTTLS) / 5223 (direct). */
int account_effective_port(const Account *account);
