/* omemo_internal.h: what the files of OMEMO (omemo.c: keys, PEP, the
 * encrypt stage; omemo2.c: what OMEMO:2 does differently; omemo_decrypt.c:
 * the decrypt stage; omemo_trust.c: the commands' side) share. Internal
 * to xmpp/. */
#pragma once

#include <omemo/signal_protocol.h>

#include "core/message.h"
#include "core/pipeline.h"
#include "core/sink.h"
#include "xmpp/omemo_store.h"
#include "xmpp/session_internal.h"

#define NS_OMEMO     "eu.siacs.conversations.axolotl"
#define NODE_DEVICES NS_OMEMO ".devicelist"
#define NODE_BUNDLES NS_OMEMO ".bundles:"
#define NS_EME       "urn:xmpp:eme:0"
#define PREKEYS      100
/* Stale: a device that has sent us nothing (not even the heartbeat a
 * live device sends every 53 messages, omemo_heartbeat.c) while we
 * encrypted this many messages to it. Its owner has probably lost or
 * wiped it; encrypting to it forever would hand every message to
 * whoever finds it. It counts again as soon as it writes. */
#define OMEMO_STALE_AFTER 100
/* The two versions, as libomemo-c's session versions. */
#define V03           3 /* the Signal wire format: OMEMO 0.3 */
#define V2            4 /* OMEMO:2 (XEP-0384 v0.8 and later) */
#define NS_OMEMO2     "urn:xmpp:omemo:2"
#define NODE2_DEVICES NS_OMEMO2 ":devices"
#define NODE2_BUNDLES NS_OMEMO2 ":bundles"
#define NS_SCE        "urn:xmpp:sce:1"
#define FALLBACK                                                               \
    "This message is encrypted with OMEMO, which your client does not seem "   \
    "to support."

typedef struct {
    char *account;
    OmemoStore *store;
    signal_context *ctx;
    signal_protocol_store_context *sctx;
    guint32 device_id;
} OmemoAccount;

/* The OMEMO state of ACCOUNT, opened (and created: identity, device id,
 * prekeys) on first use; NULL with ERROR. */
OmemoAccount *omemo_account(const char *account, GError **error);

/* Adds prekeys until there are 100; TRUE when it added (the bundle must
 * then be published again). */
gboolean omemo_refill_prekeys(OmemoAccount *a);
void omemo_publish_bundle(Session *s, OmemoAccount *a);
gboolean omemo_has_device(const GArray *devices, guint32 id);

/* Fetches PEER's device list and ours, and the bundles of the devices we
 * have no session with; then transmits M again (when not NULL) and says
 * what it found to OUT (when not NULL). */
void omemo_prepare(Session *s, OmemoAccount *a, const char *peer, Message *m,
                   Sink *out);

/* The same for several JIDS (bare JIDs, ours left out) at once: then M
 * goes through the send stages again (omemo_transmit_again), and DONE
 * (when not NULL) is called once with DATA. */
typedef void (*OmemoPreparedFunc)(Session *s, gpointer data);
void omemo_prepare_jids(Session *s, const GPtrArray *jids, Message *m,
                        OmemoPreparedFunc done, gpointer data);
/* Transmits M again, its keys fetched: the encrypt stage then encrypts
 * or refuses, and fetches no more. Nothing while offline (it stays
 * pending). */
void omemo_transmit_again(Session *s, Message *m);
/* Whether an encryption to PEER lacks a device list or a session. */
gboolean omemo_needs_fetch(Session *s, OmemoAccount *a, const char *peer);

/* OMEMO in rooms (omemo_muc.c): the encrypt stage's part for groupchat
 * messages (AGAIN: their keys were just fetched), the real JID of a
 * room message's sender, and what the room's changes mean for OMEMO. */
StageVerdict omemo_muc_encrypt_stage(PipelineItem *item, gboolean again);
char *omemo_muc_sender(Session *s, Message *m, xmpp_stanza_t *stanza);
/* The version a message to ROOM would go in now (the encrypt stage
 * decides again when it leaves). */
MessageSecurity omemo_muc_security(OmemoAccount *a, const char *room);
/* Our own reflected message (sent by this device, which has no key for
 * itself): its text as we typed it, or NULL. */
char *omemo_muc_sent_text(const Message *m);
void omemo_muc_init(void);
void omemo_muc_shutdown(void);

/* The name JID's sessions and device list of VERSION are kept under
 * (omemo_store.h). Caller frees. */
char *omemo_store_name(const char *jid, guint version);
/* V2 when PEER announces OMEMO:2 devices, V03 otherwise. */
guint omemo_peer_version(OmemoAccount *a, const char *peer);

/* <iq set><pubsub><publish node=NODE><item id=ID/>... with publish
 * options asking for open access (peers who are not our contacts must
 * read our keys) and, when MANY, as many items as the node takes (one
 * bundle per device); returns the iq and the item. */
xmpp_stanza_t *omemo_publish_iq(Session *s, const char *node, const char *id,
                                gboolean many, xmpp_stanza_t **item);
/* The iq callback of publishes: DATA names what ("device list",
 * "OMEMO:2 bundle", ...); a failure is said in the account's console. */
void omemo_on_published(Session *s, xmpp_stanza_t *result, gpointer data);
/* Adds <NAME>base64 of B</NAME> to PARENT. */
xmpp_stanza_t *omemo_add_base64(xmpp_stanza_t *parent, const char *name,
                                signal_buffer *b);

/* Builds a session of VERSION with the device of NAME (a store name)
 * from the parts of its bundle; NULL or why not (caller frees). */
char *omemo_session_from_bundle(OmemoAccount *a, const char *name,
                                guint32 device, guint version, guint32 pk_id,
                                ec_public_key *pk, guint32 spk_id,
                                ec_public_key *spk, const guint8 *sig,
                                gsize sig_len, ec_public_key *ik);

/* Encrypts KEYMAT for each device of JID (of VERSION, and not in EXCEPT
 * when not NULL) we have a trusted session with, adding <key rid/>s to
 * PARENT (prekey='true' or, for OMEMO:2, kex='true' on a key exchange);
 * OWN skips this device. Returns how many; what it skipped and why goes
 * to SKIPPED. A stale device (one that answered none of the last 100) is
 * left out while JID has a live one. */
guint omemo_encrypt_keys(OmemoAccount *a, const char *jid, gboolean own,
                         guint version, const GArray *except,
                         const guint8 *keymat, gsize keymat_len,
                         xmpp_stanza_t *parent, GString *skipped);
/* Puts ENC (and ENC03, when not NULL; both taken) into the message
 * STANZA of VERSION: the body becomes the fallback text, with the store
 * hint and the XEP-0380 encryption marker. */
void omemo_wrap(xmpp_stanza_t *stanza, xmpp_stanza_t *enc, xmpp_stanza_t *enc03,
                guint version);
/* <encrypted xmlns=NS><header sid=this device/></encrypted>, its header
 * in HEADER. */
xmpp_stanza_t *omemo_encrypted_new(Session *s, OmemoAccount *a, const char *ns,
                                   xmpp_stanza_t **header);
/* OMEMO 0.3's payload: BODY under a fresh AES-128-GCM key. KEYMAT gets
 * the key and the tag (what is encrypted to each device), IV the nonce;
 * returns the ciphertext (LEN bytes), NULL when the cipher failed. finish
 * then adds the <iv/> and the <payload/>. */
guint8 *omemo03_seal(const char *body, guint8 keymat[32], guint8 iv[12],
                     gsize *len);
void omemo03_finish(xmpp_stanza_t *enc, xmpp_stanza_t *header,
                    const guint8 iv[12], const guint8 *ct, gsize len);
/* Encrypts KEYMAT for device ID of JID alone, adding its <key rid/> to
 * PARENT; NULL (and why in SKIPPED) when the session cannot. */
xmpp_stanza_t *omemo_encrypt_key(OmemoAccount *a, const char *jid, guint32 id,
                                 guint version, const guint8 *keymat,
                                 gsize keymat_len, xmpp_stanza_t *parent,
                                 GString *skipped);

/* The OMEMO:2 <key/> for this device in ENC, or NULL. */
xmpp_stanza_t *omemo2_our_key(Session *s, OmemoAccount *a, xmpp_stanza_t *enc);

/* OMEMO:2 (omemo2.c): our bundle, a session from a
 * peer's <bundle/> (NULL or why not), the <encrypted/> of M (NULL when
 * no device of the peer could be encrypted to: THEIRS is then 0, or the
 * cipher failed) and the decryption of one (NULL, or why not; CONSUMED
 * when it carried nothing to show). */
void omemo2_publish_bundle(Session *s, OmemoAccount *a);

/* The sending device of an <encrypted/> (both versions: <header sid/>)
 * and its header; 0 when there is no valid one. */
guint32 omemo_header_sid(xmpp_stanza_t *enc, xmpp_stanza_t **header);
char *omemo2_build_session(OmemoAccount *a, const char *jid, guint32 device,
                           xmpp_stanza_t *bundle);
xmpp_stanza_t *omemo2_encrypt(Session *s, OmemoAccount *a, Message *m,
                              guint *theirs, GString *skipped);
/* The same for TEXT to the devices of N JIDS and ours (a room
 * message); THEIRS counts the keys to JIDS. */
xmpp_stanza_t *omemo2_encrypt_to(Session *s, OmemoAccount *a, const char *text,
                                 const char *const *jids, guint n,
                                 guint *theirs, GString *skipped);
char *omemo2_decrypt(Session *s, OmemoAccount *a, const char *jid,
                     xmpp_stanza_t *enc, Message *m, gboolean *consumed);

/* Decrypts the key material DATA (a key exchange when KEX) from device
 * SID of NAME (a store name) with a session of VERSION into OUT; NULL or
 * why not. A key exchange used one of our prekeys: they are refilled and
 * the bundles published again. */
char *omemo_decrypt_key(Session *s, OmemoAccount *a, const char *name,
                        guint32 sid, guint version, const guint8 *data,
                        gsize len, gboolean kex, signal_buffer **out);
/* The trust to mark a message from JID's DEVICE with. */
MessageTrust omemo_message_trust(OmemoAccount *a, const char *jid,
                                 guint32 device);

/* The IN stage (omemo_decrypt.c). */
StageVerdict omemo_decrypt_stage(PipelineItem *item, gpointer data);

/* Heartbeats (omemo_heartbeat.c): want says DEVICE of JID (a bare JID)
 * is owed an empty message of VERSION (it sent a key exchange, or its
 * counter reached 53); sent says a message to it left, so it is owed
 * nothing; flush sends what this account owes (at the end of a read of
 * the socket). */
void omemo_heartbeat_want(OmemoAccount *a, const char *jid, guint32 device,
                          guint version);
void omemo_heartbeat_sent(OmemoAccount *a, const char *jid, guint32 device,
                          guint version);
void omemo_heartbeat_flush(Session *s, OmemoAccount *a);
void omemo_heartbeat_shutdown(void);

/* omemo_policy automatic (omemo_policy.c): undecided says JID's chat is
 * left to it (no /omemo on or off, not a room); known, that JID's device
 * lists are fetched; decide turns OMEMO on for JID when it has devices
 * (or WROTE_ENCRYPTED) and says so in the chat; TRUE when it did. */
gboolean omemo_policy_undecided(OmemoAccount *a, const char *jid);
gboolean omemo_policy_known(OmemoAccount *a, const char *jid);
gboolean omemo_policy_decide(OmemoAccount *a, const char *jid,
                             gboolean wrote_encrypted);
