/* otr.c: the OTR state of each account (libotr's user state, our key,
 * the fingerprints and instance tags in the account's data directory),
 * key generation in a thread, and what the commands ask of OTR. */
#include "crypto/otr/otr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libotr/privkey.h>
#include <libotr/instag.h>
#include <libotr/context.h>

#include "core/account.h"
#include "core/conversation.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/settings.h"
#include "crypto/otr/otr_internal.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/inject.h"

static GHashTable *accounts; /* name -> OtrAccount */
static guint removed_subscription;

static void account_free(gpointer p)
{
    OtrAccount *oa = p;
    if (oa->timer)
        g_source_remove(oa->timer);
    /* A key still being made belongs to its thread, which holds the user
     * state: leave both to the end of the process. */
    if (!oa->generating)
        otrl_userstate_free(oa->us);
    g_hash_table_destroy(oa->start_after_key);
    g_hash_table_destroy(oa->wanted);
    g_hash_table_destroy(oa->smp_asked);
    g_free(oa->key_path);
    g_free(oa->fingerprint_path);
    g_free(oa->instag_path);
    g_free(oa->policy_path);
    g_hash_table_destroy(oa->policies);
    g_free(oa->account);
    g_free(oa);
}

/* FILE for writing PATH (and reading back: libotr checks the key file
 * it wrote) with mode 0600 whatever the umask, or NULL. */
static FILE *open_private(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    fchmod(fd, 0600);
    FILE *f = fdopen(fd, "w+");
    if (!f)
        close(fd);
    return f;
}

#define POLICY_GROUP "policies"

static gboolean policy_valid(const char *policy)
{
    return g_strcmp0(policy, "manual") == 0 ||
           g_strcmp0(policy, "opportunistic") == 0 ||
           g_strcmp0(policy, "always") == 0;
}

/* The contacts' own policies from otr.policies; a missing file is none,
 * a broken line is skipped. */
static void read_policies(OtrAccount *oa)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    if (!g_key_file_load_from_file(kf, oa->policy_path, G_KEY_FILE_NONE, NULL))
        return;
    g_auto(GStrv) keys = g_key_file_get_keys(kf, POLICY_GROUP, NULL, NULL);
    for (char **k = keys; k && *k; k++) {
        g_autofree char *value =
            g_key_file_get_string(kf, POLICY_GROUP, *k, NULL);
        if (policy_valid(value))
            g_hash_table_insert(oa->policies, g_strdup(*k),
                                g_steal_pointer(&value));
    }
}

static gboolean write_policies(OtrAccount *oa, GError **error)
{
    if (!oa->policy_path) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no data directory to keep the policy in");
        return FALSE;
    }
    g_autoptr(GKeyFile) kf = g_key_file_new();
    GHashTableIter it;
    gpointer jid, policy;
    g_hash_table_iter_init(&it, oa->policies);
    while (g_hash_table_iter_next(&it, &jid, &policy))
        g_key_file_set_string(kf, POLICY_GROUP, jid, policy);
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
    FILE *f = open_private(oa->policy_path);
    gboolean ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = FALSE;
    if (!ok)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "could not write %s",
                    oa->policy_path);
    return ok;
}

const char *otr_policy_of(const OtrAccount *oa, const char *peer)
{
    const char *own = peer ? g_hash_table_lookup(oa->policies, peer) : NULL;
    return own ? own : settings_get_string("otr_policy");
}

OtrAccount *otr_account(const char *account)
{
    if (!account || !accounts)
        return NULL;
    OtrAccount *oa = g_hash_table_lookup(accounts, account);
    if (oa || !account_find(account))
        return oa;
    oa = g_new0(OtrAccount, 1);
    oa->account = g_strdup(account);
    oa->us = otrl_userstate_create();
    oa->start_after_key =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    oa->wanted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    oa->smp_asked =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    oa->policies =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = paths_account_dir(account, &error);
    if (dir) {
        oa->key_path = g_build_filename(dir, "otr.private_key", NULL);
        oa->fingerprint_path = g_build_filename(dir, "otr.fingerprints", NULL);
        oa->instag_path = g_build_filename(dir, "otr.instance_tags", NULL);
        /* Missing files are normal (nothing made yet); libotr says so
         * with an error we need not show. */
        otrl_privkey_read(oa->us, oa->key_path);
        otrl_privkey_read_fingerprints(oa->us, oa->fingerprint_path, NULL,
                                       NULL);
        otrl_instag_read(oa->us, oa->instag_path);
        oa->policy_path = g_build_filename(dir, "otr.policies", NULL);
        read_policies(oa);
    } else {
        buffer_appendf(buffer_account_console(account), LINE_ERROR,
                       "OTR keeps nothing for %s: %s", account, error->message);
    }
    g_hash_table_insert(accounts, oa->account, oa);
    return oa;
}

Buffer *otr_buffer(const OtrAccount *oa, const char *peer)
{
    return conversation_open_kind(oa->account, BUFFER_CHAT, peer);
}

void otr_write_fingerprints(OtrAccount *oa)
{
    if (!oa->fingerprint_path)
        return;
    FILE *f = open_private(oa->fingerprint_path);
    if (!f || otrl_privkey_write_fingerprints_FILEp(oa->us, f))
        buffer_appendf(buffer_account_console(oa->account), LINE_ERROR,
                       "OTR could not save the fingerprints to %s",
                       oa->fingerprint_path);
    if (f)
        fclose(f);
}

void otr_make_instag(OtrAccount *oa)
{
    FILE *f = oa->instag_path ? open_private(oa->instag_path) : NULL;
    if (f) {
        otrl_instag_generate_FILEp(oa->us, f, oa->account, OTR_PROTOCOL);
        fclose(f);
    }
}

void otr_send_query(OtrAccount *oa, const char *peer)
{
    OtrlPolicy policy = OTRL_POLICY_MANUAL;
    char *query = otrl_proto_default_query_msg(oa->account, policy);
    g_autoptr(GError) error = NULL;
    if (!inject_message(oa->account, peer, query, NULL, NULL, &error))
        buffer_appendf(otr_buffer(oa, peer), LINE_ERROR,
                       "OTR could not ask %s: %s", peer, error->message);
    free(query);
}

/* ---- our key, made in a thread ---------------------------------------- */

typedef struct {
    char *account;
    void *newkey;
    gcry_error_t err;
} KeyJob;

static gboolean keygen_done(gpointer data);

/* The thread: only libotr's calculation, on the key nobody else touches
 * meanwhile; the result goes back to the main loop. */
static gpointer keygen_thread(gpointer data)
{
    KeyJob *job = data;
    job->err = otrl_privkey_generate_calculate(job->newkey);
    g_idle_add(keygen_done, job);
    return NULL;
}

static gboolean keygen_done(gpointer data)
{
    KeyJob *job = data;
    gcry_error_t err = job->err;
    OtrAccount *oa =
        accounts ? g_hash_table_lookup(accounts, job->account) : NULL;
    if (!oa || !oa->generating) {
        /* The account went away meanwhile: nothing to keep the key for. */
        g_free(job->account);
        g_free(job);
        return G_SOURCE_REMOVE;
    }
    oa->generating = FALSE;
    Buffer *console = buffer_account_console(oa->account);
    FILE *f = !err && oa->key_path ? open_private(oa->key_path) : NULL;
    if (f)
        err = otrl_privkey_generate_finish_FILEp(oa->us, job->newkey, f);
    else
        otrl_privkey_generate_cancelled(oa->us, job->newkey);
    if (f)
        fclose(f);
    if (!f || err) {
        buffer_appendf(console, LINE_ERROR,
                       "OTR: making the key of %s failed: %s", oa->account,
                       err ? gcry_strerror(err) : "no data directory");
        g_hash_table_remove_all(oa->start_after_key);
    } else {
        char fp[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
        otrl_privkey_fingerprint(oa->us, fp, oa->account, OTR_PROTOCOL);
        buffer_appendf(console, LINE_INFO, "OTR key of %s made: %s",
                       oa->account, fp);
        GHashTableIter it;
        gpointer peer;
        g_hash_table_iter_init(&it, oa->start_after_key);
        while (g_hash_table_iter_next(&it, &peer, NULL))
            otr_send_query(oa, peer);
        g_hash_table_remove_all(oa->start_after_key);
    }
    g_free(job->account);
    g_free(job);
    return G_SOURCE_REMOVE;
}

void otr_generate_key(OtrAccount *oa)
{
    if (oa->generating)
        return;
    if (!oa->key_path) {
        buffer_appendf(buffer_account_console(oa->account), LINE_ERROR,
                       "OTR cannot make a key for %s: no data directory",
                       oa->account);
        return;
    }
    KeyJob *job = g_new0(KeyJob, 1);
    if (otrl_privkey_generate_start(oa->us, oa->account, OTR_PROTOCOL,
                                    &job->newkey)) {
        g_free(job);
        return;
    }
    job->account = g_strdup(oa->account);
    oa->generating = TRUE;
    buffer_appendf(buffer_account_console(oa->account), LINE_INFO,
                   "OTR: making the private key of %s (this takes a few "
                   "seconds)...",
                   oa->account);
    g_thread_unref(g_thread_new("otr-keygen", keygen_thread, job));
}

/* ---- what the commands ask --------------------------------------------- */

/* The state of ACCOUNT, or NULL with ERROR set. */
static OtrAccount *need_account(const char *account, GError **error)
{
    OtrAccount *oa = otr_account(account);
    if (!oa)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no account named '%s'", account ? account : "");
    return oa;
}

/* PEER as a bare JID (caller frees), or NULL with ERROR set. */
static char *bare_peer(const char *peer, GError **error)
{
    g_autoptr(Jid) jid = jid_parse(peer, error);
    return jid ? g_strdup(jid->bare) : NULL;
}

/* The context of the session with PEER now (the best instance), or NULL. */
static ConnContext *context_of(OtrAccount *oa, const char *peer)
{
    return otrl_context_find(oa->us, peer, oa->account, OTR_PROTOCOL,
                             OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
}

/* The private session with PEER, or NULL with ERROR set. */
static ConnContext *private_context(OtrAccount *oa, const char *peer,
                                    GError **error)
{
    ConnContext *c = context_of(oa, peer);
    if (!c || c->msgstate != OTRL_MSGSTATE_ENCRYPTED) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no private OTR session with %s (/otr start)", peer);
        return NULL;
    }
    return c;
}

gboolean otr_start(const char *account, const char *jid, GError **error)
{
    OtrAccount *oa = need_account(account, error);
    g_autofree char *peer = oa ? bare_peer(jid, error) : NULL;
    if (!peer)
        return FALSE;
    g_hash_table_add(oa->wanted, g_strdup(peer));
    ConnContext *c = context_of(oa, peer);
    if (c && c->msgstate == OTRL_MSGSTATE_ENCRYPTED) {
        buffer_appendf(otr_buffer(oa, peer), LINE_INFO,
                       "The conversation with %s is already private (OTR).",
                       peer);
        return TRUE;
    }
    Buffer *b = otr_buffer(oa, peer);
    if (!otrl_privkey_find(oa->us, account, OTR_PROTOCOL)) {
        g_hash_table_add(oa->start_after_key, g_strdup(peer));
        otr_generate_key(oa);
        buffer_appendf(b, LINE_INFO,
                       "OTR: %s will be asked once your key is made; "
                       "nothing is sent to %s in the clear until /otr end.",
                       peer, peer);
        return TRUE;
    }
    buffer_appendf(b, LINE_INFO,
                   "OTR: asking %s for a private session; nothing is sent "
                   "to %s in the clear until /otr end.",
                   peer, peer);
    otr_send_query(oa, peer);
    return TRUE;
}

gboolean otr_end(const char *account, const char *jid, GError **error)
{
    OtrAccount *oa = need_account(account, error);
    g_autofree char *peer = oa ? bare_peer(jid, error) : NULL;
    if (!peer)
        return FALSE;
    gboolean wanted = g_hash_table_remove(oa->wanted, peer);
    g_hash_table_remove(oa->start_after_key, peer);
    g_hash_table_remove(oa->smp_asked, peer);
    ConnContext *c = context_of(oa, peer);
    if (!wanted && (!c || c->msgstate == OTRL_MSGSTATE_PLAINTEXT)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no OTR session with %s", peer);
        return FALSE;
    }
    oa->current_peer = peer;
    otrl_message_disconnect_all_instances(oa->us, &otr_ops, oa, account,
                                          OTR_PROTOCOL, peer);
    oa->current_peer = NULL;
    Buffer *b = otr_buffer(oa, peer);
    buffer_appendf(b, LINE_INFO,
                   "OTR session with %s ended: messages go in the clear.",
                   peer);
    event_emit_buffer(EVENT_BUFFER_CHANGED, b);
    return TRUE;
}

char *otr_own_fingerprint(const char *account)
{
    OtrAccount *oa = otr_account(account);
    char fp[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    if (!oa || !otrl_privkey_fingerprint(oa->us, fp, account, OTR_PROTOCOL))
        return NULL;
    return g_strdup(fp);
}

GPtrArray *otr_peer_fingerprints(const char *account, const char *jid)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    OtrAccount *oa = otr_account(account);
    g_autofree char *peer = oa ? bare_peer(jid, NULL) : NULL;
    if (!peer)
        return out;
    ConnContext *master =
        otrl_context_find(oa->us, peer, account, OTR_PROTOCOL,
                          OTRL_INSTAG_MASTER, 0, NULL, NULL, NULL);
    ConnContext *now = context_of(oa, peer);
    for (Fingerprint *f = master ? master->fingerprint_root.next : NULL; f;
         f = f->next) {
        char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
        otrl_privkey_hash_to_human(human, f->fingerprint);
        gboolean used = now && now->msgstate == OTRL_MSGSTATE_ENCRYPTED &&
                        now->active_fingerprint == f;
        g_ptr_array_add(out,
                        g_strdup_printf("%s (%s%s)", human,
                                        otrl_context_is_fingerprint_trusted(f)
                                            ? "verified"
                                            : "not verified",
                                        used ? ", in use" : ""));
    }
    return out;
}

gboolean otr_trust(const char *account, const char *jid, gboolean trust,
                   GError **error)
{
    OtrAccount *oa = need_account(account, error);
    g_autofree char *peer = oa ? bare_peer(jid, error) : NULL;
    ConnContext *c = peer ? private_context(oa, peer, error) : NULL;
    if (!c)
        return FALSE;
    otrl_context_set_trust(c->active_fingerprint, trust ? "verified" : "");
    otr_write_fingerprints(oa);
    char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    otrl_privkey_hash_to_human(human, c->active_fingerprint->fingerprint);
    Buffer *b = otr_buffer(oa, peer);
    buffer_appendf(b, LINE_INFO, "OTR: the fingerprint of %s, %s, is %s.", peer,
                   human, trust ? "verified" : "no longer verified");
    event_emit_buffer(EVENT_BUFFER_CHANGED, b);
    return TRUE;
}

gboolean otr_smp(const char *account, const char *jid, const char *question,
                 const char *secret, GError **error)
{
    OtrAccount *oa = need_account(account, error);
    g_autofree char *peer = oa ? bare_peer(jid, error) : NULL;
    ConnContext *c = peer ? private_context(oa, peer, error) : NULL;
    if (!c)
        return FALSE;
    if (!secret || !*secret) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "the secret is empty");
        return FALSE;
    }
    Buffer *b = otr_buffer(oa, peer);
    oa->current_peer = peer;
    if (!question && g_hash_table_remove(oa->smp_asked, peer)) {
        otrl_message_respond_smp(oa->us, &otr_ops, oa, c,
                                 (const unsigned char *)secret, strlen(secret));
        buffer_appendf(b, LINE_INFO, "OTR: answer sent; checking it with %s...",
                       peer);
    } else if (question) {
        otrl_message_initiate_smp_q(oa->us, &otr_ops, oa, c, question,
                                    (const unsigned char *)secret,
                                    strlen(secret));
        buffer_appendf(b, LINE_INFO,
                       "OTR: asked %s the question; waiting for the answer...",
                       peer);
    } else {
        otrl_message_initiate_smp(oa->us, &otr_ops, oa, c,
                                  (const unsigned char *)secret,
                                  strlen(secret));
        buffer_appendf(b, LINE_INFO,
                       "OTR: asked %s for the shared secret; waiting...", peer);
    }
    oa->current_peer = NULL;
    return TRUE;
}

const char *otr_policy(const char *account, const char *jid, gboolean *own)
{
    OtrAccount *oa = otr_account(account);
    g_autofree char *peer = oa ? bare_peer(jid, NULL) : NULL;
    if (own)
        *own = peer && g_hash_table_contains(oa->policies, peer);
    return oa ? otr_policy_of(oa, peer) : settings_get_string("otr_policy");
}

gboolean otr_set_policy(const char *account, const char *jid,
                        const char *policy, GError **error)
{
    OtrAccount *oa = need_account(account, error);
    g_autofree char *peer = oa ? bare_peer(jid, error) : NULL;
    if (!peer)
        return FALSE;
    if (policy && !policy_valid(policy)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a policy: manual, opportunistic, always "
                    "or default",
                    policy);
        return FALSE;
    }
    if (policy)
        g_hash_table_insert(oa->policies, g_strdup(peer), g_strdup(policy));
    else
        g_hash_table_remove(oa->policies, peer);
    return write_policies(oa, error);
}

const char *otr_status(const char *account, const char *peer)
{
    OtrAccount *oa = accounts && account && peer
                         ? g_hash_table_lookup(accounts, account)
                         : NULL;
    ConnContext *c = oa ? context_of(oa, peer) : NULL;
    if (!c)
        return NULL;
    switch (c->msgstate) {
    case OTRL_MSGSTATE_ENCRYPTED:
        return otrl_context_is_fingerprint_trusted(c->active_fingerprint)
                   ? "OTR verified"
                   : "OTR";
    case OTRL_MSGSTATE_FINISHED:
        return "OTR ended";
    default:
        return NULL;
    }
}

/* ---- lifetime --------------------------------------------------------- */

static EventResult on_account_removed(Account *account, gpointer data)
{
    g_hash_table_remove(accounts, account->name);
    return EVENT_CONTINUE;
}

void otr_init(void)
{
    OTRL_INIT;
    accounts =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, account_free);
    removed_subscription =
        event_on_account(EVENT_ACCOUNT_REMOVED, EVENT_PRIORITY_DEFAULT,
                         on_account_removed, NULL);
    otr_stages_init();
}

void otr_shutdown(void)
{
    otr_stages_shutdown();
    g_clear_handle_id(&removed_subscription, event_unsubscribe);
    g_clear_pointer(&accounts, g_hash_table_destroy);
}
