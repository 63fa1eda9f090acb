/* omemo_heartbeat.c: the empty OMEMO messages that move a session on
 * (XEP-0384, business rules). A device that sent us a key exchange keeps
 * sending key exchanges until we answer; one whose message counter
 * reached 53 must see its ratchet step forward. If the user does not
 * answer, natter does, with a message that carries a key for that device
 * and no payload. The decrypt side asks for one (omemo_heartbeat_want);
 * they leave at the end of the socket read that asked for them, one per
 * device however many messages asked, and never when the user's own
 * answer to that device already left in the same read. They also tell
 * the other side that this device is alive (stale devices, omemo.c). */
#include <string.h>

#include "xmpp/ns.h"
#include "xmpp/omemo_crypto.h"
#include "xmpp/omemo_internal.h"
#include "xmpp/stanza.h"

/* A device owed a heartbeat. */
typedef struct {
    char *account;
    char *jid;
    guint32 device;
    guint version;
} Owed;

static void owed_free(gpointer data)
{
    Owed *o = data;
    g_free(o->account);
    g_free(o->jid);
    g_free(o);
}

/* "account\njid\ndevice\nversion" -> Owed: one per device however many
 * messages asked. */
static GHashTable *owed;

static char *owed_key(const char *account, const char *jid, guint32 device,
                      guint version)
{
    return g_strdup_printf("%s\n%s\n%u\n%u", account, jid, (guint)device,
                           version);
}

void omemo_heartbeat_want(OmemoAccount *a, const char *jid, guint32 device,
                          guint version)
{
    if (!owed)
        owed =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, owed_free);
    Owed *o = g_new0(Owed, 1);
    o->account = g_strdup(a->account);
    o->jid = g_strdup(jid);
    o->device = device;
    o->version = version;
    g_hash_table_insert(owed, owed_key(a->account, jid, device, version), o);
}

void omemo_heartbeat_sent(OmemoAccount *a, const char *jid, guint32 device,
                          guint version)
{
    g_autofree char *key = owed_key(a->account, jid, device, version);
    if (owed)
        g_hash_table_remove(owed, key);
}

/* <message to=JID><encrypted><header sid>KEY</header></encrypted>, in
 * the shape of VERSION, with a fresh key for DEVICE and no payload. */
static xmpp_stanza_t *heartbeat(Session *s, OmemoAccount *a, const char *jid,
                                guint32 device, guint version)
{
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, "chat", jid, id);
    xmpp_stanza_t *header = NULL;
    xmpp_stanza_t *enc = omemo_encrypted_new(
        s, a, version == V2 ? NS_OMEMO2 : NS_OMEMO, &header);
    xmpp_stanza_add_child(msg, enc);
    xmpp_stanza_release(enc);
    xmpp_stanza_t *parent = header;
    if (version == V2) {
        parent = stanza_add_child_ns(header, "keys", NULL);
        xmpp_stanza_set_attribute(parent, "jid", jid);
    }
    guint8 keymat[OMEMO2_KEYMAT_LEN];
    gsize len = version == V2 ? OMEMO2_KEYMAT_LEN : 32;
    omemo_crypto_random(keymat, len);
    g_autoptr(GString) why = g_string_new(NULL);
    xmpp_stanza_t *key =
        omemo_encrypt_key(a, jid, device, version, keymat, len, parent, why);
    memset(keymat, 0, sizeof keymat);
    if (!key) {
        xmpp_stanza_release(msg);
        return NULL;
    }
    if (version != V2) {
        guint8 iv[12];
        omemo_crypto_random(iv, sizeof iv);
        g_autofree char *iv64 = g_base64_encode(iv, sizeof iv);
        stanza_add_text_child(header, "iv", iv64);
    }
    /* Archived, so that the device gets it when it comes back. */
    stanza_add_child_ns(msg, "store", NS_HINTS);
    return msg;
}

void omemo_heartbeat_flush(Session *s, OmemoAccount *a)
{
    if (!owed || !s->conn || !xmpp_conn_is_connected(s->conn))
        return;
    /* Taken out first: sending one calls omemo_heartbeat_sent. */
    g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func(owed_free);
    GHashTableIter iter;
    gpointer k, v;
    g_hash_table_iter_init(&iter, owed);
    while (g_hash_table_iter_next(&iter, &k, &v))
        if (g_strcmp0(((Owed *)v)->account, a->account) == 0) {
            g_hash_table_iter_steal(&iter);
            g_free(k);
            g_ptr_array_add(due, v);
        }
    for (guint i = 0; i < due->len; i++) {
        Owed *o = due->pdata[i];
        xmpp_stanza_t *msg = heartbeat(s, a, o->jid, o->device, o->version);
        if (msg) {
            session_send(s, msg);
            xmpp_stanza_release(msg);
        }
    }
}

void omemo_heartbeat_shutdown(void)
{
    g_clear_pointer(&owed, g_hash_table_unref);
}
