/* muc.c: group chat (XEP-0045): joining and leaving rooms, the occupants'
 * presence, messages in rooms and privately to occupants, nick and
 * subject, invitations received. The room model is core/room.h; lines go
 * to the room's window through history (core/conversation.h) with the
 * room as the peer, so the room's own history on join, our reflected
 * messages and later rejoins are stored once (stanza-id by the room,
 * origin-id of ours).
 *
 * Authority: a groupchat message counts only from a room we are in (its
 * bare JID), and an occupant's presence only from such a room; anything
 * else is reported and dropped. */
#include "xmpp/feature.h"
#include "xmpp/muc.h"

#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "core/settings.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/message_internal.h"
#include "xmpp/muc_internal.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

/* How many nicks the join announces by name. */
#define JOIN_LIST_MAX 30

static guint close_subscription; /* EVENT_BUFFER_CLOSED */

/* ---- helpers ---------------------------------------------------------- */

static Session *online(const char *account, GError **error)
{
    return session_online(account, error);
}

/* The room ROOM of ACCOUNT that we are in (or joining), or NULL with
 * ERROR set. */
Room *muc_joined_room(const char *account, const char *room, GError **error)
{
    Room *r = room_find(account, room);
    if (!r || r->state == ROOM_LEFT) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "you are not in the room %s (/join %s)", room ? room : "",
                    room ? room : "ROOM");
        return NULL;
    }
    return r;
}

Buffer *muc_room_buffer(Room *r)
{
    return conversation_open_kind(r->account, BUFFER_ROOM, r->jid);
}

/* The room window if it is open, else the account's console. */
static Buffer *room_or_console(Session *s, Room *r)
{
    Buffer *b = r ? buffer_find(BUFFER_ROOM, s->account, r->jid) : NULL;
    return b ? b : buffer_account_console(s->account);
}

static char *default_nick(const Account *a)
{
    g_autoptr(Jid) jid = jid_parse(a->jid, NULL);
    return g_strdup(jid && jid->local ? jid->local : a->name);
}

static xmpp_stanza_t *muc_user_x(xmpp_stanza_t *stanza)
{
    return xmpp_stanza_get_child_by_name_and_ns(stanza, "x", NS_MUC_USER);
}

/* The status codes of a muc#user <x/>, as a set of numbers. */
static gboolean has_status(xmpp_stanza_t *x, int code)
{
    for (xmpp_stanza_t *c = x ? xmpp_stanza_get_children(x) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *v = xmpp_stanza_get_attribute(c, "code");
        if (g_strcmp0(xmpp_stanza_get_name(c), "status") == 0 && v &&
            atoi(v) == code)
            return TRUE;
    }
    return FALSE;
}

/* The defined condition of a stanza error ("conflict"...), borrowed. */
static const char *error_condition(xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *error = xmpp_stanza_get_child_by_name(stanza, "error");
    for (xmpp_stanza_t *c = error ? xmpp_stanza_get_children(error) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *name = xmpp_stanza_get_name(c);
        if (xmpp_stanza_is_tag(c) && name && strcmp(name, "text") != 0)
            return name;
    }
    return "undefined-condition";
}

/* ---- joining ------------------------------------------------------------ */

/* What the room's disco#info answer RESULT says it does: keep an archive
 * (then its history comes from there, after the join, in order and from
 * where we stopped), let moderators remove messages. */
static void learn_features(Room *r, xmpp_stanza_t *result)
{
    r->archived = FALSE;
    r->moderation = NULL;
    gboolean nonanonymous = FALSE, membersonly = FALSE;
    xmpp_stanza_t *query = iq_is_result(result)
                               ? xmpp_stanza_get_child_by_name(result, "query")
                               : NULL;
    for (xmpp_stanza_t *c = query ? xmpp_stanza_get_children(query) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *var = g_strcmp0(xmpp_stanza_get_name(c), "feature") == 0
                              ? xmpp_stanza_get_attribute(c, "var")
                              : NULL;
        if (g_strcmp0(var, NS_MAM) == 0)
            r->archived = TRUE;
        else if (g_strcmp0(var, NS_MODERATE) == 0)
            r->moderation = NS_MODERATE; /* the current form wins */
        else if (g_strcmp0(var, NS_MODERATE0) == 0 && !r->moderation)
            r->moderation = NS_MODERATE0;
        else if (g_strcmp0(var, "muc_nonanonymous") == 0)
            nonanonymous = TRUE;
        else if (g_strcmp0(var, "muc_membersonly") == 0)
            membersonly = TRUE;
    }
    room_set_privacy(r, nonanonymous, membersonly);
}

/* The answer to the question before a join; then the join itself. */
static void on_room_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    const char *jid = data; /* freed by iq_send */
    Room *r = result ? room_find(s->account, jid) : NULL;
    if (!r || r->state != ROOM_JOINING) {
        if (result)
            muc_pace_poke(s); /* left while we asked */
        return;
    }
    learn_features(r, result);
    muc_send_join_presence(s, r);
}

/* The answer for a room joining in line: its join waits for a place
 * there (muc_pace.c). */
static void on_paced_room_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    if (!result)
        return; /* the session ended: the line went with it */
    Room *r = room_find(s->account, data);
    if (r && r->state == ROOM_JOINING)
        learn_features(r, result);
    muc_pace_room_known(s, data);
}

/* A room created by our join did not exist when we asked: ask again. */
static void on_new_room_info(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Room *r = result ? room_find(s->account, data) : NULL;
    if (r && iq_is_result(result))
        learn_features(r, result);
}

static void ask_features(Session *s, Room *r, IqResultFunc func)
{
    xmpp_stanza_t *iq = iq_new(s, "get", r->jid, "query", NS_DISCO_INFO, NULL);
    iq_send(s, iq, func, g_strdup(r->jid), g_free);
    xmpp_stanza_release(iq);
}

/* The features of a room whose configuration changed: whether it is
 * members-only now is said when that changed. */
static void on_changed_room_info(Session *s, xmpp_stanza_t *result,
                                 gpointer data)
{
    Room *r = result ? room_find(s->account, data) : NULL;
    if (!r || !iq_is_result(result))
        return;
    gboolean was = r->membersonly;
    learn_features(r, result);
    if (was != r->membersonly)
        buffer_appendf(muc_room_buffer(r), LINE_INFO,
                       r->membersonly ? "%s is now members-only."
                                      : "%s is no longer members-only.",
                       r->jid);
}

void muc_config_changed(Session *s, Room *r, xmpp_stanza_t *x)
{
    if (has_status(x, 172)) {
        room_set_privacy(r, TRUE, r->membersonly);
        buffer_append(muc_room_buffer(r), LINE_INFO, NULL,
                      "This room now shows your real address to everyone.");
    } else if (has_status(x, 173) || has_status(x, 174)) {
        room_set_privacy(r, FALSE, r->membersonly);
        buffer_append(muc_room_buffer(r), LINE_INFO, NULL,
                      "This room no longer shows real addresses to "
                      "everyone.");
    }
    /* Any other change (104) may be members-only on or off: ask. */
    if (has_status(x, 104) || has_status(x, 170) || has_status(x, 171))
        ask_features(s, r, on_changed_room_info);
}

void muc_send_join(Session *s, Room *r)
{
    r->subject_seen = FALSE;
    room_set_state(r, ROOM_JOINING);
    ask_features(s, r, on_room_info);
}

void muc_ask_room_info(Session *s, Room *r)
{
    ask_features(s, r, on_paced_room_info);
}

void muc_send_join_presence(Session *s, Room *r)
{
    g_autofree char *to = g_strdup_printf("%s/%s", r->jid, r->nick);
    xmpp_stanza_t *presence = xmpp_presence_new(s->ctx);
    xmpp_stanza_set_to(presence, to);
    xmpp_stanza_t *x = stanza_add_child_ns(presence, "x", NS_MUC);
    if (r->password)
        stanza_add_text_child(x, "password", r->password);
    xmpp_stanza_t *history = stanza_add_child_ns(x, "history", NULL);
    /* With an archive, the history comes from it after the join. */
    g_autofree char *max = g_strdup_printf(
        "%d", r->archived ? 0 : settings_get_int("muc_history"));
    xmpp_stanza_set_attribute(history, "maxstanzas", max);
    xmpp_stanza_add_child_ex(presence, caps_own_element(s), 0);
    session_send(s, presence);
    xmpp_stanza_release(presence);
}

/* ROOM as typed: room@service, or a name on the account's service. Caller
 * frees; NULL with ERROR set. */
static char *room_address(const char *account, const char *room, GError **error)
{
    if (strchr(room, '@')) {
        g_autoptr(Jid) jid = jid_parse(room, error);
        if (!jid)
            return NULL;
        if (jid->resource) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "a room address has no /nick part: %s (use "
                        "nick NICK)",
                        room);
            return NULL;
        }
        return g_strdup(jid->bare);
    }
    const char *service = muc_service_of(account);
    if (!service) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no conference service is known for %s: give the "
                    "whole address, ROOM@SERVICE",
                    account);
        return NULL;
    }
    g_autofree char *full = g_strdup_printf("%s@%s", room, service);
    g_autoptr(Jid) jid = jid_parse(full, error);
    return jid ? g_strdup(jid->bare) : NULL;
}

/* A /join NAME waiting for the conference service to be found. */
typedef struct {
    char *account, *name, *nick, *password;
    gboolean focus;
    RoomCreate create;
} PendingJoin;

static gboolean join_room(const char *account, const char *room,
                          const char *nick, const char *password,
                          gboolean focus, RoomCreate create, GError **error);

static void pending_join_free(gpointer data)
{
    PendingJoin *p = data;
    g_free(p->account);
    g_free(p->name);
    g_free(p->nick);
    g_free(p->password);
    g_free(p);
}

static void join_when_found(Session *s, const char *service, gpointer data)
{
    PendingJoin *p = data;
    Buffer *console = buffer_account_console(s->account);
    if (!service) {
        buffer_appendf(console, LINE_ERROR,
                       "Cannot join %s: the server of %s lists no group chat "
                       "service (/join ROOM@SERVICE)",
                       p->name, s->account);
        return;
    }
    g_autofree char *full = g_strdup_printf("%s@%s", p->name, service);
    g_autoptr(GError) error = NULL;
    if (!join_room(p->account, full, p->nick, p->password, p->focus, p->create,
                   &error))
        buffer_appendf(console, LINE_ERROR, "Cannot join %s: %s", full,
                       error->message);
}

gboolean muc_join(const char *account, const char *room, const char *nick,
                  const char *password, GError **error)
{
    return muc_join_room(account, room, nick, password, TRUE, error);
}

gboolean muc_create(const char *account, const char *room, gboolean configured,
                    GError **error)
{
    return join_room(account, room, NULL, NULL, TRUE,
                     configured ? ROOM_CREATE_CONFIGURED : ROOM_CREATE_INSTANT,
                     error);
}

gboolean muc_join_room(const char *account, const char *room, const char *nick,
                       const char *password, gboolean focus, GError **error)
{
    return join_room(account, room, nick, password, focus, ROOM_CREATE_NONE,
                     error);
}

static gboolean join_room(const char *account, const char *room,
                          const char *nick, const char *password,
                          gboolean focus, RoomCreate create, GError **error)
{
    Session *s = online(account, error);
    if (!s)
        return FALSE;
    if (!strchr(room, '@') && !muc_service_of(account)) {
        /* Where is NAME? Ask the server first, then join. */
        PendingJoin *p = g_new0(PendingJoin, 1);
        p->account = g_strdup(account);
        p->name = g_strdup(room);
        p->nick = g_strdup(nick);
        p->password = g_strdup(password);
        p->focus = focus;
        p->create = create;
        muc_service_need(s, join_when_found, p, pending_join_free);
        return TRUE;
    }
    g_autofree char *jid = room_address(account, room, error);
    if (!jid)
        return FALSE;
    g_autofree char *own =
        nick ? g_strdup(nick) : default_nick(session_account(s));
    g_autofree char *occupant = g_strdup_printf("%s/%s", jid, own);
    if (!jid_is_valid(occupant)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' cannot be a nick", own);
        return FALSE;
    }
    Room *r = room_find(account, jid);
    if (r && r->state == ROOM_JOINED && create != ROOM_CREATE_NONE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "%s already exists: you are in it", jid);
        return FALSE;
    }
    if (r && r->state == ROOM_JOINED) {
        if (focus)
            buffer_switch(muc_room_buffer(r));
        return TRUE; /* already there: just show it */
    }
    r = room_get(account, jid, own);
    room_set_nick(r, own);
    g_free(r->password);
    r->password = g_strdup(password);
    r->create = create;
    Buffer *b = muc_room_buffer(r);
    if (focus)
        buffer_switch(b);
    buffer_appendf(b, LINE_INFO, "Joining %s as %s...", jid, own);
    /* What the user asks goes at once; rooms joined on their own, in
     * line (muc_pace.c). */
    if (focus) {
        muc_pace_forget(s, r->jid);
        muc_send_join(s, r);
    } else {
        muc_pace_join(s, r);
    }
    return TRUE;
}

gboolean muc_part(const char *account, const char *room, const char *message,
                  GError **error)
{
    Session *s = online(account, error);
    if (!s)
        return FALSE;
    Room *r = muc_joined_room(account, room, error);
    if (!r)
        return FALSE;
    g_autofree char *to = g_strdup_printf("%s/%s", r->jid, r->nick);
    xmpp_stanza_t *presence = xmpp_presence_new(s->ctx);
    xmpp_stanza_set_type(presence, "unavailable");
    xmpp_stanza_set_to(presence, to);
    if (message && *message)
        stanza_add_text_child(presence, "status", message);
    session_send(s, presence);
    xmpp_stanza_release(presence);
    /* Forgotten now: a reconnect must not rejoin it. The room's answer
     * is still to come (and may come after a new join). */
    r->leaving++;
    room_set_state(r, ROOM_LEFT);
    room_clear_occupants(r);
    buffer_appendf(room_or_console(s, r), LINE_INFO, "You left %s.", r->jid);
    muc_pace_poke(s);
    return TRUE;
}

/* ---- presence ----------------------------------------------------------- */

static RoomRole parse_role(const char *name)
{
    RoomRole role = ROOM_ROLE_NONE;
    room_role_parse(name, &role);
    return role;
}

static RoomAffiliation parse_affiliation(const char *name)
{
    RoomAffiliation a = ROOM_AFFIL_NONE;
    room_affiliation_parse(name, &a);
    return a;
}

/* Words for why a join was refused. */
static char *join_refusal(const char *condition, xmpp_stanza_t *stanza)
{
    g_autofree char *raw = stanza_error_describe(stanza);
    const char *why = NULL;
    if (strcmp(condition, "not-authorized") == 0)
        why = "the room needs a password, or the one given is wrong "
              "(/join ROOM password PASSWORD)";
    else if (strcmp(condition, "forbidden") == 0)
        why = "you are banned from this room";
    else if (strcmp(condition, "registration-required") == 0)
        why = "the room is members-only and you are not a member";
    else if (strcmp(condition, "item-not-found") == 0)
        why = "the room does not exist (or is locked)";
    else if (strcmp(condition, "service-unavailable") == 0)
        why = "the room is full";
    else if (strcmp(condition, "not-allowed") == 0)
        why = "rooms cannot be created on this service";
    else if (strcmp(condition, "not-acceptable") == 0)
        why = "the room requires your registered nick";
    if (why)
        return g_strdup_printf("%s (%s)", why, raw);
    return g_steal_pointer(&raw);
}

static void presence_error(Session *s, Room *r, xmpp_stanza_t *stanza)
{
    const char *condition = error_condition(stanza);
    Buffer *b = room_or_console(s, r);
    if (r->state == ROOM_JOINING && strcmp(condition, "conflict") == 0) {
        /* Someone has our nick: try again with a suffix, and say so. */
        g_autofree char *nick = g_strdup_printf("%s_", r->nick);
        buffer_appendf(b, LINE_ERROR,
                       "The nick %s is taken in %s: trying %s instead.",
                       r->nick, r->jid, nick);
        room_set_nick(r, nick);
        muc_send_join(s, r);
        return;
    }
    if (r->state == ROOM_JOINING) {
        g_autofree char *why = join_refusal(condition, stanza);
        buffer_appendf(b, LINE_ERROR, "Cannot join %s: %s", r->jid, why);
        if (b->kind == BUFFER_ROOM)
            buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                           "Cannot join %s: %s", r->jid, why);
        room_set_state(r, ROOM_LEFT);
        muc_pace_poke(s);
        return;
    }
    g_autofree char *why = stanza_error_describe(stanza);
    if (strcmp(condition, "conflict") == 0)
        buffer_appendf(b, LINE_ERROR, "That nick is already taken in %s (%s).",
                       r->jid, why);
    else
        buffer_appendf(b, LINE_ERROR, "Error from %s: %s", r->jid, why);
}

static void occupant_left(Session *s, Room *r, const char *nick,
                          xmpp_stanza_t *x, xmpp_stanza_t *item,
                          xmpp_stanza_t *stanza)
{
    gboolean self = has_status(x, 110) || g_strcmp0(nick, r->nick) == 0;
    if (self && r->leaving && !has_status(x, 301) && !has_status(x, 307)) {
        /* The answer to our /part: already said, or it is about the
         * visit before the join now under way. */
        r->leaving--;
        room_occupant_remove(r, nick);
        if (r->state == ROOM_LEFT && !r->leaving &&
            !buffer_find(BUFFER_ROOM, r->account, r->jid))
            room_remove(r->account, r->jid); /* its window was closed */
        return;
    }
    Buffer *b = muc_room_buffer(r);
    const char *new_nick = item ? xmpp_stanza_get_attribute(item, "nick") : 0;
    if (has_status(x, 303) && new_nick) {
        room_occupant_rename(r, nick, new_nick);
        if (self) {
            room_set_nick(r, new_nick);
            buffer_appendf(b, LINE_INFO, "You are now known as %s.", new_nick);
        } else if (settings_get_bool("room_show_joins")) {
            buffer_appendf(b, LINE_INFO, "%s is now known as %s.", nick,
                           new_nick);
        }
        return;
    }
    xmpp_stanza_t *actor_el =
        item ? xmpp_stanza_get_child_by_name(item, "actor") : NULL;
    const char *actor =
        actor_el ? xmpp_stanza_get_attribute(actor_el, "nick") : NULL;
    g_autofree char *reason =
        item ? stanza_child_text(item, "reason", NULL) : NULL;
    g_autofree char *status = stanza_child_text(stanza, "status", NULL);
    g_autofree char *by =
        actor ? g_strdup_printf(" by %s", actor) : g_strdup("");
    g_autofree char *because =
        reason && *reason ? g_strdup_printf(" (%s)", reason) : g_strdup("");
    gboolean destroyed =
        x && xmpp_stanza_get_child_by_name(x, "destroy") != NULL;
    const char *how = has_status(x, 301)   ? "banned"
                      : has_status(x, 307) ? "kicked"
                      : has_status(x, 321) ? "removed (affiliation change)"
                      : has_status(x, 322) ? "removed (members only)"
                      : destroyed          ? "removed (the room was destroyed)"
                                           : NULL;
    /* The room's echo of our goodbye to the server (/quit, /disconnect) is
     * not a leave: the room is joined again at the next login. */
    if (self && !how && session_account(s)->state == ACCOUNT_DISCONNECTING)
        return;
    room_occupant_remove(r, nick);
    if (self) {
        room_set_state(r, ROOM_LEFT);
        room_clear_occupants(r);
        if (how) {
            EventKick kick = {.account = session_account(s),
                              .room = r->jid,
                              .how = how,
                              .actor = actor,
                              .reason = reason && *reason ? reason : NULL};
            event_emit_kick(&kick);
            buffer_appendf(b, LINE_ERROR, "You were %s from %s%s%s.", how,
                           r->jid, by, because);
        } else
            buffer_appendf(b, LINE_INFO, "You left %s.", r->jid);
        return;
    }
    if (how) {
        if (settings_get_bool("room_show_kicks"))
            buffer_appendf(b, LINE_INFO, "%s was %s%s%s.", nick, how, by,
                           because);
    } else if (!settings_get_bool("room_show_joins"))
        return;
    else if (status && *status)
        buffer_appendf(b, LINE_INFO, "%s left (%s).", nick, status);
    else
        buffer_appendf(b, LINE_INFO, "%s left.", nick);
}

static void announce_joined(Session *s, Room *r, xmpp_stanza_t *x)
{
    Buffer *b = muc_room_buffer(r);
    Occupant *me = room_occupant_find(r, r->nick);
    RoomCreate create = r->create;
    r->create = ROOM_CREATE_NONE;
    if (has_status(x, 201) && create == ROOM_CREATE_NONE)
        buffer_appendf(b, LINE_INFO,
                       "The room %s was created for you: it is open as it "
                       "is; /room instant confirms the default "
                       "configuration.",
                       r->jid);
    else if (has_status(x, 201))
        buffer_appendf(b, LINE_INFO, "The room %s was created for you%s",
                       r->jid,
                       create == ROOM_CREATE_INSTANT
                           ? "; accepting its default configuration..."
                           : ": fetching its configuration form...");
    else if (create != ROOM_CREATE_NONE)
        buffer_appendf(b, LINE_ERROR,
                       "%s already existed: it was not created, you joined "
                       "it as it is.",
                       r->jid);
    buffer_appendf(b, LINE_INFO, "You joined %s as %s (%s, %s).", r->jid,
                   r->nick, room_role_name(me ? me->role : 0),
                   room_affiliation_name(me ? me->affiliation : 0));
    /* A big room's list would fill the screen: the first ones, and how
     * many more (/occupants lists them all). */
    g_autoptr(GPtrArray) nicks = room_nicks(r);
    guint total = nicks->len;
    if (total > JOIN_LIST_MAX)
        g_ptr_array_set_size(nicks, JOIN_LIST_MAX);
    g_ptr_array_add(nicks, NULL);
    g_autofree char *list = g_strjoinv(", ", (char **)nicks->pdata);
    g_autofree char *more = total > JOIN_LIST_MAX
                                ? g_strdup_printf(" and %u more (/occupants)",
                                                  total - JOIN_LIST_MAX)
                                : g_strdup("");
    buffer_appendf(b, LINE_INFO, "%u occupant%s: %s%s", total,
                   total == 1 ? "" : "s", list, more);
    if (has_status(x, 100) || has_status(x, 172)) {
        room_set_privacy(r, TRUE, r->membersonly);
        buffer_append(b, LINE_INFO, NULL,
                      "This room shows your real address to everyone.");
    }
    if (!has_status(x, 201) || create == ROOM_CREATE_NONE)
        return;
    g_autoptr(GError) error = NULL;
    gboolean asked = create == ROOM_CREATE_INSTANT
                         ? muc_configure_instant(s->account, r->jid, &error)
                         : muc_config_fetch(s->account, r->jid, &error);
    if (!asked)
        buffer_appendf(b, LINE_ERROR, "Cannot configure %s: %s", r->jid,
                       error->message);
}

static void occupant_presence(Session *s, Room *r, const Jid *from,
                              xmpp_stanza_t *stanza)
{
    const char *type = xmpp_stanza_get_type(stanza);
    const char *nick = from->resource;
    xmpp_stanza_t *x = muc_user_x(stanza);
    xmpp_stanza_t *item = x ? xmpp_stanza_get_child_by_name(x, "item") : NULL;
    if (g_strcmp0(type, "unavailable") == 0) {
        occupant_left(s, r, nick, x, item, stanza);
        return;
    }
    if (type) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Ignored a presence of type '%s' from %s", type,
                       from->full);
        return;
    }
    gboolean self = has_status(x, 110);
    if (self && has_status(x, 210))
        room_set_nick(r, nick); /* the service changed our nick */
    g_autofree char *show = stanza_child_text(stanza, "show", NULL);
    g_autofree char *status = stanza_child_text(stanza, "status", NULL);
    gboolean is_new = FALSE;
    room_occupant_set(
        r, nick, parse_role(item ? xmpp_stanza_get_attribute(item, "role") : 0),
        parse_affiliation(item ? xmpp_stanza_get_attribute(item, "affiliation")
                               : NULL),
        item ? xmpp_stanza_get_attribute(item, "jid") : NULL, show, status,
        &is_new);
    if (is_new && r->state == ROOM_JOINED)
        room_occupant_find(r, nick)->nick_since = g_get_real_time();
    if (self && r->state != ROOM_JOINED) {
        room_set_state(r, ROOM_JOINED);
        if (has_status(x, 201))
            ask_features(s, r, on_new_room_info);
        announce_joined(s, r, x);
        message_send_pending(s, r->jid); /* typed while we were out */
        muc_pace_joined(s, r);           /* its catch-up, and the next join */
        return;
    }
    /* Before our own presence come the others already there: they are
     * listed once we are in, not announced one by one. */
    if (r->state == ROOM_JOINED && is_new && !self &&
        settings_get_bool("room_show_joins"))
        buffer_appendf(muc_room_buffer(r), LINE_INFO, "%s joined.", nick);
}

gboolean muc_take_presence(Session *s, xmpp_stanza_t *stanza)
{
    const char *raw = xmpp_stanza_get_from(stanza);
    g_autoptr(Jid) from = raw ? jid_parse(raw, NULL) : NULL;
    Room *r = from ? room_find(s->account, from->bare) : NULL;
    gboolean muc_data = muc_user_x(stanza) != NULL;
    if (!r || (r->state == ROOM_LEFT && !r->leaving)) {
        if (muc_data && from)
            buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                           "Ignored an occupant presence from %s: not a "
                           "room you are in",
                           from->full);
        return muc_data;
    }
    if (g_strcmp0(xmpp_stanza_get_type(stanza), "error") == 0) {
        presence_error(s, r, stanza);
        return TRUE;
    }
    if (!from->resource) {
        /* A room may announce itself (ejabberd sends its caps on a join);
         * only occupant data from no occupant is worth a word. */
        if (muc_data)
            buffer_appendf(room_or_console(s, r), LINE_ERROR,
                           "Ignored a presence from the room %s itself",
                           r->jid);
        return TRUE;
    }
    occupant_presence(s, r, from, stanza);
    /* The presence may have ended our stay and freed the room. */
    r = room_find(s->account, from->bare);
    if (r)
        muc_ping_activity(s, r); /* it still talks to us */
    return TRUE;
}

/* ---- the session --------------------------------------------------------- */
void muc_shutdown(void)
{
    if (close_subscription)
        event_unsubscribe(close_subscription);
    close_subscription = 0;
    muc_service_shutdown();
    muc_mam_shutdown();
    muc_pace_shutdown();
    muc_ping_shutdown();
}

void muc_register(Session *s)
{
    (void)s; /* presence and messages come through presence.c, message.c */
}

/* Closing a room's window leaves the room: otherwise its messages would
 * open it again at once. */
static EventResult on_buffer_closed(Buffer *b, gpointer data)
{
    Room *r = b->kind == BUFFER_ROOM ? room_find(b->account, b->peer) : NULL;
    if (!r)
        return EVENT_CONTINUE;
    if (r->state != ROOM_LEFT && session_online(b->account, NULL)) {
        g_autofree char *account = g_strdup(b->account);
        g_autofree char *jid = g_strdup(r->jid);
        muc_part(account, jid, NULL, NULL);
        buffer_appendf(buffer_account_console(account), LINE_INFO,
                       "Left %s (its window was closed).", jid);
    }
    if (!r->leaving)
        room_remove(b->account, r->jid);
    return EVENT_CONTINUE;
}

void muc_session_started(Session *s)
{
    if (!close_subscription)
        close_subscription =
            event_on_buffer(EVENT_BUFFER_CLOSED, EVENT_PRIORITY_DEFAULT,
                            on_buffer_closed, NULL);
    /* The rooms we were in when the connection went: in again. */
    g_autoptr(GPtrArray) list = rooms_of(s->account);
    for (guint i = 0; i < list->len; i++) {
        Room *r = g_ptr_array_index(list, i);
        if (r->state == ROOM_LEFT)
            continue;
        buffer_appendf(muc_room_buffer(r), LINE_INFO, "Rejoining %s as %s...",
                       r->jid, r->nick);
        muc_pace_join(s, r);
    }
}

void muc_session_ended(Session *s)
{
    muc_mam_session_ended(s);
    muc_pace_session_ended(s);
    muc_ping_session_ended(s);
    muc_service_session_ended(s);
    g_autoptr(GPtrArray) list = rooms_of(s->account);
    for (guint i = 0; i < list->len; i++) {
        Room *r = g_ptr_array_index(list, i);
        room_clear_occupants(r);
        r->leaving = 0; /* no answer will come on this connection */
        if (r->state == ROOM_LEFT)
            continue;
        /* Rejoined at the next login. */
        room_set_state(r, ROOM_JOINING);
        Buffer *b = buffer_find(BUFFER_ROOM, s->account, r->jid);
        if (b)
            buffer_appendf(b, LINE_ERROR,
                           "Disconnected: out of %s until %s is online "
                           "again.",
                           r->jid, s->account);
    }
}

/* Rooms (XEP-0045) and direct invitations to them (XEP-0249). */
static const char *const muc_disco[] = {NS_MUC, NS_CONFERENCE, NULL};

/* Rooms are joined again even on a resumed stream: the model forgot
 * their occupants when the connection dropped, and a join answers with
 * the list (a room we are still in just sends it again). */
static void muc_started(Session *s, gboolean resumed)
{
    muc_session_started(s);
}

const Feature feature_muc = {
    .name = "muc",
    .disco = muc_disco,
    .init = muc_message_init,
    .shutdown = muc_message_shutdown,
    .attach = muc_register,
    .started = muc_started,
    .ended = muc_session_ended,
    .account_removed = muc_service_forget,
};
