/* room.c: see room.h. Rooms are few: one list, searched linearly.
 * Occupants are many (big rooms): a hash table by nick, and a GSequence
 * (a balanced tree) for the sorted view, where an occupant who comes,
 * goes, is renamed or changes role moves in O(log n). */
#include "core/room.h"

#include <string.h>

#include "core/account.h"
#include "core/buffer.h"
#include "core/event.h"
#include "util/jid.h"

static GPtrArray *rooms; /* Room * */
static guint removed_subscription;

static void occupant_free(gpointer data)
{
    Occupant *o = data;
    g_free(o->nick);
    g_free(o->real_jid);
    g_free(o->show);
    g_free(o->status);
    g_free(o->sort_key);
    g_free(o);
}

static void room_free(gpointer data)
{
    Room *r = data;
    g_free(r->account);
    g_free(r->jid);
    g_free(r->nick);
    g_free(r->password);
    g_free(r->subject);
    g_hash_table_unref(r->occupants);
    g_sequence_free(r->view);
    g_free(r);
}

/* A removed account's rooms go with it: a new account of the same name
 * must not join them at its first login. */
static EventResult on_account_removed(Account *account, gpointer data)
{
    for (guint i = rooms ? rooms->len : 0; i-- > 0;)
        if (g_strcmp0(((Room *)g_ptr_array_index(rooms, i))->account,
                      account->name) == 0)
            g_ptr_array_remove_index(rooms, i);
    return EVENT_CONTINUE;
}

void rooms_init(void)
{
    if (!removed_subscription)
        removed_subscription =
            event_on_account(EVENT_ACCOUNT_REMOVED, EVENT_PRIORITY_MODEL,
                             on_account_removed, NULL);
}

void rooms_shutdown(void)
{
    g_clear_handle_id(&removed_subscription, event_unsubscribe);
    g_clear_pointer(&rooms, g_ptr_array_unref);
}

/* The room's window shows its state in its title: tell it too. */
static void window_changed(Room *r)
{
    Buffer *b = buffer_find(BUFFER_ROOM, r->account, r->jid);
    if (b)
        event_emit_buffer(EVENT_BUFFER_CHANGED, b);
}

static void emit_room(Room *r)
{
    event_emit_room(EVENT_ROOM_CHANGED, account_find(r->account), r->jid, NULL);
    window_changed(r);
}

static void emit_occupant(Room *r, const char *nick)
{
    event_emit_room(EVENT_OCCUPANT_CHANGED, account_find(r->account), r->jid,
                    nick);
    window_changed(r);
}

Room *room_find(const char *account, const char *jid)
{
    if (!rooms || !account || !jid)
        return NULL;
    g_autofree char *bare = jid_bare(jid);
    for (guint i = 0; i < rooms->len; i++) {
        Room *r = g_ptr_array_index(rooms, i);
        if (g_strcmp0(r->account, account) == 0 &&
            g_strcmp0(r->jid, bare ? bare : jid) == 0)
            return r;
    }
    return NULL;
}

Room *room_get(const char *account, const char *jid, const char *nick)
{
    Room *r = room_find(account, jid);
    if (r)
        return r;
    if (!rooms)
        rooms = g_ptr_array_new_with_free_func(room_free);
    r = g_new0(Room, 1);
    r->account = g_strdup(account);
    r->jid = jid_bare(jid);
    if (!r->jid)
        r->jid = g_strdup(jid);
    r->nick = g_strdup(nick);
    r->state = ROOM_JOINING;
    r->occupants =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, occupant_free);
    r->view = g_sequence_new(NULL);
    g_ptr_array_add(rooms, r);
    emit_room(r);
    return r;
}

void room_remove(const char *account, const char *jid)
{
    Room *r = room_find(account, jid);
    if (!r)
        return;
    /* ACCOUNT and JID may be the room's own strings: copies outlive it. */
    g_autofree char *room_account = g_strdup(r->account);
    g_autofree char *room_jid = g_strdup(r->jid);
    g_ptr_array_remove(rooms, r);
    event_emit_room(EVENT_ROOM_CHANGED, account_find(room_account), room_jid,
                    NULL);
}

GPtrArray *rooms_of(const char *account)
{
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; rooms && i < rooms->len; i++) {
        Room *r = g_ptr_array_index(rooms, i);
        if (g_strcmp0(r->account, account) == 0)
            g_ptr_array_add(out, r);
    }
    return out;
}

void room_set_state(Room *r, RoomState state)
{
    if (r->state == state)
        return;
    r->state = state;
    emit_room(r);
}

void room_set_privacy(Room *r, gboolean nonanonymous, gboolean membersonly)
{
    if (r->nonanonymous == nonanonymous && r->membersonly == membersonly)
        return;
    r->nonanonymous = nonanonymous;
    r->membersonly = membersonly;
    emit_room(r);
}

void room_set_nick(Room *r, const char *nick)
{
    if (g_strcmp0(r->nick, nick) == 0)
        return;
    g_free(r->nick);
    r->nick = g_strdup(nick);
    emit_room(r);
}

void room_set_subject(Room *r, const char *subject)
{
    if (g_strcmp0(r->subject, subject) == 0)
        return;
    g_free(r->subject);
    r->subject = subject && *subject ? g_strdup(subject) : NULL;
    emit_room(r);
}

static void replace(char **field, const char *value)
{
    if (g_strcmp0(*field, value) == 0)
        return;
    g_free(*field);
    *field = g_strdup(value);
}

/* Case-insensitive in the user's locale; equal keys fall back to the
 * nicks' bytes so that the order is total. */
static char *nick_sort_key(const char *nick)
{
    g_autofree char *folded = g_utf8_casefold(nick, -1);
    return g_utf8_collate_key(folded, -1);
}

static int compare_keys(const char *key_a, const char *nick_a,
                        const char *key_b, const char *nick_b)
{
    int c = strcmp(key_a, key_b);
    return c ? c : strcmp(nick_a, nick_b);
}

static gint view_order(gconstpointer a, gconstpointer b, gpointer data)
{
    (void)data;
    const Occupant *x = a, *y = b;
    if (x->role != y->role)
        return x->role > y->role ? -1 : 1;
    return compare_keys(x->sort_key, x->nick, y->sort_key, y->nick);
}

static void view_insert(Room *r, Occupant *o)
{
    o->place = g_sequence_insert_sorted(r->view, o, view_order, NULL);
    r->role_count[o->role]++;
}

static void view_remove(Room *r, Occupant *o)
{
    g_sequence_remove(o->place);
    o->place = NULL;
    r->role_count[o->role]--;
}

Occupant *room_occupant_set(Room *r, const char *nick, RoomRole role,
                            RoomAffiliation affiliation, const char *real_jid,
                            const char *show, const char *status,
                            gboolean *is_new)
{
    if (role > ROOM_ROLE_MODERATOR)
        role = ROOM_ROLE_NONE;
    Occupant *o = g_hash_table_lookup(r->occupants, nick);
    if (is_new)
        *is_new = o == NULL;
    if (!o) {
        o = g_new0(Occupant, 1);
        o->nick = g_strdup(nick);
        o->sort_key = nick_sort_key(nick);
        o->role = role;
        g_hash_table_insert(r->occupants, o->nick, o);
        view_insert(r, o);
    } else if (o->role != role) {
        view_remove(r, o);
        o->role = role;
        view_insert(r, o);
    }
    o->affiliation = affiliation;
    if (real_jid) /* a later presence without it does not forget it */
        replace(&o->real_jid, real_jid);
    replace(&o->show, show ? show : "online");
    replace(&o->status, status);
    emit_occupant(r, nick);
    return o;
}

Occupant *room_occupant_find(Room *r, const char *nick)
{
    return nick ? g_hash_table_lookup(r->occupants, nick) : NULL;
}

gboolean room_occupant_remove(Room *r, const char *nick)
{
    Occupant *o = room_occupant_find(r, nick);
    if (!o)
        return FALSE;
    view_remove(r, o);
    g_hash_table_remove(r->occupants, nick);
    emit_occupant(r, nick);
    return TRUE;
}

gboolean room_occupant_rename(Room *r, const char *old_nick,
                              const char *new_nick)
{
    Occupant *o = room_occupant_find(r, old_nick);
    if (!o || !new_nick || g_hash_table_contains(r->occupants, new_nick))
        return FALSE;
    view_remove(r, o);
    g_hash_table_steal(r->occupants, old_nick);
    g_free(o->nick);
    o->nick = g_strdup(new_nick);
    o->nick_since =
        g_get_real_time(); /* the nick's earlier words are not its */
    g_free(o->sort_key);
    o->sort_key = nick_sort_key(new_nick);
    g_hash_table_insert(r->occupants, o->nick, o);
    view_insert(r, o);
    emit_occupant(r, old_nick);
    emit_occupant(r, new_nick);
    return TRUE;
}

void room_clear_occupants(Room *r)
{
    if (g_hash_table_size(r->occupants) == 0)
        return;
    g_sequence_remove_range(g_sequence_get_begin_iter(r->view),
                            g_sequence_get_end_iter(r->view));
    memset(r->role_count, 0, sizeof r->role_count);
    g_hash_table_remove_all(r->occupants);
    emit_occupant(r, NULL);
}

static gint compare_occupants(gconstpointer a, gconstpointer b)
{
    const Occupant *x = *(const Occupant *const *)a;
    const Occupant *y = *(const Occupant *const *)b;
    return compare_keys(x->sort_key, x->nick, y->sort_key, y->nick);
}

GPtrArray *room_nicks(Room *r)
{
    g_autoptr(GPtrArray) all =
        g_ptr_array_sized_new(g_hash_table_size(r->occupants));
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, r->occupants);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(all, value);
    g_ptr_array_sort(all, compare_occupants);
    GPtrArray *out = g_ptr_array_new_full(all->len, g_free);
    for (guint i = 0; i < all->len; i++)
        g_ptr_array_add(
            out, g_strdup(((Occupant *)g_ptr_array_index(all, i))->nick));
    return out;
}

/* A word character for mentions: letters and digits of any script. */
static gboolean word_char(gunichar c)
{
    return g_unichar_isalnum(c) || c == '_';
}

gboolean room_text_mentions(const char *text, const char *nick)
{
    if (!text || !nick || !*nick || !g_utf8_validate(text, -1, NULL) ||
        !g_utf8_validate(nick, -1, NULL))
        return FALSE;
    g_autofree char *hay = g_utf8_casefold(text, -1);
    g_autofree char *needle = g_utf8_casefold(nick, -1);
    gsize len = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        gboolean start_ok =
            p == hay ||
            !word_char(g_utf8_get_char(g_utf8_find_prev_char(hay, p)));
        gboolean end_ok = !p[len] || !word_char(g_utf8_get_char(p + len));
        if (start_ok && end_ok)
            return TRUE;
    }
    return FALSE;
}

static const char *const role_names[] = {
    [ROOM_ROLE_NONE] = "none",
    [ROOM_ROLE_VISITOR] = "visitor",
    [ROOM_ROLE_PARTICIPANT] = "participant",
    [ROOM_ROLE_MODERATOR] = "moderator",
};

static const char *const affiliation_names[] = {
    [ROOM_AFFIL_NONE] = "none",     [ROOM_AFFIL_OUTCAST] = "outcast",
    [ROOM_AFFIL_MEMBER] = "member", [ROOM_AFFIL_ADMIN] = "admin",
    [ROOM_AFFIL_OWNER] = "owner",
};

const char *room_role_name(RoomRole role)
{
    return role < G_N_ELEMENTS(role_names) ? role_names[role] : "none";
}

const char *room_affiliation_name(RoomAffiliation affiliation)
{
    return affiliation < G_N_ELEMENTS(affiliation_names)
               ? affiliation_names[affiliation]
               : "none";
}

gboolean room_role_parse(const char *name, RoomRole *role)
{
    for (guint i = 0; name && i < G_N_ELEMENTS(role_names); i++) {
        if (strcmp(name, role_names[i]) == 0) {
            *role = i;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean room_affiliation_parse(const char *name, RoomAffiliation *affiliation)
{
    for (guint i = 0; name && i < G_N_ELEMENTS(affiliation_names); i++) {
        if (strcmp(name, affiliation_names[i]) == 0) {
            *affiliation = i;
            return TRUE;
        }
    }
    return FALSE;
}
