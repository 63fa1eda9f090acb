/* cmd_muc.c: group chat commands: /join, /part (/leave), /nick, /topic,
 * /occupants, moderation (/kick, /ban, /role, /affiliation, /voice,
 * /devoice, /op, /deop), /invite, /room and /bookmark. Commands about "the
 * room" act on the room of the current window (a room or one of its
 * private chats). */
#include <string.h>

#include "command/complete.h"
#include "command/families.h"
#include "core/account.h"
#include "core/room.h"
#include "util/error.h"
#include "util/jid.h"
#include "util/xmppuri.h"
#include "xmpp/muc.h"

/* The room of the window CALL was typed in, or NULL with ERROR set. */
static Room *current_room(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return NULL;
    const Buffer *b = call->buffer;
    g_autofree char *jid = NULL;
    if (b->kind == BUFFER_ROOM || b->kind == BUFFER_PRIVATE)
        jid = jid_bare(b->peer);
    Room *r = jid && g_strcmp0(b->account, call->account) == 0
                  ? room_find(call->account, jid)
                  : NULL;
    if (!r) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "/%s works in a room's window (/join ROOM)",
                    call->def->name);
        return NULL;
    }
    return r;
}

static const char *arg(const CommandCall *call, int i)
{
    return i < call->argc ? call->argv[i] : NULL;
}

static gboolean cmd_join(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    static const char *const keys[] = {"nick", "password", NULL};
    g_autoptr(GHashTable) options =
        command_parse_options(call->argv + 1, call->argc - 1, keys, error);
    if (!options)
        return FALSE;
    const char *room = call->argv[0];
    const char *password = g_hash_table_lookup(options, "password");
    g_autoptr(XmppUri) uri = NULL;
    if (xmpp_uri_is(room)) {
        /* xmpp:room@service?join;password=... (RFC 5122, XEP-0147) */
        if (!(uri = xmpp_uri_parse(room, error)))
            return FALSE;
        if (uri->action && strcmp(uri->action, "join") != 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s asks to %s, not to join a room", room, uri->action);
            return FALSE;
        }
        room = uri->jid;
        if (!password)
            password = xmpp_uri_param(uri, "password");
    }
    return muc_join(call->account, room, g_hash_table_lookup(options, "nick"),
                    password, error);
}

static gboolean cmd_part(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    /* "/part room@service bye" or, in a room window, "/part bye". */
    const char *line = arg(call, 0);
    g_autofree char *room = NULL;
    const char *message = line;
    if (line) {
        gsize len = strcspn(line, " \t");
        g_autofree char *first = g_strndup(line, len);
        if (strchr(first, '@')) {
            room = g_steal_pointer(&first);
            message = line + len + strspn(line + len, " \t");
        }
    }
    if (!room) {
        Room *r = current_room(call, error);
        if (!r)
            return FALSE;
        room = g_strdup(r->jid);
    }
    return muc_part(call->account, room, message, error);
}

static gboolean cmd_nick(const CommandCall *call, GError **error)
{
    Room *r = current_room(call, error);
    return r && muc_change_nick(call->account, r->jid, call->argv[0], error);
}

static gboolean cmd_topic(const CommandCall *call, GError **error)
{
    Room *r = current_room(call, error);
    if (!r)
        return FALSE;
    if (call->argc == 1)
        return muc_set_subject(call->account, r->jid, call->argv[0], error);
    if (r->subject)
        command_printf(call, LINE_INFO, "Topic of %s: %s", r->jid, r->subject);
    else
        command_printf(call, LINE_INFO, "%s has no topic.", r->jid);
    return TRUE;
}

static gboolean cmd_occupants(const CommandCall *call, GError **error)
{
    Room *r = current_room(call, error);
    if (!r)
        return FALSE;
    g_autoptr(GPtrArray) nicks = room_nicks(r);
    command_printf(call, LINE_INFO, "%u occupant%s of %s:", nicks->len,
                   nicks->len == 1 ? "" : "s", r->jid);
    for (guint i = 0; i < nicks->len; i++) {
        Occupant *o = room_occupant_find(r, g_ptr_array_index(nicks, i));
        command_printf(call, LINE_INFO, "  %s (%s, %s, %s)%s%s", o->nick,
                       room_role_name(o->role),
                       room_affiliation_name(o->affiliation), o->show,
                       o->real_jid ? " " : "", o->real_jid ? o->real_jid : "");
    }
    return TRUE;
}

static gboolean set_role(const CommandCall *call, const char *role,
                         GError **error)
{
    Room *r = current_room(call, error);
    return r && muc_set_role(call->account, r->jid, call->argv[0], role,
                             arg(call, 1), error);
}

static gboolean cmd_kick(const CommandCall *call, GError **error)
{
    return set_role(call, "none", error);
}

static gboolean cmd_voice(const CommandCall *call, GError **error)
{
    return set_role(call, "participant", error);
}

static gboolean cmd_devoice(const CommandCall *call, GError **error)
{
    return set_role(call, "visitor", error);
}

static gboolean cmd_op(const CommandCall *call, GError **error)
{
    return set_role(call, "moderator", error);
}

static gboolean cmd_deop(const CommandCall *call, GError **error)
{
    return set_role(call, "participant", error);
}

static gboolean cmd_role(const CommandCall *call, GError **error)
{
    Room *r = current_room(call, error);
    return r && muc_set_role(call->account, r->jid, call->argv[0],
                             call->argv[1], NULL, error);
}

/* A JID, or the nick of an occupant whose real JID the room shows. */
static const char *real_jid_of(Room *r, const char *who)
{
    Occupant *o = strchr(who, '@') ? NULL : room_occupant_find(r, who);
    return o && o->real_jid ? o->real_jid : who;
}

static gboolean cmd_ban(const CommandCall *call, GError **error)
{
    Room *r = current_room(call, error);
    return r && muc_set_affiliation(call->account, r->jid,
                                    real_jid_of(r, call->argv[0]), "outcast",
                                    arg(call, 1), error);
}

static gboolean cmd_affiliation(const CommandCall *call, GError **error)
{
    Room *r = current_room(call, error);
    return r && muc_set_affiliation(call->account, r->jid,
                                    real_jid_of(r, call->argv[0]),
                                    call->argv[1], NULL, error);
}

static gboolean cmd_invite(const CommandCall *call, GError **error)
{
    Room *r = current_room(call, error);
    if (!r)
        return FALSE;
    /* -m first, then JID; the reason is the rest of the line (without -m
     * its first word is a separate argument, joined back with a space). */
    gboolean mediated = strcmp(call->argv[0], "-m") == 0;
    int first = mediated ? 1 : 0;
    if (call->argc <= first) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /invite [-m] JID [REASON]");
        return FALSE;
    }
    g_autofree char *reason =
        call->argc > first + 1 ? g_strjoinv(" ", call->argv + first + 1) : NULL;
    return muc_invite(call->account, r->jid, call->argv[first], reason,
                      mediated, error);
}

static gboolean cmd_rooms(const CommandCall *call, GError **error)
{
    return command_need_account(call, error) &&
           muc_list_rooms(call->account, arg(call, 0), call->out, error);
}

/* /room create ROOM [instant|configured]: from any window. */
static gboolean room_create(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    const char *how = arg(call, 2);
    if (call->argc < 2 || (how && strcmp(how, "instant") != 0 &&
                           strcmp(how, "configured") != 0)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /room create ROOM [instant|configured]");
        return FALSE;
    }
    return muc_create(call->account, call->argv[1],
                      how && strcmp(how, "configured") == 0, error);
}

static gboolean cmd_room(const CommandCall *call, GError **error)
{
    if (strcmp(call->argv[0], "create") == 0)
        return room_create(call, error);
    Room *r = current_room(call, error);
    if (!r)
        return FALSE;
    const char *what = call->argv[0];
    if (strcmp(what, "destroy") == 0) {
        /* The reason is the rest of the line, as typed. */
        g_autofree char *reason =
            call->argc > 1 ? g_strjoinv(" ", call->argv + 1) : NULL;
        return muc_destroy(call->account, r->jid, reason, error);
    }
    if (call->argc == 1 && strcmp(what, "instant") == 0)
        return muc_configure_instant(call->account, r->jid, error);
    if (call->argc == 1 && strcmp(what, "config") == 0)
        return muc_config_fetch(call->account, r->jid, error);
    if (strcmp(what, "set") == 0 || strcmp(what, "submit") == 0 ||
        strcmp(what, "cancel") == 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/room config opens the form in a window of its own, "
                    "where /form %s works",
                    what);
        return FALSE;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /room create ROOM [instant|configured]|config|"
                "instant|destroy [REASON]");
    return FALSE;
}

static gboolean cmd_bookmark(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    const char *what = call->argv[0];
    if (strcmp(what, "list") == 0) {
        g_autoptr(GPtrArray) list = muc_bookmark_list(call->account);
        if (!list) {
            const Account *a = account_find(call->account);
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                        a && a->state == ACCOUNT_ONLINE
                            ? "the bookmarks of %s are still on their way "
                              "from the server; try again in a moment"
                            : "the bookmarks of %s are not known until it "
                              "is online",
                        call->account);
            return FALSE;
        }
        command_printf(call, LINE_INFO, "%s: %u bookmark%s%s", call->account,
                       list->len, list->len == 1 ? "" : "s",
                       list->len ? ":" : ".");
        for (guint i = 0; i < list->len; i++)
            command_printf(call, LINE_INFO, "  %s",
                           (const char *)g_ptr_array_index(list, i));
        return TRUE;
    }
    if (strcmp(what, "add") != 0 && strcmp(what, "remove") != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/bookmark add, remove or list");
        return FALSE;
    }
    /* The room: named (it has an @), or the current window's. */
    int first_option = 1;
    g_autofree char *room = NULL;
    if (call->argc > 1 && strchr(call->argv[1], '@')) {
        room = g_strdup(call->argv[1]);
        first_option = 2;
    } else {
        Room *r = current_room(call, error);
        if (!r)
            return FALSE;
        room = g_strdup(r->jid);
    }
    if (strcmp(what, "remove") == 0) {
        if (call->argc > first_option) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "usage: /bookmark remove [ROOM]");
            return FALSE;
        }
        return muc_bookmark_remove(call->account, room, call->out, error);
    }
    static const char *const keys[] = {"autojoin", "nick", NULL};
    g_autoptr(GHashTable) options = command_parse_options(
        call->argv + first_option, call->argc - first_option, keys, error);
    if (!options)
        return FALSE;
    const char *autojoin = g_hash_table_lookup(options, "autojoin");
    if (autojoin && strcmp(autojoin, "on") != 0 &&
        strcmp(autojoin, "off") != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "autojoin is on or off, not '%s'", autojoin);
        return FALSE;
    }
    return muc_bookmark_add(
        call->account, room, !autojoin || strcmp(autojoin, "on") == 0,
        g_hash_table_lookup(options, "nick"), call->out, error);
}

/* Completion: the nicks of the current window's room. */
static void source_nicks(const Buffer *b, const char *account, GPtrArray *out)
{
    if (!b || (b->kind != BUFFER_ROOM && b->kind != BUFFER_PRIVATE))
        return;
    g_autofree char *jid = jid_bare(b->peer);
    Room *r = room_find(b->account, jid);
    if (!r)
        return;
    g_autoptr(GPtrArray) nicks = room_nicks(r);
    for (guint i = 0; i < nicks->len; i++)
        g_ptr_array_add(out, g_strdup(g_ptr_array_index(nicks, i)));
}

static void source_rooms(const Buffer *buffer, const char *account,
                         GPtrArray *out)
{
    g_autoptr(GPtrArray) rooms = rooms_of(account);
    for (guint i = 0; i < rooms->len; i++)
        g_ptr_array_add(out, g_strdup(((Room *)rooms->pdata[i])->jid));
    g_autoptr(GPtrArray) marks = account ? muc_bookmark_list(account) : NULL;
    for (guint i = 0; marks && i < marks->len; i++) {
        const char *line = g_ptr_array_index(marks, i);
        g_ptr_array_add(out, g_strndup(line, strcspn(line, " ")));
    }
}

void cmd_muc_init(void)
{
    complete_add_source("NICK", source_nicks);
    complete_add_source("ROOM", source_rooms);
}

#define ROOM_WINDOW " Works in a room's window (or one of its private chats)."

const CommandDef cmd_muc_commands[] = {
    {
        .name = "affiliation",
        .synopsis = (const char *const[]){"/affiliation JID "
                                          "none|outcast|member|admin|owner",
                                          NULL},
        .summary = "change someone's affiliation with the room",
        .description = "Asks the room to give JID (a bare address, or the "
                       "nick of an occupant whose address the room shows) "
                       "the affiliation: owner, admin, member, none, or "
                       "outcast (banned)." ROOM_WINDOW,
        .args =
            (const CommandArg[]){{"JID", "an address or a nick"}, {NULL, NULL}},
        .examples =
            (const char *const[]){"/affiliation bob@example.org member", NULL},
        .min_args = 2,
        .max_args = 2,
        .per_account = TRUE,
        .func = cmd_affiliation,
    },
    {
        .name = "ban",
        .synopsis = (const char *const[]){"/ban JID", "/ban JID REASON", NULL},
        .summary = "ban someone from the room",
        .description = "Makes JID an outcast of the room: they are removed "
                       "and cannot come back. JID may also be the nick of an "
                       "occupant whose address the room shows." ROOM_WINDOW,
        .args = (const CommandArg[]){{"JID", "an address or a nick"},
                                     {"REASON", "shown to everyone"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/ban spam@example.org flooding", NULL},
        .min_args = 1,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_ban,
    },
    {
        .name = "bookmark",
        .synopsis =
            (const char *const[]){"/bookmark list",
                                  "/bookmark add ROOM [autojoin on|off] "
                                  "[nick NICK]",
                                  "/bookmark remove ROOM", NULL},
        .summary = "keep rooms on the server, joined at login",
        .description =
            "Bookmarks are kept by your server (XEP-0402, in PEP; in its "
            "private XML storage, XEP-0048, when it does not announce "
            "XEP-0402), so every client of yours sees them. /bookmark add "
            "saves ROOM (the "
            "current room when not given) with autojoin on unless told "
            "otherwise: natter joins autojoin rooms at each login. "
            "/bookmark remove forgets one, /bookmark list shows them.",
        .args = (const CommandArg[]){{"ROOM", "room@service"},
                                     {"NICK", "the nick to join with"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/bookmark add",
                                  "/bookmark add lobby@conference.example.org "
                                  "autojoin off",
                                  "/bookmark list", NULL},
        .min_args = 1,
        .max_args = -1,
        .per_account = TRUE,
        .func = cmd_bookmark,
    },
    {
        .name = "deop",
        .synopsis = (const char *const[]){"/deop NICK", NULL},
        .summary = "take moderator rights from an occupant",
        .description = "Makes NICK a participant again." ROOM_WINDOW,
        .args = (const CommandArg[]){{"NICK", "an occupant"}, {NULL, NULL}},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_deop,
    },
    {
        .name = "devoice",
        .synopsis = (const char *const[]){"/devoice NICK", NULL},
        .summary = "take the voice of an occupant",
        .description = "Makes NICK a visitor: they can read but not speak "
                       "in a moderated room." ROOM_WINDOW,
        .args = (const CommandArg[]){{"NICK", "an occupant"}, {NULL, NULL}},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_devoice,
    },
    {
        .name = "invite",
        .synopsis = (const char *const[]){"/invite JID", "/invite JID REASON",
                                          "/invite -m JID",
                                          "/invite -m JID REASON", NULL},
        .summary = "invite someone to the room",
        .description = "Sends JID an invitation to the current room "
                       "(XEP-0249 direct invitation), with the room's "
                       "password if it has one. With -m the room sends it "
                       "instead (XEP-0045 mediated invitation): for clients "
                       "that only know those, and for members-only rooms, "
                       "where the room may add JID to its members; the room "
                       "may refuse, and says why. Invitations you receive, "
                       "of either kind, are shown in the account's console "
                       "with the /join that accepts them." ROOM_WINDOW,
        .args = (const CommandArg[]){{"JID", "who to invite"},
                                     {"REASON", "a few words for them"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/invite bob@example.org come and see",
                                  "/invite -m bob@example.org", NULL},
        .min_args = 1,
        .max_args = 3,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_invite,
    },
    {
        .name = "join",
        .synopsis = (const char *const[]){"/join ROOM [nick NICK] "
                                          "[password PASSWORD]",
                                          NULL},
        .summary = "join a group chat",
        .description =
            "Joins ROOM (room@service, or just a name on the account's "
            "conference service) and opens its window. The nick is the "
            "local part of the account's address unless given; when it is "
            "taken, natter tries again with _ added and says so. The room "
            "sends its recent history, which is stored with the rest (once, "
            "however often you join). Rooms you are in are joined again "
            "after a reconnect. ROOM may be an xmpp: link "
            "(xmpp:room@service?join, with ;password=... if it has one).",
        .args = (const CommandArg[]){{"ROOM", "room@service, or a name"},
                                     {"NICK", "your nick in the room"},
                                     {"PASSWORD", "the room's password"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/join lobby@conference.example.org",
                                          "/join lobby nick Ann",
                                          "/join secret@conference.example.org "
                                          "password hunter2",
                                          "/join xmpp:lobby@conference."
                                          "example.org?join",
                                          NULL},
        .min_args = 1,
        .max_args = -1,
        .per_account = TRUE,
        .func = cmd_join,
    },
    {
        .name = "kick",
        .synopsis =
            (const char *const[]){"/kick NICK", "/kick NICK REASON", NULL},
        .summary = "remove an occupant from the room",
        .description = "Kicks NICK out of the room (they may come back; "
                       "/ban keeps them out)." ROOM_WINDOW,
        .args = (const CommandArg[]){{"NICK", "an occupant"},
                                     {"REASON", "shown to everyone"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/kick troll calm down", NULL},
        .min_args = 1,
        .max_args = 2,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_kick,
    },
    {
        .name = "leave",
        .synopsis = (const char *const[]){"/leave", "/leave MESSAGE",
                                          "/leave ROOM MESSAGE", NULL},
        .summary = "leave a room (same as /part)",
        .description = "Leaves the current room, or ROOM, saying MESSAGE "
                       "if given. The window stays open with its history.",
        .args = (const CommandArg[]){{"ROOM", "room@service"},
                                     {"MESSAGE", "a goodbye"},
                                     {NULL, NULL}},
        .min_args = 0,
        .max_args = 1,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_part,
    },
    {
        .name = "nick",
        .synopsis = (const char *const[]){"/nick NICK", NULL},
        .summary = "change your nick in the room",
        .description = "Asks the room to call you NICK from now on; "
                       "refused when someone has it." ROOM_WINDOW,
        .args = (const CommandArg[]){{"NICK", "the new nick"}, {NULL, NULL}},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_nick,
    },
    {
        .name = "occupants",
        .synopsis = (const char *const[]){"/occupants", NULL},
        .summary = "list who is in the room",
        .description = "Lists the occupants of the current room with their "
                       "role, affiliation, presence and, when the room shows "
                       "it, their address." ROOM_WINDOW,
        .min_args = 0,
        .max_args = 0,
        .per_account = TRUE,
        .func = cmd_occupants,
    },
    {
        .name = "who",
        .synopsis = (const char *const[]){"/who", NULL},
        .summary = "list who is in the room (the same as /occupants)",
        .description = "The same as /occupants, as Profanity and irssi "
                       "users type it." ROOM_WINDOW,
        .min_args = 0,
        .max_args = 0,
        .per_account = TRUE,
        .func = cmd_occupants,
    },
    {
        .name = "op",
        .synopsis = (const char *const[]){"/op NICK", NULL},
        .summary = "make an occupant a moderator",
        .description = "Gives NICK the moderator role." ROOM_WINDOW,
        .args = (const CommandArg[]){{"NICK", "an occupant"}, {NULL, NULL}},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_op,
    },
    {
        .name = "part",
        .synopsis = (const char *const[]){"/part", "/part MESSAGE",
                                          "/part ROOM MESSAGE", NULL},
        .summary = "leave a room",
        .description = "Leaves the current room, or ROOM, saying MESSAGE "
                       "if given. The window stays open with its history; "
                       "/join enters again, /close closes it.",
        .args = (const CommandArg[]){{"ROOM", "room@service"},
                                     {"MESSAGE", "a goodbye"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/part see you tomorrow", NULL},
        .min_args = 0,
        .max_args = 1,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_part,
    },
    {
        .name = "role",
        .synopsis = (const char *const[]){"/role NICK "
                                          "none|visitor|participant|moderator",
                                          NULL},
        .summary = "change an occupant's role",
        .description = "Gives NICK a role for this visit: moderator, "
                       "participant, visitor (no voice), or none "
                       "(kicked)." ROOM_WINDOW,
        .args = (const CommandArg[]){{"NICK", "an occupant"}, {NULL, NULL}},
        .examples = (const char *const[]){"/role bob moderator", NULL},
        .min_args = 2,
        .max_args = 2,
        .per_account = TRUE,
        .func = cmd_role,
    },
    {
        .name = "room",
        .synopsis =
            (const char *const[]){
                "/room create ROOM", "/room create ROOM instant",
                "/room create ROOM configured", "/room config", "/room instant",
                "/room destroy", "/room destroy REASON", NULL},
        .summary = "create, configure or destroy a room",
        .description =
            "/room create ROOM joins ROOM (NAME or NAME@SERVICE, like "
            "/join) to create it, from any window. Instant (the default) "
            "accepts the server's default configuration at once; "
            "configured fetches the configuration form instead and opens "
            "it in a form window (see /form: /form set, then /form submit, "
            "or /form cancel to keep the defaults). If "
            "ROOM already existed you simply join it, and are told so. "
            "/room config fetches the room's configuration form (owners "
            "only) and opens it in a form window named config:ROOM, which "
            "lists its fields with their values and choices; change them "
            "there with /form set FIELD VALUE and send them with /form "
            "submit. /room instant accepts the default configuration of a "
            "room you just created (XEP-0045 10.1.2), which servers that "
            "lock new rooms require before others can enter. /room destroy "
            "ends the room for everyone (owners only). All but /room create "
            "work in a room's window (or one of its private chats).",
        .args = (const CommandArg[]){{"ROOM", "NAME or NAME@SERVICE"},
                                     {"REASON", "shown to the occupants"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/room create bookclub configured",
                                          "/room config",
                                          "/room destroy moving out", NULL},
        .min_args = 1,
        .max_args = 3,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_room,
    },
    {
        .name = "rooms",
        .synopsis = (const char *const[]){"/rooms", "/rooms SERVICE", NULL},
        .summary = "list the rooms of a conference service",
        .description = "Lists the public rooms of SERVICE, or of the "
                       "account's own conference service, in the window "
                       "where you typed it.",
        .args = (const CommandArg[]){{"SERVICE", "e.g. conference.example.org"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/rooms", "/rooms chat.example.org", NULL},
        .min_args = 0,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_rooms,
    },
    {
        .name = "topic",
        .synopsis = (const char *const[]){"/topic", "/topic TEXT", NULL},
        .summary = "show or set the room's topic",
        .description =
            "Without TEXT, shows the room's topic (its "
            "subject); with it, asks the room to set it." ROOM_WINDOW,
        .args = (const CommandArg[]){{"TEXT", "the new topic"}, {NULL, NULL}},
        .examples = (const char *const[]){"/topic Release on Friday", NULL},
        .min_args = 0,
        .max_args = 1,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_topic,
    },
    {
        .name = "voice",
        .synopsis = (const char *const[]){"/voice NICK", NULL},
        .summary = "let an occupant speak",
        .description = "Makes NICK a participant (they may speak in a "
                       "moderated room)." ROOM_WINDOW,
        .args = (const CommandArg[]){{"NICK", "an occupant"}, {NULL, NULL}},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_voice,
    },
    {NULL},
};
