/* omemo_policy.c: the setting omemo_policy. With "automatic", a chat the
 * user made no choice for (/omemo on or off) is encrypted as soon as
 * natter finds that the contact has OMEMO devices: when their device
 * lists are fetched before our first message there leaves (the encrypt
 * stage holds it meanwhile, so it cannot slip out in the clear), or when
 * they write to us encrypted. The decision is kept as if the user had
 * typed /omemo on, and said in the chat. Rooms always need /omemo on. */
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/event.h"
#include "core/room.h"
#include "core/settings.h"
#include "xmpp/omemo_internal.h"

gboolean omemo_policy_undecided(OmemoAccount *a, const char *jid)
{
    gboolean on = FALSE;
    return g_strcmp0(settings_get_string("omemo_policy"), "automatic") == 0 &&
           !room_find(a->account, jid) &&
           !omemo_store_chat_choice(a->store, jid, &on);
}

/* Whether JID's device lists of both versions were fetched; HAS: whether
 * either names a device. */
static gboolean lists_known(OmemoAccount *a, const char *jid, gboolean *has)
{
    *has = FALSE;
    const guint versions[] = {V2, V03};
    for (guint v = 0; v < G_N_ELEMENTS(versions); v++) {
        g_autofree char *name = omemo_store_name(jid, versions[v]);
        gboolean fetched = FALSE;
        g_autoptr(GArray) d = omemo_store_devices(a->store, name, &fetched);
        if (!fetched)
            return FALSE;
        *has |= d->len > 0;
    }
    return TRUE;
}

gboolean omemo_policy_known(OmemoAccount *a, const char *jid)
{
    gboolean has = FALSE;
    return lists_known(a, jid, &has);
}

gboolean omemo_policy_decide(OmemoAccount *a, const char *jid,
                             gboolean wrote_encrypted)
{
    gboolean has = FALSE;
    if (!wrote_encrypted && !(lists_known(a, jid, &has) && has))
        return FALSE;
    omemo_store_set_chat_enabled(a->store, jid, TRUE);
    /* Said where the conversation is (opened now when their message that
     * decided it is on its way there). */
    Buffer *chat = conversation_open(a->account, jid);
    buffer_appendf(chat, LINE_INFO,
                   "OMEMO on for %s, who has OMEMO devices (omemo_policy "
                   "automatic; /omemo off sends in the clear)",
                   jid);
    event_emit_buffer(EVENT_BUFFER_CHANGED, chat); /* the title */
    return TRUE;
}
