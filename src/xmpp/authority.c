/* authority.c: see authority.h. */
#include "xmpp/authority.h"

#include <string.h>

#include "core/buffer.h"
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
