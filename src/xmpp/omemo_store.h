/* omemo_store.h: one account's OMEMO state on disk, omemo.db (SQLite,
 * mode 0600) in the account's data directory: our identity key pair and
 * device id, prekeys, signed prekey, sessions, the identity keys of the
 * devices we met (with the user's trust), the device lists we know and
 * which conversations are encrypted. It also implements the stores
 * libomemo-c asks the application for. Internal to xmpp/. */
#pragma once

#include <glib.h>
#include <omemo/signal_protocol.h>

typedef struct OmemoStore OmemoStore;

/* What the user decided about a device's identity key. Stored as
 * integers. Blind trust before verification (the setting omemo_trust
 * blind, the default): a key never judged is trusted (OMEMO_TRUST_BLIND)
 * until the user distrusts it. With omemo_trust manual, a key first seen
 * is OMEMO_TRUST_PENDING: not encrypted to, its messages marked, until
 * the user trusts it. */
typedef enum {
    OMEMO_TRUST_BLIND = 0,
    OMEMO_TRUST_VERIFIED = 1,
    OMEMO_TRUST_DISTRUSTED = 2,
    OMEMO_TRUST_PENDING = 3,
} OmemoTrust;

/* Opens (creating) the store of ACCOUNT under DIR; NULL with ERROR. */
OmemoStore *omemo_store_open(const char *dir, GError **error);
void omemo_store_close(OmemoStore *store);

/* Batch mode on (ON) or off: while on, the store's reads and writes
 * join one transaction, which turning it off commits. The stanzas of one
 * read of the socket are one batch (feature_omemo's batch hook): a burst
 * of messages costs one commit instead of several each. */
void omemo_store_batch(OmemoStore *store, gboolean on);

/* A transaction around many writes (key generation). */
void omemo_store_begin(OmemoStore *store);
void omemo_store_commit(OmemoStore *store);

/* Sets the libomemo-c stores of CTX to read and write STORE. */
void omemo_store_attach(OmemoStore *store, signal_protocol_store_context *ctx);

/* Key/value blobs ("identity", "device_id", "spk_id", "next_prekey"). */
GBytes *omemo_store_get(OmemoStore *store, const char *key);
void omemo_store_put(OmemoStore *store, const char *key, const void *data,
                     gsize len);
guint32 omemo_store_get_u32(OmemoStore *store, const char *key, guint32 dflt);
void omemo_store_put_u32(OmemoStore *store, const char *key, guint32 value);

/* Prekey records (session_pre_key serialised), all of them, by id. */
GHashTable *omemo_store_prekeys(OmemoStore *store); /* guint id -> GBytes */
guint omemo_store_prekey_count(OmemoStore *store);
void omemo_store_put_prekey(OmemoStore *store, guint32 id, const void *rec,
                            gsize len);
GBytes *omemo_store_get_signed_prekey(OmemoStore *store, guint32 id);

/* OMEMO:2's device lists and sessions of JID are kept under this prefix
 * and JID (no bare JID begins with it: ':' is in neither a localpart nor
 * a domain), apart from OMEMO 0.3's of the same devices; identities and
 * trust are one per device, under JID. */
#define OMEMO_STORE_V2_PREFIX "2:"

/* The device list of JID as last published (active devices), and its
 * replacement; FETCHED: whether we ever had one. */
GArray *omemo_store_devices(OmemoStore *store, const char *jid,
                            gboolean *fetched); /* guint32 */
void omemo_store_set_devices(OmemoStore *store, const char *jid,
                             const GArray *devices);

/* The identity key (serialised, 33 bytes) of JID's DEVICE and its trust;
 * NULL when we never saw one. */
GBytes *omemo_store_identity(OmemoStore *store, const char *jid, guint32 device,
                             OmemoTrust *trust);
/* Sets the trust of JID's device whose key is KEY; FALSE when none. */
gboolean omemo_store_set_trust_by_key(OmemoStore *store, const char *jid,
                                      GBytes *key, OmemoTrust trust);
/* Every device of JID we have a key of: (device, key, trust). */
typedef struct {
    guint32 device;
    GBytes *key;
    OmemoTrust trust;
} OmemoIdentity;
GPtrArray *omemo_store_identities(OmemoStore *store, const char *jid);

gboolean omemo_store_has_session(OmemoStore *store, const char *jid,
                                 guint32 device);

/* Whether messages to JID are encrypted (/omemo on|off). */
gboolean omemo_store_chat_enabled(OmemoStore *store, const char *jid);
void omemo_store_set_chat_enabled(OmemoStore *store, const char *jid,
                                  gboolean on);
