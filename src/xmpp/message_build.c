/* message_build.c: see message_build.h. */
#include "xmpp/message_build.h"

#include "xmpp/ns.h"
#include "xmpp/stanza.h"

static const char *stanza_type(MessageKind kind)
{
    switch (kind) {
    case MESSAGE_GROUPCHAT:
        return "groupchat";
    case MESSAGE_HEADLINE:
        return "headline";
    case MESSAGE_CHAT:
    case MESSAGE_PRIVATE:
        break;
    }
    return "chat";
}

static void add_id_child(xmpp_stanza_t *parent, const char *name,
                         const char *ns, const char *id)
{
    xmpp_stanza_t *c = stanza_add_child_ns(parent, name, ns);
    xmpp_stanza_set_id(c, id);
}

/* Says which part of the body is a fallback FOR clients that do not know
 * a feature (XEP-0428): the first LEN code points, or (LEN < 0) all. */
static void add_fallback(xmpp_stanza_t *msg, const char *for_ns, glong len)
{
    xmpp_stanza_t *f = stanza_add_child_ns(msg, "fallback", NS_FALLBACK);
    xmpp_stanza_set_attribute(f, "for", for_ns);
    if (len < 0)
        return;
    xmpp_stanza_t *range = stanza_add_child_ns(f, "body", NULL);
    xmpp_stanza_set_attribute(range, "start", "0");
    g_autofree char *end = g_strdup_printf("%ld", len);
    xmpp_stanza_set_attribute(range, "end", end);
}

static void add_retraction(xmpp_stanza_t *msg, const char *id)
{
    add_id_child(msg, "retract", NS_RETRACT, id);
    /* Clients that know only fastening see the older form too. */
    xmpp_stanza_t *apply = stanza_add_child_ns(msg, "apply-to", NS_FASTEN);
    xmpp_stanza_set_id(apply, id);
    stanza_add_child_ns(apply, "retract", NS_RETRACT0);
    stanza_add_text_child(msg, "body",
                          "(The previous message was withdrawn; this client "
                          "cannot show that.)");
    add_fallback(msg, NS_RETRACT, -1);
    stanza_add_child_ns(msg, "store", NS_HINTS);
}

static void add_reactions(xmpp_stanza_t *msg, const char *id,
                          const char *reactions)
{
    xmpp_stanza_t *r = stanza_add_child_ns(msg, "reactions", NS_REACTIONS);
    xmpp_stanza_set_id(r, id);
    g_auto(GStrv) each = g_strsplit(reactions ? reactions : "", " ", -1);
    for (guint i = 0; each[i]; i++)
        if (*each[i])
            stanza_add_text_child(r, "reaction", each[i]);
    stanza_add_child_ns(msg, "store", NS_HINTS);
}

static void add_oob(xmpp_stanza_t *msg, const GPtrArray *attachments)
{
    for (guint i = 0; attachments && i < attachments->len; i++) {
        const MessageAttachment *a = g_ptr_array_index(attachments, i);
        xmpp_stanza_t *x = stanza_add_child_ns(msg, "x", NS_OOB);
        stanza_add_text_child(x, "url", a->url);
    }
}

xmpp_stanza_t *message_build(xmpp_ctx_t *ctx, const Message *m)
{
    const char *id = m->message_id ? m->message_id : m->origin_id;
    xmpp_stanza_t *msg =
        xmpp_message_new(ctx, stanza_type(m->kind), m->peer, id);
    if (m->retracts_id) {
        add_retraction(msg, m->retracts_id);
    } else if (m->reactions_to) {
        add_reactions(msg, m->reactions_to, m->reactions);
    } else if (m->body) {
        const char *quote = m->reply_to && m->reply_quote ? m->reply_quote : "";
        g_autofree char *body = g_strconcat(quote, m->body, NULL);
        xmpp_message_set_body(msg, body);
    }
    if (m->replaces_id)
        add_id_child(msg, "replace", NS_CORRECT, m->replaces_id);
    if (m->reply_to && !m->retracts_id && !m->reactions_to) {
        xmpp_stanza_t *r = stanza_add_child_ns(msg, "reply", NS_REPLY);
        xmpp_stanza_set_id(r, m->reply_to);
        if (m->reply_to_jid)
            xmpp_stanza_set_attribute(r, "to", m->reply_to_jid);
        glong quote_len =
            m->reply_quote ? g_utf8_strlen(m->reply_quote, -1) : 0;
        if (quote_len > 0)
            add_fallback(msg, NS_REPLY, quote_len);
    }
    add_oob(msg, m->attachments);
    /* XEP-0045 7.5: marks a private message in a room. */
    if (m->kind == MESSAGE_PRIVATE)
        stanza_add_child_ns(msg, "x", NS_MUC_USER);
    /* XEP-0359: a stable id the recipient's server keeps. */
    if (m->origin_id)
        add_id_child(msg, "origin-id", NS_SID, m->origin_id);
    return msg;
}

xmpp_stanza_t *message_build_receipt(xmpp_ctx_t *ctx, const char *to,
                                     const char *type, const char *id,
                                     const char *our_id)
{
    xmpp_stanza_t *msg = xmpp_message_new(ctx, type, to, our_id);
    add_id_child(msg, "received", NS_RECEIPTS, id);
    return msg;
}

xmpp_stanza_t *message_build_marker(xmpp_ctx_t *ctx, const char *to,
                                    const char *type, const char *marker,
                                    const char *id, const char *our_id)
{
    xmpp_stanza_t *msg = xmpp_message_new(ctx, type, to, our_id);
    add_id_child(msg, marker, NS_MARKERS, id);
    /* Markers are worth keeping in the archive (XEP-0334). */
    stanza_add_child_ns(msg, "store", NS_HINTS);
    return msg;
}
