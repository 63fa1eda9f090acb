/* omemo_trust.c: the side of OMEMO the commands see (xmpp/omemo.h):
 * encrypted chats on and off, fingerprints, trust. */
#include "xmpp/omemo.h"

#include <string.h>

#include "core/buffer.h"
#include "core/event.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/ns.h"
#include "xmpp/omemo_internal.h"
#include "xmpp/stanza.h"

/* ---- the commands' side ---------------------------------------------------
 */

gboolean omemo_chat_enabled(const char *account, const char *jid)
{
    OmemoAccount *a = omemo_account(account, NULL);
    return a && omemo_store_chat_enabled(a->store, jid);
}

gboolean omemo_chat_v2(const char *account, const char *jid)
{
    OmemoAccount *a = omemo_account(account, NULL);
    return a && omemo_peer_version(a, jid) == V2;
}

gboolean omemo_chat_set(const char *account, const char *jid, gboolean on,
                        Sink *out, GError **error)
{
    OmemoAccount *a = omemo_account(account, error);
    if (!a)
        return FALSE;
    omemo_store_set_chat_enabled(a->store, jid, on);
    /* The chat's title says it. */
    Buffer *chat = buffer_find(BUFFER_CHAT, account, jid);
    if (chat)
        event_emit_buffer(EVENT_BUFFER_CHANGED, chat);
    Session *s = session_find(account);
    if (on && s && s->own_bare && s->conn && xmpp_conn_is_connected(s->conn))
        omemo_prepare(s, a, jid, NULL, out);
    return TRUE;
}

/* "05ab...": the hex of a serialised key, in groups of 8 without the
 * type byte, as other clients show it. */
static char *fingerprint(GBytes *key)
{
    gsize len = 0;
    const guint8 *d = g_bytes_get_data(key, &len);
    if (len == 33) {
        d++;
        len--;
    }
    GString *s = g_string_new(NULL);
    for (gsize i = 0; i < len; i++) {
        if (i && i % 4 == 0)
            g_string_append_c(s, ' ');
        g_string_append_printf(s, "%02x", d[i]);
    }
    return g_string_free(s, FALSE);
}

/* The same without the spaces, as links and typed fingerprints have it. */
static char *fingerprint_flat(GBytes *key)
{
    g_autofree char *grouped = fingerprint(key);
    GString *flat = g_string_new(NULL);
    for (const char *p = grouped; *p; p++)
        if (*p != ' ')
            g_string_append_c(flat, *p);
    return g_string_free(flat, FALSE);
}

static const char *trust_name(OmemoTrust t)
{
    switch (t) {
    case OMEMO_TRUST_VERIFIED:
        return "verified";
    case OMEMO_TRUST_DISTRUSTED:
        return "distrusted";
    case OMEMO_TRUST_PENDING:
        return "not trusted yet (omemo_trust manual: /omemo trust encrypts "
               "to it)";
    case OMEMO_TRUST_BLIND:
        break;
    }
    return "trusted blindly (not verified)";
}

GPtrArray *omemo_fingerprints(const char *account, const char *jid,
                              GError **error)
{
    OmemoAccount *a = omemo_account(account, error);
    if (!a)
        return NULL;
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    Session *s = session_find(account);
    const char *who = jid;
    if (!jid) {
        g_autoptr(GBytes) ik = omemo_store_get(a->store, "identity_public");
        g_autofree char *fp = fingerprint(ik);
        g_ptr_array_add(lines, g_strdup_printf("this device (%u): %s",
                                               (guint)a->device_id, fp));
        who = s ? s->own_bare : NULL;
        if (!who)
            return lines;
        /* The form other clients put in a QR code to verify us. */
        g_autofree char *flat = fingerprint_flat(ik);
        g_ptr_array_add(lines,
                        g_strdup_printf("as a link: xmpp:%s?omemo-sid-%u=%s",
                                        who, (guint)a->device_id, flat));
    }
    g_autoptr(GPtrArray) ids = omemo_store_identities(a->store, who);
    gboolean fetched = FALSE, fetched2 = FALSE;
    g_autoptr(GArray) active = omemo_store_devices(a->store, who, &fetched);
    g_autofree char *name2 = omemo_store_name(who, V2);
    g_autoptr(GArray) active2 = omemo_store_devices(a->store, name2, &fetched2);
    for (guint i = 0; i < ids->len; i++) {
        OmemoIdentity *id = ids->pdata[i];
        g_autofree char *fp = fingerprint(id->key);
        /* Which versions the device announces: a device may be in both
         * lists, with one key. */
        gboolean in03 = omemo_has_device(active, id->device);
        gboolean in2 = omemo_has_device(active2, id->device);
        const char *versions = in2 && in03             ? " (OMEMO:2 and 0.3)"
                               : in2                   ? " (OMEMO:2)"
                               : in03                  ? " (OMEMO 0.3)"
                               : !fetched && !fetched2 ? ""
                                                       : " (no longer listed)";
        g_ptr_array_add(lines,
                        g_strdup_printf("%s device %u: %s, %s%s", who,
                                        (guint)id->device, fp,
                                        trust_name(id->trust), versions));
    }
    if (jid && ids->len == 0)
        g_ptr_array_add(
            lines, g_strdup_printf("no OMEMO key of %s known yet (/omemo on "
                                   "in a chat with them fetches them)",
                                   jid));
    return lines;
}

gboolean omemo_trust(const char *account, const char *jid, const char *fp,
                     gboolean trust, GError **error)
{
    OmemoAccount *a = omemo_account(account, error);
    if (!a)
        return FALSE;
    g_autoptr(GString) hex = g_string_new(NULL);
    for (const char *p = fp; *p; p++)
        if (g_ascii_isxdigit(*p))
            g_string_append_c(hex, g_ascii_tolower(*p));
        else if (*p != ' ' && *p != ':') {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "a fingerprint is hexadecimal digits: %s", fp);
            return FALSE;
        }
    g_autoptr(GPtrArray) ids = omemo_store_identities(a->store, jid);
    for (guint i = 0; i < ids->len; i++) {
        OmemoIdentity *id = ids->pdata[i];
        g_autofree char *flat = fingerprint_flat(id->key);
        gboolean match = g_strcmp0(flat, hex->str) == 0 ||
                         (g_str_has_prefix(hex->str, "05") &&
                          g_strcmp0(flat, hex->str + 2) == 0);
        if (match) {
            omemo_store_set_trust_by_key(a->store, jid, id->key,
                                         trust ? OMEMO_TRUST_VERIFIED
                                               : OMEMO_TRUST_DISTRUSTED);
            return TRUE;
        }
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "no device of %s has the fingerprint %s (/omemo fingerprints "
                "%s lists them)",
                jid, fp, jid);
    return FALSE;
}
