/* cmd_xmlconsole.c: /xmlconsole, the window of an account's raw XML. */
#include "command/families.h"
#include "xmpp/xmlconsole.h"

static gboolean cmd_xmlconsole(const CommandCall *call, GError **error)
{
    const char *account = call->argc ? call->argv[0] : call->account;
    return xmlconsole_open(account, error) != NULL;
}

const CommandDef cmd_xmlconsole_commands[] = {
    {
        .name = "xmlconsole",
        .synopsis =
            (const char *const[]){"/xmlconsole", "/xmlconsole NAME", NULL},
        .summary = "show an account's raw XML traffic",
        .description =
            "Opens a window with everything the account NAME (default: the "
            "current window's) sends (SENT) and receives (RECV), as XML. "
            "Passwords and SASL authentication data are replaced by "
            "[redacted]. Traffic is only recorded while the window is open; "
            "/close ends it. Open it before /connect to see the login.",
        .args = (const CommandArg[]){{"NAME", "an account name"}, {NULL, NULL}},
        .examples =
            (const char *const[]){"/xmlconsole", "/xmlconsole work", NULL},
        .min_args = 0,
        .max_args = 1,
        .func = cmd_xmlconsole,
    },
    {NULL},
};
