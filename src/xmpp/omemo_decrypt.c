/* omemo_decrypt.c: the decrypt stage of OMEMO (0.3 here, OMEMO:2's
 * element in omemo2.c): an <encrypted/> in a received message (live,
 * carbon or archived) becomes its body, marked with the version and the
 * sender device's trust; one that cannot be decrypted becomes a line
 * saying why; a key transport (no payload) is taken silently. */
#include <omemo/protocol.h>
#include <omemo/session_cipher.h>
#include <string.h>

#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/ns.h"
#include "xmpp/omemo_crypto.h"
#include "xmpp/omemo_internal.h"
#include "xmpp/stanza.h"

/* ---- the decrypt stage ----------------------------------------------------
 */

MessageTrust omemo_message_trust(OmemoAccount *a, const char *jid,
                                 guint32 device)
{
    OmemoTrust t = OMEMO_TRUST_BLIND;
    g_autoptr(GBytes) ik = omemo_store_identity(a->store, jid, device, &t);
    if (!ik)
        return MESSAGE_TRUST_UNDECIDED;
    switch (t) {
    case OMEMO_TRUST_VERIFIED:
        return MESSAGE_TRUST_VERIFIED;
    case OMEMO_TRUST_DISTRUSTED:
    case OMEMO_TRUST_PENDING:
        return MESSAGE_TRUST_UNTRUSTED;
    case OMEMO_TRUST_BLIND:
        break;
    }
    return MESSAGE_TRUST_TRUSTED;
}

char *omemo_decrypt_key(Session *s, OmemoAccount *a, const char *name,
                        guint32 sid, guint version, const guint8 *data,
                        gsize len, gboolean kex, signal_buffer **out)
{
    signal_protocol_address addr = {name, strlen(name), (int32_t)sid};
    session_cipher *cipher = NULL;
    if (session_cipher_create(&cipher, a->sctx, &addr, a->ctx))
        return g_strdup("out of memory");
    session_cipher_set_version(cipher, version);
    int rc;
    if (kex) {
        pre_key_signal_message *pm = NULL;
        rc = version == V2
                 ? pre_key_signal_message_deserialize_omemo(&pm, data, len, sid,
                                                            a->ctx)
                 : pre_key_signal_message_deserialize(&pm, data, len, a->ctx);
        if (rc == 0) {
            rc = session_cipher_decrypt_pre_key_signal_message(cipher, pm, NULL,
                                                               out);
            SIGNAL_UNREF(pm);
        }
    } else {
        signal_message *sm = NULL;
        rc = version == V2
                 ? signal_message_deserialize_omemo(&sm, data, len, a->ctx)
                 : signal_message_deserialize(&sm, data, len, a->ctx);
        if (rc == 0) {
            rc = session_cipher_decrypt_signal_message(cipher, sm, NULL, out);
            SIGNAL_UNREF(sm);
        }
    }
    session_cipher_free(cipher);
    if (kex && rc == 0 && omemo_refill_prekeys(a))
        omemo_publish_bundle(s, a); /* the prekey it used is gone */
    const char *jid = name;
    if (version == V2 && g_str_has_prefix(name, OMEMO_STORE_V2_PREFIX))
        jid += strlen(OMEMO_STORE_V2_PREFIX);
    if (rc == SG_ERR_DUPLICATE_MESSAGE)
        return g_strdup("it was decrypted before (a duplicate)");
    if (rc == SG_ERR_NO_SESSION)
        return g_strdup_printf("there is no session with device %u of %s",
                               (guint)sid, jid);
    if (rc == SG_ERR_UNTRUSTED_IDENTITY)
        return g_strdup_printf("device %u of %s has a new identity key, "
                               "which natter does not accept",
                               (guint)sid, jid);
    if (rc)
        return g_strdup_printf("its key could not be decrypted (error %d)", rc);
    return NULL;
}

guint32 omemo_header_sid(xmpp_stanza_t *enc, xmpp_stanza_t **header)
{
    *header = xmpp_stanza_get_child_by_name(enc, "header");
    const char *sid =
        *header ? xmpp_stanza_get_attribute(*header, "sid") : NULL;
    guint64 v = 0;
    if (!sid || !g_ascii_string_to_unsigned(sid, 10, 1, G_MAXUINT32, &v, NULL))
        return 0;
    return (guint32)v;
}

/* Decrypts ENC from JID into M; NULL, or why not (caller frees).
 * CONSUMED: it carried no payload (a key transport): nothing to show. */
static char *decrypt(Session *s, OmemoAccount *a, const char *jid,
                     xmpp_stanza_t *enc, Message *m, gboolean *consumed)
{
    xmpp_stanza_t *header = NULL;
    guint32 sid = omemo_header_sid(enc, &header);
    if (!sid)
        return g_strdup("it has no valid header (sid)");
    g_autofree char *iv64 = stanza_child_text(header, "iv", NULL);
    gsize iv_len = 0;
    g_autofree guint8 *iv = iv64 ? g_base64_decode(iv64, &iv_len) : NULL;
    xmpp_stanza_t *mine = NULL;
    g_autofree char *rid = g_strdup_printf("%u", (guint)a->device_id);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(header); c;
         c = xmpp_stanza_get_next(c))
        if (g_strcmp0(xmpp_stanza_get_name(c), "key") == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "rid"), rid) == 0)
            mine = c;
    if (!mine)
        return g_strdup_printf("it was not encrypted for this device (%s)",
                               rid);
    g_autofree char *key64 = stanza_text(mine);
    gsize klen = 0;
    g_autofree guint8 *kdata = g_base64_decode(key64, &klen);
    if (klen == 0)
        return g_strdup("its key is empty or not base64");
    const char *pk = xmpp_stanza_get_attribute(mine, "prekey");
    gboolean prekey = g_strcmp0(pk, "true") == 0 || g_strcmp0(pk, "1") == 0;
    signal_buffer *plain = NULL;
    char *why =
        omemo_decrypt_key(s, a, jid, sid, V03, kdata, klen, prekey, &plain);
    if (why)
        return why;
    gsize plen = signal_buffer_len(plain);
    g_autofree guint8 *km = g_memdup2(signal_buffer_data(plain), plen);
    signal_buffer_bzero_free(plain);

    g_autofree char *payload64 = stanza_child_text(enc, "payload", NULL);
    if (!payload64) {
        *consumed = TRUE; /* a key transport or heartbeat */
        return NULL;
    }
    gsize len = 0;
    g_autofree guint8 *ct = g_base64_decode(payload64, &len);
    const guint8 *tag = km + 16;
    /* Old senders put 16 bytes through the ratchet and the tag after the
     * ciphertext. */
    if (plen == 16 && len >= 16) {
        len -= 16;
        tag = ct + len;
    } else if (plen < 32) {
        return g_strdup("its key material has the wrong length");
    }
    if (!iv)
        return g_strdup("it has no IV");
    g_autofree char *out = g_malloc0(len + 1);
    if (!omemo_gcm_decrypt(km, iv, iv_len, ct, len, tag, (guint8 *)out))
        return g_strdup("its payload does not decrypt (wrong key or tag)");
    if (!g_utf8_validate(out, (gssize)len, NULL) || strlen(out) != len)
        return g_strdup("its text is not valid UTF-8");
    g_free(m->body);
    m->body = g_steal_pointer(&out);
    m->security = MESSAGE_OMEMO;
    m->trust = omemo_message_trust(a, jid, sid);
    return NULL;
}

StageVerdict omemo_decrypt_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    Session *s = item->session;
    xmpp_stanza_t *enc = item->stanza
                             ? xmpp_stanza_get_child_by_name_and_ns(
                                   item->stanza, "encrypted", NS_OMEMO2)
                             : NULL;
    xmpp_stanza_t *enc03 = item->stanza
                               ? xmpp_stanza_get_child_by_name_and_ns(
                                     item->stanza, "encrypted", NS_OMEMO)
                               : NULL;
    if (!enc && !enc03)
        return STAGE_CONTINUE;
    g_autoptr(GError) error = NULL;
    OmemoAccount *a = omemo_account(m->account, &error);
    /* Both (an OMEMO:2 sender's fan-out to devices that only speak 0.3):
     * the 0.3 one when the OMEMO:2 one has no key for this device. */
    if (enc && enc03 && a && !omemo2_our_key(s, a, enc))
        enc = NULL;
    gboolean v2 = enc != NULL;
    if (!enc)
        enc = enc03;
    const char *author = m->direction == MESSAGE_OUT ? s->own_bare : m->from;
    /* In a room, the sender's real JID as the room shows it. */
    g_autofree char *jid = m->kind == MESSAGE_GROUPCHAT
                               ? omemo_muc_sender(s, m, item->stanza)
                           : author ? jid_bare(author)
                                    : NULL;
    xmpp_stanza_t *header = NULL;
    gboolean from_us = a && m->kind == MESSAGE_GROUPCHAT &&
                       g_strcmp0(jid, s->own_bare) == 0 &&
                       omemo_header_sid(enc, &header) == a->device_id;
    gboolean consumed = FALSE;
    g_autofree char *why = NULL;
    g_autofree char *sent = from_us ? omemo_muc_sent_text(m) : NULL;
    if (!a) {
        why = g_strdup(error->message);
    } else if (from_us) {
        /* Sent by this device, which has no key to itself: the text we
         * kept when we sent it. */
        if (sent) {
            g_free(m->body);
            m->body = g_steal_pointer(&sent);
            m->security = v2 ? MESSAGE_OMEMO2 : MESSAGE_OMEMO;
            m->trust = MESSAGE_TRUST_TRUSTED;
        } else {
            why = g_strdup("this device sent it and keeps no key to itself");
        }
    } else if (!jid && m->kind == MESSAGE_GROUPCHAT)
        why = g_strdup("the room does not say who sent it (no real JID)");
    else if (!jid)
        why = g_strdup("it has no sender");
    else if (v2)
        why = omemo2_decrypt(s, a, jid, enc, m, &consumed);
    else
        why = decrypt(s, a, jid, enc, m, &consumed);
    if (consumed)
        return STAGE_CONSUMED;
    if (why) {
        /* Said in the conversation, where the message was expected,
         * never dropped and never the fallback text. */
        g_free(m->body);
        m->body = g_strdup_printf("[an %s message that could not be "
                                  "decrypted: %s]",
                                  v2 ? "OMEMO:2" : "OMEMO", why);
        m->security = MESSAGE_PLAIN;
        m->trust = MESSAGE_TRUST_NONE;
    }
    return STAGE_CONTINUE;
}
