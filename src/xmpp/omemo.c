/* omemo.c: OMEMO 0.3 for one-to-one chats (omemo.h): each account's
 * libomemo-c context over its store (omemo_store.h), our identity, device
 * id and bundle, published through PEP at login, the device lists of our
 * contacts (PEP notifications and fetches), sessions built from their
 * bundles, and the encrypt stage (SEND); the decrypt stage (IN) is in
 * omemo_decrypt.c, what the commands see in omemo_trust.c.
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

/* <iq set><pubsub><publish node=NODE><item id=ID/>...; returns the item,
 * with publish-options asking for open access (peers who are not our
 * contacts must read our keys). */
static xmpp_stanza_t *publish_iq(Session *s, const char *node, const char *id,
                                 xmpp_stanza_t **item)
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
    return iq;
}

static void on_published(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (result && iq_is_result(result) && strcmp(data, "device list") == 0) {
        OmemoAccount *a = g_hash_table_lookup(accounts, s->account);
        if (a)
            buffer_appendf(buffer_account_console(s->account), LINE_INFO,
                           "OMEMO: this device (%u) is in our device list",
                           (guint)a->device_id);
    }
    if (!result || iq_is_result(result))
        return;
    g_autofree char *why = stanza_error_describe(result);
    buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                   "OMEMO: publishing our %s failed: %s", (char *)data, why);
}

static void add_base64(xmpp_stanza_t *parent, const char *name,
                       signal_buffer *b)
{
    g_autofree char *text =
        g_base64_encode(signal_buffer_data(b), signal_buffer_len(b));
    stanza_add_text_child(parent, name, text);
}

void omemo_publish_bundle(Session *s, OmemoAccount *a)
{
    g_autofree char *node =
        g_strdup_printf(NODE_BUNDLES "%u", (guint)a->device_id);
    xmpp_stanza_t *item = NULL;
    xmpp_stanza_t *iq = publish_iq(s, node, "current", &item);
    xmpp_stanza_t *bundle = stanza_add_child_ns(item, "bundle", NS_OMEMO);

    guint32 spk_id = omemo_store_get_u32(a->store, "spk_id", 1);
    session_signed_pre_key *spk = NULL;
    if (signal_protocol_signed_pre_key_load_key(a->sctx, &spk, spk_id) == 0) {
        signal_buffer *b = NULL;
        ec_public_key_serialize(
            &b,
            ec_key_pair_get_public(session_signed_pre_key_get_key_pair(spk)));
        add_base64(bundle, "signedPreKeyPublic", b);
        signal_buffer_free(b);
        xmpp_stanza_t *c =
            xmpp_stanza_get_child_by_name(bundle, "signedPreKeyPublic");
        g_autofree char *sid = g_strdup_printf("%u", (guint)spk_id);
        xmpp_stanza_set_attribute(c, "signedPreKeyId", sid);
        b = signal_buffer_create(session_signed_pre_key_get_signature(spk),
                                 session_signed_pre_key_get_signature_len(spk));
        add_base64(bundle, "signedPreKeySignature", b);
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
    iq_send(s, iq, on_published, "bundle", NULL);
    xmpp_stanza_release(iq);
}

static void publish_devices(Session *s, const GArray *devices)
{
    xmpp_stanza_t *item = NULL;
    xmpp_stanza_t *iq = publish_iq(s, NODE_DEVICES, "current", &item);
    xmpp_stanza_t *list = stanza_add_child_ns(item, "list", NS_OMEMO);
    for (guint i = 0; i < devices->len; i++) {
        xmpp_stanza_t *d = stanza_add_child_ns(list, "device", NULL);
        g_autofree char *id =
            g_strdup_printf("%u", (guint)g_array_index(devices, guint32, i));
        xmpp_stanza_set_attribute(d, "id", id);
    }
    iq_send(s, iq, on_published, "device list", NULL);
    xmpp_stanza_release(iq);
}

/* The device ids of a <list/> in ITEMS (a PEP <items/> or a result's). */
static GArray *parse_devices(xmpp_stanza_t *items)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(guint32));
    xmpp_stanza_t *item =
        items ? xmpp_stanza_get_child_by_name(items, "item") : NULL;
    xmpp_stanza_t *list =
        item ? xmpp_stanza_get_child_by_name_and_ns(item, "list", NS_OMEMO)
             : NULL;
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

/* A device list of JID arrived; ours must name this device. */
static void take_devices(Session *s, OmemoAccount *a, const char *jid,
                         GArray *devices)
{
    omemo_store_set_devices(a->store, jid, devices);
    if (g_strcmp0(jid, s->own_bare) == 0 &&
        !omemo_has_device(devices, a->device_id)) {
        g_array_append_val(devices, a->device_id);
        publish_devices(s, devices);
    }
}

static void on_devices_event(Session *s, const char *from, xmpp_stanza_t *items,
                             gpointer data)
{
    OmemoAccount *a = omemo_account(s->account, NULL);
    if (!a)
        return;
    g_autofree char *bare = jid_bare(from);
    g_autoptr(GArray) devices = parse_devices(items);
    take_devices(s, a, bare, devices);
}

/* <iq get to=JID><pubsub><items node=NODE/></pubsub></iq> */
static void fetch_node(Session *s, const char *jid, const char *node,
                       IqResultFunc func, gpointer data, GDestroyNotify destroy)
{
    xmpp_stanza_t *pubsub = NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", jid, "pubsub", NS_PUBSUB, &pubsub);
    xmpp_stanza_t *items = stanza_add_child_ns(pubsub, "items", NULL);
    xmpp_stanza_set_attribute(items, "node", node);
    iq_send(s, iq, func, data, destroy);
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
    if (!result)
        return;
    OmemoAccount *a = omemo_account(s->account, NULL);
    if (!a)
        return;
    /* No node yet (item-not-found) is an empty list. */
    if (!iq_is_result(result) && !is_item_not_found(result)) {
        g_autofree char *why = stanza_error_describe(result);
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "OMEMO: cannot read our device list: %s", why);
        return;
    }
    g_autoptr(GArray) devices = parse_devices(result_items(result));
    take_devices(s, a, s->own_bare, devices);
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
    fetch_node(s, NULL, NODE_DEVICES, on_own_devices, NULL, NULL);
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

/* Builds a session with JID's DEVICE from its <bundle/>; NULL or why
 * not (caller frees). */
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
                                    NULL)) {
        why = g_strdup("its bundle is incomplete or malformed");
        goto out;
    }
    session_pre_key_bundle *b = NULL;
    if (session_pre_key_bundle_create(&b, 0, (int)device, (guint32)pk_id, pk,
                                      (guint32)spk_id, spk, sig, sig_len, ik)) {
        why = g_strdup("its bundle is malformed");
        goto out;
    }
    signal_protocol_address addr = {jid, strlen(jid), (int32_t)device};
    session_builder *builder = NULL;
    int rc = session_builder_create(&builder, a->sctx, &addr, a->ctx);
    if (rc == 0) {
        session_builder_set_version(builder, SESSION_VERSION);
        rc = session_builder_process_pre_key_bundle(builder, b);
        session_builder_free(builder);
    }
    SIGNAL_UNREF(b);
    if (rc == SG_ERR_UNTRUSTED_IDENTITY)
        why = g_strdup("its identity key changed and is not trusted");
    else if (rc == SG_ERR_INVALID_KEY)
        why = g_strdup("the signature of its signed prekey is wrong");
    else if (rc)
        why = g_strdup_printf("its bundle was refused (error %d)", rc);
out:
    if (spk)
        SIGNAL_UNREF(spk);
    if (ik)
        SIGNAL_UNREF(ik);
    if (pk)
        SIGNAL_UNREF(pk);
    return why;
}

/* Fetching what an encryption to one contact needs: the device lists
 * (the contact's, and ours for our other devices) and the bundles of the
 * devices we have no session with; then DONE. */
typedef struct {
    char *account;
    char *peer;
    guint pending;
    Message *message; /* to transmit again, or NULL */
    Sink *out;        /* to say what was found, or NULL */
    GString *problems;
} Prep;

static void prep_done(Session *s, Prep *p)
{
    OmemoAccount *a = omemo_account(p->account, NULL);
    if (p->out && a) {
        g_autoptr(GArray) d = omemo_store_devices(a->store, p->peer, NULL);
        guint sessions = 0;
        for (guint i = 0; i < d->len; i++)
            sessions += omemo_store_has_session(a->store, p->peer,
                                                g_array_index(d, guint32, i));
        sink_printf(p->out, d->len ? LINE_INFO : LINE_ERROR,
                    "OMEMO: %s has %u device%s, %u with a session%s%s", p->peer,
                    d->len, d->len == 1 ? "" : "s", sessions,
                    p->problems->len ? "; " : "", p->problems->str);
    }
    /* Offline by now: the message stays pending, and leaves (through
     * this stage again) when the account is back. */
    if (p->message && s && session_online(s->account, NULL)) {
        g_hash_table_add(prepared, message_ref(p->message));
        message_transmit(s, p->message);
    }
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
    g_free(p);
}

typedef struct {
    Prep *prep;
    char *jid;
    guint32 device;
} BundleFetch;

static void on_bundle(Session *s, xmpp_stanza_t *result, gpointer data)
{
    BundleFetch *f = data;
    OmemoAccount *a = omemo_account(f->prep->account, NULL);
    xmpp_stanza_t *items = result_items(result);
    xmpp_stanza_t *item =
        items ? xmpp_stanza_get_child_by_name(items, "item") : NULL;
    xmpp_stanza_t *bundle =
        item ? xmpp_stanza_get_child_by_name_and_ns(item, "bundle", NS_OMEMO)
             : NULL;
    g_autofree char *why = NULL;
    if (!result)
        why = g_strdup("the connection ended");
    else if (!iq_is_result(result))
        why = stanza_error_describe(result);
    else if (a)
        why = build_session(a, f->jid, f->device, bundle);
    if (why)
        g_string_append_printf(f->prep->problems, "%sdevice %u of %s: %s",
                               f->prep->problems->len ? "; " : "",
                               (guint)f->device, f->jid, why);
    prep_unref(s, f->prep);
    g_free(f->jid);
    g_free(f);
}

/* Fetches the bundles of JID's devices we have no session with. */
static void fetch_bundles(Session *s, OmemoAccount *a, Prep *p, const char *jid)
{
    g_autoptr(GArray) d = omemo_store_devices(a->store, jid, NULL);
    for (guint i = 0; i < d->len; i++) {
        guint32 id = g_array_index(d, guint32, i);
        if ((g_strcmp0(jid, s->own_bare) == 0 && id == a->device_id) ||
            omemo_store_has_session(a->store, jid, id))
            continue;
        BundleFetch *f = g_new0(BundleFetch, 1);
        f->prep = p;
        f->jid = g_strdup(jid);
        f->device = id;
        p->pending++;
        g_autofree char *node = g_strdup_printf(NODE_BUNDLES "%u", (guint)id);
        fetch_node(s, jid, node, on_bundle, f, NULL);
    }
}

typedef struct {
    Prep *prep;
    char *jid;
} ListFetch;

static void on_list(Session *s, xmpp_stanza_t *result, gpointer data)
{
    ListFetch *f = data;
    OmemoAccount *a = omemo_account(f->prep->account, NULL);
    if (result && a) {
        g_autoptr(GArray) devices = parse_devices(result_items(result));
        if (iq_is_result(result))
            take_devices(s, a, f->jid, devices);
        else if (!is_item_not_found(result)) {
            g_autofree char *why = stanza_error_describe(result);
            g_string_append_printf(
                f->prep->problems, "%sthe device list of %s: %s",
                f->prep->problems->len ? "; " : "", f->jid, why);
        } else
            take_devices(s, a, f->jid, devices); /* none published */
        fetch_bundles(s, a, f->prep, f->jid);
    }
    prep_unref(s, f->prep);
    g_free(f->jid);
    g_free(f);
}

void omemo_prepare(Session *s, OmemoAccount *a, const char *peer, Message *m,
                   Sink *out)
{
    Prep *p = g_new0(Prep, 1);
    p->account = g_strdup(s->account);
    p->peer = g_strdup(peer);
    p->message = m ? message_ref(m) : NULL;
    p->out = out ? sink_ref(out) : NULL;
    p->problems = g_string_new(NULL);
    p->pending = 1;
    const char *jids[] = {peer, s->own_bare};
    for (guint i = 0; i < G_N_ELEMENTS(jids); i++) {
        ListFetch *f = g_new0(ListFetch, 1);
        f->prep = p;
        f->jid = g_strdup(jids[i]);
        p->pending++;
        fetch_node(s, i == 0 ? peer : NULL, NODE_DEVICES, on_list, f, NULL);
    }
    prep_unref(s, p);
}

/* ---- the encrypt stage ----------------------------------------------------
 */

/* Whether an encryption to PEER lacks a device list or a session. */
static gboolean needs_fetch(Session *s, OmemoAccount *a, const char *peer)
{
    const char *jids[] = {peer, s->own_bare};
    for (guint j = 0; j < G_N_ELEMENTS(jids); j++) {
        gboolean fetched = FALSE;
        g_autoptr(GArray) d = omemo_store_devices(a->store, jids[j], &fetched);
        if (!fetched && j == 0)
            return TRUE;
        for (guint i = 0; i < d->len; i++) {
            guint32 id = g_array_index(d, guint32, i);
            if (!(j == 1 && id == a->device_id) &&
                !omemo_store_has_session(a->store, jids[j], id))
                return TRUE;
        }
    }
    return FALSE;
}

/* Encrypts KEYMAT for each device of JID we have a trusted session with,
 * adding <key/>s to HEADER; returns how many. */
static guint encrypt_keys(OmemoAccount *a, const char *jid, gboolean own,
                          const guint8 *keymat, xmpp_stanza_t *header,
                          GString *skipped)
{
    guint n = 0;
    g_autoptr(GArray) d = omemo_store_devices(a->store, jid, NULL);
    for (guint i = 0; i < d->len; i++) {
        guint32 id = g_array_index(d, guint32, i);
        if (own && id == a->device_id)
            continue;
        OmemoTrust trust = OMEMO_TRUST_BLIND;
        g_autoptr(GBytes) ik = omemo_store_identity(a->store, jid, id, &trust);
        if (!omemo_store_has_session(a->store, jid, id))
            continue;
        if (trust == OMEMO_TRUST_DISTRUSTED) {
            g_string_append_printf(skipped, " %s/%u (distrusted)", jid,
                                   (guint)id);
            continue;
        }
        signal_protocol_address addr = {jid, strlen(jid), (int32_t)id};
        session_cipher *cipher = NULL;
        ciphertext_message *msg = NULL;
        if (session_cipher_create(&cipher, a->sctx, &addr, a->ctx))
            continue;
        session_cipher_set_version(cipher, SESSION_VERSION);
        int rc = session_cipher_encrypt(cipher, keymat, 32, &msg);
        session_cipher_free(cipher);
        if (rc) {
            g_string_append_printf(skipped, " %s/%u (error %d)", jid, (guint)id,
                                   rc);
            continue;
        }
        signal_buffer *ser = ciphertext_message_get_serialized(msg);
        g_autofree char *b64 =
            g_base64_encode(signal_buffer_data(ser), signal_buffer_len(ser));
        xmpp_stanza_t *key = stanza_add_text_child(header, "key", b64);
        g_autofree char *rid = g_strdup_printf("%u", (guint)id);
        xmpp_stanza_set_attribute(key, "rid", rid);
        if (ciphertext_message_get_type(msg) == CIPHERTEXT_PREKEY_TYPE)
            xmpp_stanza_set_attribute(key, "prekey", "true");
        SIGNAL_UNREF(msg);
        n++;
    }
    return n;
}

static StageVerdict encrypt_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    Session *s = item->session;
    /* Taken out first: /omemo off while its keys were fetched sends it as
     * the user now asks, and the table keeps no reference. */
    gboolean again = g_hash_table_remove(prepared, m);
    if (m->kind != MESSAGE_CHAT || !m->peer ||
        !omemo_chat_enabled(m->account, m->peer))
        return STAGE_CONTINUE;
    if (!m->body)
        return pipeline_refuse(item,
                               "OMEMO is on for %s and natter cannot "
                               "encrypt this kind of message yet",
                               m->peer);
    g_autoptr(GError) error = NULL;
    OmemoAccount *a = omemo_account(m->account, &error);
    if (!a)
        return pipeline_refuse(item, "OMEMO: %s", error->message);
    if (!again && needs_fetch(s, a, m->peer)) {
        omemo_prepare(s, a, m->peer, m, NULL);
        return STAGE_CONSUMED;
    }

    guint8 key[16], iv[12], tag[16], keymat[32];
    omemo_crypto_random(key, sizeof key);
    omemo_crypto_random(iv, sizeof iv);
    gsize len = strlen(m->body);
    g_autofree guint8 *ct = g_malloc(len ? len : 1);
    if (!omemo_gcm_encrypt(key, iv, (const guint8 *)m->body, len, ct, tag))
        return pipeline_refuse(item, "OMEMO: the payload cipher failed");
    memcpy(keymat, key, 16);
    memcpy(keymat + 16, tag, 16);

    xmpp_stanza_t *enc = xmpp_stanza_new(s->ctx);
    xmpp_stanza_set_name(enc, "encrypted");
    xmpp_stanza_set_ns(enc, NS_OMEMO);
    xmpp_stanza_t *header = stanza_add_child_ns(enc, "header", NULL);
    g_autofree char *sid = g_strdup_printf("%u", (guint)a->device_id);
    xmpp_stanza_set_attribute(header, "sid", sid);
    g_autoptr(GString) skipped = g_string_new(NULL);
    guint theirs = encrypt_keys(a, m->peer, FALSE, keymat, header, skipped);
    if (g_strcmp0(m->peer, s->own_bare) != 0)
        encrypt_keys(a, s->own_bare, TRUE, keymat, header, skipped);
    memset(keymat, 0, sizeof keymat);
    memset(key, 0, sizeof key);
    if (theirs == 0) {
        xmpp_stanza_release(enc);
        return pipeline_refuse(
            item,
            "OMEMO is on for %s but there is no device of theirs to encrypt "
            "to%s%s (they may have no OMEMO client, or their keys are "
            "distrusted: /omemo fingerprints %s; /omemo off sends in the "
            "clear)",
            m->peer, skipped->len ? ": skipped" : "", skipped->str, m->peer);
    }
    g_autofree char *iv64 = g_base64_encode(iv, sizeof iv);
    stanza_add_text_child(header, "iv", iv64);
    g_autofree char *payload = g_base64_encode(ct, len);
    stanza_add_text_child(enc, "payload", payload);

    /* The body becomes the fallback for clients without OMEMO. */
    xmpp_stanza_t *body = xmpp_stanza_get_child_by_name(item->stanza, "body");
    xmpp_stanza_t *text = body ? xmpp_stanza_get_children(body) : NULL;
    if (text)
        xmpp_stanza_set_text(text, FALLBACK);
    else
        stanza_add_text_child(item->stanza, "body", FALLBACK);
    xmpp_stanza_add_child(item->stanza, enc);
    xmpp_stanza_release(enc);
    stanza_add_child_ns(item->stanza, "store", NS_HINTS);
    xmpp_stanza_t *eme =
        stanza_add_child_ns(item->stanza, "encryption", NS_EME);
    xmpp_stanza_set_attribute(eme, "namespace", NS_OMEMO);
    xmpp_stanza_set_attribute(eme, "name", "OMEMO");
    return STAGE_CONTINUE;
}

/* OUT: a message typed in an encrypted chat is shown as such (it leaves
 * encrypted or not at all). */
static StageVerdict mark_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    if (m->kind == MESSAGE_CHAT && m->peer &&
        omemo_chat_enabled(m->account, m->peer)) {
        m->security = MESSAGE_OMEMO;
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
                      on_devices_event, NULL);
    stages[0] = pipeline_add(PIPELINE_SEND, STAGE_ENCRYPT, "omemo",
                             encrypt_stage, NULL, NULL);
    stages[1] = pipeline_add(PIPELINE_IN, STAGE_DECRYPT, "omemo",
                             omemo_decrypt_stage, NULL, NULL);
    stages[2] = pipeline_add(PIPELINE_OUT, STAGE_ENCRYPT, "omemo", mark_stage,
                             NULL, NULL);
}

static void omemo_shutdown(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(stages); i++)
        g_clear_handle_id(&stages[i], pipeline_remove);
    pep_unregister_node(NODE_DEVICES);
    g_clear_pointer(&prepared, g_hash_table_destroy);
    g_clear_pointer(&accounts, g_hash_table_destroy);
}

static void omemo_account_removed(const char *account)
{
    g_hash_table_remove(accounts, account);
}

static const char *const omemo_disco[] = {NODE_DEVICES "+notify", NULL};

/* The store writes of a burst of messages share one commit. */
static void omemo_batch(Session *s, gboolean begin)
{
    OmemoAccount *a =
        accounts ? g_hash_table_lookup(accounts, s->account) : NULL;
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
