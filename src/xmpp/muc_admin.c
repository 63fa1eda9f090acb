/* muc_admin.c: the requests a room's moderators and owners make
 * (XEP-0045 8-10): roles (kick, voice, moderator), affiliations (ban,
 * member, admin, owner), invitations (XEP-0249), accepting the default
 * configuration of a new room, and destroying a room. Each answer is
 * reported in the room's window. */
#include <string.h>

#include "core/buffer.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/muc.h"
#include "xmpp/muc_internal.h"
#include "xmpp/stanza.h"

/* What a request was, to report its answer: "kick of bob in room@...". */
typedef struct {
    char *room;
    char *what;
} Request;

static void request_free(gpointer data)
{
    Request *r = data;
    g_free(r->room);
    g_free(r->what);
    g_free(r);
}

static void on_answer(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *req = data;
    if (!result)
        return; /* the connection ended; the console says so */
    Room *room = room_find(s->account, req->room);
    Buffer *b = room ? buffer_find(BUFFER_ROOM, s->account, room->jid) : NULL;
    if (!b)
        b = buffer_account_console(s->account);
    if (iq_is_result(result)) {
        buffer_appendf(b, LINE_INFO, "Done: %s.", req->what);
        return;
    }
    g_autofree char *why = stanza_error_describe(result);
    buffer_appendf(b, LINE_ERROR, "Refused: %s: %s", req->what, why);
}

static void send_request(Session *s, xmpp_stanza_t *iq, const char *room,
                         char *what)
{
    Request *req = g_new0(Request, 1);
    req->room = g_strdup(room);
    req->what = what;
    iq_send(s, iq, on_answer, req, request_free);
    xmpp_stanza_release(iq);
}

static Room *room_in(const char *account, const char *room, Session **s,
                     GError **error)
{
    *s = session_online(account, error);
    if (!*s)
        return NULL;
    Room *r = room_find(account, room);
    if (!r || r->state != ROOM_JOINED) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "you are not in the room %s", room ? room : "");
        return NULL;
    }
    return r;
}

/* An admin request <query xmlns=muc#admin><item ATTR=VALUE KEY=.../>. */
static xmpp_stanza_t *admin_item(Session *s, Room *r, const char *who_attr,
                                 const char *who, const char *key,
                                 const char *value, const char *reason)
{
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", r->jid, "query", NS_MUC_ADMIN, &query);
    xmpp_stanza_t *item = stanza_add_child_ns(query, "item", NULL);
    xmpp_stanza_set_attribute(item, who_attr, who);
    xmpp_stanza_set_attribute(item, key, value);
    if (reason && *reason)
        stanza_add_text_child(item, "reason", reason);
    return iq;
}

gboolean muc_set_role(const char *account, const char *room, const char *nick,
                      const char *role, const char *reason, GError **error)
{
    RoomRole parsed;
    if (!room_role_parse(role, &parsed)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "unknown role '%s' (none, visitor, participant, "
                    "moderator)",
                    role);
        return FALSE;
    }
    Session *s = NULL;
    Room *r = room_in(account, room, &s, error);
    if (!r)
        return FALSE;
    if (!room_occupant_find(r, nick)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "nobody is called %s in %s", nick, r->jid);
        return FALSE;
    }
    xmpp_stanza_t *iq = admin_item(s, r, "nick", nick, "role", role, reason);
    char *what =
        parsed == ROOM_ROLE_NONE
            ? g_strdup_printf("kick %s from %s", nick, r->jid)
            : g_strdup_printf("make %s a %s of %s", nick, role, r->jid);
    send_request(s, iq, r->jid, what);
    return TRUE;
}

gboolean muc_set_affiliation(const char *account, const char *room,
                             const char *jid, const char *affiliation,
                             const char *reason, GError **error)
{
    RoomAffiliation parsed;
    if (!room_affiliation_parse(affiliation, &parsed)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "unknown affiliation '%s' (none, outcast, member, "
                    "admin, owner)",
                    affiliation);
        return FALSE;
    }
    g_autoptr(Jid) who = jid_parse(jid, error);
    if (!who)
        return FALSE;
    Session *s = NULL;
    Room *r = room_in(account, room, &s, error);
    if (!r)
        return FALSE;
    xmpp_stanza_t *iq =
        admin_item(s, r, "jid", who->bare, "affiliation", affiliation, reason);
    char *what = parsed == ROOM_AFFIL_OUTCAST
                     ? g_strdup_printf("ban %s from %s", who->bare, r->jid)
                     : g_strdup_printf("make %s %s of %s", who->bare,
                                       affiliation, r->jid);
    send_request(s, iq, r->jid, what);
    return TRUE;
}

/* The room passes the invitation on (with its password if it has one);
 * a refusal comes back as a message error from the room. */
static void invite_mediated(Session *s, Room *r, const Jid *who,
                            const char *reason)
{
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, NULL, r->jid, id);
    xmpp_stanza_t *x = stanza_add_child_ns(msg, "x", NS_MUC_USER);
    xmpp_stanza_t *invite = stanza_add_child_ns(x, "invite", NULL);
    xmpp_stanza_set_attribute(invite, "to", who->full);
    if (reason && *reason)
        stanza_add_text_child(invite, "reason", reason);
    session_send(s, msg);
    xmpp_stanza_release(msg);
    buffer_appendf(muc_room_buffer(r), LINE_INFO, "Asked %s to invite %s.",
                   r->jid, who->full);
}

gboolean muc_invite(const char *account, const char *room, const char *jid,
                    const char *reason, gboolean mediated, GError **error)
{
    g_autoptr(Jid) who = jid_parse(jid, error);
    if (!who)
        return FALSE;
    Session *s = NULL;
    Room *r = room_in(account, room, &s, error);
    if (!r)
        return FALSE;
    if (mediated) {
        invite_mediated(s, r, who, reason);
        return TRUE;
    }
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, NULL, who->full, id);
    xmpp_stanza_t *x = stanza_add_child_ns(msg, "x", NS_CONFERENCE);
    xmpp_stanza_set_attribute(x, "jid", r->jid);
    if (reason && *reason)
        xmpp_stanza_set_attribute(x, "reason", reason);
    if (r->password)
        xmpp_stanza_set_attribute(x, "password", r->password);
    session_send(s, msg);
    xmpp_stanza_release(msg);
    buffer_appendf(muc_room_buffer(r), LINE_INFO, "Invited %s to %s.",
                   who->full, r->jid);
    return TRUE;
}

gboolean muc_configure_instant(const char *account, const char *room,
                               GError **error)
{
    Session *s = NULL;
    Room *r = room_in(account, room, &s, error);
    if (!r)
        return FALSE;
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", r->jid, "query", NS_MUC_OWNER, &query);
    xmpp_stanza_t *x = stanza_add_child_ns(query, "x", "jabber:x:data");
    xmpp_stanza_set_type(x, "submit");
    send_request(
        s, iq, r->jid,
        g_strdup_printf("keep the default configuration of %s", r->jid));
    return TRUE;
}

gboolean muc_destroy(const char *account, const char *room, const char *reason,
                     GError **error)
{
    Session *s = NULL;
    Room *r = room_in(account, room, &s, error);
    if (!r)
        return FALSE;
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", r->jid, "query", NS_MUC_OWNER, &query);
    xmpp_stanza_t *destroy = stanza_add_child_ns(query, "destroy", NULL);
    if (reason && *reason)
        stanza_add_text_child(destroy, "reason", reason);
    send_request(s, iq, r->jid, g_strdup_printf("destroy %s", r->jid));
    return TRUE;
}

gboolean muc_moderate(const char *account, const char *room,
                      const char *stanza_id, const char *reason, GError **error)
{
    Session *s = NULL;
    Room *r = room_in(account, room, &s, error);
    if (!r)
        return FALSE;
    if (!r->moderation) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "%s does not let moderators remove messages (no "
                    "XEP-0425 support)",
                    r->jid);
        return FALSE;
    }
    xmpp_stanza_t *iq = NULL;
    xmpp_stanza_t *moderate = NULL;
    if (g_strcmp0(r->moderation, NS_MODERATE) == 0) {
        iq = iq_new(s, "set", r->jid, "moderate", NS_MODERATE, &moderate);
        xmpp_stanza_set_id(moderate, stanza_id);
        stanza_add_child_ns(moderate, "retract", NS_RETRACT);
    } else { /* the older form, inside fastening */
        xmpp_stanza_t *apply = NULL;
        iq = iq_new(s, "set", r->jid, "apply-to", NS_FASTEN, &apply);
        xmpp_stanza_set_id(apply, stanza_id);
        moderate = stanza_add_child_ns(apply, "moderate", NS_MODERATE0);
        stanza_add_child_ns(moderate, "retract", NS_RETRACT0);
    }
    if (reason && *reason)
        stanza_add_text_child(moderate, "reason", reason);
    send_request(s, iq, r->jid,
                 g_strdup_printf("removal of a message from %s", r->jid));
    return TRUE;
}
