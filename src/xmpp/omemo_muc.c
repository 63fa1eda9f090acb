/* omemo_muc.c: OMEMO in rooms (XEP-0384 6.3), as Conversations and Dino
 * do it: only in a room that shows everyone's real JID (non-anonymous)
 * and lets only members in (members-only), where a message is encrypted
 * to every device of every member and occupant (their real JIDs: the
 * affiliation lists, which such a room lets members read, and the
 * occupants present) and of our own other devices. A room that stops
 * being suitable, a member without devices or a device whose keys
 * cannot be had make the message refused, never sent in the clear.
 *
 * A room message carries one version, unlike a chat's 0.3 element beside
 * OMEMO:2 for a contact's old devices: every device of the room reads the
 * same element, and two would double a big room's message for little.
 * OMEMO:2 when every device of every member (and ours) announces it,
 * 0.3 otherwise: 0.3 is what every client that does OMEMO in rooms
 * (Conversations, Dino, Gajim) speaks.
 *
 * This device has no session with itself: the room's reflection of what
 * we sent is shown with the text kept, by origin-id, when we sent it. */
#include <string.h>

#include "core/account.h"
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/event.h"
#include "core/room.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/message_internal.h"
#include "xmpp/muc_internal.h"
#include "xmpp/ns.h"
#include "xmpp/omemo.h"
#include "xmpp/omemo_crypto.h"
#include "xmpp/omemo_internal.h"
#include "xmpp/stanza.h"

/* The texts we sent, by origin-id, until their reflection comes (the
 * newest SENT_KEPT of them). */
#define SENT_KEPT 500
static GHashTable *sent;   /* origin-id -> text */
static GQueue *sent_order; /* origin-ids (borrowed from the table), oldest
                              first */
/* "account\nroom" -> GPtrArray of bare JIDs: the room's members, admins
 * and owners as last read. */
static GHashTable *members;
/* "account\nroom" of the OMEMO rooms that were suitable last we looked:
 * a change is said once. */
static GHashTable *suitable;
static guint room_subscription;

static char *room_key(const char *account, const char *room)
{
    return g_strconcat(account, "\n", room, NULL);
}

/* ---- suitability -------------------------------------------------------- */

/* NULL when ROOM may have OMEMO; otherwise what it lacks. */
static char *unsuitable(const Room *r)
{
    if (!r || r->state != ROOM_JOINED)
        return g_strdup("natter must be in the room to know whether it is "
                        "suitable (join it first)");
    if (!r->nonanonymous && !r->membersonly)
        return g_strdup("it is neither non-anonymous (real JIDs shown to "
                        "everyone: muc#roomconfig_whois anyone) nor "
                        "members-only (muc#roomconfig_membersonly)");
    if (!r->nonanonymous)
        return g_strdup("it is not non-anonymous: it does not show its "
                        "occupants' real JIDs to everyone "
                        "(muc#roomconfig_whois anyone)");
    if (!r->membersonly)
        return g_strdup("it is not members-only "
                        "(muc#roomconfig_membersonly)");
    return NULL;
}

gboolean omemo_room_set(const char *account, const char *room, gboolean on,
                        Sink *out, GError **error)
{
    OmemoAccount *a = omemo_account(account, error);
    if (!a)
        return FALSE;
    Room *r = room_find(account, room);
    g_autofree char *why = on ? unsuitable(r) : NULL;
    if (why) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "OMEMO needs a non-anonymous, members-only room: %s is "
                    "not suitable: %s",
                    room, why);
        return FALSE;
    }
    omemo_store_set_chat_enabled(a->store, room, on);
    g_autofree char *key = room_key(account, room);
    if (on)
        g_hash_table_add(suitable, g_steal_pointer(&key));
    else
        g_hash_table_remove(suitable, key);
    Buffer *b = buffer_find(BUFFER_ROOM, account, room);
    if (b)
        event_emit_buffer(EVENT_BUFFER_CHANGED, b);
    if (on)
        omemo_room_prepare(account, room, out);
    return TRUE;
}

/* A room changed: an OMEMO room that is no longer suitable says so (its
 * messages are refused from now on). */
static EventResult on_room_changed(const Event *e, gpointer data)
{
    const char *account = e->room.account ? e->room.account->name : NULL;
    const char *jid = e->room.room;
    Room *r = account && jid ? room_find(account, jid) : NULL;
    if (!r || r->state != ROOM_JOINED || !omemo_chat_enabled(account, jid))
        return EVENT_CONTINUE;
    g_autofree char *key = room_key(account, jid);
    g_autofree char *why = unsuitable(r);
    if (!why) {
        g_hash_table_add(suitable, g_steal_pointer(&key));
        return EVENT_CONTINUE;
    }
    if (g_hash_table_remove(suitable, key))
        buffer_appendf(muc_room_buffer(r), LINE_ERROR,
                       "OMEMO: %s is no longer suitable for encryption: %s. "
                       "Messages typed here are not sent until it is again "
                       "(or /omemo off sends them in the clear).",
                       jid, why);
    return EVENT_CONTINUE;
}

/* ---- who a room message is encrypted to --------------------------------- */

/* The bare JIDs a message to R goes to: its members as last read and the
 * occupants present, without us. Caller frees. */
static GPtrArray *recipients(Session *s, Room *r)
{
    GPtrArray *jids = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree char *key = room_key(s->account, r->jid);
    GPtrArray *listed = g_hash_table_lookup(members, key);
    for (guint i = 0; listed && i < listed->len; i++) {
        const char *jid = listed->pdata[i];
        if (g_strcmp0(jid, s->own_bare) != 0 &&
            g_hash_table_add(seen, (gpointer)jid))
            g_ptr_array_add(jids, g_strdup(jid));
    }
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, r->occupants);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        const Occupant *o = value;
        g_autofree char *bare = o->real_jid ? jid_bare(o->real_jid) : NULL;
        if (bare && g_strcmp0(bare, s->own_bare) != 0 &&
            !g_hash_table_contains(seen, bare)) {
            g_ptr_array_add(jids, g_steal_pointer(&bare));
            g_hash_table_add(seen, g_ptr_array_index(jids, jids->len - 1));
        }
    }
    return jids;
}

static char *incomplete(OmemoAccount *a, const char *jid, gboolean own,
                        guint version);
static guint room_version(Session *s, OmemoAccount *a, GPtrArray *jids);

/* Reading the affiliation lists (member, admin, owner) of a room, then
 * what the encryption to them needs. */
typedef struct {
    char *account;
    char *room;
    guint pending;
    GPtrArray *found;
    gboolean known; /* a list was read */
    Message *message;
    Sink *out; /* to say what was found (no message), or NULL */
} Gather;

/* What /omemo on in a room found, said to OUT. */
typedef struct {
    char *account;
    char *room;
    Sink *out;
} Report;

static void report(Session *s, gpointer data)
{
    Report *rep = data;
    OmemoAccount *a = omemo_account(rep->account, NULL);
    Room *r = room_find(rep->account, rep->room);
    if (a && r && s) {
        g_autoptr(GPtrArray) jids = recipients(s, r);
        guint version = room_version(s, a, jids);
        g_autoptr(GString) lacks = g_string_new(NULL);
        guint devices = 0;
        for (guint i = 0; i < jids->len; i++) {
            g_autofree char *name = omemo_store_name(jids->pdata[i], version);
            g_autoptr(GArray) d = omemo_store_devices(a->store, name, NULL);
            devices += d->len;
            g_autofree char *lack =
                incomplete(a, jids->pdata[i], FALSE, version);
            if (lack)
                g_string_append_printf(lacks, "%s%s", lacks->len ? "; " : "",
                                       lack);
        }
        if (lacks->len)
            sink_printf(rep->out, LINE_ERROR,
                        "OMEMO: messages to %s would be refused now: %s",
                        rep->room, lacks->str);
        else
            sink_printf(rep->out, LINE_INFO,
                        "OMEMO: %s has %u other member%s with %u device%s "
                        "(%s), each with a session",
                        rep->room, jids->len, jids->len == 1 ? "" : "s",
                        devices, devices == 1 ? "" : "s",
                        version == V2 ? "OMEMO:2" : "OMEMO 0.3");
    }
    g_free(rep->account);
    g_free(rep->room);
    sink_unref(rep->out);
    g_free(rep);
}

static void gather_done(Session *s, Gather *g)
{
    g_autofree char *key = room_key(g->account, g->room);
    /* Lists the room would not give (not every server gives every list
     * to every member) add nothing; none at all leaves what was known.
     * The occupants present count anyway. */
    if (g->known)
        g_hash_table_replace(members, g_steal_pointer(&key),
                             g_ptr_array_ref(g->found));
    Room *r = room_find(g->account, g->room);
    OmemoAccount *a = omemo_account(g->account, NULL);
    if (!r || !a) {
        if (g->message)
            omemo_transmit_again(s, g->message); /* it refuses with why */
        return;
    }
    g_autoptr(GPtrArray) jids = recipients(s, r);
    /* A member without devices, or with a device whose keys we lack, is
     * asked again: they may have set OMEMO up since (strangers' device
     * lists are not pushed to us). */
    gboolean fetch = !g->message || omemo_needs_fetch(s, a, s->own_bare);
    for (guint i = 0; !fetch && i < jids->len; i++) {
        g_autofree char *lack = incomplete(a, jids->pdata[i], FALSE, V03);
        fetch = lack || omemo_needs_fetch(s, a, jids->pdata[i]);
    }
    Report *rep = NULL;
    if (g->out) {
        rep = g_new0(Report, 1);
        rep->account = g_strdup(g->account);
        rep->room = g_strdup(g->room);
        rep->out = sink_ref(g->out);
    }
    if (fetch)
        omemo_prepare_jids(s, jids, g->message, rep ? report : NULL, rep);
    else
        omemo_transmit_again(s, g->message);
}

static void gather_unref(Session *s, Gather *g)
{
    if (--g->pending)
        return;
    if (s)
        gather_done(s, g);
    g_free(g->account);
    g_free(g->room);
    g_ptr_array_unref(g->found);
    if (g->message)
        message_unref(g->message);
    if (g->out)
        sink_unref(g->out);
    g_free(g);
}

static void on_affiliations(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Gather *g = data;
    xmpp_stanza_t *query = result && iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name_and_ns(
                                     result, "query", NS_MUC_ADMIN)
                               : NULL;
    if (query)
        g->known = TRUE;
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *jid = g_strcmp0(xmpp_stanza_get_name(c), "item") == 0
                              ? xmpp_stanza_get_attribute(c, "jid")
                              : NULL;
        char *bare = jid ? jid_bare(jid) : NULL;
        if (bare)
            g_ptr_array_add(g->found, bare);
    }
    gather_unref(result ? s : NULL, g);
}

/* Reads the member lists of R, then fetches the device lists and bundles
 * that are missing, then transmits M again (when not NULL). */
static void gather(Session *s, Room *r, Message *m, Sink *out)
{
    Gather *g = g_new0(Gather, 1);
    g->account = g_strdup(s->account);
    g->room = g_strdup(r->jid);
    g->found = g_ptr_array_new_with_free_func(g_free);
    g->message = m ? message_ref(m) : NULL;
    g->out = out ? sink_ref(out) : NULL;
    g->pending = 1;
    static const char *const lists[] = {"member", "admin", "owner"};
    for (guint i = 0; i < G_N_ELEMENTS(lists); i++) {
        xmpp_stanza_t *query = NULL;
        xmpp_stanza_t *iq =
            iq_new(s, "get", r->jid, "query", NS_MUC_ADMIN, &query);
        xmpp_stanza_t *item = stanza_add_child_ns(query, "item", NULL);
        xmpp_stanza_set_attribute(item, "affiliation", lists[i]);
        g->pending++;
        iq_send(s, iq, on_affiliations, g, NULL);
        xmpp_stanza_release(iq);
    }
    gather_unref(s, g);
}

void omemo_room_prepare(const char *account, const char *room, Sink *out)
{
    Session *s = session_find(account);
    Room *r = room_find(account, room);
    if (s && r && r->state == ROOM_JOINED && s->own_bare && s->conn &&
        xmpp_conn_is_connected(s->conn))
        gather(s, r, NULL, out);
}

/* ---- sending ------------------------------------------------------------ */

/* Whether every device of JID (OWN: ours) announces OMEMO:2. */
static gboolean all_v2(OmemoAccount *a, const char *jid, gboolean own)
{
    g_autofree char *name = omemo_store_name(jid, V2);
    g_autoptr(GArray) d2 = omemo_store_devices(a->store, name, NULL);
    g_autoptr(GArray) d03 = omemo_store_devices(a->store, jid, NULL);
    if (!own && d2->len == 0)
        return FALSE;
    for (guint i = 0; i < d03->len; i++)
        if (!omemo_has_device(d2, g_array_index(d03, guint32, i)))
            return FALSE;
    return TRUE;
}

/* The version a message to JIDS goes in. */
static guint room_version(Session *s, OmemoAccount *a, GPtrArray *jids)
{
    for (guint i = 0; i < jids->len; i++)
        if (!all_v2(a, jids->pdata[i], FALSE))
            return V03;
    return all_v2(a, s->own_bare, TRUE) ? V2 : V03;
}

MessageSecurity omemo_muc_security(OmemoAccount *a, const char *room)
{
    Session *s = session_find(a->account);
    Room *r = room_find(a->account, room);
    if (!s || !s->own_bare || !r)
        return MESSAGE_OMEMO;
    g_autoptr(GPtrArray) jids = recipients(s, r);
    return room_version(s, a, jids) == V2 ? MESSAGE_OMEMO2 : MESSAGE_OMEMO;
}

gboolean omemo_room_v2(const char *account, const char *room)
{
    OmemoAccount *a = omemo_account(account, NULL);
    return a && omemo_muc_security(a, room) == MESSAGE_OMEMO2;
}

/* Why a recipient JID cannot be encrypted to completely with VERSION (no
 * device, or a device without a session), or NULL. */
static char *incomplete(OmemoAccount *a, const char *jid, gboolean own,
                        guint version)
{
    g_autofree char *name = omemo_store_name(jid, version);
    g_autoptr(GArray) d = omemo_store_devices(a->store, name, NULL);
    if (!own && d->len == 0)
        return g_strdup_printf("%s has no OMEMO device", jid);
    GString *missing = g_string_new(NULL);
    for (guint i = 0; i < d->len; i++) {
        guint32 id = g_array_index(d, guint32, i);
        if (!(own && id == a->device_id) &&
            !omemo_store_has_session(a->store, name, id))
            g_string_append_printf(missing, "%s%u", missing->len ? ", " : "",
                                   (guint)id);
    }
    if (!missing->len) {
        g_string_free(missing, TRUE);
        return NULL;
    }
    g_autofree char *ids = g_string_free(missing, FALSE);
    return g_strdup_printf("the keys of device %s of %s could not be "
                           "fetched",
                           ids, jid);
}

/* The OMEMO 0.3 <encrypted/> of BODY to every device of JIDS and ours. */
static xmpp_stanza_t *encrypt_to(Session *s, OmemoAccount *a, const char *body,
                                 GPtrArray *jids, GString *skipped)
{
    guint8 iv[12], keymat[32];
    gsize len = 0;
    g_autofree guint8 *ct = omemo03_seal(body, keymat, iv, &len);
    if (!ct)
        return NULL;
    xmpp_stanza_t *header = NULL;
    xmpp_stanza_t *enc = omemo_encrypted_new(s, a, NS_OMEMO, &header);
    guint n = 0;
    for (guint i = 0; i < jids->len; i++)
        n += omemo_encrypt_keys(a, jids->pdata[i], FALSE, V03, NULL, keymat,
                                sizeof keymat, header, skipped);
    n += omemo_encrypt_keys(a, s->own_bare, TRUE, V03, NULL, keymat,
                            sizeof keymat, header, skipped);
    memset(keymat, 0, sizeof keymat);
    if (n == 0 && jids->len) {
        xmpp_stanza_release(enc);
        return NULL;
    }
    omemo03_finish(enc, header, iv, ct, len);
    return enc;
}

static void keep_sent(const Message *m)
{
    if (!m->origin_id || g_hash_table_contains(sent, m->origin_id))
        return;
    char *id = g_strdup(m->origin_id);
    g_hash_table_insert(sent, id, g_strdup(m->body));
    g_queue_push_tail(sent_order, id);
    while (g_queue_get_length(sent_order) > SENT_KEPT)
        g_hash_table_remove(sent, g_queue_pop_head(sent_order));
}

char *omemo_muc_sent_text(const Message *m)
{
    const char *text =
        m->origin_id && sent ? g_hash_table_lookup(sent, m->origin_id) : NULL;
    return g_strdup(text);
}

StageVerdict omemo_muc_encrypt_stage(PipelineItem *item, gboolean again)
{
    Message *m = item->message;
    Session *s = item->session;
    if (!m->peer || !omemo_chat_enabled(m->account, m->peer))
        return STAGE_CONTINUE;
    if (!m->body)
        return pipeline_refuse(item,
                               "OMEMO is on for %s and natter cannot "
                               "encrypt this kind of message yet",
                               m->peer);
    Room *r = room_find(m->account, m->peer);
    g_autofree char *why = unsuitable(r);
    if (why)
        return pipeline_refuse(item,
                               "OMEMO is on for %s, which is not suitable: "
                               "%s (/omemo off sends in the clear)",
                               m->peer, why);
    g_autoptr(GError) error = NULL;
    OmemoAccount *a = omemo_account(m->account, &error);
    if (!a)
        return pipeline_refuse(item, "OMEMO: %s", error->message);
    if (!again) {
        /* Members change: their list is read again before each message. */
        gather(s, r, m, NULL);
        return STAGE_CONSUMED;
    }
    g_autoptr(GPtrArray) jids = recipients(s, r);
    guint version = room_version(s, a, jids);
    for (guint i = 0; i <= jids->len; i++) {
        g_autofree char *lack =
            incomplete(a, i < jids->len ? jids->pdata[i] : s->own_bare,
                       i == jids->len, version);
        if (lack)
            return pipeline_refuse(item,
                                   "OMEMO is on for %s but %s: the message "
                                   "would not reach every member (/omemo "
                                   "off sends in the clear)",
                                   m->peer, lack);
    }
    g_autoptr(GString) skipped = g_string_new(NULL);
    guint theirs = 0;
    xmpp_stanza_t *enc =
        version == V2
            ? omemo2_encrypt_to(s, a, m->body, (const char *const *)jids->pdata,
                                jids->len, &theirs, skipped)
            : encrypt_to(s, a, m->body, jids, skipped);
    if (!enc)
        return pipeline_refuse(
            item, "OMEMO: no device of the room could be encrypted to%s%s",
            skipped->len ? ": skipped" : "", skipped->str);
    MessageSecurity now = version == V2 ? MESSAGE_OMEMO2 : MESSAGE_OMEMO;
    if (m->security != now) {
        m->security = now;
        conversation_set_security(m);
    }
    keep_sent(m);
    omemo_wrap(item->stanza, enc, NULL, version);
    return STAGE_CONTINUE;
}

/* ---- receiving ---------------------------------------------------------- */

char *omemo_muc_sender(Session *s, Message *m, xmpp_stanza_t *stanza)
{
    g_autofree char *bare = m->peer ? jid_bare(m->peer) : NULL;
    Room *r = bare ? room_find(s->account, bare) : NULL;
    /* The room's archive says who wrote what (Prosody adds the real JID
     * of non-anonymous rooms' messages); live, the occupant list does. */
    if (m->origin == MESSAGE_ARCHIVED && stanza) {
        xmpp_stanza_t *x =
            xmpp_stanza_get_child_by_name_and_ns(stanza, "x", NS_MUC_USER);
        xmpp_stanza_t *item =
            x ? xmpp_stanza_get_child_by_name(x, "item") : NULL;
        const char *jid = item ? xmpp_stanza_get_attribute(item, "jid") : NULL;
        if (jid)
            return jid_bare(jid);
    }
    if (m->direction == MESSAGE_OUT)
        return g_strdup(s->own_bare); /* under our nick */
    const Occupant *o = r && m->nick ? room_occupant_find(r, m->nick) : NULL;
    return o && o->real_jid ? jid_bare(o->real_jid) : NULL;
}

/* ---- the feature's part ------------------------------------------------- */

void omemo_muc_init(void)
{
    sent = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    sent_order = g_queue_new();
    members = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify)g_ptr_array_unref);
    suitable = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    room_subscription =
        event_subscribe(EVENT_ROOM_CHANGED, 0, on_room_changed, NULL);
}

void omemo_muc_shutdown(void)
{
    g_clear_handle_id(&room_subscription, event_unsubscribe);
    g_clear_pointer(&suitable, g_hash_table_destroy);
    g_clear_pointer(&members, g_hash_table_destroy);
    g_clear_pointer(&sent_order, g_queue_free);
    g_clear_pointer(&sent, g_hash_table_destroy);
}
