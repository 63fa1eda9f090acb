/* omemo2.c: what OMEMO:2 (XEP-0384 v0.8 and later, urn:xmpp:omemo:2)
 * does differently from OMEMO 0.3: its device list (<devices/>), its one
 * bundle node with an item per device and the identity key in its
 * Ed25519 form, the <encrypted/> with a <keys jid/> per recipient, and a
 * payload that is a XEP-0420 envelope encrypted with AES-256-CBC under
 * keys HKDF derives (omemo_crypto.h). Fetching, sessions, trust and the
 * stages are shared with 0.3 in omemo.c and omemo_decrypt.c. */
#include <omemo/curve.h>
#include <omemo/session_pre_key.h>
#include <string.h>

#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/ns.h"
#include "xmpp/omemo_crypto.h"
#include "xmpp/omemo_internal.h"
#include "xmpp/stanza.h"

/* ---- publishing -----------------------------------------------------------
 */

/* <NAME id=ID>the 32-byte Montgomery form of KEY</NAME> */
static void add_key(xmpp_stanza_t *parent, const char *name, guint32 id,
                    ec_public_key *key)
{
    signal_buffer *b = NULL;
    if (ec_public_key_serialize_omemo(&b, key))
        return;
    xmpp_stanza_t *c = omemo_add_base64(parent, name, b);
    g_autofree char *sid = g_strdup_printf("%u", (guint)id);
    xmpp_stanza_set_attribute(c, "id", sid);
    signal_buffer_free(b);
}

static void publish_bundle(Session *s, OmemoAccount *a, gboolean many);

/* The node's configuration asks for as many items as it takes, for a
 * server that did not take it as a publish option. */
static void configure_bundles(Session *s)
{
    xmpp_stanza_t *pubsub = NULL;
    xmpp_stanza_t *iq =
        iq_new(s, "set", NULL, "pubsub", NS_PUBSUB "#owner", &pubsub);
    xmpp_stanza_t *conf = stanza_add_child_ns(pubsub, "configure", NULL);
    xmpp_stanza_set_attribute(conf, "node", NODE2_BUNDLES);
    xmpp_stanza_t *form = stanza_add_child_ns(conf, "x", NS_DATA);
    xmpp_stanza_set_type(form, "submit");
    const char *fields[][2] = {
        {"FORM_TYPE", NS_PUBSUB "#node_config"},
        {"pubsub#max_items", "max"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        xmpp_stanza_t *f = stanza_add_child_ns(form, "field", NULL);
        xmpp_stanza_set_attribute(f, "var", fields[i][0]);
        stanza_add_text_child(f, "value", fields[i][1]);
    }
    iq_send(s, iq, omemo_on_published, "OMEMO:2 bundle node's configuration",
            NULL);
    xmpp_stanza_release(iq);
}

/* A server that refuses the publish option pubsub#max_items (ejabberd
 * 23.01 does not know it) gets the bundle without it, then the node's
 * configuration. */
static void on_bundle_published(Session *s, xmpp_stanza_t *result,
                                gpointer data)
{
    gboolean many = GPOINTER_TO_UINT(data);
    OmemoAccount *a = omemo_account(s->account, NULL);
    if (result && !iq_is_result(result) && many && a) {
        publish_bundle(s, a, FALSE);
        return;
    }
    if (result && iq_is_result(result) && !many)
        configure_bundles(s);
    omemo_on_published(s, result, "OMEMO:2 bundle");
}

void omemo2_publish_bundle(Session *s, OmemoAccount *a)
{
    publish_bundle(s, a, TRUE);
}

static void publish_bundle(Session *s, OmemoAccount *a, gboolean many)
{
    g_autofree char *id = g_strdup_printf("%u", (guint)a->device_id);
    xmpp_stanza_t *item = NULL;
    xmpp_stanza_t *iq = omemo_publish_iq(s, NODE2_BUNDLES, id, many, &item);
    xmpp_stanza_t *bundle = stanza_add_child_ns(item, "bundle", NS_OMEMO2);

    guint32 spk_id = omemo_store_get_u32(a->store, "spk_id", 1);
    session_signed_pre_key *spk = NULL;
    if (signal_protocol_signed_pre_key_load_key(a->sctx, &spk, spk_id) == 0) {
        add_key(
            bundle, "spk", spk_id,
            ec_key_pair_get_public(session_signed_pre_key_get_key_pair(spk)));
        /* OMEMO:2 signs the Montgomery form: its own signature. */
        signal_buffer *b = signal_buffer_create(
            session_signed_pre_key_get_signature_omemo(spk),
            session_signed_pre_key_get_signature_omemo_len(spk));
        omemo_add_base64(bundle, "spks", b);
        signal_buffer_free(b);
        SIGNAL_UNREF(spk);
    }
    /* The identity key in its Ed25519 form, as the XEP asks: peers check
     * the signature above with it. */
    g_autoptr(GBytes) ik = omemo_store_get(a->store, "identity_public");
    gsize len = 0;
    const guint8 *d = g_bytes_get_data(ik, &len);
    ec_public_key *key = NULL;
    if (curve_decode_point(&key, d, len, a->ctx) == 0) {
        signal_buffer *ed = ec_public_key_get_ed(key);
        if (ed)
            omemo_add_base64(bundle, "ik", ed);
        signal_buffer_free(ed);
        SIGNAL_UNREF(key);
    }

    xmpp_stanza_t *prekeys = stanza_add_child_ns(bundle, "prekeys", NULL);
    g_autoptr(GHashTable) all = omemo_store_prekeys(a->store);
    GHashTableIter it;
    gpointer k, value;
    g_hash_table_iter_init(&it, all);
    while (g_hash_table_iter_next(&it, &k, &value)) {
        session_pre_key *pk = NULL;
        d = g_bytes_get_data(value, &len);
        if (session_pre_key_deserialize(&pk, d, len, a->ctx))
            continue;
        add_key(prekeys, "pk", GPOINTER_TO_UINT(k),
                ec_key_pair_get_public(session_pre_key_get_key_pair(pk)));
        SIGNAL_UNREF(pk);
    }
    iq_send(s, iq, on_bundle_published, GUINT_TO_POINTER(many), NULL);
    xmpp_stanza_release(iq);
}

/* ---- sessions from bundles ------------------------------------------------
 */

static ec_public_key *decode(OmemoAccount *a, const char *b64, gboolean ed)
{
    if (!b64)
        return NULL;
    gsize len = 0;
    g_autofree guint8 *d = g_base64_decode(b64, &len);
    ec_public_key *k = NULL;
    int rc = ed ? curve_decode_point_ed(&k, d, len, a->ctx)
                : curve_decode_point_mont(&k, d, len, a->ctx);
    return rc ? NULL : k;
}

static gboolean parse_id(xmpp_stanza_t *el, guint32 *id)
{
    const char *s = el ? xmpp_stanza_get_attribute(el, "id") : NULL;
    guint64 v = 0;
    if (!s || !g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT32, &v, NULL))
        return FALSE;
    *id = (guint32)v;
    return TRUE;
}

char *omemo2_build_session(OmemoAccount *a, const char *jid, guint32 device,
                           xmpp_stanza_t *bundle)
{
    if (!bundle)
        return g_strdup("no bundle");
    xmpp_stanza_t *spk_el = xmpp_stanza_get_child_by_name(bundle, "spk");
    g_autofree char *spk64 = spk_el ? stanza_text(spk_el) : NULL;
    g_autofree char *sig64 = stanza_child_text(bundle, "spks", NULL);
    g_autofree char *ik64 = stanza_child_text(bundle, "ik", NULL);
    xmpp_stanza_t *prekeys = xmpp_stanza_get_child_by_name(bundle, "prekeys");
    /* A random prekey, as the XEP asks. */
    g_autoptr(GPtrArray) pks = g_ptr_array_new();
    for (xmpp_stanza_t *c = prekeys ? xmpp_stanza_get_children(prekeys) : NULL;
         c; c = xmpp_stanza_get_next(c))
        if (g_strcmp0(xmpp_stanza_get_name(c), "pk") == 0)
            g_ptr_array_add(pks, c);
    xmpp_stanza_t *pk_el =
        pks->len ? pks->pdata[g_random_int_range(0, (int)pks->len)] : NULL;
    g_autofree char *pk64 = pk_el ? stanza_text(pk_el) : NULL;
    guint32 spk_id = 0, pk_id = 0;
    gsize sig_len = 0;
    g_autofree guint8 *sig = sig64 ? g_base64_decode(sig64, &sig_len) : NULL;
    ec_public_key *spk = decode(a, spk64, FALSE);
    ec_public_key *ik = decode(a, ik64, TRUE);
    ec_public_key *pk = decode(a, pk64, FALSE);
    char *why = NULL;
    if (!spk || !ik || !pk || sig_len != 64 || !parse_id(spk_el, &spk_id) ||
        !parse_id(pk_el, &pk_id)) {
        why = g_strdup("its bundle is incomplete or malformed");
    } else {
        g_autofree char *name = omemo_store_name(jid, V2);
        why = omemo_session_from_bundle(a, name, device, V2, pk_id, pk, spk_id,
                                        spk, sig, sig_len, ik);
    }
    if (spk)
        SIGNAL_UNREF(spk);
    if (ik)
        SIGNAL_UNREF(ik);
    if (pk)
        SIGNAL_UNREF(pk);
    return why;
}

/* ---- the envelope (XEP-0420) ----------------------------------------------
 */

/* <envelope><content><body/></content><rpad/><from/></envelope>: the
 * random padding hides the length of short messages. */
static char *envelope(const char *body, const char *from)
{
    guint8 pad[48];
    omemo_crypto_random(pad, sizeof pad);
    g_autofree char *rpad = g_base64_encode(pad, 1 + pad[0] % 40);
    g_autofree char *text = g_markup_escape_text(body, -1);
    g_autofree char *jid = g_markup_escape_text(from, -1);
    return g_strdup_printf("<envelope xmlns='" NS_SCE "'><content>"
                           "<body xmlns='jabber:client'>%s</body></content>"
                           "<rpad>%s</rpad><from jid='%s'/></envelope>",
                           text, rpad, jid);
}

/* The body of ENVELOPE (XML) from SENDER; NULL with WHY, or with neither
 * when it carried no body (a heartbeat). */
static char *open_envelope(Session *s, const char *xml, const char *sender,
                           char **why)
{
    xmpp_stanza_t *env = xmpp_stanza_new_from_string(s->ctx, xml);
    if (!env || g_strcmp0(xmpp_stanza_get_name(env), "envelope") != 0 ||
        g_strcmp0(xmpp_stanza_get_ns(env), NS_SCE) != 0) {
        *why = g_strdup("its content is not a stanza content encryption "
                        "envelope");
        if (env)
            xmpp_stanza_release(env);
        return NULL;
    }
    /* The affix says who wrote it: a server cannot pass one contact's
     * message off as another's. */
    xmpp_stanza_t *from = xmpp_stanza_get_child_by_name(env, "from");
    const char *fjid = from ? xmpp_stanza_get_attribute(from, "jid") : NULL;
    g_autofree char *fbare = fjid ? jid_bare(fjid) : NULL;
    char *body = NULL;
    if (fbare && g_strcmp0(fbare, sender) != 0) {
        *why = g_strdup_printf("its envelope says it is from %s, not %s", fbare,
                               sender);
    } else {
        xmpp_stanza_t *content = xmpp_stanza_get_child_by_name(env, "content");
        xmpp_stanza_t *b =
            content ? xmpp_stanza_get_child_by_name(content, "body") : NULL;
        if (b)
            body = stanza_text(b);
        if (b && !body)
            body = g_strdup("");
    }
    xmpp_stanza_release(env);
    return body;
}

/* ---- sending --------------------------------------------------------------
 */

xmpp_stanza_t *omemo2_encrypt_to(Session *s, OmemoAccount *a, const char *text,
                                 const char *const *jids, guint n,
                                 guint *theirs, GString *skipped)
{
    g_autofree char *xml = envelope(text, s->own_bare);
    guint8 keymat[OMEMO2_KEYMAT_LEN];
    gsize ct_len = 0;
    g_autofree guint8 *ct = omemo2_payload_encrypt(
        (const guint8 *)xml, strlen(xml), keymat, &ct_len);
    if (!ct)
        return NULL;

    xmpp_stanza_t *header = NULL;
    xmpp_stanza_t *enc = omemo_encrypted_new(s, a, NS_OMEMO2, &header);
    *theirs = 0;
    gboolean to_us = FALSE; /* a note to ourselves: our devices once */
    for (guint i = 0; i < n; i++)
        to_us |= g_strcmp0(jids[i], s->own_bare) == 0;
    for (guint i = 0; i <= n; i++) {
        const char *jid = i < n ? jids[i] : s->own_bare;
        gboolean own = i == n;
        if (own && to_us)
            break;
        xmpp_stanza_t *keys = xmpp_stanza_new(s->ctx);
        xmpp_stanza_set_name(keys, "keys");
        xmpp_stanza_set_attribute(keys, "jid", jid);
        guint k = omemo_encrypt_keys(a, jid, own, V2, NULL, keymat,
                                     sizeof keymat, keys, skipped);
        if (!own)
            *theirs += k;
        if (k)
            xmpp_stanza_add_child(header, keys);
        xmpp_stanza_release(keys);
    }
    memset(keymat, 0, sizeof keymat);
    if (*theirs == 0 && n) {
        xmpp_stanza_release(enc);
        return NULL;
    }
    g_autofree char *payload = g_base64_encode(ct, ct_len);
    stanza_add_text_child(enc, "payload", payload);
    return enc;
}

xmpp_stanza_t *omemo2_encrypt(Session *s, OmemoAccount *a, Message *m,
                              guint *theirs, GString *skipped)
{
    const char *peer = m->peer;
    return omemo2_encrypt_to(s, a, m->body, &peer, 1, theirs, skipped);
}

/* ---- receiving ------------------------------------------------------------
 */

/* Ours: the <key rid/> of this device under <keys jid/> of our JID. */
xmpp_stanza_t *omemo2_our_key(Session *s, OmemoAccount *a, xmpp_stanza_t *enc)
{
    xmpp_stanza_t *header = xmpp_stanza_get_child_by_name(enc, "header");
    g_autofree char *rid = g_strdup_printf("%u", (guint)a->device_id);
    for (xmpp_stanza_t *k = header ? xmpp_stanza_get_children(header) : NULL; k;
         k = xmpp_stanza_get_next(k)) {
        if (g_strcmp0(xmpp_stanza_get_name(k), "keys") != 0 ||
            g_strcmp0(xmpp_stanza_get_attribute(k, "jid"), s->own_bare) != 0)
            continue;
        for (xmpp_stanza_t *c = xmpp_stanza_get_children(k); c;
             c = xmpp_stanza_get_next(c))
            if (g_strcmp0(xmpp_stanza_get_name(c), "key") == 0 &&
                g_strcmp0(xmpp_stanza_get_attribute(c, "rid"), rid) == 0)
                return c;
    }
    return NULL;
}

char *omemo2_decrypt(Session *s, OmemoAccount *a, const char *jid,
                     xmpp_stanza_t *enc, Message *m, gboolean *consumed)
{
    xmpp_stanza_t *header = NULL;
    guint32 sid = omemo_header_sid(enc, &header);
    if (!sid)
        return g_strdup("it has no valid header (sid)");
    g_autofree char *rid = g_strdup_printf("%u", (guint)a->device_id);
    xmpp_stanza_t *mine = omemo2_our_key(s, a, enc);
    if (!mine && !xmpp_stanza_get_child_by_name(enc, "payload")) {
        *consumed = TRUE; /* a heartbeat for another device: no message */
        return NULL;
    }
    if (!mine)
        return g_strdup_printf("it was not encrypted for this device (%s)",
                               rid);
    g_autofree char *key64 = stanza_text(mine);
    gsize klen = 0;
    g_autofree guint8 *kdata = key64 ? g_base64_decode(key64, &klen) : NULL;
    if (klen == 0)
        return g_strdup("its key is empty or not base64");
    const char *kex_s = xmpp_stanza_get_attribute(mine, "kex");
    gboolean kex = g_strcmp0(kex_s, "true") == 0 || g_strcmp0(kex_s, "1") == 0;
    g_autofree char *name = omemo_store_name(jid, V2);
    signal_buffer *plain = NULL;
    char *why =
        omemo_decrypt_key(s, a, name, sid, V2, kdata, klen, kex, &plain);
    if (why)
        return why;
    gsize plen = signal_buffer_len(plain);
    guint8 keymat[OMEMO2_KEYMAT_LEN];
    gboolean full = plen == sizeof keymat;
    if (full)
        memcpy(keymat, signal_buffer_data(plain), plen);
    signal_buffer_bzero_free(plain);

    g_autofree char *payload64 = stanza_child_text(enc, "payload", NULL);
    if (!payload64) {
        *consumed = TRUE; /* a key exchange or heartbeat: nothing to show */
        return NULL;
    }
    if (!full)
        return g_strdup("its key material has the wrong length");
    gsize len = 0, out_len = 0;
    g_autofree guint8 *ct = g_base64_decode(payload64, &len);
    g_autofree guint8 *out =
        omemo2_payload_decrypt(keymat, sizeof keymat, ct, len, &out_len);
    memset(keymat, 0, sizeof keymat);
    if (!out)
        return g_strdup("its payload does not decrypt (wrong key or "
                        "authentication tag)");
    if (!g_utf8_validate((const char *)out, (gssize)out_len, NULL) ||
        strlen((const char *)out) != out_len)
        return g_strdup("its content is not valid UTF-8");
    char *body = open_envelope(s, (const char *)out, jid, &why);
    if (why)
        return why;
    if (!body) {
        *consumed = TRUE; /* an envelope with no body */
        return NULL;
    }
    g_free(m->body);
    m->body = body;
    m->security = MESSAGE_OMEMO2;
    m->trust = omemo_message_trust(a, jid, sid);
    return NULL;
}
