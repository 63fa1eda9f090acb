/* message.c: see message.h. */
#include "core/message.h"

static void attachment_free(gpointer data)
{
    MessageAttachment *a = data;
    g_free(a->url);
    g_free(a->media_type);
    g_free(a->name);
    g_free(a->key);
    g_free(a);
}

static void ack_free(gpointer data)
{
    MessageAck *ack = data;
    g_free(ack->id);
    g_free(ack);
}

static void invite_free(MessageInvite *invite)
{
    if (!invite)
        return;
    g_free(invite->room);
    g_free(invite->inviter);
    g_free(invite->reason);
    g_free(invite->password);
    g_free(invite);
}

Message *message_new(void)
{
    Message *m = g_new0(Message, 1);
    m->refs = 1;
    return m;
}

Message *message_ref(Message *m)
{
    g_atomic_int_inc(&m->refs);
    return m;
}

void message_unref(Message *m)
{
    if (!m || !g_atomic_int_dec_and_test(&m->refs))
        return;
    g_free(m->account);
    g_free(m->peer);
    g_free(m->from);
    g_free(m->nick);
    g_free(m->body);
    g_free(m->subject);
    g_clear_pointer(&m->attachments, g_ptr_array_unref);
    g_free(m->message_id);
    g_free(m->origin_id);
    g_free(m->stanza_id);
    g_free(m->reply_to);
    g_free(m->reply_to_jid);
    g_free(m->replaces_id);
    g_free(m->retracts_id);
    g_free(m->moderated_by);
    g_free(m->moderation_reason);
    g_free(m->reactions_to);
    g_free(m->reactions);
    g_clear_pointer(&m->acks, g_ptr_array_unref);
    invite_free(m->invite);
    g_free(m->error);
    g_free(m->reply_quote);
    g_free(m);
}

MessageAttachment *message_add_attachment(Message *m, const char *url,
                                          const char *media_type, gint64 size)
{
    if (!m->attachments)
        m->attachments = g_ptr_array_new_with_free_func(attachment_free);
    MessageAttachment *a = g_new0(MessageAttachment, 1);
    a->url = g_strdup(url);
    a->media_type = g_strdup(media_type);
    a->size = size;
    g_ptr_array_add(m->attachments, a);
    return a;
}

void message_add_ack(Message *m, const char *id, MessageState state)
{
    if (!m->acks)
        m->acks = g_ptr_array_new_with_free_func(ack_free);
    MessageAck *ack = g_new0(MessageAck, 1);
    ack->id = g_strdup(id);
    ack->state = state;
    g_ptr_array_add(m->acks, ack);
}

gboolean message_has_content(const Message *m)
{
    return m->body || (m->attachments && m->attachments->len);
}

const char *message_kind_name(MessageKind kind)
{
    static const char *const names[] = {
        [MESSAGE_CHAT] = "chat",
        [MESSAGE_GROUPCHAT] = "groupchat",
        [MESSAGE_PRIVATE] = "private",
        [MESSAGE_HEADLINE] = "headline",
    };
    return kind < G_N_ELEMENTS(names) ? names[kind] : "unknown";
}

const char *message_origin_name(MessageOrigin origin)
{
    static const char *const names[] = {
        [MESSAGE_LIVE] = "live",
        [MESSAGE_CARBON_RECEIVED] = "carbon-received",
        [MESSAGE_CARBON_SENT] = "carbon-sent",
        [MESSAGE_ARCHIVED] = "archived",
        [MESSAGE_LOCAL] = "local",
    };
    return origin < G_N_ELEMENTS(names) ? names[origin] : "unknown";
}

const char *message_security_name(MessageSecurity security)
{
    static const char *const names[] = {
        [MESSAGE_PLAIN] = "plain",
        [MESSAGE_OTR] = "otr",
        [MESSAGE_OMEMO] = "omemo",
        [MESSAGE_OMEMO2] = "omemo2",
    };
    return security < G_N_ELEMENTS(names) ? names[security] : "unknown";
}

const char *message_trust_name(MessageTrust trust)
{
    static const char *const names[] = {
        [MESSAGE_TRUST_NONE] = "none",
        [MESSAGE_TRUST_UNDECIDED] = "undecided",
        [MESSAGE_TRUST_UNTRUSTED] = "untrusted",
        [MESSAGE_TRUST_TRUSTED] = "trusted",
        [MESSAGE_TRUST_VERIFIED] = "verified",
    };
    return trust < G_N_ELEMENTS(names) ? names[trust] : "unknown";
}

const char *message_state_name(MessageState state)
{
    static const char *const names[] = {
        [MESSAGE_RECEIVED] = "received", [MESSAGE_PENDING] = "pending",
        [MESSAGE_SENT] = "sent",         [MESSAGE_DELIVERED] = "delivered",
        [MESSAGE_READ] = "read",         [MESSAGE_FAILED] = "failed",
    };
    return state < G_N_ELEMENTS(names) ? names[state] : "unknown";
}
