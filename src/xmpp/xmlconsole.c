/* xmlconsole.c: see xmlconsole.h. libstrophe logs every chunk it writes
 * ("SENT: ...") and every stanza and stream header it reads ("RECV: ...")
 * at debug level; session.c passes those lines here. Nothing is formatted
 * unless the account's console window is open. */
#include "xmpp/xmlconsole.h"

#include <string.h>

#include "core/account.h"
#include "util/error.h"
#include "util/redact.h"
#include "xmpp/services.h"

void xmlconsole_log(Session *s, const char *area, const char *msg)
{
    Buffer *b = buffer_find(BUFFER_XMLCONSOLE, s->account, NULL);
    if (!b)
        return;
    const char *dir = NULL;
    if (g_str_has_prefix(msg, "SENT: "))
        dir = "SENT";
    else if (g_str_has_prefix(msg, "RECV: "))
        dir = "RECV";
    if (!dir)
        return;
    g_autofree char *clean = redact_xml(msg + strlen("SENT: "));
    buffer_appendf(b, LINE_INFO, "%s %s", dir, clean);
}

Buffer *xmlconsole_open(const char *account, GError **error)
{
    if (!account || !account_find(account)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "which account? /xmlconsole NAME, or use it in an "
                    "account's window");
        return NULL;
    }
    Buffer *b = buffer_find(BUFFER_XMLCONSOLE, account, NULL);
    if (!b) {
        b = buffer_open(BUFFER_XMLCONSOLE, account, NULL);
        buffer_appendf(b, LINE_INFO,
                       "Raw traffic of account %s from now on (passwords "
                       "and SASL data are hidden). /close stops it.",
                       account);
    }
    buffer_switch(b);
    return b;
}
