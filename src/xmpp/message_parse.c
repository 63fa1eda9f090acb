/* message_parse.c: see message_parse.h. */
#include "xmpp/message_parse.h"

#include <string.h>

#include "util/error.h"
#include "util/jid.h"
#include "xmpp/ns.h"
#include "xmpp/stanza.h"

static xmpp_stanza_t *child(xmpp_stanza_t *stanza, const char *name,
                            const char *ns)
{
    return xmpp_stanza_get_child_by_name_and_ns(stanza, name, ns);
}

static char *child_id(xmpp_stanza_t *stanza, const char *name, const char *ns)
{
    xmpp_stanza_t *c = child(stanza, name, ns);
    const char *id = c ? xmpp_stanza_get_id(c) : NULL;
    return id && *id ? g_strdup(id) : NULL;
}

/* The id of STANZA's <stanza-id/> given by BY (XEP-0359): only the one
 * our own server (or, in a room, the room) put there counts, since anyone
 * can add a stanza-id of their own (§7). */
static char *stanza_id_by(xmpp_stanza_t *stanza, const char *by)
{
    if (!by)
        return NULL;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(stanza); c;
         c = xmpp_stanza_get_next(c)) {
        if (xmpp_stanza_is_tag(c) &&
            g_strcmp0(xmpp_stanza_get_name(c), "stanza-id") == 0 &&
            g_strcmp0(xmpp_stanza_get_ns(c), NS_SID) == 0 &&
            jid_bare_equal(xmpp_stanza_get_attribute(c, "by"), by) &&
            xmpp_stanza_get_id(c))
            return g_strdup(xmpp_stanza_get_id(c));
    }
    return NULL;
}

/* Receipts (XEP-0184) and chat markers (XEP-0333) about our messages. */
static void parse_acks(Message *m, xmpp_stanza_t *stanza)
{
    static const struct {
        const char *name, *ns;
        MessageState state;
    } acks[] = {
        {"received", NS_RECEIPTS, MESSAGE_DELIVERED},
        {"received", NS_MARKERS, MESSAGE_DELIVERED},
        {"displayed", NS_MARKERS, MESSAGE_READ},
        {"acknowledged", NS_MARKERS, MESSAGE_READ},
    };
    for (guint i = 0; i < G_N_ELEMENTS(acks); i++) {
        g_autofree char *id = child_id(stanza, acks[i].name, acks[i].ns);
        if (id)
            message_add_ack(m, id, acks[i].state);
    }
    m->receipt_requested = child(stanza, "request", NS_RECEIPTS) != NULL;
    m->markable = child(stanza, "markable", NS_MARKERS) != NULL;
}

static ChatState parse_chat_state(xmpp_stanza_t *stanza)
{
    static const struct {
        const char *name;
        ChatState state;
    } states[] = {
        {"active", CHAT_STATE_ACTIVE}, {"composing", CHAT_STATE_COMPOSING},
        {"paused", CHAT_STATE_PAUSED}, {"inactive", CHAT_STATE_INACTIVE},
        {"gone", CHAT_STATE_GONE},
    };
    for (guint i = 0; i < G_N_ELEMENTS(states); i++)
        if (child(stanza, states[i].name, NS_CHATSTATES))
            return states[i].state;
    return CHAT_STATE_NONE;
}

/* Space-separated emojis of a <reactions/> element: one reaction is one
 * short emoji, so anything with blanks or longer than 32 bytes is left
 * out, and each counts once (it is a set, XEP-0444 §4). */
static char *reaction_list(xmpp_stanza_t *reactions)
{
    g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(reactions); c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "reaction") != 0)
            continue;
        char *text = stanza_text(c);
        if (*text && !strpbrk(text, " \t\n") && strlen(text) <= 32 &&
            !g_ptr_array_find_with_equal_func(seen, text, g_str_equal, NULL))
            g_ptr_array_add(seen, text);
        else
            g_free(text);
    }
    g_ptr_array_add(seen, NULL);
    return g_strjoinv(" ", (char **)seen->pdata);
}

/* The id a retraction names: XEP-0424 v1 <retract id/>, or the older
 * <apply-to id><retract/></apply-to> of fastening. */
static char *retracted_id(xmpp_stanza_t *stanza)
{
    char *id = child_id(stanza, "retract", NS_RETRACT);
    if (id)
        return id;
    xmpp_stanza_t *apply = child(stanza, "apply-to", NS_FASTEN);
    if (apply && child(apply, "retract", NS_RETRACT0))
        return child_id(stanza, "apply-to", NS_FASTEN);
    return NULL;
}

/* A retraction by a room's moderator (XEP-0425): the current form,
 * <retract id><moderated by/><reason/></retract>, or the older one inside
 * fastening, <apply-to id><moderated by><retract/><reason/></moderated>.
 * The room itself must send it: the room stage checks. */
static void parse_moderation(Message *m, xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *retract = child(stanza, "retract", NS_RETRACT);
    xmpp_stanza_t *moderated =
        retract ? child(retract, "moderated", NS_MODERATE) : NULL;
    xmpp_stanza_t *holder = retract; /* the element with the reason */
    if (!moderated) {
        xmpp_stanza_t *apply = child(stanza, "apply-to", NS_FASTEN);
        moderated = apply ? child(apply, "moderated", NS_MODERATE0) : NULL;
        if (!moderated || !child(moderated, "retract", NS_RETRACT0))
            return;
        holder = moderated;
        g_free(m->retracts_id);
        m->retracts_id = child_id(stanza, "apply-to", NS_FASTEN);
    }
    if (!m->retracts_id)
        return;
    const char *by = xmpp_stanza_get_attribute(moderated, "by");
    m->moderated_by = g_strdup(by && *by ? by : "a moderator");
    m->moderation_reason = stanza_child_text(holder, "reason", NULL);
}

/* A subject outside a room (a server's announcement, a "normal" message
 * from another client) is part of what was said: it heads the body, so it
 * is shown and kept like the rest. */
static void add_subject(Message *m, xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *subject = xmpp_stanza_get_child_by_name(stanza, "subject");
    g_autofree char *text = subject ? stanza_text(subject) : NULL;
    if (!text || !*g_strstrip(text))
        return;
    char *body = m->body ? g_strdup_printf("Subject: %s\n%s", text, m->body)
                         : g_strdup_printf("Subject: %s", text);
    g_free(m->body);
    m->body = body;
}

/* A reply's target, and its body without the quote for clients that do
 * not know replies (XEP-0461 with XEP-0428 ranges, in code points). */
static void parse_reply(Message *m, xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *reply = child(stanza, "reply", NS_REPLY);
    m->reply_to = child_id(stanza, "reply", NS_REPLY);
    if (!m->reply_to)
        return;
    m->reply_to_jid = g_strdup(xmpp_stanza_get_attribute(reply, "to"));
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(stanza); c && m->body;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "fallback") != 0 ||
            g_strcmp0(xmpp_stanza_get_ns(c), NS_FALLBACK) != 0 ||
            g_strcmp0(xmpp_stanza_get_attribute(c, "for"), NS_REPLY) != 0)
            continue;
        xmpp_stanza_t *range = xmpp_stanza_get_child_by_name(c, "body");
        const char *start_s =
            range ? xmpp_stanza_get_attribute(range, "start") : NULL;
        const char *end_s =
            range ? xmpp_stanza_get_attribute(range, "end") : NULL;
        gint64 start = 0, end = 0;
        glong len = g_utf8_strlen(m->body, -1);
        if (!start_s || !end_s ||
            !g_ascii_string_to_signed(start_s, 10, 0, len, &start, NULL) ||
            !g_ascii_string_to_signed(end_s, 10, start, len, &end, NULL))
            break; /* a bad range: keep the whole text */
        g_autofree char *head = g_utf8_substring(m->body, 0, start);
        g_autofree char *tail = g_utf8_substring(m->body, end, len);
        g_free(m->body);
        m->body = g_strconcat(head, tail, NULL);
        break;
    }
}

/* Links a message carries as files (XEP-0066 out-of-band data). */
static void parse_oob(Message *m, xmpp_stanza_t *stanza)
{
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(stanza); c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "x") != 0 ||
            g_strcmp0(xmpp_stanza_get_ns(c), NS_OOB) != 0)
            continue;
        g_autofree char *url = stanza_child_text(c, "url", NULL);
        if (url && *url)
            message_add_attachment(m, url, NULL, -1);
    }
}

/* An invitation to a room: direct (XEP-0249, from anyone) or mediated by
 * the room (XEP-0045 7.8.2, from the room's bare JID). */
static void parse_invite(Message *m, xmpp_stanza_t *stanza, const Jid *from)
{
    xmpp_stanza_t *direct = child(stanza, "x", NS_CONFERENCE);
    xmpp_stanza_t *x = child(stanza, "x", NS_MUC_USER);
    xmpp_stanza_t *mediated =
        x ? xmpp_stanza_get_child_by_name(x, "invite") : NULL;
    if (mediated && !(from && !from->resource))
        mediated = NULL; /* only a room itself mediates */
    if (!direct && !mediated)
        return;
    MessageInvite *invite = g_new0(MessageInvite, 1);
    /* A room that mediates may add the direct form too (for clients that
     * know only that one): the mediated form names the real inviter. */
    if (mediated) {
        invite->room = g_strdup(from->bare);
        const char *inviter = xmpp_stanza_get_attribute(mediated, "from");
        invite->inviter =
            g_strdup(inviter && jid_is_valid(inviter) ? inviter : NULL);
        invite->reason = stanza_child_text(mediated, "reason", NULL);
        invite->password = stanza_child_text(x, "password", NULL);
    } else {
        const char *room = xmpp_stanza_get_attribute(direct, "jid");
        invite->room = room && jid_is_valid(room) ? jid_bare(room) : NULL;
        invite->inviter = g_strdup(from ? from->bare : NULL);
        invite->reason = g_strdup(xmpp_stanza_get_attribute(direct, "reason"));
        invite->password =
            g_strdup(xmpp_stanza_get_attribute(direct, "password"));
    }
    m->invite = invite;
}

/* The local part of BARE (the whole of it without one). Caller frees. */
static char *local_part(const char *bare)
{
    const char *at = strchr(bare, '@');
    return at ? g_strndup(bare, at - bare) : g_strdup(bare);
}

/* Who the conversation is with, and its kind, for a message that is not
 * groupchat: OTHER is the other side's address (NULL: the server). */
static void place(Message *m, const Jid *other, xmpp_stanza_t *stanza,
                  const MessageParseContext *ctx)
{
    if (!other)
        return; /* the server itself speaks (RFC 6120 8.1.2.1) */
    gboolean in_room = ctx->is_room && ctx->is_room(other->bare, ctx->data);
    /* A message from or to a room's occupant is private to that room:
     * known by the room, or by the muc#user mark occupants' private
     * messages carry (XEP-0045 7.5), also once we left the room. */
    gboolean muc_marked =
        child(stanza, "x", NS_MUC_USER) != NULL && m->invite == NULL;
    if (other->resource && (in_room || muc_marked)) {
        m->kind = MESSAGE_PRIVATE;
        m->peer = g_strdup(other->full);
        if (m->direction == MESSAGE_IN)
            m->nick = g_strdup(other->resource);
        return;
    }
    m->peer = g_strdup(other->bare);
    if (m->direction == MESSAGE_IN)
        m->nick = g_strdup(other->bare);
}

Message *message_parse(xmpp_stanza_t *stanza, const MessageParseContext *ctx,
                       GError **error)
{
    const char *type = xmpp_stanza_get_type(stanza);
    const char *from_raw = xmpp_stanza_get_from(stanza);
    const char *to_raw = xmpp_stanza_get_to(stanza);
    g_autoptr(Jid) from = from_raw ? jid_parse(from_raw, NULL) : NULL;
    if (from_raw && !from) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                    "a message from an invalid address: %s", from_raw);
        return NULL;
    }
    gboolean groupchat = g_strcmp0(type, "groupchat") == 0;

    g_autoptr(Message) m = message_new();
    m->account = g_strdup(ctx->account);
    m->origin = ctx->origin;
    m->message_id = g_strdup(xmpp_stanza_get_id(stanza));
    m->body = stanza_child_text(stanza, "body", NULL);
    m->time = ctx->time ? ctx->time : stanza_delay_time(stanza);
    if (!m->time)
        m->time = g_get_real_time();
    m->origin_id = child_id(stanza, "origin-id", NS_SID);

    if (g_strcmp0(type, "error") == 0) {
        m->error = stanza_error_describe(stanza);
        m->peer = g_strdup(from ? from->bare : NULL);
        m->from = g_strdup(from ? from->full : NULL);
        m->direction = MESSAGE_OUT; /* it is about one of ours */
        g_clear_pointer(&m->body, g_free);
        return g_steal_pointer(&m);
    }

    if (groupchat) {
        if (!from) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                        "a room message without a sender");
            return NULL;
        }
        m->kind = MESSAGE_GROUPCHAT;
        m->peer = g_strdup(from->bare);
        m->from = g_strdup(from->full);
        m->nick = g_strdup(from->resource);
        m->direction = MESSAGE_IN; /* ours are recognised by the room */
        m->state = MESSAGE_RECEIVED;
        xmpp_stanza_t *subject =
            xmpp_stanza_get_child_by_name(stanza, "subject");
        if (subject && !m->body)
            m->subject = stanza_text(subject);
        m->stanza_id = ctx->origin == MESSAGE_ARCHIVED
                           ? g_strdup(ctx->archive_id)
                           : stanza_id_by(stanza, from->bare);
    } else {
        /* Ours when another client of ours sent it: a sent carbon, or
         * a message in our own archive from our own address. */
        gboolean sent =
            ctx->origin == MESSAGE_CARBON_SENT ||
            (ctx->origin == MESSAGE_ARCHIVED && from && ctx->own_bare &&
             jid_bare_equal(from->bare, ctx->own_bare));
        const char *other_raw = sent ? to_raw : from_raw;
        g_autoptr(Jid) other = other_raw ? jid_parse(other_raw, NULL) : NULL;
        if (other_raw && !other) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                        "a message %s an invalid address: %s",
                        sent ? "to" : "from", other_raw);
            return NULL;
        }
        m->direction = sent ? MESSAGE_OUT : MESSAGE_IN;
        m->state = sent ? MESSAGE_SENT : MESSAGE_RECEIVED;
        m->kind =
            g_strcmp0(type, "headline") == 0 ? MESSAGE_HEADLINE : MESSAGE_CHAT;
        parse_invite(m, stanza, from);
        place(m, other, stanza, ctx);
        m->from = g_strdup(from ? from->full : NULL);
        if (sent && ctx->own_bare)
            m->nick = local_part(ctx->own_bare);
        m->stanza_id = ctx->origin == MESSAGE_ARCHIVED
                           ? g_strdup(ctx->archive_id)
                           : stanza_id_by(stanza, ctx->own_bare);
    }

    parse_acks(m, stanza);
    m->chat_state = parse_chat_state(stanza);
    m->replaces_id = child_id(stanza, "replace", NS_CORRECT);
    m->retracts_id = retracted_id(stanza);
    if (groupchat)
        parse_moderation(m, stanza);
    xmpp_stanza_t *reactions = child(stanza, "reactions", NS_REACTIONS);
    m->reactions_to = child_id(stanza, "reactions", NS_REACTIONS);
    if (m->reactions_to)
        m->reactions = reaction_list(reactions);
    if (m->retracts_id || m->reactions_to)
        g_clear_pointer(&m->body, g_free); /* only a fallback text */
    parse_reply(m, stanza);
    parse_oob(m, stanza);
    if (!groupchat && !m->retracts_id && !m->reactions_to)
        add_subject(m, stanza);
    return g_steal_pointer(&m);
}
