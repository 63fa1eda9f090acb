/* authority.c: see authority.h. */
#include "xmpp/authority.h"

#include <string.h>

#include "core/buffer.h"
#include "core/room.h"
#include "core/roster.h"
#include "core/settings.h"
#include "util/jid.h"
#include "xmpp/iq.h"

gboolean authority_is_own_account(Session *s, const char *from)
{
    if (!from)
        return TRUE;
    if (!s->own_bare || strchr(from, '/'))
        return FALSE;
    return jid_bare_equal(from, s->own_bare);
}

gboolean authority_may_see_presence(Session *s, const char *jid)
{
    g_autoptr(Jid) who = jid ? jid_parse(jid, NULL) : NULL;
    if (!jid)
        return TRUE;
    if (!who)
        return FALSE;
    if (settings_get_bool("answer_strangers") ||
        (s->own_bare && strcmp(who->bare, s->own_bare) == 0) ||
        (who->resource && room_find(s->account, who->bare)))
        return TRUE;
    const RosterContact *c = roster_find_contact(s->account, who->bare);
    return c && (c->subscription == SUBSCRIPTION_FROM ||
                 c->subscription == SUBSCRIPTION_BOTH);
}

void authority_refuse(Session *s, xmpp_stanza_t *iq, const char *stanza_kind)
{
    const char *from = xmpp_stanza_get_from(iq);
    buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                   "Ignored a %s from %s: only our own account may send "
                   "one (spoofed?).",
                   stanza_kind, from ? from : "(no sender)");
    /* RFC 6121 2.1.6: such a push is ignored; an error tells the sender. */
    iq_reply_error(s, iq, "cancel", "service-unavailable");
}
