/* omemo.c: OMEMO for one-to-one chats (omemo.h), 0.3 and OMEMO:2 side
 * by side: each account's libomemo-c context over its store
 * (omemo_store.h), our identity, device id and bundles, published through
 * PEP at login, the device lists of our contacts in both versions (PEP
 * notifications and fetches), sessions built from their bundles, and the
 * encrypt stage (SEND), which speaks OMEMO:2 to a contact who announces
 * it and 0.3 otherwise. What OMEMO:2 does differently is in omemo2.c; the
 * decrypt stage (IN) is in omemo_decrypt.c, what the commands see in
 * omemo_trust.c.
 *
 * The encrypt stage cannot wait for the network: when a message is about
 * to leave for a contact whose devices or sessions we do not have yet, it
 * takes the message (consumed), fetches what is missing and transmits it
 * again; the second pass encrypts with what there is or refuses. */
#include "xmpp/omemo.h"

#include <omemo/curve.h>
#include <omemo/key_helper.h>
#include <omemo/protocol.h>
#include <omemo/ratchet.h>
#include <omemo/session_builder.h>
#include <omemo/session_cipher.h>
#include <omemo/session_pre_key.h>
#include <string.h>

#include "core/account.h"
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/pipeline.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/feature.h"
#include "xmpp/iq.h"
#include "xmpp/message_internal.h"
#include "xmpp/ns.h"
#include "xmpp/omemo_crypto.h"
#include "xmpp/omemo_internal.h"
#include "xmpp/omemo_store.h"
#include "xmpp/pep.h"
#include "xmpp/request.h"
#include "xmpp/stanza.h"

static GHashTable *accounts; /* name -> OmemoAccount */
/* Messages whose devices and sessions were just fetched: their next pass
 * through the encrypt stage encrypts or refuses, never fetches again. */
static GHashTable *prepared; /* Message * (a reference) */
static guint stages[3];

static void omemo_account_free(gpointer p)
{
    OmemoAccount *a = p;
    if (a->sctx)
        signal_protocol_store_context_destroy(a->sctx);
    if (a->ctx)
        signal_context_destroy(a->ctx);
    omemo_store_close(a->store);
    g_free(a->account);
    g_free(a);
}

/* Adds prekeys until there are PREKEYS of them; TRUE when it added. */
static gboolean refill(OmemoAccount *a)
{
    guint have = omemo_store_prekey_count(a->store);
    if (have >= PREKEYS)
        return FALSE;
    guint32 next = omemo_store_get_u32(a->store, "next_prekey", 1);
    signal_protocol_key_helper_pre_key_list_node *head = NULL;
    if (signal_protocol_key_helper_generate_pre_keys(&head, next,
                                                     PREKEYS - have, a->ctx))
        return FALSE;
    for (signal_protocol_key_helper_pre_key_list_node *n = head; n;
         n = signal_protocol_key_helper_key_list_next(n))
        signal_protocol_pre_key_store_key(
            a->sctx, signal_protocol_key_helper_key_list_element(n));
    signal_protocol_key_helper_key_list_free(head);
    /* Ids stay below 2^24 as the libraries expect; wrap around. */
    next = (next + PREKEYS - have) % 0xFFFFFE + 1;
    omemo_store_put_u32(a->store, "next_prekey", next);
    return TRUE;
}

gboolean omemo_refill_prekeys(OmemoAccount *a)
{
    omemo_store_begin(a->store);
    gboolean added = refill(a);
    omemo_store_commit(a->store);
    return added;
}

static gboolean generate(OmemoAccount *a, GError **error);

/* A new identity: key pair, device id, signed prekey and prekeys. */
static gboolean generate_identity(OmemoAccount *a, GError **error)
{
    omemo_store_begin(a->store);
    gboolean ok = generate(a, error);
    omemo_store_commit(a->store);
    return ok;
}

static gboolean generate(OmemoAccount *a, GError **error)
{
    ratchet_identity_key_pair *kp = NULL;
    if (signal_protocol_key_helper_generate_identity_key_pair(&kp, a->ctx)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot generate an OMEMO identity key");
        return FALSE;
    }
    signal_buffer *pub = NULL, *priv = NULL;
    ec_public_key_serialize(&pub, ratchet_identity_key_pair_get_public(kp));
    ec_private_key_serialize(&priv, ratchet_identity_key_pair_get_private(kp));
    omemo_store_put(a->store, "identity_public", signal_buffer_data(pub),
                    signal_buffer_len(pub));
    omemo_store_put(a->store, "identity_private", signal_buffer_data(priv),
                    signal_buffer_len(priv));
    signal_buffer_free(pub);
    signal_buffer_bzero_free(priv);
    session_signed_pre_key *spk = NULL;
    if (signal_protocol_key_helper_generate_signed_pre_key(
            &spk, kp, 1, (guint64)(g_get_real_time() / 1000), a->ctx) == 0) {
        signal_protocol_signed_pre_key_store_key(a->sctx, spk);
        SIGNAL_UNREF(spk);
    }
    omemo_store_put_u32(a->store, "spk_id", 1);
    SIGNAL_UNREF(kp);
    guint32 id = 0;
    while (id == 0) {
        omemo_crypto_random((guint8 *)&id, sizeof id);
        id &= 0x7FFFFFFF;
    }
    /* The device id last: its presence says the identity is complete. */
    refill(a);
    omemo_store_put_u32(a->store, "device_id", id);
    return TRUE;
}

/* The OMEMO state of ACCOUNT, opened (and created) on first use. */
OmemoAccount *omemo_account(const char *account, GError **error)
{
    OmemoAccount *a = g_hash_table_lookup(accounts, account);
    if (a)
        return a;
    g_autofree char *dir = paths_account_dir(account, error);
    if (!dir)
        return NULL;
    OmemoStore *store = omemo_store_open(dir, error);
    if (!store)
        return NULL;
    a = g_new0(OmemoAccount, 1);
    a->account = g_strdup(account);
    a->store = store;
    if (signal_context_create(&a->ctx, a) ||
        signal_context_set_crypto_provider(a->ctx, omemo_crypto_provider()) ||
        signal_protocol_store_context_create(&a->sctx, a->ctx)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot set up OMEMO");
        omemo_account_free(a);
        return NULL;
    }
    omemo_store_attach(store, a->sctx);
    a->device_id = omemo_store_get_u32(store, "device_id", 0);
    if (!a->device_id) {
        if (!generate_identity(a, error)) {
            omemo_account_free(a);
            return NULL;
        }
        a->device_id = omemo_store_get_u32(store, "device_id", 0);
    }
    g_hash_table_insert(accounts, a->account, a);
    return a;
}

/* ---- publishing -----------------------------------------------------------
 */

static void add_field(xmpp_stanza_t *form, const char *var, const char *value)
{
    xmpp_stanza_t *field = stanza_add_child_ns(form, "field", NULL);
    xmpp_stanza_set_attribute(field, "var", var);
    if (strcmp(var, "FORM_TYPE") == 0)
        xmpp_stanza_set_attribute(field, "type", "hidden");
    stanza_add_text_child(field, "value", value);
}

xmpp_stanza_t *omemo_publish_iq(Session *s, const char *node, const char *id,
                                gboolean many, xmpp_stanza_t **item)
{
    xmpp_stanza_t *pubsub = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *publish = stanza_add_child_ns(pubsub, "publish", NULL);
    xmpp_stanza_set_attribute(publish, "node", node);
    *item = stanza_add_child_ns(publish, "item", NULL);
    xmpp_stanza_set_id(*item, id);
    xmpp_stanza_t *options =
        stanza_add_child_ns(pubsub, "publish-options", NULL);
    xmpp_stanza_t *form = stanza_add_child_ns(options, "x", NS_DATA);
    xmpp_stanza_set_type(form, "submit");
    add_field(form, "FORM_TYPE",
              "http://jabber.org/protocol/pubsub#publish-options");
    add_field(form, "pubsub#persist_items", "true");
    add_field(form, "pubsub#access_model", "open");
    if (many)
        add_field(form, "pubsub#max_items", "max");
    return iq;
}

void omemo_on_published(Session *s, xmpp_stanza_t *result, gpointer data)
{
    gboolean v2 = g_str_has_prefix(data, "OMEMO:2 ");
    if (result && iq_is_result(result) &&
        g_str_has_suffix(data, "device list")) {
        OmemoAccount *a = g_hash_table_lookup(accounts, s->account);
        if (a)
            buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                           "%s: this device (%u) is in our device list",
                           v2 ? "OMEMO:2" : "OMEMO", (guint)a->device_id);
    }
    if (!result || iq_is_result(result))
        return;
    g_autofree char *why = stanza_error_describe(result);
    buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                   "OMEMO: publishing our %s failed: %s", (char *)data, why);
}

xmpp_stanza_t *omemo_add_base64(xmpp_stanza_t *parent, const char *name,
                                signal_buffer *b)
{
    g_autofree char *text =
        g_base64_encode(signal_buffer_data(b), signal_buffer_len(b));
    return stanza_add_text_child(parent, name, text);
}

/* Our OMEMO 0.3 bundle: one node per device. */
static void publish_bundle(Session *s, OmemoAccount *a)
{
    g_autofree char *node =
        g_strdup_printf(NODE_BUNDLES "%u", (guint)a->device_id);
    xmpp_stanza_t *item = NULL;
    xmpp_stanza_t *iq = omemo_publish_iq(s, node, "current", FALSE, &item);
    xmpp_stanza_t *bundle = stanza_add_child_ns(item, "bundle", NS_OMEMO);

    guint32 spk_id = omemo_store_get_u32(a->store, "spk_id", 1);
    session_signed_pre_key *spk = NULL;
    if (signal_protocol_signed_pre_key_load_key(a->sctx, &spk, spk_id) == 0) {
        signal_buffer *b = NULL;
        ec_public_key_serialize(
            &b,
            ec_key_pair_get_public(session_signed_pre_key_get_key_pair(spk)));
        omemo_add_base64(bundle, "signedPreKeyPublic", b);
        signal_buffer_free(b);
        xmpp_stanza_t *c =
            xmpp_stanza_get_child_by_name(bundle, "signedPreKeyPublic");
        g_autofree char *sid = g_strdup_printf("%u", (guint)spk_id);
        xmpp_stanza_set_attribute(c, "signedPreKeyId", sid);
        b = signal_buffer_create(session_signed_pre_key_get_signature(spk),
                                 session_signed_pre_key_get_signature_len(spk));
        omemo_add_base64(bundle, "signedPreKeySignature", b);
        signal_buffer_free(b);
        SIGNAL_UNREF(spk);
    }
    g_autoptr(GBytes) ik = omemo_store_get(a->store, "identity_public");
    gsize len = 0;
    const guint8 *d = g_bytes_get_data(ik, &len);
    g_autofree char *ik64 = g_base64_encode(d, len);
    stanza_add_text_child(bundle, "identityKey", ik64);

    xmpp_stanza_t *prekeys = stanza_add_child_ns(bundle, "prekeys", NULL);
    g_autoptr(GHashTable) all = omemo_store_prekeys(a->store);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, all);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        session_pre_key *pk = NULL;
        d = g_bytes_get_data(value, &len);
        if (session_pre_key_deserialize(&pk, d, len, a->ctx))
            continue;
        signal_buffer *b = NULL;
        ec_public_key_serialize(
            &b, ec_key_pair_get_public(session_pre_key_get_key_pair(pk)));
        g_autofree char *text =
            g_base64_encode(signal_buffer_data(b), signal_buffer_len(b));
        xmpp_stanza_t *c = stanza_add_text_child(prekeys, "preKeyPublic", text);
        g_autofree char *id = g_strdup_printf("%u", GPOINTER_TO_UINT(key));
        xmpp_stanza_set_attribute(c, "preKeyId", id);
        signal_buffer_free(b);
        SIGNAL_UNREF(pk);
    }
    iq_send(s, iq, omemo_on_published, "bundle", NULL);
    xmpp_stanza_release(iq);
}

/* Both bundles: they share the identity and the prekeys. */
void omemo_publish_bundle(Session *s, OmemoAccount *a)
{
    publish_bundle(s, a);
    omemo2_publish_bundle(s, a);
}

/* Our device list of VERSION: 0.3's <list/> or OMEMO:2's <devices/>, the
 * same <device id/> in each. */
static void publish_devices(Session *s, guint version, const GArray *devices)
{
    xmpp_stanza_t *item = NULL;
    xmpp_stanza_t *iq =
        omemo_publish_iq(s, version == V2 ? NODE2_DEVICES : NODE_DEVICES,
                         "current", FALSE, &item);
    xmpp_stanza_t *list = version == V2
                              ? stanza_add_child_ns(item, "devices", NS_OMEMO2)
                              : stanza_add_child_ns(item, "list", NS_OMEMO);
    for (guint i = 0; i < devices->len; i++) {
        xmpp_stanza_t *d = stanza_add_child_ns(list, "device", NULL);
        g_autofree char *id =
            g_strdup_printf("%u", (guint)g_array_index(devices, guint32, i));
        xmpp_stanza_set_attribute(d, "id", id);
    }
    iq_send(s, iq, omemo_on_published,
            version == V2 ? "OMEMO:2 device list" : "device list", NULL);
    xmpp_stanza_release(iq);
}

/* The device ids of a device list in ITEMS (a PEP <items/> or a
 * result's): 0.3's <list/> or OMEMO:2's <devices/> (VERSION 4). */
static GArray *parse_devices(xmpp_stanza_t *items, guint version)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(guint32));
    xmpp_stanza_t *item =
        items ? xmpp_stanza_get_child_by_name(items, "item") : NULL;
    xmpp_stanza_t *list =
        !item ? NULL
        : version == V2
            ? xmpp_stanza_get_child_by_name_and_ns(item, "devices", NS_OMEMO2)
            : xmpp_stanza_get_child_by_name_and_ns(item, "list", NS_OMEMO);
    for (xmpp_stanza_t *c = list ? xmpp_stanza_get_children(list) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *id = xmpp_stanza_get_attribute(c, "id");
        guint64 v = 0;
        if (g_strcmp0(xmpp_stanza_get_name(c), "device") != 0 || !id ||
            !g_ascii_string_to_unsigned(id, 10, 1, G_MAXUINT32, &v, NULL))
            continue;
        guint32 d = (guint32)v;
        g_array_append_val(a, d);
    }
    return a;
}

gboolean omemo_has_device(const GArray *devices, guint32 id)
{
    for (guint i = 0; i < devices->len; i++)
        if (g_array_index(devices, guint32, i) == id)
            return TRUE;
    return FALSE;
}

char *omemo_store_name(const char *jid, guint version)
{
    return version == V2 ? g_strconcat(OMEMO_STORE_V2_PREFIX, jid, NULL)
                         : g_strdup(jid);
}

/* Whether JID has a device the user verified. */
static gboolean has_verified(OmemoAccount *a, const char *jid)
{
    g_autoptr(GPtrArray) ids = omemo_store_identities(a->store, jid);
    for (guint i = 0; i < ids->len; i++)
        if (((OmemoIdentity *)ids->pdata[i])->trust == OMEMO_TRUST_VERIFIED)
            return TRUE;
    return FALSE;
}

/* A device in DEVICES that no earlier list of JID (of either version)
 * named, said loudly when the user has verified a device of JID: a
 * contact who verified keys expects to hear of a new one (and a new
 * device of our own account may not be ours). */
static void flag_new_devices(Session *s, OmemoAccount *a, const char *jid,
                             const GArray *devices)
{
    gboolean known = FALSE, known2 = FALSE;
    g_autofree char *name2 = omemo_store_name(jid, V2);
    g_autoptr(GArray) before = omemo_store_devices(a->store, jid, &known);
    g_autoptr(GArray) before2 = omemo_store_devices(a->store, name2, &known2);
    if ((!known && !known2) || !has_verified(a, jid))
        return;
    Buffer *b = buffer_find(BUFFER_CHAT, s->account, jid);
    for (guint i = 0; i < devices->len; i++) {
        guint32 id = g_array_index(devices, guint32, i);
        if (id == a->device_id || omemo_has_device(before, id) ||
            omemo_has_device(before2, id))
            continue;
        buffer_appendf(b ? b : buffer_account_console(s->account), LINE_ERROR,
                       "%s has a new OMEMO device (%u) that you have not "
                       "verified: compare its fingerprint (/omemo "
                       "fingerprints %s) with what the device shows, then "
                       "/omemo trust or /omemo distrust it",
                       jid, (guint)id, jid);
    }
}

/* A device list of JID (of VERSION) arrived; ours must name this
 * device. */
static void take_devices(Session *s, OmemoAccount *a, const char *jid,
                         GArray *devices, guint version)
{
    g_autofree char *name = omemo_store_name(jid, version);
    flag_new_devices(s, a, jid, devices);
    omemo_store_set_devices(a->store, name, devices);
    /* The chat's title says which version it speaks. */
    Buffer *chat = buffer_find(BUFFER_CHAT, s->account, jid);
    if (chat && version == V2)
        event_emit_buffer(EVENT_BUFFER_CHANGED, chat);
    if (g_strcmp0(jid, s->own_bare) == 0 &&
        !omemo_has_device(devices, a->device_id)) {
        g_array_append_val(devices, a->device_id);
        publish_devices(s, version, devices);
    }
}

static void on_devices_event(Session *s, const char *from, xmpp_stanza_t *items,
                             gpointer data)
{
    OmemoAccount *a = omemo_account(s->account, NULL);
    if (!a)
        return;
    guint version = GPOINTER_TO_UINT(data);
    g_autofree char *bare = jid_bare(from);
    g_autoptr(GArray) devices = parse_devices(items, version);
    take_devices(s, a, bare, devices, version);
}

/* <iq get to=JID><pubsub><items node=NODE><item id=ITEM/>?</items>... */
static void fetch_node(Session *s, const char *jid, const char *node,
                       const char *item, IqResultFunc func, gpointer data)
{
    xmpp_stanza_t *pubsub = NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", jid, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *items = stanza_add_child_ns(pubsub, "items", NULL);
    xmpp_stanza_set_attribute(items, "node", node);
    if (item)
        xmpp_stanza_set_id(stanza_add_child_ns(items, "item", NULL), item);
    iq_send(s, iq, func, data, NULL);
    xmpp_stanza_release(iq);
}

static xmpp_stanza_t *result_items(xmpp_stanza_t *result)
{
    if (!result || !iq_is_result(result))
        return NULL;
    xmpp_stanza_t *pubsub =
        xmpp_stanza_get_child_by_name_and_ns(result, "pubsub", NS_PUBSUB);
    return pubsub ? xmpp_stanza_get_child_by_name(pubsub, "items") : NULL;
}

static gboolean is_item_not_found(xmpp_stanza_t *result)
{
    xmpp_stanza_t *e = xmpp_stanza_get_child_by_name(result, "error");
    return e && xmpp_stanza_get_child_by_name(e, "item-not-found");
}

static void on_own_devices(Session *s, xmpp_stanza_t *result, gpointer data)
{
    guint version = GPOINTER_TO_UINT(data);
    if (!result)
        return;
    OmemoAccount *a = omemo_account(s->account, NULL);
    if (!a)
        return;
    /* No node yet (item-not-found) is an empty list. */
    if (!iq_is_result(result) && !is_item_not_found(result)) {
        g_autofree char *why = stanza_error_describe(result);
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "%s: cannot read our device list: %s",
                       version == V2 ? "OMEMO:2" : "OMEMO", why);
        return;
    }
    g_autoptr(GArray) devices = parse_devices(result_items(result), version);
    take_devices(s, a, s->own_bare, devices, version);
}

static void omemo_started(Session *s, gboolean resumed)
{
    if (resumed)
        return;
    g_autoptr(GError) error = NULL;
    OmemoAccount *a = omemo_account(s->account, &error);
    if (!a) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "OMEMO: %s", error->message);
        return;
    }
    omemo_refill_prekeys(a);
    omemo_publish_bundle(s, a);
    fetch_node(s, NULL, NODE_DEVICES, NULL, on_own_devices,
               GUINT_TO_POINTER(V03));
    fetch_node(s, NULL, NODE2_DEVICES, NULL, on_own_devices,
               GUINT_TO_POINTER(V2));
}

/* ---- sessions from bundles ------------------------------------------------
 */

static ec_public_key *decode_key(OmemoAccount *a, const char *b64)
{
    if (!b64)
        return NULL;
    gsize len = 0;
    g_autofree guint8 *d = g_base64_decode(b64, &len);
    ec_public_key *k = NULL;
    if (len == 0 || curve_decode_point(&k, d, len, a->ctx))
        return NULL;
    return k;
}

char *omemo_session_from_bundle(OmemoAccount *a, const char *name,
                                guint32 device, guint version, guint32 pk_id,
                                ec_public_key *pk, guint32 spk_id,
                                ec_public_key *spk, const guint8 *sig,
                                gsize sig_len, ec_public_key *ik)
{
    session_pre_key_bundle *b = NULL;
    if (session_pre_key_bundle_create(&b, 0, (int)device, pk_id, pk, spk_id,
                                      spk, sig, sig_len, ik))
        return g_strdup("its bundle is malformed");
    signal_protocol_address addr = {name, strlen(name), (int32_t)device};
    session_builder *builder = NULL;
    int rc = session_builder_create(&builder, a->sctx, &addr, a->ctx);
    if (rc == 0) {
        session_builder_set_version(builder, version);
        rc = session_builder_process_pre_key_bundle(builder, b);
        session_builder_free(builder);
    }
    SIGNAL_UNREF(b);
    if (rc == SG_ERR_UNTRUSTED_IDENTITY)
        return g_strdup("its identity key changed and is not trusted");
    if (rc == SG_ERR_INVALID_KEY)
        return g_strdup("the signature of its signed prekey is wrong");
    if (rc)
        return g_strdup_printf("its bundle was refused (error %d)", rc);
    return NULL;
}

/* Builds an OMEMO 0.3 session with JID's DEVICE from its <bundle/>;
 * NULL or why not (caller frees). */
static char *build_session(OmemoAccount *a, const char *jid, guint32 device,
                           xmpp_stanza_t *bundle)
{
    if (!bundle)
        return g_strdup("no bundle");
    g_autofree char *spk64 =
        stanza_child_text(bundle, "signedPreKeyPublic", NULL);
    g_autofree char *sig64 =
        stanza_child_text(bundle, "signedPreKeySignature", NULL);
    g_autofree char *ik64 = stanza_child_text(bundle, "identityKey", NULL);
    xmpp_stanza_t *spk_el =
        xmpp_stanza_get_child_by_name(bundle, "signedPreKeyPublic");
    const char *spk_id_s =
        spk_el ? xmpp_stanza_get_attribute(spk_el, "signedPreKeyId") : NULL;
    xmpp_stanza_t *prekeys = xmpp_stanza_get_child_by_name(bundle, "prekeys");
    /* A random prekey, as the spec asks: two senders picking the same one
     * at once would break one of the sessions. */
    GPtrArray *pks = g_ptr_array_new();
    for (xmpp_stanza_t *c = prekeys ? xmpp_stanza_get_children(prekeys) : NULL;
         c; c = xmpp_stanza_get_next(c))
        if (g_strcmp0(xmpp_stanza_get_name(c), "preKeyPublic") == 0 &&
            xmpp_stanza_get_attribute(c, "preKeyId"))
            g_ptr_array_add(pks, c);
    guint64 spk_id = 0, pk_id = 0;
    g_autofree char *pk64 = NULL;
    if (pks->len) {
        xmpp_stanza_t *pk = pks->pdata[g_random_int_range(0, (int)pks->len)];
        pk64 = stanza_text(pk);
        g_ascii_string_to_unsigned(xmpp_stanza_get_attribute(pk, "preKeyId"),
                                   10, 0, G_MAXUINT32, &pk_id, NULL);
    }
    g_ptr_array_free(pks, TRUE);
    gsize sig_len = 0;
    g_autofree guint8 *sig = sig64 ? g_base64_decode(sig64, &sig_len) : NULL;
    ec_public_key *spk = decode_key(a, spk64);
    ec_public_key *ik = decode_key(a, ik64);
    ec_public_key *pk = decode_key(a, pk64);
    char *why = NULL;
    if (!spk || !ik || !pk || !sig_len || !spk_id_s ||
        !g_ascii_string_to_unsigned(spk_id_s, 10, 0, G_MAXUINT32, &spk_id,
                                    NULL))
        why = g_strdup("its bundle is incomplete or malformed");
    else
        why = omemo_session_from_bundle(a, jid, device, V03, (guint32)pk_id, pk,
                                        (guint32)spk_id, spk, sig, sig_len, ik);
    if (spk)
        SIGNAL_UNREF(spk);
    if (ik)
        SIGNAL_UNREF(ik);
    if (pk)
        SIGNAL_UNREF(pk);
    return why;
}

/* Fetching what an encryption to one contact needs: the device lists of
 * both versions (the contact's, and ours for our other devices) and the
 * bundles of the devices we have no session with; then DONE. */
typedef struct {
    char *account;
    char *peer;
    guint pending;
    Message *message; /* to transmit again, or NULL */
    Sink *out;        /* to say what was found, or NULL */
    GString *problems;
    /* Why a device list of the peer could not be read: said only when
     * the peer has no device of either version. */
    char *list_error;
    OmemoPreparedFunc done; /* then, or NULL */
    gpointer done_data;
} Prep;

guint omemo_peer_version(OmemoAccount *a, const char *peer)
{
    g_autofree char *name = omemo_store_name(peer, V2);
    g_autoptr(GArray) d = omemo_store_devices(a->store, name, NULL);
    return d->len ? V2 : V03;
}

static void prep_done(Session *s, Prep *p)
{
    OmemoAccount *a = omemo_account(p->account, NULL);
    if (p->out && a) {
        guint version = omemo_peer_version(a, p->peer);
        g_autofree char *name = omemo_store_name(p->peer, version);
        g_autoptr(GArray) d = omemo_store_devices(a->store, name, NULL);
        guint sessions = 0;
        for (guint i = 0; i < d->len; i++)
            sessions += omemo_store_has_session(a->store, name,
                                                g_array_index(d, guint32, i));
        if (!d->len && p->list_error)
            g_string_append_printf(p->problems, "%s%s",
                                   p->problems->len ? "; " : "", p->list_error);
        /* Beside OMEMO:2, the devices that only speak 0.3. */
        guint old = 0;
        if (version == V2) {
            g_autoptr(GArray) d03 =
                omemo_store_devices(a->store, p->peer, NULL);
            for (guint i = 0; i < d03->len; i++)
                old += !omemo_has_device(d, g_array_index(d03, guint32, i));
        }
        g_autofree char *also =
            old ? g_strdup_printf(", and %u with 0.3 only", old) : NULL;
        sink_printf(p->out, d->len ? LINE_INFO : LINE_ERROR,
                    "OMEMO: %s has %u device%s, %u with a session%s%s%s%s",
                    p->peer, d->len, d->len == 1 ? "" : "s", sessions,
                    version == V2 ? " (OMEMO:2)" : " (OMEMO 0.3)",
                    also ? also : "", p->problems->len ? "; " : "",
                    p->problems->str);
    }
    if (p->message && s)
        omemo_transmit_again(s, p->message);
    if (p->done)
        p->done(s, p->done_data);
}

void omemo_transmit_again(Session *s, Message *m)
{
    /* Offline by now: the message stays pending, and leaves (through
     * this stage again) when the account is back. */
    if (!session_online(s->account, NULL))
        return;
    g_hash_table_add(prepared, message_ref(m));
    message_transmit(s, m);
}

static void prep_unref(Session *s, Prep *p)
{
    if (--p->pending)
        return;
    prep_done(s, p);
    g_free(p->account);
    g_free(p->peer);
    if (p->message)
        message_unref(p->message);
    if (p->out)
        sink_unref(p->out);
    g_string_free(p->problems, TRUE);
    g_free(p->list_error);
    g_free(p);
}

typedef struct {
    Prep *prep;
    char *jid;
    guint32 device;
    guint version;
} BundleFetch;

static void on_bundle(Session *s, xmpp_stanza_t *result, gpointer data)
{
    BundleFetch *f = data;
    OmemoAccount *a = omemo_account(f->prep->account, NULL);
    xmpp_stanza_t *items = result_items(result);
    xmpp_stanza_t *item =
        items ? xmpp_stanza_get_child_by_name(items, "item") : NULL;
    xmpp_stanza_t *bundle =
        item ? xmpp_stanza_get_child_by_name_and_ns(
                   item, "bundle", f->version == V2 ? NS_OMEMO2 : NS_OMEMO)
             : NULL;
    g_autofree char *why = NULL;
    if (!result)
        why = g_strdup("the connection ended");
    else if (!iq_is_result(result))
        why = stanza_error_describe(result);
    else if (a && f->version == V2)
        why = omemo2_build_session(a, f->jid, f->device, bundle);
    else if (a)
        why = build_session(a, f->jid, f->device, bundle);
    if (why)
        g_string_append_printf(f->prep->problems, "%sdevice %u of %s%s: %s",
                               f->prep->problems->len ? "; " : "",
                               (guint)f->device, f->jid,
                               f->version == V2 ? " (OMEMO:2)" : "", why);
    prep_unref(s, f->prep);
    g_free(f->jid);
    g_free(f);
}

/* Fetches the bundles of JID's devices (of VERSION) we have no session
 * with. */
static void fetch_bundles(Session *s, OmemoAccount *a, Prep *p, const char *jid,
                          guint version)
{
    g_autofree char *name = omemo_store_name(jid, version);
    g_autoptr(GArray) d = omemo_store_devices(a->store, name, NULL);
    for (guint i = 0; i < d->len; i++) {
        guint32 id = g_array_index(d, guint32, i);
        if ((g_strcmp0(jid, s->own_bare) == 0 && id == a->device_id) ||
            omemo_store_has_session(a->store, name, id))
            continue;
        BundleFetch *f = g_new0(BundleFetch, 1);
        f->prep = p;
        f->jid = g_strdup(jid);
        f->device = id;
        f->version = version;
        p->pending++;
        g_autofree char *sid = g_strdup_printf("%u", (guint)id);
        if (version == V2) {
            fetch_node(s, jid, NODE2_BUNDLES, sid, on_bundle, f);
        } else {
            g_autofree char *node = g_strconcat(NODE_BUNDLES, sid, NULL);
            fetch_node(s, jid, node, NULL, on_bundle, f);
        }
    }
}

typedef struct {
    Prep *prep;
    char *jid;
    guint version;
} ListFetch;

static void on_list(Session *s, xmpp_stanza_t *result, gpointer data)
{
    ListFetch *f = data;
    OmemoAccount *a = omemo_account(f->prep->account, NULL);
    if (result && a) {
        g_autoptr(GArray) devices =
            parse_devices(result_items(result), f->version);
        gboolean own = g_strcmp0(f->jid, s->own_bare) == 0;
        if (!iq_is_result(result) && !is_item_not_found(result)) {
            g_autofree char *why = stanza_error_describe(result);
            g_autofree char *text = g_strdup_printf(
                "the %s device list of %s: %s",
                f->version == V2 ? "OMEMO:2" : "OMEMO 0.3", f->jid, why);
            if (own)
                g_string_append_printf(f->prep->problems, "%s%s",
                                       f->prep->problems->len ? "; " : "",
                                       text);
            else if (!f->prep->list_error)
                f->prep->list_error = g_steal_pointer(&text);
        }
        /* A contact's list that cannot be read is no devices of that
         * version, however the server says it (Prosody answers forbidden
         * for a stranger's missing node): the other version is used. Ours
         * is only ever replaced by what was read. */
        if (iq_is_result(result) || is_item_not_found(result) || !own)
            take_devices(s, a, f->jid, devices, f->version);
        fetch_bundles(s, a, f->prep, f->jid, f->version);
    }
    prep_unref(s, f->prep);
    g_free(f->jid);
    g_free(f);
}

/* What omemo_prepare() and omemo_prepare_jids() do: PEERS (N of them;
 * the first is the one OUT is told of) and our own devices. */
static void prepare(Session *s, const char *const *peers, guint n, Message *m,
                    Sink *out, OmemoPreparedFunc done, gpointer data)
{
    Prep *p = g_new0(Prep, 1);
    p->done = done;
    p->done_data = data;
    p->account = g_strdup(s->account);
    p->peer = g_strdup(n ? peers[0] : s->own_bare);
    p->message = m ? message_ref(m) : NULL;
    p->out = out ? sink_ref(out) : NULL;
    p->problems = g_string_new(NULL);
    p->pending = 1;
    const guint versions[] = {V2, V03};
    for (guint i = 0; i <= n; i++) {
        const char *jid = i < n ? peers[i] : s->own_bare;
        if (i < n && g_strcmp0(jid, s->own_bare) == 0)
            continue; /* ours come last, once */
        for (guint v = 0; v < G_N_ELEMENTS(versions); v++) {
            ListFetch *f = g_new0(ListFetch, 1);
            f->prep = p;
            f->jid = g_strdup(jid);
            f->version = versions[v];
            p->pending++;
            fetch_node(s, i < n ? jid : NULL,
                       versions[v] == V2 ? NODE2_DEVICES : NODE_DEVICES, NULL,
                       on_list, f);
        }
    }
    prep_unref(s, p);
}

void omemo_prepare(Session *s, OmemoAccount *a, const char *peer, Message *m,
                   Sink *out)
{
    prepare(s, &peer, 1, m, out, NULL, NULL);
}

void omemo_prepare_jids(Session *s, const GPtrArray *jids, Message *m,
                        OmemoPreparedFunc done, gpointer data)
{
    prepare(s, (const char *const *)jids->pdata, jids->len, m, NULL, done,
            data);
}

/* ---- the encrypt stage ----------------------------------------------------
 */

/* The devices of JID that announce OMEMO:2. */
static GArray *v2_devices(OmemoAccount *a, const char *jid)
{
    g_autofree char *name = omemo_store_name(jid, V2);
    return omemo_store_devices(a->store, name, NULL);
}

gboolean omemo_needs_fetch(Session *s, OmemoAccount *a, const char *peer)
{
    const guint versions[] = {V2, V03};
    for (guint v = 0; v < G_N_ELEMENTS(versions); v++) {
        g_autofree char *name = omemo_store_name(peer, versions[v]);
        gboolean fetched = FALSE;
        g_autoptr(GArray) d = omemo_store_devices(a->store, name, &fetched);
        if (!fetched)
            return TRUE;
    }
    /* With OMEMO:2, the devices that only speak 0.3 get 0.3 beside it. */
    guint version = omemo_peer_version(a, peer);
    const char *jids[] = {peer, s->own_bare};
    for (guint j = 0; j < G_N_ELEMENTS(jids); j++)
        for (guint v = 0; v < G_N_ELEMENTS(versions); v++) {
            if (version == V03 && versions[v] == V2)
                continue;
            g_autofree char *name = omemo_store_name(jids[j], versions[v]);
            g_autoptr(GArray) d = omemo_store_devices(a->store, name, NULL);
            g_autoptr(GArray) d2 = version == V2 && versions[v] == V03
                                       ? v2_devices(a, jids[j])
                                       : NULL;
            for (guint i = 0; i < d->len; i++) {
                guint32 id = g_array_index(d, guint32, i);
                if (!(j == 1 && id == a->device_id) &&
                    !(d2 && omemo_has_device(d2, id)) &&
                    !omemo_store_has_session(a->store, name, id))
                    return TRUE;
            }
        }
    return FALSE;
}

xmpp_stanza_t *omemo_encrypt_key(OmemoAccount *a, const char *jid, guint32 id,
                                 guint version, const guint8 *keymat,
                                 gsize keymat_len, xmpp_stanza_t *parent,
                                 GString *skipped)
{
    g_autofree char *name = omemo_store_name(jid, version);
    signal_protocol_address addr = {name, strlen(name), (int32_t)id};
    session_cipher *cipher = NULL;
    ciphertext_message *msg = NULL;
    if (session_cipher_create(&cipher, a->sctx, &addr, a->ctx))
        return NULL;
    session_cipher_set_version(cipher, version);
    int rc = session_cipher_encrypt(cipher, keymat, keymat_len, &msg);
    session_cipher_free(cipher);
    if (rc) {
        g_string_append_printf(skipped, " %s/%u (error %d)", jid, (guint)id,
                               rc);
        return NULL;
    }
    signal_buffer *ser = ciphertext_message_get_serialized(msg);
    g_autofree char *b64 =
        g_base64_encode(signal_buffer_data(ser), signal_buffer_len(ser));
    xmpp_stanza_t *key = stanza_add_text_child(parent, "key", b64);
    g_autofree char *rid = g_strdup_printf("%u", (guint)id);
    xmpp_stanza_set_attribute(key, "rid", rid);
    if (ciphertext_message_get_type(msg) == CIPHERTEXT_PREKEY_TYPE)
        xmpp_stanza_set_attribute(key, version == V2 ? "kex" : "prekey",
                                  "true");
    SIGNAL_UNREF(msg);
    omemo_store_note_sent(a->store, jid, id);
    omemo_heartbeat_sent(a, jid, id, version);
    return key;
}

/* Says once, in JID's chat (or the console), that DEVICE went stale. */
static void say_stale(OmemoAccount *a, const char *jid, guint32 device)
{
    Buffer *b = buffer_find(BUFFER_CHAT, a->account, jid);
    buffer_appendf(b ? b : buffer_account_console(a->account), LINE_INFO,
                   "OMEMO: device %u of %s has not answered the last %d "
                   "messages encrypted to it: natter leaves it out until "
                   "it writes again",
                   (guint)device, jid, OMEMO_STALE_AFTER);
}

guint omemo_encrypt_keys(OmemoAccount *a, const char *jid, gboolean own,
                         guint version, const GArray *except,
                         const guint8 *keymat, gsize keymat_len,
                         xmpp_stanza_t *parent, GString *skipped)
{
    g_autofree char *name = omemo_store_name(jid, version);
    g_autoptr(GArray) d = omemo_store_devices(a->store, name, NULL);
    /* The devices to encrypt to, each with whether it is stale. */
    typedef struct {
        guint32 id;
        gboolean stale;
    } Usable;
    g_autoptr(GArray) usable = g_array_new(FALSE, FALSE, sizeof(Usable));
    guint live = 0;
    for (guint i = 0; i < d->len; i++) {
        guint32 id = g_array_index(d, guint32, i);
        if ((own && id == a->device_id) ||
            (except && omemo_has_device(except, id)))
            continue;
        OmemoTrust trust = OMEMO_TRUST_BLIND;
        g_autoptr(GBytes) ik = omemo_store_identity(a->store, jid, id, &trust);
        if (!omemo_store_has_session(a->store, name, id))
            continue;
        if (trust == OMEMO_TRUST_DISTRUSTED || trust == OMEMO_TRUST_PENDING) {
            g_string_append_printf(skipped, " %s/%u (%s)", jid, (guint)id,
                                   trust == OMEMO_TRUST_PENDING
                                       ? "not trusted yet: /omemo trust"
                                       : "distrusted");
            continue;
        }
        Usable u = {id, omemo_store_unanswered(a->store, jid, id) >=
                            OMEMO_STALE_AFTER};
        g_array_append_val(usable, u);
        live += !u.stale;
    }
    guint n = 0;
    for (guint i = 0; i < usable->len; i++) {
        guint32 id = g_array_index(usable, Usable, i).id;
        /* Left out only while another device of JID is live: a contact
         * whose every device went quiet still gets the message. */
        if (live && g_array_index(usable, Usable, i).stale) {
            if (omemo_store_note_sent(a->store, jid, id) ==
                OMEMO_STALE_AFTER + 1)
                say_stale(a, jid, id);
            g_string_append_printf(skipped, " %s/%u (stale)", jid, (guint)id);
            continue;
        }
        n += omemo_encrypt_key(a, jid, id, version, keymat, keymat_len, parent,
                               skipped) != NULL;
    }
    return n;
}

xmpp_stanza_t *omemo_encrypted_new(Session *s, OmemoAccount *a, const char *ns,
                                   xmpp_stanza_t **header)
{
    xmpp_stanza_t *enc = xmpp_stanza_new(s->ctx);
    xmpp_stanza_set_name(enc, "encrypted");
    xmpp_stanza_set_ns(enc, ns);
    *header = stanza_add_child_ns(enc, "header", NULL);
    g_autofree char *sid = g_strdup_printf("%u", (guint)a->device_id);
    xmpp_stanza_set_attribute(*header, "sid", sid);
    return enc;
}

guint8 *omemo03_seal(const char *body, guint8 keymat[32], guint8 iv[12],
                     gsize *len)
{
    guint8 key[16], tag[16];
    omemo_crypto_random(key, sizeof key);
    omemo_crypto_random(iv, 12);
    *len = strlen(body);
    guint8 *ct = g_malloc(*len ? *len : 1);
    gboolean ok =
        omemo_gcm_encrypt(key, iv, (const guint8 *)body, *len, ct, tag);
    memcpy(keymat, key, 16);
    memcpy(keymat + 16, tag, 16);
    memset(key, 0, sizeof key);
    if (!ok)
        g_clear_pointer(&ct, g_free);
    return ct;
}

void omemo03_finish(xmpp_stanza_t *enc, xmpp_stanza_t *header,
                    const guint8 iv[12], const guint8 *ct, gsize len)
{
    g_autofree char *iv64 = g_base64_encode(iv, 12);
    stanza_add_text_child(header, "iv", iv64);
    g_autofree char *payload = g_base64_encode(ct, len);
    stanza_add_text_child(enc, "payload", payload);
}

void omemo_wrap(xmpp_stanza_t *stanza, xmpp_stanza_t *enc, xmpp_stanza_t *enc03,
                guint version)
{
    /* The body becomes the fallback for clients without OMEMO. */
    xmpp_stanza_t *body = xmpp_stanza_get_child_by_name(stanza, "body");
    xmpp_stanza_t *text = body ? xmpp_stanza_get_children(body) : NULL;
    if (text)
        xmpp_stanza_set_text(text, FALLBACK);
    else
        stanza_add_text_child(stanza, "body", FALLBACK);
    for (guint i = 0; i < 2; i++) {
        xmpp_stanza_t *e = i == 0 ? enc : enc03;
        if (e) {
            xmpp_stanza_add_child(stanza, e);
            xmpp_stanza_release(e);
        }
    }
    stanza_add_child_ns(stanza, "store", NS_HINTS);
    xmpp_stanza_t *eme = stanza_add_child_ns(stanza, "encryption", NS_EME);
    xmpp_stanza_set_attribute(eme, "namespace",
                              version == V2 ? NS_OMEMO2 : NS_OMEMO);
    xmpp_stanza_set_attribute(eme, "name", version == V2 ? "OMEMO:2" : "OMEMO");
}

/* OMEMO 0.3's <encrypted/> for M (AES-128-GCM payload); NULL when no
 * device of the peer could be encrypted to (THEIRS 0; with OLD_ONLY, when
 * no device at all could) or the cipher failed. OLD_ONLY: only to the
 * devices that do not announce OMEMO:2, beside an OMEMO:2 element. */
static xmpp_stanza_t *encrypt03(Session *s, OmemoAccount *a, Message *m,
                                gboolean old_only, guint *theirs,
                                GString *skipped)
{
    guint8 iv[12], keymat[32];
    gsize len = 0;
    g_autofree guint8 *ct = omemo03_seal(m->body, keymat, iv, &len);
    if (!ct)
        return NULL;
    xmpp_stanza_t *header = NULL;
    xmpp_stanza_t *enc = omemo_encrypted_new(s, a, NS_OMEMO, &header);
    g_autoptr(GArray) peer2 = old_only ? v2_devices(a, m->peer) : NULL;
    g_autoptr(GArray) own2 = old_only ? v2_devices(a, s->own_bare) : NULL;
    *theirs = omemo_encrypt_keys(a, m->peer, FALSE, V03, peer2, keymat, 32,
                                 header, skipped);
    guint ours = 0;
    if (g_strcmp0(m->peer, s->own_bare) != 0)
        ours = omemo_encrypt_keys(a, s->own_bare, TRUE, V03, own2, keymat, 32,
                                  header, skipped);
    memset(keymat, 0, sizeof keymat);
    if (old_only ? *theirs + ours == 0 : *theirs == 0) {
        xmpp_stanza_release(enc);
        return NULL;
    }
    omemo03_finish(enc, header, iv, ct, len);
    return enc;
}

static StageVerdict encrypt_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    Session *s = item->session;
    /* Taken out first: /omemo off while its keys were fetched sends it as
     * the user now asks, and the table keeps no reference. */
    gboolean again = g_hash_table_remove(prepared, m);
    if (m->kind == MESSAGE_GROUPCHAT)
        return omemo_muc_encrypt_stage(item, again);
    if (m->kind != MESSAGE_CHAT || !m->peer)
        return STAGE_CONTINUE;
    if (!omemo_chat_enabled(m->account, m->peer)) {
        /* omemo_policy automatic: held until the contact's devices are
         * known, then encrypted if they have any. */
        OmemoAccount *a = omemo_account(m->account, NULL);
        if (!a || !omemo_policy_undecided(a, m->peer))
            return STAGE_CONTINUE;
        if (!again && !omemo_policy_known(a, m->peer)) {
            omemo_prepare(s, a, m->peer, m, NULL);
            return STAGE_CONSUMED;
        }
        if (!omemo_policy_decide(a, m->peer, FALSE))
            return STAGE_CONTINUE;
        /* Its line said plain: the security set below redraws it. */
        m->trust = MESSAGE_TRUST_TRUSTED;
    }
    if (!m->body)
        return pipeline_refuse(item,
                               "OMEMO is on for %s and natter cannot "
                               "encrypt this kind of message yet",
                               m->peer);
    g_autoptr(GError) error = NULL;
    OmemoAccount *a = omemo_account(m->account, &error);
    if (!a)
        return pipeline_refuse(item, "OMEMO: %s", error->message);
    if (!again && omemo_needs_fetch(s, a, m->peer)) {
        omemo_prepare(s, a, m->peer, m, NULL);
        return STAGE_CONSUMED;
    }

    /* OMEMO:2 when the contact announces it, 0.3 otherwise; beside
     * OMEMO:2, an 0.3 element for the devices (theirs and ours) that only
     * speak 0.3, so that a contact's old phone still reads it. */
    guint version = omemo_peer_version(a, m->peer);
    g_autoptr(GString) skipped = g_string_new(NULL);
    guint theirs = 0, theirs03 = 0;
    xmpp_stanza_t *enc =
        version == V2 ? omemo2_encrypt(s, a, m, &theirs, skipped) : NULL;
    xmpp_stanza_t *enc03 =
        encrypt03(s, a, m, version == V2, &theirs03, skipped);
    if (!enc && enc03 && version == V2 && theirs03 == 0) {
        /* Only our own old devices: not a message to the contact. */
        xmpp_stanza_release(enc03);
        enc03 = NULL;
    }
    theirs += theirs03;
    if (!enc && !enc03 && theirs == 0)
        return pipeline_refuse(
            item,
            "OMEMO is on for %s but there is no device of theirs to encrypt "
            "to%s%s%s (they may have no OMEMO client, or their keys are "
            "distrusted: /omemo fingerprints %s; /omemo off sends in the "
            "clear)",
            m->peer, version == V2 ? " with OMEMO:2" : "",
            skipped->len ? ": skipped" : "", skipped->str, m->peer);
    if (!enc && !enc03)
        return pipeline_refuse(item, "OMEMO: the payload cipher failed");
    if (!enc)
        version = V03; /* none of their OMEMO:2 devices could be used */
    MessageSecurity now = version == V2 ? MESSAGE_OMEMO2 : MESSAGE_OMEMO;
    if (m->security != now) {
        m->security = now;
        conversation_set_security(m);
    }

    omemo_wrap(item->stanza, enc, enc03, version);
    return STAGE_CONTINUE;
}

/* OUT: a message typed in an encrypted chat is shown as such (it leaves
 * encrypted or not at all). */
static StageVerdict mark_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    OmemoAccount *a = NULL;
    if (m->kind == MESSAGE_GROUPCHAT && m->peer &&
        omemo_chat_enabled(m->account, m->peer) &&
        (a = omemo_account(m->account, NULL))) {
        m->security = omemo_muc_security(a, m->peer);
        m->trust = MESSAGE_TRUST_TRUSTED;
    } else if (m->kind == MESSAGE_CHAT && m->peer &&
               (a = omemo_account(m->account, NULL)) &&
               (omemo_chat_enabled(m->account, m->peer) ||
                (omemo_policy_undecided(a, m->peer) &&
                 omemo_policy_decide(a, m->peer, FALSE)))) {
        /* The version the contact announces now; the encrypt stage
         * decides again when the message leaves. */
        m->security = omemo_peer_version(a, m->peer) == V2 ? MESSAGE_OMEMO2
                                                           : MESSAGE_OMEMO;
        m->trust = MESSAGE_TRUST_TRUSTED;
    }
    return STAGE_CONTINUE;
}

/* ---- the feature ----------------------------------------------------------
 */

static void omemo_init(void)
{
    omemo_crypto_init();
    accounts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                     omemo_account_free);
    prepared =
        g_hash_table_new_full(NULL, NULL, (GDestroyNotify)message_unref, NULL);
    pep_register_node(NODE_DEVICES, "OMEMO device list", FALSE,
                      on_devices_event, GUINT_TO_POINTER(V03));
    pep_register_node(NODE2_DEVICES, "OMEMO:2 device list", FALSE,
                      on_devices_event, GUINT_TO_POINTER(V2));
    stages[0] = pipeline_add(PIPELINE_SEND, STAGE_ENCRYPT, "omemo",
                             encrypt_stage, NULL, NULL);
    stages[1] = pipeline_add(PIPELINE_IN, STAGE_DECRYPT, "omemo",
                             omemo_decrypt_stage, NULL, NULL);
    stages[2] = pipeline_add(PIPELINE_OUT, STAGE_ENCRYPT, "omemo", mark_stage,
                             NULL, NULL);
    omemo_muc_init();
}

static void omemo_shutdown(void)
{
    omemo_muc_shutdown();
    omemo_heartbeat_shutdown();
    for (guint i = 0; i < G_N_ELEMENTS(stages); i++)
        g_clear_handle_id(&stages[i], pipeline_remove);
    pep_unregister_node(NODE_DEVICES);
    pep_unregister_node(NODE2_DEVICES);
    g_clear_pointer(&prepared, g_hash_table_destroy);
    g_clear_pointer(&accounts, g_hash_table_destroy);
}

static void omemo_account_removed(const char *account)
{
    g_hash_table_remove(accounts, account);
}

static const char *const omemo_disco[] = {NODE_DEVICES "+notify",
                                          NODE2_DEVICES "+notify", NULL};

/* The store writes of a burst of messages share one commit. */
static void omemo_batch(Session *s, gboolean begin)
{
    OmemoAccount *a =
        accounts ? g_hash_table_lookup(accounts, s->account) : NULL;
    if (a && a->store && !begin)
        omemo_heartbeat_flush(s, a); /* what this read's messages asked */
    if (a && a->store)
        omemo_store_batch(a->store, begin);
}

const Feature feature_omemo = {
    .name = "omemo",
    .disco = omemo_disco,
    .init = omemo_init,
    .shutdown = omemo_shutdown,
    .started = omemo_started,
    .account_removed = omemo_account_removed,
    .batch = omemo_batch,
};
