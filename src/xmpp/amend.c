/* amend.c: see amend.h. Only the author of a message may correct or
 * retract it: core/conversation.c checks that against history, and a
 * refusal is reported here. Reactions may come from either side. */
#include "xmpp/amend.h"

#include <string.h>

#include "core/buffer.h"
#include "core/conversation.h"
#include "xmpp/stanza.h"

#define NS_CORRECT   "urn:xmpp:message-correct:0"
#define NS_RETRACT   "urn:xmpp:message-retract:1"
#define NS_RETRACT0  "urn:xmpp:message-retract:0"
#define NS_FASTEN    "urn:xmpp:fasten:0"
#define NS_REACTIONS "urn:xmpp:reactions:0"
#define NS_REPLY     "urn:xmpp:reply:0"
#define NS_FALLBACK  "urn:xmpp:fallback:0"
#define NS_HINTS     "urn:xmpp:hints"

static xmpp_stanza_t *child(xmpp_stanza_t *stanza, const char *name,
                            const char *ns)
{
    return xmpp_stanza_get_child_by_name_and_ns(stanza, name, ns);
}

/* The id a retraction names: XEP-0424 v1 <retract id/>, or the older
 * <apply-to id><retract/></apply-to> of fastening. */
static const char *retracted_id(xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *r = child(stanza, "retract", NS_RETRACT);
    if (r)
        return xmpp_stanza_get_id(r);
    xmpp_stanza_t *apply = child(stanza, "apply-to", NS_FASTEN);
    if (apply && child(apply, "retract", NS_RETRACT0))
        return xmpp_stanza_get_id(apply);
    return NULL;
}

/* Space-separated emojis of a <reactions/> element. Caller frees. */
static char *reaction_list(xmpp_stanza_t *reactions)
{
    GString *out = g_string_new(NULL);
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(reactions); c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "reaction") != 0)
            continue;
        char *text = xmpp_stanza_get_text(c);
        /* One reaction is one short emoji: no spaces inside. */
        if (text && *text && !strpbrk(text, " \t\n") && strlen(text) <= 32)
            g_string_append_printf(out, "%s%s", out->len ? " " : "", text);
        if (text)
            xmpp_free(xmpp_stanza_get_context(c), text);
    }
    return g_string_free(out, FALSE);
}

static void refused(Session *s, const Jid *peer, const char *what)
{
    Buffer *b = buffer_find(BUFFER_CHAT, s->account, peer->bare);
    buffer_appendf(b ? b : buffer_account_console(s->account), LINE_ERROR,
                   "Ignored a %s from %s: it names a message they did not "
                   "write, or one natter does not have.",
                   what, peer->full);
}

gboolean amend_take(Session *s, const Jid *peer, gboolean sent,
                    xmpp_stanza_t *stanza, const char *body)
{
    /* Our own changes (from another client) name us as author. */
    const char *author = sent ? NULL : peer->bare;
    xmpp_stanza_t *replace = child(stanza, "replace", NS_CORRECT);
    const char *id = replace ? xmpp_stanza_get_id(replace) : NULL;
    if (id && body) {
        if (!conversation_correct(s->account, peer->bare, id, author, body))
            refused(s, peer, "correction");
        return TRUE;
    }
    if ((id = retracted_id(stanza))) {
        if (!conversation_retract(s->account, peer->bare, id, author))
            refused(s, peer, "retraction");
        return TRUE;
    }
    xmpp_stanza_t *reactions = child(stanza, "reactions", NS_REACTIONS);
    if (reactions && (id = xmpp_stanza_get_id(reactions))) {
        g_autofree char *list = reaction_list(reactions);
        g_autofree char *who = sent ? g_strdup("") : g_strdup(peer->bare);
        if (!conversation_react(s->account, peer->bare, id, who, list))
            refused(s, peer, "reaction");
        return TRUE;
    }
    return FALSE;
}

char *amend_reply_to(xmpp_stanza_t *stanza, char **body)
{
    xmpp_stanza_t *reply = child(stanza, "reply", NS_REPLY);
    const char *id = reply ? xmpp_stanza_get_id(reply) : NULL;
    if (!id)
        return NULL;
    /* Cut the quote clients without replies see (XEP-0428 ranges count
     * code points). */
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(stanza); c && *body;
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
        glong len = g_utf8_strlen(*body, -1);
        if (!start_s || !end_s ||
            !g_ascii_string_to_signed(start_s, 10, 0, len, &start, NULL) ||
            !g_ascii_string_to_signed(end_s, 10, start, len, &end, NULL))
            break; /* a bad range: keep the whole text */
        g_autofree char *head = g_utf8_substring(*body, 0, start);
        g_autofree char *tail = g_utf8_substring(*body, end, len);
        char *cut = g_strconcat(head, tail, NULL);
        g_free(*body);
        *body = cut;
        break;
    }
    return g_strdup(id);
}

void amend_decorate(xmpp_stanza_t *msg, const char *replace_id,
                    const char *reply_id, const char *reply_to,
                    glong fallback_len)
{
    if (replace_id) {
        xmpp_stanza_t *r = stanza_add_child_ns(msg, "replace", NS_CORRECT);
        xmpp_stanza_set_id(r, replace_id);
    }
    if (reply_id) {
        xmpp_stanza_t *r = stanza_add_child_ns(msg, "reply", NS_REPLY);
        xmpp_stanza_set_id(r, reply_id);
        if (reply_to)
            xmpp_stanza_set_attribute(r, "to", reply_to);
        if (fallback_len > 0) {
            xmpp_stanza_t *f =
                stanza_add_child_ns(msg, "fallback", NS_FALLBACK);
            xmpp_stanza_set_attribute(f, "for", NS_REPLY);
            xmpp_stanza_t *range = stanza_add_child_ns(f, "body", NULL);
            xmpp_stanza_set_attribute(range, "start", "0");
            g_autofree char *end = g_strdup_printf("%ld", fallback_len);
            xmpp_stanza_set_attribute(range, "end", end);
        }
    }
}

static xmpp_stanza_t *new_message(Session *s, const char *peer)
{
    g_autofree char *id = session_new_id(s);
    xmpp_stanza_t *msg = xmpp_message_new(s->ctx, "chat", peer, id);
    /* Stable ids on everything we send (XEP-0359). */
    xmpp_stanza_t *origin =
        stanza_add_child_ns(msg, "origin-id", "urn:xmpp:sid:0");
    xmpp_stanza_set_id(origin, id);
    return msg;
}

void amend_send_retraction(Session *s, const char *peer, const char *message_id)
{
    xmpp_stanza_t *msg = new_message(s, peer);
    xmpp_stanza_t *r = stanza_add_child_ns(msg, "retract", NS_RETRACT);
    xmpp_stanza_set_id(r, message_id);
    /* Clients that know only fastening see the older form too. */
    xmpp_stanza_t *apply = stanza_add_child_ns(msg, "apply-to", NS_FASTEN);
    xmpp_stanza_set_id(apply, message_id);
    stanza_add_child_ns(apply, "retract", NS_RETRACT0);
    stanza_add_text_child(msg, "body",
                          "(The previous message was withdrawn; this client "
                          "cannot show that.)");
    xmpp_stanza_t *f = stanza_add_child_ns(msg, "fallback", NS_FALLBACK);
    xmpp_stanza_set_attribute(f, "for", NS_RETRACT);
    stanza_add_child_ns(msg, "store", NS_HINTS);
    session_send(s, msg);
    xmpp_stanza_release(msg);
}

void amend_send_reactions(Session *s, const char *peer, const char *message_id,
                          const char *reactions)
{
    xmpp_stanza_t *msg = new_message(s, peer);
    xmpp_stanza_t *r = stanza_add_child_ns(msg, "reactions", NS_REACTIONS);
    xmpp_stanza_set_id(r, message_id);
    g_auto(GStrv) each = g_strsplit(reactions, " ", -1);
    for (guint i = 0; each[i]; i++)
        if (*each[i])
            stanza_add_text_child(r, "reaction", each[i]);
    stanza_add_child_ns(msg, "store", NS_HINTS);
    session_send(s, msg);
    xmpp_stanza_release(msg);
}
